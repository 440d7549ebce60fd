"""The PDFs read back by a machine: the text layer is exactly the printed text, in order.

pdftotext (poppler) reads each file as a screen reader or a search would. Every word must lie
inside the page's printed area (body, header or footer), no line may appear twice or be cut
between pages, no heading may end a page, a table row's date and values come out on one
line, and no date wraps.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date, datetime
from itertools import pairwise
from pathlib import Path
from xml.etree import ElementTree

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nbcompanion.record import entries
from nbcompanion.record.demo import build_demo
from nbcompanion.record.store import Store
from nbcompanion.reports import full_record
from nbcompanion.reports import html as h
from nbcompanion.reports.full_record import record_html
from nbcompanion.reports.gather import export_full_record, export_visit_summary, full_record_data
from nbcompanion.reports.pdf import PageDecoration, format_date, render_pdf

pytestmark = [
    pytest.mark.usefixtures("qapp"),
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler's pdftotext"),
]

TODAY = datetime(2026, 12, 2, 9, 0)
MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
# The printed areas, in points from the page's top: header (baseline at 40 pt), body
# (64 pt from the top to 58 pt from the bottom), footer (below the rule 44 pt from the bottom).
HEADER = (28.0, 50.0)
BODY_TOP, BODY_BOTTOM_GAP, FOOTER_GAP = 64.0, 58.0, 44.0


def layout_pages(path: Path) -> list[list[str]]:
    """Each page's lines as pdftotext -layout gives them (a table row is a line)."""
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    return [[line.rstrip() for line in page.splitlines() if line.strip()]
            for page in text.split("\f") if page.strip()]


def words_with_boxes(path: Path) -> list[tuple[int, float, float, float, str]]:
    """(page, height of page, top, bottom, word) for every word of the text layer."""
    xml = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True,
                         text=True, check=True).stdout
    xml = re.sub(r"<!DOCTYPE[^>]*>", "", xml).replace(' xmlns="http://www.w3.org/1999/xhtml"',
                                                      "")
    out = []
    for number, page in enumerate(ElementTree.fromstring(xml).iter("page"), start=1):
        height = float(page.get("height", 0))
        for word in page.iter("word"):
            out.append((number, height, float(word.get("yMin", 0)),
                        float(word.get("yMax", 0)), word.text or ""))
    return out


def body_lines(page: list[str]) -> list[str]:
    """A page's lines between the header and the footer."""
    lines = page[1:]  # the header line
    while lines and not lines[-1].lstrip().startswith("Made on"):
        lines = lines[:-1]
    return lines[:-1] if lines else []


def assert_text_only_where_printed(path: Path) -> None:
    for page, height, top, bottom, word in words_with_boxes(path):
        in_header = HEADER[0] <= top and bottom <= HEADER[1]
        in_body = top >= BODY_TOP - 1 and bottom <= height - BODY_BOTTOM_GAP + 1
        in_footer = top >= height - FOOTER_GAP - 1 and bottom <= height
        assert in_header or in_body or in_footer, (
            f"{word!r} on page {page} lies outside the printed area ({top:.1f}–{bottom:.1f})")


def assert_no_wrapped_date(pages: list[list[str]]) -> None:
    cut_year = re.compile(rf"\b\d{{1,2}} ({MONTHS}) \d{{1,3}}(?![\d])")
    no_year = re.compile(rf"\b\d{{1,2}} ({MONTHS})(?= {{2,}}|$)")
    for number, page in enumerate(pages, start=1):
        for line in page:
            assert not cut_year.search(line), f"a date wraps on page {number}: {line!r}"
            assert not no_year.search(line), f"a date wraps on page {number}: {line!r}"


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Store:
    store = Store.memory()
    build_demo(store, TODAY.date())
    child = store.query("SELECT id FROM child ORDER BY id")[0]["id"]
    long_note = " ".join(f"note{i}" for i in range(2200))  # taller than a page in a row
    entries.save(store, "diary_entry", {"child_id": child, "at": "2026-11-20T08:00",
                                        "symptom": "tiredness", "notes": long_note})
    return store


