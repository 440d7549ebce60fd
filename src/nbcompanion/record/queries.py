"""Read-only questions the views and reports ask of the record (writes: ``writes.py``).

Every function takes the open :class:`~nbcompanion.record.store.Store` and returns plain
dicts. Lists that can grow for years (tests, visits, diary) take ``limit``/``offset`` and let
SQLite sort with its indexes, so a lazily fetched view stays fast with ten years of records.
Functions that depend on "now" take it as a parameter so tests can fix the clock.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from nbcompanion.record import entries
from nbcompanion.record.dates import day_of_phase, parse_date
from nbcompanion.record.queries_daily import (
    answered_questions,
    count_diary,
    dose_times,
    list_diary,
    list_doses,
    list_medicines,
    list_team,
    next_visit,
    open_questions,
    questions_for_visit,
    todays_doses,
)
from nbcompanion.record.sql import Row, minute, page
from nbcompanion.record.store import Store
from nbcompanion.record.units import unit_after
from nbcompanion.wording import number_text

_minute = minute
_page = page


# -- children ---------------------------------------------------------------------------------
def children(store: Store) -> list[Row]:
    """Every child in the record, by name."""
    return store.query("SELECT * FROM child ORDER BY name COLLATE NOCASE, id")


def child(store: Store, child_id: int) -> Row:
    """One child's profile; NotFoundError when missing."""
    return entries.get(store, "child", child_id)


# -- test types -------------------------------------------------------------------------------
def test_types(store: Store) -> list[Row]:
    """The test catalog (built in first, then the family's own), each with its analytes."""
    types = store.query("SELECT * FROM test_type ORDER BY builtin DESC, position, name")
    analytes: dict[int, list[Row]] = {}
    for row in store.query("SELECT test_type_id, name, unit FROM analyte ORDER BY position, id"):
        analytes.setdefault(row["test_type_id"], []).append(
            {"name": row["name"], "unit": row["unit"]})
    for row in types:
        row["analytes"] = analytes.get(row["id"], [])
    return types


# -- tests and results ------------------------------------------------------------------------
TEST_SORTS = {"date", "type", "status", "place"}
_TEST_ORDER = {
    "date": "t.date {d}, t.id {d}",
    "type": "tt.name COLLATE NOCASE {d}, t.date DESC, t.id DESC",
    "status": "t.status {d}, t.date DESC, t.id DESC",
    "place": "t.place COLLATE NOCASE {d}, t.date DESC, t.id DESC",
}


def _test_filters(child_id: int, type_id: int | None, status: str | None,
                  date_from: str | None, date_to: str | None,
                  text: str | None) -> tuple[str, list[Any]]:
    where = ["t.child_id = ?"]
    params: list[Any] = [child_id]
    if type_id is not None:
        where.append("t.test_type_id = ?")
        params.append(type_id)
    if status:
        where.append("t.status = ?")
        params.append(status)
    if date_from:
        where.append("t.date >= ?")
        params.append(date_from)
    if date_to:
        where.append("t.date <= ?")
        params.append(date_to)
    if text and text.strip():
        like = f"%{text.strip()}%"
        where.append("(tt.name LIKE ? OR t.place LIKE ? OR t.clinician LIKE ? "
                     "OR t.result_text LIKE ? OR t.notes LIKE ?)")
        params += [like] * 5
    return " AND ".join(where), params


def _values_by_test(store: Store, test_ids: list[int]) -> dict[int, list[Row]]:
    found: dict[int, list[Row]] = {}
    for start in range(0, len(test_ids), 500):
        chunk = test_ids[start:start + 500]
        marks = ",".join("?" * len(chunk))
        for row in store.query(
                "SELECT id, test_id, analyte, value, unit, unit_family, unit_factor, ref_low, "
                "ref_high FROM test_value "
                f"WHERE test_id IN ({marks}) ORDER BY id", chunk):
            found.setdefault(row["test_id"], []).append(row)
    return found


def format_value(value: float) -> str:
    """A number without needless decimals (12.5, 40, 0.25), as the family reads it."""
    return number_text(value)


def values_text(values: list[Row]) -> str:
    """A test's results in one line: "VMA 12.5 mg/L · HVA 20 mg/L"."""
    return " · ".join(
        f"{v['analyte']} {format_value(v['value'])} {unit_after(v['value'], v.get('unit'))}"
        .rstrip()
        for v in values)


