"""Collecting what a report shows, through the record's shared queries.

Reports read the record only through :mod:`nbcompanion.record.queries` (and
:mod:`nbcompanion.record.dates`), and gather it into the plain data classes the report
modules lay out — so the layout can be tested without a record, and the record without a PDF.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from nbcompanion.record import entries, vocab
from nbcompanion.record.measures import UnitSeries
from nbcompanion.record.store import Store
from nbcompanion.reports import full_record, visit_summary
from nbcompanion.reports.chart import PhaseBand, bands_from_rows, points_from_rows
from nbcompanion.reports.full_record import FullRecordData
from nbcompanion.reports.pdf import ProgressCallback, RenderResult
from nbcompanion.reports.visit_summary import (
    CHART_MONTHS,
    TRACKED_ANALYTES,
    Trend,
    VisitSummaryData,
)
from nbcompanion.wording import required_date


@contextlib.contextmanager
def own_connection(store: Store, *, write: bool = False) -> Iterator[Store]:
    """The same record through a connection of this thread's own, for background work.

    SQLite connections belong to the thread that opened them; a worker thread reading the
    record for an export opens its own (read only unless ``write``) and closes it when
    done. A record kept only in memory (tests) has no file to open: then ``store`` itself is
    given back, and the caller must stay on its thread.
    """
    if store.path is None:
        yield store
        return
    conn = sqlite3.connect(str(store.path), timeout=10)
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA busy_timeout = 10000")
        if write:
            conn.execute("PRAGMA synchronous = FULL")
        else:
            conn.execute("PRAGMA query_only = ON")
        yield Store(conn, store.path)
    finally:
        conn.close()


def _dicts(rows: Iterable[Any] | None) -> list[dict[str, Any]]:
    return [dict(row) for row in rows or []]


def _day(value: Any) -> date:
    return required_date(value)


def _phase_labels() -> dict[str, str]:
    return {choice.key: choice.label for choice in vocab.PHASE_KINDS}


def phase_bands(store: Store, child_id: int) -> list[PhaseBand]:
    """The child's treatment phases as chart bands, labelled in plain words."""
    from nbcompanion.record import queries

    return bands_from_rows(_dicts(queries.list_phases(store, child_id)), labels=_phase_labels())


def _age(child: Mapping[str, Any], on: date) -> str:
    from nbcompanion.record import dates

    if not child.get("birth_date"):
        return ""
    try:
        return str(dates.age_text(child["birth_date"], on))
    except (ValueError, TypeError):
        return ""


def _converted_note(rows: list[dict[str, Any]]) -> str:
    from nbcompanion.record.units import display

    typed = sorted({display(r.get("typed_unit")) or str(r.get("typed_unit") or "")
                    for r in rows if r.get("converted")})
    count = sum(1 for r in rows if r.get("converted"))
    if not count:
        return ""
    return (f"{count} value{'s' if count != 1 else ''} typed in {', '.join(typed)}, "
            "shown converted")


def _series(store: Store, child_id: int, analytes: Iterable[str]) -> dict[str, list[UnitSeries]]:
    """Each analyte's values, one series per unit family, in the child's display unit."""
    from nbcompanion.record import measures

    return {analyte: measures.unit_series(store, child_id, analyte) for analyte in analytes}


def _title(analyte: str, group: UnitSeries, groups: list[UnitSeries]) -> str:
    return f"{analyte} per creatinine" if group.is_ratio and len(groups) > 1 else analyte


def _three_digits(value: Any) -> Any:
    # A converted number has no more precision than three significant digits.
    return float(f"{value:.3g}") if isinstance(value, float) and value else value


def latest_values(series: Mapping[str, list[UnitSeries]], until: date
                  ) -> list[dict[str, Any]]:
    """Each analyte's last value on or before ``until``, with the one before it *of the same
    unit family* (values that cannot be compared are listed apart, never side by side)."""
    found = []
    for analyte, groups in series.items():
        for group in groups:
            before = [r for r in group.rows
                      if str(r.get("date") or "")[:10] <= until.isoformat()]
            if not before:
                continue
            last = dict(before[-1])
            last["analyte"] = _title(analyte, group, groups)
            if last.get("converted"):
                for key in ("value", "ref_low", "ref_high"):
                    last[key] = _three_digits(last.get(key))
            if len(before) > 1:
                previous = before[-2]
                last.update(previous_value=(_three_digits(previous.get("value"))
                                            if previous.get("converted")
                                            else previous.get("value")),
                            previous_unit=previous.get("unit"),
                            previous_date=previous.get("date"),
                            previous_typed=((previous.get("typed_value"),
                                             previous.get("typed_unit"))
                                            if previous.get("converted") else None))
            found.append(last)
    return found


