"""The tests table on a record of years: lazy batches sorted by SQLite, rows sized from the font."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QHeaderView

from nbcompanion.record.store import Store, now_iso
from nbcompanion.ui.context import AppContext
from nbcompanion.ui.record.common import row_height
from nbcompanion.ui.record.tests_page import TestsPage

COUNT = 650


def _many_tests(store: Store) -> None:
    child = int(store.get_setting("active_child_id")
                or store.query("SELECT id FROM child")[0]["id"])
    types = [r["id"] for r in store.query("SELECT id FROM test_type ORDER BY id LIMIT 5")]
    stamp = now_iso()
    start = date(2016, 1, 1)
    with store.transaction():
        store.db["test"].insert_all({
            "child_id": child, "test_type_id": types[n % len(types)],
            "date": (start + timedelta(days=n * 5)).isoformat(),
            "status": "result_received", "place": f"Lab {n % 7}",
            "created_at": stamp, "updated_at": stamp} for n in range(COUNT))


def _page(qtbot, context: AppContext) -> TestsPage:
    page = TestsPage(context)
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    qtbot.waitExposed(page)
    return page


def test_years_of_tests_load_lazily_sort_in_sqlite_and_keep_qts_contract(
        qtbot, qtmodeltester, store: Store, context: AppContext) -> None:
    _many_tests(store)
    page = _page(qtbot, context)
    model = page.model
    assert model.total >= COUNT
    assert model.rowCount() < model.total  # one batch, not every row
    assert model.canFetchMore(QModelIndex())
    newest = model.row_dict(0)["date"]
    page.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)  # a header click, in effect
    assert model.row_dict(0)["date"] < newest
    assert model.rowCount() < model.total  # sorting started again from one batch
    dates = [model.row_dict(r)["date"] for r in range(model.rowCount())]
    assert dates == sorted(dates)
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    assert model.rowCount() == model.total
    qtmodeltester.check(model)


def test_rows_are_one_line_of_the_font_and_never_measured(qtbot, store: Store,
                                                          context: AppContext) -> None:
    _many_tests(store)
    page = _page(qtbot, context)
    header = page.table.verticalHeader()
    assert header.sectionResizeMode(0) == QHeaderView.ResizeMode.Fixed
    assert header.defaultSectionSize() == row_height(page.table)
    assert page.table.rowHeight(0) == page.table.fontMetrics().height() + 8
