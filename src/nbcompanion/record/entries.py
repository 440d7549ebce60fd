"""Saving, reading and deleting entries of any kind, each in one transaction.

Every write goes through :func:`save` (validated first — nothing is written unless all of
the entry is right) or :func:`delete`, which returns a :class:`Snapshot` that
:func:`restore` puts back exactly, ids and links included — the basis of Ctrl+Z.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import Any

from nbcompanion.i18n import _
from nbcompanion.record.errors import NotFoundError, ValidationError
from nbcompanion.record.ids import new_id
from nbcompanion.record.sql import inserted_id
from nbcompanion.record.store import Store, now_iso
from nbcompanion.record.validation import validate

#: Tables that hold entries the family edits (everything but settings and drafts).
ENTRY_TABLES = (
    "child", "test_type", "analyte", "test", "test_value", "phase", "treatment_event", "visit",
    "question", "care_team_member", "diary_entry", "medicine", "dose_log",
)
#: A test's numeric results travel with it as ``values["values"]``: a list of dicts with
#: analyte, value, unit, ref_low, ref_high.
TEST_VALUES_KEY = "values"


def _check_table(table: str) -> None:
    if table not in ENTRY_TABLES:
        raise ValueError(f"{table!r} is not a table of entries")


def _check_id(entry_id: object) -> None:
    # An id that cannot be a row's id (text, bytes, a float...) finds no entry, plainly.
    if not isinstance(entry_id, int) or isinstance(entry_id, bool) or not (
            -2**63 <= entry_id < 2**63):
        raise NotFoundError(_("This entry no longer exists; it may have been deleted."))


def save(store: Store, table: str, values: dict[str, Any], entry_id: int | None = None) -> int:
    """Validate and save one entry; returns its id.

    Raises :class:`~nbcompanion.record.errors.ValidationError` (field → message) before
    anything is written, or a :class:`~nbcompanion.record.errors.StorageError` after the
    transaction was rolled back. With ``entry_id`` only the given columns change.
    """
    _check_table(table)
    if entry_id is not None:
        _check_id(entry_id)
    cleaned = validate(store, table, values, entry_id)
    results = cleaned.pop(TEST_VALUES_KEY, None) if table == "test" else None
    stamp = now_iso()
    try:
        return _write(store, table, cleaned, results, entry_id, stamp)
    except sqlite3.IntegrityError as error:  # a rule let through what the schema forbids
        raise _constraint_error(error) from error


def _constraint_error(error: sqlite3.IntegrityError) -> ValidationError:
    text = str(error)
    field = text.rpartition(".")[2].strip() if "." in text else "entry"
    if text.startswith("UNIQUE"):
        return ValidationError({field: _("This is already in the record.")})
    if "FOREIGN KEY" in text:
        return ValidationError({field: _("This refers to an entry that is no longer in the "
                                       "record.")})
    return ValidationError({field: _("Please check this entry: it cannot be saved as it is.")})


def _write(store: Store, table: str, cleaned: dict[str, Any], results: Any,
           entry_id: int | None, stamp: str) -> int:
    with store.transaction() as db:
        has_timestamps = "updated_at" in db[table].columns_dict
        if entry_id is None:
            if has_timestamps:
                cleaned.setdefault("created_at", stamp)
                cleaned["updated_at"] = stamp
            elif "created_at" in db[table].columns_dict:
                cleaned.setdefault("created_at", stamp)
            shared_id = new_id(store.conn, table)
            if shared_id is not None:
                cleaned["id"] = shared_id
            entry_id = inserted_id(db.table(table).insert(cleaned).last_pk)
        else:
            if db.execute(f"SELECT 1 FROM [{table}] WHERE id = ?", [entry_id]).fetchone() is None:
                raise NotFoundError(_("This entry no longer exists; it may have been deleted."))
            if has_timestamps:
                cleaned["updated_at"] = stamp
            if cleaned:
                db.table(table).update(entry_id, cleaned)
        if results is not None:
            _save_values(store, entry_id, results)
    return entry_id


def _save_values(store: Store, test_id: int, results: list[dict[str, Any]]) -> None:
    """Make a test's values the given ones, keeping each value's row (and id) where it can.

    A value keeps its row when its analyte stays, so another laptop's edit of the same
    test meets the same rows instead of a new copy of every value.
    """
    db = store.db
    existing = store.execute(
        "SELECT id, analyte FROM test_value WHERE test_id = ? ORDER BY id", [test_id]).fetchall()
    free: dict[str, list[int]] = {}
    for value_id, analyte in existing:
        free.setdefault(analyte, []).append(value_id)
    kept: set[int] = set()
    for row in results:
        ids = free.get(str(row.get("analyte")), [])
        if ids:
            value_id = ids.pop(0)
            kept.add(value_id)
            changed = {k: v for k, v in row.items() if k != "id"}
            db.table("test_value").update(value_id, changed)
        else:
            values = {**row, "test_id": test_id}
            shared_id = new_id(store.conn, "test_value")
            if shared_id is not None:
                values["id"] = shared_id
            db.table("test_value").insert(values)
    gone = [value_id for value_id, _ in existing if value_id not in kept]
    if gone:
        db.execute(f"DELETE FROM test_value WHERE id IN ({','.join('?' * len(gone))})", gone)


def get(store: Store, table: str, entry_id: int) -> dict[str, Any]:
    """One entry as a dict; a test carries its results under ``"values"``."""
    _check_table(table)
    _check_id(entry_id)
    row = store.execute(f"SELECT * FROM [{table}] WHERE id = ?", [entry_id]).fetchone()
    if row is None:
        raise NotFoundError(_("This entry no longer exists; it may have been deleted."))
    columns = [d[0] for d in store.execute(f"SELECT * FROM [{table}] LIMIT 0").description]
    entry = dict(zip(columns, row, strict=True))
    if table == "test":
        entry[TEST_VALUES_KEY] = store.query(
            "SELECT analyte, value, unit, ref_low, ref_high FROM test_value WHERE test_id = ? "
            "ORDER BY id", [entry_id])
    return entry


@dataclass
class Snapshot:
    """Everything one delete removed or unlinked, to put back on undo.

    ``rows`` are (table, row) in an order that restores parents before children;
    ``unlinked`` are (table, id, column, old value) for ON DELETE SET NULL links.
    """

    table: str
    entry_id: int
    rows: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    unlinked: list[tuple[str, int, str, Any]] = field(default_factory=list)


def _references(store: Store) -> dict[str, list[tuple[str, str, str]]]:
    """For each table, the (child table, column, on_delete) foreign keys pointing at it."""
    found: dict[str, list[tuple[str, str, str]]] = {}
    for name in store.table_names():
        for fk in store.execute(f"PRAGMA foreign_key_list([{name}])").fetchall():
            # (id, seq, table, from, to, on_update, on_delete, match)
            found.setdefault(fk[2], []).append((name, fk[3], fk[6].upper()))
    return found


def _collect(store: Store, table: str, ids: list[int], snapshot: Snapshot,
             refs: dict[str, list[tuple[str, str, str]]]) -> None:
    if not ids:
        return
    seen = {(name, row["id"]) for name, row in snapshot.rows}
    ids = [i for i in ids if (table, i) not in seen]
    if not ids:
        return
    marks = ",".join("?" * len(ids))
    snapshot.rows.extend(
        (table, row) for row in store.query(f"SELECT * FROM [{table}] WHERE id IN ({marks})", ids))
    for child, column, on_delete in refs.get(table, []):
        if on_delete == "CASCADE":
            child_ids = [r[0] for r in store.execute(
                f"SELECT id FROM [{child}] WHERE [{column}] IN ({marks})", ids).fetchall()]
            _collect(store, child, child_ids, snapshot, refs)
        elif on_delete == "SET NULL":
            snapshot.unlinked.extend(
                (child, r[0], column, r[1]) for r in store.execute(
                    f"SELECT id, [{column}] FROM [{child}] WHERE [{column}] IN ({marks})", ids))


def delete(store: Store, table: str, entry_id: int) -> Snapshot:
    """Delete one entry (and what cascades from it); returns what :func:`restore` needs."""
    _check_table(table)
    _check_id(entry_id)
    snapshot = Snapshot(table, entry_id)
    with store.transaction() as db:
        _collect(store, table, [entry_id], snapshot, _references(store))
        if not snapshot.rows:
            raise NotFoundError(_("This entry no longer exists; it may have been deleted."))
        db.execute(f"DELETE FROM [{table}] WHERE id = ?", [entry_id])
    return snapshot


def restore(store: Store, snapshot: Snapshot) -> None:
    """Put back exactly what :func:`delete` removed, with the same ids and links."""
    with store.transaction() as db:
        # Rows may point at each other in any order (an event at its phase); check at COMMIT.
        db.execute("PRAGMA defer_foreign_keys = ON")
        for table, row in snapshot.rows:
            db.table(table).insert(row)
        for table, row_id, column, value in snapshot.unlinked:
            db.execute(f"UPDATE [{table}] SET [{column}] = ? WHERE id = ?", [value, row_id])
