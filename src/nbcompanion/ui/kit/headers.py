"""Headings, quieter explanatory lines and framed cards."""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QFont, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QFrame, QLabel, QLayout, QVBoxLayout, QWidget

#: Point sizes of the two heading levels. Fonts rather than style sheets: a widget's own
#: style sheet costs about 0.1 ms to parse and polish, and Home makes dozens of labels.
PAGE_HEADING_PT = 15.0
CARD_HEADING_PT = 12.0


def heading(text: str, point_size: float = PAGE_HEADING_PT) -> QLabel:
    """A bold, wrapped heading label, named for screen readers."""
    label = QLabel(text)
    font = label.font()
    font.setPointSizeF(point_size)
    font.setWeight(QFont.Weight.DemiBold)
    label.setFont(font)
    label.setAccessibleName(text)
    label.setWordWrap(True)
    return label


def muted(text: str = "") -> QLabel:
    """A quieter, wrapped line of explanation (the palette's placeholder-text colour)."""
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
        # Painted in paintEvent rather than by a style sheet, which would put every label
        # inside under Qt's slower style-sheet style.
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAccessibleName(title)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(14, 10, 14, 12)
        outer.setSpacing(6)
        self.title_label = heading(title, CARD_HEADING_PT)
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


def clear_layout(layout: QLayout) -> None:
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
            clear_layout(inner)
            inner.deleteLater()
