"""The result card as a visitor reads and uses it (issue 14): clause links that land on the clause, labels instead
of ids, the deciding reason first, the money as a sum, an error summary, next steps that can be acted on, what
would change the answer, printing on one page and a calendar file with reminders.

Cases come from rules/scenarios/*.toml (picked by what they are, never by copying their answers); expected
figures come from rules.evaluate, the same function the page runs."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Page, expect

import build
import rules
from tests.browser import (
    LOAD_TIMEOUT_MS,
    as_url_text,
    checker_url,
    decision,
    expect_status,
    with_claim_date,
)
from tests.conftest import scenario_cases

pytestmark = pytest.mark.browser

CASES = scenario_cases()
LABELS = build._load_hooks().clause_labels()
PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1280, "height": 900}


def case_where(program: str, status: str, **answers: str) -> dict[str, Any]:
    """The first scenario case of `program` with this expected status and these answers (examples first)."""
    found = [c for p, c in CASES if p == program and c["expect"]["status"] == status
             and all(as_url_text(c["answers"].get(k)) == v for k, v in answers.items())]
    assert found, f"no {status} scenario of {program} with {answers}: add one to rules/scenarios/{program}.toml"
    return sorted(found, key=lambda c: not c.get("example"))[0]


def expected(program: str, case: dict[str, Any]) -> dict[str, Any]:
    return rules.evaluate(program, json.loads(json.dumps(with_claim_date(case), default=str)), today=str(case["today"])).to_dict()


def ios_exchange() -> dict[str, Any]:
    return case_where("line-byod", "not_covered", os="ios", service="exchange")


def deciding_reason(want: dict[str, Any]) -> dict[str, Any]:
    """The reason that decides: the first that excludes (DESIGN.md: `effect`)."""
    return next(r for r in want["reasons"] if r.get("effect") == "excludes")


def expect_clause_in_view(page: Page, clause: str) -> None:
    """The clause is on screen, is the :target (highlighted), and the URL still names it."""
    target = page.locator(f"[id='{clause}']")
    expect(target).to_be_in_viewport()
    assert page.evaluate("location.hash") == f"#{clause}"
    assert target.evaluate("(node) => node.matches(':target') && getComputedStyle(node).backgroundColor !== 'rgba(0, 0, 0, 0)'")


# ---------------------------------------------------------------- clause links
@pytest.mark.parametrize(("lang", "viewport"), [("en", DESKTOP), ("ja", PHONE)])
def test_a_clause_link_in_the_card_lands_on_the_clause_and_stays_there(watched: Page, site_url: str, lang: str, viewport: dict[str, int]) -> None:
    """Click the deciding reason's clause (shown by its label, not its id): the terms page opens at that clause,
    highlighted, and its own checker, once it has answered, leaves the fragment alone."""
    case = ios_exchange()
    reason = deciding_reason(expected("line-byod", case))
    label = LABELS["line-byod"][reason["clause"]][lang]
    watched.set_viewport_size(viewport)
    watched.goto(checker_url(site_url, "line-byod", lang, with_claim_date(case)))
    expect_status(watched, "not_covered")
    card = decision(watched)
    expect(card).not_to_contain_text(reason["clause"])  # ids are never shown
    card.get_by_role("link", name=label).first.click()
    watched.wait_for_url(re.compile(rf"/terms/line-byod/#{reason['clause']}$"))
    expect(decision(watched)).not_to_have_attribute("data-status", "loading", timeout=LOAD_TIMEOUT_MS)  # the terms page's checker answered
    watched.wait_for_timeout(300)
    expect_clause_in_view(watched, reason["clause"])


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_clause_link_opened_fresh_or_from_an_embed_lands_on_the_clause(watched: Page, site_url: str, lang: str) -> None:
    """/terms/line-byod/#lnb-repair-cap typed or shared opens at the clause; an embed's clause link opens it in a new tab."""
    prefix = "ja/" if lang == "ja" else ""
    watched.set_viewport_size(PHONE)
    watched.goto(f"{site_url}/{prefix}terms/line-byod/#lnb-repair-cap")
    expect(decision(watched)).not_to_have_attribute("data-status", "loading", timeout=LOAD_TIMEOUT_MS)
    watched.wait_for_timeout(300)
    expect_clause_in_view(watched, "lnb-repair-cap")

    case = ios_exchange()
    reason = deciding_reason(expected("line-byod", case))
    answers = urlencode({k: as_url_text(v) for k, v in with_claim_date(case).items()})
    watched.goto(f"{site_url}/embed/line-byod/?lang={lang}#{answers}")
    expect_status(watched, "not_covered")
    with watched.context.expect_page() as opened:
        decision(watched).get_by_role("link", name=LABELS["line-byod"][reason["clause"]][lang]).first.click()
    tab = opened.value
    tab.set_viewport_size(PHONE)
    tab.wait_for_url(re.compile(rf"/{prefix}terms/line-byod/#{reason['clause']}$"))
    expect(decision(tab)).not_to_have_attribute("data-status", "loading", timeout=LOAD_TIMEOUT_MS)
    tab.wait_for_timeout(300)
    expect_clause_in_view(tab, reason["clause"])
    tab.close()
