"""The entry point: command line, start on a record file, and a clean exit."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

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


MAIN = r"""
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from nbcompanion import app

def look_then_quit():
    window = next(w for w in QApplication.topLevelWidgets() if w.isVisible())
    print("TITLE", window.windowTitle(), flush=True)
    window.close()
    QApplication.instance().quit()

qt = QApplication(["nbcompanion"])  # main() uses this one; the timer needs it to exist
QTimer.singleShot(500, look_then_quit)
sys.exit(app.main(["--data", sys.argv[1]]))
"""


def test_main_opens_the_record_shows_the_window_and_closes_the_record(tmp_path: Path) -> None:
    # In its own process: main() runs and quits a QApplication of its own.
    path = tmp_path / "care-record.sqlite3"
    home = tmp_path / "home"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(home),
           "XDG_CONFIG_HOME": str(home / "config"), "XDG_DATA_HOME": str(home / "data")}
    result = subprocess.run([sys.executable, "-c", MAIN, str(path)], capture_output=True,
                            text=True, timeout=120, env=env, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "TITLE Neuroblastoma Caregiver Companion" in result.stdout
    # The record was created, closed cleanly (journal checkpointed) and opens again.
    wal = Path(str(path) + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    open_store(path).close()
