"""The shared machinery: period arithmetic, answer reading, the terms data and the command line."""

from __future__ import annotations

import ast
import json
import re
import runpy
import subprocess
import sys
from datetime import date, datetime, time
from pathlib import Path

import pytest

import rules
from rules import periods, terms, words
from rules.__main__ import main as cli_main
from rules.fields import MAX_PARSED, Month, luhn_ok, parse_one, read
from rules.fmt import t
from rules.model import Choice, Condition, Field, FieldError

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        ("2026-01-15", 12, "2027-01-15"),  # DESIGN.md's example
        ("2026-05-31", 6, "2026-11-30"),  # no 31 November: the month's last day
        ("2024-02-29", 12, "2025-02-28"),
        ("2026-01-31", 1, "2026-02-28"),
        ("2026-12-01", 1, "2027-01-01"),
    ],
)
def test_months_follow_the_civil_code(start: str, months: int, end: str) -> None:
    assert periods.add_months(date.fromisoformat(start), months) == date.fromisoformat(end)


def test_days_do_not_count_the_first_day() -> None:
    assert periods.add_days(date(2026, 1, 1), 90) == date(2026, 4, 1)


@pytest.mark.parametrize(("day", "first"), [("2026-01-31", "2026-02-01"), ("2026-12-15", "2027-01-01")])
def test_first_of_next_month(day: str, first: str) -> None:
    assert periods.first_of_next_month(date.fromisoformat(day)) == date.fromisoformat(first)


def test_month_lengths_match_the_calendar_module() -> None:
    import calendar

    for year in range(1999, 2101):  # the readable years and one either side, leap centuries included
        for month in range(1, 13):
            assert periods.days_in_month(year, month) == calendar.monthrange(year, month)[1], (year, month)


def test_month_end_and_month_numbers() -> None:
    assert periods.month_end(2028, 2) == date(2028, 2, 29)
    assert periods.month_index(2027, 1) - periods.month_index(2026, 11) == 2
    assert periods.month_of(periods.month_index(2026, 12) + 1) == (2027, 1)


DATE = Field("d", "date", {"en": "Date", "ja": "日付"})
NUMBER = Field("n", "int", {"en": "Count", "ja": "回数"}, minimum=0, maximum=99)
CHOICE = Field("c", "choice", {"en": "Pick", "ja": "選択"}, choices=(Choice("a", {"en": "A", "ja": "A"}),))
TIME = Field("t", "time", {"en": "Time", "ja": "時刻"})
MONTH = Field("m", "month", {"en": "Month", "ja": "年月"})
FLAG = Field("b", "bool", {"en": "Flag", "ja": "フラグ"})
IMEI = Field("i", "imei", {"en": "IMEI", "ja": "IMEI"})


@pytest.mark.parametrize(
    ("spec", "raw", "code"),
    [
        (DATE, "2026-02-30", "bad_date"),
        (DATE, "30/02/2026", "bad_date"),
        (DATE, "1999-12-31", "date_out_of_range"),
        (NUMBER, "-1", "negative"),
        (NUMBER, "abc", "bad_number"),
        (NUMBER, "100", "too_large"),
        (NUMBER, True, "bad_number"),
        (CHOICE, "b", "bad_choice"),
        (TIME, "24:00", "bad_time"),
        (MONTH, "2026-13", "bad_month"),
        (MONTH, "1990-01", "date_out_of_range"),
        (FLAG, "maybe", "bad_choice"),
        (IMEI, "12345", "bad_imei"),
        (IMEI, "490154203237519", "bad_imei_checksum"),
    ],
)
def test_bad_answers_get_a_bilingual_message(spec: Field, raw: object, code: str) -> None:
    error = parse_one(spec, raw)
    assert isinstance(error, FieldError) and error.code == code
    assert error.message["en"].startswith(spec.label["en"]) and error.message["ja"].startswith(spec.label["ja"])


@pytest.mark.parametrize(
    ("spec", "raw", "value"),
    [
        (DATE, date(2026, 1, 2), date(2026, 1, 2)),
        (NUMBER, "12", 12),
        (NUMBER, 7, 7),
        (FLAG, "yes", True),
        (FLAG, False, False),
        (TIME, "18:00", time(18, 0)),
        (IMEI, "4901 5420 3237 518", "490154203237518"),
        (IMEI, "49-0154203237518", "490154203237518"),
    ],
)
def test_good_answers_are_read_in_any_form(spec: Field, raw: object, value: object) -> None:
    assert parse_one(spec, raw) == value


