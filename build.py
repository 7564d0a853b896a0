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
import zipfile
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
            raise BuildError(f"{path} does not match the pinned pyodide {version} (sha256 {actual[:16]}…, expected {expected[:16]}…): "
                             f"delete node_modules and {INSTALL_HINT}; if you upgraded pyodide on purpose, update PYODIDE_FILES in build.py")
    return package


def pack_rules(rules_dir: Path) -> tuple[str, bytes]:
    """The rules package (code and data, not tests or scenarios) as one zip named by its content hash."""
    members = sorted([*rules_dir.glob("*.py"), *(rules_dir / "data").glob("*.toml")])
    if not (rules_dir / "__init__.py").exists():
        raise BuildError(f"{rules_dir} is not a package (no __init__.py)")
    buffer = _zip({f"rules/{path.relative_to(rules_dir).as_posix()}": path.read_bytes() for path in members})
    return f"rules-{sha256(buffer)[:12]}.zip", buffer


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
        raise BuildError(f"mkdocs build --strict failed: {exc}. Fix the warnings above (broken link, unknown anchor, bad shortcode).") from exc
    return sum(1 for _ in site_dir.rglob("*.html"))


def write_rules(site_dir: Path, name: str, data: bytes) -> Path:
    """Put the packed rules beside the runtime."""
    target = site_dir / "runtime" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return target


def copy_runtime(package: Path, target: Path) -> list[Path]:
    """Copy only the runtime files the worker loads, and a lock file without package entries (we load none)."""
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name in PYODIDE_FILES:
        destination = target / name
        if not destination.exists() or destination.stat().st_size != (package / name).stat().st_size:
            shutil.copyfile(package / name, destination)
        written.append(destination)
    lock = json.loads((package / "pyodide-lock.json").read_text())
    trimmed = target / "pyodide-lock.json"
    trimmed.write_text(json.dumps({"info": lock["info"], "packages": {}}, separators=(",", ":")))
    written.append(trimmed)
    return written


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
        forms = {lang: Markup(hooks.render_checker(program, lang, f"wc-{program}-{lang}", hooks.checker_urls(root, program, lang, assets.as_extra())))
                 for lang in ("en", "ja")}
        page = template.render(program=program, title=rules.PROGRAMS[program].title, forms=forms, root=root,
                               script=root + assets.script, css=root + "assets/checker/checker.css")
        target = site_dir / url / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page, encoding="utf-8")
        written.append(target)
    return written


def check_citations(site_dir: Path, rules_dir: Path) -> int:
    """Every clause id the rules cite is an element id on both language terms pages of its program."""
    import rules

    problems = []
    cited = cited_clauses(rules_dir)
    for program_id in rules.PROGRAMS:
        prefix = CLAUSE_PREFIX.get(program_id, "")
        wanted = {c for c in cited if c.startswith(prefix)}
        for lang_dir in ("", "ja/"):
            page = site_dir / f"{lang_dir}terms/{program_id}/index.html"
            if not page.exists():
                problems.append(f"{page.relative_to(site_dir)} is missing (write site/{lang_dir}terms/{program_id}.md)")
                continue
            ids = element_ids(page.read_text(encoding="utf-8"))
            for clause in sorted(wanted - ids):
                problems.append(f"clause {clause!r} is cited by rules/ but has no anchor on {page.relative_to(site_dir)}")
    if problems:
        raise BuildError("dangling clause citations:\n  " + "\n  ".join(problems) + "\nAdd `{: #id }` to the clause in both site/terms and site/ja/terms pages.")
    return len(cited)


CLAUSE_PREFIX = {"ismartphones": "ism-", "line-device": "lnd-", "line-byod": "lnb-"}


def cited_clauses(rules_dir: Path) -> set[str]:
    """Clause ids named anywhere in rules/ code or data (string literals shaped like ism-/lnd-/lnb- ids)."""
    import re

    pattern = re.compile(r"[\"'](?:ism|lnd|lnb)-[a-z0-9-]+[\"']")
    found: set[str] = set()
    for path in [*rules_dir.glob("*.py"), *(rules_dir / "data").glob("*.toml")]:
        found.update(match.strip("\"'") for match in pattern.findall(path.read_text(encoding="utf-8")))
    return found


