"""Build the whole static site into public/: the recipe, one typed step at a time.

python build.py            build public/ (quick no-op when nothing changed)
python build.py --force    build even if nothing changed
python build.py serve      build, then serve public/ at http://127.0.0.1:8000
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

ROOT = Path(__file__).resolve().parent
PUBLIC = ROOT / "public"
RULES = ROOT / "rules"
TEMPLATES = ROOT / "templates"
PYODIDE_PACKAGE = ROOT / "node_modules" / "pyodide"
PYODIDE_VERSION = "314.0.7"
INSTALL_HINT = "run `npm ci` in the repository (or `make serve` / `make test`, which do it for you)"

# The runtime files the browser needs, with their SHA-256: the copy in node_modules must match
# exactly what was reviewed for this pinned version (npm ci has already checked the tarball).
PYODIDE_FILES = {
    "pyodide.mjs": "6f1d60f7bf529beb300f0f47983c921d3982363640ba20af0e38efdddbc66109",
    "pyodide.asm.mjs": "f7cdc8ece80678ceb712f8e65ebe6d3a83203a180c399865f49612a051693635",
    "pyodide.asm.wasm": "cc36e3cab04fdfc9a63ff13eb52eae2b911bf46c025cc7b281f394bd3de1d5e6",
    "python_stdlib.zip": "fa1957e5777068fc4f7437f96d860ae2fbe9c19732ba06c84e004ec16dd7dd7a",
}
# What the site serves from the package (python_stdlib.zip is only the input of our compiled archive).
RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm")


class BuildError(Exception):
    """A build step could not be done; the message says what to do about it."""


@dataclass(frozen=True)
class Assets:
    """Site-relative paths of what the checker pages load (the rules archive name has a content hash)."""

    runtime: str
    rules: str
    worker: str
    script: str

    def as_extra(self) -> dict[str, str]:
        return {"runtime": self.runtime, "rules": self.rules, "worker": self.worker, "script": self.script}


# ----------------------------------------------------------------------------- steps
def check_pyodide(package: Path, version: str) -> Path:
    """The pinned npm pyodide package is installed and every runtime file matches its recorded hash."""
    manifest = package / "package.json"
    if not manifest.exists():
        raise BuildError(f"pyodide {version} is not installed: {INSTALL_HINT}")
    found = json.loads(manifest.read_text())["version"]
    if found != version:
        raise BuildError(f"pyodide {found} is installed but {version} is pinned: {INSTALL_HINT}")
    for name, expected in PYODIDE_FILES.items():
        path = package / name
        if not path.exists():
            raise BuildError(f"{path} is missing from the pyodide package: delete node_modules and {INSTALL_HINT}")
        actual = sha256(path.read_bytes())
        if actual != expected:
            raise BuildError(
                f"{path} does not match the pinned pyodide {version} (sha256 {actual[:16]}…, expected {expected[:16]}…): "
                f"delete node_modules and {INSTALL_HINT}; if you upgraded pyodide on purpose, update PYODIDE_FILES in build.py"
            )
    return package


def build_mkdocs(config_file: Path, site_dir: Path, assets: Assets) -> int:
    """`mkdocs build --strict` into site_dir, telling the hooks where the checker's assets are."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    _show_mkdocs_warnings()
    try:
        config = load_config(str(config_file), strict=True, site_dir=str(site_dir))
        config.extra["checker_assets"] = assets.as_extra()
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
    except (Abort, ConfigurationError) as exc:
        raise BuildError(
            f"mkdocs build --strict failed: {exc}. Fix the warnings above (broken link, unknown anchor, bad shortcode)."
        ) from exc
    return sum(1 for _ in site_dir.rglob("*.html"))


def write_archive(site_dir: Path, name: str, data: bytes) -> Path:
    """Put the compiled Python archive beside the runtime (a content-hashed name: cached for good)."""
    target = site_dir / "runtime" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    for old in target.parent.glob("python-*.zip*"):
        old.unlink()
    target.write_bytes(data)
    return target


def copy_runtime(package: Path, target: Path) -> list[Path]:
    """Copy only the runtime files the worker loads: not the stock python_stdlib.zip (ours replaces it)
    nor a lock file (the worker passes it inline, with no packages)."""
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name in RUNTIME_FILES:
        destination = target / name
        if not destination.exists() or destination.stat().st_size != (package / name).stat().st_size:
            shutil.copyfile(package / name, destination)
        written.append(destination)
    return written


def lock_info(package: Path) -> dict:
    """The `info` of the pinned lock file: the worker passes it inline as lockFileContents."""
    return json.loads((package / "pyodide-lock.json").read_text())["info"]


# ----------------------------------------------------------------------------- the precompiled Python archive
# Stock Pyodide fetches python_stdlib.zip (.py sources only) and compiles every module it imports on
# every start. We instead compile, at build time and inside the pinned Pyodide itself (under Node, so
# the bytecode is exactly its Python 3.14's), only the modules that start-up and the rules import,
# plus the rules themselves, into one uncompressed zip that the worker passes as loadPyodide's stdLibURL.
BUILD_CACHE = ROOT / "build"
STDLIB_ZIP_PATH = "/lib/python314.zip"  # where Pyodide 314 writes the stdlib zip in its file system
APP_PREFIX = "_app/"  # the rules' bytecode and data inside the archive (on sys.path as a folder)
# Imported lazily or only on paths the trace may not take (codec lookups, error formatting): always kept.
EXTRA_MODULES = (
    "encodings.ascii",
    "encodings.latin_1",
    "encodings.utf_8_sig",
    "encodings.idna",
    "stringprep",
    "traceback",
    "linecache",
    "tokenize",
    "token",
    "_colorize",
    "difflib",
    "textwrap",
    "pprint",
)
# Imported at start-up only inside `try: import … except ImportError` (asyncio for ssl; shutil and zipfile
# for the compressors), and never used by the checker: left out, they are not loaded at all (~25 ms).
OPTIONAL_MODULES = ("ssl", "bz2", "lzma", "compression.zstd")
# The standard library is compiled as `python -OO` would (no docstrings, no asserts): a smaller archive
# and less to unmarshal. Pyodide's own packages and the rules keep theirs (Pyodide reads its docstrings).
KEEP_DOCSTRINGS = ("pyodide/", "_pyodide/")
BOOT_MODULE = '''"""Start-up of the warranty checker inside Pyodide: import the rules (bytecode and data) straight from this archive."""
import sys

sys.path.insert(0, {app_path!r})  # zipimport reads a folder inside the archive

import rules  # noqa: E402

evaluate_json = rules.evaluate_json

import gc  # noqa: E402

# Everything alive now (modules, code, the rules' tables) stays alive: keep it out of the collector's
# scans, so a collection while answering only looks at that answer's objects (round trip p95).
gc.freeze()
'''

