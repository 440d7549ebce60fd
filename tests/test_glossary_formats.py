"""The glossary reads every PDQ definition format; unexplained links show their sentence.

Also: tooltips quote the summary word for word (or say they list headings), and files saved
as UTF-16 or with a byte order mark are read.
"""

from __future__ import annotations

import codecs
from functools import cache
from pathlib import Path

import pytest

from nbcompanion.content.analysis import dictionary_id
from nbcompanion.content.library import Library
from nbcompanion.content.render import glossary_page
from nbcompanion.content.summary import Book, SummaryFormatError, read_summary_text

FIXTURES = Path(__file__).parent / "fixtures" / "reference"
SHIPPED = "neuroblastoma-treatment-pdq"


@cache
def shipped() -> Library:
    return Library.load_default(user_dir=Path("/nonexistent-nbcompanion-folder"))


def styles(library: Library, key: str) -> dict[str, str]:
    return {d.term: d.style for d in library.analysis(key).definitions}


def test_term_colon_sentence_heading_and_bold_lead_definitions_are_all_read() -> None:
    library = Library([Book.from_file(FIXTURES / "sarcoma-style.md", "ewing"),
                       Book.from_file(FIXTURES / "hodgkin-style.md", "hodgkin")])
    assert styles(library, "ewing") == {
        "Ewing sarcoma": "sentence",  # "**Ewing sarcoma** is a type of tumor …"
        "Soft tissues": "sentence",  # "**Soft tissues** are the muscles …"
        "Physical exam and health history": "heading",  # one heading per test
        "MRI": "heading",
        "Bone scan": "heading",
        "X-ray": "lead",  # a bold line per test, then its paragraph
        "Blood tests": "lead",
        "Stage I": "heading",
        "Recurrent Ewing sarcoma": "heading",
    }
    assert styles(library, "hodgkin") == {
        "Childhood Hodgkin lymphoma": "heading",  # "… is a disease in which …" as a heading
        "Physical exam and health history": "colon",
        "Sedimentation rate": "colon",
        "Chemotherapy": "heading",
        "Radiation therapy": "heading",
    }
    ewing = library.glossary("ewing")
    entry = ewing.lookup("bone scan")
    assert entry is not None
    assert entry.definition == ("A bone scan checks if there are rapidly dividing cells, such "
                                "as cancer cells, in the bone.")
    assert entry.section_id == "ewing/bone-scan"
    assert ewing.lookup("Ewing sarcoma").definition.startswith(
        "Ewing sarcoma is a type of tumor that forms")
    # A heading reused in another chapter is defined once, where it opens its paragraph.
    assert library.glossary("hodgkin").lookup("chemotherapy").section_id == \
        "hodgkin/chemotherapy"


def test_words_the_sentence_itself_explains_are_in_the_glossary() -> None:
    glossary = shipped().glossary(SHIPPED)
    spread = glossary.lookup("metastasized")  # "… has usually metastasized (spread)."
    assert spread is not None
    assert spread.definition == ("By the time cancer is diagnosed, it has usually "
                                 "metastasized (spread).")
    called = glossary.lookup("prognosis")  # "… is called prognosis."
    assert called is not None
    assert called.definition == "The likely outcome or course of a disease is called prognosis."
    assert glossary.lookup("image-defined risk factors") is None  # "(IDRFs)" is no gloss
    # A word explained plainly elsewhere keeps that plain definition.
    assert glossary.lookup("ct scan").term == "CT scan (CAT scan)"
    assert glossary.lookup("chemotherapy").definition.startswith("Chemotherapy (also called")


def test_the_glossary_page_says_where_each_definition_comes_from() -> None:
    library = Library([Book.from_file(FIXTURES / "sarcoma-style.md", "ewing")])
    page = glossary_page(library, "ewing")
    assert "Explained in: Bone scan" in page
    assert "Explained in: What is Ewing sarcoma?" in page
    assert "<i>Ewing Sarcoma Treatment (PDQ®)–Patient Version</i>" in page


def test_a_definition_from_another_book_is_found_and_knows_its_book(tmp_path: Path) -> None:
    library = Library.load_default(user_dir=tmp_path)
    wilms = library.import_summary(FIXTURES / "wilms-mini.md")
    entry = library.term(SHIPPED, "649619", "Abdominal ultrasound")
    assert entry is not None
    assert library.book_of(entry.section_id) is library.books[0]  # its own book first
    entry = library.term(SHIPPED, "000000", "Urinalysis")
    assert entry is not None
    assert library.book_of(entry.section_id) is wilms


