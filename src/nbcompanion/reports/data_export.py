"""Exporting the whole record as plain data: one CSV file per table and one JSON file.

Nothing is locked in: any spreadsheet or program can read the export. A README.txt written
beside the files explains every column. Dates are ISO 8601 as the record stores them
(``2026-05-03``, ``2026-05-03T14:30``). The folder appears complete or not at all: it is
written under a temporary name and renamed when everything is on the disk.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from nbcompanion import APP_NAME, __version__
from nbcompanion.record.importer import FORMAT_NAME, FORMAT_VERSION
from nbcompanion.record.store import Store
from nbcompanion.reports.atomic import export_error, fsync_folder

#: Tables that are not part of the family's record: app settings and unsaved drafts
#: (and, below, SQLite's own and the sharing's bookkeeping, named sqlite_… and sync_…).
SKIPPED_TABLES = frozenset({"setting", "draft"})
JSON_NAME = "record.json"
README_NAME = "README.txt"
RESULTS_NAME = "results.csv"

#: results.csv: one row per value, with the names a spreadsheet needs beside it.
RESULTS_COLUMNS: dict[str, str] = {
    "child": "The child's name.",
    "date": "Date of the test (ISO 8601 date).",
    "test": "The kind of test (e.g. Urine catecholamines).",
    "analyte": "What was measured (e.g. VMA).",
    "value": "The number as the lab reported it.",
    "unit": "The unit the lab used.",
    "lab_range": "The lab's own reference range as printed (e.g. 0–8, up to 8).",
    "lab_range_low": "Lower end of the lab's range, if printed.",
    "lab_range_high": "Upper end of the lab's range, if printed.",
    "display_value": "The value in the child's display unit for this result (the unit used "
                     "most in the record, or the one chosen in Trends).",
    "display_unit": "The child's display unit (a UCUM code, like unit).",
    "converted": "1 when display_value is converted from what was typed, else 0.",
}

_CREATED = {"created_at": "When the entry was first saved (ISO 8601 date and time).",
            "updated_at": "When the entry was last changed (ISO 8601 date and time)."}
_CHILD = {"child_id": "The child this entry belongs to (id in child.csv)."}

#: What each column means, table by table. A test checks every column has a line here.
COLUMN_DOCS: dict[str, dict[str, str]] = {
    "child": {
        "id": "Number of the child's profile.",
        "name": "The child's name.",
        "birth_date": "Date of birth (ISO 8601 date).",
        "diagnosis_date": "Date of diagnosis.",
        "primary_site": "Where the tumor started, as recorded (e.g. adrenal).",
        "stage": "Stage as recorded (INRG staging: L1, L2, M, MS).",
        "risk_group": "Risk group as recorded (low, intermediate, high).",
        "histology": "Histology as recorded (favorable, unfavorable, unknown).",
        "mycn": "MYCN status as recorded.",
        "alk": "ALK status as recorded.",
        "dna_index": "DNA index (ploidy) as recorded.",
        "germline_result": "Germline (inherited) test result as recorded.",
        "hospital": "Main hospital.",
        "notes": "The family's notes.",
        **_CREATED,
    },
    "test_type": {
        "id": "Number of the kind of test.",
        "name": "Name of the kind of test (e.g. Ferritin).",
        "category": "lab, imaging, pathology, genetic, exam or other.",
        "topic": "The heading or term of the reference summary that describes it.",
        "builtin": "1 when the app provides this kind of test, 0 when the family added it.",
        "position": "Order in lists.",
    },
    "analyte": {
        "id": "Number of the result name.",
        "test_type_id": "The kind of test that reports it (id in test_type.csv).",
        "name": "Name of a numeric result (e.g. VMA).",
        "unit": "The usual unit.",
        "position": "Order in lists.",
    },
    "test": {
        "id": "Number of the test entry.",
        **_CHILD,
        "test_type_id": "The kind of test (id in test_type.csv).",
        "date": "Date of the test (ISO 8601 date).",
        "status": "scheduled, done or result_received.",
        "place": "Where it was done.",
        "clinician": "Who ordered or did it.",
        "result_text": "The written result or report, as copied by the family.",
        "notes": "The family's notes.",
        "care_team_member_id": "The care team member named (id in care_team_member.csv).",
        **_CREATED,
    },
    "test_value": {
        "id": "Number of the value.",
        "test_id": "The test it belongs to (id in test.csv).",
        "analyte": "What was measured (e.g. VMA).",
        "value": "The number as the lab reported it.",
        "unit": "The unit the lab used, as a UCUM code (10*9/L = 10⁹/L, /uL = cells/µL, "
                "mg/g{creat} = mg per g of creatinine, Cel = °C, [degF] = °F). A unit the "
                "app could not read is kept exactly as typed.",
        "ref_low": "Lower end of the lab's own reference range, if printed (in the value's unit).",
        "ref_high": "Upper end of the lab's own reference range, if printed (in the value's "
                    "unit).",
        "unit_family": "Values with the same family can be compared; empty when the unit "
                       "could not be read.",
        "unit_factor": "value × unit_factor is the value in the family's canonical unit "
                       "(the unit named by unit_family, when it is a unit).",
        "display_value": "The value in the child's display unit for this result (not stored; "
                         "added to the export).",
        "display_unit": "The child's display unit (not stored; added to the export).",
        "converted": "1 when display_value is converted from what was typed, else 0.",
    },
    "phase": {
        "id": "Number of the treatment phase.",
        **_CHILD,
        "kind": "induction, consolidation, maintenance, post_maintenance, observation, "
                "treatment_course or recurrence.",
        "start_date": "Start date.",
        "planned_end": "Planned end date.",
        "actual_end": "Date it actually ended.",
        "status": "planned, active, completed or stopped.",
        "notes": "The family's notes.",
        **_CREATED,
    },
    "treatment_event": {
        "id": "Number of the treatment event.",
        **_CHILD,
        "phase_id": "The phase it belongs to (id in phase.csv), if any.",
        "date": "Date (ISO 8601 date).",
        "kind": "What was given or done (e.g. chemo_cycle, surgery, radiation).",
        "cycle_number": "Cycle number, for chemotherapy cycles.",
        "drugs": "Medicines given, as written by the family.",
        "trial_name": "Name of the clinical trial, if any.",
        "nct_number": "ClinicalTrials.gov number of the trial, if any.",
        "place": "Where.",
        "notes": "The family's notes.",
        **_CREATED,
    },
    "visit": {
        "id": "Number of the visit.",
        **_CHILD,
        "starts_at": "Date and time of the visit (ISO 8601).",
        "kind": "clinic, scan_day, infusion, hospital_stay, emergency or follow_up.",
        "clinician": "Who the family saw.",
        "place": "Where.",
        "reason": "Why the visit took place.",
        "notes": "The family's notes.",
        "decisions": "What was decided, as written by the family.",
        "next_appointment": "The next appointment, as noted.",
        "care_team_member_id": "The care team member seen (id in care_team_member.csv).",
        **_CREATED,
    },
    "question": {
        "id": "Number of the question.",
        **_CHILD,
        "visit_id": "The visit it is meant for (id in visit.csv), if any.",
        "text": "The question.",
        "asked": "1 when it has been asked, 0 when not yet.",
        "answer": "The answer, as written by the family.",
        **_CREATED,
    },
    "care_team_member": {
        "id": "Number of the care team member.",
        **_CHILD,
        "name": "Name of the person or place.",
        "role": "Role (e.g. pediatric_oncologist, social_worker).",
        "phone": "Phone number.",
        "email": "E-mail address.",
        "hospital": "Hospital or clinic.",
        "notes": "The family's notes.",
        **_CREATED,
        "position": "Place in the family's order of the care team (0 = first).",
    },
    "diary_entry": {
        "id": "Number of the diary entry.",
        **_CHILD,
        "at": "Date and time of what was seen (ISO 8601).",
        "symptom": "What was seen (e.g. fever, bone_pain, other).",
        "other_text": "The family's words, for 'other' or extra detail.",
        "temperature_c": "Temperature in degrees Celsius, for a fever (converted when it "
                         "was typed in °F).",
        "temperature": "The temperature exactly as typed.",
        "temperature_unit": "The unit it was typed in: Cel (°C) or [degF] (°F).",
        "severity": "mild, moderate or severe, as judged by the family.",
        "notes": "The family's notes.",
        **_CREATED,
    },
    "medicine": {
        "id": "Number of the medicine.",
        **_CHILD,
        "name": "Name of the medicine.",
        "dose": "Dose, as written by the family.",
        "frequency": "How often.",
        "dose_times": "Times of day the doses are due.",
        "start_date": "Start date.",
        "stop_date": "Stop date.",
        "purpose": "What it is for.",
        "prescribed_by": "Who prescribed it.",
        "notes": "The family's notes.",
        **_CREATED,
    },
    "dose_log": {
        "id": "Number of the log line.",
        "medicine_id": "The medicine (id in medicine.csv).",
        "due_at": "When the dose was due (ISO 8601 date and time).",
        "at": "When it was given or skipped.",
        "status": "given or skipped.",
        "reason": "Why it was skipped, if noted.",
        "created_at": "When the line was saved.",
    },
    "result_source": {
        "id": "Number of this line.",
        "test_id": "The test the result was added to (id in test.csv).",
        "test_value_id": "The value (id in test_value.csv); empty for a written result or "
                         "a value edited since.",
        "analyte": "What was measured, as added.",
        "resource_id": "The FHIR resource the result came from (e.g. Observation/123).",
        "file_name": "The file it was imported from.",
        "imported_at": "When it was imported.",
    },
}


def exported_tables(store: Store) -> list[str]:
    """The tables that hold the family's record, in a stable order (known tables first)."""
    names = [n for n in store.db.table_names()
             if n not in SKIPPED_TABLES and not n.startswith(("sqlite_", "sync_"))
             and "_fts" not in n and not getattr(store.db[n], "virtual_table_using", None)]
    known = [n for n in COLUMN_DOCS if n in names]
    return known + sorted(n for n in names if n not in COLUMN_DOCS)


