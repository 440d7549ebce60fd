"""Backups of the record: made, checked, thinned, listed, restored and exported.

Modelled on Anki's collection backups: copies are made with SQLite's online backup API (never
by copying a live file), written to a hidden temporary name, checked with
``PRAGMA integrity_check``, flushed to disk and only then renamed into place, so a half-written
backup never looks like a real one. Backups sit in a ``backups`` folder beside the record and
are readable by the user only.

What is kept is decided in :mod:`~nbcompanion.record.retention` (the README says the same):
the newest backup of each of the last 14 days that have one, then of each of the 8 weeks
before those, then of each of the 12 months before those. Nothing is thinned unless a new,
checked backup was just made, so a damaged or empty record never rotates good backups away.

The module is free of Qt: the window decides *when*; this module decides *how*.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from nbcompanion.i18n import _
from nbcompanion.record.errors import DamagedRecordError, NotARecordError, StorageError
from nbcompanion.record.retention import KEEP_DAILY, KEEP_MONTHLY, KEEP_WEEKLY, backups_to_keep
from nbcompanion.record.schema import APPLICATION_ID, LATEST_VERSION
from nbcompanion.record.store import Store, read_only_uri

BACKUP_FOLDER = "backups"
SUFFIX = ".sqlite3"
DAILY = "daily"
BEFORE_UPGRADE = "before-upgrade"
BEFORE_RESTORE = "before-restore"

#: How each kind of backup is described to the family.
REASON_LABELS = {
    DAILY: "Daily backup",
    BEFORE_UPGRADE: "Before an app update",
    BEFORE_RESTORE: "Before a restore",
}

_STAMP = "%Y-%m-%d_%H-%M-%S"
_NAME = re.compile(
    r"^(?P<stem>.+)_(?P<stamp>\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2})(?:-(?P<n>\d+))?"
    r"_(?P<reason>[a-z-]+)\.sqlite3$"
)


class BackupError(StorageError):
    """A backup, restore or export could not be made; nothing existing was changed."""


@dataclass(frozen=True)
class Backup:
    """One backup file of a record."""

    path: Path
    created: datetime
    reason: str

    @property
    def label(self) -> str:
        """What kind of backup this is, in plain words."""
        return REASON_LABELS.get(self.reason, self.reason.replace("-", " ").capitalize())


@dataclass(frozen=True)
class Summary:
    """What a record file holds, as counted when it was checked."""

    ok: bool
    version: int = 0
    children: int = 0
    tests: int = 0
    visits: int = 0
    problem: str = ""


# -- small file-system helpers ----------------------------------------------------------------
def backup_folder(db_path: Path) -> Path:
    """The ``backups`` folder beside the record."""
    return Path(db_path).parent / BACKUP_FOLDER


def fsync_path(path: Path) -> None:
    """Flush a file (or, on POSIX, a folder's entries) to the disk."""
    flags = os.O_RDONLY
    if path.is_dir():
        if os.name != "posix":
            return
        flags |= getattr(os, "O_DIRECTORY", 0)
    fd = os.open(path, flags)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _private_empty_file(path: Path) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)


def _sidecars(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal")]


def _storage_error(message: str, error: BaseException) -> BackupError:
    detail = getattr(error, "strerror", None) or str(error)
    return BackupError(_("{message} ({detail}).").format(message=message, detail=detail))


@contextlib.contextmanager
def _read_only(path: Path, *, live: bool = False) -> Iterator[sqlite3.Connection]:
    """Open a record file for reading without leaving anything beside it.

    A closed file is opened as immutable (nothing is written beside it) unless a non-empty
    ``-wal`` lies beside it. A ``live`` file — open in this app and maybe being written —
    is opened normally read-only, so SQLite's locks give a consistent view.
    """
    uri = path.resolve().as_uri() + "?mode=ro" if live else read_only_uri(path)
    conn = sqlite3.connect(uri, uri=True)
    try:
        yield conn
    finally:
        conn.close()


# -- checking ---------------------------------------------------------------------------------
def _check_connection(conn: sqlite3.Connection, *, full: bool) -> Summary:
    """Check an open record file; never raises for a bad file, says why in ``problem``."""
    try:
        application_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        if application_id != APPLICATION_ID:
            return Summary(ok=False, problem="This file is not a care record of this app.")
        if version > LATEST_VERSION:
            return Summary(ok=False, version=version,
                           problem="This file was saved by a newer version of the app.")
        pragma = "integrity_check" if full else "quick_check"
        result = [row[0] for row in conn.execute(f"PRAGMA {pragma}").fetchall()]
        if result != ["ok"] or (full and conn.execute("PRAGMA foreign_key_check").fetchone()):
            return Summary(ok=False, version=version, problem="This file is damaged.")
        counts = []
        for table in ("child", "test", "visit"):
            try:
                counts.append(int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]))
            except sqlite3.OperationalError:  # an old version without the table
                counts.append(0)
        children, tests, visits = counts
        return Summary(True, version, children, tests, visits)
    except sqlite3.DatabaseError:
        return Summary(ok=False, problem="This file is not a care record of this app, "
                                         "or it is damaged.")