def trends(store: Store, child_id: int, *, analytes: Iterable[str] = TRACKED_ANALYTES,
           start: date | None = None, end: date | None = None,
           series: Mapping[str, list[UnitSeries]] | None = None) -> list[Trend]:
    """The values of each tracked analyte between ``start`` and ``end`` (where it has any).

    One chart per unit family, in the child's display unit: values that cannot be
    compared (mg/L and mg/g creatinine) never share an axis.
    """
    series = series if series is not None else _series(store, child_id, analytes)
    found = []
    for analyte in analytes:
        groups = series.get(analyte) or []
        for group in groups:
            rows = [r for r in group.rows
                    if (start is None or _day(r["date"]) >= start)
                    and (end is None or _day(r["date"]) <= end)]
            points = points_from_rows(rows)
            if points:
                found.append(Trend(_title(analyte, group, groups), group.unit or "", points,
                                   _converted_note(rows)))
    return found


def visit_summary_data(store: Store, visit_id: int, *, now: datetime) -> VisitSummaryData:
    """Everything the visit summary of ``visit_id`` shows."""
    from nbcompanion.record import queries

    visit = entries.get(store, "visit", visit_id)
    child_id = int(visit["child_id"])
    child = dict(queries.child(store, child_id))
    visit_at = str(visit["starts_at"])
    visit_day = _day(visit_at)
    previous = queries.previous_visit(store, child_id, visit_at)
    previous = dict(previous) if previous else None
    window = queries.since(store, child_id, previous["starts_at"] if previous else None,
                           visit_at)
    phase = queries.current_phase(store, child_id, visit_day)
    phase = dict(phase) if phase else None
    tests = _dicts(window.get("tests"))
    chart_start = visit_day - timedelta(days=round(CHART_MONTHS * 30.44))
    tracked = _series(store, child_id, TRACKED_ANALYTES)
    return VisitSummaryData(
        child=child, visit=visit, today=now.date(), previous_visit=previous, phase=phase,
        phase_day=phase.get("day_number") if phase else None, age=_age(child, visit_day),
        events=_dicts(window.get("events")), tests=tests,
        diary=_dicts(window.get("diary")),
        notes=[v for v in _dicts(window.get("visits"))
               if v.get("id") != visit_id and (v.get("notes") or v.get("decisions"))],
        questions=_dicts(queries.questions_for_visit(store, visit_id, now)),
        team=_dicts(queries.list_team(store, child_id)),
        trends=trends(store, child_id, start=chart_start, end=visit_day, series=tracked),
        phases=phase_bands(store, child_id), latest=latest_values(tracked, visit_day),
    )


def full_record_data(store: Store, child_id: int, *, now: datetime) -> FullRecordData:
    """Everything the full record of ``child_id`` shows."""
    from nbcompanion.record import queries

    child = dict(queries.child(store, child_id))
    tests = _dicts(queries.list_tests(store, child_id, descending=False))
    visits = _dicts(queries.list_visits(store, child_id, upcoming_first=False, now=now))
    visits.reverse()  # oldest first, as every section of the full record
    by_visit: dict[int, list[dict[str, Any]]] = {}
    loose: list[dict[str, Any]] = []
    for question in [*_dicts(queries.answered_questions(store, child_id)),
                     *_dicts(queries.open_questions(store, child_id))]:
        if question.get("visit_id") is not None:
            by_visit.setdefault(int(question["visit_id"]), []).append(question)
        else:
            loose.append(question)
    medicines = _dicts(queries.list_medicines(store, child_id))
    names = {int(m["id"]): m.get("name") for m in medicines}
    doses = [{**dose, "medicine": names.get(int(dose["medicine_id"]))}
             for medicine in medicines
             for dose in _dicts(queries.list_doses(store, int(medicine["id"])))]
    doses.sort(key=lambda d: (str(d.get("at")), str(d.get("medicine")), d["id"]))
    for visit in visits:
        visit["questions"] = sorted(by_visit.get(int(visit["id"]), []),
                                    key=lambda q: (str(q.get("created_at")), q["id"]))
    return FullRecordData(
        child=child, today=now.date(), age=_age(child, now.date()),
        team=_dicts(queries.list_team(store, child_id)),
        phases=_dicts(queries.list_phases(store, child_id)),
        events=_dicts(queries.list_events(store, child_id)),
        tests=tests, visits=visits,
        diary=list(reversed(_dicts(queries.list_diary(store, child_id)))),
        medicines=medicines, questions=loose, doses=doses,
        trends=trends(store, child_id), bands=phase_bands(store, child_id),
    )


# -- gather and write: the one place that knows both the record and the reports ---------
def export_visit_summary(store: Store, visit_id: int, destination: Path | str, *,
                         paper: str = "letter", now: datetime | None = None) -> RenderResult:
    """Gather the record for visit ``visit_id`` and write its summary PDF."""
    data = visit_summary_data(store, visit_id, now=now or datetime.now())
    return visit_summary.write_visit_summary(data, destination, paper=paper)


def export_full_record(store: Store, child_id: int, destination: Path | str, *,
                       paper: str = "letter", now: datetime | None = None,
                       progress: ProgressCallback | None = None) -> RenderResult:
    """Gather the whole record of ``child_id`` and write it as a PDF.

    ``progress`` hears (done, total, text) while the pages are laid out and written, and
    may raise to stop (then no file is left).
    """
    if progress is not None:
        progress(0, 0, "Gathering the record…")
    data = full_record_data(store, child_id, now=now or datetime.now())
    return full_record.write_full_record(data, destination, paper=paper, progress=progress)
