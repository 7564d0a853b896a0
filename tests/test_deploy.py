"""The deploy settings: templates/deploy/nginx.conf in a real nginx serving the built site, the dev server, _headers."""

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

import pytest

import build

ROOT = Path(__file__).resolve().parent.parent
NGINX_CONF = ROOT / "templates" / "deploy" / "nginx.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(base: str, path: str, encoding: str | None = None) -> tuple[int, dict[str, str], bytes]:
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.request("GET", path, headers={"Accept-Encoding": encoding} if encoding else {"Accept-Encoding": "identity"})
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
    site = NGINX_CONF.read_text()
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
    client_body_temp_path {temp['body']};
    proxy_temp_path {temp['proxy']};
    fastcgi_temp_path {temp['fastcgi']};
    uwsgi_temp_path {temp['uwsgi']};
    scgi_temp_path {temp['scgi']};
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
    server, url = build.serve_in_background(public_dir)
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
def test_precompressed_files_are_served_when_the_client_accepts_them(server: str, accept: str, encoding: str,
                                                                    request: pytest.FixtureRequest, public_dir: Path) -> None:
    base = request.getfixturevalue("nginx_url" if server == "nginx" else "dev_url")
    suffix = ".br" if encoding == "br" else ".gz"
    for path, content_type in ((WASM, "application/wasm"), (archive_path(public_dir), "application/zip"),
                               ("/check/line-byod/", "text/html"), (MJS, "text/javascript")):
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
    assert headers["content-type"].startswith("text/html") and b"data-testid=\"decision\"" in body


def test_nginx_does_not_serve_the_brotli_files_by_their_own_name(nginx_url: str) -> None:
    status, _, _ = get(nginx_url, WASM + ".br")
    assert status == 404


def test_the_headers_file_reaches_the_site_root(public_dir: Path) -> None:
    text = (public_dir / "_headers").read_text()
    assert re.search(r"^/runtime/\*\n\s+Cache-Control: public, max-age=31536000, immutable$", text, re.M)
