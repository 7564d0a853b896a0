"""The deploy settings: the generated nginx.conf in a real nginx serving the built site, the dev server, _headers."""

from __future__ import annotations

import http.client
import os
import re
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Page, expect

import build
import rules
from rules.cases import load_cases
from tests.browser import LOAD_TIMEOUT_MS, as_url_text, decision, guard

ROOT = Path(__file__).resolve().parent.parent
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(base: str, path: str, encoding: str | None = None) -> tuple[int, dict[str, str], bytes]:
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.putrequest("GET", path, skip_accept_encoding=True)
    connection.putheader("Accept-Encoding", encoding or "identity")
    connection.endheaders()
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, body


@pytest.fixture(scope="module")
def nginx_url(public_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Our nginx.conf (listen and root rewritten) inside a minimal main config, on a free loopback port."""
    assert Path(NGINX).exists(), "nginx is not installed: `make test` installs Debian's nginx"
    prefix = tmp_path_factory.mktemp("nginx")
    port = free_port()
    site = (public_dir / build.serving.DEPLOY_DIR / "nginx.conf").read_text()  # written by the build from templates/deploy/nginx.conf
    site = re.sub(r"^\s*listen\s+\S+;", f"    listen 127.0.0.1:{port};", site, count=1, flags=re.M)
    site = re.sub(r"^\s*root\s+\S+;", f"    root {public_dir};", site, count=1, flags=re.M)
    (prefix / "site.conf").write_text(site)
    temp = {name: prefix / name for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
    user = "user root root;\n" if os.geteuid() == 0 else ""
    (prefix / "nginx.conf").write_text(f"""{user}worker_processes 1;
daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path {temp["body"]};
    proxy_temp_path {temp["proxy"]};
    fastcgi_temp_path {temp["fastcgi"]};
    uwsgi_temp_path {temp["uwsgi"]};
    scgi_temp_path {temp["scgi"]};
    include {prefix}/site.conf;
}}
""")
    checked = subprocess.run([NGINX, "-t", "-p", str(prefix), "-c", str(prefix / "nginx.conf")], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    process = subprocess.Popen([NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf")], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if process.poll() is not None:
                    pytest.fail(f"nginx exited: {process.stderr.read().decode() if process.stderr else ''}")
                time.sleep(0.05)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def dev_url(public_dir: Path) -> Iterator[str]:
    server, url = build.serving.serve_in_background(public_dir)
    yield url
    server.shutdown()


def archive_path(public_dir: Path) -> str:
    return "/" + next((public_dir / "runtime").glob("python-*.zip")).relative_to(public_dir).as_posix()


WASM = f"/runtime/pyodide-{build.PYODIDE_VERSION}/pyodide.asm.wasm"
MJS = f"/runtime/pyodide-{build.PYODIDE_VERSION}/pyodide.asm.mjs"


@pytest.mark.parametrize("server", ["nginx", "dev"])
def test_the_host_serves_wasm_with_its_type_and_cached_for_good(server: str, request: pytest.FixtureRequest, public_dir: Path) -> None:
    base = request.getfixturevalue("nginx_url" if server == "nginx" else "dev_url")
    status, headers, body = get(base, WASM)
    assert status == 200 and headers["content-type"] == "application/wasm"
    assert "content-encoding" not in headers and body == (public_dir / WASM[1:]).read_bytes()
    assert "immutable" in headers["cache-control"] and "max-age=31536000" in headers["cache-control"]
    status, headers, _ = get(base, MJS)
    assert status == 200 and headers["content-type"].startswith("text/javascript")
    assert "immutable" in headers["cache-control"]


@pytest.mark.parametrize("server", ["nginx", "dev"])
@pytest.mark.parametrize(("accept", "encoding"), [("br, gzip, deflate", "br"), ("gzip", "gzip"), ("gzip, deflate, br, zstd", "br")])
def test_precompressed_files_are_served_when_the_client_accepts_them(
    server: str, accept: str, encoding: str, request: pytest.FixtureRequest, public_dir: Path
) -> None:
    base = request.getfixturevalue("nginx_url" if server == "nginx" else "dev_url")
    suffix = ".br" if encoding == "br" else ".gz"
    for path, content_type in (
        (WASM, "application/wasm"),
        (archive_path(public_dir), "application/zip"),
        ("/check/line-byod/", "text/html"),
        (MJS, "text/javascript"),
    ):
        status, headers, body = get(base, path, accept)
        assert status == 200, path
        assert headers.get("content-encoding") == encoding, (path, headers)
        assert headers["content-type"].startswith(content_type), (path, headers)
        assert "accept-encoding" in headers.get("vary", "").lower(), (path, headers)
        on_disk = public_dir / path.lstrip("/")
        if on_disk.is_dir():
            on_disk = on_disk / "index.html"
        assert body == on_disk.with_name(on_disk.name + suffix).read_bytes(), path


@pytest.mark.parametrize("server", ["nginx", "dev"])
def test_html_and_unversioned_scripts_are_revalidated(server: str, request: pytest.FixtureRequest) -> None:
    base = request.getfixturevalue("nginx_url" if server == "nginx" else "dev_url")
    for path in ("/", "/check/line-byod/", "/assets/checker/worker.js", "/assets/checker/checker.js"):
        status, headers, _ = get(base, path, "br, gzip")
        assert status == 200, path
        assert headers["cache-control"] == "no-cache", (path, headers)
        assert headers["x-content-type-options"] == "nosniff"
    status, headers, body = get(base, "/check/line-byod/")
    assert headers["content-type"].startswith("text/html") and b'data-testid="decision"' in body


def test_nginx_does_not_serve_the_brotli_files_by_their_own_name(nginx_url: str) -> None:
    status, _, _ = get(nginx_url, WASM + ".br")
    assert status == 404


SERVERS = ["nginx", "dev", "_headers"]
# One path of each kind the site serves: pages in both languages, the embed page, scripts, the runtime, data.
PAGE_KINDS = [
    "/",
    "/embed/",
    "/check/line-byod/",
    "/ja/check/line-byod/",
    "/terms/ismartphones/",
    "/ja/interpretations/",
    "/embed/line-byod/",
    "/assets/checker/worker.js",
    "/embed.js",
    "/search/search_index.json",
    WASM,
    "/no-such-page/",
]


def from_headers_file(public_dir: Path, path: str) -> dict[str, str]:
    """What a _headers host (Netlify, Cloudflare Pages) sends for path: the one rule whose pattern matches it."""
    rules: list[tuple[str, dict[str, str]]] = []
    for line in (public_dir / "_headers").read_text().splitlines():
        if line.startswith("/"):
            rules.append((line, {}))
        elif line.startswith("  ") and rules:
            name, _, value = line.strip().partition(": ")
            rules[-1][1][name.lower()] = value
    matching = [h for p, h in rules if (path.startswith(p[:-1]) if p.endswith("/*") else path == p)]
    assert len(matching) <= 1, f"{path} matches {len(matching)} rules: Cloudflare Pages would join their values"
    return matching[0] if matching else {}


def headers_of(server: str, path: str, request: pytest.FixtureRequest, public_dir: Path) -> tuple[int, dict[str, str]]:
    if server == "_headers":
        return 200, from_headers_file(public_dir, path)
    status, headers, _ = get(request.getfixturevalue("nginx_url" if server == "nginx" else "dev_url"), path, "br, gzip")
    return status, headers


@pytest.mark.parametrize("server", SERVERS)
def test_every_server_sends_the_strict_policy_the_build_computed(server: str, request: pytest.FixtureRequest, public_dir: Path) -> None:
    """One header set, computed by the build from the built pages, from all three servers: the embed page may be framed
    anywhere, everything else only by the site itself."""
    expected = build.serving.HeaderSet.of_site(public_dir)
    for path in PAGE_KINDS:
        if server == "_headers" and path == "/no-such-page/":
            continue  # such hosts send the rules of the path asked for; there is none for a page that does not exist
        status, headers = headers_of(server, path, request, public_dir)
        assert status == (404 if path == "/no-such-page/" else 200), path
        policy = headers.get("content-security-policy", "")
        assert policy == expected.csp("*" if path.startswith(expected.framed) else "'self'"), (path, policy)
        assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy and "object-src 'none'" in policy, policy
        assert "base-uri 'none'" in policy and "script-src 'self' 'wasm-unsafe-eval' 'sha256-" in policy, policy
        assert headers.get("x-content-type-options") == "nosniff", path
        assert headers.get("referrer-policy") == "no-referrer", path
    assert len(expected.script_hashes) <= 8, expected.script_hashes  # Material's few inline scripts, not ours
    assert expected.framed == tuple(f"/embed/{program}/" for program in sorted(rules.PROGRAMS))


def test_the_policy_hashes_exactly_the_inline_scripts_of_the_built_pages(public_dir: Path) -> None:
    """Our own boot code is a file; the hashes are those of Material's inline scripts, and a changed one is caught."""
    import base64
    import hashlib

    headers = build.serving.HeaderSet.of_site(public_dir)
    page = (public_dir / "check" / "line-byod" / "index.html").read_text()
    inline = re.findall(r"<script>(.*?)</script>", page, re.S)
    assert inline and not re.search(r"<script type=\"module\">", page)
    for body in inline:
        assert "sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() in headers.script_hashes
    assert build.serving.HeaderSet.read(public_dir) == headers  # the dev server reads back exactly what was written


