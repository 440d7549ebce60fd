"""Taking the app's own JSON export back in: as new children of the open record.

Nothing is locked in, and nothing is taken in unchecked: every row is saved through
:func:`nbcompanion.record.entries.save`, so it meets the same rules as typed input, and the
whole file is taken in one transaction — all of it, or (on the first problem) none of it,
with a message that names the entry. Ids are given anew; references between entries
(a test's child, a question's visit) follow the new ids. Kinds of test and result names
that the record already has (by name) are shared rather than copied.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nbcompanion.record import entries
from nbcompanion.record.errors import RecordError, ValidationError
from nbcompanion.record.store import Store

#: The export's format name and the newest version of it this app reads.
FORMAT_NAME = "nbcompanion-record-export"
FORMAT_VERSION = 1

#: Tables in the order they are taken in, each with its references: column → table.
IMPORT_ORDER: tuple[tuple[str, dict[str, str]], ...] = (
    ("child", {}),
    ("care_team_member", {"child_id": "child"}),
    ("phase", {"child_id": "child"}),
    ("treatment_event", {"child_id": "child", "phase_id": "phase"}),
    ("visit", {"child_id": "child", "care_team_member_id": "care_team_member"}),
    ("test", {"child_id": "child", "test_type_id": "test_type",
              "care_team_member_id": "care_team_member"}),
    ("question", {"child_id": "child", "visit_id": "visit"}),
    ("diary_entry", {"child_id": "child"}),
    ("medicine", {"child_id": "child"}),
    ("dose_log", {"medicine_id": "medicine"}),
)

#: How each kind of entry is named in messages and in the summary.
NOUNS = {
    "child": ("child", "children"), "care_team_member": ("care team member", "care team members"),
    "phase": ("treatment phase", "treatment phases"),
    "treatment_event": ("treatment event", "treatment events"), "visit": ("visit", "visits"),
    "test": ("test", "tests"), "test_value": ("result value", "result values"),
    "question": ("question", "questions"), "diary_entry": ("diary entry", "diary entries"),
    "medicine": ("medicine", "medicines"), "dose_log": ("dose logged", "doses logged"),
    "test_type": ("kind of test", "kinds of test"), "analyte": ("result name", "result names"),
}
_VALUE_KEYS = ("analyte", "value", "unit", "ref_low", "ref_high")


class ImportProblem(RecordError):
    """The file cannot be taken in; ``str(error)`` is fit to show the user."""


@dataclass
class ImportSummary:
    """What an import added, per table, and the new children's ids."""

    added: Counter[str] = field(default_factory=Counter)
    children: list[int] = field(default_factory=list)

    def text(self) -> str:
        """A plain sentence: "Added 1 child, 12 tests with 40 result values, …"."""
        parts = []
        for table in ("child", "phase", "treatment_event", "test", "test_value", "visit",
                      "question", "diary_entry", "medicine", "dose_log", "care_team_member",
                      "test_type", "analyte"):
            count = self.added.get(table, 0)
            if count:
                one, many = NOUNS[table]
                parts.append(f"{count:,} {one if count == 1 else many}")
        return ("Added " + ", ".join(parts) + ".") if parts else "Nothing was added."


def read_export(path: Path | str, *, newest_schema: int) -> dict[str, Any]:
    """The export document in ``path``, checked to be one of ours that this app can read."""
    path = Path(path)
    try:
        document = json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as error:
        raise ImportProblem(f"The file {path.name} could not be read: "
                            f"{error.strerror or error}.") from error
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ImportProblem(f"The file {path.name} is not a record export of this app "
                            "(it is not JSON text).") from error
    return check_export(document, newest_schema=newest_schema, name=path.name)


def check_export(document: Any, *, newest_schema: int, name: str = "The file"
                 ) -> dict[str, Any]:
    """``document`` if it is an export this app can take in, else ImportProblem."""
    if not isinstance(document, dict) or document.get("format") != FORMAT_NAME:
        raise ImportProblem(f"{name} is not a record export of this app. Choose the "
                            "record.json file inside an exported folder.")
    version = document.get("format_version")
    schema = document.get("schema_version")
    if not isinstance(version, int) or not isinstance(schema, int):
        raise ImportProblem(f"{name} is damaged: it does not say which version made it.")
    if version > FORMAT_VERSION or schema > newest_schema:
        raise ImportProblem(f"{name} was made by a newer version of the app. Please update "
                            "the app, then import it again.")
    tables = document.get("tables")
    if not isinstance(tables, dict) or not all(
            isinstance(rows, list) and all(isinstance(row, dict) for row in rows)
            for rows in tables.values()):
        raise ImportProblem(f"{name} is damaged: its tables cannot be read.")
    return document


def _problem(table: str, number: int, error: ValidationError | str) -> ImportProblem:
    one = NOUNS.get(table, (table, table))[0]
    detail = (" ".join(dict.fromkeys(error.errors.values()))
              if isinstance(error, ValidationError) else str(error))
    return ImportProblem(f"Nothing was imported: {one} number {number} in the file could "
                         f"not be taken in. {detail}")


