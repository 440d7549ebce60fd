"""The visit summary: one or two pages an oncologist can read in a minute.

In this order: the child, the diagnosis at a glance, the current treatment phase, treatment
since the previous visit, tests since then (each value with its unit, the lab's range and the
previous value beside it), small trend charts of the tracked tumor markers, symptoms and
notes, the family's questions with room for answers, and the care team.

It reports what the family recorded. It never interprets: a value outside the lab's printed
range is said to be "outside the lab's range", and nothing more.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter

from nbcompanion.i18n import _
from nbcompanion.record import vocab
from nbcompanion.record.units import temperature_text
from nbcompanion.reports import html as h
from nbcompanion.reports.chart import (
    ChartPoint,
    ChartStyle,
    PhaseBand,
    paint_legend_in,
    paint_trend_chart,
)
from nbcompanion.reports.pdf import (
    Drawing,
    PageDecoration,
    RenderResult,
    format_date,
    render_pdf,
)

#: The tumor markers and labs charted in a visit summary, when they have values.
TRACKED_ANALYTES = ("VMA", "HVA", "LDH", "Ferritin")
#: How far back the small charts reach.
CHART_MONTHS = 12


@dataclass
class Trend:
    """One analyte's values for a small chart."""

    analyte: str
    unit: str
    points: list[ChartPoint]
    #: Says which values are shown converted ("3 values typed in µmol/L, converted").
    note: str = ""


@dataclass
class VisitSummaryData:
    """Everything a visit summary shows, gathered from the record (see :mod:`.gather`)."""

    child: Mapping[str, Any]
    visit: Mapping[str, Any]
    today: date
    previous_visit: Mapping[str, Any] | None = None
    phase: Mapping[str, Any] | None = None
    phase_day: int | None = None
    age: str = ""
    events: list[dict[str, Any]] = field(default_factory=list)
    tests: list[dict[str, Any]] = field(default_factory=list)
    diary: list[dict[str, Any]] = field(default_factory=list)
    notes: list[dict[str, Any]] = field(default_factory=list)  # visits in between, w/ notes
    questions: list[dict[str, Any]] = field(default_factory=list)
    team: list[dict[str, Any]] = field(default_factory=list)
    trends: list[Trend] = field(default_factory=list)
    phases: list[PhaseBand] = field(default_factory=list)
    #: The latest value of each tracked analyte up to the visit, however long ago, with
    #: its date (and the value before it as "previous_value"/"previous_date").
    latest: list[dict[str, Any]] = field(default_factory=list)

    @property
    def visit_date(self) -> date:
        """The day of the visit."""
        return date.fromisoformat(str(self.visit["starts_at"])[:10])


# -- sections ---------------------------------------------------------------------------------
def _title(data: VisitSummaryData) -> h.Markup:
    visit = data.visit
    kind = h.choice(vocab.VISIT_KINDS, visit.get("kind")) or "Visit"
    who = h.join(visit.get("clinician"), visit.get("place"))
    since = (f"Covers the time since the previous visit on "
             f"{format_date(data.previous_visit['starts_at'])}."
             if data.previous_visit else "Covers everything recorded before this visit.")
    return h.Markup(
        h.heading(1, _("Visit summary — {name}").format(name=data.child.get("name", "")))
        + h.paragraph(h.join(kind, h.when(visit.get("starts_at")), who), "lead")
        + h.paragraph(h.muted(since + (_(" Reason: {reason}.").format(reason=visit['reason'])
                                       if visit.get("reason") else ""), small=True), "intro"))


def _child_and_diagnosis(data: VisitSummaryData) -> h.Markup:
    child = data.child
    person = h.facts([
        ("Name", child.get("name")),
        ("Date of birth", format_date(child.get("birth_date"))),
        ("Age", data.age),
        ("Diagnosed", format_date(child.get("diagnosis_date"))),
        ("Hospital", child.get("hospital")),
    ])
    diagnosis = h.facts([
        ("Stage", h.choice(vocab.STAGES, child.get("stage")).removeprefix("Stage ")),
        ("Risk group", h.choice(vocab.RISK_GROUPS, child.get("risk_group"))),
        ("Primary site", h.choice(vocab.PRIMARY_SITES, child.get("primary_site"))),
        ("Histology", h.choice(vocab.HISTOLOGY, child.get("histology"))),
        ("MYCN", h.choice(vocab.MYCN, child.get("mycn"))),
        ("ALK", h.choice(vocab.ALK, child.get("alk"))),
        ("DNA index", h.choice(vocab.DNA_INDEX, child.get("dna_index"))),
        ("Germline tests", child.get("germline_result")),
    ]) or h.nothing("No diagnosis details recorded.")
    return h.Markup(
        '<table width="100%" cellspacing="0" cellpadding="0" style="margin-top: 10px;"><tr>'
        f'<td width="48%" valign="top">{h.heading(2, _("Child"))}{person}</td>'
        f'<td width="4%"></td>'
        f'<td width="48%" valign="top">{h.heading(2, _("Diagnosis at a glance"))}'
        f'{diagnosis}<p class="muted small">As recorded by the family.</p></td>'
        "</tr></table>")