def element_ids(page_html: str) -> set[str]:
    """All id="…" values in a page."""
    import re

    return set(re.findall(r'\sid="([^"]+)"', page_html))


# ----------------------------------------------------------------------------- helpers
def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _zip(members: dict[str, bytes]) -> bytes:
    """A reproducible zip (fixed timestamps, sorted names) so the same rules give the same hash."""
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(members):
            info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, members[name])
    return buffer.getvalue()


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
    """The recipe: check runtime → pack rules → mkdocs → rules → runtime → embed pages → citations."""
    timings: list[tuple[str, float, str]] = []
    stamp = site_dir / ".build-stamp"
    fingerprint = input_fingerprint()
    if not force and stamp.exists() and stamp.read_text() == fingerprint:
        return [("up to date", 0.0, f"nothing changed since the last build of {site_dir}")]
    with step("check pyodide", timings) as said:
        package = check_pyodide(PYODIDE_PACKAGE, PYODIDE_VERSION)
        said(f"pyodide {PYODIDE_VERSION}, {len(PYODIDE_FILES)} files verified")
    with step("pack rules", timings) as said:
        rules_name, rules_zip = pack_rules(RULES)
        said(f"{rules_name} ({len(rules_zip):,} bytes)")
    assets = Assets(runtime=f"runtime/pyodide-{PYODIDE_VERSION}/", rules=f"runtime/{rules_name}",
                    worker="assets/checker/worker.js", script="assets/checker/checker.js")
    with step("mkdocs build --strict", timings) as said:
        pages = build_mkdocs(ROOT / "mkdocs.yml", site_dir, assets)
        said(f"{pages} HTML pages")
    with step("write rules archive", timings) as said:
        said(str(write_rules(site_dir, rules_name, rules_zip).relative_to(site_dir)))
    with step("copy pyodide runtime", timings) as said:
        files = copy_runtime(package, site_dir / assets.runtime)
        said(f"{len(files)} files, {sum(f.stat().st_size for f in files):,} bytes in {assets.runtime}")
    with step("render embed pages", timings) as said:
        said(f"{len(render_embed_pages(site_dir, assets))} pages in embed/")
    with step("check clause citations", timings) as said:
        said(f"{check_citations(site_dir, RULES)} cited clause ids found on both languages' terms pages")
    stamp.write_text(fingerprint)
    return timings


# ----------------------------------------------------------------------------- serving
TYPES = {".wasm": "application/wasm", ".mjs": "text/javascript", ".js": "text/javascript", ".json": "application/json",
         ".zip": "application/zip", ".css": "text/css", ".html": "text/html; charset=utf-8", ".svg": "image/svg+xml",
         ".ics": "text/calendar", ".xml": "application/xml"}


def make_handler(site_dir: Path):  # type: ignore[no-untyped-def]
    """A static handler for site_dir with the MIME types and cache headers a production host would send."""
    from http.server import SimpleHTTPRequestHandler

    class Handler(SimpleHTTPRequestHandler):
        extensions_map: ClassVar[dict[str, str]] = {**SimpleHTTPRequestHandler.extensions_map, **TYPES}

        def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            super().__init__(*args, directory=str(site_dir), **kwargs)

        def end_headers(self) -> None:
            path = self.path.split("?", 1)[0]
            if "/runtime/" in path:
                self.send_header("Cache-Control", "public, max-age=31536000, immutable")  # versioned or content-hashed names
            else:
                self.send_header("Cache-Control", "no-cache")
            self.send_header("X-Content-Type-Options", "nosniff")
            super().end_headers()

        def log_message(self, format: str, *args) -> None:  # type: ignore[no-untyped-def]
            pass

    return Handler


def serve_forever(site_dir: Path, host: str, port: int) -> None:
    """Serve the built site until interrupted."""
    from http.server import ThreadingHTTPServer

    server = ThreadingHTTPServer((host, port), make_handler(site_dir))
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
