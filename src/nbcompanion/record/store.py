"""Opening the one SQLite file that holds a family's record, safely.

Order matters when opening: the file is checked (is it SQLite? ours? too new? damaged?
does it hold the tables its version promises?) *before* anything is written — even switching
to WAL writes the header — so a refused file is never touched. A file or folder the app may
not write to opens read-only, without leaving ``-wal``/``-shm`` files behind. A missing or
empty file with backups beside it is never silently replaced by a new, empty record.

Every write transaction starts with ``BEGIN IMMEDIATE``: the write lock is taken at once, so
a second program writing at the same moment makes this one wait (``busy_timeout``) instead
of failing at once as "busy".
"""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
import sys
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nbcompanion.i18n import _
from nbcompanion.record.errors import (
    DamagedRecordError,
    MissingRecordError,
    NewerVersionError,
    NotARecordError,
    ReadOnlyRecordError,
    RecordError,
    StorageError,
    translate_sqlite_error,
)
from nbcompanion.record.schema import APPLICATION_ID, LATEST_VERSION, MIGRATIONS

if TYPE_CHECKING:
    import sqlite_utils

SQLITE_HEADER = b"SQLite format 3\x00"

#: Called with (path, version_before) just before a schema upgrade writes anything.
UpgradeHook = Callable[[Path, int], None]

#: How long a write waits for another program that is writing the same file (ms).
BUSY_TIMEOUT_MS = 5000

#: Tables every record holds from version 1 on; a file claiming a version without them
#: is not (or no longer) a care record.
CORE_TABLES = frozenset({"child", "setting", "test", "test_type"})

#: Why a record opened read-only, as told in the window's banner.
READ_ONLY_FILE = ("This care record is read-only: the app is not allowed to change the file "
                  "or the folder it is in, so you can look at everything but nothing new can "
                  "be saved.")


def now_iso() -> str:
    """The current local time as stored in ``created_at``/``updated_at`` columns."""
    return datetime.now().isoformat(timespec="seconds")


def _check_header(path: Path) -> None:
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as error:
        raise StorageError(_("The file {path} could not be read: {strerror}.").format(
                             path=path, strerror=error.strerror)) from error
    if header and header != SQLITE_HEADER:
        raise NotARecordError(_("The file {path} is not a care record of this app.").format(
                                path=path))


