"""The state the whole window shares: the open record, the reference library, the undo stack.

Pages never talk to each other directly; they listen to these signals and ask for
navigation through :meth:`AppContext.navigate`.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, Signal
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
        self._library_job: Any = None
        self._library_built: list[Any] = []
        self._library_ready = threading.Event()
        self._closing = False

    # -- the reference library: off the start-up path, ready before the first search -------
    @property
    def library(self) -> Any:
        """The reference :class:`~nbcompanion.content.library.Library`, loaded on first use.

        When :meth:`prepare_library_soon` is still building it, this waits for that work
        rather than doing it twice.
        """
        if self._library is None:
            if self._library_job is not None and not self._library_job.done:
                self._library_ready.wait(30)
            if self._library_built:
                self._library = self._library_built[0]
            else:
                from nbcompanion.content.library import Library

                self._library = Library.load_default()
        return self._library

    def prepare_library_soon(self) -> None:
        """Read the reference and build its search index on a worker thread.

        Called just after the window's first paint: the index takes a few hundred
        milliseconds, which the first search would otherwise spend while the family waits.
        """
        if self._library is not None or self._library_job is not None or self._closing:
            return
        from nbcompanion.ui.background import Progress, run_in_background

        built, ready = self._library_built, self._library_ready

        def work(progress: Progress) -> Any:
            try:
                from nbcompanion.content.library import Library

                library = Library.load_default()
                progress.check()
                for book in library.books:
                    library.analysis(book.key)  # the Markdown parse, the longer half
                    progress.check()
                    library.glossary(book.key)  # the search page looks terms up in it
                progress.check()
                _index = library.index
                built.append(library)
                return library
            finally:
                ready.set()

        self._library_job = run_in_background(None, work, on_success=self._on_library_built,
                                              on_failure=lambda _error: None)
        app = QCoreApplication.instance()
        if app is not None:  # never leave the thread running while Python shuts down
            app.aboutToQuit.connect(self.stop_background_work)

    def _on_library_built(self, library: Any) -> None:
        if self._library is None:
            self._library = library

    @property
    def closing(self) -> bool:
        """True once the app is quitting (see :meth:`stop_background_work`)."""
        return self._closing

    def stop_background_work(self) -> None:
        """The app is quitting: start nothing more, and end the reference work cleanly."""
        self._closing = True
        job = self._library_job
        if job is None or job.done:
            return
        job.cancel()
        self._library_ready.wait(30)
        deadline = time.monotonic() + 5
        while not job.done and time.monotonic() < deadline:  # its result is on its way
            QCoreApplication.processEvents()
            time.sleep(0.001)

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
