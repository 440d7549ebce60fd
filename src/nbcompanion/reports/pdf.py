"""The paged-document engine: HTML in, a clean PDF out, with our own pagination.

Qt's own pagination splits table rows across pages, so the document is laid out as one
long page and cut into pages here: a cut falls only between lines of text or between table
rows, a table continued on the next page repeats its header rows, and a heading is never
left alone at the bottom of a page. Every page gets a header (the child's name and the
visit date), a footer ("Page N of M", the date the file was made, and a note that the family
made it from their own records). Text stays text (fonts embedded, selectable); drawings such
as trend charts are painted with QPainter straight into the PDF, so they stay vector too.

QtGui only — no widgets — so the same code runs in a worker thread or a test.
"""

from __future__ import annotations

import bisect
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from PySide6.QtCore import QMarginsF, QObject, QPointF, QRect, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QFontMetricsF,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QPyTextObject,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)

from nbcompanion import APP_NAME, wording
from nbcompanion.i18n import _
from nbcompanion.reports.atomic import ExportError, atomic_path
from nbcompanion.reports.paginate import Atom, Page, edge_tables, frame_atoms, paginate

#: Paper sizes the app offers, by the key stored in settings.
PAPER_SIZES = {"letter": QPageSize.PageSizeId.Letter, "a4": QPageSize.PageSizeId.A4}

#: Resolution of the PDF's coordinate system; text positions are exact to 1/600 inch.
RESOLUTION = 600
FONT_FAMILIES = ["Source Sans 3", "Noto Sans", "Segoe UI", "Helvetica Neue", "Arial",
                 "Liberation Sans", "DejaVu Sans"]
BASE_POINT_SIZE = 9.0
INK = "#1d2530"
MUTED = "#5b6675"
RULE = "#c9d0d8"
ACCENT = "#2c5f8a"

FAMILY_NOTE = ("Made by the family from their own records with {app}. It is not a medical "
               "record and gives no medical advice.")

def format_date(value: date | str | None, *, empty: str = "") -> str:
    """``2026-05-03`` → ``3 May 2026`` (the month in words, in the locale's order)."""
    if value is None or value == "":
        return empty
    return wording.day_text(value)


def document_font(point_size: float = BASE_POINT_SIZE) -> QFont:
    """The report's body font (the first installed family of a clean sans-serif list)."""
    font = QFont()
    font.setFamilies(FONT_FAMILIES)
    font.setPointSizeF(point_size)
    no_ligatures(font)
    return font


def no_ligatures(font: QFont) -> QFont:
    """Turn off ligatures so that "fi" stays two letters: PDF search and copy find "profile"."""
    for tag in ("liga", "clig", "dlig"):
        font.setFeature(QFont.Tag(tag), 0)
    return font


#: When the export last let the window run (see :func:`_let_the_window_run`).
_last_yield = 0.0
#: How often, at most: each yield costs ~0.1 ms, and 4,000 of them cost a third of a second.
_YIELD_EVERY_S = 0.015


def _let_the_window_run() -> None:
    """Hand Python's lock to another thread that waits for it, between two short steps.

    An export runs on a worker thread while the window stays on the GUI thread. Each of the
    worker's Qt calls lets go of the lock and takes it straight back, before the waiting
    window is awake enough to take it: the window then stalled for up to 400 ms though no
    step took 35 ms. Sleeping for no time lets go of the lock in a way the other thread
    wins; once every 15 ms keeps the window's longest wait under 100 ms."""
    global _last_yield
    now = time.perf_counter()
    if now - _last_yield >= _YIELD_EVERY_S:
        time.sleep(0)
        _last_yield = time.perf_counter()


