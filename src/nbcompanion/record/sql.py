"""Small pieces every reading and writing module of the record shares (no Qt, no policy)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

Row = dict[str, Any]


def minute(moment: datetime) -> str:
    """A moment as the record stores it, to the minute ("2026-05-03T09:30")."""
    return moment.strftime("%Y-%m-%dT%H:%M")


def page(sql: str, params: list[Any], limit: int | None, offset: int) -> tuple[str, list[Any]]:
    """``sql`` with LIMIT/OFFSET when ``limit`` is given (lists that grow for years)."""
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        params = [*params, limit, offset]
    return sql, params


def inserted_id(last_pk: Any) -> int:
    """The id SQLite gave the row just inserted (sqlite-utils' ``last_pk``)."""
    if last_pk is None:
        raise RuntimeError("the insert gave no row id")
    return int(last_pk)
