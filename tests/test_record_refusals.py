"""The record layer's part of "never lose a record": missing or empty files with backups,
damage that only a full check finds, files that look like ours but are not, leftovers of a
crash, and two programs writing at once."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from nbcompanion.record import backup as bk
from nbcompanion.record.errors import (
    DamagedRecordError,
    MissingRecordError,
    NotARecordError,
    ReadOnlyRecordError,
    StorageError,
)
from nbcompanion.record.schema import APPLICATION_ID
from nbcompanion.record.store import open_store
from test_backup_helpers import add_child, child_names


def damage_an_index(path: Path) -> None:
    """Make one index disagree with its table: damage ``quick_check`` does not see."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("UPDATE sqlite_master SET sql = 'CREATE INDEX question_visit ON question "
                 "(asked)' WHERE name = 'question_visit'")
    conn.commit()
    conn.close()


def a_record_with_backup(path: Path, *names: str, days_ago: int = 1) -> bk.Backup:
    store = open_store(path)
    for name in names:
        add_child(store, name)
    with store.transaction() as db:
        for n in range(20):
            db["question"].insert({"child_id": 1, "text": f"question {n}", "asked": 0,
                                   "created_at": "2026-01-01T00:00",
                                   "updated_at": "2026-01-01T00:00"})
    made = bk.create_backup(store, now=datetime.now() - timedelta(days=days_ago))
    store.close()
    return made


# -- 1. missing or empty record file with backups beside it -----------------------------------
@pytest.mark.parametrize("how", ["deleted", "emptied"])
def test_missing_or_empty_record_with_backups_is_not_silently_replaced(
        tmp_path: Path, how: str) -> None:
    path = tmp_path / "care-record.sqlite3"
    made = a_record_with_backup(path, "Sam")
    if how == "deleted":
        path.unlink()
    else:
        path.write_bytes(b"")
    with pytest.raises(MissingRecordError) as raised:
        open_store(path)
    assert raised.value.empty is (how == "emptied")
    assert "backups" in str(raised.value)
    assert (path.exists() and path.stat().st_size == 0) if how == "emptied" else not path.exists()
    # the family may still choose a new, empty record deliberately
    store = open_store(path, start_new=True)
    assert store.query("SELECT count(*) AS n FROM child") == [{"n": 0}]
    # ... whose daily backup never joins (and so never rotates out) the good ones
    assert bk.daily_backup(store) is None
    store.close()
    assert [b.path for b in bk.list_backups(path)] == [made.path]


def test_missing_record_without_backups_starts_a_new_one(tmp_path: Path) -> None:
    store = open_store(tmp_path / "care-record.sqlite3")
    assert store.version > 0
    store.close()


# -- 2. damage only a full integrity_check finds ------------------------------------------------
def test_index_damage_is_found_by_the_full_check_and_no_backup_rotates(tmp_path: Path) -> None:
    path = tmp_path / "care-record.sqlite3"
    good = a_record_with_backup(path, "Sam")
    damage_an_index(path)
    store = open_store(path)  # quick_check at start does not see it...
    assert not bk.check_file(path, live=True).ok  # ...the full check does
    assert bk.check_file(path, full=False, live=True).ok
    before = sorted(p.name for p in bk.backup_folder(path).iterdir())
    with pytest.raises(DamagedRecordError, match="backups you have are all kept"):
        bk.daily_backup(store)
    store.close()
    assert sorted(p.name for p in bk.backup_folder(path).iterdir()) == before
    assert bk.newest_good_backup(path) == good


def test_foreign_key_damage_counts_as_damage(tmp_path: Path) -> None:
    path = tmp_path / "care-record.sqlite3"
    a_record_with_backup(path, "Sam")
    conn = sqlite3.connect(path)  # foreign keys are off on a plain connection
    conn.execute("INSERT INTO question (child_id, text, asked, created_at, updated_at) "
                 "VALUES (999, 'orphan', 0, 'x', 'x')")
    conn.commit()
    conn.close()
    assert bk.check_file(path).problem == "This file is damaged."


