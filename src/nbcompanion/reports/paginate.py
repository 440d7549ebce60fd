"""Cutting one long laid-out QTextDocument into pages, never inside a line or a table row.

The document is laid out as a single endless page. Its content becomes a list of *atoms*
(vertical stretches that must not be split: a line of text, a table row, a drawing), each
knowing whether it must stay with the next (headings, captions, a test's name row), whether a
page break comes before it, and which table header to repeat when a table continues. The
pages are then filled greedily with whole atoms.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from PySide6.QtGui import QTextBlock, QTextDocument, QTextFormat, QTextFrame, QTextTable


@dataclass
class Atom:
    """A vertical stretch of the long page that must stay on one page."""

    top: float
    bottom: float
    header: tuple[float, float] | None = None  # a table's header rows, repeated when continued
    keep_with_next: bool = False  # a heading
    break_before: bool = False
    anchors: tuple[str, ...] = ()
    #: Where the stretch may be cut if it is taller than a page: between two lines of a
    #: long table row, never through one; each with the text positions that start a line
    #: there (see :attr:`starts`).
    cuts: tuple[tuple[float, tuple[int, ...]], ...] = ()
    #: Text positions that start a line at :attr:`top` in the middle of a paragraph. Qt
    #: draws the line before a clip too, so a page starting here needs its paragraph split
    #: at these positions (see pdf.PagedDocument) to keep that line out of the text layer.
    starts: tuple[int, ...] = ()
    part: int = 0  # which of the document's parts it belongs to
    #: A data table's row: a hairline is drawn under it (by the engine, see pdf.py: Qt's
    #: own cell borders cost half the drawing time). ``header_rule`` is the height of
    #: the rule under the table's header, for the row that carries the header.
    rule: bool = False
    header_rule: float | None = None


def _merge(atoms: list[Atom]) -> Atom:
    """One unbreakable stretch covering ``atoms`` (which follow each other)."""
    first = atoms[0]
    return Atom(first.top, atoms[-1].bottom, header=first.header,
                 keep_with_next=first.keep_with_next, break_before=first.break_before,
                 anchors=tuple(name for atom in atoms for name in atom.anchors),
                 starts=first.starts)


def _block_anchors(block: QTextBlock) -> tuple[str, ...]:
    names: list[str] = []
    iterator = block.begin()
    while not iterator.atEnd():
        fragment = iterator.fragment()
        if fragment.isValid():
            names.extend(fragment.charFormat().anchorNames())
        iterator += 1
    return tuple(names)


def _block_atoms(doc: QTextDocument, block: QTextBlock, anchored: bool = True) -> list[Atom]:
    rect = doc.documentLayout().blockBoundingRect(block)
    layout = block.layout()
    fmt = block.blockFormat()
    heading = fmt.headingLevel() > 0
    breaks = _breaks_before(block)
    anchors = _block_anchors(block) if anchored else ()
    atoms = []
    for index in range(layout.lineCount()):
        line = layout.lineAt(index)
        top = rect.top() + line.y()
        atoms.append(Atom(top, top + line.height(), keep_with_next=heading,
                           break_before=breaks and index == 0,
                           anchors=anchors if index == 0 else (),
                           starts=(block.position() + line.textStart(),) if index else ()))
    if atoms:
        atoms[-1].bottom = max(atoms[-1].bottom, rect.bottom() - fmt.bottomMargin())
    # No lone first or last line of a paragraph at a page edge: a short paragraph stays
    # whole, a long one keeps its first two and last two lines together.
    if len(atoms) <= 4:
        return [_merge(atoms)] if atoms else []
    return [_merge(atoms[:2]), *atoms[2:-2], _merge(atoms[-2:])]


def _line_gaps(doc: QTextDocument, table: QTextTable, row: int, top: float,
               bottom: float) -> tuple[tuple[float, tuple[int, ...]], ...]:
    """The heights between ``top`` and ``bottom`` where no line of ``row``'s cells is cut,
    each with the text positions of the lines that start there inside a paragraph."""
    layout = doc.documentLayout()
    spans: list[tuple[float, float, int]] = []
    for column in range(table.columns()):
        cell = table.cellAt(row, column)
        if cell.column() != column:
            continue  # the rest of a cell spanning several columns
        block = cell.firstCursorPosition().block()
        last = cell.lastCursorPosition().block().blockNumber()
        while block.isValid() and block.blockNumber() <= last:
            rect = layout.blockBoundingRect(block)
            text = block.layout()
            for index in range(text.lineCount()):
                line = text.lineAt(index)
                start = block.position() + line.textStart() if index else -1
                spans.append((rect.top() + line.y(), rect.top() + line.y() + line.height(),
                              start))
            block = block.next()
    spans.sort()
    cuts: list[tuple[float, list[int]]] = []
    reach = top
    for line_top, line_bottom, start in spans:
        if cuts and abs(line_top - cuts[-1][0]) < 0.01:
            if start >= 0:
                cuts[-1][1].append(start)  # another cell's line starting at the same height
        elif line_top >= reach - 0.01 and top < line_top < bottom:
            cuts.append((line_top, [start] if start >= 0 else []))
        reach = max(reach, line_bottom)
    return tuple((y, tuple(starts)) for y, starts in cuts)


def _table_atoms(doc: QTextDocument, table: QTextTable, tall: float,
                 inherited: tuple[float, float] | None = None) -> list[Atom]:
    """One atom per row; ``inherited`` is the header of the table this one continues."""
    layout = doc.documentLayout()
    frame_rect = layout.frameBoundingRect(table)
    fmt = table.format()
    padding = fmt.cellPadding() + fmt.border()
    tops: list[float] = []
    # Cells are top-aligned (see STYLE_SHEET), so a row starts where its first cell's text
    # starts; reading one cell per row keeps ten-year tables quick.
    for row in range(table.rows()):
        block = table.cellAt(row, 0).firstCursorPosition().block()
        tops.append(layout.blockBoundingRect(block).top() - padding)
    if not tops:
        return []
    bottoms = [*tops[1:], frame_rect.bottom()]
    header_rows = min(fmt.headerRowCount(), len(tops) - 1)
    header = (tops[0], tops[header_rows]) if header_rows > 0 else inherited
    breaks = bool(fmt.pageBreakPolicy() & QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
    # A row spanning every column is a group label (e.g. a test's name): keep it with the
    # row below it, as a heading.
    ruled = header is not None  # a data table (or a piece of one): rows get rules
    atoms = [Atom(tops[r], bottoms[r], header=header, rule=ruled,
                   keep_with_next=table.cellAt(r, 0).columnSpan() == table.columns() > 1)
             for r in range(header_rows, len(tops))]
    for row, atom in enumerate(atoms, start=header_rows):
        if atom.bottom - atom.top > tall:
            atom.cuts = _line_gaps(doc, table, row, atom.top, atom.bottom)
    if header_rows and atoms:
        # The header travels with the first row: never a header alone at a page's foot.
        # (It keeps its header, repeated should that row be taller than a page.)
        atoms[0].top = tops[0]
        atoms[0].header_rule = tops[header_rows]
    if atoms:
        atoms[0].break_before = breaks
    return atoms


def frame_atoms(doc: QTextDocument, frame: QTextFrame, tall: float = float("inf"),
                continued: tuple[tuple[float, float], int] | None = None,
                anchored: bool = True) -> list[Atom]:
    """The unbreakable stretches of ``frame``; table rows taller than ``tall`` learn where
    they may be cut between lines.

    ``continued`` is (header, columns) of the table that ``frame``'s first table continues
    (from the document before, see :func:`edge_tables`): the empty block Qt puts before
    that table is left out, and its rows repeat that header. ``anchored=False`` says the
    document has no anchors, which spares reading every fragment of every block (a
    ten-year record has 280,000 of them)."""
    atoms: list[Atom] = []
    iterator = frame.begin()
    after_frame = continued is not None  # skips the empty block before the first table
    header: tuple[float, float] | None = continued[0] if continued else None
    header_columns = continued[1] if continued else 0
    while not iterator.atEnd():
        block = iterator.currentBlock()
        if block.isValid():
            # Qt puts an empty block after every table; it holds nothing worth a page.
            if not (after_frame and not block.text() and not _breaks_before(block)):
                atoms.extend(_block_atoms(doc, block, anchored))
                header = None
            after_frame = False
        else:
            # Only ask for the frame when there is one: see qtfix about None.
            child = iterator.currentFrame()
            if isinstance(child, QTextTable):
                same = header is not None and header_columns == child.columns()
                found = _table_atoms(doc, child, tall, header if same else None)
                atoms.extend(found)
                # A table without a header row right after one of as many columns continues
                # it (html.table writes long tables in short pieces): it repeats that header.
                header = found[-1].header if found else None
                header_columns = child.columns()
            else:
                atoms.extend(frame_atoms(doc, child, tall, anchored=anchored))
                header = None
            after_frame = True
        iterator += 1
    return atoms


def edge_tables(doc: QTextDocument) -> tuple[QTextTable | None, QTextTable | None]:
    """The table ``doc`` starts with and the table it ends with (None where it starts or
    ends with text); the empty blocks Qt puts around a table do not count."""
    items: list[QTextTable | None] = []
    iterator = doc.rootFrame().begin()
    while not iterator.atEnd():
        block = iterator.currentBlock()
        if block.isValid():
            if block.text() or _breaks_before(block) or _block_anchors(block):
                items.append(None)
        else:
            child = iterator.currentFrame()
            items.append(child if isinstance(child, QTextTable) else None)
        iterator += 1
    if not items:
        return None, None
    return items[0], items[-1]


def _breaks_before(block: QTextBlock) -> bool:
    policy = block.blockFormat().pageBreakPolicy()
    return bool(policy & QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)


@dataclass
class Page:
    segments: list[tuple[float, float]]  # stretches of the long page, stacked top to bottom
    #: Text positions (part, positions) where a paragraph must be split so that the page
    #: can start in its middle; see :attr:`Atom.starts`.
    splits: tuple[int, tuple[int, ...]] | None = None
    #: Hairlines under table rows: (height on the long page, True for a header's rule).
    rules: list[tuple[float, bool]] = field(default_factory=list)


def paginate(atoms: list[Atom], height: float) -> tuple[list[Page], dict[str, int]]:
    """Cut the long page into pages of ``height``; returns pages and anchor → page number."""
    # A frame's box can reach into the next block's margin: never draw past where it starts.
    for atom, following in itertools.pairwise(atoms):
        if atom.top < following.top < atom.bottom:
            atom.bottom = following.top
    pages: list[Page] = []
    anchors: dict[str, int] = {}
    index = 0
    while index < len(atoms):
        first = atoms[index]
        segments: list[tuple[float, float]] = []
        used = 0.0
        header = first.header
        if header is not None and header[1] - header[0] < height / 2 and first.top > header[0]:
            segments.append(header)  # a table continued from the page before
            used = header[1] - header[0]
        start = first.top
        end = index
        while end < len(atoms):
            atom = atoms[end]
            if end > index and atom.break_before:
                break
            if used + atom.bottom - start > height and end > index:
                break
            end += 1
        # (The first stretch always goes in, even one taller than a page: it is cut below.)
        if end < len(atoms):
            # Do not leave a heading (or a run of them) alone at the foot of the page.
            back = end
            while back - 1 > index and atoms[back - 1].keep_with_next:
                back -= 1
            end = back
        bottom = min(atoms[end - 1].bottom, start + height - used)
        starts: tuple[int, ...] = ()
        if bottom < atoms[end - 1].bottom:
            # Taller than a page: cut between two lines where the stretch allows it.
            fits = [cut for cut in atoms[end - 1].cuts if start < cut[0] <= bottom]
            if fits:
                bottom, starts = fits[-1]
        segments.append((start, bottom))
        split = (first.part, first.starts) if first.starts else None
        for atom in atoms[index:end]:
            for name in atom.anchors:
                anchors.setdefault(name, len(pages) + 1)
        rules = [(segments[0][1], True)] if len(segments) > 1 else []  # a repeated header
        for atom in atoms[index:end]:
            if atom.header_rule is not None and start <= atom.header_rule <= bottom:
                rules.append((atom.header_rule, True))
            if atom.rule and atom.bottom <= bottom + 1e-6:
                rules.append((atom.bottom, False))
        pages.append(Page(segments, split, rules))
        if atoms[end - 1].bottom > bottom + 1e-6:  # the rest of an over-tall stretch
            rest = atoms[end - 1]
            atoms[end - 1] = Atom(bottom, rest.bottom, header=rest.header,
                                  cuts=tuple(cut for cut in rest.cuts if cut[0] > bottom),
                                  starts=starts, part=rest.part, rule=rest.rule)
            index = end - 1
        else:
            index = end
    return pages or [Page([(0.0, 0.0)])], anchors
