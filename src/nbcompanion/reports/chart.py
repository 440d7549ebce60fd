"""The trend chart: one QPainter drawing for the screen and for the PDF.

:func:`paint_trend_chart` paints values over time into any rectangle of any paint device —
a widget, a pixmap or a QPdfWriter (where it stays vector graphics). Sizes are given in
typographic points and converted with the device's resolution, so the chart reads the same
on a screen and on paper.

The chart shows what was recorded and nothing more: the lab's own reference range as a
shaded band, each value as a point (a hollow diamond when it lies outside the lab's range),
treatment phases as labelled background bands, and a "Today" line. It never colours a value
as good or bad.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPagedPaintDevice,
    QPainter,
    QPainterPath,
    QPen,
    QPolygonF,
)

from nbcompanion.reports.decimate import Step, column_extremes, merge_steps
from nbcompanion.reports.scales import date_label, date_ticks, format_number, nice_ticks
from nbcompanion.wording import required_date

#: Marker text explaining the hollow diamond, for legends and tables beside the chart.
OUTSIDE_RANGE_TEXT = "outside the lab's range"


@dataclass(frozen=True)
class ChartPoint:
    """One recorded value: when, how much, which test entry, and the lab's range then."""

    date: date
    value: float
    test_id: int | None = None
    ref_low: float | None = None
    ref_high: float | None = None

    @property
    def outside_range(self) -> bool:
        """True when the value lies outside the range the lab printed beside it."""
        return ((self.ref_low is not None and self.value < self.ref_low)
                or (self.ref_high is not None and self.value > self.ref_high))


@dataclass(frozen=True)
class PhaseBand:
    """A treatment phase drawn as a background band (``end`` None: still under way)."""

    start: date
    end: date | None
    label: str


@dataclass(frozen=True)
class ChartStyle:
    """Colours and sizes (in points); the defaults print well in colour and in grey."""

    ink: str = "#1d2530"
    muted: str = "#5b6675"
    grid: str = "#e3e7ec"
    axis: str = "#9aa4b0"
    line: str = "#2c5f8a"
    range_fill: str = "#d9ecdf"
    range_edge: str = "#9cc7a9"
    phase_fills: tuple[str, ...] = ("#f3efe6", "#e9eff6")
    today: str = "#8a5a2c"
    highlight: str = "#d98c1f"
    background: str | None = "#ffffff"
    font_pt: float = 7.5
    title_pt: float = 9.0
    point_pt: float = 2.6
    line_pt: float = 1.1


def _to_date(value: Any) -> date:
    return required_date(value)


def _optional(row: Mapping[str, Any], *names: str) -> Any:
    for name in names:
        if name in row and row[name] is not None:
            return row[name]
    return None


def points_from_rows(rows: Iterable[Mapping[str, Any] | ChartPoint]) -> list[ChartPoint]:
    """ChartPoints from dict rows with date (or at/starts_at), value, test_id, ref_low, ref_high.

    Rows without a date or a number are skipped; the result is sorted by date.
    """
    points = []
    for row in rows:
        if isinstance(row, ChartPoint):
            points.append(row)
            continue
        when = _optional(row, "date", "at", "taken_on")
        value = _optional(row, "value", "ratio")
        if when is None or value is None:
            continue
        try:
            number = float(value)
            day = _to_date(when)
        except (TypeError, ValueError):
            continue
        if not math.isfinite(number):
            continue
        test_id = _optional(row, "test_id", "id")
        low, high = _optional(row, "ref_low"), _optional(row, "ref_high")
        points.append(ChartPoint(day, number, None if test_id is None else int(test_id),
                                 None if low is None else float(low),
                                 None if high is None else float(high)))
    return sorted(points, key=lambda p: p.date)


def bands_from_rows(rows: Iterable[Mapping[str, Any] | PhaseBand], *,
                    labels: Mapping[str, str] | None = None) -> list[PhaseBand]:
    """PhaseBands from phase rows (kind, start_date, actual_end or planned_end)."""
    bands = []
    for row in rows:
        if isinstance(row, PhaseBand):
            bands.append(row)
            continue
        start = row.get("start_date")
        if not start:
            continue
        end = row.get("actual_end") or (None if row.get("status") == "active"
                                         else row.get("planned_end"))
        kind = str(row.get("kind") or "")
        text = row.get("label") or (labels or {}).get(kind, kind.replace("_", " ").capitalize())
        bands.append(PhaseBand(_to_date(start), _to_date(end) if end else None, str(text)))
    return bands


