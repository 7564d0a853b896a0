"""Offline after one visit (site/sw.js): a checker visited once opens and answers with the network off, a new build
replaces the old cache cleanly, answers are never stored, and the embed keeps working on another site."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

import build
from rules.cases import load_cases
from tests.browser import (
    LOAD_TIMEOUT_MS,
    answer_form,
    as_url_text,
    caches_now,
    decision,
    expect_status,
    guard,
    kept_for_offline,
    wait_until,
)

pytestmark = pytest.mark.browser

MANIFEST = re.compile(r"const MANIFEST = (\{.*?\n\});", re.S)


def case(program: str, status: str) -> dict[str, str]:
    found = next(c for c in load_cases(program) if c.status == status)
    return {k: as_url_text(v) for k, v in found.with_claim_date().items()}


def manifest(site_dir: Path) -> dict:
    return json.loads(MANIFEST.search((site_dir / "sw.js").read_text(encoding="utf-8")).group(1))


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_checker_visited_once_opens_and_answers_with_the_network_off(watched: Page, site_url: str, public_dir: Path, lang: str) -> None:
    prefix = "ja/" if lang == "ja" else ""
    watched.goto(f"{site_url}/{prefix}check/line-device/")
    answers = case("line-device", "covered")
    answer_form(watched, answers)
    expect_status(watched, "covered")
    kept_for_offline(watched)
    assert caches_now(watched, "warranty-checker-offline-") == [f"warranty-checker-offline-{manifest(public_dir)['version']}"]

    watched.context.set_offline(True)
    watched.reload()
    expect(watched.locator("h1")).to_be_visible()
    answer_form(watched, case("line-device", "not_covered"))
    expect_status(watched, "not_covered")
    expect(decision(watched).get_by_test_id("verdict")).to_have_text("Not covered" if lang == "en" else "保証の対象外です")

    # The other language's checker, as the visitor reaches it: the language switch in the header.
    watched.locator(".md-header__option .md-select").hover()
    watched.get_by_test_id("lang-en" if lang == "ja" else "lang-ja").click()
    expect(watched).to_have_url(re.compile(("/check/" if lang == "ja" else "/ja/check/") + "line-device/"))
    expect_status(watched, "not_covered")  # the switch carries the answers across
    answer_form(watched, answers)
    expect_status(watched, "covered")
    watched.context.set_offline(False)


def test_answers_in_the_address_are_never_stored(watched: Page, site_url: str, public_dir: Path) -> None:
    """A prefilled link (answers in the query string, as outside links may send them) is answered and kept for offline use:
    no cache key has a query string, and no stored response holds an answer."""
    answers = {**case("line-byod", "covered"), "imei": "356938035643809"}  # a valid IMEI that no file of the site holds
    built = b"".join(path.read_bytes() for path in public_dir.rglob("*") if path.is_file() and path.suffix in (".html", ".js", ".json"))
    telling = [value for value in answers.values() if len(value) >= 6 and value.encode() not in built]
    assert answers["imei"] in telling, telling
    watched.goto(f"{site_url}/check/line-byod/?" + "&".join(f"{k}={v}" for k, v in answers.items()))
    expect_status(watched, "covered")
    kept_for_offline(watched)
    watched.reload()  # now served by the service worker: the same bare page, still answered from the address
    expect_status(watched, "covered")
    found = watched.evaluate(
        """async (values) => {
          const found = [];
          for (const name of await caches.keys()) {
            const cache = await caches.open(name);
            for (const request of await cache.keys()) {
              const url = new URL(request.url);
              if (name.startsWith("warranty-checker-offline-") && (url.search || url.hash)) found.push(`${name}: key ${request.url}`);
              const text = new TextDecoder("latin1").decode(await (await cache.match(request)).arrayBuffer());
              for (const value of values) {
                if (text.includes(value) || request.url.includes(value)) found.push(`${name}: ${request.url} holds ${value}`);
              }
            }
          }
          return found;
        }""",
        telling,
    )
    assert found == []


# ----------------------------------------------------------------------------- a new build replaces the old one
@pytest.fixture
def copy_of_site(public_dir: Path, tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A copy of the built site on its own server, which the test then changes as a new build would."""
    folder = tmp_path / "site"
    shutil.copytree(public_dir, folder)
    server, url = build.serving.serve_in_background(folder)
    yield folder, url
    server.shutdown()


