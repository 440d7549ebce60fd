"""Start-up benchmark: time to a shown main window vs a bare PySide6 QMainWindow.

"Shown" is the window's first paint. Each measurement runs in a fresh Python process (so
imports are counted), all kinds in the same run, alternating, so the machine's load hits
them alike. The app starts the way ``nbcompanion --data FILE`` does (lock, checks, the
first page) on: an empty record, the fictional sample record, and — when
``bench/generate_record.py`` is present — a ten-year record. Prints medians and ratios
(aim: at most 1.5× the bare window; opening a ten-year record adds under 0.3 s).

Run with ``QT_QPA_PLATFORM=offscreen python bench/bench_startup.py [runs]``.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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
import json, sys, time
from pathlib import Path
t0 = time.perf_counter()
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication
app = QApplication([])
QCoreApplication.setOrganizationName("nbcompanion-bench")
QCoreApplication.setApplicationName("nbcompanion-bench")
""" + PAINT + r"""
from nbcompanion.ui.opening import start_window
window = start_window(Path(sys.argv[1]))
window.show()
wait_for_paint(app)
print(json.dumps({"shown": time.perf_counter() - t0, "page": window.current_page_key()}))
"""


def run(code: str, env: dict[str, str], *args: str) -> dict[str, object]:
    """Run ``code`` in a fresh interpreter and return what it printed (JSON)."""
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                         env=env, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def prepare_records(folder: Path) -> dict[str, Path]:
    """An empty record, the sample record and (if the generator exists) a ten-year one."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from nbcompanion.record.demo import build_demo
    from nbcompanion.record.store import open_store

    records = {"empty record": folder / "empty.sqlite3", "sample record": folder / "sample.sqlite3"}
    open_store(records["empty record"]).close()
    store = open_store(records["sample record"])
    build_demo(store)
    store.close()
    try:
        from generate_record import generate  # type: ignore[import-not-found]
    except ImportError:
        return records
    records["ten-year record"] = folder / "ten-years.sqlite3"
    generate(records["ten-year record"])
    return records


def main() -> None:
    """Measure and print."""
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    home = Path(tempfile.mkdtemp(prefix="nbcompanion-bench-"))
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
               HOME=str(home), XDG_CONFIG_HOME=f"{home}/config", XDG_DATA_HOME=f"{home}/data")
    started = time.perf_counter()
    records = prepare_records(home)
    print(f"prepared {', '.join(records)} in {time.perf_counter() - started:.1f} s")
    bare: list[float] = []
    shown: dict[str, list[float]] = {name: [] for name in records}
    run(BARE, env)  # warm the file cache once for all
    for path in records.values():
        run(APP, env, str(path))
    page = ""
    for _ in range(runs):
        bare.append(float(run(BARE, env)["shown"]))  # type: ignore[arg-type]
        for name, path in records.items():
            data = run(APP, env, str(path))
            shown[name].append(float(data["shown"]))  # type: ignore[arg-type]
            page = str(data["page"])
    med = statistics.median
    baseline = med(bare)
    print(f"runs: {runs} of each, fresh process each, QT_QPA_PLATFORM={env['QT_QPA_PLATFORM']}")
    print(f"bare QMainWindow shown:           {baseline * 1000:7.1f} ms")
    for name, times in shown.items():
        print(f"app window on {name:<16} shown: {med(times) * 1000:7.1f} ms   "
              f"ratio {med(times) / baseline:.2f}x (aim <= 1.5x)")
    if "ten-year record" in shown:
        extra = med(shown["ten-year record"]) - med(shown["empty record"])
        print(f"a ten-year record adds {extra * 1000:.0f} ms over an empty one (aim < 300 ms)")
    print(f"first page shown: {page}")


if __name__ == "__main__":
    main()
