"""Period arithmetic as the Japanese Civil Code counts it (arts. 140, 143; interpretation GEN-PERIOD)."""

from __future__ import annotations

from datetime import date, timedelta


def month_end(year: int, month: int) -> date:
    """Last day of a month: the terms often end a window there."""
    return date(year, month, days_in_month(year, month))


def days_in_month(year: int, month: int) -> int:
    """28 to 31 (not calendar.monthrange: importing calendar costs more than this in the browser)."""
    next_year, next_month = shift_month(year, month, 1)
    return (date(next_year, next_month, 1) - timedelta(days=1)).day


def shift_month(year: int, month: int, months: int) -> tuple[int, int]:
    """(year, month) moved by a whole number of months."""
    return month_of(month_index(year, month) + months)


def month_index(year: int, month: int) -> int:
    """A calendar month as one number, so months can be counted and compared (billing, windows)."""
    return year * 12 + month - 1


def month_of(index: int) -> tuple[int, int]:
    """(year, month) of a month_index."""
    return index // 12, index % 12 + 1


def add_months(start: date, months: int) -> date:
    """End of "N months from start" (art. 143): counting starts the next day (art. 140); the period ends the day before
    that day's number N months later, or on that month's last day where the number does not exist; and when counting
    starts on the 1st (start is a month's last day), on the last day of the Nth month (art. 143(1))."""
    first = start + timedelta(days=1)
    if first.day == 1:
        return month_end(*shift_month(first.year, first.month, months - 1))
    year, month = shift_month(first.year, first.month, months)
    if first.day > days_in_month(year, month):
        return month_end(year, month)
    return date(year, month, first.day) - timedelta(days=1)


def add_days(start: date, days: int) -> date:
    """End of "N days from start": the first day is not counted (art. 140), so it ends on start + N."""
    return start + timedelta(days=days)


def first_of_next_month(day: date) -> date:
    """First day of the month after the one that holds day."""
    year, month = shift_month(day.year, day.month, 1)
    return date(year, month, 1)
