"""Fewer points to draw, the same picture: decimation for charts on screen and on paper.

Years of daily values put several points in each pixel column of a chart. Drawing them all
costs time and shows nothing more, so the painter keeps, for each column, the first and
last point (so the line enters and leaves the column where it did) and the lowest and
highest point (so no peak or trough is lost): the "M4" reduction. A line through the kept
points lights the same pixels as a line through all of them.

Pure Python, no Qt: used by :mod:`nbcompanion.reports.chart` for the Trends page and the
PDFs alike, and tested on its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


def column_extremes(xs: Sequence[float], ys: Sequence[float], column_width: float = 1.0,
                    origin: float = 0.0, *, ends: bool = True) -> list[int]:
    """Indices to keep so that each column of ``column_width`` keeps its extremes.

    ``xs`` must be in ascending order (time runs left to right); ``ys`` are the values at
    the same indices. For every column (``floor((x - origin) / column_width)``) the result
    holds the first, the last, the lowest and the highest point's index, in ascending
    order, each once. With one or two points a column keeps them all. ``ends=False``
    keeps only the lowest and highest (enough for marks; a line needs the ends too).
    """
    if len(xs) != len(ys):
        raise ValueError("xs and ys differ in length")
    if column_width <= 0:
        raise ValueError("column_width must be positive")
    kept: list[int] = []
    count = len(xs)
    start = 0
    while start < count:
        column = (xs[start] - origin) // column_width
        end = start + 1
        low = high = start
        while end < count and (xs[end] - origin) // column_width == column:
            if ys[end] < ys[low]:
                low = end
            if ys[end] > ys[high]:
                high = end
            end += 1
        kept.extend(sorted({start, low, high, end - 1} if ends else {low, high}))
        start = end
    return kept


@dataclass(frozen=True)
class Step:
    """A stretch from ``left`` to ``right`` where a band has the same ``top`` and ``bottom``."""

    left: float
    right: float
    top: float
    bottom: float
    top_edge: bool = True
    bottom_edge: bool = True


def merge_steps(steps: Sequence[Step], tolerance: float = 0.25) -> list[Step]:
    """Join neighbouring steps whose top and bottom differ by less than ``tolerance``
    (and whose edges are drawn alike).

    A lab's range rarely changes, so thousands of per-value steps become a handful of
    rectangles; where it does change, the change stays.
    """
    merged: list[Step] = []
    for step in steps:
        if step.right <= step.left:
            continue
        last = merged[-1] if merged else None
        if (last is not None and (last.top_edge, last.bottom_edge) == (step.top_edge,
                                                                        step.bottom_edge)
                and abs(last.top - step.top) < tolerance
                and abs(last.bottom - step.bottom) < tolerance
                and abs(last.right - step.left) < tolerance):
            merged[-1] = Step(last.left, step.right, last.top, last.bottom, last.top_edge,
                              last.bottom_edge)
        else:
            merged.append(step)
    return merged
