"""Opening a record for the window: the lock, the checks, the daily backup, and what to do
when the file cannot be opened.

Every way into a record — the start of the app, File › Open…, File › New…, a restore — goes
through :func:`open_record`, so each gets the same lock (one window per file), the same checks
(a damaged, foreign or newer file is never written to) and the same plain dialogs.
"""

from __future__ import annotations

import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QWidget

from nbcompanion.record.errors import (
    DamagedRecordError,
    NotARecordError,
    RecordError,
)
from nbcompanion.record.location import default_record_path
from nbcompanion.record.store import Store, open_store
from nbcompanion.ui.context import AppContext
from nbcompanion.ui.main_window import MainWindow
from nbcompanion.ui.safety.lock import LockKeeper, RecordLock, release_all

# The backup module (zipfile, shutil…) and the problem dialogs are imported where they are
# used: a record that opens cleanly needs neither before the window's first paint.


@dataclass
class OpenedRecord:
    """A record that is open and locked for this window."""

    store: Store
    lock: RecordLock


def open_demo_store(cache: Path | None = None) -> Store:
    """A fresh copy of the fictional sample record in a temporary file.

    Building the sample takes a few hundred milliseconds (the record library, the schema,
    hundreds of rows written safely), so today's sample is kept in ``cache`` (default: the
    user's cache folder) and each start copies it: the family's own record is never
    involved, and every start gets its own copy to change as it likes.
    """
    import shutil
    from datetime import date

    from nbcompanion import __version__
    from nbcompanion.record.schema import LATEST_VERSION

    folder = Path(tempfile.mkdtemp(prefix="nbcompanion-demo-"))
    target = folder / "sample-record.sqlite3"
    cache = cache if cache is not None else _demo_cache_folder()
    # The sample's dates follow today; a new version or schema may change its content.
    name = f"sample-{date.today().isoformat()}-{__version__}-v{LATEST_VERSION}.sqlite3"
    cached = cache / name if cache is not None else None
    if cached is not None and cached.is_file():
        try:
            shutil.copyfile(cached, target)
            return open_store(target)
        except (OSError, RecordError):
            target.unlink(missing_ok=True)  # build it afresh below
    from nbcompanion.record.demo import build_demo

    store = open_store(target)
    build_demo(store)
    if cached is not None:
        _keep_demo_copy(store, cached)
    return store


def _demo_cache_folder() -> Path | None:
    from PySide6.QtCore import QStandardPaths

    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.CacheLocation)
    return Path(location) / "sample" if location else None


def _keep_demo_copy(store: Store, cached: Path) -> None:
    """Keep a copy of the freshly built sample for later starts (best effort)."""
    import contextlib

    with contextlib.suppress(OSError, RecordError, sqlite3.Error):
        cached.parent.mkdir(parents=True, exist_ok=True)
        for old in cached.parent.glob("sample-*.sqlite3"):
            old.unlink(missing_ok=True)  # yesterday's sample
        partial = cached.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        store.execute("VACUUM INTO ?", [str(partial)])
        partial.replace(cached)


def open_locked(path: Path) -> OpenedRecord:
    """Lock and open ``path`` (upgrading it after a backup); raises :class:`RecordError`."""
    lock = RecordLock.acquire(path)
    try:
        store = open_store(path, before_upgrade=_before_upgrade_backup)
    except BaseException:
        lock.release()
        raise
    return OpenedRecord(store, lock)


def _before_upgrade_backup(path: Path, old_version: int) -> None:
    from nbcompanion.record import backup

    backup.before_upgrade_backup(path, old_version)


def take_daily_backup(store: Store, parent: QWidget | None) -> None:
    """Back up at most once a day; a failure is told, but does not stop the family."""
    from nbcompanion.record import backup
    from nbcompanion.ui.safety.dialogs import Notice

    try:
        backup.daily_backup(store)
    except RecordError as error:
        Notice.show(parent, "warning", "Today's backup could not be made",
                    f"{error}\n\nYour record is open and your entries are saved as usual; "
                    "the app will try the backup again next time it starts.")