def list_tests(store: Store, child_id: int, *, type_id: int | None = None,
               status: str | None = None, date_from: str | None = None,
               date_to: str | None = None, text: str | None = None, sort: str = "date",
               descending: bool = True, limit: int | None = None, offset: int = 0) -> list[Row]:
    """Tests of a child, filtered and sorted by the database, each with its ``values``.

    (Their text, :func:`values_text`, is made where it is shown: a ten-year full record
    lists 5,000 tests, and wording every value twice cost it half a second.)"""
    if sort not in TEST_SORTS:
        raise ValueError(f"unknown sort {sort!r}")
    where, params = _test_filters(child_id, type_id, status, date_from, date_to, text)
    order = _TEST_ORDER[sort].format(d="DESC" if descending else "ASC")
    sql, params = _page(
        "SELECT t.*, tt.name AS type_name, tt.category AS category, tt.topic AS topic "
        f"FROM test t JOIN test_type tt ON tt.id = t.test_type_id WHERE {where} "
        f"ORDER BY {order}", params, limit, offset)
    rows = store.query(sql, params)
    values = _values_by_test(store, [r["id"] for r in rows])
    for row in rows:
        row["values"] = values.get(row["id"], [])
    return rows


def count_tests(store: Store, child_id: int, *, type_id: int | None = None,
                status: str | None = None, date_from: str | None = None,
                date_to: str | None = None, text: str | None = None, **_ignored: Any) -> int:
    """How many tests :func:`list_tests` would list with the same filters."""
    where, params = _test_filters(child_id, type_id, status, date_from, date_to, text)
    return int(store.execute(
        f"SELECT count(*) FROM test t JOIN test_type tt ON tt.id = t.test_type_id WHERE {where}",
        params).fetchone()[0])


def type_history(store: Store, child_id: int, type_id: int) -> list[Row]:
    """Every test of one type for a child, newest first, with results."""
    return list_tests(store, child_id, type_id=type_id)


# -- visits -----------------------------------------------------------------------------------
def _visit_filters(child_id: int, kind: str | None, date_from: str | None,
                   date_to: str | None, text: str | None) -> tuple[str, list[Any]]:
    where = ["child_id = ?"]
    params: list[Any] = [child_id]
    if kind:
        where.append("kind = ?")
        params.append(kind)
    if date_from:
        where.append("starts_at >= ?")
        params.append(date_from)
    if date_to:
        where.append("starts_at < ?")
        params.append(date_to + "T24")  # the whole last day
    if text and text.strip():
        like = f"%{text.strip()}%"
        where.append("(clinician LIKE ? OR place LIKE ? OR reason LIKE ? OR notes LIKE ? "
                     "OR decisions LIKE ?)")
        params += [like] * 5
    return " AND ".join(where), params


def list_visits(store: Store, child_id: int, *, kind: str | None = None,
                date_from: str | None = None, date_to: str | None = None,
                text: str | None = None, upcoming_first: bool = True,
                now: datetime | None = None, limit: int | None = None,
                offset: int = 0) -> list[Row]:
    """Visits of a child: upcoming ones first (soonest first), then past ones (newest first)."""
    where, params = _visit_filters(child_id, kind, date_from, date_to, text)
    moment = _minute(now or datetime.now())
    if upcoming_first:
        order = ("CASE WHEN starts_at >= ? THEN 0 ELSE 1 END, "
                 "CASE WHEN starts_at >= ? THEN starts_at END ASC, starts_at DESC, id DESC")
        params = [*params, moment, moment]
    else:
        order = "starts_at DESC, id DESC"
    sql, params = _page(f"SELECT * FROM visit WHERE {where} ORDER BY {order}", params,
                        limit, offset)
    rows = store.query(sql, params)
    for row in rows:
        row["upcoming"] = row["starts_at"] >= moment
    return rows


def count_visits(store: Store, child_id: int, *, kind: str | None = None,
                 date_from: str | None = None, date_to: str | None = None,
                 text: str | None = None, **_ignored: Any) -> int:
    """How many visits :func:`list_visits` would list with the same filters."""
    where, params = _visit_filters(child_id, kind, date_from, date_to, text)
    return int(store.execute(f"SELECT count(*) FROM visit WHERE {where}", params)
               .fetchone()[0])


