"""The start-up snapshot (worker.js): a later visit restores Python's memory from this browser's Cache Storage
instead of starting Python. It must answer exactly as a fresh start does, hold nothing the visitor typed, and
give way to a normal start when it cannot be used."""

from __future__ import annotations

import json
from typing import Any

import pytest
from playwright.sync_api import Page, expect

import rules
from tests.browser import LOAD_TIMEOUT_MS, checker_url, decision, expect_status, guard, wait_ready, with_claim_date
from tests.conftest import scenario_cases

pytestmark = pytest.mark.browser

SNAPSHOTS = "warranty-checker-snapshots"  # worker.js
CASES = scenario_cases()
# A repair cost no scenario or label uses: if it turns up in the stored snapshot, the snapshot holds an answer.
MARKER_COST = 7_654_321


def stored(page: Page) -> list[dict[str, Any]]:
    """Every stored snapshot: its key and its size in bytes."""
    return page.evaluate(
        """async (name) => {
             const cache = await caches.open(name);
             return Promise.all((await cache.keys()).map(async (request) =>
               ({ url: request.url, size: (await (await cache.match(request)).arrayBuffer()).byteLength })));
           }""",
        SNAPSHOTS,
    )


def wait_stored(page: Page, bigger_than: int = 0) -> list[dict[str, Any]]:
    """The stored snapshots, once there is one of more than `bigger_than` bytes (the worker stores it shortly
    after start-up; wait_for_function does not await a promise, so this polls)."""
    for _ in range(LOAD_TIMEOUT_MS // 100):
        found = stored(page)
        if any(entry["size"] > bigger_than for entry in found):
            return found
        page.wait_for_timeout(100)
    raise AssertionError(f"no snapshot of more than {bigger_than} bytes was stored")


def started(page: Page) -> dict[str, Any]:
    wait_ready(page)
    return page.evaluate("() => globalThis.warrantyChecker.started")


def covered_case(program: str) -> dict[str, Any]:
    return with_claim_date(next(c for p, c in CASES if p == program and c["expect"]["status"] == "covered"))


def test_a_later_visit_starts_from_the_snapshot_and_answers_alike(watched: Page, site_url: str) -> None:
    """The first visit starts Python and stores a snapshot; the next restores it, shows the same card, and
    agrees with CPython on every scenario of every program."""
    url = checker_url(site_url, "line-byod", "en", covered_case("line-byod"))
    watched.goto(url)
    expect_status(watched, "covered")
    assert started(watched)["snapshot"] is False
    card = decision(watched).inner_text()
    [entry] = wait_stored(watched)
    assert 1_000_000 < entry["size"] < 31_457_408  # pages of zeros are left out

    later = watched.context.new_page()
    watch = guard(later, site_url)
    later.goto(url)
    expect_status(later, "covered")
    assert started(later)["snapshot"] is True
    assert decision(later).inner_text() == card
    cases = [{"program": p, "answers": json.loads(json.dumps(c["answers"], default=str)), "today": str(c["today"])} for p, c in CASES]
    got = later.evaluate("async (cases) => Promise.all(cases.map((c) => globalThis.warrantyChecker.evaluate(c.program, c.answers, c.today)))", cases)
    for case, browser_decision in zip(cases, got, strict=True):
        assert browser_decision == rules.evaluate(case["program"], case["answers"], today=case["today"]).to_dict()
    assert stored(later) == [entry]  # the same snapshot, not stored again
    assert not watch.problems(), watch.problems()


def test_the_snapshot_holds_nothing_the_visitor_typed(watched: Page, site_url: str) -> None:
    """It is taken after start-up and before the first question is answered."""
    answers = {**covered_case("line-byod"), "repair_cost_jpy": MARKER_COST}
    watched.goto(checker_url(site_url, "line-byod", "en", answers))
    expect(decision(watched).get_by_text(f"{MARKER_COST:,}").first).to_be_visible(timeout=LOAD_TIMEOUT_MS)  # it was answered
    wait_stored(watched)
    found = watched.evaluate(
        """async ({ name, marker }) => {
             const cache = await caches.open(name);
             const [request] = await cache.keys();
             const text = new TextDecoder("latin1").decode(await (await cache.match(request)).arrayBuffer());
             return { marker: text.includes(marker), program: text.includes("line_byod") };
           }""",
        {"name": SNAPSHOTS, "marker": str(MARKER_COST)},
    )
    assert found == {"marker": False, "program": True}  # the rules are in it; the answer is not


def test_a_damaged_snapshot_gives_way_to_a_normal_start(page: Page, site_url: str) -> None:
    """A stored snapshot that cannot be restored is deleted, Python starts as usual, and a good one replaces it."""
    watch = guard(page, site_url)
    url = checker_url(site_url, "line-device", "ja", covered_case("line-device"))
    page.goto(url)
    expect_status(page, "covered")
    [entry] = wait_stored(page)
    page.evaluate(
        "async ({ name, url }) => (await caches.open(name)).put(url, new Response(new Uint8Array([1, 0, 0, 0, 9, 0, 0, 0])))",
        {"name": SNAPSHOTS, "url": entry["url"]},
    )

    later = page.context.new_page()
    warnings: list[str] = []
    later.on("console", lambda message: warnings.append(message.text) if message.type == "warning" else None)
    later.goto(url)
    expect_status(later, "covered")
    assert started(later)["snapshot"] is False
    assert any("snapshot could not be used" in text for text in warnings), warnings
    assert [e["url"] for e in wait_stored(later, bigger_than=1_000_000)] == [entry["url"]]  # a good one in its place
    assert not watch.problems(), watch.problems()
