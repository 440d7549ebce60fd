"""A table model that fetches rows from the record in batches, for lists of any length.

Ten years of records mean tens of thousands of rows: the model asks the record layer for
one batch at a time (Qt's canFetchMore/fetchMore) and lets the database sort, so opening,
sorting and filtering stay fast whatever the size.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from nbcompanion.ui.translate import tr

#: fetch(offset, limit, sort_key, descending) -> rows as dicts
FetchFunction = Callable[[int, int, str | None, bool], list[dict[str, Any]]]
CountFunction = Callable[[], int]

ROW_ROLE = Qt.ItemDataRole.UserRole + 1
"""The whole row dict of an index."""
ID_ROLE = Qt.ItemDataRole.UserRole + 2
"""The ``id`` of the row of an index."""

AnyIndex = QModelIndex | QPersistentModelIndex

_ROLES = frozenset({Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
                    Qt.ItemDataRole.TextAlignmentRole, ROW_ROLE, ID_ROLE})


@dataclass(frozen=True)
class Column:
    """One column: the row key shown, its title, and the record layer's sort key (if any)."""

    key: str
    title: str
    sort: str | None = None
    format: Callable[[dict[str, Any]], str] | None = None
    tooltip: Callable[[dict[str, Any]], str] | None = None
    numeric: bool = False

    def text(self, row: dict[str, Any]) -> str:
        """What the cell shows."""
        if self.format is not None:
            return self.format(row)
        value = row.get(self.key)
        return "" if value is None else str(value)


class LazyTableModel(QAbstractTableModel):
    """Rows fetched in batches from ``fetch``; sorting is done by the record layer."""

    def __init__(self, columns: list[Column], fetch: FetchFunction,
                 count: CountFunction | None = None, *, batch: int = 200,
                 default_sort: str | None = None, descending: bool = True,
                 parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = columns
        self._fetch = fetch
        self._count = count
        self._batch = batch
        self._sort = default_sort
        self._descending = descending
        self._rows: list[dict[str, Any]] = []
        self._total: int | None = None
        self._exhausted = False
        self.refresh()

    # -- data source ------------------------------------------------------------------------
    def set_source(self, fetch: FetchFunction, count: CountFunction | None = None) -> None:
        """Show rows from another query (e.g. after a filter changed)."""
        self._fetch = fetch
        self._count = count
        self.refresh()

    def refresh(self) -> None:
        """Reload from the first batch (after the record changed)."""
        self.beginResetModel()
        self._rows = []
        self._exhausted = False
        self._total = self._count() if self._count is not None else None
        self._load_batch()
        self.endResetModel()

    def _load_batch(self) -> int:
        rows = self._fetch(len(self._rows), self._batch, self._sort, self._descending)
        if len(rows) < self._batch:
            self._exhausted = True
        self._rows.extend(rows)
        return len(rows)

    @property
    def total(self) -> int:
        """How many rows the query has (loaded or not), when a count function was given."""
        return self._total if self._total is not None else len(self._rows)

    def row_dict(self, row: int) -> dict[str, Any]:
        """The row dict at ``row``."""
        return self._rows[row]

    def row_of_id(self, entry_id: int) -> int | None:
        """The row showing ``entry_id``, loading further batches until found or exhausted."""
        while True:
            for index, row in enumerate(self._rows):
                if row.get("id") == entry_id:
                    return index
            if not self.canFetchMore(QModelIndex()):
                return None
            self.fetchMore(QModelIndex())

    # -- Qt model API -----------------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        """Rows loaded so far."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        """Columns shown."""
        return 0 if parent.isValid() else len(self.columns)

    def canFetchMore(self, parent: AnyIndex) -> bool:
        """True while the query has rows not loaded yet."""
        if parent.isValid() or self._exhausted:
            return False
        return self._total is None or len(self._rows) < self._total

    def fetchMore(self, parent: AnyIndex) -> None:
        """Load the next batch."""
        if parent.isValid():
            return
        start = len(self._rows)
        rows = self._fetch(start, self._batch, self._sort, self._descending)
        if len(rows) < self._batch:
            self._exhausted = True
        if not rows:
            return
        self.beginInsertRows(QModelIndex(), start, start + len(rows) - 1)
        self._rows.extend(rows)
        self.endInsertRows()

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Cell text, tooltip, alignment, or the row/id for custom roles."""
        # Views ask for a dozen roles per cell while sizing rows; most are answered here.
        if role not in _ROLES or not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.tooltip(row) if column.tooltip is not None else column.text(row) or None
        if role == Qt.ItemDataRole.TextAlignmentRole and column.numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == ROW_ROLE:
            return row
        if role == ID_ROLE:
            return row.get("id")
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Column titles, in the current language (the catalog tool reads ``Column``'s)."""
        if (role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal
                and 0 <= section < len(self.columns)):
            return tr(self.columns[section].title)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Ask the record layer for another order (columns without a sort key are ignored)."""
        if not 0 <= column < len(self.columns) or self.columns[column].sort is None:
            return
        self._sort = self.columns[column].sort
        self._descending = order == Qt.SortOrder.DescendingOrder
        self.refresh()
