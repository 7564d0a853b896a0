"""The shapes a program is made of (questions) and the decision it returns."""

from __future__ import annotations

from datetime import date
from typing import Any, NamedTuple

from .fmt import Text

STATUSES = ("covered", "not_covered", "incomplete", "invalid")
KINDS = ("date", "month", "time", "bool", "choice", "int", "imei")  # fields.parse_one reads each and refuses any other

# Value types are NamedTuples, not dataclasses: a dataclass compiles generated code when its module is
# imported (~5 ms each in Pyodide, on the path to the first answer); a NamedTuple costs a tenth of that.


class Choice(NamedTuple):
    """One allowed value of a choice question."""

    value: str
    label: Text

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "label": self.label}


class Condition(NamedTuple):
    """When a question matters, from another answer (in its string form): `in` (shown and one of `values`),
    `not_in` (hidden, or not one of them) or `filled` (shown and not blank). The page reads the same dict."""

    field: str
    values: tuple[str, ...] = ()
    op: str = "in"

    def holds(self, value: str, shown: bool) -> bool:
        if self.op == "not_in":
            return not (shown and value in self.values)
        if self.op == "filled":
            return shown and value != ""
        return shown and value in self.values

    def to_dict(self) -> dict[str, Any]:
        if self.op == "filled":
            return {"field": self.field, "filled": True}
        return {"field": self.field, self.op: list(self.values)}


class Field(NamedTuple):
    """One question: its type, labels and when it is relevant (all of `show_if` must hold)."""

    name: str
    kind: str
    label: Text
    help: Text | None = None
    required: bool = True
    choices: tuple[Choice, ...] = ()
    default: str | None = None  # "today" or a value in string form
    show_if: tuple[Condition, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    clause: str | None = None
    unit: str | None = None  # "jpy": an amount of yen (¥ and 円 and thousands separators are read)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "label": self.label,
            "help": self.help,
            "required": self.required,
            "choices": [c.to_dict() for c in self.choices],
            "default": self.default,
            "show_if": [c.to_dict() for c in self.show_if],
            "min": self.minimum,
            "max": self.maximum,
            "clause": self.clause,
            "unit": self.unit,
        }


EFFECTS = ("excludes", "meets", "note")  # DESIGN: the card shows `excludes` first


class Cited(NamedTuple):
    """One sentence of a decision with the clause (and reading) it rests on: a reason, which has an `effect`
    (excludes, meets or note: how it bears on the status), or a next step, which has none."""

    code: str
    clause: str
    message: Text
    interpretation: str | None = None
    effect: str | None = None

    def to_dict(self) -> dict[str, Any]:
        found = self._asdict()
        if self.effect is None:
            del found["effect"]  # a next step
        return found


Reason = Step = Cited  # a reason (engine.Claim.reason gives it its effect) and a next step (how to claim, where to call)


class Billing(NamedTuple):
    """A LINE option's monthly fees as figures (what was charged by the claim date, what the term costs in all),
    with the clause and reading behind them and a summary in words."""

    clause: str
    interpretation: str
    tax_clause: str
    monthly_fee_jpy: int
    monthly_fee_jpy_with_tax: int
    tax_percent: int
    first_month_free: bool
    billing_day: int
    first_fee_month: str  # YYYY-MM
    first_charge_date: date
    months_to_claim: int
    charged_months: int  # fees already debited on the billing day by the claim date
    last_fee_month: str | None = None  # None: fees run until the option is cancelled
    months_total: int | None = None
    summary: Text | None = None

    def to_dict(self) -> dict[str, Any]:
        monthly, monthly_tax = self.monthly_fee_jpy, self.monthly_fee_jpy_with_tax
        total = self.months_total
        return {
            "clause": self.clause,
            "interpretation": self.interpretation,
            "monthly_fee_jpy": monthly,
            "monthly_fee_jpy_with_tax": monthly_tax,
            "tax_percent": self.tax_percent,
            "tax_clause": self.tax_clause,
            "first_month_free": self.first_month_free,
            "billing_day": self.billing_day,
            "first_fee_month": self.first_fee_month,
            "first_charge_date": self.first_charge_date.isoformat(),
            "last_fee_month": self.last_fee_month,
            "months_to_claim": self.months_to_claim,
            "cost_to_claim_jpy": self.months_to_claim * monthly,
            "cost_to_claim_jpy_with_tax": self.months_to_claim * monthly_tax,
            "charged_by_claim_date_jpy": self.charged_months * monthly,
            "charged_by_claim_date_jpy_with_tax": self.charged_months * monthly_tax,
            "months_total": total,
            "cost_total_jpy": None if total is None else total * monthly,
            "cost_total_jpy_with_tax": None if total is None else total * monthly_tax,
            "summary": self.summary,
        }


