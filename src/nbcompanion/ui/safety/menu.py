"""The File menu's record actions: New record…, Open record…, Export backup…, Restore…"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QStandardPaths
from PySide6.QtGui import QAction, QKeySequence

from nbcompanion.record import backup
from nbcompanion.record.errors import RecordError
from nbcompanion.ui.safety.checks import start_safety_checks
from nbcompanion.ui.safety.dialogs import ChooseFile, Notice
from nbcompanion.ui.safety.lock import LockKeeper
from nbcompanion.ui.safety.restore_dialog import RestoreDialog
from nbcompanion.ui.translate import tr

if TYPE_CHECKING:
    from nbcompanion.ui.main_window import MainWindow

EXPORTED = (
    "The backup is saved as one file:\n{path}\n\n"
    "To use the record on another computer, copy this file there (for example on a USB stick "
    "or by a private transfer) and, in the app there, choose File › Restore from a backup… › "
    "Restore from a file…, or File › Open record….\n\n"
    "Please keep the file somewhere safe: it holds your child's private health information."
)


def switch_record(window: MainWindow, path: Path) -> bool:
    """Show the record at ``path`` in ``window`` (same checks and lock as at start)."""
    from nbcompanion.ui.opening import open_record  # opening imports the main window

    context = window.context
    current = context.store.path
    if current is not None and Path(path).resolve() == Path(current).resolve():
        Notice.show(window, "info", "Already open", "This care record is the one open now.")
        return False
    opened = open_record(Path(path), window, at_start=False)
    if opened is None:
        return False
    context.replace_store(opened.store)
    LockKeeper.keep(context, opened.lock)
    start_safety_checks(window)
    return True


def _folder_of(window: MainWindow) -> Path | None:
    path = window.context.store.path
    return Path(path).parent if path else None


def new_record(window: MainWindow) -> bool:
    """File › New record…: start an empty record in a file the family names."""
    path = ChooseFile.new_record(window, _folder_of(window))
    if path is None:
        return False
    if path.exists():
        Notice.show(window, "warning", "That file already exists",
                    "To keep every record safe, the app never replaces a file with a new "
                    f"record. Please choose a name that is not used yet.\n\nFile: {path}")
        return False
    return switch_record(window, path)


def open_other_record(window: MainWindow) -> bool:
    """File › Open record…: a record or an exported backup, e.g. from another computer."""
    path = ChooseFile.open_record(window, _folder_of(window))
    return False if path is None else switch_record(window, path)


def suggested_export(today: date | None = None) -> Path:
    """Documents/care-record-backup-YYYY-MM-DD.sqlite3."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    day = today or date.today()
    return Path(folder or Path.home()) / f"care-record-backup-{day:%Y-%m-%d}.sqlite3"


def export_record(window: MainWindow) -> Path | None:
    """File › Export backup…: one checked file that another computer can open or restore."""
    destination = ChooseFile.export_to(window, suggested_export())
    if destination is None:
        return None
    try:
        backup.export_backup(window.context.store, destination)
    except RecordError as error:
        Notice.show(window, "error", "The backup could not be exported",
                    f"{error}\n\nYour record itself is not affected.")
        return None
    Notice.show(window, "info", "Backup exported", EXPORTED.format(path=destination))
    return destination


def show_restore(window: MainWindow) -> RestoreDialog:
    """File › Restore from a backup…"""
    dialog = RestoreDialog(window.context, window)
    dialog.open()
    return dialog


def install(window: MainWindow) -> None:
    """Add the record actions to the File menu, above Quit."""
    entries = (
        ("action_new_record", tr("&New record…"), None, new_record),
        ("action_open_record", tr("&Open record…"), QKeySequence.StandardKey.Open,
         open_other_record),
        None,
        ("action_export_backup", tr("&Export backup…"), None, export_record),
        ("action_restore_backup", tr("&Restore from a backup…"), None, show_restore),
        None,
    )
    for entry in entries:
        action = QAction(window)
        if entry is None:
            action.setSeparator(True)
        else:
            name, text, shortcut, handler = entry
            action.setText(text)
            action.setObjectName(name)
            if shortcut is not None:
                action.setShortcut(QKeySequence(shortcut))
            action.triggered.connect(lambda _=False, h=handler: h(window))
        window.add_file_action(action)
