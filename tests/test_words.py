"""One table of words for every interface (rules/data/words.toml): complete in both languages, templates that
agree, and every word a script or template asks for is in what the build gives it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from rules import words

ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER = re.compile(r"\{(\w+)\}")
# Who reads which sections: build.fill_scripts splices these into the two scripts; the templates get them all.
READERS = {
    "site/assets/checker/checker.js": ("status", "loading", "form", "card", "actions"),
    "site/embed.js": ("embed",),
}


def flat_words() -> list[tuple[str, dict]]:
    """(key, word) of every word, the words of a group included as key.value."""
    found = []
    for key, entry in words.entries().items():
        if "en" in entry:
            found.append((key, entry))
        else:
            found += [(f"{key}.{value}", word) for value, word in entry.items()]
    return found


@pytest.mark.parametrize(("key", "word"), flat_words(), ids=[key for key, _ in flat_words()])
def test_each_word_is_said_in_both_languages_with_the_same_placeholders(key: str, word: dict) -> None:
    assert word["en"].strip() and word["ja"].strip()
    en, ja = set(PLACEHOLDER.findall(word["en"])), set(PLACEHOLDER.findall(word["ja"]))
    assert en == ja == set(word.get("args", [])), f"{key}: placeholders {en} / {ja}, args {word.get('args')}"


@pytest.mark.parametrize("script", sorted(READERS))
def test_every_word_a_script_asks_for_is_in_what_the_build_gives_it(script: str) -> None:
    source = (ROOT / script).read_text(encoding="utf-8")
    asked = set(re.findall(r"\bt\.([a-z_]+)\b", source)) | set(re.findall(r"WORDS\[\w+\]\.([a-z_]+)", source))
    given = set(words.words("en", READERS[script]))
    assert asked and not asked - given, f"{script} asks for {sorted(asked - given)}, not in sections {READERS[script]}"


def test_every_word_the_form_template_asks_for_is_in_the_table() -> None:
    template = (ROOT / "templates" / "_form.html").read_text(encoding="utf-8")
    asked = set(re.findall(r"\bt\.([a-z_]+)\b", template)) | set(re.findall(r"\bt\[\"([a-z_]+)\"\]", template))
    assert asked and not asked - set(words.words("en")), sorted(asked - set(words.words("en")))
    # Jinja reads t.copy as the dict's own copy method: such words are written t["copy"]
    assert not set(re.findall(r"\bt\.([a-z_]+)\b", template)) & set(dir(dict)), 'write t["…"] for words named like dict methods'


def test_one_state_is_worded_once_wherever_it_appears() -> None:
    """The card's title, the status line, the worked examples and the command line read one group of words."""
    for lang in words.LANGS:
        status = words.group("status", lang)
        assert set(status) == {"covered", "not_covered", "incomplete", "invalid"}
        assert len(set(status.values())) == 4


@pytest.mark.parametrize(
    ("table", "complaint"),
    [
        ('[a]\nx = { en = "X", ja = "エックス" }\n[b]\nx = { en = "Y", ja = "ワイ" }\n', "'x' appears twice"),
        ('[a]\nx = { en = "X" }\n', "each word is { en = …, ja = … }"),
        ('[a]\nx = { en = "X", ja = "エ", de = "Ix" }\n', "each word is { en = …, ja = … }"),
        ('[a]\ng = { one = { en = "1", ja = "" } }\n', "each word is { en = …, ja = … }"),
    ],
)
def test_a_table_that_breaks_the_format_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, table: str, complaint: str) -> None:
    path = tmp_path / "words.toml"
    path.write_text(table, encoding="utf-8")
    monkeypatch.setattr(words, "TABLE", path)
    words.sections.cache_clear()
    try:
        with pytest.raises(words.WordsError, match=re.escape(complaint)):
            words.entries()
    finally:
        words.sections.cache_clear()


def test_say_fills_a_template_and_names_a_missing_word() -> None:
    assert words.say("due", "en", date="1 December 2026") == "By 1 December 2026"
    assert words.say("due", "ja", date="2026年12月1日") == "期限：2026年12月1日"
    with pytest.raises(words.WordsError, match="no word 'nothing'"):
        words.say("nothing", "en")