def test_answers_read_before_are_read_the_same_again_each_by_its_own_question() -> None:
    """read() remembers each question's texts: a text read once for one question is not another question's answer."""
    fields = (
        Field("bought", "date", t("Bought", "購入日")),
        Field("released", "month", t("Released", "発売月")),
        Field("count", "int", t("Count", "回数"), minimum=0),
    )
    for _ in range(2):
        answers = read(fields, {"bought": "2026-01-10", "released": "2026-01-10", "count": "2026-01-10"}, date(2026, 11, 21))
        assert answers.values == {"bought": date(2026, 1, 10)}
        assert [(e.field, e.code) for e in answers.errors] == [("released", "bad_month"), ("count", "bad_number")]
    for n in range(MAX_PARSED * 2):  # more texts than it keeps: still each read as itself
        assert read(fields, {"count": str(n)}, date(2026, 11, 21)).values["count"] == n


def test_questions_whose_conditions_go_round_in_a_circle_are_refused() -> None:
    fields = (
        Field("a", "bool", t("A", "A"), show_if=(Condition("b", ("true",)),)),
        Field("b", "bool", t("B", "B"), show_if=(Condition("a", ("true",)),)),
    )
    with pytest.raises(ValueError, match="a → b → a"):
        read(fields, {}, date(2026, 11, 21))


def test_luhn() -> None:
    assert luhn_ok("490154203237518") and not luhn_ok("490154203237519")


def test_terms_values_follow_their_effective_date() -> None:
    general = terms.general()
    assert general.amount("consumption_tax_percent", date(2019, 9, 30)) == 8
    assert general.amount("consumption_tax_percent", date(2019, 10, 1)) == 10
    assert general.amount("consumption_tax_percent", date(2019, 9, 30)) == 8  # asked again: the same date's value
    with pytest.raises(terms.TermsError):
        general.get("no_such_parameter", date(2026, 1, 1))
    with pytest.raises(terms.TermsError):
        general.get("consumption_tax_percent", date(1999, 1, 1))


