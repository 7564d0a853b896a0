"""Every scenario case, run in CPython: the scenario files are the single source of truth for examples."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

import rules
from rules.cases import SCENARIOS, Case, ScenarioError, load_cases, read_file

CASES = load_cases()


def check(decision: dict[str, Any], expect: dict[str, Any]) -> list[str]:
    """What differs between a decision and a case's expectations (empty when it matches)."""
    problems = []
    for key, wanted in expect.items():
        got = decision.get(key)
        if key == "reasons":
            codes = {r["code"] for r in got}
            problems += [f"reason {code!r} missing (have {sorted(codes)})" for code in wanted if code not in codes]
        elif key in ("obligations", "next_steps"):
            for item in wanted:
                if not any(all(o.get(k) == v for k, v in item.items()) for o in got):
                    problems.append(f"{key}: nothing matches {item} (have {[(o['code'], o.get('due')) for o in got]})")
        elif key == "excludes":
            codes = [r["code"] for r in decision["reasons"] if r["effect"] == "excludes"]
            if codes != wanted:
                problems.append(f"excludes {codes} != {wanted}")
        elif key == "alternatives":
            for item in wanted:
                if not any(a["changes"] == item["changes"] and all(a.get(k) == v for k, v in item.items()) for a in got):
                    problems.append(f"alternatives: nothing matches {item} (have {[(a['changes'], a['status']) for a in got]})")
            if not wanted and got:
                problems.append(f"alternatives: expected none, have {[a['changes'] for a in got]}")
        elif key == "errors":
            pairs = [{"field": e["field"], "code": e["code"]} for e in got]
            if pairs != wanted:
                problems.append(f"errors {pairs} != {wanted}")
        elif got != wanted:
            problems.append(f"{key}: {got!r} != {wanted!r}")
    return problems


def test_every_program_has_a_scenario_file_of_many_cases() -> None:
    assert {path.stem for path in SCENARIOS.glob("*.toml")} == set(rules.PROGRAMS)
    for program in rules.PROGRAMS:
        assert len(load_cases(program)) >= 35, f"rules/scenarios/{program}.toml: keep the worked cases plentiful"


@pytest.mark.parametrize("case", CASES, ids=[f"{c.program}: {c.name}" for c in CASES])
def test_scenario(case: Case) -> None:
    decision = case.decide()
    assert not check(decision, case.expect), check(decision, case.expect)


def test_the_checker_catches_a_wrong_expectation() -> None:
    """The comparison itself can fail: a deliberately wrong expectation is reported."""
    case = next(c for c in CASES if c.status == "covered")
    assert check(case.decide(), {**case.expect, "status": "not_covered"})


def test_worked_examples_are_named_in_both_languages() -> None:
    """The checker pages list examples in the page's language: each example needs a Japanese name too."""
    examples = [case for case in CASES if case.example]
    assert {case.program for case in examples} == set(rules.PROGRAMS), "every program shows worked examples"
    assert all(case.name_ja for case in examples), [case.name for case in examples if not case.name_ja]


GOOD = """program = "line-byod"

[[case]]
name = "A case that reads well."
today = "2026-11-21"
answers = { os = "android" }
[case.expect]
status = "incomplete"
"""


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        (('program = "line-byod"', 'program = "line-device"'), "must come first"),
        (("answers = { os", "answer = { os"), "unknown key 'answer'"),
        (('os = "android"', "claims_past_year = 1"), 'claims_past_year = "1"'),
        (('today = "2026-11-21"', "today = 2026-11-21"), "ISO date in quotes"),
        (('status = "incomplete"', 'verdict = "incomplete"'), "not a decision key"),
        (("reads well.", "reads well"), "full sentence"),
        (("[case.expect]", "[case.expect"), "not valid TOML"),
    ],
)
def test_a_scenario_file_that_breaks_the_format_is_refused_with_what_to_write(
    tmp_path: Path, change: tuple[str, str], complaint: str
) -> None:
    assert len(read_file(write(tmp_path, GOOD))) == 1  # the unbroken file reads
    with pytest.raises(ScenarioError, match=re.escape(complaint)):
        read_file(write(tmp_path, GOOD.replace(*change)))


def test_two_cases_with_one_name_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="same name"):
        read_file(write(tmp_path, GOOD + GOOD.split("\n", 1)[1]))


def test_load_cases_names_a_missing_scenario_file(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="no scenario file"):
        load_cases("line-byod", folder=tmp_path)


def write(folder: Path, text: str) -> Path:
    path = folder / "line-byod.toml"
    path.write_text(text, encoding="utf-8")
    return path