# Runs under Node with the pinned pyodide package: load it as stock, run the checker's start-up and every
# scenario, record the modules that came from the stdlib zip, then compile those (and the rules) in Pyodide.
COMPILE_SCRIPT = r"""
const fs = require("fs");
const [packageDir, inputPath, outputPath] = process.argv.slice(2);
const { loadPyodide } = require(packageDir + "/pyodide.js");
(async () => {
  const input = JSON.parse(fs.readFileSync(inputPath, "utf8"));
  const py = await loadPyodide({ indexURL: packageDir + "/", packages: [], args: ["-S"], stdout: () => {}, stderr: () => {} });
  for (const [name, text] of Object.entries(input.rules)) {
    const path = "/home/pyodide/app/" + name;
    py.FS.mkdirTree(path.slice(0, path.lastIndexOf("/")));
    py.FS.writeFile(path, text);
  }
  py.runPython("import sys\nsys.path.insert(0, '/home/pyodide/app')\nimport rules");
  const evaluateJson = py.runPython("rules.evaluate_json");
  for (const [program, answers, today] of input.cases) JSON.parse(evaluateJson(program, JSON.stringify(answers), today));
  JSON.parse(evaluateJson("no-such-program", "{}"));
  JSON.parse(evaluateJson("ismartphones", "[1, 2]"));
  try { py.runPython("raise ValueError('a traceback is formatted')"); } catch (error) { /* expected */ }
  const traced = py.runPython("import json, sys\njson.dumps(sorted([k, getattr(getattr(m, '__spec__', None), 'origin', None) or ''] for k, m in list(sys.modules.items())))");
  py.globals.set("INPUT", JSON.stringify({ ...input, traced: JSON.parse(traced) }));
  py.runPython(input.compiler);
  fs.writeFileSync(outputPath, py.FS.readFile("/tmp/out.zip"));
  fs.writeFileSync(outputPath + ".modules.json", py.FS.readFile("/tmp/modules.json"));
})().catch((error) => { console.error(String(error && error.stack || error)); process.exit(1); });
"""

# Runs inside that Pyodide: write the archive, bytecode only, ZIP_STORED (it is served precompressed).
COMPILER = r"""
import importlib.util, json, zipfile
from importlib._bootstrap_external import _code_to_hash_pyc

spec = json.loads(INPUT)
std = zipfile.ZipFile(spec["stdlib"])
names = set(std.namelist())
wanted = set()
prefix = spec["stdlib"] + "/"
for module, origin in spec["traced"]:
    if origin.startswith(prefix):
        wanted.add(origin[len(prefix):])
for module in spec["extra"]:
    path = module.replace(".", "/")
    for candidate in (path + ".py", path + "/__init__.py"):
        if candidate in names:
            wanted.add(candidate)
def optional(rel):
    module = rel[:-3].removesuffix("/__init__").replace("/", ".")
    return any(module == name or module.startswith(name + ".") for name in spec["optional"])
wanted = {rel for rel in wanted if not optional(rel)}
for rel in list(wanted):  # every package above a module
    parts = rel.split("/")[:-1]
    for i in range(1, len(parts) + 1):
        init = "/".join(parts[:i]) + "/__init__.py"
        if init in names:
            wanted.add(init)

def pyc(source, filename, optimize=0):
    code = compile(source, filename, "exec", dont_inherit=True, optimize=optimize)
    return bytes(_code_to_hash_pyc(code, importlib.util.source_hash(source), False))

members = {}
for rel in sorted(wanted):
    if rel.endswith(".py"):
        members[rel[:-3] + ".pyc"] = pyc(std.read(rel), prefix + rel, 0 if rel.startswith(tuple(spec["keep_docstrings"])) else 2)
for rel, text in sorted(spec["rules"].items()):
    if rel.endswith(".py"):
        members[spec["app_prefix"] + rel[:-3] + ".pyc"] = pyc(text.encode(), prefix + spec["app_prefix"] + rel)
    else:
        members[spec["app_prefix"] + rel] = text.encode()
members["_warranty_boot.pyc"] = pyc(spec["boot"].encode(), prefix + "_warranty_boot.py")
with zipfile.ZipFile("/tmp/out.zip", "w", zipfile.ZIP_STORED) as out:
    for name in sorted(members):
        out.writestr(zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0)), members[name])
with open("/tmp/modules.json", "w") as handle:
    json.dump(sorted(wanted), handle)
"""


def rules_sources(rules_dir: Path) -> dict[str, str]:
    """The rules package as the browser needs it: code, and each data file's tables as JSON (no TOML parser to load
    there; rules.terms reads whichever the package holds), not tests or scenarios."""
    import tomllib

    if not (rules_dir / "__init__.py").exists():
        raise BuildError(f"{rules_dir} is not a package (no __init__.py)")
    sources = {f"rules/{path.name}": path.read_text(encoding="utf-8") for path in sorted(rules_dir.glob("*.py"))}
    for path in sorted((rules_dir / "data").glob("*.toml")):
        tables = tomllib.loads(path.read_text(encoding="utf-8"))
        try:
            text = json.dumps(tables, ensure_ascii=False, sort_keys=True)
        except TypeError:
            text = ""
        if not text or json.loads(text) != tables:
            raise BuildError(f"{path} holds a value JSON cannot carry as is (a TOML date or time?): write it as a string")
        sources[f"rules/data/{path.stem}.json"] = text
    return sources


