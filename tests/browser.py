"""Plain helpers for browser tests: a guarded page, the decision region, filling the form as a visitor would."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from playwright.sync_api import Frame, Page, Route, expect

LOAD_TIMEOUT_MS = 90_000  # first answer includes starting Python in the worker on a 2-core machine
# The system Chromium's flags for this closed network (no background calls home, no QUIC, no GPU): the tests'
# browser and the benchmark's are launched with them.
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)


@dataclass
class Guard:
    """Requests to other origins (blocked and recorded) and console errors seen by one page."""

    allowed: tuple[str, ...]
    offsite: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def route(self, route: Route) -> None:
        url = route.request.url
        if url.startswith(self.allowed) or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            self.offsite.append(url)
            route.abort()

    def problems(self) -> list[str]:
        return [f"request to another origin: {u}" for u in self.offsite] + [f"console error: {e}" for e in self.console_errors]


def guard(page: Page, *origins: str) -> Guard:
    """Block every request that leaves the given origins, and record console errors."""
    watch = Guard(allowed=tuple(o.rstrip("/") + "/" for o in origins))
    page.context.route("**/*", watch.route)
    page.on("console", lambda message: watch.console_errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: watch.console_errors.append(str(error)))
    return watch


def checker_url(site: str, program: str, lang: str = "en", answers: dict[str, Any] | None = None, where: str = "#") -> str:
    prefix = "ja/" if lang == "ja" else ""
    query = urlencode({k: as_url_text(v) for k, v in (answers or {}).items()})
    return f"{site}/{prefix}check/{program}/" + (f"{where}{query}" if query else "")


def as_url_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def decision(page: Page, nth: int = 0):  # type: ignore[no-untyped-def]
    return page.get_by_test_id("decision").nth(nth)


def expect_status(page: Page, status: str, nth: int = 0) -> None:
    expect(decision(page, nth)).to_have_attribute("data-status", status, timeout=LOAD_TIMEOUT_MS)


def wait_ready(page: Page) -> None:
    """Wait until the worker has started Python (window.warrantyChecker.state == 'ready')."""
    page.wait_for_function("() => globalThis.warrantyChecker && globalThis.warrantyChecker.state === 'ready'", timeout=LOAD_TIMEOUT_MS)


def field_box(page: Page, name: str, nth: int = 0):  # type: ignore[no-untyped-def]
    return page.locator(f'.wc-field[data-field="{name}"]').nth(nth)


def fill(page: Page, name: str, value: str, nth: int = 0) -> None:
    """Answer one question the way a visitor would (select, radio or typing)."""
    box = field_box(page, name, nth)
    kind = box.get_attribute("data-kind")
    if kind == "bool":
        box.locator(f'input[value="{value}"]').check()
    elif kind == "choice":
        box.locator("select").select_option(value)
    else:
        box.locator("input").fill(value)


# ---------------------------------------------------------------- answering like a visitor, checking what is shown
ROOT = Path(__file__).resolve().parent.parent
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "tests" / "screenshots"


def answer_form(page: Page, answers: dict[str, Any], nth: int = 0) -> None:
    """Start over, then answer each question in page order, as a visitor would (only the questions shown)."""
    section = page.locator("[data-wc]").nth(nth)
    section.get_by_role("button", name=re.compile("Start over|最初から")).click()
    for name in section.locator(".wc-field").evaluate_all("boxes => boxes.map((b) => b.dataset.field)"):
        if name in answers and field_box(page, name, nth).is_visible():
            fill(page, name, as_url_text(answers[name]), nth)


def yen(amount: int, lang: str) -> str:
    """Money as the result card shows it."""
    return f"{amount:,}円" if lang == "ja" else f"¥{amount:,}"


def long_date(iso: str, lang: str) -> str:
    """A date as the result card shows it (en-GB long form; 2026年1月5日)."""
    day = date.fromisoformat(iso)
    return f"{day.year}年{day.month}月{day.day}日" if lang == "ja" else f"{day.day} {day:%B} {day.year}"


def axe_violations(page: Page, scope: str | None = None) -> list[dict[str, Any]]:
    """Run axe-core (pinned in package.json, never fetched) on the page or a part of it."""
    if not AXE_JS.exists():
        raise RuntimeError(f"{AXE_JS} is missing: run `npm ci`")
    page.evaluate(AXE_JS.read_text(encoding="utf-8") + "\n;0")  # evaluated by DevTools: the site's policy refuses an inline <script>
    # What a person sees once the page has settled: transitions under way (the nav drawer sliding after a resize) end
    # first, as axe would otherwise measure colours halfway. Endless animations (a spinner) are not waited for.
    page.evaluate(
        """() => Promise.all(document.getAnimations()
            .filter((a) => a.effect && a.effect.getComputedTiming().iterations !== Infinity)
            .map((a) => a.finished.catch(() => null)))"""
    )
    result = page.evaluate(
        "async (scope) => (await axe.run(scope ? document.querySelector(scope) : document, { resultTypes: ['violations'] })).violations",
        scope,
    )
    return [{"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]} for v in result]


def screenshot(page: Page, name: str) -> Path:
    """A full-page screenshot in tests/screenshots/ (git-ignored), for people to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def crashing_worker(page: Page, crashes: int = 1) -> list[str]:
    """Serve a worker that dies on its first question, for the first `crashes` worker starts.

    The stand-in imports the real worker.js, then throws an uncaught error from a capturing message
    listener (which runs before the real handler and stops it): to the page this is exactly a worker
    whose script failed while running, i.e. the `error` event that checker.js treats as a crash.
    Production code has no test hook for this. Returns the list of worker URLs requested so far."""
    requested: list[str] = []
    stand_in = (
        'import "./worker.js?real";\n'
        'self.addEventListener("message", (event) => {\n'
        '  if (event.data && event.data.type === "evaluate") {\n'
        "    event.stopImmediatePropagation();\n"
        '    throw new Error("simulated worker crash");\n'
        "  }\n"
        "}, { capture: true });\n"
    )

    def handle(route: Route) -> None:
        requested.append(route.request.url)
        if len(requested) <= crashes:
            route.fulfill(status=200, content_type="text/javascript", body=stand_in)
        else:
            route.continue_()

    page.route(re.compile(r"/assets/checker/worker\.js$"), handle)
    return requested


# ---------------------------------------------------------------- offline (site/sw.js)
def kept_for_offline(page: Page | Frame) -> None:
    """Wait until the site's service worker is active, i.e. every file of this build is in its cache (install checks each)."""
    wait_until(page, "async () => (await navigator.serviceWorker.getRegistration())?.active?.state === 'activated'")


def wait_until(page: Page | Frame, script: str, timeout_ms: int = LOAD_TIMEOUT_MS) -> None:
    """Poll an async predicate (wait_for_function takes a returned promise for a truthy value and does not wait for it)."""
    for _ in range(timeout_ms // 200):
        if page.evaluate(script):
            return
        page.wait_for_timeout(200)
    raise AssertionError(f"still false after {timeout_ms} ms: {script}")


def caches_now(page: Page | Frame, prefix: str = "") -> list[str]:
    """The names of this origin's Cache Storage caches (those starting with prefix)."""
    return page.evaluate("async (prefix) => (await caches.keys()).filter((name) => name.startsWith(prefix)).sort()", prefix)
