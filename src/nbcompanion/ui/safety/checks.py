"""The record's health in the window: the full check and the daily backup off the GUI thread,
and the banner shown when the record is read-only or damaged.

Shortly after a record opens, a worker thread runs ``integrity_check`` and
``foreign_key_check`` on its own read-only connection (the GUI stays responsive), then — only
when the record is sound — the daily backup. Damage found → the record is switched to
read-only and a banner offers the newest good backup and an export of what can still be read.

Signals (of :class:`SafetyBanner`):
    restored(): the newest good backup was put in place (the banner is gone).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QStandardPaths, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from nbcompanion.record import backup
from nbcompanion.record.errors import RecordError
from nbcompanion.ui.background import BackgroundJob, Progress, run_in_background
from nbcompanion.ui.context import AppContext
from nbcompanion.ui.safety.dialogs import ChooseFile, ConfirmRestore, Notice, when
from nbcompanion.ui.translate import tr

if TYPE_CHECKING:
    from nbcompanion.ui.main_window import MainWindow

#: How long after the window appears the check (and the daily backup) starts.
CHECK_DELAY_MS = 1500

DAMAGED = ("The care record file is damaged. To keep what is in it safe, the app will not "
           "change it: you can look at everything, but nothing new can be saved.")
BACKUP_FAILED = ("{error}\n\nYour record is open and your entries are saved as usual; the app "
                 "will try the backup again next time it starts.")


@dataclass
class CheckOutcome:
    """What the background check found and did."""

    damaged: bool = False
    made: backup.Backup | None = None
    backup_error: str = ""
    newest_good: backup.Backup | None = None


def check_and_back_up(path: Path, progress: Progress) -> CheckOutcome:
    """Worker-thread half: the full check, then (if sound and due) the daily backup."""
    summary = backup.check_file(path, full=True, live=True)
    progress.check()
    if not summary.ok:
        return CheckOutcome(damaged=True, newest_good=backup.newest_good_backup(path))
    try:
        made = backup.daily_backup_of_file(path, check=False)
    except RecordError as error:
        return CheckOutcome(backup_error=str(error))
    return CheckOutcome(made=made)


def start_safety_checks(window: MainWindow, delay_ms: int | None = None) -> None:
    """After ``delay_ms``, check the window's record and take the daily backup off the GUI
    thread; a read-only record gets its banner at once."""
    store = window.context.store
    old = banner_of(window)
    if old is not None:  # it spoke of the record shown before
        old.hide()
        old.deleteLater()
        window.safety_banner = None  # type: ignore[attr-defined]
    if store.read_only:
        show_banner(window, store.read_only, None)
    if store.path is None or window.context.demo or store.read_only:
        return
    QTimer.singleShot(CHECK_DELAY_MS if delay_ms is None else delay_ms, window,
                      lambda: run_safety_checks(window))


def run_safety_checks(window: MainWindow) -> BackgroundJob[CheckOutcome] | None:
    """Start the check of the record the window shows now; returns the job."""
    store = window.context.store
    path = store.path
    if path is None or store.read_only:
        return None

    def done(outcome: CheckOutcome) -> None:
        if window.context.store is not store:
            return  # another record was opened meanwhile; it gets its own check
        if outcome.damaged:
            store.mark_read_only(DAMAGED)
            show_banner(window, DAMAGED, outcome.newest_good, damaged=True)
        elif outcome.backup_error:
            Notice.show(window, "warning", "Today's backup could not be made",
                        BACKUP_FAILED.format(error=outcome.backup_error))

    def failed(error: BaseException) -> None:
        Notice.show(window, "warning", "Today's backup could not be made",
                    BACKUP_FAILED.format(error=error))

    job = run_in_background(window, lambda progress: check_and_back_up(path, progress),
                            on_success=done, on_failure=failed)
    window.safety_job = job  # type: ignore[attr-defined]
    return job


def show_banner(window: MainWindow, text: str, newest: backup.Backup | None, *,
                damaged: bool = False) -> SafetyBanner:
    """Put the read-only (or damage) banner above the pages, replacing an older one."""
    old = getattr(window, "safety_banner", None)
    if old is not None:
        old.hide()
        old.deleteLater()
    banner = SafetyBanner(window, text, newest, damaged=damaged)
    window.add_notice(banner)
    banner.show()
    window.safety_banner = banner  # type: ignore[attr-defined]
    return banner


class SafetyBanner(QFrame):
    """A red bar: why the record is read-only, and the ways forward."""

    restored = Signal()

    def __init__(self, window: MainWindow, text: str, newest: backup.Backup | None, *,
                 damaged: bool) -> None:
        super().__init__()
        self.window_ = window
        self.newest = newest
        self.setObjectName("safetyBanner")
        self.setAccessibleName(tr("The care record is read-only"))
        self.setStyleSheet("QFrame#safetyBanner { background: #fde8e8; border-bottom: 1px solid "
                           "#d99a9a; } QFrame#safetyBanner QLabel { color: #4a0b0b; }")
        detail = ""
        if damaged:
            detail = (f" The newest good backup is from {when(newest.created)}." if newest
                      else " There is no good backup of it.")
        self.label = QLabel(text + detail)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 8, 12, 8)
        row.addWidget(self.label, 1)
        self.use_backup = QPushButton(
            tr("Use the backup of {day} {created:%B}").format(
               day=newest.created.day, created=newest.created) if newest else "")
        self.use_backup.setVisible(damaged and newest is not None)
        self.use_backup.clicked.connect(self._on_use_backup_clicked)
        self.export = QPushButton(tr("Export what can still be read…"))
        self.export.setVisible(damaged)
        self.export.clicked.connect(self._on_export_clicked)
        row.addWidget(self.use_backup)
        row.addWidget(self.export)
        window.context.store_replaced.connect(self._on_context_store_replaced)

    @Slot()
    def _on_context_store_replaced(self) -> None:
        if not self.window_.context.store.read_only:  # a sound record is shown now
            self._remove()

    def _remove(self) -> None:
        self.hide()
        if getattr(self.window_, "safety_banner", None) is self:
            self.window_.safety_banner = None
        self.deleteLater()

    @Slot()
    def _on_use_backup_clicked(self) -> None:
        if self.newest is None:
            return
        summary = backup.check_file(self.newest.path)
        if not summary.ok or not ConfirmRestore.ask(self.window_, self.newest.created, summary):
            return
        try:
            use_backup_in_place(self.window_, self.newest.path)
        except RecordError as error:
            Notice.show(self.window_, "error", "The backup could not be put in place",
                        f"{error}\n\nThe damaged record is still shown, read-only.")
            return
        Notice.show(self.window_, "info", "The backup is in place",
                    f"The record as it was on {when(self.newest.created)} is back. The "
                    "damaged file is kept beside it, renamed, and has not been changed.")
        self.restored.emit()
        self._remove()

    @Slot()
    def _on_export_clicked(self) -> None:
        export_readable(self.window_)


def use_backup_in_place(window: MainWindow | AppContext, source: Path) -> None:
    """Set the damaged record aside (unchanged) and open the backup ``source`` in its place.

    No backup is made of the damaged record first (it would fail its check, and a damaged
    copy must not join the good ones): the file itself is kept, renamed. Raises
    :class:`RecordError`; the damaged record is then shown again, read-only.
    """
    from nbcompanion.record.store import open_store

    context = window if isinstance(window, AppContext) else window.context
    path = context.store.path
    if path is None:
        raise backup.BackupError(tr("This record is not kept in a file, so it has no backups."))
    context.store.close()
    aside = None
    try:
        aside = backup.set_aside(path, "damaged")
        backup.restore_file(source, path)
        fresh = open_store(path, before_upgrade=backup.before_upgrade_backup)
    except RecordError:
        if aside is not None and not path.exists():
            backup.set_aside(aside, "", target=path)
        again = open_store(path, read_only=True)
        again.mark_read_only(DAMAGED)
        context.replace_store(again, demo=context.demo)
        raise
    context.replace_store(fresh, demo=context.demo)


def suggested_rescue(today: date | None = None) -> Path:
    """Documents/care-record-rescued-YYYY-MM-DD.sqlite3."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    day = today or date.today()
    return Path(folder or Path.home()) / f"care-record-rescued-{day:%Y-%m-%d}.sqlite3"