class Store:
    """An open care record: a ``sqlite_utils.Database`` plus safe transactions.

    Use :func:`open_store` (or :meth:`Store.memory` in tests) rather than the constructor.
    """

    def __init__(self, connection: sqlite3.Connection | sqlite_utils.Database,
                 path: Path | None, *, read_only: str = "") -> None:
        if isinstance(connection, sqlite3.Connection):
            self.conn = connection
            self._db: sqlite_utils.Database | None = None
        else:
            self.conn = connection.conn
            self._db = connection
        self.path = path
        #: Why nothing may be written ("" when the record is writable).
        self.read_only = read_only
        # Settings changed while read-only (the active child) live here for the session.
        self._settings_overlay: dict[str, str | None] = {}
        self._created_sidecars: list[Path] = []

    def mark_read_only(self, reason: str) -> None:
        """Refuse every later write with ``reason`` (e.g. after damage was found)."""
        self.read_only = reason

    @property
    def db(self) -> sqlite_utils.Database:
        """The sqlite-utils view of the record, for writes and table helpers.

        Made on first use: reads at start-up go straight to SQLite, so the window can
        appear before sqlite-utils (about 0.1 s to import) is loaded.
        """
        if self._db is None:
            self._db = _sqlite_utils_database(self.conn)
        return self._db

    # -- opening ---------------------------------------------------------------------------
    @classmethod
    def memory(cls) -> Store:
        """A fresh in-memory record (tests, benchmarks)."""
        store = cls(sqlite3.connect(":memory:"), None)
        store._configure()
        store.migrate()
        return store

    def _configure(self) -> None:
        self.conn.execute("PRAGMA foreign_keys = ON")
        self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")

    @property
    def version(self) -> int:
        """The file's schema version (``PRAGMA user_version``)."""
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def execute(self, sql: str, params: Any = ()) -> sqlite3.Cursor:
        """Run one read-only statement directly (writes go through :meth:`transaction`)."""
        return self.conn.execute(sql, params)

    def table_names(self) -> list[str]:
        """The record's tables."""
        return [row[0] for row in self.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]

    def migrate(self, before_upgrade: UpgradeHook | None = None) -> None:
        """Bring the file to :data:`LATEST_VERSION`, one migration per transaction."""
        current = self.version
        if current > LATEST_VERSION:
            raise NewerVersionError(
                _("This record was saved by a newer version of the app. Please update the app "
                "to open it; the file has not been changed.")
            )
        if 0 < current < LATEST_VERSION and before_upgrade is not None and self.path is not None:
            before_upgrade(self.path, current)
        for version in range(current + 1, LATEST_VERSION + 1):
            with self.transaction():
                MIGRATIONS[version - 1](self.db)
                self.db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                self.db.execute(f"PRAGMA user_version = {version}")

    # -- transactions ----------------------------------------------------------------------
    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite_utils.Database]:
        """One atomic write; nested calls become savepoints.

        SQLite errors that come from the environment (full disk, read-only folder, damage)
        are raised as :class:`RecordError` subclasses with a message for the user; in every
        case the transaction is rolled back and nothing saved before is touched.
        """
        if self.read_only:
            raise ReadOnlyRecordError(_("{read_only} Nothing was saved.").format(
                                        read_only=self.read_only))
        outermost = not self.conn.in_transaction
        try:
            if outermost:
                # IMMEDIATE takes the write lock now, so busy_timeout applies; a plain BEGIN
                # would fail at once as "busy" when another writer got in first.
                db = self.db
                db.conn.execute("BEGIN IMMEDIATE")
                try:
                    yield db
                    db.conn.execute("COMMIT")
                except BaseException:
                    self._abandon_transaction()
                    raise
            else:
                with self.db.atomic():
                    yield self.db
        except sqlite3.Error as error:
            if outermost:
                self._abandon_transaction()
            translated = translate_sqlite_error(error, self.path)
            if translated is None:
                raise
            raise translated from error

    def _abandon_transaction(self) -> None:
        # If a failed COMMIT's rollback failed too (e.g. disk I/O error), a transaction could
        # stay open and silently swallow every later save as a savepoint: end it here.
        if self.conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("ROLLBACK")

    # -- small key/value settings kept in the record (e.g. the active child) -----------------
    def get_setting(self, key: str, default: str | None = None) -> str | None:
        """A value from the ``setting`` table."""
        if key in self._settings_overlay:
            value = self._settings_overlay[key]
            return default if value is None else value
        row = self.conn.execute("SELECT value FROM setting WHERE key = ?", [key]).fetchone()
        return default if row is None else row[0]

    def set_setting(self, key: str, value: str | None) -> None:
        """Store (or with ``None`` remove) a setting, in its own transaction.

        In a read-only record the setting is kept for this session only.
        """
        if self.read_only:
            self._settings_overlay[key] = value
            return
        with self.transaction() as db:
            if value is None:
                db.execute("DELETE FROM setting WHERE key = ?", [key])
            else:
                db.table("setting").upsert({"key": key, "value": value}, pk="key")

    def query(self, sql: str, params: Any = None) -> list[dict[str, Any]]:
        """Rows of a read-only query as dicts."""
        cursor = self.conn.execute(sql, params or [])
        columns = [column[0] for column in cursor.description or ()]
        return [dict(zip(columns, row, strict=True)) for row in cursor]

    def close(self) -> None:
        """Checkpoint the WAL and close the file (read-only: leave nothing behind)."""
        with contextlib.suppress(sqlite3.Error):
            if self.path is not None and not self.read_only:
                self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.conn.close()
        for sidecar in self._created_sidecars:
            with contextlib.suppress(OSError):
                sidecar.unlink()