def test_the_explained_share_of_dictionary_links_is_reported() -> None:
    library = shipped()
    links = [u for u in library.analysis(SHIPPED).links if dictionary_id(u.href)]
    explained = [u for u in links if library.term(SHIPPED, dictionary_id(u.href), u.text)]
    share = len(explained) / len(links)
    print(f"\nExplained in the app: {len(explained)} of {len(links)} dictionary links "
          f"({share:.0%}); the rest show their sentence and the NCI dictionary link.")
    assert len(links) == 302
    assert len(explained) >= 80  # 27 before the sentence, heading, lead and gloss formats
    # Every link without a definition can show the sentence it stands in.
    for use in links:
        if use in explained:
            continue
        sentence = library.term_sentence(SHIPPED, dictionary_id(use.href), use.text,
                                         use.section_id)
        assert use.text in sentence, use
        assert len(sentence) < 1200


def test_an_unexplained_link_shows_the_sentence_of_its_own_section() -> None:
    library = shipped()
    sentence = library.term_sentence(
        SHIPPED, "373935", "nerve",
        f"{SHIPPED}/neuroblastoma-is-a-type-of-cancer-that-forms-in-neuroblasts")
    assert sentence == ("Neuroblastoma often begins in the nerve tissue of the adrenal glands.")


def _quoted(text: str, library: Library) -> bool:
    """True if every line of ``text`` appears word for word in the summary's plain text."""
    plain = " ".join(" ".join(library.analysis(SHIPPED).plain.values()).split())
    return all(line.removeprefix("• ").strip() in plain
               for line in text.splitlines() if line.strip() != "• …")


@pytest.mark.parametrize("topic", ["Stage M", "Urine catecholamine studies",
                                   "Treatment of High-Risk Neuroblastoma", "MIBG scan",
                                   "Certain factors affect prognosis (chance of recovery) and "
                                   "treatment options.", "Immunotherapy", "Observation"])
def test_tooltips_quote_the_summary_word_for_word(topic: str) -> None:
    library = shipped()
    found = library.description(topic)
    assert found is not None
    assert not found.headings
    assert _quoted(found.plain(), library), found
    assert "It covers" not in found.plain()
    assert "; " not in "".join(found.items)  # items are kept whole, never joined


def test_a_section_without_text_is_described_as_a_list_of_its_headings() -> None:
    library = shipped()
    found = library.section_description(
        f"{SHIPPED}/the-international-neuroblastoma-risk-group-staging-system")
    assert found is not None
    assert found.headings
    assert found.text.startswith("The International Neuroblastoma Risk Group Staging System")
    assert found.items == ("Stage L1", "Stage L2", "Stage M", "Stage MS")
    # A section whose heading is not a sentence is described by its first part's own words.
    sarcoma = Library([Book.from_file(FIXTURES / "sarcoma-style.md", "ewing")])
    first = sarcoma.section_description("ewing/tests")
    assert first is not None
    assert not first.headings
    assert first.text.startswith("A physical exam is an exam of the body")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-8-sig",
                                      "utf-32"])
def test_utf16_and_bom_files_are_read(tmp_path: Path, encoding: str) -> None:
    text = (FIXTURES / "wilms-mini.md").read_text(encoding="utf-8")
    path = tmp_path / f"wilms-{encoding}.md"
    data = text.encode(encoding)
    if encoding in ("utf-16-le", "utf-16-be"):  # with a byte order mark, as Windows saves
        data = (codecs.BOM_UTF16_LE if encoding.endswith("le") else codecs.BOM_UTF16_BE) + data
    path.write_bytes(data)
    assert read_summary_text(path) == text
    library = Library.load_default(user_dir=tmp_path / "library")
    book = library.import_summary(path)
    assert book.title.startswith("Wilms Tumor and Other Childhood Kidney Tumors")
    assert library.search("nephroblastoma")[0].book == book.key


def test_utf16_without_a_byte_order_mark_is_read_and_binary_is_still_refused(
        tmp_path: Path) -> None:
    text = (FIXTURES / "wilms-mini.md").read_text(encoding="utf-8")
    path = tmp_path / "no-bom.md"
    path.write_bytes(text.encode("utf-16-le"))
    assert read_summary_text(path) == text
    binary = tmp_path / "picture.md"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(SummaryFormatError, match="not a text file"):
        read_summary_text(binary)
