"""Warranty rules for three phone warranty programs; standard library only, runs in CPython and Pyodide."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from typing import Any

from .engine import Program, evaluate_program
from .model import Decision
from .programs import PROGRAMS

__all__ = ["PROGRAMS", "Decision", "Program", "UnknownProgram", "evaluate", "evaluate_json", "questions"]


class UnknownProgram(KeyError):
    """A program id that is not one of PROGRAMS."""


def _program(program_id: str) -> Program:
    try:
        return PROGRAMS[program_id]
    except KeyError:
        raise UnknownProgram(f"unknown program {program_id!r}; choose one of: {', '.join(PROGRAMS)}") from None


def evaluate(program_id: str, answers: Mapping[str, Any], today: str | date | None = None) -> Decision:
    """Decide one claim; `today` only supplies the default claim date."""
    if today is None:
        day = date.today()
    elif isinstance(today, date):
        day = today
    else:
        day = date.fromisoformat(today)
    return evaluate_program(_program(program_id), answers, day)


def questions(program_id: str) -> dict[str, Any]:
    """The question schema of one program (labels, kinds, choices, show_if conditions)."""
    return _program(program_id).questions()


def evaluate_json(program_id: str, answers_json: str, today: str | None = None) -> str:
    """The browser worker's entry point: JSON in, JSON out, never an exception."""
    try:
        answers = json.loads(answers_json)
        if not isinstance(answers, dict):
            answers = {}
        decision = evaluate(program_id, answers, today=today if isinstance(today, str) and today else None).to_dict()
    except UnknownProgram as exc:
        decision = {"program": program_id, "status": "invalid", "missing": [], "reasons": [],
                    "errors": [{"field": "program", "code": "unknown_program", "message": {"en": str(exc.args[0]), "ja": f"プログラム {program_id!r} はありません。"}}]}
    except ValueError:
        decision = {"program": program_id, "status": "invalid", "missing": [], "reasons": [],
                    "errors": [{"field": "today", "code": "bad_date", "message": {"en": "today must be YYYY-MM-DD.", "ja": "today は YYYY-MM-DD の形式で指定してください。"}}]}
    return json.dumps(decision, ensure_ascii=False)
