"""Disk trouble and privacy at the record layer: plain messages, nothing saved lost, mode 0600."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from nbcompanion.record import backup as bk
from nbcompanion.record.errors import StorageError
from nbcompanion.record.store import Store, now_iso, open_store

POSIX = os.name == "posix"


def add_child(store: Store, name: str = "Sam") -> int:
    """One child row, written as the app writes."""
    with store.transaction() as db:
        stamp = now_iso()
        return int(db["child"].insert({"name": name, "created_at": stamp,
                                       "updated_at": stamp}).last_pk)


def names_on_disk(path: Path) -> list[str]:
    """The children as a second connection sees them (only what was committed)."""
    conn = sqlite3.connect(path)
    try:
        return [row[0] for row in conn.execute("SELECT name FROM child ORDER BY id")]
    finally:
        conn.close()


class FailingConnection:
    """A sqlite3 connection whose next statements starting with given words fail, as SQLite
    fails them when the disk is full."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self.failures: list[str] = []  # statement keywords, consumed in order
        self.message = "database or disk is full"

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
        """Fail the statement if it is the next one due to fail ("KEYWORD [table]")."""
        keyword, _, table = self.failures[0].partition(" ") if self.failures else ("", "", "")
        if keyword and sql.lstrip().upper().startswith(keyword) and table in sql:
            self.failures.pop(0)
            raise sqlite3.OperationalError(self.message)
        return self._conn.execute(sql, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)


@pytest.fixture
def failing(file_store: Store) -> Iterator[FailingConnection]:
    """The file store's connection wrapped so that tests can make statements fail."""
    wrapper = FailingConnection(file_store.db.conn)
    file_store.db.conn = wrapper  # type: ignore[assignment]
    yield wrapper
    wrapper.failures.clear()


@pytest.mark.parametrize("failing_step", [["INSERT"], ["COMMIT"], ["COMMIT", "ROLLBACK"]])
def test_full_disk_gives_a_plain_message_and_loses_nothing(
    file_store: Store, failing: FailingConnection, failing_step: list[str]
) -> None:
    add_child(file_store, "Saved before")
    failing.failures = list(failing_step)
    with pytest.raises(StorageError) as raised:
        add_child(file_store, "Typed while the disk was full")
    assert str(raised.value) == (
        "The disk is full, so nothing could be saved. Free some space and try again.")
    assert isinstance(raised.value.__cause__, sqlite3.OperationalError)
    assert not failing.in_transaction  # no half-open transaction left to swallow later saves
    # Space freed: the next save goes through, and is really on disk.
    add_child(file_store, "Saved after")
    assert names_on_disk(file_store.path) == ["Saved before", "Saved after"]


def test_nested_save_failure_rolls_back_the_whole_entry(
    file_store: Store, failing: FailingConnection
) -> None:
    def save_entry() -> None:
        with file_store.transaction() as db:
            db["setting"].upsert({"key": "k", "value": "v"}, pk="key")
            with file_store.transaction():
                add_child(file_store, "Inner")

    failing.failures = ["INSERT child"]
    with pytest.raises(StorageError):
        save_entry()
    assert file_store.get_setting("k") is None
    assert names_on_disk(file_store.path) == []


def test_a_bug_is_not_disguised_as_disk_trouble(file_store: Store) -> None:
    with pytest.raises(sqlite3.OperationalError), file_store.transaction() as db:
        db.execute("SELECT * FROM no_such_table")


FILL_DISK = r"""
import json, resource, signal, sys
from nbcompanion.record.errors import StorageError
from nbcompanion.record.store import now_iso, open_store

store = open_store(sys.argv[1])
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails instead
resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000))
saved = []
try:
    for n in range(10_000):
        with store.transaction() as db:
            stamp = now_iso()
            pk = db["child"].insert({"name": f"c{n}", "notes": "x" * 5000,
                                     "created_at": stamp, "updated_at": stamp}).last_pk
        saved.append(pk)  # only once the save has returned
except StorageError as error:
    print(json.dumps({"saved": saved, "message": str(error)}))
"""


@pytest.mark.skipif(not POSIX, reason="RLIMIT_FSIZE is POSIX")
def test_a_disk_that_refuses_writes_mid_save(tmp_path: Path) -> None:
    path = tmp_path / "record.sqlite3"
    open_store(path).close()
    result = subprocess.run([sys.executable, "-c", FILL_DISK, str(path)], capture_output=True,
                            text=True, timeout=120, check=True)
    report = json.loads(result.stdout)
    assert report["saved"]
    assert "nothing could be saved" in report["message"]
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        ids = {row[0] for row in conn.execute("SELECT id FROM child")}
    finally:
        conn.close()
    assert set(report["saved"]) <= ids


