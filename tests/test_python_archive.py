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


def test_every_module_the_rules_import_is_in_the_archive(archive: zipfile.ZipFile, in_node: dict) -> None:
    """Static: every stdlib module named by an import anywhere in rules/ (functions included; not in the modules the
    browser never runs, build.NOT_IN_BROWSER), and its parents, unless Pyodide has it built in (os is frozen)."""
    built_in = {name for name, (_kind, origin) in in_node["startup"].items() if origin in ("built-in", "frozen")}
    have, stock = archived_modules(archive) | built_in, stock_modules()
    wanted = set()
    for path in build.RULES.glob("*.py"):
        if path.name in build.NOT_IN_BROWSER:
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
    code = {path.name: f"{build.APP_PREFIX}rules/{path.stem}.pyc" for path in build.RULES.glob("*.py")}
    assert {member for name, member in code.items() if name not in build.NOT_IN_BROWSER} <= names
    assert not {member for name, member in code.items() if name in build.NOT_IN_BROWSER} & names  # they stay home
    for path in sorted((build.RULES / "data").glob("*.toml")):
        if path.name in build.NOT_IN_BROWSER:
            assert f"{build.APP_PREFIX}rules/data/{path.stem}.json" not in names
            continue
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


NESTED = {"plan": "line-byod", "fees": [4000, {"tax": [400, 0.1], "waived": False}], "shop": {"hours": [10, 19], "open": True}}


def refusals(cases: list[list]) -> list[list]:
    """The error paths a visitor can reach: an unknown program, answers that are not JSON or not an object, an invalid
    answer (each answer of a real case replaced by nonsense) and a claim date that is not a date."""
    program, answers, today = cases[0]
    return [
        ["no-such-program", "{}", None],
        [program, "{", today],
        [program, "[1, 2]", today],
        [program, json.dumps(dict.fromkeys(answers, "??")), today],
        [program, json.dumps(answers), "2026-13-45"],
    ]


