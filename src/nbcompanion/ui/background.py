"""Long work off the GUI thread: one small helper with progress, Cancel, success and failure.

Like Anki's ``QueryOp``: the caller hands over a function that does the work and gets back
its result on the GUI thread. The work runs on a ``QThread`` and receives a
:class:`Progress` to report "N of about M" and to learn that the family pressed Cancel.
Background code never touches widgets; code that reads the record opens its own SQLite
connection there.

    job = run_in_background(
        window, lambda progress: export(path, progress),
        on_success=lambda result: ..., on_failure=lambda error: ...,
        title="Exporting the full record", label="Laying out the pages…")

Signals (of :class:`BackgroundJob`):
    progressed(done, total, text): the work reported progress.
    finished(): the work ended, whichever way; the callbacks have run.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, Qt, QThread, QTimer, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

T = TypeVar("T")

#: How long work may run before a progress window appears: quick work never flashes one.
SHOW_AFTER_MS = 400


class Cancelled(Exception):  # an outcome the caller expects, not a bug
    """Raised inside the work by :meth:`Progress.check` once Cancel was pressed."""


class Progress:
    """What the work is handed: report progress, and ask whether to stop.

    Thread-safe: the work calls it from its own thread; the GUI reads it through signals.
    """

    def __init__(self, emit: Callable[[int, int, str], None] | None = None) -> None:
        self._cancel = threading.Event()
        self._emit = emit

    def report(self, done: int, total: int = 0, text: str = "") -> None:
        """``done`` of about ``total`` steps (0 when unknown), with a short line of text.

        Also stops the work (by raising :class:`Cancelled`) when Cancel was pressed, so
        a loop that reports progress needs no separate check.
        """
        self.check()
        if self._emit is not None:
            self._emit(done, total, text)

    def cancel(self) -> None:
        """Ask the work to stop at its next report or check."""
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        """Whether Cancel was pressed."""
        return self._cancel.is_set()

    def check(self) -> None:
        """Raise :class:`Cancelled` when Cancel was pressed."""
        if self._cancel.is_set():
            raise Cancelled


class _Runner(QObject):
    """Lives on the worker thread and runs the work once."""

    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(self, work: Callable[[Progress], Any]) -> None:
        super().__init__()
        self.work = work
        self.progress = Progress(self.progressed.emit)

    @Slot()
    def run(self) -> None:
        try:
            result = self.work(self.progress)
        except BaseException as error:  # every outcome goes back to the GUI thread
            self.failed.emit(error)
        else:
            if self.progress.cancelled:
                self.failed.emit(Cancelled())
            else:
                self.succeeded.emit(result)
        finally:
            # End the thread here rather than wait for the GUI to do it, so that
            # wait_for_all() also returns while the GUI thread is blocked (on quit).
            QThread.currentThread().quit()


class BackgroundJob(QObject, Generic[T]):
    """One piece of work running off the GUI thread; see :func:`run_in_background`."""

    progressed = Signal(int, int, str)
    finished = Signal()

    def __init__(self, parent: QObject | None, work: Callable[[Progress], T],
                 on_success: Callable[[T], None] | None,
                 on_failure: Callable[[BaseException], None] | None,
                 on_cancel: Callable[[], None] | None) -> None:
        super().__init__(parent)
        self._on_success = on_success
        self._on_failure = on_failure
        self._on_cancel = on_cancel
        self.done = False
        self.result: T | None = None
        self.error: BaseException | None = None
        self.was_cancelled = False
        #: The progress window, when the job has one.
        self.dialog: QProgressDialog | None = None
        self._thread = QThread()
        self._thread.setObjectName("nbcompanion-background")
        self._runner = _Runner(work)
        self._runner.moveToThread(self._thread)
        self._thread.started.connect(self._runner.run)
        # Queued: the slots run here on the GUI thread, never on the worker.
        queued = Qt.ConnectionType.QueuedConnection
        self._runner.progressed.connect(self.progressed, queued)
        self._runner.succeeded.connect(self._succeeded, queued)
        self._runner.failed.connect(self._failed, queued)

    @property
    def progress(self) -> Progress:
        """The work's progress object (cancel through :meth:`cancel`)."""
        return self._runner.progress

    def start(self) -> None:
        """Start the work on its own thread."""
        self._thread.start()

    def cancel(self) -> None:
        """Ask the work to stop; ``on_cancel`` runs once it has."""
        self._runner.progress.cancel()

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until the thread has ended (for shutdown and tests)."""
        return bool(self._thread.wait(msecs))

    @Slot(object)
    def _succeeded(self, result: T) -> None:
        self.result = result
        self._end()
        if self._on_success is not None:
            self._on_success(result)
        self.finished.emit()

    @Slot(object)
    def _failed(self, error: BaseException) -> None:
        self._end()
        if isinstance(error, Cancelled):
            self.was_cancelled = True
            if self._on_cancel is not None:
                self._on_cancel()
        else:
            self.error = error
            if self._on_failure is not None:
                self._on_failure(error)
            elif not isinstance(error, Exception):
                raise error
        self.finished.emit()

    def _end(self) -> None:
        self.done = True
        self._thread.quit()
        self._thread.wait()


#: Jobs still running, so Python does not collect them while their thread works.
_RUNNING: set[BackgroundJob[Any]] = set()


def run_in_background(parent: QWidget | None, work: Callable[[Progress], T], *,
                      on_success: Callable[[T], None] | None = None,
                      on_failure: Callable[[BaseException], None] | None = None,
                      on_cancel: Callable[[], None] | None = None,
                      title: str | None = None, label: str = "",
                      cancellable: bool = True) -> BackgroundJob[T]:
    """Run ``work(progress)`` on a worker thread; callbacks run on the GUI thread.

    With a ``title``, a progress window appears when the work takes longer than a blink,
    showing the work's own text ("Page 12 of about 380") and, when ``cancellable``, a
    Cancel button. Without one the work is silent (a backup after start-up).
    """
    job: BackgroundJob[T] = BackgroundJob(parent, work, on_success, on_failure, on_cancel)
    _RUNNING.add(job)
    job.finished.connect(lambda: _RUNNING.discard(job))
    if title is not None:
        _attach_progress_window(job, parent, title, label, cancellable)
    job.start()
    return job


def _attach_progress_window(job: BackgroundJob[Any], parent: QWidget | None, title: str,
                            label: str, cancellable: bool) -> None:
    dialog = QProgressDialog(label, "Cancel" if cancellable else "", 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(SHOW_AFTER_MS)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setAccessibleName(title)
    if not cancellable:
        dialog.setCancelButton(None)
    dialog.canceled.connect(job.cancel)

    def show_progress(done: int, total: int, text: str) -> None:
        dialog.setMaximum(max(total, 0))
        if total > 0:
            dialog.setValue(min(done, total))
        if text:
            dialog.setLabelText(text)

    def close() -> None:
        dialog.canceled.disconnect(job.cancel)
        dialog.close()
        dialog.deleteLater()

    job.progressed.connect(show_progress)
    job.finished.connect(close)
    # QProgressDialog only shows itself from setValue(); make sure quiet work still gets one.
    QTimer.singleShot(SHOW_AFTER_MS, lambda: None if job.done else dialog.show())
    job.dialog = dialog


def wait_for_all(msecs: int = 30_000) -> None:
    """Wait for every running job's thread (on quit, and between tests)."""
    for job in list(_RUNNING):
        job.wait(msecs)
