"""Make a realistic ten-year care record for the benchmarks.

Two children; for the first, years of treatment and follow-up: daily blood counts and
chemistry during treatment (the first ``TREATMENT_DAYS``) and every other day afterwards,
monthly urine catecholamines and ferritin, scans, a visit on every lab day (and a second on
every other treatment day), a daily diary and a twice-daily dose log. Ten years give the
"big record" of issue 12: more than 50,000 results and 3,000 visits. Rows go in with
``insert_all`` in one transaction, so it takes seconds.

    python bench/generate_record.py OUT.sqlite3 [years]
"""

from __future__ import annotations

import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from nbcompanion.record.store import Store, now_iso, open_store

SYMPTOMS = ("fever", "tiredness", "nausea", "bone_pain", "poor_appetite", "diarrhea", "rash",
            "pain", "constipation")
CBC_PANEL = (
    ("White blood cells", 5, 4.5, 13.5), ("Neutrophils (ANC)", 2.5, 1.5, 8.0),
    ("Lymphocytes", 2, 1.5, 6.5), ("Monocytes", 0.5, 0.2, 1.0), ("Eosinophils", 0.2, 0, 0.5),
    ("Red blood cells", 4.5, 3.9, 5.3), ("Hemoglobin", 11, 11.5, 14.5),
    ("Hematocrit", 35, 34, 40), ("MCV", 80, 75, 87), ("Platelets", 200, 150, 450),
    ("Reticulocytes", 1.2, 0.5, 2.5), ("RDW", 13, 11.5, 14.5))
CHEMISTRY_PANEL = (
    ("LDH", 250, 120, 300), ("Sodium", 139, 135, 145), ("Potassium", 4.2, 3.5, 5.1),
    ("Chloride", 103, 98, 107), ("Bicarbonate", 24, 20, 28), ("BUN", 12, 5, 18),
    ("Creatinine (blood)", 0.4, 0.2, 0.6), ("Glucose", 90, 70, 110), ("Calcium", 9.6, 8.8, 10.8),
    ("Magnesium", 2.0, 1.7, 2.4), ("ALT", 25, 5, 45), ("AST", 35, 15, 60))
VISIT_KINDS = ("clinic", "clinic", "infusion", "scan_day", "follow_up", "hospital_stay")
#: Induction to the end of post-maintenance: labs every day, and two visits on alternate days.
TREATMENT_DAYS = 1210
#: After treatment, labs (and a visit) every this many days.
FOLLOW_UP_EVERY = 2


def lab_day(offset: int) -> bool:
    """True on the days the generated child has blood drawn."""
    return offset < TREATMENT_DAYS or offset % FOLLOW_UP_EVERY == 0


#: The day (from the start) the family moved to a lab that prints US units.
LAB_CHANGE = 4 * 365
#: analyte → (unit at the first lab, unit at the second lab, factor from the first to the
#: second), as a family that changed labs has them. Other results carry no unit.
LAB_UNITS = {
    "White blood cells": ("10*9/L", "10*3/uL", 1.0),
    "Neutrophils (ANC)": ("10*9/L", "/uL", 1000.0),
    "Platelets": ("10*9/L", "10*3/uL", 1.0),
    "Hemoglobin": ("g/dL", "g/L", 10.0),
    "LDH": ("U/L", "U/L", 1.0),
    "Ferritin": ("ng/mL", "ug/L", 1.0),
    "VMA": ("mg/L", "umol/L", 5.046),
    "HVA": ("mg/L", "umol/L", 5.489),
    "Creatinine (urine)": ("g/L", "mmol/L", 8.84),
    "Curie score": ("{score}", "{score}", 1.0),
}


def _value(test_id: int, analyte: str, value: float, low: float, high: float,
           second_lab: bool) -> dict[str, Any]:
    """One result with the unit its lab printed, and the family/factor the app stamps."""
    from nbcompanion.record import units

    unit, scale = None, 1.0
    if analyte in LAB_UNITS:
        first, second, factor = LAB_UNITS[analyte]
        unit, scale = (second, factor) if second_lab else (first, 1.0)
    place = units.canonical(unit, analyte) if unit else None
    return {"test_id": test_id, "analyte": analyte, "value": round(max(0.0, value * scale), 2),
            "unit": unit, "ref_low": low * scale or None, "ref_high": high * scale or None,
            "unit_family": place.family if place else None,
            "unit_factor": place.factor if place else None}


def _day(start: date, offset: int) -> str:
    return (start + timedelta(days=offset)).isoformat()


def generate(path: Path | str, years: int = 10, seed: int = 7) -> dict[str, int]:
    """Write a ``years``-long record to ``path`` (created); returns rows per table."""
    rng = random.Random(seed)
    store = open_store(path)
    try:
        with store.transaction():
            _fill(store, years, rng)
        return {name: store.db[name].count for name in store.table_names()}
    finally:
        store.close()


