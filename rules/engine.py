"""Running a program: read the answers, apply base coverage and ordered exclusions, fill a Decision."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, NamedTuple

from . import terms as terms_data
from .fields import FIRST_YEAR, LAST_YEAR, Answers, read
from .fmt import Text, t
from .model import Alternative, Decision, Field, FieldError, Obligation, Reason, Step

PLACEHOLDER = re.compile(r"\{([a-z_]+(?:\.[a-z_]+)*)\}")  # a parameter's dotted name in a help text


def fill(text: Text, terms: terms_data.Terms, on: date) -> Text:
    """A text with each `{parameter.name}` replaced by the parameter's value in force on `on` (code holds no figures)."""
    return {lang: PLACEHOLDER.sub(lambda m: str(terms.get(m.group(1), on).value), value) for lang, value in text.items()}


class Candidate(NamedTuple):
    """A change a visitor could truthfully make, and how to say what it gives once the rules have run on it."""

    changes: dict[str, str]
    message: Callable[[Decision], Text]
    accept_incomplete: bool = False  # a switch of service whose own questions are still unanswered


def no_candidates(claim: Claim) -> list[Candidate]:
    return []


class Program(NamedTuple):
    """A warranty program: its questions, its data file and the function that decides a claim."""

    id: str
    title: Text
    data: str  # rules/data/<data>.toml
    fields: tuple[Field, ...]
    decide: Callable[[Claim], None]
    # How to reach the provider, from the terms in force on a date: the page shows it even when Python cannot start.
    contact: Callable[[terms_data.Terms, date], Step]
    # Changes worth trying once a claim is decided, nearest first (DESIGN: alternatives).
    candidates: Callable[[Claim], list[Candidate]] = no_candidates

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    def questions(self, on: date | None = None) -> dict[str, Any]:
        """The question schema the checker form is rendered from, with the provider's contact and the figures in
        help texts and choice labels (`{dispatch.cutoff}`) as in force on `on`."""
        day = on or date.today()
        terms = terms_data.load(self.data)
        contact = self.contact(terms, day)

        def filled(text: Text | None) -> Text | None:
            return None if text is None else fill(text, terms, day)

        fields = []
        for spec in self.fields:
            entry = spec.to_dict()
            entry["label"], entry["help"] = filled(spec.label), filled(spec.help)
            entry["choices"] = [{**choice, "label": filled(choice["label"])} for choice in entry["choices"]]
            fields.append(entry)
        return {"program": self.id, "title": self.title, "fields": fields, "contact": contact.to_dict()}


class Claim:
    """One evaluation in progress: typed answers in, decision parts out."""

    def __init__(self, program: Program, answers: Answers, today: date, raw: Mapping[str, Any] | None = None, trying: bool = False) -> None:
        self.program = program
        self.answers = answers
        self.get = answers.values.get  # a typed answer, or the default given: the rules' most frequent call
        # An alternative being tried (engine.alternatives): only its status, its price and the conditions it meets or
        # fails are read, so a program leaves out what merely advises (billing, the steps of a covered claim) and the
        # engine drops notes, next steps and obligations.
        self.trying = trying
        self.raw = dict(raw or {})
        # the fallback for terms look-ups when the claim date is unreadable: kept inside the readable
        # years, where every parameter has a value (a default claim date of 1999 is itself an answer error)
        self.today = min(max(today, date(FIRST_YEAR, 1, 1)), date(LAST_YEAR, 12, 31))
        self.terms = terms_data.load(program.data)
        self.decision = Decision(program=program.id)
        self.excluded = False

    # -- reading -----------------------------------------------------------
    def amount(self, name: str, on: date) -> int:
        return self.terms.amount(name, on)

    def clause_of(self, name: str, on: date) -> str:
        return self.terms.get(name, on).clause

    def clause(self, name: str) -> str:
        """This program's id of a clause shared code names (`contact` → `lnd-contact`)."""
        return self.terms.clause(name)

    def reading(self, name: str) -> str:
        """This program's id of a reading shared code names (`HOURS` → `LND-HOURS`)."""
        return self.terms.reading(name)

    def cite(self, clause: str, interpretation: str | None) -> None:
        """Only what the program declares it encodes can be cited (the build checks those are on the terms pages)."""
        if clause not in self.terms.clauses:
            raise terms_data.TermsError(
                f"{self.program.id} cites {clause!r}, which rules/data/{self.program.data}.toml does not list in `clauses`"
            )
        if (
            interpretation
            and interpretation not in self.terms.interpretations
            and interpretation not in terms_data.general().interpretations
        ):
            raise terms_data.TermsError(f"{self.program.id} cites the reading {interpretation!r}, which no rules/data file defines")

    # -- writing -----------------------------------------------------------
    def reason(self, code: str, clause: str, message: Text, interpretation: str | None = None, effect: str = "meets") -> None:
        """Record a condition the claim meets (or, with `effect`, a note or an exclusion)."""
        self.cite(clause, interpretation)
        self.decision.reasons.append(Reason(code, clause, message, interpretation, effect))

    def note(self, code: str, clause: str, message: Text, interpretation: str | None = None) -> None:
        """Something worth knowing that neither grants nor refuses cover (another service, the money)."""
        if self.trying:
            return
        self.reason(code, clause, message, interpretation, "note")

    def exclude(self, code: str, clause: str, message: Text, interpretation: str | None = None) -> None:
        """An exclusion or unmet condition: the claim is not covered, and this says why."""
        self.excluded = True
        self.reason(code, clause, message, interpretation, "excludes")

    def on(self) -> date:
        """The date whose terms apply: the claim date, or today while it is unknown (GEN-EFFECTIVE)."""
        return self.get("claim_date") or self.today

    def with_tax(self, amount: int) -> int:
        """A before-tax price with the consumption tax in force on the claim date, rounded down (GEN-TAX)."""
        rate = terms_data.general().amount("consumption_tax_percent", self.on())
        return amount * (100 + rate) // 100

    def obligation(
        self,
        code: str,
        clause: str,
        message: Text,
        due: date | None = None,
        penalty_jpy: int | None = None,
        interpretation: str | None = None,
    ) -> None:
        if self.trying:
            return
        self.cite(clause, interpretation)
        with_tax = self.with_tax(penalty_jpy) if penalty_jpy is not None else None
        self.decision.obligations.append(Obligation(code, clause, message, due, penalty_jpy, interpretation, with_tax))

    def step(self, code: str, clause: str, message: Text, interpretation: str | None = None) -> None:
        if self.trying:
            return
        self.cite(clause, interpretation)
        self.decision.next_steps.append(Step(code, clause, message, interpretation))

    def error(self, field: str, code: str, en: str, ja: str) -> None:
        """An answer that cannot be true given the others (e.g. an incident after the claim)."""
        label = fill(self.program.field(field).label, self.terms, self.on())
        self.decision.errors.append(FieldError(field, code, t(f"{label['en']}: {en}", f"{label['ja']}：{ja}")))

    def set_fee(self, fee_jpy: int, excess_jpy: int = 0) -> None:
        """The program's fee (taxed) plus any untaxed excess over a cap (interpretation GEN-TAX)."""
        self.decision.tax_percent = terms_data.general().amount("consumption_tax_percent", self.on())
        self.decision.fee_jpy = fee_jpy
        self.decision.fee_jpy_with_tax = self.with_tax(fee_jpy)
        self.decision.excess_jpy = excess_jpy
        self.decision.customer_pays_jpy = fee_jpy + excess_jpy
        self.decision.customer_pays_jpy_with_tax = self.decision.fee_jpy_with_tax + excess_jpy


