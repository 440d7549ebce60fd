"""Tests & results page and the test dialog, driven through the real widgets and store."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt

from nbcompanion.record import entries, queries
from nbcompanion.record.store import Store, open_store
from nbcompanion.ui.context import AppContext
from nbcompanion.ui.record.test_dialog import OUTSIDE_TEXT, TestDialog, TestTypeDialog
from nbcompanion.ui.record.tests_page import TestsPage
from nbcompanion.ui.undo import ConfirmDelete


def type_id(store: Store, name: str) -> int:
    return next(t["id"] for t in queries.test_types(store) if t["name"] == name)


def make_page(qtbot, context: AppContext) -> TestsPage:
    page = TestsPage(context)
    qtbot.addWidget(page)
    page.show()
    return page


def add(store: Store, context: AppContext, type_name: str, day: str, status: str = "done",
        **more) -> int:
    return entries.save(store, "test", {"child_id": context.active_child_id,
                                        "test_type_id": type_id(store, type_name), "date": day,
                                        "status": status, **more})


def shown_types(page: TestsPage) -> list[str]:
    model = page.model
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    return [model.row_dict(r)["type_name"] for r in range(model.rowCount())]


def test_adding_a_test_with_values_through_the_dialog_shows_it_and_it_survives_reopening(
        qtbot, record: Path, store: Store, context: AppContext) -> None:
    page = make_page(qtbot, context)
    assert page.stack.currentWidget() is page.empty
    assert page.empty.button.text() == "Add a test or result…"
    page.empty.button.click()
    dialog = page.opener.last_dialog
    assert isinstance(dialog, TestDialog)
    combo = dialog.fields["test_type_id"]
    combo.setCurrentIndex(combo.findData(type_id(store, "Urine catecholamines (VMA and HVA)")))
    assert [r.fixed_name for r in dialog.values_grid.rows] == ["VMA", "HVA",
                                                               "Creatinine (urine)"]
    dialog.fields["date"].set_value("2026-03-04")
    vma = dialog.values_grid.rows[0]
    vma.value.setText("12,5")
    vma.low.setText("0")
    vma.high.setText("10")
    assert vma.note.text() == OUTSIDE_TEXT
    dialog.fields["place"].setText("Children’s Hospital lab")
    assert dialog.save()

    assert page.stack.currentIndex() == 0
    assert shown_types(page) == ["Urine catecholamines (VMA and HVA)"]
    saved = entries.get(store, "test", page.model.row_dict(0)["id"])
    assert saved["values"] == [{"analyte": "VMA", "value": 12.5, "unit": "mg/L", "ref_low": 0.0,
                                "ref_high": 10.0}]

    store.close()
    reopened = open_store(record)
    try:
        page2 = make_page(qtbot, AppContext(reopened))
        assert shown_types(page2) == ["Urine catecholamines (VMA and HVA)"]
        assert page2.model.data(page2.model.index(0, 3)) == "VMA 12.5 mg/L"
        assert page2.model.data(page2.model.index(0, 4)) == "VMA"  # outside the lab's range
        assert "lab’s range 0–10" in page2.model.data(page2.model.index(0, 3),
                                                      Qt.ItemDataRole.ToolTipRole)
    finally:
        reopened.close()


def test_editing_a_test_changes_the_row(qtbot, store: Store, context: AppContext) -> None:
    test_id = add(store, context, "Ferritin", "2026-01-10", values=[
        {"analyte": "Ferritin", "value": 80, "unit": "ng/mL", "ref_low": 7, "ref_high": 140}])
    page = make_page(qtbot, context)
    page.table.selectRow(0)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    dialog = page.opener.last_dialog
    assert isinstance(dialog, TestDialog)
    assert dialog.entry_id == test_id
    assert dialog.values_grid.rows[0].value.text() == "80"
    dialog.values_grid.rows[0].value.setText("95")
    dialog.fields["result_text"].setPlainText("Written on the report")
    assert dialog.save()
    assert entries.get(store, "test", test_id)["values"][0]["value"] == 95
    assert page.model.data(page.model.index(0, 5)) == "Written on the report"


def test_delete_key_asks_first_and_ctrl_z_brings_it_back(qtbot, monkeypatch, store: Store,
                                                         context: AppContext) -> None:
    add(store, context, "Ferritin", "2026-01-10")
    page = make_page(qtbot, context)
    asked: list[str] = []
    monkeypatch.setattr(ConfirmDelete, "ask", classmethod(lambda cls, parent, what: (
        asked.append(what) or False)))
    page.table.selectRow(0)
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    assert asked == ["the Ferritin of 10 Jan 2026"]
    assert page.model.total == 1  # answered "no": nothing deleted

    monkeypatch.setattr(ConfirmDelete, "ask", classmethod(lambda cls, parent, what: True))
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    assert page.model.total == 0
    assert page.stack.currentWidget() is page.empty
    context.undo_stack.undo()
    assert page.model.total == 1
    assert shown_types(page) == ["Ferritin"]


def test_every_field_has_a_message_line_beside_it(qtbot, context: AppContext) -> None:
    dialog = TestDialog(context)
    qtbot.addWidget(dialog)
    for name in dialog.fields:
        dialog.show_errors({name: f"message for {name}"})
        label = dialog.error_labels[name]
        assert label.text() == f"message for {name}"
        assert not label.isHidden()
    dialog.show_errors({"values": "about the values"})
    assert not dialog.values_error.isHidden()


def test_filters_by_type_status_dates_and_text(qtbot, store: Store,
                                               context: AppContext) -> None:
    add(store, context, "Ferritin", "2025-01-10", place="North lab")
    add(store, context, "MIBG scan", "2025-06-01", status="result_received",
        result_text="Report from the scan")
    add(store, context, "Ferritin", "2026-02-01", status="result_received")
    page = make_page(qtbot, context)
    assert shown_types(page) == ["Ferritin", "MIBG scan", "Ferritin"]  # newest first

    page.type_filter.setCurrentIndex(page.type_filter.findData(type_id(store, "Ferritin")))
    assert shown_types(page) == ["Ferritin", "Ferritin"]
    page.status_filter.setCurrentIndex(page.status_filter.findData("result_received"))
    assert page.model.total == 1
    assert page.count_label.text() == "1 test matches these filters"
    page.clear_filters()
    assert page.model.total == 3

    page.from_filter.set_value("2025-03-01")
    page.to_filter.set_value("2025-12-31")
    assert shown_types(page) == ["MIBG scan"]
    page.clear_filters()

    page.text_filter.setText("North")
    page.apply_filters()  # what the typing timer does
    assert shown_types(page) == ["Ferritin"]
    page.text_filter.setText("nothing like this")
    page.apply_filters()
    assert page.stack.currentWidget() is page.empty
    assert page.empty.button.text() == "Clear filters"
    page.empty.button.click()
    assert page.model.total == 3


def test_sorting_by_a_column_asks_the_database(qtbot, store: Store,
                                               context: AppContext) -> None:
    add(store, context, "MIBG scan", "2025-06-01")
    add(store, context, "Ferritin", "2025-01-10")
    add(store, context, "CT scan", "2026-02-01")
    page = make_page(qtbot, context)
    page.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    assert shown_types(page) == ["CT scan", "Ferritin", "MIBG scan"]
    page.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    assert shown_types(page) == ["Ferritin", "MIBG scan", "CT scan"]


def test_choosing_a_test_shows_the_history_of_its_type(qtbot, store: Store,
                                                       context: AppContext) -> None:
    for day, value in (("2025-01-10", 50), ("2025-05-10", 70), ("2025-09-10", 60)):
        add(store, context, "Ferritin", day, values=[
            {"analyte": "Ferritin", "value": value, "unit": "ng/mL", "ref_low": None,
             "ref_high": None}])
    add(store, context, "CT scan", "2025-06-01")
    page = make_page(qtbot, context)
    ferritin_row = shown_types(page).index("Ferritin")
    page.table.selectRow(ferritin_row)
    assert "Ferritin" in page.history_title.text()
    assert page.history_model.rowCount() == 3
    assert [page.history_model.row_dict(r)["date"] for r in range(3)] == [
        "2025-09-10", "2025-05-10", "2025-01-10"]
    page.history_add.click()
    dialog = page.opener.last_dialog
    assert isinstance(dialog, TestDialog)
    assert dialog.fields["test_type_id"].currentData() == type_id(store, "Ferritin")
    dialog.reject()


def test_a_family_can_add_a_test_type_and_use_it(qtbot, store: Store,
                                                 context: AppContext) -> None:
    dialog = TestDialog(context)
    qtbot.addWidget(dialog)
    dialog.add_type_button.click()
    type_dialog = dialog.type_dialog
    assert isinstance(type_dialog, TestTypeDialog)
    assert not type_dialog.save()  # no name
    assert type_dialog.errors["name"].isVisible()
    type_dialog.name.setText("Vitamin D")
    type_dialog.analytes.setPlainText("25-OH vitamin D, ng/mL")
    assert type_dialog.save()
    assert dialog.fields["test_type_id"].currentText() == "Vitamin D"
    assert [r.fixed_name for r in dialog.values_grid.rows] == ["25-OH vitamin D"]
    dialog.values_grid.rows[0].value.setText("31")
    assert dialog.save()
    test = queries.list_tests(store, context.active_child_id)[0]
    assert test["type_name"] == "Vitamin D"


def test_no_child_shows_a_kind_sentence_and_the_add_child_button(qtbot, tmp_path: Path) -> None:
    store = open_store(tmp_path / "empty.sqlite3")
    try:
        context = AppContext(store)
        page = make_page(qtbot, context)
        assert page.stack.currentWidget() is page.empty
        assert "no child" in page.empty.message.text()
        assert page.empty.button.text() == "Add your child…"
        assert not page.add_button.isEnabled()
        page.empty.button.click()
        dialog = page.opener.last_dialog
        dialog.fields["name"].setText("Noah")
        assert dialog.save()
        assert context.active_child_id is not None
        assert "No tests recorded for Noah yet" in page.empty.message.text()
    finally:
        store.close()


def test_navigation_target_selects_and_opens_the_test(qtbot, store: Store,
                                                      context: AppContext) -> None:
    first = add(store, context, "Ferritin", "2025-01-10")
    add(store, context, "CT scan", "2025-06-01")
    page = make_page(qtbot, context)
    page.type_filter.setCurrentIndex(page.type_filter.findData(type_id(store, "CT scan")))
    page.open_target({"test_id": first})
    assert page.table.current_id() == first
    assert page.opener.last_dialog.entry_id == first


def test_the_tests_model_keeps_qts_contract(qtbot, qtmodeltester, store: Store,
                                            context: AppContext) -> None:
    for day in range(1, 20):
        add(store, context, "Ferritin", f"2025-01-{day:02d}")
    page = make_page(qtbot, context)
    qtmodeltester.check(page.model)
    page.table.selectRow(0)
    qtmodeltester.check(page.history_model)


def test_wrong_input_shows_a_message_beside_the_field_and_saves_nothing(
        qtbot, store: Store, context: AppContext) -> None:
    page = make_page(qtbot, context)
    dialog = page.add_test()
    assert dialog is not None
    assert not dialog.save()  # no type chosen
    assert dialog.error_labels["test_type_id"].isVisible()
    assert dialog.error_labels["test_type_id"].text()

    combo = dialog.fields["test_type_id"]
    combo.setCurrentIndex(combo.findData(type_id(store, "Blood chemistry (LDH)")))
    dialog.values_grid.rows[0].value.setText("lots")
    assert not dialog.save()
    assert dialog.values_grid.rows[0].error.isVisible()
    assert "number" in dialog.values_grid.rows[0].error.text()

    dialog.values_grid.rows[0].value.setText("-5")
    assert not dialog.save()  # negative values are refused by the record layer
    assert dialog.values_grid.rows[0].error.isVisible()
    assert "negative" in dialog.values_grid.rows[0].error.text()

    dialog.values_grid.rows[0].value.setText("300")
    future = (date.today() + timedelta(days=20)).isoformat()
    dialog.fields["date"].set_value(future)
    status = dialog.fields["status"]
    status.setCurrentIndex(status.findData("done"))
    assert not dialog.save()  # done on a future date
    assert dialog.error_labels["date"].isVisible() or dialog.error_labels["status"].isVisible()
    assert queries.count_tests(store, context.active_child_id) == 0

    status.setCurrentIndex(status.findData("scheduled"))
    dialog.values_grid.rows[0].value.clear()
    assert dialog.save()
    assert queries.count_tests(store, context.active_child_id) == 1


def test_a_wrong_edit_leaves_the_saved_test_untouched(qtbot, store: Store,
                                                      context: AppContext) -> None:
    test_id = add(store, context, "Ferritin", "2026-01-10", place="North lab")
    before = entries.get(store, "test", test_id)
    dialog = TestDialog(context, test_id)
    qtbot.addWidget(dialog)
    dialog.fields["place"].setText("South lab")
    dialog.fields["date"].set_value((date.today() + timedelta(days=3)).isoformat())
    assert not dialog.save()
    assert "future" in dialog.error_labels["date"].text()
    assert entries.get(store, "test", test_id) == before


def test_switching_child_shows_that_childs_tests(qtbot, store: Store,
                                                 context: AppContext) -> None:
    add(store, context, "Ferritin", "2025-01-10")
    sibling = entries.save(store, "child", {"name": "Leo"})
    page = make_page(qtbot, context)
    assert page.model.total == 1
    context.set_active_child(sibling)
    assert page.model.total == 0
    assert "No tests recorded for Leo yet" in page.empty.message.text()
    page.hide()
    first = int(store.get_setting(AppContext.ACTIVE_CHILD_KEY) or 0)
    context.set_active_child(next(c["id"] for c in queries.children(store) if c["name"] == "Mia"))
    assert first == sibling
    page.show()  # a hidden page catches up when shown again
    assert page.model.total == 1


def test_numbers_typed_in_the_grid_survive_closing_the_dialog(qtbot, store: Store,
                                                              context: AppContext) -> None:
    dialog = TestDialog(context)
    qtbot.addWidget(dialog)
    combo = dialog.fields["test_type_id"]
    combo.setCurrentIndex(combo.findData(type_id(store, "Blood chemistry (LDH)")))
    dialog.values_grid.rows[0].value.setText("312,5")
    dialog.values_grid.rows[0].high.setText("280")
    extra = dialog.values_grid.add_row()
    extra.name.setText("Uric acid")
    extra.value.setText("4")
    dialog.reject()

    again = TestDialog(context)
    qtbot.addWidget(again)
    assert not again.draft_note.isHidden()
    assert again.fields["test_type_id"].currentData() == type_id(store, "Blood chemistry (LDH)")
    rows = again.values_grid.rows
    assert (rows[0].value.text(), rows[0].high.text()) == ("312,5", "280")
    assert rows[0].note.text() == OUTSIDE_TEXT
    assert (rows[1].analyte(), rows[1].value.text()) == ("Uric acid", "4")
    assert again.save()
    saved = queries.list_tests(store, context.active_child_id)[0]["values"]
    assert [(v["analyte"], v["value"]) for v in saved] == [("LDH", 312.5), ("Uric acid", 4.0)]
    third = TestDialog(context)
    qtbot.addWidget(third)
    assert third.draft_note.isHidden()  # saved: the draft is gone
    assert third.values_grid.raw() == []
