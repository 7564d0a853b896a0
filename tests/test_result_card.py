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
from playwright.sync_api import Browser, Page, expect

import build
import rules
from rules.cases import Case, load_cases
from tests.browser import (
    LOAD_TIMEOUT_MS,
    SCREENSHOTS,
    as_url_text,
    axe_violations,
    checker_url,
    decision,
    expect_status,
    guard,
    long_date,
    yen,
)

pytestmark = pytest.mark.browser

CASES = load_cases()
LABELS = build._load_hooks().clause_labels()
PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1280, "height": 900}


def card_screenshot(page: Page, name: str) -> None:
    """The checker's form end and its card, as a visitor scrolled to it sees them (full height)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    # the header hidden so that it is not over the card: through the CSSOM, which the site's CSP allows (an injected
    # <style>, as Playwright's `style=` option adds, is refused and reported as a console error)
    hide = (
        "(hidden) => { const header = document.querySelector('.md-header'); if (header) header.style.visibility = hidden ? 'hidden' : ''; }"
    )
    page.evaluate(hide, True)
    decision(page).screenshot(path=str(SCREENSHOTS / f"{name}.png"))
    page.evaluate(hide, False)


def case_where(program: str, status: str, **answers: str) -> Case:
    """The first scenario case of `program` with this expected status and these answers (examples first)."""
    found = [c for c in load_cases(program) if c.status == status and all(c.answers.get(k) == v for k, v in answers.items())]
    assert found, f"no {status} scenario of {program} with {answers}: add one to rules/scenarios/{program}.toml"
    return sorted(found, key=lambda c: not c.example)[0]


def expected(case: Case) -> dict[str, Any]:
    """CPython's decision on the case's answers with its claim date (as the page is given them)."""
    return rules.evaluate(case.program, case.with_claim_date(), today=case.today).to_dict()


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
def test_a_clause_link_in_the_card_lands_on_the_clause_and_stays_there(
    watched: Page, site_url: str, lang: str, viewport: dict[str, int]
) -> None:
    """Click the deciding reason's clause (shown by its label, not its id): the terms page opens at that clause,
    highlighted, and its own checker, once it has answered, leaves the fragment alone."""
    case = ios_exchange()
    reason = deciding_reason(expected(case))
    label = LABELS["line-byod"][reason["clause"]][lang]
    watched.set_viewport_size(viewport)
    watched.goto(checker_url(site_url, "line-byod", lang, case.with_claim_date()))
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
    reason = deciding_reason(expected(case))
    answers = urlencode({k: as_url_text(v) for k, v in case.with_claim_date().items()})
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


# ---------------------------------------------------------------- the first lines, labels, reasons in order
def repair_above_cap() -> dict[str, Any]:
    """The first covered line-byod repair whose cost goes above the cap (the ¥70,000 repair)."""
    found = [c for c in load_cases("line-byod") if c.status == "covered" and (expected(c)["excess_jpy"] or 0) > 0]
    return sorted(found, key=lambda c: not c.example)[0]


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_first_lines_say_the_outcome_the_deciding_reason_and_what_would_change_it(watched: Page, site_url: str, lang: str) -> None:
    """On a phone, the card's first line names the outcome, the reason that rules it out and the nearest alternative;
    the reasons list starts with the one that excludes, marked; the conditions met are folded, counted and marked."""
    case = ios_exchange()
    want = expected(case)
    deciding = deciding_reason(want)
    watched.set_viewport_size(PHONE)
    watched.goto(checker_url(site_url, "line-byod", lang, case.with_claim_date()))
    expect_status(watched, "not_covered")
    card = decision(watched)
    card.evaluate("(node) => node.scrollIntoView({ block: 'start' })")  # scrolled down to the card, as on a phone
    first = card.locator(".wc-card > *").first
    expect(first).to_have_attribute("data-testid", "headline")
    expect(first).to_be_in_viewport()
    assert first.evaluate("""(node) => { const box = node.getBoundingClientRect();  // not under the sticky header
        return node.contains(document.elementFromPoint(box.left + 10, box.top + 5)); }""")
    expect(first.get_by_test_id("verdict")).to_have_text({"en": "Not covered", "ja": "保証の対象外です"}[lang])
    expect(first).to_contain_text(deciding["message"][lang])
    expect(first).to_contain_text(want["alternatives"][0]["message"][lang])

    rows = card.locator("li[data-effect]")
    expect(rows.first).to_have_attribute("data-code", deciding["code"])  # the deciding reason comes first, marked
    expect(rows.first.locator(".wc-mark")).to_have_text({"en": "Rules it out", "ja": "対象外の理由"}[lang])
    meets = [r for r in want["reasons"] if r["effect"] == "meets"]
    folded = card.get_by_test_id("met")
    expect(folded.locator("summary")).to_contain_text(str(len(meets)))
    for reason in meets:
        expect(card.locator(f'li[data-code="{reason["code"]}"]')).to_be_hidden()
    folded.locator("summary").click()
    for reason in meets:
        row = card.locator(f'li[data-code="{reason["code"]}"]')
        expect(row).to_be_visible()
        expect(row.locator(".wc-mark")).to_have_text({"en": "Met", "ja": "満たしています"}[lang])
    effects = rows.evaluate_all("rows => rows.map((r) => r.dataset.effect)")
    assert effects == sorted(effects, key=["excludes", "meets", "note"].index), effects  # notes last

    # Every clause is shown by its label from the terms page, never by its id.
    for reason in want["reasons"]:
        link = card.locator(f'li[data-code="{reason["code"]}"] .wc-cite a').first
        expect(link).to_have_text(LABELS["line-byod"][reason["clause"]][lang])


# ---------------------------------------------------------------- money
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_money_reads_as_a_sum_with_the_untaxed_excess_apart(watched: Page, site_url: str, lang: str) -> None:
    """The ¥70,000 repair: fee + tax + the part above the cap (not taxed) = what you pay; never "10 % on ¥24,000"."""
    case = repair_above_cap()
    want = expected(case)
    watched.set_viewport_size(PHONE)
    watched.goto(checker_url(site_url, "line-byod", lang, case.with_claim_date()))
    expect_status(watched, "covered")
    total = decision(watched).get_by_test_id("total")
    expect(total.get_by_test_id("fee")).to_contain_text(yen(want["fee_jpy"], lang))
    expect(total.get_by_test_id("tax")).to_contain_text(yen(want["fee_jpy_with_tax"] - want["fee_jpy"], lang))
    expect(total.get_by_test_id("excess")).to_contain_text(yen(want["excess_jpy"], lang))
    expect(total.get_by_test_id("excess")).to_contain_text({"en": "not taxed", "ja": "非課税"}[lang])
    expect(total.get_by_test_id("to-pay")).to_contain_text(yen(want["customer_pays_jpy_with_tax"], lang))
    expect(total).not_to_contain_text(yen(want["customer_pays_jpy"], lang))  # the untaxed subtotal would read as taxed
    expect(decision(watched).get_by_test_id("headline")).to_contain_text(yen(want["customer_pays_jpy_with_tax"], lang))
    for item in [o for o in want["obligations"] if o["penalty_jpy"]]:  # the cancellation fee, with its tax
        expect(decision(watched).locator(f'li[data-code="{item["code"]}"] .wc-tag')).to_contain_text(
            yen(item["penalty_jpy_with_tax"], lang)
        )


def test_a_free_repair_says_free_of_charge(watched: Page, site_url: str) -> None:
    case = case_where("ismartphones", "covered", request="warranty")
    want = expected(case)
    assert want["customer_pays_jpy_with_tax"] == 0
    watched.goto(checker_url(site_url, "ismartphones", "en", case.with_claim_date()))
    expect_status(watched, "covered")
    expect(decision(watched).get_by_test_id("total")).to_have_text("Free of charge")
    expect(decision(watched).get_by_test_id("headline")).to_contain_text("Free of charge")
    expect(decision(watched)).not_to_contain_text("¥0")


# ---------------------------------------------------------------- error summary, missing answers
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_error_summary_links_move_the_focus_to_the_field(watched: Page, site_url: str, lang: str) -> None:
    """Invalid: at the top of the card, each bad answer is a link; following it puts the cursor in that field.
    Nothing can be copied, printed or put in a calendar."""
    case = case_where("line-byod", "invalid")
    want = expected(case)
    watched.goto(checker_url(site_url, "line-byod", lang, case.with_claim_date()))
    expect_status(watched, "invalid")
    summary = decision(watched).locator(".wc-card > *").first
    expect(summary).to_have_attribute("data-testid", "error-summary")
    links = summary.get_by_role("link")
    expect(links).to_have_count(len(want["errors"]))
    expect(watched.locator("[data-wc-actions]")).to_be_hidden()
    for i, error in enumerate(want["errors"]):
        watched.locator("body").focus()
        link = links.nth(i)
        expect(link).to_have_text(error["message"][lang])
        link.click()
        field = watched.locator(f'.wc-field[data-field="{error["field"]}"]').locator("input, select").first
        expect(field).to_be_focused()
        expect(field).to_be_in_viewport()
        assert "=" in watched.evaluate("location.hash")  # the answers are still in the link


def test_pressing_enter_on_a_bad_answer_moves_the_focus_to_the_error_summary(watched: Page, site_url: str) -> None:
    """Type an IMEI one digit off and press Enter: the focus goes to the error summary (GOV.UK), whose link leads back."""
    case = case_where("line-byod", "invalid")
    bad = next(name for name, value in case.answers.items() if name == expected(case)["errors"][0]["field"])
    clean = {k: v for k, v in case.with_claim_date().items() if k != bad}
    watched.goto(checker_url(site_url, "line-byod", "en", clean))
    expect(decision(watched)).not_to_have_attribute("data-status", "loading", timeout=LOAD_TIMEOUT_MS)
    field = watched.locator(f'.wc-field[data-field="{bad}"] input')
    field.fill(as_url_text(case.answers[bad]))
    field.press("Enter")
    expect_status(watched, "invalid")
    summary = decision(watched).get_by_test_id("error-summary")
    expect(summary).to_be_focused()
    summary.get_by_role("link").first.click()
    expect(field).to_be_focused()


def test_still_needed_lists_each_missing_question_as_a_link(watched: Page, site_url: str) -> None:
    case = case_where("ismartphones", "incomplete")
    want = expected(case)
    watched.goto(checker_url(site_url, "ismartphones", "en", case.with_claim_date()))
    expect_status(watched, "incomplete")
    items = decision(watched).get_by_test_id("missing").locator("li")
    expect(items).to_have_count(len(want["missing"]))  # one per line
    for i, name in enumerate(want["missing"]):
        link = items.nth(i).get_by_role("link")
        label = watched.locator(f'.wc-field[data-field="{name}"]').locator("label, legend").first.inner_text()
        assert link.inner_text().strip() and label.startswith(link.inner_text().strip())
        link.click()
        expect(watched.locator(f'.wc-field[data-field="{name}"]').locator("input, select").first).to_be_focused()


# ---------------------------------------------------------------- next steps, alternatives
def test_next_steps_phone_numbers_and_provider_pages_are_links(watched: Page, site_url: str) -> None:
    """The desk's number is a tel: link; the IMEI registration page and the shop's claim page are links, which
    nothing fetches until followed (the watched page fails on any request to another origin)."""
    case = case_where("line-byod", "covered", service="repair")
    watched.goto(checker_url(site_url, "line-byod", "en", case.with_claim_date()))
    expect_status(watched, "covered")
    steps = decision(watched).locator('li[data-code="call_center"]')
    phone = steps.get_by_role("link", name=re.compile(r"^0\d+-\d+-\d+$"))
    expect(phone).to_have_attribute("href", re.compile(r"^tel:0\d{9}$"))
    registration = watched.locator('.wc-field[data-field="imei_registered_date"] .wc-help a')
    expect(registration).to_have_attribute("href", re.compile(r"^https://[a-z.]+\.jp/$"))
    watched.wait_for_timeout(300)

    shop = case_where("ismartphones", "covered", request="warranty")
    watched.goto(checker_url(site_url, "ismartphones", "en", shop.with_claim_date()))
    expect_status(watched, "covered")
    claim = decision(watched).locator('li[data-code="claim_online"]').get_by_role("link", name=re.compile(r"\.jp$"))
    expect(claim).to_have_attribute("href", re.compile(r"^https://[a-z.]+\.jp/$"))


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_applying_an_alternative_changes_the_answer(watched: Page, site_url: str, lang: str) -> None:
    """Not covered (an iPhone exchange): the alternative the rules computed is a sentence with a button; pressing
    it changes that answer in the form and the card now shows the alternative's status and price."""
    case = ios_exchange()
    want = expected(case)
    alternative = want["alternatives"][0]
    watched.goto(checker_url(site_url, "line-byod", lang, case.with_claim_date()))
    expect_status(watched, "not_covered")
    offer = decision(watched).get_by_test_id("alternatives").locator("li").first
    expect(offer).to_contain_text(alternative["message"][lang])
    offer.get_by_role("button").click()
    expect_status(watched, alternative["status"])
    for name, value in alternative["changes"].items():
        expect(watched.locator(f'.wc-field[data-field="{name}"]').locator("select, input").first).to_have_value(value)
        assert f"{name}={value}" in watched.url
    expect(decision(watched).get_by_test_id("to-pay")).to_contain_text(yen(alternative["customer_pays_jpy_with_tax"], lang))
    expect(decision(watched)).to_be_focused()


