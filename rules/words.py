"""The words of every interface (pages, card, embed, command line) from one bilingual table, rules/data/words.toml,
so that no two places word one state differently; the browser gets them from the build, never from this module."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

TABLE = Path(__file__).resolve().parent / "data" / "words.toml"
LANGS = ("en", "ja")


class WordsError(LookupError):
    """A key the table does not have, or a table that breaks its format; the message says which."""


def _is_word(entry: Any) -> bool:
    return isinstance(entry, dict) and "en" in entry


def entries() -> dict[str, dict[str, Any]]:
    """Every word by key, sections flattened: {key: {en, ja[, args]}} or, for a group, {key: {value: {en, ja}}}."""
    return {key: entry for words in sections().values() for key, entry in words.items()}


@cache
def sections() -> dict[str, dict[str, dict[str, Any]]]:
    """The table as written: {section: {key: entry}}, checked for the format."""
    import tomllib

    found: dict[str, dict[str, Any]] = {}
    table = tomllib.loads(TABLE.read_text(encoding="utf-8"))
    for section, words in table.items():
        for key, entry in words.items():
            if key in found:
                raise WordsError(f"{TABLE.name}: {key!r} appears twice (again in [{section}]): keys are unique across sections")
            group = entry.values() if not _is_word(entry) else [entry]
            for word in group:
                if not _is_word(word) or set(word) - {"en", "ja", "args"} or not all(word.get(lang) for lang in LANGS):
                    raise WordsError(f"{TABLE.name} [{section}] {key}: each word is {{ en = …, ja = … }}, with `args` for a template")
            found[key] = entry
    return table


def words(lang: str, only: tuple[str, ...] = ()) -> dict[str, Any]:
    """{key: text} in one language (of some sections only), groups as {value: text}: what templates and scripts read."""
    chosen = [words for section, words in sections().items() if not only or section in only]
    return {key: _text(entry, lang) for words in chosen for key, entry in words.items()}


def _text(entry: dict[str, Any], lang: str) -> Any:
    if not _is_word(entry):
        return {value: word[lang] for value, word in entry.items()}
    return {"args": entry["args"], "text": entry[lang]} if "args" in entry else entry[lang]


def say(key: str, lang: str, **values: Any) -> str:
    """One word in one language, its {placeholders} filled from `values`."""
    try:
        entry = entries()[key]
    except KeyError:
        raise WordsError(f"no word {key!r} in {TABLE.name}") from None
    text: str = entry[lang]
    return text.format(**values) if "args" in entry else text


def group(key: str, lang: str) -> dict[str, str]:
    """A group of words (e.g. `status`: covered, not_covered, …) in one language."""
    return dict(words(lang)[key])


def script_json(*only: str) -> str:
    """The words of some sections as a script receives them (build.py splices them in): {lang: {key: text}}."""
    return json.dumps({lang: words(lang, only) for lang in LANGS}, ensure_ascii=False, sort_keys=True)
