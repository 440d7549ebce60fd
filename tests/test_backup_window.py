"""The Restore window and the File menu's record actions (New, Open, Export, Restore)."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMainWindow

from nbcompanion.record import backup as bk
from nbcompanion.record.errors import RecordInUseError
from nbcompanion.record.store import open_store
from nbcompanion.ui import opening
from nbcompanion.ui.safety import menu
from nbcompanion.ui.safety.dialogs import ChooseFile, ConfirmRestore
from nbcompanion.ui.safety.lock import RecordLock, release_all
from nbcompanion.ui.safety.restore_dialog import RestoreDialog
from test_backup_helpers import Recorder, add_child, patch_classmethod

pytestmark = pytest.mark.usefixtures("safe_gui")  # conftest.py


@pytest.fixture
def window(qtbot: object, tmp_path: Path, notices: Recorder,
           monkeypatch: pytest.MonkeyPatch) -> Iterator[QMainWindow]:
    """The app's window on a record with two days of backups: Monday (Ann) and Tuesday
    (Ann, Ben); today's record holds Ann, Ben and Cleo."""
    path = tmp_path / "data" / "care-record.sqlite3"
    store = open_store(path)
    monday = datetime.now().replace(microsecond=0) - timedelta(days=2)
    add_child(store, "Ann")
    bk.create_backup(store, now=monday)
    add_child(store, "Ben")
    bk.create_backup(store, now=monday + timedelta(days=1))
    add_child(store, "Cleo")
    store.close()
    monkeypatch.setattr(opening, "BACKUP_DELAY_MS", 0)
    main = opening.start_window(path)
    assert main is not None
    qtbot.addWidget(main)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: len(bk.list_backups(path)) == 3)  # type: ignore[attr-defined]
    notices.calls.clear()
    yield main
    main.close()


def names(main: QMainWindow) -> list[str]:
    """The children in the window's open record."""
    return [row["name"] for row in main.context.store.query("SELECT name FROM child ORDER BY id")]


def test_file_menu_has_the_record_actions_above_quit(window: QMainWindow) -> None:
    texts = [a.text() for a in window.menus["file"].actions() if not a.isSeparator()]
    start = texts.index("&New record…")
    assert texts[start:start + 4] == ["&New record…", "&Open record…", "&Export backup…",
                                      "&Restore from a backup…"]
    assert texts[-1] == "&Quit"


def test_restore_window_lists_backups_with_date_and_contents(window: QMainWindow) -> None:
    dialog = RestoreDialog(window.context, window)
    rows = [[dialog.table.topLevelItem(r).text(c) for c in range(6)]
            for r in range(dialog.table.topLevelItemCount())]
    # today's daily backup (made at start), then Tuesday's and Monday's
    assert [row[2] for row in rows] == ["3", "2", "1"]
    assert all(row[1] == "Daily backup" and row[5] == "Good" for row in rows)
    monday = bk.list_backups(window.context.store.path)[-1].created
    assert rows[-1][0] == f"{monday:%A} {monday.day} {monday:%B %Y, %H:%M}"
    assert dialog.restore_button.isEnabled()
    dialog.deleteLater()


def test_restore_after_confirmation_backs_up_first_and_switches(
    window: QMainWindow, monkeypatch: pytest.MonkeyPatch, qtbot: object, notices: Recorder
) -> None:
    path = window.context.store.path
    confirm = Recorder(True)
    patch_classmethod(monkeypatch, ConfirmRestore, "ask", confirm)
    dialog = RestoreDialog(window.context, window)
    dialog.table.setCurrentItem(dialog.table.topLevelItem(2))  # Monday: Ann only
    with qtbot.waitSignal(window.context.store_replaced):  # type: ignore[attr-defined]
        dialog.restore_button.click()
    assert confirm.calls[0][2].children == 1
    assert names(window) == ["Ann"]
    safety = [b for b in bk.list_backups(path) if b.reason == bk.BEFORE_RESTORE]
    assert len(safety) == 1
    assert bk.check_file(safety[0].path).children == 3  # nothing lost
    [(_, kind, title, _text)] = notices.calls
    assert (kind, title) == ("info", "Backup restored")
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with pytest.raises(RecordInUseError):  # still ours alone
        RecordLock.acquire(path)
    add_child(window.context.store, "Dan")  # the restored record takes new entries
    assert names(window) == ["Ann", "Dan"]