def test_a_costly_repair_offers_its_alternatives_too(watched: Page, site_url: str) -> None:
    case = repair_above_cap()
    want = expected(case)
    assert want["alternatives"], "the rules offer an alternative to paying above the cap"
    watched.goto(checker_url(site_url, "line-byod", "en", case.with_claim_date()))
    expect_status(watched, "covered")
    offers = decision(watched).get_by_test_id("alternatives").locator("li")
    expect(offers).to_have_count(len(want["alternatives"]))
    for i, alternative in enumerate(want["alternatives"]):
        expect(offers.nth(i)).to_contain_text(alternative["message"]["en"])


# ---------------------------------------------------------------- print, calendar
def test_printing_a_typical_answer_fits_one_a4_page_and_records_its_date_and_terms(watched: Page, site_url: str) -> None:
    """Print (to PDF, as the browser's print does): one A4 page with the conditions met unfolded; the answers in
    readable columns; the claim date the answer was computed for and the terms version it used are on the page."""
    case = case_where("line-byod", "covered", service="repair")
    want = expected(case)
    watched.goto(checker_url(site_url, "line-byod", "en", case.with_claim_date()))
    expect_status(watched, "covered")
    pdf = watched.pdf(format="A4", print_background=True)
    pages = len(re.findall(rb"/Type\s*/Page\b", pdf))
    assert pages == 1, f"{pages} pages"
    answers = watched.locator("[data-wc-print] dd")
    expect(answers.first).to_be_attached()  # printing wrote the answers as text (beforeprint)

    watched.emulate_media(media="print")
    version = watched.locator("[data-wc]").get_attribute("data-terms-version")
    record = decision(watched).get_by_test_id("computed-for")
    expect(record).to_be_visible()
    expect(record).to_contain_text(long_date(want["claim_date"], "en"))
    assert version and version in record.inner_text()
    widths = answers.evaluate_all("dds => dds.map((dd) => dd.getBoundingClientRect().width)")
    assert widths and min(widths) > 200, widths  # never "Novembe / r" in a narrow column
    expect(watched.locator(".wc-form")).to_be_hidden()
    expect(watched.get_by_test_id("status")).to_be_hidden()  # the card says it all: no compact status above it
    # A printed answer is a record: the folded conditions met print in full (one A4 page still, as above), then fold again.
    met = decision(watched).get_by_test_id("met")
    watched.evaluate("dispatchEvent(new Event('beforeprint'))")
    expect(met.locator("li").first).to_be_visible()
    watched.evaluate("dispatchEvent(new Event('afterprint'))")
    expect(met.locator("li").first).to_be_hidden()
    watched.emulate_media(media="screen")