def previous_visit(store: Store, child_id: int, before: str) -> Row | None:
    """The last visit strictly before ``before`` (an ISO date or date-time)."""
    rows = store.query("SELECT * FROM visit WHERE child_id = ? AND starts_at < ? "
                       "ORDER BY starts_at DESC, id DESC LIMIT 1", [child_id, before])
    return rows[0] if rows else None


# -- treatment --------------------------------------------------------------------------------
def list_phases(store: Store, child_id: int) -> list[Row]:
    """A child's treatment phases in the order they started."""
    return store.query("SELECT * FROM phase WHERE child_id = ? ORDER BY start_date, id",
                       [child_id])


def list_events(store: Store, child_id: int, phase_id: int | None = None) -> list[Row]:
    """Treatment events by date (optionally of one phase), with their phase's kind."""
    sql = ("SELECT e.*, p.kind AS phase_kind FROM treatment_event e "
           "LEFT JOIN phase p ON p.id = e.phase_id WHERE e.child_id = ?")
    params: list[Any] = [child_id]
    if phase_id is not None:
        sql += " AND e.phase_id = ?"
        params.append(phase_id)
    return store.query(sql + " ORDER BY e.date, e.id", params)


def current_phase(store: Store, child_id: int, today: date) -> Row | None:
    """The phase under way today (else the latest started and not ended), with day numbers."""
    day = today.isoformat()
    rows = store.query(
        "SELECT * FROM phase WHERE child_id = ? AND start_date <= ? "
        "AND (actual_end IS NULL OR actual_end >= ?) AND status NOT IN ('completed', 'stopped') "
        "ORDER BY start_date DESC, id DESC LIMIT 1", [child_id, day, day])
    if not rows:
        rows = store.query(
            "SELECT * FROM phase WHERE child_id = ? AND start_date <= ? AND actual_end IS NULL "
            "ORDER BY start_date DESC, id DESC LIMIT 1", [child_id, day])
    if not rows:
        return None
    phase = rows[0]
    phase["day_number"] = day_of_phase(phase["start_date"], today)
    planned_end = parse_date(phase.get("planned_end"))
    start = parse_date(phase["start_date"])
    phase["planned_days"] = ((planned_end - start).days + 1
                             if planned_end is not None and start is not None else None)
    return phase


# -- results over time ------------------------------------------------------------------------
def numeric_analytes(store: Store, child_id: int) -> list[str]:
    """Every analyte with at least one value for the child, by name."""
    return [name for name in _all_analytes(store) if _latest_two(store, child_id, name)]


def _all_analytes(store: Store) -> list[str]:
    # Distinct names straight from the (analyte, test_id) index: a few ms for ten years.
    return [row[0] for row in store.execute(
        "SELECT DISTINCT analyte FROM test_value ORDER BY analyte COLLATE NOCASE")]


def series(store: Store, child_id: int, analyte: str) -> list[Row]:
    """One analyte's values over time, oldest first, whatever their unit.

    To chart or compare, use :func:`nbcompanion.record.measures.unit_series`, which keeps
    each unit family apart.
    """
    return store.query(
        "SELECT t.date, v.value, v.unit, v.unit_family, v.unit_factor, v.ref_low, v.ref_high, "
        "t.id AS test_id "
        "FROM test_value v JOIN test t ON t.id = v.test_id "
        "WHERE t.child_id = ? AND v.analyte = ? ORDER BY t.date, t.id", [child_id, analyte])


def latest_results(store: Store, child_id: int) -> list[Row]:
    """For each analyte and unit family: the latest value, the one before, and the direction.

    Values of different unit families (mg/L and mg/g creatinine) get a row each, so an
    arrow never compares across units.
    """
    type_names = {row["id"]: row["name"] for row in store.query("SELECT id, name FROM test_type")}
    rows = []
    for analyte in _all_analytes(store):
        for found in _latest_by_family(store, child_id, analyte):
            rows.append(_with_previous(found, type_names))
    rows.sort(key=lambda row: row["analyte"])
    rows.sort(key=lambda row: row["date"], reverse=True)
    return rows


