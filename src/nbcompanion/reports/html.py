"""Small helpers that write the HTML subset QTextDocument understands, always escaped."""

from __future__ import annotations

import functools
import html
import re
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from nbcompanion import wording
from nbcompanion.record import vocab
from nbcompanion.reports.pdf import BASE_POINT_SIZE as BASE_PT
from nbcompanion.reports.pdf import MARKER_CLOSE, MARKER_OPEN, format_date

#: One pass over the text: HTML's special characters become entities, markers vanish.
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
                          "'": "&#x27;", MARKER_OPEN: None, MARKER_CLOSE: None})


class Markup(str):
    """HTML that is already safe (built here from escaped parts)."""


@dataclass(frozen=True)
class Span:
    """A table cell that spans ``columns`` columns."""

    content: Any
    columns: int


def esc(value: Any) -> Markup:
    """Escape text for HTML; line breaks become <br>. None becomes an empty string."""
    if isinstance(value, Markup):
        return value
    if value is None:
        return Markup("")
    text = str(value).strip().translate(_ESCAPES)
    if "\n" in text:
        text = text.replace("\r\n", "\n").replace("\n", "<br>")
    return Markup(text)


def muted(text: Any, *, small: bool = False) -> Markup:
    """Text in the quieter grey (and smaller, with ``small``)."""
    classes = "muted small" if small else "muted"
    return Markup(f'<span class="{classes}">{esc(text)}</span>')


def join(*parts: Any, sep: str = " · ") -> Markup:
    """Non-empty parts joined by a separator, escaped."""
    return Markup(html.escape(sep).join(esc(p) for p in parts if p not in (None, "")))


def lines(*parts: Any) -> Markup:
    """Non-empty parts on separate lines."""
    return Markup("<br>".join(esc(p) for p in parts if p not in (None, "")))


# One wording for the screen and the paper: numbers and ranges come from there, units from
# the record's unit module (the same text as on screen).
number = wording.number_text
ref_range = wording.range_text
outside_range = wording.outside_range


def unit(text: str | None) -> str:
    """A unit as people read it, the same as on screen: "10*9/L" → "10⁹/L", "/uL" → "cells/µL"."""
    from nbcompanion.record.units import display

    return display(text)




def heading(level: int, text: str, anchor: str | None = None) -> Markup:
    """<h2>…</h2> with an optional anchor (for the table of contents)."""
    if anchor:
        # Qt hangs an anchor on one character; give it an invisible one of its own, so the
        # title stays a single run of text (PDF search and copy see "Tests", not "T ests").
        return Markup(f'<h{level}><a name="{esc(anchor)}">&#8288;</a>{esc(text)}</h{level}>')
    return Markup(f"<h{level}>{esc(text)}</h{level}>")


def paragraph(text: Any, css: str = "") -> Markup:
    """A paragraph of escaped text (or Markup)."""
    cls = f' class="{css}"' if css else ""
    return Markup(f"<p{cls}>{esc(text)}</p>")


def caption(text: str, below: str = "") -> Markup:
    """A small grey line that introduces what follows and stays on its page (an <h6>, which
    the paginator keeps with the next block, styled as a caption); ``below`` is trusted
    markup on a line of its own, such as a chart legend's drawing marker."""
    extra = f"<br>{below}" if below else ""
    return Markup(f'<h6 class="caption">{esc(text)}{extra}</h6>')


def nothing(text: str) -> Markup:
    """The quiet line that says a section has nothing in it."""
    return paragraph(text, "muted")


#: Rows per table in the HTML (see :func:`table`).
CHUNK_ROWS = 40

#: The narrowest text width a report is laid out at (A4 less its margins), in points.
NARROWEST_TEXT_PT = 595.28 - 2 * 54
_TAG = re.compile(r"<[^>]*>")
_BREAKS = re.compile(r"<br>| ")


_THREAD_METRICS = threading.local()


def _metrics() -> Any:
    """Metrics of the report font, bold (the widest case), at a size hinting cannot round.

    One per thread: Qt keeps its font engines per thread (exports run on a worker)."""
    metrics = getattr(_THREAD_METRICS, "metrics", None)
    if metrics is None:
        from PySide6.QtGui import QFont, QFontMetricsF

        from nbcompanion.reports.pdf import document_font

        font = document_font()
        font.setWeight(QFont.Weight.DemiBold)
        font.setPixelSize(1000)
        metrics = _THREAD_METRICS.metrics = QFontMetricsF(font)
    return metrics


@functools.lru_cache(maxsize=8192)
def _chunk_pt(text: str, point_size: float) -> float:
    """Width in points of ``text`` in the report font."""
    return float(_metrics().horizontalAdvance(text)) * point_size / 1000


def _unbreakable_pt(content: Any, point_size: float) -> float:
    """The widest run of ``content`` that has no ordinary space or line break in it."""
    text = str(esc(content))
    return max((_chunk_pt(html.unescape(_TAG.sub("", chunk)), point_size)
                for chunk in _BREAKS.split(text) if chunk), default=0.0)


