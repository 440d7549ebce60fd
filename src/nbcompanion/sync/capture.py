"""The record's side of sharing: noting local edits, and writing merged rows back.

Triggers on every table of entries note *which* row and columns changed, inside the very
transaction that changed them (so an edit and its note commit together or not at all).
Values are read from the row itself when the sync round runs, so nothing is rounded on
the way. Rows written by the sync round itself are not noted: it marks its own
transaction in ``sync_applying``.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

#: Tables that stay on each laptop: settings (the active child, paper size), drafts.
LOCAL_TABLES = frozenset({"setting", "draft"})

_SETUP = """
CREATE TABLE IF NOT EXISTS sync_change (
    id INTEGER PRIMARY KEY,
    tbl TEXT NOT NULL,
    row_id INTEGER NOT NULL,
    op TEXT NOT NULL CHECK (op IN ('i', 'u', 'd')),
    columns TEXT
);
CREATE TABLE IF NOT EXISTS sync_applying (flag INTEGER);
CREATE TABLE IF NOT EXISTS sync_conflict (
    key TEXT PRIMARY KEY,
    tbl TEXT NOT NULL,
    row_id INTEGER NOT NULL,
    field TEXT NOT NULL,
    writes TEXT NOT NULL
);
"""


def shared_tables(conn: sqlite3.Connection) -> dict[str, list[str]]:
    """Each table of entries (an ``id INTEGER PRIMARY KEY``) → its columns."""
    found: dict[str, list[str]] = {}
    names = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND name NOT LIKE 'sync_%' ORDER BY name")]
    for name in names:
        if name in LOCAL_TABLES:
            continue
        info = conn.execute(f"PRAGMA table_info([{name}])").fetchall()
        # (cid, name, type, notnull, default, pk)
        if any(c[1] == "id" and c[5] == 1 and c[2].upper() == "INTEGER" for c in info):
            found[name] = [c[1] for c in info]
    return found


def parents_first(conn: sqlite3.Connection, tables: list[str]) -> list[str]:
    """``tables`` ordered so that a table comes after every table it points at."""
    refs = {t: {fk[2] for fk in conn.execute(f"PRAGMA foreign_key_list([{t}])")} - {t}
            for t in tables}
    ordered: list[str] = []
    while refs:
        ready = sorted(t for t, parents in refs.items() if not parents & set(refs))
        if not ready:  # a cycle: keep the rest in name order (deferred keys cope)
            ready = sorted(refs)
        ordered.extend(ready)
        for t in ready:
            refs.pop(t)
    return ordered


def install(conn: sqlite3.Connection) -> None:
    """Create the sync tables and (re)create the triggers for the current columns.

    Run at the start of every round, so a newer app version's added columns are noted too.
    """
    for statement in _SETUP.split(";"):
        if statement.strip():
            conn.execute(statement)
    existing = {r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'sync_%'")}
    wanted: dict[str, str] = {}
    quiet = "NOT EXISTS (SELECT 1 FROM sync_applying)"
    for table, columns in shared_tables(conn).items():
        changed = ", ".join(f"CASE WHEN OLD.[{c}] IS NOT NEW.[{c}] THEN '{c}' END"
                            for c in columns if c != "id")
        signature = f"/* {','.join(columns)} */"
        wanted[f"sync_{table}_i"] = (
            f"CREATE TRIGGER [sync_{table}_i] AFTER INSERT ON [{table}] WHEN {quiet} "
            f"BEGIN {signature} INSERT INTO sync_change (tbl, row_id, op) "
            f"VALUES ('{table}', NEW.id, 'i'); END")
        wanted[f"sync_{table}_u"] = (
            f"CREATE TRIGGER [sync_{table}_u] AFTER UPDATE ON [{table}] WHEN {quiet} "
            f"BEGIN INSERT INTO sync_change (tbl, row_id, op, columns) "
            f"VALUES ('{table}', NEW.id, 'u', json_array({changed})); END")
        wanted[f"sync_{table}_d"] = (
            f"CREATE TRIGGER [sync_{table}_d] AFTER DELETE ON [{table}] WHEN {quiet} "
            f"BEGIN INSERT INTO sync_change (tbl, row_id, op) "
            f"VALUES ('{table}', OLD.id, 'd'); END")
    current = {r[0]: r[1] for r in conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'sync_%'")}
    for table, columns in shared_tables(conn).items():
        _note_new_columns(conn, table, columns, current.get(f"sync_{table}_i"))
    for name in existing - set(wanted):
        conn.execute(f"DROP TRIGGER [{name}]")
    for name, sql in wanted.items():
        if current.get(name) != sql:
            conn.execute(f"DROP TRIGGER IF EXISTS [{name}]")
            conn.execute(sql)


def _note_new_columns(conn: sqlite3.Connection, table: str, columns: list[str],
                      old_trigger: str | None) -> None:
    """Note the values of columns a newer app version added since the triggers were made.

    The migration that added them ran before this round could renew the triggers, so
    whatever it (or the family) wrote there would otherwise never be shared.
    """
    if old_trigger is None or "/* " not in old_trigger:
        return
    known = old_trigger.split("/* ", 1)[1].split(" */", 1)[0].split(",")
    added = [c for c in columns if c not in known]
    if not added:
        return
    any_value = " OR ".join(f"[{c}] IS NOT NULL" for c in added)
    conn.execute(f"INSERT INTO sync_change (tbl, row_id, op, columns) "
                 f"SELECT ?, id, 'u', ? FROM [{table}] WHERE {any_value}",
                 [table, json.dumps(added)])


def uninstall(conn: sqlite3.Connection) -> None:
    """Remove the triggers and sync tables (Stop sharing)."""
    for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'sync_%'"
    ).fetchall():
        conn.execute(f"DROP TRIGGER [{name}]")
    for table in ("sync_change", "sync_applying", "sync_conflict"):
        conn.execute(f"DROP TABLE IF EXISTS [{table}]")


def pending(conn: sqlite3.Connection) -> tuple[int, dict[str, dict[str, Any] | None], set[str]]:
    """Local edits not yet shared: (last change id, row key → changed columns or None, new).

    A key maps to None when the row is gone (deleted); ``new`` holds rows created here.
    """
    from nbcompanion.sync.document import DELETED, row_key

    tables = shared_tables(conn)
    last = 0
    touched: dict[str, set[str] | None] = {}
    created: set[str] = set()
    for change_id, table, row_id, op, columns in conn.execute(
            "SELECT id, tbl, row_id, op, columns FROM sync_change ORDER BY id"):
        last = change_id
        if table not in tables:
            continue
        key = row_key(table, row_id)
        if op == "i":
            created.add(key)
            touched[key] = set(tables[table])
        elif op == "u":
            changed: set[str] = {c for c in json.loads(columns or "[]") if c}
            touched[key] = (touched.get(key) or set()) | changed
        else:
            touched[key] = None
    edits: dict[str, dict[str, Any] | None] = {}
    for key, names in touched.items():
        table, row_id = key.rsplit(":", 1)
        row = _read_row(conn, table, int(row_id))
        if row is None:
            edits[key] = None
            created.discard(key)
        elif names:
            columns_now = {c: row[c] for c in sorted(names) if c in row}
            if DELETED in names:  # "keep it" after a delete on another laptop
                columns_now[DELETED] = False
            edits[key] = columns_now
    return last, edits, created


def _read_row(conn: sqlite3.Connection, table: str, row_id: int) -> dict[str, Any] | None:
    cursor = conn.execute(f"SELECT * FROM [{table}] WHERE id = ?", [row_id])
    row = cursor.fetchone()
    if row is None:
        return None
    return dict(zip([d[0] for d in cursor.description], row, strict=True))


def all_rows(conn: sqlite3.Connection) -> list[tuple[str, dict[str, Any]]]:
    """Every row of every shared table, as (row key, columns)."""
    from nbcompanion.sync.document import row_key

    found: list[tuple[str, dict[str, Any]]] = []
    for table in shared_tables(conn):
        cursor = conn.execute(f"SELECT * FROM [{table}]")
        names = [d[0] for d in cursor.description]
        found.extend((row_key(table, row[0] if names[0] == "id" else row[names.index("id")]),
                      dict(zip(names, row, strict=True))) for row in cursor)
    return found


def all_keys(conn: sqlite3.Connection) -> set[str]:
    """The key of every row of every shared table."""
    from nbcompanion.sync.document import row_key

    return {row_key(table, row_id) for table in shared_tables(conn)
            for (row_id,) in conn.execute(f"SELECT id FROM [{table}]")}


def clear_pending(conn: sqlite3.Connection, up_to: int) -> None:
    """Forget the notes of edits that are now in the shared document."""
    conn.execute("DELETE FROM sync_change WHERE id <= ?", [up_to])


def later_edits(conn: sqlite3.Connection, after: int) -> dict[str, set[str] | None]:
    """Rows edited here while the round ran (after change ``after``): not to be overwritten."""
    from nbcompanion.sync.document import row_key

    found: dict[str, set[str] | None] = {}
    for table, row_id, op, columns in conn.execute(
            "SELECT tbl, row_id, op, columns FROM sync_change WHERE id > ?", [after]):
        key = row_key(table, row_id)
        if op == "u" and found.get(key, set()) is not None:
            found[key] = (found.get(key) or set()) | {c for c in json.loads(columns or "[]") if c}
        else:
            found[key] = None
    return found


def note_decision(conn: sqlite3.Connection, table: str, row_id: int, column: str) -> None:
    """Note a field as edited even when its value did not change (settling a conflict)."""
    conn.execute("INSERT INTO sync_change (tbl, row_id, op, columns) VALUES (?, ?, 'u', ?)",
                 [table, row_id, json.dumps([column])])
