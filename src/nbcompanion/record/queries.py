"""Read-only questions the views and reports ask of the record.

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
from nbcompanion.record.errors import RecordError, ValidationError
from nbcompanion.record.store import Store

Row = dict[str, Any]


def _minute(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M")


def _page(sql: str, params: list[Any], limit: int | None, offset: int) -> tuple[str, list[Any]]:
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        params = [*params, limit, offset]
    return sql, params


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


def add_test_type(store: Store, name: str, category: str,
                  analytes: list[tuple[str, str]]) -> int:
    """Add a test type the family uses; its numeric results are ``(name, unit)`` pairs."""
    errors: dict[str, str] = {}
    clean = (name or "").strip()
    if not clean:
        errors["name"] = "Please give the test a name."
    elif store.execute("SELECT 1 FROM test_type WHERE name = ? COLLATE NOCASE",
                          [clean]).fetchone():
        errors["name"] = "There is already a test with this name."
    elif len(clean) > 200:
        errors["name"] = "Please use a shorter name (200 characters at most)."
    seen: set[str] = set()
    for analyte, _unit in analytes:
        key = (analyte or "").strip().casefold()
        if not key:
            errors["analytes"] = "Each result needs a name (for example “Ferritin”)."
        elif key in seen:
            errors["analytes"] = f"“{analyte}” is listed twice."
        seen.add(key)
    if errors:
        raise ValidationError(errors)
    with store.transaction() as db:
        position = db.execute("SELECT coalesce(max(position), 0) + 1 FROM test_type").fetchone()[0]
        type_id = int(db["test_type"].insert(
            {"name": clean, "category": category or "other", "builtin": 0,
             "position": position}).last_pk)
        db["analyte"].insert_all(
            {"test_type_id": type_id, "name": a.strip(), "unit": (u or "").strip() or None,
             "position": i} for i, (a, u) in enumerate(analytes))
    return type_id



def delete_test_type(store: Store, type_id: int) -> None:
    """Delete a test type, refusing (RecordError) while any test still uses it."""
    used = store.execute("SELECT count(*) FROM test WHERE test_type_id = ?",
                         [type_id]).fetchone()[0]
    if used:
        raise RecordError(
            f"This kind of test is used by {used} test{'s' if used != 1 else ''} in the record, "
            "so it cannot be deleted. Those tests would lose their kind.")
    with store.transaction() as db:
        db.execute("DELETE FROM test_type WHERE id = ?", [type_id])


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
                "SELECT id, test_id, analyte, value, unit, ref_low, ref_high FROM test_value "
                f"WHERE test_id IN ({marks}) ORDER BY id", chunk):
            found.setdefault(row["test_id"], []).append(row)
    return found


def format_value(value: float) -> str:
    """A number without needless decimals (12.5, 40, 0.25)."""
    return f"{value:g}"


def values_text(values: list[Row]) -> str:
    """A test's results in one line: "VMA 12.5 mg/L · HVA 20 mg/L"."""
    return " · ".join(
        f"{v['analyte']} {format_value(v['value'])}{' ' + v['unit'] if v.get('unit') else ''}"
        for v in values)


def list_tests(store: Store, child_id: int, *, type_id: int | None = None,
               status: str | None = None, date_from: str | None = None,
               date_to: str | None = None, text: str | None = None, sort: str = "date",
               descending: bool = True, limit: int | None = None, offset: int = 0) -> list[Row]:
    """Tests of a child, filtered and sorted by the database, with their results as text."""
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
        row["values_text"] = values_text(row["values"])
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


def next_visit(store: Store, child_id: int, now: datetime) -> Row | None:
    """The first visit at or after ``now``."""
    rows = store.query("SELECT * FROM visit WHERE child_id = ? AND starts_at >= ? "
                       "ORDER BY starts_at, id LIMIT 1", [child_id, _minute(now)])
    return rows[0] if rows else None


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


def _latest_two(store: Store, child_id: int, analyte: str) -> list[Row]:
    # Walk the child's tests newest first and stop at the second one with this analyte:
    # CROSS JOIN keeps SQLite from sorting every value of the analyte first.
    return store.query(
        "SELECT v.analyte, v.value, v.unit, v.ref_low, v.ref_high, t.date, t.id AS test_id, "
        "t.test_type_id FROM test t CROSS JOIN test_value v ON v.test_id = t.id "
        "AND v.analyte = ? WHERE t.child_id = ? ORDER BY t.date DESC, t.id DESC, v.id DESC "
        "LIMIT 2", [analyte, child_id])


def series(store: Store, child_id: int, analyte: str) -> list[Row]:
    """One analyte's values over time, oldest first."""
    return store.query(
        "SELECT t.date, v.value, v.unit, v.ref_low, v.ref_high, t.id AS test_id "
        "FROM test_value v JOIN test t ON t.id = v.test_id "
        "WHERE t.child_id = ? AND v.analyte = ? ORDER BY t.date, t.id", [child_id, analyte])


_MASS_TO_MG = {"mg": 1.0, "g": 1000.0, "µg": 0.001, "ug": 0.001, "mcg": 0.001}


