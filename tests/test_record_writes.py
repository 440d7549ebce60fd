"""A visit and its questions are saved together or not at all."""

from __future__ import annotations

import pytest

from nbcompanion.record import entries
from nbcompanion.record.errors import NotFoundError
from nbcompanion.record.store import Store
from nbcompanion.record.writes import QuestionChange, save_visit


@pytest.fixture
def child(fresh_store: Store) -> int:
    return entries.save(fresh_store, "child", {"name": "Ŵàĺ"})


def _count(store: Store, table: str) -> int:
    return int(store.execute(f"SELECT count(*) FROM [{table}]").fetchone()[0])


def test_visit_and_questions_in_one_save(fresh_store: Store, child: int) -> None:
    waiting = entries.save(fresh_store, "question", {"child_id": child, "text": "Scan when?"})
    untouched = entries.save(fresh_store, "question", {"child_id": child, "text": "Diet?"})
    changes = [
        QuestionChange(waiting, "Scan when?", True, " In May. ",
                       entries.get(fresh_store, "question", waiting)),
        QuestionChange(untouched, "Diet?", False, None,
                       entries.get(fresh_store, "question", untouched)),
        QuestionChange(None, "Fever plan?", True, "Call the ward", {}),
    ]
    visit_id, changed = save_visit(fresh_store, {"child_id": child, "kind": "clinic",
                                                 "starts_at": "2026-05-03T09:00"},
                                   None, changes, child)
    assert changed
    asked = entries.get(fresh_store, "question", waiting)
    assert (asked["asked"], asked["answer"], asked["visit_id"]) == (1, "In May.", visit_id)
    assert entries.get(fresh_store, "question", untouched)["asked"] == 0
    new = fresh_store.query("SELECT * FROM question WHERE text = 'Fever plan?'")[0]
    assert (new["visit_id"], new["answer"]) == (visit_id, "Call the ward")
    again = [QuestionChange(waiting, "Scan when?", True, "In May.",
                            entries.get(fresh_store, "question", waiting))]
    assert save_visit(fresh_store, {"reason": "Check-up"}, visit_id, again, child) == (
        visit_id, False)


def test_a_question_that_cannot_be_saved_leaves_the_visit_unsaved(
        fresh_store: Store, child: int) -> None:
    gone = QuestionChange(9999, "Deleted meanwhile", True, "Yes", {"asked": 0})
    with pytest.raises(NotFoundError):
        save_visit(fresh_store, {"child_id": child, "kind": "clinic",
                                 "starts_at": "2026-05-03T09:00"}, None,
                   [QuestionChange(None, "New one", False, None, {}), gone], child)
    assert _count(fresh_store, "visit") == 0
    assert _count(fresh_store, "question") == 0