def _phase(data: VisitSummaryData) -> h.Markup:
    out = h.heading(2, _("Current treatment phase"))
    phase = data.phase
    if not phase:
        return h.Markup(out + h.nothing("No treatment phase is under way in the record."))
    name = h.choice(vocab.PHASE_KINDS, phase.get("kind"))
    day = f"day {data.phase_day}" if data.phase_day else ""
    status = h.choice(vocab.PHASE_STATUSES, phase.get("status"))
    dates = h.join(f"started {format_date(phase.get('start_date'))}",
                   f"planned end {format_date(phase['planned_end'])}"
                   if phase.get("planned_end") else None,
                   f"ended {format_date(phase['actual_end'])}" if phase.get("actual_end")
                   else None)
    line = h.Markup(f"<b>{h.esc(name)}</b>" + (f", {h.esc(day)}" if day else "")
                    + f" {h.muted('(' + status.lower() + ')') if status else ''}")
    notes = h.paragraph(h.muted(phase["notes"]), "small") if phase.get("notes") else ""
    return h.Markup(out + h.paragraph(h.Markup(line)) + h.paragraph(h.muted(dates)) + notes)


def _since_label(data: VisitSummaryData) -> str:
    return "since the previous visit" if data.previous_visit else "recorded before this visit"


def event_label(event: Mapping[str, Any]) -> str:
    """ "Chemotherapy cycle 3", "Radiation therapy", "Surgery, cycle 2"…"""
    what = h.choice(vocab.EVENT_KINDS, event.get("kind")) or "Treatment"
    number = event.get("cycle_number")
    if number:
        what += f" {number}" if what.endswith("cycle") else f", cycle {number}"
    return what


def _events(data: VisitSummaryData) -> h.Markup:
    out = h.heading(2, _("Treatment {since_label}").format(since_label=_since_label(data)))
    if not data.events:
        return h.Markup(out + h.nothing("No treatment recorded in this time."))
    rows = []
    for event in data.events:
        what = event_label(event)
        details = h.lines(event.get("drugs"),
                          h.join(event.get("trial_name"), event.get("nct_number")),
                          h.muted(event["notes"]) if event.get("notes") else None)
        rows.append((h.day(event.get("date")), what, details, event.get("place")))
    return h.Markup(out + h.table(("Date", "Treatment", "Details", "Where"), rows,
                                  widths=(15, 28, 37, 20), nowrap=(0,)))


def value_cells(value: Mapping[str, Any], *, inline: bool = False) -> tuple[Any, ...]:
    """Value (bold), unit, the lab's range (with "outside the lab's range"), previous value."""
    number = value.get("value")
    unit = h.unit(value.get("unit"))
    low, high = value.get("ref_low"), value.get("ref_high")
    shown = h.Markup(f"<b>{h.esc(h.number(number))}</b>")
    limits = h.ref_range(low, high)
    if h.outside_range(number, low, high):
        note = h.muted(_("outside the lab's range"), small=True)
        limits = (h.Markup(f"{h.esc(limits)} &nbsp;{note}") if inline
                  else h.lines(limits, note))
    previous: Any = ""
    if value.get("previous_value") is not None:
        other_unit = value.get("previous_unit")
        shown_unit = (f" {h.unit(other_unit)}"
                      if other_unit and other_unit != value.get("unit") else "")
        typed = value.get("previous_typed")
        # A previous value of the same unit family, converted into this value's unit.
        converted = (f" (converted from {h.number(typed[0])} {h.unit(typed[1])})"
                     if typed else "")
        number = (f"{float(value['previous_value']):.3g}" if typed
                  else h.number(value["previous_value"]))
        previous = h.Markup(
            h.esc(number + shown_unit) + " "
            + h.muted(_("on {day}{converted}").format(
                        day=h.day(value.get('previous_date')), converted=converted), small=True))
    return shown, unit, limits, previous


