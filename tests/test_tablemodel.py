"""The lazy table model: batches, sorting through the source, and Qt's model contract."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt

from nbcompanion.ui.tablemodel import ID_ROLE, Column, LazyTableModel

ROWS = [{"id": i, "name": f"row {i:03d}", "size": i * 1.5} for i in range(1, 451)]


def _fetch(offset: int, limit: int, sort: str | None, descending: bool) -> list[dict[str, Any]]:
    ordered = sorted(ROWS, key=lambda r: r[sort or "id"], reverse=descending)
    return ordered[offset:offset + limit]


def _model(count: bool = True) -> LazyTableModel:
    columns = [Column("name", "Name", sort="name"), Column("size", "Size", numeric=True)]
    return LazyTableModel(columns, _fetch, (lambda: len(ROWS)) if count else None, batch=200,
                          default_sort="id", descending=False)


def test_rows_arrive_in_batches(qtmodeltester) -> None:
    model = _model()
    assert model.rowCount() == 200
    assert model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 450
    assert not model.canFetchMore(QModelIndex())
    assert model.total == 450
    qtmodeltester.check(model)


def test_without_a_count_it_stops_at_a_short_batch() -> None:
    model = _model(count=False)
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    assert model.rowCount() == 450


def test_sorting_asks_the_source_and_ignores_unsortable_columns(qapp) -> None:
    model = _model()
    model.sort(0, Qt.SortOrder.DescendingOrder)
    assert model.data(model.index(0, 0)) == "row 450"
    model.sort(1, Qt.SortOrder.AscendingOrder)  # no sort key: order unchanged
    assert model.data(model.index(0, 0)) == "row 450"
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Name"


def test_finding_a_row_loads_until_found(qapp) -> None:
    model = _model()
    assert model.row_of_id(420) == 419
    assert model.data(model.index(419, 0), ID_ROLE) == 420
    assert model.row_of_id(9999) is None
