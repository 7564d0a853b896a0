"""The one-line embed (DESIGN.md, "Embed"): <warranty-checker> on a FAQ page served from ANOTHER origin.

Each browser test serves its FAQ page from a second loopback server (another port, so another origin),
with the snippet exactly as docs/embed.md tells authors to paste it, and hostile CSS.
"""

from __future__ import annotations

import json
import re
import time
import urllib.request
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Frame, Page, expect

import build
import rules
from rules import words
from rules.cases import load_cases
from tests.browser import LOAD_TIMEOUT_MS, SCREENSHOTS, as_url_text, axe_violations, fill, guard
from tests.conftest import ROOT

pytestmark = pytest.mark.browser

HOSTILE_CSS = """
  * { color: red !important; font-size: 40px !important; font-family: serif !important; background: yellow !important; }
  iframe { height: 10px !important; border: 5px solid red !important; }
  button { background: purple !important; }
"""
FRAME = "warranty-checker iframe"  # Playwright's CSS engine pierces the element's open shadow root


def a_case(program: str, status: str) -> dict[str, str]:
    """A scenario's answers (with its claim date, so the result does not depend on today)."""
    case = next(c for c in load_cases(program) if c.status == status)
    return {k: as_url_text(v) for k, v in case.with_claim_date().items()}


def element(program: str, lang: str | None = None, answers: dict[str, str] | None = None) -> str:
    attrs = [f'program="{program}"'] + ([f'lang="{lang}"'] if lang else []) + [f'{k}="{v}"' for k, v in (answers or {}).items()]
    return f"<warranty-checker {' '.join(attrs)}></warranty-checker>"