def scenario_inputs(rules_dir: Path) -> list[list]:
    """[program, answers, today] of every scenario case: the trace runs them all, so lazy imports are seen."""
    import tomllib

    cases = []
    for path in sorted((rules_dir / "scenarios").glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for case in data.get("case", []):
            answers = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in case.get("answers", {}).items()}
            today = case.get("today")
            cases.append([data["program"], answers, today.isoformat() if hasattr(today, "isoformat") else today])
    return cases


def compile_python(package: Path, rules_dir: Path, cache_dir: Path = BUILD_CACHE) -> tuple[str, bytes, list[str]]:
    """The archive `python-<hash>.zip` (trimmed stdlib + rules, bytecode compiled by the pinned Pyodide under Node).

    Cached in build/ by everything it depends on, so an unchanged tree does not start Node again.
    """
    sources = rules_sources(rules_dir)
    boot = BOOT_MODULE.format(app_path=f"{STDLIB_ZIP_PATH}/{APP_PREFIX.rstrip('/')}")
    spec = {
        "rules": sources,
        "cases": scenario_inputs(rules_dir),
        "extra": list(EXTRA_MODULES),
        "optional": list(OPTIONAL_MODULES),
        "keep_docstrings": list(KEEP_DOCSTRINGS),
        "boot": boot,
        "app_prefix": APP_PREFIX,
        "stdlib": STDLIB_ZIP_PATH,
        "compiler": COMPILER,
    }
    key = sha256(json.dumps([PYODIDE_VERSION, PYODIDE_FILES, COMPILE_SCRIPT, spec], sort_keys=True).encode())[:16]
    cached = cache_dir / f"python-{key}.zip"
    listing = cached.with_name(cached.name + ".modules.json")
    if not (cached.exists() and listing.exists()):
        node = shutil.which("node")
        if node is None:
            raise BuildError(
                "`node` is not on PATH: the standard library is compiled by the pinned Pyodide under Node at build time. "
                "Install Node.js (Debian: `apt-get install nodejs npm`), then run `npm ci`"
            )
        import subprocess
        import tempfile

        cache_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=cache_dir) as tmp:
            script, given, out = Path(tmp, "compile.cjs"), Path(tmp, "input.json"), Path(tmp, "out.zip")
            script.write_text(COMPILE_SCRIPT)
            given.write_text(json.dumps(spec))
            done = subprocess.run([node, str(script), str(package.resolve()), str(given), str(out)], capture_output=True, text=True)
            if done.returncode != 0 or not out.exists():
                raise BuildError(
                    f"compiling the standard library in Pyodide under Node failed:\n{done.stderr.strip()[-2000:]}\n"
                    f"Check that `node --version` is ≥ 18 and `npm ci` succeeded; run `python build.py --force` again"
                )
            Path(str(out) + ".modules.json").replace(listing)
            out.replace(cached)
    data = cached.read_bytes()
    return f"python-{sha256(data)[:12]}.zip", data, json.loads(listing.read_text())


PRECOMPRESS = (".wasm", ".mjs", ".js", ".css", ".html", ".json", ".svg", ".xml", ".zip")


def precompress_site(site_dir: Path, cache_dir: Path = BUILD_CACHE) -> tuple[int, int]:
    """A .gz and .br beside every compressible file (the brotli of the 9.6 MB wasm is cached in build/)."""
    import gzip
    import subprocess

    brotli = shutil.which("brotli")
    if brotli is None:
        raise BuildError(
            "the `brotli` command is missing, so no .br files could be written: install it "
            "(Debian: `apt-get install brotli`; `make serve` and `make test` do this themselves)"
        )
    count = saved = 0
    for path in sorted(site_dir.rglob("*")):
        if not path.is_file() or path.suffix not in PRECOMPRESS:
            continue
        data = path.read_bytes()
        if len(data) < 1024:
            continue
        digest = sha256(data)
        for suffix in (".gz", ".br"):
            target = path.with_name(path.name + suffix)
            cached = cache_dir / "compressed" / f"{digest}{suffix}"
            if not cached.exists():
                if suffix == ".gz":
                    packed = gzip.compress(data, compresslevel=9, mtime=0)
                else:
                    packed = subprocess.run([brotli, "-q", "11", "-w", "24", "-c", str(path)], check=True, capture_output=True).stdout
                cached.parent.mkdir(parents=True, exist_ok=True)
                cached.write_bytes(packed)
            packed = cached.read_bytes()
            if len(packed) >= len(data):
                target.unlink(missing_ok=True)
                continue
            target.write_bytes(packed)
            count += 1
            saved += len(data) - len(packed)
    return count, saved


WORKER_MARKER = "const BUNDLED = null;"
SIZES_MARKER = "const DOWNLOAD_SIZES = {};"


def bundle_worker(site_dir: Path, package: Path, worker: str, downloads: list[Path] | None = None) -> Path:
    """Inline pyodide.mjs into the built worker.js (one request and one round trip fewer before the wasm starts), and
    tell it the size of each file start-up fetches (the total its progress messages report)."""
    import re

    target = site_dir / worker
    script = target.read_text(encoding="utf-8")
    for marker in (WORKER_MARKER, SIZES_MARKER):
        if script.count(marker) != 1:
            raise BuildError(f"site/{worker} must contain `{marker}` exactly once (build.py fills it in)")
    sizes = {path.name: path.stat().st_size for path in downloads or []}
    script = script.replace(SIZES_MARKER, f"const DOWNLOAD_SIZES = {json.dumps(sizes, sort_keys=True)};")
    module = (package / "pyodide.mjs").read_text(encoding="utf-8")
    module = re.sub(r"\n//# sourceMappingURL=\S+\s*$", "\n", module)
    exports = re.search(r"export\s*\{([^}]*)\}\s*;?\s*$", module)
    if not exports:
        raise BuildError(f"{package / 'pyodide.mjs'} does not end with an export list: update bundle_worker() in build.py for this pyodide")
    names = dict(reversed(part.split(" as ")) if " as " in part else (part.strip(), part.strip()) for part in exports.group(1).split(","))
    body = module[: exports.start()]
    bundled = f"const BUNDLED = (() => {{\n{body}\nreturn {{ loadPyodide: {names['loadPyodide'].strip()} }};\n}})();  // pyodide {PYODIDE_VERSION} pyodide.mjs, inlined by build.py"
    target.write_text(script.replace(WORKER_MARKER, bundled), encoding="utf-8")
    return target


