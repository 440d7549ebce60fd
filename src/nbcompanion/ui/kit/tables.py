"""Tables of entries: the long entry lists and small in-memory tables."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QContextMenuEvent, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QMenu, QTableView, QWidget

from nbcompanion.ui.tablemodel import ID_ROLE, Column, LazyTableModel
from nbcompanion.ui.translate import tr


def row_height(widget: QWidget) -> int:
    """The height of a one-line table row in ``widget``'s font (text plus padding)."""
    return widget.fontMetrics().height() + 8


class EntryTableView(QTableView):
    """A table of entries: double-click or Enter opens one, Delete asks to delete it.

    Every row is one line of the font tall, never measured cell by cell, so ten years of
    entries stay as quick as a few.

    Signals:
        entry_activated(int): the user asked to open the entry with this id.
        delete_pressed(int): the user pressed Delete on the entry with this id.
    """

    entry_activated = Signal(int)
    delete_pressed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTabKeyNavigation(False)  # arrows move inside; Tab moves on to the next control
        self.verticalHeader().hide()
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(row_height(self))
        self.horizontalHeader().setHighlightSections(False)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.horizontalHeader().setStretchLastSection(True)
        self.doubleClicked.connect(self._on_self_double_clicked)
        self.setToolTip(tr("Double-click or press Enter to open; press Delete to delete"))

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        """Right-click offers what double-click and the Delete key do, for those who look."""
        index = self.indexAt(event.pos())
        if not index.isValid():
            return
        self.selectRow(index.row())
        entry_id = self.current_id()
        if entry_id is None:
            return
        menu = QMenu(self)
        menu.addAction(tr("Open…"), lambda: self.entry_activated.emit(entry_id))
        menu.addAction(tr("Delete…"), lambda: self.delete_pressed.emit(entry_id))
        menu.exec(event.globalPos())

    def current_id(self) -> int | None:
        """The id of the selected entry."""
        index = self.currentIndex()
        if not index.isValid():
            return None
        value = index.siblingAtColumn(0).data(ID_ROLE)
        return None if value is None else int(value)

    def _on_self_double_clicked(self, index: QModelIndex) -> None:
        value = index.siblingAtColumn(0).data(ID_ROLE)
        if value is not None:
            self.entry_activated.emit(int(value))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter opens the selected entry; Delete asks to delete it."""
        entry_id = self.current_id()
        if entry_id is not None and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.entry_activated.emit(entry_id)
            return
        if entry_id is not None and event.key() == Qt.Key.Key_Delete:
            self.delete_pressed.emit(entry_id)
            return
        super().keyPressEvent(event)


class RowsModel(LazyTableModel):
    """A table of row dicts held in memory (questions, the care team).

    The same model as the long lists, handed to the view 30 rows at a time: views with
    wrapped text measure every row they are given.
    """

    BATCH = 30

    def __init__(self, columns: list[Column], parent: Any = None) -> None:
        self.rows: list[dict[str, Any]] = []
        super().__init__(columns, self._slice, self._count_rows, batch=self.BATCH,
                         parent=parent)

    def _count_rows(self) -> int:
        return len(self.rows)

    def _slice(self, offset: int, limit: int, _sort: str | None,
               _descending: bool) -> list[dict[str, Any]]:
        return self.rows[offset:offset + limit]

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        """Show ``rows``."""
        self.rows = [dict(r) for r in rows]
        self.refresh()


def table_view(model: QAbstractTableModel, name: str,
               stretch: tuple[int, ...] = ()) -> QTableView:
    """A read-only, row-selecting table with wrapped text; ``stretch`` columns share the width."""
    view = QTableView()
    view.setModel(model)
    view.setAccessibleName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setTabKeyNavigation(False)
    view.setWordWrap(True)
    view.setAlternatingRowColors(True)
    view.verticalHeader().hide()
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.setStyleSheet("QTableView::item { padding: 3px 6px; }")
    header = view.horizontalHeader()
    if stretch:
        for column in range(model.columnCount()):
            mode = (QHeaderView.ResizeMode.Stretch if column in stretch
                    else QHeaderView.ResizeMode.ResizeToContents)
            header.setSectionResizeMode(column, mode)
    else:
        header.setStretchLastSection(True)
    return view
