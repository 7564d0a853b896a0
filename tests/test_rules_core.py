"""The shared machinery: period arithmetic, answer reading, the terms data and the command line."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, time
from pathlib import Path

import pytest

import rules
from rules import periods, terms
from rules.fields import luhn_ok, parse_one
from rules.model import Choice, Field, FieldError

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(("start", "months", "end"), [
    ("2026-01-15", 12, "2027-01-15"),   # DESIGN.md's example
    ("2026-05-31", 6, "2026-11-30"),    # no 31 November: the month's last day
    ("2024-02-29", 12, "2025-02-28"),
    ("2026-01-31", 1, "2026-02-28"),
    ("2026-12-01", 1, "2027-01-01"),
])
def test_months_follow_the_civil_code(start: str, months: int, end: str) -> None:
    assert periods.add_months(date.fromisoformat(start), months) == date.fromisoformat(end)


def test_days_do_not_count_the_first_day() -> None:
    assert periods.add_days(date(2026, 1, 1), 90) == date(2026, 4, 1)


@pytest.mark.parametrize(("day", "first"), [("2026-01-31", "2026-02-01"), ("2026-12-15", "2027-01-01")])
def test_first_of_next_month(day: str, first: str) -> None:
    assert periods.first_of_next_month(date.fromisoformat(day)) == date.fromisoformat(first)


def test_month_end_and_months_between() -> None:
    assert periods.month_end(2028, 2) == date(2028, 2, 29)
    assert periods.months_between(date(2026, 11, 30), date(2027, 1, 1)) == 2


DATE = Field("d", "date", {"en": "Date", "ja": "日付"})
NUMBER = Field("n", "int", {"en": "Count", "ja": "回数"}, minimum=0, maximum=99)
CHOICE = Field("c", "choice", {"en": "Pick", "ja": "選択"}, choices=(Choice("a", {"en": "A", "ja": "A"}),))
TIME = Field("t", "time", {"en": "Time", "ja": "時刻"})
MONTH = Field("m", "month", {"en": "Month", "ja": "年月"})
FLAG = Field("b", "bool", {"en": "Flag", "ja": "フラグ"})
IMEI = Field("i", "imei", {"en": "IMEI", "ja": "IMEI"})


@pytest.mark.parametrize(("spec", "raw", "code"), [
    (DATE, "2026-02-30", "bad_date"), (DATE, "30/02/2026", "bad_date"), (DATE, "1999-12-31", "date_out_of_range"),
    (NUMBER, "-1", "negative"), (NUMBER, "abc", "bad_number"), (NUMBER, "100", "too_large"), (NUMBER, True, "bad_number"),
    (CHOICE, "b", "bad_choice"), (TIME, "24:00", "bad_time"), (MONTH, "2026-13", "bad_month"), (MONTH, "1990-01", "date_out_of_range"),
    (FLAG, "maybe", "bad_choice"), (IMEI, "12345", "bad_imei"), (IMEI, "490154203237519", "bad_imei_checksum"),
])
def test_bad_answers_get_a_bilingual_message(spec: Field, raw: object, code: str) -> None:
    error = parse_one(spec, raw)
    assert isinstance(error, FieldError) and error.code == code
    assert error.message["en"].startswith(spec.label["en"]) and error.message["ja"].startswith(spec.label["ja"])


@pytest.mark.parametrize(("spec", "raw", "value"), [
    (DATE, date(2026, 1, 2), date(2026, 1, 2)), (NUMBER, "12", 12), (NUMBER, 7, 7), (FLAG, "yes", True), (FLAG, False, False),
    (TIME, "18:00", time(18, 0)), (IMEI, "4901 5420 3237 518", "490154203237518"), (IMEI, "49-0154203237518", "490154203237518"),
])
def test_good_answers_are_read_in_any_form(spec: Field, raw: object, value: object) -> None:
    assert parse_one(spec, raw) == value


def test_luhn() -> None:
    assert luhn_ok("490154203237518") and not luhn_ok("490154203237519")


def test_terms_values_follow_their_effective_date() -> None:
    general = terms.general()
    assert general.amount("consumption_tax_percent", date(2019, 9, 30)) == 8
    assert general.amount("consumption_tax_percent", date(2019, 10, 1)) == 10
    with pytest.raises(terms.TermsError):
        general.get("no_such_parameter", date(2026, 1, 1))
    with pytest.raises(terms.TermsError):
        general.get("consumption_tax_percent", date(1999, 1, 1))


def test_every_parameter_names_a_clause_and_dated_values() -> None:
    for program in rules.PROGRAMS.values():
        data = terms.load(program.data)
        assert data.params, program.id
        for name, param in data.params.items():
            assert param["clause"], name
            for since in param["values"]:
                date.fromisoformat(since)


def test_unknown_program_and_bad_today() -> None:
    with pytest.raises(rules.UnknownProgram):
        rules.evaluate("nope", {})
    assert json.loads(rules.evaluate_json("nope", "{}"))["errors"][0]["code"] == "unknown_program"
    assert json.loads(rules.evaluate_json("ismartphones", "{}", "31/12/2026"))["errors"][0]["field"] == "today"
    assert json.loads(rules.evaluate_json("ismartphones", "[1, 2]", "2026-11-21"))["status"] == "incomplete"


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "rules", *args], cwd=ROOT, capture_output=True, text=True)


def test_cli_evaluate_prints_the_same_json_as_the_api() -> None:
    answers = {"item": "mobile_device", "received_date": "2026-01-15"}
    out = run_cli("evaluate", "ismartphones", "--answers", json.dumps(answers), "--today", "2026-06-01")
    assert out.returncode == 0
    assert json.loads(out.stdout) == rules.evaluate("ismartphones", answers, today="2026-06-01").to_dict()


def test_cli_questions_and_explain() -> None:
    schema = json.loads(run_cli("questions", "line-byod" if "line-byod" in rules.PROGRAMS else "ismartphones").stdout)
    assert schema["fields"] and all({"name", "kind", "label"} <= set(f) for f in schema["fields"])
    text = run_cli("explain", "ismartphones", "--answers", '{"item": "mobile_device", "received_date": "2026-01-15"}', "--today", "2027-02-01", "--lang", "ja").stdout
    assert text.startswith("ismartphones: ")


@pytest.mark.parametrize(("args", "message"), [
    (("evaluate", "nope"), "unknown program"),
    (("evaluate", "ismartphones", "--answers", "{bad"), "not valid JSON"),
    (("evaluate", "ismartphones", "--answers", "[]"), "JSON object"),
    (("evaluate", "ismartphones", "--today", "tomorrow"), "YYYY-MM-DD"),
])
def test_cli_errors_say_what_to_do(args: tuple[str, ...], message: str) -> None:
    out = run_cli(*args)
    assert out.returncode != 0 and message in out.stderr
