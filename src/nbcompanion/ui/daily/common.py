"""Small pieces the daily pages share: cards, page headers, empty states and date wording."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QRectF, Qt
from PySide6.QtGui import QFont, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from nbcompanion.record import vocab
from nbcompanion.ui.tablemodel import Column, LazyTableModel

AnyIndex = QModelIndex | QPersistentModelIndex

MUTED_STYLE = "color: palette(placeholder-text);"
HEADING_STYLE = "font-size: 15pt; font-weight: 600;"
CARD_TITLE_STYLE = "font-size: 12pt; font-weight: 600;"

#: Direction only — never "better" or "worse".
TREND_ARROWS = {"up": "↑", "down": "↓", "same": "→"}
TREND_WORDS = {"up": "higher than the value before", "down": "lower than the value before",
               "same": "the same as the value before"}


def parse_when(text: str | None) -> datetime | None:
    """An ISO date or date-time from the record as a datetime (None when unset or odd)."""
    if not text:
        return None
    try:
        return datetime.fromisoformat(text[:19])
    except ValueError:
        try:
            return datetime.combine(date.fromisoformat(text[:10]), datetime.min.time())
        except ValueError:
            return None


def day_text(value: str | date | None, *, weekday: bool = False) -> str:
    """"3 Dec 2026" (or "Thu 3 Dec 2026") for an ISO date; "" when unset."""
    when = parse_when(value) if isinstance(value, str) or value is None else value
    if when is None:
        return ""
    text = f"{when.day} {when.strftime('%b %Y')}"
    return f"{when.strftime('%a')} {text}" if weekday else text


def when_text(value: str | None, *, weekday: bool = True) -> str:
    """"Thu 3 Dec 2026, 20:00" for an ISO date-time ("" when unset)."""
    when = parse_when(value)
    if when is None:
        return value or ""
    text = day_text(when.date(), weekday=weekday)
    if value and len(value) > 10:
        text += f", {when.strftime('%H:%M')}"
    return text


def time_text(value: str | None) -> str:
    """"20:00" for an ISO date-time."""
    when = parse_when(value)
    return when.strftime("%H:%M") if when else ""


def number_text(value: float | None) -> str:
    """A number without needless decimals."""
    if value is None:
        return ""
    return f"{value:g}"


def range_text(low: float | None, high: float | None, unit: str | None = None) -> str:
    """The lab's range as the lab wrote it: "2–7 mg/L", "under 7", "over 2", or ""."""
    suffix = f" {unit}" if unit else ""
    if low is not None and high is not None:
        return f"{number_text(low)}–{number_text(high)}{suffix}"
    if high is not None:
        return f"up to {number_text(high)}{suffix}"
    if low is not None:
        return f"from {number_text(low)}{suffix}"
    return ""


# Fonts and palettes rather than style sheets for the labels pages make by the dozen: a
# widget's own style sheet costs about 0.1 ms to parse and polish, and Home has dozens.
_HEADING_FONTS = {HEADING_STYLE: 15.0, CARD_TITLE_STYLE: 12.0}


def heading(text: str, level_style: str = HEADING_STYLE) -> QLabel:
    """A bold heading label, marked as a heading for screen readers."""
    label = QLabel(text)
    size = _HEADING_FONTS.get(level_style)
    if size is None:
        label.setStyleSheet(level_style)
    else:
        font = label.font()
        font.setPointSizeF(size)
        font.setWeight(QFont.Weight.DemiBold)
        label.setFont(font)
    label.setAccessibleName(text)
    label.setWordWrap(True)
    return label


def muted(text: str) -> QLabel:
    """A quieter, wrapped explanatory line (the palette's placeholder-text colour)."""
    label = QLabel(text)
    label.setWordWrap(True)
    palette = label.palette()
    palette.setColor(QPalette.ColorRole.WindowText,
                     palette.color(QPalette.ColorRole.PlaceholderText))
    label.setPalette(palette)
    return label


class Card(QFrame):
    """A framed box with a heading, for the Home dashboard and page sections."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        # Painted by paintEvent rather than a style sheet: a style sheet here would put
        # every label inside under Qt's (slower) style-sheet style, dozens per card.
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAccessibleName(title)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(14, 10, 14, 12)
        outer.setSpacing(6)
        self.title_label = heading(title, CARD_TITLE_STYLE)
        outer.addWidget(self.title_label)
        self.body = QVBoxLayout()
        self.body.setSpacing(6)
        outer.addLayout(self.body)
        outer.addStretch(1)

    def clear(self) -> None:
        """Remove everything from the body (before filling it again)."""
        clear_layout(self.body)

    def paintEvent(self, _event: QPaintEvent) -> None:
        """A rounded box in the palette's base colour with a mid-tone border."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(QPen(self.palette().color(QPalette.ColorRole.Mid), 1.0))
        painter.setBrush(self.palette().color(QPalette.ColorRole.Base))
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), 6, 6)
        painter.end()


