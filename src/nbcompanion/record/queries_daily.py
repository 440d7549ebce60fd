"""Reads for the days between visits: questions, the care team, the diary and medicines.

Re-exported by :mod:`nbcompanion.record.queries`, which callers should import; the writes
that used to sit here (asking a question, logging a dose, ordering the team) are in
:mod:`nbcompanion.record.writes`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from nbcompanion.record import entries
from nbcompanion.record.sql import Row, minute, page
from nbcompanion.record.store import Store


# -- visits -----------------------------------------------------------------------------------
def next_visit(store: Store, child_id: int, now: datetime) -> Row | None:
    """The first visit at or after ``now``."""
    rows = store.query("SELECT * FROM visit WHERE child_id = ? AND starts_at >= ? "
                       "ORDER BY starts_at, id LIMIT 1", [child_id, minute(now)])
    return rows[0] if rows else None


# -- questions, team, diary -------------------------------------------------------------------
def questions_for_visit(store: Store, visit_id: int, now: datetime) -> list[Row]:
    """The questions for a visit: those attached to it, and — when it is the next visit —
    every open question not attached to any visit (they follow the family to the next one).
    """
    visit = entries.get(store, "visit", visit_id)
    upcoming = next_visit(store, visit["child_id"], now)
    include_open = upcoming is not None and upcoming["id"] == visit_id
    sql = "SELECT * FROM question WHERE visit_id = ?"
    params: list[Any] = [visit_id]
    if include_open:
        sql += " OR (child_id = ? AND visit_id IS NULL AND asked = 0)"
        params.append(visit["child_id"])
    return store.query(sql + " ORDER BY asked, created_at, id", params)


def open_questions(store: Store, child_id: int) -> list[Row]:
    """Questions not yet asked, oldest first."""
    return store.query("SELECT * FROM question WHERE child_id = ? AND asked = 0 "
                       "ORDER BY created_at, id", [child_id])


def answered_questions(store: Store, child_id: int) -> list[Row]:
    """Questions already asked, newest first."""
    return store.query("SELECT * FROM question WHERE child_id = ? AND asked = 1 "
                       "ORDER BY updated_at DESC, id DESC", [child_id])


def list_team(store: Store, child_id: int) -> list[Row]:
    """The care team in the family's own order (oncologist first until they change it)."""
    return store.query("SELECT * FROM care_team_member WHERE child_id = ? "
                       "ORDER BY position, id", [child_id])


def _diary_filters(child_id: int, date_from: str | None, date_to: str | None,
                   symptom: str | None) -> tuple[str, list[Any]]:
    where = ["child_id = ?"]
    params: list[Any] = [child_id]
    if date_from:
        where.append("at >= ?")
        params.append(date_from)
    if date_to:
        where.append("at < ?")
        params.append(date_to + "T24")
    if symptom:
        where.append("symptom = ?")
        params.append(symptom)
    return " AND ".join(where), params


def list_diary(store: Store, child_id: int, *, date_from: str | None = None,
               date_to: str | None = None, symptom: str | None = None,
               limit: int | None = None, offset: int = 0) -> list[Row]:
    """Diary entries, newest first."""
    where, params = _diary_filters(child_id, date_from, date_to, symptom)
    sql, params = page(f"SELECT * FROM diary_entry WHERE {where} ORDER BY at DESC, id DESC",
                        params, limit, offset)
    return store.query(sql, params)


def count_diary(store: Store, child_id: int, *, date_from: str | None = None,
                date_to: str | None = None, symptom: str | None = None,
                **_ignored: Any) -> int:
    """How many diary entries :func:`list_diary` would list."""
    where, params = _diary_filters(child_id, date_from, date_to, symptom)
    return int(store.execute(f"SELECT count(*) FROM diary_entry WHERE {where}", params)
               .fetchone()[0])


# -- medicines --------------------------------------------------------------------------------
def list_medicines(store: Store, child_id: int, *, active_on: date | None = None) -> list[Row]:
    """The child's medicines (only those taken on ``active_on`` when given), by name."""
    sql = "SELECT * FROM medicine WHERE child_id = ?"
    params: list[Any] = [child_id]
    if active_on is not None:
        day = active_on.isoformat()
        sql += (" AND (start_date IS NULL OR start_date <= ?) "
                "AND (stop_date IS NULL OR stop_date >= ?)")
        params += [day, day]
    return store.query(sql + " ORDER BY name COLLATE NOCASE, id", params)


def dose_times(medicine: Row) -> list[str]:
    """The medicine's daily dose times ("08:00", "20:00"), sorted; empty when not set."""
    times = []
    for part in (medicine.get("dose_times") or "").replace(";", ",").split(","):
        part = part.strip()
        if part:
            hours, _, minutes = part.partition(":")
            times.append(f"{int(hours):02d}:{int(minutes or 0):02d}")
    return sorted(set(times))


def todays_doses(store: Store, child_id: int, now: datetime) -> list[Row]:
    """Each dose due today for the medicines being taken, with what the log says of it.

    Status is "given" or "skipped" when logged, else "missed" (more than an hour late),
    "due" (within the hour) or "upcoming"; medicines without set times appear once a day
    with status "not logged" until a dose is logged.
    """
    day = now.date().isoformat()
    moment = minute(now)
    doses: list[Row] = []
    for medicine in list_medicines(store, child_id, active_on=now.date()):
        logs = store.query("SELECT * FROM dose_log WHERE medicine_id = ? AND at >= ? "
                           "AND at < ? ORDER BY at, id", [medicine["id"], day, day + "T24"])
        by_due = {log["due_at"]: log for log in logs if log["due_at"]}
        loose = [log for log in logs if not log["due_at"]]
        base = {"medicine_id": medicine["id"], "name": medicine["name"],
                "dose": medicine["dose"]}
        times = dose_times(medicine)
        if not times:
            log = logs[-1] if logs else None
            doses.append({**base, "due_at": None, "log_id": log["id"] if log else None,
                          "status": log["status"] if log else "not logged"})
            continue
        for time in times:
            due = f"{day}T{time}"
            log = by_due.get(due) or (loose.pop(0) if loose else None)
            if log is not None:
                status = log["status"]
            elif due > moment:
                status = "upcoming"
            else:
                late = (now - datetime.fromisoformat(due)).total_seconds()
                status = "due" if late <= 3600 else "missed"
            doses.append({**base, "due_at": due, "log_id": log["id"] if log else None,
                          "status": status})
    return sorted(doses, key=lambda d: (d["due_at"] or day + "T99", d["name"].casefold()))



def list_doses(store: Store, medicine_id: int, limit: int | None = None) -> list[Row]:
    """A medicine's dose log, newest first."""
    sql, params = page("SELECT * FROM dose_log WHERE medicine_id = ? ORDER BY at DESC, id DESC",
                        [medicine_id], limit, 0)
    return store.query(sql, params)
