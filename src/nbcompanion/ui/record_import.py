"""File › Import record data…: the app takes its own JSON export back.

Into the record that is open (as new children) or into a new record file; the rows are
checked like typed input and saved in one transaction off the GUI thread (see
:mod:`nbcompanion.record.importer`), then a sentence says what was added.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from nbcompanion.record.errors import RecordError
from nbcompanion.ui.context import AppContext
from nbcompanion.ui.exports import in_background, run_reporting, show_problem, start_folder
from nbcompanion.ui.translate import tr

if TYPE_CHECKING:
    from nbcompanion.ui.background import BackgroundJob, Progress


class ImportChoice:
    """Where imported data goes (tests monkeypatch :meth:`ask`)."""

    ADD = "add"
    NEW = "new"

    @classmethod
    def ask(cls, parent: QWidget | None, description: str) -> str | None:
        """ADD (new children of the open record), NEW (a new record file) or None."""
        box = QMessageBox(parent)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(tr("Import record data"))
        box.setText(description)
        box.setInformativeText(tr("Add it to the record that is open now (as new children), "
                               "or start a new record file with it? Nothing already in the "
                               "record is changed."))
        add = box.addButton("&Add to this record", QMessageBox.ButtonRole.AcceptRole)
        new = box.addButton("Start a &new record…", QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(add)
        box.exec()
        clicked = box.clickedButton()
        return cls.ADD if clicked is add else cls.NEW if clicked is new else None


def describe_export(document: dict[str, Any]) -> str:
    """ "The file holds the record of Maya: 120 tests, 30 visits…" """
    tables = document.get("tables") or {}
    names = [str(c.get("name")) for c in tables.get("child") or []]
    counts = [f"{len(tables.get(t) or []):,} {label}" for t, label in
              (("test", "tests"), ("visit", "visits"), ("diary_entry", "diary entries"))]
    who = ", ".join(names) if names else "no child"
    return f"The file holds the record of {who}: {', '.join(counts)}."


def import_data_interactively(window: Any) -> BackgroundJob[Any] | None:
    """File › Import record data…: take the app's own JSON export back in."""
    from nbcompanion.record.importer import ImportSummary, import_export, read_export

    title = "Import record data"
    name, _ = QFileDialog.getOpenFileName(window, tr("Choose an exported record.json"),
                                          str(start_folder()),
                                          tr("Record data exports (*.json)"))
    if not name:
        return None
    context: AppContext = window.context
    try:
        document = read_export(name, newest_schema=context.store.version)
    except RecordError as error:
        show_problem(window, title, str(error))
        return None
    choice = ImportChoice.ask(window, describe_export(document))
    if choice is None:
        return None
    if choice == ImportChoice.NEW:
        from nbcompanion.ui.safety.menu import new_record

        if not new_record(window):
            return None
        context = window.context  # the new, empty record is open now
    store = context.store

    def done(summary: ImportSummary) -> None:
        context.notify_changed("")
        if summary.children:
            context.set_active_child(summary.children[0])
        QMessageBox.information(window, title, summary.text())

    def work(progress: Progress) -> ImportSummary:
        from nbcompanion.reports.gather import own_connection

        with own_connection(store, write=True) as writer:
            return import_export(writer, document, progress=progress.report)

    if store.path is None:  # a record kept only in memory: take it in here
        summary = run_reporting(window, title, lambda: import_export(store, document))
        if summary is not None:
            done(summary)
        return None
    # An import that was already saved when Cancel came is reported like any other.
    return in_background(window, title, work, done, late_cancel=done)
