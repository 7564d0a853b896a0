"""Warranty rules for three phone warranty programs; standard library only, runs in CPython and Pyodide."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime
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
    elif isinstance(today, datetime):
        day = today.date()  # a datetime is a date too, but does not compare with one
    elif isinstance(today, date):
        day = today
    else:
        day = date.fromisoformat(today)
    return evaluate_program(_program(program_id), answers, day)


MAX_ANSWERS_CHARS = 64 * 1024  # a form's answers are a few hundred characters; anything larger is not one
MAX_ANSWERS_DEPTH = 4  # answers are a flat object of strings; allow a little nesting before refusing


def too_deep(text: str) -> bool:
    """Nested beyond MAX_ANSWERS_DEPTH, told before parsing: json.loads recurses once per bracket."""
    if text.count("{") + text.count("[") <= MAX_ANSWERS_DEPTH:
        return False  # no deeper than the brackets it opens: a form's flat object needs no walk
    depth = deepest = 0
    for char in text:
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest > MAX_ANSWERS_DEPTH


def read_answers(text: Any) -> tuple[dict[str, Any] | None, str, dict[str, str] | None]:
    """Answers JSON as an object, or a bilingual reason it cannot be one (too long, too deep, not JSON, not an object)."""
    if not isinstance(text, str):
        return (
            None,
            "bad_json",
            {"en": "The answers could not be read (not JSON text).", "ja": "回答を読み取れませんでした（JSON の文字列ではありません）。"},
        )
    if len(text) > MAX_ANSWERS_CHARS:
        return (
            None,
            "too_long",
            {
                "en": f"The answers are too long (more than {MAX_ANSWERS_CHARS:,} characters).",
                "ja": f"回答が長すぎます（{MAX_ANSWERS_CHARS:,}文字を超えています）。",
            },
        )
    if too_deep(text):
        return (
            None,
            "too_deep",
            {
                "en": "The answers are nested too deeply to be a form's answers.",
                "ja": "回答の入れ子が深すぎます。フォームの回答ではありません。",
            },
        )
    try:
        loaded = json.loads(text)
    except ValueError:
        return (
            None,
            "bad_json",
            {"en": "The answers could not be read (not JSON).", "ja": "回答を読み取れませんでした（JSON ではありません）。"},
        )
    if not isinstance(loaded, dict):
        return (
            None,
            "not_object",
            {
                "en": "The answers must be a JSON object of field names to answers.",
                "ja": "回答は、項目名と回答の組からなる JSON オブジェクトで指定してください。",
            },
        )
    return loaded, "", None


def questions(program_id: str) -> dict[str, Any]:
    """The question schema of one program (labels, kinds, choices, show_if conditions)."""
    return _program(program_id).questions()


def evaluate_json(program_id: str, answers_json: str, today: str | None = None) -> str:
    """The browser worker's entry point: JSON in, JSON out (always the full decision shape), never an exception."""
    known = isinstance(program_id, str) and program_id in PROGRAMS
    refused = Decision(program=program_id if isinstance(program_id, str) else repr(program_id)[:80], status="invalid")
    if not known:
        shown = repr(program_id)[:80]
        refused.errors.append(
            FieldError(
                "program",
                "unknown_program",
                {
                    "en": f"Unknown program {shown}; choose one of: {', '.join(PROGRAMS)}.",
                    "ja": f"プログラム {shown} はありません。{'、'.join(PROGRAMS)} のいずれかを指定してください。",
                },
            )
        )
    day = None
    try:
        day = date.fromisoformat(today) if isinstance(today, str) and today else None
    except ValueError:
        refused.errors.append(
            FieldError(
                "today", "bad_date", {"en": "today must be a date as YYYY-MM-DD.", "ja": "today は YYYY-MM-DD の形式で指定してください。"}
            )
        )
    answers, code, problem = read_answers(answers_json)
    if code == "not_object":
        answers, problem = {}, None  # JSON that is not an object holds no answers: the decision says what is missing
    if problem:
        refused.errors.append(FieldError("answers", code, problem))
    if refused.errors:
        return json.dumps(refused.to_dict(), ensure_ascii=False)
    decision = evaluate(program_id, answers or {}, today=day)
    return json.dumps(decision.to_dict(), ensure_ascii=False)
