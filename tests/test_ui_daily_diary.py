"""The diary: Ctrl+D and a few keys add an entry; drafts survive; the list filters."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from nbcompanion.record import entries, queries
from nbcompanion.ui.context import AppContext
from nbcompanion.ui.daily.diary import DiaryDialog, DiaryPage
from nbcompanion.ui.main_window import MainWindow
from nbcompanion.ui.undo import ConfirmDelete


def _with_child(store) -> AppContext:
    context = AppContext(store)
    context.set_active_child(entries.save(store, "child", {"name": "Maya"}))
    return context


def _keys(qtbot, dialog: DiaryDialog, *keys) -> None:
    """Send keys, one by one, to whatever has the focus in the dialog (keyboard only)."""
    for key in keys:
        target = dialog.focusWidget()
        assert target is not None
        if isinstance(key, str):
            qtbot.keyClicks(target, key)
        else:
            qtbot.keyClick(target, key)


def test_adding_a_diary_entry_by_keyboard_only(qtbot, file_store) -> None:
    context = _with_child(file_store)
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)  # shortcuts go to the active window only

    qtbot.keyClick(window, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    dialog = window.findChild(DiaryDialog)
    assert dialog is not None
    assert dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.focusWidget() is dialog.symptom_combo)
    # "f" picks Fever; Tab skips the hidden "Describe it" and lands on the temperature.
    _keys(qtbot, dialog, "f", Qt.Key.Key_Tab)
    assert dialog.focusWidget() is dialog.temperature_edit
    _keys(qtbot, dialog, "38.6", Qt.Key.Key_Tab, "m", Qt.Key.Key_Tab)
    assert dialog.focusWidget() is dialog.notes_edit
    _keys(qtbot, dialog, "Hot after his nap", Qt.Key.Key_Return)

    rows = queries.list_diary(file_store, context.active_child_id)
    assert len(rows) == 1
    row = rows[0]
    assert (row["symptom"], row["temperature_c"], row["severity"], row["notes"]) == (
        "fever", 38.6, "mild", "Hot after his nap")
    assert not dialog.isVisible()


def test_temperature_and_free_text_appear_only_when_they_apply(qtbot, file_store) -> None:
    context = _with_child(file_store)
    dialog = DiaryDialog(context)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.temperature_edit.isVisible()
    assert not dialog.other_edit.isVisible()
    dialog.symptom_combo.setCurrentIndex(dialog.symptom_combo.findData("fever"))
    assert dialog.temperature_edit.isVisible()
    dialog.symptom_combo.setCurrentIndex(dialog.symptom_combo.findData("other"))
    assert dialog.other_edit.isVisible()
    assert not dialog.temperature_edit.isVisible()


def test_wrong_input_is_shown_beside_the_field_and_nothing_is_saved(qtbot, file_store) -> None:
    context = _with_child(file_store)
    dialog = DiaryDialog(context)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.save() is False  # nothing chosen yet
    assert dialog.error_labels["symptom"].isVisible()
    dialog.symptom_combo.setCurrentIndex(dialog.symptom_combo.findData("fever"))
    dialog.temperature_edit.setText("hot")
    assert dialog.save() is False
    assert "number" in dialog.error_labels["temperature"].text()
    assert queries.count_diary(file_store, context.active_child_id) == 0


def test_a_draft_survives_closing_the_dialog(qtbot, file_store) -> None:
    context = _with_child(file_store)
    first = DiaryDialog(context)
    qtbot.addWidget(first)
    first.show()
    first.symptom_combo.setCurrentIndex(first.symptom_combo.findData("bone_pain"))
    qtbot.keyClicks(first.notes_edit, "Limping since breakfast")
    first.reject()  # closed before saving

    second = DiaryDialog(context)
    qtbot.addWidget(second)
    assert second.notes_edit.toPlainText() == "Limping since breakfast"
    assert second.symptom_combo.currentData() == "bone_pain"
    assert second.draft_note.text().startswith("We kept what you were typing")
    assert second.save() is True
    third = DiaryDialog(context)  # saved: the draft is gone
    qtbot.addWidget(third)
    assert third.notes_edit.toPlainText() == ""


def test_the_page_lists_newest_first_filters_and_deletes_with_undo(qtbot, file_store,
                                                                   monkeypatch) -> None:
    context = _with_child(file_store)
    child_id = context.active_child_id
    for at, symptom in (("2026-11-01T08:00", "tiredness"), ("2026-11-03T21:00", "fever"),
                        ("2026-11-05T07:30", "nausea")):
        entries.save(file_store, "diary_entry", {"child_id": child_id, "at": at,
                                                 "symptom": symptom})
    page = DiaryPage(context)
    qtbot.addWidget(page)
    texts = [page.model.index(r, 1).data() for r in range(page.model.rowCount())]
    assert texts == ["Nausea or vomiting", "Fever", "Tiredness"]

    page.kind_combo.setCurrentIndex(page.kind_combo.findData("fever"))
    assert page.model.rowCount() == 1
    assert page.count_label.text() == "1 entry shown"
    page._on_clear_filters_clicked()
    assert page.model.rowCount() == 3

    monkeypatch.setattr(ConfirmDelete, "ask", classmethod(lambda cls, parent, what: True))
    page.view.selectRow(0)
    assert page.delete_selected()
    assert page.model.rowCount() == 2
    context.undo_stack.undo()
    assert page.model.rowCount() == 3


def test_empty_diary_says_so_kindly_with_a_button(qtbot, file_store) -> None:
    page = DiaryPage(_with_child(file_store))
    qtbot.addWidget(page)
    assert page.stack.currentWidget() is page.empty
    assert "Nothing in the diary yet" in page.empty.message.text()
    page.empty.button.click()
    dialog = page.findChild(DiaryDialog)
    assert dialog is not None
    dialog.reject()
    QApplication.processEvents()


def test_discard_draft_shows_only_when_there_is_a_draft(qtbot, file_store) -> None:
    context = _with_child(file_store)
    dialog = DiaryDialog(context)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.discard_button.isHidden()


def test_filter_calendar_opens_on_this_month_not_in_1900(qtbot) -> None:
    from PySide6.QtCore import QDate, QPoint

    from nbcompanion.ui.daily.diary import FilterDateEdit

    edit = FilterDateEdit()
    qtbot.addWidget(edit)
    calendar = edit.calendarWidget()
    edit.show()
    qtbot.waitExposed(edit)
    arrow = QPoint(edit.width() - 6, edit.height() // 2)
    qtbot.mouseClick(edit, Qt.MouseButton.LeftButton, pos=arrow)
    qtbot.waitUntil(calendar.isVisible)
    today = QDate.currentDate()
    assert (calendar.yearShown(), calendar.monthShown()) == (today.year(), today.month())
    assert edit.value() is None


def test_ctrl_d_opens_the_diary_even_from_a_text_field(qtbot, file_store) -> None:
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent

    context = _with_child(file_store)
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    page = window.show_page("questions")
    page.quick_edit.setFocus()
    # Text fields on Linux claim Ctrl+D ("delete next character"); the window keeps it.
    override = QKeyEvent(QEvent.Type.ShortcutOverride, Qt.Key.Key_D,
                         Qt.KeyboardModifier.ControlModifier)
    from nbcompanion.ui.daily.menus import _DailyActions

    keeper = window.findChild(_DailyActions)
    assert keeper.eventFilter(page.quick_edit, override) is True  # held back from the field
    other = QKeyEvent(QEvent.Type.ShortcutOverride, Qt.Key.Key_E,
                      Qt.KeyboardModifier.ControlModifier)
    assert keeper.eventFilter(page.quick_edit, other) is False  # every other key as usual
    qtbot.keyClick(page.quick_edit, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    dialog = window.findChild(DiaryDialog)
    assert dialog is not None
    dialog.reject()


def _dialog(qtbot, store, entry_id: int | None = None) -> DiaryDialog:
    context = AppContext(store)
    if context.active_child_id is None:
        context.set_active_child(entries.save(store, "child", {"name": "Sam"}))
    dialog = DiaryDialog(context, entry_id)
    qtbot.addWidget(dialog)
    return dialog


def test_a_fahrenheit_temperature_is_kept_as_typed_and_remembered(qtbot, file_store) -> None:
    from nbcompanion.record.units import FAHRENHEIT

    dialog = _dialog(qtbot, file_store)
    dialog.symptom_combo.setCurrentIndex(dialog.symptom_combo.findData("fever"))
    dialog.temperature_unit.setCurrentIndex(dialog.temperature_unit.findData(FAHRENHEIT))
    dialog.temperature_edit.setText("101.5")
    assert dialog.save()
    row = file_store.query("SELECT temperature, temperature_unit, temperature_c "
                           "FROM diary_entry")[0]
    assert (row["temperature"], row["temperature_unit"]) == (101.5, FAHRENHEIT)
    assert row["temperature_c"] == pytest.approx(38.6111, abs=1e-4)
    again = _dialog(qtbot, file_store)
    assert again.temperature_unit.currentData() == FAHRENHEIT  # chosen once
    again.symptom_combo.setCurrentIndex(again.symptom_combo.findData("fever"))
    again.temperature_edit.setText("115")
    assert not again.save()
    assert "°F" in again.error_labels["temperature"].text()
    again.done(0)
    edit = _dialog(qtbot, file_store, entry_id=1)
    assert (edit.temperature_edit.text(), edit.temperature_unit.currentData()) == (
        "101.5", FAHRENHEIT)
    edit.done(0)