STYLE_SHEET = f"""
h1 {{ font-size: 17pt; font-weight: 600; margin-top: 0px; margin-bottom: 2px; color: {INK}; }}
h2 {{ font-size: 11pt; font-weight: 600; margin-top: 14px; margin-bottom: 5px;
      color: {ACCENT}; }}
h3 {{ font-size: 9.5pt; font-weight: 600; margin-top: 10px; margin-bottom: 4px; color: {INK}; }}
h4 {{ font-size: 8.5pt; font-weight: 600; color: {MUTED}; margin-top: 8px;
      margin-bottom: 2px; }}
h6 {{ font-size: 7.5pt; font-weight: normal; color: {MUTED}; margin-top: 0px;
      margin-bottom: 4px; }}
p {{ margin-top: 0px; margin-bottom: 5px; color: {INK}; }}
.muted {{ color: {MUTED}; }}
.small {{ font-size: 8pt; }}
p.lead {{ color: {MUTED}; margin-bottom: 4px; }}
p.intro {{ margin-bottom: 12px; }}
p.answered {{ margin-bottom: 10px; }}
h5.test {{ font-size: medium; font-weight: normal; color: {INK}; margin-top: 4px;
      margin-bottom: 0px; }}
p.results {{ margin-left: 100px; margin-bottom: 0px; }}
table.data {{ border-collapse: collapse; margin-bottom: 4px; }}
.data th {{ vertical-align: top; font-weight: 600; color: {MUTED}; font-size: 8pt;
      padding-right: 8px; padding-top: 2px; padding-bottom: 3px; }}
.data td {{ color: {INK}; vertical-align: top; padding-right: 8px; padding-top: 2px;
      padding-bottom: 2px; }}
.facts td {{ vertical-align: top; padding-right: 14px; padding-top: 1px;
      padding-bottom: 1px; }}
td.label {{ color: {MUTED}; }}
.toc td {{ vertical-align: top; padding-top: 2px; padding-bottom: 2px; }}
.answer td {{ border-bottom: 1px solid {RULE}; padding-top: 10px; }}
"""
# (Qt reads px differently by direction here: a left margin in the PDF's device pixels,
# RESOLUTION to the inch, so 100px is 12pt; top and bottom margins as CSS pixels, 96 to
# the inch, so 4px is 3pt.)


#: Private-use characters around placeholders; text from the record never contains them
#: (reports.html.esc removes them), so a typed note can never be mistaken for one.
MARKER_OPEN, MARKER_CLOSE = "\ue000", "\ue001"


@dataclass(frozen=True)
class Drawing:
    """A picture painted with QPainter into a box of ``width_pt`` × ``height_pt`` points.

    With ``width_fraction`` the width is that share of the text width instead (so a chart
    fits Letter and A4 alike), never more than ``width_pt``.

    Put :meth:`marker` in the HTML, alone in its own paragraph, where the picture goes.
    """

    key: str
    width_pt: float
    height_pt: float
    paint: Callable[[QPainter, QRectF], object]
    width_fraction: float | None = None

    @property
    def marker(self) -> str:
        """The placeholder text the engine replaces with the drawing."""
        return f"{MARKER_OPEN}drawing:{self.key}{MARKER_CLOSE}"


#: Told (done, total, text) as the work goes on; may raise to stop it (Cancel).
ProgressCallback = Callable[[int, int, str], object]


@dataclass
class PageDecoration:
    """What every page shows around the body."""

    header_left: str
    header_right: str
    made_on: date
    note: str = FAMILY_NOTE.format(app=APP_NAME)


@dataclass
class RenderResult:
    """What :func:`render_pdf` produced."""

    path: Path
    pages: int
    anchors: dict[str, int] = field(default_factory=dict)  # anchor name → page number (1-based)


# -- drawings as text objects ----------------------------------------------------------------
_OBJECT_TYPE = QTextFormat.ObjectTypes.UserObject + 17
_KEY_PROPERTY = QTextFormat.Property.UserProperty + 1
_WIDTH_PROPERTY = QTextFormat.Property.UserProperty + 2
_HEIGHT_PROPERTY = QTextFormat.Property.UserProperty + 3


class _DrawingObject(QPyTextObject):
    """Lets QTextDocument lay out a Drawing like a big character, and paint it with QPainter."""

    def __init__(self, drawings: dict[str, Drawing], parent: QObject) -> None:
        super().__init__(parent)
        self.drawings = drawings

    def intrinsicSize(self, doc: QTextDocument, pos: int, fmt: QTextFormat) -> QSizeF:
        return QSizeF(float(fmt.property(_WIDTH_PROPERTY)), float(fmt.property(_HEIGHT_PROPERTY)))

    def drawObject(self, painter: QPainter, rect: QRectF | QRect, doc: QTextDocument,
                   pos: int, fmt: QTextFormat) -> None:
        drawing = self.drawings.get(str(fmt.property(_KEY_PROPERTY)))
        if drawing is not None:
            painter.save()
            drawing.paint(painter, QRectF(rect))
            painter.restore()


