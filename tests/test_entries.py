"""Saving, deleting and restoring entries: one transaction each, and undo puts back exactly
what a delete removed — ids, cascaded rows and links."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nbcompanion.record import entries
from nbcompanion.record.errors import NotFoundError, StorageError
from nbcompanion.record.store import Store

PAST = (date.today() - timedelta(days=10)).isoformat()


def _dump(store: Store) -> dict[str, list[tuple[object, ...]]]:
    tables = [t for t in store.table_names() if t not in ("setting", "draft")]
    return {t: [tuple(r) for r in store.execute(f"SELECT * FROM [{t}] ORDER BY id")]
            for t in tables}


def _family(store: Store) -> dict[str, int]:
    child = entries.save(store, "child", {"name": "Ava"})
    phase = entries.save(store, "phase", {"child_id": child, "kind": "induction",
                                          "start_date": PAST, "status": "active"})
    event = entries.save(store, "treatment_event", {"child_id": child, "phase_id": phase,
                                                    "kind": "chemo_cycle", "date": PAST,
                                                    "cycle_number": 1})
    member = entries.save(store, "care_team_member", {"child_id": child, "name": "Dr. Who"})
    test = entries.save(store, "test", {
        "child_id": child, "test_type_id": 1, "date": PAST, "status": "result_received",
        "care_team_member_id": member,
        "values": [{"analyte": "VMA", "value": 12.5, "unit": "mg/L"},
                   {"analyte": "HVA", "value": 20.0, "unit": "mg/L"}]})
    visit = entries.save(store, "visit", {"child_id": child, "starts_at": f"{PAST}T09:00",
                                          "kind": "clinic", "care_team_member_id": member})
    question = entries.save(store, "question", {"child_id": child, "text": "Why?",
                                                "visit_id": visit})
    medicine = entries.save(store, "medicine", {"child_id": child, "name": "Iso"})
    dose = entries.save(store, "dose_log", {"medicine_id": medicine, "status": "given",
                                            "at": f"{PAST}T08:00"})
    return {"child": child, "phase": phase, "event": event, "member": member, "test": test,
            "visit": visit, "question": question, "medicine": medicine, "dose": dose}


@pytest.mark.parametrize("table", ["child", "phase", "care_team_member", "visit", "test",
                                   "medicine", "question", "treatment_event", "dose_log"])
def test_delete_then_restore_gives_back_exactly_the_same_record(fresh_store: Store,
                                                                table: str) -> None:
    ids = _family(fresh_store)
    key = {"care_team_member": "member", "treatment_event": "event", "dose_log": "dose"}.get(
        table, table)
    before = _dump(fresh_store)
    snapshot = entries.delete(fresh_store, table, ids[key])
    assert _dump(fresh_store) != before
    entries.restore(fresh_store, snapshot)
    assert _dump(fresh_store) == before
    assert fresh_store.execute("PRAGMA foreign_key_check").fetchall() == []


def test_deleting_a_child_takes_everything_of_theirs_and_a_phase_only_unlinks(
    fresh_store: Store,
) -> None:
    ids = _family(fresh_store)
    entries.delete(fresh_store, "phase", ids["phase"])
    assert entries.get(fresh_store, "treatment_event", ids["event"])["phase_id"] is None
    entries.delete(fresh_store, "child", ids["child"])
    for table in ("test", "test_value", "visit", "question", "medicine", "dose_log",
                  "treatment_event", "care_team_member"):
        assert fresh_store.db[table].count == 0, table
    with pytest.raises(NotFoundError):
        entries.get(fresh_store, "child", ids["child"])
    with pytest.raises(NotFoundError):
        entries.delete(fresh_store, "child", ids["child"])


def test_editing_a_deleted_entry_says_so(fresh_store: Store) -> None:
    child = entries.save(fresh_store, "child", {"name": "Ava"})
    entries.delete(fresh_store, "child", child)
    with pytest.raises(NotFoundError):
        entries.save(fresh_store, "child", {"name": "Ava B"}, child)


def test_a_failed_save_leaves_what_was_saved_untouched(file_store: Store,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    ids = _family(file_store)
    before = _dump(file_store)
    table_class = type(file_store.db["test_value"])

    def disk_full(self: object, *args: object, **kwargs: object) -> object:
        raise sqlite3.OperationalError("database or disk is full")

    # The values are the last thing a save writes: the test's own row has changed by then.
    with monkeypatch.context() as patch:
        patch.setattr(table_class, "insert", disk_full)
        with pytest.raises(StorageError, match="disk is full"):
            entries.save(file_store, "test", {"values": [{"analyte": "Ferritin", "value": 1.0}],
                                              "notes": "changed"}, ids["test"])
    assert _dump(file_store) == before


def test_unknown_fields_are_a_programming_error(fresh_store: Store) -> None:
    with pytest.raises(ValueError, match="unknown fields"):
        entries.save(fresh_store, "child", {"name": "A", "colour": "blue"})
    with pytest.raises(ValueError, match="not a table"):
        entries.save(fresh_store, "setting", {"key": "x"})


TEXT = st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=200)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture],
          deadline=None)
@given(name=TEXT.filter(lambda s: s.strip()), notes=TEXT,
       value=st.floats(min_value=0, max_value=1e6, allow_nan=False),
       question=TEXT.filter(lambda s: s.strip()))
def test_entries_round_trip_through_the_store(fresh_store: Store, name: str, notes: str,
                                              value: float, question: str) -> None:
    child = entries.save(fresh_store, "child", {"name": name, "notes": notes})
    saved = entries.get(fresh_store, "child", child)
    assert saved["name"] == name.strip()
    assert saved["notes"] == (notes.strip() or None)
    test = entries.save(fresh_store, "test", {
        "child_id": child, "test_type_id": 2, "date": PAST, "status": "done",
        "result_text": notes, "values": [{"analyte": name.strip(), "value": value,
                                          "unit": "U/L"}]})
    [stored] = entries.get(fresh_store, "test", test)["values"]
    assert (stored["analyte"], stored["value"]) == (name.strip()[:200], value)
    asked = entries.save(fresh_store, "question", {"child_id": child, "text": question})
    assert entries.get(fresh_store, "question", asked)["text"] == question.strip()