# -- painting --------------------------------------------------------------------------------
def _px_per_pt(painter: QPainter) -> float:
    device = painter.device()
    dpi = device.logicalDpiY() if device is not None else 96
    return max(dpi, 1) / 72.0


def _font(size_pt: float, *, bold: bool = False) -> QFont:
    font = QFont()
    font.setFamilies(["Source Sans 3", "Noto Sans", "Segoe UI", "Helvetica Neue", "Arial",
                      "Liberation Sans", "DejaVu Sans"])
    font.setPointSizeF(size_pt)
    if bold:
        font.setWeight(QFont.Weight.DemiBold)
    for tag in ("liga", "clig", "dlig"):  # keep "fi" as two letters for PDF search
        font.setFeature(QFont.Tag(tag), 0)
    return font


def paint_trend_chart(
    painter: QPainter,
    rect: QRectF,
    series: Sequence[ChartPoint | Mapping[str, Any]],
    *,
    title: str = "",
    unit: str = "",
    ref_low: float | None = None,
    ref_high: float | None = None,
    phases: Sequence[PhaseBand | Mapping[str, Any]] = (),
    today: date | None = None,
    today_label: str = "Today",
    highlight: int | None = None,
    start: date | None = None,
    end: date | None = None,
    style: ChartStyle | None = None,
) -> list[tuple[QRectF, int]]:
    """Paint a trend chart of ``series`` into ``rect``; returns clickable (area, test_id) pairs.

    ``series`` holds ChartPoints or dict rows (see :func:`points_from_rows`). The lab's range
    is shaded from ``ref_low``/``ref_high`` when given, otherwise from each point's own
    range (as a step band, since labs and ranges change). ``phases`` become labelled
    background bands, ``today`` a dashed line labelled ``today_label``, and the point of
    test ``highlight`` gets a ring. ``start``/``end`` fix the time axis (default: the data
    and today).
    The painter's state is restored afterwards; the returned areas are in the painter's
    coordinates, so a widget can hit-test mouse positions against them directly.
    """
    style = style or ChartStyle()
    points = points_from_rows(series)
    bands = bands_from_rows(phases)
    pt = _px_per_pt(painter)
    painter.save()
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        if style.background:
            painter.fillRect(rect, QColor(style.background))
        return _paint(painter, QRectF(rect), points, bands, title=title, unit=unit,
                      ref_low=ref_low, ref_high=ref_high, today=today, today_label=today_label,
                      highlight=highlight,
                      start=start, end=end, style=style, pt=pt)
    finally:
        painter.restore()


