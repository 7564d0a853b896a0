"""What the rules cite has one owner: each program's data file lists the clauses it encodes (`clauses`), the rules
refuse to cite any other (rules.engine.Claim.cite), and the build checks each is on both terms pages with a label
(build.check_citations). These tests check the lists themselves, once per program, with no scan of the sources."""

from __future__ import annotations

import re
from datetime import date
from functools import cache
from pathlib import Path

import pytest

import build
import rules
from rules import terms
from rules.cases import load_cases
from rules.engine import Claim
from rules.fields import Answers
from rules.fmt import t

SITE = Path(__file__).resolve().parent.parent / "site"
PROGRAMS = sorted(rules.PROGRAMS)
ATTR_LIST = re.compile(r"^\{:([^}\n]*)\}", re.MULTILINE)  # a clause paragraph: `{: #ism-coverage }` or `{: #id .informational }`


def declared(program: str) -> frozenset[str]:
    return terms.load(rules.PROGRAMS[program].data).clauses


@cache
def reached(program: str) -> tuple[frozenset[str], frozenset[str]]:
    """(clauses, readings) the program's questions, its data and the decisions of its scenario cases cite."""
    spec = rules.PROGRAMS[program]
    data = terms.load(spec.data)
    clauses = {f.clause for f in spec.fields if f.clause} | {e["clause"] for e in [*data.params.values(), *data.interpretations.values()]}
    readings: set[str] = set()
    for case in load_cases(program):
        decision = case.decide()
        items = [*decision["reasons"], *decision["obligations"], *decision["next_steps"]]
        clauses |= {item["clause"] for item in items}
        readings |= {item["interpretation"] for item in items if item["interpretation"]} | set(decision["interpretations"])
        if decision["billing"]:
            clauses |= {decision["billing"]["clause"], decision["billing"]["tax_clause"]}
            readings.add(decision["billing"]["interpretation"])
    return frozenset(clauses), frozenset(readings)


def clauses_on_page(program: str, lang: str) -> dict[str, bool]:
    """Clause id -> marked informational (not encoded), from the terms page's Markdown."""
    text = (SITE / ("ja" if lang == "ja" else "") / "terms" / f"{program}.md").read_text(encoding="utf-8")
    return {clause: ".informational" in attrs for attrs in ATTR_LIST.findall(text) for clause in re.findall(r"#([A-Za-z0-9_-]+)", attrs)}


@pytest.mark.parametrize("program", PROGRAMS)
def test_questions_and_data_cite_only_declared_clauses_of_their_own_program(program: str) -> None:
    spec = rules.PROGRAMS[program]
    data = terms.load(spec.data)
    prefix = data.clause_prefix + "-"
    assert data.clauses and all(clause.startswith(prefix) for clause in data.clauses), f"rules/data/{spec.data}.toml `clauses`"
    cited = {f.clause for f in spec.fields if f.clause} | {e["clause"] for e in [*data.params.values(), *data.interpretations.values()]}
    assert cited <= data.clauses, f"cited but not declared: {sorted(cited - data.clauses)}"


@pytest.mark.parametrize("program", PROGRAMS)
def test_every_declared_clause_and_reading_is_reached(program: str) -> None:
    """A clause or reading that no question, parameter or scenario reaches is documentation that drifted from the rules."""
    clauses, readings = reached(program)
    assert not declared(program) - clauses, f"declared but never cited: {sorted(declared(program) - clauses)}"
    own = set(terms.load(rules.PROGRAMS[program].data).interpretations)
    assert not own - readings, f"readings no scenario reaches: {sorted(own - readings)}: add a case that shows them"
    general = set(terms.general().interpretations)
    assert readings <= own | general, sorted(readings - own - general)


@pytest.mark.parametrize("program", PROGRAMS)
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_each_clause_on_a_terms_page_is_encoded_or_marked_informational_never_both(program: str, lang: str) -> None:
    on_page = clauses_on_page(program, lang)
    assert on_page == clauses_on_page(program, "en"), "the same clauses, marked the same way, in both languages"
    encoded = {clause for clause, info in on_page.items() if not info}
    assert declared(program) <= set(on_page), f"not on site/{lang}/terms/{program}.md: {sorted(declared(program) - set(on_page))}"
    assert not declared(program) - encoded, f"encoded but marked informational: {sorted(declared(program) - encoded)}"
    assert not encoded - declared(program), (
        f"neither declared in rules/data nor marked .informational: {sorted(encoded - declared(program))}"
    )


def test_the_rules_refuse_to_cite_a_clause_or_reading_their_data_does_not_declare() -> None:
    claim = Claim(rules.PROGRAMS["line-byod"], Answers(), date(2026, 11, 21))
    claim.reason("fine", claim.clause("contact"), t("a", "a"), claim.reading("HOURS"))  # declared: accepted
    with pytest.raises(terms.TermsError, match=r"'lnb-no-such-clause'.*`clauses`"):
        claim.reason("made_up", "lnb-no-such-clause", t("a", "a"))
    with pytest.raises(terms.TermsError, match="lnd-contact"):
        claim.step("other_program", "lnd-contact", t("a", "a"))
    with pytest.raises(terms.TermsError, match="LNB-NO-SUCH"):
        claim.note("made_up", "lnb-contact", t("a", "a"), "LNB-NO-SUCH")
    with pytest.raises(terms.TermsError, match="lnb-nothing"):
        claim.clause("nothing")


def test_the_build_checks_exactly_the_declared_clauses(public_dir: Path) -> None:
    assert build.encoded_clauses() == {program: set(declared(program)) for program in PROGRAMS}
    assert build.check_citations(public_dir) == sum(len(declared(program)) for program in PROGRAMS)
