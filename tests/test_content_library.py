"""Library: topics the record uses resolve, descriptions, review age, adding summaries."""

from __future__ import annotations

import shutil
from datetime import date
from functools import cache
from pathlib import Path

import pytest

from nbcompanion.content.library import Library, user_reference_dir
from nbcompanion.content.summary import SummaryFormatError
from nbcompanion.record import catalog, vocab

FIXTURES = Path(__file__).parent / "fixtures" / "reference"


@cache
def shipped() -> Library:
    return Library.load_default(user_dir=Path("/nonexistent-nbcompanion-folder"))


def record_topics() -> list[str]:
    """Every reference topic named by the record's vocabularies and test catalog."""
    topics: set[str] = set()
    for name in dir(vocab):
        value = getattr(vocab, name)
        if isinstance(value, tuple):
            topics.update(c.topic for c in value if isinstance(c, vocab.Choice) and c.topic)
        elif name.endswith("_TOPIC") and isinstance(value, str):
            topics.add(value)
    topics.update(t.topic for t in catalog.BUILTIN_TEST_TYPES if t.topic)
    return sorted(topics)


def test_there_are_record_topics_to_check() -> None:
    assert len(record_topics()) > 30


@pytest.mark.parametrize("topic", record_topics())
def test_every_record_topic_resolves_and_is_described(topic: str) -> None:
    library = shipped()
    section_id = library.locate(topic)
    assert section_id is not None
    assert library.section(section_id) is not None
    description = library.describe(topic)
    assert description
    assert len(description) > 20


@pytest.mark.parametrize(("topic", "title"), [
    ("Stage M", "Stage M"),
    ("stage ms", "Stage MS"),
    ("Follow-up care may be needed.", "Follow-up care may be needed."),
    ("Children with neuroblastoma should have their treatment planned by a team of doctors",
     "Children with neuroblastoma should have their treatment planned by a team of doctors "
     "who are experts in treating childhood cancer, especially neuroblastoma."),
    ("Urine catecholamine studies",
     "Tests that examine many different body tissues and fluids are used to diagnose "
     "neuroblastoma."),
    ("CT scan", "Tests that examine many different body tissues and fluids are used to "
                "diagnose neuroblastoma."),
    ("Treatment of High-Risk Neuroblastoma", "Treatment of High-Risk Neuroblastoma"),
])
def test_locate_prefers_headings_then_defined_terms(topic: str, title: str) -> None:
    library = shipped()
    assert library.section(library.locate(topic)).title == title


def test_locate_gives_none_for_nothing() -> None:
    library = shipped()
    assert library.locate("") is None
    assert library.locate("   ") is None
    assert library.locate("qqqzzzxxy") is None
    assert library.locate("\U0001F600") is None


def test_describe_uses_the_summarys_own_words() -> None:
    library = shipped()
    assert library.describe("Stage M") == (
        "In stage M, neuroblastoma has spread to areas far from the tumor. This does not "
        "include stage MS.")
    assert library.describe("Urine catecholamine studies").startswith(
        "A test in which a urine sample is checked to measure the amounts")
    assert library.describe("Treatment of High-Risk Neuroblastoma").startswith(
        "Children with newly diagnosed high-risk neuroblastoma usually receive treatment in "
        "three phases")
    assert library.describe("qqqzzzxxy") is None


def test_review_age_follows_the_front_matter() -> None:
    book = shipped().books[0]
    assert book.last_reviewed == date(2025, 12, 30)
    assert book.review_overdue(date(2026, 11, 25))
    assert not book.review_overdue(date(2026, 2, 1))


def test_citation_comes_from_the_summary() -> None:
    library = shipped()
    assert library.citation(library.books[0].key).startswith(
        "PDQ® Pediatric Treatment Editorial Board. PDQ Neuroblastoma Treatment.")


def test_load_default_uses_the_per_user_folder() -> None:
    assert user_reference_dir().parts[-2:] == ("nbcompanion", "reference")
    library = Library.load_default()
    assert [b.key for b in library.books] == ["neuroblastoma-treatment-pdq"]


def test_an_added_summary_is_a_book_that_persists_and_is_searchable(tmp_path: Path) -> None:
    library = Library.load_default(user_dir=tmp_path)
    assert library.search("nephroblastoma") == []
    book = library.import_summary(FIXTURES / "wilms-mini.md")
    assert [b.title for b in library.books][1] == book.title
    assert library.search("nephroblastoma")[0].book == book.key
    again = Library.load_default(user_dir=tmp_path)
    assert [b.key for b in again.books] == [b.key for b in library.books]
    assert again.search("Urinalysis")[0].book == book.key
    assert again.locate("Urinalysis").startswith(book.key + "/")


def _bad_files(tmp_path: Path) -> list[tuple[Path, str]]:
    empty = tmp_path / "empty.md"
    empty.write_bytes(b"")
    binary = tmp_path / "picture.md"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    latin = tmp_path / "latin.md"
    latin.write_bytes("---\ntitle: Caf\xe9\n---\n## A\n".encode("latin-1"))
    huge = tmp_path / "huge.md"
    with huge.open("wb") as handle:  # a sparse 50 MB file: nothing is really written
        handle.truncate(50 * 1024 * 1024)
    no_headings = tmp_path / "no-headings.md"
    no_headings.write_text("---\ntitle: Something\n---\nJust a paragraph.\n", encoding="utf-8")
    unclosed = tmp_path / "unclosed.md"
    unclosed.write_text("---\ntitle: Something\n## A\n", encoding="utf-8")
    return [(empty, "empty"), (binary, "not a text file"), (latin, "UTF-8"),
            (huge, "too large"), (no_headings, "no headings"), (unclosed, "never closed"),
            (FIXTURES / "plain-notes.md", "does not look like a PDQ summary"),
            (tmp_path, "not a file"), (tmp_path / "missing.md", "not a file")]


def test_files_that_are_not_summaries_change_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "library"
    library = Library.load_default(user_dir=folder)
    for path, message in _bad_files(tmp_path):
        with pytest.raises(SummaryFormatError, match=message):
            library.import_summary(path)
    assert len(library.books) == 1
    assert not folder.exists()


def test_the_same_summary_is_not_added_twice(tmp_path: Path) -> None:
    library = Library.load_default(user_dir=tmp_path / "library")
    library.import_summary(FIXTURES / "wilms-mini.md")
    copy = tmp_path / "copy.md"
    shutil.copyfile(FIXTURES / "wilms-mini.md", copy)
    with pytest.raises(SummaryFormatError, match="already in your library"):
        library.import_summary(copy)
    from nbcompanion.resources import PDQ_SUMMARY, resource_path

    with pytest.raises(SummaryFormatError, match="already in your library"):
        library.import_summary(resource_path(PDQ_SUMMARY))
    assert len(library.books) == 2
    assert len(list((tmp_path / "library").iterdir())) == 1


def test_a_damaged_copy_in_the_folder_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "broken.md").write_text("not a summary", encoding="utf-8")
    shutil.copyfile(FIXTURES / "wilms-mini.md", tmp_path / "wilms.md")
    library = Library.load_default(user_dir=tmp_path)
    assert [b.key for b in library.books] == ["neuroblastoma-treatment-pdq", "wilms"]
