"""Runs inside the pinned Pyodide (compile.cjs calls `main`): the archive as bytecode only, ZIP_STORED (it is served precompressed)."""

from __future__ import annotations

import ast
import importlib.util
import json
import zipfile
from importlib._bootstrap_external import _code_to_hash_pyc  # type: ignore[attr-defined]


def pyc(source: bytes, filename: str, optimize: int = 0, docstrings: bool = True) -> bytes:
    """Hash-checked bytecode: no timestamps, so the same sources give the same archive."""
    tree = ast.parse(source, filename) if docstrings else without_docstrings(ast.parse(source, filename))
    code = compile(tree, filename, "exec", dont_inherit=True, optimize=optimize)
    return bytes(_code_to_hash_pyc(code, importlib.util.source_hash(source), False))


def without_docstrings(tree: ast.Module) -> ast.Module:
    """The module as written, less its docstrings: the rules' asserts stay (optimize=2 would drop both)."""
    for node in ast.walk(tree):
        if (
            isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
            and ast.get_docstring(node, clean=False) is not None
        ):
            node.body = node.body[1:] or [ast.Pass(lineno=node.body[0].lineno, col_offset=node.body[0].col_offset)]
    return tree


def wanted_files(spec: dict, names: set[str]) -> set[str]:
    """The stdlib files the trace loaded from the zip, the extra modules, every package above them; not the optional ones."""
    prefix = spec["stdlib"] + "/"
    wanted = {origin[len(prefix) :] for _module, origin in spec["traced"] if origin.startswith(prefix)}
    for module in spec["extra"]:
        path = module.replace(".", "/")
        wanted.update(candidate for candidate in (path + ".py", path + "/__init__.py") if candidate in names)

    def optional(rel: str) -> bool:
        module = rel[:-3].removesuffix("/__init__").replace("/", ".")
        return any(module == name or module.startswith(name + ".") for name in spec["optional"])

    wanted = {rel for rel in wanted if not optional(rel)}
    for rel in list(wanted):  # every package above a module
        parts = rel.split("/")[:-1]
        for i in range(1, len(parts) + 1):
            init = "/".join(parts[:i]) + "/__init__.py"
            if init in names:
                wanted.add(init)
    return wanted


def main(given: str) -> None:
    """Write /tmp/out.zip (the archive) and /tmp/modules.json (the stdlib files in it)."""
    spec = json.loads(given)
    prefix = spec["stdlib"] + "/"
    std = zipfile.ZipFile(spec["stdlib"])
    wanted = wanted_files(spec, set(std.namelist()))
    members = {}
    for rel in sorted(wanted):
        if rel.endswith(".py"):
            keep = rel.startswith(tuple(spec["keep_docstrings"]))
            members[rel[:-3] + ".pyc"] = pyc(std.read(rel), prefix + rel, 0 if keep else 2)
    for rel, text in sorted(spec["rules"].items()):
        if rel.endswith(".py"):
            # Nothing in the browser reads the rules' docstrings: they are for the people who read the code.
            members[spec["app_prefix"] + rel[:-3] + ".pyc"] = pyc(text.encode(), prefix + spec["app_prefix"] + rel, docstrings=False)
        else:
            members[spec["app_prefix"] + rel] = text.encode()
    members["_warranty_boot.pyc"] = pyc(spec["boot"].encode(), prefix + "_warranty_boot.py")
    with zipfile.ZipFile("/tmp/out.zip", "w", zipfile.ZIP_STORED) as out:
        for name in sorted(members):
            out.writestr(zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0)), members[name])
    with open("/tmp/modules.json", "w") as handle:
        json.dump(sorted(wanted), handle)
