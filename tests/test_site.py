"""The built site: both languages, the language switch and nav, search in Japanese, links, and docs that match the code."""

from __future__ import annotations

import json
import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

import rules
from rules import terms

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "site"
ATTR_LIST = re.compile(r"^\{:([^}\n]*)\}", re.MULTILINE)  # a clause: `{: #ism-coverage }` or `{: #id .informational }`
ANCHOR = re.compile(r"\{:?[^}\n]*?#([A-Za-z0-9_-]+)")  # any explicit anchor, clauses and `## Section {#id}`


# -- reading pages --------------------------------------------------------------------


class Page(HTMLParser):
    """The parts of a built page the tests look at."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[str, str]] = []  # (tag, url) of every href/src
        self.testids: dict[str, str] = {}  # data-testid -> href
        self.html_lang = ""
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "html":
            self.html_lang = a.get("lang", "")
        if "id" in a:
            self.ids.add(a["id"])
        for key in ("href", "src"):
            if key in a and tag in ("a", "link", "script", "img", "source", "iframe"):
                self.links.append((tag, a[key]))
        if "data-testid" in a and "href" in a:
            self.testids[a["data-testid"]] = a["href"]


@cache
def parse(path: Path) -> Page:
    return Page(path.read_text(encoding="utf-8"))


def pages(public: Path) -> list[Path]:
    return sorted(public.rglob("*.html"))


def url_of(public: Path, path: Path) -> str:
    """A page's site-relative directory URL: 'ja/terms/ismartphones/' (the home page: '')."""
    rel = path.relative_to(public).as_posix()
    return rel[: -len("index.html")] if rel.endswith("index.html") else rel


def resolve(public: Path, page: Path, href: str) -> Path | None:
    """The file a same-site link points at (None for other origins, fragments-only and non-page schemes)."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = unquote(parts.path)
    target = (public / path.lstrip("/")) if path.startswith("/") else (page.parent / path)
    target = target.resolve()
    if target.is_dir() or path.endswith("/"):
        target = target / "index.html"
    return target


def article(path: Path) -> str:
    """The page's own content (not the nav, header or footer)."""
    text = path.read_text(encoding="utf-8")
    start = text.index("<article")
    return text[start : text.index("</article>", start)]


