"""The full record: everything the family recorded, for a second opinion or a new hospital.

The profile and care team, then every phase, treatment event, test with its results, visit
(with its questions and answers), diary entry and medicine — each section in date order,
years as sub-headings — behind a table of contents with page numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter

from nbcompanion import i18n, wording
from nbcompanion.i18n import _
from nbcompanion.record import vocab
from nbcompanion.record.units import temperature_text, unit_after
from nbcompanion.reports import html as h
from nbcompanion.reports.chart import ChartStyle, PhaseBand, paint_legend_in, paint_trend_chart
from nbcompanion.reports.pdf import (
    MARKER_CLOSE,
    MARKER_OPEN,
    Drawing,
    PagedDocument,
    PageDecoration,
    ProgressCallback,
    RenderResult,
    format_date,
)
from nbcompanion.reports.visit_summary import Trend, event_label


@dataclass
class FullRecordData:
    """Everything the full record shows, gathered from the record."""

    child: Mapping[str, Any]
    today: date
    age: str = ""
    team: list[dict[str, Any]] = field(default_factory=list)
    phases: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    tests: list[dict[str, Any]] = field(default_factory=list)  # each with "values"
    visits: list[dict[str, Any]] = field(default_factory=list)  # each with "questions"
    diary: list[dict[str, Any]] = field(default_factory=list)
    medicines: list[dict[str, Any]] = field(default_factory=list)
    #: Questions not attached to any visit (those attached are in their visit's row).
    questions: list[dict[str, Any]] = field(default_factory=list)
    doses: list[dict[str, Any]] = field(default_factory=list)  # each with "medicine"
    trends: list[Trend] = field(default_factory=list)
    bands: list[PhaseBand] = field(default_factory=list)


@dataclass
class _Contents:
    """Table-of-contents entries collected while the body is written."""

    entries: list[tuple[int, str, str]] = field(default_factory=list)  # level, title, anchor

    def heading(self, level: int, title: str) -> h.Markup:
        anchor = f"s{len(self.entries)}"
        self.entries.append((level, title, anchor))
        return h.heading(level + 1, title, anchor)


def _token(anchor: str) -> str:
    return f"{MARKER_OPEN}page:{anchor}{MARKER_CLOSE}"


def _year(value: Any) -> str:
    return str(value or "")[:4] or "Undated"


def _by_year(rows: Iterable[Mapping[str, Any]], key: str
             ) -> Iterable[tuple[str, list[Mapping[str, Any]]]]:
    groups: dict[str, list[Mapping[str, Any]]] = {}
    for row in sorted(rows, key=lambda r: str(r.get(key) or "")):
        groups.setdefault(_year(row.get(key)), []).append(row)
    return groups.items()


#: Rows per laid-out document in the long listings, at most, and the characters of HTML
#: their cells reach at most (a test's results are long, a dose log's rows short). Laying
#: a document out holds Python's GIL for the whole call (see bench/bench_export.py):
#: pieces this short keep each call near 30 ms, so the window stays responsive while the
#: export runs on a worker thread; longer pieces would mean fewer documents (less memory).
PIECE_ROWS = 32
PIECE_CHARS = 10000


def _yearly(contents: _Contents, rows: Sequence[Mapping[str, Any]], key: str, empty: str,
            render: Callable[[list[Mapping[str, Any]]], list[h.Markup]], *, toc_years: bool,
            by_month: bool = False) -> list[str]:
    """Parts per year (per month with ``by_month``), the first with its heading, each a
    short piece of the table (the engine stacks them seamlessly)."""
    if not rows:
        return [h.nothing(empty)]
    parts: list[str] = []
    for year, group in _by_year(rows, key):
        heading = contents.heading(2, year) if toc_years else h.heading(3, year)
        if not by_month:
            pieces = render(group)
            parts += [heading + pieces[0], *pieces[1:]]
            continue
        months: dict[str, list[Mapping[str, Any]]] = {}
        for row in group:
            months.setdefault(str(row.get(key) or "")[5:7], []).append(row)
        for index, (month, items) in enumerate(months.items()):
            label = MONTH_NAMES[int(month) - 1] if month.isdigit() else "Undated"
            pieces = render(items)
            parts += [(heading if index == 0 else "")
                      + f'<h4 class="month">{h.esc(label)} {h.esc(year)}</h4>' + pieces[0],
                      *pieces[1:]]
    return parts


def _section(contents: _Contents, title: str, build: Callable[[], list[str]]) -> list[str]:
    """A level-1 section: its heading (listed first in the contents), then its parts."""
    heading = contents.heading(1, title)
    parts = build()
    return [heading + parts[0], *parts[1:]]


MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")


# -- sections ----------------------------------------------------------------------------------
def _profile(data: FullRecordData, contents: _Contents) -> str:
    child = data.child
    facts = h.facts([
        ("Name", child.get("name")),
        ("Date of birth", format_date(child.get("birth_date"))),
        ("Age", data.age),
        ("Diagnosed", format_date(child.get("diagnosis_date"))),
        ("Hospital", child.get("hospital")),
        ("Primary site", h.choice(vocab.PRIMARY_SITES, child.get("primary_site"))),
        ("Stage", h.choice(vocab.STAGES, child.get("stage")).removeprefix("Stage ")),
        ("Risk group", h.choice(vocab.RISK_GROUPS, child.get("risk_group"))),
        ("Histology", h.choice(vocab.HISTOLOGY, child.get("histology"))),
        ("MYCN", h.choice(vocab.MYCN, child.get("mycn"))),
        ("ALK", h.choice(vocab.ALK, child.get("alk"))),
        ("DNA index", h.choice(vocab.DNA_INDEX, child.get("dna_index"))),
        ("Germline tests", child.get("germline_result")),
        ("Notes", child.get("notes")),
    ])
    out = [contents.heading(1, _("Profile and diagnosis")), facts,
           h.paragraph(h.muted(_("Diagnosis details as recorded by the family."), small=True))]
    if data.team:
        out.append(h.heading(3, _("Care team")))
        out.append(h.table(("Name", "Role", "Phone", "E-mail", "Hospital, notes"), [
            (m.get("name"), h.choice(vocab.CARE_ROLES, m.get("role")), m.get("phone"),
             m.get("email"), h.lines(m.get("hospital"), h.muted(m["notes"]) if m.get("notes")
                                     else None)) for m in data.team],
            widths=(19, 19, 14, 26, 22)))
    return "".join(out)


def _phases(data: FullRecordData, contents: _Contents) -> str:
    out = contents.heading(1, _("Treatment phases"))
    if not data.phases:
        return out + h.nothing("No treatment phases recorded.")
    rows = []
    for phase in sorted(data.phases, key=lambda p: str(p.get("start_date"))):
        end = phase.get("actual_end") or phase.get("planned_end")
        ended = "ended" if phase.get("actual_end") else "planned end"
        rows.append((h.choice(vocab.PHASE_KINDS, phase.get("kind")),
                     h.lines(f"from {h.day(phase.get('start_date'))}",
                             f"{ended} {h.day(end)}" if end else None),
                     h.choice(vocab.PHASE_STATUSES, phase.get("status")), phase.get("notes")))
    return out + h.table(("Phase", "Dates", "Status", "Notes"), rows, widths=(26, 24, 14, 36),
                         nowrap=(1,))


def _events_table(events: list[Mapping[str, Any]]) -> list[h.Markup]:
    rows = []
    for event in events:
        rows.append((h.day(event.get("date")), event_label(event),
                     h.lines(event.get("drugs"),
                             h.join(event.get("trial_name"), event.get("nct_number")),
                             h.muted(event["notes"]) if event.get("notes") else None),
                     event.get("place")))
    return h.table_pieces(("Date", "Treatment", "Details", "Where"), rows,
                          widths=(15, 29, 36, 20), nowrap=(0,), chunk_rows=PIECE_ROWS,
                          chunk_chars=PIECE_CHARS)


#: Marks a value outside the lab's printed range in the full record's compact results.
OUTSIDE_MARK = "◇"


def _results_text(values: list[Mapping[str, Any]]) -> h.Markup:
    """All of a test's values in flowing text: "VMA 12.4 mg/L (0–8) ◇ · HVA 9.1 mg/L …".

    Ten years of weekly panels would fill hundreds of pages as one row per value; flowing
    text keeps every number, unit and range in a third of the space.
    """
    pieces = []
    for value in values:
        number = value.get("value")
        low, high = value.get("ref_low"), value.get("ref_high")
        unit = unit_after(number, value.get("unit"))
        before, after = _around_value(value.get("analyte"), unit, low, high,
                                      wording.current_locale(), i18n.language())
        outside = h.outside_range(number, low, high)
        pieces.append(f"{before}{h.esc(h.number(number))}{after}"
                      + (f"&nbsp;{OUTSIDE_MARK}" if outside else ""))
    return h.Markup(" &nbsp;· &nbsp;".join(pieces))


@lru_cache(maxsize=4096)
def _around_value(analyte: Any, unit: str, low: float | None, high: float | None,
                  locale: Any, language: str) -> tuple[str, str]:
    """The HTML before and after a value: "LDH " and "&nbsp;U/L (120–300)".

    Ten years hold 60,000 values but only a few hundred analyte, unit and range alike; the
    locale and language are part of the key, as they change how a range reads.
    """
    limits = h.ref_range(low, high)
    # Plain text, the way labs print a listing: every change of weight or colour is one
    # more run of text for Qt to shape and draw, and ten years hold 60,000 values — a bold
    # value cost the whole PDF a quarter of its time, a grey range another third. (The
    # visit summary, a page or two, keeps its bold values.)
    return (f"{h.esc(analyte)} ",
            f"&nbsp;{h.esc(unit)}" + (f" ({h.esc(limits)})" if limits else ""))


def _tests_list(tests: list[Mapping[str, Any]]) -> list[h.Markup]:
    """Each test as a line with its date, name and place, its results below, indented.

    A list, not a table: the results get the page's whole width (ten years fill about 18 %
    fewer pages), and Qt lays paragraphs out far quicker than table cells, which it
    measures twice. Cut into pieces of at most PIECE_ROWS tests, like the tables.
    """
    pieces: list[h.Markup] = []
    entries: list[str] = []
    size = 0
    for test in tests:
        name = h.row_value(test, "test_type_name", "type_name", "test_type", default="Test")
        status = h.choice(vocab.TEST_STATUSES, test.get("status"))
        about = h.join(status.lower() if test.get("status") == "scheduled" else None,
                       test.get("place"), test.get("clinician"))
        # A heading (h5), so that the paginator keeps it with the results below it.
        head = (f'<h5 class="test"><b>{h.esc(h.day(test.get("date")))} · {h.esc(name)}</b>'
                + (f" {h.muted(about, small=True)}" if about else "") + "</h5>")
        results = h.lines(_results_text(test.get("values") or []) or None,
                          test.get("result_text"),
                          h.muted(test["notes"]) if test.get("notes") else None)
        entry = head + (f'<p class="results">{results}</p>' if results else "")
        entries.append(entry)
        size += len(entry)
        if len(entries) >= PIECE_ROWS or size >= PIECE_CHARS:
            pieces.append(h.Markup("".join(entries)))
            entries, size = [], 0
    if entries or not pieces:
        pieces.append(h.Markup("".join(entries)))
    return pieces


def _visits_table(visits: list[Mapping[str, Any]]) -> list[h.Markup]:
    rows = []
    for visit in visits:
        questions = []
        for question in visit.get("questions") or []:
            questions.append(h.Markup(f"{h.muted(_('Question:'))} {h.esc(question.get('text'))}"))
            if question.get("answer"):
                questions.append(h.Markup(f"{h.muted(_('Answer:'))} {h.esc(question['answer'])}"))
        notes = h.lines(visit.get("reason") and f"Reason: {visit['reason']}", visit.get("notes"),
                        visit.get("decisions") and f"Decided: {visit['decisions']}",
                        visit.get("next_appointment")
                        and f"Next appointment: {visit['next_appointment']}", *questions)
        rows.append((h.when(visit.get("starts_at")),
                     h.choice(vocab.VISIT_KINDS, visit.get("kind")),
                     h.lines(visit.get("clinician"), visit.get("place")), notes))
    return h.table_pieces(("When", "Visit", "With, where", "Notes, decisions and questions"),
                          rows, widths=(18, 14, 20, 48), nowrap=(0,), chunk_rows=PIECE_ROWS,
                          chunk_chars=PIECE_CHARS)


def _diary_table(entries: list[Mapping[str, Any]]) -> list[h.Markup]:
    rows = []
    for entry in entries:
        seen = (entry.get("other_text") if entry.get("symptom") == "other"
                else h.choice(vocab.SYMPTOMS, entry.get("symptom")))
        temperature = temperature_text(dict(entry))
        if temperature:
            seen = h.lines(seen, temperature)
        rows.append((h.when(entry.get("at")), seen,
                     h.choice(vocab.SEVERITIES, entry.get("severity")), entry.get("notes")))
    return h.table_pieces(("When", "What was seen", "Severity", "Notes"), rows,
                          widths=(20, 26, 11, 43), nowrap=(0,), chunk_rows=PIECE_ROWS,
                          chunk_chars=PIECE_CHARS)


def _medicines(data: FullRecordData, contents: _Contents) -> str:
    out = contents.heading(1, _("Medicines"))
    if not data.medicines:
        return out + h.nothing("No medicines recorded.")
    rows = [(m.get("name"), h.lines(m.get("dose"), m.get("frequency"),
                                    m.get("dose_times") and f"at {m['dose_times']}"),
             h.lines(f"from {h.day(m['start_date'])}" if m.get("start_date") else None,
                     f"to {h.day(m['stop_date'])}" if m.get("stop_date") else None),
             h.lines(m.get("purpose"), h.muted(m["notes"]) if m.get("notes") else None),
             m.get("prescribed_by"))
            for m in sorted(data.medicines, key=lambda m: str(m.get("start_date") or ""))]
    return out + h.table(("Medicine", "Dose, how often", "Dates", "What for", "Prescribed by"),
                         rows, widths=(22, 22, 18, 20, 18), nowrap=(2,))


def _questions(data: FullRecordData, contents: _Contents) -> list[str]:
    out = contents.heading(1, _("Questions not tied to a visit"))
    if not data.questions:
        return [out + h.nothing("Every question is listed with its visit above.")]
    rows = []
    for question in sorted(data.questions, key=lambda q: (str(q.get("created_at")), q["id"])):
        status = "Asked" if question.get("asked") else "Not asked yet"
        rows.append((h.day(question.get("created_at")), question.get("text"),
                     h.lines(status, h.Markup(f"{h.muted(_('Answer:'))} "
                                              f"{h.esc(question['answer'])}")
                             if question.get("answer") else None)))
    pieces = h.table_pieces(("Written", "Question", "Asked, answer"), rows,
                            widths=(14, 46, 40), nowrap=(0,), chunk_rows=PIECE_ROWS,
                            chunk_chars=PIECE_CHARS)
    return [out + pieces[0], *pieces[1:]]


def _doses_table(doses: list[Mapping[str, Any]]) -> list[h.Markup]:
    """One row per medicine and month: every dose given (day and time), every dose skipped
    (with the reason noted)."""
    groups: dict[tuple[str, str], list[Mapping[str, Any]]] = {}
    for dose in doses:
        groups.setdefault((str(dose.get("medicine") or ""), str(dose.get("at"))[:7]),
                          []).append(dose)
    rows = []
    for (medicine, _month), items in groups.items():
        given: dict[str, list[str]] = {}
        skipped = []
        for dose in items:
            at = str(dose.get("at") or "")
            if dose.get("status") == "skipped":
                reason = f" ({dose['reason']})" if dose.get("reason") else ""
                skipped.append(f"{h.when(at)}{reason}")
            else:
                given.setdefault(h.day(at[:10]), []).append(at[11:16])
        given_text = " · ".join(f"{day} {' '.join(t for t in times if t)}".strip()
                                for day, times in given.items())
        rows.append((medicine, h.lines(given_text and f"Given: {given_text}",
                                       "Skipped: " + " · ".join(skipped) if skipped else None)))
    return h.table_pieces(("Medicine", "Doses"), rows, widths=(22, 78), chunk_rows=PIECE_ROWS,
                          chunk_chars=PIECE_CHARS)


def _trends(data: FullRecordData, contents: _Contents) -> tuple[str, list[Drawing]]:
    trends = [t for t in data.trends if len(t.points) >= 1]
    if not trends:
        return "", []
    drawings = []
    parts: list[str] = [contents.heading(1, _("Trends of tracked tests"))]
    for index, trend in enumerate(trends):
        drawing = Drawing(f"full-trend-{index}", 504.0, 150.0,
                          partial(_paint_trend, trend=trend, data=data), width_fraction=0.99)
        drawings.append(drawing)
        parts.append(f"<p>{drawing.marker}</p>")
    legend = Drawing("full-legend", 480.0, 13.0, lambda p, r: paint_legend_in(
        p, r, style=ChartStyle(font_pt=7.0)), width_fraction=0.98)
    drawings.append(legend)
    parts.insert(1, h.caption(_("All recorded values; the shaded band is the range printed by "
                              "the lab; background bands are treatment phases."),
                              below=legend.marker))
    return "".join(parts), drawings


def _paint_trend(painter: QPainter, rect: QRectF, *, trend: Trend, data: FullRecordData) -> None:
    paint_trend_chart(painter, rect, trend.points, title=trend.analyte,
                      unit=h.unit(trend.unit) + (f" · {trend.note}" if trend.note else ""),
                      phases=data.bands, today=data.today)


def _planned(data: FullRecordData) -> list[tuple[str, str]]:
    """Tests and visits dated after today, or still only scheduled: (ISO date, what)."""
    today = data.today.isoformat()
    items = []
    for test in data.tests:
        day = str(test.get("date") or "")[:10]
        if day > today or test.get("status") == "scheduled":
            name = h.row_value(test, "test_type_name", "type_name", "test_type", default="Test")
            items.append((day, f"Test: {name}"))
    for visit in data.visits:
        if str(visit.get("starts_at") or "")[:10] > today:
            items.append((str(visit["starts_at"]),
                          f"Visit: {h.choice(vocab.VISIT_KINDS, visit.get('kind'))}"))
    return sorted(items)


def _cover(data: FullRecordData, contents: _Contents) -> str:
    name = data.child.get("name") or ""
    today = data.today.isoformat()
    dates = [str(r.get(k))[:10] for rows, k in ((data.tests, "date"), (data.events, "date"),
                                               (data.visits, "starts_at"),
                                               (data.phases, "start_date"),
                                               (data.diary, "at"))
             for r in rows if r.get(k) and str(r.get(k))[:10] <= today]
    span = (f"Everything recorded from {format_date(min(dates))} up to today, "
            f"{format_date(data.today)}." if dates else "Everything recorded so far.")
    planned = _planned(data)
    rows = []
    for level, title, anchor in contents.entries:
        indent = "&nbsp;" * 6 * (level - 1)
        label = h.Markup(f"{indent}{h.esc(title)}" if level > 1 else f"<b>{h.esc(title)}</b>")
        rows.append(f'<tr><td>{label}</td><td align="right">{_token(anchor)}</td></tr>')
    toc = ('<table class="toc" width="100%" cellspacing="0" cellpadding="0">'
           + "".join(rows) + "</table>")
    ahead = ""
    if planned:
        ahead = (h.heading(2, _("Planned after today"))
                 + h.paragraph(h.muted(_("Scheduled tests and visits; each is also listed in "
                                       "its section, marked as scheduled."), small=True))
                 + h.table(("When", "What"), [(h.when(day), what) for day, what in planned],
                           widths=(22, 78), nowrap=(0,)))
    return (h.heading(1, _("Care record — {name}").format(name=name))
            + h.paragraph(span, "lead")
            + h.paragraph(h.muted(_("Made by the family from their own records, for a second "
                                  "opinion or a new care team. Each section is in date order."),
                                  small=True), "intro")
            + ahead + h.heading(2, _("Contents")) + toc)


def record_html(data: FullRecordData) -> tuple[list[str], list[Drawing], list[str]]:
    """The full record as HTML parts (laid out one below the other), its drawings, and the
    anchors of its contents entries."""
    contents = _Contents()
    parts = [_profile(data, contents) + _phases(data, contents)]
    # Each section's heading is listed before its years, so the contents nest as printed.
    parts += _section(contents, "Treatment events", lambda: _yearly(
        contents, data.events, "date", "No treatment events recorded.", _events_table,
        toc_years=False))
    trends, drawings = _trends(data, contents)
    parts.append(trends)
    legend = h.caption(_("Each test: its date, name and place, then its results with the "
                         "lab's range in brackets. {outside_mark} marks a value outside the "
                         "lab's range, as printed by the lab beside it.").format(
                         outside_mark=OUTSIDE_MARK))
    heading = contents.heading(1, _("Tests and results")) + (legend if data.tests else "")
    tests = _yearly(contents, data.tests, "date", "No tests recorded.", _tests_list,
                    toc_years=True, by_month=True)
    parts += [heading + tests[0], *tests[1:]]
    parts += _section(contents, "Visits", lambda: _yearly(
        contents, data.visits, "starts_at", "No visits recorded.", _visits_table,
        toc_years=False))
    parts += _questions(data, contents)
    parts += _section(contents, "Symptom diary", lambda: _yearly(
        contents, data.diary, "at", "No diary entries recorded.", _diary_table,
        toc_years=False))
    parts.append(_medicines(data, contents))
    parts += _section(contents, "Doses given and skipped", lambda: _yearly(
        contents, data.doses, "at", "No doses logged.", _doses_table, toc_years=False,
        by_month=True))
    cover = _cover(data, contents)
    parts[0] = '<p style="page-break-before: always;"></p>' + parts[0]
    html = [f"<html><body>{part}</body></html>" for part in (cover, *parts) if part]
    return html, drawings, [anchor for _, _, anchor in contents.entries]


def write_full_record(data: FullRecordData, destination: Path | str, *,
                      paper: str = "letter", progress: ProgressCallback | None = None
                      ) -> RenderResult:
    """Lay out the full record, fill in the contents' page numbers, and write the PDF."""
    html, drawings, anchors = record_html(data)
    name = str(data.child.get("name") or "")
    decoration = PageDecoration(name, f"Full care record · made {format_date(data.today)}",
                                data.today)
    document = PagedDocument(html, paper=paper, decoration=decoration, drawings=drawings,
                             title=_("Care record — {name}").format(name=name), progress=progress)
    try:
        document.replace_text({_token(a): str(document.anchors.get(a, "")) for a in anchors})
        return document.write(destination)
    finally:
        document.close()


def suggested_file_name(child_name: str, made_on: date) -> str:
    """e.g. "Care record Maya 2026-05-03.pdf"."""
    safe = "".join(c for c in child_name if c.isalnum() or c in " -_").strip() or "child"
    return f"Care record {safe} {made_on.isoformat()}.pdf"
