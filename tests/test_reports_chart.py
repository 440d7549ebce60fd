"""The shared trend-chart painter: hit areas, ranges, phases, axes, any paint device."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QImage, QPainter, QPdfWriter

from nbcompanion.reports import chart
from nbcompanion.reports.chart import ChartPoint, PhaseBand, paint_trend_chart

pytestmark = pytest.mark.usefixtures("qapp")

START = date(2026, 1, 5)
POINTS = [ChartPoint(START + timedelta(days=14 * i), v, 100 + i, None, 10.0)
          for i, v in enumerate((40.0, 31.5, 22.0, 12.0, 8.5, 6.0))]
PHASES = [PhaseBand(date(2025, 12, 1), date(2026, 2, 20), "Induction"),
          PhaseBand(date(2026, 2, 21), None, "Consolidation")]


def paint_on_image(width: int = 640, height: int = 260, **kwargs: object
                   ) -> tuple[QImage, list[tuple[QRectF, int]]]:
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    hits = paint_trend_chart(painter, QRectF(0, 0, width, height), POINTS, title="VMA",
                             unit="mg/g creatinine", phases=PHASES, today=date(2026, 4, 1),
                             **kwargs)
    painter.end()
    return image, hits


def test_every_point_is_clickable_and_inside_the_chart() -> None:
    image, hits = paint_on_image(highlight=103)
    assert [test_id for _, test_id in hits] == [100, 101, 102, 103, 104, 105]
    bounds = QRectF(0, 0, image.width(), image.height())
    centres = [area.center() for area, _ in hits]
    for centre in centres:
        assert bounds.contains(centre)
    xs = [c.x() for c in centres]
    assert xs == sorted(xs)  # later dates to the right
    ys = [c.y() for c in centres]
    assert ys[0] < ys[-1]  # higher values higher up


def test_hit_areas_find_the_point_under_the_mouse() -> None:
    _, hits = paint_on_image()
    area, test_id = hits[2]
    found = [tid for rect, tid in hits if rect.contains(area.center())]
    assert found == [test_id]


def test_range_band_and_points_are_painted() -> None:
    image, hits = paint_on_image()
    # The lab's range (0–10) is shaded green-grey near the bottom of the plot, left side.
    first_area = hits[0][0]
    sample = image.pixelColor(int(first_area.center().x()) + 30, int(hits[-1][0].center().y()))
    assert sample != QColor("white")
    # A value inside the range is a filled dot in the line colour.
    centre = hits[5][0].center()
    assert image.pixelColor(int(centre.x()), int(centre.y())).blue() > \
        image.pixelColor(int(centre.x()), int(centre.y())).red()
    painted = sum(1 for x in range(0, image.width(), 4) for y in range(0, image.height(), 4)
                  if image.pixelColor(x, y) != QColor("white"))
    assert painted > 500


def test_no_values_paints_a_message_and_no_hits() -> None:
    image = QImage(300, 150, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    hits = paint_trend_chart(painter, QRectF(0, 0, 300, 150), [], title="LDH")
    painter.end()
    assert hits == []


def test_single_value_and_tiny_rect_do_not_fail() -> None:
    image = QImage(60, 30, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    assert paint_trend_chart(painter, QRectF(0, 0, 60, 30), POINTS[:1]) == []
    hits = paint_trend_chart(painter, QRectF(0, 0, 60, 30), [POINTS[0]], title="")
    painter.end()
    assert hits == []


def test_rows_from_the_record_become_points() -> None:
    rows = [{"date": "2026-03-01", "value": 5, "test_id": 7, "ref_low": None, "ref_high": 10},
            {"date": "2026-02-01", "value": "12.5", "test_id": 6},
            {"date": None, "value": 1}, {"date": "2026-01-01", "value": None}]
    points = chart.points_from_rows(rows)
    assert [p.test_id for p in points] == [6, 7]
    assert points[0].value == 12.5
    assert not points[1].outside_range
    assert ChartPoint(START, 12.0, ref_high=10.0).outside_range


def test_phase_rows_become_bands() -> None:
    bands = chart.bands_from_rows([
        {"kind": "induction", "start_date": "2026-01-01", "actual_end": "2026-03-01",
         "status": "completed", "label": "Induction"},
        {"kind": "maintenance", "start_date": "2026-04-01", "planned_end": "2026-10-01",
         "status": "active"}])
    assert bands[0] == PhaseBand(date(2026, 1, 1), date(2026, 3, 1), "Induction")
    assert bands[1].end is None  # under way: runs to the chart's right edge


def test_nice_ticks_and_dates() -> None:
    assert chart.nice_ticks(0, 37) == [0, 10, 20, 30, 40]
    assert chart.nice_ticks(5, 5)[0] < 5 < chart.nice_ticks(5, 5)[-1]
    ticks, mode = chart.date_ticks(date(2025, 9, 10), date(2026, 5, 1), 6)
    assert mode == "month"
    assert all(t.day == 1 for t in ticks)
    years, mode = chart.date_ticks(date(2016, 1, 1), date(2026, 1, 1), 6)
    assert mode == "year"
    assert years[0].year >= 2016
    assert chart.format_number(1200) == "1,200"
    assert chart.format_number(2.5) == "2.5"


def test_same_drawing_in_a_pdf_is_vector(tmp_path: Path) -> None:
    path = tmp_path / "chart.pdf"
    writer = QPdfWriter(str(path))
    writer.setResolution(600)
    painter = QPainter(writer)
    hits = paint_trend_chart(painter, QRectF(300, 300, 4000, 1600), POINTS, title="VMA",
                             unit="mg/g creatinine", phases=PHASES, today=date(2026, 4, 1))
    chart.paint_legend(painter, QPointF(300, 2100))
    painter.end()
    assert len(hits) == len(POINTS)
    page = PdfReader(path).pages[0]
    text = " ".join(page.extract_text().split())
    for expected in ("VMA", "mg/g creatinine", "Induction", "Consolidation", "Today",
                     "outside the lab's range"):
        assert expected in text
    xobjects = page["/Resources"].get("/XObject", {})
    assert not [x for x in xobjects.values() if x.get_object().get("/Subtype") == "/Image"]
