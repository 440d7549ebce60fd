"""The fictional sample record: fills every view, is the same each time, and obeys the rules."""

from __future__ import annotations

import time
from datetime import date, datetime

from nbcompanion.record import entries, queries
from nbcompanion.record.demo import CHILD_NAME, build_demo
from nbcompanion.record.store import Store
from nbcompanion.record.validation import validate

TODAY = date(2026, 11, 25)


def _contents(store: Store) -> dict[str, list[tuple[object, ...]]]:
    skip = {"created_at", "updated_at"}
    found = {}
    for table in store.table_names():
        columns = [c for c in store.db[table].columns_dict if c not in skip]
        found[table] = [tuple(r) for r in store.execute(
            f"SELECT {', '.join(columns)} FROM [{table}] ORDER BY 1")]
    return found


def test_every_table_is_filled_quickly(fresh_store: Store) -> None:
    started = time.perf_counter()
    child = build_demo(fresh_store, TODAY)
    assert time.perf_counter() - started < 1.0
    empty = [t for t in fresh_store.table_names() if fresh_store.db[t].count == 0]
    assert empty == ["draft"]
    assert fresh_store.get_setting("active_child_id") == str(child)
    assert "fictional" in queries.child(fresh_store, child)["name"]
    assert queries.child(fresh_store, child)["name"] == CHILD_NAME


def test_it_is_the_same_every_time() -> None:
    first, second = Store.memory(), Store.memory()
    build_demo(first, TODAY)
    build_demo(second, TODAY)
    assert _contents(first) == _contents(second)


def test_it_shows_a_family_in_post_maintenance_with_a_visit_ahead(fresh_store: Store) -> None:
    child = build_demo(fresh_store, TODAY)
    now = datetime(2026, 11, 25, 7, 0)
    assert queries.current_phase(fresh_store, child, TODAY)["kind"] == "post_maintenance"
    upcoming = queries.next_visit(fresh_store, child, now)
    assert upcoming is not None
    assert len(queries.questions_for_visit(fresh_store, upcoming["id"], now)) >= 3
    assert {"VMA", "HVA", "LDH", "Ferritin"} <= set(queries.numeric_analytes(fresh_store, child))
    assert queries.ratio_series(fresh_store, child, "VMA")
    assert queries.todays_doses(fresh_store, child, now)


def test_every_row_passes_the_rules(fresh_store: Store) -> None:
    build_demo(fresh_store, date.today())  # the rules compare with the real today
    for table in entries.ENTRY_TABLES:
        if table in ("test_type", "analyte", "test_value"):
            continue
        for row in fresh_store.query(f"SELECT * FROM [{table}]"):
            values = {k: v for k, v in row.items()
                      if k not in ("id", "created_at", "updated_at")}
            validate(fresh_store, table, values, None)