def _tests(data: VisitSummaryData) -> h.Markup:
    out = h.heading(2, _("Tests {since_label}").format(since_label=_since_label(data)))
    if not data.tests:
        return h.Markup(out + h.nothing("No tests recorded in this time."))
    rows: list[tuple[Any, ...]] = []
    for test in data.tests:
        name = h.row_value(test, "test_type_name", "type_name", "test_type", default="Test")
        status = test.get("status")
        title = h.Markup(f"<b>{h.esc(name)}</b> &nbsp;{h.muted(h.day(test.get('date')))}"
                         + (f" &nbsp;{h.muted(_('(scheduled)'))}" if status == "scheduled" else ""))
        rows.append((h.Span(title, 5),))
        values = test.get("values") or []
        for value in values:
            rows.append((value.get("analyte"), *value_cells(value)))
        text = h.lines(test.get("result_text"),
                       h.muted(test["notes"]) if test.get("notes") else None)
        if text or not values:
            rows.append((h.Span(text or h.muted(_("No result recorded yet.")), 5),))
    return h.Markup(out + h.table(("Result", "Value", "Unit", "Lab's range", "Previous value"),
                                  rows, widths=(27, 10, 13, 25, 25), right=(1,),
                                  nowrap=(4,)))


def _latest(data: VisitSummaryData) -> h.Markup:
    """The latest value of each tracked test with its date, even from before the last visit."""
    if not data.latest:
        return h.Markup("")
    rows = []
    for value in data.latest:
        shown, unit, limits, previous = value_cells(value)
        rows.append((value.get("analyte"), shown, unit, limits, h.day(value.get("date")),
                     previous))
    return h.Markup(h.heading(2, _("Latest values of tracked tests"))
                    + h.table(("Result", "Value", "Unit", "Lab's range", "Measured on",
                               "Previous value"), rows, widths=(18, 10, 12, 20, 16, 24),
                              right=(1,), nowrap=(4, 5)))


def _trend_drawings(data: VisitSummaryData) -> tuple[h.Markup, list[Drawing]]:
    trends = [t for t in data.trends if t.points]
    if not trends:
        return h.Markup(""), []
    drawings: list[Drawing] = []
    width, height = 248.0, 104.0
    cells = []
    for trend in trends:
        drawing = Drawing(f"trend-{len(drawings)}", width, height,
                          partial(_paint_trend, trend=trend, data=data), width_fraction=0.49)
        drawings.append(drawing)
        cells.append(f'<td width="50%" valign="top"><p>{drawing.marker}</p></td>')
    rows = "".join("<tr>" + "".join(cells[i:i + 2]) + "</tr>" for i in range(0, len(cells), 2))
    legend = Drawing("legend", 480.0, 12.0, _paint_legend_box, width_fraction=0.98)
    drawings.append(legend)
    html = (h.heading(2, _("Trends of tracked tests"))
            + h.caption(_("Values from the last {chart_months} months as recorded; the "
                          "shaded band is the range printed by the lab; background bands are "
                          "treatment phases.").format(
                          chart_months=CHART_MONTHS), below=legend.marker)
            + f'<table width="100%" cellspacing="0" cellpadding="0">{rows}</table>')
    return h.Markup(html), drawings


def _paint_trend(painter: QPainter, rect: QRectF, *, trend: Trend, data: VisitSummaryData) -> None:
    start = min(p.date for p in trend.points)
    visit_day = data.visit_date
    paint_trend_chart(painter, rect, trend.points, title=trend.analyte,
                      unit=h.unit(trend.unit) + (f" · {trend.note}" if trend.note else ""),
                      phases=data.phases, today=visit_day, today_label="This visit",
                      start=start, end=max(visit_day, max(p.date for p in trend.points)),
                      style=ChartStyle(font_pt=6.5, title_pt=8.0, point_pt=2.3, line_pt=0.9))


def _paint_legend_box(painter: QPainter, rect: QRectF) -> None:
    paint_legend_in(painter, rect, style=ChartStyle(font_pt=6.5, point_pt=2.3))


