"""Trends: the analyte list (with creatinine ratios), the table, and clicking a chart point."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from nbcompanion.record import entries
from nbcompanion.reports.chart import OUTSIDE_RANGE_TEXT
from nbcompanion.ui.context import AppContext
from nbcompanion.ui.daily.trends import SeriesModel, TrendsPage


def _record(store) -> tuple[AppContext, list[int]]:
    context = AppContext(store)
    child_id = entries.save(store, "child", {"name": "Maya"})
    context.set_active_child(child_id)
    entries.save(store, "phase", {"child_id": child_id, "kind": "induction",
                                  "start_date": "2026-01-05", "actual_end": "2026-05-20",
                                  "status": "completed"})
    type_id = store.query("SELECT id FROM test_type WHERE name LIKE 'Urine%'")[0]["id"]
    ids = []
    for day, vma, creatinine in (("2026-01-03", 42.0, 0.5), ("2026-03-01", 18.0, 0.6),
                                 ("2026-05-02", 6.0, 0.6)):
        ids.append(entries.save(store, "test", {
            "child_id": child_id, "test_type_id": type_id, "date": day,
            "status": "result_received",
            "values": [{"analyte": "VMA", "value": vma, "unit": "mg/L", "ref_high": 10.0},
                       {"analyte": "Creatinine (urine)", "value": creatinine, "unit": "g/L"}]}))
    return context, ids


def _page(qtbot, store) -> tuple[TrendsPage, list[int]]:
    context, ids = _record(store)
    page = TrendsPage(context)
    page.chart._today = lambda: date(2026, 6, 1)
    qtbot.addWidget(page)
    page.resize(1100, 700)
    page.show()
    qtbot.waitExposed(page)
    return page, ids


def test_every_numeric_analyte_and_the_creatinine_ratio_are_offered(qtbot, file_store) -> None:
    page, _ids = _page(qtbot, file_store)
    names = [page.analyte_combo.itemText(i) for i in range(page.analyte_combo.count())]
    assert names == ["VMA", "VMA / creatinine", "Creatinine (urine)"]  # the catalog's order
    assert page.current_analyte() == "VMA"  # the first is shown without a click


def test_the_table_beside_the_chart_lists_the_values(qtbot, file_store) -> None:
    page, ids = _page(qtbot, file_store)
    page.open_target({"analyte": "VMA"})
    assert page.current_analyte() == "VMA"
    assert page.topic_link.topic == "Urine catecholamine studies"  # the summary's own section
    model = page.model
    assert model.rowCount() == 3
    assert [model.index(r, 1).data() for r in range(3)] == ["42", "18", "6"]
    assert model.index(0, 3).data() == "up to 10"
    assert model.index(0, 4).data() == OUTSIDE_RANGE_TEXT
    assert model.index(2, 4).data() == ""
    description = page.chart.accessibleDescription()
    assert "3 values" in description
    assert "Induction" in description
    for word in ("normal", "abnormal", "good", "bad"):
        assert word not in description.lower()
    with qtbot.waitSignal(page.context.navigate_requested) as blocker:
        page._on_table_activated(model.index(1, 0))
    assert blocker.args == ["tests", {"test_id": ids[1]}]


def test_clicking_a_chart_point_opens_that_test(qtbot, file_store) -> None:
    page, ids = _page(qtbot, file_store)
    page.open_target({"analyte": "VMA"})
    page.chart.grab()  # paints through paintEvent, which keeps the painter's hit areas
    assert sorted(test_id for _area, test_id in page.chart.hits) == sorted(ids)
    area, test_id = page.chart.hits[1]
    with qtbot.waitSignal(page.context.navigate_requested) as blocker:
        qtbot.mouseClick(page.chart, Qt.MouseButton.LeftButton, pos=area.center().toPoint())
    assert blocker.args == ["tests", {"test_id": test_id}]


def test_ratio_series_is_drawn(qtbot, file_store) -> None:
    page, _ids = _page(qtbot, file_store)
    page.open_target({"analyte": "VMA / creatinine"})
    assert page.model.rowCount() == 3
    assert page.model.rows[0]["value"] == pytest.approx(42.0 / 0.5)


def test_no_numbers_yet_shows_a_kind_empty_state(qtbot, file_store) -> None:
    context = AppContext(file_store)
    context.set_active_child(entries.save(file_store, "child", {"name": "Maya"}))
    page = TrendsPage(context)
    qtbot.addWidget(page)
    assert page.stack.currentWidget() is page.empty
    assert "No numbers recorded yet" in page.empty.message.text()


def test_series_model_contract(qtmodeltester) -> None:
    model = SeriesModel()
    model.set_rows([{"date": "2026-01-03", "value": 4.0, "unit": "mg/L", "ref_low": None,
                     "ref_high": 10.0, "test_id": 1},
                    {"date": "2026-02-03", "value": 12.5, "unit": None, "ref_low": 1.0,
                     "ref_high": None, "test_id": 2}])
    qtmodeltester.check(model)


def test_a_new_value_appears_when_the_page_is_shown_again(qtbot, file_store) -> None:
    page, _ids = _page(qtbot, file_store)
    page.hide()
    type_id = file_store.query("SELECT id FROM test_type WHERE name = 'Ferritin'")[0]["id"]
    entries.save(file_store, "test", {
        "child_id": page.context.active_child_id, "test_type_id": type_id, "date": "2026-05-10",
        "status": "result_received", "values": [{"analyte": "Ferritin", "value": 80.0}]})
    page.context.notify_changed("test")
    page.show()
    names = [page.analyte_combo.itemText(i) for i in range(page.analyte_combo.count())]
    assert "Ferritin" in names


def test_units_that_cannot_be_compared_never_share_a_chart(qtbot, file_store) -> None:
    context = AppContext(file_store)
    child_id = entries.save(file_store, "child", {"name": "Noa"})
    context.set_active_child(child_id)
    type_id = file_store.query("SELECT id FROM test_type WHERE name LIKE 'Urine%'")[0]["id"]
    for day, value, unit in (("2025-12-03", 11.0, "mg/L"), ("2026-01-03", 10.0, "mg/L"),
                             ("2026-02-03", 30.0, "umol/L"),
                             ("2026-03-03", 12.0, "mg/g{creat}")):
        entries.save(file_store, "test", {
            "child_id": child_id, "test_type_id": type_id, "date": day,
            "status": "result_received", "values": [{"analyte": "VMA", "value": value,
                                                      "unit": unit}]})
    page = TrendsPage(context)
    qtbot.addWidget(page)
    page.open_target({"analyte": "VMA"})
    visible = [p for p in page.panels if not p.isHidden()]
    assert len(visible) == 2
    first, second = (p.chart for p in visible)
    assert first.unit == "mg/L"
    assert [round(r["value"], 2) for r in first.rows] == [11.0, 10.0, 5.95]
    assert second.unit == "mg/g creatinine"
    assert [r["value"] for r in second.rows] == [12.0]
    assert page.model.index(2, 1).data() == "5.95 *"
    assert "30 µmol/L" in page.model.index(2, 1).data(Qt.ItemDataRole.ToolTipRole)
    assert "Converted" in page.table_hint.text()
    # The family may show the values in µmol/L instead; the saved values are untouched.
    combo = visible[0].unit_combo
    combo.setCurrentIndex(combo.findData("umol/L"))
    combo.activated.emit(combo.currentIndex())
    assert page.chart.unit == "µmol/L"
    assert [round(r["value"], 1) for r in page.chart.rows] == [55.5, 50.5, 30.0]
    assert file_store.query("SELECT value, unit FROM test_value ORDER BY id")[1:3] == [
        {"value": 10.0, "unit": "mg/L"}, {"value": 30.0, "unit": "umol/L"}]
