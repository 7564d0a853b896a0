"""ismartphones rules beyond the scenario file: schema, data, clause anchors, period edges and robustness."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import rules
from rules import ismartphones
from rules import terms as terms_data
from rules.model import STATUSES

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "rules" / "ismartphones.py"
DATA = ROOT / "rules" / "data" / "ismartphones.toml"
PAGES = {"en": ROOT / "site" / "terms" / "ismartphones.md", "ja": ROOT / "site" / "ja" / "terms" / "ismartphones.md"}
TERMS = terms_data.load("ismartphones")

CLEAN_PHONE = {"item": "mobile_device", "cause": "defect", "opened_or_modified": "false", "serial_unreadable": "false", "sim": "standard"}


def decide(answers: dict[str, Any], today: str = "2026-06-01") -> dict[str, Any]:
    return rules.evaluate("ismartphones", answers, today=today).to_dict()


def codes(decision: dict[str, Any], key: str = "reasons") -> list[str]:
    return [entry["code"] for entry in decision[key]]


# -- the question schema (DESIGN.md: Programs and fields) ---------------------------------------------------


def test_fields_are_exactly_the_public_contract() -> None:
    names = [field["name"] for field in rules.questions("ismartphones")["fields"]]
    assert names == [
        "request",
        "item",
        "received_date",
        "claim_date",
        "last_repair_date",
        "cause",
        "opened_or_modified",
        "serial_unreadable",
        "sim",
        "item_state",
    ]


CHOICES = {
    "request": ["warranty", "return"],
    "item": ["mobile_device", "accessory", "consumable", "remanufactured", "software_media"],
    "cause": [
        "defect",
        "normal_wear",
        "rough_handling",
        "misuse",
        "liquid_or_environment",
        "unauthorized_access",
        "incompatible_product",
        "battery_tampering",
        "software",
        "outside_control",
    ],
    "sim": ["standard", "non_standard", "none"],
    "item_state": ["unshipped", "unopened", "opened"],
}


@pytest.mark.parametrize(("name", "values"), CHOICES.items())
def test_choice_values(name: str, values: list[str]) -> None:
    assert [choice.value for choice in ismartphones.PROGRAM.field(name).choices] == values


SHOW_IF = {
    "request": [],
    "item": [],
    "received_date": [{"field": "item_state", "not_in": ["unshipped"]}],
    "claim_date": [],
    "last_repair_date": [{"field": "request", "in": ["warranty"]}, {"field": "item", "filled": True}],
    "cause": [{"field": "request", "in": ["warranty"]}, {"field": "item", "filled": True}],
    "opened_or_modified": [{"field": "request", "in": ["warranty"]}, {"field": "cause", "in": ["defect"]}],
    "serial_unreadable": [{"field": "request", "in": ["warranty"]}, {"field": "opened_or_modified", "in": ["false"]}],
    "sim": [
        {"field": "request", "in": ["warranty"]},
        {"field": "serial_unreadable", "in": ["false"]},
        {"field": "item", "in": ["mobile_device", "remanufactured"]},
    ],
    "item_state": [{"field": "request", "in": ["return"]}],
}


@pytest.mark.parametrize(("name", "conditions"), SHOW_IF.items())
def test_show_if(name: str, conditions: list[dict[str, Any]]) -> None:
    assert ismartphones.PROGRAM.field(name).to_dict()["show_if"] == conditions


def test_defaults_and_optional_fields() -> None:
    fields = {f.name: f for f in ismartphones.FIELDS}
    assert fields["request"].default == "warranty"
    assert fields["claim_date"].default == "today"
    assert [name for name, f in fields.items() if not f.required] == ["last_repair_date"]
    assert {f.kind for f in fields.values() if f.name.endswith("_date")} == {"date"}
    assert fields["opened_or_modified"].kind == fields["serial_unreadable"].kind == "bool"


def test_every_label_and_help_is_bilingual() -> None:
    for field in ismartphones.FIELDS:
        texts = [field.label, *(c.label for c in field.choices)] + ([field.help] if field.help else [])
        for text in texts:
            assert set(text) == {"en", "ja"} and all(text.values()), field.name
    assert all(field.help for field in ismartphones.FIELDS if field.name not in ("serial_unreadable", "item_state"))


@pytest.mark.parametrize(
    ("answers", "relevant"),
    [
        ({}, {"received_date"}),
        ({"item": "mobile_device"}, {"received_date", "last_repair_date", "cause"}),
        (
            {"item": "mobile_device", "cause": "defect", "opened_or_modified": "no", "serial_unreadable": "false"},
            {"received_date", "last_repair_date", "cause", "opened_or_modified", "serial_unreadable", "sim"},
        ),
        (
            {"item": "accessory", "cause": "defect", "opened_or_modified": "false", "serial_unreadable": "false"},
            {"received_date", "last_repair_date", "cause", "opened_or_modified", "serial_unreadable"},
        ),
        ({"item": "mobile_device", "cause": "misuse"}, {"received_date", "last_repair_date", "cause"}),  # decided: ask no more
        ({"request": "return", "item": "mobile_device"}, {"received_date", "item_state"}),
        ({"request": "return", "item_state": "unshipped"}, {"item_state"}),  # nothing received yet: no receipt date
        ({"request": "nonsense", "item": "mobile_device"}, {"received_date"}),
    ],
)
def test_which_conditional_questions_are_asked(answers: dict[str, str], relevant: set[str]) -> None:
    from rules.fields import read

    conditional = {f.name for f in ismartphones.FIELDS if f.show_if}
    asked = read(ismartphones.FIELDS, {"request": "warranty", **answers}, date(2026, 11, 21)).asked
    assert asked & conditional == relevant


# -- data: every number in the TOML, every citation on both pages ----------------------------------------


def test_every_item_has_exactly_one_period() -> None:
    for item in CHOICES["item"]:
        found = [unit for unit in ("months", "days") if f"warranty_{unit}.{item}" in TERMS.params]
        assert len(found) == 1, item


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("warranty_months.mobile_device", 12),
        ("warranty_months.accessory", 6),
        ("warranty_months.consumable", 6),
        ("warranty_months.remanufactured", 6),
        ("warranty_days.software_media", 90),
        ("repair_extension_days", 60),
        ("return_window_days", 30),
    ],
)
def test_seed_figures(name: str, value: int) -> None:
    assert TERMS.amount(name, date(2026, 1, 1)) == value
    assert TERMS.get(name, date(2000, 1, 1)).since == date(2000, 1, 1)  # GEN-EFFECTIVE


def page_ids(lang: str) -> set[str]:
    text = PAGES[lang].read_text()
    return set(re.findall(r"\{:\s*#([\w-]+)", text)) | set(re.findall(r"\{#([\w-]+)\}", text))


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_terms_page_shape(lang: str) -> None:
    text = PAGES[lang].read_text()
    assert text.startswith("---\ntitle: ")
    assert '!!! abstract "' in text
    assert "(../check/ismartphones.md)" in text  # MkDocs renders it as ../../check/ismartphones/
    assert text.rstrip().endswith("<!-- checker: ismartphones -->")
    assert "{#check}" in text
    informational = re.findall(r"\{: #(ism-[\w-]+) \.informational \}", text)
    assert informational
    assert all(i.startswith("ism-") or i == "check" for i in page_ids(lang))


def test_interpretations_ask_and_answer_in_both_languages() -> None:
    """Each reading states its question and its answer in both languages (tests/test_citations.py checks they are cited)."""
    for key, entry in TERMS.interpretations.items():
        for lang in ("en", "ja"):
            assert entry[lang]["question"] and entry[lang]["reading"], key


# -- periods at their edges (GEN-PERIOD: Civil Code arts. 140, 143) -------------------------------------


@pytest.mark.parametrize(
    ("item", "received", "last_day"),
    [
        ("mobile_device", "2026-01-15", "2027-01-15"),
        ("mobile_device", "2026-01-31", "2027-01-31"),
        ("mobile_device", "2024-02-29", "2025-02-28"),
        ("mobile_device", "2027-02-28", "2028-02-29"),  # received on a month's last day: to the 12th month's end (art. 143(1))
        ("mobile_device", "2023-02-28", "2024-02-29"),
        ("accessory", "2026-02-28", "2026-08-31"),
        ("accessory", "2026-04-30", "2026-10-31"),
        ("accessory", "2026-09-30", "2027-03-31"),
        ("mobile_device", "2026-12-31", "2027-12-31"),
        ("accessory", "2026-05-31", "2026-11-30"),
        ("accessory", "2026-08-31", "2027-02-28"),
        ("accessory", "2027-08-31", "2028-02-29"),
        ("consumable", "2026-08-30", "2027-02-28"),
        ("remanufactured", "2026-07-01", "2027-01-01"),
        ("software_media", "2026-01-01", "2026-04-01"),
        ("software_media", "2026-12-15", "2027-03-15"),
        ("software_media", "2027-12-01", "2028-02-29"),
    ],
)
def test_last_covered_day_and_the_day_after(item: str, received: str, last_day: str) -> None:
    answers = {**CLEAN_PHONE, "item": item, "received_date": received}
    end = date.fromisoformat(last_day)
    on_last = decide({**answers, "claim_date": last_day}, today=last_day)
    after = decide({**answers, "claim_date": (end + timedelta(days=1)).isoformat()}, today=last_day)
    assert (on_last["status"], on_last["coverage_end"], on_last["fee_jpy"]) == ("covered", last_day, 0)
    assert (after["status"], after["coverage_end"], after["fee_jpy"]) == ("not_covered", last_day, None)
    assert "period_ended" in codes(after)


@pytest.mark.parametrize(
    ("received", "last_day"),
    [("2026-03-01", "2026-03-31"), ("2026-01-31", "2026-03-02"), ("2026-12-10", "2027-01-09"), ("2028-02-01", "2028-03-02")],
)
def test_return_window_edges(received: str, last_day: str) -> None:
    answers = {"request": "return", "item": "accessory", "received_date": received, "item_state": "unopened"}
    end = date.fromisoformat(last_day)
    inside = decide({**answers, "claim_date": last_day})
    outside = decide({**answers, "claim_date": (end + timedelta(days=1)).isoformat()})
    assert (inside["status"], inside["coverage_end"], inside["remedies"]) == ("covered", last_day, ["refund", "exchange"])
    assert outside["status"] == "not_covered" and "return_window_closed" in codes(outside)
    assert [o["due"] for o in inside["obligations"] if o["code"] == "return_by"] == [last_day]


@given(
    item=st.sampled_from(CHOICES["item"]),
    received=st.dates(date(2001, 1, 1), date(2090, 12, 31)),
    repair_after=st.one_of(st.none(), st.integers(0, 500)),
    claim_after=st.integers(0, 900),
)
@settings(max_examples=300, deadline=None)
def test_cover_ends_at_the_later_of_the_original_end_and_sixty_days_after_the_repair(
    item: str, received: date, repair_after: int | None, claim_after: int
) -> None:
    repaired = received + timedelta(days=repair_after) if repair_after is not None else None
    claimed = max(received + timedelta(days=claim_after), repaired or received)
    answers = {**CLEAN_PHONE, "item": item, "received_date": received.isoformat(), "claim_date": claimed.isoformat()}
    if repaired:
        answers["last_repair_date"] = repaired.isoformat()
    result = decide(answers)
    original = ismartphones.warranty_window(_claim(), item, received).end
    expected_end = max(original, repaired + timedelta(days=TERMS.amount("repair_extension_days", repaired))) if repaired else original
    assert result["coverage_end"] == expected_end.isoformat()
    assert result["status"] == ("covered" if claimed <= expected_end else "not_covered")


def _claim() -> Any:
    from rules.engine import Claim
    from rules.fields import Answers

    return Claim(ismartphones.PROGRAM, Answers(), date(2026, 1, 1))


# -- decisions in detail ---------------------------------------------------------------------------------


def test_a_covered_warranty_claim_lists_every_next_step_and_obligation() -> None:
    result = decide({**CLEAN_PHONE, "received_date": "2026-01-15"})
    assert result["status"] == "covered" and result["fee_jpy"] == 0 and result["customer_pays_jpy"] == 0
    assert result["remedies"] == ["repair", "exchange"]
    assert codes(result, "next_steps") == ["claim_online", "back_up", "replacement_model", "no_cash", "replacement_expiry"]
    assert codes(result, "obligations") == ["claim_by", "ship_tracked", "shipping_not_covered", "customs"]
    assert result["interpretations"] == ["GEN-PERIOD", "ISM-CLAIM-DATE"]


def test_every_exclusion_among_the_questions_asked_is_recorded() -> None:
    """The period and the cause both rule it out; the later questions are not asked once a cause decides (issue 15)."""
    result = decide(
        {
            **CLEAN_PHONE,
            "received_date": "2025-01-15",
            "cause": "misuse",
            "opened_or_modified": True,
            "serial_unreadable": True,
            "sim": "non_standard",
        }
    )
    assert codes(result) == ["period_ended", "excluded_misuse"]
    assert result["next_steps"] == [] and result["remedies"] == [] and result["missing"] == []


@pytest.mark.parametrize("cause", [c for c in CHOICES["cause"] if c != "defect"])
def test_each_cause_but_a_defect_is_excluded_with_its_own_clause(cause: str) -> None:
    result = decide({**CLEAN_PHONE, "received_date": "2026-01-15", "cause": cause})
    reason = next(r for r in result["reasons"] if r["code"] == f"excluded_{cause}")
    assert result["status"] == "not_covered"
    assert reason["clause"] == ismartphones.CAUSE_EXCLUSIONS[cause].clause


def test_native_values_are_accepted() -> None:
    result = rules.evaluate(
        "ismartphones",
        {
            "item": "mobile_device",
            "received_date": date(2026, 1, 15),
            "cause": "defect",
            "opened_or_modified": False,
            "serial_unreadable": False,
            "sim": "standard",
            "claim_date": date(2026, 2, 1),
        },
    ).to_dict()
    assert result["status"] == "covered"


def test_an_unreadable_claim_date_still_shows_the_warranty_dates() -> None:
    result = decide({**CLEAN_PHONE, "received_date": "2026-01-15", "claim_date": "2026-13-01"})
    assert result["status"] == "invalid" and result["coverage_end"] == "2027-01-15"
    assert "in_period" not in codes(result)


def test_an_unreadable_claim_date_on_a_return() -> None:
    result = decide({"request": "return", "item": "accessory", "received_date": "2026-03-01", "item_state": "opened", "claim_date": "x"})
    assert result["status"] == "invalid" and result["coverage_end"] == "2026-03-31"
    assert codes(result) == ["opened_not_returnable"]


def test_an_opened_return_without_a_receipt_date_asks_for_it() -> None:
    result = decide({"request": "return", "item": "accessory", "item_state": "opened"})
    assert result["status"] == "incomplete" and result["missing"] == ["received_date"]
    assert codes(result) == ["opened_not_returnable"]


def test_an_unshipped_order_ignores_a_receipt_date() -> None:
    result = decide({"request": "return", "item": "accessory", "item_state": "unshipped", "received_date": "2026-05-01"})
    assert result["status"] == "covered" and result["coverage_end"] is None
    assert codes(result, "next_steps") == ["cancel_before_shipping"]
    assert "Sending" not in result["obligations"][0]["message"]["en"]


def test_an_unshipped_order_is_not_asked_for_a_receipt_date_and_ignores_one() -> None:
    """The schema hides the question (ISM-RETURN-UNSHIPPED), so the page and the rules agree: no patching of `missing`."""
    result = decide({"request": "return", "item": "accessory", "item_state": "unshipped", "received_date": "2026-07-01"})
    assert (result["status"], result["errors"], result["missing"]) == ("covered", [], [])
    assert "received_date" not in rules.evaluate("ismartphones", {"request": "return", "item_state": "unshipped"}).missing


def test_date_errors_are_all_reported_in_both_languages() -> None:
    result = decide({**CLEAN_PHONE, "received_date": "2026-07-01", "last_repair_date": "2026-06-15"}, today="2026-06-10")
    assert [(e["field"], e["code"]) for e in result["errors"]] == [
        ("received_date", "after_claim"),
        ("last_repair_date", "after_claim"),
        ("last_repair_date", "before_received"),
    ]
    assert all(e["message"]["en"] and e["message"]["ja"] for e in result["errors"])
    assert result["reasons"] == []


def test_a_missing_item_leaves_no_deadline() -> None:
    result = decide({"received_date": "2026-01-15", "cause": "defect", "opened_or_modified": "false", "serial_unreadable": "false"})
    assert result["status"] == "incomplete" and result["missing"] == ["item"]
    assert "claim_by" not in codes(result, "obligations") and result["coverage_end"] is None


def test_a_bad_request_decides_nothing() -> None:
    result = decide({"request": "both", "item": "accessory", "received_date": "2026-03-01"})
    assert result["status"] == "invalid" and result["reasons"] == [] and result["missing"] == []


# -- robustness: any dict in, a decision out, every citation resolvable --------------------------------

ANY_VALUE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=12),
    st.dates(date(1990, 1, 1), date(2110, 1, 1)).map(str),
    st.dates(date(2020, 1, 1), date(2030, 1, 1)),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.sampled_from([v for values in CHOICES.values() for v in values] + ["true", "false", ""]),
)
KEYS = st.sampled_from([f.name for f in ismartphones.FIELDS] + ["unknown", ""])


@given(answers=st.dictionaries(KEYS, ANY_VALUE, max_size=12), today=st.dates(date(2000, 1, 1), date(2099, 12, 31)))
@settings(max_examples=400, deadline=None)
def test_evaluate_never_raises_and_always_cites_real_clauses(answers: dict[str, Any], today: date) -> None:
    result = rules.evaluate("ismartphones", answers, today=today).to_dict()
    assert result["status"] in STATUSES
    ids = page_ids("en")
    for entry in [*result["reasons"], *result["obligations"], *result["next_steps"]]:
        assert entry["clause"] in ids
        assert entry["message"]["en"] and entry["message"]["ja"]
    known = set(TERMS.interpretations) | set(terms_data.general().interpretations)
    assert set(result["interpretations"]) <= known
    assert (result["fee_jpy"] == 0) == (result["status"] == "covered")


def test_an_unshipped_order_needs_no_receipt_date() -> None:
    result = decide({"request": "return", "item": "accessory", "item_state": "unshipped"})
    assert result["status"] == "covered" and result["missing"] == [] and result["remedies"] == ["refund", "exchange"]
    assert result["interpretations"] == ["ISM-RETURN-SHIPPING", "ISM-RETURN-UNSHIPPED"]


def test_a_refused_return_says_when_the_warranty_has_ended_too() -> None:
    result = decide(
        {"request": "return", "item": "software_media", "received_date": "2025-01-01", "item_state": "unopened"}, today="2026-01-01"
    )
    assert codes(result) == ["return_window_closed", "unopened", "warranty_ended"]
