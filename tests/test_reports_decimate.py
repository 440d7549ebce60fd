"""Decimation keeps what each pixel column can show: its lowest and highest value."""

from __future__ import annotations

import math
import random
from collections import defaultdict
from datetime import date, timedelta

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage, QPainter

from nbcompanion.reports.chart import ChartPoint, paint_trend_chart
from nbcompanion.reports.decimate import Step, column_extremes, merge_steps


def columns_of(xs: list[float], width: float) -> dict[float, list[int]]:
    found: dict[float, list[int]] = defaultdict(list)
    for index, x in enumerate(xs):
        found[x // width].append(index)
    return found


@pytest.mark.parametrize(("count", "width"), [(5000, 1.0), (777, 0.5), (2430, 2.0)])
def test_every_column_keeps_its_min_max_first_and_last(count: int, width: float) -> None:
    rng = random.Random(count)
    xs = sorted(rng.uniform(0, 600) for _ in range(count))
    ys = [rng.gauss(0, 10) for _ in range(count)]
    kept = column_extremes(xs, ys, width)
    assert kept == sorted(set(kept))  # in time order, each once
    kept_set = set(kept)
    for members in columns_of(xs, width).values():
        values = [ys[i] for i in members]
        kept_here = [i for i in members if i in kept_set]
        assert min(ys[i] for i in kept_here) == min(values)
        assert max(ys[i] for i in kept_here) == max(values)
        assert members[0] in kept_set
        assert members[-1] in kept_set
        assert len(kept_here) <= 4
    assert len(kept) < count  # it did reduce


def test_without_ends_only_the_min_and_max_stay() -> None:
    xs = [0.1, 0.2, 0.3, 0.4, 1.5, 1.6]
    ys = [5.0, 1.0, 9.0, 4.0, 3.0, 3.5]
    assert column_extremes(xs, ys, ends=False) == [1, 2, 4, 5]
    assert column_extremes(xs, ys) == [0, 1, 2, 3, 4, 5]


def test_short_series_and_bad_input() -> None:
    assert column_extremes([], []) == []
    assert column_extremes([3.0], [1.0]) == [0]
    with pytest.raises(ValueError, match="length"):
        column_extremes([1.0, 2.0], [1.0])
    with pytest.raises(ValueError, match="positive"):
        column_extremes([1.0], [1.0], 0)


def test_steps_of_the_same_range_merge_and_a_change_stays() -> None:
    steps = [Step(float(i), float(i + 1), 10.0, 50.0) for i in range(100)]
    steps += [Step(100.0 + i, 101.0 + i, 20.0, 50.0) for i in range(50)]
    merged = merge_steps(steps)
    assert merged == [Step(0.0, 100.0, 10.0, 50.0), Step(100.0, 150.0, 20.0, 50.0)]
    # Edges drawn differently never merge; empty steps vanish.
    assert len(merge_steps([Step(0, 1, 1, 2, True), Step(1, 2, 1, 2, False),
                            Step(2, 2, 1, 2)])) == 2


@pytest.mark.usefixtures("qapp")
def test_a_dense_chart_still_offers_every_columns_extremes_to_click() -> None:
    rng = random.Random(3)
    start = date(2016, 1, 1)
    points = [ChartPoint(start + timedelta(days=i), round(rng.uniform(2, 9), 2), i, 4.5, 13.5)
              for i in range(3650)]
    points[1234] = ChartPoint(points[1234].date, 40.0, 1234, 4.5, 13.5)  # one peak
    points[2345] = ChartPoint(points[2345].date, 0.1, 2345, 4.5, 13.5)  # one trough
    image = QImage(700, 300, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    hits = paint_trend_chart(painter, QRectF(0, 0, 700, 300), points, title="WBC")
    painter.end()
    ids = {test_id for _area, test_id in hits}
    assert {1234, 2345} <= ids
    assert len(hits) < len(points) / 2  # decimated: no mark per value on 600 pixels
    assert all(math.isfinite(area.center().x()) for area, _ in hits)