@pytest.fixture(scope="module", params=["a4", "letter", "a4 in pieces of 2 rows"])
def full_pdf(request: pytest.FixtureRequest, sample: Store,
             tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The full record at A4 and Letter; and with its listings cut into pieces of two
    rows, each laid out as its own document, so that every guarantee also holds where a
    table continues from one document into the next."""
    child = sample.query("SELECT id FROM child ORDER BY id")[0]["id"]
    paper = request.param.split()[0]
    path = tmp_path_factory.mktemp("full") / f"full-{paper}-{len(request.param)}.pdf"
    with pytest.MonkeyPatch.context() as patch:
        if "pieces" in request.param:
            patch.setattr(full_record, "PIECE_ROWS", 2)
        export_full_record(sample, child, path, paper=paper, now=TODAY)
    return path


def test_full_record_text_lies_only_in_the_printed_area(full_pdf: Path) -> None:
    assert_text_only_where_printed(full_pdf)


def test_full_record_rows_keep_date_and_values_on_one_line(full_pdf: Path,
                                                           sample: Store) -> None:
    """Each test's date and name on one line, its first value on the line below; each diary
    entry's row starts with its date."""
    lines = [line for page in layout_pages(full_pdf) for line in page if line.strip()]
    child = sample.query("SELECT id FROM child ORDER BY id")[0]["id"]
    data = full_record_data(sample, child, now=TODAY)
    checked = 0
    for test in data.tests:
        values = test.get("values") or []
        if not values:
            continue
        first = values[0]
        expected = f"{first['analyte']} {h.number(first['value'])}"
        name = h.row_value(test, "test_type_name", "type_name", "test_type", default="Test")
        head = f"{format_date(test['date'])} · {name}"
        assert any(head in line and expected in after
                   for line, after in pairwise(lines)), (head, expected)
        checked += 1
    assert checked > 10
    for entry in data.diary:
        day = format_date(entry["at"])
        assert any(line.lstrip().startswith(day) for line in lines), day


def test_full_record_no_word_twice_and_the_long_note_whole(full_pdf: Path) -> None:
    words = [w for *_, w in words_with_boxes(full_pdf) if re.fullmatch(r"note\d+", w)]
    assert sorted(words, key=lambda w: int(w[4:])) == [f"note{i}" for i in range(2200)]
    assert words == sorted(words, key=lambda w: int(w[4:]))  # in reading order


def test_full_record_no_heading_ends_a_page(full_pdf: Path, sample: Store) -> None:
    child = sample.query("SELECT id FROM child ORDER BY id")[0]["id"]
    parts, _, _ = record_html(full_record_data(sample, child, now=TODAY))
    headings = {re.sub(r"<[^>]+>|&#8288;|\u2060", "", text).strip()
                for part in parts for text in re.findall(r"<h[1-5][^>]*>(.*?)</h[1-5]>", part)}
    pages = layout_pages(full_pdf)
    for number, page in enumerate(pages[:-1], start=1):
        last = body_lines(page)[-1].strip()
        assert last not in headings, f"page {number} ends with the heading {last!r}"


def test_full_record_dates_never_wrap(full_pdf: Path) -> None:
    assert_no_wrapped_date(layout_pages(full_pdf))


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_visit_summary_text_layer(sample: Store, tmp_path: Path, paper: str) -> None:
    visit = sample.query("SELECT id FROM visit WHERE starts_at < ? ORDER BY starts_at DESC",
                         [TODAY.isoformat()])[0]["id"]
    result = export_visit_summary(sample, visit, tmp_path / "visit.pdf", paper=paper, now=TODAY)
    assert_text_only_where_printed(result.path)
    pages = layout_pages(result.path)
    assert_no_wrapped_date(pages)
    lines = [line for page in pages for line in page]
    # A value row: the result's name, value and unit on one line.
    # (The sample family changed labs: VMA is in mg/L, µmol/L or mg/g creatinine.)
    assert any(re.search(r"\bVMA +\d+(\.\d+)? +(mg/L|µmol/L|mg/g creatinine)", line)
               for line in lines)
    # Axis labels of a chart appear once, on the page that shows the chart.
    assert sum("Trends of tracked tests" in line for line in lines) == 1


# -- any note, however long, comes out whole -------------------------------------------------
note_words = st.lists(st.integers(0, 10**6), min_size=1, max_size=900, unique=True)


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(notes=st.lists(note_words, min_size=1, max_size=3),
       breaks=st.lists(st.integers(0, 900), max_size=8),
       paper=st.sampled_from(["a4", "letter"]))
def test_every_word_of_long_notes_printed_exactly_once(tmp_path: Path, notes: list[list[int]],
                                                       breaks: list[int], paper: str) -> None:
    rows = []
    expected: list[str] = []
    for index, numbers in enumerate(notes):
        words = [f"w{n}x" for n in numbers]
        for position in sorted(set(breaks), reverse=True):
            if position < len(words):
                words.insert(position, "\n")  # a line break typed in the note
        text = " ".join(words).replace(" \n ", "\n")
        expected += [w for w in words if w != "\n"]
        rows.append((h.day(date(2026, 1, index + 1)), "Tiredness", "Mild", text))
    html = (h.heading(2, "Symptom diary")
            + h.table(("When", "What was seen", "Severity", "Notes"), rows,
                      widths=(20, 26, 11, 43), nowrap=(0,))
            + h.paragraph(" ".join(f"p{n}y" for n in notes[0])))
    expected += [f"p{n}y" for n in notes[0]]
    path = tmp_path / f"notes-{paper}.pdf"
    render_pdf(path, html, decoration=PageDecoration("Maya", "Notes", date(2026, 1, 5)),
               paper=paper)
    printed = [w for *_, w in words_with_boxes(path) if re.fullmatch(r"[wp]\d+[xy]", w)]
    assert printed == expected
    assert_text_only_where_printed(path)


def test_full_record_leaves_nothing_out(full_pdf: Path, sample: Store) -> None:
    text = " ".join(" ".join(line.split()) for page in layout_pages(full_pdf) for line in page)
    child = sample.query("SELECT id FROM child ORDER BY id")[0]["id"]
    loose = sample.query("SELECT text FROM question WHERE child_id = ? AND visit_id IS NULL",
                         [child])
    assert loose
    for question in loose:  # questions not tied to a visit
        assert " ".join(question["text"].split()[:4]) in text
    assert "Doses given and skipped" in text
    skipped = sample.query("SELECT reason FROM dose_log WHERE status = 'skipped' "
                           "AND reason IS NOT NULL")
    for dose in skipped:
        assert " ".join(dose["reason"].split()[:3]) in text
    # The cover's period ends today; what is planned after today is listed apart.
    assert f"up to today, {format_date(TODAY.date())}" in text
    assert "Planned after today" in text


def test_full_record_contents_nest_as_printed(sample: Store) -> None:
    child = sample.query("SELECT id FROM child ORDER BY id")[0]["id"]
    parts, _, _ = record_html(full_record_data(sample, child, now=TODAY))
    cover = parts[0]
    titles = re.findall(r"<tr><td>(?:<b>)?(?:&nbsp;)*([^<]+)", cover)
    tests = titles.index("Tests and results")
    years = [t for t in titles if re.fullmatch(r"20\d\d", t)]
    assert years
    assert all(titles.index(year) > tests for year in years)
    assert titles.index("Visits") > titles.index(years[-1])
