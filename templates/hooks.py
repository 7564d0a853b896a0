"""MkDocs hooks: the checker shortcode, the generated Interpretations page, language marks, cited-clause checks."""

from __future__ import annotations

import html
import re
import sys
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import rules  # noqa: E402  (the package lives beside templates/)
from rules import terms as terms_data  # noqa: E402

SHORTCODE = re.compile(r"<!--\s*checker:\s*([A-Za-z0-9_-]+)((?:\s+[a-z_]+=\S+)*)\s*-->")
INTERPRETATIONS_MARK = "<!-- interpretations -->"
EXAMPLES = re.compile(r"<!--\s*examples:\s*([A-Za-z0-9_-]+)\s*-->")
SCENARIOS = ROOT / "rules" / "scenarios"

_env = Environment(
    loader=FileSystemLoader(str(Path(__file__).parent)),
    autoescape=select_autoescape(default=True, default_for_string=True),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


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
    """One checker section from the program's question schema (also used for the embed pages, as their h1)."""
    macros = _env.get_template("_form.html").module
    return str(macros.checker(rules.questions(program), lang, uid, urls, level))  # type: ignore[attr-defined]


def assets_of(config: Any) -> dict[str, str]:
    """Asset paths that build.py computed (the rules archive name carries a content hash)."""
    assets = config.extra.get("checker_assets")
    if not assets:
        raise PluginError("config.extra.checker_assets is not set: build the site with `python build.py`, not `mkdocs build` directly")
    return assets


CJK = "\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef"
SOFT_BREAK_IN_JAPANESE = re.compile(f"(?<=[{CJK}])\n(?=[{CJK}])")


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """Fill the Interpretations page from rules/data; join Japanese lines, which Markdown would split with a space."""
    if page_lang(page.url) == "ja":
        markdown = SOFT_BREAK_IN_JAPANESE.sub("", markdown)
    if INTERPRETATIONS_MARK in markdown:
        markdown = markdown.replace(INTERPRETATIONS_MARK, interpretations_markdown(page_lang(page.url)))
    return EXAMPLES.sub(lambda m: examples_html(m.group(1), page_lang(page.url)), markdown)


def load_scenarios(program: str) -> list[dict[str, Any]]:
    """The program's scenario cases (the single source of truth for examples)."""
    import tomllib

    path = SCENARIOS / f"{program}.toml"
    if not path.exists():
        raise PluginError(f"no scenario file {path.relative_to(ROOT)} for the examples shortcode")
    with open(path, "rb") as handle:
        return list(tomllib.load(handle).get("case", []))


def examples_html(program: str, lang: str) -> str:
    """Worked examples: scenario cases marked `example = true`, each a link that fills the checker."""
    from urllib.parse import urlencode

    from markupsafe import escape

    verdict = {"en": {"covered": "covered", "not_covered": "not covered", "incomplete": "needs more answers", "invalid": "invalid answer"},
               "ja": {"covered": "対象", "not_covered": "対象外", "incomplete": "追加の入力が必要", "invalid": "入力エラー"}}[lang]
    items = []
    for case in load_scenarios(program):
        if not case.get("example"):
            continue
        answers = {key: rules_text(value) for key, value in case["answers"].items()}
        if "claim_date" not in answers and case.get("today"):
            answers["claim_date"] = str(case["today"])
        name = case.get("name_ja", case["name"]) if lang == "ja" else case["name"]
        items.append(f'<li><a href="#{escape(urlencode(answers))}" data-example>{escape(name)}</a> '
                     f'<span class="wc-example-verdict">({escape(verdict.get(case["expect"]["status"], ""))})</span></li>')
    return '<ul class="wc-examples">\n' + "\n".join(items) + "\n</ul>" if items else ""


def rules_text(value: Any) -> str:
    """Scenario answers as the strings a URL carries."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def on_page_content(content: str, page: Any, config: Any, files: Any) -> str:
    """Expand `<!-- checker: PROGRAM -->` into the rendered checker; an unknown program fails the build."""
    lang = page_lang(page.url)
    count = 0

    def expand(match: re.Match[str]) -> str:
        nonlocal count
        program = match.group(1)
        if program not in rules.PROGRAMS:
            raise PluginError(f"{page.file.src_uri}: unknown program {program!r} in a checker shortcode; use one of {', '.join(rules.PROGRAMS)}")
        count += 1
        urls = checker_urls(root_of(page.url), program, lang, assets_of(config))
        page.meta["checker_script"] = assets_of(config)["script"]  # site-relative: main.html's `url` filter resolves it
        page.meta["checker_boot"] = assets_of(config)["script"].rsplit("/", 1)[0] + "/boot.js"  # imports it and calls boot()
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
    words = {
        "en": {"general": "All programs", "question": "What is unclear", "reading": "Our reading", "clause": "Clause"},
        "ja": {"general": "全プログラム共通", "question": "不明確な点", "reading": "採用した解釈", "clause": "条項"},
    }[lang]
    out: list[str] = []
    current = None
    for source, key, entry in all_interpretations():
        if source != current:
            current = source
            title = words["general"] if source == "general" else rules.PROGRAMS[source].title[lang]
            out.append(f"\n## {html.escape(title)}\n")
        text = entry[lang]
        out.append(f"### {key} {{#{key.lower()}}}\n")
        out.append(f"**{words['question']}:** {text['question']}\n")
        out.append(f"**{words['reading']}:** {text['reading']}\n")
        clause = entry.get("clause")
        if clause and source != "general":
            out.append(f"**{words['clause']}:** [{clause}](terms/{source}.md#{clause})\n")
    return "\n".join(out)