def evaluate_program(
    program: Program, raw: Mapping[str, Any], today: date, explore: bool = True, like: Answers | None = None, changed: tuple[str, ...] = ()
) -> Decision:
    """Read, decide, settle the status (invalid > incomplete > not_covered > covered), then try the alternatives
    (`explore=False`: this is one being tried; `like`, `changed`: its answers are those read for the claim, but for these)."""
    answers = read(program.fields, raw, today, like, changed)
    claim = Claim(program, answers, today, raw, trying=not explore)
    claim.decision.claim_date = answers.get("claim_date")
    claim.decision.missing = list(answers.missing)
    claim.decision.errors = [e._replace(message=fill(e.message, claim.terms, claim.on())) for e in answers.errors]
    if answers.values.keys() - defaulted_fields(program) or answers.errors:
        program.decide(claim)  # an empty form argues nothing: no reasons until the visitor has answered something
    decision = claim.decision
    if decision.errors:
        decision.status = "invalid"
    elif decision.missing:
        decision.status = "incomplete"
    elif claim.excluded:
        decision.status = "not_covered"
    else:
        decision.status = "covered"
    if decision.status != "covered":
        decision.fee_jpy = decision.fee_jpy_with_tax = None
        decision.customer_pays_jpy = decision.customer_pays_jpy_with_tax = decision.excess_jpy = decision.cap_jpy = None
        decision.remedies = []
    if explore and decision.status in ("covered", "not_covered"):
        decision.alternatives = alternatives(claim)
    return decision


def defaulted_fields(program: Program) -> set[str]:
    """Fields a blank form already answers (today's date, the default request): not an answer by the visitor."""
    return {f.name for f in program.fields if f.default is not None}


def alternatives(claim: Claim) -> list[Alternative]:
    """Each candidate run through the rules; kept when it covers a refused claim or costs a covered one less."""
    base = claim.decision
    found = []
    for candidate in claim.program.candidates(claim):
        changed = {**claim.raw, **candidate.changes}
        names = tuple(candidate.changes)
        if base.claim_date and "claim_date" not in candidate.changes:
            changed["claim_date"] = base.claim_date.isoformat()  # the same claim, not a later "today"
            names += ("claim_date",)
        result = evaluate_program(claim.program, changed, claim.today, explore=False, like=claim.answers, changed=names)
        if base.status == "covered":
            better = result.status == "covered" and (result.customer_pays_jpy_with_tax or 0) < (base.customer_pays_jpy_with_tax or 0)
        else:
            # an unanswered switch of service is offered only while nothing already refuses it
            open_switch = result.status == "incomplete" and not any(r.effect == "excludes" for r in result.reasons)
            better = result.status == "covered" or (candidate.accept_incomplete and open_switch)
        if better:
            found.append(
                Alternative(
                    candidate.changes, result.status, result.customer_pays_jpy, result.customer_pays_jpy_with_tax, candidate.message(result)
                )
            )
    return found
