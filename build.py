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
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

sys.modules.setdefault("build", sys.modules[__name__])  # run as a script, it is still the `build` that templates/ imports
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
    script: str  # checker.js, the page part, which imports the worker client:
    client: str  # client.js; both are modulepreloaded and fetched ahead (the first answer needs them)

    def as_extra(self) -> dict[str, Any]:
        """As mkdocs.yml's extra.checker_assets: every path, and the modules the first answer needs, in load order."""
        return asdict(self) | {"modules": [self.script, self.client]}


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
# Imported lazily or only on paths the trace may not take (codec lookups, error formatting): always kept.
# (Not encodings.idna and stringprep: only asyncio's and ssl's host names need them, and neither is loaded.)
EXTRA_MODULES = (
    "encodings.ascii",
    "encodings.latin_1",
    "encodings.utf_8_sig",
    "traceback",
    "linecache",
    "tokenize",
    "token",
    "_colorize",
    "textwrap",
)
# Imported at start-up only inside `try: import … except ImportError` (asyncio for ssl; shutil and zipfile
# for the compressors), and never used by the checker: left out, they are not loaded at all (~25 ms).
# difflib: traceback imports it only to suggest a keyword for a mistyped one in a SyntaxError, inside
# `with suppress(Exception)`; the checker compiles no code, and a SyntaxError is still reported without it.
OPTIONAL_MODULES = ("ssl", "bz2", "lzma", "compression.zstd", "difflib")
# The standard library is compiled as `python -OO` would (no docstrings, no asserts): a smaller archive
# and less to unmarshal. Pyodide's own packages too: the one docstring it reads at run time, a JsProxy
# method's for help(), falls back to the signature alone (_pyodide/docstring.py). The rules keep theirs.
# Files listed here (archive-relative prefixes such as "pyodide/") would keep their docstrings and asserts.
KEEP_DOCSTRINGS: tuple[str, ...] = ()
# The three programs of this step are real files (linted, read here; their text is in the cache key):
# boot.py (imported by the worker), compile.cjs (Node: trace and compile), compiler.py (runs inside Pyodide).
ARCHIVE_TEMPLATES = TEMPLATES / "archive"
BOOT_FILE, COMPILE_SCRIPT_FILE, COMPILER_FILE = (ARCHIVE_TEMPLATES / name for name in ("boot.py", "compile.cjs", "compiler.py"))


