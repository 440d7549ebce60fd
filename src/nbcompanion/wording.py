"""Every date, time, number, range, unit and age a family reads, made in one place.

The screen, the PDFs and the CSV readme all take their wording from here, so "3 May 2026",
"1,200", "3.5–5" and "2 years 5 months" read the same everywhere and follow the system's
locale (through Babel): "3 May 2026" in Britain, "May 3, 2026" in the US, "3. Mai 2026" in
Germany. Dates always carry the month as a word, so they are unambiguous in every country.

No Qt here: record/, content/ and reports/ use it as well as the UI. Parsing is lenient
(odd stored text gives None or is shown as it is), because showing a record must never fail.
"""

from __future__ import annotations

import math
import os
import re
from datetime import date, datetime, time
from functools import cache, lru_cache
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_skeleton, format_time
from babel.numbers import format_decimal, get_decimal_symbol

from nbcompanion.i18n import _, ngettext

#: The locale used when the system names none (C/POSIX): the app's own house style.
FALLBACK_LOCALE = "en_GB"

_locale_override: str | None = None

#: Directions of change, in words and arrows — never "better" or "worse".
TREND_ARROWS = {"up": "↑", "down": "↓", "same": "→"}


def system_locale_name() -> str:
    """The locale the system asks for dates and numbers (LC_ALL, LC_TIME, LANG)."""
    for name in ("LC_ALL", "LC_TIME", "LC_NUMERIC", "LANG"):
        value = os.environ.get(name, "")
        if value:
            code = value.split(".")[0].split("@")[0]
            if code and code not in ("C", "POSIX"):
                return code
    return FALLBACK_LOCALE


def set_locale(name: str | None) -> None:
    """Write dates and numbers for ``name`` ("de_DE"); None returns to the system's locale."""
    global _locale_override
    _locale_override = name
    current_locale.cache_clear()


@cache
def current_locale() -> Locale:
    """The Babel locale all wording follows (the fallback when the system's is unknown)."""
    name = _locale_override or system_locale_name()
    try:
        return Locale.parse(name)
    except (UnknownLocaleError, ValueError):
        return Locale.parse(FALLBACK_LOCALE)


# --- reading what the record stores -------------------------------------------------------

def to_datetime(value: Any) -> datetime | None:
    """A stored ISO date or date-time (or a date/datetime) as a datetime; None when unset or
    unreadable. A bare date means midnight."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime.combine(value, time())
    text = str(value).strip()
    try:
        return datetime.fromisoformat(text[:19])
    except ValueError:
        try:
            return datetime.combine(date.fromisoformat(text[:10]), time())
        except ValueError:
            return None


def to_date(value: Any) -> date | None:
    """The date of a stored ISO date or date-time; None when unset or unreadable."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    moment = to_datetime(value)
    return None if moment is None else moment.date()


def required_date(value: Any) -> date:
    """The date of a stored value that must hold one (a test's date, a chart point).

    Unlike :func:`to_date`, bad input is an error (ValueError), never a silent gap: the
    reports use it where a missing date would misplace a value.
    """
    found = to_date(value)
    if found is None:
        raise ValueError(f"not a date: {value!r}")
    return found


def has_time(value: Any) -> bool:
    """True when a stored moment carries a time of day ("2026-05-03T14:30", a datetime)."""
    if isinstance(value, datetime):
        return True
    text = "" if value is None else str(value)
    return len(text) >= 16 and text[10] in "T "


# --- dates and times ----------------------------------------------------------------------

def day_text(value: Any, *, weekday: bool = False) -> str:
    """"3 May 2026" (with ``weekday``: "Sun, 3 May 2026"); unreadable text as it is; "" when
    unset."""
    day = to_date(value)
    if day is None:
        return "" if value is None else str(value)
    return format_skeleton("yMMMEd" if weekday else "yMMMd", day, locale=current_locale())


def long_day_text(value: Any) -> str:
    """"3 May 2026" with the month written out ("30 December 2025")."""
    day = to_date(value)
    if day is None:
        return "" if value is None else str(value)
    return format_skeleton("yMMMMd", day, locale=current_locale())