def _insert_drawings(doc: QTextDocument, drawings: Sequence[Drawing], px_per_pt: float,
                     text_width: float) -> None:
    by_key = {d.key: d for d in drawings}
    handler = _DrawingObject(by_key, doc)
    doc.documentLayout().registerHandler(int(_OBJECT_TYPE), handler)
    for drawing in drawings:
        cursor = doc.find(drawing.marker)
        if cursor.isNull():
            continue
        fmt = QTextCharFormat()
        fmt.setObjectType(int(_OBJECT_TYPE))
        fmt.setProperty(_KEY_PROPERTY, drawing.key)
        width = drawing.width_pt * px_per_pt
        if drawing.width_fraction is not None:
            width = min(width, text_width * drawing.width_fraction)
        fmt.setProperty(_WIDTH_PROPERTY, width)
        fmt.setProperty(_HEIGHT_PROPERTY, drawing.height_pt * px_per_pt)
        cursor.insertText("\ufffc", fmt)


#: A tenth of a point at 600 dpi, in device pixels.
_HAIR = 0.8


# -- the document ----------------------------------------------------------------------------
class PagedDocument:
    """An HTML document laid out for a paper size, ready to be cut into pages and painted.

    Build it, optionally read :attr:`anchors` (page numbers for a table of contents) and
    change text with :meth:`replace_text`, then :meth:`write` it.
    """

    def __init__(self, html: str | Sequence[str], *, paper: str = "letter",
                 decoration: PageDecoration, drawings: Sequence[Drawing] = (),
                 title: str = "", progress: ProgressCallback | None = None) -> None:
        self.progress = progress
        self.paper = paper if paper in PAPER_SIZES else "letter"
        self.decoration = decoration
        self.title = title
        self._fonts: tuple[object, dict[str, tuple[QFont, QFontMetricsF]]] | None = None
        self._layout = QPageLayout(QPageSize(PAPER_SIZES[self.paper]),
                                   QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0))
        full = self._layout.fullRectPoints()
        self.px_per_pt = RESOLUTION / 72.0
        pt = self.px_per_pt
        self.page_rect = QRectF(0, 0, full.width() * pt, full.height() * pt)
        side, top, bottom = 54 * pt, 64 * pt, 58 * pt  # 0.75 in sides; room for header, footer
        self.body = QRectF(side, top, self.page_rect.width() - 2 * side,
                           self.page_rect.height() - top - bottom)
        # Lay out against a PDF-resolution device so that text is measured as it is printed.
        self._device = QPdfWriter(_NullDevice.path())
        self._device.setResolution(RESOLUTION)
        self._device.setPageLayout(self._layout)
        # A long record comes in parts, each its own QTextDocument stacked below the one
        # before: Qt's layout and drawing cost grows with a document's size, so many small
        # documents make a 700-page record quick where one huge document would crawl.
        parts = [part for part in ([html] if isinstance(html, str) else html) if part]
        total_chars = sum(len(part) for part in parts) or 1
        self.docs = []
        # Which parts may hold anchors (contents entries: <a name=…>, or an id), so that
        # pagination looks for them there only.
        self._anchored = ["name=" in part or "id=" in part for part in parts]
        done_chars = 0
        height = 0.0
        for part in parts:
            _let_the_window_run()
            doc = self._document(part, [d for d in drawings if d.marker in part])
            self.docs.append(doc)
            done_chars += len(part)
            height += doc.size().height()
            if progress is not None:
                # The pages so far, and the pages the whole text will fill at this pace.
                pages = max(1, round(height / self.body.height()))
                about = max(pages, round(pages * total_chars / done_chars))
                progress(pages, about * 2, f"Laying out page {pages} of about {about}…")
        self._paginate()

    @property
    def doc(self) -> QTextDocument:
        """The first (often the only) part's document."""
        return self.docs[0]

    def _document(self, html: str, drawings: Sequence[Drawing]) -> QTextDocument:
        doc = QTextDocument()
        doc.setUndoRedoEnabled(False)
        doc.documentLayout().setPaintDevice(self._device)
        doc.setDefaultFont(document_font())
        doc.setDocumentMargin(0)
        doc.setDefaultStyleSheet(STYLE_SHEET)
        doc.setTextWidth(self.body.width())  # before the text: lay it out once, not twice
        doc.setHtml(html)
        if drawings:
            _insert_drawings(doc, drawings, self.px_per_pt, self.body.width())
            # Lay the (small) part out again so its size counts the drawings' height.
            doc.setTextWidth(self.body.width() + 1)
            doc.setTextWidth(self.body.width())
        return doc

    def _paginate(self) -> None:
        for _attempt in range(4):
            self._cut_pages()
            splits: dict[int, list[int]] = {}
            for page in self.pages:
                if page.splits is not None:
                    splits.setdefault(page.splits[0], []).extend(page.splits[1])
            if not splits:
                return
            for part, positions in splits.items():
                _split_paragraphs(self.docs[part], positions)

    def _cut_pages(self) -> None:
        atoms: list[Atom] = []
        self.offsets: list[float] = []
        #: Each part's height as laid out now (read once: painting asks for it per page).
        self.heights: list[float] = []
        offset = 0.0
        tall = self.body.height() * 0.8
        # (header on the long page, columns, bottom) of the table the last part ended with
        open_table: tuple[tuple[float, float], int, float] | None = None
        for part, doc in enumerate(self.docs):
            _let_the_window_run()
            first, last = edge_tables(doc)
            continued = None
            if (open_table is not None and first is not None
                    and first.format().headerRowCount() == 0
                    and first.columns() == open_table[1]):
                # A piece of the table before (see html.table_pieces): stack it right
                # under that table's last row, as if both were one document.
                offset = open_table[2] - doc.documentLayout().frameBoundingRect(first).top()
                header = open_table[0]
                continued = ((header[0] - offset, header[1] - offset), open_table[1])
            elif part and first is None:
                # Qt drops the top margin of a document's first block; a part that starts
                # with a heading (a new month, say) gets its space above back here. (Qt
                # scales CSS pixels of vertical margins to the device: 96 to the inch.)
                margin = doc.firstBlock().blockFormat().topMargin()
                offset += margin * self._device.logicalDpiY() / 96.0
            self.offsets.append(offset)
            found = frame_atoms(doc, doc.rootFrame(), tall=tall, continued=continued,
                                anchored=self._anchored[part])
            for atom in found:
                atom.top += offset
                atom.bottom += offset
                atom.part = part
                if atom.header is not None:
                    atom.header = (atom.header[0] + offset, atom.header[1] + offset)
                atom.cuts = tuple((y + offset, starts) for y, starts in atom.cuts)
                if atom.header_rule is not None:
                    atom.header_rule += offset
                atoms.append(atom)
            open_table = None
            if last is not None and found and found[-1].header is not None:
                open_table = (found[-1].header, last.columns(),
                              offset + doc.documentLayout().frameBoundingRect(last).bottom())
            height = doc.size().height()
            self.heights.append(height)
            offset += height
        self.pages, self.anchors = paginate(atoms, self.body.height())

    @property
    def page_count(self) -> int:
        """How many pages the document fills."""
        return len(self.pages)

    def replace_text(self, replacements: dict[str, str]) -> None:
        """Replace placeholder texts (e.g. TOC page numbers); the pages are cut again only
        if that changed a part's height."""
        changed = False
        quick = all(old.startswith(MARKER_OPEN) for old in replacements)
        for doc in self.docs:
            _let_the_window_run()
            if quick and doc.find(MARKER_OPEN).isNull():
                continue  # no placeholder in this part: one scan instead of one per text
            height = doc.size().height()
            for old, new in replacements.items():
                cursor = doc.find(old)
                while not cursor.isNull():
                    cursor.insertText(new)
                    cursor = doc.find(old, cursor)
            changed = changed or abs(doc.size().height() - height) > 0.01
        if changed:
            self._paginate()

    def write(self, destination: Path | str) -> RenderResult:
        """Paint every page into a PDF at ``destination`` (atomically); returns the result."""
        destination = Path(destination)
        with atomic_path(destination) as temp:
            writer = QPdfWriter(str(temp))
            writer.setResolution(RESOLUTION)
            writer.setPageLayout(self._layout)
            writer.setCreator(APP_NAME)
            writer.setTitle(self.title or destination.stem)
            painter = QPainter()
            try:
                if not painter.begin(writer):
                    raise ExportError(_("The file {name} could not be created in {parent}. "
                                        "Please choose another folder.").format(
                                        name=destination.name, parent=destination.parent))
                try:
                    self.paint_pages(painter, writer.newPage)
                finally:
                    painter.end()
            finally:
                del writer  # closes the file before it is renamed (or removed)
            check_complete_pdf(temp, destination)
        return RenderResult(destination, self.page_count, dict(self.anchors))

    def close(self) -> None:
        """Free the laid-out parts one by one. A long record has a thousand of them: freed
        all at once (their list dropped in one step) they held Python's GIL for 120 ms,
        long enough to stall the window while the export runs on a worker thread."""
        while self.docs:
            self.docs.pop()

    def paint_pages(self, painter: QPainter, new_page: Callable[[], object]) -> None:
        """Paint all pages with ``painter``, calling ``new_page`` between them."""
        total = self.page_count
        for number, page in enumerate(self.pages, start=1):
            _let_the_window_run()
            if self.progress is not None:
                self.progress(total + number, total * 2, f"Page {number} of {total}…")
            if number > 1:
                new_page()
            self._paint_decoration(painter, number, total)
            y = self.body.top()
            for top, bottom in page.segments:
                self._paint_stretch(painter, top, bottom, y)
                y += bottom - top
            self._paint_rules(painter, page)

    def _paint_stretch(self, painter: QPainter, top: float, bottom: float, y: float) -> None:
        """Paint the long page's stretch ``top``..``bottom`` at height ``y`` of the page."""
        first = max(0, bisect.bisect_right(self.offsets, top) - 1)
        # A part continuing a table starts above the end of the part before (its empty
        # first block overlaps that table's last row): draw that part too.
        while first > 0 and self.offsets[first - 1] + self.heights[first - 1] > top:
            first -= 1
        for index in range(first, len(self.docs)):
            offset = self.offsets[index]
            if offset >= bottom:
                break
            doc = self.docs[index]
            low, high = max(top, offset), min(bottom, offset + self.heights[index])
            if high <= low:
                continue
            painter.save()
            painter.translate(self.body.left(), y + offset - top)
            clip = QRectF(0, low - offset, self.body.width(), high - low)
            context = QAbstractTextDocumentLayout.PaintContext()
            # Qt draws every line and cell that touches its clip, edges included: a clip
            # a hair inside the stretch keeps the lines next to it out of the text layer.
            context.clip = clip.adjusted(0, _HAIR, 0, -_HAIR)
            # The layout draws every cell its clip touches, and a cell's box reaches a hair
            # past its row: only the painter's clip keeps a neighbouring row off the page.
            painter.setClipRect(clip)
            doc.documentLayout().draw(painter, context)
            painter.restore()

    def _paint_rules(self, painter: QPainter, page: Page) -> None:
        """The hairlines under the rows of data tables (one device pixel, as CSS's 1px was)."""
        if not page.rules:
            return
        painter.save()
        pens = {False: QPen(QColor(RULE), 1.0), True: QPen(QColor(MUTED), 1.0)}
        left, right = self.body.left(), self.body.right()
        for height, strong in page.rules:
            y = self.body.top()
            for top, bottom in page.segments:
                if top - 0.01 <= height <= bottom + 0.01:
                    at = y + height - top - 0.5  # the last pixel of the row, as Qt drew it
                    painter.setPen(pens[strong])
                    painter.drawLine(QPointF(left, at), QPointF(right, at))
                    break
                y += bottom - top
        painter.restore()

    def _decoration_fonts(self, painter: QPainter) -> dict[str, tuple[QFont, QFontMetricsF]]:
        """The page furniture's fonts with their metrics on ``painter``'s device, made once
        per document (building them for each of 800 pages cost a tenth of a second)."""
        if self._fonts is not None and self._fonts[0] is painter.device():
            return self._fonts[1]
        strong = document_font(9.5)
        strong.setWeight(QFont.Weight.DemiBold)
        fonts = {"strong": strong, "small": document_font(8.5), "tiny": document_font(7.5)}
        found = {name: (font, QFontMetricsF(font, painter.device()))
                 for name, font in fonts.items()}
        self._fonts = (painter.device(), found)
        return found

    def _paint_decoration(self, painter: QPainter, number: int, total: int) -> None:
        deco = self.decoration
        pt = self.px_per_pt
        left, right = self.body.left(), self.body.right()
        fonts = self._decoration_fonts(painter)
        painter.save()
        rule = QPen(QColor(RULE))
        rule.setWidthF(0.6 * pt)
        # Header: child's name on the left, what and when on the right, a hairline below.
        head_base = 40 * pt
        painter.setFont(fonts["strong"][0])
        painter.setPen(QColor(INK))
        painter.drawText(QPointF(left, head_base), deco.header_left)
        small, metrics = fonts["small"]
        painter.setFont(small)
        painter.setPen(QColor(MUTED))
        painter.drawText(QPointF(right - metrics.horizontalAdvance(deco.header_right), head_base),
                         deco.header_right)
        painter.setPen(rule)
        painter.drawLine(QPointF(left, head_base + 7 * pt), QPointF(right, head_base + 7 * pt))
        # Footer: the family note and the date made on the left, the page number on the right.
        foot_top = self.page_rect.height() - 44 * pt
        painter.drawLine(QPointF(left, foot_top), QPointF(right, foot_top))
        tiny, tiny_metrics = fonts["tiny"]
        painter.setFont(tiny)
        painter.setPen(QColor(MUTED))
        page_text = f"Page {number} of {total}"
        page_width = tiny_metrics.horizontalAdvance(page_text)
        made = f"Made on {format_date(deco.made_on)}."
        note_rect = QRectF(left, foot_top + 4 * pt, right - left - page_width - 18 * pt, 24 * pt)
        painter.drawText(note_rect, int(Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap),
                         f"{made} {deco.note}")
        painter.setFont(small)
        painter.setPen(QColor(INK))
        page_width = metrics.horizontalAdvance(page_text)
        painter.drawText(QPointF(right - page_width, foot_top + 4 * pt + metrics.ascent()),
                         page_text)
        painter.restore()


