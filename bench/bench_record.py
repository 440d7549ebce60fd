"""Record benchmark: opening the big record, and the queries behind the lists, in SQL alone.

Baselines are measured in the same run: opening an empty record, and the same queries on
it. Aims: opening the big record adds under 0.3 s; every sort or filter of a 200-row page
takes under 50 ms (the same sorts and filters timed in the window, repaint included, are
in ``bench_views.py``). Run with ``python bench/bench_record.py [runs]``.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate_record import generate
from nbcompanion.record import queries
from nbcompanion.record.store import Store, open_store


def median_ms(action: Callable[[], object], runs: int) -> float:
    """Median wall time of ``action`` in milliseconds."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def cases(store: Store, child_id: int) -> dict[str, Callable[[], object]]:
    """The queries behind the list views, by name."""
    type_id = store.query("SELECT id FROM test_type WHERE name = 'Blood counts (CBC)'")[0]["id"]
    now = datetime.now()
    found: dict[str, Callable[[], object]] = {}
    for sort in sorted(queries.TEST_SORTS):
        for descending in (True, False):
            found[f"tests sorted by {sort} {'desc' if descending else 'asc'}"] = (
                lambda s=sort, d=descending: queries.list_tests(
                    store, child_id, sort=s, descending=d, limit=200))
    found.update({
        "tests: count all": lambda: queries.count_tests(store, child_id),
        "tests filtered by type": lambda: queries.list_tests(store, child_id, type_id=type_id,
                                                             limit=200),
        "tests filtered by status": lambda: queries.list_tests(store, child_id,
                                                               status="scheduled", limit=200),
        "tests filtered by date range": lambda: queries.list_tests(
            store, child_id, date_from=f"{date.today().year - 5}-01-01",
            date_to=f"{date.today().year - 4}-12-31", limit=200),
        "tests filtered by text": lambda: queries.list_tests(store, child_id, text="imaging",
                                                             limit=200),
        "tests: second page (offset 200)": lambda: queries.list_tests(store, child_id,
                                                                      limit=200, offset=200),
        "visits, upcoming first": lambda: queries.list_visits(store, child_id, now=now,
                                                              limit=200),
        "visits: count": lambda: queries.count_visits(store, child_id),
        "diary, newest first": lambda: queries.list_diary(store, child_id, limit=200),
        "latest result of each test": lambda: queries.latest_results(store, child_id),
        "series of VMA": lambda: queries.series(store, child_id, "VMA"),
        "timeline (everything)": lambda: queries.timeline(store, child_id),
        "today's doses": lambda: queries.todays_doses(store, child_id, now),
    })
    return found


def main() -> None:
    """Generate, measure and print."""
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    folder = Path(tempfile.mkdtemp(prefix="nbcompanion-bench-"))
    big, empty = folder / "ten-years.sqlite3", folder / "empty.sqlite3"
    started = time.perf_counter()
    counts = generate(big)
    print(f"generated the big record in {time.perf_counter() - started:.1f} s: "
          f"{counts['test']} tests with {counts['test_value']} results, {counts['visit']} "
          f"visits, {counts['diary_entry']} diary entries, {counts['dose_log']} doses")
    open_store(empty).close()
    open_big = median_ms(lambda: open_store(big).close(), runs)
    open_empty = median_ms(lambda: open_store(empty).close(), runs)
    extra = open_big - open_empty
    print(f"open (with quick_check): empty {open_empty:.1f} ms, big {open_big:.1f} ms")
    print(f"opening the big record adds      aim < 300 ms / measured {extra:6.1f} ms / "
          f"{'ok' if extra < 300 else 'MISS'}")

    store_big, store_empty = open_store(big), open_store(empty)
    child_big = int(store_big.get_setting("active_child_id") or 1)
    store_empty.db["child"].insert({"name": "Empty", "created_at": "x", "updated_at": "x"})
    slowest = 0.0
    print(f"{'query (median of ' + str(runs) + ')':<40} {'empty':>8} {'ten-year':>9}")
    baseline = cases(store_empty, 1)
    for name, action in cases(store_big, child_big).items():
        big_ms = median_ms(action, runs)
        slowest = max(slowest, big_ms) if "timeline" not in name else slowest
        print(f"{name:<40} {median_ms(baseline[name], runs):7.2f}  {big_ms:8.2f} ms")
    print(f"slowest list sort/filter (SQL)   aim <  50 ms / measured {slowest:6.1f} ms / "
          f"{'ok' if slowest < 50 else 'MISS'}")
    store_big.close()
    store_empty.close()


if __name__ == "__main__":
    main()