def check_file(path: Path, *, full: bool = True, live: bool = False) -> Summary:
    """Check a record or backup file without writing to it, and count what it holds.

    ``full`` runs ``integrity_check`` and ``foreign_key_check`` (which find damage in an
    index that ``quick_check`` misses); ``live`` is for the record open in this app (see
    :func:`_read_only`). Safe to call from a worker thread: it uses its own connection.
    """
    path = Path(path)
    try:
        # Never open() a live record outside SQLite: closing that descriptor would drop
        # this process's POSIX locks on it, and another program could then reset the WAL
        # under the app's own connection (sqlite.org/howtocorrupt.html, 2.2).
        if not live:
            with path.open("rb") as handle:
                if handle.read(16) != b"SQLite format 3\x00":
                    return Summary(ok=False,
                                   problem="This file is not a care record of this app.")
        with _read_only(path, live=live) as conn:
            return _check_connection(conn, full=full)
    except (OSError, sqlite3.Error) as error:
        return Summary(ok=False, problem=f"This file could not be read ({error}).")


# -- making backups ---------------------------------------------------------------------------
def _copy_checked(source: sqlite3.Connection, target: Path) -> Summary:
    """Copy ``source`` into the new file ``target`` (made 0600), self-contained and checked.

    On any problem ``target`` is removed and :class:`BackupError` raised.
    """
    try:
        _private_empty_file(target)
        conn = sqlite3.connect(str(target))
        try:
            source.backup(conn)
            # The copy inherits WAL mode; make it one self-contained file.
            conn.execute("PRAGMA journal_mode = DELETE")
            summary = _check_connection(conn, full=True)
        finally:
            conn.close()
        if not summary.ok:
            raise BackupError(_("The copy could not be checked: {problem}").format(
                                problem=summary.problem))
        fsync_path(target)
    except BaseException as error:
        for leftover in [target, *_sidecars(target)]:
            with contextlib.suppress(OSError):
                leftover.unlink()
        if isinstance(error, BackupError):
            raise
        if isinstance(error, (OSError, sqlite3.Error)):
            raise _storage_error("The backup copy could not be written", error) from error
        raise
    return summary


def _new_backup_path(db_path: Path, reason: str, now: datetime) -> Path:
    folder = backup_folder(db_path)
    base = f"{db_path.stem}_{now.strftime(_STAMP)}"
    candidate = folder / f"{base}_{reason}{SUFFIX}"
    number = 2
    while candidate.exists():
        candidate = folder / f"{base}-{number}_{reason}{SUFFIX}"
        number += 1
    return candidate


def create_backup(source: Store | Path, reason: str = DAILY, *, db_path: Path | None = None,
                  now: datetime | None = None, live: bool = False) -> Backup:
    """Write a checked backup of an open record (or of a record file) and return it.

    ``source`` is an open :class:`Store` or the path of a record file; ``db_path`` is the
    record the backup belongs to (by default the store's or the given file). ``live`` says
    the file is open in this app (the copy is then read through its own connection, which
    lets a worker thread make it).
    """
    now = now or datetime.now()
    if isinstance(source, Store):
        if source.path is None:
            raise BackupError(_("An in-memory record has no backups."))
        record = Path(db_path or source.path)
    else:
        record = Path(db_path or source)
    folder = backup_folder(record)
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as error:
        raise _storage_error("The backups folder could not be made", error) from error
    final = _new_backup_path(record, reason, now)
    partial = folder / f".{final.name}.{os.getpid()}.partial"
    with contextlib.suppress(OSError):
        partial.unlink()  # left by a crash (the record's lock keeps out other writers)
    try:
        if isinstance(source, Store):
            _copy_checked(source.db.conn, partial)
        else:
            with _read_only(Path(source), live=live) as conn:
                _copy_checked(conn, partial)
        os.replace(partial, final)
        fsync_path(folder)
    except sqlite3.Error as error:
        raise _storage_error("The backup could not be made", error) from error
    except OSError as error:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise _storage_error("The backup could not be made", error) from error
    return Backup(final, now.replace(microsecond=0), reason)


