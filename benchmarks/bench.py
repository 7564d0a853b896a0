"""Benchmark: our checker against a stock Pyodide page, in the same run, alternating, in headless Chromium.

    .venv/bin/python benchmarks/bench.py --runs 5                          # every profile, both our pages
    .venv/bin/python benchmarks/bench.py --runs 1 --profile mobile --page check --read-seconds 2   # a quick trial

One local server (build.serving.make_handler, the same one `python build.py serve` uses, wrapped here to count the bytes
it writes) serves the built site and, under /stock/, a stock page: bare `loadPyodide()` on the main thread, as
Pyodide's docs show, from the same pinned runtime files (npm `pyodide`, precompressed like ours), fetching the
rules as a source zip and answering the same question with the same rules code. Our pages: the chrome-less
/embed/<program>/ page and the full /check/<program>/ page (`--page embed|check|both`).

Each profile (PROFILES below; `--profile loopback,mobile,desktop`) sets CDP network and CPU emulation on the page
(Network.emulateNetworkConditions, Emulation.setCPUThrottlingRate): in this Chromium both also hold for the page's
dedicated worker, where the checker fetches the wasm and the archive (the bench checks this at start: a worker's
download must take as long as the profile's throughput says). Measurements (`--measure`; PROFILES below says which
profile takes which):

  cold      navigation → first decision rendered (fresh context, prefilled URL), and with it
            the main-thread blocking until the first answer: Σ (long task − 50 ms), PerformanceObserver 'longtask';
            the bytes the server had written when the answer was there (status lines, headers and bodies, every
            request, the worker's included) and how many requests reached it; other-origin requests as the browser
            saw them; then (ours) what the service worker's install cost until it is active, apart
  rt        answer round trip over 200 changes (window.warrantyChecker.evaluate, timed in the page),
            right after the first answer and again 2 s later (warm, as while a visitor types)
  cpu4      cold, with the CPU slowed 4×
  repeat_used, repeat_bare
            the same on a second visit with a persistent profile, in two variants of the first visit:
            "used": it is the cold visit as measured (first answer, then 2 x 200 answers), then the tab closes;
            "bare": it only loads, waits 1.5 s and closes
  journey   open the home page, read for READ_SECONDS (25 s; `--read-seconds`), then open a prefilled
            /check/<JOURNEY_PROGRAM>/?… link: that navigation → first decision (stock: the stock page instead)
  typing    after the first answer, CPU 4×, type 50 characters into the IMEI field: the longest keyboard/input
            event duration (Event Timing API, the INP-like figure; ours only: the stock page has no form)

Prints, per profile and page, medians over --runs and ratios ours/stock (medians of the same runs) beside the
targets of issue 16 (TARGETS below), and writes a JSON report to benchmarks/reports/ (not committed).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import build  # noqa: E402
from rules.cases import load_cases  # noqa: E402
from tests.browser import CHROMIUM_ARGS as TEST_CHROMIUM_ARGS  # noqa: E402

PROGRAM = "line-byod"  # cold, repeat, cpu4, round trips, typing
JOURNEY_PROGRAM = "line-device"  # the prefilled link the journey opens (issue 16's "where visitors are")
READ_SECONDS = 25.0  # the journey's time on the home page before the checker link is opened
TYPED_FIELD = "imei"  # a text field of PROGRAM's form
TYPED_TEXT = "0123456789" * 5  # 50 characters
TYPING_DELAY_MS = 30  # between key presses, as Playwright's keyboard.type(delay=…)
SLOW_CPU = 4  # the cpu×4 measurement's and typing's CPU slowdown
ROUND_TRIPS = 200
PAGES = ("embed", "check")


@dataclass(frozen=True)
class Profile:
    """Network and CPU emulation of one profile (no network emulation where latency and throughputs are 0)."""

    latency_ms: float
    down_kbps: float  # kbit/s, 1 kbit = 1024 bits as Lighthouse counts
    up_kbps: float
    cpu: float
    load_s: float  # a typical cold load, for the duration estimate only
    measurements: tuple[str, ...]

    def network(self) -> dict[str, Any] | None:
        if not (self.latency_ms or self.down_kbps or self.up_kbps):
            return None
        return {
            "offline": False,
            "latency": self.latency_ms,
            "downloadThroughput": self.down_kbps * 1024 / 8,  # bytes/s
            "uploadThroughput": self.up_kbps * 1024 / 8,
        }


PROFILES = {
    "loopback": Profile(0, 0, 0, 1, 4, ("cold", "rt", "cpu4", "repeat_used", "repeat_bare", "typing", "journey")),
    # Lighthouse's mobile profile: Slow 4G and a 4× slower CPU
    "mobile": Profile(150, 1.6 * 1024, 750, 4, 35, ("cold", "journey")),
    "desktop": Profile(40, 10 * 1024, 10 * 1024, 1, 8, ("cold", "journey")),
}

# measurement: (variants it runs for, cold loads it takes, extra seconds) — the last two for the estimate only
MEASUREMENTS: dict[str, tuple[tuple[str, ...], float, float]] = {
    "cold": (("stock", "embed", "check"), 1, 1),
    "rt": (("stock", "embed", "check"), 0, 4),  # timed inside the cold visit
    "cpu4": (("stock", "embed", "check"), 4, 1),
    "repeat_used": (("stock", "embed", "check"), 2, 6),
    "repeat_bare": (("stock", "embed", "check"), 2, 3),
    "typing": (("embed", "check"), 1, 6),
    "journey": (("stock", "check"), 1.25, 0),  # the home page and the checker, + the reading time
}

# metric: (label, measurement). Rows of every table, in this order.
METRICS: dict[str, tuple[str, str]] = {
    "cold_first_ms": ("cold first answer (ms)", "cold"),
    "blocking_ms": ("main-thread blocking (ms)", "cold"),
    "bytes": ("bytes on the wire to the answer (server)", "cold"),
    "requests": ("requests to the answer (server)", "cold"),
    "offline_bytes": ("then, kept for offline: bytes", "cold"),
    "offline_requests": ("then, kept for offline: requests", "cold"),
    "offsite": ("other-origin requests", "cold"),
    "rt_p50_ms": ("round trip p50 (ms)", "rt"),
    "rt_p95_ms": ("round trip p95 (ms)", "rt"),
    "rt_p50_warm_ms": ("warm round trip p50 (ms)", "rt"),
    "rt_p95_warm_ms": ("warm round trip p95 (ms)", "rt"),
    "cpu4_first_ms": ("cpu×4 first answer (ms)", "cpu4"),
    "repeat_used_first_ms": ("repeat visit, used (ms)", "repeat_used"),
    "repeat_used_bytes": ("bytes, repeat visit (used)", "repeat_used"),
    "repeat_bare_first_ms": ("repeat visit, bare (ms)", "repeat_bare"),
    "journey_first_ms": ("journey: home, read, checker (ms)", "journey"),
    "inp_ms": ("input to next paint, cpu×4 (ms)", "typing"),
}

# Issue 16's targets, per metric and profile ("*": every profile): ("ratio", r) is ours/stock ≤ r, ("max", v) is ours ≤ v.
TARGETS: dict[str, dict[str, tuple[str, float]]] = {
    "cold_first_ms": {"loopback": ("ratio", 0.40), "mobile": ("ratio", 0.55)},
    "bytes": {"*": ("ratio", 0.65)},
    "blocking_ms": {"loopback": ("max", 50)},
    "offsite": {"*": ("max", 0)},
    "rt_p95_warm_ms": {"loopback": ("max", 2)},
    "cpu4_first_ms": {"loopback": ("ratio", 0.40)},  # kept from issue 13
    "repeat_used_first_ms": {"loopback": ("ratio", 0.40)},
    "repeat_bare_first_ms": {"loopback": ("ratio", 0.40)},
    "journey_first_ms": {"mobile": ("max", 4000)},
    "inp_ms": {"*": ("max", 100)},
}

# The tests' flags, and quieter still: nothing of the browser's own runs beside the page being timed.
CHROMIUM_ARGS = [*TEST_CHROMIUM_ARGS, "--disable-extensions", "--disable-default-apps", "--mute-audio"]
TIMEOUT_MS = 300_000

# Installed before any page script: long tasks (buffered) and the moment the first decision is rendered.
PROBE = """
(() => {
  window.__bench = { blocking: 0, longtasks: 0, first: null };
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        if (window.__bench.first !== null && entry.startTime > window.__bench.first) continue;
        window.__bench.longtasks += 1;
        window.__bench.blocking += Math.max(0, entry.duration - 50);
      }
    }).observe({ type: "longtask", buffered: true });
  } catch (error) {}
  const check = () => {
    const region = document.querySelector('[data-testid="decision"]');
    const status = region && region.getAttribute("data-status");
    if (window.__bench.first === null && status && status !== "loading") {
      window.__bench.first = performance.now();
      window.__bench.status = status;
    }
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-status"] });
})();
"""

# The program comes from ?program=, the answers from the query and the fragment (as our pages read them).
STOCK_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Stock Pyodide</title><link rel="icon" href="data:,"></head>
<body>
<p data-testid="decision" data-status="loading">Loading…</p>
<script type="module">
import { loadPyodide } from "./runtime/pyodide-VERSION/pyodide.mjs";
const pyodide = await loadPyodide();
const response = await fetch("./runtime/rules.zip");
pyodide.unpackArchive(await response.arrayBuffer(), "zip", { extractDir: "/home/pyodide/app" });
pyodide.runPython("import sys\\nsys.path.insert(0, '/home/pyodide/app')\\nimport rules");
const evaluateJson = pyodide.runPython("rules.evaluate_json");
const query = new URLSearchParams(location.search);
const program = query.get("program");
query.delete("program");
const answers = { ...Object.fromEntries(query), ...Object.fromEntries(new URLSearchParams(location.hash.slice(1))) };
const evaluate = async (program, given, today) => JSON.parse(evaluateJson(program, JSON.stringify(given || {}), today || undefined));
window.warrantyChecker = { evaluate, state: "ready" };
const decision = await evaluate(program, answers);
const region = document.querySelector('[data-testid="decision"]');
region.textContent = decision.status;
region.dataset.status = decision.status;
</script>
</body></html>
"""

