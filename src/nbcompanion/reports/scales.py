"""Axis scales for the trend chart: round value ticks, month/year date ticks, short labels."""

from __future__ import annotations

import math
from datetime import date, timedelta

from nbcompanion import wording


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values (1, 2, 2.5 or 5 × 10^n steps) covering ``low``..``high``."""
    if not (math.isfinite(low) and math.isfinite(high)):
        return [0.0, 1.0]
    if high <= low:
        pad = abs(low) * 0.1 or 1.0
        low, high = low - pad, high + pad
    raw = (high - low) / max(count - 1, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.floor(low / step) * step
    ticks: list[float] = []
    value = first
    while value <= high + step * 0.5 and len(ticks) < 50:
        ticks.append(round(value, 10))
        value += step
    if ticks[-1] < high:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def format_number(value: float) -> str:
    """A tick or value label without needless decimals (1,200, 2.5, 0.04), in the locale."""
    return wording.tick_text(value)


def date_ticks(start: date, end: date, max_ticks: int) -> tuple[list[date], str]:
    """Dates on month (or year) boundaries for the axis, and "day"/"month"/"year" labelling."""
    span = max((end - start).days, 1)
    if span <= 21:
        step = max(1, math.ceil(span / max(max_ticks - 1, 1)))
        return [start + timedelta(days=i) for i in range(0, span + 1, step)], "day"
    months = span / 30.44
    for step in (1, 2, 3, 6, 12, 24, 60):
        if months / step <= max_ticks - 1:
            break
    if step >= 12:
        years = step // 12
        first = start.year + (1 if (start.month, start.day) != (1, 1) else 0)
        first += (-first) % years
        return [date(y, 1, 1) for y in range(first, end.year + 1, years)], "year"
    ticks: list[date] = []
    year, month = start.year, start.month
    if start.day != 1:
        month += 1
    while True:
        year += (month - 1) // 12
        month = (month - 1) % 12 + 1
        current = date(year, month, 1)
        if current > end:
            break
        if (month - 1) % step == 0:
            ticks.append(current)
        month += 1
    return ticks, "month"


def date_label(day: date, mode: str, first: bool) -> str:
    """An axis label: "3 May" (days), "May 2026" at the first tick and January, else "May"
    (months), "2026" (years) — in the locale's words."""
    if mode == "day":
        return wording.short_day_text(day)
    if mode == "year":
        return str(day.year)
    return wording.month_text(day, with_year=first or day.month == 1)
