"""Every scenario case, run in CPython: the scenario files are the single source of truth for examples."""

from __future__ import annotations

from typing import Any

import pytest

import rules
from tests.conftest import scenario_cases, scenario_files

CASES = scenario_cases()


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


def test_every_program_has_a_scenario_file() -> None:
    assert {path.stem for path in scenario_files()} == set(rules.PROGRAMS)


@pytest.mark.parametrize(("program", "case"), CASES, ids=[f"{p}: {c['name']}" for p, c in CASES])
def test_scenario(program: str, case: dict[str, Any]) -> None:
    decision = rules.evaluate(program, case["answers"], today=str(case["today"])).to_dict()
    assert not check(decision, case["expect"]), check(decision, case["expect"])


def test_scenario_names_are_unique_sentences() -> None:
    for path in scenario_files():
        names = [case["name"] for program, case in CASES if program == path.stem]
        assert len(names) == len(set(names)), f"duplicate case names in {path.name}"
        assert all(name.endswith(".") and " " in name for name in names), f"{path.name}: names must be full sentences"


def test_the_checker_catches_a_wrong_expectation() -> None:
    """The comparison itself can fail: a deliberately wrong expectation is reported."""
    program, case = next((p, c) for p, c in CASES if c["expect"]["status"] == "covered")
    decision = rules.evaluate(program, case["answers"], today=str(case["today"])).to_dict()
    assert check(decision, {**case["expect"], "status": "not_covered"})


def test_worked_examples_are_named_in_both_languages() -> None:
    """The checker pages list examples in the page's language: each example needs a Japanese name too."""
    examples = [(program, case) for program, case in CASES if case.get("example")]
    assert {program for program, _ in examples} == set(rules.PROGRAMS), "every program shows worked examples"
    assert all(case.get("name_ja") for _, case in examples), [case["name"] for _, case in examples if not case.get("name_ja")]
