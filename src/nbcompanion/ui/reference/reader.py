"""The reading pane: a QTextBrowser that never loads anything and keeps lines readable."""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import QEvent, QUrl, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QResizeEvent, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QTextBrowser, QTextEdit, QWidget

from nbcompanion.ui.theme import colours
from nbcompanion.ui.translate import tr

#: Characters per line the text column aims for.
MEASURE = 74
MIN_POINT_SIZE, MAX_POINT_SIZE, DEFAULT_POINT_SIZE = 9, 26, 13

STYLE_SHEET = """
h1 {{ color: {heading}; font-weight: 600; font-size: x-large; }}
h2 {{ color: {heading}; font-weight: 600; font-size: large; }}
h3 {{ color: {heading}; font-weight: 600; font-size: medium; }}
p, li {{ line-height: 145%; }}
a {{ color: {link}; }}
"""

#: The colours the rendered pages carry (content/render.py, for light paper) and the ones
#: that read on the dark paper (each at least 4.5:1 on it; tests/test_theme.py checks).
DARK_PAPER_COLOURS = {"#1a56a8": "#8ab4f8", "#0f6b5c": "#7fd6c2", "#5b6470": "#aab4bf",
                      "#eef2f6": "#2a2f35", "#fff1a8": "#5c4d00"}


class ReadingPane(QTextBrowser):
    """Shows one page of HTML; links are reported, never followed, and nothing loads remotely.

    Signals:
        text_size_changed(int): the point size of the text changed.
    """

    text_size_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setObjectName("readingPane")
        self.setAccessibleName(tr("Reading pane"))
        self.setFrameShape(QTextBrowser.Shape.NoFrame)
        self._styled_for: str | None = None
        self._html = ""
        self._apply_colours()
        self._point_size = DEFAULT_POINT_SIZE
        self.set_text_size(DEFAULT_POINT_SIZE)

    # -- colours ---------------------------------------------------------------------------------
    def _apply_colours(self) -> None:
        """Paper and ink that follow the light or dark palette (AA contrast on both)."""
        chosen = colours()
        key = f"{chosen.paper}{chosen.link}"
        if key == self._styled_for:
            return
        self._styled_for = key
        self.setStyleSheet(f"#readingPane {{ background: {chosen.paper}; "
                           f"color: {chosen.paper_text}; }}")
        self.document().setDefaultStyleSheet(STYLE_SHEET.format(heading=chosen.heading,
                                                                 link=chosen.link))
        if self._html:
            position = self.verticalScrollBar().value()
            self.setHtml(self._recolour(self._html))  # the page on screen follows too
            self.verticalScrollBar().setValue(position)

    def _recolour(self, html: str) -> str:
        """The page's own colours (chosen for light paper) swapped for the dark paper's."""
        if not colours().dark:
            return html
        for light, dark in DARK_PAPER_COLOURS.items():
            html = html.replace(light, dark)
        return html

    def changeEvent(self, event: QEvent) -> None:
        """Follow the system switching between light and dark while the app runs."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_colours()

    # -- nothing is ever fetched -----------------------------------------------------------------
    def loadResource(self, kind: int, name: QUrl | str) -> Any:
        """Refuse every resource: the app makes no network request and shows no images."""
        return None

    # -- content ---------------------------------------------------------------------------------
    def show_html(self, html: str, anchor: str = "") -> None:
        """Replace the page, scroll to ``anchor`` (or the top)."""
        self.setExtraSelections([])
        self._html = html
        self.setHtml(self._recolour(html))
        self._apply_measure()
        if anchor:
            self.scrollToAnchor(anchor)
        else:
            self.verticalScrollBar().setValue(0)

    def highlight(self, words: list[str], phrase: str = "", *, scroll: bool = True) -> int:
        """Mark search ``words`` (as word starts) or a ``phrase``; return how many were found."""
        patterns: list[str] = []
        if phrase:
            for variant in _phrase_variants(phrase):
                patterns = [r"\b" + r"\s+".join(re.escape(w) for w in variant.split())
                            + (r"\b" if variant[-1:].isalnum() else "")]
                if self._matches(patterns):
                    break
        else:
            patterns = [r"\b" + r"\s+".join(re.escape(w) for w in word.split())
                        for word in words if word.strip()]
        cursors = self._matches(patterns)
        selections = []
        fmt = QTextCharFormat()
        chosen = colours()
        fmt.setBackground(QColor(chosen.found_background))
        fmt.setForeground(QColor(chosen.found_text))  # dark ink on yellow, in dark mode too
        for cursor in cursors:
            selection = QTextEdit.ExtraSelection()
            selection.cursor = cursor
            selection.format = fmt
            selections.append(selection)
        self.setExtraSelections(selections)
        if cursors and scroll:
            first = QTextCursor(cursors[0])
            first.clearSelection()
            self.setTextCursor(first)
            bar = self.verticalScrollBar()
            bar.setValue(bar.value() + self.cursorRect(first).top() - 48)
        return len(cursors)

    def _matches(self, patterns: list[str]) -> list[QTextCursor]:
        text = self.document().toPlainText()
        spans: list[tuple[int, int]] = []
        for pattern in patterns:
            try:
                spans.extend(m.span() for m in re.finditer(pattern, text, re.IGNORECASE))
            except re.error:
                continue
        cursors = []
        for start, end in sorted(set(spans)):
            if end <= start:
                continue
            cursor = QTextCursor(self.document())
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            cursors.append(cursor)
        return cursors

    # -- text size and line length ---------------------------------------------------------------
    @property
    def text_size(self) -> int:
        """The body text size in points."""
        return self._point_size

    def set_text_size(self, points: int) -> None:
        """Set the body text size (clamped to a readable range)."""
        points = max(MIN_POINT_SIZE, min(MAX_POINT_SIZE, int(points)))
        font = QFont(self.font())
        font.setPointSize(points)
        self.document().setDefaultFont(font)
        changed = points != self._point_size
        self._point_size = points
        self._apply_measure()
        if changed:
            self.text_size_changed.emit(points)

    def _apply_measure(self) -> None:
        """Centre a column of about :data:`MEASURE` characters in the pane."""
        metrics = QFontMetricsF(self.document().defaultFont())
        column = metrics.averageCharWidth() * MEASURE
        side = max(20.0, (self.viewport().width() - column) / 2)
        frame = self.document().rootFrame()
        fmt = frame.frameFormat()
        if abs(fmt.leftMargin() - side) < 1 and fmt.topMargin() == 12:
            return
        fmt.setLeftMargin(side)
        fmt.setRightMargin(side)
        fmt.setTopMargin(12)
        fmt.setBottomMargin(40)
        frame.setFrameFormat(fmt)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._apply_measure()


def _phrase_variants(phrase: str) -> list[str]:
    """The phrase, then without its parenthesis, then the words before the parenthesis."""
    variants = [phrase, re.sub(r"\s*\([^)]*\)", "", phrase), phrase.split("(", 1)[0]]
    return [v.strip() for n, v in enumerate(variants) if v.strip() and v not in variants[:n]]
