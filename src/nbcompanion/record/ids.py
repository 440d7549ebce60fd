"""Ids for new entries: the next number, or a random one once the record is shared.

Two laptops that share a record create entries without meeting, so their ids must never
collide: a random 62-bit integer fits the existing INTEGER PRIMARY KEY, keeps every foreign
key and ``entry_id: int`` as they are, and makes a collision vanishingly unlikely.
"""

from __future__ import annotations

import sqlite3

#: The setting that holds the shared folder; present only while the record is shared.
SHARED_SETTING = "sync.folder"
ID_BITS = 62


def is_shared(conn: sqlite3.Connection) -> bool:
    """Whether this record is shared with other laptops."""
    try:
        row = conn.execute("SELECT 1 FROM setting WHERE key = ?", [SHARED_SETTING]).fetchone()
    except sqlite3.OperationalError:
        return False
    return row is not None


def random_id(conn: sqlite3.Connection, table: str) -> int:
    """A random id that no row of ``table`` has, and no other laptop will pick."""
    import secrets  # hashlib, hmac, random…: only a shared record needs them

    while True:
        candidate = secrets.randbits(ID_BITS) or 1
        if conn.execute(f"SELECT 1 FROM [{table}] WHERE id = ?", [candidate]).fetchone() is None:
            return candidate


def new_id(conn: sqlite3.Connection, table: str) -> int | None:
    """The id to give a new row: random when shared, else None (SQLite's next number)."""
    return random_id(conn, table) if is_shared(conn) else None
