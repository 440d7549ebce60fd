"""The painted timeline: phases as coloured bands over time, tests and visits as marks.

The canvas owns its mapping between dates and pixels (:meth:`TimelineCanvas.x_of`) and the
rectangle of every mark, so painting, clicking and tests all use the same geometry.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, NamedTuple

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFontMetrics,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPolygonF,
    QWheelEvent,
)
from PySide6.QtWidgets import QToolTip, QWidget

from nbcompanion.record import vocab
from nbcompanion.ui.record.common import day_text, parse_day, when_text
from nbcompanion.ui.theme import readable
from nbcompanion.ui.translate import tr
from nbcompanion.wording import month_text

AXIS_HEIGHT = 34
PAD_X = 24
MIN_PX_PER_DAY = 0.05
MAX_PX_PER_DAY = 60.0

#: (key, title, top, height) of each lane; the label column draws the same titles.
LANES = (
    ("phases", "Phases", 40, 34),
    ("events", "Treatment", 80, 24),
    ("lab", "Lab tests", 110, 22),
    ("imaging", "Scans", 138, 22),
    ("pathology", "Biopsies, genetics", 166, 22),
    ("exam", "Exams, other", 194, 22),
    ("visits", "Visits", 222, 24),
)
HEIGHT = 272
_TEST_LANE = {"lab": "lab", "imaging": "imaging", "pathology": "pathology",
              "genetic": "pathology", "exam": "exam"}

#: Soft colours for phase bands, by kind (chosen to tell phases apart, not to rank them).
PHASE_COLOURS = {
    "induction": "#9ecae1", "consolidation": "#c6a5d6", "maintenance": "#a1d99b",
    "post_maintenance": "#fdd49e", "observation": "#d9d9d9", "treatment_course": "#b3cde3",
    "recurrence": "#fbb4ae",
}
MARK_COLOURS = {"events": "#6a51a3", "lab": "#2171b5", "imaging": "#238b45",
                "pathology": "#8c6d31", "exam": "#636363", "visits": "#d94801"}
TODAY_COLOUR = "#c51b7d"


@dataclass(frozen=True)
class Mark:
    """One clickable thing on the timeline: its entry and where it is drawn."""

    table: str
    entry_id: int
    lane: str
    rect: QRectF
    row: dict[str, Any]
    hollow: bool = False

    @property
    def tooltip(self) -> str:
        """What the mark is, in words (made only when asked: there may be thousands)."""
        return {"phase": _phase_tip, "treatment_event": _event_tip, "test": _test_tip,
                "visit": _visit_tip}[self.table](self.row)


class _Item(NamedTuple):
    """A mark before it has a position: its day (as an ordinal) and what it shows."""

    ordinal: int
    lane: str
    table: str
    entry_id: int
    hollow: bool
    row: dict[str, Any]


def lane_box(key: str) -> tuple[float, float]:
    """(top, height) of lane ``key``."""
    for lane, _title, top, height in LANES:
        if lane == key:
            return float(top), float(height)
    raise KeyError(key)


def describe_timeline(data: dict[str, list[dict[str, Any]]]) -> str:
    """What the picture shows, in words; "As a list" is the same in a table."""
    counts = [(len(data.get(key, [])), one, many) for key, one, many in (
        ("phases", "treatment phase", "treatment phases"),
        ("events", "treatment event", "treatment events"),
        ("tests", "test", "tests"), ("visits", "visit", "visits"))]
    shown = [f"{n} {one if n == 1 else many}" for n, one, many in counts if n]
    if not shown:
        return "The timeline is empty: nothing is recorded yet."
    return ("The timeline shows " + ", ".join(shown) + " over time, with today marked. "
            "“As a list” shows the same entries as a table, newest first.")


class TimelineCanvas(QWidget):
    """Phases, treatment events, tests and visits over time; zoom with Ctrl+wheel.

    Signals:
        mark_clicked(str, int): a mark was clicked (its table and id).
        zoom_changed(float, float): new pixels per day, and the content x to keep in place.
    """

    mark_clicked = Signal(str, int)
    zoom_changed = Signal(float, float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timeline_canvas")
        self.setAccessibleName(tr("Timeline"))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.start = date.today() - timedelta(days=30)
        self.end = date.today() + timedelta(days=30)
        self.today = date.today()
        self.px_per_day = 2.0
        self._items: list[_Item] = []
        self._ordinals: list[int] = []
        self._data: dict[str, list[dict[str, Any]]] = {}
        self.setFixedHeight(HEIGHT)

    # -- data and geometry -------------------------------------------------------------------
    def set_data(self, data: dict[str, list[dict[str, Any]]], today: date | None = None) -> None:
        """Show ``queries.timeline()``'s phases, events, tests and visits."""
        self._data = data
        self.setAccessibleDescription(describe_timeline(data))
        self.today = today or date.today()
        items: list[_Item] = []
        for key, field, table in (("events", "date", "treatment_event"),
                                  ("tests", "date", "test"), ("visits", "starts_at", "visit")):
            for row in data.get(key, []):
                day = parse_day(row.get(field))
                if day is None:
                    continue
                if table == "test":
                    lane = _TEST_LANE.get(row.get("category") or "", "exam")
                    hollow = row.get("status") == "scheduled"
                elif table == "visit":
                    lane, hollow = "visits", day >= self.today
                else:
                    lane, hollow = "events", False
                items.append(_Item(day.toordinal(), lane, table, int(row["id"]), hollow, row))
        items.sort(key=lambda item: item.ordinal)
        self._items = items
        self._ordinals = [item.ordinal for item in items]
        days = [self.today]
        if items:
            days += [date.fromordinal(items[0].ordinal), date.fromordinal(items[-1].ordinal)]
        for phase in data.get("phases", []):
            days += [d for d in (parse_day(phase.get("start_date")),
                                 parse_day(phase.get("actual_end") or phase.get("planned_end")))
                     if d]
        self.start = min(days) - timedelta(days=14)
        self.end = max(days) + timedelta(days=30)
        self._resized()

    def set_zoom(self, px_per_day: float) -> None:
        """Pixels per day (clamped to a sensible range)."""
        self.px_per_day = max(MIN_PX_PER_DAY, min(MAX_PX_PER_DAY, px_per_day))
        self._resized()

    def _resized(self) -> None:
        # Positions are computed when painted or clicked, so zooming costs nothing per mark.
        self.setFixedWidth(self.content_width())
        self.update()

    def x_of(self, day: date) -> float:
        """The x position of ``day`` (its start)."""
        return PAD_X + (day - self.start).days * self.px_per_day

    def day_at(self, x: float) -> date:
        """The day under x."""
        return self.start + timedelta(days=int((x - PAD_X) // self.px_per_day))

    def content_width(self) -> int:
        """The width the whole span needs at this zoom."""
        return int(PAD_X * 2 + ((self.end - self.start).days + 1) * self.px_per_day)

    def sizeHint(self) -> QSize:
        """As wide as the span needs."""
        return QSize(self.content_width(), HEIGHT)

    def has_entries(self) -> bool:
        """True when there is anything to draw."""
        return bool(self._items or self._data.get("phases"))

    def mark_radius(self) -> float:
        """Half the size of a mark at this zoom."""
        # Smaller when days are close together, so a busy stretch stays a row of marks.
        return max(2.5, min(5.0, self.px_per_day * 0.9))

    def _centre(self, item: _Item) -> QPointF:
        top, height = lane_box(item.lane)
        x = PAD_X + (item.ordinal - self.start.toordinal()) * self.px_per_day
        return QPointF(x + self.px_per_day / 2, top + height / 2)

    def _mark(self, item: _Item) -> Mark:
        centre, radius = self._centre(item), self.mark_radius()
        rect = QRectF(centre.x() - radius, centre.y() - radius, radius * 2, radius * 2)
        return Mark(item.table, item.entry_id, item.lane, rect, item.row, item.hollow)

    def _items_between(self, left: float, right: float) -> list[_Item]:
        first = self.start.toordinal()
        lo = bisect.bisect_left(self._ordinals,
                                first + math.floor((left - PAD_X) / self.px_per_day))
        hi = bisect.bisect_right(self._ordinals,
                                 first + math.ceil((right - PAD_X) / self.px_per_day))
        return self._items[lo:hi]

    @property
    def marks(self) -> list[Mark]:
        """Every mark with its position (for tests and tools; painting works by range)."""
        return [self._mark(item) for item in self._items]

    def phase_rect(self, phase: dict[str, Any]) -> QRectF | None:
        """Where a phase's band is drawn (to today while it has no end)."""
        start = parse_day(phase.get("start_date"))
        if start is None:
            return None
        end = parse_day(phase.get("actual_end")) or parse_day(phase.get("planned_end"))
        if end is None or end < start:
            end = max(start, self.today)
        top, height = lane_box("phases")
        left = self.x_of(start)
        return QRectF(left, top, max(self.x_of(end + timedelta(days=1)) - left, 3.0), height)

    def mark_of(self, table: str, entry_id: int) -> Mark | None:
        """The mark of an entry, if it is on the timeline."""
        item = next((i for i in self._items if i.table == table and i.entry_id == entry_id),
                    None)
        return None if item is None else self._mark(item)

    def mark_at(self, point: QPointF) -> Mark | None:
        """The mark under ``point`` (a few pixels of slack), else a phase band as a mark."""
        slack = 3.0
        radius = self.mark_radius() + slack
        best, best_distance = None, 1e9
        for item in self._items_between(point.x() - radius - 1, point.x() + radius + 1):
            centre = self._centre(item)
            if abs(centre.x() - point.x()) <= radius and abs(centre.y() - point.y()) <= radius:
                distance = abs(centre.x() - point.x())
                if distance < best_distance:
                    best, best_distance = item, distance
        if best is not None:
            return self._mark(best)
        for phase in self._data.get("phases", []):
            rect = self.phase_rect(phase)
            if rect is not None and rect.contains(point):
                return Mark("phase", int(phase["id"]), "phases", rect, phase)
        return None

    # -- interaction -------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        """Clicking a mark opens its entry."""
        mark = self.mark_at(event.position())
        if mark is not None and event.button() == Qt.MouseButton.LeftButton:
            self.mark_clicked.emit(mark.table, mark.entry_id)
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        """A hand over marks, so it is clear they can be clicked."""
        over = self.mark_at(event.position()) is not None
        self.setCursor(Qt.CursorShape.PointingHandCursor if over else Qt.CursorShape.ArrowCursor)
        super().mouseMoveEvent(event)

    def event(self, event: QEvent) -> bool:
        """Tooltips name the entry under the pointer."""
        if event.type() == QEvent.Type.ToolTip:
            mark = self.mark_at(QPointF(event.pos()))  # type: ignore[attr-defined]
            if mark is not None:
                QToolTip.showText(event.globalPos(), mark.tooltip, self)  # type: ignore[attr-defined]
            else:
                QToolTip.hideText()
            return True
        return super().event(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        """Ctrl+wheel zooms around the pointer; a plain wheel scrolls as usual."""
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            factor = 1.25 if event.angleDelta().y() > 0 else 0.8
            self.zoom_changed.emit(self.px_per_day * factor, event.position().x())
            event.accept()
            return
        super().wheelEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """+ and − zoom in and out around the middle of the view."""
        key = event.key()
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal, Qt.Key.Key_Minus):
            factor = 0.8 if key == Qt.Key.Key_Minus else 1.25
            middle = self.visibleRegion().boundingRect().center().x()
            self.zoom_changed.emit(self.px_per_day * factor, float(middle))
            return
        super().keyPressEvent(event)

    # -- painting ----------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        """Axis, lanes, phase bands, marks and today — only what is in view."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        area = QRectF(event.rect())
        palette = self.palette()
        painter.fillRect(area, palette.color(QPalette.ColorRole.Base))
        self._paint_lanes(painter, area, palette)
        self._paint_axis(painter, area, palette)
        self._paint_phases(painter, area)
        self._paint_marks(painter, area)
        self._paint_today(painter)
        painter.end()

    def _paint_lanes(self, painter: QPainter, area: QRectF, palette: QPalette) -> None:
        alternate = palette.color(QPalette.ColorRole.AlternateBase)
        for index, (_key, _title, top, height) in enumerate(LANES):
            if index % 2:
                painter.fillRect(QRectF(area.left(), top - 2, area.width(), height + 4), alternate)

    def _paint_axis(self, painter: QPainter, area: QRectF, palette: QPalette) -> None:
        text = palette.color(QPalette.ColorRole.Text)
        grid = QColor(palette.color(QPalette.ColorRole.Mid))
        grid.setAlpha(90)
        year_line = QColor(palette.color(QPalette.ColorRole.Mid))
        metrics = QFontMetrics(self.font())
        first = self.day_at(max(area.left(), PAD_X))
        last = self.day_at(area.right()) + timedelta(days=1)
        month = date(first.year, first.month, 1)
        show_months = self.px_per_day * 30 >= metrics.horizontalAdvance("Sep") + 8
        while month <= last:
            x = self.x_of(month)
            if month.month == 1 or show_months:
                is_year = month.month == 1
                painter.setPen(QPen(grid if not is_year else year_line, 1))
                painter.drawLine(QPointF(x, AXIS_HEIGHT - (14 if is_year else 6)),
                                 QPointF(x, HEIGHT))
                painter.setPen(text)
                label = str(month.year) if is_year else month_text(month)
                if is_year:
                    font = painter.font()
                    font.setBold(True)
                    painter.setFont(font)
                painter.drawText(QPointF(x + 3, AXIS_HEIGHT - 18 if is_year else AXIS_HEIGHT - 4),
                                 label)
                if is_year:
                    font = painter.font()
                    font.setBold(False)
                    painter.setFont(font)
            month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
        # The year of the first visible day, so every view says which year it shows.
        next_january = date(first.year + 1, 1, 1)
        room = self.x_of(next_january) - max(area.left(), PAD_X)
        if first.month != 1 and room > metrics.horizontalAdvance("2026") + 12:
            painter.setPen(text)
            painter.drawText(QPointF(max(area.left(), PAD_X) + 3, AXIS_HEIGHT - 18),
                             str(first.year))

    def _paint_phases(self, painter: QPainter, area: QRectF) -> None:
        for phase in self._data.get("phases", []):
            rect = self.phase_rect(phase)
            if rect is None or not rect.intersects(area):
                continue
            colour = QColor(PHASE_COLOURS.get(phase.get("kind") or "", "#d9d9d9"))
            painter.setPen(QPen(colour.darker(140), 1))
            painter.setBrush(colour)
            painter.drawRoundedRect(rect, 4, 4)
            painter.setPen(QColor("#1a1a1a"))
            label = vocab.label(vocab.PHASE_KINDS, phase.get("kind"))
            metrics = QFontMetrics(painter.font())
            visible = rect.intersected(area).adjusted(6, 0, -4, 0)
            if visible.width() > 24:
                painter.drawText(visible, Qt.AlignmentFlag.AlignVCenter,
                                 metrics.elidedText(label, Qt.TextElideMode.ElideRight,
                                                    int(visible.width())))

    def _paint_marks(self, painter: QPainter, area: QRectF) -> None:
        # One drawPoints call per lane and style, with a wide pen: thousands of marks cost a
        # handful of Qt calls (a round cap draws a dot, a square cap a square).
        groups: dict[tuple[str, bool], list[QPointF]] = {}
        seen: set[tuple[str, bool, int]] = set()
        first, step = self.start.toordinal(), self.px_per_day
        offset = PAD_X + step / 2
        middles = {key: top + height / 2 for key, _title, top, height in LANES}
        for item in self._items_between(area.left() - 12, area.right() + 12):
            x = offset + (item.ordinal - first) * step
            key = (item.lane, item.hollow, int(x))
            if key in seen:  # zoomed out, many marks share a pixel: draw it once
                continue
            seen.add(key)
            groups.setdefault(key[:2], []).append(QPointF(x, middles[item.lane]))
        base = self.palette().color(QPalette.ColorRole.Base)
        size = self.mark_radius() * 2
        for (lane, hollow), centres in groups.items():
            colour = QColor(MARK_COLOURS.get(lane, "#636363"))
            if lane == "visits":
                self._paint_diamonds(painter, centres, colour, base, size * 1.25, hollow)
                continue
            cap = Qt.PenCapStyle.SquareCap if lane == "events" else Qt.PenCapStyle.RoundCap
            width = size * 0.85 if lane == "events" else size
            painter.setPen(QPen(colour, width, Qt.PenStyle.SolidLine, cap))
            points = QPolygonF(centres)
            painter.drawPoints(points)
            if hollow:
                painter.setPen(QPen(base, width - 3, Qt.PenStyle.SolidLine, cap))
                painter.drawPoints(points)

    @staticmethod
    def _paint_diamonds(painter: QPainter, centres: list[QPointF], colour: QColor,
                        base: QColor, size: float, hollow: bool) -> None:
        # Squares drawn in a coordinate system turned by 45°: the points are turned back first.
        half = math.sqrt(0.5)
        turned = QPolygonF([QPointF(half * (p.x() + p.y()), half * (p.y() - p.x()))
                            for p in centres])
        painter.save()
        painter.rotate(45)
        painter.setPen(QPen(colour, size * half * 1.4, Qt.PenStyle.SolidLine,
                            Qt.PenCapStyle.SquareCap))
        painter.drawPoints(turned)
        if hollow:
            painter.setPen(QPen(base, size * half * 1.4 - 3, Qt.PenStyle.SolidLine,
                                Qt.PenCapStyle.SquareCap))
            painter.drawPoints(turned)
        painter.restore()

    def _paint_today(self, painter: QPainter) -> None:
        x = self.x_of(self.today) + self.px_per_day / 2
        base = self.palette().color(QPalette.ColorRole.Base)
        # The magenta on a light base; lightened on a dark one until it reads (AA).
        colour = readable(TODAY_COLOUR, [base], self.palette().color(QPalette.ColorRole.Text))
        painter.setPen(QPen(colour, 2))
        painter.drawLine(QPointF(x, AXIS_HEIGHT - 2), QPointF(x, HEIGHT - 18))
        font = painter.font()
        font.setBold(True)
        painter.setFont(font)
        # Below the lanes, centred on the line: never over a month name or a mark.
        width = QFontMetrics(font).horizontalAdvance("Today")
        painter.drawText(QPointF(x - width / 2, HEIGHT - 4), "Today")


def _phase_tip(phase: dict[str, Any]) -> str:
    kind = vocab.label(vocab.PHASE_KINDS, phase.get("kind"))
    end = phase.get("actual_end") or phase.get("planned_end")
    return f"{kind}: {day_text(phase.get('start_date'))}" + (f" – {day_text(end)}" if end else "")


def _event_tip(event: dict[str, Any]) -> str:
    from nbcompanion.ui.record.treatment_dialogs import event_title

    return f"{day_text(event.get('date'))}: {event_title(event)}"


def _test_tip(test: dict[str, Any]) -> str:
    status = vocab.label(vocab.TEST_STATUSES, test.get("status"))
    return f"{day_text(test.get('date'))}: {test.get('type_name') or 'Test'} ({status.lower()})"


def _visit_tip(visit: dict[str, Any]) -> str:
    kind = vocab.label(vocab.VISIT_KINDS, visit.get("kind"), "Visit")
    return f"{when_text(visit.get('starts_at'))}: {kind}" + (
        f", {visit['place']}" if visit.get("place") else "")


def lane_labels_width() -> int:
    """Width of the fixed column of lane titles."""
    return 130
