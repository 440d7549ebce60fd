"""The care team in the family's own order: oncologist first to start, then as they move it."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from nbcompanion.record import entries, queries, schema, writes
from nbcompanion.record.store import Store, open_store
from nbcompanion.ui.context import AppContext
from nbcompanion.ui.daily.team import CareTeamPage

STAMP = "2025-01-01T00:00:00"


def test_upgrading_puts_the_oncologist_first(tmp_path: Path) -> None:
    path = tmp_path / "v2.sqlite3"
    store = Store(sqlite3.connect(path), path)
    store._configure()
    for step in (1, 2):
        with store.transaction() as db:
            schema.MIGRATIONS[step - 1](db)
            db.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
            db.execute(f"PRAGMA user_version = {step}")
    with store.transaction() as db:
        child = db["child"].insert({"name": "Robin", "created_at": STAMP,
                                    "updated_at": STAMP}).last_pk
        for role, name in (("child_life", "Ann"), ("social_worker", "Bo"),
                           ("pediatric_oncologist", "Dr. Cy"), ("other", "Day ward")):
            db["care_team_member"].insert({"child_id": child, "role": role, "name": name,
                                           "created_at": STAMP, "updated_at": STAMP})
    store.close()
    upgraded = open_store(path)
    names = [m["name"] for m in queries.list_team(upgraded, child)]
    assert names == ["Dr. Cy", "Bo", "Ann", "Day ward"]
    upgraded.close()


def _team(store: Store) -> tuple[int, list[int]]:
    child = entries.save(store, "child", {"name": "Maya"})
    ids = [entries.save(store, "care_team_member", {"child_id": child, "name": name,
                                                    "role": "other"})
           for name in ("First", "Second", "Third")]
    return child, ids


def test_new_members_join_the_end_and_can_be_moved(file_store: Store) -> None:
    child, (first, second, third) = _team(file_store)
    assert [m["id"] for m in queries.list_team(file_store, child)] == [first, second, third]
    writes.move_team_member(file_store, third, -2)
    assert [m["id"] for m in queries.list_team(file_store, child)] == [third, first, second]
    writes.move_team_member(file_store, third, -5)  # already first: stays first
    writes.order_team(file_store, child, [second, first])
    assert [m["id"] for m in queries.list_team(file_store, child)] == [second, first, third]


def test_the_page_moves_rows_by_button_and_by_drop(qtbot: Any, file_store: Store) -> None:
    child, (first, second, third) = _team(file_store)
    context = AppContext(file_store)
    context.set_active_child(child)
    page = CareTeamPage(context)
    qtbot.addWidget(page)
    page.view.selectRow(0)
    assert page.move_selected(1)
    assert [page.model.rows[r]["id"] for r in range(3)] == [second, first, third]
    assert page.selected()["id"] == first  # the moved member stays selected
    assert page.drop_on_row(2, 0)
    assert [page.model.rows[r]["id"] for r in range(3)] == [third, second, first]


def test_the_visit_summary_lists_the_team_in_the_familys_order(file_store: Store) -> None:
    from datetime import datetime

    from nbcompanion.reports.gather import visit_summary_data

    child, (first, second, third) = _team(file_store)
    writes.order_team(file_store, child, [third, first, second])
    visit = entries.save(file_store, "visit", {"child_id": child, "kind": "clinic",
                                               "starts_at": "2026-01-10T09:00"})
    data = visit_summary_data(file_store, visit, now=datetime(2026, 1, 1))
    assert [m["name"] for m in data.team] == ["Third", "First", "Second"]