# -- overview ---------------------------------------------------------------------------------
def timeline(store: Store, child_id: int) -> dict[str, list[Row]]:
    """Everything with a date, for the timeline: phases, events, tests and visits."""
    return {
        "phases": list_phases(store, child_id),
        "events": list_events(store, child_id),
        "tests": store.query(
            "SELECT t.id, t.date, t.status, tt.name AS type_name, tt.category FROM test t "
            "JOIN test_type tt ON tt.id = t.test_type_id WHERE t.child_id = ? "
            "ORDER BY t.date, t.id", [child_id]),
        "visits": store.query("SELECT id, starts_at, kind, reason, place FROM visit "
                              "WHERE child_id = ? ORDER BY starts_at, id", [child_id]),
    }


def _previous_value(store: Store, child_id: int, value: Row, before_date: str,
                    before_test: int) -> Row | None:
    """The value before ``value`` of the same analyte *and unit family*."""
    extra, params = _same_family_sql(value)
    rows = store.query(
        "SELECT v.value, v.unit, v.unit_family, v.unit_factor, t.date FROM test_value v "
        "JOIN test t ON t.id = v.test_id WHERE t.child_id = ? AND v.analyte = ? "
        f"{extra} AND (t.date < ? OR (t.date = ? AND t.id < ?)) "
        "ORDER BY t.date DESC, t.id DESC LIMIT 1",
        [child_id, value["analyte"], *params, before_date, before_date, before_test])
    return rows[0] if rows else None


def since(store: Store, child_id: int, start: str | None, end: str) -> dict[str, list[Row]]:
    """What was recorded after ``start`` (exclusive; None = from the beginning) up to ``end``.

    Tests carry their values, each with the previous value of the same analyte beside it.
    """
    low = start or "0000"
    high = end if len(end) > 10 else end + "T24"
    day_low, day_high = low[:10], high[:10]
    events = store.query(
        "SELECT e.*, p.kind AS phase_kind FROM treatment_event e LEFT JOIN phase p "
        "ON p.id = e.phase_id WHERE e.child_id = ? AND e.date > ? AND e.date <= ? "
        "ORDER BY e.date, e.id", [child_id, day_low if start else low, day_high])
    # Only the window's tests, chosen by the database (test dates are whole days, so
    # "after start's day" is "from the day after").
    day_after = (date.fromisoformat(day_low) + timedelta(days=1)).isoformat() if start else None
    tests = list_tests(store, child_id, date_from=day_after, date_to=day_high,
                       descending=False)
    for test in tests:
        for value in test["values"]:
            previous = _previous_value(store, child_id, value, test["date"], test["id"])
            value["previous_value"] = comparable_value(value, previous) if previous else None
            value["previous_date"] = previous["date"] if previous else None
            # Converted into this value's unit; what was typed stays at hand for a footnote.
            value["previous_unit"] = value.get("unit") if previous else None
            value["previous_typed"] = ((previous["value"], previous.get("unit"))
                                       if previous and previous.get("unit") != value.get("unit")
                                       else None)
    diary = store.query("SELECT * FROM diary_entry WHERE child_id = ? AND at > ? AND at < ? "
                        "ORDER BY at, id", [child_id, low, high])
    visits = store.query("SELECT * FROM visit WHERE child_id = ? AND starts_at > ? "
                         "AND starts_at < ? ORDER BY starts_at, id", [child_id, low, high])
    return {"events": events, "tests": tests, "diary": diary, "visits": visits}


from nbcompanion.record.measures import (  # noqa: E402 — kept importable from here
    _latest_by_family,
    _latest_two,
    _same_family_sql,
    _with_previous,
    comparable_value,
    ratio_series,
)

__all__ = [
    "TEST_SORTS", "answered_questions", "child", "children", "count_diary",
    "count_tests", "count_visits", "current_phase", "dose_times",
    "format_value", "latest_results", "list_diary", "list_doses", "list_events",
    "list_medicines", "list_phases", "list_team", "list_tests", "list_visits",
    "next_visit", "numeric_analytes", "open_questions", "previous_visit",
    "questions_for_visit", "ratio_series", "series", "since", "test_types", "timeline",
    "todays_doses", "type_history", "values_text",
]