#: Columns added to test_value's export: each value in the child's display unit too.
DISPLAY_COLUMNS = ["display_value", "display_unit", "converted"]


def _columns(store: Store, table: str) -> list[str]:
    columns = [column.name for column in store.db[table].columns]
    return columns + DISPLAY_COLUMNS if table == "test_value" else columns


def _rows(store: Store, table: str, child_ids: list[int] | None = None
          ) -> list[dict[str, Any]]:
    """The table's rows, only those of ``child_ids`` when given (shared lists stay whole)."""
    sql = f"SELECT * FROM [{table}]"
    if child_ids is not None:
        marks = ", ".join("?" * len(child_ids))
        columns = set(_columns(store, table))
        if table == "child":
            sql += f" WHERE id IN ({marks})"
        elif "child_id" in columns:
            sql += f" WHERE child_id IN ({marks})"
        elif table in ("test_value", "result_source"):
            sql += f" WHERE test_id IN (SELECT id FROM test WHERE child_id IN ({marks}))"
        elif table == "dose_log":
            sql += (f" WHERE medicine_id IN (SELECT id FROM medicine "
                    f"WHERE child_id IN ({marks}))")
        else:
            child_ids = None
    rows = store.query(sql + " ORDER BY rowid", child_ids or [])
    if table == "test_value":
        from nbcompanion.record.measures import with_display_units

        rows = with_display_units(store, rows)
    return rows