# /bench-probe/: a worker downloads an incompressible file, to check that the page's emulation throttles it.
PROBE_FILE_BYTES = 256 * 1024
PROBE_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Worker throttling probe</title></head>
<body><script type="module">
window.workerDownload = () => new Promise((resolve) => {
  const worker = new Worker("./worker.js");
  worker.onmessage = (event) => resolve(event.data);
});
</script></body></html>
"""
PROBE_WORKER = """const began = performance.now();
fetch("./noise.bin", { cache: "no-store" }).then((r) => r.arrayBuffer()).then(() => postMessage(performance.now() - began));
"""

ROUND_TRIP = """
async ({ program, answers, n }) => {
  const times = [];
  for (let i = 0; i < n; i += 1) {
    const given = { ...answers, repair_cost_jpy: String(10000 + i * 311), claims_past_year: String(i % 3) };
    const began = performance.now();
    await window.warrantyChecker.evaluate(program, given);
    times.push(performance.now() - began);
  }
  return times;
}
"""

EVENT_TIMING = """
() => {
  window.__events = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const delay = e.processingStart - e.startTime, processing = e.processingEnd - e.processingStart;
      window.__events.push({ name: e.name, duration: e.duration, delay, processing, presentation: e.duration - delay - processing });
    }
  }).observe({ type: "event", buffered: true, durationThreshold: 16 });
}
"""
KEY_EVENTS = ("keydown", "keypress", "keyup", "beforeinput", "input")


def scenario_answers(program: str) -> tuple[dict[str, str], str]:
    """The first covered scenario of the program, as URL text, with claim_date filled in."""
    case = next(c for c in load_cases(program) if c.status == "covered")
    return case.with_claim_date(), case.status


def make_stock(target: Path) -> None:
    """/stock/: the stock page, the pinned runtime files (stock python_stdlib.zip and lock file), the rules as sources."""
    runtime = target / "runtime" / f"pyodide-{build.PYODIDE_VERSION}"
    runtime.mkdir(parents=True, exist_ok=True)
    for name in [*build.PYODIDE_FILES, "pyodide-lock.json"]:
        shutil.copyfile(build.PYODIDE_PACKAGE / name, runtime / name)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for rel, text in sorted(build.rules_sources(build.RULES).items()):
            archive.writestr(rel, text)
    (target / "runtime" / "rules.zip").write_bytes(buffer.getvalue())
    (target / "index.html").write_text(STOCK_PAGE.replace("VERSION", build.PYODIDE_VERSION))
    build.precompress_site(target)  # the same precompressed serving as ours: compression is not what is compared


def make_probe(target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    (target / "index.html").write_text(PROBE_PAGE)
    (target / "worker.js").write_text(PROBE_WORKER)
    (target / "noise.bin").write_bytes(os.urandom(PROBE_FILE_BYTES))


class Meter:
    """What the server wrote, response by response (path, status, bytes incl. status line and headers)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.responses: list[tuple[str, int, int]] = []

    def reset(self) -> None:
        with self.lock:
            self.responses = []

    def add(self, path: str, status: int, size: int) -> None:
        with self.lock:
            self.responses.append((path, status, size))

    def totals(self) -> tuple[int, int]:
        with self.lock:
            return sum(size for _, _, size in self.responses), len(self.responses)