def before_upgrade_backup(path: Path, old_version: int) -> None:
    """:data:`~nbcompanion.record.store.UpgradeHook`: back up before a schema upgrade.

    A failure raises, so the upgrade does not happen without a backup.
    """
    create_backup(Path(path), BEFORE_UPGRADE)


# -- listing and thinning ---------------------------------------------------------------------
def _parse(path: Path, stem: str) -> Backup | None:
    match = _NAME.match(path.name)
    if match is None or match["stem"] != stem:
        return None
    created = datetime.strptime(match["stamp"], _STAMP)
    return Backup(path, created, match["reason"])


def list_backups(db_path: Path) -> list[Backup]:
    """The backups of the record at ``db_path``, newest first (unfinished ones never appear)."""
    db_path = Path(db_path)
    folder = backup_folder(db_path)
    if not folder.is_dir():
        return []
    found = [b for p in folder.iterdir() if p.is_file() and (b := _parse(p, db_path.stem))]
    return sorted(found, key=lambda b: (b.created, b.path.name), reverse=True)


def newest_good_backup(db_path: Path) -> Backup | None:
    """The newest backup that passes ``integrity_check``, or None."""
    for backup in list_backups(db_path):
        if check_file(backup.path).ok:
            return backup
    return None


def rotate_backups(db_path: Path, *, daily: int = KEEP_DAILY, weekly: int = KEEP_WEEKLY,
                   monthly: int = KEEP_MONTHLY) -> list[Path]:
    """Delete backups beyond the daily, weekly and monthly sets, and unfinished leftovers.

    Returns the deleted paths. Files that are not this record's backups are never touched.
    """
    db_path = Path(db_path)
    backups = list_backups(db_path)
    keep = backups_to_keep(backups, daily=daily, weekly=weekly, monthly=monthly)
    removed = []
    for backup in backups:
        if backup.path not in keep:
            with contextlib.suppress(OSError):
                backup.path.unlink()
                removed.append(backup.path)
    folder = backup_folder(db_path)
    for leftover in folder.glob(f".{db_path.stem}_*.partial*"):
        with contextlib.suppress(OSError):
            leftover.unlink()
            removed.append(leftover)
    return removed


def _changed_since(db_path: Path, when: float) -> bool:
    for path in (db_path, db_path.with_name(db_path.name + "-wal")):
        with contextlib.suppress(OSError):
            stat = path.stat()
            # ">=": file times are coarse (a few ms); when unsure, back up.
            if stat.st_size > 0 and stat.st_mtime >= when:
                return True
    return False


def backup_due(db_path: Path, *, now: datetime | None = None) -> bool:
    """True when there is no backup from today and the record changed since the newest one."""
    now = now or datetime.now()
    backups = list_backups(db_path)
    if not backups:
        return True
    newest = backups[0]
    if newest.created.date() == now.date():  # (a copy dated in the future does not count)
        return False
    try:
        made = newest.path.stat().st_mtime
    except OSError:
        return True
    return _changed_since(Path(db_path), made)


def clean_leftovers(db_path: Path) -> list[Path]:
    """Remove what a crash mid-restore or mid-backup left beside the record; return them.

    Call only while holding the record's lock (no restore or backup can be running).
    """
    db_path = Path(db_path)
    restoring = db_path.with_name(f".{db_path.name}.restoring")
    found = [restoring, *_sidecars(restoring)]
    folder = backup_folder(db_path)
    if folder.is_dir():
        found += list(folder.glob(f".{db_path.stem}_*.partial*"))
    removed = []
    for leftover in found:
        with contextlib.suppress(OSError):
            leftover.unlink()
            removed.append(leftover)
    return removed


def _holds_nothing(path: Path, *, live: bool) -> bool:
    try:
        with _read_only(path, live=live) as conn:
            return conn.execute("SELECT count(*) FROM child").fetchone()[0] == 0
    except sqlite3.Error:
        return False


