"""The start-up snapshot (worker.js): a later visit restores Python's memory from this browser's Cache Storage
instead of starting Python. It must answer exactly as a fresh start does, hold nothing the visitor typed, and
give way to a normal start when it cannot be used."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

import rules
from rules.cases import load_cases
from tests.browser import LOAD_TIMEOUT_MS, checker_url, decision, expect_status, guard, wait_ready

pytestmark = pytest.mark.browser

SNAPSHOTS = "warranty-checker-snapshots"  # worker.js
FLAG = "warranty-checker-snapshot"  # checker.js: "<rules URL>" once stored, "off <rules URL>" after a failure
CASES = load_cases()
# A repair cost no scenario or label uses: if it turns up in the stored snapshot, the snapshot holds an answer.
MARKER_COST = 7_654_321


def stored(page: Page) -> list[dict[str, Any]]:
    """Every stored snapshot: its key, its size in bytes and the memory length its header gives."""
    return page.evaluate(
        """async (name) => {
             const cache = await caches.open(name);
             return Promise.all((await cache.keys()).map(async (request) => {
               const bytes = await (await cache.match(request)).arrayBuffer();
               return { url: request.url, size: bytes.byteLength, length: new Uint32Array(bytes, 0, 1)[0] };
             }));
           }""",
        SNAPSHOTS,
    )


def flag(page: Page) -> str | None:
    return page.evaluate("(name) => localStorage.getItem(name)", FLAG)


def wait_stored(page: Page) -> list[dict[str, Any]]:
    """The stored snapshots, once the page has been told one was stored (the worker stores it a second
    after the last answer; wait_for_function does not await a promise, so this polls)."""
    for _ in range(LOAD_TIMEOUT_MS // 100):
        value = flag(page)
        if value and not value.startswith("off "):
            return stored(page)
        page.wait_for_timeout(100)
    raise AssertionError(f"no snapshot was stored (flag: {flag(page)!r})")


def started(page: Page) -> dict[str, Any]:
    wait_ready(page)
    return page.evaluate("() => globalThis.warrantyChecker.started")


def covered_case(program: str) -> dict[str, str]:
    return (next(c for c in load_cases(program) if c.status == "covered")).with_claim_date()


def count_flag_writes(page: Page) -> None:
    """Count the page's writes of the snapshot flag (each one means the worker stored or gave up a snapshot)."""
    page.add_init_script(f"""(() => {{
      window.__flagWrites = 0;
      const set = Storage.prototype.setItem;
      Storage.prototype.setItem = function (key, value) {{
        if (key === {FLAG!r}) window.__flagWrites += 1;
        return set.call(this, key, value);
      }};
    }})()""")


def test_a_later_visit_starts_from_the_snapshot_and_answers_alike(watched: Page, site_url: str) -> None:
    """The first visit starts Python and stores a snapshot; the next restores it, shows the same card,
    agrees with CPython on every scenario of every program, and takes no new snapshot."""
    url = checker_url(site_url, "line-byod", "en", covered_case("line-byod"))
    watched.goto(url)
    expect_status(watched, "covered")
    assert started(watched)["snapshot"] == "taken"
    card = decision(watched).inner_text()
    [entry] = wait_stored(watched)
    assert entry["url"].startswith(flag(watched) + "?")  # the flag names the rules archive of the key
    assert 1_000_000 < entry["size"] < 0.6 * entry["length"]  # the pages of zeros are left out

    later = watched.context.new_page()
    watch = guard(later, site_url)
    count_flag_writes(later)
    later.goto(url)
    expect_status(later, "covered")
    assert started(later)["snapshot"] == "restored"
    assert decision(later).inner_text() == card
    cases = [{"program": c.program, "answers": c.answers, "today": c.today} for c in CASES]
    got = later.evaluate(
        "async (cases) => Promise.all(cases.map((c) => globalThis.warrantyChecker.evaluate(c.program, c.answers, c.today)))", cases
    )
    for case, browser_decision in zip(cases, got, strict=True):
        assert browser_decision == rules.evaluate(case["program"], case["answers"], today=case["today"]).to_dict()
    later.wait_for_timeout(2000)  # longer than the worker's idle delay before storing
    assert later.evaluate("() => window.__flagWrites") == 0 and stored(later) == [entry]
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


# Kinds of damage, each caught by the SHA-256 stored beside the snapshot before anything is restored: a header
# that does not add up, a byte of Pyodide's build id, and bytes of Python's memory, which used to restore
# without complaint (the stored checksum header is kept, as silent corruption of the body would).
DAMAGE = {
    "header": "(bytes) => new Uint8Array([1, 0, 0, 0, 9, 0, 0, 0])",
    "build id": (
        "(bytes) => { const count = new Uint32Array(bytes, 4, 1)[0]; const copy = new Uint8Array(bytes.slice(0)); "
        "copy[8 + 4 * count + 16] ^= 1; return copy; }"
    ),
    "a memory byte": "(bytes) => { const copy = new Uint8Array(bytes.slice(0)); copy[Math.floor(copy.length * 0.6)] ^= 16; return copy; }",
    "the last page": "(bytes) => { const copy = new Uint8Array(bytes.slice(0)); copy[copy.length - 3] ^= 0xff; return copy; }",
}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_a_damaged_snapshot_gives_way_to_a_normal_start(page: Page, site_url: str, damage: str) -> None:
    """A stored snapshot that cannot be restored is deleted, Python starts as usual, and snapshots stay off
    for this build (none is taken again, the next visit does not look)."""
    watch = guard(page, site_url)
    url = checker_url(site_url, "line-device", "ja", covered_case("line-device"))
    page.goto(url)
    expect_status(page, "covered")
    [entry] = wait_stored(page)
    page.evaluate(
        f"""async ({{ name, url }}) => {{
              const cache = await caches.open(name);
              const found = await cache.match(url);
              const bytes = await found.arrayBuffer();
              await cache.put(url, new Response(({DAMAGE[damage]})(bytes), {{ headers: found.headers }}));
            }}""",
        {"name": SNAPSHOTS, "url": entry["url"]},
    )

    later = page.context.new_page()
    later_watch = guard(later, site_url)
    warnings: list[str] = []
    later.on("console", lambda message: warnings.append(message.text) if message.type == "warning" else None)
    later.goto(url)
    expect_status(later, "covered")
    assert started(later)["snapshot"] == "none"
    assert any("snapshot could not be used" in text and "checksum mismatch" in text for text in warnings), warnings
    later.wait_for_function("(name) => (localStorage.getItem(name) || '').startsWith('off ')", arg=FLAG, timeout=LOAD_TIMEOUT_MS)
    assert stored(later) == []

    third = page.context.new_page()
    third_watch = guard(third, site_url)
    third.goto(url)
    expect_status(third, "covered")
    assert started(third)["snapshot"] == "none"
    assert not (watch.problems() + later_watch.problems() + third_watch.problems())