def run_in_node(zip_path: str, tmp: Path) -> dict:
    """tests/archive_run.cjs: the pinned Pyodide started from `zip_path` alone, as the worker starts it."""
    node = shutil.which("node")
    assert node, "node is not installed (the build needs it too)"
    cases = build.scenario_inputs(build.RULES)
    given = tmp / "input.json"
    given.write_text(json.dumps({"cases": cases, "refusals": refusals(cases), "nested": NESTED}))
    done = subprocess.run(
        [node, str(ROOT / "tests" / "archive_run.cjs"), str(build.PYODIDE_PACKAGE.resolve()), zip_path, str(given)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def in_node(archive: zipfile.ZipFile, tmp_path_factory: pytest.TempPathFactory) -> dict:
    return run_in_node(archive.filename, tmp_path_factory.mktemp("archive"))


@pytest.fixture(scope="module")
def in_node_with_the_whole_stdlib(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The same run with Pyodide's whole standard library (as edited), plus our boot module and the rules: the
    reference for what the archive must hold."""
    tmp = tmp_path_factory.mktemp("whole")
    edited = build.edited_stdlib(build.PYODIDE_PACKAGE, build.pyodide_edits(), tmp / "edited.zip")
    whole = tmp / "stdlib.zip"
    with zipfile.ZipFile(edited) as source, zipfile.ZipFile(whole, "w", zipfile.ZIP_STORED) as out:  # stored, as ours
        for name in source.namelist():  # (a deflated zip would have zipimport load zlib)
            out.writestr(name, source.read(name))
        out.writestr("_warranty_boot.py", build.BOOT_FILE.read_text(encoding="utf-8"))
        for rel, text in build.rules_sources(build.RULES).items():
            out.writestr(build.APP_PREFIX + rel, text)
    return run_in_node(str(whole), tmp)


def test_pyodide_starts_from_the_archive_alone_and_answers_every_scenario(in_node: dict) -> None:
    """Dynamic: given only our archive as its standard library (and an inline lock file, as the worker does), the
    pinned Pyodide starts, imports the rules and gives CPython's decision for every scenario; the optional modules left
    out are not loaded, and the standard library carries no docstrings."""
    import rules

    cases = build.scenario_inputs(build.RULES)
    modules = in_node["end"]
    assert not [m for m in modules if m.split(".")[0] in build.OPTIONAL_MODULES or m.startswith(build.OPTIONAL_MODULES)]
    assert in_node["typingDoc"] == "None"  # compiled as -OO
    assert len(in_node["scenarios"]) == len(cases) > 0
    for (program, answers, today), decision in zip(cases, in_node["scenarios"], strict=True):
        assert decision == json.loads(json.dumps(rules.evaluate(program, answers, today=today).to_dict())), (program, answers)


def test_the_error_paths_answer_as_in_cpython(in_node: dict) -> None:
    """An unknown program, unreadable answers, an invalid answer and a bad date: the same refusal as CPython gives."""
    import rules

    cases = build.scenario_inputs(build.RULES)
    for (program, text, today), got in zip(refusals(cases), in_node["refusals"], strict=True):
        decision = json.loads(got)
        assert decision["status"] in ("invalid", "incomplete"), (program, text, today)
        assert decision == json.loads(rules.evaluate_json(program, text, today)), (program, text, today)


def test_js_and_python_values_convert_both_ways(in_node: dict) -> None:
    """Pyodide's own conversions still work with its edited modules: toPy/toJs of nested values, a JS object used from
    Python, a JS function called from Python, a Python function called from JS (with keywords)."""
    assert in_node["toPy"] == repr(NESTED)  # JS objects and arrays arrive as dicts and lists, in order
    assert in_node["toJs"] == {"plan": "line-byod", "fees": [4000, {"tax": [400, 0.1]}], "ok": True, "note": "保証"}
    assert in_node["proxied"] == ["JsProxy", "desk", 4, 19, "hello py"]
    assert in_node["jsCall"] == [4400, [4000, 400]]
    assert in_node["pyCall"] == [4400, 4200]
    assert in_node["jsError"] == ["JsException", "RangeError: out of range"]


def test_a_python_error_reaches_js_with_its_type_message_and_traceback(in_node: dict) -> None:
    error = in_node["runPythonError"]
    assert error["name"] == "PythonError" and error["type"] == "ValueError"
    assert error["message"].startswith("Traceback (most recent call last):")
    assert 'File "<exec>", line 2, in check' in error["message"]
    assert error["message"].rstrip().endswith("ValueError: no such plan: gold")
    called = in_node["callError"]  # raised in a Python function that JS called
    assert called["type"] == "KeyError" and "in failing" in called["message"] and called["message"].rstrip().endswith("KeyError: 'fee'")


def test_a_syntax_error_is_reported_with_its_line_without_the_modules_left_out(in_node: dict) -> None:
    """Without difflib (left out: traceback uses it only for a keyword suggestion, and suppresses its absence), a
    SyntaxError still reaches JS with its type, the offending line and the message."""
    error = in_node["syntaxError"]
    assert error["name"] == "PythonError" and error["type"] == "SyntaxError"
    assert "whille plan:" in error["message"] and 'File "<exec>", line 2' in error["message"]
    assert "SyntaxError: invalid syntax" in error["message"]


def test_every_module_loaded_comes_from_the_archive_and_none_is_missing(
    in_node: dict, in_node_with_the_whole_stdlib: dict, archive: zipfile.ZipFile
) -> None:
    """Completeness: after start-up, every scenario, the error paths and the conversions, each module in sys.modules is
    built into the runtime (built-in, frozen, a JS module) or was loaded from a file of the archive, and nothing else;
    and the same run with the whole standard library loads no module that the archive lacks (a module missing from
    it would otherwise go unnoticed behind a `try: import … except ImportError`). asyncio and traceback, which the C
    core holds from start-up, are left to run on first use: asyncio never runs; traceback (with _colorize and its
    dataclasses) runs only once an error is formatted, never for start-up, the scenarios or the refusals."""
    names, prefix = set(archive.namelist()), build.STDLIB_ZIP_PATH + "/"
    for when in ("startup", "answered", "end"):
        outside, deferred = [], []
        for name, (kind, origin) in in_node[when].items():
            if kind == "_RunOnFirstUse":
                deferred.append(name)
            elif origin in ("built-in", "frozen") or (kind == "JsProxy" and origin == "javascript") or name == "__main__":
                continue
            elif not (origin and origin.startswith(prefix) and origin[len(prefix) :] in names):
                outside.append((name, origin))
        assert not outside, f"{when}: loaded from outside the archive: {outside}"
        assert sorted(deferred) == (["asyncio"] if when == "end" else ["asyncio", "traceback"]), when
    assert not {"_colorize", "dataclasses"} & set(in_node["answered"])
    assert {"_colorize", "dataclasses"} <= set(in_node["end"])  # the errors formatted at the end ran traceback
    assert "asyncio/__init__.pyc" not in names
    whole, ours = set(in_node_with_the_whole_stdlib["end"]), set(in_node["end"])
    assert ours <= whole
    missing = sorted(whole - ours)
    assert not missing, f"with the whole stdlib these are loaded too; the archive lacks them: {missing}"
    assert in_node_with_the_whole_stdlib["end"]["asyncio"][0] == "_RunOnFirstUse"


def test_the_edits_to_pyodide_apply_to_the_pinned_files_exactly() -> None:
    """Every edit in templates/archive/pyodide_edits.toml matches its pinned file exactly once and says why."""
    edits = build.pyodide_edits()
    assert edits and all(edit["why"].strip() for edit in edits)
    with zipfile.ZipFile(build.PYODIDE_PACKAGE / "python_stdlib.zip") as stock:
        sources = {edit["file"]: stock.read(edit["file"]).decode() for edit in edits}
    edited = build.edit_sources(sources, edits)
    assert set(edited) == set(sources) and all(edited[name] != sources[name] for name in edited)
    for name, text in edited.items():
        compile(text, name, "exec")  # still Python


def test_a_changed_pyodide_file_stops_the_build_naming_the_file_and_the_snippet(tmp_path: Path) -> None:
    """A pinned file that no longer holds a snippet exactly once (a new Pyodide) fails loudly: never a guessed edit."""
    package = tmp_path / "pyodide"
    package.mkdir()
    edits = build.pyodide_edits()
    target = next(edit for edit in edits if edit["file"] == "pyodide/webloop.py")
    with (
        zipfile.ZipFile(build.PYODIDE_PACKAGE / "python_stdlib.zip") as stock,
        zipfile.ZipFile(package / "python_stdlib.zip", "w") as changed,
    ):
        for info in stock.infolist():
            data = stock.read(info)
            if info.filename == target["file"]:
                data = data.decode().replace(target["find"], target["find"].replace("__all__", "__all__ ")).encode()
            changed.writestr(info, data)
    with pytest.raises(build.BuildError) as raised:
        build.edited_stdlib(package, edits, tmp_path / "out.zip")
    message = str(raised.value)
    assert "pyodide/webloop.py" in message and target["find"].strip() in message and "0 times, not once" in message
    assert "pyodide_edits.toml" in message  # where to fix it
    twice = [{**target, "file": "x.py"}]
    with pytest.raises(build.BuildError, match=r"x\.py .* 2 times, not once"):
        build.edit_sources({"x.py": target["find"] * 2}, twice)
    with pytest.raises(build.BuildError, match=r"pyodide/gone\.py is not in pyodide"):
        build.edit_sources({}, [{**target, "file": "pyodide/gone.py"}])


def test_a_start_up_snapshot_of_the_archive_is_taken_and_restored(archive: zipfile.ZipFile, tmp_path: Path) -> None:
    """Pyodide refuses a snapshot whose JS references differ from a stock start-up's (the edits keep them in order):
    taken after the boot import, as the worker takes it, it restores and answers."""
    node = shutil.which("node")
    assert node
    script = tmp_path / "snapshot.cjs"
    script.write_text(r"""
const [pkg, zip] = process.argv.slice(2);
const { loadPyodide } = require(pkg + "/pyodide.js");
const info = JSON.parse(require("fs").readFileSync(pkg + "/pyodide-lock.json", "utf8")).info;
(async () => {
  const options = { indexURL: pkg + "/", stdLibURL: zip, lockFileContents: { info, packages: {} }, packages: [], args: ["-S"] };
  const boot = "import _warranty_boot\n_warranty_boot.evaluate_json";
  const first = await loadPyodide({ ...options, _makeSnapshot: true });
  first.runPython(boot);
  const snapshot = first.makeMemorySnapshot();
  const again = await loadPyodide({ ...options, _loadSnapshot: snapshot });
  process.stdout.write(again.runPython(boot)("no-such-program", "{}"));
})().catch((error) => { console.error(String(error && error.stack || error)); process.exit(1); });
""")
    done = subprocess.run(
        [node, str(script), str(build.PYODIDE_PACKAGE.resolve()), archive.filename], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    import rules

    assert json.loads(done.stdout) == json.loads(rules.evaluate_json("no-such-program", "{}"))


def test_asyncio_runs_on_first_use_with_pyodide_s_event_loop(tmp_path: Path) -> None:
    """Left to run on first use, asyncio still works where it is in the library: a JS promise awaited from Python,
    Pyodide's WebLoop installed, a coroutine called from JS."""
    node = shutil.which("node")
    assert node
    whole = build.edited_stdlib(build.PYODIDE_PACKAGE, build.pyodide_edits(), tmp_path / "stdlib.zip")
    script = tmp_path / "aio.cjs"
    script.write_text(r"""
const [pkg, zip] = process.argv.slice(2);
const { loadPyodide } = require(pkg + "/pyodide.js");
(async () => {
  const py = await loadPyodide({ indexURL: pkg + "/", stdLibURL: zip, packages: [], args: ["-S"] });
  const before = py.runPython("import sys\ntype(sys.modules['asyncio']).__name__");
  py.globals.set("later", () => new Promise((resolve) => setTimeout(() => resolve(42), 5)));
  const code = "import asyncio\nv = await later()\nawait asyncio.sleep(0)\n"
    + "[v, type(asyncio.get_event_loop()).__name__, type(sys.modules['asyncio']).__name__]";
  const awaited = (await py.runPythonAsync(code)).toJs();
  const coroutine = await py.runPython("async def twice(x):\n    import asyncio\n    await asyncio.sleep(0)\n    return 2 * x\ntwice")(21);
  process.stdout.write(JSON.stringify({ before, awaited, coroutine }));
})().catch((error) => { console.error(String(error && error.stack || error)); process.exit(1); });
""")
    done = subprocess.run(
        [node, str(script), str(build.PYODIDE_PACKAGE.resolve()), str(whole)], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert json.loads(done.stdout) == {"before": "_RunOnFirstUse", "awaited": [42, "WebLoop", "module"], "coroutine": 42}


def test_the_worker_inlines_pyodide_and_the_pinned_lock_info(public_dir: Path) -> None:
    worker = (public_dir / "assets" / "checker" / "worker.js").read_text()
    assert "const BUNDLED = null;" not in worker and "loadPyodide" in worker
    assert f"const LOCK_INFO = {json.dumps(build.lock_info(build.PYODIDE_PACKAGE), sort_keys=True)};" in worker


def test_a_missing_node_stops_the_build_with_what_to_do(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(build.shutil, "which", lambda name: None)
    with pytest.raises(build.BuildError, match=r"`node` is not on PATH.*Install Node"):
        build.compile_python(build.PYODIDE_PACKAGE, build.RULES, cache_dir=tmp_path)
