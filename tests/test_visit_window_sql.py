"""The visit summary's window of tests is chosen by SQLite, with the same day boundaries."""

from __future__ import annotations

from nbcompanion.record import queries
from nbcompanion.record.store import Store

STAMP = "2026-03-01T09:00:00"


def _test(store: Store, child: int, day: str) -> int:
    with store.transaction() as db:
        return int(db["test"].insert({"child_id": child, "test_type_id": 1, "date": day,
                                      "status": "result_received", "created_at": STAMP,
                                      "updated_at": STAMP}).last_pk)


def test_the_window_is_after_the_previous_visits_day_up_to_the_visits_day(
        fresh_store: Store) -> None:
    with fresh_store.transaction() as db:
        child = int(db["child"].insert({"name": "Ava", "created_at": STAMP,
                                        "updated_at": STAMP}).last_pk)
    before = _test(fresh_store, child, "2026-02-01")
    same_day_as_previous = _test(fresh_store, child, "2026-02-06")
    day_after = _test(fresh_store, child, "2026-02-07")
    visit_day = _test(fresh_store, child, "2026-03-12")
    after = _test(fresh_store, child, "2026-03-13")
    statements: list[str] = []
    fresh_store.conn.set_trace_callback(statements.append)
    try:
        window = queries.since(fresh_store, child, "2026-02-06T10:00", "2026-03-12T09:30")
    finally:
        fresh_store.conn.set_trace_callback(None)
    ids = [t["id"] for t in window["tests"]]
    assert ids == [day_after, visit_day]
    assert not {before, same_day_as_previous, after} & set(ids)
    # Asked of the database: the test query bounds the dates on both sides.
    test_queries = [s for s in statements if "FROM test t JOIN test_type" in s]
    assert test_queries
    assert all("t.date >= " in s and "t.date <= " in s for s in test_queries)
    everything = queries.since(fresh_store, child, None, "2026-03-12")
    assert [t["id"] for t in everything["tests"]] == [before, same_day_as_previous, day_after,
                                                      visit_day]
