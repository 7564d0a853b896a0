"""MkDocs hooks: the checker shortcode, the generated Interpretations page, language marks, cited-clause checks."""

from __future__ import annotations

import html
import re
import sys
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape
from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import rules  # noqa: E402  (the package lives beside templates/)
from rules import terms as terms_data  # noqa: E402
from rules import words  # noqa: E402
from rules.cases import ScenarioError, load_cases  # noqa: E402

SHORTCODE = re.compile(r"<!--\s*checker:\s*([A-Za-z0-9_-]+)((?:\s+[a-z_]+=\S+)*)\s*-->")
INTERPRETATIONS_MARK = "<!-- interpretations -->"
EXAMPLES = re.compile(r"<!--\s*examples:\s*([A-Za-z0-9_-]+)\s*-->")

_env = Environment(
    loader=FileSystemLoader(str(Path(__file__).parent)),
    autoescape=select_autoescape(default=True, default_for_string=True),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


# Phone numbers and host names in the questions' help become links (tel:, the provider's pages), as on the card.
ACTIONABLE = re.compile(r"(\b0\d{1,4}-\d{1,4}-\d{3,4}\b)|(\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:jp|com)\b)")


def actionable(text: str) -> Markup:
    """Escaped text with its phone numbers as tel: links and its host names as links that leave only when followed."""

    def link(match: re.Match[str]) -> str:
        if match.group(1):
            return f'<a href="tel:{match.group(1).replace("-", "")}">{match.group(1)}</a>'
        return f'<a href="https://{match.group(2)}/" rel="noopener noreferrer external" target="_blank">{match.group(2)}</a>'

    return Markup(ACTIONABLE.sub(link, str(escape(text))))


_env.filters["actionable"] = actionable
_env.globals["T"] = {lang: words.words(lang) for lang in words.LANGS}  # the words _form.html and embed.html say


def page_lang(url: str) -> str:
    """Japanese pages live under ja/ (DESIGN.md: /ja/check/<program>/, /ja/terms/<program>/)."""
    return "ja" if url.startswith("ja/") else "en"


def root_of(url: str) -> str:
    """The relative path from a page's directory URL back to the site root."""
    depth = len([part for part in url.split("/") if part])
    return "../" * depth


def checker_urls(root: str, program: str, lang: str, assets: dict[str, str]) -> dict[str, str]:
    """Where a checker finds its worker, runtime, rules archive and the pages its answers link to."""
    prefix = "ja/" if lang == "ja" else ""
    return {
        "runtime": root + assets["runtime"],
        "rules": root + assets["rules"],
        "worker": root + assets["worker"],
        "script": root + assets["script"],
        "terms": f"{root}{prefix}terms/{program}/",
        "interpretations": f"{root}{prefix}interpretations/",
    }


def render_checker(program: str, lang: str, uid: str, urls: dict[str, str], level: int = 2) -> str:
    """One checker section from the program's question schema (also used for the embed pages, as their h1),
    with the program's clause labels in the page's language baked in (no extra request)."""
    macros = _env.get_template("_form.html").module
    labels = {clause: label[lang] for clause, label in clause_labels().get(program, {}).items() if lang in label}
    urls = {**urls, "terms_version": terms_version(program)}
    return str(macros.checker(rules.questions(program), lang, uid, urls, level, labels))  # type: ignore[attr-defined]


def terms_version(program: str) -> str:
    """A short fingerprint of what an answer rests on: both terms pages and the program's rules data. A printed
    answer records it, so it can be matched to the terms it was computed with."""
    import hashlib

    digest = hashlib.sha256()
    for path in (
        TERMS_PAGES["en"] / f"{program}.md",
        TERMS_PAGES["ja"] / f"{program}.md",
        ROOT / "rules" / "data" / f"{rules.PROGRAMS[program].data}.toml",
    ):
        digest.update(path.read_bytes() if path.exists() else b"")
    return digest.hexdigest()[:8]


# ---------------------------------------------------------------- clause labels, from the terms pages
# Visitors see a clause's number and title, never its id (DESIGN.md). The terms pages are their only source:
#   ## 5. Fees {#lnb-fees}                                   → "§5 Fees" / "第5章 料金"
#   **5.6 Repair cap.** Repairs are covered … {: #lnb-repair-cap }   → "§5.6 Repair cap" / "第5.6項 修理費用の上限"
TERMS_PAGES = {"en": ROOT / "site" / "terms", "ja": ROOT / "site" / "ja" / "terms"}
HEADING_CLAUSE = re.compile(r"^#{2,6}\s+(\d+)\.\s+(.+?)\s*\{#([a-z0-9-]+)\}\s*$", re.MULTILINE)
PARAGRAPH_ID = re.compile(r"^\{:\s*#([a-z0-9-]+)[^}]*\}\s*$", re.MULTILINE)
PARAGRAPH_TITLE = re.compile(r"^\*\*(\d+(?:\.\d+)+)\s+([^*]+?)[.。]?\*\*")


def page_labels(markdown: str, lang: str) -> dict[str, str]:
    """{clause id: label} of one terms page; a clause whose paragraph has no `**N.N Title**` gets none."""
    found = {m.group(3): words.say("section_label", lang, n=m.group(1), title=m.group(2)) for m in HEADING_CLAUSE.finditer(markdown)}
    for block in re.split(r"\n\s*\n", markdown):
        anchor = PARAGRAPH_ID.search(block)
        title = PARAGRAPH_TITLE.match(block.strip())
        if anchor and title:
            found[anchor.group(1)] = words.say("clause_label", lang, n=title.group(1), title=title.group(2).strip())
    return found


_labels: dict[str, dict[str, dict[str, str]]] = {}


def clause_labels() -> dict[str, dict[str, dict[str, str]]]:
    """{program: {clause id: {en, ja}}} from site/terms/*.md and site/ja/terms/*.md, read once per build."""
    if not _labels:
        for program in rules.PROGRAMS:
            merged: dict[str, dict[str, str]] = {}
            for lang, folder in TERMS_PAGES.items():
                path = folder / f"{program}.md"
                if path.exists():
                    for clause, label in page_labels(path.read_text(encoding="utf-8"), lang).items():
                        merged.setdefault(clause, {})[lang] = label
            _labels[program] = merged
    return _labels


def on_startup(command: str, dirty: bool) -> None:
    """A new build (or `mkdocs serve` reload) reads the terms pages afresh."""
    _labels.clear()


def assets_of(config: Any) -> dict[str, str]:
    """Asset paths that build.py computed (the rules archive name carries a content hash)."""
    assets = config.extra.get("checker_assets")
    if not assets:
        raise PluginError("config.extra.checker_assets is not set: build the site with `python build.py`, not `mkdocs build` directly")
    return assets


CJK = "\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef"
SOFT_BREAK_IN_JAPANESE = re.compile(f"(?<=[{CJK}])\n(?=[{CJK}])")


def theme_script(config: Any) -> str:
    """Material's bundle, site-relative, named as the installed theme names it (its hash changes with each release)."""
    return _theme_script(tuple(config.theme.dirs))


@cache
def _theme_script(folders: tuple[str, ...]) -> str:
    """Looked up once per build, not once per checker on a page."""
    for folder in folders:
        found = sorted(Path(folder).glob("assets/javascripts/bundle.*.min.js"))
        if found:
            return found[0].relative_to(folder).as_posix()
    raise PluginError("Material's assets/javascripts/bundle.*.min.js is not in the theme: reinstall mkdocs-material (`make setup`)")


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """Fill the Interpretations page from rules/data; join Japanese lines, which Markdown would split with a space."""
    if page_lang(page.url) == "ja":
        markdown = SOFT_BREAK_IN_JAPANESE.sub("", markdown)
    if INTERPRETATIONS_MARK in markdown:
        markdown = markdown.replace(INTERPRETATIONS_MARK, interpretations_markdown(page_lang(page.url)))
    return EXAMPLES.sub(lambda m: examples_html(m.group(1), page_lang(page.url)), markdown)


def examples_html(program: str, lang: str) -> str:
    """Worked examples: scenario cases marked `example = true`, each a link that fills the checker."""
    from urllib.parse import urlencode

    from markupsafe import escape

    verdict = words.group("status", lang)
    items = []
    try:
        cases = load_cases(program)
    except ScenarioError as exc:
        raise PluginError(f"the examples shortcode cannot read its cases: {exc}") from None
    for case in cases:
        if not case.example:
            continue
        items.append(
            f'<li><a href="#{escape(urlencode(case.with_claim_date()))}" data-example>{escape(case.title(lang))}</a> '
            f'<span class="wc-example-verdict">({escape(verdict.get(case.status, ""))})</span></li>'
        )
    return '<ul class="wc-examples">\n' + "\n".join(items) + "\n</ul>" if items else ""


def on_page_content(content: str, page: Any, config: Any, files: Any) -> str:
    """Expand `<!-- checker: PROGRAM -->` into the rendered checker; an unknown program fails the build."""
    lang = page_lang(page.url)
    count = 0

    def expand(match: re.Match[str]) -> str:
        nonlocal count
        program = match.group(1)
        if program not in rules.PROGRAMS:
            raise PluginError(
                f"{page.file.src_uri}: unknown program {program!r} in a checker shortcode; use one of {', '.join(rules.PROGRAMS)}"
            )
        count += 1
        urls = checker_urls(root_of(page.url), program, lang, assets_of(config))
        if not page.url.startswith(("check/", "ja/check/")):
            # A terms page's fragment belongs to its clauses (DESIGN.md): the checker there leaves the URL alone,
            # and its copied link opens the program's own checker page with the answers.
            urls["keep_url"] = "true"
            urls["share"] = f"{root_of(page.url)}{'ja/' if lang == 'ja' else ''}check/{program}/"
        page.meta["checker_modules"] = assets_of(config)["modules"]  # site-relative: main.html's `url` filter resolves them
        page.meta["checker_boot"] = assets_of(config)["script"].rsplit("/", 1)[0] + "/boot.js"  # imports checker.js, calls boot()
        page.meta["theme_script"] = theme_script(config)  # boot.js starts it after the first answer (main.html)
        return render_checker(program, lang, f"wc-{program}-{count}", urls)

    return SHORTCODE.sub(expand, content)


def all_interpretations() -> list[tuple[str, str, dict[str, Any]]]:
    """(source, id, entry) for every reading: the general ones first, then each program's."""
    found: list[tuple[str, str, dict[str, Any]]] = []
    for key, entry in terms_data.general().interpretations.items():
        found.append(("general", key, entry))
    for program_id, program in rules.PROGRAMS.items():
        for key, entry in terms_data.load(program.data).interpretations.items():
            found.append((program_id, key, entry))
    return found


def interpretations_markdown(lang: str) -> str:
    """The readings as Markdown sections with stable anchors (the id, lower-cased)."""
    said = words.words(lang, ("pages",))
    out: list[str] = []
    current = None
    for source, key, entry in all_interpretations():
        if source != current:
            current = source
            title = said["all_programs"] if source == "general" else rules.PROGRAMS[source].title[lang]
            out.append(f"\n## {html.escape(title)}\n")
        text = entry[lang]
        out.append(f"### {key} {{#{key.lower()}}}\n")
        out.append(f"**{said['question']}:** {text['question']}\n")
        out.append(f"**{said['our_reading']}:** {text['reading']}\n")
        clause = entry.get("clause")
        if clause and source != "general":
            label = clause_labels().get(source, {}).get(clause, {}).get(lang, clause)
            out.append(f"**{said['clause_heading']}:** [{html.escape(label)}](terms/{source}.md#{clause})\n")
    return "\n".join(out)


SITE_NAME_JA = words.say("site_name", "ja")
LOGO_LINK = re.compile(r'<a href="([^"]*)" title="' + SITE_NAME_JA + r'" class="md-(header|nav)__button md-logo"')


def on_post_page(output: str, page: Any, config: Any) -> str:
    """Japanese pages name the site in Japanese, and their logo leads to the Japanese home page (one build, two languages)."""
    if page_lang(page.url) != "ja":
        return output
    output = output.replace(config["site_name"], SITE_NAME_JA)
    return LOGO_LINK.sub(
        lambda m: f'<a href="{m.group(1).rstrip("/")}/ja/" title="{SITE_NAME_JA}" class="md-{m.group(2)}__button md-logo"', output
    )


def search_languages(config: Any) -> list[str]:
    """The languages the site search is configured for (mkdocs.yml, plugins.search.lang)."""
    for name, plugin in config.plugins.items():
        if name.endswith("search") and "lang" in plugin.config:
            return list(plugin.config["lang"])
    raise PluginError("mkdocs.yml has no search plugin with a `lang` list: the site search needs one (en, ja)")


def drop_unused_search_languages(site_dir: Path, languages: list[str]) -> None:
    """Material ships lunr's stemmers for 30 languages; its search worker (9.8.1) loads only those configured, as kept
    here (lunr.<lang>.min.js, the multi-language and stemmer support, tinyseg.js for ja, wordcut.js for hi/th): the
    rest are neither published nor fetched for offline use."""
    lunr = site_dir / "assets/javascripts/lunr"
    keep = {f"min/lunr.{lang}.min.js" for lang in languages if lang != "en"}  # English is lunr's own
    keep |= {"min/lunr.multi.min.js"} if len(languages) > 1 else set()
    keep |= {"min/lunr.stemmer.support.min.js"} if keep else set()
    keep |= {"tinyseg.js"} if "ja" in languages else set()
    keep |= {"wordcut.js"} if {"hi", "th"} & set(languages) else set()
    for path in sorted(lunr.rglob("*.js")):
        if path.relative_to(lunr).as_posix() not in keep:
            path.unlink()
    missing = sorted(name for name in keep if not (lunr / name).is_file())
    if missing:
        raise PluginError(f"Material's search assets lack {', '.join(missing)}: is `lang` in mkdocs.yml a language lunr knows?")


def on_post_build(config: Any) -> None:
    """Chrome-less checker pages at /embed/<program>/ for iframes (language from ?lang=), from the same templates and
    the same Jinja environment as the checker sections of the other pages."""
    site_dir, assets = Path(config.site_dir), assets_of(config)
    drop_unused_search_languages(site_dir, search_languages(config))
    template = _env.get_template("embed.html")
    for program in rules.PROGRAMS:
        url = f"embed/{program}/"
        root = root_of(url)
        forms = {}
        for lang in ("en", "ja"):
            urls = checker_urls(root, program, lang, assets)
            urls["share"] = f"{root}{'ja/' if lang == 'ja' else ''}check/{program}/"  # a copied link opens the full checker page
            forms[lang] = Markup(render_checker(program, lang, f"wc-{program}-{lang}", urls, level=1))
        page = template.render(
            program=program,
            title=rules.PROGRAMS[program].title,
            forms=forms,
            root=root,
            modules=[root + module for module in assets["modules"]],
            css=root + "assets/checker/checker.css",
        )
        target = site_dir / url / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page, encoding="utf-8")