class CountingWriter:
    """A socket writer that counts what goes through it."""

    def __init__(self, raw: Any) -> None:
        self.raw, self.count = raw, 0

    def write(self, data: bytes) -> int:
        self.count += len(data)
        return self.raw.write(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.raw, name)


def metered(handler: type, meter: Meter) -> type:
    """build.serving.make_handler's handler, counting each response's bytes into meter (one response per connection: HTTP/1.0)."""

    class Metered(handler):  # type: ignore[misc, valid-type]
        def setup(self) -> None:
            super().setup()
            self.wfile = CountingWriter(self.wfile)

        def finish(self) -> None:
            try:
                super().finish()
            finally:  # a client gone mid-response still cost what was written
                meter.add(getattr(self, "path", ""), self.status, self.wfile.count)

    return Metered


def serve(root: Path, meter: Meter) -> tuple[Any, str]:
    server = build.serving.make_server(root, "127.0.0.1", 0)
    server.RequestHandlerClass = metered(server.RequestHandlerClass, meter)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


class Offsite:
    """Requests to any other origin, as the browser saw them (the page's and its workers')."""

    def __init__(self, origin: str, context: Any) -> None:
        self.origin, self.urls, self.offsite = origin, [], []
        context.on("request", self.on_request)

    def on_request(self, request: Any) -> None:
        self.urls.append(request.url)
        if not request.url.startswith((self.origin + "/", "data:", "blob:")):
            self.offsite.append(request.url)