def _paint(painter: QPainter, rect: QRectF, points: list[ChartPoint], bands: list[PhaseBand],
           *, title: str, unit: str, ref_low: float | None, ref_high: float | None,
           today: date | None, today_label: str, highlight: int | None,
           start: date | None, end: date | None,
           style: ChartStyle, pt: float) -> list[tuple[QRectF, int]]:
    font = _font(style.font_pt)
    metrics = QFontMetricsF(font, painter.device())
    title_font = _font(style.title_pt, bold=True)
    title_metrics = QFontMetricsF(title_font, painter.device())
    pad = 4 * pt
    top = rect.top() + pad
    if title or unit:
        painter.setFont(title_font)
        painter.setPen(QColor(style.ink))
        painter.drawText(QPointF(rect.left() + pad, top + title_metrics.ascent()), title)
        if unit:
            painter.setFont(font)
            painter.setPen(QColor(style.muted))
            x = rect.left() + pad + title_metrics.horizontalAdvance(title) + (6 * pt if title
                                                                             else 0)
            painter.drawText(QPointF(x, top + title_metrics.ascent()), unit)
        top += title_metrics.height() + 4 * pt

    if not points:
        painter.setFont(font)
        painter.setPen(QColor(style.muted))
        painter.drawText(QRectF(rect.left(), top, rect.width(), rect.bottom() - top),
                         int(Qt.AlignmentFlag.AlignCenter), "No values recorded yet")
        return []

    # Value scale: the data and the lab's range, so the shaded band is always in view.
    lows = [p.value for p in points]
    for value in (ref_low, ref_high, *(p.ref_low for p in points), *(p.ref_high for p in points)):
        if value is not None:
            lows.append(value)
    y_low, y_high = min(lows), max(lows)
    if y_low >= 0:
        y_low = 0.0  # amounts and counts start at zero, so heights compare honestly
    # A little room above the highest value or range limit, so the lab's band never fills
    # the plot to its top edge and the phases stay visible behind it.
    y_high += (y_high - y_low) * 0.06
    y_ticks = nice_ticks(y_low, y_high, 5)
    y_min, y_max = y_ticks[0], y_ticks[-1]

    # Time scale: the data, the bands that overlap it, and today.
    first_day = start or min(p.date for p in points)
    last_day = end or max(p.date for p in points)
    if today is not None and end is None and today >= first_day:
        last_day = max(last_day, today)
    if (last_day - first_day).days < 14:
        middle = first_day + (last_day - first_day) / 2
        first_day, last_day = middle - timedelta(days=7), middle + timedelta(days=7)
    margin_days = max(1, round((last_day - first_day).days * 0.03))
    axis_start = first_day - timedelta(days=margin_days)
    axis_end = last_day + timedelta(days=margin_days)

    label_width = max(metrics.horizontalAdvance(format_number(t)) for t in y_ticks)
    band_label_h = metrics.height() + 2 * pt if bands else 0.0
    plot = QRectF(rect.left() + pad + label_width + 5 * pt, top + band_label_h,
                  0, 0)
    plot.setRight(rect.right() - pad - 4 * pt)
    visible = _visible_bands(bands, axis_start, axis_end)
    legend = _band_legend(visible, axis_start, axis_end, plot, metrics, pt)
    legend_h = len(legend) * metrics.height() + (2 * pt if legend else 0)
    plot.setBottom(rect.bottom() - pad - metrics.height() - 4 * pt - legend_h)
    if plot.width() < 20 * pt or plot.height() < 20 * pt:
        return []
    span_days = max((axis_end - axis_start).days, 1)

    def x_of(day: date) -> float:
        return plot.left() + (day - axis_start).days / span_days * plot.width()

    def y_of(value: float) -> float:
        return plot.bottom() - (value - y_min) / (y_max - y_min) * plot.height()

    painter.setFont(font)
    numbered = bool(legend)
    _paint_bands(painter, plot, visible, axis_start, axis_end, x_of, style, metrics, pt,
                 outlines=False, numbered=numbered)
    _paint_range(painter, plot, points, ref_low, ref_high, x_of, y_of, y_min, y_max, style, pt)
    # Phase edges and names over the lab's range band, so a band reaching the top of the
    # axis never hides where a phase starts.
    _paint_bands(painter, plot, visible, axis_start, axis_end, x_of, style, metrics, pt,
                 outlines=True, numbered=numbered)
    if legend:
        painter.setPen(QColor(style.muted))
        y = plot.bottom() + 4 * pt + metrics.height() + 2 * pt
        for line in legend:
            painter.drawText(QPointF(plot.left(), y + metrics.ascent()), line)
            y += metrics.height()
    _paint_grid(painter, plot, y_ticks, y_of, style, metrics, pt)
    _paint_time_axis(painter, plot, axis_start, axis_end, x_of, style, metrics, pt)
    if today is not None and axis_start <= today <= axis_end:
        pen = QPen(QColor(style.today), 0.9 * pt, Qt.PenStyle.DashLine)
        painter.setPen(pen)
        x = x_of(today)
        painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
        painter.setPen(QColor(style.today))
        text = today_label
        width = metrics.horizontalAdvance(text)
        # Beside the line, never across it: on its left when there is room.
        tx = x - width - 2 * pt if x - width - 2 * pt >= plot.left() else x + 2 * pt
        painter.drawText(QPointF(tx, plot.top() - 2 * pt if not bands else
                                 plot.top() + metrics.ascent() + 1 * pt), text)
    return _paint_points(painter, points, ref_low, ref_high, highlight, x_of, y_of, style, pt)


def _visible_bands(bands: list[PhaseBand], axis_start: date, axis_end: date
                   ) -> list[PhaseBand]:
    return [b for b in sorted(bands, key=lambda b: b.start)
            if b.start <= axis_end and (b.end is None or b.end >= axis_start)]


def _name_fits(band: PhaseBand, axis_start: date, axis_end: date, plot: QRectF,
               metrics: QFontMetricsF, pt: float) -> bool:
    span = max((axis_end - axis_start).days, 1)
    left = max(band.start, axis_start)
    right = min(band.end or axis_end, axis_end)
    width = (right - left).days / span * plot.width()
    return metrics.horizontalAdvance(band.label) <= width - 3 * pt


