"""The compiled Python archive (python-<hash>.zip): trimmed, bytecode only, uncompressed, and nothing needed is missing."""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
import tomllib
import zipfile
from pathlib import Path

import pytest

import build

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def archive(public_dir: Path) -> zipfile.ZipFile:
    return zipfile.ZipFile(next((public_dir / "runtime").glob("python-*.zip")))


def stock_modules() -> set[str]:
    """Module names the stock python_stdlib.zip provides as sources (anything else is built into Pyodide)."""
    names = set()
    for name in zipfile.ZipFile(build.PYODIDE_PACKAGE / "python_stdlib.zip").namelist():
        if name.endswith(".py"):
            names.add(name[:-3].removesuffix("/__init__").replace("/", "."))
    return names


def archived_modules(archive: zipfile.ZipFile) -> set[str]:
    return {
        n[:-4].removesuffix("/__init__").replace("/", ".")
        for n in archive.namelist()
        if n.endswith(".pyc") and not n.startswith(build.APP_PREFIX)
    }


def test_the_archive_is_bytecode_only_and_stored_uncompressed(archive: zipfile.ZipFile) -> None:
    infos = archive.infolist()
    assert all(info.compress_type == zipfile.ZIP_STORED for info in infos)  # served as .br/.gz instead
    stdlib = [i.filename for i in infos if not i.filename.startswith(build.APP_PREFIX)]
    assert stdlib and all(name.endswith(".pyc") for name in stdlib)
    assert len(stdlib) < len(stock_modules()) / 2  # trimmed
    for info in infos:
        if info.filename.endswith(".pyc"):
            assert archive.read(info)[:4] == archive.read("_warranty_boot.pyc")[:4]  # one magic number: Pyodide's 3.14


def test_every_module_the_rules_import_is_in_the_archive(archive: zipfile.ZipFile) -> None:
    """Static: every stdlib module named by an import anywhere in rules/ (functions included; not the CLI's
    __main__.py, which the browser never runs), and its parents."""
    have, stock = archived_modules(archive), stock_modules()
    wanted = set()
    for path in build.RULES.glob("*.py"):
        if path.name == "__main__.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                wanted.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                wanted.add(node.module)
    wanted = {".".join(name.split(".")[: i + 1]) for name in wanted for i in range(name.count(".") + 1)}
    wanted.discard("tomllib")  # rules.terms reads TOML only where the data is TOML; the archive holds JSON
    missing = sorted(name for name in wanted & stock if name not in have)
    assert not missing, f"rules/ imports {missing} but the archive lacks them: add them to build.EXTRA_MODULES"


def test_the_rules_bytecode_and_data_are_in_the_archive(archive: zipfile.ZipFile) -> None:
    """Every module as bytecode and every data file as the JSON of its TOML tables, under _app/ (imported from there)."""
    names = set(archive.namelist())
    assert {f"{build.APP_PREFIX}rules/{path.stem}.pyc" for path in build.RULES.glob("*.py")} <= names
    for path in sorted((build.RULES / "data").glob("*.toml")):
        copy = json.loads(archive.read(f"{build.APP_PREFIX}rules/data/{path.stem}.json"))
        assert copy == tomllib.loads(path.read_text(encoding="utf-8")), path.name
    assert not [n for n in names if n.endswith((".py", ".toml"))]  # no sources, no TOML parser needed


def test_a_toml_date_in_the_data_stops_the_build_with_what_to_do(tmp_path: Path) -> None:
    """The archive carries the data as JSON: a value JSON cannot hold as is must be caught at build time."""
    (tmp_path / "rules" / "data").mkdir(parents=True)
    (tmp_path / "rules" / "__init__.py").write_text("")
    (tmp_path / "rules" / "data" / "dated.toml").write_text("[params.start]\nclause = 'x'\nvalues = { '2000-01-01' = 2026-04-01 }\n")
    with pytest.raises(build.BuildError, match=r"dated\.toml holds a value JSON cannot carry.*write it as a string"):
        build.rules_sources(tmp_path / "rules")


def test_pyodide_starts_from_the_archive_alone_and_answers_every_scenario(archive: zipfile.ZipFile, tmp_path: Path) -> None:
    """Dynamic: the pinned Pyodide under Node, given only our archive as its standard library (and an inline
    lock file, as the worker does), starts, imports the rules and gives CPython's decision for every scenario;
    the optional modules left out are not loaded, and the standard library carries no docstrings."""
    node = shutil.which("node")
    assert node, "node is not installed (the build needs it too)"
    import rules

    cases = build.scenario_inputs(build.RULES)
    (tmp_path / "cases.json").write_text(json.dumps(cases))
    script = tmp_path / "run.cjs"
    script.write_text("""
const fs = require("fs");
const [pkg, zip, casesPath] = process.argv.slice(2);
const { loadPyodide } = require(pkg + "/pyodide.js");
(async () => {
  const info = JSON.parse(fs.readFileSync(pkg + "/pyodide-lock.json", "utf8")).info;
  const py = await loadPyodide({ indexURL: pkg + "/", stdLibURL: zip, lockFileContents: { info, packages: {} }, packages: [], args: ["-S"] });
  const evaluate = py.runPython("import _warranty_boot\\n_warranty_boot.evaluate_json");
  const out = JSON.parse(fs.readFileSync(casesPath, "utf8")).map(([p, a, t]) => JSON.parse(evaluate(p, JSON.stringify(a), t)));
  try { py.runPython("raise ValueError('tracebacks format too')"); } catch (error) { if (!String(error).includes("tracebacks format too")) throw error; }
  const loaded = JSON.parse(py.runPython("import json, sys, typing\\njson.dumps([sorted(sys.modules), typing.__doc__])"));
  process.stdout.write(JSON.stringify({ out, loaded }));
})().catch((error) => { console.error(String(error && error.stack || error)); process.exit(1); });
""")
    done = subprocess.run(
        [node, str(script), str(build.PYODIDE_PACKAGE.resolve()), archive.filename, str(tmp_path / "cases.json")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    got = json.loads(done.stdout)
    modules, typing_doc = got["loaded"]
    assert not [m for m in modules if m.split(".")[0] in build.OPTIONAL_MODULES or m.startswith(build.OPTIONAL_MODULES)]
    assert "asyncio" in modules and typing_doc is None  # Pyodide's start-up ran without them; compiled as -OO
    for (program, answers, today), decision in zip(cases, got["out"], strict=True):
        assert decision == json.loads(json.dumps(rules.evaluate(program, answers, today=today).to_dict())), (program, answers)


def test_the_worker_inlines_pyodide_and_the_pinned_lock_info(public_dir: Path) -> None:
    worker = (public_dir / "assets" / "checker" / "worker.js").read_text()
    assert "const BUNDLED = null;" not in worker and "loadPyodide" in worker
    assert f"const LOCK_INFO = {json.dumps(build.lock_info(build.PYODIDE_PACKAGE), sort_keys=True)};" in worker


def test_a_missing_node_stops_the_build_with_what_to_do(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(build.shutil, "which", lambda name: None)
    with pytest.raises(build.BuildError, match=r"`node` is not on PATH.*Install Node"):
        build.compile_python(build.PYODIDE_PACKAGE, build.RULES, cache_dir=tmp_path)
