"""One window per record: a ``QLockFile`` beside the database.

A second start on the same file is refused with a plain message, so there are never two
writers. A lock left by a crashed app (its process is gone) is taken over safely: Qt checks
the process id written in the lock file, and with a stale time of 0 a live lock never expires.
"""

from __future__ import annotations

import atexit
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject

from nbcompanion.record.errors import RecordInUseError, StorageError
from nbcompanion.record.store import opening_error
from nbcompanion.ui.translate import tr

_HELD: set[RecordLock] = set()


class RecordLock:
    """The lock on one record file; hold it for as long as the record is open."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = QLockFile(str(self.lock_path))
        self._lock.setStaleLockTime(0)

    @property
    def lock_path(self) -> Path:
        """The lock file, beside the record."""
        return self.path.with_name(self.path.name + ".lock")

    @classmethod
    def acquire(cls, path: Path, timeout_ms: int = 200) -> RecordLock:
        """Lock ``path`` or raise :class:`RecordInUseError` (or :class:`StorageError`)."""
        lock = cls(path)
        try:
            lock.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise opening_error(lock.path, error) from error
        if lock._lock.tryLock(timeout_ms):
            _HELD.add(lock)
            return lock
        failure = lock._lock.error()
        if failure == QLockFile.LockError.LockFailedError:
            raise RecordInUseError(lock._in_use_message())
        if failure == QLockFile.LockError.PermissionError:
            raise opening_error(lock.path, PermissionError(13, "Permission denied"))
        raise StorageError(tr("The care record {path} could not be locked for this window.").format(
                              path=path))

    def _in_use_message(self) -> str:
        info = self._lock.getLockInfo()  # (pid, hostname, app name) when readable
        hostname = info[1] if isinstance(info, tuple) and len(info) == 3 else ""
        where = ""
        import socket  # only here: an import the start of the app does without

        if hostname and hostname != socket.gethostname():
            where = f" on the computer “{hostname}”"
        return (f"This care record is already open in another window of the app{where}. "
                f"Please switch to that window: only one window may change the record at a "
                f"time, so that nothing is saved twice or lost.\n\nFile: {self.path}")

    @property
    def held(self) -> bool:
        """True while this lock is held."""
        return self._lock.isLocked()

    def release(self) -> None:
        """Let the record be opened elsewhere."""
        if self._lock.isLocked():
            self._lock.unlock()
        _HELD.discard(self)


@atexit.register
def release_all() -> None:
    """Release every lock this process holds (also called when the app quits)."""
    for lock in list(_HELD):
        lock.release()


class LockKeeper(QObject):
    """Keeps the lock of the record a window shows, as a child of its ``AppContext``."""

    NAME = "nbcompanion-record-lock"

    def __init__(self, owner: QObject, lock: RecordLock | None) -> None:
        super().__init__(owner)
        self.setObjectName(self.NAME)
        self._box: list[RecordLock | None] = [lock]
        box = self._box  # the slot must not need the (then deleted) keeper itself
        self.destroyed.connect(lambda *_: box[0].release() if box[0] is not None else None)

    @property
    def lock(self) -> RecordLock | None:
        """The lock held for the owner's record."""
        return self._box[0]

    @classmethod
    def of(cls, owner: QObject) -> LockKeeper | None:
        """The keeper attached to ``owner``, if any."""
        found = owner.findChild(QObject, cls.NAME)
        return found if isinstance(found, LockKeeper) else None

    @classmethod
    def keep(cls, owner: QObject, lock: RecordLock | None) -> None:
        """Hold ``lock`` for ``owner``, releasing the lock it held before (if another)."""
        keeper = cls.of(owner)
        if keeper is None:
            cls(owner, lock)
            return
        old, keeper._box[0] = keeper._box[0], lock
        if old is not None and old is not lock:
            old.release()
