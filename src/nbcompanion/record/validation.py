"""Checking an entry before it is saved: one rule function per table.

A rule receives the store, the proposed values (only known columns kept) and the id being
edited (None for a new entry), and returns the cleaned values or raises
:class:`~nbcompanion.record.errors.ValidationError` mapping each bad field to a message
for beside that field. Every message is plain English a tired parent can act on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nbcompanion.record.errors import ValidationError
from nbcompanion.record.store import Store

#: Longest text one field may hold; a 100 KB paste gets a message instead of being cut.
MAX_TEXT = 20_000

Rule = Callable[[Store, dict[str, Any], "int | None"], dict[str, Any]]
RULES: dict[str, Rule] = {}

#: Keys that are not columns but travel with an entry (a test's numeric results).
EXTRA_KEYS = {"test": {"values"}}


def rule(table: str) -> Callable[[Rule], Rule]:
    """Register the rule function for ``table``."""
    def register(function: Rule) -> Rule:
        RULES[table] = function
        return function

    return register


def validate(
    store: Store, table: str, values: dict[str, Any], entry_id: int | None
) -> dict[str, Any]:
    """Cleaned values for ``table``, or ValidationError; unknown keys are refused."""
    columns = set(store.db[table].columns_dict) - {"id"}
    unknown = set(values) - columns - EXTRA_KEYS.get(table, set())
    if unknown:
        raise ValueError(f"unknown fields for {table}: {sorted(unknown)}")
    cleaned = dict(values)
    if table in RULES:
        cleaned = RULES[table](store, cleaned, entry_id)
    return cleaned


def require(errors: dict[str, str], values: dict[str, Any], field: str, message: str) -> None:
    """Add ``message`` for ``field`` when it is missing or blank."""
    value = values.get(field)
    if value is None or (isinstance(value, str) and not value.strip()):
        errors[field] = message


def raise_if(errors: dict[str, str]) -> None:
    """Raise ValidationError when any field has a message."""
    if errors:
        raise ValidationError(errors)


# The rules register themselves on import; they live in their own module for length.
from nbcompanion.record import rules  # noqa: E402, F401