def clear_layout(layout: QVBoxLayout | QHBoxLayout) -> None:
    """Delete every widget and sub-layout of ``layout``."""
    while layout.count():
        item = layout.takeAt(0)
        if item is None:
            break
        widget = item.widget()
        inner = item.layout()
        if widget is not None:
            widget.hide()
            widget.setObjectName("")  # old cards are never found by name until deleted
            widget.deleteLater()
        elif inner is not None:
            clear_layout(inner)  # type: ignore[arg-type]
            inner.deleteLater()


class EmptyState(QWidget):
    """A kind sentence and the button that adds the first entry."""

    def __init__(self, text: str, button_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.addStretch(1)
        self.label = QLabel(text)
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setStyleSheet("font-size: 11pt;")
        layout.addWidget(self.label)
        row = QHBoxLayout()
        row.addStretch(1)
        self.button = QPushButton(button_text)
        row.addWidget(self.button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(2)


def link_label(text: str, href: str = "open") -> QLabel:
    """A keyboard-reachable in-app link (connect ``linkActivated``): one Tab stop."""
    from nbcompanion.ui.keyboard import LinkLabel

    return LinkLabel(text, href)


def no_child_text() -> str:
    """What a record page says before any child has been added."""
    return "Add your child on the Home page first; then this page fills with your entries."


class RowsModel(LazyTableModel):
    """A table of row dicts held in memory (questions, the care team).

    The same model as the long lists, handed to the view 30 rows at a time: views with
    wrapped text measure every row they are given, and years of answered questions would
    make the page's first visit slow.
    """

    BATCH = 30

    def __init__(self, columns: list[Column], parent: Any = None) -> None:
        self.rows: list[dict[str, Any]] = []
        super().__init__(columns, self._slice, self._count_rows, batch=self.BATCH,
                         parent=parent)

    def _count_rows(self) -> int:
        return len(self.rows)

    def _slice(self, offset: int, limit: int, _sort: str | None,
               _descending: bool) -> list[dict[str, Any]]:
        return self.rows[offset:offset + limit]

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        """Show ``rows``."""
        self.rows = [dict(r) for r in rows]
        self.refresh()


def table_view(model: QAbstractTableModel, name: str,
               stretch: tuple[int, ...] = ()) -> QTableView:
    """A read-only, row-selecting table with wrapped text; ``stretch`` columns share the width."""
    view = QTableView()
    view.setModel(model)
    view.setAccessibleName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setWordWrap(True)
    view.setAlternatingRowColors(True)
    view.verticalHeader().hide()
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.setStyleSheet("QTableView::item { padding: 3px 6px; }")
    header = view.horizontalHeader()
    if stretch:
        for column in range(model.columnCount()):
            mode = (QHeaderView.ResizeMode.Stretch if column in stretch
                    else QHeaderView.ResizeMode.ResizeToContents)
            header.setSectionResizeMode(column, mode)
    else:
        header.setStretchLastSection(True)
    return view


# -- texts shared by Home and the daily pages (here so Home needs neither page's module) ----
#: The diary's symptom key for "something else", described in the entry's own words.
OTHER = "other"


def symptom_text(row: dict[str, Any]) -> str:
    """What was seen, as the diary shows it ("Other: hiccups" for free text)."""
    if row.get("symptom") == OTHER and row.get("other_text"):
        return str(row["other_text"])
    text = vocab.label(vocab.SYMPTOMS, row.get("symptom"))
    from nbcompanion.record.units import temperature_text

    temperature = temperature_text(row)  # as typed, in °C or °F
    if temperature:
        text += f" ({temperature})"
    return text


def visit_text(visit: dict[str, Any] | None) -> str:
    """"Thu 3 Dec 2026, 10:30 — Clinic visit" ("" when there is no visit)."""
    if not visit:
        return ""
    kind = vocab.label(vocab.VISIT_KINDS, visit.get("kind"))
    return f"{when_text(visit.get('starts_at'))} — {kind}"
