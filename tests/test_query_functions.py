"""The record's read questions, with the clock fixed."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from nbcompanion.record import dates, entries, queries, units, writes
from nbcompanion.record.errors import ValidationError
from nbcompanion.record.store import Store

NOW = datetime(2026, 3, 10, 9, 0)
TODAY = NOW.date()
STAMP = "2026-01-01T00:00:00"


@pytest.fixture
def record(fresh_store: Store) -> dict[str, int]:
    db = fresh_store.db
    child = int(db["child"].insert({"name": "Ava", "birth_date": "2022-01-15",
                                    "created_at": STAMP, "updated_at": STAMP}).last_pk)

    def add(table: str, **row: object) -> int:
        return int(db[table].insert({"created_at": STAMP, "updated_at": STAMP, **row}).last_pk)

    def test(day: str, status: str = "result_received", type_id: int = 1,
             place: str | None = None, values: tuple[tuple[str, float, str], ...] = ()) -> int:
        test_id = add("test", child_id=child, test_type_id=type_id, date=day, status=status,
                      place=place)
        for analyte, value, unit in values:
            place = units.canonical(unit, analyte)
            db["test_value"].insert({"test_id": test_id, "analyte": analyte, "value": value,
                                     "unit": unit, "ref_low": 0.0, "ref_high": 10.0,
                                     "unit_family": place.family, "unit_factor": place.factor})
        return test_id

    ids = {"child": child}
    ids["t1"] = test("2026-01-05", place="Lab B", values=(("VMA", 30.0, "mg/L"),
                                                          ("Creatinine (urine)", 0.5, "g/L")))
    ids["t2"] = test("2026-02-05", place="Lab A", values=(("VMA", 8.0, "mg/L"),
                                                          ("Creatinine (urine)", 0.4, "g/L")))
    ids["t3"] = test("2026-02-20", type_id=3, values=(("Ferritin", 60.0, "ng/mL"),))
    ids["t4"] = test("2026-03-20", status="scheduled")
    ids["phase"] = add("phase", child_id=child, kind="maintenance", start_date="2026-03-01",
                       planned_end="2026-03-30", status="active")
    add("phase", child_id=child, kind="induction", start_date="2025-10-01",
        actual_end="2026-02-01", status="completed")
    ids["past_visit"] = add("visit", child_id=child, starts_at="2026-02-06T10:00", kind="clinic")
    ids["next_visit"] = add("visit", child_id=child, starts_at="2026-03-12T09:30",
                            kind="clinic")
    ids["later_visit"] = add("visit", child_id=child, starts_at="2026-04-01T09:30",
                             kind="scan_day")
    ids["open_q"] = add("question", child_id=child, text="Open?")
    ids["attached_q"] = add("question", child_id=child, text="For later", visit_id=ids[
        "later_visit"])
    ids["asked_q"] = add("question", child_id=child, text="Asked", asked=1, answer="Yes",
                         visit_id=ids["past_visit"])
    add("diary_entry", child_id=child, at="2026-02-10T20:00", symptom="fever",
        temperature_c=38.5)
    add("diary_entry", child_id=child, at="2026-03-09T08:00", symptom="tiredness")
    ids["medicine"] = add("medicine", child_id=child, name="Iso", dose_times="20:00, 08:00",
                          start_date="2026-03-01")
    add("medicine", child_id=child, name="Old", start_date="2025-01-01",
        stop_date="2025-12-31")
    return ids


def test_tests_list_filters_sorts_pages_and_counts_agree(fresh_store: Store,
                                                         record: dict[str, int]) -> None:
    child = record["child"]
    rows = queries.list_tests(fresh_store, child)
    assert [r["id"] for r in rows] == [record[k] for k in ("t4", "t3", "t2", "t1")]
    assert queries.values_text(rows[2]["values"]) == "VMA 8 mg/L · Creatinine (urine) 0.4 g/L"
    assert [r["place"] for r in queries.list_tests(fresh_store, child, sort="place",
                                                   descending=False)][-2:] == ["Lab A", "Lab B"]
    filters = {"type_id": 1, "status": "result_received", "date_from": "2026-01-10",
               "date_to": "2026-12-31"}
    assert [r["id"] for r in queries.list_tests(fresh_store, child, **filters)] == [record["t2"]]
    assert queries.count_tests(fresh_store, child, **filters) == 1
    assert queries.count_tests(fresh_store, child, text="Lab A") == 1
    assert len(queries.list_tests(fresh_store, child, limit=2, offset=3)) == 1
    with pytest.raises(ValueError, match="unknown sort"):
        queries.list_tests(fresh_store, child, sort="colour")
    assert [r["id"] for r in queries.type_history(fresh_store, child, 3)] == [record["t3"]]


def test_visits_upcoming_first_then_newest(fresh_store: Store, record: dict[str, int]) -> None:
    rows = queries.list_visits(fresh_store, record["child"], now=NOW)
    assert [r["id"] for r in rows] == [record["next_visit"], record["later_visit"],
                                       record["past_visit"]]
    assert [r["upcoming"] for r in rows] == [True, True, False]
    assert queries.count_visits(fresh_store, record["child"], kind="clinic") == 2
    assert queries.next_visit(fresh_store, record["child"], NOW)["id"] == record["next_visit"]
    assert queries.previous_visit(fresh_store, record["child"], "2026-03-12T09:30")["id"] == (
        record["past_visit"])


def test_current_phase_and_day_numbers(fresh_store: Store, record: dict[str, int]) -> None:
    phase = queries.current_phase(fresh_store, record["child"], TODAY)
    assert (phase["kind"], phase["day_number"], phase["planned_days"]) == ("maintenance", 10, 30)
    assert queries.current_phase(fresh_store, record["child"], date(2025, 1, 1)) is None
    assert dates.age_text("2022-01-15", TODAY) == "4 years 1 month"
    assert dates.age_text("2025-12-01", TODAY) == "3 months"
    assert dates.age_text("2026-03-01", TODAY) == "9 days"
    assert dates.age_text(None, TODAY) == ""


def test_latest_results_series_and_ratio(fresh_store: Store, record: dict[str, int]) -> None:
    child = record["child"]
    latest = {r["analyte"]: r for r in queries.latest_results(fresh_store, child)}
    assert (latest["VMA"]["value"], latest["VMA"]["previous_value"],
            latest["VMA"]["trend"], latest["VMA"]["outside_range"]) == (8.0, 30.0, "down", False)
    assert latest["Ferritin"]["trend"] is None
    assert latest["Ferritin"]["outside_range"] is True
    assert queries.numeric_analytes(fresh_store, child) == ["Creatinine (urine)", "Ferritin",
                                                            "VMA"]
    assert [p["value"] for p in queries.series(fresh_store, child, "VMA")] == [30.0, 8.0]
    ratio = queries.ratio_series(fresh_store, child, "VMA")
    assert [(pytest.approx(p["value"]), p["unit"]) for p in ratio] == [
        (60.0, "mg/g{creat}"), (20.0, "mg/g{creat}")]


def test_since_brings_previous_values(fresh_store: Store, record: dict[str, int]) -> None:
    window = queries.since(fresh_store, record["child"], "2026-02-06T10:00", "2026-03-12T09:30")
    assert [t["id"] for t in window["tests"]] == [record["t3"]]
    assert [d["symptom"] for d in window["diary"]] == ["fever", "tiredness"]
    everything = queries.since(fresh_store, record["child"], None, "2026-03-12")
    vma_in_february = next(v for t in everything["tests"] if t["id"] == record["t2"]
                           for v in t["values"] if v["analyte"] == "VMA")
    assert (vma_in_february["previous_value"], vma_in_february["previous_date"]) == (
        30.0, "2026-01-05")


def test_questions_follow_the_family_to_the_next_visit(fresh_store: Store,
                                                       record: dict[str, int]) -> None:
    texts = [q["text"] for q in queries.questions_for_visit(fresh_store, record["next_visit"],
                                                            NOW)]
    assert texts == ["Open?"]
    later = [q["text"] for q in queries.questions_for_visit(fresh_store, record["later_visit"],
                                                            NOW)]
    assert later == ["For later"]
    writes.mark_asked(fresh_store, record["open_q"], record["next_visit"], " Soon. ")
    assert next(q["text"] for q in queries.answered_questions(fresh_store, record["child"])) == (
        "Open?")
    assert [q["text"] for q in queries.open_questions(fresh_store, record["child"])] == [
        "For later"]
    assert entries.get(fresh_store, "question", record["open_q"])["answer"] == "Soon."


def test_todays_doses_and_logging(fresh_store: Store, record: dict[str, int]) -> None:
    child, medicine = record["child"], record["medicine"]
    doses = queries.todays_doses(fresh_store, child, datetime(2026, 3, 10, 8, 30))
    assert [(d["due_at"], d["status"]) for d in doses] == [("2026-03-10T08:00", "due"),
                                                           ("2026-03-10T20:00", "upcoming")]
    assert next(d["status"] for d in queries.todays_doses(fresh_store, child,
                                                      datetime(2026, 3, 10, 9, 30))) == (
        "missed")
    writes.log_dose(fresh_store, medicine, "skipped", "2026-03-10T08:05",
                     due_at="2026-03-10T08:00", reason="Asleep")
    doses = queries.todays_doses(fresh_store, child, datetime(2026, 3, 10, 9, 30))
    assert doses[0]["status"] == "skipped"
    assert [d["reason"] for d in queries.list_doses(fresh_store, medicine)] == ["Asleep"]
    assert [m["name"] for m in queries.list_medicines(fresh_store, child,
                                                      active_on=TODAY)] == ["Iso"]
    with pytest.raises(ValidationError):
        writes.log_dose(fresh_store, medicine, "given", "2026-02-01T08:00")


def test_diary_team_timeline_and_test_types(fresh_store: Store, record: dict[str, int]) -> None:
    child = record["child"]
    assert [d["symptom"] for d in queries.list_diary(fresh_store, child)] == ["tiredness",
                                                                              "fever"]
    assert queries.count_diary(fresh_store, child, symptom="fever") == 1
    assert queries.list_team(fresh_store, child) == []
    timeline = queries.timeline(fresh_store, child)
    assert {k: len(v) for k, v in timeline.items()} == {"phases": 2, "events": 0, "tests": 4,
                                                        "visits": 3}
    new_type = writes.add_test_type(fresh_store, "Vitamin D", "lab", [("25-OH vitamin D",
                                                                        "ng/mL")])
    added = next(t for t in queries.test_types(fresh_store) if t["id"] == new_type)
    assert added["analytes"] == [{"name": "25-OH vitamin D", "unit": "ng/mL"}]
    with pytest.raises(ValidationError) as caught:
        writes.add_test_type(fresh_store, "vitamin d", "lab", [])
    assert "name" in caught.value.errors
    assert queries.children(fresh_store)[0]["name"] == "Ava"


def test_delete_test_type_in_use_is_refused_and_unused_is_deleted() -> None:
    from nbcompanion.record.errors import RecordError
    from nbcompanion.record.store import Store

    store = Store.memory()
    kid = entries.save(store, "child", {"name": "Test child"})
    used = writes.add_test_type(store, "Our own scan", "imaging", [])
    spare = writes.add_test_type(store, "Spare kind", "other", [])
    entries.save(store, "test", {"child_id": kid, "test_type_id": used, "date": "2024-01-02",
                                 "status": "scheduled"})
    with pytest.raises(RecordError, match="cannot be deleted"):
        writes.delete_test_type(store, used)
    writes.delete_test_type(store, spare)
    names = {row["name"] for row in queries.test_types(store)}
    assert "Our own scan" in names
    assert "Spare kind" not in names
