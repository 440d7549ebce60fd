"""What the start of the app does before and just after the window's first paint."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from nbcompanion.record import queries
from nbcompanion.record.store import now_iso
from nbcompanion.ui import opening
from nbcompanion.ui.safety.lock import release_all


def test_menus_reminders_and_the_reference_index_come_after_the_first_paint(
        qtbot, tmp_path: Path) -> None:
    window = opening.start_window(tmp_path / "care-record.sqlite3", finish_after_paint=True)
    assert window is not None
    qtbot.addWidget(window)
    file_titles = [a.text() for a in window.menus["file"].actions() if not a.isSeparator()]
    assert file_titles == ["&Quit"]  # nothing but what the first paint shows
    assert not hasattr(window, "reminder_bar")
    with qtbot.waitSignal(window.setup_finished, timeout=5000):
        window.show()
    file_titles = [a.text() for a in window.menus["file"].actions() if not a.isSeparator()]
    assert "&New record…" in file_titles
    assert hasattr(window, "reminder_bar")
    # The reference and its search index are built on a worker thread, then handed over.
    qtbot.waitUntil(lambda: window.context._library is not None, timeout=15000)
    assert window.context.library.index is not None
    assert window.context.library.search("stem cell")
    window.close()
    release_all()


def test_the_library_waits_for_the_worker_instead_of_building_twice(qtbot, store) -> None:
    from nbcompanion.ui.context import AppContext

    context = AppContext(store)
    context.prepare_library_soon()
    library = context.library  # asked for at once: waits for the worker's result
    assert library is not None
    qtbot.waitUntil(lambda: context._library_job.done, timeout=15000)
    assert context.library is library
    context.stop_background_work()


def test_the_sample_is_built_once_a_day_and_each_start_gets_its_own_copy(
        tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = opening.open_demo_store(cache)
    kept = list(cache.glob("sample-*.sqlite3"))
    assert len(kept) == 1
    second = opening.open_demo_store(cache)
    assert second.path != first.path
    assert [c["name"] for c in queries.children(second)] == [
        c["name"] for c in queries.children(first)]
    with second.transaction() as db:  # a change in one copy stays in that copy
        db["child"].insert({"name": "Only here", "created_at": now_iso(),
                            "updated_at": now_iso()})
    third = opening.open_demo_store(cache)
    assert "Only here" not in [c["name"] for c in queries.children(third)]
    for store in (first, second, third):
        store.close()


def test_a_damaged_cached_sample_is_built_afresh(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    opening.open_demo_store(cache).close()
    [kept] = cache.glob("sample-*.sqlite3")
    kept.write_bytes(b"not a record at all")
    store = opening.open_demo_store(cache)
    assert queries.children(store)
    store.close()


def test_quitting_while_the_index_is_being_built_leaves_no_thread_running(
        tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from PySide6.QtCore import QEvent, QObject, QTimer\n"
        "from PySide6.QtWidgets import QApplication, QMainWindow\n"
        "class Quit(QObject):\n"
        "    def eventFilter(self, obj, event):\n"
        "        if event.type() == QEvent.Type.Paint and isinstance(obj, QMainWindow):\n"
        "            QTimer.singleShot(450, QApplication.instance().quit)\n"
        "        return False\n"
        "app = QApplication(['nbcompanion'])\n"
        "watch = Quit(); app.installEventFilter(watch)\n"
        "from nbcompanion.app import main\n"
        "sys.exit(main(sys.argv[1:]))\n")
    env_home = tmp_path / "home"
    result = subprocess.run(
        [sys.executable, "-c", code, "--data", str(tmp_path / "r.sqlite3")],
        capture_output=True, text=True, timeout=60,
        env={"QT_QPA_PLATFORM": "offscreen", "HOME": str(env_home), "PYTHONDONTWRITEBYTECODE": "1",
             "XDG_CONFIG_HOME": str(env_home / "config"),
             "XDG_DATA_HOME": str(env_home / "data"),
             "PYTHONPATH": str(Path(opening.__file__).resolve().parents[2])})
    assert result.returncode == 0, result.stderr
    assert "Destroyed while thread" not in result.stderr