def _range_text(low: Any, high: Any) -> str:
    # A data file, not wording: numbers keep a dot for decimals whatever the locale (the
    # readme says so), and the words stay English like the column names.
    def number(value: Any) -> str:
        return f"{value:g}" if isinstance(value, float) else str(value)

    if low is not None and high is not None:
        return f"{number(low)}–{number(high)}"
    if high is not None:
        return f"up to {number(high)}"
    if low is not None:
        return f"from {number(low)}"
    return ""


def results_rows(store: Store, child_ids: list[int] | None = None) -> list[dict[str, Any]]:
    """One row per recorded value with the child's name, the date and the test's name."""
    sql = ("SELECT c.name AS child, t.date AS date, tt.name AS test, v.analyte AS analyte, "
           "v.value AS value, v.unit AS unit, v.ref_low AS lab_range_low, "
           "v.ref_high AS lab_range_high, v.unit_family, v.unit_factor, v.test_id "
           "FROM test_value v JOIN test t ON t.id = v.test_id "
           "JOIN child c ON c.id = t.child_id JOIN test_type tt ON tt.id = t.test_type_id")
    params: list[int] = []
    if child_ids is not None:
        sql += f" WHERE t.child_id IN ({', '.join('?' * len(child_ids))})"
        params = list(child_ids)
    rows = store.query(sql + " ORDER BY c.name COLLATE NOCASE, c.id, t.date, tt.name, v.id",
                       params)
    from nbcompanion.record.measures import with_display_units

    rows = with_display_units(store, rows)
    for row in rows:
        row["lab_range"] = _range_text(row["lab_range_low"], row["lab_range_high"])
    return rows


