"""Opening a record for the window: choosing the file, and what to do when it cannot be opened."""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from nbcompanion.record.errors import RecordError
from nbcompanion.record.location import default_record_path
from nbcompanion.record.store import Store, open_store
from nbcompanion.ui.context import AppContext
from nbcompanion.ui.main_window import MainWindow


def open_demo_store() -> Store:
    """A fresh copy of the fictional sample record in a temporary file."""
    from nbcompanion.record.demo import build_demo

    folder = Path(tempfile.mkdtemp(prefix="nbcompanion-demo-"))
    store = open_store(folder / "sample-record.sqlite3")
    build_demo(store)
    return store


def start_window(data: Path | None = None, *, demo: bool = False) -> MainWindow | None:
    """Open the record (or the sample) and build the main window; None if the user gave up."""
    try:
        store = open_demo_store() if demo else open_store(data or default_record_path())
    except RecordError as error:
        QMessageBox.critical(None, "The care record could not be opened", str(error))
        return None
    return MainWindow(AppContext(store, demo=demo))
