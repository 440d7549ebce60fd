"""Sharing from the window: start, a round in a child process, status, conflicts, stop."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMainWindow, QMessageBox

from nbcompanion.record import entries
from nbcompanion.record.store import open_store
from nbcompanion.sync import engine
from nbcompanion.ui import opening, sharing
from nbcompanion.ui.safety.lock import release_all
from test_backup_helpers import block_modals, patch_classmethod

PASSPHRASE = "our family passphrase"


@pytest.fixture(autouse=True)
def _keyless(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    monkeypatch.delenv(engine.PASSPHRASE_ENV, raising=False)
    monkeypatch.delenv(engine.KEY_ENV, raising=False)
    monkeypatch.setattr(sharing, "FIRST_ROUND_AFTER_MS", 60 * 60 * 1000)


@pytest.fixture
def window(qtbot: object, record: Path, monkeypatch: pytest.MonkeyPatch
           ) -> Iterator[QMainWindow]:
    block_modals(monkeypatch)
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Yes)
    main = opening.start_window(record)
    assert main is not None
    qtbot.addWidget(main)  # type: ignore[attr-defined]
    yield main
    release_all()


def _action(window: QMainWindow, text: str) -> object:
    for action in window.menus["file"].actions():  # type: ignore[attr-defined]
        if action.text().replace("&", "").startswith(text):
            return action
    raise AssertionError(f"no File action {text!r}")


def test_share_sync_conflict_and_stop_from_the_window(
        window: QMainWindow, qtbot: object, record: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "Shared"
    patch_classmethod(monkeypatch, sharing.ShareDialog, "ask", lambda *a: sharing.ShareChoice(
        folder, "Mum's laptop", PASSPHRASE, joining=False))
    _action(window, "Share this record").trigger()  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: (folder / "family.json").exists()  # type: ignore[attr-defined]
                    and window.context.store.get_setting(engine.FOLDER) is not None,
                    timeout=30_000)
    runner = window.sync_runner  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: not runner.status.isHidden())  # type: ignore[attr-defined]

    # Dad joins from his laptop and changes the child's notes and a question.
    dad = tmp_path / "dad.sqlite3"
    engine.join_sharing(dad, folder, PASSPHRASE, "Dad's laptop")
    dad_store = open_store(dad)
    child = dad_store.query("SELECT id FROM child")[0]["id"]
    entries.save(dad_store, "child", {"notes": "Dad's note"}, child)
    dad_store.close()
    engine.sync_round(dad, engine.key_for(dad, PASSPHRASE))
    entries.save(window.context.store, "child", {"notes": "Mum's note"}, child)

    # No keyring here: the window asks for the passphrase once, then runs the round.
    asked: list[str] = []
    patch_classmethod(monkeypatch, sharing.PassphraseDialog, "ask",
                      lambda *a: asked.append("asked") or PASSPHRASE)
    runner.sync_now()
    qtbot.waitUntil(lambda: runner.last_summary is not None,  # type: ignore[attr-defined]
                    timeout=30_000)
    assert asked == ["asked"]
    assert "Dad's laptop" in runner.status.text()
    assert runner.notice is not None
    assert "changed on two laptops" in runner.notice.findChild(sharing.QLabel).text()

    dialog = sharing.ConflictsDialog(window, runner)
    conflicts = engine.open_conflicts(window.context.store.conn)
    assert [c.field for c in conflicts] == ["notes"]
    dialog._settle(conflicts[0], "Dad's note")
    assert window.context.store.query(
        "SELECT notes FROM child WHERE id = ?", [child])[0]["notes"] == "Dad's note"
    qtbot.waitUntil(lambda: runner.process is None, timeout=30_000)  # type: ignore[attr-defined]
    assert runner.notice is None

    _action(window, "Stop sharing").trigger()  # type: ignore[attr-defined]
    assert window.context.store.get_setting(engine.FOLDER) is None
    assert runner.status.isHidden()
    conn = sqlite3.connect(record)
    triggers = conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall()
    conn.close()
    assert triggers == []


def test_share_dialog_checks_before_accepting(qtbot: object, tmp_path: Path) -> None:
    dialog = sharing.ShareDialog(None)
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    dialog.passphrase.setText("short")
    dialog._check()
    assert "Please choose the shared folder." in dialog.error.text()
    assert "at least 8 characters" in dialog.error.text()
    assert dialog.result() != sharing.QDialog.DialogCode.Accepted
    folder = tmp_path / "Shared"
    folder.mkdir()
    (folder / "family.json").write_text("{}")
    dialog.folder.setText(str(folder))
    assert dialog.joining
    assert dialog.buttons.button(dialog.buttons.StandardButton.Ok).text() == "&Join"


def test_status_words() -> None:
    from datetime import datetime

    text = sharing.status_text({"laptops": {"a": "Mum", "b": "Dad"},
                                "changes_from": {"Mum": 3}}, datetime(2026, 12, 2, 9, 5))
    assert text == "Shared · last synced 09:05 · 2 laptops · 3 changes from Mum"
