"""Values in unit families: migration of free-text units, series that never mix units."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from nbcompanion.record import entries, measures, queries, schema
from nbcompanion.record.store import Store, open_store

STAMP = "2025-01-01T00:00:00"
OLD_UNITS = [("VMA", 9.5, "mg/L"), ("VMA", 51.25, "µmol/L"), ("VMA", 12.0, "mg/g creatinine"),
             ("Neutrophils (ANC)", 1.2, "10^9/L"), ("Neutrophils (ANC)", 1500.0, "cells/uL"),
             ("Hemoglobin", 10.5, "g/dl"), ("Ferritin", 60.0, "ng/ml"),
             ("LDH", 250.0, "U/L"), ("Curie score", 3.0, "points"),
             ("Platelets", 123.456789, "x10^9/L per our lab"), ("Mystery", 0.1, None)]


def make_previous_version_file(path: Path) -> None:
    """A record as the version before the units migration left it, with free-text units."""
    store = Store(sqlite3.connect(path), path)
    store._configure()
    for step in range(1, schema.LATEST_VERSION):
        with store.transaction() as db:
            schema.MIGRATIONS[step - 1](db)
            db.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
            db.execute(f"PRAGMA user_version = {step}")
    with store.transaction() as db:
        db.execute("UPDATE analyte SET unit = '10^9/L' WHERE unit = '10*9/L'")
        child = db["child"].insert({"name": "Robin", "created_at": STAMP,
                                    "updated_at": STAMP}).last_pk
        for day, (analyte, value, unit) in enumerate(OLD_UNITS, start=1):
            test = db["test"].insert({"child_id": child, "test_type_id": 1,
                                      "date": f"2025-01-{day:02d}", "status": "done",
                                      "created_at": STAMP, "updated_at": STAMP}).last_pk
            db["test_value"].insert({"test_id": test, "analyte": analyte, "value": value,
                                     "unit": unit, "ref_low": 0.5, "ref_high": 8.25})
        db["diary_entry"].insert({"child_id": child, "at": "2025-01-03T08:00",
                                  "symptom": "fever", "temperature_c": 38.4,
                                  "created_at": STAMP, "updated_at": STAMP})
    store.close()


def test_migration_keeps_every_number_and_maps_known_units(tmp_path: Path) -> None:
    path = tmp_path / "previous.sqlite3"
    make_previous_version_file(path)
    backups: list[int] = []
    store = open_store(path, before_upgrade=lambda _p, version: backups.append(version))
    assert backups == [schema.LATEST_VERSION - 1]  # the before-upgrade backup runs first
    rows = store.query("SELECT analyte, value, unit, ref_low, ref_high, unit_family "
                       "FROM test_value ORDER BY id")
    assert [(r["analyte"], r["value"]) for r in rows] == [(a, v) for a, v, _u in OLD_UNITS]
    assert all((r["ref_low"], r["ref_high"]) == (0.5, 8.25) for r in rows)
    assert [r["unit"] for r in rows] == [
        "mg/L", "umol/L", "mg/g{creat}", "10*9/L", "/uL", "g/dL", "ng/mL", "U/L", "{score}",
        "x10^9/L per our lab", None]
    assert rows[0]["unit_family"] == rows[1]["unit_family"] != rows[2]["unit_family"]
    assert rows[3]["unit_family"] == rows[4]["unit_family"]
    to_check = measures.units_to_check(store)
    assert [(r["analyte"], r["unit"]) for r in to_check] == [("Platelets", "x10^9/L per our lab")]
    assert store.query("SELECT DISTINCT unit FROM analyte WHERE name = 'Platelets'") == [
        {"unit": "10*9/L"}]
    diary = store.query("SELECT temperature, temperature_unit, temperature_c FROM diary_entry")
    assert diary == [{"temperature": 38.4, "temperature_unit": "Cel", "temperature_c": 38.4}]
    store.close()


def _add(store: Store, child: int, day: str, analyte: str, value: float, unit: str) -> int:
    return entries.save(store, "test", {
        "child_id": child, "test_type_id": 1, "date": day, "status": "result_received",
        "values": [{"analyte": analyte, "value": value, "unit": unit}]})


@pytest.fixture
def vma_record(fresh_store: Store) -> int:
    child = entries.save(fresh_store, "child", {"name": "Ava"})
    _add(fresh_store, child, "2025-01-01", "VMA", 10.0, "mg/L")
    _add(fresh_store, child, "2025-02-01", "VMA", 30.0, "umol/L")   # 5.9 mg/L: lower
    _add(fresh_store, child, "2025-03-01", "VMA", 12.0, "mg/L")
    _add(fresh_store, child, "2025-04-01", "VMA", 40.0, "mg/g{creat}")
    return child


def test_incommensurable_units_never_share_a_series(fresh_store: Store, vma_record: int) -> None:
    found = measures.unit_series(fresh_store, vma_record, "VMA")
    assert [s.unit for s in found] == ["mg/L", "mg/g{creat}"]
    concentration, ratio = found
    assert [round(r["value"], 3) for r in concentration.rows] == [10.0, 5.945, 12.0]
    assert [r["converted"] for r in concentration.rows] == [False, True, False]
    assert concentration.rows[1]["typed_value"] == 30.0
    assert concentration.rows[1]["typed_unit"] == "umol/L"
    assert ratio.is_ratio
    assert [r["value"] for r in ratio.rows] == [40.0]


def test_home_arrows_compare_only_within_a_family(fresh_store: Store, vma_record: int) -> None:
    latest = [r for r in queries.latest_results(fresh_store, vma_record) if r["analyte"] == "VMA"]
    by_unit = {r["unit"]: r for r in latest}
    assert set(by_unit) == {"mg/g{creat}", "mg/L"}
    assert by_unit["mg/g{creat}"]["trend"] is None  # nothing before it in its family
    assert by_unit["mg/L"]["trend"] == "up"
    assert by_unit["mg/L"]["previous_value"] == pytest.approx(30 / 5.046, rel=1e-3)


def test_previous_value_is_of_the_same_family(fresh_store: Store, vma_record: int) -> None:
    window = queries.since(fresh_store, vma_record, None, "2025-12-31")
    values = [v for t in window["tests"] for v in t["values"]]
    ratio = values[-1]
    assert ratio["unit"] == "mg/g{creat}"
    assert ratio["previous_value"] is None
    second = values[1]
    assert second["previous_value"] == pytest.approx(10 * 5.046, rel=1e-3)
    assert second["previous_typed"] == (10.0, "mg/L")


def test_the_lab_range_converts_with_its_value(fresh_store: Store) -> None:
    child = entries.save(fresh_store, "child", {"name": "Lou"})
    for day, unit, high in (("2025-01-01", "mg/L", 8.0), ("2025-02-01", "mg/L", 8.0),
                            ("2025-03-01", "umol/L", 40.0)):
        entries.save(fresh_store, "test", {
            "child_id": child, "test_type_id": 1, "date": day, "status": "result_received",
            "values": [{"analyte": "VMA", "value": 5.0, "unit": unit, "ref_low": 0.0,
                        "ref_high": high}]})
    [series] = measures.unit_series(fresh_store, child, "VMA")
    converted = series.rows[-1]
    assert converted["ref_high"] == pytest.approx(40.0 / 5.046, rel=1e-3)
    assert converted["ref_low"] == 0.0
    stored = fresh_store.query("SELECT ref_high FROM test_value ORDER BY id")
    assert [r["ref_high"] for r in stored] == [8.0, 8.0, 40.0]  # as typed, in its own unit


def test_a_chosen_display_unit_converts_the_family(fresh_store: Store, vma_record: int) -> None:
    family = measures.unit_series(fresh_store, vma_record, "VMA")[0].key.removeprefix("family:")
    measures.set_display_unit(fresh_store, vma_record, "VMA", family, "umol/L")
    concentration = measures.unit_series(fresh_store, vma_record, "VMA")[0]
    assert concentration.unit == "umol/L"
    assert [round(r["value"], 1) for r in concentration.rows] == [50.5, 30.0, 60.6]
