"""Reports made from a real record: the visit summary and full record through the queries."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from nbcompanion.record import entries
from nbcompanion.record.store import Store
from nbcompanion.reports.gather import export_full_record, export_visit_summary

pytestmark = pytest.mark.usefixtures("qapp")

NOW = datetime(2026, 5, 11, 20, 30)


def text_of(path: Path) -> tuple[list[str], str]:
    pages = [" ".join(p.extract_text().split()) for p in PdfReader(path).pages]
    return pages, " ".join(pages)


def type_id(store: Store, name: str) -> int:
    return int(store.query("SELECT id FROM test_type WHERE name = ?", [name])[0]["id"])


def build_record(store: Store) -> dict[str, int]:
    """A small, realistic record: two visits, tests either side of the earlier one."""
    child = entries.save(store, "child", {
        "name": "Maya Example", "birth_date": "2022-03-14", "diagnosis_date": "2025-08-20",
        "stage": "M", "risk_group": "high", "mycn": "amplified", "primary_site": "adrenal"})
    phase = entries.save(store, "phase", {"child_id": child, "kind": "induction",
                                          "start_date": "2025-09-01", "status": "active",
                                          "planned_end": "2026-06-30"})
    entries.save(store, "treatment_event", {"child_id": child, "phase_id": phase,
                                            "date": "2026-03-02", "kind": "chemo_cycle",
                                            "cycle_number": 4, "drugs": "Old drug list"})
    entries.save(store, "treatment_event", {"child_id": child, "phase_id": phase,
                                            "date": "2026-04-16", "kind": "chemo_cycle",
                                            "cycle_number": 5, "drugs": "Cisplatin, etoposide"})
    ferritin = type_id(store, "Ferritin")
    urine = type_id(store, "Urine catecholamines (VMA and HVA)")
    entries.save(store, "test", {"child_id": child, "test_type_id": ferritin,
                                 "date": "2026-04-01", "status": "result_received",
                                 "values": [{"analyte": "Ferritin", "value": 401.0,
                                             "unit": "ng/mL", "ref_low": 7.0,
                                             "ref_high": 140.0}]})
    entries.save(store, "test", {"child_id": child, "test_type_id": ferritin,
                                 "date": "2026-05-08", "status": "result_received",
                                 "values": [{"analyte": "Ferritin", "value": 312.5,
                                             "unit": "ng/mL", "ref_low": 7.0,
                                             "ref_high": 140.0}]})
    entries.save(store, "test", {"child_id": child, "test_type_id": urine,
                                 "date": "2026-05-07", "status": "result_received",
                                 "values": [{"analyte": "VMA", "value": 12.4,
                                             "unit": "mg/g creatinine", "ref_high": 10.0},
                                            {"analyte": "HVA", "value": 9.1,
                                             "unit": "mg/g creatinine", "ref_high": 15.0}]})
    previous = entries.save(store, "visit", {"child_id": child, "starts_at": "2026-04-14T10:00",
                                             "kind": "clinic", "clinician": "Dr. A. Rivera"})
    visit = entries.save(store, "visit", {"child_id": child, "starts_at": "2026-05-12T09:30",
                                          "kind": "clinic", "clinician": "Dr. A. Rivera",
                                          "place": "Oncology clinic"})
    entries.save(store, "question", {"child_id": child, "visit_id": visit,
                                     "text": "When is the next MIBG scan?"})
    entries.save(store, "diary_entry", {"child_id": child, "at": "2026-04-18T02:10",
                                        "symptom": "fever", "temperature_c": 38.6,
                                        "severity": "moderate", "notes": "Called the unit."})
    entries.save(store, "care_team_member", {"child_id": child, "name": "Sam Lee",
                                             "role": "pediatric_nurse_specialist",
                                             "phone": "+1 555 0101"})
    entries.save(store, "medicine", {"child_id": child, "name": "Ondansetron", "dose": "4 mg",
                                     "start_date": "2026-01-10"})
    return {"child": child, "visit": visit, "previous": previous}


def test_visit_summary_from_the_record(fresh_store: Store, tmp_path: Path) -> None:
    ids = build_record(fresh_store)
    result = export_visit_summary(fresh_store, ids["visit"], tmp_path / "visit.pdf", now=NOW)
    pages, text = text_of(result.path)
    assert result.pages == len(pages) <= 2
    assert f"Page 1 of {result.pages}" in pages[0]
    for piece in ("Maya Example", "14 Mar 2022", "Stage M", "High risk", "Induction",
                  "Chemotherapy cycle 5", "Cisplatin, etoposide", "Ferritin", "312.5",
                  "ng/mL", "7–140", "outside the lab's range", "401", "VMA", "12.4",
                  "mg/g creatinine", "Fever", "38.6 °C", "When is the next MIBG scan?",
                  "Sam Lee", "+1 555 0101", "Trends of tracked tests"):
        assert piece in text, piece
    assert "Old drug list" not in text  # before the previous visit: not in this summary
    assert re.search(r"day \d+", text)


def test_visit_summary_of_the_first_visit(fresh_store: Store, tmp_path: Path) -> None:
    ids = build_record(fresh_store)
    result = export_visit_summary(fresh_store, ids["previous"], tmp_path / "first.pdf", now=NOW)
    _, text = text_of(result.path)
    assert "Maya Example" in text
    assert "401" in text
    assert "312.5" not in text  # recorded after this visit


def test_full_record_from_the_record(fresh_store: Store, tmp_path: Path) -> None:
    ids = build_record(fresh_store)
    result = export_full_record(fresh_store, ids["child"], tmp_path / "full.pdf", now=NOW)
    pages, text = text_of(result.path)
    assert result.pages == len(pages) >= 2
    assert f"Page {result.pages} of {result.pages}" in pages[-1]
    for piece in ("Contents", "Profile and diagnosis", "Old drug list", "Cisplatin, etoposide",
                  "401", "312.5", "12.4", "When is the next MIBG scan?", "Ondansetron",
                  "Sam Lee", "Fever"):
        assert piece in text, piece