def short_day_text(value: Any) -> str:
    """"3 May" — a day in the current year, for axes and compact lists."""
    day = to_date(value)
    return "" if day is None else format_skeleton("MMMd", day, locale=current_locale())


def time_text(value: Any) -> str:
    """"14:30" (or "2:30 PM" where the locale says so); "" when there is no time."""
    if isinstance(value, time):
        moment: time | None = value
    else:
        found = to_datetime(value) if has_time(value) else None
        moment = None if found is None else found.time()
    return "" if moment is None else format_time(moment, "short", locale=current_locale())


def when_text(value: Any, *, weekday: bool = True) -> str:
    """"Sun, 3 May 2026, 14:30" for a stored date-time; the date alone when there is no time;
    unreadable text as it is."""
    day = to_date(value)
    if day is None:
        return "" if value is None else str(value)
    shown = day_text(day, weekday=weekday)
    clock = time_text(value)
    return _("{day}, {time}").format(day=shown, time=clock) if clock else shown


def month_name(month: int, *, short: bool = True) -> str:
    """The locale's name of month 1–12 ("May", "Dec" or "December")."""
    names = current_locale().months["stand-alone"]["abbreviated" if short else "wide"]
    return str(names[month])


def month_text(day: date, *, with_year: bool = False) -> str:
    """"Dec" or "Dec 2026" (the locale's order), for chart axes and month headings."""
    return format_skeleton("yMMM" if with_year else "MMM", day, locale=current_locale())


def weekday_name(day: date, *, short: bool = True) -> str:
    """"Thu" or "Thursday"."""
    return format_skeleton("EEE" if short else "EEEE", day, locale=current_locale())


def timestamp_text(moment: datetime) -> str:
    """"Thursday, 3 December 2026, 14:30" — a moment named in full (backups, restores)."""
    day = format_skeleton("yMMMMEEEEd", moment, locale=current_locale())
    return _("{day}, {time}").format(day=day, time=time_text(moment.time()))


# --- numbers, units and ranges ------------------------------------------------------------

def number_text(value: float | int | None, *, significant: int = 6) -> str:
    """A value as recorded, without float noise: "12.5", "0.04", "1,200" (the locale's
    separators); "" when unset.

    Large values are grouped from 10,000 on; "1200" is left alone, as labs print it.
    """
    if value is None:
        return ""
    number = float(value)
    if math.isnan(number) or math.isinf(number):
        return str(value)
    # + 0.0 turns -0.0 into 0.0, which the cache below treats as one number anyway.
    return _number_text(number + 0.0, significant, current_locale())


# A ten-year record prints some 240,000 numbers in its full-record PDF, but only a few
# thousand distinct ones (ranges repeat, values recur), and Babel's formatting is the
# slow part: remembered per locale, the PDF's numbers cost a tenth of the time.
@lru_cache(maxsize=65536)
def _number_text(number: float, significant: int, locale: Locale) -> str:
    digits = 0
    if number != 0:
        digits = max(significant - math.floor(math.log10(abs(number))) - 1, 0)
        number = round(number, digits)
    decimals = 0 if number.is_integer() else min(digits, 15)
    pattern = ("#,##0" if abs(number) >= 10000 else "0") + ("." + "#" * decimals if decimals
                                                             else "")
    return format_decimal(number, format=pattern, locale=locale)


def tick_text(value: float) -> str:
    """A chart tick: 3–4 significant digits, grouped from 100 on ("1,200", "2.5", "0.04")."""
    if value == 0:
        return format_decimal(0, locale=current_locale())
    if abs(value) >= 100:
        return format_decimal(round(value), format="#,##0", locale=current_locale())
    return number_text(value, significant=3 if abs(value) < 1 else 4)


