"""The registry of per-table rules and the small helpers rules use to report problems.

:mod:`nbcompanion.record.rules` registers one rule per table here; :mod:`validation` runs
them. Kept apart so the rules and the runner import this and never each other in a circle.
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


def rule(table: str) -> Callable[[Rule], Rule]:
    """Register the rule function for ``table``."""
    def register(function: Rule) -> Rule:
        RULES[table] = function
        return function

    return register


def require(errors: dict[str, str], values: dict[str, Any], field: str, message: str) -> None:
    """Add ``message`` for ``field`` when it is missing or blank."""
    value = values.get(field)
    if value is None or (isinstance(value, str) and not value.strip()):
        errors[field] = message


def raise_if(errors: dict[str, str]) -> None:
    """Raise ValidationError when any field has a message."""
    if errors:
        raise ValidationError(errors)
