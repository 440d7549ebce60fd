"""Reports and the data export keep unit families apart and say what was converted."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

from nbcompanion.record import entries
from nbcompanion.record.store import Store
from nbcompanion.reports import data_export, gather
from nbcompanion.reports.visit_summary import value_cells

NOW = datetime(2026, 5, 1, 9, 0)


def _record(store: Store) -> tuple[int, int]:
    child = entries.save(store, "child", {"name": "Ava"})
    type_id = store.query("SELECT id FROM test_type WHERE name LIKE 'Urine%'")[0]["id"]
    for day, value, unit in (("2026-01-05", 10.0, "mg/L"), ("2026-02-05", 30.0, "umol/L"),
                             ("2026-03-05", 12.0, "mg/L"), ("2026-04-05", 40.0, "mg/g{creat}")):
        entries.save(store, "test", {"child_id": child, "test_type_id": type_id, "date": day,
                                     "status": "result_received",
                                     "values": [{"analyte": "VMA", "value": value,
                                                 "unit": unit}]})
    visit = entries.save(store, "visit", {"child_id": child, "kind": "clinic",
                                          "starts_at": "2026-04-20T10:00"})
    return child, visit


def test_report_charts_keep_families_apart_in_the_display_unit(fresh_store: Store) -> None:
    child, _visit = _record(fresh_store)
    found = {t.analyte: t for t in gather.trends(fresh_store, child)}
    assert set(found) == {"VMA", "VMA per creatinine"}
    assert found["VMA"].unit == "mg/L"
    assert [round(p.value, 2) for p in found["VMA"].points] == [10.0, 5.95, 12.0]
    assert found["VMA"].note == "1 value typed in µmol/L, shown converted"
    assert [p.value for p in found["VMA per creatinine"].points] == [40.0]
    record = gather.full_record_data(fresh_store, child, now=NOW)
    assert sorted(t.analyte for t in record.trends) == ["VMA", "VMA per creatinine"]


def test_visit_summary_previous_value_never_crosses_families(fresh_store: Store) -> None:
    _child, visit = _record(fresh_store)
    data = gather.visit_summary_data(fresh_store, visit, now=NOW)
    values = [v for t in data.tests for v in t["values"]]
    ratio = next(v for v in values if v["unit"] == "mg/g{creat}")
    assert ratio["previous_value"] is None
    assert value_cells(ratio)[3] == ""
    second = next(v for v in values if v["unit"] == "umol/L")
    cells = value_cells(second)
    assert "50.5" in str(cells[3])
    assert "converted from 10 mg/L" in str(cells[3])
    assert str(cells[1]) == "µmol/L"


def test_the_csv_has_each_value_in_the_display_unit_too(fresh_store: Store,
                                                        tmp_path: Path) -> None:
    _record(fresh_store)
    folder = data_export.export_record_data(fresh_store, tmp_path, made_at=NOW)
    with (folder / "test_value.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["value"], r["unit"]) for r in rows] == [
        ("10.0", "mg/L"), ("30.0", "umol/L"), ("12.0", "mg/L"), ("40.0", "mg/g{creat}")]
    assert [r["display_unit"] for r in rows] == ["mg/L", "mg/L", "mg/L", "mg/g{creat}"]
    assert [r["converted"] for r in rows] == ["0", "1", "0", "0"]
    assert round(float(rows[1]["display_value"]), 2) == 5.95


def test_latest_values_of_the_visit_summary_stay_within_a_family(fresh_store: Store) -> None:
    _child, visit = _record(fresh_store)
    data = gather.visit_summary_data(fresh_store, visit, now=NOW)
    latest = {v["analyte"]: v for v in data.latest}
    assert set(latest) == {"VMA", "VMA per creatinine"}
    assert latest["VMA per creatinine"].get("previous_value") is None
    assert (latest["VMA"]["value"], latest["VMA"]["unit"]) == (12.0, "mg/L")
    assert latest["VMA"]["previous_value"] == 5.95  # 30 µmol/L, shown in mg/L
    assert latest["VMA"]["previous_typed"] == (30.0, "umol/L")


def test_results_csv_adds_the_display_unit(fresh_store: Store, tmp_path: Path) -> None:
    _record(fresh_store)
    folder = data_export.export_record_data(fresh_store, tmp_path, made_at=NOW)
    with (folder / data_export.RESULTS_NAME).open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["value"], r["unit"], r["display_unit"], r["converted"]) for r in rows] == [
        ("10.0", "mg/L", "mg/L", "0"), ("30.0", "umol/L", "mg/L", "1"),
        ("12.0", "mg/L", "mg/L", "0"), ("40.0", "mg/g{creat}", "mg/g{creat}", "0")]