def _iso(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _csv_text(columns: list[str], rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row.get(c) is None else _iso(row.get(c)) for c in columns])
    return buffer.getvalue()


def readme_text(store: Store, tables: list[str], made_at: datetime,
                counts: dict[str, int] | None = None, children: str = "") -> str:
    """The README.txt that explains the export's files and every column."""
    lines = [
        f"Care record export — made with {APP_NAME} {__version__} on "
        f"{made_at.isoformat(timespec='minutes')}.",
        "",
        "This folder holds a copy of the care record the family keeps in the app, as plain",
        "data that any spreadsheet or program can open. It was made by the family from their",
        "own records; it is not a medical record.",
        *([f"It holds the record of {children}.", ""] if children else [""]),
        "Files",
        "-----",
        f"- {JSON_NAME}: everything in one file. \"tables\" maps each table name to a list of",
        "  rows; each row maps column names to values (null when empty).",
        "- results-fhir-r4.json: the test results as a FHIR R4 Bundle (LOINC and UCUM codes",
        "  where known), the form hospitals and health apps exchange lab results in.",
        "- One CSV file per table (comma-separated, UTF-8 with a byte-order mark so that",
        "  spreadsheet programs show accents correctly, first line = column names, an empty",
        "  cell = nothing recorded).",
        f"- {RESULTS_NAME}: every result value on a line of its own, with the child, the date",
        "  and the test's name beside it — the easiest file to sort and chart in a",
        "  spreadsheet. (The same values are in test_value.csv, linked by ids.)",
        f"- {JSON_NAME} can be taken back into the app: File > Import record data…",
        "",
        "Dates are ISO 8601: 2026-05-03 for a day, 2026-05-03T14:30 for a day and time",
        "(local time of the computer that kept the record). Numbers use a dot for decimals.",
        "Columns ending in _id refer to the id column of another file, as noted below.",
        "Values such as 'induction' or 'result_received' are the app's fixed choices.",
        "",
    ]
    results = (counts or {}).get(RESULTS_NAME)
    if results is not None:
        lines += [f"{RESULTS_NAME} ({results} row{'s' if results != 1 else ''})",
                  "-" * (len(RESULTS_NAME) + 4)]
        lines += [f"  {column}: {text}" for column, text in RESULTS_COLUMNS.items()]
        lines.append("")
    for table in tables:
        rows = (counts or {}).get(table, store.db[table].count)
        lines += [f"{table}.csv ({rows} row{'s' if rows != 1 else ''})",
                  "-" * (len(table) + 4)]
        docs = COLUMN_DOCS.get(table, {})
        for column in _columns(store, table):
            lines.append(f"  {column}: {docs.get(column, 'Recorded as entered.')}")
        lines.append("")
    return "\n".join(lines)


