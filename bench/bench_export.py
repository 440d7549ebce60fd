"""Export benchmark: time and peak memory for a visit summary and a full record PDF.

Uses the 10-year generated record of ``bench/generate_record.py`` (``generate(path, years)``)
when it is there, otherwise
the stand-in generator below. Aims: a visit summary under 0.5 s, the full record under 10 s.
Run with ``QT_QPA_PLATFORM=offscreen python bench/bench_export.py [years]``.
"""

from __future__ import annotations

import importlib.util
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from nbcompanion.record.store import Store, now_iso, open_store

HERE = Path(__file__).resolve().parent


def _shared_generator() -> Any:
    """The record developer's generator module, if it exists."""
    path = HERE / "generate_record.py"
    if not path.exists():
        return None
    spec = importlib.util.spec_from_file_location("generate_record", path)
    if spec is None or spec.loader is None:
        return None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def stand_in_record(store: Store, years: int = 10, *, today: date | None = None) -> int:
    """A big, plausible record written straight into the tables (only used when the shared
    generator is missing): weekly blood counts, monthly urine markers, cycles, visits, diary."""
    rng = random.Random(4)
    today = today or date.today()
    start = today - timedelta(days=365 * years)
    stamp = now_iso()
    db = store.db
    types = {r["name"]: r["id"] for r in store.query("SELECT id, name FROM test_type")}
    with store.transaction():
        child = db["child"].insert({
            "name": "Sample Child", "birth_date": (start - timedelta(days=900)).isoformat(),
            "diagnosis_date": start.isoformat(), "stage": "M", "risk_group": "high",
            "mycn": "amplified", "created_at": stamp, "updated_at": stamp}).last_pk
        kinds = ("induction", "consolidation", "maintenance", "observation")
        cursor = start
        for index, kind in enumerate(kinds):
            end = cursor + timedelta(days=180 if index < 3 else 365 * years)
            db["phase"].insert({"child_id": child, "kind": kind, "start_date": cursor.isoformat(),
                                "actual_end": None if index == 3 else end.isoformat(),
                                "status": "active" if index == 3 else "completed",
                                "created_at": stamp, "updated_at": stamp})
            cursor = end + timedelta(days=1)
        for week in range(years * 52):
            day = start + timedelta(days=7 * week)
            if day > today:
                break
            test = db["test"].insert({
                "child_id": child, "test_type_id": types["Blood counts (CBC)"],
                "date": day.isoformat(), "status": "result_received",
                "created_at": stamp, "updated_at": stamp}).last_pk
            db["test_value"].insert_all({
                "test_id": test, "analyte": name, "value": round(rng.uniform(*span), 1),
                "unit": unit, "ref_low": low, "ref_high": high}
                for name, unit, span, low, high in (
                    ("White blood cells", "10^9/L", (1, 12), 4.5, 13.5),
                    ("Neutrophils (ANC)", "10^9/L", (0.2, 8), 1.5, 8.5),
                    ("Hemoglobin", "g/dL", (7, 14), 11.0, 14.5),
                    ("Platelets", "10^9/L", (20, 400), 150.0, 450.0)))
            if week % 4 == 0:
                urine = db["test"].insert({
                    "child_id": child, "test_type_id": types["Urine catecholamines (VMA and HVA)"],
                    "date": day.isoformat(), "status": "result_received",
                    "created_at": stamp, "updated_at": stamp}).last_pk
                db["test_value"].insert_all(
                    {"test_id": urine, "analyte": name, "value": round(rng.uniform(2, 30), 1),
                     "unit": "mg/g creatinine", "ref_low": None, "ref_high": high}
                    for name, high in (("VMA", 10.0), ("HVA", 15.0)))
                db["treatment_event"].insert({
                    "child_id": child, "date": day.isoformat(), "kind": "chemo_cycle",
                    "cycle_number": week // 4 + 1, "drugs": "Cyclophosphamide, topotecan",
                    "created_at": stamp, "updated_at": stamp})
                db["visit"].insert({
                    "child_id": child, "starts_at": f"{day.isoformat()}T09:30", "kind": "clinic",
                    "clinician": "Dr. Rivera", "notes": "Reviewed the counts together.",
                    "created_at": stamp, "updated_at": stamp})
            db["diary_entry"].insert({
                "child_id": child, "at": f"{day.isoformat()}T08:00", "symptom": "tiredness",
                "severity": "mild", "created_at": stamp, "updated_at": stamp})
        visit = db["visit"].insert({
            "child_id": child, "starts_at": f"{(today + timedelta(days=3)).isoformat()}T10:00",
            "kind": "clinic", "created_at": stamp, "updated_at": stamp}).last_pk
        db["question"].insert({"child_id": child, "visit_id": visit,
                               "text": "When is the next scan?", "created_at": stamp,
                               "updated_at": stamp})
    store.set_setting("active_child_id", str(child))
    return int(child)