def export_readable(window: MainWindow) -> BackgroundJob[object] | None:
    """Save what can still be read from the damaged record into a new record file."""
    from nbcompanion.record.salvage import salvage

    path = window.context.store.path
    if path is None:
        return None
    destination = ChooseFile.export_to(window, suggested_rescue())
    if destination is None:
        return None

    def work(progress: Progress) -> object:
        return salvage(path, destination,
                       lambda done, total, table: progress.report(
                           done, total, f"Reading {table.replace('_', ' ')}…"))

    def done(report: object) -> None:
        rows = getattr(report, "rows", {})
        Notice.show(window, "info", "What could be read is saved",
                    f"Saved {rows.get('child', 0)} children, {rows.get('test', 0)} tests, "
                    f"{rows.get('visit', 0)} visits and {rows.get('diary_entry', 0)} diary "
                    f"entries to:\n{destination}\n\nIt is a care record of its own: open it "
                    "with File › Open record…, or restore it with File › Restore from a "
                    "backup… › Restore from a file…. The damaged file has not been changed.")

    def failed(error: BaseException) -> None:
        Notice.show(window, "error", "Nothing could be saved",
                    str(error) if isinstance(error, RecordError) else
                    f"The damaged record could not be read ({error}). It has not been changed.")

    return run_in_background(window, work, on_success=done, on_failure=failed,
                             title=tr("Saving what can still be read"),
                             label=tr("Reading the damaged record…"))


def banner_of(window: QWidget) -> SafetyBanner | None:
    """The banner the window shows now, if any."""
    banner = getattr(window, "safety_banner", None)
    return banner if isinstance(banner, SafetyBanner) else None
