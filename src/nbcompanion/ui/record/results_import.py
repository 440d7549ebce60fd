"""Record › Import results from a file…: choose, read off the GUI thread, review, add, undo.

The file is read and validated on a worker thread (progress and Cancel); the review is
matched against the record on the GUI thread, which owns the record's connection. Nothing
is written until the family presses "Add N results"; then one transaction and one undo step.
"""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMimeData, QObject, Qt
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget

from nbcompanion.ui.background import BackgroundJob, Progress, run_in_background
from nbcompanion.ui.context import AppContext
from nbcompanion.ui.forms import run_dialog
from nbcompanion.ui.translate import tr

FILE_FILTER = "FHIR results (*.json *.ndjson *.jsonl *.zip);;All files (*)"
#: Suffixes accepted when a file is dropped on the Tests page.
DROP_SUFFIXES = (".json", ".ndjson", ".jsonl", ".zip")


def dropped_file(mime: QMimeData) -> Path | None:
    """The one results file (.json, .ndjson, .zip) being dragged, if that is what it is."""
    urls = mime.urls() if mime.hasUrls() else []
    files = [Path(u.toLocalFile()) for u in urls if u.isLocalFile()]
    if len(files) == 1 and files[0].suffix.lower() in DROP_SUFFIXES:
        return files[0]
    return None


class ChooseResultsFile:
    """The file chooser (tests monkeypatch :meth:`ask`)."""

    @classmethod
    def ask(cls, parent: QWidget | None) -> Path | None:
        """The file the family picked, or None."""
        name, _filter = QFileDialog.getOpenFileName(
            parent, tr("Import results from a file"), str(Path.home()), FILE_FILTER)
        return Path(name) if name else None


class Tell:
    """Messages to the family (tests monkeypatch :meth:`message`)."""

    @classmethod
    def message(cls, parent: QWidget | None, title: str, text: str, *,
                warning: bool = False) -> None:
        """Show a short message."""
        if warning:
            QMessageBox.warning(parent, title, text)
        else:
            QMessageBox.information(parent, title, text)


class ImportCommand(QUndoCommand):
    """One import as one undo step: undo takes every added result out, redo puts it back."""

    def __init__(self, context: AppContext, outcome: Any) -> None:
        super().__init__(f"Import {outcome.results} results from {outcome.file_name}")
        self.context = context
        self.outcome = outcome
        self.snapshot: Any = None
        self._first_redo = True

    def redo(self) -> None:
        """Put the import back (the first time, it has just been written)."""
        from nbcompanion.fhir.apply import restore_import

        if not self._first_redo and self.snapshot is not None:
            QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            try:
                restore_import(self.context.store, self.snapshot)
            finally:
                QApplication.restoreOverrideCursor()
        self._first_redo = False
        self.context.notify_changed("test")

    def undo(self) -> None:
        """Take the whole import out."""
        from nbcompanion.fhir.apply import remove_import

        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.snapshot = remove_import(self.context.store, self.outcome)
        finally:
            QApplication.restoreOverrideCursor()
        self.context.notify_changed("test")


def _read(path: Path, facts: Any, progress: Progress) -> Any:
    """On the worker: read and validate the file, then match it against the record's facts."""
    from nbcompanion.fhir.extract import read_findings
    from nbcompanion.fhir.review import match

    # Reading a big file makes a million short-lived objects and no reference cycles; the
    # cycle collector would walk them again and again, holding the interpreter (and so the
    # window). It rests while reading; what is kept (results, review rows) is made of few
    # objects it tracks (slots, tuples), so its next full pass is short.
    collecting = gc.isenabled()
    gc.disable()
    try:
        findings = read_findings(path, progress.report)
        progress.report(0, 0, "Comparing with the record…")
        return match(findings, facts, progress.check)
    finally:
        if collecting:
            gc.enable()