def _band_legend(visible: list[PhaseBand], axis_start: date, axis_end: date, plot: QRectF,
                 metrics: QFontMetricsF, pt: float) -> list[str]:
    """Lines of a key to the phases whose names do not fit their band (ten years of short
    phases), by the numbers those bands show; empty when every name fits."""
    entries = [f"{number} {band.label}" for number, band in enumerate(visible, start=1)
               if not _name_fits(band, axis_start, axis_end, plot, metrics, pt)]
    lines: list[str] = []
    for entry in entries:
        if lines and metrics.horizontalAdvance(f"{lines[-1]} · {entry}") <= plot.width():
            lines[-1] = f"{lines[-1]} · {entry}"
        else:
            lines.append(entry)
    return lines


def _paint_bands(painter: QPainter, plot: QRectF, visible: list[PhaseBand], axis_start: date,
                 axis_end: date, x_of: Any, style: ChartStyle, metrics: QFontMetricsF,
                 pt: float, *, outlines: bool, numbered: bool) -> None:
    """The phases' background fills, or (``outlines``) their edges and names — whole names
    when they fit, otherwise numbers that the key under the chart explains."""
    for index, band in enumerate(visible):
        left = x_of(max(band.start, axis_start))
        right = x_of(min(band.end or axis_end, axis_end))
        if right - left < 0.5:
            continue
        if not outlines:
            area = QRectF(left, plot.top(), right - left, plot.height())
            painter.fillRect(area, QColor(style.phase_fills[index % len(style.phase_fills)]))
            continue
        painter.setPen(QPen(QColor(style.axis), 0.5 * pt))
        painter.drawLine(QPointF(left, plot.top() - metrics.height() - 2 * pt),
                         QPointF(left, plot.bottom()))
        label = (str(index + 1) if numbered and not _name_fits(
            band, axis_start, axis_end, plot, metrics, pt) else band.label)
        if metrics.horizontalAdvance(label) <= right - left - 3 * pt:
            painter.setPen(QColor(style.muted))
            painter.drawText(QPointF(left + 2 * pt, plot.top() - 3 * pt), label)


def _paint_range(painter: QPainter, plot: QRectF, points: list[ChartPoint],
                 ref_low: float | None, ref_high: float | None, x_of: Any, y_of: Any,
                 y_min: float, y_max: float, style: ChartStyle, pt: float) -> None:
    fill = QColor(style.range_fill)
    fill.setAlphaF(0.75)

    def step(left: float, right: float, low: float | None, high: float | None) -> Step | None:
        if low is None and high is None:
            return None
        top = y_of(min(high, y_max)) if high is not None else plot.top()
        bottom = y_of(max(low, y_min)) if low is not None else plot.bottom()
        if bottom <= top:
            return None
        return Step(left, right, top, bottom, high is not None,
                    low is not None and low > y_min)

    if ref_low is not None or ref_high is not None:
        steps = [step(plot.left(), plot.right(), ref_low, ref_high)]
    else:
        # Each value's own range, held until the next value (labs change; ranges change):
        # one step per run of values sharing a range.
        runs: list[list[Any]] = []
        for index, point in enumerate(points):
            if runs and runs[-1][2] == point.ref_low and runs[-1][3] == point.ref_high:
                runs[-1][1] = index + 1
            else:
                runs.append([index, index + 1, point.ref_low, point.ref_high])
        steps = [step(plot.left() if first == 0 else x_of(points[first].date),
                      plot.right() if end == len(points) else x_of(points[end].date),
                      low, high) for first, end, low, high in runs]
    # Years of values share a handful of ranges: one filled path and one path of edges,
    # not a rectangle and two lines per value.
    area, edges = QPainterPath(), QPainterPath()
    area.setFillRule(Qt.FillRule.WindingFill)
    for band in merge_steps([s for s in steps if s is not None], tolerance=0.25 * pt):
        area.addRect(QRectF(band.left, band.top, band.right - band.left,
                            band.bottom - band.top))
        for y, drawn in ((band.top, band.top_edge), (band.bottom, band.bottom_edge)):
            if drawn:
                edges.moveTo(band.left, y)
                edges.lineTo(band.right, y)
    if area.isEmpty():
        return
    painter.fillPath(area, fill)
    painter.strokePath(edges, QPen(QColor(style.range_edge), 0.6 * pt))