def _fill(store: Store, years: int, rng: random.Random) -> None:
    db = store.db
    stamp = now_iso()
    stamps = {"created_at": stamp, "updated_at": stamp}
    today = date.today()
    start = today - timedelta(days=365 * years)
    types = {row["name"]: row["id"] for row in store.query("SELECT id, name FROM test_type")}
    child_id = int(db["child"].insert({
        "name": "Generated Child (benchmark)", "birth_date": _day(start, -500),
        "diagnosis_date": _day(start, 0), "stage": "M", "risk_group": "high",
        "mycn": "amplified", **stamps}).last_pk)
    db["child"].insert({"name": "Generated Sibling (benchmark)",
                        "birth_date": _day(start, 300), **stamps})
    db["setting"].upsert({"key": "active_child_id", "value": str(child_id)}, pk="key")
    days = (today - start).days

    phases = [("induction", 0, 150), ("consolidation", 160, 290), ("maintenance", 300, 470),
              ("post_maintenance", 480, 1210), ("observation", 1220, days - 1)]
    phase_ids = []
    for kind, first, last in phases:
        phase_ids.append(int(db["phase"].insert({
            "child_id": child_id, "kind": kind, "start_date": _day(start, first),
            "planned_end": _day(start, last), "actual_end": _day(start, last) if last < days - 1
            else None, "status": "completed" if last < days - 1 else "active", **stamps}
        ).last_pk))
    db["treatment_event"].insert_all({
        "child_id": child_id, "phase_id": phase_ids[0 if offset < 150 else 2],
        "date": _day(start, offset), "kind": "chemo_cycle" if offset < 150 else "dinutuximab",
        "cycle_number": n + 1, **stamps}
        for n, offset in enumerate([*range(0, 150, 21), *range(300, 470, 28)]))

    tests: list[dict[str, Any]] = []
    plan: list[tuple[str, list[tuple[str, str, float, float, float]]]] = []
    for offset in range(days):
        if lab_day(offset):
            # A full blood count and a chemistry panel, as drawn at most clinic visits.
            plan.append((_day(start, offset), [
                ("Blood counts (CBC)", name, typical, low, high)
                for name, typical, low, high in CBC_PANEL]))
            plan.append((_day(start, offset), [
                ("Blood chemistry (LDH)", name, typical, low, high)
                for name, typical, low, high in CHEMISTRY_PANEL]))
        if offset % 30 == 3:
            plan.append((_day(start, offset), [
                ("Urine catecholamines (VMA and HVA)", "VMA", 60 if offset < 200 else 6, 0, 8),
                ("Urine catecholamines (VMA and HVA)", "HVA", 80 if offset < 200 else 9, 0, 12),
                ("Urine catecholamines (VMA and HVA)", "Creatinine (urine)", 0.5, 0.2, 2)]))
        if offset % 30 == 5:
            plan.append((_day(start, offset), [("Ferritin", "Ferritin", 80, 7, 140)]))
        if offset % 90 == 10:
            plan.append((_day(start, offset), [("MIBG scan", "Curie score", 0, 0, 0)]))
    test_rows = []
    for when, values in plan:
        test_rows.append({"child_id": child_id, "test_type_id": types[values[0][0]],
                          "date": when, "status": "result_received",
                          "place": rng.choice(("Main lab", "Clinic lab", "Imaging")), **stamps})
        tests.append({"values": values})
    first_id = (db.execute("SELECT coalesce(max(id), 0) FROM test").fetchone()[0]) + 1
    db["test"].insert_all(test_rows, batch_size=1000)
    db["test_value"].insert_all((
        _value(first_id + index, analyte, typical * rng.uniform(0.7, 1.3), low, high,
               test_rows[index]["date"] >= _day(start, LAB_CHANGE))
        for index, test in enumerate(tests)
        for _type, analyte, typical, low, high in test["values"]), batch_size=2000)

    db["visit"].insert_all(({
        "child_id": child_id, "starts_at": f"{_day(start, offset)}T{rng.randint(8, 16):02d}:30",
        "kind": rng.choice(VISIT_KINDS), "clinician": "Dr. Benchmark",
        "place": "Oncology clinic", "reason": "Check-up", **stamps}
        for offset in _visit_days(days)), batch_size=1000)
    db["diary_entry"].insert_all(({
        "child_id": child_id, "at": f"{_day(start, offset)}T{rng.randint(7, 21):02d}:00",
        "symptom": (symptom := rng.choice(SYMPTOMS)),
        "temperature_c": round(rng.uniform(37.5, 39.5), 1) if symptom == "fever" else None,
        "severity": rng.choice(("mild", "moderate", "severe")), **stamps}
        for offset in range(days)), batch_size=2000)
    db["question"].insert_all({"child_id": child_id, "text": f"Question {n}", "asked": 1,
                               "answer": "Answered", **stamps} for n in range(300))
    medicine_id = int(db["medicine"].insert({
        "child_id": child_id, "name": "Benchmark medicine", "dose_times": "08:00, 20:00",
        "start_date": _day(start, 480), **stamps}).last_pk)
    db["dose_log"].insert_all(({
        "medicine_id": medicine_id, "due_at": f"{_day(start, offset)}T{hour}",
        "at": f"{_day(start, offset)}T{hour}", "status": "given", "created_at": stamp}
        for offset in range(480, days) for hour in ("08:00", "20:00")), batch_size=2000)
    db["care_team_member"].insert_all({"child_id": child_id, "name": f"Team member {n}",
                                       "role": "other", **stamps} for n in range(12))


def _visit_days(days: int) -> list[int]:
    """A visit on every lab day, a second on alternate treatment days, and 30 days ahead."""
    found = [offset for offset in range(days) if lab_day(offset)]
    found += range(0, min(days, TREATMENT_DAYS), 2)
    found += range(days, days + 60, 2)
    return sorted(found)


def main() -> None:
    """Command line: ``generate_record.py OUT [years]``."""
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("ten-year-record.sqlite3")
    years = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    if out.exists():
        sys.exit(f"{out} exists; choose a new file name")
    started = time.perf_counter()
    counts = generate(out, years)
    print(f"wrote {out} in {time.perf_counter() - started:.1f} s: "
          + ", ".join(f"{name} {count}" for name, count in counts.items() if count))


if __name__ == "__main__":
    main()