def nav_links(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    start = text.index('<ul class="md-nav__list"', text.index('class="md-nav md-nav--primary"'))  # after the logo
    return re.findall(r'href="([^"]*)"', text[start : text.index("md-sidebar--secondary", start)])


def content_pages(public: Path) -> list[Path]:
    """Pages with the site chrome: everything but the 404 page and the chrome-less embeds."""
    return [p for p in pages(public) if p.name == "index.html" and not re.match(r"(embed/.+|runtime/|assets/)", url_of(public, p))]


# -- what the rules cite --------------------------------------------------------------


def terms_markdown(program: str, lang: str) -> str:
    return (SITE / ("ja/" if lang == "ja" else "") / "terms" / f"{program}.md").read_text(encoding="utf-8")


def clauses_on_page(program: str, lang: str) -> dict[str, bool]:
    """Clause id -> marked informational, from the terms page's Markdown."""
    found = {}
    for attrs in ATTR_LIST.findall(terms_markdown(program, lang)):
        for clause in re.findall(r"#([A-Za-z0-9_-]+)", attrs):
            found[clause] = ".informational" in attrs
    return found


# -- both languages -------------------------------------------------------------------


@pytest.mark.parametrize("program", sorted(rules.PROGRAMS))
def test_english_and_japanese_terms_have_the_same_anchors(program: str, public_dir: Path) -> None:
    en, ja = (set(ANCHOR.findall(terms_markdown(program, lang))) for lang in ("en", "ja"))
    assert en == ja, f"only in English: {sorted(en - ja)}; only in Japanese: {sorted(ja - en)}"
    assert clauses_on_page(program, "en") == clauses_on_page(program, "ja"), "the same clauses are informational in both"
    for lang in ("", "ja/"):
        built = parse(public_dir / f"{lang}terms/{program}/index.html").ids
        assert en <= built, f"anchors missing from the built {lang}terms/{program}/: {sorted(en - built)}"
        prefix = terms.load(rules.PROGRAMS[program].data).clause_prefix + "-"
        assert {i for i in built if i.startswith(prefix)} == {i for i in en if i.startswith(prefix)}


def test_japanese_pages_declare_their_language(public_dir: Path) -> None:
    for path in content_pages(public_dir):
        expected = "ja" if url_of(public_dir, path).startswith("ja/") else "en"
        assert parse(path).html_lang == expected, url_of(public_dir, path)


def test_the_language_switch_lands_on_the_same_page_in_the_other_language(public_dir: Path) -> None:
    checked = 0
    for path in content_pages(public_dir):
        url = url_of(public_dir, path)
        en_url = url[3:] if url.startswith("ja/") else url
        switch = parse(path).testids
        for testid, twin in (("lang-en", en_url), ("lang-ja", "ja/" + en_url)):
            target = resolve(public_dir, path, switch[testid])
            assert target == (public_dir / twin / "index.html").resolve(), f"{url or '/'}: {testid} goes to {switch[testid]}"
            assert target.exists(), f"{url or '/'}: {testid} twin {twin} does not exist"
        checked += 1
    assert checked >= 2 * (2 * len(rules.PROGRAMS) + 3)  # home, interpretations, embed, checkers and terms, twice


def test_the_nav_shows_only_the_visitors_language(public_dir: Path) -> None:
    for path in content_pages(public_dir):
        url = url_of(public_dir, path)
        links = [resolve(public_dir, path, href) for href in nav_links(path)]
        targets = [url_of(public_dir, t) for t in links if t is not None]
        assert targets, url
        in_ja = [t.startswith("ja/") for t in targets]
        assert all(in_ja) if url.startswith("ja/") else not any(in_ja), (url, targets)
    ja_nav = (public_dir / "ja" / "index.html").read_text(encoding="utf-8")
    for title in ("チェッカー", "規約", "解釈について"):
        assert title in ja_nav
    assert "Interpretations" not in ja_nav.split('class="md-nav md-nav--primary"')[1].split("</nav>")[0]


# -- links ----------------------------------------------------------------------------


def test_no_broken_internal_links(public_dir: Path) -> None:
    broken = []
    for path in pages(public_dir):
        page = parse(path)
        for tag, href in page.links:
            target = resolve(public_dir, path, href)
            if target is None:
                continue
            if not target.exists():
                broken.append(f"{path.relative_to(public_dir)}: <{tag}> {href}")
                continue
            fragment = urlsplit(href).fragment
            if (
                fragment
                and target.suffix == ".html"
                and url_of(public_dir, target).startswith(("terms/", "ja/terms/", "interpretations/", "ja/interpretations/"))
            ):
                if unquote(fragment) not in parse(target).ids:
                    broken.append(f"{path.relative_to(public_dir)}: {href} (no such anchor)")
    assert not broken, "\n".join(broken)


@pytest.mark.parametrize("program", sorted(rules.PROGRAMS))
@pytest.mark.parametrize("lang", ["", "ja/"])
def test_terms_link_to_their_checker_and_back(public_dir: Path, program: str, lang: str) -> None:
    for page, other in ((f"{lang}terms/{program}", f"{lang}check/{program}"), (f"{lang}check/{program}", f"{lang}terms/{program}")):
        path = public_dir / page / "index.html"
        hrefs = re.findall(r'href="([^"]*)"', article(path))
        targets = {resolve(public_dir, path, h) for h in hrefs}
        assert (public_dir / other / "index.html").resolve() in targets, f"{page}/ does not link to {other}/ in its content"


# -- search ---------------------------------------------------------------------------


def test_search_indexes_japanese_text(public_dir: Path) -> None:
    index = json.loads((public_dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert "ja" in index["config"]["lang"]
    for program in rules.PROGRAMS:
        entries = [d for d in index["docs"] if d["location"].startswith(f"ja/terms/{program}/")]
        assert entries, f"ja/terms/{program}/ is not in the search index"
        text = " ".join(d["title"] + " " + d["text"] for d in entries)
        assert "保証" in text and re.search(r"[\u3040-\u30ff]", text), program
        assert len(entries) > 3, "each section is indexed on its own"
    english = [d for d in index["docs"] if d["location"].startswith("terms/ismartphones/")]
    assert any("warranty" in d["text"].lower() for d in english)


def test_the_site_ships_search_stemmers_only_for_its_own_languages(public_dir: Path) -> None:
    """Material brings lunr's stemmers for 30 languages; only those the index is built for are published (and so kept
    for offline use): the search in each language still works (test_the_search_box_finds_terms_in_either_language)."""
    languages = json.loads((public_dir / "search" / "search_index.json").read_text(encoding="utf-8"))["config"]["lang"]
    shipped = {path.name.split(".")[1] for path in (public_dir / "assets/javascripts/lunr/min").glob("lunr.*.min.js")}
    assert shipped - {"stemmer", "multi"} == set(languages) - {"en"}, shipped


# -- docs that match the code ---------------------------------------------------------


def test_every_reading_in_the_data_is_explained_on_both_interpretations_pages(public_dir: Path) -> None:
    known = set(terms.general().interpretations)
    for program in rules.PROGRAMS.values():
        known |= set(terms.load(program.data).interpretations)
    for lang in ("", "ja/"):
        ids = parse(public_dir / f"{lang}interpretations" / "index.html").ids
        missing = sorted(r for r in known if r.lower() not in ids)
        assert not missing, f"{lang}interpretations/ lacks {missing}"


def test_informational_clauses_are_marked_in_the_built_pages(public_dir: Path) -> None:
    for program in rules.PROGRAMS:
        for lang in ("", "ja/"):
            html = (public_dir / f"{lang}terms/{program}/index.html").read_text(encoding="utf-8")
            for clause, info in clauses_on_page(program, "en").items():
                if info:
                    assert re.search(
                        rf'id="{clause}"[^>]*class="[^"]*informational|class="[^"]*informational[^"]*"[^>]*id="{clause}"', html
                    ), (lang, clause)


# -- search in a real browser -----------------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize(
    ("start", "query", "expected"),
    [
        ("ja/", "水濡れ", "ja/terms/line-device/"),
        ("ja/", "返品", "ja/terms/ismartphones/"),
        ("", "accessory", "terms/ismartphones/"),
    ],
)
def test_the_search_box_finds_terms_in_either_language(page, site_url: str, start: str, query: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    from tests.browser import guard

    watch = guard(page, site_url)
    page.goto(f"{site_url}/{start}")
    box = page.locator("input.md-search__input")
    box.click()
    # Material's search worker builds the index (with Japanese segmentation) after the page loads, then
    # searches on key events: wait for its "type to start searching" prompt, then type as a visitor does.
    ready = "検索キーワードを入力してください" if start == "ja/" else "Type to start searching"
    expect(page.locator(".md-search-result__meta")).to_have_text(ready, timeout=30_000)
    box.fill(query)
    box.press("End")
    results = page.locator(".md-search-result__item a, a.md-search-result__link")
    expect(results.first).to_be_visible(timeout=30_000)
    hrefs = [h or "" for h in results.evaluate_all("els => els.map(e => e.href)")]
    assert any(f"/{expected}" in h for h in hrefs), hrefs
    assert not watch.problems(), watch.problems()


def test_each_forked_material_partial_names_the_installed_version_and_says_why_it_differs() -> None:
    """A Material upgrade makes this fail until each fork is compared with the new upstream file again."""
    from importlib.metadata import version

    installed = version("mkdocs-material")
    for path in sorted((ROOT / "templates" / "overrides" / "partials").glob("*.html")):
        head = path.read_text(encoding="utf-8").split("-#}", 1)[0]
        assert f"Material {installed}'s partials/{path.name}" in head, f"{path.name}: compare it with Material {installed}'s and say so"
        assert "forked:" in head, f"{path.name}: say how it differs from upstream"
