"""Review and import against a record: kinds, duplicates, patient check, undo, round trip."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from nbcompanion.fhir.apply import apply_import, remove_import, restore_import
from nbcompanion.fhir.export import results_bundle
from nbcompanion.fhir.extract import read_findings
from nbcompanion.fhir.review import OTHER, OTHER_TYPE_NAME, build_review, patient_check
from nbcompanion.record import entries
from nbcompanion.record.errors import ValidationError
from nbcompanion.record.store import Store
from nbcompanion.reports import data_export

FILES = Path(__file__).parent / "fixtures" / "fhir"


def _child(store: Store, name: str = "Mia", birth: str | None = "2019-06-14") -> int:
    return entries.save(store, "child", {"name": name, "birth_date": birth})


def _values(store: Store) -> list[tuple[object, ...]]:
    return [tuple(r) for r in store.execute(
        "SELECT t.date, v.analyte, v.value, v.unit, v.ref_low, v.ref_high FROM test_value v "
        "JOIN test t ON t.id = v.test_id ORDER BY t.date, v.analyte, v.value")]


def _type_id(store: Store, name: str) -> int:
    return int(store.execute("SELECT id FROM test_type WHERE name = ?", [name]).fetchone()[0])


def test_cbc_report_becomes_one_test_with_provenance(fresh_store: Store) -> None:
    child = _child(fresh_store)
    plan = build_review(fresh_store, child, read_findings(FILES / "cbc-report.json"))
    assert plan.patient_warning is not None  # the report names no Patient resource
    assert not plan.patient_mismatch
    assert plan.questions == {}
    outcome = apply_import(fresh_store, plan, file_name="cbc-report.json")
    assert len(outcome.test_ids) == 1
    assert outcome.values == 5
    test = entries.get(fresh_store, "test", outcome.test_ids[0])
    assert test["test_type_id"] == _type_id(fresh_store, "Blood counts (CBC)")
    assert (test["date"], test["status"]) == ("2024-03-05", "result_received")
    assert "cbc-report.json" in test["notes"]
    assert "Complete Blood Count" in test["notes"]
    values = {v["analyte"]: v for v in test["values"]}
    assert values["Hemoglobin"] == {"analyte": "Hemoglobin", "value": 10.4, "unit": "g/dL",
                                    "ref_low": 11.5, "ref_high": 15.5}
    assert values["Platelets"]["unit"] == "10*9/L"
    assert "MCV" in values  # mapped by LOINC 787-2 under the blood counts
    sources = fresh_store.query("SELECT * FROM result_source ORDER BY id")
    assert len(sources) == 5
    assert {s["file_name"] for s in sources} == {"cbc-report.json"}
    assert sources[0]["resource_id"] == "DiagnosticReport/cbc#r1"
    assert all(s["test_value_id"] is not None and s["imported_at"] for s in sources)
    # Imported values join their unit families, like values typed by hand.
    families = fresh_store.query(
        "SELECT analyte, unit_family FROM test_value WHERE analyte IN ('Hemoglobin', "
        "'Platelets')")
    assert all(row["unit_family"] for row in families)


def test_importing_the_same_file_again_adds_nothing(fresh_store: Store) -> None:
    child = _child(fresh_store)
    findings = read_findings(FILES / "mixed-bundle.json")
    plan = build_review(fresh_store, child, findings)
    plan.choices = {key: OTHER for key in plan.questions}
    apply_import(fresh_store, plan)
    before = _values(fresh_store)
    again = build_review(fresh_store, child, read_findings(FILES / "mixed-bundle.json"))
    assert again.questions == {}  # the answers were remembered
    assert all(not row.include for row in again.rows)
    duplicates = [row for row in again.rows if row.duplicate]
    assert len(duplicates) == len([r for r in plan.rows if r.include])
    outcome = apply_import(fresh_store, again)
    assert outcome.results == 0
    assert _values(fresh_store) == before


def test_same_value_entered_by_hand_is_marked_as_already_there(fresh_store: Store) -> None:
    child = _child(fresh_store)
    entries.save(fresh_store, "test", {
        "child_id": child, "test_type_id": _type_id(fresh_store, "Blood counts (CBC)"),
        "date": "2024-03-05", "status": "result_received",
        "values": [{"analyte": "Hemoglobin", "value": 10.4, "unit": "g/dL"}]})
    plan = build_review(fresh_store, child, read_findings(FILES / "cbc-report.json"))
    hemoglobin = next(r for r in plan.rows if r.analyte == "Hemoglobin")
    assert hemoglobin.duplicate is not None
    assert not hemoglobin.include
    assert sum(1 for r in plan.rows if r.include) == 4


def test_unknown_codes_are_asked_once_and_remembered(fresh_store: Store) -> None:
    child = _child(fresh_store)
    plan = build_review(fresh_store, child, read_findings(FILES / "mixed-bundle.json"))
    assert set(plan.questions.values()) == {"Blood culture", "CRP"}
    with pytest.raises(ValidationError, match="Please choose which test"):
        apply_import(fresh_store, plan)
    assert fresh_store.query("SELECT * FROM test") == []
    chemistry = _type_id(fresh_store, "Blood chemistry (LDH)")
    culture_key = next(k for k, v in plan.questions.items() if v == "Blood culture")
    crp_key = next(k for k, v in plan.questions.items() if v == "CRP")
    plan.choices = {culture_key: OTHER, crp_key: chemistry}
    outcome = apply_import(fresh_store, plan)
    assert outcome.created_type_ids == [_type_id(fresh_store, OTHER_TYPE_NAME)]
    culture = fresh_store.query("SELECT * FROM test WHERE result_text LIKE 'Blood culture%'")
    assert culture[0]["result_text"] == "Blood culture: No growth after 5 days"
    assert culture[0]["test_type_id"] == _type_id(fresh_store, OTHER_TYPE_NAME)
    # A new file with the same code: not asked again.
    other = Store.memory()
    try:
        assert build_review(fresh_store, child, read_findings(FILES / "mixed-bundle.json")
                            ).choices == {culture_key: OTHER, crp_key: chemistry}
    finally:
        other.close()


def test_report_results_stay_together_in_one_test(fresh_store: Store) -> None:
    child = _child(fresh_store)
    plan = build_review(fresh_store, child, read_findings(FILES / "mixed-bundle.json"))
    plan.choices = {key: OTHER for key in plan.questions}
    apply_import(fresh_store, plan)
    chemistry = fresh_store.query(
        "SELECT t.id FROM test t WHERE t.notes LIKE '%report: Chemistry%'")
    assert len(chemistry) == 1
    names = {r[0] for r in fresh_store.execute(
        "SELECT analyte FROM test_value WHERE test_id = ?", [chemistry[0]["id"]])}
    assert names == {"LDH", "Ferritin", "Sodium"}


def test_dates_without_a_day_start_unticked_and_units_that_differ_are_noted(
        fresh_store: Store) -> None:
    child = _child(fresh_store)
    plan = build_review(fresh_store, child, read_findings(FILES / "mixed-bundle.json"))
    old = next(r for r in plan.rows if r.found.resource_id == "Observation/ferr-old")
    assert not old.include
    assert old.addable
    vma = next(r for r in plan.rows if r.analyte == "VMA")
    assert any("usually keeps VMA in mg/L" in n for n in vma.notes)
    assert vma.found.unit == "mg/g{creat}"  # kept as the lab gave it


@pytest.mark.parametrize(("name", "birth", "mismatch"), [
    ("Mia", "2019-06-14", False),
    ("mia example", None, False),
    ("Leo", "2019-06-14", True),
    ("Mia", "2018-01-01", True),
])
def test_patient_check(fresh_store: Store, name: str, birth: str | None,
                       mismatch: bool) -> None:
    child = _child(fresh_store, name, birth)
    plan = build_review(fresh_store, child, read_findings(FILES / "mixed-bundle.json"))
    assert plan.patient_mismatch is mismatch
    if mismatch:
        assert "another person" in (plan.patient_warning or "").lower()


def test_patient_check_with_several_people() -> None:
    from nbcompanion.fhir.extract import PatientInfo

    warning, mismatch = patient_check("Mia", None, [PatientInfo("Patient/1", "Mia A", None),
                                                     PatientInfo("Patient/2", "Mia B", None)])
    assert mismatch
    assert "2 people" in (warning or "")


def test_remove_and_restore_an_import_exactly(fresh_store: Store) -> None:
    child = _child(fresh_store)
    plan = build_review(fresh_store, child, read_findings(FILES / "mixed-bundle.json"))
    plan.choices = {key: OTHER for key in plan.questions}
    outcome = apply_import(fresh_store, plan)
    tables = ("test", "test_value", "result_source", "test_type")
    after = {t: fresh_store.query(f"SELECT * FROM {t} ORDER BY id") for t in tables}
    snapshot = remove_import(fresh_store, outcome)
    assert fresh_store.query("SELECT * FROM test") == []
    assert fresh_store.query("SELECT * FROM result_source") == []
    assert not fresh_store.query("SELECT 1 FROM test_type WHERE name = ?", [OTHER_TYPE_NAME])
    restore_import(fresh_store, snapshot)
    assert {t: fresh_store.query(f"SELECT * FROM {t} ORDER BY id") for t in tables} == after


def test_a_failing_write_leaves_nothing_half_written(fresh_store: Store,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    child = _child(fresh_store)
    plan = build_review(fresh_store, child, read_findings(FILES / "observations.ndjson"))
    fresh_store.conn.execute(
        "CREATE TRIGGER boom BEFORE INSERT ON result_source WHEN "
        "(SELECT COUNT(*) FROM result_source) >= 3 BEGIN SELECT RAISE(ABORT, 'disk'); END")
    with pytest.raises(sqlite3.IntegrityError):
        apply_import(fresh_store, plan)
    assert fresh_store.query("SELECT * FROM test") == []
    assert fresh_store.query("SELECT * FROM test_value") == []


def test_values_that_cannot_be_added_are_shown_not_written(fresh_store: Store,
                                                           tmp_path: Path) -> None:
    child = _child(fresh_store)
    resource = json.loads((FILES / "observations.ndjson").read_text().splitlines()[0])
    negative = {**resource, "id": "neg", "valueQuantity": {**resource["valueQuantity"],
                                                           "value": -3}}
    undated = {k: v for k, v in resource.items() if k != "effectiveDateTime"}
    undated["id"] = "undated"
    path = tmp_path / "odd.ndjson"
    path.write_text("\n".join(json.dumps(r) for r in (negative, undated)), encoding="utf-8")
    plan = build_review(fresh_store, child, read_findings(path))
    problems = {r.found.resource_id: r.problem for r in plan.rows}
    assert "negative" in (problems["Observation/neg"] or "")
    assert "no date" in (problems["Observation/undated"] or "")
    assert plan.chosen_rows() == []


def test_export_then_import_into_an_empty_record_brings_the_same_values(
        fresh_store: Store, tmp_path: Path) -> None:
    child = _child(fresh_store)
    cbc = _type_id(fresh_store, "Blood counts (CBC)")
    own = fresh_store.db["test_type"].insert({"name": "Vitamin D", "category": "lab",
                                              "builtin": 0, "position": 99}).last_pk
    entries.save(fresh_store, "test", {
        "child_id": child, "test_type_id": cbc, "date": "2026-01-05",
        "status": "result_received",
        "values": [{"analyte": "Hemoglobin", "value": 9.8, "unit": "g/dL", "ref_low": 11.5,
                    "ref_high": 15.5},
                   {"analyte": "Platelets", "value": 45, "unit": "10^9/L"},
                   {"analyte": "Neutrophils (ANC)", "value": 0.4, "unit": None}]})
    entries.save(fresh_store, "test", {
        "child_id": child, "test_type_id": own, "date": "2026-01-07",
        "status": "result_received", "result_text": "Sample taken fasting",
        "values": [{"analyte": "25-OH vitamin D", "value": 62, "unit": "nmol/L"}]})
    folder = data_export.export_record_data(fresh_store, tmp_path)
    bundle_path = folder / "results-fhir-r4.json"
    bundle = json.loads(bundle_path.read_text(encoding="utf-8"))
    assert bundle == results_bundle(fresh_store, made_at=None) | {
        "timestamp": bundle["timestamp"]}
    observations = [e["resource"] for e in bundle["entry"]
                    if e["resource"]["resourceType"] == "Observation"]
    hemoglobin = next(o for o in observations if o["code"]["text"] == "Hemoglobin")
    assert hemoglobin["code"]["coding"][0] == {
        "system": "http://loinc.org", "code": "718-7",
        "display": "Hemoglobin [Mass/volume] in Blood"}
    platelets = next(o for o in observations if o["code"]["text"] == "Platelets")
    assert platelets["valueQuantity"] == {"value": 45, "unit": "10⁹/L",
                                          "system": "http://unitsofmeasure.org",
                                          "code": "10*9/L"}

    empty = Store.memory()
    try:
        again = _child(empty)
        empty.db["test_type"].insert({"name": "Vitamin D", "category": "lab", "builtin": 0,
                                      "position": 99})
        plan = build_review(empty, again, read_findings(bundle_path))
        assert not plan.patient_mismatch
        assert plan.questions == {}
        apply_import(empty, plan)
        original = [(d, a, v, u, lo, hi) for d, a, v, u, lo, hi in _values(fresh_store)]
        brought = _values(empty)
        assert [row[:3] + row[4:] for row in brought] == [row[:3] + row[4:] for row in original]
        # Units come back as UCUM codes where the app knows them.
        assert [row[3] for row in brought] == ["g/dL", None, "10*9/L", "nmol/L"]
        kinds = {r[0] for r in empty.execute(
            "SELECT y.name FROM test t JOIN test_type y ON y.id = t.test_type_id")}
        assert kinds == {"Blood counts (CBC)", "Vitamin D"}
    finally:
        empty.close()


def test_editing_an_imported_test_keeps_it_known_as_imported(fresh_store: Store) -> None:
    child = _child(fresh_store)
    plan = build_review(fresh_store, child, read_findings(FILES / "cbc-report.json"))
    outcome = apply_import(fresh_store, plan)
    test = entries.get(fresh_store, "test", outcome.test_ids[0])
    changed = [{**v, "value": v["value"] + 1} for v in test["values"]]
    entries.save(fresh_store, "test", {"values": changed}, outcome.test_ids[0])
    again = build_review(fresh_store, child, read_findings(FILES / "cbc-report.json"))
    assert all(row.duplicate == "Already in the record (brought in before)."
               for row in again.rows)
    sources = fresh_store.query("SELECT * FROM result_source")
    assert len(sources) == 5
    # An edited value keeps its row, so its source stays linked to it...
    values = {r[0] for r in fresh_store.execute("SELECT id FROM test_value")}
    assert {s["test_value_id"] for s in sources} == values
    # ...and a value taken out leaves its source with the test, unlinked from the value.
    entries.save(fresh_store, "test", {"values": changed[:1]}, outcome.test_ids[0])
    linked = [s["test_value_id"] for s in fresh_store.query("SELECT * FROM result_source")]
    assert sum(1 for v in linked if v is None) == 4
    assert all(r.duplicate for r in build_review(
        fresh_store, child, read_findings(FILES / "cbc-report.json")).rows)
