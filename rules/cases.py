"""The scenario files as an API: one reader and one format check for pytest, the browser tests, the site's
worked examples, the build and the benchmark (the browser never imports this module)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

from . import PROGRAMS, evaluate

SCENARIOS = Path(__file__).resolve().parent / "scenarios"
CASE_KEYS = {"name", "name_ja", "today", "example", "answers", "expect"}
REQUIRED_KEYS = {"name", "today", "answers", "expect"}
# `expect` may name any key of the decision, plus these comparisons of its own (tests/test_scenarios.py).
EXPECT_ONLY = {"excludes"}


class ScenarioError(ValueError):
    """A scenario file breaks the format; the message names the file, the case and what to write instead."""


class Case(NamedTuple):
    """One worked case: answers as the text a form or a URL carries, the day it is decided on, what to expect."""

    program: str
    name: str
    today: str  # ISO date: the claim date when the answers give none
    answers: dict[str, str]
    expect: dict[str, Any]
    name_ja: str = ""
    example: bool = False  # shown on the site as a worked example

    @property
    def status(self) -> str:
        return self.expect["status"]

    def title(self, lang: str) -> str:
        return self.name_ja if lang == "ja" and self.name_ja else self.name

    def with_claim_date(self) -> dict[str, str]:
        """The answers with the claim date pinned to `today`, so a link or a page gives the same answer any day."""
        return {**self.answers, "claim_date": self.answers.get("claim_date", self.today)}

    def decide(self) -> dict[str, Any]:
        """The decision CPython gives: what the browser must give too."""
        return evaluate(self.program, self.answers, today=self.today).to_dict()


def load_cases(program: str | None = None, folder: Path = SCENARIOS) -> list[Case]:
    """Every case of every scenario file (or of one program), checked for the format as it is read."""
    files = sorted(folder.glob("*.toml"))
    if program is not None:
        files = [path for path in files if path.stem == program]
        if not files:
            raise ScenarioError(f"no scenario file {folder / (program + '.toml')}: write one (one per program in rules.PROGRAMS)")
    return [case for path in files for case in read_file(path)]


def read_file(path: Path) -> list[Case]:
    """One scenario file's cases; a file that breaks the format raises ScenarioError saying where and why."""
    import tomllib

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{path.name} is not valid TOML: {exc}") from None
    program = data.get("program")
    if program != path.stem or program not in PROGRAMS:
        raise ScenarioError(f"{path.name}: `program = {path.stem!r}` must come first, and name one of {', '.join(PROGRAMS)}")
    decision_keys = set(evaluate(program, {}, today="2026-01-01").to_dict()) | EXPECT_ONLY
    cases, names = [], set()
    for number, raw in enumerate(data.get("case", []), start=1):
        where = f"{path.name}, case {number} ({raw.get('name', 'unnamed')!r})"
        problems = [f"unknown key {key!r}" for key in sorted(set(raw) - CASE_KEYS)]
        problems += [f"missing {key!r}" for key in sorted(REQUIRED_KEYS - set(raw))]
        problems += [
            f'answer {key} = {value!r} must be written as text, as a form sends it: {key} = "{value}"'
            for key, value in raw.get("answers", {}).items()
            if not isinstance(value, str)
        ]
        problems += [f"`expect` names {key!r}, which is not a decision key" for key in sorted(set(raw.get("expect", {})) - decision_keys)]
        if "status" not in raw.get("expect", {}):
            problems.append("`expect` must give the status")
        if not isinstance(raw.get("today"), str) or not _iso_date(raw["today"]):
            problems.append(f'`today` must be an ISO date in quotes, e.g. today = "2026-11-21" (not {raw.get("today")!r})')
        name = raw.get("name", "")
        if not (name.endswith(".") and " " in name):
            problems.append("`name` must be a full sentence ending in a full stop")
        if name in names:
            problems.append("another case has the same name")
        if problems:
            raise ScenarioError(f"{where}: " + "; ".join(problems))
        names.add(name)
        cases.append(
            Case(program, name, raw["today"], dict(raw["answers"]), dict(raw["expect"]), raw.get("name_ja", ""), raw.get("example", False))
        )
    return cases


def _iso_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True
