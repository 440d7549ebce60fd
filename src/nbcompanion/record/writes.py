"""Writes that change more than one entry, each in one transaction.

Reading lives in ``queries``/``queries_daily``; single entries are saved by
:func:`nbcompanion.record.entries.save`. What is here changes several rows that belong
together, so that either all of it is saved or none of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from nbcompanion.i18n import _, ngettext
from nbcompanion.record import entries
from nbcompanion.record.errors import RecordError, ValidationError
from nbcompanion.record.queries_daily import list_team
from nbcompanion.record.sql import inserted_id
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


# -- single writes the pages make besides saving an entry ------------------------------------
def add_test_type(store: Store, name: str, category: str,
                  analytes: list[tuple[str, str]]) -> int:
    """Add a test type the family uses; its numeric results are ``(name, unit)`` pairs."""
    errors: dict[str, str] = {}
    clean = (name or "").strip()
    if not clean:
        errors["name"] = _("Please give the test a name.")
    elif store.execute("SELECT 1 FROM test_type WHERE name = ? COLLATE NOCASE",
                          [clean]).fetchone():
        errors["name"] = _("There is already a test with this name.")
    elif len(clean) > 200:
        errors["name"] = _("Please use a shorter name (200 characters at most).")
    seen: set[str] = set()
    codes: list[str | None] = []
    for analyte, unit in analytes:
        key = (analyte or "").strip().casefold()
        if not key:
            errors["analytes"] = _("Each result needs a name (for example “Ferritin”).")
        elif key in seen:
            errors["analytes"] = _("“{analyte}” is listed twice.").format(analyte=analyte)
        seen.add(key)
        codes.append(_unit_code(unit, analyte, errors))
    if errors:
        raise ValidationError(errors)
    with store.transaction() as db:
        position = db.execute("SELECT coalesce(max(position), 0) + 1 FROM test_type").fetchone()[0]
        type_id = inserted_id(db.table("test_type").insert(
            {"name": clean, "category": category or "other", "builtin": 0,
             "position": position}).last_pk)
        db.table("analyte").insert_all(
            {"test_type_id": type_id, "name": a.strip(), "unit": code, "position": i}
            for i, ((a, _u), code) in enumerate(zip(analytes, codes, strict=True)))
    return type_id


def _unit_code(unit: str | None, analyte: str, errors: dict[str, str]) -> str | None:
    """The UCUM code of a new result's unit; a message under "analytes" when not valid."""
    from nbcompanion.record.units import UnitError, parse_unit

    if not (unit or "").strip():
        return None
    try:
        return parse_unit(unit)
    except UnitError as error:
        errors.setdefault("analytes", f"{analyte}: {error}")
        return None


def delete_test_type(store: Store, type_id: int) -> None:
    """Delete a test type, refusing (RecordError) while any test still uses it."""
    used = store.execute("SELECT count(*) FROM test WHERE test_type_id = ?",
                         [type_id]).fetchone()[0]
    if used:
        raise RecordError(
            ngettext("This kind of test is used by {count} test in the record, so it cannot "
                     "be deleted. That test would lose its kind.",
                     "This kind of test is used by {count} tests in the record, so it cannot "
                     "be deleted. Those tests would lose their kind.", used).format(count=used))
    with store.transaction() as db:
        db.execute("DELETE FROM test_type WHERE id = ?", [type_id])


def mark_asked(store: Store, question_id: int, visit_id: int | None, answer: str | None) -> None:
    """Record that a question was asked (at ``visit_id``) and what the answer was."""
    entries.save(store, "question", {"asked": 1, "visit_id": visit_id,
                                     "answer": (answer or "").strip() or None}, question_id)


def order_team(store: Store, child_id: int, member_ids: list[int]) -> None:
    """Put the care team in the order of ``member_ids`` (members not listed follow)."""
    current = [int(row["id"]) for row in list_team(store, child_id)]
    wanted = [m for m in member_ids if m in current]
    order = wanted + [m for m in current if m not in wanted]
    with store.transaction() as db:
        for position, member_id in enumerate(order):
            db.execute("UPDATE care_team_member SET position = ? WHERE id = ?",
                       [position, member_id])


def move_team_member(store: Store, member_id: int, steps: int) -> None:
    """Move one member ``steps`` places up (negative) or down the care team's order."""
    member = entries.get(store, "care_team_member", member_id)
    order = [int(row["id"]) for row in list_team(store, int(member["child_id"]))]
    index = order.index(member_id)
    target = max(0, min(len(order) - 1, index + steps))
    order.insert(target, order.pop(index))
    order_team(store, int(member["child_id"]), order)


def log_dose(store: Store, medicine_id: int, status: str, at: str, due_at: str | None = None,
             reason: str | None = None) -> int:
    """Log one dose as given or skipped; validated (see the dose_log rule)."""
    return entries.save(store, "dose_log", {"medicine_id": medicine_id, "status": status,
                                            "at": at, "due_at": due_at, "reason": reason})