def _diary(data: VisitSummaryData) -> h.Markup:
    out = h.heading(2, _("Symptoms and notes {since_label}").format(
                         since_label=_since_label(data)))
    rows: list[tuple[Any, ...]] = []
    for entry in data.diary:
        seen = (entry.get("other_text") if entry.get("symptom") == "other"
                else h.choice(vocab.SYMPTOMS, entry.get("symptom")))
        if entry.get("symptom") != "other" and entry.get("other_text"):
            seen = h.lines(seen, h.muted(entry["other_text"]))
        if temperature_text(entry):
            seen = h.lines(seen, temperature_text(entry))
        rows.append((h.when(entry.get("at")), seen,
                     h.choice(vocab.SEVERITIES, entry.get("severity")), entry.get("notes")))
    for visit in data.notes:
        text = h.lines(visit.get("notes"), visit.get("decisions"))
        if text:
            kind = h.choice(vocab.VISIT_KINDS, visit.get("kind"))
            rows.append((h.when(visit.get("starts_at")), f"Note from a visit ({kind.lower()})",
                         "", text))
    if not rows:
        return h.Markup(out + h.nothing("No symptoms or notes recorded in this time."))
    rows.sort(key=lambda row: str(row[0]))
    return h.Markup(out + h.table(("When", "What was seen", "Severity", "Notes"), rows,
                                  widths=(20, 26, 11, 43), nowrap=(0,)))


def _questions(data: VisitSummaryData) -> h.Markup:
    out = h.heading(2, _("Our questions for this visit"))
    if not data.questions:
        return h.Markup(out + h.nothing("No questions written down for this visit."))
    parts: list[str] = []
    ruled = ('<table class="answer" width="100%" cellspacing="0" cellpadding="0">'
             + "<tr><td>&nbsp;</td></tr>" * 2 + "</table>")
    for number, question in enumerate(data.questions, start=1):
        text = f"{number}. {question.get('text', '')}"
        if question.get("answer"):
            parts.append(h.paragraph(h.Markup(f"<b>{h.esc(text)}</b>")))
            answer = h.Markup(f'{h.muted(_("Answer:"))} {h.esc(question["answer"])}')
            parts.append(h.paragraph(answer, "answered"))
        else:
            parts.append(h.paragraph(h.Markup(f"<b>{h.esc(text)}</b>")))
            parts.append(ruled)
            parts.append("<p></p>")
    return h.Markup(out + "".join(parts))


def _team(data: VisitSummaryData) -> h.Markup:
    if not data.team:
        return h.Markup("")
    rows = [(member.get("name"), h.choice(vocab.CARE_ROLES, member.get("role")),
             member.get("phone"), member.get("email"), member.get("hospital"))
            for member in data.team]
    return h.Markup(h.heading(2, _("Care team")) + h.table(
        ("Name", "Role", "Phone", "E-mail", "Hospital"), rows, widths=(19, 19, 14, 29, 19)))


def summary_html(data: VisitSummaryData) -> tuple[str, list[Drawing]]:
    """The summary as HTML for the engine, and the charts it places."""
    trends, drawings = _trend_drawings(data)
    body = "".join((_title(data), _child_and_diagnosis(data), _phase(data), _events(data),
                    _tests(data), _latest(data), trends, _diary(data), _questions(data),
                    _team(data)))
    return f"<html><body>{body}</body></html>", drawings


def header_text(data: VisitSummaryData) -> str:
    """The right-hand side of each page's header."""
    return f"Visit summary · {format_date(data.visit_date)}"


def write_visit_summary(data: VisitSummaryData, destination: Path | str, *,
                        paper: str = "letter") -> RenderResult:
    """Write the PDF for ``data`` to ``destination`` (atomically)."""
    html, drawings = summary_html(data)
    decoration = PageDecoration(str(data.child.get("name") or ""), header_text(data), data.today)
    return render_pdf(destination, html, decoration=decoration, paper=paper, drawings=drawings,
                      title=_("Visit summary — {name} — {day}").format(
                          name=data.child.get("name", ""), day=format_date(data.visit_date)))


def suggested_file_name(child_name: str, visit_day: date) -> str:
    """A file name a parent will recognise, e.g. "Visit summary Maya 2026-05-03.pdf"."""
    safe = "".join(c for c in child_name if c.isalnum() or c in " -_").strip() or "child"
    return f"Visit summary {safe} {visit_day.isoformat()}.pdf"