def parse_ics(text: str) -> list[dict[str, Any]]:
    """VEVENTs of an .ics file (lines unfolded, text unescaped), each with its VALARMs."""
    lines = text.replace("\r\n ", "").split("\r\n")
    events: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None
    alarm: dict[str, str] | None = None
    for line in lines:
        if line == "BEGIN:VEVENT":
            current = {"alarms": []}
        elif line == "END:VEVENT" and current is not None:
            events.append(current)
            current = None
        elif line == "BEGIN:VALARM":
            alarm = {}
        elif line == "END:VALARM" and current is not None and alarm is not None:
            current["alarms"].append(alarm)
            alarm = None
        elif current is not None and ":" in line:
            key, value = line.split(":", 1)
            value = value.replace("\\n", "\n").replace("\\,", ",").replace("\\;", ";").replace("\\\\", "\\")
            (alarm if alarm is not None else current)[key.split(";")[0]] = value
    return events


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_calendar_file_has_one_event_per_date_short_titles_and_reminders(watched: Page, site_url: str, lang: str) -> None:
    """ismartphones, where the end of cover and a deadline fall on the same day: one event for that day."""
    found = [c for c in load_cases("ismartphones") if c.example and c.status == "covered"]

    def dates(c: dict[str, Any]) -> list[str]:
        d = expected(c)
        return [x for x in [d["coverage_end"], *[o["due"] for o in d["obligations"]]] if x]

    case = next(c for c in found if len(dates(c)) > len(set(dates(c))))
    want = expected(case)
    watched.goto(checker_url(site_url, "ismartphones", lang, case.with_claim_date()))
    expect_status(watched, "covered")
    with watched.expect_download() as download:
        watched.locator('[data-action="ics"]').click()
    text = download.value.path().read_bytes().decode("utf-8")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    events = parse_ics(text)
    starts = [e["DTSTART"] for e in events]
    assert sorted(starts) == sorted({d.replace("-", "") for d in dates(case)}), starts  # one event per date
    for event in events:
        assert 0 < len(event["SUMMARY"]) <= 60, event["SUMMARY"]
        assert event["alarms"] and all(re.fullmatch(r"-P[1-9]\d*D", a["TRIGGER"]) for a in event["alarms"]), event
    for o in [o for o in want["obligations"] if o["due"]]:  # each full sentence is in its day's description
        day = next(e for e in events if e["DTSTART"] == o["due"].replace("-", ""))
        assert o["message"][lang] in day["DESCRIPTION"]
        assert f"#{o['clause']}" in day["DESCRIPTION"]