@pytest.mark.parametrize("server", ["nginx", "dev"])
def test_missing_files_get_the_site_404_page_and_are_never_cached_for_long(
    server: str, request: pytest.FixtureRequest, public_dir: Path
) -> None:
    base = request.getfixturevalue("nginx_url" if server == "nginx" else "dev_url")
    not_found = (public_dir / "404.html").read_text()
    title = re.search(r"<title>(.*?)</title>", not_found).group(1)  # type: ignore[union-attr]
    for path in (
        "/runtime/no-such-file.wasm",
        f"/runtime/pyodide-{build.PYODIDE_VERSION}/missing.mjs",
        "/check/no-such-program/",
        "/runtime/",
        f"/runtime/pyodide-{build.PYODIDE_VERSION}/",
        "/assets/",
        "/_headers",
        "/_deploy/nginx.conf",
    ):
        for encoding in ("identity", "br, gzip"):
            status, headers, body = get(base, path, encoding)
            assert status == 404, (path, status)
            assert headers["cache-control"] == "no-cache", (path, headers)
            assert headers["content-type"] == "text/html; charset=utf-8", (path, headers)
            if encoding == "identity":
                assert title in body.decode(), (path, body[:200])  # the site's page, not a listing or the server's own


@pytest.mark.parametrize("server", ["nginx", "dev"])
@pytest.mark.parametrize(
    ("accept", "encoding"),
    [
        ("br;q=0, gzip", "gzip"),
        ("gzip;q=0, br;q=0", None),
        ("br;q=0.0, gzip;q=0", None),
        ("gzip;q=0.5, br;q=0.001", "br"),
        ("identity", None),
    ],
)
def test_an_encoding_refused_with_q0_is_never_sent(
    server: str, accept: str, encoding: str | None, request: pytest.FixtureRequest, public_dir: Path
) -> None:
    base = request.getfixturevalue("nginx_url" if server == "nginx" else "dev_url")
    for path in (WASM, "/check/line-byod/"):
        status, headers, _ = get(base, path, accept)
        assert status == 200 and headers.get("content-encoding") == encoding, (path, accept, headers)


