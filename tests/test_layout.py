"""Every page fits a 1366×768 laptop: no table scrolls sideways for its default columns,
Tests & results shows at least twelve rows, and Home's cards keep equal columns."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QTableView,
    QTreeView,
)

from nbcompanion.record import entries
from nbcompanion.record.store import open_store
from nbcompanion.ui.context import AppContext


@pytest.fixture
def window(qtbot, demo_path: Path) -> Iterator[object]:
    from nbcompanion.ui.main_window import MainWindow

    store = open_store(demo_path)
    made = MainWindow(AppContext(store))
    qtbot.addWidget(made)
    made.resize(1366, 768)
    made.show()
    qtbot.waitExposed(made)
    yield made
    store.close()


def _settle() -> None:
    for _ in range(4):
        QApplication.processEvents()


def _header(view: QAbstractItemView) -> QHeaderView:
    return view.header() if isinstance(view, QTreeView) else view.horizontalHeader()


def test_no_table_scrolls_sideways_at_1366_by_768(window) -> None:
    checked = []
    for spec in window._specs:
        page = window.show_page(spec.key)
        _settle()
        for view in page.findChildren(QAbstractItemView):
            if not isinstance(view, (QTableView, QTreeView)) or not view.isVisible():
                continue
            if _header(view).count() < 2:
                continue
            header = _header(view)
            visible = [c for c in range(header.count()) if not header.isSectionHidden(c)]
            width = sum(header.sectionSize(c) for c in visible)
            name = f"{spec.key}: {view.accessibleName() or view.objectName()}"
            assert width <= view.viewport().width() + 1, f"{name} is {width} px wide"
            assert not view.horizontalScrollBar().isVisible(), f"{name} scrolls sideways"
            checked.append(name)
    assert len(checked) >= 8, checked  # tests, history, treatment, visits, diary, …


def test_tests_and_results_shows_twelve_rows(window) -> None:
    page = window.show_page("tests")
    _settle()
    table = page.table
    rows_shown = table.viewport().height() // table.rowHeight(0)
    assert rows_shown >= 12
    window.resize(1366, 700)  # the window on a 768-pixel screen, after title bar and panel
    _settle()
    assert table.viewport().height() // table.rowHeight(0) >= 12
    window.resize(1366, 768)
    _settle()
    header = table.horizontalHeader()
    values = next(c for c in range(header.count())
                  if table.model().headerData(c, header.orientation()) == "Values")
    assert header.sectionResizeMode(values) == QHeaderView.ResizeMode.Stretch
    widest_other = max(header.sectionSize(c) for c in range(header.count()) if c != values)
    assert header.sectionSize(values) >= widest_other  # the values get the room, not "Place"


def test_treatment_and_visits_names_are_not_cut_beside_empty_room(window) -> None:
    page = window.show_page("treatment")
    _settle()
    tree = page.tree
    assert tree.header().sectionResizeMode(0) == QHeaderView.ResizeMode.Stretch
    needed = tree.sizeHintForColumn(0)
    assert tree.header().sectionSize(0) >= min(needed, 420)
    visits = window.show_page("visits")
    _settle()
    header = visits.table.horizontalHeader()
    assert any(header.sectionResizeMode(c) == QHeaderView.ResizeMode.Stretch
               for c in range(header.count()))


def test_home_cards_keep_equal_columns_after_the_first_child(qtbot, file_store) -> None:
    from nbcompanion.ui.main_window import MainWindow

    context = AppContext(file_store)
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    child = entries.save(file_store, "child", {"name": "Mia", "birth_date": "2021-04-02"})
    context.set_active_child(child)
    context.notify_changed("child")
    _settle()
    home = window.page("home")
    widths = {card.width() for card in home.cards.values()}
    assert len(home.cards) == 6
    assert max(widths) - min(widths) <= 2, widths