def emulate(page: Any, profile: Profile, cpu: float | None = None) -> Any:
    """Apply the profile's network and CPU emulation to the page (and, in this Chromium, its dedicated workers)."""
    cdp = page.context.new_cdp_session(page)
    network = profile.network()
    if network:
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", network)
    rate = cpu if cpu is not None else profile.cpu
    if rate != 1:
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": rate})
    return cdp  # keep it referenced while the page is measured


def new_context(browser: Any, variant: str) -> Any:
    """A fresh context with the probe; the stock page gets no service worker (a stock site has none)."""
    context = browser.new_context(service_workers="block" if variant == "stock" else "allow")
    context.add_init_script(PROBE)
    return context


def first_answer(page: Any, meter: Meter | None = None) -> dict[str, Any]:
    """The first decision's time, the blocking before it, and (with a meter) what the server had written by then."""
    page.wait_for_function("() => window.__bench && window.__bench.first !== null", timeout=TIMEOUT_MS, polling=50)
    written = meter.totals() if meter else None  # the bytes of the answer, not of what the page does after it
    page.wait_for_timeout(300)  # let the PerformanceObserver deliver the last long task
    probe = page.evaluate("() => window.__bench")
    result = {"first_ms": probe["first"], "blocking_ms": probe["blocking"], "longtasks": probe["longtasks"], "status": probe.get("status")}
    if written:
        result["bytes"], result["requests"] = written
    return result


def offline_install(page: Any, meter: Meter, before: tuple[int, int]) -> dict[str, Any]:
    """After the answer, the service worker's install (sw.js keeps the site for offline use): the bytes it cost."""
    installed = page.evaluate(
        """(ms) => !navigator.serviceWorker ? false : Promise.race([
            navigator.serviceWorker.ready.then((r) => new Promise((done) => {
              const check = () => (r.active && r.active.state === "activated" ? done(true) : setTimeout(check, 100));
              check();
            })),
            new Promise((done) => setTimeout(() => done(false), ms)),
          ])""",
        TIMEOUT_MS // 2,
    )
    size, count = meter.totals()
    return {"offline_installed": installed, "offline_bytes": size - before[0], "offline_requests": count - before[1]}