@pytest.mark.parametrize("server", ["nginx", "dev"])
def test_the_content_type_is_the_same_whichever_encoding_is_sent(server: str, request: pytest.FixtureRequest) -> None:
    base = request.getfixturevalue("nginx_url" if server == "nginx" else "dev_url")
    for path, expected in (
        ("/check/line-byod/", "text/html; charset=utf-8"),
        ("/assets/checker/checker.css", "text/css; charset=utf-8"),
        ("/assets/checker/checker.js", "text/javascript; charset=utf-8"),
        (MJS, "text/javascript; charset=utf-8"),
        ("/search/search_index.json", "application/json; charset=utf-8"),
        (WASM, "application/wasm"),
    ):
        for accept in ("identity", "gzip", "br"):
            status, headers, _ = get(base, path, accept)
            assert status == 200 and headers["content-type"] == expected, (path, accept, headers.get("content-type"))


@pytest.mark.parametrize("server", ["nginx", "dev"])
def test_doubled_slashes_are_redirected_to_the_page_itself(server: str, request: pytest.FixtureRequest) -> None:
    """//check//x/ would serve the page with its relative links resolving against the doubled path: a redirect instead."""
    base = request.getfixturevalue("nginx_url" if server == "nginx" else "dev_url")
    for path, target in (
        ("//check/ismartphones/", "/check/ismartphones/"),
        ("/ja//check/line-byod/?lang=ja", "/ja/check/line-byod/?lang=ja"),
    ):
        status, headers, _ = get(base, path)
        assert status == 301 and headers["location"].removeprefix(base) == target, (path, status, headers.get("location"))