def render_embed_pages(site_dir: Path, assets: Assets) -> list[Path]:
    """Chrome-less checker pages at /embed/<program>/ for iframes (language from ?lang=)."""
    hooks = _load_hooks()
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
    from markupsafe import Markup

    import rules

    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(default=True), undefined=StrictUndefined)
    template = env.get_template("embed.html")
    written = []
    for program in rules.PROGRAMS:
        url = f"embed/{program}/"
        root = hooks.root_of(url)
        forms = {}
        for lang in ("en", "ja"):
            urls = hooks.checker_urls(root, program, lang, assets.as_extra())
            urls["share"] = f"{root}{'ja/' if lang == 'ja' else ''}check/{program}/"  # a copied link opens the full checker page
            forms[lang] = Markup(hooks.render_checker(program, lang, f"wc-{program}-{lang}", urls, level=1))
        page = template.render(
            program=program,
            title=rules.PROGRAMS[program].title,
            forms=forms,
            root=root,
            script=root + assets.script,
            css=root + "assets/checker/checker.css",
        )
        target = site_dir / url / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page, encoding="utf-8")
        written.append(target)
    # /embed.js (copied from site/ by MkDocs) learns each program's titles and question names here,
    # so the one-line embed can title its placeholder, reject an unknown program and pick prefills.
    marker = "{/* programs */}"
    script = (ROOT / "site" / "embed.js").read_text(encoding="utf-8")
    if script.count(marker) != 1:
        raise BuildError(f"site/embed.js must contain {marker} exactly once (build.py writes the programs there)")
    programs = {
        program: {"title": rules.PROGRAMS[program].title, "fields": [f["name"] for f in rules.questions(program)["fields"]]}
        for program in rules.PROGRAMS
    }
    (site_dir / "embed.js").write_text(script.replace(marker, json.dumps(programs, ensure_ascii=False)), encoding="utf-8")
    return written


SW_MARKER = "const MANIFEST = null;"
# Kept for offline use: every file of the site (pages, runtime, Material's assets and its search, which every page
# starts), but the generated configs, precompressed twins, source maps and the sitemap (for crawlers).
OFFLINE_SKIP = ("sitemap.xml",)


def write_service_worker(site_dir: Path, script: str = "sw.js") -> tuple[str, int]:
    """Write the offline manifest into the built sw.js: every file a visit may need, by URL, with its content hash,
    and a version derived from those hashes (a new build's service worker installs its own cache)."""
    target = site_dir / script
    text = target.read_text(encoding="utf-8")
    if text.count(SW_MARKER) != 1:
        raise BuildError(f"site/{script} must contain `{SW_MARKER}` exactly once (build.py writes the offline manifest there)")
    files = {}
    skip = (*OFFLINE_SKIP, HEADERS_FILE, f"{DEPLOY_DIR}/", ".build-stamp", script)
    for path in sorted(site_dir.rglob("*")):
        rel = path.relative_to(site_dir).as_posix()
        if not path.is_file() or path.suffix in (".br", ".gz", ".map") or rel.startswith(skip):
            continue
        url = "./" if rel == "index.html" else rel.removesuffix("index.html") if rel.endswith("/index.html") else rel
        files[url] = sha256(path.read_bytes())[:16]
    version = sha256(json.dumps([text, files], sort_keys=True).encode())[:16]  # its own code too: a new one, a new cache
    manifest = json.dumps({"version": version, "files": files}, indent=1, sort_keys=True)
    target.write_text(text.replace(SW_MARKER, f"const MANIFEST = {manifest};"), encoding="utf-8")
    return version, len(files)


def check_citations(site_dir: Path, rules_dir: Path, labels: dict[str, dict[str, dict[str, str]]] | None = None) -> int:
    """Every clause id the rules cite is an element id on both language terms pages of its program, with a label
    (its number and title, which visitors see instead of the id) on both."""
    import rules

    if labels is None:
        labels = _load_hooks().clause_labels()
    problems = []
    cited = cited_clauses(rules_dir)
    for program_id in rules.PROGRAMS:
        prefix = CLAUSE_PREFIX.get(program_id, "")
        wanted = {c for c in cited if c.startswith(prefix)}
        for clause in sorted(wanted):
            for lang, lang_dir in (("en", ""), ("ja", "ja/")):
                if lang not in labels.get(program_id, {}).get(clause, {}):
                    problems.append(
                        f"clause {clause!r} is cited by rules/ but has no label on site/{lang_dir}terms/{program_id}.md: "
                        f"start its paragraph with its number and a short title in bold, e.g. `**5.6 Repair cap.** …` "
                        f"(a section: `## 5. Fees {{#id}}`)"
                    )
        for lang_dir in ("", "ja/"):
            page = site_dir / f"{lang_dir}terms/{program_id}/index.html"
            if not page.exists():
                problems.append(f"{page.relative_to(site_dir)} is missing (write site/{lang_dir}terms/{program_id}.md)")
                continue
            ids = element_ids(page.read_text(encoding="utf-8"))
            for clause in sorted(wanted - ids):
                problems.append(f"clause {clause!r} is cited by rules/ but has no anchor on {page.relative_to(site_dir)}")
    if problems:
        raise BuildError(
            "dangling or unlabelled clause citations:\n  "
            + "\n  ".join(problems)
            + "\nEach cited clause needs `{: #id }` and a `**N.N Title**` in both site/terms and site/ja/terms pages."
        )
    return len(cited)


