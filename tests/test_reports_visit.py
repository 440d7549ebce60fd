"""The visit summary PDF: its content, its order, its length, and its careful wording."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from nbcompanion.reports.chart import ChartPoint, PhaseBand
from nbcompanion.reports.full_record import FullRecordData, write_full_record
from nbcompanion.reports.visit_summary import Trend, VisitSummaryData, write_visit_summary

pytestmark = pytest.mark.usefixtures("qapp")


def text_of(path: Path) -> tuple[list[str], str]:
    pages = [" ".join(p.extract_text().split()) for p in PdfReader(path).pages]
    return pages, " ".join(pages)


def typical_visit(**changes: object) -> VisitSummaryData:
    start = date(2025, 9, 10)
    trend = Trend("VMA", "mg/g creat", [ChartPoint(start + timedelta(days=28 * i),
                                                   60 * 0.8 ** i, 100 + i, None, 10.0)
                                        for i in range(8)])
    data = VisitSummaryData(
        child={"name": "Maya Example", "birth_date": "2022-03-14", "stage": "M",
               "risk_group": "high", "mycn": "amplified", "diagnosis_date": "2025-08-20"},
        visit={"id": 9, "starts_at": "2026-05-12T09:30", "kind": "clinic",
               "clinician": "Dr. A. Rivera", "reason": "End of cycle 5"},
        today=date(2026, 5, 11), previous_visit={"starts_at": "2026-04-14T10:00"},
        phase={"kind": "induction", "start_date": "2025-09-01", "status": "active",
               "planned_end": "2026-06-30"},
        phase_day=254, age="4 years 1 month",
        events=[{"date": "2026-04-16", "kind": "chemo_cycle", "cycle_number": 5,
                 "drugs": "Cisplatin, etoposide"}],
        tests=[{"date": "2026-05-08", "test_type_name": "Ferritin", "status": "result_received",
                "values": [{"analyte": "Ferritin", "value": 312.5, "unit": "ng/mL",
                            "ref_low": 7.0, "ref_high": 140.0, "previous_value": 401.0,
                            "previous_date": "2026-04-10"}]},
               {"date": "2026-05-06", "test_type_name": "MIBG scan",
                "status": "result_received", "result_text": "Fewer areas of uptake."}],
        diary=[{"at": "2026-04-18T02:10", "symptom": "fever", "temperature_c": 38.6,
                "severity": "moderate", "notes": "Called the unit."}],
        questions=[{"text": "When is the next MIBG scan?", "answer": None},
                   {"text": "Can she go back to nursery?", "answer": "Yes, if counts allow."}],
        team=[{"name": "Sam Lee", "role": "pediatric_nurse_specialist",
               "phone": "+1 555 0101"}],
        trends=[trend], phases=[PhaseBand(date(2025, 9, 1), None, "Induction")])
    for key, value in changes.items():
        setattr(data, key, value)
    return data


def test_typical_visit_has_everything_in_order_on_two_pages_at_most(tmp_path: Path) -> None:
    result = write_visit_summary(typical_visit(), tmp_path / "visit.pdf")
    pages, text = text_of(result.path)
    assert 1 <= result.pages == len(pages) <= 2
    assert "Page 1 of" in pages[0]
    # Child and diagnosis sit side by side, so their lines may extract interleaved.
    for piece in ("Date of birth 14 Mar 2022", "Age 4 years 1 month", "Stage M", "High risk",
                  "Amplified"):
        assert piece in text
    expected_in_order = [
        "Visit summary — Maya Example", "12 May 2026, 09:30", "Dr. A. Rivera",
        "Induction", "day 254", "started 1 Sept 2025",
        "Chemotherapy cycle 5", "Cisplatin, etoposide",
        "Ferritin", "312.5", "ng/mL", "7–140", "outside the lab's range", "401",
        "10 Apr 2026", "Fewer areas of uptake.",
        "Trends of tracked tests",
        "Fever", "38.6 °C", "Moderate", "Called the unit.",
        "1. When is the next MIBG scan?", "2. Can she go back to nursery?",
        "Answer: Yes, if counts allow.",
        "Care team", "Sam Lee", "Pediatric nurse specialist", "+1 555 0101",
    ]
    position = 0
    for piece in expected_in_order:
        found = text.find(piece, position)
        assert found >= 0, f"{piece!r} missing or out of order"
        position = found


def test_wording_never_judges_a_result(tmp_path: Path) -> None:
    result = write_visit_summary(typical_visit(), tmp_path / "visit.pdf")
    _, text = text_of(result.path)
    for word in ("abnormal", "normal", "good", "bad", "high value", "low value", "improv",
                 "worse", "concern"):
        assert not re.search(rf"\b{word}", text, re.IGNORECASE), word


def test_family_text_is_shown_as_typed_never_as_markup(tmp_path: Path) -> None:
    data = typical_visit()
    data.child = {**data.child, "name": "Maya <b>Example</b> & co"}
    data.questions = [{"text": "Is <i>this</i> \ue000drawing:trend-0\ue001 fine?",
                       "answer": None}]
    data.tests[0]["notes"] = "\ue000drawing:legend\ue001"
    result = write_visit_summary(data, tmp_path / "escaped.pdf")
    _, text = text_of(result.path)
    assert "Maya <b>Example</b> & co" in text
    assert "Is <i>this</i> drawing:trend-0 fine?" in text
    assert "drawing:legend" in text


def test_an_empty_record_still_makes_a_kind_summary(tmp_path: Path) -> None:
    data = typical_visit(previous_visit=None, phase=None, phase_day=None, events=[], tests=[],
                         diary=[], questions=[], team=[], trends=[], phases=[])
    result = write_visit_summary(data, tmp_path / "empty.pdf")
    pages, text = text_of(result.path)
    assert len(pages) == 1
    assert "Page 1 of 1" in text
    assert "No treatment phase is under way in the record." in text
    assert "No tests recorded in this time." in text
    assert "No questions written down for this visit." in text
    assert "Treatment recorded before this visit" in text


def test_a_long_visit_continues_its_tables_with_headers(tmp_path: Path) -> None:
    many = [{"date": f"2026-05-{1 + i % 9:02d}", "test_type_name": "Blood counts (CBC)",
             "status": "result_received",
             "values": [{"analyte": "Platelets", "value": 100 + i, "unit": "10^9/L",
                         "ref_low": 150.0, "ref_high": 450.0}]} for i in range(70)]
    result = write_visit_summary(typical_visit(tests=many), tmp_path / "long.pdf")
    pages, _ = text_of(result.path)
    assert result.pages >= 3
    assert "Page 3 of" in pages[2]
    carrying = [p for p in pages[1:] if "Platelets" in p]
    assert carrying
    for page in carrying:
        assert "Result Value Unit Lab's range Previous value" in page


def test_full_record_has_contents_with_page_numbers(tmp_path: Path) -> None:
    data = typical_visit()
    tests = [{"id": i, "date": f"{2019 + i // 20}-0{1 + i % 9}-10",
              "test_type_name": "Ferritin", "status": "result_received",
              "values": [{"analyte": "Ferritin", "value": 200 + i, "unit": "ng/mL",
                          "ref_low": 7.0, "ref_high": 140.0}]} for i in range(120)]
    record = FullRecordData(
        child=data.child, today=date(2026, 5, 11), age="4 years",
        phases=[data.phase], events=data.events, tests=tests,
        visits=[{"starts_at": "2026-05-12T09:30", "kind": "clinic", "notes": "Reviewed",
                 "questions": [{"text": "Next scan?", "answer": "June"}]}],
        diary=data.diary, medicines=[{"name": "Ondansetron", "dose": "4 mg",
                                      "start_date": "2026-01-01"}],
        trends=data.trends, bands=data.phases, team=data.team)
    result = write_full_record(record, tmp_path / "full.pdf")
    pages, text = text_of(result.path)
    assert result.pages == len(pages) >= 4
    assert f"Page 1 of {result.pages}" in pages[0]
    contents = pages[0]
    for title in ("Profile and diagnosis", "Treatment phases", "Treatment events",
                  "Tests and results", "Visits", "Symptom diary", "Medicines"):
        assert title in contents
    match = re.search(r"Tests and results (\d+)", contents)
    assert match, contents
    page_number = int(match.group(1))
    assert "Tests and results" in pages[page_number - 1]
    assert "page:s" not in text
    assert "Question: Next scan?" in text
    assert "Answer: June" in text
    assert "Ondansetron" in text
    assert "Full care record" in pages[-1]


def test_full_record_long_month_is_laid_out_in_short_pieces(tmp_path: Path) -> None:
    """A month of many tests becomes several short documents (each laid out in one short
    call, so the window keeps answering), printed as one list: every value once, each under
    its own date and test on the same page."""
    from nbcompanion.reports import full_record

    data = typical_visit()
    tests = [{"id": i, "date": f"2024-03-{1 + i % 28:02d}", "test_type_name": "Ferritin",
              "status": "result_received",
              "values": [{"analyte": "Ferritin", "value": 1000 + i, "unit": "ng/mL",
                          "ref_low": 7.0, "ref_high": 140.0}],
              "notes": "A longer note about how the morning went. " * (i % 4)}
             for i in range(90)]
    record = FullRecordData(child=data.child, today=date(2026, 5, 11), tests=tests)
    html, _drawings, _anchors = full_record.record_html(record)
    results = [part for part in html if "Ferritin" in part]
    assert len(results) >= -(-90 // full_record.PIECE_ROWS) >= 2
    assert all(part.count("<h5") <= full_record.PIECE_ROWS for part in results)
    result = write_full_record(record, tmp_path / "full.pdf")
    pages, text = text_of(result.path)
    for i in range(90):
        assert text.count(f"Ferritin {1000 + i} ") == 1, i
        page = next(page for page in pages if f"Ferritin {1000 + i} " in page)
        head = f"{1 + i % 28} Mar 2024 · Ferritin"
        assert head in page.split(f"Ferritin {1000 + i} ")[0], i  # its heading above it
    assert len([page for page in pages if "Ferritin 1" in page]) >= 2
