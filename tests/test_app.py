"""The entry point: command line, start on a record file, and a clean exit."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from nbcompanion import __version__, app
from nbcompanion.record.store import open_store


def test_command_line_options() -> None:
    args = app.parse_args(["--data", "/tmp/x.sqlite3", "--demo"])
    assert args.data == Path("/tmp/x.sqlite3")
    assert args.demo is True
    assert app.parse_args([]).data is None


def test_python_dash_m_prints_the_version() -> None:
    result = subprocess.run([sys.executable, "-m", "nbcompanion", "--version"],
                            capture_output=True, text=True, check=True, timeout=60)
    assert __version__ in result.stdout


def test_main_opens_the_record_shows_the_window_and_closes_the_record(
    qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "care-record.sqlite3"
    seen: list[str] = []

    def look_then_quit() -> None:
        window = QApplication.activeWindow() or next(
            w for w in QApplication.topLevelWidgets() if w.isVisible())
        seen.append(window.windowTitle())
        window.close()
        qapp.quit()

    QTimer.singleShot(300, look_then_quit)
    assert app.main(["--data", str(path)]) == 0
    assert len(seen) == 1
    assert seen[0].startswith("Neuroblastoma Companion")
    # The record was created, closed cleanly (no journal left) and can be opened again.
    assert path.exists()
    assert not Path(str(path) + "-wal").exists() or Path(str(path) + "-wal").stat().st_size == 0
    open_store(path).close()