OPEN_READ_ONLY = r"""
import json, os, sys
from nbcompanion.record.errors import RecordError
from nbcompanion.record.store import Store, open_store
Store.memory().close()  # load everything while the interpreter's files are still readable
if len(sys.argv) > 2:  # started by root: become an ordinary user before touching the file
    os.setgroups([])
    os.setgid(int(sys.argv[3]))
    os.setuid(int(sys.argv[2]))
try:
    store = open_store(sys.argv[1])
    names = [row["name"] for row in store.query("SELECT name FROM child")]
    try:
        with store.transaction() as db:
            db.execute("DELETE FROM child")
        refused = ""
    except RecordError as error:
        refused = str(error)
    store.set_setting("active_child_id", "7")  # kept for the session only
    setting = store.get_setting("active_child_id")
    store.close()
    print(json.dumps({"error": None, "read_only": store.read_only, "names": names,
                      "refused": refused, "setting": setting}))
except RecordError as error:
    print(json.dumps({"error": type(error).__name__, "message": str(error)}))
"""


@pytest.fixture
def read_only_folder() -> Iterator[tuple[Path, dict[str, Any]]]:
    """A folder the (non-root) user owns but may not write in, and how to run as that user."""
    folder = Path(tempfile.mkdtemp(prefix="nbcompanion-ro-"))
    run_as: dict[str, Any] = {}
    if os.geteuid() == 0:  # root writes everywhere: play an ordinary user
        import pwd

        nobody = pwd.getpwnam("nobody")
        run_as = {"user": nobody.pw_uid, "group": nobody.pw_gid}
    os.chmod(folder, 0o755)
    try:
        yield folder, run_as
    finally:
        os.chmod(folder, 0o755)
        shutil.rmtree(folder)


def _open_in_read_only_folder(folder: Path, record: Path, run_as: dict[str, Any]) -> dict[str, Any]:
    if run_as:
        for path in [folder, *folder.iterdir()]:
            os.chown(path, run_as["user"], run_as["group"])
    os.chmod(folder, 0o555)
    return _open_as(record, run_as)


def _open_as(record: Path, run_as: dict[str, Any]) -> dict[str, Any]:
    user = [str(run_as["user"]), str(run_as["group"])] if run_as else []
    result = subprocess.run([sys.executable, "-c", OPEN_READ_ONLY, str(record), *user],
                            capture_output=True, text=True, timeout=60, check=True)
    return json.loads(result.stdout)


@pytest.mark.skipif(not POSIX, reason="folder permissions are POSIX")
def test_no_record_in_a_read_only_folder_gives_a_plain_message(
    read_only_folder: tuple[Path, dict[str, Any]]
) -> None:
    folder, run_as = read_only_folder
    record = folder / "care-record.sqlite3"
    report = _open_in_read_only_folder(folder, record, run_as)
    assert report["error"] == "StorageError"
    assert report["message"] == (
        "The care record could not be opened, because the app is not allowed to write in the "
        f"folder it is in. The app needs to write there to keep the record safe.\n\n"
        f"File: {record}")
    assert not record.exists()


@pytest.mark.skipif(not POSIX, reason="folder permissions are POSIX")
@pytest.mark.parametrize("what", ["folder", "file"])
def test_read_only_record_opens_read_only_and_leaves_nothing_behind(
    read_only_folder: tuple[Path, dict[str, Any]], what: str
) -> None:
    folder, run_as = read_only_folder
    record = folder / "care-record.sqlite3"
    store = open_store(record)
    add_child(store, "Kept")
    store.close()
    before = record.read_bytes()
    if what == "file":  # the folder stays writable, only the file is read-only
        os.chmod(record, 0o444)
        if run_as:
            for path in (folder, record):
                os.chown(path, run_as["user"], run_as["group"])
        report = _open_as(record, run_as)
    else:
        report = _open_in_read_only_folder(folder, record, run_as)
    assert report["error"] is None, report
    assert report["names"] == ["Kept"]
    assert "read-only" in report["read_only"]
    assert "Nothing was saved" in report["refused"]
    assert report["setting"] == "7"
    assert record.read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == ["care-record.sqlite3"]


@pytest.mark.skipif(not POSIX, reason="file modes are POSIX")
def test_record_side_files_and_backups_are_private(tmp_path: Path) -> None:
    old_umask = os.umask(0o022)  # what most desktops use: new files readable by everyone
    try:
        path = tmp_path / "data" / "record.sqlite3"
        store = open_store(path)
        add_child(store)
        made = bk.create_backup(store)
        exported = bk.export_backup(store, tmp_path / "export.sqlite3")
        wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")
        modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in (path, wal, shm, made.path,
                                                                   exported)}
        folder_mode = stat.S_IMODE(made.path.parent.stat().st_mode)
        store.close()
        store = open_store(path)
        add_child(store, "Again")
        reopened = {p.name: stat.S_IMODE(p.stat().st_mode) for p in (path, wal, shm)}
        store.close()
    finally:
        os.umask(old_umask)
    assert set(modes.values()) == {0o600}, modes
    assert set(reopened.values()) == {0o600}, reopened
    assert folder_mode == 0o700
