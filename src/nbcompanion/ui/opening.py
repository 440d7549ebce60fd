"""Opening a record for the window: the lock, the checks, the daily backup, and what to do
when the file cannot be opened.

Every way into a record — the start of the app, File › Open…, File › New…, a restore — goes
through :func:`open_record`, so each gets the same lock (one window per file), the same checks
(a damaged, foreign or newer file is never written to) and the same plain dialogs. The full
check and the daily backup follow off the GUI thread (``ui/safety/checks.py``).
"""

from __future__ import annotations

import atexit
import os
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QWidget

from nbcompanion.record.errors import (
    DamagedRecordError,
    MissingRecordError,
    NotARecordError,
    RecordError,
    StorageError,
)
from nbcompanion.record.location import default_record_path
from nbcompanion.record.store import Store, open_store
from nbcompanion.ui.context import AppContext
from nbcompanion.ui.main_window import MainWindow
from nbcompanion.ui.safety.lock import LockKeeper, RecordLock, release_all

# The backup module (zipfile, shutil…), the problem dialogs and the background checks are
# imported where they are used: a record that opens cleanly needs none of them before the
# window's first paint.


@dataclass
class OpenedRecord:
    """A record that is open and locked for this window (a read-only one may have no lock)."""

    store: Store
    lock: RecordLock | None


def _read_only_folder(path: Path) -> bool:
    return (path.is_file() and path.stat().st_size > 0
            and not os.access(path.parent, os.W_OK | os.X_OK))


# -- the sample record -----------------------------------------------------------------------
DEMO_PREFIX = "nbcompanion-demo-"
#: Sample-record folders this process made; removed when it exits.
_DEMO_FOLDERS: list[tuple[Path, Store]] = []


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # e.g. another user's process: alive
        return True
    return True


def clean_stale_demo_folders(root: Path | None = None) -> list[Path]:
    """Remove sample-record folders left by runs that ended without cleaning up."""
    import shutil
    import time

    root = Path(root or tempfile.gettempdir())
    removed = []
    for folder in root.glob(f"{DEMO_PREFIX}*"):
        owner = folder.name[len(DEMO_PREFIX):].partition("-")[0]
        stale = False
        if owner.isdigit():
            stale = not _pid_alive(int(owner))
        else:  # made by an older version, which did not name its process: after a day
            try:
                stale = time.time() - folder.stat().st_mtime > 86_400
            except OSError:
                stale = False
        if folder.is_dir() and stale:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


@atexit.register
def remove_demo_folders() -> None:
    """Close the sample records of this process and delete their temporary folders."""
    import shutil

    while _DEMO_FOLDERS:
        folder, store = _DEMO_FOLDERS.pop()
        store.close()
        shutil.rmtree(folder, ignore_errors=True)


def open_demo_store(cache: Path | None = None) -> Store:
    """A fresh copy of the fictional sample record in a temporary folder, removed when the
    app exits (or at the next start, should this run end without cleaning up).

    Building the sample takes a few hundred milliseconds (the record library, the schema,
    hundreds of rows written safely), so today's sample is kept in ``cache`` (default: the
    user's cache folder) and each start copies it: the family's own record is never
    involved, and every start gets its own copy to change as it likes.
    """
    import shutil

    clean_stale_demo_folders()
    folder = Path(tempfile.mkdtemp(prefix=f"{DEMO_PREFIX}{os.getpid()}-"))
    try:
        store = _sample_in(folder / "sample-record.sqlite3", cache)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    _DEMO_FOLDERS.append((folder, store))
    return store


def _sample_in(target: Path, cache: Path | None) -> Store:
    import shutil
    from datetime import date

    from nbcompanion import __version__
    from nbcompanion.record.schema import LATEST_VERSION

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


# -- the family's record -------------------------------------------------------------------
def open_locked(path: Path, *, start_new: bool = False) -> OpenedRecord:
    """Lock and open ``path`` (upgrading it after a backup); raises :class:`RecordError`.

    Leftovers of a crash mid-restore or mid-backup are removed once the lock is held. A
    folder the app may not write in cannot hold the lock: the record then opens read-only.
    """
    try:
        lock = RecordLock.acquire(path)
    except StorageError:
        if not _read_only_folder(path):
            raise
        # No lock is needed when nothing can be written.
        return OpenedRecord(open_store(path, read_only=True), None)
    try:
        _clean_leftovers(path)
        store = open_store(path, before_upgrade=_before_upgrade_backup, start_new=start_new)
    except BaseException:
        lock.release()
        raise
    return OpenedRecord(store, lock)