def _private_create(path: Path) -> None:
    """Create an empty file readable by the user only (mode 0600 on POSIX)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)


def _sidecar(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def _has_backups(path: Path) -> bool:
    if not (path.parent / "backups").is_dir():  # the first start: no need to load backup
        return False
    from nbcompanion.record.backup import list_backups  # backup imports this module

    return bool(list_backups(path))


def _writable(path: Path) -> bool:
    """Whether the app may change ``path`` and create its side files beside it."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK | os.X_OK)


def open_store(
    path: Path | str,
    *,
    create: bool = True,
    quick_check: bool = True,
    before_upgrade: UpgradeHook | None = None,
    start_new: bool = False,
    read_only: bool | None = None,
) -> Store:
    """Open (or create) the record at ``path``.

    A missing or empty file is made a new record only when no backups of it exist, or when
    ``start_new`` says the family chose a new, empty record; otherwise
    :class:`MissingRecordError` is raised. ``read_only`` forces (True) or forbids (False)
    read-only opening; by default a file or folder the app may not write opens read-only.

    Raises :class:`NotARecordError`, :class:`DamagedRecordError`, :class:`NewerVersionError`,
    :class:`MissingRecordError` or :class:`StorageError` with a message naming the file; in
    every such case the file has not been written to.
    """
    path = Path(path)
    try:
        size: int | None = path.stat().st_size
    except FileNotFoundError:
        size = None
    except OSError as error:
        raise opening_error(path, error) from error
    existed = bool(size)
    if existed:
        _check_header(path)
    elif not create:
        raise StorageError(_("There is no care record at {path}.").format(path=path))
    elif not start_new and _has_backups(path):
        what = "is empty" if size == 0 else "is missing"
        raise MissingRecordError(
            _("The care record file {what}, but there are backups of it. The app has not "
              "started a new, empty record in its place.\n\nFile: {path}").format(
              what=what, path=path), empty=size == 0)
    if existed and (read_only or (read_only is None and not _writable(path))):
        return _open_read_only(path, quick_check=quick_check)
    try:
        if not path.exists():
            _private_create(path)
        conn = sqlite3.connect(str(path))
    except (OSError, sqlite3.Error) as error:
        raise opening_error(path, error) from error
    store = Store(conn, path)
    with _closed_on_failure(conn, path, storage_as_opening=True):
        store._configure()
        if existed:
            _check_existing(store, path, quick_check=quick_check)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        _private_sidecars(path)
        store.migrate(before_upgrade)
    return store


@contextlib.contextmanager
def _closed_on_failure(conn: sqlite3.Connection, path: Path, *,
                       storage_as_opening: bool) -> Iterator[None]:
    """Close ``conn`` if opening fails, and say why in a sentence fit to show."""
    try:
        yield
    except RecordError:
        conn.close()
        raise
    except sqlite3.Error as error:
        conn.close()
        translated = translate_sqlite_error(error, path)
        if translated is None:
            raise
        if storage_as_opening and isinstance(translated, StorageError):
            raise opening_error(path, error) from error
        raise translated from error


def read_only_uri(path: Path) -> str:
    """A URI opening ``path`` read-only without writing anything beside it.

    With a non-empty ``-wal`` beside the file it is opened normally read-only (so its last
    saves are seen); otherwise as immutable, which creates no ``-wal``/``-shm`` at all.
    """
    wal = _sidecar(path, "-wal")
    has_wal = wal.exists() and wal.stat().st_size > 0
    return path.resolve().as_uri() + ("?mode=ro" if has_wal else "?mode=ro&immutable=1")