def round_trips(page: Any, n: int) -> dict[str, float]:
    """Answer round trips right after the first answer (the wasm still tiering up), then again once warm."""
    answers, _ = scenario_answers(PROGRAM)
    result = {}
    for suffix in ("", "_warm"):
        if suffix:
            page.wait_for_timeout(2000)
        times = sorted(page.evaluate(ROUND_TRIP, {"program": PROGRAM, "answers": answers, "n": n}))
        result[f"rt_p50{suffix}_ms"] = times[len(times) // 2]
        result[f"rt_p95{suffix}_ms"] = times[int(len(times) * 0.95) - 1]
    return result


def cold(browser: Any, meter: Meter, origin: str, variant: str, url: str, profile: Profile, **options: Any) -> dict[str, Any]:
    """A first visit: navigation → first decision, blocking, the server's bytes and requests; round trips if asked."""
    context = new_context(browser, variant)
    offsite = Offsite(origin, context)
    try:
        page = context.new_page()
        cdp = emulate(page, profile, options.get("cpu"))
        meter.reset()
        page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
        result = first_answer(page, meter)
        served = len(meter.responses)
        if options.get("round_trips"):
            result.update(round_trips(page, options["round_trips"]))
        if variant != "stock":
            result.update(offline_install(page, meter, (result["bytes"], result["requests"])))
        result.update(offsite=len(offsite.offsite), urls=offsite.urls, served=list(meter.responses[:served]))
        del cdp
        return result
    finally:
        context.close()


def repeat(playwright: Any, chromium: str, meter: Meter, url: str, used: bool) -> dict[str, Any]:
    """First visit warms a persistent profile (used: answers ROUND_TRIPS changes twice, as the cold visit; bare: none);
    the second visit (a new tab after the first closed) is measured, with the bytes the server wrote for it."""
    with tempfile.TemporaryDirectory(prefix="bench-profile-") as profile:
        context = playwright.chromium.launch_persistent_context(profile, executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
        try:
            context.add_init_script(PROBE)
            first = context.new_page()
            first.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
            first_answer(first)
            if used:
                round_trips(first, ROUND_TRIPS)
            first.wait_for_timeout(1500)
            first.goto("about:blank")
            first.close()
            meter.reset()
            second = context.new_page()
            second.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
            return first_answer(second, meter)
        finally:
            context.close()


def journey(browser: Any, origin: str, variant: str, link: str, profile: Profile, read_s: float) -> dict[str, Any]:
    """The home page, read_s of reading, then the prefilled checker link: that navigation → first decision."""
    context = new_context(browser, variant)
    try:
        page = context.new_page()
        cdp = emulate(page, profile)
        page.goto(f"{origin}/", wait_until="load", timeout=TIMEOUT_MS)
        page.wait_for_timeout(read_s * 1000)
        page.goto(link, wait_until="commit", timeout=TIMEOUT_MS)
        result = first_answer(page)
        del cdp
        return result
    finally:
        context.close()


def typing(browser: Any, url: str, profile: Profile) -> dict[str, Any]:
    """After the first answer, CPU slowed SLOW_CPU×, type TYPED_TEXT into TYPED_FIELD: the longest key/input event."""
    context = new_context(browser, "ours")
    try:
        page = context.new_page()
        cdp = emulate(page, profile)
        page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
        result = first_answer(page)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": SLOW_CPU})
        field = page.locator(f'[name="{TYPED_FIELD}"]').first
        field.scroll_into_view_if_needed()
        page.evaluate(EVENT_TIMING)
        field.click()
        page.keyboard.type(TYPED_TEXT, delay=TYPING_DELAY_MS)
        page.wait_for_timeout(1500)  # the last events' next paint
        events = [e for e in page.evaluate("() => window.__events") if e["name"] in KEY_EVENTS]
        slowest = max(events, key=lambda e: e["duration"], default=None)  # with its input delay, processing, presentation
        result.update(inp_ms=slowest["duration"] if slowest else 0.0, slowest=slowest, slow_events=len(events))
        return result
    finally:
        context.close()


def check_worker_throttling(browser: Any, meter: Meter, origin: str, name: str, profile: Profile) -> float:
    """Fail unless a dedicated worker's download under the profile takes at least half what its throughput says."""
    network = profile.network()
    if not network:
        return 0.0
    context = browser.new_context()
    try:
        page = context.new_page()
        cdp = emulate(page, profile, cpu=1)
        page.goto(f"{origin}/bench-probe/", wait_until="load", timeout=TIMEOUT_MS)
        meter.reset()
        took = page.evaluate("() => workerDownload()")
        size, _ = meter.totals()
        expected = 1000 * size / network["downloadThroughput"] + network["latency"]
        del cdp
    finally:
        context.close()
    if took < expected / 2:
        raise SystemExit(
            f"{name}: a worker's download of {size:,} B took {took:.0f} ms, {expected:.0f} ms expected: the page's network "
            "emulation does not reach its workers in this Chromium; attach to the workers (Target.setAutoAttach) to throttle them"
        )
    return took


@dataclass(frozen=True)
class Setup:
    """What every measurement needs: the browser, the server and its meter, the pages' URLs, the expected answers."""

    playwright: Any
    browser: Any
    chromium: str
    meter: Meter
    origin: str
    urls: dict[str, str]  # variant → prefilled page of PROGRAM
    links: dict[str, str]  # variant → the journey's prefilled link of JOURNEY_PROGRAM
    expected: dict[str, str]  # "" → PROGRAM's expected status, "journey" → JOURNEY_PROGRAM's
    read_s: float


def take(setup: Setup, measurement: str, variant: str, profile: Profile, trips: int) -> tuple[dict[str, float], dict[str, Any]]:
    """One measurement of one page under one profile: (its METRICS figures, the raw result)."""
    url = setup.urls[variant]
    if measurement == "cold":
        result = cold(setup.browser, setup.meter, setup.origin, variant, url, profile, round_trips=trips)
        names = {
            k: k
            for k in (
                "blocking_ms",
                "bytes",
                "requests",
                "offline_bytes",
                "offline_requests",
                "offsite",
                *(m for m in METRICS if METRICS[m][1] == "rt"),
            )
            if k in result
        }
        metrics = {"cold_first_ms": result["first_ms"], **{metric: result[key] for key, metric in names.items()}}
    elif measurement == "cpu4":
        result = cold(setup.browser, setup.meter, setup.origin, variant, url, profile, cpu=SLOW_CPU)
        metrics = {"cpu4_first_ms": result["first_ms"]}
    elif measurement in ("repeat_used", "repeat_bare"):
        used = measurement == "repeat_used"
        result = repeat(setup.playwright, setup.chromium, setup.meter, url, used)
        metrics = {f"{measurement}_first_ms": result["first_ms"], **({"repeat_used_bytes": result["bytes"]} if used else {})}
    elif measurement == "journey":
        result = journey(setup.browser, setup.origin, variant, setup.links[variant], profile, setup.read_s)
        metrics = {"journey_first_ms": result["first_ms"]}
    elif measurement == "typing":
        result = typing(setup.browser, url, profile)
        metrics = {"inp_ms": result["inp_ms"]}
    else:
        raise ValueError(f"no measurement {measurement!r}")
    want = setup.expected["journey" if measurement == "journey" else ""]
    if result["status"] != want:
        raise SystemExit(f"{variant}, {measurement}: the first answer was {result['status']!r}, expected {want!r}")
    return metrics, result


# ----------------------------------------------------------------------------- the run, the tables


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def target_of(metric: str, profile: str) -> tuple[str, float] | None:
    targets = TARGETS.get(metric, {})
    return targets.get(profile, targets.get("*"))


def verdict(target: tuple[str, float] | None, stock: float, ours: float) -> tuple[float, str, bool | None]:
    """(ours/stock, the target as text, met?) — met is None without a target."""
    ratio = ours / stock if stock == stock and stock else float("nan")  # no stock figure (nan) or 0: no ratio
    if target is None:
        return ratio, "", None
    kind, value = target
    if kind == "ratio":
        return ratio, f"≤ {value:.2f}×", ratio <= value
    return ratio, f"≤ {value:g}", ours <= value


def variants_for(measurement: str, pages: tuple[str, ...]) -> tuple[str, ...]:
    """Who takes the measurement: the stock page and our pages among pages (nobody if none of ours does)."""
    ours = tuple(v for v in MEASUREMENTS[measurement][0] if v in pages)
    return (("stock",) if "stock" in MEASUREMENTS[measurement][0] else ()) + ours if ours else ()


def estimate_seconds(profiles: list[str], measure: list[str], pages: tuple[str, ...], runs: int, read_s: float) -> float:
    """A rough duration of the whole run, from each measurement's cold loads at each profile's typical load time."""
    total = 0.0
    for name in profiles:
        profile = PROFILES[name]
        for measurement in (m for m in profile.measurements if m in measure):
            _, loads, extra = MEASUREMENTS[measurement]
            each = loads * profile.load_s + extra + (read_s if measurement == "journey" else 0)
            total += each * len(variants_for(measurement, pages))
    return total * runs


def comma_list(text: str, known: dict[str, Any]) -> list[str]:
    """`a,b` → ["a", "b"], each one of known."""
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in known]
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"a comma list of {', '.join(known)} was expected, not {', '.join(unknown) or repr(text)}")
    return names


