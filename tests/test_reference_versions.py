"""A newer version of a summary replaces the older one, says what changed, survives a restart.

Older or identical copies are refused with a message that says which is newer; books can be
removed (the shipped one only hidden) and come back.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from nbcompanion.content.library import Library
from nbcompanion.content.render import source_page
from nbcompanion.content.render_changes import changes_page
from nbcompanion.content.summary import SummaryFormatError
from nbcompanion.content.versions import sentence_changes, word_diff
from nbcompanion.resources import PDQ_SUMMARY, resource_path

FIXTURES = Path(__file__).parent / "fixtures" / "reference"
SHIPPED = "neuroblastoma-treatment-pdq"
OLD_SENTENCE = "Neuroblastoma most often begins in infancy."
NEW_SENTENCE = "Neuroblastoma most often begins in early infancy."


def newer_shipped(folder: Path, reviewed: str = "2026-03-30") -> Path:
    """A copy of the shipped summary with a later review date, one sentence changed, one
    section added and one taken out."""
    text = resource_path(PDQ_SUMMARY).read_text(encoding="utf-8")
    text = text.replace("lastReviewed: '2025-12-30'", f"lastReviewed: '{reviewed}'")
    assert OLD_SENTENCE in text
    text = text.replace(OLD_SENTENCE, NEW_SENTENCE)
    text = re.sub(r"### Getting a second opinion\.\n.*?(?=### Certain factors)", "", text,
                  flags=re.DOTALL)
    text = text.replace("## Stages of Neuroblastoma\n",
                        "### Questions families ask\n\nThis new section answers questions "
                        "families often ask.\n\n## Stages of Neuroblastoma\n")
    path = folder / f"newer-{reviewed}.md"
    path.write_text(text, encoding="utf-8")
    return path


def wilms_copy(folder: Path, reviewed: str, extra: str = "") -> Path:
    text = (FIXTURES / "wilms-mini.md").read_text(encoding="utf-8")
    text = text.replace("lastReviewed: '2026-10-01'", f"lastReviewed: '{reviewed}'")
    path = folder / f"wilms-{reviewed}.md"
    path.write_text(text + extra, encoding="utf-8")
    return path


def test_an_older_or_identical_version_is_refused_saying_which_is_newer(tmp_path: Path) -> None:
    library = Library.load_default(user_dir=tmp_path / "library")
    library.import_summary(FIXTURES / "wilms-mini.md")
    older = wilms_copy(tmp_path, "2025-01-15", "\nOlder words.\n")
    with pytest.raises(SummaryFormatError, match=(
            r"already has a newer version of “Wilms.*”: yours was last reviewed on "
            r"1 October 2026, this file on 15 January 2025\. Nothing was changed\.")):
        library.import_summary(older)
    same = wilms_copy(tmp_path, "2026-10-01", "\nSame date, other words.\n")
    with pytest.raises(SummaryFormatError, match=r"same version .last reviewed on 1 October"):
        library.import_summary(same)
    shipped_again = resource_path(PDQ_SUMMARY)
    with pytest.raises(SummaryFormatError, match="already in your library"):
        library.import_summary(shipped_again)
    assert len(library.books) == 2
    assert library.changes(library.books[1].key) is None


def test_a_newer_version_is_offered_then_replaces_the_shipped_summary(tmp_path: Path) -> None:
    folder = tmp_path / "library"
    library = Library.load_default(user_dir=folder)
    assert library.books[0].review_overdue(date(2026, 6, 1))
    newer = newer_shipped(tmp_path)
    candidate, older = library.check_import(newer)
    assert older is library.books[0]
    assert candidate.last_reviewed == date(2026, 3, 30)
    with pytest.raises(SummaryFormatError, match=r"newer version .* Choose to replace"):
        library.import_summary(newer)
    assert library.books[0].shipped
    book = library.import_summary(newer, replace=True)
    assert book.key == SHIPPED  # same key: section addresses and bookmarks stay valid
    assert library.books == [book]
    assert book.last_reviewed == date(2026, 3, 30)
    assert not book.review_overdue(date(2026, 6, 1))  # the notice follows the newest copy
    assert library.search("questions families often ask")[0].book == SHIPPED
    assert library.section(f"{SHIPPED}/getting-a-second-opinion") is None

    # A restart reads the newer copy in place of the shipped one, with its report.
    again = Library.load_default(user_dir=folder)
    assert [b.last_reviewed for b in again.books] == [date(2026, 3, 30)]
    assert not again.books[0].shipped
    report = again.changes(SHIPPED)
    assert report is not None
    assert [t for t, _i in report.added] == ["Questions families ask"]
    assert report.removed == ["Getting a second opinion."]
    changed = {c.title: c for c in report.changed}
    general = changed["Neuroblastoma is a type of cancer that forms in neuroblasts (immature "
                      "nerve tissue) in the adrenal glands, neck, chest, or spinal cord."]
    [sentence] = general.sentences
    assert sentence.kind == "changed"
    assert (sentence.old, sentence.new) == (OLD_SENTENCE, NEW_SENTENCE)
    assert ("+", "early ") in sentence.words
    assert not report.dismissed
    # An even older copy than the shipped one is now refused as older than the replacement.
    with pytest.raises(SummaryFormatError, match="yours was last reviewed on 30 March 2026"):
        again.import_summary(resource_path(PDQ_SUMMARY))


def test_what_changed_page_marks_words_and_is_reachable_until_dismissed(tmp_path: Path) -> None:
    folder = tmp_path / "library"
    library = Library.load_default(user_dir=folder)
    library.import_summary(newer_shipped(tmp_path), replace=True)
    page = changes_page(library, SHIPPED)
    assert "1 new section · 1 section taken out · " in page
    assert "Questions families ask" in page
    assert "Getting a second opinion." in page
    assert re.search(r'<span style="background-color:#d8f3dc[^"]*">early</span>', page)
    assert "Done reading" in page
    assert "See what changed" in source_page(library, SHIPPED)
    library.dismiss_changes(SHIPPED)
    again = Library.load_default(user_dir=folder)
    report = again.changes(SHIPPED)
    assert report is not None
    assert report.dismissed
    assert "Done reading" not in changes_page(again, SHIPPED)
    assert "See what changed" in source_page(again, SHIPPED)  # still there after dismissing


def test_a_newer_version_of_an_added_summary_replaces_its_file(tmp_path: Path) -> None:
    folder = tmp_path / "library"
    library = Library.load_default(user_dir=folder)
    first = library.import_summary(FIXTURES / "wilms-mini.md")
    library.search("Urinalysis")  # the index exists and must follow the replacement
    newer = wilms_copy(tmp_path, "2027-01-05").read_text(encoding="utf-8").replace(
        "such as sugar and protein", "such as sugar, blood and protein")
    path = tmp_path / "wilms-newer.md"
    path.write_text(newer, encoding="utf-8")
    book = library.import_summary(path, replace=True)
    assert book.key == first.key
    assert [p.name for p in folder.glob("*.md")] == [f"{first.key}.md"]
    assert "blood" in library.glossary(book.key).lookup("Urinalysis").definition
    assert library.search('"sugar blood and protein"')[0].book == book.key
    [change] = library.changes(book.key).changed
    assert ("+", ", blood") in change.sentences[0].words


def test_books_can_be_removed_and_the_shipped_one_only_hidden(tmp_path: Path) -> None:
    folder = tmp_path / "library"
    library = Library.load_default(user_dir=folder)
    with pytest.raises(SummaryFormatError, match="only summary in your library"):
        library.remove_book(SHIPPED)
    wilms = library.import_summary(FIXTURES / "wilms-mini.md")
    library.remove_book(SHIPPED)
    assert [b.key for b in library.books] == [wilms.key]
    assert resource_path(PDQ_SUMMARY).is_file()
    assert [b.key for b in Library.load_default(user_dir=folder).books] == [wilms.key]
    assert library.search("neuroblastoma") == []
    back = library.show_hidden()
    assert [b.key for b in back] == [SHIPPED]
    assert [b.key for b in library.books] == [SHIPPED, wilms.key]
    library.remove_book(wilms.key)
    assert not (folder / f"{wilms.key}.md").exists()
    assert [b.key for b in Library.load_default(user_dir=folder).books] == [SHIPPED]


def test_word_and_sentence_diffs() -> None:
    assert word_diff("a b c", "a x c") == [(" ", "a "), ("-", "b"), ("+", "x"), (" ", " c")]
    changes = sentence_changes("One here. Two stays. Three goes.",
                               "One here now. Two stays. A new four.")
    assert [c.kind for c in changes] == ["changed", "added", "removed"]


def test_a_newer_version_of_a_hidden_summary_asks_to_show_it_first(tmp_path: Path) -> None:
    folder = tmp_path / "library"
    library = Library.load_default(user_dir=folder)
    library.import_summary(FIXTURES / "wilms-mini.md")
    library.remove_book(SHIPPED)
    with pytest.raises(SummaryFormatError, match="is hidden in your library"):
        library.import_summary(newer_shipped(tmp_path))
    assert len(library.books) == 1
    assert [b.key for b in library.hidden_books()] == [SHIPPED]
    library.show_hidden()
    assert library.hidden_books() == []
    assert library.import_summary(newer_shipped(tmp_path), replace=True).key == SHIPPED