CLAUSE_PREFIX = {"ismartphones": "ism-", "line-device": "lnd-", "line-byod": "lnb-"}


def cited_clauses(rules_dir: Path) -> set[str]:
    """Clause ids named in rules/ code or data (literals shaped like ism-/lnd-/lnb- ids), every clause a
    scenario's decision cites (ids built at run time, such as f"{prefix}-claim-fee"), and the clauses of
    every question and data parameter."""
    import re
    import tomllib

    import rules

    pattern = re.compile(r"[\"'](?:ism|lnd|lnb)-[a-z0-9-]+[\"']")
    found: set[str] = set()
    for path in [*rules_dir.glob("*.py"), *(rules_dir / "data").glob("*.toml")]:
        found.update(match.strip("\"'") for match in pattern.findall(path.read_text(encoding="utf-8")))
    for path in sorted((rules_dir / "scenarios").glob("*.toml")):
        with open(path, "rb") as handle:
            scenarios = tomllib.load(handle)
        for case in scenarios.get("case", []):
            decision = rules.evaluate(scenarios["program"], case["answers"], today=str(case["today"])).to_dict()
            billing = decision["billing"] or {}
            cited = [*decision["reasons"], *decision["obligations"], *decision["next_steps"]]
            found.update(item["clause"] for item in cited)
            found.update(clause for clause in (billing.get("clause"), billing.get("tax_clause")) if clause)
    for program in rules.PROGRAMS.values():  # what the questions and the data files cite
        found.update(f.clause for f in program.fields if f.clause)
        found.update(param["clause"] for param in rules.terms.load(program.data).params.values())
    return found


def element_ids(page_html: str) -> set[str]:
    """All id="…" values in a page."""
    import re

    return set(re.findall(r'\sid="([^"]+)"', page_html))


# ----------------------------------------------------------------------------- helpers
def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _show_mkdocs_warnings() -> None:
    """MkDocs logs its warnings (the reasons a strict build fails); show them as its CLI would."""
    import logging

    logger = logging.getLogger("mkdocs")
    if not any(getattr(h, "_warranty", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("  mkdocs %(levelname)s: %(message)s"))
        handler.setLevel(logging.WARNING)
        handler._warranty = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)


