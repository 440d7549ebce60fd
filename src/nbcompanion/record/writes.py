"""Writes that change more than one entry, each in one transaction.

Reading lives in ``queries``/``queries_daily``; single entries are saved by
:func:`nbcompanion.record.entries.save`. What is here changes several rows that belong
together, so that either all of it is saved or none of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from nbcompanion.record import entries
from nbcompanion.record.store import Store


@dataclass(frozen=True)
class QuestionChange:
    """What the visit dialog shows of one question: asked or not, and the answer.

    ``question_id`` is None for a question typed in the dialog (new); ``before`` is the
    question as it was loaded (empty for a new one), so unchanged questions are not written.
    """

    question_id: int | None
    text: str
    asked: bool
    answer: str | None
    before: dict[str, Any]


def _question_writes(change: QuestionChange, visit_id: int,
                     child_id: int | None) -> tuple[dict[str, Any], int | None] | None:
    """The values to save for ``change`` and the question's id (None: a new question), or
    None when nothing changed."""
    answer = (change.answer or "").strip() or None
    before = change.before
    if change.question_id is None:
        return ({"child_id": child_id, "text": change.text, "visit_id": visit_id,
                 "asked": int(change.asked), "answer": answer}, None)
    if change.asked and (not before.get("asked") or answer != before.get("answer")
                         or before.get("visit_id") != visit_id):
        return {"asked": 1, "visit_id": visit_id, "answer": answer}, change.question_id
    if not change.asked and before.get("asked"):
        return {"asked": 0, "answer": None}, change.question_id
    return None


def save_visit(store: Store, values: dict[str, Any], visit_id: int | None,
               questions: list[QuestionChange], child_id: int | None) -> tuple[int, bool]:
    """Save a visit and its questions together; returns (the visit's id, questions changed).

    Nothing is saved unless all of it is: a question that cannot be saved leaves the visit
    as it was too (raises :class:`~nbcompanion.record.errors.ValidationError` or a
    :class:`~nbcompanion.record.errors.RecordError`).
    """
    changed = False
    with store.transaction():
        saved_id = entries.save(store, "visit", values, visit_id)
        for change in questions:
            write = _question_writes(change, saved_id, child_id)
            if write is not None:
                entries.save(store, "question", write[0], write[1])
                changed = True
    return saved_id, changed