class Obligation(NamedTuple):
    """Something the customer must do (by `due`), and what it costs not to."""

    code: str
    clause: str
    message: Text
    due: date | None = None
    penalty_jpy: int | None = None
    interpretation: str | None = None
    penalty_jpy_with_tax: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {**self._asdict(), "due": self.due.isoformat() if self.due else None}


class FieldError(NamedTuple):
    """One bad answer, said at its field in both languages."""

    field: str
    code: str
    message: Text

    def to_dict(self) -> dict[str, Any]:
        return self._asdict()


class Alternative(NamedTuple):
    """A change to the answers that would change the outcome, with the outcome it gives (computed, not promised)."""

    changes: dict[str, str]
    status: str
    customer_pays_jpy: int | None
    customer_pays_jpy_with_tax: int | None
    message: Text

    def to_dict(self) -> dict[str, Any]:
        return {**self._asdict(), "changes": dict(self.changes)}


class Decision:
    """What `rules.evaluate` returns; `to_dict()` is the public JSON contract (DESIGN.md)."""

    def __init__(self, program: str, status: str = "incomplete") -> None:
        self.program = program
        self.status = status
        self.claim_date: date | None = None
        self.fee_jpy: int | None = None
        self.fee_jpy_with_tax: int | None = None
        self.customer_pays_jpy: int | None = None
        self.customer_pays_jpy_with_tax: int | None = None
        self.excess_jpy: int | None = None
        self.cap_jpy: int | None = None  # the repair cap that applied, where one did (untaxed)
        self.tax_percent: int | None = None
        self.coverage_start: date | None = None
        self.coverage_end: date | None = None
        self.coverage_label: Text | None = None  # what the window is: a warranty, a return window, an option's cover
        self.remedies: list[str] = []
        self.reasons: list[Reason] = []
        self.obligations: list[Obligation] = []
        self.next_steps: list[Step] = []
        self.billing: Billing | None = None
        self.missing: list[str] = []
        self.errors: list[FieldError] = []
        self.alternatives: list[Alternative] = []

    def to_dict(self) -> dict[str, Any]:
        def iso(value: date | None) -> str | None:
            return value.isoformat() if value else None

        return {
            "program": self.program,
            "status": self.status,
            "claim_date": iso(self.claim_date),
            "fee_jpy": self.fee_jpy,
            "fee_jpy_with_tax": self.fee_jpy_with_tax,
            "customer_pays_jpy": self.customer_pays_jpy,
            "customer_pays_jpy_with_tax": self.customer_pays_jpy_with_tax,
            "excess_jpy": self.excess_jpy,
            "cap_jpy": self.cap_jpy,
            "tax_percent": self.tax_percent,
            "coverage_start": iso(self.coverage_start),
            "coverage_end": iso(self.coverage_end),
            "coverage_label": self.coverage_label,
            "remedies": list(self.remedies),
            "reasons": [r.to_dict() for r in self.reasons],
            "obligations": [o.to_dict() for o in self.obligations],
            "next_steps": [s.to_dict() for s in self.next_steps],
            "billing": self.billing.to_dict() if self.billing else None,
            "interpretations": sorted({r.interpretation for r in [*self.reasons, *self.obligations, *self.next_steps] if r.interpretation}),
            "missing": list(self.missing),
            "errors": [e.to_dict() for e in self.errors],
            "alternatives": [a.to_dict() for a in self.alternatives],
        }