def _load_hooks():  # type: ignore[no-untyped-def]
    import importlib.util

    spec = importlib.util.spec_from_file_location("warranty_hooks", TEMPLATES / "hooks.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def input_fingerprint() -> str:
    """A hash of every input of the build, so an unchanged tree rebuilds in milliseconds."""
    digest = hashlib.sha256()
    paths = [ROOT / "mkdocs.yml", ROOT / "build.py", ROOT / "package-lock.json"]
    for folder in (RULES, TEMPLATES, ROOT / "site"):
        paths += [p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    for path in sorted(paths):
        digest.update(path.relative_to(ROOT).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


@contextmanager
def step(name: str, timings: list[tuple[str, float, str]]) -> Iterator[Callable[[str], None]]:
    """Time one step and record what it wrote."""
    began = time.perf_counter()
    note: list[str] = [""]
    yield lambda text: note.__setitem__(0, text)
    timings.append((name, time.perf_counter() - began, note[0]))


# ----------------------------------------------------------------------------- recipe
def build(site_dir: Path = PUBLIC, force: bool = False) -> list[tuple[str, float, str]]:
    """The recipe: check runtime → compile python → mkdocs → archive → runtime → embed pages → citations → headers → precompress."""
    timings: list[tuple[str, float, str]] = []
    stamp = site_dir / ".build-stamp"
    fingerprint = input_fingerprint()
    if not force and stamp.exists() and stamp.read_text() == fingerprint:
        return [("up to date", 0.0, f"nothing changed since the last build of {site_dir}")]
    with step("check pyodide", timings) as said:
        package = check_pyodide(PYODIDE_PACKAGE, PYODIDE_VERSION)
        said(f"pyodide {PYODIDE_VERSION}, {len(PYODIDE_FILES)} files verified")
    with step("compile python", timings) as said:
        archive_name, archive, modules = compile_python(package, RULES)
        said(f"{archive_name}: {len(modules)} stdlib modules + rules as bytecode ({len(archive):,} bytes, stored)")
    assets = Assets(
        runtime=f"runtime/pyodide-{PYODIDE_VERSION}/",
        rules=f"runtime/{archive_name}",
        worker="assets/checker/worker.js",
        script="assets/checker/checker.js",
    )
    with step("mkdocs build --strict", timings) as said:
        pages = build_mkdocs(ROOT / "mkdocs.yml", site_dir, assets)
        said(f"{pages} HTML pages")
    with step("write python archive", timings) as said:
        said(str(write_archive(site_dir, archive_name, archive).relative_to(site_dir)))
    with step("copy pyodide runtime", timings) as said:
        files = copy_runtime(package, site_dir / assets.runtime)
        said(f"{len(files)} files, {sum(f.stat().st_size for f in files):,} bytes in {assets.runtime}")
    with step("bundle worker", timings) as said:
        downloads = [site_dir / assets.runtime / "pyodide.asm.wasm", site_dir / assets.rules]
        said(f"pyodide.mjs inlined into {bundle_worker(site_dir, package, assets.worker, downloads).relative_to(site_dir)}")
    with step("render embed pages", timings) as said:
        said(f"{len(render_embed_pages(site_dir, assets))} pages in embed/")
    with step("check clause citations", timings) as said:
        said(f"{check_citations(site_dir, RULES)} cited clause ids found and labelled on both languages' terms pages")
    with step("write service worker", timings) as said:
        version, count = write_service_worker(site_dir)
        said(f"sw.js: offline version {version}, {count} files")
    with step("write headers", timings) as said:
        headers = write_headers(site_dir)
        said(
            f"{HEADERS_FILE} and {DEPLOY_DIR}/nginx.conf: CSP with {len(headers.script_hashes)} script and {len(headers.style_hashes)} style hashes"
        )
    with step("precompress", timings) as said:
        count, saved = precompress_site(site_dir)
        said(f"{count} .gz/.br files ({saved:,} bytes smaller than the originals)")
    stamp.write_text(fingerprint)
    return timings


# ----------------------------------------------------------------------------- response headers: one owner
# Every server we ship (`build.py serve`, the generated nginx.conf, the generated _headers for Netlify and
# Cloudflare Pages) sends the header set computed here, once per build, from the built pages themselves.
LONG_CACHE = "public, max-age=31536000, immutable"  # runtime/: versioned and content-hashed names
REVALIDATE = "no-cache"  # HTML, worker.js, checker.js, …
LONG_CACHE_STATUSES = (200, 206, 304)  # an error is never cached for a year
HEADERS_FILE = "_headers"
DEPLOY_DIR = "_deploy"  # generated server configs; no server of ours serves it
NGINX_TEMPLATE = TEMPLATES / "deploy" / "nginx.conf"
# Inline <script> types that run (a JSON <script>, such as Material's __config, never does).
SCRIPT_TYPES = ("", "module", "text/javascript", "application/javascript")


@dataclass(frozen=True)
class HeaderSet:
    """The security and caching headers of every response, with the CSP hashes of the inline code that must stay inline."""

    script_hashes: tuple[str, ...]
    style_hashes: tuple[str, ...]
    framed: tuple[str, ...]  # the embed pages' folders (/embed/<program>/): any site may frame them

    def csp(self, frame_ancestors: str) -> str:
        """A strict policy: our files, wasm compilation (Pyodide), and the hashed inline scripts (Material's) only."""
        scripts = " ".join(["'self'", "'wasm-unsafe-eval'", *(f"'{h}'" for h in self.script_hashes)])
        styles = " ".join(["'self'", *(f"'{h}'" for h in self.style_hashes)])
        return (
            f"default-src 'self'; script-src {scripts}; style-src {styles}; img-src 'self' data:; font-src 'self'; "
            f"connect-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
            f"frame-ancestors {frame_ancestors}"
        )

    def base(self) -> dict[str, str]:
        """What every response carries unless a rule below says otherwise."""
        return {
            "Content-Security-Policy": self.csp("'self'"),
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
            "Cache-Control": REVALIDATE,
        }

    def rules(self) -> list[tuple[str, dict[str, str]]]:
        """Per-path overrides, in _headers pattern syntax (`/dir/*` or an exact path); no two overlap."""
        return [
            *((f"{folder}*", {"Content-Security-Policy": self.csp("*")}) for folder in self.framed),  # the one-line embed
            ("/runtime/*", {"Cache-Control": LONG_CACHE}),
            ("/embed.js", {"Access-Control-Allow-Origin": "*"}),
        ]  # a cross-origin module script is a CORS fetch

    def for_path(self, path: str, status: int) -> dict[str, str]:
        """The headers of one response (the dev server's view of the same rules)."""
        headers = self.base()
        for pattern, extra in self.rules():
            if path.startswith(pattern[:-1]) if pattern.endswith("/*") else path == pattern:
                headers.update(extra)
                break
        if headers["Cache-Control"] == LONG_CACHE and status not in LONG_CACHE_STATUSES:
            headers["Cache-Control"] = REVALIDATE
        return headers

    @classmethod
    def of_site(cls, site_dir: Path) -> HeaderSet:
        """Hash every inline script and style of the built pages; refuse inline handlers, which no hash allows."""
        import base64
        import re

        scripts: set[str] = set()
        styles: set[str] = set()
        problems = []
        digest = lambda text: "sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()  # noqa: E731
        for page in sorted(site_dir.rglob("*.html")):
            text = page.read_text(encoding="utf-8")
            for attrs, body in re.findall(r"<script\b([^>]*)>(.*?)</script>", text, re.S | re.I):
                kind = re.search(r"\btype=[\"']?([^\"'\s>]+)", attrs)
                if "src=" not in attrs and (kind.group(1).lower() if kind else "") in SCRIPT_TYPES:
                    scripts.add(digest(body))
            styles.update(digest(body) for body in re.findall(r"<style\b[^>]*>(.*?)</style>", text, re.S | re.I))
            if re.search(
                r"\son[a-z]+\s*=|\sstyle\s*=\s*[\"']|href=[\"']?javascript:",
                re.sub(r"<script\b.*?</script>", "", text, flags=re.S | re.I),
                re.I,
            ):
                problems.append(page.relative_to(site_dir).as_posix())
        if problems:
            raise BuildError(
                "inline event handlers, style attributes or javascript: links, which the Content-Security-Policy "
                f"blocks, in: {', '.join(problems[:5])}. Move them into a script or a stylesheet"
            )
        framed = tuple(f"/{page.parent.relative_to(site_dir).as_posix()}/" for page in sorted(site_dir.glob("embed/*/index.html")))
        return cls(tuple(sorted(scripts)), tuple(sorted(styles)), framed)

    @classmethod
    def read(cls, site_dir: Path) -> HeaderSet:
        """The header set the build wrote into _headers (the dev server sends exactly that)."""
        import re

        text = (site_dir / HEADERS_FILE).read_text(encoding="utf-8")
        policy = re.search(r"Content-Security-Policy: (.*)", text)
        if not policy:
            raise BuildError(f"{site_dir / HEADERS_FILE} holds no Content-Security-Policy: run `python build.py --force`")
        script_src = re.search(r"script-src ([^;]*)", policy.group(1)).group(1)  # type: ignore[union-attr]
        style_src = re.search(r"style-src ([^;]*)", policy.group(1)).group(1)  # type: ignore[union-attr]
        hashes = lambda sources: tuple(s.strip("'") for s in sources.split() if s.startswith("'sha256-"))  # noqa: E731
        framed = tuple(
            m.group(1) for m in re.finditer(r"^(/\S*/)\*\n(?:  .*\n)*?  Content-Security-Policy: [^\n]*frame-ancestors \*$", text, re.M)
        )
        return cls(hashes(script_src), hashes(style_src), framed)


def write_headers(site_dir: Path) -> HeaderSet:
    """Compute the header set from the built pages and write it for the static hosts (_headers) and nginx."""
    headers = HeaderSet.of_site(site_dir)
    (site_dir / HEADERS_FILE).write_text(netlify_headers(site_dir, headers), encoding="utf-8")
    deploy = site_dir / DEPLOY_DIR
    deploy.mkdir(exist_ok=True)
    (deploy / "nginx.conf").write_text(nginx_config(headers), encoding="utf-8")
    return headers


def netlify_headers(site_dir: Path, headers: HeaderSet) -> str:
    """_headers with one rule per top-level entry of the site, so that no two rules match one path (Cloudflare Pages
    joins the values of overlapping rules, Netlify lets the last win: with no overlap both send the same)."""
    lines = [
        "# Written by build.py (HeaderSet) for hosts that read a _headers file (Netlify, Cloudflare Pages); do not edit.",
        "# Such hosts send these on every status: the year-long cache of /runtime/* also reaches its 404s there.",
    ]
    rules = dict(headers.rules())
    patterns = ["/"]

    def add(folder: Path) -> None:
        for entry in sorted(folder.iterdir()):
            if entry.name in (HEADERS_FILE, DEPLOY_DIR, ".build-stamp") or entry.suffix in (".br", ".gz"):
                continue
            url = "/" + entry.relative_to(site_dir).as_posix()
            if entry.is_dir() and any(p.startswith(url + "/") and p != url + "/*" for p in rules):
                patterns.append(url + "/")  # a rule inside this folder: list its entries one by one
                add(entry)
            else:
                patterns.append(f"{url}/*" if entry.is_dir() else url)

    add(site_dir)
    for pattern in patterns:
        lines.append(pattern)
        lines += [f"  {name}: {value}" for name, value in {**headers.base(), **rules.get(pattern, {})}.items()]
    return "\n".join(lines) + "\n"


def nginx_config(headers: HeaderSet) -> str:
    """templates/deploy/nginx.conf with the header maps, the add_header lines and the types filled in."""
    import re

    template = NGINX_TEMPLATE.read_text(encoding="utf-8")
    maps, adds = [], []
    names = list(headers.base()) + [n for _, extra in headers.rules() for n in extra if n not in headers.base()]
    for name in dict.fromkeys(names):
        variable = "$wc_" + name.lower().replace("-", "_")
        default = headers.base().get(name, "")
        entries = []
        for pattern, extra in headers.rules():
            if name not in extra:
                continue
            path = f"{re.escape(pattern[:-1])}" if pattern.endswith("/*") else f"{re.escape(pattern)}(\\.br)?$"
            statuses = "(?:" + "|".join(map(str, LONG_CACHE_STATUSES)) + ")" if extra[name] == LONG_CACHE else r"\d{3}"
            entries.append(f'    "~^{statuses} {path}" "{extra[name]}";')
        if entries:
            maps.append(f'map "$status $uri" {variable} {{\n    default "{default}";\n' + "\n".join(entries) + "\n}")
            adds.append(f"add_header {name} {variable} always;")
        else:
            adds.append(f'add_header {name} "{default}" always;')
    types = "\n".join(f"        {value.split(';')[0]} {ext.lstrip('.')};" for ext, value in TYPES.items())
    brotli = "\n".join(
        f"    location ~ \\{ext}\\.br$ {{ internal; gzip_static off; types {{ }} default_type {value.split(';')[0]};\n"
        f"        add_header Content-Encoding br always; add_header Vary Accept-Encoding always; include_headers; }}"
        for ext, value in TYPES.items()
        if ext in PRECOMPRESS
    )
    charset_types = " ".join(sorted({v.split(";")[0] for v in TYPES.values() if "charset" in v} - {"text/html"}))
    text = (
        template.replace("#@maps", "\n".join(maps))
        .replace("#@types", types)
        .replace("#@brotli", brotli)
        .replace("#@charset_types", charset_types)
    )
    text = text.replace("include_headers;", " ".join(adds))
    unknown = re.search(r"#@\S+", text)
    if unknown:
        raise BuildError(f"{NGINX_TEMPLATE} has a marker build.py does not know: {unknown.group()}")
    return text


# ----------------------------------------------------------------------------- serving
UTF8 = "; charset=utf-8"
TYPES = {
    ".wasm": "application/wasm",
    ".mjs": "text/javascript" + UTF8,
    ".js": "text/javascript" + UTF8,
    ".json": "application/json" + UTF8,
    ".zip": "application/zip",
    ".css": "text/css" + UTF8,
    ".html": "text/html" + UTF8,
    ".svg": "image/svg+xml" + UTF8,
    ".ics": "text/calendar" + UTF8,
    ".xml": "application/xml" + UTF8,
    ".map": "application/json" + UTF8,
    ".png": "image/png",
    ".txt": "text/plain" + UTF8,
    ".ico": "image/x-icon",
}


def make_handler(site_dir: Path):  # type: ignore[no-untyped-def]
    """A static handler for site_dir with the MIME types and the headers (HeaderSet, as the build wrote them) a production host sends."""
    import email.utils
    import os
    import re
    from http import HTTPStatus
    from http.server import SimpleHTTPRequestHandler
    from urllib.parse import unquote

    headers = HeaderSet.read(site_dir) if (site_dir / HEADERS_FILE).exists() else None  # None: a plain folder (tests' other origins)
    not_found = site_dir / "404.html"

    class Handler(SimpleHTTPRequestHandler):
        extensions_map: ClassVar[dict[str, str]] = {**SimpleHTTPRequestHandler.extensions_map, **TYPES}
        default_request_version = "HTTP/1.0"  # a reply to an unreadable request line still has a status line (not HTTP/0.9's none)
        status = 0

        def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            super().__init__(*args, directory=str(site_dir), **kwargs)

        def url_path(self) -> str:
            """The request's path without query or fragment ("" before the request line could be read)."""
            return getattr(self, "path", "").split("?", 1)[0].split("#", 1)[0]

        def send_response(self, code: int, message: str | None = None) -> None:
            self.status = int(code)
            super().send_response(code, message)

        def send_head(self):  # type: ignore[no-untyped-def]
            """Serve file.br / file.gz in place of file when the client accepts it (as nginx with our config does)."""
            raw = unquote(self.url_path())
            if "\x00" in raw or not raw.startswith("/"):
                self.send_error(HTTPStatus.BAD_REQUEST, "Bad request path")
                return None
            asked = [*self.requestline.split(" "), "", ""][1].split("?", 1)[0]  # as sent: http.server trims a leading //
            if "//" in asked:
                # /check//x/ would serve the page, but its relative links would resolve against the doubled path
                self.send_response(HTTPStatus.MOVED_PERMANENTLY)
                query = self.path.partition("?")[2]
                self.send_header("Location", re.sub("/{2,}", "/", asked) + (f"?{query}" if query else ""))
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            name = raw.lstrip("/").split("/", 1)[0]
            if name in (HEADERS_FILE, DEPLOY_DIR):
                self.send_error(HTTPStatus.NOT_FOUND)  # the generated configs are not part of the site
                return None
            target = Path(self.translate_path(self.path))
            if target.is_dir() and self.url_path().endswith("/"):
                target = target / "index.html"
            if target.is_dir():
                return super().send_head()  # the redirect to the folder's URL with a slash
            if not target.is_file():
                self.send_error(HTTPStatus.NOT_FOUND)  # no directory listings
                return None
            accepted = accepted_encodings(self.headers.get("Accept-Encoding", ""))
            chosen, encoding = target, None
            if target.suffix in PRECOMPRESS:
                for coding, suffix in (("br", ".br"), ("gzip", ".gz")):
                    variant = target.with_name(target.name + suffix)
                    if coding in accepted and variant.is_file():
                        chosen, encoding = variant, coding
                        break
            handle = open(chosen, "rb")  # copyfile() reads it; the caller closes it
            stat = os.fstat(handle.fileno())
            since = self.headers.get("If-Modified-Since")
            if since and not self.headers.get("If-None-Match"):
                try:
                    if int(stat.st_mtime) <= email.utils.parsedate_to_datetime(since).timestamp():
                        self.send_response(304)
                        self.send_header("Vary", "Accept-Encoding")
                        self.end_headers()
                        handle.close()
                        return None
                except (TypeError, ValueError, IndexError, OverflowError):
                    pass
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(target)))
            if encoding:
                self.send_header("Content-Encoding", encoding)
            self.send_header("Vary", "Accept-Encoding")
            self.send_header("Content-Length", str(stat.st_size))
            self.send_header("Last-Modified", self.date_time_string(int(stat.st_mtime)))
            self.end_headers()
            return handle

        def list_directory(self, path):  # type: ignore[no-untyped-def]
            self.send_error(HTTPStatus.NOT_FOUND)
            return None

        def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
            """A missing page gets the site's 404.html, as nginx's error_page does; other errors the stock short page."""
            if code != HTTPStatus.NOT_FOUND or not not_found.is_file() or getattr(self, "command", "") not in ("GET", "HEAD"):
                super().send_error(code, message, explain)
                return
            body = not_found.read_bytes()
            self.send_response(code, message)
            self.send_header("Content-Type", TYPES[".html"])
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command == "GET":
                self.wfile.write(body)

        def end_headers(self) -> None:
            for name, value in (headers.for_path(self.url_path(), self.status) if headers else {}).items():
                self.send_header(name, value)
            super().end_headers()

        def log_message(self, format: str, *args) -> None:  # type: ignore[no-untyped-def]
            pass

    return Handler


def accepted_encodings(header: str) -> set[str]:
    """The content codings an Accept-Encoding header allows (a q of 0 refuses one)."""
    accepted = set()
    for part in header.split(","):
        coding, _, params = part.partition(";")
        quality = 1.0
        for param in params.split(";"):
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if coding.strip() and quality > 0:
            accepted.add(coding.strip().lower())
    return accepted


def make_server(site_dir: Path, host: str, port: int):  # type: ignore[no-untyped-def]
    """The dev server: threads per connection, and a listen backlog that holds a burst of clients (the default 5 does not)."""
    from http.server import ThreadingHTTPServer

    class Server(ThreadingHTTPServer):
        request_queue_size = 128
        daemon_threads = True

    return Server((host, port), make_handler(site_dir))


def serve_in_background(site_dir: Path, host: str = "127.0.0.1", port: int = 0):  # type: ignore[no-untyped-def]
    """Serve site_dir from a daemon thread, as `serve` does (tests, the benchmark): (server, base URL); port 0 picks a free one."""
    import threading

    server = make_server(site_dir, host, port)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://{host}:{server.server_address[1]}"


def serve_forever(site_dir: Path, host: str, port: int) -> None:
    """Serve the built site until interrupted."""
    server = make_server(site_dir, host, port)
    print(f"serving {site_dir} at http://{host}:{port}/ (Ctrl-C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def report(timings: list[tuple[str, float, str]]) -> None:
    for name, seconds, note in timings:
        print(f"  {name:<24} {seconds:6.2f}s  {note}")
    print(f"  {'total':<24} {sum(t for _, t, _ in timings):6.2f}s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", nargs="?", choices=("build", "serve"), default="build")
    parser.add_argument("--force", action="store_true", help="rebuild even when no input changed")
    parser.add_argument("--site-dir", type=Path, default=PUBLIC, help="where to write the site (default: public/)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    try:
        print(f"building {args.site_dir}")
        report(build(args.site_dir.resolve(), force=args.force))
    except BuildError as exc:
        print(f"build failed: {exc}", file=sys.stderr)
        return 1
    if args.command == "serve":
        serve_forever(args.site_dir.resolve(), args.host, args.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
