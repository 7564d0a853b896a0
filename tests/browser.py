"""Plain helpers for browser tests: a guarded page, the decision region, filling the form as a visitor would."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from playwright.sync_api import Page, Route, expect

LOAD_TIMEOUT_MS = 90_000  # first answer includes starting Python in the worker on a 2-core machine


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
