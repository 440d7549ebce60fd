"""Opening the record at start: the lock, the daily backup, and the dialogs for a file that
cannot be opened (damaged, foreign, newer, in use, disk trouble) — never writing to it."""

from __future__ import annotations

import os
import signal
import sqlite3
import stat
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from nbcompanion.record import backup as bk
from nbcompanion.record.errors import (
    DamagedRecordError,
    NewerVersionError,
    NotARecordError,
    RecordInUseError,
    StorageError,
)
from nbcompanion.record.store import open_store
from nbcompanion.ui import opening
from nbcompanion.ui.safety.dialogs import Choice, ChooseFile, RecordProblem
from nbcompanion.ui.safety.lock import RecordLock
from test_backup_helpers import (
    Recorder,
    add_child,
    child_names,
    damage,
    patch_classmethod,
)

pytestmark = pytest.mark.usefixtures("safe_gui")  # conftest.py


def problem_answers(monkeypatch: pytest.MonkeyPatch, *answers: Choice) -> Recorder:
    """Answer the problem dialog with ``answers``; calls are (parent, path, error, backup,
    summary, at_start)."""
    recorder = Recorder(*answers)
    patch_classmethod(monkeypatch, RecordProblem, "ask", recorder)
    return recorder


def a_record(path: Path, *names: str, backup_days_ago: int | None = None) -> None:
    """A closed record at ``path`` holding children ``names`` (and maybe a backup)."""
    store = open_store(path)
    for name in names:
        add_child(store, name)
    if backup_days_ago is not None:
        bk.create_backup(store, now=datetime.now() - timedelta(days=backup_days_ago))
    store.close()


def test_start_locks_the_record_and_backs_it_up(qtbot: object, tmp_path: Path,
                                                notices: Recorder) -> None:
    path = tmp_path / "care-record.sqlite3"
    window = opening.start_window(path)
    assert window is not None
    qtbot.addWidget(window)  # type: ignore[attr-defined]
    with pytest.raises(RecordInUseError, match="already open"):
        RecordLock.acquire(path)
    assert bk.list_backups(path) == []  # the backup waits until the window is up
    qtbot.waitUntil(lambda: len(bk.list_backups(path)) == 1,  # type: ignore[attr-defined]
                    timeout=opening.BACKUP_DELAY_MS + 3000)
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert notices.calls == []
    window.close()


def test_second_start_on_the_same_file_says_already_open(
    qtbot: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, notices: Recorder
) -> None:
    path = tmp_path / "care-record.sqlite3"
    first = opening.start_window(path)
    qtbot.addWidget(first)  # type: ignore[attr-defined]
    asked = problem_answers(monkeypatch, Choice.TRY_AGAIN, Choice.GIVE_UP)
    assert opening.start_window(path) is None
    [(_, where, error, *_), _again] = asked.calls
    assert where == path
    assert isinstance(error, RecordInUseError)
    assert "already open in another window" in str(error)
    assert RecordProblem.choices(error, None) == [Choice.TRY_AGAIN, Choice.OPEN_OTHER,
                                                  Choice.GIVE_UP]


