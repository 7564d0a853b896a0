"""LINE Mobile 端末保証 / 持込端末保証: scenario files, window and billing arithmetic, show_if, citations."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import rules
from rules import line_byod, line_device
from rules.fields import read

ROOT = Path(__file__).resolve().parent.parent
PROGRAMS = ("line-device", "line-byod")
PREFIX = {"line-device": "lnd", "line-byod": "lnb"}
DATA = {"line-device": "line_device", "line-byod": "line_byod"}

DEVICE = {
    "contract_date": "2026-01-10",
    "bought_from_line": "true",
    "joined_at_signup": "true",
    "incident_date": "2026-11-20",
    "damage": "breakage",
    "claims_past_year": "0",
}
BYOD = {
    "contract_date": "2026-01-10",
    "sim_only_signup": "true",
    "joined_at_signup": "true",
    "os": "android",
    "wifi_model": "false",
    "japan_model": "true",
    "imei_registered_date": "2026-01-12",
    "registered_in_good_condition": "true",
    "incident_date": "2026-11-20",
    "damage": "breakage",
    "service": "repair",
    "claims_past_year": "0",
}
TODAY = "2026-11-21"


def run(program: str, base: dict[str, str], today: str = TODAY, **changes: str | None) -> dict[str, Any]:
    """Evaluate base answers with some changed (None removes an answer)."""
    answers = {**base, **changes}
    return rules.evaluate(program, {k: v for k, v in answers.items() if v is not None}, today=today).to_dict()


def codes(decision: dict[str, Any], key: str = "reasons") -> list[str]:
    return [item["code"] for item in decision[key]]


# -- windows ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("contract", "end"),
    [
        ("2026-01-10", "2029-01-31"),
        ("2026-01-31", "2029-01-31"),
        ("2025-02-10", "2028-02-29"),
        ("2026-12-01", "2029-12-31"),
        ("2027-02-28", "2030-02-28"),
    ],
)
def test_device_term_ends_at_month_end_three_years_on(contract: str, end: str) -> None:
    got = run("line-device", DEVICE, today=contract, contract_date=contract, incident_date=contract)
    assert (got["coverage_start"], got["coverage_end"], got["status"]) == (contract, end, "covered")


@pytest.mark.parametrize(("contract", "start"), [("2026-01-10", "2026-02-01"), ("2026-12-31", "2027-01-01"), ("2026-02-01", "2026-03-01")])
def test_byod_starts_first_of_next_month(contract: str, start: str) -> None:
    got = run("line-byod", BYOD, contract_date=contract, imei_registered_date=contract, incident_date="2027-06-01", today="2027-06-02")
    assert got["coverage_start"] == start


@pytest.mark.parametrize(
    ("release", "end"), [("2023-11", "2026-11-30"), ("2024-02", "2027-02-28"), ("2025-02", "2028-02-29"), ("2024-12", "2027-12-31")]
)
def test_byod_malfunction_window_from_release_month(release: str, end: str) -> None:
    got = run("line-byod", BYOD, damage="malfunction", release_month=release)
    assert got["coverage_end"] == end


@pytest.mark.parametrize(
    ("damage", "cancelled", "end"),
    [
        ("water", None, None),
        ("breakage", "2026-12-15", "2026-12-15"),
        ("malfunction", "2026-12-15", "2026-12-15"),
        ("malfunction", "2031-01-05", "2027-03-31"),
    ],
)
def test_byod_coverage_end_by_cause_and_cancellation(damage: str, cancelled: str | None, end: str | None) -> None:
    got = run("line-byod", BYOD, damage=damage, release_month="2024-03", cancelled_date=cancelled)
    assert got["coverage_end"] == end


def test_malfunction_after_cancellation_reports_the_cancellation_only() -> None:
    got = run("line-byod", BYOD, damage="malfunction", release_month="2024-03", cancelled_date="2026-11-19")
    assert got["status"] == "not_covered"
    assert "incident_after_cancel" in codes(got) and "in_period" not in codes(got)


def test_byod_without_contract_or_incident_still_decides_nothing_else() -> None:
    got = run("line-byod", BYOD, contract_date=None, incident_date=None)
    assert got["status"] == "incomplete" and got["coverage_start"] is None
    got = run("line-byod", BYOD, incident_date=None)
    assert got["status"] == "incomplete" and got["coverage_start"] == "2026-02-01"


def test_device_without_contract_has_no_window() -> None:
    got = run("line-device", DEVICE, contract_date=None)
    assert got["coverage_start"] is None and got["billing"] is None
    got = run("line-device", DEVICE, incident_date=None)
    assert "in_period" not in codes(got)


# -- fees and the cap ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("program", "base", "used", "fee"),
    [
        ("line-device", DEVICE, "0", 5000),
        ("line-device", DEVICE, "1", 8000),
        ("line-device", DEVICE, "2", None),
        ("line-byod", BYOD, "0", 4000),
        ("line-byod", BYOD, "1", 8000),
        ("line-byod", BYOD, "3", None),
    ],
)
def test_fee_tiers(program: str, base: dict[str, str], used: str, fee: int | None) -> None:
    got = run(program, base, claims_past_year=used)
    assert got["fee_jpy"] == fee
    if fee is None:
        reason = next(r for r in got["reasons"] if r["code"] == "yearly_limit")
        assert reason["interpretation"].endswith("TWICE-A-YEAR")


@pytest.mark.parametrize(
    ("cost", "pays", "with_tax"),
    [
        ("0", 4000, 4400),
        ("49999", 4000, 4400),
        ("50000", 4000, 4400),
        ("50001", 4001, 4401),
        ("250000", 204000, 204400),
    ],
)
def test_repair_cap_excess_is_untaxed(cost: str, pays: int, with_tax: int) -> None:
    got = run("line-byod", BYOD, repair_cost_jpy=cost)
    assert (got["customer_pays_jpy"], got["customer_pays_jpy_with_tax"]) == (pays, with_tax)


def test_ios_exchange_mentions_repair_only_when_otherwise_covered() -> None:
    got = run("line-byod", BYOD, os="ios", service="exchange")
    assert got["status"] == "not_covered" and {"ios_exchange", "repair_available"} <= set(codes(got))
    got = run("line-byod", BYOD, os="ios", service="exchange", claims_past_year="2")
    assert "repair_available" not in codes(got)


# -- dispatch and deadlines ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("at", "desk", "dispatch", "due"),
    [
        (None, None, "dispatch_if_by_cutoff", "2026-12-06"),
        ("09:59", "desk_closed", "dispatch_today", "2026-12-06"),
        ("10:00", "desk_open", "dispatch_today", "2026-12-06"),
        ("17:59", "desk_open", "dispatch_today", "2026-12-06"),
        ("18:00", "desk_open", "dispatch_today", "2026-12-06"),
        ("18:01", "desk_open", "dispatch_next_day", "2026-12-07"),
        ("18:59", "desk_open", "dispatch_next_day", "2026-12-07"),
        ("19:00", "desk_closed", "dispatch_next_day", "2026-12-07"),
        ("23:59", "desk_closed", "dispatch_next_day", "2026-12-07"),
    ],
)
def test_cutoff_and_desk_hours(at: str | None, desk: str | None, dispatch: str, due: str) -> None:
    got = run("line-device", DEVICE, request_time=at)
    steps = codes(got, "next_steps")
    assert dispatch in steps
    assert (desk in steps) if desk else not {"desk_open", "desk_closed"} & set(steps)
    send_back = next(o for o in got["obligations"] if o["code"] == "send_back")
    assert (send_back["due"], send_back["penalty_jpy"], send_back["interpretation"]) == (due, 40000, "LND-RETURN-COUNT")


def test_byod_steps_and_obligations_follow_os_and_loaner() -> None:
    got = run("line-byod", BYOD, os="ios", loaner="true", request_time="12:00")
    assert {"find_my_off", "return_loaner", "cancel_fee", "back_up_data"} <= set(codes(got, "obligations"))
    assert "貸出端末" in next(s for s in got["next_steps"] if s["code"] == "dispatch_today")["message"]["ja"]
    got = run("line-byod", BYOD)
    assert not {"find_my_off", "return_loaner"} & set(codes(got, "obligations"))
    assert "diagnosis" in codes(got, "next_steps")


def test_not_covered_has_no_steps_or_obligations() -> None:
    got = run("line-device", DEVICE, damage="loss_theft")
    assert got["next_steps"] == [] and got["obligations"] == [] and got["fee_jpy"] is None


# -- billing -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("program", "base", "claim", "cancelled", "months", "charged", "total", "last"),
    [
        ("line-device", DEVICE, "2026-11-21", None, 10, 9, 36, "2029-01"),  # Feb..Nov accrued; Feb..Oct charged by 5 Nov
        ("line-device", DEVICE, "2026-01-20", None, 0, 0, 36, "2029-01"),  # contract month: free
        ("line-device", DEVICE, "2026-03-05", None, 2, 1, 36, "2029-01"),  # February's fee is charged on 5 March
        ("line-device", DEVICE, "2026-03-04", None, 2, 0, 36, "2029-01"),
        ("line-device", DEVICE, "2026-11-21", "2026-06-15", 5, 5, 5, "2026-06"),  # billed to the end of the cancellation month
        ("line-device", DEVICE, "2026-11-21", "2026-01-31", 0, 0, 0, "2026-01"),  # cancelled in the free month
        ("line-byod", BYOD, "2026-11-21", None, 10, 9, None, None),  # open-ended until cancelled
        ("line-byod", BYOD, "2026-11-21", "2027-03-02", 10, 9, 14, "2027-03"),
    ],
)
def test_billing(
    program: str, base: dict[str, str], claim: str, cancelled: str | None, months: int, charged: int, total: int | None, last: str | None
) -> None:
    got = run(
        program,
        base,
        claim_date=claim,
        incident_date=claim,
        imei_registered_date=claim if program == "line-byod" else None,
        cancelled_date=cancelled,
    )
    bill = got["billing"]
    monthly = 450 if program == "line-device" else 500
    assert bill["first_fee_month"] == "2026-02" and bill["first_charge_date"] == "2026-03-05" and bill["billing_day"] == 5
    assert bill["months_to_claim"] == months and bill["cost_to_claim_jpy"] == months * monthly
    assert bill["cost_to_claim_jpy_with_tax"] == months * monthly * 110 // 100
    assert bill["charged_by_claim_date_jpy"] == charged * monthly
    assert bill["months_total"] == total and bill["last_fee_month"] == last
    assert bill["cost_total_jpy"] == (None if total is None else total * monthly)
    assert bill["summary"]["en"] and bill["summary"]["ja"].endswith("。")
    assert bill["tax_clause"] == f"{PREFIX[program]}-tax"


def test_device_full_term_costs() -> None:
    bill = run("line-device", DEVICE)["billing"]
    assert (bill["monthly_fee_jpy"], bill["monthly_fee_jpy_with_tax"], bill["cost_total_jpy"], bill["cost_total_jpy_with_tax"]) == (
        450,
        495,
        16200,
        17820,
    )


def test_no_billing_when_invalid() -> None:
    assert run("line-byod", BYOD, incident_date="2026-11-30")["billing"] is None


# -- questions and show_if ------------------------------------------------------------------------

OPEN_BYOD = {
    "sim_only_signup": "true",
    "joined_at_signup": "yes",
    "wifi_model": "false",
    "japan_model": "true",
    "imei_registered_date": "2026-01-12",
    "registered_in_good_condition": "true",
}  # every gate answered so as to go on


@pytest.mark.parametrize(
    ("answers", "name", "relevant"),
    [
        ({"damage": "malfunction"}, "release_month", True),
        ({"damage": "water"}, "release_month", False),
        ({}, "release_month", False),
        ({"service": "repair"}, "repair_cost_jpy", True),
        ({"service": "exchange"}, "repair_cost_jpy", False),
        ({}, "imei", True),
        ({}, "loaner", True),
        ({"sim_only_signup": "false"}, "joined_at_signup", False),
        ({"wifi_model": "true"}, "japan_model", False),
        ({"imei_registered_date": ""}, "registered_in_good_condition", False),
        ({"registered_in_good_condition": "no"}, "incident_date", False),
    ],
)
def test_show_if(answers: dict[str, str], name: str, relevant: bool) -> None:
    """Each question is asked once the answers before it leave the claim open (yes/no answers in any spelling)."""
    asked = read(line_byod.FIELDS, {**OPEN_BYOD, **answers}, date(2026, 11, 21)).asked
    assert (name in asked) is relevant


def test_field_names_match_the_design() -> None:
    device = [f.name for f in line_device.FIELDS]
    assert device == [
        "contract_date",
        "bought_from_line",
        "joined_at_signup",
        "incident_date",
        "claim_date",
        "damage",
        "claims_past_year",
        "cancelled_date",
        "request_time",
    ]
    byod = {f.name for f in line_byod.FIELDS}
    assert byod == {
        "contract_date",
        "sim_only_signup",
        "joined_at_signup",
        "os",
        "wifi_model",
        "japan_model",
        "imei",
        "imei_registered_date",
        "registered_in_good_condition",
        "release_month",
        "incident_date",
        "claim_date",
        "damage",
        "service",
        "repair_cost_jpy",
        "claims_past_year",
        "cancelled_date",
        "request_time",
        "loaner",
    }
    assert rules.questions("line-byod")["fields"][0]["name"] == "contract_date"


# -- robustness: evaluate never raises -------------------------------------------------------------

VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.text(max_size=12),
    st.sampled_from(
        [
            "2026-02-30",
            "2026-11-21",
            "2026-01-10",
            "2024-03",
            "18:00",
            "true",
            "false",
            "ios",
            "exchange",
            "malfunction",
            "490154203237518",
            "-1",
            "99999999",
        ]
    ),
)


@settings(max_examples=300, deadline=None)
@given(
    program=st.sampled_from(PROGRAMS),
    answers=st.dictionaries(st.sampled_from([f.name for f in line_byod.FIELDS] + ["bought_from_line", "other"]), VALUES, max_size=20),
)
def test_evaluate_never_raises(program: str, answers: dict[str, Any]) -> None:
    got = rules.evaluate(program, answers, today=date(2026, 11, 21)).to_dict()
    assert got["status"] in ("covered", "not_covered", "incomplete", "invalid")
    if got["status"] == "covered":
        assert got["fee_jpy"] in (4000, 5000, 8000)