def _split_paragraphs(doc: QTextDocument, positions: Sequence[int]) -> None:
    """Start a new paragraph at each of ``positions`` (line starts), invisibly: no margin
    between the halves, so every line stays where it was laid out."""
    for position in sorted(set(positions), reverse=True):
        cursor = QTextCursor(doc)
        cursor.setPosition(position)
        if cursor.atBlockStart():
            continue
        before = cursor.blockFormat()
        after = QTextBlockFormat(before)
        after.setTopMargin(0)
        cursor.insertBlock(after)
        before.setBottomMargin(0)
        QTextCursor(cursor.block().previous()).setBlockFormat(before)


def check_complete_pdf(path: Path, destination: Path) -> None:
    """Raise ExportError unless ``path`` ends like a finished PDF.

    QPdfWriter does not report failed writes (a disk that fills up halfway): a file cut short
    lacks the closing ``%%EOF``, and must never replace the destination.
    """
    try:
        with open(path, "rb") as handle:
            handle.seek(0, 2)
            size = handle.tell()
            handle.seek(max(0, size - 1024))
            tail = handle.read()
    except OSError as error:
        raise ExportError(_("The file {name} could not be checked after writing: {strerror}. "
                            "Nothing was saved.").format(
                            name=destination.name, strerror=error.strerror)) from error
    if not tail.rstrip().endswith(b"%%EOF"):
        raise ExportError(_("The file {name} could not be written completely in {parent} — "
                            "perhaps the disk is full. Free some space, or choose another "
                            "place, and try again. Nothing was saved.").format(
                            name=destination.name, parent=destination.parent))


class _NullDevice:
    """A throwaway PDF device used only to measure text (never written to disk)."""

    @staticmethod
    def path() -> str:
        # QPdfWriter opens its file lazily, when painting begins; measuring never paints,
        # so nothing is created. os.devnull keeps it harmless even if it were opened.
        import os

        return os.devnull


def render_pdf(destination: Path | str, html: str, *, decoration: PageDecoration,
               paper: str = "letter", drawings: Sequence[Drawing] = (),
               title: str = "", progress: ProgressCallback | None = None) -> RenderResult:
    """Lay out ``html`` and write it as a PDF to ``destination``; see :class:`PagedDocument`."""
    document = PagedDocument(html, paper=paper, decoration=decoration, drawings=drawings,
                             title=title, progress=progress)
    try:
        return document.write(destination)
    finally:
        document.close()
