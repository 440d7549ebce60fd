"""Backups: made with the backup API, checked, private, thinned, restored and exported."""

from __future__ import annotations

import os
import sqlite3
import stat
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from nbcompanion.record import backup as bk
from nbcompanion.record.errors import NotARecordError, StorageError
from nbcompanion.record.schema import MIGRATIONS
from nbcompanion.record.store import Store, now_iso, open_store


def add_child(store: Store, name: str = "Sam") -> int:
    """One child row, written as the app writes."""
    with store.transaction() as db:
        stamp = now_iso()
        return int(db["child"].insert({"name": name, "created_at": stamp,
                                       "updated_at": stamp}).last_pk)


def add_test_and_visit(store: Store, child_id: int) -> None:
    """One test and one visit for ``child_id``."""
    with store.transaction() as db:
        stamp = now_iso()
        type_id = db.execute("SELECT min(id) FROM test_type").fetchone()[0]
        db["test"].insert({"child_id": child_id, "test_type_id": type_id, "date": "2026-01-05",
                           "status": "done", "created_at": stamp, "updated_at": stamp})
        db["visit"].insert({"child_id": child_id, "starts_at": "2026-01-05T09:00",
                            "kind": "clinic", "created_at": stamp, "updated_at": stamp})


def mode(path: Path) -> int:
    """The permission bits of ``path``."""
    return stat.S_IMODE(path.stat().st_mode)


def child_names(path: Path) -> list[str]:
    """The children's names in a record file."""
    conn = sqlite3.connect(path)
    try:
        return [row[0] for row in conn.execute("SELECT name FROM child ORDER BY id")]
    finally:
        conn.close()


def test_backup_is_one_checked_private_file(file_store: Store) -> None:
    child = add_child(file_store)
    add_test_and_visit(file_store, child)
    made = bk.create_backup(file_store)
    assert made.path.parent == file_store.path.parent / "backups"
    assert made.reason == bk.DAILY
    assert made.label == "Daily backup"
    assert sorted(p.name for p in made.path.parent.iterdir()) == [made.path.name]
    if os.name == "posix":
        assert mode(made.path) == 0o600
    summary = bk.check_file(made.path)
    assert summary.ok
    assert (summary.children, summary.tests, summary.visits) == (1, 1, 1)
    assert bk.list_backups(file_store.path) == [made]
    # Reading it for the list left nothing beside it.
    assert sorted(p.name for p in made.path.parent.iterdir()) == [made.path.name]


def test_backup_holds_saves_still_in_the_wal(file_store: Store) -> None:
    add_child(file_store, "Alex")
    assert Path(str(file_store.path) + "-wal").stat().st_size > 0
    made = bk.create_backup(file_store)
    assert child_names(made.path) == ["Alex"]


def test_daily_backup_at_most_once_a_day_and_only_after_changes(tmp_path: Path) -> None:
    path = tmp_path / "record.sqlite3"
    store = open_store(path)
    monday = datetime(2026, 3, 2, 9, 0)
    try:
        assert bk.daily_backup(store, now=monday) is not None
        add_child(store)
        assert bk.daily_backup(store, now=monday + timedelta(hours=5)) is None
        assert bk.daily_backup(store, now=monday + timedelta(days=1)) is not None
        # Nothing written since: no new copy that would push older days out.
        long_ago = time.time() - 60
        for written in (path, Path(f"{path}-wal")):
            os.utime(written, (long_ago, long_ago))
        assert bk.daily_backup(store, now=monday + timedelta(days=2)) is None
    finally:
        store.close()
    assert len(bk.list_backups(path)) == 2


def test_thinning_with_seven_days_and_four_weeks() -> None:
    start = datetime(2026, 1, 1, 8, 0)
    backups = [bk.Backup(Path(f"b{i}-{h}"), start + timedelta(days=i, hours=h), bk.DAILY)
               for i in range(90) for h in (0, 3)]
    keep = bk.backups_to_keep(backups, daily=7, weekly=4, monthly=0)
    kept = sorted((b for b in backups if b.path in keep), key=lambda b: b.created)
    days = [b.created.date() for b in kept]
    assert len(kept) == 11
    assert len(set(days)) == 11
    newest_days = days[-7:]
    assert newest_days == [(start + timedelta(days=d)).date() for d in range(83, 90)]
    assert all(b.created.hour == 11 for b in kept[-7:])  # the newest of each day
    weeks = {b.created.isocalendar()[:2] for b in kept[:4]}
    assert len(weeks) == 4