def import_export(store: Store, document: Mapping[str, Any], *,
                  progress: Callable[[int, int, str], object] | None = None) -> ImportSummary:
    """Add everything in an export ``document`` to ``store`` as new children, in one
    transaction; returns what was added. Raises :class:`ImportProblem` (nothing added)."""
    tables: Mapping[str, list[dict[str, Any]]] = document["tables"]
    summary = ImportSummary()
    new_ids: dict[str, dict[Any, int]] = {}
    total = sum(len(tables.get(name) or []) for name, _ in IMPORT_ORDER) or 1
    done = 0
    values_by_test: dict[Any, list[dict[str, Any]]] = {}
    value_ids: dict[Any, list[Any]] = {}  # the file's value ids, per test, in the same order
    for row in tables.get("test_value") or []:
        values_by_test.setdefault(row.get("test_id"), []).append(
            # A unit the app cannot read is kept as in the file ("Check these units").
            {**{key: row.get(key) for key in _VALUE_KEYS}, "keep_unit": True})
        value_ids.setdefault(row.get("test_id"), []).append(row.get("id"))
    with store.transaction():
        new_ids["test_type"] = _catalogue(store, tables, summary, new_ids)
        for table, references in IMPORT_ORDER:
            columns = set(store.db[table].columns_dict) - {"id"}
            ids = new_ids.setdefault(table, {})
            for number, row in enumerate(tables.get(table) or [], start=1):
                values = {key: value for key, value in row.items() if key in columns}
                for column, target in references.items():
                    old = values.get(column)
                    if old is None:
                        continue
                    if old not in new_ids.get(target, {}):
                        raise _problem(table, number, f"It refers to a {NOUNS[target][0]} "
                                                      "that is not in the file.")
                    values[column] = new_ids[target][old]
                if table == "test":
                    values["values"] = values_by_test.get(row.get("id"), [])
                try:
                    new_id = entries.save(store, table, values)
                except ValidationError as error:
                    raise _problem(table, number, error) from error
                except ValueError as error:
                    raise _problem(table, number, str(error)) from error
                ids[row.get("id")] = new_id
                summary.added[table] += 1
                if table == "test":
                    summary.added["test_value"] += len(values["values"])
                    saved = [r[0] for r in store.execute(
                        "SELECT id FROM test_value WHERE test_id = ? ORDER BY id", [new_id])]
                    new_ids.setdefault("test_value", {}).update(
                        zip(value_ids.get(row.get("id"), []), saved, strict=False))
                if table == "child":
                    summary.children.append(new_id)
                done += 1
                if progress is not None and done % 200 == 0:
                    progress(done, total, f"Taking in entry {done:,} of {total:,}…")
        _sources(store, tables, new_ids)
    return summary


def _sources(store: Store, tables: Mapping[str, list[dict[str, Any]]],
             new_ids: dict[str, dict[Any, int]]) -> None:
    """Where imported results came from (FHIR files), following the new ids, so that
    bringing the same hospital file in again still adds nothing."""
    columns = ("analyte", "resource_id", "file_name", "imported_at")
    for row in tables.get("result_source") or []:
        test_id = new_ids.get("test", {}).get(row.get("test_id"))
        if test_id is None or not row.get("file_name") or not row.get("imported_at"):
            continue
        store.db.execute(
            "INSERT INTO result_source (test_id, test_value_id, analyte, resource_id, "
            "file_name, imported_at) VALUES (?, ?, ?, ?, ?, ?)",
            [test_id, new_ids.get("test_value", {}).get(row.get("test_value_id")),
             *(None if row.get(c) is None else str(row.get(c)) for c in columns)])


def _catalogue(store: Store, tables: Mapping[str, list[dict[str, Any]]],
               summary: ImportSummary, new_ids: dict[str, dict[Any, int]]) -> dict[Any, int]:
    """Map the file's kinds of test (and their result names) onto the record's, by name,
    adding those the record lacks; returns old id → new id for test_type."""
    existing = {str(row["name"]).casefold(): int(row["id"])
                for row in store.query("SELECT id, name FROM test_type")}
    types: dict[Any, int] = {}  # the file's ids may be anything JSON holds
    for number, row in enumerate(tables.get("test_type") or [], start=1):
        name = str(row.get("name") or "").strip()
        if name.casefold() in existing:
            types[row.get("id")] = existing[name.casefold()]
            continue
        values: dict[str, Any] = {key: row.get(key) for key in
                                  ("name", "category", "topic", "position") if key in row}
        values["builtin"] = 0
        try:
            new_id = entries.save(store, "test_type", values)
        except (ValidationError, ValueError) as error:
            raise _problem("test_type", number, error if isinstance(error, ValidationError)
                           else str(error)) from error
        existing[name.casefold()] = types[row.get("id")] = new_id
        summary.added["test_type"] += 1
    known = {(int(row["test_type_id"]), str(row["name"]).casefold())
             for row in store.query("SELECT test_type_id, name FROM analyte")}
    for number, row in enumerate(tables.get("analyte") or [], start=1):
        type_id = types.get(row.get("test_type_id"))
        name = str(row.get("name") or "").strip()
        if type_id is None or (type_id, name.casefold()) in known:
            continue
        analyte: dict[str, Any] = {"test_type_id": type_id, "name": name,
                                   "unit": row.get("unit"), "position": row.get("position") or 0}
        try:
            entries.save(store, "analyte", analyte)
        except (ValidationError, ValueError) as error:
            raise _problem("analyte", number, error if isinstance(error, ValidationError)
                           else str(error)) from error
        known.add((type_id, name.casefold()))
        summary.added["analyte"] += 1
    new_ids["test_type"] = types
    return types