def test_a_damaged_record_marked_read_only_refuses_writes(tmp_path: Path) -> None:
    path = tmp_path / "care-record.sqlite3"
    a_record_with_backup(path, "Sam")
    store = open_store(path)
    store.mark_read_only("The care record file is damaged.")
    with pytest.raises(ReadOnlyRecordError, match="Nothing was saved"):
        add_child(store, "Not saved")
    store.close()
    assert child_names(path) == ["Sam"]


# -- 8. refused files are never touched ---------------------------------------------------------
def _crafted(path: Path, *, app_id: int, version: int, tables: bool) -> bytes:
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA application_id = {app_id}")
    conn.execute(f"PRAGMA user_version = {version}")
    if tables:
        conn.execute("CREATE TABLE child (id INTEGER PRIMARY KEY, name TEXT)")
        conn.execute("INSERT INTO child (name) VALUES ('kept')")
    conn.commit()
    conn.close()
    return path.read_bytes()


@pytest.mark.parametrize(("app_id", "version", "tables"), [
    (APPLICATION_ID, 0, True),   # ours by its mark, tables already there, no version
    (APPLICATION_ID, 1, True),   # a version whose tables are missing
    (0, 3, False),               # no mark, but a version
    (0x1234, 0, False),          # another program's mark
])
def test_crafted_files_get_a_plain_message_and_stay_byte_for_byte(
        tmp_path: Path, app_id: int, version: int, tables: bool) -> None:
    path = tmp_path / "crafted.sqlite3"
    before = _crafted(path, app_id=app_id, version=version, tables=tables)
    with pytest.raises(NotARecordError) as raised:
        open_store(path)
    assert str(raised.value).startswith("The file ")
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["crafted.sqlite3"]


# -- 9. leftovers of a crash mid-restore ---------------------------------------------------------
def test_restore_and_backup_leftovers_are_cleaned(tmp_path: Path) -> None:
    path = tmp_path / "care-record.sqlite3"
    a_record_with_backup(path, "Sam")
    restoring = tmp_path / ".care-record.sqlite3.restoring"
    leftovers = [restoring, Path(f"{restoring}-wal"), Path(f"{restoring}-shm"),
                 bk.backup_folder(path)
                 / ".care-record_2026-01-01_00-00-00_daily.sqlite3.1.partial"]
    for leftover in leftovers:
        leftover.write_bytes(b"half")
    assert sorted(bk.clean_leftovers(path)) == sorted(leftovers)
    assert not any(p.exists() for p in leftovers)
    assert child_names(path) == ["Sam"]


# -- 5. two programs writing at the same moment ----------------------------------------------------
WRITER = r"""
import sys, time
from nbcompanion.record.errors import RecordError
from nbcompanion.record.store import now_iso, open_store
store = open_store(sys.argv[1])
start = float(sys.argv[3])
while time.time() < start:
    time.sleep(0.001)
saved = failed = 0
for n in range(int(sys.argv[4])):
    try:
        with store.transaction() as db:
            stamp = now_iso()
            db["child"].insert({"name": f"{sys.argv[2]} {n}", "created_at": stamp,
                                "updated_at": stamp})
            # read, then write again: a plain BEGIN would fail here as "busy" at once
            db.execute("SELECT count(*) FROM child").fetchone()
            db["setting"].upsert({"key": sys.argv[2], "value": str(n)}, pk="key")
        saved += 1
    except RecordError as error:
        failed += 1
        print("refused:", error, file=sys.stderr)
store.close()
print(saved, failed)
"""


def test_two_programs_saving_at_once_both_succeed(tmp_path: Path) -> None:
    import time

    path = tmp_path / "care-record.sqlite3"
    open_store(path).close()
    start = time.time() + 1.5
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(path), name, str(start), "150"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for name in ("first", "second")]
    results = [proc.communicate(timeout=120) for proc in procs]
    for out, err in results:
        assert out.split() == ["150", "0"], err
    assert len(child_names(path)) == 300


def test_a_writer_that_waits_too_long_gets_a_plain_message(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from nbcompanion.record import store as store_module

    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_MS", 100)
    path = tmp_path / "care-record.sqlite3"
    store = open_store(path)
    other = sqlite3.connect(path)
    other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    try:
        with pytest.raises(StorageError, match="busy in another program"):
            add_child(store, "Waits")
    finally:
        other.rollback()
        other.close()
    add_child(store, "Then saves")
    store.close()
    assert child_names(path) == ["Then saves"]