class ResultsImport(QObject):
    """One import from start to end; tests follow it through its attributes."""

    def __init__(self, context: AppContext, parent: QWidget | None, path: Path) -> None:
        super().__init__(parent)
        self.context = context
        self.parent_widget = parent
        self.path = path
        self.child_id = context.active_child_id
        self.job: BackgroundJob[Any] | None = None
        self.dialog: Any = None
        self.outcome: Any = None
        self.finished = False

    def start(self) -> None:
        """Read the file on a worker thread (what it is compared with is read here first)."""
        from nbcompanion.fhir.review import record_facts

        assert self.child_id is not None
        facts = record_facts(self.context.store, self.child_id)
        self.job = run_in_background(
            self.parent_widget, lambda progress: _read(self.path, facts, progress),
            on_success=self._on_read, on_failure=self._on_failed, on_cancel=self._end,
            title=tr("Reading results"), label=tr("Reading {name}…").format(name=self.path.name))

    def _end(self) -> None:
        self.finished = True

    def _on_failed(self, error: BaseException) -> None:
        from nbcompanion.fhir.read import FhirFileError

        if isinstance(error, FhirFileError):
            text = str(error)
        elif isinstance(error, MemoryError):
            text = f"{self.path.name} is too large to read on this computer."
        else:
            text = (f"{self.path.name} could not be read ({type(error).__name__}: {error}). "
                    "Nothing was added to the record.")
        Tell.message(self.parent_widget, "Nothing was brought in", text, warning=True)
        self._end()

    def _on_read(self, plan: Any) -> None:
        from nbcompanion.record import queries

        if self.child_id is None or self.child_id != self.context.active_child_id:
            self._end()
            return
        findings = plan.findings
        if not findings.results:
            left = len(findings.skipped)
            Tell.message(self.parent_widget, "No lab results in this file",
                         f"{findings.file_name} holds no lab results the app can add"
                         + (f" ({left:,} other item{'s' if left != 1 else ''}, such as "
                            f"{findings.skipped[0].reason})." if left else ".")
                         + " Nothing was added.")
            self._end()
            return
        from nbcompanion.ui.record.import_review import ReviewDialog

        types = [(t["id"], t["name"]) for t in queries.test_types(self.context.store)
                 if t["category"] == "lab"]
        self.dialog = ReviewDialog(plan, types, self.parent_widget)
        self.dialog.import_confirmed.connect(self.add)
        self.dialog.rejected.connect(self._end)
        run_dialog(self.dialog)

    def add(self) -> None:
        """Write the ticked rows in one transaction and push one undo step."""
        from nbcompanion.fhir.apply import apply_import
        from nbcompanion.record.errors import RecordError

        dialog = self.dialog
        # One transaction on the record's own connection: instant for a usual download, a
        # second or two for tens of thousands of results, so show that the app is busy.
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        failure = None
        try:
            self.outcome = apply_import(self.context.store, dialog.plan,
                                        file_name=self.path.name)
        except RecordError as error:
            failure = str(error)
        finally:
            QApplication.restoreOverrideCursor()
        if failure is not None:
            Tell.message(dialog, "Nothing was added", failure, warning=True)
            return
        self.context.undo_stack.push(ImportCommand(self.context, self.outcome))
        dialog.accept()
        self._end()
        self.context.navigate("tests")
        count = self.outcome.results
        Tell.message(self.parent_widget, "Results added",
                     f"{count:,} result{'s' if count != 1 else ''} from {self.path.name} "
                     f"{'were' if count != 1 else 'was'} added to {dialog.plan.child_name}’s "
                     "record. Press Ctrl+Z to take them out again.")


def import_results(context: AppContext, parent: QWidget | None,
                   path: Path | str | None = None) -> ResultsImport | None:
    """Start importing ``path`` (or a file the family chooses) into the active child's record."""
    if context.active_child_id is None:
        Tell.message(parent, "Add your child first",
                     "Results are added to a child’s record: please add your child first.")
        return None
    chosen = Path(path) if path is not None else ChooseResultsFile.ask(parent)
    if chosen is None:
        return None
    flow = ResultsImport(context, parent, chosen)
    flow.start()
    return flow