def test_rotation_deletes_only_old_backups_of_this_record(tmp_path: Path) -> None:
    path = tmp_path / "record.sqlite3"
    store = open_store(path)
    try:
        start = datetime(2026, 1, 1, 8, 0)
        for day in range(40):
            add_child(store, f"day {day}")
            bk.create_backup(store, now=start + timedelta(days=day))
    finally:
        store.close()
    folder = bk.backup_folder(path)
    other = folder / "another-record_2026-01-01_08-00-00_daily.sqlite3"
    other.write_bytes(b"not ours")
    leftover = folder / ".record_2026-02-20_08-00-00_daily.sqlite3.partial"
    leftover.write_bytes(b"half")
    removed = bk.rotate_backups(path, daily=7, weekly=4, monthly=0)
    assert len(bk.list_backups(path)) == 11
    assert len(removed) == 40 - 11 + 1
    assert other.exists()
    assert not leftover.exists()
    newest = bk.list_backups(path)[0]
    assert child_names(newest.path)[-1] == "day 39"


def test_unfinished_backups_are_never_listed(file_store: Store) -> None:
    folder = bk.backup_folder(file_store.path)
    folder.mkdir()
    (folder / ".record_2026-02-20_08-00-00_daily.sqlite3.partial").write_bytes(b"half")
    assert bk.list_backups(file_store.path) == []


def old_version_file(path: Path) -> None:
    """A record at schema version 1, as an older app left it."""
    conn = sqlite3.connect(path)
    db = Store(__import__("sqlite_utils").Database(conn), path)
    with db.transaction():
        MIGRATIONS[0](db.db)
        db.db.execute("PRAGMA application_id = 1312965453")
        db.db.execute("PRAGMA user_version = 1")
    stamp = now_iso()
    with db.transaction():
        db.db["child"].insert({"name": "Robin", "created_at": stamp, "updated_at": stamp})
    conn.close()


def test_upgrade_is_preceded_by_a_backup_of_the_old_version(tmp_path: Path) -> None:
    path = tmp_path / "record.sqlite3"
    old_version_file(path)
    store = open_store(path, before_upgrade=bk.before_upgrade_backup)
    store.close()
    [made] = bk.list_backups(path)
    assert made.reason == bk.BEFORE_UPGRADE
    summary = bk.check_file(made.path)
    assert summary.ok
    assert summary.version == 1
    assert summary.children == 1


