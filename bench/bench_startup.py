"""Start-up benchmark: time to a shown main window vs a bare PySide6 QMainWindow.

"Shown" is the window's first paint. Each measurement runs in a fresh Python process (so
imports are counted), both kinds in the same run, alternating. Prints medians and the
ratio (aim: at most 1.5×). Run with
``QT_QPA_PLATFORM=offscreen python bench/bench_startup.py [runs]``.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

PAINT = r"""
from PySide6.QtCore import QEvent, QObject


class FirstPaint(QObject):
    painted = False

    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            FirstPaint.painted = True
        return False


def wait_for_paint(app):
    app.installEventFilter(watcher := FirstPaint())
    while not FirstPaint.painted:
        app.processEvents()
    app.removeEventFilter(watcher)
"""

BARE = r"""
import json, time
t0 = time.perf_counter()
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
""" + PAINT + r"""
window = QMainWindow()
window.resize(1200, 800)
window.show()
wait_for_paint(app)
print(json.dumps({"shown": time.perf_counter() - t0}))
"""

APP = r"""
import json, time
t0 = time.perf_counter()
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication
app = QApplication([])
""" + PAINT + r"""
t_store = time.perf_counter()
QCoreApplication.setOrganizationName("nbcompanion-bench")
QCoreApplication.setApplicationName("nbcompanion-bench")
from nbcompanion.record.store import Store
t_store = time.perf_counter() - t_store
from nbcompanion.ui.context import AppContext
from nbcompanion.ui.main_window import MainWindow
window = MainWindow(AppContext(Store.memory()))
first = window.current_page_key()
if first != "reference":
    window.show_page("reference")
window.show()
wait_for_paint(app)
shown = time.perf_counter() - t0
page = window.page("reference")
while page.current_section_id is None:
    app.processEvents()
print(json.dumps({"shown": shown, "reference_ready": time.perf_counter() - t0,
                  "first_page": first, "store_import": t_store}))
"""

PAGE_ONLY = r"""
import json, time
t0 = time.perf_counter()
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
""" + PAINT + r"""
QCoreApplication.setOrganizationName("nbcompanion-bench")
QCoreApplication.setApplicationName("nbcompanion-bench")
from nbcompanion.ui.context import AppContext
from nbcompanion.ui.reference.page import ReferencePage
window = QMainWindow()
page = ReferencePage(AppContext(None), window)  # the reference page never reads the record
window.setCentralWidget(page)
window.resize(1200, 800)
window.show()
wait_for_paint(app)
shown = time.perf_counter() - t0
while page.current_section_id is None:
    app.processEvents()
print(json.dumps({"shown": shown, "reference_ready": time.perf_counter() - t0}))
"""


def run(code: str, env: dict[str, str]) -> tuple[float, dict[str, object]]:
    """Run ``code`` in a fresh interpreter; (wall seconds, what it printed)."""
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=env, check=True)
    wall = time.perf_counter() - start
    return wall, json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    """Measure and print."""
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    home = tempfile.mkdtemp(prefix="nbcompanion-bench-")
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
               HOME=home, XDG_CONFIG_HOME=f"{home}/config", XDG_DATA_HOME=f"{home}/data")
    bare_wall, bare_in, app_wall, app_in, app_ready, store = [], [], [], [], [], []
    page_in, page_ready = [], []
    first_page = ""
    run(BARE, env)  # warm the file cache once for both
    run(APP, env)
    for _ in range(runs):
        wall, data = run(BARE, env)
        bare_wall.append(wall)
        bare_in.append(float(data["shown"]))  # type: ignore[arg-type]
        wall, data = run(APP, env)
        app_wall.append(wall)
        app_in.append(float(data["shown"]))  # type: ignore[arg-type]
        app_ready.append(float(data["reference_ready"]))  # type: ignore[arg-type]
        store.append(float(data["store_import"]))  # type: ignore[arg-type]
        first_page = str(data["first_page"])
        _wall, data = run(PAGE_ONLY, env)
        page_in.append(float(data["shown"]))  # type: ignore[arg-type]
        page_ready.append(float(data["reference_ready"]))  # type: ignore[arg-type]
    med = statistics.median
    print(f"runs: {runs} of each, fresh process each, QT_QPA_PLATFORM={env['QT_QPA_PLATFORM']}")
    print(f"first page of the window: {first_page} (the window was shown on 'reference')")
    print(f"bare QMainWindow   shown: {med(bare_in) * 1000:7.1f} ms in-process, "
          f"{med(bare_wall) * 1000:7.1f} ms process wall")
    print(f"nbcompanion window shown: {med(app_in) * 1000:7.1f} ms in-process, "
          f"{med(app_wall) * 1000:7.1f} ms process wall")
    print(f"  of which importing nbcompanion.record.store (sqlite-utils): "
          f"{med(store) * 1000:7.1f} ms")
    print(f"reference page filled (summary on screen): {med(app_ready) * 1000:7.1f} ms")
    print(f"QMainWindow + Reference page only (no record, no other pages): shown "
          f"{med(page_in) * 1000:7.1f} ms, summary on screen {med(page_ready) * 1000:7.1f} ms, "
          f"ratio shown {med(page_in) / med(bare_in):.2f}x")
    print(f"ratio shown (in-process): {med(app_in) / med(bare_in):.2f}x   "
          f"ratio (process wall): {med(app_wall) / med(bare_wall):.2f}x   aim <= 1.5x")


if __name__ == "__main__":
    main()
