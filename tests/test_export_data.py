"""CSV and JSON export of the whole record: every table, documented columns, ISO dates."""

from __future__ import annotations

import csv
import errno
import json
import os
import re
from datetime import datetime
from pathlib import Path

import pytest

from nbcompanion.record import entries
from nbcompanion.record.store import Store
from nbcompanion.reports import data_export
from nbcompanion.reports.atomic import ExportError

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$")
MADE_AT = datetime(2026, 5, 3, 21, 15)


def _fill(store: Store) -> None:
    child = entries.save(store, "child", {"name": "Zoë Example", "birth_date": "2021-02-14",
                                          "stage": "M", "risk_group": "high"})
    type_id = store.query("SELECT id FROM test_type WHERE name LIKE 'Ferritin'")[0]["id"]
    entries.save(store, "test", {"child_id": child, "test_type_id": type_id,
                                 "date": "2026-04-20", "status": "result_received",
                                 "notes": 'said "fine, see you",\nnext line',
                                 "values": [{"analyte": "Ferritin", "value": 312.5,
                                             "unit": "ng/mL", "ref_low": 7.0,
                                             "ref_high": 140.0}]})
    phase = entries.save(store, "phase", {"child_id": child, "kind": "induction",
                                          "start_date": "2026-01-05", "status": "active"})
    entries.save(store, "treatment_event", {"child_id": child, "phase_id": phase,
                                            "date": "2026-01-05", "kind": "chemo_cycle",
                                            "cycle_number": 1})
    visit = entries.save(store, "visit", {"child_id": child, "starts_at": "2026-05-04T09:30",
                                          "kind": "clinic"})
    entries.save(store, "question", {"child_id": child, "visit_id": visit,
                                     "text": "When is the next scan?"})


def test_every_table_is_exported_and_rereadable(fresh_store: Store, tmp_path: Path) -> None:
    _fill(fresh_store)
    folder = data_export.export_record_data(fresh_store, tmp_path, made_at=MADE_AT)
    assert folder.name == "Care record data 2026-05-03"
    tables = data_export.exported_tables(fresh_store)
    assert "setting" not in tables
    assert "draft" not in tables
    for table in ("child", "test", "test_value", "phase", "treatment_event", "visit",
                  "question", "care_team_member", "diary_entry", "medicine", "dose_log",
                  "test_type", "analyte"):
        assert table in tables
        assert (folder / f"{table}.csv").is_file()
    document = json.loads((folder / "record.json").read_text(encoding="utf-8"))
    assert document["format"] == data_export.FORMAT_NAME
    assert document["schema_version"] == fresh_store.version
    assert set(document["tables"]) == set(tables)
    for table in tables:
        with open(folder / f"{table}.csv", encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
        assert len(rows) == len(document["tables"][table]) == fresh_store.db[table].count
    with open(folder / "test.csv", encoding="utf-8-sig", newline="") as handle:
        test_row = next(csv.DictReader(handle))
    assert test_row["notes"] == 'said "fine, see you",\nnext line'
    assert document["tables"]["child"][0]["name"] == "Zoë Example"
    assert document["tables"]["test_value"][0]["value"] == 312.5
    assert document["tables"]["test_value"][0]["unit"] == "ng/mL"


def test_dates_are_iso_8601(fresh_store: Store, tmp_path: Path) -> None:
    _fill(fresh_store)
    folder = data_export.export_record_data(fresh_store, tmp_path, made_at=MADE_AT)
    tables = json.loads((folder / "record.json").read_text(encoding="utf-8"))["tables"]
    checked = 0
    for rows in tables.values():
        for row in rows:
            for column, value in row.items():
                if value is None:
                    continue
                if column.endswith(("_date", "_end")) or column == "date":
                    assert ISO_DATE.match(value), (column, value)
                    checked += 1
                elif column.endswith("_at") or column == "at":
                    assert ISO_DATETIME.match(value), (column, value)
                    checked += 1
    assert checked >= 10


def test_readme_documents_every_column(fresh_store: Store, tmp_path: Path) -> None:
    folder = data_export.export_record_data(fresh_store, tmp_path, made_at=MADE_AT)
    readme = (folder / "README.txt").read_text(encoding="utf-8")
    for table in data_export.exported_tables(fresh_store):
        assert f"{table}.csv" in readme
        documented = data_export.COLUMN_DOCS.get(table, {})
        for column in fresh_store.db[table].columns_dict:
            assert column in documented, f"{table}.{column} has no description"
            assert f"  {column}: " in readme
    assert "ISO 8601" in readme


def test_a_second_export_on_the_same_day_gets_its_own_folder(fresh_store: Store,
                                                            tmp_path: Path) -> None:
    first = data_export.export_record_data(fresh_store, tmp_path, made_at=MADE_AT)
    second = data_export.export_record_data(fresh_store, tmp_path, made_at=MADE_AT)
    assert first != second
    assert second.name.endswith("(2)")


def test_unwritable_place_fails_cleanly(fresh_store: Store, tmp_path: Path) -> None:
    not_a_folder = tmp_path / "a-file"
    not_a_folder.write_text("x")
    with pytest.raises(ExportError, match="could not be saved"):
        data_export.export_record_data(fresh_store, not_a_folder, made_at=MADE_AT)
    assert not_a_folder.read_text() == "x"


def test_full_disk_leaves_no_folder(fresh_store: Store, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    _fill(fresh_store)
    real_write = data_export._write_file
    calls = []

    def failing(path: Path, text: str, *, bom: bool = False) -> None:
        calls.append(path)
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_write(path, text, bom=bom)

    monkeypatch.setattr(data_export, "_write_file", failing)
    with pytest.raises(ExportError, match="disk is full"):
        data_export.export_record_data(fresh_store, tmp_path, made_at=MADE_AT)
    assert list(tmp_path.iterdir()) == []


def test_exported_files_are_private(fresh_store: Store, tmp_path: Path) -> None:
    folder = data_export.export_record_data(fresh_store, tmp_path, made_at=MADE_AT)
    assert folder.stat().st_mode & 0o077 == 0
    for path in folder.iterdir():
        assert path.stat().st_mode & 0o077 == 0, path.name