def _ratio_unit(numerator: str | None, denominator: str | None) -> tuple[float, str]:
    """Scale and unit for numerator/denominator, e.g. mg/L ÷ g/L → (1, "mg/g creatinine")."""
    try:
        top_mass, top_volume = (numerator or "").split("/")
        bottom_mass, bottom_volume = (denominator or "").split("/")
    except ValueError:
        return 1.0, f"{numerator or '?'} per {denominator or '?'} creatinine"
    if top_volume == bottom_volume and bottom_mass in _MASS_TO_MG and top_mass in _MASS_TO_MG:
        # Express per gram of creatinine, the usual way labs report it.
        scale = _MASS_TO_MG["g"] / _MASS_TO_MG[bottom_mass]
        return scale, f"{top_mass}/g creatinine"
    return 1.0, f"{numerator} per {denominator} creatinine"


def ratio_series(store: Store, child_id: int, analyte: str,
                 denominator: str = "Creatinine (urine)") -> list[Row]:
    """``analyte`` divided by ``denominator`` from the same test, oldest first."""
    rows = store.query(
        "SELECT t.date, t.id AS test_id, v.value, v.unit, d.value AS denominator, "
        "d.unit AS denominator_unit FROM test_value v JOIN test t ON t.id = v.test_id "
        "JOIN test_value d ON d.test_id = v.test_id AND d.analyte = ? "
        "WHERE t.child_id = ? AND v.analyte = ? AND d.value > 0 ORDER BY t.date, t.id",
        [denominator, child_id, analyte])
    result = []
    for row in rows:
        scale, unit = _ratio_unit(row["unit"], row["denominator_unit"])
        # A computed ratio is no more exact than the values it comes from: three
        # significant figures ("178", not "178.298").
        ratio = float(f"{row['value'] / row['denominator'] * scale:.3g}")
        result.append({"date": row["date"], "value": ratio,
                       "unit": unit, "ref_low": None, "ref_high": None,
                       "test_id": row["test_id"]})
    return result


def _trend(value: float, previous: float | None) -> str | None:
    if previous is None:
        return None
    if value > previous:
        return "up"
    if value < previous:
        return "down"
    return "same"


def _outside(value: float, low: float | None, high: float | None) -> bool | None:
    if low is None and high is None:
        return None
    return (low is not None and value < low) or (high is not None and value > high)


def latest_results(store: Store, child_id: int) -> list[Row]:
    """For each analyte ever recorded: its latest value, the one before, and the direction."""
    type_names = {row["id"]: row["name"] for row in store.query("SELECT id, name FROM test_type")}
    rows = []
    for analyte in _all_analytes(store):
        found = _latest_two(store, child_id, analyte)
        if not found:
            continue
        latest = found[0]
        previous = found[1] if len(found) > 1 else None
        latest["type_name"] = type_names.get(latest.pop("test_type_id"))
        latest["previous_value"] = previous["value"] if previous else None
        latest["previous_date"] = previous["date"] if previous else None
        latest["trend"] = _trend(latest["value"], latest["previous_value"])
        latest["outside_range"] = _outside(latest["value"], latest["ref_low"], latest["ref_high"])
        rows.append(latest)
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


def _previous_value(store: Store, child_id: int, analyte: str, before_date: str,
                    before_test: int) -> Row | None:
    rows = store.query(
        "SELECT v.value, v.unit, t.date FROM test_value v JOIN test t ON t.id = v.test_id "
        "WHERE t.child_id = ? AND v.analyte = ? AND (t.date < ? OR (t.date = ? AND t.id < ?)) "
        "ORDER BY t.date DESC, t.id DESC LIMIT 1",
        [child_id, analyte, before_date, before_date, before_test])
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
            previous = _previous_value(store, child_id, value["analyte"], test["date"],
                                       test["id"])
            value["previous_value"] = previous["value"] if previous else None
            value["previous_date"] = previous["date"] if previous else None
            value["previous_unit"] = previous["unit"] if previous else None
    diary = store.query("SELECT * FROM diary_entry WHERE child_id = ? AND at > ? AND at < ? "
                        "ORDER BY at, id", [child_id, low, high])
    visits = store.query("SELECT * FROM visit WHERE child_id = ? AND starts_at > ? "
                         "AND starts_at < ? ORDER BY starts_at, id", [child_id, low, high])
    return {"events": events, "tests": tests, "diary": diary, "visits": visits}


# Between-visit reads live in their own module for length; every name stays importable here.
from nbcompanion.record.queries_daily import (  # noqa: E402
    answered_questions,
    count_diary,
    dose_times,
    list_diary,
    list_doses,
    list_medicines,
    list_team,
    log_dose,
    mark_asked,
    move_team_member,
    open_questions,
    order_team,
    questions_for_visit,
    todays_doses,
)

__all__ = [
    "TEST_SORTS", "add_test_type", "answered_questions", "child", "children", "count_diary",
    "count_tests", "count_visits", "current_phase", "delete_test_type", "dose_times",
    "format_value", "latest_results", "list_diary", "list_doses", "list_events",
    "list_medicines", "list_phases", "list_team", "list_tests", "list_visits", "log_dose",
    "mark_asked", "move_team_member", "next_visit", "numeric_analytes", "open_questions",
    "order_team", "previous_visit",
    "questions_for_visit", "ratio_series", "series", "since", "test_types", "timeline",
    "todays_doses", "type_history", "values_text",
]