@pytest.fixture(scope="module")
def faq(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """A directory served on another loopback port: a different origin from the site."""
    folder = tmp_path_factory.mktemp("faq")
    server, url = build.serving.serve_in_background(folder)
    yield folder, url
    server.shutdown()


def faq_page(faq: tuple[Path, str], site_url: str, name: str, body: str, html_lang: str = "en") -> str:
    folder, url = faq
    snippet = f'<script type="module" src="{site_url}/embed.js"></script>'
    (folder / name).write_text(
        f"""<!doctype html>
<html lang="{html_lang}"><head><meta charset="utf-8"><title>FAQ</title><style>{HOSTILE_CSS}</style></head>
<body><h1>Frequently asked questions</h1><p>Is my phone covered?</p><button id="host-button">Host button</button>
{snippet}
{body}
</body></html>""",
        encoding="utf-8",
    )
    return f"{url}/{name}"


def frame_of(page: Page, nth: int = 0) -> Frame:
    handle = page.locator(FRAME).nth(nth).element_handle(timeout=10_000)
    frame = handle.content_frame()
    assert frame is not None
    return frame


def expect_frame_status(page: Page, status: str, nth: int = 0) -> None:
    region = page.frame_locator(FRAME).nth(nth).get_by_test_id("decision")
    expect(region).to_have_attribute("data-status", status, timeout=LOAD_TIMEOUT_MS)


def frame_height(page: Page, nth: int = 0) -> float:
    return page.locator(FRAME).nth(nth).evaluate("f => f.getBoundingClientRect().height")


def settled_height(page: Page, nth: int = 0, above: float = 0, timeout: float = 15) -> float:
    """Wait until the iframe is exactly as tall as its content (and taller than `above`); return that height."""
    page.locator(FRAME).nth(nth).scroll_into_view_if_needed()  # browsers pause rendering of out-of-view cross-origin frames
    frame = frame_of(page, nth)
    deadline = time.monotonic() + timeout
    while True:
        inner = frame.evaluate("Math.ceil(document.documentElement.getBoundingClientRect().height)")
        outer = frame_height(page, nth)
        if abs(inner - outer) <= 1 and outer > above:
            return outer
        if time.monotonic() > deadline:
            raise AssertionError(f"iframe {nth} is {outer}px tall, its content {inner}px (wanted > {above}px)")
        page.wait_for_timeout(100)


# ----------------------------------------------------------------------------- without a browser
def test_embed_js_is_served_for_other_origins_and_knows_every_program(public_dir: Path, site_url: str) -> None:
    with urllib.request.urlopen(f"{site_url}/embed.js") as response:
        assert response.headers["Access-Control-Allow-Origin"] == "*"  # module scripts from another origin need CORS
        assert response.headers["Content-Type"].startswith("text/javascript")
        script = response.read().decode()
    programs = json.loads(re.search(r"const PROGRAMS = (\{.*\});", script).group(1))
    assert set(programs) == set(rules.PROGRAMS)
    for program in rules.PROGRAMS:
        fields = [f["name"] for f in rules.questions(program)["fields"]]
        assert programs[program] == {"title": rules.PROGRAMS[program].title, "fields": fields}
        assert (public_dir / "embed" / program / "index.html").exists()
        for doc in (ROOT / "site" / "embed.md", ROOT / "site" / "ja" / "embed.md"):
            text = doc.read_text(encoding="utf-8")
            assert '<script type="module" src="https://SITE/embed.js"></script>' in text
            missing = [f for f in fields if f"`{f}`" not in text]
            assert not missing, f"{doc.name} does not list {program} fields {missing}"


# ----------------------------------------------------------------------------- in the browser
def test_the_snippet_on_another_origin_answers_grows_and_keeps_styles_apart(page: Page, site_url: str, faq: tuple[Path, str]) -> None:
    watch = guard(page, site_url, faq[1])
    answers = a_case("line-byod", "covered")
    damage = answers.pop("damage")
    page.goto(faq_page(faq, site_url, "one.html", element("line-byod", "en", answers)))
    expect_frame_status(page, "incomplete")  # everything prefilled from attributes except the damage
    inner = page.frame_locator(FRAME)
    expect(inner.get_by_test_id("verdict")).to_have_text("A few more answers are needed")
    before = settled_height(page)
    assert before > 200, "the host's `iframe { height: 10px !important }` must not reach the shadow DOM"

    fill(frame_of(page), "damage", damage)
    expect_frame_status(page, "covered")
    after = settled_height(page, above=before)
    assert after > before

    # The host's CSS stays outside; the checker's own styles apply inside.
    style = inner.get_by_test_id("verdict").evaluate("e => [getComputedStyle(e).color, getComputedStyle(e).fontSize]")
    assert style[0] != "rgb(255, 0, 0)" and style[1] != "40px", style
    # Terms links leave the small frame for a new tab.
    link = inner.locator(".wc-cite a").first
    expect(link).to_have_attribute("target", "_blank")
    expect(link).to_have_attribute("rel", "noopener")
    # The host page cannot look inside: the frame is another origin.
    assert page.evaluate("() => document.querySelector('warranty-checker').shadowRoot.querySelector('iframe').contentDocument") is None
    iframe = page.locator(FRAME)
    assert iframe.get_attribute("title") == f"Warranty checker: {rules.PROGRAMS['line-byod'].title['en']}"
    assert iframe.get_attribute("loading") == "lazy"
    assert "damage" not in iframe.get_attribute("src").split("#")[0], "answers travel in the fragment only"
    assert not watch.problems(), watch.problems()


def test_a_host_page_with_a_strict_policy_needs_only_script_src_and_frame_src(page: Page, site_url: str, faq: tuple[Path, str]) -> None:
    """A FAQ page whose own Content-Security-Policy allows the checker's site only as script-src and frame-src (no
    style-src at all, as site/embed.md says) shows the styled placeholder and the answering checker with no violation."""
    folder, url = faq
    policy = f"default-src 'none'; script-src {site_url}/; frame-src {site_url}/"
    (folder / "strict.html").write_text(
        f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="{policy}"><title>FAQ</title></head>
<body><h1>Strict FAQ</h1><script type="module" src="{site_url}/embed.js"></script>
{element("line-byod", "en", a_case("line-byod", "covered"))}{"<p>Filler.</p>" * 300}{element("ismartphones", "en")}</body></html>""",
        encoding="utf-8",
    )
    watch = guard(page, site_url, url)
    page.add_init_script("""window.__violations = [];
      document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));""")
    page.goto(f"{url}/strict.html")
    title = page.locator("warranty-checker").nth(1).locator(".title")  # far below: still the placeholder
    expect(title).to_have_text(rules.PROGRAMS["ismartphones"].title["en"])
    assert title.evaluate("e => [getComputedStyle(e).fontSize, getComputedStyle(e).fontWeight]") == [
        "18px",
        "600",
    ]  # our stylesheet applies
    expect_frame_status(page, "covered", 0)
    assert page.evaluate("window.__violations") == []
    assert not watch.problems(), watch.problems()


def test_two_checkers_answer_independently_and_forged_heights_are_ignored(page: Page, site_url: str, faq: tuple[Path, str]) -> None:
    watch = guard(page, site_url, faq[1])
    body = element("ismartphones", "en", a_case("ismartphones", "covered")) + element(
        "ismartphones", "ja", a_case("ismartphones", "not_covered")
    )
    page.goto(faq_page(faq, site_url, "two.html", body))
    expect_frame_status(page, "covered", 0)
    expect_frame_status(page, "not_covered", 1)
    expect(page.frame_locator(FRAME).nth(0).get_by_test_id("verdict")).to_have_text("Covered")
    expect(page.frame_locator(FRAME).nth(1).get_by_test_id("verdict")).to_have_text("保証の対象外です")
    heights = [settled_height(page, 0), settled_height(page, 1)]
    ids = page.evaluate("() => [...document.querySelectorAll('warranty-checker')].map(e => e.id_)")
    assert ids[0] != ids[1]

    forged = "([id]) => (window.parent || window).postMessage({type: 'warranty-checker:height', height: 9999, id}, '*')"
    page.evaluate(forged, [ids[0]])  # the host page itself (wrong origin)
    frame_of(page, 1).evaluate(forged, [ids[0]])  # the other checker's frame (right origin, wrong window)
    page.evaluate(
        f"() => {{ const f = document.createElement('iframe'); f.id = 'third'; f.src = '{site_url}/embed/line-device/?lang=en';"
        " f.onload = () => f.dataset.loaded = 'yes'; document.body.append(f); }"
    )
    page.wait_for_selector("#third[data-loaded]", state="attached")
    other = next(f for f in page.frames if "/embed/line-device/" in f.url)  # (only embed pages may be framed elsewhere)
    other.evaluate(forged, [ids[0]])  # a third window on the checker's own origin
    page.wait_for_timeout(800)
    assert [frame_height(page, 0), frame_height(page, 1)] == heights
    assert not watch.problems(), watch.problems()


def test_an_unknown_program_says_so_and_a_far_checker_waits_until_needed(page: Page, site_url: str, faq: tuple[Path, str]) -> None:
    watch = guard(page, site_url, faq[1])
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    body = (
        element("line-byd")
        + '<div style="height: 4000px"></div>'
        + element("ismartphones", answers={"class": "x", "item": "mobile_device"})
    )
    page.goto(faq_page(faq, site_url, "far.html", body, html_lang="ja"))

    error = page.locator("warranty-checker").nth(0).get_by_test_id("embed-error")
    expect(error).to_contain_text("unknown program “line-byd”")
    expect(error).to_contain_text("プログラム「line-byd」はありません")
    expect(error).to_contain_text(", ".join(rules.PROGRAMS))
    assert page.locator("warranty-checker").nth(0).locator("iframe").count() == 0

    far = page.locator("warranty-checker").nth(1)
    placeholder = far.get_by_test_id("embed-placeholder")
    expect(placeholder).to_contain_text(rules.PROGRAMS["ismartphones"].title["ja"])  # the host page's lang
    button = far.get_by_test_id("embed-open")
    expect(button).to_have_text("保証の対象か確認する")
    title_style = placeholder.locator(".title").evaluate("e => [getComputedStyle(e).color, getComputedStyle(e).fontSize]")
    assert title_style == ["rgb(26, 26, 26)", "18px"], title_style  # the host's `* {…!important}` stays out
    host_button = page.locator("#host-button").evaluate("e => getComputedStyle(e).backgroundColor")
    assert host_button == "rgb(128, 0, 128)"  # and our styles stay in
    page.wait_for_timeout(300)
    assert far.locator("iframe").count() == 0
    assert not [u for u in requested if "/embed/" in u], "nothing loads before the reader comes near"

    button.dispatch_event("click")
    frame = far.locator("iframe")
    expect(frame).to_have_count(1)
    src = frame.get_attribute("src")
    assert src == f"{site_url}/embed/ismartphones/?lang=ja#item=mobile_device", src  # `class` is not a question
    assert not watch.problems(), watch.problems()


def test_the_docs_page_shows_a_live_demo(page: Page, site_url: str) -> None:
    watch = guard(page, site_url)
    page.goto(f"{site_url}/embed/")
    page.locator("warranty-checker").scroll_into_view_if_needed()  # it loads when the reader gets there
    frame = page.locator(FRAME)
    expect(frame).to_have_count(1)
    assert frame.get_attribute("src") == f"{site_url}/embed/line-byod/?lang=en#os=android&damage=breakage&service=repair"
    expect(page.frame_locator(FRAME).locator('.wc-field[data-field="os"] select')).to_have_value("android")
    assert not watch.problems(), watch.problems()


def test_without_cors_on_embed_js_another_origin_cannot_load_it(page: Page, public_dir: Path, faq: tuple[Path, str]) -> None:
    """Why hosts must send Access-Control-Allow-Origin on /embed.js: a cross-origin module script is a CORS fetch."""
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
    from threading import Thread

    class Plain(SimpleHTTPRequestHandler):
        extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".js": "text/javascript"}  # noqa: RUF012

        def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            super().__init__(*args, directory=str(public_dir), **kwargs)

        def log_message(self, *args) -> None:  # type: ignore[no-untyped-def]
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Plain)
    Thread(target=server.serve_forever, daemon=True).start()
    try:
        errors: list[str] = []
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.goto(faq_page(faq, f"http://127.0.0.1:{server.server_address[1]}", "nocors.html", element("ismartphones")))
        page.wait_for_timeout(500)
        assert page.evaluate("() => customElements.get('warranty-checker')") is None
        assert any("CORS" in e or "Access-Control-Allow-Origin" in e for e in errors), errors
    finally:
        server.shutdown()


# ---------------------------------------------------------------- the form's features, in the embed on another origin
SAME_STATUS = """() => document.querySelector('[data-testid=status]').dataset.status
  === document.querySelector('[data-testid=decision]').dataset.status"""
STATUS_CASE = next(case for case in load_cases("line-byod") if case.answers.get("repair_cost_jpy") == "７０，０００")


@pytest.mark.parametrize(("lang", "width"), [("en", 360), ("ja", 360), ("en", 1280), ("ja", 1280)])
def test_the_embedded_form_asks_what_matters_checks_typed_dates_and_keeps_its_status_in_the_host_view(
    page: Page, site_url: str, faq: tuple[Path, str], lang: str, width: int
) -> None:
    """As a visitor on a FAQ page of another site: an invitation before any answer, one question after another,
    a mistyped date flagged at its field, the status line inside the host's screen after every answer, and the
    line leading to the card."""
    watch = guard(page, site_url, faq[1])
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(faq_page(faq, site_url, f"form-{lang}-{width}.html", element("line-byod", lang), html_lang=lang))
    inner = page.frame_locator(FRAME)
    card = inner.get_by_test_id("decision")
    expect(card).not_to_have_attribute("data-status", "loading", timeout=LOAD_TIMEOUT_MS)
    expect(card).to_contain_text(words.say("start", lang))  # an empty form argues nothing: it invites
    expect(card.get_by_text(words.say("reasons", lang))).to_have_count(0)
    shown = inner.locator(".wc-field:visible")
    assert shown.count() < inner.locator(".wc-field").count()  # only what the answers so far make matter

    frame = frame_of(page)
    answers = STATUS_CASE.with_claim_date()
    box = frame.locator('.wc-field[data-field="contract_date"]')
    box.locator("input").click()
    page.keyboard.type("02302026" if lang == "en" else "0230")  # 30 February / a half-typed date
    expect(card).to_have_attribute("data-status", "invalid")
    expect(box.locator(".wc-error")).to_be_visible()
    assert box.locator("input").evaluate("input => input.validity.badInput"), "what was typed is still there"

    box.locator("input").fill(answers["contract_date"])  # the visitor corrects it
    expect(card).not_to_have_attribute("data-status", "invalid")
    status = inner.get_by_test_id("status")
    order = frame.locator(".wc-field").evaluate_all("boxes => boxes.map((b) => b.dataset.field)")
    for name in order:
        if name not in answers or not frame.locator(f'.wc-field[data-field="{name}"]').is_visible():
            continue
        frame.locator(f'.wc-field[data-field="{name}"]').scroll_into_view_if_needed()  # the visitor scrolls the FAQ page
        fill(frame, name, as_url_text(answers[name]))
        frame.wait_for_function(SAME_STATUS, timeout=LOAD_TIMEOUT_MS)  # the status line says what the card says
        page.wait_for_timeout(100)  # a frame for the host's scroll position to reach the checker
        where = status.bounding_box()
        assert where and where["y"] >= 0 and where["y"] + where["height"] <= 800 + 1, f"status out of the host's view after {name}: {where}"
        if name == "os":
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)  # what the visitor sees on the host's screen, for people to look at
            page.screenshot(path=str(SCREENSHOTS / f"embed-status-{lang}-{width}.png"))
    expect(card).to_have_attribute("data-status", "covered")
    expect(status).to_contain_text("24,400")
    status.get_by_role("button").click()
    page.wait_for_timeout(300)
    where = card.bounding_box()
    assert where and where["y"] < 800 and where["y"] + where["height"] > 0, "the card is in the host's view"
    assert not watch.problems(), watch.problems()


@pytest.mark.parametrize(("lang", "other", "width"), [("en", "ja", 360), ("ja", "en", 1280)])
def test_the_embed_switches_language_and_keeps_the_answers(
    page: Page, site_url: str, faq: tuple[Path, str], lang: str, other: str, width: int
) -> None:
    """On a FAQ page in one language, a reader who prefers the other follows the embed's language link: the same
    form in the other language, with every answer typed so far, and the same answer."""
    watch = guard(page, site_url, faq[1])
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(faq_page(faq, site_url, f"switch-{lang}.html", element("line-byod", lang), html_lang=lang))
    inner = page.frame_locator(FRAME)
    expect(inner.get_by_test_id("decision")).not_to_have_attribute("data-status", "loading", timeout=LOAD_TIMEOUT_MS)
    frame = frame_of(page)
    answers = STATUS_CASE.with_claim_date()
    typed = {}
    for name in frame.locator(".wc-field").evaluate_all("boxes => boxes.map((b) => b.dataset.field)")[:6]:
        if name in answers and frame.locator(f'.wc-field[data-field="{name}"]').is_visible():
            fill(frame, name, as_url_text(answers[name]))
            typed[name] = as_url_text(answers[name])
    assert len(typed) >= 3
    # The answer to what was typed (the rules' own, the day being today's as on the page): the card shows it once it
    # has caught up with the last answer, then again in the other language.
    want = rules.evaluate("line-byod", typed, today=date.today()).status
    expect(inner.get_by_test_id("decision")).to_have_attribute("data-status", want, timeout=LOAD_TIMEOUT_MS)
    inner.get_by_role("link", name=words.say("other_language_label", lang)).click()
    expect(inner.locator(f"section[data-wc][lang={other}]")).to_be_visible(timeout=LOAD_TIMEOUT_MS)
    expect(inner.get_by_test_id("decision")).to_have_attribute("data-status", want, timeout=LOAD_TIMEOUT_MS)
    frame = frame_of(page)
    for name, value in typed.items():
        box = frame.locator(f'.wc-field[data-field="{name}"]')
        if box.get_attribute("data-kind") == "bool":
            expect(box.locator(f'input[value="{value}"]')).to_be_checked()
        else:
            expect(box.locator("input, select").first).to_have_value(value)
    assert not watch.problems(), watch.problems()


def test_the_embed_follows_a_dark_preference_and_passes_axe_on_another_origin(
    browser: Browser, site_url: str, faq: tuple[Path, str]
) -> None:
    """A visitor whose system is set to dark: the embedded form is light on dark, the card keeps its own colours,
    and axe finds nothing, before any answer and once answered."""
    context = browser.new_context(color_scheme="dark", viewport={"width": 360, "height": 800})
    page = context.new_page()
    watch = guard(page, site_url, faq[1])
    page.goto(faq_page(faq, site_url, "dark.html", element("line-byod", "ja"), html_lang="ja"))
    card = page.frame_locator(FRAME).get_by_test_id("decision")
    expect(card).not_to_have_attribute("data-status", "loading", timeout=LOAD_TIMEOUT_MS)
    frame = frame_of(page)
    background = frame.evaluate("getComputedStyle(document.documentElement).backgroundColor")
    assert background == "rgb(30, 33, 41)", background
    assert frame.evaluate("getComputedStyle(document.querySelector('.wc-field label, .wc-field legend')).color") == "rgb(227, 227, 227)"
    found = axe_violations(frame)  # type: ignore[arg-type]
    assert found == [], json.dumps(found)
    for name, value in STATUS_CASE.with_claim_date().items():
        if frame.locator(f'.wc-field[data-field="{name}"]').is_visible():
            fill(frame, name, as_url_text(value))
    expect(card).to_have_attribute("data-status", "covered", timeout=LOAD_TIMEOUT_MS)
    found = axe_violations(frame)  # type: ignore[arg-type]
    assert found == [], json.dumps(found)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "embed-dark-ja-360.png"), full_page=True)
    assert not watch.problems(), watch.problems()
    context.close()
