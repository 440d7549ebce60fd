"""Dates as the record stores them (ISO text) and the plain phrases shown to a family."""

from __future__ import annotations

from datetime import date, datetime


def parse_date(value: str | None) -> date | None:
    """An ISO date ("2026-03-01", or the date part of a date-time); None when empty.

    Raises ValueError for text that is not a date.
    """
    if value is None or not str(value).strip():
        return None
    return date.fromisoformat(str(value).strip()[:10])


def parse_datetime(value: str | None) -> datetime | None:
    """An ISO date-time ("2026-03-01T09:30"); a bare date means midnight. None when empty."""
    if value is None or not str(value).strip():
        return None
    text = str(value).strip()
    if len(text) == 10:
        return datetime.fromisoformat(text + "T00:00")
    return datetime.fromisoformat(text)


def _months_between(start: date, end: date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return months


def age_text(birth_date: str | None, on: date) -> str:
    """An age in words: "2 years 5 months", "7 months", "12 days"; "" if unknown."""
    try:
        born = parse_date(birth_date)
    except ValueError:
        return ""
    if born is None or on < born:
        return ""
    months = _months_between(born, on)
    years, months = divmod(months, 12)
    if years >= 2:
        return f"{years} years" + (f" {months} month{'s' if months != 1 else ''}" if months else "")
    total_months = years * 12 + months
    if total_months >= 1:
        return f"{total_months} month{'s' if total_months != 1 else ''}"
    days = (on - born).days
    return f"{days} day{'s' if days != 1 else ''}"


def day_of_phase(start_date: str, on: date) -> int:
    """The day number within a phase that started on ``start_date`` (its first day is day 1)."""
    start = parse_date(start_date)
    if start is None:
        raise ValueError("a phase needs a start date")
    return (on - start).days + 1


def today_iso() -> str:
    """Today as an ISO date."""
    return date.today().isoformat()
