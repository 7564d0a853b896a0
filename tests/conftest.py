"""Shared fixtures: the built site served on a free localhost port, and one system Chromium per session."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

import build
from tests.browser import CHROMIUM_ARGS, guard

ROOT = Path(__file__).resolve().parent.parent


def chromium_path() -> str:
    """The system Chromium (Debian's `chromium` package); Playwright's own download is never used."""
    for candidate in (os.environ.get("CHROMIUM"), shutil.which("chromium"), shutil.which("chromium-browser"), "/usr/bin/chromium"):
        if candidate and Path(candidate).exists():
            return candidate
    pytest.exit("no system Chromium found: run `make test` (it installs Debian's chromium) or set CHROMIUM=/path/to/chromium", returncode=3)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Launch Debian's Chromium by path, with the flags this closed network needs (no background calls home)."""
    return {
        **browser_type_launch_args,
        "executable_path": chromium_path(),
        "args": list(CHROMIUM_ARGS),
    }


@pytest.fixture(scope="session")
def public_dir() -> Path:
    """The built site (build.py skips the work when nothing changed); WARRANTY_SITE_DIR builds elsewhere."""
    site_dir = Path(os.environ.get("WARRANTY_SITE_DIR", build.PUBLIC)).resolve()
    try:
        build.report(build.build(site_dir))
    except build.BuildError as exc:
        pytest.exit(f"the site does not build: {exc}", returncode=3)
    return site_dir


@pytest.fixture(scope="session")
def site_url(public_dir: Path) -> Iterator[str]:
    server, url = build.serving.serve_in_background(public_dir)
    yield url
    server.shutdown()


@pytest.fixture
def watched(page: Page, site_url: str) -> Iterator[Page]:
    """A page whose requests may only go to the site; any other request or console error fails the test."""
    watch = guard(page, site_url)
    yield page
    assert not watch.problems(), watch.problems()


@pytest.fixture
def other_site(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A folder served as a FAQ page's site: `localhost` while the checker is on 127.0.0.1, so another *site* (a second
    port alone is the same site), whose frames of the checker get partitioned storage and a cache of their own."""
    server, url = build.serving.serve_in_background(tmp_path)
    yield tmp_path, url.replace("127.0.0.1", "localhost")
    server.shutdown()