# ---------------------------------------------------------------- every kind of card: accessible, fits a phone, looked at
CARDS = {
    "covered": lambda: repair_above_cap(),
    "not_covered": lambda: ios_exchange(),
    "invalid": lambda: case_where("line-byod", "invalid"),
    "incomplete": lambda: case_where("line-byod", "incomplete"),
}


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("status", list(CARDS))
def test_each_kind_of_card_is_accessible_at_360_and_1280_px(watched: Page, site_url: str, status: str, lang: str) -> None:
    """axe-core (pinned in package.json, injected from node_modules) finds nothing on the page with the card shown,
    its folded conditions open, at 1280 px and at 360 px; 360 px never scrolls sideways; screenshots of the card for
    people (tests/screenshots/card-<status>-<lang>-<width>.png)."""
    case = CARDS[status]()
    watched.set_viewport_size(DESKTOP)
    watched.goto(checker_url(site_url, "line-byod", lang, case.with_claim_date()))
    expect_status(watched, status)
    folded = decision(watched).get_by_test_id("met")
    if folded.count():
        folded.locator("summary").click()
    for viewport in (DESKTOP, PHONE):
        watched.set_viewport_size(viewport)
        watched.wait_for_timeout(100)
        found = axe_violations(watched)
        assert found == [], f"at {viewport['width']} px: {json.dumps(found)}"
        assert watched.evaluate("document.scrollingElement.scrollWidth") <= viewport["width"]
        card_screenshot(watched, f"card-{status}-{lang}-{viewport['width']}")