def rebuild_file(site_dir: Path, path: str, old: str, new: str) -> str:
    """Change one file as a new build would: its content, its precompressed twins, and its hash and the version in sw.js."""
    target = site_dir / (path + "index.html" if path.endswith("/") else path)
    text = target.read_text(encoding="utf-8")
    assert old in text, (path, old)
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    for twin in (".br", ".gz"):
        target.with_name(target.name + twin).unlink(missing_ok=True)
    sw = site_dir / "sw.js"
    script = sw.read_text(encoding="utf-8")
    listed = json.loads(MANIFEST.search(script).group(1))
    listed["files"][path] = hashlib.sha256(target.read_bytes()).hexdigest()[:16]
    listed["version"] = hashlib.sha256(json.dumps(listed["files"], sort_keys=True).encode()).hexdigest()[:16]
    sw.write_text(MANIFEST.sub(lambda _: f"const MANIFEST = {json.dumps(listed, indent=1, sort_keys=True)};", script), encoding="utf-8")
    for twin in (".br", ".gz"):
        sw.with_name(sw.name + twin).unlink(missing_ok=True)
    return listed["version"]


def test_a_new_build_replaces_the_old_cache_and_never_mixes_versions(page: Page, copy_of_site: tuple[Path, str]) -> None:
    folder, url = copy_of_site
    watch = guard(page, url)
    old = manifest(folder)["version"]
    page.goto(f"{url}/check/ismartphones/")
    answer_form(page, case("ismartphones", "covered"))
    expect_status(page, "covered")
    kept_for_offline(page)
    assert caches_now(page, "warranty-checker-offline-") == [f"warranty-checker-offline-{old}"]

    rebuild_file(folder, "check/ismartphones/", "</h1>", " (build B)</h1>")
    new = rebuild_file(folder, "assets/checker/checker.css", "/*", "/* build B */\n/*")
    page.reload()  # still the old build, from its cache: the browser finds the new sw.js and installs it beside
    expect_status(page, "covered")
    expect(page.locator("h1")).not_to_contain_text("build B")
    wait_until(page, "async () => Boolean((await navigator.serviceWorker.getRegistration())?.waiting)")
    page.reload()  # the only open page asks for the new build: it takes over, and the page comes from its cache
    expect(page.locator("h1")).to_contain_text("build B")
    assert "/* build B */" in page.evaluate("async () => (await fetch('../../assets/checker/checker.css')).text()")
    assert new != old
    # The old build's cache goes once the new one is active (its activate step), and nothing else of ours is left.
    wait_until(page, f"async () => !(await caches.keys()).includes('warranty-checker-offline-{old}')")
    assert caches_now(page, "warranty-checker-offline-") == [f"warranty-checker-offline-{new}"]
    answer_form(page, case("ismartphones", "not_covered"))
    expect_status(page, "not_covered")
    page.context.set_offline(True)
    page.reload()
    answer_form(page, case("ismartphones", "covered"))
    expect_status(page, "covered")
    page.context.set_offline(False)
    assert not watch.problems(), watch.problems()


# ----------------------------------------------------------------------------- the embed on another site
def test_the_embed_on_another_site_answers_and_after_one_visit_offline_where_the_browser_allows(
    page: Page, site_url: str, other_site: tuple[Path, str]
) -> None:
    """Browsers may refuse a service worker to a third-party frame (this Chromium does: "The user denied permission to use
    Service Worker", its third-party storage being blocked); the checker then answers as before, online, with no error.
    Where one is allowed (partitioned by the top site), the frame answers again with the network off."""
    folder, url = other_site
    watch = guard(page, site_url, url)
    answers = case("line-byod", "covered")
    attrs = " ".join(f'{k}="{v}"' for k, v in answers.items())
    (folder / "faq.html").write_text(
        f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>FAQ</title></head><body><h1>FAQ</h1>
<script type="module" src="{site_url}/embed.js"></script><warranty-checker program="line-byod" lang="en" {attrs}></warranty-checker>
</body></html>""",
        encoding="utf-8",
    )
    page.goto(f"{url}/faq.html")
    region = page.frame_locator("warranty-checker iframe").get_by_test_id("decision")
    expect(region).to_have_attribute("data-status", "covered", timeout=LOAD_TIMEOUT_MS)
    frame = next(f for f in page.frames if "/embed/line-byod/" in f.url)
    page.wait_for_timeout(1500)  # registration is asked for when the browser is idle after the first answer
    allowed = frame.evaluate(
        "async () => { try { await navigator.serviceWorker.getRegistration(); return true; } catch (error) { return false; } }"
    )
    if allowed:
        kept_for_offline(frame)
        page.context.set_offline(True)
    frame.evaluate("location.reload()")
    region = page.frame_locator("warranty-checker iframe").get_by_test_id("decision")
    expect(region).to_have_attribute("data-status", "covered", timeout=LOAD_TIMEOUT_MS)
    page.context.set_offline(False)
    assert not watch.problems(), watch.problems()
