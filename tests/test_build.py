"""The build: what public/ holds, that the runtime is verified, and that bad inputs fail with a useful message."""

from __future__ import annotations

import copy
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import build
import rules

ROOT = Path(__file__).resolve().parent.parent


def test_public_has_every_page_of_the_contract(public_dir: Path) -> None:
    for program in rules.PROGRAMS:
        for path in (f"check/{program}/", f"ja/check/{program}/", f"terms/{program}/", f"ja/terms/{program}/", f"embed/{program}/"):
            assert (public_dir / path / "index.html").exists(), path


def test_the_runtime_is_self_hosted_and_only_what_is_needed(public_dir: Path) -> None:
    runtime = public_dir / "runtime" / f"pyodide-{build.PYODIDE_VERSION}"
    assert sorted(p.name for p in runtime.iterdir() if p.suffix not in (".br", ".gz")) == sorted(build.RUNTIME_FILES)
    for name in build.RUNTIME_FILES:
        assert build.sha256((runtime / name).read_bytes()) == build.PYODIDE_FILES[name]


def test_the_python_archive_is_reproducible_and_named_by_its_content(public_dir: Path, tmp_path: Path) -> None:
    """Compiled again from scratch (a fresh cache, so Node runs), the archive is byte for byte the one shipped."""
    archives = list((public_dir / "runtime").glob("python-*.zip"))
    assert len(archives) == 1
    name, data, _ = build.compile_python(build.PYODIDE_PACKAGE, build.RULES, cache_dir=tmp_path)
    assert archives[0].name == name and archives[0].read_bytes() == data


def test_checker_pages_reference_the_archive_and_no_other_origin(public_dir: Path) -> None:
    name = next((public_dir / "runtime").glob("python-*.zip")).name
    for page in [*public_dir.glob("check/*/index.html"), *public_dir.glob("ja/check/*/index.html"), *public_dir.glob("embed/*/index.html")]:
        html = page.read_text(encoding="utf-8")
        assert f"runtime/{name}" in html, page
        assert not re.search(r"""<(script|img|link|iframe|source|video|audio)\b[^>]*\b(src|href)=["']https?://""", html), page


def test_a_wrong_runtime_file_stops_the_build_with_what_to_do(tmp_path: Path) -> None:
    fake = tmp_path / "pyodide"
    shutil.copytree(build.PYODIDE_PACKAGE, fake)
    (fake / "python_stdlib.zip").write_bytes(b"tampered")
    with pytest.raises(build.BuildError, match=r"does not match the pinned pyodide .* `npm ci`"):
        build.check_pyodide(fake, build.PYODIDE_VERSION)


def test_a_missing_runtime_says_how_to_install_it(tmp_path: Path) -> None:
    with pytest.raises(build.BuildError, match=r"pyodide 314\.0\.7 is not installed: run `npm ci`"):
        build.check_pyodide(tmp_path / "nowhere", build.PYODIDE_VERSION)


def test_a_dangling_clause_citation_fails_the_build(public_dir: Path) -> None:
    """The citation check can fail: a clause the data declares but no terms page has is refused, by name and page."""
    clauses = build.encoded_clauses()
    clauses["ismartphones"].add("ism-no-such-clause")
    with pytest.raises(build.BuildError, match=r"'ism-no-such-clause' is encoded by rules/ but has no anchor on terms/ismartphones/"):
        build.check_citations(public_dir, clauses)


def test_a_cited_clause_without_a_label_fails_the_build_saying_how_to_add_one(public_dir: Path) -> None:
    """Visitors see labels, never ids: a cited clause whose Japanese paragraph lost its title is refused, by name."""
    labels = copy.deepcopy(build._load_hooks().clause_labels())
    del labels["line-byod"]["lnb-repair-cap"]["ja"]
    with pytest.raises(build.BuildError, match=r"'lnb-repair-cap' .* no label on site/ja/terms/line-byod\.md: start its paragraph with"):
        build.check_citations(public_dir, labels=labels)


def test_every_clause_anchor_on_the_terms_pages_has_a_label_in_both_languages() -> None:
    """Every clause and numbered section of the six terms pages has a number and title, e.g. "§5.6 Repair cap"."""
    hooks = build._load_hooks()
    labels = hooks.clause_labels()
    for program in labels:
        for lang, folder in hooks.TERMS_PAGES.items():
            text = (folder / f"{program}.md").read_text(encoding="utf-8")
            anchors = set(re.findall(r"\{:\s*#([a-z0-9-]+)", text)) | {m.group(3) for m in hooks.HEADING_CLAUSE.finditer(text)}
            unlabelled = sorted(a for a in anchors if lang not in labels[program].get(a, {}))
            assert anchors and not unlabelled, (program, lang, unlabelled)
    assert labels["line-byod"]["lnb-repair-cap"] == {"en": "§5.6 Repair cap", "ja": "第5.6項 修理費用の上限"}
    assert labels["line-byod"]["lnb-fees"] == {"en": "§5 Fees", "ja": "第5章 料金"}


def test_splice_fills_each_declared_value_once_and_refuses_a_script_without_its_line(tmp_path: Path) -> None:
    script = tmp_path / "x.js"
    script.write_text("const A = null;  // build.py fills this in\nconst B = {};\nuse(A, B);\n")
    build.splice(script, {"A": '"a\\1"', "B": '{"n": 1}'})
    assert script.read_text() == 'const A = "a\\1";\nconst B = {"n": 1};\nuse(A, B);\n'
    with pytest.raises(build.BuildError, match=r"must declare `const A = null;` exactly once"):
        build.splice(script, {"A": "2"})


def test_help_documents_the_commands() -> None:
    out = subprocess.run([sys.executable, "build.py", "--help"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert "serve" in out and "--force" in out


def test_an_unchanged_tree_rebuilds_instantly(public_dir: Path) -> None:
    timings = build.build(public_dir)
    assert timings[0][0] == "up to date"
