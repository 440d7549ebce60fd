"""Drafts: what a parent was typing, kept until it is saved or discarded on purpose.

Losing typed text is the most resented failure of diary apps, so an unsaved entry lives in
the ``draft`` table until it is saved or the user chooses to discard it.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from nbcompanion.record.errors import RecordError
from nbcompanion.record.store import Store, now_iso


def save_draft(store: Store, key: str, body: dict[str, Any]) -> bool:
    """Keep ``body`` under ``key``; False when the disk refused (the text stays on screen)."""
    try:
        with store.transaction() as db:
            db.table("draft").upsert(
                {"key": key, "body": json.dumps(body), "updated_at": now_iso()}, pk="key")
    except (RecordError, sqlite3.Error):
        return False
    return True


def load_draft(store: Store, key: str) -> dict[str, Any] | None:
    """The draft kept under ``key``, if any."""
    row = store.execute("SELECT body FROM draft WHERE key = ?", [key]).fetchone()
    if row is None:
        return None
    try:
        body = json.loads(row[0])
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def clear_draft(store: Store, key: str) -> None:
    """Forget the draft under ``key`` (after a save, or when the user discards it)."""
    if store.read_only:  # nothing could have been kept; nothing to forget
        return
    with store.transaction() as db:
        db.execute("DELETE FROM draft WHERE key = ?", [key])