def fitted_widths(weights: Sequence[float], needs_pt: Sequence[float],
                  text_pt: float = NARROWEST_TEXT_PT) -> list[float]:
    """Column widths in percent: ``weights`` where they leave room for each column's widest
    unbreakable text (``needs_pt``), more where they do not, taken from the other columns."""
    needs = [min(90.0, 100.0 * (pt + 4.0) / text_pt) if pt else 0.0 for pt in needs_pt]
    fixed: dict[int, float] = {}
    while True:
        free = [i for i in range(len(weights)) if i not in fixed]
        room = 100.0 - sum(fixed.values())
        total = sum(weights[i] for i in free) or 1.0
        shares = {i: room * weights[i] / total for i in free}
        short = [i for i in free if needs[i] > shares[i] + 1e-9]
        if not short:
            return [fixed.get(i, shares.get(i, 0.0)) for i in range(len(weights))]
        for i in short:
            fixed[i] = needs[i]


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]], *,
          widths: Sequence[float | None] | None = None, right: Iterable[int] = (),
          nowrap: Iterable[int] = (), css: str = "data") -> Markup:
    """A data table with a repeating header row; ``right`` lists right-aligned columns.

    Columns listed in ``nowrap`` (dates) are made wide enough that none of their
    non-breaking runs ("3\u00a0May\u00a02026") wraps, at A4 and Letter alike.
    """
    return Markup("".join(table_pieces(headers, rows, widths=widths, right=right,
                                       nowrap=nowrap, css=css)))


def table_pieces(headers: Sequence[str], rows: Iterable[Sequence[Any]], *,
                 widths: Sequence[float | None] | None = None, right: Iterable[int] = (),
                 nowrap: Iterable[int] = (), css: str = "data",
                 chunk_rows: int = CHUNK_ROWS, chunk_chars: int | None = None
                 ) -> list[Markup]:
    """:func:`table` as its short tables of at most ``chunk_rows`` rows (and, with
    ``chunk_chars``, ending at the row that brings their cells' text to that many
    characters), one string each, only the first with the header row: to be laid out as
    separate documents, which the paged engine stacks seamlessly, repeating the header
    (see pdf.PagedDocument)."""
    right = set(right)
    nowrap = set(nowrap)
    if nowrap and widths:
        rows = list(rows)
        needs = [0.0] * len(widths)
        for column in nowrap:
            cells = [row[column] for row in rows
                     if len(row) > column and not isinstance(row[column], Span)]
            unique = {str(esc(cell)) for cell in cells}
            needs[column] = max((_unbreakable_pt(Markup(text), BASE_PT) for text in unique),
                                default=0.0)
        widths = [round(w, 2) for w in fitted_widths([w or 0 for w in widths], needs)]
    rows = list(rows)
    columns = len(headers)
    # Qt lays a table out in time that grows faster than its rows: a long table is written
    # as several short ones, seamless (no margin between them), the same widths, and only
    # the first with the header row (the paginator repeats it on every page).
    chunks: list[list[Sequence[Any]]] = [[]]
    size = 0
    for row in rows:
        whole = len(row) == columns and not any(isinstance(c, Span) for c in row)
        full = len(chunks[-1]) >= chunk_rows or (chunk_chars is not None and size >= chunk_chars)
        if full and whole:
            chunks.append([])
            size = 0
        chunks[-1].append(row)
        if chunk_chars is not None:
            size += sum(len(str(cell.content if isinstance(cell, Span) else cell or ""))
                        for cell in row)

    def width_of(index: int) -> str:
        return f' width="{widths[index]}%"' if widths and widths[index] else ""

    pieces: list[Markup] = []
    for number, chunk in enumerate(chunks):
        out: list[str] = []
        margins = ("" if number == len(chunks) - 1 else "margin-bottom:0px;") + (
            "margin-top:0px;" if number else "")
        style = f' style="{margins}"' if margins else ""
        out.append(f'<table class="{css}"{style} width="100%" cellspacing="0" '
                   'cellpadding="0">')
        if number == 0:
            out.append("<thead><tr>")
            for index, title in enumerate(headers):
                align = "right" if index in right else "left"
                out.append(f'<th align="{align}"{width_of(index)}>{esc(title)}</th>')
            out.append("</tr></thead>")
        for row_number, row in enumerate(chunk):
            out.append("<tr>")
            index = 0
            for cell in row:
                align = ' align="right" valign="top"' if index in right else ' valign="top"'
                if isinstance(cell, Span):
                    out.append(f'<td valign="top" colspan="{cell.columns}">'
                               f"{esc(cell.content)}</td>")
                    index += cell.columns
                else:
                    width = width_of(index) if number and not row_number else ""
                    out.append(f"<td{align}{width}>{esc(cell)}</td>")
                    index += 1
            out.append("</tr>")
        out.append("</table>")
        pieces.append(Markup("".join(out)))
    return pieces


def facts(pairs: Iterable[tuple[str, Any]]) -> Markup:
    """A two-column label/value list; pairs with an empty value are left out."""
    rows = [(label, value) for label, value in pairs if value not in (None, "")]
    if not rows:
        return Markup("")
    body = "".join(f'<tr><td class="label">{esc(label)}</td><td>{esc(value)}</td></tr>'
                   for label, value in rows)
    return Markup(f'<table class="facts" cellspacing="0" cellpadding="0">{body}</table>')


def choice(choices: tuple[vocab.Choice, ...], key: str | None) -> str:
    """A stored key's label (e.g. "induction" → "Induction"); empty when unset."""
    return vocab.label(choices, key) if key else ""


def day(value: str | date | None) -> str:
    """An ISO date as "3 May 2026", kept on one line (for table cells)."""
    return format_date(value).replace(" ", "\u00a0")


def when(value: str | None) -> str:
    """An ISO date or date-time shown as "3 May 2026" or "3 May 2026, 14:30"."""
    if not value:
        return ""
    text = day(value)
    if len(value) >= 16 and value[10] in "T ":
        return f"{text}, {value[11:16]}"
    return text


def row_value(row: Mapping[str, Any], *names: str, default: Any = None) -> Any:
    """The first present, non-empty of ``names`` in ``row``."""
    for name in names:
        value = row.get(name)
        if value not in (None, ""):
            return value
    return default