def test_a_clause_stays_highlighted_in_the_dark_theme_and_dark_pages_pass_axe(browser: Browser, site_url: str) -> None:
    """Opened at a clause in the light theme, the visitor switches to the dark theme (header toggle): the clause is
    still the highlighted target and the URL still names it; terms and checker pages in the dark theme pass axe."""
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    watch = guard(page, site_url)
    page.goto(f"{site_url}/terms/line-byod/#lnb-repair-cap")
    expect(decision(page)).not_to_have_attribute("data-status", "loading", timeout=LOAD_TIMEOUT_MS)
    expect_clause_in_view(page, "lnb-repair-cap")
    light = page.locator("[id='lnb-repair-cap']").evaluate("(node) => getComputedStyle(node).backgroundColor")
    page.locator('label[title^="Dark theme"]').click()
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    page.locator("[id='lnb-repair-cap']").scroll_into_view_if_needed()
    expect_clause_in_view(page, "lnb-repair-cap")
    assert (
        page.locator("[id='lnb-repair-cap']").evaluate("(node) => getComputedStyle(node).backgroundColor") != light
    )  # the theme's own mark colour
    found = axe_violations(page)
    assert found == [], json.dumps(found)
    page.screenshot(path=str(SCREENSHOTS / "terms-clause-dark-360.png"))
    case = ios_exchange()
    page.goto(checker_url(site_url, "line-byod", "ja", case.with_claim_date()))
    expect_status(page, "not_covered")
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")  # the choice is kept
    found = axe_violations(page)
    assert found == [], json.dumps(found)
    assert not watch.problems(), watch.problems()
    context.close()
