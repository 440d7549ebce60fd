"""Typing values as labs print them: locale-aware numbers, questions, units beside the field."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QLocale

from nbcompanion.record import entries, queries
from nbcompanion.record.store import Store
from nbcompanion.ui import number_fields
from nbcompanion.ui.context import AppContext
from nbcompanion.ui.number_fields import AmbiguousNumber, NumberError, read_number
from nbcompanion.ui.record.test_dialog import TestDialog

ENGLISH = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
GERMAN = QLocale(QLocale.Language.German, QLocale.Country.Germany)


@pytest.fixture
def english() -> Iterator[None]:
    before = QLocale()
    QLocale.setDefault(ENGLISH)
    yield
    QLocale.setDefault(before)


def test_numbers_are_read_with_the_locale_and_never_guessed() -> None:
    assert read_number("1.2", locale=ENGLISH) == 1.2
    assert read_number("1,200", unit="/uL", locale=ENGLISH) == 1200
    assert read_number("1.200", unit="/uL", locale=GERMAN) == 1200
    assert read_number("1,2", locale=GERMAN) == 1.2
    assert read_number("12,5", locale=ENGLISH) == 12.5  # only one reading is possible
    assert read_number("1.234,5", locale=ENGLISH) == 1234.5
    with pytest.raises(AmbiguousNumber) as asked:
        read_number("1,200", unit="10*9/L", locale=ENGLISH)
    assert sorted(asked.value.readings) == [1.2, 1200]
    assert "Did you mean 1200 or 1.2?" in str(asked.value)
    with pytest.raises(AmbiguousNumber):
        read_number("1,200", unit="10*9/L", locale=GERMAN)
    for bad in ("nan", "inf", "1 200,5", "12,5.3", "lots"):
        with pytest.raises(NumberError):
            read_number(bad, locale=ENGLISH)


def _dialog(qtbot, store: Store, context: AppContext) -> TestDialog:
    dialog = TestDialog(context)
    qtbot.addWidget(dialog)
    combo = dialog.fields["test_type_id"]
    type_id = next(t["id"] for t in queries.test_types(store)
                   if t["name"] == "Blood counts (CBC)")
    combo.setCurrentIndex(combo.findData(type_id))
    dialog.fields["date"].set_value("2026-03-04")
    return dialog


def _saved_anc(store: Store) -> dict:
    test = queries.list_tests(store, 1)[0]
    return next(v for v in entries.get(store, "test", test["id"])["values"]
                if v["analyte"] == "Neutrophils (ANC)")


def test_1200_cells_per_microlitre_is_stored_as_1200(qtbot, english: None, store: Store,
                                                     context: AppContext) -> None:
    dialog = _dialog(qtbot, store, context)
    anc = dialog.values_grid.rows[1]
    assert anc.unit.itemData(0) == "10*9/L"
    assert [anc.unit.itemText(i) for i in range(anc.unit.count())] == [
        "10⁹/L", "10³/µL", "cells/µL"]
    anc.unit.set_code("/uL")
    anc.value.setText("1,200")
    assert dialog.save()
    assert (_saved_anc(store)["value"], _saved_anc(store)["unit"]) == (1200.0, "/uL")


def test_1200_with_10_9_per_litre_asks_and_stores_the_answer(
        qtbot, english: None, monkeypatch: pytest.MonkeyPatch, store: Store,
        context: AppContext) -> None:
    asked: list[list[float]] = []

    def which(_cls: object, _parent: object, label: str, error: AmbiguousNumber) -> float:
        asked.append(sorted(error.readings))
        return 1.2

    monkeypatch.setattr(number_fields.WhichNumber, "ask", classmethod(which))
    dialog = _dialog(qtbot, store, context)
    dialog.values_grid.rows[1].value.setText("1,200")
    assert dialog.save()
    assert asked == [[1.2, 1200.0]]
    assert _saved_anc(store)["value"] == 1.2


def test_an_unanswered_question_saves_nothing(qtbot, english: None,
                                              monkeypatch: pytest.MonkeyPatch, store: Store,
                                              context: AppContext) -> None:
    monkeypatch.setattr(number_fields.WhichNumber, "ask", classmethod(lambda *_a: None))
    dialog = _dialog(qtbot, store, context)
    dialog.values_grid.rows[1].value.setText("1,200")
    assert not dialog.save()
    assert queries.count_tests(store, 1) == 0
    dialog.done(0)


def test_a_plain_decimal_and_a_german_comma_are_stored_as_typed(qtbot, store: Store,
                                                                context: AppContext) -> None:
    before = QLocale()
    QLocale.setDefault(GERMAN)
    try:
        dialog = _dialog(qtbot, store, context)
        dialog.values_grid.rows[1].value.setText("1,2")
        dialog.values_grid.rows[0].value.setText("1.2")
        assert dialog.save()
    finally:
        QLocale.setDefault(before)
    values = {v["analyte"]: v["value"] for v in
              entries.get(store, "test", queries.list_tests(store, 1)[0]["id"])["values"]}
    assert values == {"Neutrophils (ANC)": 1.2, "White blood cells": 1.2}


def test_an_implausible_value_needs_a_confirmation_naming_the_slip(
        qtbot, english: None, monkeypatch: pytest.MonkeyPatch, store: Store,
        context: AppContext) -> None:
    messages: list[list[str]] = []

    def confirm(_cls: object, _parent: object, texts: list[str]) -> bool:
        messages.append(texts)
        return len(messages) > 1  # "Let me check" first, then "Save as typed"

    monkeypatch.setattr(number_fields.ConfirmUnusual, "ask", classmethod(confirm))
    dialog = _dialog(qtbot, store, context)
    anc = dialog.values_grid.rows[1]
    anc.value.setText("1200.5")
    assert not dialog.save()
    assert messages[0][0].startswith("1200.5 × 10⁹/L for Neutrophils (ANC) is far above")
    assert messages[0][0].endswith("Did you mean cells/µL?")
    assert not anc.error.isHidden()
    assert queries.count_tests(store, 1) == 0
    assert dialog.save()
    assert _saved_anc(store)["value"] == 1200.5


def test_an_invalid_unit_gets_a_message_beside_the_field(qtbot, english: None, store: Store,
                                                         context: AppContext) -> None:
    dialog = _dialog(qtbot, store, context)
    anc = dialog.values_grid.rows[1]
    anc.value.setText("1.5")
    anc.unit.setEditText("1200.5 10^9/L")
    anc.check_unit()
    assert not anc.error.isHidden()
    # The unit library may load first (off the GUI thread), then the check answers.
    qtbot.waitUntil(lambda: "not a unit" in anc.error.text(), timeout=30_000)
    assert not dialog.save()
    assert queries.count_tests(store, 1) == 0
    anc.unit.setEditText("K/uL")
    assert dialog.save()
    assert _saved_anc(store)["unit"] == "10*3/uL"


def test_negative_counts_are_refused(qtbot, english: None, store: Store,
                                     context: AppContext) -> None:
    dialog = _dialog(qtbot, store, context)
    dialog.values_grid.rows[3].value.setText("-3")
    assert not dialog.save()
    assert "negative" in dialog.values_grid.rows[3].error.text()
    dialog.done(0)


def test_check_these_units_lists_unreadable_units_and_opens_each(
        qtbot, english: None, store: Store, context: AppContext) -> None:
    from nbcompanion.ui.record.tests_page import TestsPage

    type_id = next(t["id"] for t in queries.test_types(store) if t["name"] == "Ferritin")
    test_id = entries.save(store, "test", {
        "child_id": context.active_child_id, "test_type_id": type_id, "date": "2025-03-01",
        "status": "result_received", "values": [{"analyte": "Ferritin", "value": 80.0,
                                                  "unit": "ng/mL"}]})
    with store.transaction() as db:  # as an older record's unmappable unit is kept
        db.execute("UPDATE test_value SET unit = 'ng per ml (old lab)', unit_family = NULL, "
                   "unit_factor = NULL")
    page = TestsPage(context)
    qtbot.addWidget(page)
    page.refresh()
    notice = page.units_notice
    assert not notice.isHidden()
    assert "Check these units" in notice.text()
    assert "ng per ml (old lab)" in notice.text()
    notice.linkActivated.emit(f"test:{test_id}")
    dialog = page.opener.last_dialog
    assert isinstance(dialog, TestDialog)
    row = dialog.values_grid.rows[0]
    assert row.unit.currentText() == "ng per ml (old lab)"
    assert dialog.save()  # kept exactly as typed when not changed
    assert entries.get(store, "test", test_id)["values"][0]["unit"] == "ng per ml (old lab)"
    dialog = page.open_test(test_id)
    dialog.values_grid.rows[0].unit.set_code("ng/mL")
    assert dialog.save()
    page.refresh()
    assert notice.isHidden()


def test_a_unit_the_list_does_not_know_is_checked_off_the_gui_thread(
        qtbot, english: None, store: Store, context: AppContext,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from nbcompanion.record import units

    monkeypatch.setattr(units, "_registry", None)  # as in a new session: not loaded yet
    dialog = _dialog(qtbot, store, context)
    anc = dialog.values_grid.rows[1]
    anc.unit.setEditText("nmol/h/mL")
    anc.check_unit()
    # The check returned at once; the form says it is checking, and stays usable.
    assert not units.is_loaded()
    assert not anc.error.isHidden()
    assert "Checking this unit" in anc.error.text()
    anc.value.setText("2.5")
    qtbot.waitUntil(units.is_loaded, timeout=30_000)
    qtbot.waitUntil(anc.error.isHidden, timeout=5_000)  # a unit it can read: no message
    dialog.done(0)