def boot_constant(name: str) -> str:
    """A string constant of boot.py, read without running it: boot.py owns the values it starts from."""
    import ast

    for node in ast.parse(BOOT_FILE.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and [getattr(t, "id", None) for t in node.targets] == [name]:
            return ast.literal_eval(node.value)
    raise BuildError(f"{BOOT_FILE} defines no {name} = '…'")


APP_PREFIX = boot_constant("APP_DIR") + "/"  # the rules' bytecode and data inside the archive (on sys.path as a folder)


# The command line, the scenario reader (tests, build, benchmark) and the interface words with their table (the
# build writes those into the scripts): the browser's Python never imports them.
NOT_IN_BROWSER = ("__main__.py", "cases.py", "words.py", "words.toml")


def rules_sources(rules_dir: Path) -> dict[str, str]:
    """The rules package as the browser needs it: code, and each data file's tables as JSON (no TOML parser to load
    there; rules.terms reads whichever the package holds), not tests or scenarios."""
    import tomllib

    if not (rules_dir / "__init__.py").exists():
        raise BuildError(f"{rules_dir} is not a package (no __init__.py)")
    code = [path for path in sorted(rules_dir.glob("*.py")) if path.name not in NOT_IN_BROWSER]
    sources = {f"rules/{path.name}": path.read_text(encoding="utf-8") for path in code}
    for path in sorted((rules_dir / "data").glob("*.toml")):
        if path.name in NOT_IN_BROWSER:
            continue
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
    from rules.cases import ScenarioError, load_cases

    try:
        return [[case.program, case.answers, case.today] for case in load_cases(folder=rules_dir / "scenarios")]
    except ScenarioError as exc:
        raise BuildError(f"a scenario file is broken: {exc}") from None


PYODIDE_EDITS = ARCHIVE_TEMPLATES / "pyodide_edits.toml"


def pyodide_edits(path: Path = PYODIDE_EDITS) -> list[dict[str, str]]:
    """The edits to Pyodide's own Python, as data: file, the exact snippet to find, its replacement, why."""
    import tomllib

    edits = tomllib.loads(path.read_text(encoding="utf-8")).get("edit", [])
    for number, edit in enumerate(edits, 1):
        if not {"file", "find", "replace", "why"} <= set(edit) or not edit["find"]:
            raise BuildError(f"{path}: edit {number} needs file, find (not empty), replace and why")
    return edits


def edit_sources(sources: dict[str, str], edits: list[dict[str, str]]) -> dict[str, str]:
    """The edited files' new text. A snippet that is not found exactly once stops the build: the pinned files are
    not what the edit was written for, and guessing would ship a Pyodide nobody has read."""
    edited: dict[str, str] = {}
    for edit in edits:
        name, find = edit["file"], edit["find"]
        text = edited.get(name, sources.get(name))
        if text is None:
            raise BuildError(f"{PYODIDE_EDITS.name}: {name} is not in pyodide {PYODIDE_VERSION}'s python_stdlib.zip; drop or move the edit")
        count = text.count(find)
        if count != 1:
            raise BuildError(
                f"{name} in pyodide {PYODIDE_VERSION}'s python_stdlib.zip has the snippet below {count} times, not once:\n"
                f"{find}\nRead that file of the new version and update (or drop) the edit in {PYODIDE_EDITS}"
            )
        edited[name] = text.replace(find, edit["replace"])
    return edited


def edited_stdlib(package: Path, edits: list[dict[str, str]], target: Path) -> Path:
    """python_stdlib.zip of the pinned package with the edits applied (the other members unchanged): what is traced and compiled."""
    import zipfile

    with zipfile.ZipFile(package / "python_stdlib.zip") as stock:
        names = {edit["file"] for edit in edits}
        edited = edit_sources({name: stock.read(name).decode("utf-8") for name in names if name in stock.namelist()}, edits)
        with zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as out:
            for info in stock.infolist():
                out.writestr(info, edited[info.filename].encode("utf-8") if info.filename in edited else stock.read(info))
    return target


def compile_python(package: Path, rules_dir: Path, cache_dir: Path = BUILD_CACHE) -> tuple[str, bytes, list[str]]:
    """The archive `python-<hash>.zip` (trimmed stdlib + rules, bytecode compiled by the pinned Pyodide under Node).

    Cached in build/ by everything it depends on, so an unchanged tree does not start Node again.
    """
    sources = rules_sources(rules_dir)
    script = COMPILE_SCRIPT_FILE.read_text(encoding="utf-8")
    spec = {
        "rules": sources,
        "cases": scenario_inputs(rules_dir),
        "extra": list(EXTRA_MODULES),
        "optional": list(OPTIONAL_MODULES),
        "keep_docstrings": list(KEEP_DOCSTRINGS),
        "boot": BOOT_FILE.read_text(encoding="utf-8"),
        "app_prefix": APP_PREFIX,
        "stdlib": STDLIB_ZIP_PATH,
        "compiler": COMPILER_FILE.read_text(encoding="utf-8"),
    }
    edits = pyodide_edits()
    key = sha256(json.dumps([PYODIDE_VERSION, PYODIDE_FILES, script, spec, edits], sort_keys=True).encode())[:16]
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
            given, out = Path(tmp, "input.json"), Path(tmp, "out.zip")
            given.write_text(json.dumps({**spec, "stdlib_zip": str(edited_stdlib(package, edits, Path(tmp, "stdlib.zip")).resolve())}))
            done = subprocess.run(
                [node, str(COMPILE_SCRIPT_FILE), str(package.resolve()), str(given), str(out)], capture_output=True, text=True
            )
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


def splice(path: Path, values: dict[str, str]) -> Path:
    """Write build-time values into a shipped script: its one line `const NAME = null;` (or `= {};`) becomes
    `const NAME = <value>;`. The one way the build injects into JS, so each script says what the build fills in."""
    import re

    text = path.read_text(encoding="utf-8")
    for name, value in values.items():
        line = re.compile(rf"^const {name} = (?:null|\{{\}});.*$", re.M)
        if len(line.findall(text)) != 1:
            raise BuildError(f"{path} must declare `const {name} = null;` exactly once, on a line of its own: build.py fills it in")
        filled = f"const {name} = {value};"
        text = line.sub(lambda _, filled=filled: filled, text)  # a function: the value's backslashes stay as written
    path.write_text(text, encoding="utf-8")
    return path


def bundle_worker(site_dir: Path, package: Path, worker: str, downloads: list[Path] | None = None) -> Path:
    """Inline pyodide.mjs into the built worker.js (one request and one round trip fewer before the wasm starts), with
    the pinned lock file's info (no request for it) and the size of each file start-up fetches (its progress total)."""
    import re

    module = (package / "pyodide.mjs").read_text(encoding="utf-8")
    module = re.sub(r"\n//# sourceMappingURL=\S+\s*$", "\n", module)
    exports = re.search(r"export\s*\{([^}]*)\}\s*;?\s*$", module)
    if not exports:
        raise BuildError(f"{package / 'pyodide.mjs'} does not end with an export list: update bundle_worker() in build.py for this pyodide")
    names = dict(reversed(part.split(" as ")) if " as " in part else (part.strip(), part.strip()) for part in exports.group(1).split(","))
    body = module[: exports.start()]
    bundled = (
        f"(() => {{\n{body}\nreturn {{ loadPyodide: {names['loadPyodide'].strip()} }};\n}})()  // pyodide {PYODIDE_VERSION} "
        "pyodide.mjs, inlined by build.py"
    )
    sizes = {path.name: path.stat().st_size for path in downloads or []}
    return splice(
        site_dir / worker,
        {
            "LOCK_INFO": json.dumps(lock_info(package), sort_keys=True),
            "DOWNLOAD_SIZES": json.dumps(sizes, sort_keys=True),
            "BUNDLED": bundled,
        },
    )


def fill_scripts(site_dir: Path, assets: Assets) -> list[Path]:
    """The words of rules/data/words.toml into checker.js (with rules/fmt.py's month names) and /embed.js, and into
    /embed.js each program's titles and question names (so the one-line embed can title its placeholder, reject an
    unknown program and pick prefills)."""
    import rules
    from rules import fmt, words

    programs = {
        program: {"title": rules.PROGRAMS[program].title, "fields": [f["name"] for f in rules.questions(program)["fields"]]}
        for program in rules.PROGRAMS
    }
    return [
        splice(
            site_dir / assets.script,
            {"WORDS": words.script_json("status", "loading", "form", "card", "actions"), "MONTHS": json.dumps(fmt.MONTHS)},
        ),
        splice(site_dir / "embed.js", {"PROGRAMS": json.dumps(programs, ensure_ascii=False), "WORDS": words.script_json("embed")}),
    ]


# Kept for offline use: every file of the site (pages, runtime, Material's assets and its search, which every page
# starts), but the generated configs, precompressed twins, source maps and the sitemap (for crawlers).
OFFLINE_SKIP = ("sitemap.xml",)


def write_service_worker(site_dir: Path, script: str = "sw.js") -> tuple[str, int]:
    """Write the offline manifest into the built sw.js: every file a visit may need, by URL, with its content hash,
    and a version derived from those hashes (a new build's service worker installs its own cache)."""
    target = site_dir / script
    text = target.read_text(encoding="utf-8")
    files = {}
    skip = (*OFFLINE_SKIP, serving.HEADERS_FILE, f"{serving.DEPLOY_DIR}/", ".build-stamp", script)
    for path in sorted(site_dir.rglob("*")):
        rel = path.relative_to(site_dir).as_posix()
        if not path.is_file() or path.suffix in (".br", ".gz", ".map") or rel.startswith(skip):
            continue
        url = "./" if rel == "index.html" else rel.removesuffix("index.html") if rel.endswith("/index.html") else rel
        files[url] = sha256(path.read_bytes())[:16]
    version = sha256(json.dumps([text, files], sort_keys=True).encode())[:16]  # its own code too: a new one, a new cache
    manifest = json.dumps({"version": version, "files": files}, indent=1, sort_keys=True)
    splice(target, {"MANIFEST": manifest})
    return version, len(files)


def encoded_clauses() -> dict[str, set[str]]:
    """Each program's clauses as its data file lists them (`clauses`: the rules refuse to cite any other), with its questions'."""
    import rules

    return {
        program_id: set(rules.terms.load(program.data).clauses) | {f.clause for f in program.fields if f.clause}
        for program_id, program in rules.PROGRAMS.items()
    }


def check_citations(
    site_dir: Path, clauses: dict[str, set[str]] | None = None, labels: dict[str, dict[str, dict[str, str]]] | None = None
) -> int:
    """Every clause a program encodes is an element id on both language terms pages of its program, with a label
    (its number and title, which visitors see instead of the id) on both."""
    if clauses is None:
        clauses = encoded_clauses()
    if labels is None:
        labels = _load_hooks().clause_labels()
    problems = []
    for program_id, wanted in clauses.items():
        for clause in sorted(wanted):
            for lang, lang_dir in (("en", ""), ("ja", "ja/")):
                if lang not in labels.get(program_id, {}).get(clause, {}):
                    problems.append(
                        f"clause {clause!r} is encoded by rules/ but has no label on site/{lang_dir}terms/{program_id}.md: "
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
                problems.append(f"clause {clause!r} is encoded by rules/ but has no anchor on {page.relative_to(site_dir)}")
    if problems:
        raise BuildError(
            "dangling or unlabelled clause citations:\n  "
            + "\n  ".join(problems)
            + "\nEach clause in a rules/data file's `clauses` needs `{: #id }` and a `**N.N Title**` in both site/terms and "
            "site/ja/terms pages."
        )
    return sum(len(wanted) for wanted in clauses.values())


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


def _load_module(name: str, path: Path):  # type: ignore[no-untyped-def]
    """A module of templates/ (it is not a package): the MkDocs hooks, the serving code."""
    import importlib.util

    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _load_hooks():  # type: ignore[no-untyped-def]
    return _load_module("warranty_hooks", TEMPLATES / "hooks.py")


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
    """The recipe: check runtime → compile python → mkdocs (and the embed pages) → archive → runtime → worker → scripts →
    citations → service worker → headers → precompress."""
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
        client="assets/checker/client.js",
    )
    with step("mkdocs build --strict", timings) as said:
        pages = build_mkdocs(ROOT / "mkdocs.yml", site_dir, assets)
        said(f"{pages} HTML pages (the embed pages included: templates/hooks.py renders them)")
    with step("write python archive", timings) as said:
        said(str(write_archive(site_dir, archive_name, archive).relative_to(site_dir)))
    with step("copy pyodide runtime", timings) as said:
        files = copy_runtime(package, site_dir / assets.runtime)
        said(f"{len(files)} files, {sum(f.stat().st_size for f in files):,} bytes in {assets.runtime}")
    with step("bundle worker", timings) as said:
        downloads = [site_dir / assets.runtime / "pyodide.asm.wasm", site_dir / assets.rules]
        said(f"pyodide.mjs inlined into {bundle_worker(site_dir, package, assets.worker, downloads).relative_to(site_dir)}")
    with step("fill scripts", timings) as said:
        filled = fill_scripts(site_dir, assets)
        said(f"{', '.join(str(p.relative_to(site_dir)) for p in filled)}: the words of every interface, each program's questions")
    with step("check clause citations", timings) as said:
        said(f"{check_citations(site_dir)} encoded clauses found and labelled on both languages' terms pages")
    with step("write service worker", timings) as said:
        version, count = write_service_worker(site_dir)
        said(f"sw.js: offline version {version}, {count} files")
    with step("write headers", timings) as said:
        headers = serving.write_headers(site_dir)
        said(
            f"{serving.HEADERS_FILE} and {serving.DEPLOY_DIR}/nginx.conf: "
            f"CSP with {len(headers.script_hashes)} script and {len(headers.style_hashes)} style hashes"
        )
    with step("precompress", timings) as said:
        count, saved = precompress_site(site_dir)
        said(f"{count} .gz/.br files ({saved:,} bytes smaller than the originals)")
    stamp.write_text(fingerprint)
    return timings


def report(timings: list[tuple[str, float, str]]) -> None:
    for name, seconds, note in timings:
        print(f"  {name:<24} {seconds:6.2f}s  {note}")
    print(f"  {'total':<24} {sum(t for _, t, _ in timings):6.2f}s")


serving = _load_module("warranty_serving", TEMPLATES / "deploy" / "serving.py")


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
        serving.serve_forever(args.site_dir.resolve(), args.host, args.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