def _open_read_only(path: Path, *, quick_check: bool) -> Store:
    before = {s for s in (_sidecar(path, "-wal"), _sidecar(path, "-shm")) if s.exists()}
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True)
    except sqlite3.Error as error:
        raise opening_error(path, error) from error
    store = Store(conn, path, read_only=READ_ONLY_FILE)
    with _closed_on_failure(conn, path, storage_as_opening=False):
        store._configure()
        _check_existing(store, path, quick_check=quick_check)
        if store.version < LATEST_VERSION:
            raise StorageError(
                _("This care record was saved by an older version of the app and needs a "
                  "small update before it can be shown, but the file or its folder is "
                  "read-only. Copy it to a folder you can write in, or ask for write "
                  "permission, and open it again. The file has not been changed.\n\nFile: "
                  "{path}").format(path=path))
    store._created_sidecars = [s for s in (_sidecar(path, "-wal"), _sidecar(path, "-shm"))
                               if s.exists() and s not in before]
    return store


def opening_error(path: Path, error: OSError | sqlite3.Error) -> StorageError:
    """A plain sentence for a record that could not be opened or created at ``path``."""
    text = str(error).lower()
    if isinstance(error, PermissionError) or "readonly" in text or "read-only" in text or (
        "unable to open" in text and path.parent.exists() and not os.access(path.parent, os.W_OK)
    ):
        reason = ("the app is not allowed to write in the folder it is in. The app needs to "
                  "write there to keep the record safe")
    elif "full" in text or getattr(error, "errno", None) == errno.ENOSPC:
        reason = "the disk is full. Free some space and try again"
    elif "locked" in text:
        reason = "it is busy in another program. Please try again in a moment"
    else:
        detail = getattr(error, "strerror", None) or str(error)
        reason = f"the computer reported a problem: {detail}"
    return StorageError(_("The care record could not be opened, because {reason}.\n\nFile: "
                          "{path}").format(reason=reason, path=path))


def _check_existing(store: Store, path: Path, *, quick_check: bool) -> None:
    application_id = int(store.execute("PRAGMA application_id").fetchone()[0])
    version = store.version
    tables = set(store.table_names())
    if application_id not in (0, APPLICATION_ID) or (
        application_id == 0 and (tables or version != 0)
    ):
        raise NotARecordError(
            _("The file {path} is a database of another program, not a care record.").format(
              path=path)
        )
    if version > LATEST_VERSION:
        raise NewerVersionError(
            _("The record {path} was saved by a newer version of the app. Please update the "
              "app to open it; the file has not been changed.").format(path=path)
        )
    if (version == 0 and tables) or (version > 0 and not tables >= CORE_TABLES):
        # Ours by its mark, but its contents do not match its version: an unfinished or
        # altered file. Migrating it would fail half-way (and first rewrite its header).
        raise NotARecordError(
            _("The file {path} is marked as a care record, but what it holds does not match "
              "a care record of this app, so it was not opened. Nothing in it has been "
              "changed.").format(path=path)
        )
    if quick_check:
        result = [row[0] for row in store.execute("PRAGMA quick_check").fetchall()]
        if result != ["ok"]:
            raise DamagedRecordError(_("The care record file {path} is damaged.").format(
                                       path=path))


def _private_sidecars(path: Path) -> None:
    # SQLite creates -wal/-shm with the umask; keep them as private as the record itself.
    for suffix in ("-wal", "-shm"):
        sidecar = path.with_name(path.name + suffix)
        with contextlib.suppress(OSError):
            if sidecar.exists():
                sidecar.chmod(0o600)


def _sqlite_utils_database(conn: sqlite3.Connection) -> sqlite_utils.Database:
    """Wrap ``conn`` in sqlite-utils, importing it without numpy/pandas and plugins.

    sqlite-utils loads numpy and pandas when they happen to be installed, only to convert
    their types on insert, which the record never does (0.1–0.5 s). Its plugins would run
    third-party code on the family's record. Other code can still import numpy normally.
    """
    if "sqlite_utils" not in sys.modules:
        blocked = [name for name in ("numpy", "pandas") if name not in sys.modules]
        for name in blocked:
            sys.modules[name] = None  # type: ignore[assignment]
        try:
            import sqlite_utils
        finally:
            for name in blocked:
                if sys.modules.get(name) is None:
                    del sys.modules[name]
    import sqlite_utils

    return sqlite_utils.Database(conn, execute_plugins=False)