def _use_newest_backup(path: Path, parent: QWidget | None) -> None:
    from nbcompanion.record import backup
    from nbcompanion.ui.safety.dialogs import Notice

    found = backup.newest_good_backup(path)
    if found is None:
        return
    aside = None
    try:
        if path.exists():
            aside = backup.set_aside(path, "damaged")
        backup.restore_file(found.path, path)
    except RecordError as error:
        if aside is not None and not path.exists():  # put things back as they were
            backup.set_aside(aside, "", target=path)
        Notice.show(parent, "error", "The backup could not be put in place", str(error))


def _solve(path: Path, error: RecordError, parent: QWidget | None,
           at_start: bool) -> Path | None:
    """Ask what to do about ``error``; the path to try next, or None to give up."""
    from nbcompanion.record import backup
    from nbcompanion.ui.safety.dialogs import Choice, ChooseFile, Notice, RecordProblem

    newest = None
    if isinstance(error, DamagedRecordError | NotARecordError):
        newest = backup.newest_good_backup(path)
    summary = backup.check_file(newest.path, full=False) if newest else None
    while True:
        choice = RecordProblem.ask(parent, path, error, newest, summary, at_start=at_start)
        if choice is Choice.USE_BACKUP:
            _use_newest_backup(path, parent)
            return path
        if choice is Choice.TRY_AGAIN:
            return path
        if choice is Choice.START_NEW:
            if isinstance(error, DamagedRecordError):
                try:  # the damaged file is only renamed, never written to
                    backup.set_aside(path, "damaged")
                    return path
                except RecordError as failure:
                    Notice.show(parent, "error", "The file could not be moved aside",
                                str(failure))
                    continue
            chosen = ChooseFile.new_record(parent, path.parent)
        elif choice is Choice.OPEN_OTHER:
            chosen = ChooseFile.open_record(parent, path.parent)
        else:
            return None
        if chosen is not None:
            return chosen


def open_record(path: Path, parent: QWidget | None = None, *, at_start: bool = True,
                daily_backup: bool = True) -> OpenedRecord | None:
    """Open the record at ``path`` for a window, solving problems with the family.

    Returns None when the family gave up (Quit or Cancel).
    """
    path = Path(path)
    while True:
        try:
            opened = open_locked(path)
        except RecordError as error:
            next_path = _solve(path, error, parent, at_start)
            if next_path is None:
                return None
            path = next_path
            continue
        if daily_backup:
            take_daily_backup(opened.store, parent)
        return opened


def start_window(data: Path | None = None, *, demo: bool = False,
                 finish_after_paint: bool = False) -> MainWindow | None:
    """Open the record (or the sample) and build the main window; None if the user gave up.

    The app passes ``finish_after_paint``: the menus' actions, the reminders and the
    reference index then follow the window's first paint (see :class:`MainWindow`).
    """
    if demo:
        try:
            store = open_demo_store()
        except RecordError as error:
            from nbcompanion.ui.safety.dialogs import Notice

            Notice.show(None, "error", "The sample record could not be opened", str(error))
            return None
        lock = None
    else:
        # The daily backup waits until the window is up: on a large record it takes a
        # moment, and a parent opening the app should see it at once.
        opened = open_record(data or default_record_path(), daily_backup=False)
        if opened is None:
            return None
        store, lock = opened.store, opened.lock
    context = AppContext(store, demo=demo)
    LockKeeper.keep(context, lock)
    _release_locks_on_quit()
    window = MainWindow(context, finish_after_paint=finish_after_paint)
    if not demo:
        QTimer.singleShot(BACKUP_DELAY_MS, window,
                          lambda: take_daily_backup(context.store, window))
    return window


#: How long after the window appears the daily backup is taken.
BACKUP_DELAY_MS = 1500


def _release_locks_on_quit() -> None:
    global _QUIT_HOOKED
    app = QCoreApplication.instance()
    if app is not None and not _QUIT_HOOKED:
        app.aboutToQuit.connect(release_all)
        _QUIT_HOOKED = True


_QUIT_HOOKED = False
