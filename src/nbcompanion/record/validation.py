"""Checking an entry before it is saved: one rule function per table.

A rule receives the store, the proposed values (only known columns kept) and the id being
edited (None for a new entry), and returns the cleaned values or raises
:class:`~nbcompanion.record.errors.ValidationError` mapping each bad field to a message
for beside that field. Every message is plain English a tired parent can act on.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from nbcompanion.i18n import _
from nbcompanion.record import rules  # noqa: F401 — registers every table's rule
from nbcompanion.record.checks import (  # noqa: F401 — MAX_TEXT and rule stay importable here
    MAX_TEXT,
    RULES,
    raise_if,
    require,
    rule,
)
from nbcompanion.record.dates import iso_text, normalise_zone, parse_datetime
from nbcompanion.record.store import Store

#: Date-time columns no rule looks at (the rules check the dates a family types).
MOMENT_FIELDS = frozenset({"created_at", "updated_at", "due_at"})

#: Keys that are not columns but travel with an entry (a test's numeric results).
EXTRA_KEYS = {"test": {"values"}}


def validate(
    store: Store, table: str, values: dict[str, Any], entry_id: int | None
) -> dict[str, Any]:
    """Cleaned values for ``table``, or ValidationError; unknown keys are refused.

    Before the table's rule runs, every value must be of a kind the column can keep: text
    for text, a whole number for ids, an ordinary (finite) number for measurements. Dates
    and date-times may also be given as ``date``/``datetime``; times with a time zone are
    kept as the same moment in local time.
    """
    if not isinstance(values, dict):
        raise TypeError(f"values must be a dict, not {type(values).__name__}")
    kinds = store.db[table].columns_dict
    columns = set(kinds) - {"id"}
    unknown = set(values) - columns - EXTRA_KEYS.get(table, set())
    if unknown:
        raise ValueError(f"unknown fields for {table}: {sorted(unknown, key=str)}")
    cleaned = dict(values)
    errors: dict[str, str] = {}
    for field, value in values.items():
        if field in EXTRA_KEYS.get(table, set()):
            if not isinstance(value, list | tuple) or not all(
                    isinstance(row, dict) for row in value):
                errors[field] = _("These values could not be read; please enter them again.")
            continue
        problem, kept = check_kind(kinds[field], value)
        if not problem and field in MOMENT_FIELDS and kept is not None:
            try:
                parse_datetime(kept)
            except ValueError:
                problem = "Please enter a date and time like 2026-03-14 09:30."
        if problem:
            errors[field] = problem
        else:
            cleaned[field] = kept
    raise_if(errors)
    for stamp in ("created_at", "updated_at"):
        if stamp in cleaned and cleaned[stamp] is None:
            del cleaned[stamp]  # the app sets these itself
    if table in RULES:
        cleaned = RULES[table](store, cleaned, entry_id)
    required = {c.name for c in store.db[table].columns
                if c.notnull and c.default_value is None and c.name != "id"}
    required -= {"created_at", "updated_at"}
    raise_if({field: "Please fill this in." for field in sorted(required)
              if (field in cleaned or entry_id is None) and cleaned.get(field) is None})
    return cleaned


#: The largest whole number SQLite keeps.
_INT_LIMIT = 2**63


def check_kind(kind: type, value: Any) -> tuple[str, Any]:
    """("", value to keep) when ``value`` suits a column of Python type ``kind``; else
    (message for beside the field, None)."""
    if value is None:
        return "", None
    if kind is str:
        if isinstance(value, date):  # date or datetime
            return "", iso_text(value)
        if not isinstance(value, str):
            return "This could not be read as text. Please type it again.", None
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return "This contains characters that cannot be saved. Please type it again.", None
        return "", normalise_zone(value)
    if kind is int:
        if not isinstance(value, int):
            return "This must be a whole number.", None
        if not -_INT_LIMIT <= value < _INT_LIMIT:
            return "This number is far too large. Please check it.", None
        return "", int(value)
    if kind is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return "This must be a number, like 38.5.", None
        try:
            number = float(value)
        except OverflowError:
            number = math.inf
        if not math.isfinite(number):
            return "This must be an ordinary number (not “infinity” or “not a number”).", None
        return "", number
    return "", value


