"""The PDQ summary is split by its own headings: nothing lost, nothing doubled, no dead link."""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from nbcompanion.content.analysis import dictionary_id, markdown
from nbcompanion.content.library import Library
from nbcompanion.content.links import absolute, dictionary_url
from nbcompanion.content.render import glossary_page, section_page, source_page
from nbcompanion.content.summary import Book, SummaryFormatError, scan_headings
from nbcompanion.resources import PDQ_SUMMARY, resource_path

FIXTURES = Path(__file__).parent / "fixtures" / "reference"
SHIPPED_KEY = "neuroblastoma-treatment-pdq"


@cache
def shipped() -> Library:
    """The shipped summary alone (no per-user folder)."""
    return Library([Book.from_file(resource_path(PDQ_SUMMARY), SHIPPED_KEY, shipped=True)])


def _books() -> list[Book]:
    return [Book.from_file(resource_path(PDQ_SUMMARY), SHIPPED_KEY),
            Book.from_file(FIXTURES / "wilms-mini.md", "wilms-mini")]


def _parser_headings(book: Book) -> list[tuple[int, str]]:
    """(level, text) of every heading as markdown-it sees the whole body."""
    tokens = markdown().parse(book.body)
    return [(int(tok.tag[1]), tokens[n + 1].content) for n, tok in enumerate(tokens)
            if tok.type == "heading_open"]


@pytest.mark.parametrize("book", _books(), ids=lambda b: b.key)
def test_sections_follow_the_headings(book: Book) -> None:
    expected = [text for level, text in _parser_headings(book)
                if 2 <= level <= 4 and text.casefold() != "key points"]
    assert [s.title for s in book.sections] == expected
    assert [(level, text) for _l, level, text in scan_headings(book.body)] == \
        _parser_headings(book)


def test_the_shipped_summary_has_its_chapters_and_subsections() -> None:
    book = shipped().books[0]
    chapters = [s.title for s in book.top_sections()]
    assert chapters[:3] == ["General Information About Neuroblastoma",
                            "Stages of Neuroblastoma", "Treatment Option Overview"]
    assert len(chapters) == 10
    assert len(book.sections) == 48
    stage_m = book.by_id[f"{SHIPPED_KEY}/stage-m"]
    assert stage_m.level == 4
    assert [s.title for s in book.path_to(stage_m.id)] == [
        "Stages of Neuroblastoma",
        "The International Neuroblastoma Risk Group Staging System (INRGSS) is used to "
        "determine the stage of neuroblastoma.", "Stage M"]
    assert book.title == "Neuroblastoma Treatment (PDQ®)–Patient Version"


def test_key_points_stay_with_their_chapter() -> None:
    book = shipped().books[0]
    assert not [s for s in book.sections if s.title.casefold() == "key points"]
    chapter = book.top_sections()[1]
    assert "### Key Points" in chapter.markdown
    assert "- Stage MS" in chapter.markdown


@pytest.mark.parametrize("book", _books(), ids=lambda b: b.key)
def test_every_paragraph_and_item_is_in_exactly_one_section(book: Book) -> None:
    tokens = markdown().parse(book.body)
    section_headings = {s.title for s in book.sections}
    whole: Counter[str] = Counter()
    for n, token in enumerate(tokens):
        if token.type != "inline":
            continue
        opener = tokens[n - 1]
        if opener.type == "heading_open" and (opener.tag == "h1" or (
                token.content in section_headings and opener.tag in ("h2", "h3", "h4"))):
            continue
        whole[token.content] += 1
    library = Library([book])
    parts: Counter[str] = Counter()
    for texts in library.analysis(book.key).inline_texts.values():
        parts.update(texts)
    assert parts == whole
    assert sum(whole.values()) > 10


@pytest.mark.parametrize("book", _books(), ids=lambda b: b.key)
def test_every_source_line_belongs_to_one_section(book: Book) -> None:
    lines = book.body.split("\n")
    owners = Counter[int]()
    for section in book.sections:
        start = max(section.first_line, 0)
        owners.update(range(start, section.last_line))
    heading_lines = {line for line, _level, _text in scan_headings(book.body)}
    for index, line in enumerate(lines):
        if line.strip() and index not in heading_lines:
            assert owners[index] == 1, (index, line)


def test_every_link_goes_to_a_section_a_glossary_entry_or_https() -> None:
    library = shipped()
    resolver = library.resolver(SHIPPED_KEY)
    kinds: Counter[str] = Counter()
    for use in library.analysis(SHIPPED_KEY).links:
        link = resolver.resolve(use.href, use.text)
        kinds[link.kind] += 1
        if link.kind == "section":
            assert library.section(link.target) is not None
        elif link.kind == "term":
            entry = library.term(SHIPPED_KEY, link.target, use.text)
            assert entry is not None or dictionary_url(link.target).startswith("https://")
        else:
            assert link.kind == "external", use
            assert link.target.startswith("https://"), use
    assert kinds["term"] >= 290  # ~150 different dictionary terms, most used several times
    assert kinds["section"] == 9
    assert set(kinds) == {"term", "section", "external"}