def parse_profiles(text: str) -> list[str]:
    return comma_list(text, PROFILES)


def parse_measurements(text: str) -> list[str]:
    return comma_list(text, MEASUREMENTS)


def table_rows(profile: str, page: str, samples: dict[str, dict[str, list[float]]]) -> list[dict[str, Any]]:
    """The rows of one profile's table for one of our pages: medians, ratio, target, met."""
    rows = []
    for metric, (label, measurement) in METRICS.items():
        if measurement not in PROFILES[profile].measurements or page not in variants_for(measurement, (page,)):
            continue
        if not samples.get(page, {}).get(metric):
            continue  # not measured in this run (--measure)
        ours = median(samples[page][metric])
        stock = median(samples.get("stock", {}).get(metric, []))
        ratio, target, met = verdict(target_of(metric, profile), stock, ours)
        rows.append({"metric": label, "key": metric, "stock": stock, "ours": ours, "ratio": ratio, "target": target, "met": met})
    return rows


def progress(samples: dict[str, dict[str, list[float]]], variants: tuple[str, ...]) -> str:
    """The last run's headline figures, e.g. `cold first answer (ms): stock 3,412 check 1,586`."""
    parts = []
    for metric in ("cold_first_ms", "journey_first_ms", "inp_ms"):
        figures = "  ".join(f"{v} {samples[v][metric][-1]:,.0f}" for v in variants if samples.get(v, {}).get(metric))
        if figures:
            parts.append(f"{METRICS[metric][0]}: {figures}")
    return "; ".join(parts)