def daily_backup_of_file(path: Path, *, now: datetime | None = None,
                         check: bool = True, live: bool = True) -> Backup | None:
    """The daily backup of the record file at ``path``, safe to run on a worker thread.

    At most once a day and only after a change. First the record itself gets a full check
    (``integrity_check`` + ``foreign_key_check``): damage raises
    :class:`DamagedRecordError` and nothing is made or thinned. An empty record (no child)
    is not backed up while other backups exist, so it never pushes good ones out. Only after
    a new, checked backup are the old ones thinned. Raises :class:`BackupError` too.
    """
    path = Path(path)
    if not backup_due(path, now=now):
        return None
    if check:
        summary = check_file(path, full=True, live=live)
        if not summary.ok:
            raise DamagedRecordError(
                _("The care record file is damaged, so no backup was made and the backups "
                  "you have are all kept.\n\nFile: {path}").format(path=path))
    if list_backups(path) and _holds_nothing(path, live=live):
        return None
    made = create_backup(path, DAILY, now=now, live=live)
    rotate_backups(path)
    return made


def daily_backup(store: Store, *, now: datetime | None = None) -> Backup | None:
    """At start: back up at most once a day, then thin the old backups.

    Returns the new backup, or None when none was due. Raises :class:`BackupError` or
    :class:`DamagedRecordError` (see :func:`daily_backup_of_file`).
    """
    if store.path is None:
        return None
    clean_leftovers(store.path)
    return daily_backup_of_file(store.path, now=now)


# -- restoring, setting aside and exporting -----------------------------------------------------
def _write_checked_copy(source: Path, target_folder: Path, final_name: str) -> Path:
    """Copy the record file ``source`` to a hidden checked temporary file in ``target_folder``."""
    temp = target_folder / f".{final_name}.restoring"
    with contextlib.suppress(OSError):
        temp.unlink()
    try:
        with _read_only(source) as conn:
            summary = _check_connection(conn, full=True)
            if not summary.ok:
                raise NotARecordError(_("{source} cannot be used: {problem}").format(
                                        source=source, problem=summary.problem))
            _copy_checked(conn, temp)
    except sqlite3.Error as error:
        raise _storage_error(f"{source} could not be read", error) from error
    return temp


def restore_file(source: Path, db_path: Path) -> None:
    """Replace the record at ``db_path`` by the backup (or exported file) ``source``.

    The record must be closed. The copy is written beside the record, checked, flushed and
    renamed over it in one step; until then the record is untouched. Raises
    :class:`NotARecordError` for an unusable source, :class:`BackupError` otherwise.
    """
    source, db_path = Path(source), Path(db_path)
    temp = _write_checked_copy(source, db_path.parent, db_path.name)
    try:
        # A leftover -wal of the old file would be replayed into the new one.
        for sidecar in _sidecars(db_path):
            if sidecar.exists():
                sidecar.unlink()
        os.replace(temp, db_path)
        fsync_path(db_path)
        fsync_path(db_path.parent)
    except OSError as error:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise _storage_error("The backup could not be put in place", error) from error


def set_aside(db_path: Path, label: str = "damaged", *, now: datetime | None = None,
              target: Path | None = None) -> Path:
    """Rename a (damaged) record and its side files out of the way, unchanged; return the new
    path (``target``, or one naming ``label`` and the time). Nothing is written to the file."""
    db_path = Path(db_path)
    stamp = (now or datetime.now()).strftime(_STAMP)
    target = target or db_path.with_name(f"{db_path.stem}.{label}-{stamp}{db_path.suffix}")
    try:
        for sidecar in _sidecars(db_path):
            if sidecar.exists():
                ending = sidecar.name[len(db_path.name):]
                os.replace(sidecar, target.with_name(target.name + ending))
        os.replace(db_path, target)
        fsync_path(db_path.parent)
    except OSError as error:
        raise _storage_error(f"The file {db_path} could not be moved aside", error) from error
    return target


def export_backup(store: Store, destination: Path) -> Path:
    """Write one self-contained, checked copy of the open record to ``destination``.

    The file can be opened or restored on another computer. An existing file at
    ``destination`` is replaced only once the new copy is complete.
    """
    destination = Path(destination)
    if store.path is not None and destination.resolve() == Path(store.path).resolve():
        raise BackupError(_("Please choose another file name: that is the record itself."))
    temp = destination.with_name(f".{destination.name}.partial")
    with contextlib.suppress(OSError):
        temp.unlink()
    try:
        _copy_checked(store.db.conn, temp)
        os.replace(temp, destination)
        fsync_path(destination.parent)
    except OSError as error:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise _storage_error(f"The backup could not be saved to {destination}", error) from error
    except sqlite3.Error as error:
        raise _storage_error(f"The backup could not be saved to {destination}", error) from error
    return destination

