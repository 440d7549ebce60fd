"""Dates as the record stores them (ISO text) and the plain phrases shown to a family."""

from __future__ import annotations

import re
from datetime import date, datetime

# Exactly an ISO date, optionally with a time and a time zone — nothing before or after it.
# "20240101" (no dashes) and "2024-01-01garbage" are refused: stored dates sort as text.
_ISO = re.compile(
    r"\d{4}-\d{2}-\d{2}"
    r"(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:?\d{2})?)?",
    re.ASCII,
)
_DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


def local_naive(moment: datetime) -> datetime:
    """``moment`` as a local wall-clock time without a time zone (how the record keeps times).

    A time given with a zone ("09:30+02:00") becomes the same instant in the computer's own
    zone, so it sorts and compares with every other time in the record.
    """
    if moment.tzinfo is None:
        return moment
    return moment.astimezone().replace(tzinfo=None)


def _text(value: object, what: str) -> str | None:
    if not isinstance(value, str):
        raise TypeError(f"{what} must be ISO text, not {type(value).__name__}")
    text = value.strip()
    if not text:
        return None
    if not _ISO.fullmatch(text):
        raise ValueError(f"{text[:40]!r} is not an ISO {what}")
    return text


def parse_date(value: str | date | None) -> date | None:
    """An ISO date ("2026-03-01", or the date part of an ISO date-time); None when empty.

    Raises ValueError for text that is not exactly an ISO date (or date-time) and TypeError
    for values that are neither text nor dates.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return local_naive(value).date()
    if isinstance(value, date):
        return value
    text = _text(value, "date")
    if text is None:
        return None
    if _DATE_ONLY.fullmatch(text):
        return date.fromisoformat(text)
    return local_naive(datetime.fromisoformat(text)).date()


def parse_datetime(value: str | date | None) -> datetime | None:
    """An ISO date-time ("2026-03-01T09:30"); a bare date means midnight. None when empty.

    Times with a zone are turned into local times without one. Raises ValueError or
    TypeError like :func:`parse_date`.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return local_naive(value)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    text = _text(value, "date and time")
    if text is None:
        return None
    if _DATE_ONLY.fullmatch(text):
        return datetime.fromisoformat(text + "T00:00")
    return local_naive(datetime.fromisoformat(text))


def iso_text(value: date | datetime) -> str:
    """A date or (local) date-time as the record stores it: "2026-03-01", "2026-03-01T09:30"."""
    if isinstance(value, datetime):
        moment = local_naive(value)
        spec = "minutes" if moment.second == 0 and moment.microsecond == 0 else "seconds"
        return moment.isoformat(timespec=spec)
    return value.isoformat()


def normalise_zone(value: str) -> str:
    """ISO date-time text with a time zone → the local time without one; other text as is."""
    text = value.strip()
    if len(text) > 16 and _ISO.fullmatch(text) and (
            text.endswith("Z") or "+" in text[10:] or "-" in text[10:]):
        try:
            return iso_text(datetime.fromisoformat(text))
        except ValueError:
            return value
    return value


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
