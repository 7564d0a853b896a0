"""Running a program: read the answers, apply base coverage and ordered exclusions, fill a Decision."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, NamedTuple

from . import terms as terms_data
from .fields import FIRST_YEAR, LAST_YEAR, Answers, read
from .fmt import Text, t
from .model import Decision, Field, FieldError, Obligation, Reason, Step


class Program(NamedTuple):
    """A warranty program: its questions, its data file and the function that decides a claim."""

    id: str
    title: Text
    data: str  # rules/data/<data>.toml
    fields: tuple[Field, ...]
    decide: Callable[[Claim], None]
    # How to reach the provider, from the terms in force on a date: the page shows it even when Python cannot start.
    contact: Callable[[terms_data.Terms, date], Step]

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    def questions(self, on: date | None = None) -> dict[str, Any]:
        """The question schema the checker form is rendered from, with the provider's contact as of `on`."""
        contact = self.contact(terms_data.load(self.data), on or date.today())
        return {"program": self.id, "title": self.title, "fields": [f.to_dict() for f in self.fields], "contact": contact.to_dict()}


class Claim:
    """One evaluation in progress: typed answers in, decision parts out."""

    def __init__(self, program: Program, answers: Answers, today: date) -> None:
        self.program = program
        self.answers = answers
        # the fallback for terms look-ups when the claim date is unreadable: kept inside the readable
        # years, where every parameter has a value (a default claim date of 1999 is itself an answer error)
        self.today = min(max(today, date(FIRST_YEAR, 1, 1)), date(LAST_YEAR, 12, 31))
        self.terms = terms_data.load(program.data)
        self.decision = Decision(program=program.id)
        self.excluded = False

    # -- reading -----------------------------------------------------------
    def get(self, name: str, default: Any = None) -> Any:
        return self.answers.get(name, default)

    def amount(self, name: str, on: date) -> int:
        return self.terms.amount(name, on)

    def clause_of(self, name: str, on: date) -> str:
        return self.terms.get(name, on).clause

    # -- writing -----------------------------------------------------------
    def reason(self, code: str, clause: str, message: Text, interpretation: str | None = None) -> None:
        """Record a clause that decided (or shaped) the outcome."""
        self.decision.reasons.append(Reason(code, clause, message, interpretation))

    def exclude(self, code: str, clause: str, message: Text, interpretation: str | None = None) -> None:
        """An exclusion or unmet condition: the claim is not covered, and this says why."""
        self.excluded = True
        self.reason(code, clause, message, interpretation)

    def obligation(self, code: str, clause: str, message: Text, due: date | None = None, penalty_jpy: int | None = None, interpretation: str | None = None) -> None:
        self.decision.obligations.append(Obligation(code, clause, message, due, penalty_jpy, interpretation))

    def step(self, code: str, clause: str, message: Text, interpretation: str | None = None) -> None:
        self.decision.next_steps.append(Step(code, clause, message, interpretation))

    def error(self, field: str, code: str, en: str, ja: str) -> None:
        """An answer that cannot be true given the others (e.g. an incident after the claim)."""
        spec = self.program.field(field)
        self.decision.errors.append(FieldError(field, code, t(f"{spec.label['en']}: {en}", f"{spec.label['ja']}：{ja}")))

    def set_fee(self, fee_jpy: int, excess_jpy: int = 0) -> None:
        """The program's fee (taxed) plus any untaxed excess over a cap (interpretation GEN-TAX)."""
        on = self.decision.claim_date or self.today
        rate = terms_data.general().amount("consumption_tax_percent", on)
        self.decision.tax_percent = rate
        self.decision.fee_jpy = fee_jpy
        self.decision.fee_jpy_with_tax = fee_jpy * (100 + rate) // 100
        self.decision.customer_pays_jpy = fee_jpy + excess_jpy
        self.decision.customer_pays_jpy_with_tax = self.decision.fee_jpy_with_tax + excess_jpy


def evaluate_program(program: Program, raw: Mapping[str, Any], today: date) -> Decision:
    """Read, decide, then settle the status: invalid > incomplete > not_covered > covered."""
    answers = read(program.fields, raw, today)
    claim = Claim(program, answers, today)
    claim.decision.claim_date = answers.get("claim_date")
    claim.decision.missing = list(answers.missing)
    claim.decision.errors = list(answers.errors)
    program.decide(claim)
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
        decision.customer_pays_jpy = decision.customer_pays_jpy_with_tax = None
        decision.remedies = []
    return decision