def parse_number(text: str | None) -> float | None:
    """A number typed by a family: "1,200", "1 200", "3,5" (where comma is the decimal mark),
    "12.5". None when empty; ValueError when it is not a number."""
    if text is None or not text.strip():
        return None
    cleaned = text.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    decimal = get_decimal_symbol(current_locale())
    if decimal == ",":
        cleaned = cleaned.replace(".", "").replace(",", ".")
    else:
        cleaned = cleaned.replace(",", "")
    cleaned = cleaned.replace("−", "-")
    return float(cleaned)


_SUPERSCRIPTS = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def unit_text(unit: str | None) -> str:
    """A unit as labs print it: "10^9/L" → "10⁹/L", "10*9/L" → "10⁹/L"; "" when unset."""
    if not unit:
        return ""
    text = re.sub(r"\^(-?\d+)", lambda m: m.group(1).translate(_SUPERSCRIPTS), unit)
    return re.sub(r"\b10\*(-?\d+)", lambda m: "10" + m.group(1).translate(_SUPERSCRIPTS), text)


def value_text(value: float | None, unit: str | None = None) -> str:
    """"12.5 mg/L" (the unit left out when there is none); "" when unset."""
    shown = number_text(value)
    if not shown:
        return ""
    return f"{shown} {unit_text(unit)}" if unit else shown


def range_text(low: float | None, high: float | None, unit: str | None = None) -> str:
    """The lab's range as the lab printed it: "3.5–5", "up to 7", "from 2", or ""."""
    lo, hi = number_text(low), number_text(high)
    if lo and hi:
        text = f"{lo}–{hi}"
    elif hi:
        text = _("up to {high}").format(high=hi)
    elif lo:
        text = _("from {low}").format(low=lo)
    else:
        return ""
    return f"{text} {unit_text(unit)}" if unit else text


def outside_range(value: float | None, low: float | None, high: float | None) -> bool:
    """True when ``value`` lies outside the lab's own range (never a judgement of the value)."""
    if value is None:
        return False
    return (low is not None and value < low) or (high is not None and value > high)


def count_text(count: int, singular: str, plural: str) -> str:
    """"1 entry" / "3 entries" — ``singular``/``plural`` hold ``{count}`` and are translated
    with the plural rules of the language."""
    return ngettext(singular, plural, count).format(count=format_decimal(
        count, locale=current_locale()))


# --- ages and durations -------------------------------------------------------------------

def _months_between(start: date, end: date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return months


def age_text(birth: Any, on: date) -> str:
    """An age in words: "2 years 5 months", "7 months", "12 days"; "" if unknown."""
    born = to_date(birth)
    if born is None or on < born:
        return ""
    years, months = divmod(_months_between(born, on), 12)
    if years >= 2:
        text = ngettext("{count} year", "{count} years", years).format(count=years)
        if months:
            text = _("{years} {months}").format(years=text, months=ngettext(
                "{count} month", "{count} months", months).format(count=months))
        return text
    total = years * 12 + months
    if total >= 1:
        return ngettext("{count} month", "{count} months", total).format(count=total)
    days = (on - born).days
    return ngettext("{count} day", "{count} days", days).format(count=days)


def days_text(days: int) -> str:
    """"1 day", "12 days"."""
    return ngettext("{count} day", "{count} days", days).format(count=days)


def duration_text(start: Any, end: Any) -> str:
    """How long from ``start`` to ``end`` (dates), counting both days: "1 day", "3 weeks",
    "5 months"; "" when either is unknown or ``end`` is before ``start``."""
    first, last = to_date(start), to_date(end)
    if first is None or last is None or last < first:
        return ""
    days = (last - first).days + 1
    if days < 14:
        return days_text(days)
    if days < 70:
        weeks = days // 7
        return ngettext("{count} week", "{count} weeks", weeks).format(count=weeks)
    months = max(_months_between(first, last), 1)
    if months < 24:
        return ngettext("{count} month", "{count} months", months).format(count=months)
    years = months // 12
    return ngettext("{count} year", "{count} years", years).format(count=years)


def day_of_text(number: int) -> str:
    """"Day 12" — the day within a treatment phase."""
    return _("Day {number}").format(number=number)
