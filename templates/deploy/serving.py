"""How the built site is served: the response headers every server we ship sends (HeaderSet: written once per
build into _headers and _deploy/nginx.conf, from templates/deploy/nginx.conf beside this file), and the local
server `python build.py serve`, the tests and the benchmark use, which sends exactly those."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from build import PRECOMPRESS, BuildError

TEMPLATE_DIR = Path(__file__).resolve().parent


# ----------------------------------------------------------------------------- response headers: one owner
# Every server we ship (`build.py serve`, the generated nginx.conf, the generated _headers for Netlify and
# Cloudflare Pages) sends the header set computed here, once per build, from the built pages themselves.
LONG_CACHE = "public, max-age=31536000, immutable"  # runtime/: versioned and content-hashed names
REVALIDATE = "no-cache"  # HTML, worker.js, checker.js, …
LONG_CACHE_STATUSES = (200, 206, 304)  # an error is never cached for a year
HEADERS_FILE = "_headers"
DEPLOY_DIR = "_deploy"  # generated server configs; no server of ours serves it
NGINX_TEMPLATE = TEMPLATE_DIR / "nginx.conf"
# Inline <script> types that run (a JSON <script>, such as Material's __config, never does).
SCRIPT_TYPES = ("", "module", "text/javascript", "application/javascript")


@dataclass(frozen=True)
class HeaderSet:
    """The security and caching headers of every response, with the CSP hashes of the inline code that must stay inline."""

    script_hashes: tuple[str, ...]
    style_hashes: tuple[str, ...]
    framed: tuple[str, ...]  # the embed pages' folders (/embed/<program>/): any site may frame them

    def csp(self, frame_ancestors: str) -> str:
        """A strict policy: our files, wasm compilation (Pyodide), and the hashed inline scripts (Material's) only."""
        scripts = " ".join(["'self'", "'wasm-unsafe-eval'", *(f"'{h}'" for h in self.script_hashes)])
        styles = " ".join(["'self'", *(f"'{h}'" for h in self.style_hashes)])
        return (
            f"default-src 'self'; script-src {scripts}; style-src {styles}; img-src 'self' data:; font-src 'self'; "
            f"connect-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
            f"frame-ancestors {frame_ancestors}"
        )

    def base(self) -> dict[str, str]:
        """What every response carries unless a rule below says otherwise."""
        return {
            "Content-Security-Policy": self.csp("'self'"),
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
            "Cache-Control": REVALIDATE,
        }

    def rules(self) -> list[tuple[str, dict[str, str]]]:
        """Per-path overrides, in _headers pattern syntax (`/dir/*` or an exact path); no two overlap."""
        return [
            *((f"{folder}*", {"Content-Security-Policy": self.csp("*")}) for folder in self.framed),  # the one-line embed
            ("/runtime/*", {"Cache-Control": LONG_CACHE}),
            ("/embed.js", {"Access-Control-Allow-Origin": "*"}),
        ]  # a cross-origin module script is a CORS fetch

    def for_path(self, path: str, status: int) -> dict[str, str]:
        """The headers of one response (the dev server's view of the same rules)."""
        headers = self.base()
        for pattern, extra in self.rules():
            if path.startswith(pattern[:-1]) if pattern.endswith("/*") else path == pattern:
                headers.update(extra)
                break
        if headers["Cache-Control"] == LONG_CACHE and status not in LONG_CACHE_STATUSES:
            headers["Cache-Control"] = REVALIDATE
        return headers

    @classmethod
    def of_site(cls, site_dir: Path) -> HeaderSet:
        """Hash every inline script and style of the built pages; refuse inline handlers, which no hash allows."""
        import base64
        import re

        scripts: set[str] = set()
        styles: set[str] = set()
        problems = []
        digest = lambda text: "sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()  # noqa: E731
        for page in sorted(site_dir.rglob("*.html")):
            text = page.read_text(encoding="utf-8")
            for attrs, body in re.findall(r"<script\b([^>]*)>(.*?)</script>", text, re.S | re.I):
                kind = re.search(r"\btype=[\"']?([^\"'\s>]+)", attrs)
                if "src=" not in attrs and (kind.group(1).lower() if kind else "") in SCRIPT_TYPES:
                    scripts.add(digest(body))
            styles.update(digest(body) for body in re.findall(r"<style\b[^>]*>(.*?)</style>", text, re.S | re.I))
            if re.search(
                r"\son[a-z]+\s*=|\sstyle\s*=\s*[\"']|href=[\"']?javascript:",
                re.sub(r"<script\b.*?</script>", "", text, flags=re.S | re.I),
                re.I,
            ):
                problems.append(page.relative_to(site_dir).as_posix())
        if problems:
            raise BuildError(
                "inline event handlers, style attributes or javascript: links, which the Content-Security-Policy "
                f"blocks, in: {', '.join(problems[:5])}. Move them into a script or a stylesheet"
            )
        framed = tuple(f"/{page.parent.relative_to(site_dir).as_posix()}/" for page in sorted(site_dir.glob("embed/*/index.html")))
        return cls(tuple(sorted(scripts)), tuple(sorted(styles)), framed)

    @classmethod
    def read(cls, site_dir: Path) -> HeaderSet:
        """The header set the build wrote into _headers (the dev server sends exactly that)."""
        import re

        text = (site_dir / HEADERS_FILE).read_text(encoding="utf-8")
        policy = re.search(r"Content-Security-Policy: (.*)", text)
        if not policy:
            raise BuildError(f"{site_dir / HEADERS_FILE} holds no Content-Security-Policy: run `python build.py --force`")
        script_src = re.search(r"script-src ([^;]*)", policy.group(1)).group(1)  # type: ignore[union-attr]
        style_src = re.search(r"style-src ([^;]*)", policy.group(1)).group(1)  # type: ignore[union-attr]
        hashes = lambda sources: tuple(s.strip("'") for s in sources.split() if s.startswith("'sha256-"))  # noqa: E731
        framed = tuple(
            m.group(1) for m in re.finditer(r"^(/\S*/)\*\n(?:  .*\n)*?  Content-Security-Policy: [^\n]*frame-ancestors \*$", text, re.M)
        )
        return cls(hashes(script_src), hashes(style_src), framed)


def write_headers(site_dir: Path) -> HeaderSet:
    """Compute the header set from the built pages and write it for the static hosts (_headers) and nginx."""
    headers = HeaderSet.of_site(site_dir)
    (site_dir / HEADERS_FILE).write_text(netlify_headers(site_dir, headers), encoding="utf-8")
    deploy = site_dir / DEPLOY_DIR
    deploy.mkdir(exist_ok=True)
    (deploy / "nginx.conf").write_text(nginx_config(headers), encoding="utf-8")
    return headers


def netlify_headers(site_dir: Path, headers: HeaderSet) -> str:
    """_headers with one rule per top-level entry of the site, so that no two rules match one path (Cloudflare Pages
    joins the values of overlapping rules, Netlify lets the last win: with no overlap both send the same)."""
    lines = [
        "# Written by build.py (HeaderSet) for hosts that read a _headers file (Netlify, Cloudflare Pages); do not edit.",
        "# Such hosts send these on every status: the year-long cache of /runtime/* also reaches its 404s there.",
    ]
    rules = dict(headers.rules())
    patterns = ["/"]

    def add(folder: Path) -> None:
        for entry in sorted(folder.iterdir()):
            if entry.name in (HEADERS_FILE, DEPLOY_DIR, ".build-stamp") or entry.suffix in (".br", ".gz"):
                continue
            url = "/" + entry.relative_to(site_dir).as_posix()
            if entry.is_dir() and any(p.startswith(url + "/") and p != url + "/*" for p in rules):
                patterns.append(url + "/")  # a rule inside this folder: list its entries one by one
                add(entry)
            else:
                patterns.append(f"{url}/*" if entry.is_dir() else url)

    add(site_dir)
    for pattern in patterns:
        lines.append(pattern)
        lines += [f"  {name}: {value}" for name, value in {**headers.base(), **rules.get(pattern, {})}.items()]
    return "\n".join(lines) + "\n"


def nginx_config(headers: HeaderSet) -> str:
    """templates/deploy/nginx.conf with the header maps, the add_header lines and the types filled in."""
    import re

    template = NGINX_TEMPLATE.read_text(encoding="utf-8")
    maps, adds = [], []
    names = list(headers.base()) + [n for _, extra in headers.rules() for n in extra if n not in headers.base()]
    for name in dict.fromkeys(names):
        variable = "$wc_" + name.lower().replace("-", "_")
        default = headers.base().get(name, "")
        entries = []
        for pattern, extra in headers.rules():
            if name not in extra:
                continue
            path = f"{re.escape(pattern[:-1])}" if pattern.endswith("/*") else f"{re.escape(pattern)}(\\.br)?$"
            statuses = "(?:" + "|".join(map(str, LONG_CACHE_STATUSES)) + ")" if extra[name] == LONG_CACHE else r"\d{3}"
            entries.append(f'    "~^{statuses} {path}" "{extra[name]}";')
        if entries:
            maps.append(f'map "$status $uri" {variable} {{\n    default "{default}";\n' + "\n".join(entries) + "\n}")
            adds.append(f"add_header {name} {variable} always;")
        else:
            adds.append(f'add_header {name} "{default}" always;')
    types = "\n".join(f"        {value.split(';')[0]} {ext.lstrip('.')};" for ext, value in TYPES.items())
    brotli = "\n".join(
        f"    location ~ \\{ext}\\.br$ {{ internal; gzip_static off; types {{ }} default_type {value.split(';')[0]};\n"
        f"        add_header Content-Encoding br always; add_header Vary Accept-Encoding always; include_headers; }}"
        for ext, value in TYPES.items()
        if ext in PRECOMPRESS
    )
    charset_types = " ".join(sorted({v.split(";")[0] for v in TYPES.values() if "charset" in v} - {"text/html"}))
    text = (
        template.replace("#@maps", "\n".join(maps))
        .replace("#@types", types)
        .replace("#@brotli", brotli)
        .replace("#@charset_types", charset_types)
    )
    text = text.replace("include_headers;", " ".join(adds))
    unknown = re.search(r"#@\S+", text)
    if unknown:
        raise BuildError(f"{NGINX_TEMPLATE} has a marker build.py does not know: {unknown.group()}")
    return text


# ----------------------------------------------------------------------------- serving
UTF8 = "; charset=utf-8"
TYPES = {
    ".wasm": "application/wasm",
    ".mjs": "text/javascript" + UTF8,
    ".js": "text/javascript" + UTF8,
    ".json": "application/json" + UTF8,
    ".zip": "application/zip",
    ".css": "text/css" + UTF8,
    ".html": "text/html" + UTF8,
    ".svg": "image/svg+xml" + UTF8,
    ".ics": "text/calendar" + UTF8,
    ".xml": "application/xml" + UTF8,
    ".map": "application/json" + UTF8,
    ".png": "image/png",
    ".txt": "text/plain" + UTF8,
    ".ico": "image/x-icon",
}


def make_handler(site_dir: Path):  # type: ignore[no-untyped-def]
    """A static handler for site_dir with the MIME types and the headers (HeaderSet, as the build wrote them) a production host sends."""
    import email.utils
    import os
    import re
    from http import HTTPStatus
    from http.server import SimpleHTTPRequestHandler
    from urllib.parse import unquote

    headers = HeaderSet.read(site_dir) if (site_dir / HEADERS_FILE).exists() else None  # None: a plain folder (tests' other origins)
    not_found = site_dir / "404.html"

    class Handler(SimpleHTTPRequestHandler):
        extensions_map: ClassVar[dict[str, str]] = {**SimpleHTTPRequestHandler.extensions_map, **TYPES}
        default_request_version = "HTTP/1.0"  # a reply to an unreadable request line still has a status line (not HTTP/0.9's none)
        status = 0

        def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            super().__init__(*args, directory=str(site_dir), **kwargs)

        def url_path(self) -> str:
            """The request's path without query or fragment ("" before the request line could be read)."""
            return getattr(self, "path", "").split("?", 1)[0].split("#", 1)[0]

        def send_response(self, code: int, message: str | None = None) -> None:
            self.status = int(code)
            super().send_response(code, message)

        def send_head(self):  # type: ignore[no-untyped-def]
            """Serve file.br / file.gz in place of file when the client accepts it (as nginx with our config does)."""
            raw = unquote(self.url_path())
            if "\x00" in raw or not raw.startswith("/"):
                self.send_error(HTTPStatus.BAD_REQUEST, "Bad request path")
                return None
            asked = [*self.requestline.split(" "), "", ""][1].split("?", 1)[0]  # as sent: http.server trims a leading //
            if "//" in asked:
                # /check//x/ would serve the page, but its relative links would resolve against the doubled path
                self.send_response(HTTPStatus.MOVED_PERMANENTLY)
                query = self.path.partition("?")[2]
                self.send_header("Location", re.sub("/{2,}", "/", asked) + (f"?{query}" if query else ""))
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            name = raw.lstrip("/").split("/", 1)[0]
            if name in (HEADERS_FILE, DEPLOY_DIR):
                self.send_error(HTTPStatus.NOT_FOUND)  # the generated configs are not part of the site
                return None
            target = Path(self.translate_path(self.path))
            if target.is_dir() and self.url_path().endswith("/"):
                target = target / "index.html"
            if target.is_dir():
                return super().send_head()  # the redirect to the folder's URL with a slash
            if not target.is_file():
                self.send_error(HTTPStatus.NOT_FOUND)  # no directory listings
                return None
            accepted = accepted_encodings(self.headers.get("Accept-Encoding", ""))
            chosen, encoding = target, None
            if target.suffix in PRECOMPRESS:
                for coding, suffix in (("br", ".br"), ("gzip", ".gz")):
                    variant = target.with_name(target.name + suffix)
                    if coding in accepted and variant.is_file():
                        chosen, encoding = variant, coding
                        break
            handle = open(chosen, "rb")  # copyfile() reads it; the caller closes it
            stat = os.fstat(handle.fileno())
            since = self.headers.get("If-Modified-Since")
            if since and not self.headers.get("If-None-Match"):
                try:
                    if int(stat.st_mtime) <= email.utils.parsedate_to_datetime(since).timestamp():
                        self.send_response(304)
                        self.send_header("Vary", "Accept-Encoding")
                        self.end_headers()
                        handle.close()
                        return None
                except (TypeError, ValueError, IndexError, OverflowError):
                    pass
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(target)))
            if encoding:
                self.send_header("Content-Encoding", encoding)
            self.send_header("Vary", "Accept-Encoding")
            self.send_header("Content-Length", str(stat.st_size))
            self.send_header("Last-Modified", self.date_time_string(int(stat.st_mtime)))
            self.end_headers()
            return handle

        def list_directory(self, path):  # type: ignore[no-untyped-def]
            self.send_error(HTTPStatus.NOT_FOUND)
            return None

        def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
            """A missing page gets the site's 404.html, as nginx's error_page does; other errors the stock short page."""
            if code != HTTPStatus.NOT_FOUND or not not_found.is_file() or getattr(self, "command", "") not in ("GET", "HEAD"):
                super().send_error(code, message, explain)
                return
            body = not_found.read_bytes()
            self.send_response(code, message)
            self.send_header("Content-Type", TYPES[".html"])
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command == "GET":
                self.wfile.write(body)

        def end_headers(self) -> None:
            for name, value in (headers.for_path(self.url_path(), self.status) if headers else {}).items():
                self.send_header(name, value)
            super().end_headers()

        def log_message(self, format: str, *args) -> None:  # type: ignore[no-untyped-def]
            pass

    return Handler


