"""Bilingual text helpers: every message the rules emit is {"en": ..., "ja": ...}."""

from __future__ import annotations

from datetime import date

Text = dict[str, str]

LANGS = ("en", "ja")
# English month names, not strftime("%B"): that depends on the C locale (and in the browser is a call out to JS).
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")


def t(en: str, ja: str) -> Text:
    """One message in both languages."""
    return {"en": en, "ja": ja}


def yen(amount: int, lang: str) -> str:
    """Integer yen the way each language writes it."""
    if lang == "ja":
        return f"{amount:,}円"
    return f"¥{amount:,}"


def price(amount: int, with_tax: int, lang: str) -> str:
    """A before-tax price with its tax-inclusive figure beside it (GEN-TAX)."""
    if lang == "ja":
        return f"{yen(amount, lang)}（税抜、税込{yen(with_tax, lang)}）"
    return f"{yen(amount, lang)} before tax ({yen(with_tax, lang)} with tax)"


def day(value: date, lang: str) -> str:
    """A date the way each language writes it (ISO order, never ambiguous)."""
    if lang == "ja":
        return f"{value.year}年{value.month}月{value.day}日"
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def day_t(value: date) -> Text:
    """A date in both languages."""
    return {lang: day(value, lang) for lang in LANGS}
