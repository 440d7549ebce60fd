"""The record's results as a FHIR R4 Bundle, for a clinic or another app to take in.

One Patient per child, one DiagnosticReport per test with values (its written result as the
report's conclusion) and one Observation per value: LOINC where the app knows the code,
UCUM where it can vouch for the unit, the lab's range as ``referenceRange``. Each
Observation also names the record's test kind in the app's own code system, so bringing the
Bundle back into an empty record puts each value under the same test.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from nbcompanion.fhir.loinc import (
    EXPORT_CODES,
    LOINC_SYSTEM,
    TEST_KIND_SYSTEM,
    UCUM_SYSTEM,
    ucum_code,
)
from nbcompanion.record.store import Store
from nbcompanion.record.units import display

FILE_NAME = "results-fhir-r4.json"
LAB_CATEGORY = [{"coding": [{
    "system": "http://terminology.hl7.org/CodeSystem/observation-category",
    "code": "laboratory", "display": "Laboratory"}]}]


def _quantity(value: float, unit: str | None) -> dict[str, Any]:
    quantity: dict[str, Any] = {"value": value}
    if unit:
        code = ucum_code(unit)
        # The human-readable unit, as the screen and the PDF show it (10⁹/L).
        quantity["unit"] = display(code or unit)
        if code:
            quantity.update(system=UCUM_SYSTEM, code=code)
    return quantity


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def results_bundle(store: Store, *, made_at: datetime | None = None,
                   child_ids: list[int] | None = None) -> dict[str, Any]:
    """Every child's (or only ``child_ids``') test values as one FHIR R4 ``collection``
    Bundle (a JSON-ready dict)."""
    made_at = made_at or datetime.now().astimezone()
    entries: list[dict[str, Any]] = []
    for child in store.query("SELECT id, name, birth_date FROM child ORDER BY id"):
        if child_ids is not None and child["id"] not in child_ids:
            continue
        patient: dict[str, Any] = {"resourceType": "Patient", "id": f"child-{child['id']}",
                                   "name": [{"text": child["name"]}]}
        if child["birth_date"]:
            patient["birthDate"] = child["birth_date"]
        entries.append({"fullUrl": f"urn:nbcompanion:Patient/child-{child['id']}",
                        "resource": patient})
        subject = {"reference": f"Patient/child-{child['id']}", "display": child["name"]}
        tests = store.query(
            "SELECT t.id, t.date, t.result_text, y.name AS type_name FROM test t "
            "JOIN test_type y ON y.id = t.test_type_id WHERE t.child_id = ? AND EXISTS "
            "(SELECT 1 FROM test_value v WHERE v.test_id = t.id) ORDER BY t.date, t.id",
            [child["id"]])
        values: dict[int, list[dict[str, Any]]] = {}
        for row in store.query(
                "SELECT v.* FROM test_value v JOIN test t ON t.id = v.test_id "
                "WHERE t.child_id = ? ORDER BY v.id", [child["id"]]):
            values.setdefault(row["test_id"], []).append(row)
        for test in tests:
            references = []
            for value in values.get(test["id"], []):
                observation = _observation(test, value, subject)
                references.append({"reference": f"Observation/{observation['id']}"})
                entries.append({"fullUrl": f"urn:nbcompanion:Observation/{observation['id']}",
                                "resource": observation})
            report: dict[str, Any] = {
                "resourceType": "DiagnosticReport", "id": f"test-{test['id']}",
                "status": "final",
                "code": {"coding": [{"system": TEST_KIND_SYSTEM, "code": test["type_name"]}],
                         "text": test["type_name"]},
                "subject": subject, "effectiveDateTime": test["date"], "result": references}
            if test["result_text"]:
                report["conclusion"] = test["result_text"]
            entries.append({"fullUrl": f"urn:nbcompanion:DiagnosticReport/test-{test['id']}",
                            "resource": report})
    return {"resourceType": "Bundle", "type": "collection",
            "timestamp": made_at.isoformat(timespec="seconds"), "entry": entries}


def _observation(test: dict[str, Any], value: dict[str, Any],
                 subject: dict[str, Any]) -> dict[str, Any]:
    codings = []
    loinc = EXPORT_CODES.get((test["type_name"], value["analyte"]))
    if loinc is not None:
        codings.append({"system": LOINC_SYSTEM, "code": loinc.code, "display": loinc.long_name})
    codings.append({"system": TEST_KIND_SYSTEM, "code": test["type_name"]})
    observation: dict[str, Any] = {
        "resourceType": "Observation", "id": f"test-{test['id']}-value-{value['id']}",
        "status": "final", "category": LAB_CATEGORY,
        "code": {"coding": codings, "text": value["analyte"]},
        "subject": subject, "effectiveDateTime": test["date"],
        "valueQuantity": _quantity(_number(value["value"]), value["unit"]),
    }
    reference: dict[str, Any] = {}
    if value["ref_low"] is not None:
        reference["low"] = _quantity(_number(value["ref_low"]), value["unit"])
    if value["ref_high"] is not None:
        reference["high"] = _quantity(_number(value["ref_high"]), value["unit"])
    if reference:
        observation["referenceRange"] = [reference]
    return observation
