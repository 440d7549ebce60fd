"""Visits page and the visit dialog, with questions, through the real widgets and store."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt

from nbcompanion.record import entries, queries
from nbcompanion.record.store import Store, open_store
from nbcompanion.ui.context import AppContext
from nbcompanion.ui.record.visit_dialog import VisitDialog
from nbcompanion.ui.record.visits_page import VisitsPage
from nbcompanion.ui.undo import ConfirmDelete


def make_page(qtbot, context: AppContext) -> VisitsPage:
    page = VisitsPage(context)
    qtbot.addWidget(page)
    page.show()
    return page


def at(days: int, hour: int = 9) -> str:
    when = datetime.now().replace(hour=hour, minute=0, second=0, microsecond=0)
    return (when + timedelta(days=days)).isoformat(timespec="minutes")


def visit(store: Store, context: AppContext, starts_at: str, kind: str = "clinic",
          **more) -> int:
    return entries.save(store, "visit", {"child_id": context.active_child_id,
                                         "starts_at": starts_at, "kind": kind, **more})


def shown(page: VisitsPage) -> list[str]:
    model = page.model
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    return [model.row_dict(r)["starts_at"] for r in range(model.rowCount())]


def test_upcoming_visits_come_first_and_are_marked(qtbot, qtmodeltester, store: Store,
                                                   context: AppContext) -> None:
    past_old, past_recent = at(-60), at(-3)
    soon, later = at(2), at(30)
    for when in (past_old, later, past_recent, soon):
        visit(store, context, when)
    page = make_page(qtbot, context)
    assert shown(page) == [soon, later, past_recent, past_old]
    assert page.model.data(page.model.index(0, 0)) == "Upcoming"
    assert page.model.data(page.model.index(0, 1), Qt.ItemDataRole.FontRole).bold()
    assert page.model.data(page.model.index(2, 0)) == ""
    assert page.subtitle.text().startswith("Next:")
    qtmodeltester.check(page.model)


def test_add_a_visit_with_questions_then_edit_and_reopen(qtbot, record: Path, store: Store,
                                                         context: AppContext) -> None:
    entries.save(store, "question", {"child_id": context.active_child_id,
                                     "text": "When is the next scan?"})
    page = make_page(qtbot, context)
    assert page.stack.currentWidget() is page.empty
    page.empty.button.click()
    dialog = page.opener.last_dialog
    assert isinstance(dialog, VisitDialog)
    dialog.fields["starts_at"].set_value(at(-1, 10))
    dialog.fields["kind"].setCurrentIndex(dialog.fields["kind"].findData("clinic"))
    dialog.fields["clinician"].setText("Dr Rivera")
    dialog.fields["decisions"].setPlainText("Next cycle goes ahead on Monday.")
    rows = dialog.questions.rows
    assert [r.question["text"] for r in rows] == ["When is the next scan?"]
    rows[0].answer.setText("In three weeks")
    assert rows[0].asked.isChecked()
    dialog.questions.new_question.setText("Can she go to school?")
    dialog.questions.add_button.click()
    dialog.fields["next_appointment"].setText("In two weeks, 9:30")
    assert dialog.save()
    assert page.model.total == 1
    visit_id = page.model.row_dict(0)["id"]
    asked = store.query("SELECT text, asked, answer, visit_id FROM question ORDER BY id")
    assert asked[0] == {"text": "When is the next scan?", "asked": 1,
                        "answer": "In three weeks", "visit_id": visit_id}
    assert asked[1]["text"] == "Can she go to school?"
    assert asked[1]["visit_id"] == visit_id

    store.close()
    reopened = open_store(record)
    try:
        again = make_page(qtbot, AppContext(reopened))
        assert again.model.data(again.model.index(0, 3)) == "Dr Rivera"
        again.table.selectRow(0)
        qtbot.keyClick(again.table, Qt.Key.Key_Return)
        edit = again.opener.last_dialog
        assert edit.fields["decisions"].toPlainText() == "Next cycle goes ahead on Monday."
        assert edit.export_button.text() == "Export visit summary (PDF)…"
        edit.fields["place"].setText("Day unit, 3rd floor")
        assert edit.save()
        assert again.model.data(again.model.index(0, 4)) == "Day unit, 3rd floor"
    finally:
        reopened.close()


def test_delete_asks_and_undo_restores(qtbot, monkeypatch, store: Store,
                                       context: AppContext) -> None:
    visit(store, context, at(-2))
    page = make_page(qtbot, context)
    monkeypatch.setattr(ConfirmDelete, "ask", classmethod(lambda cls, parent, what: True))
    page.table.selectRow(0)
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    assert page.stack.currentWidget() is page.empty
    context.undo_stack.undo()
    assert page.model.total == 1


def test_filter_by_kind_and_text(qtbot, store: Store, context: AppContext) -> None:
    visit(store, context, at(-5), "scan_day", place="Imaging centre")
    visit(store, context, at(-4), "clinic", reason="Blood counts")
    page = make_page(qtbot, context)
    page.kind_filter.setCurrentIndex(page.kind_filter.findData("scan_day"))
    assert len(shown(page)) == 1
    page.kind_filter.setCurrentIndex(0)
    page.text_filter.setText("Blood")
    page.refresh()
    assert len(shown(page)) == 1
    page.text_filter.setText("nothing like this")
    page.refresh()
    assert page.stack.currentWidget() is page.empty
    page.empty.button.click()  # "Show every visit"
    assert len(shown(page)) == 2
    page.from_filter.set_value(at(-4)[:10])
    assert len(shown(page)) == 1
    page.to_filter.set_value(at(-5)[:10])
    assert page.model.total == 0


def test_export_button_calls_the_exporter(qtbot, monkeypatch, store: Store,
                                          context: AppContext) -> None:
    import nbcompanion.ui.exports as exports

    calls = []
    monkeypatch.setattr(exports, "export_visit_summary_interactively",
                        lambda ctx, parent, visit_id: calls.append(visit_id))
    visit_id = visit(store, context, at(-1))
    dialog = VisitDialog(context, visit_id)
    qtbot.addWidget(dialog)
    dialog.export_button.click()
    assert calls == [visit_id]


def test_wrong_input_shows_a_message_beside_the_field(qtbot, store: Store,
                                                      context: AppContext) -> None:
    page = make_page(qtbot, context)
    dialog = page.add_visit()
    assert not dialog.save()  # no kind
    assert dialog.error_labels["kind"].isVisible()
    dialog.fields["kind"].setCurrentIndex(dialog.fields["kind"].findData("clinic"))
    dialog.fields["reason"].setText("x" * 100_000)
    assert not dialog.save()
    assert dialog.error_labels["reason"].isVisible()
    assert "long" in dialog.error_labels["reason"].text()
    assert queries.count_visits(store, context.active_child_id) == 0
    for name in (*dialog.fields, "questions"):
        dialog.show_errors({name: "check"})
        assert not dialog.error_labels[name].isHidden()
