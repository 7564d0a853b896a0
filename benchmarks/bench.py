"""Benchmark: our checker against a stock Pyodide page, in the same run, alternating, in headless Chromium.

    .venv/bin/python benchmarks/bench.py --runs 5

One local server (build.make_handler, the same one `python build.py serve` uses) serves the built site
and, under /stock/, a stock page: bare `loadPyodide()` on the main thread, as Pyodide's docs show, from
the same pinned runtime files (npm `pyodide`, precompressed like ours), fetching the rules as a source zip
and answering the same question with the same rules code. For each page it measures:

  cold      navigation → first decision rendered (fresh context, prefilled URL)
  repeat    the same on a second visit with a persistent profile, in two variants of the first visit:
            "used": it is the cold visit as measured (first answer, then 2 x 200 answers), then the tab closes;
            "bare": it only loads, waits 1.5 s and closes. Either first visit stores the start-up snapshot
            (worker.js) a second after its last answer, which the second visit restores
  cpu4      cold, with the CPU slowed 4× (CDP Emulation.setCPUThrottlingRate)
  blocking  main-thread blocking until the first answer: Σ (long task − 50 ms), PerformanceObserver 'longtask'
  bytes     bytes on the wire (headers + encoded bodies), every request, the worker's included
  requests  request count, and how many went to another origin
  rt p50/95 answer round trip over 200 changes (window.warrantyChecker.evaluate, timed in the page),
            right after the first answer and again 2 s later (warm, as while a visitor types)

Prints medians and ratios ours/stock; writes a JSON report to benchmarks/reports/.
"""

from __future__ import annotations

import argparse
import io
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import build  # noqa: E402