def test_failed_backup_stops_the_upgrade(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "record.sqlite3"
    old_version_file(path)

    def full_disk(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(bk, "fsync_path", full_disk)
    with pytest.raises(StorageError, match="No space left"):
        open_store(path, before_upgrade=bk.before_upgrade_backup)
    monkeypatch.undo()
    assert bk.check_file(path).version == 1
    assert [p.name for p in bk.backup_folder(path).iterdir()] == []


def test_restore_replaces_the_record_atomically(tmp_path: Path) -> None:
    path = tmp_path / "record.sqlite3"
    store = open_store(path)
    add_child(store, "Before")
    made = bk.create_backup(store)
    add_child(store, "After")
    store.close()
    bk.restore_file(made.path, path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backups", "record.sqlite3"]
    if os.name == "posix":
        assert mode(path) == 0o600
    reopened = open_store(path)
    try:
        assert [r["name"] for r in reopened.query("SELECT name FROM child")] == ["Before"]
    finally:
        reopened.close()


def test_restore_refuses_a_damaged_or_foreign_file(tmp_path: Path) -> None:
    path = tmp_path / "record.sqlite3"
    store = open_store(path)
    add_child(store, "Kept")
    store.close()
    before = path.read_bytes()
    foreign = tmp_path / "foreign.sqlite3"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE x (y)")
    conn.close()
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    for bad in (foreign, text):
        with pytest.raises(NotARecordError):
            bk.restore_file(bad, path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "foreign.sqlite3", "notes.txt", "record.sqlite3"]


def test_export_is_one_file_another_computer_can_open(file_store: Store, tmp_path: Path) -> None:
    child = add_child(file_store, "Jo")
    add_test_and_visit(file_store, child)
    usb = tmp_path / "usb"
    usb.mkdir()
    exported = bk.export_backup(file_store, usb / "jo.sqlite3")
    assert sorted(p.name for p in usb.iterdir()) == ["jo.sqlite3"]
    if os.name == "posix":
        assert mode(exported) == 0o600
    # "Restore…" on the other laptop
    other = tmp_path / "laptop2" / "care-record.sqlite3"
    open_store(other).close()
    bk.restore_file(exported, other)
    assert child_names(other) == ["Jo"]
    # "Open…" on the other laptop
    opened = open_store(exported, create=False)
    try:
        assert opened.query("SELECT count(*) AS n FROM visit") == [{"n": 1}]
    finally:
        opened.close()


def test_export_refuses_to_overwrite_the_record_itself(file_store: Store) -> None:
    with pytest.raises(bk.BackupError):
        bk.export_backup(file_store, file_store.path)


def test_set_aside_moves_the_file_and_its_wal_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "record.sqlite3"
    path.write_bytes(b"SQLite format 3\x00" + b"\x01" * 100)
    Path(str(path) + "-wal").write_bytes(b"wal")
    moved = bk.set_aside(path, now=datetime(2026, 5, 1, 10, 0))
    assert moved.name == "record.damaged-2026-05-01_10-00-00.sqlite3"
    assert moved.read_bytes() == b"SQLite format 3\x00" + b"\x01" * 100
    assert Path(str(moved) + "-wal").read_bytes() == b"wal"
    assert not path.exists()
    assert not Path(str(path) + "-wal").exists()


def test_newest_good_backup_skips_damaged_ones(tmp_path: Path) -> None:
    path = tmp_path / "record.sqlite3"
    store = open_store(path)
    add_child(store)
    good = bk.create_backup(store, now=datetime(2026, 1, 1, 8))
    bad = bk.create_backup(store, now=datetime(2026, 1, 2, 8))
    store.close()
    data = bytearray(bad.path.read_bytes())
    data[4096:8192] = b"\xff" * 4096  # wreck page 2
    bad.path.write_bytes(bytes(data))
    assert not bk.check_file(bad.path).ok
    assert bk.newest_good_backup(path) == good


def test_daily_backup_clears_a_restore_left_half_done(file_store: Store) -> None:
    leftover = file_store.path.with_name(f".{file_store.path.name}.restoring")
    leftover.write_bytes(b"half a copy")
    bk.daily_backup(file_store)
    assert not leftover.exists()


def test_a_backup_dated_in_the_future_does_not_stop_todays(file_store: Store) -> None:
    bk.create_backup(file_store, now=datetime.now() + timedelta(days=30))  # a wrong clock
    add_child(file_store)
    assert bk.daily_backup(file_store) is not None


def test_a_year_of_daily_starts_keeps_days_weeks_and_months(tmp_path: Path) -> None:
    """Retention as the README states it, checked after every simulated day of a year."""
    path = tmp_path / "care-record.sqlite3"
    bk.backup_folder(path).mkdir()
    start = datetime(2026, 1, 5, 8, 30)
    for day in range(365):
        now = start + timedelta(days=day)
        bk._new_backup_path(path, bk.DAILY, now).write_bytes(b"")  # as create_backup names it
        bk.rotate_backups(path)
        kept = sorted(b.created for b in bk.list_backups(path))
        ages = {(now - when).days for when in kept}
        assert len(kept) <= bk.KEEP_DAILY + bk.KEEP_WEEKLY + bk.KEEP_MONTHLY + 1
        # every one of the last 14 days
        assert set(range(min(day, bk.KEEP_DAILY - 1) + 1)) <= ages, day
        # a copy in every week of the 8 weeks before those
        for age in range(bk.KEEP_DAILY, min(day, bk.KEEP_DAILY + 7 * bk.KEEP_WEEKLY) + 1):
            assert any(abs(age - a) < 7 for a in ages), (day, age)
        # a copy in every month of the year before those
        for age in range(bk.KEEP_DAILY + 7 * bk.KEEP_WEEKLY, day + 1):
            assert any(abs(age - a) <= 31 for a in ages), (day, age)
        # within the year, a copy from (about) the very first days is still kept
        assert max(ages) >= day - (6 if day < bk.KEEP_DAILY + 7 * bk.KEEP_WEEKLY else 31), day
    assert len(bk.list_backups(path)) <= 35


def test_after_sixty_days_the_oldest_copy_is_sixty_days_old(tmp_path: Path) -> None:
    path = tmp_path / "care-record.sqlite3"
    bk.backup_folder(path).mkdir()
    start = datetime(2026, 3, 1, 9, 0)
    for day in range(61):
        bk._new_backup_path(path, bk.DAILY, start + timedelta(days=day)).write_bytes(b"")
        bk.rotate_backups(path)
    assert bk.list_backups(path)[-1].created == start
