"""Adding the reviewed results to the record in one transaction, and taking them out again.

Rows of one report (or of one day, when the lab sent loose results) and one kind of test
become one test of the record, "result received", with its values and written results.
Every value and written result keeps where it came from (file, time, FHIR resource id) in
``result_source``, so the same file brought in again adds nothing. :func:`remove_import`
takes a whole import out (Ctrl+Z) and :func:`restore_import` puts it back exactly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from nbcompanion.fhir.review import (
    CHOICE_PREFIX,
    OTHER,
    OTHER_TYPE_NAME,
    ReviewPlan,
    ReviewRow,
    written_line,
)
from nbcompanion.record.errors import ValidationError
from nbcompanion.record.ids import new_id
from nbcompanion.record.store import Store, now_iso

#: Tables an import writes, parents first (the order :func:`restore_import` inserts in).
IMPORT_TABLES = ("test_type", "test", "test_value", "result_source")


@dataclass
class ImportOutcome:
    """What one import added (enough to take it out again)."""

    file_name: str
    imported_at: str
    test_ids: list[int] = field(default_factory=list)
    created_type_ids: list[int] = field(default_factory=list)
    values: int = 0
    written: int = 0

    @property
    def results(self) -> int:
        """Values and written results added."""
        return self.values + self.written


@dataclass
class ImportSnapshot:
    """The rows an import added, to put back on redo (table → rows)."""

    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def _other_type(store: Store, created: list[int]) -> int:
    row = store.execute("SELECT id FROM test_type WHERE name = ? COLLATE NOCASE",
                        [OTHER_TYPE_NAME]).fetchone()
    if row is not None:
        return int(row[0])
    position = store.execute("SELECT COALESCE(MAX(position), 0) + 1 FROM test_type").fetchone()[0]
    type_id = int(store.db.execute(
        "INSERT INTO test_type (id, name, category, topic, builtin, position) "
        "VALUES (?, ?, 'lab', NULL, 0, ?)",
        [new_id(store.conn, "test_type"), OTHER_TYPE_NAME, position]).lastrowid or 0)
    created.append(type_id)
    return type_id


def _unit(store: Store, analyte: str, text: str | None
          ) -> tuple[str | None, str | None, float | None]:
    """The unit as the record keeps it (a UCUM code) with its family and factor.

    A unit the app cannot read is kept as the file gave it, with no family, and shows
    under "Check these units" like any other.
    """
    from nbcompanion.record import units
    from nbcompanion.record.rules import unit_place

    if not text:
        return None, None, None
    try:
        code = units.parse_unit(text)
        family, factor = unit_place(store, analyte, code)
    except units.UnitError:
        return text, None, None
    return code, family, factor


def _group_key(row: ReviewRow, type_id: int) -> tuple[Any, ...]:
    return (row.found.day, type_id, row.found.report_key or "")


def apply_import(store: Store, plan: ReviewPlan, *, file_name: str | None = None,
                 when: datetime | None = None) -> ImportOutcome:
    """Write the ticked, addable rows of ``plan`` in one transaction.

    Raises :class:`ValidationError` before anything is written when a ticked row has no
    test kind yet; a storage error rolls everything back (nothing half-written).
    """
    rows = plan.chosen_rows()
    missing = sorted({r.analyte for r in rows if plan.type_for(r) is None})
    if missing:
        raise ValidationError({"choices": "Please choose which test these results belong to: "
                                          + ", ".join(missing) + "."})
    stamp = (when or datetime.now()).isoformat(timespec="seconds")
    name = file_name or plan.findings.file_name
    outcome = ImportOutcome(name, stamp)
    with store.transaction() as db:
        other: int | None = None
        groups: dict[tuple[Any, ...], list[ReviewRow]] = {}
        for row in rows:
            type_id = plan.type_for(row)
            if type_id == OTHER:
                if other is None:
                    other = _other_type(store, outcome.created_type_ids)
                type_id = other
            assert type_id is not None
            groups.setdefault(_group_key(row, type_id), []).append(row)
        day_text = stamp[:10]
        for (day, type_id, _report), members in groups.items():
            written = [written_line(r) for r in members if r.found.value is None]
            report = next((r.found.report_name for r in members if r.found.report_name), None)
            note = f"Brought in from {name} on {day_text}" + (f" (report: {report})."
                                                              if report else ".")
            test_id = int(db.execute(
                "INSERT INTO test (id, child_id, test_type_id, date, status, result_text, "
                "notes, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, 'result_received', ?, ?, ?, ?)",
                [new_id(store.conn, "test"), plan.child_id, type_id, day,
                 "\n".join(written) or None, note, now_iso(), now_iso()]).lastrowid or 0)
            outcome.test_ids.append(test_id)
            for row in members:
                value_id = None
                if row.found.value is not None:
                    unit, family, factor = _unit(store, row.analyte[:200], row.found.unit)
                    value_id = db.execute(
                        "INSERT INTO test_value (id, test_id, analyte, value, unit, ref_low, "
                        "ref_high, unit_family, unit_factor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        [new_id(store.conn, "test_value"), test_id, row.analyte[:200],
                         row.found.value, unit, row.found.ref_low, row.found.ref_high,
                         family, factor]).lastrowid
                    outcome.values += 1
                else:
                    outcome.written += 1
                db.execute("INSERT INTO result_source (id, test_id, test_value_id, analyte, "
                           "resource_id, file_name, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                           [new_id(store.conn, "result_source"), test_id, value_id,
                            row.analyte, row.found.resource_id, name, stamp])
        for key, chosen in plan.choices.items():
            db.execute("INSERT OR REPLACE INTO setting (key, value) VALUES (?, ?)",
                       [CHOICE_PREFIX + key, str(chosen)])
    return outcome


def _select(store: Store, table: str, column: str, ids: list[int]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for start in range(0, len(ids), 500):  # SQLite limits the number of parameters
        chunk = ids[start:start + 500]
        marks = ",".join("?" * len(chunk))
        found += store.query(f"SELECT * FROM [{table}] WHERE [{column}] IN ({marks})", chunk)
    return found


def remove_import(store: Store, outcome: ImportOutcome) -> ImportSnapshot:
    """Take a whole import out in one transaction; returns what :func:`restore_import` needs.

    Tests edited since keep their edits in the snapshot, so redo brings them back as they
    were when removed.
    """
    snapshot = ImportSnapshot()
    with store.transaction() as db:
        snapshot.rows["test_type"] = _select(store, "test_type", "id", outcome.created_type_ids)
        snapshot.rows["test"] = _select(store, "test", "id", outcome.test_ids)
        snapshot.rows["test_value"] = _select(store, "test_value", "test_id", outcome.test_ids)
        snapshot.rows["result_source"] = _select(store, "result_source", "test_id",
                                                 outcome.test_ids)
        for start in range(0, len(outcome.test_ids), 500):
            chunk = outcome.test_ids[start:start + 500]
            db.execute(f"DELETE FROM test WHERE id IN ({','.join('?' * len(chunk))})", chunk)
        for type_id in outcome.created_type_ids:
            # A kind of test the import made is removed only if nothing else uses it now.
            db.execute("DELETE FROM test_type WHERE id = ? AND NOT EXISTS "
                       "(SELECT 1 FROM test WHERE test_type_id = ?)", [type_id, type_id])
    return snapshot


def restore_import(store: Store, snapshot: ImportSnapshot) -> None:
    """Put back exactly what :func:`remove_import` took out (same ids)."""
    with store.transaction() as db:
        for table in IMPORT_TABLES:
            rows = snapshot.rows.get(table) or []
            if table == "test_type":
                present = {r[0] for r in store.execute("SELECT id FROM test_type")}
                rows = [r for r in rows if r["id"] not in present]
            if rows:
                db.table(table).insert_all(rows)