LOCK_AND_DIE = r"""
import os, signal, sys
from PySide6.QtCore import QLockFile
lock = QLockFile(sys.argv[1])
lock.setStaleLockTime(0)
assert lock.tryLock(0)
print("locked", flush=True)
if sys.argv[2] == "crash":
    os.kill(os.getpid(), signal.SIGKILL)
sys.stdin.read()  # hold the lock until told
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
def test_a_lock_left_by_a_crash_is_taken_over_but_a_live_one_is_not(tmp_path: Path) -> None:
    path = tmp_path / "care-record.sqlite3"
    lock_file = str(path) + ".lock"
    crashed = subprocess.run([sys.executable, "-c", LOCK_AND_DIE, lock_file, "crash"],
                             capture_output=True, text=True, timeout=60, check=False)
    assert crashed.stdout == "locked\n"
    assert crashed.returncode == -signal.SIGKILL
    assert Path(lock_file).exists()  # stale: its process is gone
    taken = RecordLock.acquire(path)
    assert taken.held
    taken.release()

    live = subprocess.Popen([sys.executable, "-c", LOCK_AND_DIE, lock_file, "hold"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert live.stdout is not None
        assert live.stdout.readline() == "locked\n"
        with pytest.raises(RecordInUseError):
            RecordLock.acquire(path)
    finally:
        live.communicate("", timeout=30)
    RecordLock.acquire(path).release()


def test_damaged_file_offers_the_newest_good_backup_and_is_never_written(
    qtbot: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, notices: Recorder
) -> None:
    path = tmp_path / "care-record.sqlite3"
    a_record(path, "Sam", backup_days_ago=1)
    damage(path)
    damaged_bytes = path.read_bytes()
    asked = problem_answers(monkeypatch, Choice.USE_BACKUP)
    window = opening.start_window(path)
    assert window is not None
    qtbot.addWidget(window)  # type: ignore[attr-defined]
    [(_, where, error, offered, summary, at_start)] = asked.calls
    assert (where, at_start) == (path, True)
    assert isinstance(error, DamagedRecordError)
    assert offered == bk.list_backups(path)[-1]
    assert summary.children == 1
    assert [r["name"] for r in window.context.store.query("SELECT name FROM child")] == ["Sam"]
    [aside] = tmp_path.glob("care-record.damaged-*.sqlite3")
    assert aside.read_bytes() == damaged_bytes


def test_damaged_file_without_backup_can_start_a_new_record(
    qtbot: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, notices: Recorder
) -> None:
    path = tmp_path / "care-record.sqlite3"
    a_record(path, "Sam")
    damage(path)
    damaged_bytes = path.read_bytes()
    asked = problem_answers(monkeypatch, Choice.START_NEW)
    window = opening.start_window(path)
    qtbot.addWidget(window)  # type: ignore[attr-defined]
    [(_, _, error, offered, *_)] = asked.calls
    assert offered is None
    assert Choice.USE_BACKUP not in RecordProblem.choices(error, None)
    assert window.context.store.query("SELECT count(*) AS n FROM child") == [{"n": 0}]
    [aside] = tmp_path.glob("care-record.damaged-*.sqlite3")
    assert aside.read_bytes() == damaged_bytes


def test_not_a_record_lets_the_family_open_another_file(
    qtbot: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, notices: Recorder
) -> None:
    wrong = tmp_path / "letter.sqlite3"
    wrong.write_text("Dear Dr. Smith,")
    other = tmp_path / "other.sqlite3"
    a_record(other, "Robin")
    asked = problem_answers(monkeypatch, Choice.OPEN_OTHER)
    patch_classmethod(monkeypatch, ChooseFile, "open_record", Recorder(other))
    window = opening.start_window(wrong)
    qtbot.addWidget(window)  # type: ignore[attr-defined]
    assert isinstance(asked.calls[0][2], NotARecordError)
    assert window.context.store.path == other
    assert wrong.read_text() == "Dear Dr. Smith,"


def test_newer_version_is_refused_and_left_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, notices: Recorder
) -> None:
    path = tmp_path / "care-record.sqlite3"
    a_record(path, "Sam")
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    before = path.read_bytes()
    asked = problem_answers(monkeypatch, Choice.GIVE_UP)
    assert opening.start_window(path) is None
    error = asked.calls[0][2]
    assert isinstance(error, NewerVersionError)
    assert RecordProblem.choices(error, None) == [Choice.OPEN_OTHER, Choice.GIVE_UP]
    assert path.read_bytes() == before
    RecordLock.acquire(path).release()  # the lock was given back


def test_disk_trouble_at_start_can_be_retried(
    qtbot: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, notices: Recorder
) -> None:
    path = tmp_path / "care-record.sqlite3"
    real_open = opening.open_store
    failures = [StorageError("The disk is full, so nothing could be saved.")]

    def flaky_open(*args: object, **kwargs: object) -> object:
        if failures:
            raise failures.pop()
        return real_open(*args, **kwargs)

    monkeypatch.setattr(opening, "open_store", flaky_open)
    asked = problem_answers(monkeypatch, Choice.TRY_AGAIN)
    window = opening.start_window(path)
    qtbot.addWidget(window)  # type: ignore[attr-defined]
    assert "disk is full" in str(asked.calls[0][2])
    assert window.context.store.path == path


def test_a_failed_daily_backup_is_told_but_the_record_opens(
    qtbot: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, notices: Recorder
) -> None:
    def no_space(*args: object, **kwargs: object) -> None:
        raise bk.BackupError("The backup could not be made (No space left on device).")

    monkeypatch.setattr(bk, "daily_backup_of_file", no_space)
    monkeypatch.setattr(opening, "BACKUP_DELAY_MS", 0)
    window = opening.start_window(tmp_path / "care-record.sqlite3")
    qtbot.addWidget(window)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: bool(notices.calls))  # type: ignore[attr-defined]
    [(_, kind, title, text)] = notices.calls
    assert (kind, title) == ("warning", "Today's backup could not be made")
    assert "No space left" in text


def test_upgrade_at_start_is_preceded_by_a_backup(
    qtbot: object, tmp_path: Path, notices: Recorder
) -> None:
    from test_backup import old_version_file

    path = tmp_path / "care-record.sqlite3"
    old_version_file(path)
    window = opening.start_window(path)
    qtbot.addWidget(window)  # type: ignore[attr-defined]
    reasons = {b.reason for b in bk.list_backups(path)}
    assert bk.BEFORE_UPGRADE in reasons
    assert child_names(path) == ["Robin"]


def test_problem_dialog_names_the_file_and_offers_the_backup(qapp: object,
                                                              tmp_path: Path) -> None:
    path = tmp_path / "care-record.sqlite3"
    found = bk.Backup(tmp_path / "b.sqlite3", datetime(2026, 11, 24, 9, 12), bk.DAILY)
    summary = bk.Summary(ok=True, version=2, children=1, tests=12, visits=5)
    box, buttons = RecordProblem.build(None, path, DamagedRecordError("x"), found, summary)
    assert "damaged" in box.text()
    assert str(path) in box.informativeText()
    assert "Tuesday 24 November 2026, 09:12" in box.informativeText()
    assert "1 child, 12 tests and 5 visits" in box.informativeText()
    assert [b.text() for b in buttons] == ["Use the backup of 24 November", "Open another file…",
                                           "Start a new, empty record", "Quit"]
    assert box.defaultButton().text() == "Use the backup of 24 November"
    box.deleteLater()


def test_a_failed_restore_at_start_puts_the_damaged_file_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, notices: Recorder
) -> None:
    path = tmp_path / "care-record.sqlite3"
    a_record(path, "Sam", backup_days_ago=1)
    damage(path)
    damaged_bytes = path.read_bytes()

    def disk_full(*args: object) -> None:
        raise bk.BackupError("The backup could not be put in place (No space left on device).")

    monkeypatch.setattr(bk, "restore_file", disk_full)
    asked = problem_answers(monkeypatch, Choice.USE_BACKUP, Choice.GIVE_UP)
    assert opening.start_window(path) is None
    assert len(asked.calls) == 2  # told, then asked again about the same damaged file
    assert notices.calls[0][2] == "The backup could not be put in place"
    assert path.read_bytes() == damaged_bytes
    assert list(tmp_path.glob("*.damaged-*")) == []
