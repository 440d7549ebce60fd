"""Links never lie: a cross-reference opens its one section, or the summary on cancer.gov.

The fixtures are written in the styles of other PDQ patient summaries: anchors numbered
``#_45`` or ``#section_3``/``#cit/section_4.1``, site-relative and full addresses, headings
reused across chapters ("Chemotherapy", "Stage I") and links whose words fit several headings.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from nbcompanion.content.analysis import dictionary_id
from nbcompanion.content.library import Library
from nbcompanion.content.links import LinkResolver
from nbcompanion.content.render import section_page
from nbcompanion.content.summary import Book

FIXTURES = Path(__file__).parent / "fixtures" / "reference"
HODGKIN = "https://www.cancer.gov/types/lymphoma/patient/child-hodgkin-treatment-pdq"
EWING = "https://www.cancer.gov/types/bone/patient/ewing-treatment-pdq"


def library_of(name: str, key: str) -> Library:
    return Library([Book.from_file(FIXTURES / name, key)])


# (fixture, link words, anchor) → a section slug, or the cancer.gov address it must open.
EXPECTED = [
    ("hodgkin-style.md", "Stages of Childhood Hodgkin Lymphoma", "_45",
     "section:stages-of-childhood-hodgkin-lymphoma"),
    ("hodgkin-style.md", "this section", "_20", f"{HODGKIN}#_20"),
    ("hodgkin-style.md", "Treatment Option Overview", "_101", "section:treatment-option-overview"),
    ("hodgkin-style.md", "chemotherapy", "_120", f"{HODGKIN}#_120"),  # three "Chemotherapy"
    ("hodgkin-style.md", "treatment", "_130", f"{HODGKIN}#_130"),  # starts three headings
    ("hodgkin-style.md", "chemotherapy", "_150", f"{HODGKIN}#_150"),
    ("hodgkin-style.md", "low-risk", "_160", f"{HODGKIN}#_160"),
    ("hodgkin-style.md", "Chemotherapy", "_170", f"{HODGKIN}#_170"),
    ("sarcoma-style.md", "Stages of Ewing sarcoma", "section_3", "section:stages-of-ewing-sarcoma"),
    ("sarcoma-style.md", "stage I treatment", "section_5.1", f"{EWING}#section_5.1"),
    ("sarcoma-style.md", "Stage I", "cit/section_4.1", f"{EWING}#cit/section_4.1"),
    ("sarcoma-style.md", "Stage I", "section_4.1", f"{EWING}#section_4.1"),  # two "Stage I"
    ("sarcoma-style.md", "What is Ewing sarcoma?", "section_1", "section:what-is-ewing-sarcoma"),
    ("sarcoma-style.md", "how it is diagnosed", "section_2", f"{EWING}#section_2"),
]


@pytest.mark.parametrize(("name", "words", "anchor", "expected"), EXPECTED,
                         ids=[f"{e[0][:7]}-{e[2]}" for e in EXPECTED])
def test_every_cross_reference_opens_its_section_or_the_summary_on_cancer_gov(
        name: str, words: str, anchor: str, expected: str) -> None:
    key = name.removesuffix(".md")
    library = library_of(name, key)
    uses = [u for u in library.analysis(key).links
            if u.text == words and u.href.endswith("#" + anchor)]
    assert uses, (words, anchor)
    resolver = library.resolver(key)
    for use in uses:
        link = resolver.resolve(use.href, use.text)
        if expected.startswith("section:"):
            assert link == type(link)("section", f"{key}/{expected.removeprefix('section:')}")
        else:
            assert link.kind == "external"
            assert link.target == expected


@pytest.mark.parametrize(("name", "count"), [("hodgkin-style.md", 9), ("sarcoma-style.md", 6),
                                             ("wilms-mini.md", 1)])
def test_no_cross_reference_points_back_at_its_own_section_or_a_guess(name: str,
                                                                      count: int) -> None:
    """The old fallback matched a link's words against every link, itself included."""
    key = name.removesuffix(".md")
    library = library_of(name, key)
    book = library.books[0]
    resolver = library.resolver(key)
    checked = 0
    for use in library.analysis(key).links:
        if dictionary_id(use.href) or "#" not in use.href:
            continue
        checked += 1
        link = resolver.resolve(use.href, use.text)
        if link.kind == "section":
            assert link.target != use.section_id, use
            # Confident means: the words name this heading and no other one.
            title = book.by_id[link.target].title.casefold()
            assert title.startswith(use.text.casefold().rstrip(".")), use
        else:
            assert link.kind == "external", use
            assert link.target.startswith(book.url + "#"), use
    assert checked == count


def test_an_unresolved_link_is_shown_as_a_web_link_to_the_summary() -> None:
    library = library_of("hodgkin-style.md", "hodgkin")
    html = section_page(library, "hodgkin/chemotherapy-3")  # the high-risk chapter's
    assert f'href="{HODGKIN}#_150"' in html
    assert "nbsection:hodgkin/treatment-of-low-risk" not in html


def test_a_heading_path_in_the_anchor_map_picks_one_of_several_headings() -> None:
    library = library_of("sarcoma-style.md", "ewing")
    book = library.books[0]
    assert library.link_target("Stage I", book) is None
    assert library.link_target("Treatment by stage › Stage I", book) == "ewing/stage-i-2"
    assert library.link_target("Stages of Ewing sarcoma › Stage I", book) == "ewing/stage-i"
    resolver = LinkResolver(EWING, lambda topic: library.link_target(topic, book))
    resolver.anchors = {"section_5.1": "Treatment by stage › Stage I"}
    assert resolver.resolve("#section_5.1", "stage I treatment").target == "ewing/stage-i-2"


def test_a_summary_without_an_address_keeps_unresolved_links_as_words(tmp_path: Path) -> None:
    text = (FIXTURES / "hodgkin-style.md").read_text(encoding="utf-8")
    bare = tmp_path / "bare.md"
    bare.write_text(text.replace(f"url: {HODGKIN}\n", ""), encoding="utf-8")
    library = Library([Book.from_file(bare, "bare")])
    assert library.resolver("bare").resolve("#_120", "chemotherapy").kind == "text"


def test_the_shipped_summarys_cross_references_still_open_their_sections() -> None:
    library = Library.load_default(user_dir=Path("/nonexistent-nbcompanion-folder"))
    key = library.books[0].key
    resolver = library.resolver(key)
    own = [u for u in library.analysis(key).links if "neuroblastoma-treatment-pdq#" in u.href
           and "/patient/" in u.href]
    assert len(own) == 9
    for use in own:
        link = resolver.resolve(use.href, use.text)
        assert link.kind == "section"
        assert link.target != use.section_id
