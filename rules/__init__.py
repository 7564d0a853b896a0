"""Warranty rules for three phone warranty programs; standard library only, runs in CPython and Pyodide."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from typing import Any

from .engine import Program, evaluate_program
from .model import Decision, FieldError
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
    """The browser worker's entry point: JSON in, JSON out (always the full decision shape), never an exception."""
    refused = Decision(program=program_id, status="invalid")
    if program_id not in PROGRAMS:
        refused.errors.append(FieldError("program", "unknown_program", {
            "en": f"Unknown program {program_id!r}; choose one of: {', '.join(PROGRAMS)}.",
            "ja": f"プログラム {program_id!r} はありません。{'、'.join(PROGRAMS)} のいずれかを指定してください。"}))
    day = None
    try:
        day = date.fromisoformat(today) if isinstance(today, str) and today else None
    except ValueError:
        refused.errors.append(FieldError("today", "bad_date", {
            "en": "today must be a date as YYYY-MM-DD.", "ja": "today は YYYY-MM-DD の形式で指定してください。"}))
    answers: Any = {}
    try:
        answers = json.loads(answers_json)
    except (TypeError, ValueError):
        refused.errors.append(FieldError("answers", "bad_json", {
            "en": "The answers could not be read (not JSON).", "ja": "回答を読み取れませんでした（JSON ではありません）。"}))
    if refused.errors:
        return json.dumps(refused.to_dict(), ensure_ascii=False)
    decision = evaluate(program_id, answers if isinstance(answers, dict) else {}, today=day)
    return json.dumps(decision.to_dict(), ensure_ascii=False)