def raw_request(base: str, data: bytes) -> bytes:
    """Send bytes as they are and read the whole reply (b"" if the server closed without one)."""
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(data)
        reply = b""
        while chunk := connection.recv(65536):
            reply += chunk
    return reply


@pytest.mark.parametrize(
    ("data", "status"),
    [
        (b"GET / HTTP/1.1 extra words\r\n\r\n", b"400"),
        (b"NONSENSE\r\n\r\n", b"400"),
        (b"GET /%00 HTTP/1.0\r\n\r\n", b"400"),
        (b"GET /" + b"a" * 70000 + b" HTTP/1.0\r\n\r\n", b"414"),
        (b"GET / HTTP/1.0\r\nX-Long: " + b"a" * 70000 + b"\r\n\r\n", b"431"),
    ],
)
def test_the_dev_server_answers_malformed_and_long_requests(dev_url: str, data: bytes, status: bytes) -> None:
    reply = raw_request(dev_url, data)
    assert reply.split(b"\r\n", 1)[0].split(b" ")[1:2] == [status], reply[:200]


def test_the_dev_server_holds_a_burst_of_clients(public_dir: Path) -> None:
    """60 clients connect while the server is busy (it accepts none yet): the listen backlog queues them all, where
    the default of 5 drops the 6th client's connection attempts (the 1 s outliers of a burst)."""
    server = build.serving.make_server(public_dir, "127.0.0.1", 0)
    waiting: list[socket.socket] = []
    try:
        for _ in range(60):
            waiting.append(socket.create_connection(server.server_address, timeout=2))
    finally:
        for connection in waiting:
            connection.close()
        server.server_close()
    assert len(waiting) == 60


# -- the policy in a real browser: every page kind, through both servers ---------------------------------------
WATCH_POLICY = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
"""


def violations(page: Page) -> list[str]:
    return page.evaluate("window.__violations")


@pytest.mark.browser
@pytest.mark.parametrize("server", ["nginx", "dev"])
def test_no_page_kind_breaks_the_policy_and_the_checker_and_search_work(server: str, page: Page, request: pytest.FixtureRequest) -> None:
    """With the headers on, every kind of page loads with zero Content-Security-Policy violations (page and worker), the
    checker answers (Pyodide under 'wasm-unsafe-eval'), the embed page answers, and Material's search finds a page."""
    base = request.getfixturevalue("nginx_url" if server == "nginx" else "dev_url")
    watch = guard(page, base)
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text or "Refused to" in m.text else None)
    page.add_init_script(WATCH_POLICY)
    case = next(c for c in load_cases("ismartphones") if c.status == "covered")
    answers = "#" + urlencode({k: as_url_text(v) for k, v in case.with_claim_date().items()})
    for path in ("/", "/ja/", "/terms/ismartphones/#ism-5", "/ja/interpretations/", "/embed/"):
        page.goto(base + path)
        expect(page.locator(".md-content")).to_be_visible()
        assert violations(page) == [], (path, violations(page))
    for path in (f"/check/ismartphones/{answers}", f"/ja/check/ismartphones/{answers}", f"/embed/ismartphones/?lang=ja{answers}"):
        page.goto(base + path)
        expect(decision(page)).to_have_attribute("data-status", "covered", timeout=LOAD_TIMEOUT_MS)
        assert violations(page) == [], (path, violations(page))
    page.goto(base + "/")
    box = page.locator("input.md-search__input")
    box.click()
    expect(page.locator(".md-search-result__meta")).to_have_text("Type to start searching", timeout=30_000)
    box.fill("accessory")
    box.press("End")
    expect(page.locator(".md-search-result__item a, a.md-search-result__link").first).to_be_visible(timeout=30_000)
    assert violations(page) == [] and refused == [], (violations(page), refused)
    assert not watch.problems(), watch.problems()
    page.goto(base + "/no-such-page/")  # the site's 404 page (its status is a console error of its own)
    expect(page.locator(".md-content h1")).to_have_text("404 - Not found")
    assert violations(page) == [] and refused == [], (violations(page), refused)
