"""The rules of every kind of entry: wrong input gets a message for its field, and nothing
is saved; odd but valid text is kept exactly."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest

from nbcompanion.record import entries
from nbcompanion.record.errors import ValidationError
from nbcompanion.record.store import Store

TODAY = date.today()
PAST = (TODAY - timedelta(days=30)).isoformat()
FUTURE = (TODAY + timedelta(days=30)).isoformat()
FAR_FUTURE = (TODAY + timedelta(days=3 * 365)).isoformat()
BORN = (TODAY - timedelta(days=4 * 365)).isoformat()
BEFORE_BIRTH = (TODAY - timedelta(days=5 * 365)).isoformat()


@pytest.fixture
def child_id(fresh_store: Store) -> int:
    return entries.save(fresh_store, "child", {"name": "Ava", "birth_date": BORN})


def errors_of(store: Store, table: str, values: dict[str, Any],
              entry_id: int | None = None) -> dict[str, str]:
    """The messages a save gets; asserts that nothing was written."""
    before = store.db[table].count
    with pytest.raises(ValidationError) as caught:
        entries.save(store, table, values, entry_id)
    assert store.db[table].count == before
    return caught.value.errors


def test_a_child_needs_a_name_and_sensible_dates(fresh_store: Store) -> None:
    assert "name" in errors_of(fresh_store, "child", {"name": "   "})
    assert "birth_date" in errors_of(fresh_store, "child", {"name": "A", "birth_date": FUTURE})
    assert "birth_date" in errors_of(fresh_store, "child", {"name": "A", "birth_date": "14/3"})
    assert "diagnosis_date" in errors_of(
        fresh_store, "child", {"name": "A", "birth_date": BORN, "diagnosis_date": BEFORE_BIRTH})
    assert "stage" in errors_of(fresh_store, "child", {"name": "A", "stage": "Z9"})


def test_odd_unicode_is_kept_exactly(fresh_store: Store) -> None:
    name = "Zoë 🌟 נועה e\u0301 李"
    child_id = entries.save(fresh_store, "child", {"name": name, "notes": "line 1\n\tline 2"})
    saved = entries.get(fresh_store, "child", child_id)
    assert saved["name"] == name
    assert saved["notes"] == "line 1\n\tline 2"


def test_control_characters_and_huge_pastes_get_a_message(fresh_store: Store,
                                                          child_id: int) -> None:
    assert "notes" in errors_of(fresh_store, "child", {"name": "B", "notes": "a\x07b"})
    message = errors_of(fresh_store, "visit", {
        "child_id": child_id, "starts_at": f"{PAST}T09:00", "kind": "clinic",
        "notes": "x" * 100_000})["notes"]
    assert "100,000" in message


def test_test_rules(fresh_store: Store, child_id: int) -> None:
    base = {"child_id": child_id, "test_type_id": 1, "status": "done", "date": PAST}
    assert "date" in errors_of(fresh_store, "test", {**base, "date": FUTURE})
    assert "date" in errors_of(fresh_store, "test", {**base, "date": BEFORE_BIRTH})
    assert "date" in errors_of(fresh_store, "test", {**base, "status": "scheduled",
                                                     "date": FAR_FUTURE})
    assert "status" in errors_of(fresh_store, "test", {**base, "status": "maybe"})
    assert "test_type_id" in errors_of(fresh_store, "test", {**base, "test_type_id": 9999})
    bad_values = (
        [{"analyte": "VMA", "value": -1.0}],
        [{"analyte": "VMA", "value": 5.0, "ref_low": 10.0, "ref_high": 2.0}],
        [{"analyte": "", "value": 5.0}],
        [{"analyte": "VMA", "value": None, "unit": "mg/L"}],
    )
    for values in bad_values:
        assert "values.0" in errors_of(fresh_store, "test", {**base, "values": values})
    # A scheduled test may be in the future; empty grid rows are dropped.
    test_id = entries.save(fresh_store, "test", {
        **base, "status": "scheduled", "date": FUTURE,
        "values": [{"analyte": "VMA", "value": None}, {"analyte": "HVA", "value": 3.5,
                                                        "unit": " mg/L "}]})
    assert [(v["analyte"], v["unit"]) for v in entries.get(fresh_store, "test", test_id)[
        "values"]] == [("HVA", "mg/L")]


def test_phase_rules(fresh_store: Store, child_id: int) -> None:
    base = {"child_id": child_id, "kind": "induction", "start_date": PAST, "status": "active"}
    assert "planned_end" in errors_of(fresh_store, "phase", {
        **base, "planned_end": (TODAY - timedelta(days=60)).isoformat()})
    assert "actual_end" in errors_of(fresh_store, "phase", {**base, "actual_end": FUTURE})
    assert "kind" in errors_of(fresh_store, "phase", {**base, "kind": "holiday"})
    assert "status" in errors_of(fresh_store, "phase", {**base, "start_date": FUTURE})
    assert "start_date" in errors_of(fresh_store, "phase", {**base,
                                                            "start_date": BEFORE_BIRTH})


def test_an_edit_of_some_fields_keeps_the_others_and_is_checked_against_them(
    fresh_store: Store, child_id: int
) -> None:
    phase_id = entries.save(fresh_store, "phase", {
        "child_id": child_id, "kind": "maintenance", "start_date": PAST, "status": "active",
        "notes": "kept"})
    assert "planned_end" in errors_of(fresh_store, "phase", {
        "planned_end": (TODAY - timedelta(days=90)).isoformat()}, phase_id)
    entries.save(fresh_store, "phase", {"planned_end": FUTURE}, phase_id)
    saved = entries.get(fresh_store, "phase", phase_id)
    assert (saved["notes"], saved["planned_end"], saved["kind"]) == ("kept", FUTURE,
                                                                    "maintenance")


def test_event_rules(fresh_store: Store, child_id: int) -> None:
    base = {"child_id": child_id, "kind": "clinical_trial", "date": PAST}
    assert "nct_number" in errors_of(fresh_store, "treatment_event",
                                     {**base, "nct_number": "NCT123"})
    assert "cycle_number" in errors_of(fresh_store, "treatment_event",
                                       {**base, "kind": "chemo_cycle", "cycle_number": 0})
    event_id = entries.save(fresh_store, "treatment_event", {**base, "nct_number": "nct 0123 4567"})
    assert entries.get(fresh_store, "treatment_event", event_id)["nct_number"] == "NCT01234567"


def test_visit_question_team_rules(fresh_store: Store, child_id: int) -> None:
    assert "kind" in errors_of(fresh_store, "visit", {"child_id": child_id,
                                                      "starts_at": f"{PAST}T09:00"})
    assert "starts_at" in errors_of(fresh_store, "visit", {
        "child_id": child_id, "starts_at": "tomorrow", "kind": "clinic"})
    assert "text" in errors_of(fresh_store, "question", {"child_id": child_id, "text": " "})
    assert set(errors_of(fresh_store, "care_team_member", {
        "child_id": child_id, "name": "", "email": "not an address", "phone": "call me"})) == {
        "name", "email", "phone"}
    assert "child_id" in errors_of(fresh_store, "question", {"child_id": 999, "text": "Why?"})


def test_diary_rules(fresh_store: Store, child_id: int) -> None:
    now = datetime.now().replace(second=0, microsecond=0)
    base = {"child_id": child_id, "at": (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "symptom": "fever", "severity": "mild"}
    for temperature in (33.9, 43.6):
        assert "temperature_c" in errors_of(fresh_store, "diary_entry",
                                            {**base, "temperature_c": temperature})
    assert "other_text" in errors_of(fresh_store, "diary_entry", {**base, "symptom": "other"})
    assert "at" in errors_of(fresh_store, "diary_entry", {
        **base, "at": (now + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")})
    assert entries.save(fresh_store, "diary_entry", {**base, "temperature_c": 38.4}) > 0


def test_medicine_and_dose_rules(fresh_store: Store, child_id: int) -> None:
    assert "stop_date" in errors_of(fresh_store, "medicine", {
        "child_id": child_id, "name": "Iso", "start_date": PAST,
        "stop_date": (TODAY - timedelta(days=40)).isoformat()})
    assert "dose_times" in errors_of(fresh_store, "medicine", {
        "child_id": child_id, "name": "Iso", "dose_times": "8am"})
    stopped = entries.save(fresh_store, "medicine", {
        "child_id": child_id, "name": "Iso", "start_date": (TODAY - timedelta(days=20)).isoformat(),
        "stop_date": (TODAY - timedelta(days=10)).isoformat(), "dose_times": "08:00, 20:00"})
    yesterday = (TODAY - timedelta(days=1)).isoformat() + "T08:00"
    message = errors_of(fresh_store, "dose_log", {"medicine_id": stopped, "status": "given",
                                                  "at": yesterday})["at"]
    assert "stopped" in message
    assert "at" in errors_of(fresh_store, "dose_log", {
        "medicine_id": stopped, "status": "given",
        "at": (TODAY - timedelta(days=25)).isoformat() + "T08:00"})
    assert "status" in errors_of(fresh_store, "dose_log", {
        "medicine_id": stopped, "status": "forgotten",
        "at": (TODAY - timedelta(days=12)).isoformat() + "T08:00"})