PROGRAM = "line-byod"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--disable-extensions",
    "--disable-default-apps",
    "--mute-audio",
]
TIMEOUT_MS = 180_000

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
    if (window.__bench.first === null && status && status !== "loading") { window.__bench.first = performance.now(); window.__bench.status = status; }
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-status"] });
})();
"""

STOCK_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Stock Pyodide</title></head>
<body>
<p data-testid="decision" data-status="loading">Loading…</p>
<script type="module">
import { loadPyodide } from "./runtime/pyodide-VERSION/pyodide.mjs";
const pyodide = await loadPyodide();
const response = await fetch("./runtime/rules.zip");
pyodide.unpackArchive(await response.arrayBuffer(), "zip", { extractDir: "/home/pyodide/app" });
pyodide.runPython("import sys\\nsys.path.insert(0, '/home/pyodide/app')\\nimport rules");
const evaluateJson = pyodide.runPython("rules.evaluate_json");
const answers = Object.fromEntries(new URLSearchParams(location.hash.slice(1)));
const evaluate = async (program, given, today) => JSON.parse(evaluateJson(program, JSON.stringify(given || {}), today || undefined));
window.warrantyChecker = { evaluate, state: "ready" };
const decision = await evaluate("PROGRAM", answers);
const region = document.querySelector('[data-testid="decision"]');
region.textContent = decision.status;
region.dataset.status = decision.status;
</script>
</body></html>
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


def scenario_answers(program: str) -> tuple[dict[str, str], str]:
    """The first covered scenario of the program, as URL text, with claim_date filled in."""
    data = tomllib.loads((ROOT / "rules" / "scenarios" / f"{program}.toml").read_text(encoding="utf-8"))
    case = next(c for c in data["case"] if c["expect"]["status"] == "covered")
    answers = {k: ("true" if v is True else "false" if v is False else str(v)) for k, v in case["answers"].items()}
    answers.setdefault("claim_date", str(case["today"]))
    return answers, case["expect"]["status"]


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
    (target / "index.html").write_text(STOCK_PAGE.replace("VERSION", build.PYODIDE_VERSION).replace("PROGRAM", PROGRAM))
    build.precompress_site(target)  # the same precompressed serving as ours: compression is not what is compared


class Recorder:
    """Every request a page (and its worker) makes: count, bytes on the wire, other origins."""

    def __init__(self, origin: str) -> None:
        self.origin, self.count, self.bytes, self.offsite, self.urls = origin, 0, 0, [], []

    def attach(self, context: Any) -> None:
        context.on("request", self.on_request)
        context.on("requestfinished", self.on_finished)

    def on_request(self, request: Any) -> None:
        self.count += 1
        self.urls.append(request.url)
        if not request.url.startswith((self.origin + "/", "data:", "blob:")):
            self.offsite.append(request.url)

    def on_finished(self, request: Any) -> None:
        try:
            sizes = request.sizes()
            self.bytes += sizes["responseBodySize"] + sizes["responseHeadersSize"]
        except Exception:  # a request without a response (aborted)
            pass


def measure_page(page: Any, url: str, throttle: float = 1.0, round_trips: int = 0) -> dict[str, Any]:
    """Load url, wait for the first decision, read the probe; optionally time answer round trips."""
    if throttle != 1.0:
        cdp = page.context.new_cdp_session(page)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": throttle})
    page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
    page.wait_for_function("() => window.__bench && window.__bench.first !== null", timeout=TIMEOUT_MS, polling=50)
    page.wait_for_timeout(300)  # let the PerformanceObserver deliver the last long task
    probe = page.evaluate("() => window.__bench")
    result = {"first_ms": probe["first"], "blocking_ms": probe["blocking"], "longtasks": probe["longtasks"], "status": probe.get("status")}
    if round_trips:
        answers, _ = scenario_answers(PROGRAM)
        # Right after the first answer (the wasm still tiering up), then again once warm, as while typing.
        for suffix in ("", "_warm"):
            if suffix:
                page.wait_for_timeout(2000)
            times = sorted(page.evaluate(ROUND_TRIP, {"program": PROGRAM, "answers": answers, "n": round_trips}))
            result[f"rt_p50{suffix}_ms"] = times[len(times) // 2]
            result[f"rt_p95{suffix}_ms"] = times[int(len(times) * 0.95) - 1]
    return result


def cold(browser: Any, origin: str, url: str, throttle: float = 1.0, round_trips: int = 0) -> dict[str, Any]:
    context = browser.new_context()
    context.add_init_script(PROBE)
    recorder = Recorder(origin)
    recorder.attach(context)
    try:
        page = context.new_page()
        result = measure_page(page, url, throttle, round_trips)
        page.wait_for_timeout(200)
        result.update(bytes=recorder.bytes, requests=recorder.count, offsite=len(recorder.offsite), urls=recorder.urls)
        return result
    finally:
        context.close()


def repeat(playwright: Any, chromium: str, origin: str, url: str, round_trips: int = 0) -> dict[str, Any]:
    """First visit warms a persistent profile (used: answers round_trips changes, as the cold visit; bare: none);
    the second visit (a new tab after the first closed) is measured."""
    with tempfile.TemporaryDirectory(prefix="bench-profile-") as profile:
        context = playwright.chromium.launch_persistent_context(profile, executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
        try:
            context.add_init_script(PROBE)
            first = context.new_page()
            measure_page(first, url, round_trips=round_trips)
            first.wait_for_timeout(1500)
            first.goto("about:blank")
            first.close()
            recorder = Recorder(origin)
            recorder.attach(context)
            second = context.new_page()
            result = measure_page(second, url)
            result.update(bytes=recorder.bytes, requests=recorder.count)
            return result
        finally:
            context.close()


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (medians are reported; ≥ 5 for the README)")
    parser.add_argument("--site-dir", type=Path, default=build.PUBLIC, help="the built site (built first if out of date)")
    parser.add_argument(
        "--page",
        choices=("embed", "check"),
        default="embed",
        help="our page: the chrome-less embed page (default, like the bare stock page) or the full /check/ page",
    )
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    parser.add_argument("--round-trips", type=int, default=200)
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    site_dir = args.site_dir.resolve()
    build.report(build.build(site_dir))
    answers, expected = scenario_answers(PROGRAM)
    with tempfile.TemporaryDirectory(prefix="bench-site-") as tmp:
        # one server root: our site, and the stock page beside it (same handler, same headers)
        root = Path(tmp) / "site"
        shutil.copytree(site_dir, root, symlinks=True)
        make_stock(root / "stock")
        build.write_headers(root)  # the same header set, with the stock page's inline script hashed into its policy
        server, origin = build.serve_in_background(root)
        ours_path = f"/embed/{PROGRAM}/?lang=en" if args.page == "embed" else f"/check/{PROGRAM}/"
        urls = {"stock": f"{origin}/stock/#{urlencode(answers)}", "ours": f"{origin}{ours_path}#{urlencode(answers)}"}
        samples: dict[str, dict[str, list[Any]]] = {"stock": {}, "ours": {}}

        def add(variant: str, key: str, value: Any) -> None:
            samples[variant].setdefault(key, []).append(value)

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=args.chromium, headless=True, args=CHROMIUM_ARGS)
            for run in range(args.runs):
                order = ("stock", "ours") if run % 2 == 0 else ("ours", "stock")
                for variant in order:
                    result = cold(browser, origin, urls[variant], round_trips=args.round_trips)
                    if result["status"] != expected:
                        raise SystemExit(f"{variant}: first answer was {result['status']!r}, expected {expected!r}")
                    for key in (
                        "first_ms",
                        "blocking_ms",
                        "bytes",
                        "requests",
                        "offsite",
                        "rt_p50_ms",
                        "rt_p95_ms",
                        "rt_p50_warm_ms",
                        "rt_p95_warm_ms",
                    ):
                        add(variant, "cold_first_ms" if key == "first_ms" else key, result[key])
                    add(variant, "urls", result["urls"])
                for variant in order:
                    add(variant, "cpu4_first_ms", cold(browser, origin, urls[variant], throttle=4)["first_ms"])
                for variant in order:
                    add(
                        variant,
                        "repeat_used_first_ms",
                        repeat(playwright, args.chromium, origin, urls[variant], args.round_trips)["first_ms"],
                    )
                for variant in order:
                    add(variant, "repeat_bare_first_ms", repeat(playwright, args.chromium, origin, urls[variant])["first_ms"])
                print(
                    f"  run {run + 1}/{args.runs}: "
                    + "  ".join(
                        f"{v} cold {samples[v]['cold_first_ms'][-1]:.0f} ms, repeat {samples[v]['repeat_used_first_ms'][-1]:.0f} ms "
                        f"(bare {samples[v]['repeat_bare_first_ms'][-1]:.0f} ms), "
                        f"cpu4 {samples[v]['cpu4_first_ms'][-1]:.0f} ms"
                        for v in ("stock", "ours")
                    ),
                    flush=True,
                )
            browser.close()
        server.shutdown()

    metrics = [
        ("cold first answer (ms)", "cold_first_ms", 0.40, None),
        ("repeat visit, used (ms)", "repeat_used_first_ms", 0.40, None),
        ("repeat visit, bare (ms)", "repeat_bare_first_ms", 0.40, None),
        ("cpu×4 first answer (ms)", "cpu4_first_ms", 0.40, None),
        ("main-thread blocking (ms)", "blocking_ms", None, 50),
        ("bytes on the wire", "bytes", 0.80, None),
        ("requests", "requests", None, 8),
        ("other-origin requests", "offsite", None, 0),
        ("round trip p50 (ms)", "rt_p50_ms", None, None),
        ("round trip p95 (ms)", "rt_p95_ms", None, 2),
        ("warm round trip p50 (ms)", "rt_p50_warm_ms", None, None),
        ("warm round trip p95 (ms)", "rt_p95_warm_ms", None, 2),
    ]
    table = []
    print(f"\nmedians of {args.runs} runs, ours = /{ours_path.strip('/')} vs stock loadPyodide(), {PROGRAM}, Chromium headless")
    print(f"  {'metric':<27} {'stock':>12} {'ours':>12} {'ours/stock':>11}  target")
    for label, key, ratio_target, absolute_target in metrics:
        stock, ours = median(samples["stock"][key]), median(samples["ours"][key])
        ratio = ours / stock if stock else float("nan")
        if ratio_target is not None:
            target, met = f"≤ {ratio_target:.2f}×", ratio <= ratio_target
        elif absolute_target is not None:
            target, met = f"≤ {absolute_target}", ours <= absolute_target
        else:
            target, met = "", True
        mark = "" if not target else ("  ok" if met else "  MISSED")
        print(f"  {label:<27} {stock:>12,.1f} {ours:>12,.1f} {ratio:>10.2f}×  {target}{mark}")
        table.append({"metric": label, "key": key, "stock": stock, "ours": ours, "ratio": ratio, "target": target, "met": met})
    reports = ROOT / "benchmarks" / "reports"
    reports.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    out = reports / f"bench-{stamp}.json"
    chromium_version = subprocess.run([args.chromium, "--version"], capture_output=True, text=True).stdout.strip()
    out.write_text(
        json.dumps(
            {
                "command": " ".join(["benchmarks/bench.py", *(argv if argv is not None else sys.argv[1:])]),
                "runs": args.runs,
                "page": ours_path,
                "program": PROGRAM,
                "chromium": chromium_version,
                "pyodide": build.PYODIDE_VERSION,
                "medians": table,
                "samples": {v: {k: s for k, s in d.items() if k != "urls"} for v, d in samples.items()},
                "requests_seen": {v: d["urls"][0] for v, d in samples.items()},
            },
            indent=2,
            ensure_ascii=False,
        )
    )
    print(f"\nreport: {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