def _clean_leftovers(path: Path) -> None:
    # Only a crash leaves these; look before loading the backup module for them.
    restoring = path.with_name(f".{path.name}.restoring")
    backups = path.parent / "backups"
    if not (restoring.exists() or Path(f"{restoring}-wal").exists() or (
            backups.is_dir() and any(backups.glob(f".{path.stem}_*.partial*")))):
        return
    from nbcompanion.record import backup

    backup.clean_leftovers(path)


def _before_upgrade_backup(path: Path, old_version: int) -> None:
    from nbcompanion.record import backup

    backup.before_upgrade_backup(path, old_version)


def _use_newest_backup(path: Path, parent: QWidget | None, label: str = "damaged") -> None:
    from nbcompanion.record import backup
    from nbcompanion.ui.safety.dialogs import Notice

    found = backup.newest_good_backup(path)
    if found is None:
        return
    aside = None
    try:
        if path.exists():
            aside = backup.set_aside(path, label)
        backup.restore_file(found.path, path)
    except RecordError as error:
        if aside is not None and not path.exists():  # put things back as they were
            backup.set_aside(aside, "", target=path)
        Notice.show(parent, "error", "The backup could not be put in place", str(error))


def _solve(path: Path, error: RecordError, parent: QWidget | None,
           at_start: bool) -> tuple[Path, bool] | None:
    """Ask what to do about ``error``; (the path to try next, whether to start a new record
    there), or None to give up."""
    from nbcompanion.record import backup
    from nbcompanion.ui.safety.dialogs import Choice, ChooseFile, Notice, RecordProblem

    newest = None
    if isinstance(error, DamagedRecordError | NotARecordError | MissingRecordError):
        newest = backup.newest_good_backup(path)
    summary = backup.check_file(newest.path, full=False) if newest else None
    while True:
        choice = RecordProblem.ask(parent, path, error, newest, summary, at_start=at_start)
        if choice is Choice.USE_BACKUP:
            _use_newest_backup(path, parent, "empty" if isinstance(error, MissingRecordError)
                               else "damaged")
            return path, False
        if choice is Choice.TRY_AGAIN:
            return path, False
        if choice is Choice.START_NEW:
            if isinstance(error, MissingRecordError):
                return path, True  # chosen deliberately, with the backups in view
            if isinstance(error, DamagedRecordError):
                try:  # the damaged file is only renamed, never written to
                    backup.set_aside(path, "damaged")
                    return path, False
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
            return chosen, False


def open_record(path: Path, parent: QWidget | None = None, *,
                at_start: bool = True) -> OpenedRecord | None:
    """Open the record at ``path`` for a window, solving problems with the family.

    Returns None when the family gave up (Quit or Cancel). The full check and the daily
    backup follow off the GUI thread (:func:`~nbcompanion.ui.safety.checks.start_safety_checks`).
    """
    path = Path(path)
    start_new = False
    while True:
        try:
            return open_locked(path, start_new=start_new)
        except RecordError as error:
            solved = _solve(path, error, parent, at_start)
            if solved is None:
                return None
            path, start_new = solved


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
        opened = open_record(data or default_record_path())
        if opened is None:
            return None
        store, lock = opened.store, opened.lock
    context = AppContext(store, demo=demo)
    LockKeeper.keep(context, lock)
    _release_locks_on_quit()
    window = MainWindow(context, finish_after_paint=finish_after_paint)
    if store.read_only:  # rare: say so at once
        from nbcompanion.ui.safety.checks import start_safety_checks

        start_safety_checks(window)
    elif not demo:
        # The full check and the daily backup wait until the window is up, and run off the
        # GUI thread: on a large record they take a moment, and a parent should see the app
        # at once.
        QTimer.singleShot(BACKUP_DELAY_MS, window, lambda: _run_checks(window))
    return window


def _run_checks(window: MainWindow) -> None:
    from nbcompanion.ui.safety.checks import run_safety_checks

    run_safety_checks(window)


#: How long after the window appears the full check and the daily backup start.
BACKUP_DELAY_MS = 1500


def _release_locks_on_quit() -> None:
    global _QUIT_HOOKED
    app = QCoreApplication.instance()
    if app is not None and not _QUIT_HOOKED:
        from nbcompanion.ui.background import wait_for_all

        app.aboutToQuit.connect(wait_for_all)  # a backup in progress finishes first
        app.aboutToQuit.connect(release_all)
        _QUIT_HOOKED = True


_QUIT_HOOKED = False