def build_record(path: Path, years: int) -> tuple[Store, int]:
    """Write the ten-year record to ``path`` and open it; returns the store and the child
    with the most tests (the shared generator's first child)."""
    shared = _shared_generator()
    generate = getattr(shared, "generate", None) if shared is not None else None
    if callable(generate):
        generate(path, years=years)
        print("record from bench/generate_record.py")
        store = open_store(path)
    else:
        print("record from the stand-in generator in bench_export.py")
        store = open_store(path)
        stand_in_record(store, years)
    child = store.query("SELECT child_id, count(*) AS n FROM test GROUP BY child_id "
                        "ORDER BY n DESC LIMIT 1")[0]["child_id"]
    return store, int(child)


def measure(label: str, work: Any) -> tuple[float, float]:
    """Run ``work`` timed, then again under tracemalloc (which slows Python down) for the
    peak of Python allocations; print and return (seconds, peak MiB)."""
    began = time.perf_counter()
    result = work()
    seconds = time.perf_counter() - began
    tracemalloc.start()
    work()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    pages = getattr(result, "pages", "")
    print(f"{label:<15} {seconds:6.2f} s   {pages:>4} pages   peak Python allocations "
          f"{peak / 2**20:6.1f} MiB   process peak RSS so far {rss:6.0f} MiB")
    return seconds, peak / 2**20


FULL_RECORD_AIM_S = 10.0


def export_once(record: str, child: int, out: str) -> None:
    """One full-record export, as a child process runs it (``--one RECORD CHILD OUT``)."""
    from PySide6.QtGui import QGuiApplication

    from nbcompanion.reports.full_record import export_full_record

    app = QGuiApplication.instance() or QGuiApplication([])
    store = open_store(record)
    try:
        result = export_full_record(store, child, out)
    finally:
        store.close()
    print(result.pages)
    del app


def full_record_in_child(record: Path, child: int, folder: Path, runs: int = 3
                         ) -> tuple[float, float, int]:
    """Median seconds and peak RSS (MiB) of the full-record export in its own process —
    the whole cost a family waits for, Qt and fonts included; also the page count."""
    import os
    import statistics
    import subprocess

    times: list[float] = []
    pages = 0
    peak = 0.0
    for run in range(runs):
        began = time.perf_counter()
        done = subprocess.run(
            [sys.executable, __file__, "--one", str(record), str(child),
             str(folder / f"child-run-{run}.pdf")], capture_output=True, text=True,
            check=True, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
        times.append(time.perf_counter() - began)
        pages = int(done.stdout.strip().splitlines()[-1])
        # ru_maxrss of children is the largest child so far (kB on Linux).
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    median = statistics.median(times)
    verdict = "ok" if median < FULL_RECORD_AIM_S else "MISS"
    print(f"full-record PDF, own process ({pages} pages): aim < {FULL_RECORD_AIM_S:.0f} s / "
          f"measured median {median:.2f} s of {runs} (peak RSS {peak:.0f} MiB) / {verdict}")
    return median, peak, pages


def main(argv: list[str]) -> int:
    """Build the record, export both PDFs, print the numbers."""
    if len(argv) == 5 and argv[1] == "--one":
        export_once(argv[2], int(argv[3]), argv[4])
        return 0
    from PySide6.QtGui import QGuiApplication

    from nbcompanion.record import queries
    from nbcompanion.reports.full_record import export_full_record
    from nbcompanion.reports.visit_summary import export_visit_summary
    from nbcompanion.ui.exports import visit_for_summary

    years = int(argv[1]) if len(argv) > 1 else 10
    app = QGuiApplication.instance() or QGuiApplication([])
    with tempfile.TemporaryDirectory() as folder:
        began = time.perf_counter()
        store, child = build_record(Path(folder) / "record.sqlite3", years)
        counts = {t: store.db[t].count for t in ("test", "test_value", "visit", "diary_entry")}
        print(f"record: {years} years, {counts}, built in {time.perf_counter() - began:.1f} s")
        now = datetime.now()

        class _Context:  # what visit_for_summary needs of the app's context
            pass

        context = _Context()
        context.store = store  # type: ignore[attr-defined]
        visit = visit_for_summary(context, child, now)  # type: ignore[arg-type]
        if visit is None:
            visit = int(queries.list_visits(store, child)[-1]["id"])
        summary, _ = measure("visit summary", lambda: export_visit_summary(
            store, visit, Path(folder) / "summary.pdf", now=now))
        full, _ = measure("full record", lambda: export_full_record(
            store, child, Path(folder) / "full.pdf", now=now))
        store.close()
        full_record_in_child(Path(folder) / "record.sqlite3", child, Path(folder))
    print(f"aims: visit summary < 0.5 s ({'met' if summary < 0.5 else 'MISSED'}), "
          f"full record < 10 s ({'met' if full < 10 else 'MISSED'})")
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