def print_table(title: str, rows: list[dict[str, Any]]) -> None:
    print(f"\n{title}")
    print(f"  {'metric':<35} {'stock':>12} {'ours':>12} {'ours/stock':>11}  target")
    for row in rows:
        stock = "—" if row["stock"] != row["stock"] else f"{row['stock']:,.1f}"
        ratio = "" if row["ratio"] != row["ratio"] else f"{row['ratio']:.2f}×"
        mark = {None: "", True: "  ok", False: "  MISSED"}[row["met"]]
        print(f"  {row['metric']:<35} {stock:>12} {row['ours']:>12,.1f} {ratio:>11}  {row['target']}{mark}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (medians are reported; ≥ 5 for the README)")
    parser.add_argument("--profile", type=parse_profiles, default=list(PROFILES), help=f"comma list of {', '.join(PROFILES)} (default all)")
    parser.add_argument(
        "--page", choices=(*PAGES, "both"), default="both", help="our page: the chrome-less embed page, the full /check/ page, or both"
    )
    parser.add_argument(
        "--read-seconds", type=float, default=READ_SECONDS, help=f"the journey's reading time on the home page (default {READ_SECONDS:g})"
    )
    parser.add_argument(
        "--measure",
        type=parse_measurements,
        default=list(MEASUREMENTS),
        help=f"comma list of {', '.join(MEASUREMENTS)} (default all; each runs in the profiles that list it)",
    )
    parser.add_argument("--site-dir", type=Path, default=build.PUBLIC, help="the built site (built first if out of date)")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    pages = PAGES if args.page == "both" else (args.page,)
    site_dir = args.site_dir.resolve()
    build.report(build.build(site_dir))
    (answers, status), (journey_answers, journey_status) = scenario_answers(PROGRAM), scenario_answers(JOURNEY_PROGRAM)
    estimate = estimate_seconds(args.profile, args.measure, pages, args.runs, args.read_seconds)
    print(f"profiles {', '.join(args.profile)}; pages {', '.join(pages)}; {args.runs} runs: about {estimate / 60:.0f} min", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-site-") as tmp:
        # one server root: our site, the stock page and the probe beside it (same handler, same headers)
        root = Path(tmp) / "site"
        shutil.copytree(site_dir, root, symlinks=True)
        make_stock(root / "stock")
        make_probe(root / "bench-probe")
        build.serving.write_headers(root)  # the same header set, with the stock and probe pages' inline scripts hashed into its policy
        meter = Meter()
        server, origin = serve(root, meter)
        urls = {
            "stock": f"{origin}/stock/?program={PROGRAM}#{urlencode(answers)}",
            "embed": f"{origin}/embed/{PROGRAM}/?lang=en#{urlencode(answers)}",
            "check": f"{origin}/check/{PROGRAM}/#{urlencode(answers)}",
        }
        links = {
            "stock": f"{origin}/stock/?{urlencode({'program': JOURNEY_PROGRAM, **journey_answers})}",
            "check": f"{origin}/check/{JOURNEY_PROGRAM}/?{urlencode(journey_answers)}",
        }
        samples: dict[str, dict[str, dict[str, list[Any]]]] = {p: {} for p in args.profile}
        details: dict[str, dict[str, Any]] = {p: {} for p in args.profile}
        throttled: dict[str, float] = {}
        expected = {"": status, "journey": journey_status}

        began = time.monotonic()
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=args.chromium, headless=True, args=CHROMIUM_ARGS)
            setup = Setup(playwright, browser, args.chromium, meter, origin, urls, links, expected, args.read_seconds)
            for name in args.profile:
                throttled[name] = check_worker_throttling(browser, meter, origin, name, PROFILES[name])
                if throttled[name]:
                    print(
                        f"  {name}: a worker's {PROBE_FILE_BYTES:,} B download took {throttled[name]:,.0f} ms (emulation holds)", flush=True
                    )
            for run in range(args.runs):
                for name in args.profile:
                    profile = PROFILES[name]
                    for measurement in profile.measurements:
                        if measurement == "rt":
                            continue  # taken inside the cold visit
                        variants = variants_for(measurement, pages)
                        if not variants or measurement not in args.measure:
                            continue
                        shift = run % len(variants)
                        for variant in variants[shift:] + variants[:shift]:  # alternating, a different one first each run
                            trips = ROUND_TRIPS if "rt" in profile.measurements and "rt" in args.measure else 0
                            metrics, result = take(setup, measurement, variant, profile, trips)
                            for metric, value in metrics.items():
                                samples[name].setdefault(variant, {}).setdefault(metric, []).append(value)
                            if measurement == "cold":  # the first run's requests, as the browser and the server saw them
                                details[name].setdefault(variant, {}).setdefault(
                                    "requests", {"urls": result["urls"], "served": result["served"]}
                                )
                            if measurement == "typing":
                                details[name].setdefault(variant, {}).setdefault("slowest_events", []).append(result["slowest"])
                    print(f"  run {run + 1}/{args.runs} {name}: {progress(samples[name], ('stock', *pages))}", flush=True)
                elapsed = time.monotonic() - began
                left = elapsed / (run + 1) * (args.runs - run - 1)
                print(f"  run {run + 1}/{args.runs} done after {elapsed / 60:.1f} min; about {left / 60:.1f} min left", flush=True)
            browser.close()
        server.shutdown()

    chromium_version = subprocess.run([args.chromium, "--version"], capture_output=True, text=True).stdout.split(" built")[0].strip()
    tables = {}
    for name in args.profile:
        for page in pages:
            rows = table_rows(name, page, samples[name])
            ours_path = urls[page].removeprefix(origin).split("#")[0]
            print_table(
                f"{name}: medians of {args.runs} runs, ours = {ours_path} vs stock loadPyodide(), {PROGRAM}, {chromium_version}", rows
            )
            tables[f"{name}/{page}"] = rows
    print(f"\nworker download under emulation (ms): {json.dumps(throttled)}")
    reports = ROOT / "benchmarks" / "reports"
    reports.mkdir(parents=True, exist_ok=True)
    out = reports / f"bench-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(
        json.dumps(
            {
                "command": " ".join(["benchmarks/bench.py", *(argv if argv is not None else sys.argv[1:])]),
                "runs": args.runs,
                "profiles": {name: PROFILES[name].__dict__ for name in args.profile},
                "read_seconds": args.read_seconds,
                "pages": {page: urls[page].removeprefix(origin).split("#")[0] for page in pages},
                "program": PROGRAM,
                "journey_program": JOURNEY_PROGRAM,
                "chromium": chromium_version,
                "pyodide": build.PYODIDE_VERSION,
                "duration_s": round(time.monotonic() - began),
                "worker_download_ms": throttled,
                "tables": tables,
                "samples": samples,
                "details": details,
            },
            indent=2,
            ensure_ascii=False,
        )
    )
    print(f"report: {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
