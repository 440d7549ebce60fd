"""Start-up benchmark: the whole app process against a bare PySide6 window, in pairs.

What a family feels is the time from double-clicking the app until its window is there.
So each run is a whole fresh interpreter, timed from outside (process start to exit): the
imports, opening the record, building the window, its first paint, and quitting. A bare
PySide6 script (an empty ``QMainWindow``, shown, painted, quit) runs just before every app
run, and each app run is divided by its own bare run; the median of these paired ratios is
compared with the aim (≤ 1.3×). Pairing matters here: the machine is shared, absolute times
swing by ±50 %, the ratios far less.

Three records: an empty one, the sample (``--demo``, which builds the sample record in a
temporary file, as a family trying the app would) and the big ten-year record of
``generate_record.py``. The app runs through ``nbcompanion.app.main`` exactly as
``nbcompanion --data FILE`` does, with ``NBCOMPANION_QUIT_WHEN_SHOWN`` set: an event filter on
the main window quits once it has painted (the bare script puts the same filter on its
window).

Byte-code: the environment here sets ``PYTHONDONTWRITEBYTECODE``, which makes every run
recompile every module (~90 ms for the app). An installed app has its ``.pyc`` files, so
the bench lets Python keep them (in a temporary ``PYTHONPYCACHEPREFIX``) and warms up once.

Profile (2026-12-02, big record, ``python -X importtime`` and ``cProfile`` of the start,
unloaded machine): before this work the window painted after ~520 ms against ~150 ms bare.
- PySide6 itself (QtCore/QtGui/QtWidgets, the signature loader): ~140 ms, in both.
- PySide6 makes each Qt enum type a Python enum the first time its class is used
  (``enum._create_``, ~0.35 ms each): the bare window makes 49, the app ~350, ~100 ms in
  all; touching the ``Qt`` namespace alone makes 93, ``QListWidget`` 15, ``QFont`` 8.
  This is most of what is left between the app and a bare window.
- Imports: ``ui.opening`` pulled in ``record.backup`` (zipfile, shutil) and the problem
  dialogs; Home pulled in the Medicines, Diary and Questions pages and the forms
  (~45 ms); the menu installers pulled in their pages (~35 ms). Now: backup and dialogs
  load when used, Home's doses widget lives in ``ui/daily/doses.py``, and the menu actions,
  the reminder bar and a worker thread building the reference index start just after the
  first paint (``MainWindow(finish_after_paint=True)``).
- Home on the big record: ~100 ms (29 latest results as 145 labels, each styled by its
  own style sheet, inside cards whose style sheet put every label under Qt's style-sheet
  style). Now fonts and palettes instead of style sheets, and cards paint their own frame:
  ~50 ms.
- ``open_store``'s ``quick_check``: ~30 ms on the big record (kept: a damaged record must
  never be written to).
- ``--demo`` built the sample record at every start (~400 ms with sqlite-utils' import);
  now it is built once a day into the cache folder and copied (~40 ms).
- A global event filter (Ctrl+D in text fields) ran for every event of the app (6,000
  calls before the first paint); it now watches only the focused widget.

Second pass (2026-12-02; judged by counts, not wall time: enum types made, modules loaded at
the first paint, CPU time from ``getrusage``; the machine was shared, bare window ~215 ms):
- The bench: its quit filter sat on the whole application, and a Python filter there makes
  PySide wrap every object that gets an event (QListWidget's private model too): ~85 enum
  types (~30 ms) that the app paid and a family's start never does, against 4 for the bare
  window. It now sits on the main window (see ``QUIT_AFTER_PAINT``).
- Quitting right after the first paint still ran the menu set-up (every page's module,
  ~50 ms CPU) once the window had closed, and ``closeEvent`` imported the forms to find no
  form open: both are skipped now. Home imported ``trend_units`` for two rounding helpers,
  which loaded the charts and ``qtfix`` (ctypes): ~20 ms for the sample and big record; the
  helpers live in ``record.measures``. ``socket`` (lock) and ``secrets`` (random ids) load
  when used. Modules loaded at the first paint: 244/253/253 → 234 (bare 146); enum types
  in the whole process: ~365 → 238–243 (bare 46), all of them before the first paint.
- Ratios (9 pairs): 2.38×/2.66×/3.33× (empty/sample/big, old code and harness) →
  2.16×/2.42×/3.29× (new code, old harness) → 1.94×/2.36×/2.56× (new code and harness).
  CPU to exit, median of 7: bare ~180 ms, app 436/458/550 → 336/442/509 ms (noisy).
What is left, and why:
- The ``Qt`` namespace: 93 enum types at once (~28 ms; ``Qt.Key`` alone 5 ms). PySide 6.11
  makes a class's enum types all together the first time the class is touched, and the
  namespace is touched by any ``from PySide6.QtCore import Qt`` (10 modules on the way to
  the first paint) and even by overload resolution (``QPalette(palette)`` and
  ``QColor(a_qcolor)`` weigh ``Qt.GlobalColor``; ``copy.copy`` does not). It cannot wait
  for the paint: PySide refuses plain ints for enum arguments (``setAlignment(4)`` is a
  TypeError) and the navigation and Home's links need ``Qt`` values (item role, text
  format, interaction flags, focus policy) to be right when first painted.
- About 50 other enum types (item views, QFont, QPainter, QStyle…; ~18 ms).
- PySide's ``__feature__`` hook reads the source of each module imported after QtCore
  (``inspect.getsource``, ~0.16 ms a module; ~25 ms for the big record's 158). Importing
  pure-Python modules before PySide does not help: the check runs the first time any
  import statement after the hook names a module, wherever it was loaded (``os`` and
  ``sys`` are checked too); only loading fewer modules does.
- babel's locale data, loaded with Home's first date (~19 ms, sample and big record).
- ``quick_check`` (~30 ms, big record) stays before the window: after the first paint,
  Home would be built from a file not yet known to be sound, the window would turn
  writable later, and the damaged-file choices (made for the start) would come from a
  live window: not simple, so not safe enough.

Run with ``QT_QPA_PLATFORM=offscreen python bench/bench_startup.py [pairs]`` (default 9).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

AIM_RATIO = 1.3

#: Quits once the watched window has painted, as ``NBCOMPANION_QUIT_WHEN_SHOWN`` makes the app
#: do (``nbcompanion.app._quit_after_first_paint``): a filter on that one window, never on
#: the whole application. A Python filter on the application sees every event of every
#: object, so PySide wraps objects the app never hands to Python (QListWidget's private
#: model, say) and resolving their types made ~85 more enum types in the app than a family's
#: start ever does (~30 ms), against 4 in the bare window.
QUIT_AFTER_PAINT = r"""
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow


class QuitAfterPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            obj.removeEventFilter(self)
            QTimer.singleShot(0, QApplication.quit)
        return False


_app = QApplication.instance() or QApplication([__import__("sys").argv[0]])
"""

BARE = QUIT_AFTER_PAINT + r"""
window = QMainWindow()
window.resize(1200, 800)
window.installEventFilter(QuitAfterPaint(window))
window.show()
_app.exec()
"""

#: Run with ``NBCOMPANION_QUIT_WHEN_SHOWN=1``, which installs the same filter on its window.
APP = r"""
import sys
from nbcompanion.app import main
sys.exit(main(sys.argv[1:]))
"""


def run(code: str, env: dict[str, str], *args: str) -> float:
    """Seconds from starting a fresh interpreter on ``code`` until it has exited."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code, *args], env=env, check=True, timeout=60,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def prepare_records(folder: Path) -> dict[str, list[str]]:
    """Command lines for an empty record, the sample and the big generated record."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from generate_record import generate
    from nbcompanion.record.store import open_store

    empty, big = folder / "empty.sqlite3", folder / "big.sqlite3"
    open_store(empty).close()
    counts = generate(big)
    print(f"big record: {counts['test_value']:,} results, {counts['visit']:,} visits")
    return {"empty record": ["--data", str(empty)], "sample (--demo)": ["--demo"],
            "big record": ["--data", str(big)]}


def main() -> None:
    """Measure the pairs and print aim / measured / ok|MISS for each record."""
    pairs = int(sys.argv[1]) if len(sys.argv) > 1 else 9
    home = Path(tempfile.mkdtemp(prefix="nbcompanion-bench-"))
    env = {key: value for key, value in os.environ.items()
           if key != "PYTHONDONTWRITEBYTECODE"}
    env.update(QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
               HOME=str(home), XDG_CONFIG_HOME=f"{home}/config",
               XDG_DATA_HOME=f"{home}/data", XDG_CACHE_HOME=f"{home}/cache",
               PYTHONPYCACHEPREFIX=f"{home}/pycache", NBCOMPANION_QUIT_WHEN_SHOWN="1")
    records = prepare_records(home)
    run(BARE, env)  # compile and cache once, like an installed app
    for args in records.values():
        run(APP, env, *args)
    bare: list[float] = []
    app: dict[str, list[float]] = {name: [] for name in records}
    ratios: dict[str, list[float]] = {name: [] for name in records}
    for _ in range(pairs):
        for name, args in records.items():
            baseline = run(BARE, env)
            measured = run(APP, env, *args)
            bare.append(baseline)
            app[name].append(measured)
            ratios[name].append(measured / baseline)
    med = statistics.median
    print(f"{pairs} pairs per record, whole process (start to exit), "
          f"QT_QPA_PLATFORM={env['QT_QPA_PLATFORM']}; {os.cpu_count()} cores, shared")
    print(f"bare PySide6 QMainWindow: median {med(bare) * 1000:.0f} ms "
          f"(min {min(bare) * 1000:.0f}, max {max(bare) * 1000:.0f})")
    for name in records:
        ratio = med(ratios[name])
        print(f"start-up, {name:<16} aim <= {AIM_RATIO:.1f}x / measured {ratio:.2f}x "
              f"(app median {med(app[name]) * 1000:.0f} ms) / "
              f"{'ok' if ratio <= AIM_RATIO else 'MISS'}")


if __name__ == "__main__":
    main()