@pytest.mark.parametrize(("anchor", "title"), [
    ("_14", "General Information About Neuroblastoma"),
    ("_57", "Treatment Option Overview"),
    ("_192", "Treatment of neuroblastoma is based on risk groups."),
    ("_338", "Treatment of High-Risk Neuroblastoma"),
])
def test_the_summarys_own_anchors_open_sections(anchor: str, title: str) -> None:
    library = shipped()
    link = library.resolver(SHIPPED_KEY).resolve(
        f"/types/neuroblastoma/patient/neuroblastoma-treatment-pdq#{anchor}", "")
    assert link.kind == "section"
    assert library.section(link.target).title == title


def test_the_health_professional_anchor_and_site_links_become_cancer_gov_addresses() -> None:
    resolver = shipped().resolver(SHIPPED_KEY)
    link = resolver.resolve("/types/neuroblastoma/hp/neuroblastoma-treatment-pdq#_12", "")
    assert link.kind == "external"
    assert link.target == ("https://www.cancer.gov/types/neuroblastoma/hp/"
                           "neuroblastoma-treatment-pdq#_12")
    assert resolver.resolve("/types/childhood-cancers/late-effects-pdq").target == \
        "https://www.cancer.gov/types/childhood-cancers/late-effects-pdq"
    assert resolver.resolve("http://www.nant.org/").target == "https://www.nant.org/"
    assert resolver.resolve("javascript:alert(1)").kind == "text"
    assert absolute("ftp://example.org/x") is None


def test_dictionary_links_are_glossary_terms() -> None:
    library = shipped()
    ids = {dictionary_id(u.href) for u in library.analysis(SHIPPED_KEY).links} - {None}
    assert len(ids) > 140
    entry = library.term(SHIPPED_KEY, "46033", "CT scans")
    assert entry is not None
    assert entry.term == "CT scan (CAT scan)"
    assert library.term(SHIPPED_KEY, "373935", "nerve") is None


def test_glossary_holds_the_bold_definitions() -> None:
    glossary = shipped().glossary(SHIPPED_KEY)
    terms = {e.term for e in glossary.entries}
    assert {"Urine catecholamine studies", "CT scan (CAT scan)", "ALK", "MIBG scan",
            "ALK or PHOX2B genetic tests", "MYCN amplification study"} <= terms
    assert len(glossary) >= 28
    urine = glossary.lookup("urine catecholamine studies")
    assert urine is not None
    assert len(urine.places) == 2
    assert urine.definition.startswith("A test in which a urine sample is checked")
    assert [e.key for e in glossary.entries] == sorted(e.key for e in glossary.entries)


def test_pages_load_nothing_and_link_only_inside_the_app_or_to_https() -> None:
    library = shipped()
    hrefs: list[str] = []
    pages = [section_page(library, s.id) for s in library.books[0].sections]
    pages += [glossary_page(library, SHIPPED_KEY), source_page(library, SHIPPED_KEY)]
    for html in pages:
        assert "<img" not in html
        hrefs += re.findall(r'href="([^"]*)"', html)
    bad = [h for h in hrefs if not h.startswith(("nbsection:", "nbterm:", "nbpage:",
                                                 "https://", "#letter-"))]
    assert bad == []
    tests_page = section_page(library, library.locate("Ultrasound exam"))
    assert tests_page.count("Picture (not shown") == 4
    assert "https://nci-media.cancer.gov/pdq/media/images/775457.jpg" in tests_page
    assert "&lt;MM/DD/YYYY&gt;" in section_page(library, f"{SHIPPED_KEY}/permission-to-use-"
                                                "this-summary")


def test_a_fixture_summary_parses_with_its_own_anchor_and_inline_subsections() -> None:
    book = Book.from_file(FIXTURES / "wilms-mini.md", "wilms-mini")
    library = Library([book])
    assert book.title.startswith("Wilms Tumor and Other Childhood Kidney Tumors")
    stages = book.by_id["wilms-mini/stages-of-wilms-tumor"]
    assert stages.children == ["wilms-mini/stage-i", "wilms-mini/stage-ii"]
    assert book.page_of("wilms-mini/stage-i") is stages
    html = section_page(library, stages.id)
    assert "In stage II" in html
    assert 'href="nbsection:wilms-mini/general-information-about-wilms-tumor"' in html
    assert "https://www.example.org/nwts" in html
    assert {e.term for e in library.glossary("wilms-mini").entries} == {
        "Abdominal ultrasound", "Urinalysis", "WT1 gene test",  # "**Term**: …" items
        "Wilms tumor",  # the heading "Wilms tumor is a kind of kidney tumor."
        "Stage I", "Stage II"}  # one heading each, the paragraph opening with the term
    assert not book.review_overdue(__import__("datetime").date(2026, 11, 25))


@pytest.mark.parametrize("name", ["plain-notes.md"])
def test_files_without_front_matter_are_refused(name: str) -> None:
    with pytest.raises(SummaryFormatError, match="does not look like a PDQ summary"):
        Book.from_file(FIXTURES / name)


def test_key_points_link_to_their_sections() -> None:
    library = shipped()
    html = section_page(library, f"{SHIPPED_KEY}/stages-of-neuroblastoma")
    for section in library.books[0].sections:
        if section.parent == f"{SHIPPED_KEY}/stages-of-neuroblastoma":
            assert f'href="nbsection:{section.id}"' in html
    assert f'href="nbsection:{SHIPPED_KEY}/stage-m"' in html
    assert "In this part" not in html
