"""The window's part of "never lose a record": a missing or empty file with backups, damage
found by the full check off the GUI thread (read-only, banner, backup, rescue), read-only
files, and the sample record's temporary folder."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from nbcompanion.record import backup as bk
from nbcompanion.record import entries
from nbcompanion.record import store as store_module
from nbcompanion.record.errors import MissingRecordError, ReadOnlyRecordError
from nbcompanion.ui import opening
from nbcompanion.ui.safety import checks
from nbcompanion.ui.safety.dialogs import (
    Choice,
    ChooseFile,
    ConfirmRestore,
    RecordProblem,
)
from test_backup_helpers import Recorder, child_names, patch_classmethod
from test_record_refusals import a_record_with_backup, damage_an_index

pytestmark = pytest.mark.usefixtures("safe_gui")  # conftest.py


@pytest.fixture(autouse=True)
def _backup_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(opening, "BACKUP_DELAY_MS", 0)


def answers(monkeypatch: pytest.MonkeyPatch, *choices: Choice) -> Recorder:
    recorder = Recorder(*choices)
    patch_classmethod(monkeypatch, RecordProblem, "ask", recorder)
    return recorder


def settle(qtbot: object, window: object) -> None:
    """Wait until the background check (and backup) of ``window`` has finished."""
    qtbot.waitUntil(lambda: getattr(window, "safety_job", None) is not None  # type: ignore
                    and window.safety_job.done, timeout=10_000)  # type: ignore[attr-defined]


# -- 1. missing or empty record ------------------------------------------------------------------
def test_missing_record_offers_the_newest_good_backup(
        qtbot: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, notices: Recorder) -> None:
    path = tmp_path / "care-record.sqlite3"
    made = a_record_with_backup(path, "Sam", "Noa")
    path.unlink()
    asked = answers(monkeypatch, Choice.USE_BACKUP)
    window = opening.start_window(path)
    qtbot.addWidget(window)  # type: ignore[attr-defined]
    [(_, where, error, offered, summary, _)] = asked.calls
    assert isinstance(error, MissingRecordError)
    assert (where, offered, summary.children) == (path, made, 2)
    assert RecordProblem.choices(error, offered) == [Choice.USE_BACKUP, Choice.START_NEW,
                                                     Choice.OPEN_OTHER, Choice.GIVE_UP]
    _title, text, details = RecordProblem.texts(path, error, offered, summary)
    assert "is missing, but there are backups" in text
    assert "2 children" in details
    assert child_names(path) == ["Sam", "Noa"]
    settle(qtbot, window)


def test_empty_record_can_start_new_deliberately_and_the_backups_stay(
        qtbot: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, notices: Recorder) -> None:
    path = tmp_path / "care-record.sqlite3"
    made = a_record_with_backup(path, "Sam")
    path.write_bytes(b"")
    asked = answers(monkeypatch, Choice.START_NEW)
    window = opening.start_window(path)
    qtbot.addWidget(window)  # type: ignore[attr-defined]
    assert "is empty" in RecordProblem.texts(path, asked.calls[0][2], made, None)[1]
    assert window.context.store.query("SELECT count(*) AS n FROM child") == [{"n": 0}]
    settle(qtbot, window)
    assert [b.path for b in bk.list_backups(path)] == [made.path]  # no empty copy beside it
    assert notices.calls == []


# -- 2. damage found by the full check, off the GUI thread -------------------------------------
def test_index_damage_makes_the_record_read_only_with_a_banner_and_the_backup_restores(
        qtbot: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, notices: Recorder) -> None:
    path = tmp_path / "care-record.sqlite3"
    good = a_record_with_backup(path, "Sam")
    damage_an_index(path)
    backups_before = sorted(p.name for p in bk.backup_folder(path).iterdir())
    window = opening.start_window(path)
    qtbot.addWidget(window)  # type: ignore[attr-defined]
    window.resize(1366, 768)
    window.show()
    qtbot.waitUntil(lambda: checks.banner_of(window) is not None,  # type: ignore[attr-defined]
                    timeout=10_000)
    banner = checks.banner_of(window)
    assert banner is not None
    assert "damaged" in banner.label.text()
    assert banner.use_backup.isVisibleTo(window)
    assert banner.export.isVisibleTo(window)
    window.grab().save(str(tmp_path.parent / "damaged-banner.png"))
    store = window.context.store
    with pytest.raises(ReadOnlyRecordError, match="Nothing was saved"):
        entries.save(store, "child", {"name": "Not saved"})
    window.context.set_active_child(1)  # switching child still works, for the session
    assert sorted(p.name for p in bk.backup_folder(path).iterdir()) == backups_before
    assert notices.calls == []

    patch_classmethod(monkeypatch, ConfirmRestore, "ask", Recorder(True))
    banner.use_backup.click()
    assert checks.banner_of(window) is None
    assert not window.context.store.read_only
    assert bk.check_file(path).ok
    assert child_names(path) == child_names(good.path) == ["Sam"]
    assert len(list(tmp_path.glob("care-record.damaged-*.sqlite3"))) == 1
    entries.save(window.context.store, "child", {"name": "Saved again"})
    assert notices.calls[-1][2] == "The backup is in place"


def test_what_can_still_be_read_is_exported_as_a_sound_record(
        qtbot: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, notices: Recorder) -> None:
    path = tmp_path / "care-record.sqlite3"
    a_record_with_backup(path, "Sam", "Noa")
    damage_an_index(path)
    window = opening.start_window(path)
    qtbot.addWidget(window)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: checks.banner_of(window) is not None,  # type: ignore[attr-defined]
                    timeout=10_000)
    rescued = tmp_path / "rescued.sqlite3"
    patch_classmethod(monkeypatch, ChooseFile, "export_to", Recorder(rescued))
    job = checks.export_readable(window)
    assert job is not None
    qtbot.waitUntil(lambda: job.done, timeout=10_000)  # type: ignore[attr-defined]
    assert notices.calls[-1][2] == "What could be read is saved"
    assert "Saved 2 children" in notices.calls[-1][3]
    assert bk.check_file(rescued).ok
    assert child_names(rescued) == ["Sam", "Noa"]


def test_the_check_runs_off_the_gui_thread(
        qtbot: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, notices: Recorder) -> None:
    path = tmp_path / "care-record.sqlite3"
    a_record_with_backup(path, "Sam")
    real_check = bk.check_file
    threads: list[threading.Thread] = []

    def slow_check(*args: object, **kwargs: object) -> bk.Summary:
        threads.append(threading.current_thread())
        time.sleep(0.8)
        return real_check(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(bk, "check_file", slow_check)
    window = opening.start_window(path)
    qtbot.addWidget(window)  # type: ignore[attr-defined]
    ticks: list[float] = []
    from PySide6.QtCore import QTimer

    timer = QTimer(window)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(20)
    settle(qtbot, window)
    timer.stop()
    assert threads
    assert threads[0] is not threading.main_thread()
    assert len(ticks) >= 10  # the window kept handling events all along
    assert max(b - a for a, b in itertools.pairwise(ticks)) < 0.5
    assert len(bk.list_backups(path)) == 2  # today's daily backup followed the check


# -- 7. read-only file ----------------------------------------------------------------------------
def test_read_only_record_opens_with_a_banner_and_leaves_nothing_behind(
        qtbot: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, notices: Recorder) -> None:
    path = tmp_path / "care-record.sqlite3"
    a_record_with_backup(path, "Sam")
    before = path.read_bytes()
    # root may write anywhere, so tell the store what an ordinary user's system would say
    monkeypatch.setattr(store_module, "_writable", lambda _path: False)
    window = opening.start_window(path)
    qtbot.addWidget(window)  # type: ignore[attr-defined]
    banner = checks.banner_of(window)
    assert banner is not None
    assert "read-only" in banner.label.text()
    assert not banner.use_backup.isVisibleTo(window)
    assert not banner.export.isVisibleTo(window)
    assert window.context.store.read_only
    window.context.store.close()
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(".lock")) == [
        "backups", "care-record.sqlite3"]


# -- 9. the sample record's temporary folder ---------------------------------------------------
def test_sample_record_folder_is_removed_on_exit(tmp_path: Path) -> None:
    script = ("import sys; from nbcompanion.ui.opening import open_demo_store; "
              "print(open_demo_store().path.parent)")
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         env=env, timeout=120, check=True).stdout.strip()
    assert Path(out).parent == tmp_path
    assert not Path(out).exists()


def test_sample_record_folders_left_by_a_crash_are_removed_at_next_start(tmp_path: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    stale = tmp_path / f"{opening.DEMO_PREFIX}{dead}-abc"
    live = tmp_path / f"{opening.DEMO_PREFIX}{os.getpid()}-def"
    for folder in (stale, live):
        folder.mkdir()
        (folder / "sample-record.sqlite3").write_bytes(b"x")
    assert opening.clean_stale_demo_folders(tmp_path) == [stale]
    assert live.exists()
    assert not stale.exists()


def test_a_read_only_folder_opens_the_record_read_only_without_a_lock(
        qtbot: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, notices: Recorder) -> None:
    from nbcompanion.record.store import opening_error
    from nbcompanion.ui.safety.lock import RecordLock

    path = tmp_path / "care-record.sqlite3"
    a_record_with_backup(path, "Sam")

    def no_lock(_cls: object, where: Path, *args: object) -> None:
        raise opening_error(where, PermissionError(13, "Permission denied"))

    monkeypatch.setattr(RecordLock, "acquire", classmethod(no_lock))
    monkeypatch.setattr(opening, "_read_only_folder", lambda _path: True)
    window = opening.start_window(path)
    qtbot.addWidget(window)  # type: ignore[attr-defined]
    assert window.context.store.read_only
    banner = checks.banner_of(window)
    assert banner is not None
    assert "read-only" in banner.label.text()
    assert [r["name"] for r in window.context.store.query("SELECT name FROM child")] == ["Sam"]


def test_restore_from_the_menu_works_on_a_damaged_record(
        qtbot: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, notices: Recorder) -> None:
    from nbcompanion.ui.safety.restore_dialog import restore_into

    path = tmp_path / "care-record.sqlite3"
    good = a_record_with_backup(path, "Sam")
    damage_an_index(path)
    window = opening.start_window(path)
    qtbot.addWidget(window)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: checks.banner_of(window) is not None,  # type: ignore[attr-defined]
                    timeout=10_000)
    restore_into(window.context, good.path)
    assert checks.banner_of(window) is None
    assert not window.context.store.read_only
    assert bk.check_file(path).ok
    assert [b.path for b in bk.list_backups(path)] == [good.path]  # no damaged copy joined
    assert len(list(tmp_path.glob("care-record.damaged-*.sqlite3"))) == 1