def export_folder_name(made_on: date, child_name: str = "") -> str:
    """The folder an export goes into, e.g. "Care record data Maya 2026-05-03"."""
    safe = "".join(c for c in child_name if c.isalnum() or c in " -_").strip()
    return f"Care record data {safe + ' ' if safe else ''}{made_on.isoformat()}"


def _free_name(parent: Path, name: str) -> Path:
    candidate = parent / name
    number = 2
    while candidate.exists():
        candidate = parent / f"{name} ({number})"
        number += 1
    return candidate


def _write_file(path: Path, text: str, *, bom: bool = False) -> None:
    # Private to the user (0600), like the record itself.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with open(descriptor, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())


def export_record_data(store: Store, parent: Path | str, *,
                       made_at: datetime | None = None, child_ids: list[int] | None = None,
                       progress: Callable[[int, int, str], object] | None = None) -> Path:
    """Write CSV files, results.csv, record.json and README.txt into a new folder inside
    ``parent``: every child's record, or only those of ``child_ids``.

    Returns the new folder. Raises :class:`~nbcompanion.reports.atomic.ExportError` (a
    plain sentence) when the disk or folder refuses; then no folder is left behind.
    ``progress`` hears (done, total, text) and may raise to stop (then nothing is left).
    """
    parent = Path(parent)
    made_at = made_at or datetime.now()
    tables = exported_tables(store)
    names = [str(row["name"]) for row in _rows(store, "child", child_ids)]
    single = names[0] if child_ids is not None and len(names) == 1 else ""
    final = _free_name(parent, export_folder_name(made_at.date(), single))
    try:
        temp = Path(tempfile.mkdtemp(prefix=".care-record-data-", suffix=".partial", dir=parent))
    except OSError as error:
        raise export_error(final, error) from error
    try:
        everything: dict[str, list[dict[str, Any]]] = {}
        counts: dict[str, int] = {}
        for number, table in enumerate(tables, start=1):
            if progress is not None:
                progress(number, len(tables) + 2, f"Writing {table}.csv…")
            columns = _columns(store, table)
            rows = _rows(store, table, child_ids)
            counts[table] = len(rows)
            everything[table] = [{c: _iso(row.get(c)) for c in columns} for row in rows]
            _write_file(temp / f"{table}.csv", _csv_text(columns, rows), bom=True)
        if progress is not None:
            progress(len(tables) + 1, len(tables) + 2, f"Writing {RESULTS_NAME}…")
        results = results_rows(store, child_ids)
        counts[RESULTS_NAME] = len(results)
        _write_file(temp / RESULTS_NAME, _csv_text(list(RESULTS_COLUMNS), results), bom=True)
        document = {
            "format": FORMAT_NAME,
            "format_version": FORMAT_VERSION,
            "app": APP_NAME,
            "app_version": __version__,
            "schema_version": store.version,
            "exported_at": made_at.isoformat(timespec="seconds"),
            "tables": everything,
        }
        _write_file(temp / JSON_NAME, json.dumps(document, ensure_ascii=False, indent=1))
        from nbcompanion.fhir import export as fhir_export  # the results as FHIR R4, too

        _write_file(temp / fhir_export.FILE_NAME, json.dumps(
            fhir_export.results_bundle(store, child_ids=child_ids), ensure_ascii=False, indent=1))
        _write_file(temp / README_NAME, readme_text(
            store, tables, made_at, counts, ", ".join(names) if child_ids is not None else ""))
        if progress is not None:
            progress(len(tables) + 2, len(tables) + 2, "Finishing…")
        fsync_folder(temp)
        os.replace(temp, final)
    except OSError as error:
        shutil.rmtree(temp, ignore_errors=True)
        raise export_error(final, error) from error
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    fsync_folder(parent)
    with contextlib.suppress(OSError):
        final.chmod(0o700)  # the family's health data: private to the user
    return final
