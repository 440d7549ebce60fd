"""Entry dialogs: messages beside fields, drafts that survive closing, and disk trouble that
never throws away what was typed."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

from nbcompanion.record import drafts, entries
from nbcompanion.record.store import Store
from nbcompanion.ui.context import AppContext
from nbcompanion.ui.forms import EntryDialog, NumberEdit, OptionalDateEdit


class VisitNotes(EntryDialog):
    """A small dialog over the visit table, enough to drive the base class."""

    table = "visit"
    noun = "visit"

    def build(self) -> None:
        self.add_field("reason", "Reason", QLineEdit())
        self.add_field("notes", "Notes", QPlainTextEdit())

    def extra_values(self) -> dict[str, object]:
        return {"starts_at": "2026-01-05T09:30", "kind": "clinic"}


class ChildWithWeight(EntryDialog):
    table = "child"
    noun = "child"

    def build(self) -> None:
        self.add_field("name", "Name", QLineEdit())
        self.add_field("birth_date", "Date of birth", OptionalDateEdit())
        self.add_field("notes", "Weight (kg)", NumberEdit())


@pytest.fixture
def ctx(file_store: Store, qapp: object) -> AppContext:
    child = entries.save(file_store, "child", {"name": "Ava"})
    context = AppContext(file_store)
    context.set_active_child(child)
    return context


def test_messages_appear_beside_their_fields_and_nothing_is_saved(qtbot, ctx: AppContext) -> None:
    dialog = ChildWithWeight(ctx)
    qtbot.addWidget(dialog)
    dialog.fields["notes"].setText("12,5.3")  # type: ignore[attr-defined]
    assert dialog.save() is False
    assert dialog.error_labels["notes"].text() == "Please type a number, like 12.5."
    assert dialog.error_labels["name"].text() == "Please type your child's name."
    assert ctx.store.db["child"].count == 1


def test_a_draft_survives_closing_and_goes_once_saved(qtbot, ctx: AppContext) -> None:
    first = VisitNotes(ctx)
    qtbot.addWidget(first)
    first.fields["notes"].setPlainText("Ask about the hearing test")  # type: ignore[attr-defined]
    first.reject()  # closing the window: the pending draft is written at once
    again = VisitNotes(ctx)
    qtbot.addWidget(again)
    assert again.fields["notes"].toPlainText() == "Ask about the hearing test"  # type: ignore[attr-defined]
    assert not again.discard_button.isHidden()
    assert again.save() is True
    assert drafts.load_draft(ctx.store, again.draft_key or "visit:1:VisitNotes") is None
    fresh = VisitNotes(ctx)
    qtbot.addWidget(fresh)
    assert fresh.fields["notes"].toPlainText() == ""  # type: ignore[attr-defined]


def test_a_full_disk_keeps_the_typed_text_in_the_dialog(qtbot, ctx: AppContext,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = VisitNotes(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.fields["notes"].setPlainText("Fever in the night, 38.6")  # type: ignore[attr-defined]
    table_type = type(ctx.store.db["visit"])

    def disk_full(self: object, *args: object, **kwargs: object) -> object:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(table_type, "insert", disk_full)
    assert dialog.save() is False
    assert dialog.isVisible()
    assert "disk is full" in dialog.banner.text()
    assert "still here" in dialog.banner.text()
    assert dialog.fields["notes"].toPlainText() == "Fever in the night, 38.6"  # type: ignore[attr-defined]
    assert ctx.store.db["visit"].count == 0
    monkeypatch.undo()
    assert dialog.save() is True
    assert ctx.store.query("SELECT notes FROM visit") == [{"notes": "Fever in the night, 38.6"}]


def test_a_huge_paste_gets_a_message_and_is_not_cut(qtbot, ctx: AppContext) -> None:
    dialog = VisitNotes(ctx)
    qtbot.addWidget(dialog)
    pasted = "x" * 100_000
    dialog.fields["notes"].setPlainText(pasted)  # type: ignore[attr-defined]
    assert dialog.save() is False
    assert "100,000 characters" in dialog.error_labels["notes"].text()
    assert dialog.fields["notes"].toPlainText() == pasted  # type: ignore[attr-defined]
