"""The paged-document engine: page furniture, rows never split, headers repeated, safe writing."""

from __future__ import annotations

import errno
import os
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QPainter

from nbcompanion.reports import atomic, paginate
from nbcompanion.reports import pdf as engine
from nbcompanion.reports.atomic import ExportError
from nbcompanion.reports.pdf import Drawing, PagedDocument, PageDecoration, render_pdf

pytestmark = pytest.mark.usefixtures("qapp")

DECORATION = PageDecoration("Maya Example", "Visit summary · 12 May 2026", date(2026, 5, 11))


def page_texts(path: Path) -> list[str]:
    """Each page's text with whitespace normalised (Qt PDFs extract with tabs)."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(path).pages]


def long_table(rows: int = 150) -> str:
    body = "".join(
        f"<tr><td>Row {i}</td><td>{'words that wrap onto more lines ' * (i % 6 + 1)}</td>"
        f"<td align='right'>{i * 1.5}</td></tr>" for i in range(rows))
    return ("<h1>Title</h1><p>Intro paragraph.</p>"
            "<table class='data' width='100%' cellspacing='0' cellpadding='0'><thead><tr>"
            "<th>Name</th><th>Analyte words</th><th>Value</th></tr></thead>"
            f"{body}</table><h2>After the table</h2><p>The end.</p>")


def test_every_page_has_header_footer_and_page_n_of_m(tmp_path: Path) -> None:
    result = render_pdf(tmp_path / "out.pdf", long_table(), decoration=DECORATION)
    texts = page_texts(result.path)
    assert result.pages == len(texts) >= 3
    for number, text in enumerate(texts, start=1):
        assert f"Page {number} of {result.pages}" in text
        assert "Maya Example" in text
        assert "Visit summary · 12 May 2026" in text
        assert "Made on 11 May 2026" in text
        assert "Made by the family from their own records" in text


def test_rows_are_never_split_and_headers_repeat(tmp_path: Path) -> None:
    document = PagedDocument(long_table(), decoration=DECORATION)
    atoms = paginate.frame_atoms(document.doc, document.doc.rootFrame())
    rows = [a for a in atoms if a.header is not None]
    assert len(rows) > 100
    placed = 0
    for atom in rows:
        holders = [p for p in document.pages for top, bottom in p.segments
                   if top - 0.5 <= atom.top and atom.bottom <= bottom + 0.5]
        assert len(holders) == 1, f"row at {atom.top} is split or missing"
        placed += 1
    assert placed == len(rows)
    for page in document.pages[1:]:
        heights = [bottom - top for top, bottom in page.segments]
        assert sum(heights) <= document.body.height() + 1
    result = document.write(tmp_path / "rows.pdf")
    texts = page_texts(result.path)
    continued = [t for t in texts[1:] if "Row " in t]
    assert continued
    for text in continued:
        assert "Name Analyte words Value" in text  # the header row, repeated
    assert "Row 149" in texts[-1] or "Row 149" in texts[-2]


def test_a_heading_is_not_left_alone_at_the_foot_of_a_page() -> None:
    filler = "".join(f"<p>Line {i}</p>" for i in range(400))
    html = filler.replace("<p>Line 60</p>", "<h2>Lonely heading</h2><p>Line 60</p>")
    document = PagedDocument(html, decoration=DECORATION)
    atoms = paginate.frame_atoms(document.doc, document.doc.rootFrame())
    heading = next(i for i, a in enumerate(atoms) if a.keep_with_next)
    following = atoms[heading + 1]
    pages_of = [n for n, p in enumerate(document.pages) for top, bottom in p.segments
                if top - 0.5 <= atoms[heading].top and atoms[heading].bottom <= bottom + 0.5]
    pages_next = [n for n, p in enumerate(document.pages) for top, bottom in p.segments
                  if top - 0.5 <= following.top and following.bottom <= bottom + 0.5]
    assert pages_of == pages_next


def test_page_break_before_and_anchor_pages() -> None:
    html = ("<h1><a name='first'></a>First</h1><p>a</p>"
            "<p style='page-break-before: always;'></p><h2><a name='second'></a>Second</h2>")
    document = PagedDocument(html, decoration=DECORATION)
    assert document.page_count == 2
    assert document.anchors == {"first": 1, "second": 2}


@pytest.mark.parametrize(("paper", "width_pt"), [("letter", 612), ("a4", 595)])
def test_paper_sizes(tmp_path: Path, paper: str, width_pt: int) -> None:
    result = render_pdf(tmp_path / f"{paper}.pdf", "<p>Hello</p>", decoration=DECORATION,
                        paper=paper)
    box = PdfReader(result.path).pages[0].mediabox
    assert round(float(box.width)) == width_pt


def test_drawings_are_vector_and_text_is_text(tmp_path: Path) -> None:
    def paint(painter: QPainter, rect: QRectF) -> None:
        painter.fillRect(rect, QColor("#336699"))
        painter.drawText(rect, "Inside the drawing")

    drawing = Drawing("box", 200, 80, paint)
    result = render_pdf(tmp_path / "d.pdf", f"<p>Before</p><p>{drawing.marker}</p><p>After</p>",
                        decoration=DECORATION, drawings=[drawing])
    page = PdfReader(result.path).pages[0]
    text = " ".join(page.extract_text().split())
    assert "Before" in text
    assert "After" in text
    assert "Inside the drawing" in text
    assert "[[drawing" not in text
    resources = page["/Resources"]
    xobjects = resources.get("/XObject", {})
    images = [x for x in xobjects.values() if x.get_object().get("/Subtype") == "/Image"]
    assert images == []  # painted as vector graphics, not a picture
    assert "/Font" in resources


def test_unwritable_folder_fails_cleanly_and_leaves_no_file(tmp_path: Path) -> None:
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    with pytest.raises(ExportError, match="could not be saved"):
        render_pdf(blocker / "summary.pdf", "<p>Hi</p>", decoration=DECORATION)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file-not-folder"]


def test_full_disk_at_the_end_leaves_no_file(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    def no_space(*args: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(atomic.os, "fsync", no_space)
    with pytest.raises(ExportError, match="disk is full"):
        render_pdf(tmp_path / "summary.pdf", "<p>Hi</p>", decoration=DECORATION)
    assert list(tmp_path.iterdir()) == []


def test_format_date() -> None:
    assert engine.format_date("2026-05-03") == "3 May 2026"
    assert engine.format_date("2026-12-25T10:00") == "25 Dec 2026"
    assert engine.format_date(date(2026, 1, 9)) == "9 Jan 2026"
    assert engine.format_date(None, empty="—") == "—"


def test_fonts_are_embedded_with_unicode_maps(tmp_path: Path) -> None:
    result = render_pdf(tmp_path / "fonts.pdf", "<h1>Title</h1><p>Body text</p>",
                        decoration=DECORATION)
    fonts = PdfReader(result.path).pages[0]["/Resources"]["/Font"]
    assert fonts
    for font in fonts.values():
        font = font.get_object()
        assert "/ToUnicode" in font  # text can be searched and copied
        descendant = font["/DescendantFonts"][0].get_object()
        descriptor = descendant["/FontDescriptor"].get_object()
        assert any(key in descriptor for key in ("/FontFile2", "/FontFile3", "/FontFile"))


def test_a_row_taller_than_a_page_is_cut_rather_than_lost(tmp_path: Path) -> None:
    huge = " ".join(f"word{i}" for i in range(4000))
    html = ("<table class='data' width='100%'><thead><tr><th>Note</th></tr></thead>"
            f"<tr><td>{huge}</td></tr><tr><td>After the long row</td></tr></table>")
    result = render_pdf(tmp_path / "tall.pdf", html, decoration=DECORATION)
    text = " ".join(page_texts(result.path))
    assert result.pages >= 2
    assert "word0" in text
    assert "word3999" in text
    assert "After the long row" in text


def test_none_is_protected_from_pyside_void_calls() -> None:
    import sys

    from PySide6.QtGui import QFont

    from nbcompanion.reports import qtfix

    font = QFont()
    for _ in range(20_000):  # enough to abort Python 3.11 without the guard
        font.setPointSizeF(9.0)
    assert sys.getrefcount(None) > 10_000
    assert qtfix.protect_none() is (sys.version_info < (3, 12))


def test_a_pdf_cut_short_never_replaces_the_file(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "summary.pdf"
    target.write_bytes(b"the previous summary")
    real_check = engine.check_complete_pdf

    def cut_short(path: Path, destination: Path) -> None:
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2])  # as if the disk filled up halfway
        real_check(path, destination)

    monkeypatch.setattr(engine, "check_complete_pdf", cut_short)
    with pytest.raises(ExportError, match="could not be written completely"):
        render_pdf(target, "<p>Hello</p>", decoration=DECORATION)
    assert target.read_bytes() == b"the previous summary"
    assert [p.name for p in tmp_path.iterdir()] == ["summary.pdf"]


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_side_by_side_drawings_fit_the_text_width(tmp_path: Path, paper: str) -> None:
    seen: list[QRectF] = []

    def record(painter: QPainter, rect: QRectF) -> None:
        seen.append(QRectF(rect))

    pair = [Drawing(f"c{i}", 248, 100, record, width_fraction=0.49) for i in range(2)]
    html = ("<table width='100%'><tr>"
            + "".join(f"<td width='50%'><p>{d.marker}</p></td>" for d in pair)
            + "</tr></table>")
    document = PagedDocument(html, decoration=DECORATION, drawings=pair, paper=paper)
    document.write(tmp_path / f"{paper}.pdf")
    assert len(seen) == 2
    assert seen[0].right() <= seen[1].left()
    assert seen[1].right() <= document.body.width() + 1


def test_table_pieces_in_separate_documents_print_as_one_table(tmp_path: Path) -> None:
    """A long table laid out as short documents (html.table_pieces, as the full record
    does to keep each layout call short) prints exactly as the same table in one."""
    from nbcompanion.reports import html as h

    rows = [(f"Row {i}", "words that wrap onto more lines " * (i % 6 + 1), f"{i * 1.5}")
            for i in range(150)]
    headers = ("Name", "Analyte words", "Value")
    pieces = h.table_pieces(headers, rows, widths=(20, 60, 20), chunk_rows=7)
    assert len(pieces) == 22
    assert "<thead>" in pieces[0]
    assert not any("<thead>" in piece for piece in pieces[1:])
    whole = "<h1>Title</h1>" + h.table(headers, rows, widths=(20, 60, 20)) + "<p>The end.</p>"
    parts = ["<h1>Title</h1>" + pieces[0], *pieces[1:-1], pieces[-1] + "<p>The end.</p>"]
    one = PagedDocument(whole, decoration=DECORATION)
    many = PagedDocument(parts, decoration=DECORATION)
    assert len(many.docs) == len(parts)
    # Each piece sits right under the one before: the same pages, cut at the same rows.
    assert many.page_count == one.page_count >= 3
    texts_one = page_texts(one.write(tmp_path / "one.pdf").path)
    texts_many = page_texts(many.write(tmp_path / "many.pdf").path)
    assert texts_many == texts_one
    for text in texts_many[1:]:
        assert "Name Analyte words Value" in text  # the header, repeated across documents
    assert sum(text.count("Row 149 ") for text in texts_many) == 1


def test_edge_tables_ignore_the_empty_blocks_around_a_table() -> None:
    table = "<table><tr><td>a</td></tr></table>"
    document = PagedDocument([table, "<p>Text</p>" + table, table + "<p>Text</p>"],
                             decoration=DECORATION)
    starts_and_ends = [paginate.edge_tables(doc) for doc in document.docs]
    assert all(found is not None for found in starts_and_ends[0])
    assert starts_and_ends[1][0] is None
    assert starts_and_ends[1][1] is not None
    assert starts_and_ends[2][0] is not None
    assert starts_and_ends[2][1] is None


def test_table_pieces_end_early_when_their_cells_are_long() -> None:
    from nbcompanion.reports import html as h

    rows = [(f"Row {i}", "x" * (500 if i < 10 else 5)) for i in range(40)]
    pieces = h.table_pieces(("Name", "Text"), rows, chunk_rows=20, chunk_chars=1000)
    counts = [piece.count("<tr>") - (1 if "<thead>" in piece else 0) for piece in pieces]
    assert counts[:5] == [2, 2, 2, 2, 2]  # long rows: two reach the 1,000 characters
    assert sum(counts) == 40
    assert max(counts) == 20


def test_close_frees_the_parts_one_by_one(tmp_path: Path) -> None:
    document = PagedDocument(["<p>One</p>", "<p>Two</p>", "<p>Three</p>"],
                             decoration=DECORATION)
    result = document.write(tmp_path / "parts.pdf")
    assert len(document.docs) == 3
    document.close()
    assert document.docs == []
    assert "Three" in page_texts(result.path)[0]  # the file was written before
