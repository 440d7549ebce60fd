"""Big-record views benchmark: what a family waits for in the real window, until repainted.

Every timing starts at the user's action (a header click, a filter change, choosing a test,
coming back to a page, the first search) and stops when the window has processed the
events that action caused, including the repaint: the page's widget must have received
its Paint event. Everything runs in one window of the app (1366x768, offscreen) on the
big record of ``generate_record.py`` (>= 50,000 results, >= 3,000 visits).

Each figure is the median wall time; the CPU time of the process is printed beside it.
Aims (issue 12): tests table sort and filter < 50 ms; Trends, White blood cells < 100 ms;
Home, coming back to it < 30 ms; Questions page, first visit < 100 ms; first search
< 20 ms. Each line prints ``aim / measured / ok|MISS`` (medians). Absolute times on this
shared 2-core machine swing with the other work on it; the medians of several runs are
steadier than any single one.

Profile notes (2026-12-02, cProfile of each action, big record):
- Trends, White blood cells (2,430 values): 834 ms before. The table's
  ``resizeColumnsToContents`` measured every row (Qt's default precision: 1,000 rows),
  the chart parsed 2,430 ISO dates on every paint and made two QPainter calls per point.
  Now the chart keeps the parsed points, decimates to min and max per pixel column
  (``reports/decimate.py``), and draws the line, the range band and the marks as a few
  paths; the table measures its first 200 rows.
- Home coming back: rebuilt all six cards (29 latest results: 145 labels) on every visit;
  now a card is rebuilt only when what it shows has changed.
- Questions first visit: two table views measured every row for their row heights.

Run with ``QT_QPA_PLATFORM=offscreen python bench/bench_views.py [runs]`` (default 7).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate_record import generate
from nbcompanion.record.store import open_store
from nbcompanion.ui.context import AppContext
from nbcompanion.ui.main_window import MainWindow


class PaintSeen(QObject):
    """Counts Paint events of widgets under ``root``."""

    def __init__(self) -> None:
        super().__init__()
        self.root: QWidget | None = None
        self.count = 0

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.Paint and self.root is not None
                and isinstance(obj, QWidget) and (obj is self.root
                                                  or self.root.isAncestorOf(obj))):
            self.count += 1
        return False


WATCH = PaintSeen()


Timing = tuple[float, float]


def until_repainted(root: QWidget, action: Callable[[], object]) -> Timing:
    """Milliseconds from ``action`` until ``root`` (or a child) has repainted: wall clock,
    and this process's CPU time (on a shared machine the wall clock also counts waiting
    for a core; the CPU time does not)."""
    app = QCoreApplication.instance()
    assert app is not None
    app.processEvents()
    WATCH.root, WATCH.count = root, 0
    started, cpu = time.perf_counter(), time.process_time()
    action()
    deadline = started + 10
    while WATCH.count == 0 and time.perf_counter() < deadline:
        app.processEvents()
    app.processEvents()  # what the paint itself posted (layouts settling)
    elapsed = (time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000
    WATCH.root = None
    return elapsed


def line(name: str, aim_ms: float, times: list[Timing]) -> bool:
    """Print ``aim / measured / ok|MISS`` for the median wall time of ``times``."""
    measured = statistics.median(wall for wall, _cpu in times)
    cpu = statistics.median(cpu for _wall, cpu in times)
    ok = measured < aim_ms
    # The verdict is the wall clock's (what a family feels); the CPU time says whether a
    # miss is this code's or the machine's (other jobs holding the cores).
    verdict = "ok" if ok else f"MISS (CPU {'ok' if cpu < aim_ms else 'MISS'})"
    print(f"{name:<46} aim < {aim_ms:4.0f} ms / measured {measured:6.1f} ms "
          f"(CPU {cpu:6.1f}, max {max(wall for wall, _ in times):6.1f}) / {verdict}")
    return ok


def new_window(path: Path) -> MainWindow:
    """A shown, painted main window on the record at ``path``."""
    store = open_store(path)
    window = MainWindow(AppContext(store))
    window.resize(1366, 768)
    window.show()
    QTest.qWaitForWindowExposed(window)
    QCoreApplication.processEvents()
    return window


def close_window(window: MainWindow) -> None:
    """Close ``window`` and its record."""
    window.close()
    window.context.store.close()
    window.deleteLater()
    QCoreApplication.processEvents()


def click_header(view: QWidget, column: int) -> None:
    """A real mouse click on the header of ``column``."""
    header = view.horizontalHeader()  # type: ignore[attr-defined]
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.NoModifier, QPoint(x, header.height() // 2))


def bench_tests_table(window: MainWindow, runs: int) -> list[bool]:
    """Header clicks and filter changes in the tests table."""
    page = window.show_page("tests")
    QCoreApplication.processEvents()
    results = []
    sorts: list[Timing] = []
    for _ in range(runs):
        for column in (0, 1, 2, 6):  # date, test, status, place (the sortable ones)
            sorts.append(until_repainted(page, lambda c=column: click_header(page.table, c)))
    results.append(line("tests table: header click (sort), any column", 50, sorts))
    filters: dict[str, list[Timing]] = {"type": [], "status": [], "text": [], "clear": []}
    blood = page.type_filter.findText("Blood counts (CBC)")
    received = page.status_filter.findData("result_received")

    def type_text() -> None:
        page.text_filter.setText("clinic")
        page.apply_filters()  # what the 250 ms typing pause then does

    for _ in range(runs):  # each filter from the full list, then back to it
        for name, action in (("type", lambda: page.type_filter.setCurrentIndex(blood)),
                             ("status", lambda: page.status_filter.setCurrentIndex(received)),
                             ("text", type_text)):
            filters[name].append(until_repainted(page, action))
            filters["clear"].append(until_repainted(page, page.clear_filters))
    for name, times in filters.items():
        results.append(line(f"tests table: filter by {name}", 50, times))
    return results


def bench_trends(window: MainWindow, runs: int) -> list[bool]:
    """Choosing White blood cells (years of values) on Trends."""
    page = window.show_page("trends")
    QCoreApplication.processEvents()
    combo = page.analyte_combo
    wbc = combo.findText("White blood cells")
    other = combo.findText("Ferritin")
    points = len(page.series("White blood cells"))
    times: list[Timing] = []
    for _ in range(runs):
        until_repainted(page, lambda: combo.setCurrentIndex(other))
        times.append(until_repainted(page, lambda: combo.setCurrentIndex(wbc)))
    return [line(f"Trends: White blood cells ({points:,} values)", 100, times)]


def bench_home(window: MainWindow, runs: int) -> list[bool]:
    """Coming back to Home from another page (nothing changed meanwhile)."""
    times: list[Timing] = []
    for _ in range(runs):
        window.show_page("diary")
        QCoreApplication.processEvents()
        time.sleep(1.1)  # past Home's one-second guard against double rebuilds
        home = window.page("home")
        times.append(until_repainted(home, lambda: window.show_page("home")))
    return [line("Home: coming back to it", 30, times)]


def bench_questions(path: Path, runs: int) -> list[bool]:
    """The first visit of Questions, in a fresh window each time."""
    times: list[Timing] = []
    for _ in range(max(3, runs // 2)):
        window = new_window(path)
        times.append(until_repainted(window, lambda w=window: w.show_page("questions")))
        close_window(window)
    return [line("Questions: first visit", 100, times)]


def bench_first_search(path: Path, runs: int) -> list[bool]:
    """The first search, typed a few seconds after start-up, in a fresh window each time."""
    times: list[Timing] = []
    for _ in range(max(3, runs // 2)):
        store = open_store(path)
        window = MainWindow(AppContext(store), finish_after_paint=True)
        window.resize(1366, 768)
        window.show()
        QTest.qWaitForWindowExposed(window)
        deadline = time.perf_counter() + 15
        while window.context._library is None and time.perf_counter() < deadline:
            QCoreApplication.processEvents()
            time.sleep(0.01)
        page = window.show_page("reference")
        while not getattr(page, "_populated", True):  # the page fills in after its paint
            QCoreApplication.processEvents()
        QCoreApplication.processEvents()
        times.append(until_repainted(page, lambda p=page: p.show_search("stem cell")))
        close_window(window)
    return [line("first search (index built after start-up)", 20, times)]


def main() -> None:
    """Generate the big record, then measure each view."""
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName("nbcompanion-bench")
    app.setApplicationName("nbcompanion-bench")
    app.installEventFilter(WATCH)
    folder = Path(tempfile.mkdtemp(prefix="nbcompanion-bench-"))
    path = folder / "big.sqlite3"
    counts = generate(path)
    print(f"big record: {counts['test_value']:,} results, {counts['test']:,} tests, "
          f"{counts['visit']:,} visits; {runs} runs each, medians")
    window = new_window(path)
    results = bench_tests_table(window, runs)
    results += bench_trends(window, runs)
    results += bench_home(window, runs)
    close_window(window)
    results += bench_questions(path, runs)
    results += bench_first_search(path, runs)
    print(f"{sum(results)} of {len(results)} aims met")


if __name__ == "__main__":
    main()
