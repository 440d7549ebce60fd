"""The state the whole window shares: the open record, the reference library, the undo stack.

Pages never talk to each other directly; they listen to these signals and ask for
navigation through :meth:`AppContext.navigate`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

if TYPE_CHECKING:
    from nbcompanion.record.store import Store


class AppContext(QObject):
    """Shared state of one main window.

    Signals:
        record_changed(str): a table of the record was written (its name, or "" for many).
        active_child_changed(object): the active child's id (int) or None.
        store_replaced(): a different record file was opened (restore, open, new).
        navigate_requested(str, object): show page ``key`` and pass it ``target``.
    """

    record_changed = Signal(str)
    active_child_changed = Signal(object)
    store_replaced = Signal()
    navigate_requested = Signal(str, object)

    ACTIVE_CHILD_KEY = "active_child_id"

    def __init__(self, store: Store, *, demo: bool = False, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.demo = demo
        self.undo_stack = QUndoStack(self)
        self._library: Any = None

    # -- the reference library is parsed on first use, to keep start-up fast ---------------
    @property
    def library(self) -> Any:
        """The reference :class:`~nbcompanion.content.library.Library`, loaded on first use."""
        if self._library is None:
            from nbcompanion.content.library import Library

            self._library = Library.load_default()
        return self._library

    # -- active child -----------------------------------------------------------------------
    @property
    def active_child_id(self) -> int | None:
        """The id of the child whose record is shown, or None when there is none."""
        value = self.store.get_setting(self.ACTIVE_CHILD_KEY)
        return int(value) if value else None

    def set_active_child(self, child_id: int | None) -> None:
        """Switch the whole window to another child."""
        if child_id == self.active_child_id:
            return
        self.store.set_setting(self.ACTIVE_CHILD_KEY, None if child_id is None else str(child_id))
        self.active_child_changed.emit(child_id)

    # -- changes and navigation -------------------------------------------------------------
    def notify_changed(self, table: str = "") -> None:
        """Tell every view that ``table`` was written."""
        self.record_changed.emit(table)

    def navigate(self, page: str, target: object = None) -> None:
        """Ask the main window to show ``page`` (e.g. "reference") and open ``target`` there."""
        self.navigate_requested.emit(page, target)

    def replace_store(self, store: Store, *, demo: bool = False) -> None:
        """Switch to another record file (after restore, open or new)."""
        old = self.store
        self.store = store
        self.demo = demo
        self.undo_stack.clear()
        if old is not store:
            old.close()
        self.store_replaced.emit()
        self.active_child_changed.emit(self.active_child_id)
        self.record_changed.emit("")