def _paint_grid(painter: QPainter, plot: QRectF, ticks: list[float], y_of: Any,
                style: ChartStyle, metrics: QFontMetricsF, pt: float) -> None:
    for tick in ticks:
        y = y_of(tick)
        painter.setPen(QPen(QColor(style.grid), 0.5 * pt))
        painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
        painter.setPen(QColor(style.muted))
        text = format_number(tick)
        painter.drawText(QPointF(plot.left() - 4 * pt - metrics.horizontalAdvance(text),
                                 y + metrics.ascent() / 2 - 1 * pt), text)
    painter.setPen(QPen(QColor(style.axis), 0.7 * pt))
    painter.drawLine(plot.bottomLeft(), plot.bottomRight())
    painter.drawLine(plot.bottomLeft(), plot.topLeft())


def _paint_time_axis(painter: QPainter, plot: QRectF, axis_start: date, axis_end: date,
                     x_of: Any, style: ChartStyle, metrics: QFontMetricsF, pt: float) -> None:
    sample = metrics.horizontalAdvance("Mar 2026") + 8 * pt
    max_ticks = max(2, int(plot.width() // sample))
    ticks, mode = date_ticks(axis_start, axis_end, max_ticks)
    last_right = -math.inf
    for index, tick in enumerate(ticks):
        x = x_of(tick)
        painter.setPen(QPen(QColor(style.axis), 0.6 * pt))
        painter.drawLine(QPointF(x, plot.bottom()), QPointF(x, plot.bottom() + 2.5 * pt))
        text = date_label(tick, mode, index == 0)
        width = metrics.horizontalAdvance(text)
        left = min(max(x - width / 2, plot.left() - 2 * pt), plot.right() + 2 * pt - width)
        if left < last_right + 3 * pt:
            continue  # never let labels overlap
        painter.setPen(QColor(style.muted))
        painter.drawText(QPointF(left, plot.bottom() + 3.5 * pt + metrics.ascent()), text)
        last_right = left + width


def _paint_points(painter: QPainter, points: list[ChartPoint], ref_low: float | None,
                  ref_high: float | None, highlight: int | None, x_of: Any, y_of: Any,
                  style: ChartStyle, pt: float) -> list[tuple[QRectF, int]]:
    line_colour = QColor(style.line)
    xs = [x_of(point.date) for point in points]
    ys = [y_of(point.value) for point in points]
    # Per column of about one screen pixel (1/96 inch on paper), the first, last, lowest
    # and highest value: the line and the marks look the same and cost a fraction.
    kept = column_extremes(xs, ys, max(1.0, 0.75 * pt)) if len(points) > 2 else list(
        range(len(points)))
    radius = style.point_pt * pt
    spacing = (xs[-1] - xs[0]) / (len(points) - 1) if len(points) > 1 else math.inf
    if len(points) > 1:
        # Years of weekly values: shrink the marks (down to half) so they do not pile up.
        radius = max(radius * 0.5, min(radius, spacing * 0.4))
    # Values closer than a few pixels on a screen: hairline (1 px) pens. Qt rasterises those
    # a hundred times faster than wider strokes and, that dense, they look the same. On
    # paper (vector output) the pens keep their widths.
    hairline = spacing < 3.0 and not isinstance(painter.device(), QPagedPaintDevice)

    def pen(colour: QColor, width_pt: float) -> QPen:
        if hairline:
            thin = QPen(colour, 1.0)
            thin.setCosmetic(True)
            return thin
        return QPen(colour, width_pt * pt, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                    Qt.PenJoinStyle.RoundJoin)

    if len(kept) > 1:
        path = QPainterPath(QPointF(xs[kept[0]], ys[kept[0]]))
        for index in kept[1:]:
            path.lineTo(xs[index], ys[index])
        painter.strokePath(path, pen(line_colour, style.line_pt))
    shared = ref_low is not None or ref_high is not None
    dots, diamonds = QPainterPath(), QPainterPath()
    dot_centres: list[QPointF] = []
    dots.setFillRule(Qt.FillRule.WindingFill)  # overlapping marks stay filled
    diamonds.setFillRule(Qt.FillRule.WindingFill)
    hits: list[tuple[QRectF, int]] = []
    grab = max(radius * 2.5, 5 * pt)
    r = radius * 1.35
    marked = (column_extremes(xs, ys, max(1.0, 0.75 * pt), ends=False) if len(points) > 2
              else kept)
    for index in marked:
        point = points[index]
        x, y = xs[index], ys[index]
        low = ref_low if shared else point.ref_low
        high = ref_high if shared else point.ref_high
        if (low is not None and point.value < low) or (high is not None and point.value > high):
            # A hollow diamond: shape, not colour, marks "outside the lab's range".
            diamonds.moveTo(x, y - r)
            diamonds.lineTo(x + r, y)
            diamonds.lineTo(x, y + r)
            diamonds.lineTo(x - r, y)
            diamonds.closeSubpath()
        elif hairline:
            dot_centres.append(QPointF(x, y))
        else:
            dots.addEllipse(QPointF(x, y), radius, radius)
        if point.test_id is not None:
            hits.append((QRectF(x - grab, y - grab, 2 * grab, 2 * grab), point.test_id))
    for index, point in enumerate(points):  # the ring, even on a value decimated away
        if highlight is not None and point.test_id == highlight:
            painter.setPen(QPen(QColor(style.highlight), 1.6 * pt))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(QPointF(xs[index], ys[index]), radius * 2.3, radius * 2.3)
            break
    if hairline and dot_centres:
        # Qt fills a path of a thousand circles slowly; round points are quick.
        painter.setPen(QPen(line_colour, 2 * radius, Qt.PenStyle.SolidLine,
                            Qt.PenCapStyle.RoundCap))
        painter.drawPoints(QPolygonF(dot_centres))
    elif not dots.isEmpty():
        painter.setPen(pen(QColor("#ffffff"), 0.8))
        painter.setBrush(QBrush(line_colour))
        painter.drawPath(dots)
    if not diamonds.isEmpty():
        painter.setPen(pen(line_colour, 1.2))
        painter.setBrush(QBrush(QColor("#ffffff")))
        painter.drawPath(diamonds)
    return hits


def paint_legend_in(painter: QPainter, rect: QRectF, *, style: ChartStyle | None = None
                    ) -> float:
    """Paint the key inside ``rect``, its text resting 1.5 pt above the box's lower edge
    (in points, so it is never clipped at any resolution); returns its width."""
    style = style or ChartStyle()
    pt = _px_per_pt(painter)
    descent = QFontMetricsF(_font(style.font_pt), painter.device()).descent()
    return paint_legend(painter, QPointF(rect.left() + 1.5 * pt,
                                         rect.bottom() - descent - 1.5 * pt), style=style)


def paint_legend(painter: QPainter, origin: QPointF, *, style: ChartStyle | None = None,
                 with_range: bool = True) -> float:
    """Paint the key (value point, outside-range diamond, lab's range); returns its width.

    ``with_range=False`` leaves out the range entries, for values the lab gave no range for.
    """
    style = style or ChartStyle()
    pt = _px_per_pt(painter)
    font = _font(style.font_pt)
    metrics = QFontMetricsF(font, painter.device())
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setFont(font)
    x, y = origin.x(), origin.y()
    mid = y - metrics.ascent() / 2 + 1 * pt
    r = style.point_pt * pt
    painter.setPen(QPen(QColor("#ffffff"), 0.8 * pt))
    painter.setBrush(QColor(style.line))
    painter.drawEllipse(QPointF(x + r, mid), r, r)
    x += 2 * r + 3 * pt
    painter.setPen(QColor(style.muted))
    painter.drawText(QPointF(x, y), "value")
    x += metrics.horizontalAdvance("value") + 10 * pt
    if not with_range:
        painter.restore()
        return x - origin.x()
    d = r * 1.35
    diamond = QPainterPath(QPointF(x + d, mid - d))
    diamond.lineTo(x + 2 * d, mid)
    diamond.lineTo(x + d, mid + d)
    diamond.lineTo(x, mid)
    diamond.closeSubpath()
    painter.setPen(QPen(QColor(style.line), 1.2 * pt))
    painter.setBrush(QColor("#ffffff"))
    painter.drawPath(diamond)
    x += 2 * d + 3 * pt
    painter.setPen(QColor(style.muted))
    painter.drawText(QPointF(x, y), OUTSIDE_RANGE_TEXT)
    x += metrics.horizontalAdvance(OUTSIDE_RANGE_TEXT) + 10 * pt
    swatch = QRectF(x, mid - 3 * pt, 12 * pt, 6 * pt)
    painter.fillRect(swatch, QColor(style.range_fill))
    painter.setPen(QPen(QColor(style.range_edge), 0.6 * pt))
    painter.drawLine(swatch.topLeft(), swatch.topRight())
    x += 12 * pt + 3 * pt
    painter.setPen(QColor(style.muted))
    painter.drawText(QPointF(x, y), "the lab's reference range")
    x += metrics.horizontalAdvance("the lab's reference range")
    painter.restore()
    return x - origin.x()