def accepted_encodings(header: str) -> set[str]:
    """The content codings an Accept-Encoding header allows (a q of 0 refuses one)."""
    accepted = set()
    for part in header.split(","):
        coding, _, params = part.partition(";")
        quality = 1.0
        for param in params.split(";"):
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if coding.strip() and quality > 0:
            accepted.add(coding.strip().lower())
    return accepted


def make_server(site_dir: Path, host: str, port: int):  # type: ignore[no-untyped-def]
    """The dev server: threads per connection, and a listen backlog that holds a burst of clients (the default 5 does not)."""
    from http.server import ThreadingHTTPServer

    class Server(ThreadingHTTPServer):
        request_queue_size = 128
        daemon_threads = True

    return Server((host, port), make_handler(site_dir))


def serve_in_background(site_dir: Path, host: str = "127.0.0.1", port: int = 0):  # type: ignore[no-untyped-def]
    """Serve site_dir from a daemon thread, as `serve` does (tests, the benchmark): (server, base URL); port 0 picks a free one."""
    import threading

    server = make_server(site_dir, host, port)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://{host}:{server.server_address[1]}"


def serve_forever(site_dir: Path, host: str, port: int) -> None:
    """Serve the built site until interrupted."""
    server = make_server(site_dir, host, port)
    print(f"serving {site_dir} at http://{host}:{port}/ (Ctrl-C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