def test_the_browser_archive_s_json_data_gives_the_toml_tables(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The archive holds each data file as JSON (build.rules_sources); rules.terms reads it when no TOML is there."""
    import tomllib

    import build

    for rel, text in build.rules_sources(Path(rules.__file__).parent).items():
        if rel.startswith("rules/data/"):
            (tmp_path / Path(rel).name).write_text(text, encoding="utf-8")
    monkeypatch.setattr(terms, "DATA_DIR", tmp_path)
    for path in sorted((Path(rules.__file__).parent / "data").glob("*.toml")):
        if path.name in build.NOT_IN_BROWSER:  # the interface words: the build writes them into the scripts instead
            continue
        assert not (tmp_path / path.name).exists()
        assert terms._tables(path.stem) == tomllib.loads(path.read_text(encoding="utf-8"))


def test_a_missing_data_file_names_the_toml_to_add(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(terms, "DATA_DIR", tmp_path)
    with pytest.raises(terms.TermsError, match=r"no data file .*nowhere\.toml"):
        terms._tables("nowhere")


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
    unreadable = json.loads(rules.evaluate_json("ismartphones", "{bad", "2026-11-21"))
    assert [(e["field"], e["code"]) for e in unreadable["errors"]] == [("answers", "bad_json")]
    assert unreadable["fee_jpy"] is None and unreadable["remedies"] == []  # the full decision shape


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "rules", *args], cwd=ROOT, capture_output=True, text=True)


def test_python_dash_m_rules_runs_the_cli() -> None:
    """The real entry point, once, in a child process (everything else runs main() in-process for coverage)."""
    out = run_cli("questions", "ismartphones")
    assert out.returncode == 0 and json.loads(out.stdout)["program"] == "ismartphones"


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli_main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_cli_evaluate_prints_the_same_json_as_the_api(capsys: pytest.CaptureFixture[str]) -> None:
    answers = {"item": "mobile_device", "received_date": "2026-01-15"}
    code, out, _ = cli(capsys, "evaluate", "ismartphones", "--answers", json.dumps(answers), "--today", "2026-06-01")
    assert code == 0
    assert json.loads(out) == rules.evaluate("ismartphones", answers, today="2026-06-01").to_dict()


def test_cli_questions_prints_the_schema(capsys: pytest.CaptureFixture[str]) -> None:
    for program in rules.PROGRAMS:
        code, out, _ = cli(capsys, "questions", program)
        assert code == 0 and json.loads(out) == rules.questions(program)


@pytest.mark.filterwarnings("ignore:'rules.__main__' found in sys.modules:RuntimeWarning")
def test_module_main_guard_runs_main(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "argv", ["python -m rules", "questions", "line-device"])
    with pytest.raises(SystemExit) as exit_info:
        runpy.run_module("rules", run_name="__main__")
    assert exit_info.value.code == 0 and json.loads(capsys.readouterr().out)["program"] == "line-device"


LINE_DEVICE_COVERED = {
    "contract_date": "2025-04-01",
    "bought_from_line": True,
    "joined_at_signup": True,
    "incident_date": "2026-11-20",
    "damage": "water",
    "claims_past_year": 0,
}
LINE_BYOD_OVER_CAP = {
    "contract_date": "2025-04-01",
    "sim_only_signup": True,
    "joined_at_signup": True,
    "os": "android",
    "wifi_model": False,
    "japan_model": True,
    "imei_registered_date": "2025-04-01",
    "registered_in_good_condition": True,
    "incident_date": "2026-11-20",
    "damage": "breakage",
    "claims_past_year": 0,
    "service": "repair",
    "repair_cost_jpy": 70000,
}


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_cli_explain_reads_a_covered_claim_aloud(capsys: pytest.CaptureFixture[str], lang: str) -> None:
    code, out, _ = cli(
        capsys, "explain", "line-device", "--answers", json.dumps(LINE_DEVICE_COVERED), "--today", "2026-11-21", "--lang", lang
    )
    decision = rules.evaluate("line-device", LINE_DEVICE_COVERED, today="2026-11-21").to_dict()
    assert code == 0 and out.startswith("line-device: ") and "(covered)" in out.splitlines()[0]
    assert "2025-04-01" in out and "2028-04-30" in out  # the coverage window
    assert "5,000" in out and "5,500" in out  # fee before and with tax
    for item in [*decision["reasons"], *decision["obligations"], *decision["next_steps"]]:
        assert item["message"][lang] in out and f"[{item['clause']}" in out
    assert "2026-12-06" in out  # the send-back deadline
    assert decision["billing"]["summary"][lang] in out
    assert f"  {words.say('obligations', lang)}:" in out  # the card's words: one table for every interface


def test_cli_explain_shows_the_cap_excess_and_an_open_ended_window(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = cli(capsys, "explain", "line-byod", "--answers", json.dumps(LINE_BYOD_OVER_CAP), "--today", "2026-11-21")
    assert "Cover period: 2025-05-01 to open-ended" in out
    assert "customer pays: ¥24,000 before tax, ¥24,400 with tax" in out
    assert "of which ¥20,000 above the repair cap (not taxed)" in out
    assert "→ An exchange has no repair cap" in out and "(service=exchange)" in out  # what would change the answer
    reasons = [line.strip()[0] for line in out.splitlines() if line.strip()[:1] in "✗✓•" and line.strip()]
    assert reasons == sorted(reasons, key="✗✓•".index)  # what rules it out first, then what is met, then notes


def test_cli_explain_says_free_of_charge_and_names_a_return_window(capsys: pytest.CaptureFixture[str]) -> None:
    answers = {"request": "return", "item": "mobile_device", "received_date": "2026-11-01", "item_state": "unopened"}
    _, out, _ = cli(capsys, "explain", "ismartphones", "--answers", json.dumps(answers), "--today", "2026-11-21", "--lang", "ja")
    assert "返品期間: 2026-11-01 〜 2026-12-01" in out and "無料" in out and "0円" not in out


def test_cli_explain_lists_missing_answers_and_errors(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = cli(capsys, "explain", "ismartphones", "--answers", '{"claim_date": "junk"}', "--today", "2026-11-21", "--lang", "ja")
    assert out.startswith("ismartphones: 入力内容をご確認ください (invalid)")
    assert not any(line.startswith(("  申請日", "  保証期間", "  料金")) for line in out.splitlines())  # no date or money to state
    assert "未入力の項目: item, received_date" in out and "入力エラー claim_date: 申請日：" in out
    _, out, _ = cli(capsys, "explain", "ismartphones", "--answers", '{"item": "accessory"}', "--today", "2026-11-21")
    assert out.startswith("ismartphones: A few more answers are needed (incomplete)") and "Still needed: received_date" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("evaluate", "nope"), "unknown program"),
        (("questions", "nope"), "unknown program"),
        (("evaluate", "ismartphones", "--answers", "{bad"), "--answers: The answers could not be read (not JSON)"),
        (("evaluate", "ismartphones", "--answers", "[]"), "JSON object"),
        (("evaluate", "ismartphones", "--answers", "[" * 100_000), "--answers: The answers are too long"),
        (("evaluate", "ismartphones", "--answers", "[" * 1000), "--answers: The answers are nested too deeply"),
        (("evaluate", "ismartphones", "--today", "tomorrow"), "YYYY-MM-DD"),
        (("evaluate", "ismartphones", "--today", "2026-11-21", "--answers", '{"item": '), "--answers"),  # not blamed on --today
    ],
)
def test_cli_errors_say_what_to_do(capsys: pytest.CaptureFixture[str], args: tuple[str, ...], message: str) -> None:
    try:
        code = cli_main(list(args))
        err = capsys.readouterr().err
    except SystemExit as exc:
        code, err = 1, str(exc.code)
    assert code != 0 and message in err
    assert "Traceback" not in err


def test_evaluate_json_refuses_what_cannot_be_answers_without_raising() -> None:
    """Issue 17, item 8: deep or huge JSON, an unhashable program id and a datetime `today` never raise."""
    for payload, code in (("[" * 100_000, "too_long"), ("[" * 5000, "too_deep"), ('{"a": ' * 50 + "1" + "}" * 50, "too_deep")):
        decision = json.loads(rules.evaluate_json("line-byod", payload))
        assert decision["status"] == "invalid" and [e["code"] for e in decision["errors"]] == [code]
        assert all(e["message"]["en"] and e["message"]["ja"] for e in decision["errors"])
    assert json.loads(rules.evaluate_json(["line-byod"], "{}"))["errors"][0]["code"] == "unknown_program"  # type: ignore[arg-type]
    assert rules.evaluate("ismartphones", {"received_date": "2026-11-01"}, today=datetime(2026, 11, 21, 23, 59)).claim_date == date(
        2026, 11, 21
    )


def test_cli_usage_errors_exit_with_argparse_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli_main(["explain", "ismartphones", "--lang", "fr"])
    assert exit_info.value.code == 2 and "invalid choice" in capsys.readouterr().err


# -- regressions found by tests/test_properties.py -------------------------------------


def test_a_default_claim_date_outside_the_readable_years_is_an_answer_error_not_a_crash() -> None:
    """today=1999 made the claim date unreadable, and the tax look-up fell back to 1999, where no rate is in force."""
    for program in rules.PROGRAMS:
        for today in ("1999-01-01", "2100-06-01"):
            decision = rules.evaluate(
                program,
                {
                    "item": "mobile_device",
                    "received_date": "2026-01-15",
                    "cause": "defect",
                    "opened_or_modified": False,
                    "serial_unreadable": False,
                    "sim": "standard",
                    # past LINE's eligibility questions, which come before the claim date
                    "bought_from_line": True,
                    "sim_only_signup": True,
                    "joined_at_signup": True,
                    "wifi_model": False,
                    "japan_model": True,
                    "imei_registered_date": "2026-01-15",
                    "registered_in_good_condition": True,
                },
                today=today,
            )
            assert decision.status == "invalid" and any(e.field == "claim_date" for e in decision.errors), program


def test_an_option_cancelled_before_cover_begins_shows_its_empty_window_and_says_why() -> None:
    """line-byod cover starts on the 1st of the next month; cancelling in the contract month leaves end < start (issue 12, item 7)."""
    answers = {
        **LINE_BYOD_OVER_CAP,
        "contract_date": "2026-06-01",
        "imei_registered_date": "2026-06-01",
        "incident_date": "2026-06-10",
        "cancelled_date": "2026-06-05",
        "claim_date": "2026-06-11",
    }
    decision = rules.evaluate("line-byod", answers).to_dict()
    assert decision["status"] == "not_covered"
    assert (decision["coverage_start"], decision["coverage_end"]) == ("2026-07-01", "2026-06-05")
    excludes = [r["code"] for r in decision["reasons"] if r["effect"] == "excludes"]
    assert excludes == ["cancelled_before_start"]


def test_a_month_answer_may_be_a_native_month() -> None:
    as_string = rules.evaluate("line-byod", {**LINE_BYOD_OVER_CAP, "damage": "malfunction", "release_month": "2024-05"}, today="2026-11-21")
    native = rules.evaluate(
        "line-byod", {**LINE_BYOD_OVER_CAP, "damage": "malfunction", "release_month": Month(2024, 5)}, today="2026-11-21"
    )
    assert native.to_dict() == as_string.to_dict() and native.coverage_end == date(2027, 5, 31)


def test_scalars_beside_parameter_tables_are_ignored() -> None:
    flat = terms._flatten(
        {"note": "not a parameter", "fee": {"clause": "x", "values": {"2000-01-01": 1}}, "group": {"a": {"clause": "y", "values": {}}}}
    )
    assert sorted(flat) == ["fee", "group.a"]


# -- code holds logic, not figures (house style: every amount, period and deadline lives in rules/data) ---------

PROGRAM_MODULES = ("ismartphones", "line_device", "line_byod", "line_common")
# Digits a message may still hold, each because it is a format or a calendar fact, not a term of a program.
FORMAT_DIGITS = {
    "06": "*#06# is the dial code that shows an IMEI",
    "15": "an IMEI has 15 digits (GSMA TS.06)",
    "70000": "an example of how to type a yen amount",
    "70": "the same example, 70,000",
    "000": "the same example",
    "0": "“enter 0 if none”, and a blank count",
    "1": "the ordinal 1回目",
    "2": "the ordinal 2回目",
    "60": "the name of the reading ISM-REPAIR-60 (the period itself is repair_extension_days)",
    "02": "a zero-padded month in a format spec",
    "04": "a zero-padded year in a format spec",
}
CALENDAR_INTS = {0, 1, 12}  # none, the next day or month, and twelve months to a year


def _constants(module: str) -> tuple[set[object], set[str]]:
    """Numbers and the digit runs of string constants in a module, docstrings left out."""
    tree = ast.parse((Path(rules.__file__).parent / f"{module}.py").read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    numbers: set[object] = set()
    digits: set[str] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Constant) or id(node) in docstrings:
            continue
        if type(node.value) in (int, float):
            numbers.add(node.value)
        elif isinstance(node.value, str):
            digits |= set(re.findall(r"[0-9０-９]+", node.value))
    return numbers, digits


@pytest.mark.parametrize("module", PROGRAM_MODULES)
def test_program_code_and_messages_hold_no_figures(module: str) -> None:
    """Periods, prices, hours and counts come from rules/data (messages format them from parameters)."""
    numbers, digits = _constants(module)
    assert numbers <= CALENDAR_INTS, numbers - CALENDAR_INTS
    assert digits <= set(FORMAT_DIGITS), digits - set(FORMAT_DIGITS)


def test_the_figures_guard_can_fail() -> None:
    """A module with a hard-coded period is caught: the guard reads the source, not a list."""
    tree = ast.parse('MESSAGE = "within 30 days"')
    found = {
        d
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
        for d in re.findall(r"[0-9]+", node.value)
    }
    assert not found <= set(FORMAT_DIGITS)


def test_a_field_of_an_unknown_kind_is_a_programming_error_not_an_imei() -> None:
    """model.KINDS is the list parse_one reads; anything else fails loudly instead of being read as an IMEI."""
    from rules.fields import parse_one
    from rules.model import KINDS, Field

    assert {f.kind for p in rules.PROGRAMS.values() for f in p.fields} <= set(KINDS)
    with pytest.raises(ValueError, match="unknown kind 'colour'"):
        parse_one(Field("x", "colour", {"en": "X", "ja": "X"}), "red")


@pytest.mark.parametrize("zone", ["UTC", "Asia/Tokyo", "Pacific/Kiritimati", "Pacific/Pago_Pago"])
def test_the_default_claim_date_is_the_local_date_where_the_checker_runs(zone: str) -> None:
    """The claim date left blank is today where the visitor is, not today in UTC: the first day of a month in Tokyo is
    still the last of the previous one in UTC for nine hours."""
    script = (
        "import datetime, json, rules; before = datetime.date.today();"
        "got = rules.evaluate('ismartphones', {}).claim_date; after = datetime.date.today();"
        "print(json.dumps([str(before), str(got), str(after)]))"
    )
    env = {"TZ": zone, "PATH": "/usr/bin:/bin", "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    before, got, after = json.loads(done.stdout)
    assert got in (before, after)