def test_declined_restore_changes_nothing(window: QMainWindow,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    patch_classmethod(monkeypatch, ConfirmRestore, "ask", Recorder(False))
    store = window.context.store
    dialog = RestoreDialog(window.context, window)
    dialog.table.setCurrentItem(dialog.table.topLevelItem(2))
    dialog.restore_button.click()
    assert window.context.store is store
    assert names(window) == ["Ann", "Ben", "Cleo"]
    assert all(b.reason == bk.DAILY for b in bk.list_backups(store.path))


def test_export_then_restore_from_that_file_on_another_computer(
    window: QMainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, qtbot: object,
    notices: Recorder
) -> None:
    exported = tmp_path / "usb" / "ours.sqlite3"
    exported.parent.mkdir()
    patch_classmethod(monkeypatch, ChooseFile, "export_to", Recorder(exported))
    window.findChild(type(window.menus["file"].actions()[0]), "action_export_backup").trigger()
    assert sorted(p.name for p in exported.parent.iterdir()) == ["ours.sqlite3"]
    [(_, kind, _title, text)] = notices.calls
    assert kind == "info"
    assert str(exported) in text
    assert "Restore from a file" in text
    window.close()
    release_all()

    # The second caregiver's laptop: a fresh, empty record.
    laptop = opening.start_window(tmp_path / "laptop" / "care-record.sqlite3")
    qtbot.addWidget(laptop)  # type: ignore[attr-defined]
    assert names(laptop) == []
    patch_classmethod(monkeypatch, ChooseFile, "backup_file", Recorder(exported))
    patch_classmethod(monkeypatch, ConfirmRestore, "ask", Recorder(True))
    dialog = RestoreDialog(laptop.context, laptop)
    dialog.from_file_button.click()
    assert names(laptop) == ["Ann", "Ben", "Cleo"]
    assert exported.exists()


def test_restore_from_a_file_that_is_not_a_record_is_refused(
    window: QMainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, notices: Recorder
) -> None:
    letter = tmp_path / "letter.sqlite3"
    letter.write_text("not a record")
    patch_classmethod(monkeypatch, ChooseFile, "backup_file", Recorder(letter))
    store = window.context.store
    RestoreDialog(window.context, window).from_file_button.click()
    [(_, kind, title, _text)] = notices.calls
    assert (kind, title) == ("error", "This file cannot be restored")
    assert window.context.store is store
    assert names(window) == ["Ann", "Ben", "Cleo"]


def test_open_record_switches_file_and_lock(window: QMainWindow, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    old = window.context.store.path
    other = tmp_path / "other.sqlite3"
    store = open_store(other)
    add_child(store, "Robin")
    store.close()
    patch_classmethod(monkeypatch, ChooseFile, "open_record", Recorder(other))
    assert menu.open_other_record(window)
    assert window.context.store.path == other
    assert names(window) == ["Robin"]
    RecordLock.acquire(old).release()  # the old record is free again
    with pytest.raises(RecordInUseError):
        RecordLock.acquire(other)


def test_opening_the_record_already_shown_does_nothing(
    window: QMainWindow, monkeypatch: pytest.MonkeyPatch, notices: Recorder
) -> None:
    store = window.context.store
    patch_classmethod(monkeypatch, ChooseFile, "open_record", Recorder(store.path))
    assert not menu.open_other_record(window)
    assert window.context.store is store
    assert notices.calls[0][2] == "Already open"


def test_new_record_starts_empty_and_never_replaces_a_file(
    window: QMainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, notices: Recorder
) -> None:
    taken = tmp_path / "taken.sqlite3"
    taken.write_text("keep me")
    fresh = tmp_path / "fresh" / "new.sqlite3"
    patch_classmethod(monkeypatch, ChooseFile, "new_record", Recorder(taken, fresh))
    assert not menu.new_record(window)
    assert taken.read_text() == "keep me"
    assert notices.calls[0][2] == "That file already exists"
    assert menu.new_record(window)
    assert window.context.store.path == fresh
    assert names(window) == []
