"""The shapes a program is made of (questions) and the decision it returns."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any

from .fmt import Text

STATUSES = ("covered", "not_covered", "incomplete", "invalid")
KINDS = ("date", "month", "time", "bool", "choice", "int", "imei")


def shallow_dict(item: Any) -> dict[str, Any]:
    """A dataclass's fields as a dict, without dataclasses.asdict's deep copy (this runs on every answer)."""
    return {f.name: getattr(item, f.name) for f in fields(item)}


@dataclass(frozen=True)
class Choice:
    """One allowed value of a choice question."""

    value: str
    label: Text

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "label": self.label}


@dataclass(frozen=True)
class Condition:
    """Shown only when the answer to `field` (in its string form) is one of `values`."""

    field: str
    values: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"field": self.field, "in": list(self.values)}


@dataclass(frozen=True)
class Field:
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
        }


@dataclass(frozen=True)
class Reason:
    """Why the decision came out as it did, with the clause (and reading) behind it."""

    code: str
    clause: str
    message: Text
    interpretation: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return shallow_dict(self)


@dataclass(frozen=True)
class Obligation:
    """Something the customer must do (by `due`), and what it costs not to."""

    code: str
    clause: str
    message: Text
    due: date | None = None
    penalty_jpy: int | None = None
    interpretation: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {**shallow_dict(self), "due": self.due.isoformat() if self.due else None}


@dataclass(frozen=True)
class Step:
    """What to do next (how to claim, where to call)."""

    code: str
    clause: str
    message: Text
    interpretation: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return shallow_dict(self)


@dataclass(frozen=True)
class FieldError:
    """One bad answer, said at its field in both languages."""

    field: str
    code: str
    message: Text

    def to_dict(self) -> dict[str, Any]:
        return shallow_dict(self)


@dataclass
class Decision:
    """What `rules.evaluate` returns; `to_dict()` is the public JSON contract (DESIGN.md)."""

    program: str
    status: str = "incomplete"
    claim_date: date | None = None
    fee_jpy: int | None = None
    fee_jpy_with_tax: int | None = None
    customer_pays_jpy: int | None = None
    customer_pays_jpy_with_tax: int | None = None
    tax_percent: int | None = None
    coverage_start: date | None = None
    coverage_end: date | None = None
    remedies: list[str] = field(default_factory=list)
    reasons: list[Reason] = field(default_factory=list)
    obligations: list[Obligation] = field(default_factory=list)
    next_steps: list[Step] = field(default_factory=list)
    billing: dict[str, Any] | None = None
    missing: list[str] = field(default_factory=list)
    errors: list[FieldError] = field(default_factory=list)

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
            "tax_percent": self.tax_percent,
            "coverage_start": iso(self.coverage_start),
            "coverage_end": iso(self.coverage_end),
            "remedies": list(self.remedies),
            "reasons": [r.to_dict() for r in self.reasons],
            "obligations": [o.to_dict() for o in self.obligations],
            "next_steps": [s.to_dict() for s in self.next_steps],
            "billing": self.billing,
            "interpretations": sorted({r.interpretation for r in [*self.reasons, *self.obligations, *self.next_steps] if r.interpretation}),
            "missing": list(self.missing),
            "errors": [e.to_dict() for e in self.errors],
        }
