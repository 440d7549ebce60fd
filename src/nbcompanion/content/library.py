"""The reference library: the shipped PDQ summary plus any the family added, as books.

``Library.load_default()`` only reads the files and scans their headings; the Markdown parser,
the glossary and the search index are built the first time they are needed.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from nbcompanion.content.analysis import BookAnalysis, analyse
from nbcompanion.content.glossary import Glossary, GlossaryEntry, normalise
from nbcompanion.content.links import LinkResolver, same_page_key
from nbcompanion.content.search import Hit, SearchIndex, SearchResult
from nbcompanion.content.shelf import CHANGES_FOLDER, Shelf
from nbcompanion.content.summary import Book, Section, SummaryFormatError, slugify
from nbcompanion.content.versions import compare_books, long_date, review_verdict
from nbcompanion.i18n import _

__all__ = ["Library", "SummaryFormatError", "user_reference_dir"]

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(\"“])")
_BOILERPLATE = ("for information about the treatments", "go to health professional version",
                "learn more", "see ", "use our", "to learn more", "for more information")
_DESCRIPTION_LIMIT = 400
_LISTED_ITEMS = 6


def user_reference_dir() -> Path:
    """The per-user folder holding copies of the summaries the family added."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("nbcompanion", appauthor=False)) / "reference"


def first_sentences(text: str, limit: int = _DESCRIPTION_LIMIT) -> str:
    """As many whole sentences of ``text`` as fit in ``limit`` characters (at least one)."""
    sentences = _SENTENCE_END.split(text.strip())
    out = sentences[0]
    for sentence in sentences[1:]:
        if len(out) + 1 + len(sentence) > limit:
            break
        out += " " + sentence
    return out


@dataclass(frozen=True)
class Description:
    """What the summary says about a topic, for a tooltip.

    ``text`` and ``items`` (the list a sentence ending in ":" introduces) are the summary's
    words, unchanged. With ``headings``, ``text`` is a section's heading and ``items`` are the
    headings of its parts: a list of headings, not a quote. ``more``: the list goes on.
    """

    text: str
    items: tuple[str, ...] = ()
    headings: bool = False
    more: bool = False
    book: str = ""

    def plain(self) -> str:
        """The description as plain text, one list item a line."""
        lines = [self.text, *(f"• {item}" for item in self.items)]
        return "\n".join(lines) + ("\n• …" if self.more else "")


class Library(Shelf):
    """Books of PDQ summaries, with lookup by topic, a glossary and full-text search."""

    def __init__(self, books: list[Book], user_dir: Path | None = None) -> None:
        self.books = books
        self.user_dir = user_dir
        self._analyses: dict[str, BookAnalysis] = {}
        self._glossaries: dict[str, Glossary] = {}
        self._index: SearchIndex | None = None

    @classmethod
    def load_default(cls, user_dir: Path | None = None, *, with_hidden: bool = False) -> Library:
        """The shipped summary plus the summaries imported earlier (unreadable ones skipped).

        A copy in the per-user folder named after the shipped summary is a newer version of
        it and takes its place (while it is newer than the one shipped with the app); books
        the family removed stay out of the list.
        """
        from nbcompanion.resources import PDQ_SUMMARY, resource_path

        shipped_path = resource_path(PDQ_SUMMARY)
        shipped = Book.from_file(shipped_path, slugify(shipped_path.stem), shipped=True)
        books = [shipped]
        folder = user_dir or user_reference_dir()
        library = cls(books, folder)
        if folder.is_dir():
            for path in sorted(folder.glob("*.md"), key=lambda p: (p.stat().st_mtime, p.name)):
                try:
                    if slugify(path.stem) == shipped.key:
                        update = Book.from_file(path, shipped.key)
                        if review_verdict(update, shipped) == "newer":
                            books[0] = update
                        continue
                    books.append(Book.from_file(path, library._free_key(path.stem)))
                except SummaryFormatError:
                    continue  # a damaged copy never stops the app; the rest still open
        hidden = set() if with_hidden else library.hidden_keys()
        if hidden and any(b.key not in hidden for b in books):
            books[:] = [b for b in books if b.key not in hidden]
        return library

    # -- books and sections --------------------------------------------------------------------
    def book(self, key: str) -> Book | None:
        """The book with this key."""
        return next((b for b in self.books if b.key == key), None)

    def book_of(self, section_id: str) -> Book | None:
        """The book a section id belongs to."""
        return self.book(section_id.partition("/")[0])

    def section(self, section_id: str) -> Section | None:
        """The section with this id, if any."""
        book = self.book_of(section_id)
        return book.by_id.get(section_id) if book else None

    def sections(self) -> Iterator[Section]:
        """Every section of every book, in order."""
        for book in self.books:
            yield from book.sections

    def _free_key(self, stem: str) -> str:
        base = key = slugify(stem)
        counter = 2
        while self.book(key) is not None:
            key, counter = f"{base}-{counter}", counter + 1
        return key

    # -- what the parser knows -----------------------------------------------------------------
    def analysis(self, book_key: str) -> BookAnalysis:
        """Plain text, definitions and links of a book (parsed on first use)."""
        if book_key not in self._analyses:
            book = self.book(book_key)
            if book is None:
                raise KeyError(book_key)
            self._analyses[book_key] = analyse(book)
        return self._analyses[book_key]

    def glossary(self, book_key: str) -> Glossary:
        """The terms a book defines."""
        if book_key not in self._glossaries:
            book = self.book(book_key)
            if book is None:
                raise KeyError(book_key)
            self._glossaries[book_key] = Glossary(self.analysis(book_key),
                                                  [s.id for s in book.sections])
        return self._glossaries[book_key]

    def term(self, book_key: str, dictionary_id: str, words: str = "") -> GlossaryEntry | None:
        """The glossary entry a dictionary link stands for: this book's first, then any book's."""
        keys = [book_key] + [b.key for b in self.books if b.key != book_key]
        for key in keys:
            if self.book(key) is None:
                continue
            entry = self.glossary(key).for_dictionary_id(dictionary_id, words)
            if entry:
                return entry
        return None

    def term_sentence(self, book_key: str, dictionary_id: str, words: str = "",
                      section_id: str = "") -> str:
        """The sentence a dictionary link stands in (in ``section_id`` when given), or ""."""
        from nbcompanion.content.analysis import dictionary_id as id_of

        if self.book(book_key) is None:
            return ""
        uses = [u for u in self.analysis(book_key).links if id_of(u.href) == dictionary_id]
        for use in sorted(uses, key=lambda u: (u.section_id != section_id, u.text != words)):
            if use.sentence:
                return use.sentence
        return ""

    def resolver(self, book_key: str) -> LinkResolver:
        """The link resolver of a book (its own anchors find sections of the same book)."""
        book = self.book(book_key)
        if book is None:
            raise KeyError(book_key)
        return LinkResolver(book.url, lambda topic: self.link_target(topic, book))

    def link_target(self, topic: str, book: Book) -> str | None:
        """The one section of ``book`` a cross-reference names, or None when it is unsure.

        ``topic`` is a heading, the start of one, or "Chapter › Heading" for a heading the
        summary uses in several chapters. Several fitting headings mean None: a link must
        never open a section it does not point at.
        """
        parts = [normalise(p) for p in (topic or "").split(" › ")]
        key = parts[-1]
        if not key:
            return None
        sections = [s for s in book.sections if set(parts[:-1]) <= {
            normalise(a.title) for a in book.path_to(s.id)[:-1]}]
        exact = [s.id for s in sections if normalise(s.title) == key]
        if exact:
            return exact[0] if len(exact) == 1 else None
        if len(key) < 3:
            return None
        starts = [s.id for s in sections if (title := normalise(s.title)).startswith(key)
                  and not title[len(key)].isalnum()]
        return starts[0] if len(starts) == 1 else None

    # -- topics ----------------------------------------------------------------------------------
    def locate(self, topic: str) -> str | None:
        """The section id for a heading or defined term, else the best search hit, else None."""
        found = self.locate_exact(topic)
        if found or not normalise(topic or ""):
            return found
        hits = self.search(topic, limit=1)
        return hits[0].section_id if hits else None

    def locate_exact(self, topic: str, books: list[Book] | None = None) -> str | None:
        """The section for a heading, a heading's start, a defined term or a linked term."""
        key = normalise(topic or "")
        if not key:
            return None
        books = books if books is not None else self.books
        for book in books:
            for section in book.sections:
                if normalise(section.title) == key:
                    return section.id
        for book in books:
            entry = self.glossary(book.key).lookup(topic)
            if entry:
                return entry.section_id
        if len(key) >= 3:
            for book in books:
                for section in book.sections:
                    title = normalise(section.title)
                    if title.startswith(key) and not title[len(key)].isalnum():
                        return section.id
            for book in books:
                for entry in self.glossary(book.key).entries:
                    if entry.key.startswith(key) and not entry.key[len(key)].isalnum():
                        return entry.section_id
        for book in books:
            for link in self.analysis(book.key).links:
                if normalise(link.text) == key:
                    return link.section_id
        return None

    def describe(self, topic: str) -> str | None:
        """A short plain-text "what is this" in the summary's own words, or None."""
        found = self.description(topic)
        return found.plain() if found else None

    def description(self, topic: str) -> Description | None:
        """What the summary says first about a topic: a quote, or its section's headings."""
        for book in self.books:
            entry = self.glossary(book.key).lookup(topic or "")
            if entry:
                return Description(first_sentences(entry.definition), book=book.title)
        section_id = self.locate(topic)
        return self.section_description(section_id) if section_id else None

    def section_summary(self, section_id: str) -> str | None:
        """The first plain sentence of a section (or of its first subsection), as text."""
        found = self.section_description(section_id)
        return found.plain() if found else None

    def section_description(self, section_id: str) -> Description | None:
        """A section's first plain sentence, word for word (with the list it introduces).

        A section with no text of its own but a sentence for a heading is described by the
        headings of its parts, and says so (``headings=True``).
        """
        section = self.section(section_id)
        if section is None:
            return None
        book = self.book(section.book)
        title = book.title if book else ""
        blocks = self.analysis(section.book).blocks.get(section_id, [])
        for index, block in enumerate(blocks):
            text = block.text
            if block.kind != "p" or len(text.split()) < 4 or text.casefold().startswith(
                    _BOILERPLATE):
                continue
            sentence = first_sentences(text, 0)
            items: list[str] = []
            if sentence.endswith(":"):
                for following in blocks[index + 1:]:
                    if following.kind != "li":
                        break
                    items.append(following.text)
            more = len(items) > _LISTED_ITEMS
            return Description(sentence, tuple(items[:_LISTED_ITEMS]), more=more, book=title)
        if section.title.endswith(".") and section.children:
            parts = [self.section(c) for c in section.children[:_LISTED_ITEMS]]
            return Description(section.title, tuple(s.title for s in parts if s is not None),
                               headings=True, more=len(section.children) > _LISTED_ITEMS,
                               book=title)
        for child in section.children:
            found = self.section_description(child)
            if found:
                return found
        return None

    def citation(self, book_key: str) -> str:
        """The summary's own "best way to cite" text, else its front matter's citation."""
        book = self.book(book_key)
        if book is None:
            raise KeyError(book_key)
        blocks = [b for section in book.sections
                  for b in self.analysis(book_key).blocks.get(section.id, [])]
        for block, following in pairwise(blocks):
            if "best way to cite" in block.text.casefold():
                return following.text
        return str(book.meta.get("citation") or book.title)

    # -- search ----------------------------------------------------------------------------------
    def _rows(self, book: Book) -> Iterator[dict[str, str]]:
        plain = self.analysis(book.key).plain
        for section in book.sections:
            path = " › ".join(s.title for s in book.path_to(section.id)[:-1])
            yield {"id": section.id, "book": book.key, "title": section.title,
                   "path": path, "body": plain.get(section.id, "")}

    @property
    def index(self) -> SearchIndex:
        """The full-text index of every book (built on first use)."""
        if self._index is None:
            self._index = SearchIndex(row for book in self.books for row in self._rows(book))
        return self._index

    def search(self, text: str, limit: int = 30) -> list[Hit]:
        """Ranked sections matching what the user typed (never raises for odd input)."""
        return self.index.search(text, limit)

    def find(self, text: str, limit: int = 30) -> SearchResult:
        """What the search page shows: hits, a spelling suggestion, the lay words searched.

        When the words typed are a term a summary explains ("what is neuroblastoma"), the
        section that explains it comes first.
        """
        from dataclasses import replace

        from nbcompanion.content.search import Query

        result = self.index.find(text, limit)
        words = " ".join(Query.parse(result.suggestion or text).content_words())
        for book in self.books if words else []:
            entry = self.glossary(book.key).lookup(words)
            if entry is None:
                continue
            first = [h for h in result.hits if h.section_id == entry.section_id]
            if first:
                rest = [h for h in result.hits if h.section_id != entry.section_id]
                return replace(result, hits=first + rest)
        return result

    # -- adding, replacing and removing summaries ------------------------------------------------
    def same_summary(self, candidate: Book) -> Book | None:
        """The book of the library that is the same summary (same address, or same text)."""
        for book in self.books:
            same_address = candidate.url and book.url and (
                same_page_key(candidate.url) == same_page_key(book.url))
            if same_address or candidate.body.strip() == book.body.strip():
                return book
        return None

    def check_import(self, path: Path) -> tuple[Book, Book | None]:
        """(the file as a book, the older version it would replace or None).

        Raises :class:`SummaryFormatError` with a message fit to show when the file is not a
        summary, or is the same version as, or older than, one already in the library.
        """
        path = Path(path)
        if not path.is_file():
            raise SummaryFormatError(_("This is not a file that can be added."))
        candidate = Book.from_file(path, "candidate")
        existing = self.same_summary(candidate)
        if existing is None:
            hidden = next((b for b in self.hidden_books()
                           if candidate.url and b.url
                           and same_page_key(candidate.url) == same_page_key(b.url)), None)
            if hidden is not None:
                raise SummaryFormatError(
                    _("“{title}” is hidden in your library. Choose Reference › Show hidden "
                      "summaries again first; then add this file to update it. Nothing was "
                      "changed.").format(title=hidden.title))
            return candidate, None
        verdict = review_verdict(candidate, existing)
        if verdict == "newer":
            return candidate, existing
        mine = existing.last_reviewed
        theirs = candidate.last_reviewed
        if verdict == "older":
            assert mine is not None
            assert theirs is not None
            raise SummaryFormatError(
                _("Your library already has a newer version of “{title}”: yours was last "
                  "reviewed on {mine}, this file on {theirs}. Nothing was changed.").format(
                    title=existing.title, mine=long_date(mine), theirs=long_date(theirs)))
        if verdict == "same" or candidate.body.strip() == existing.body.strip():
            if mine:
                raise SummaryFormatError(
                    _("This summary is already in your library, as “{title}”, in the same "
                      "version (last reviewed on {mine}). Nothing was changed.").format(
                        title=existing.title, mine=long_date(mine)))
            raise SummaryFormatError(
                _("This summary is already in your library, as “{title}”. Nothing was "
                  "changed.").format(title=existing.title))
        raise SummaryFormatError(
            _("This summary is already in your library, as “{title}”. This file has no "
              "readable review date, so it cannot be told whether it is newer. Nothing was "
              "changed.").format(title=existing.title))

    def import_summary(self, path: Path, *, replace: bool = False) -> Book:
        """Copy a PDQ summary into the per-user folder and add it as a new book.

        With ``replace``, a newer version of a summary already in the library takes the
        older one's place (same key, so its sections keep their addresses) and a "What
        changed" report is saved. Raises :class:`SummaryFormatError` (with a message fit to
        show) and changes nothing when the file is not a summary, is already in the library,
        or is a newer version and ``replace`` is false.
        """
        path = Path(path)
        candidate, existing = self.check_import(path)
        if existing is not None and not replace:
            raise SummaryFormatError(
                _("This is a newer version of “{title}”, which is already in your library. "
                  "Choose to replace it to use the newer version.").format(
                  title=existing.title))
        folder = self.user_dir or user_reference_dir()
        if existing is not None:
            key = existing.key
        else:
            key = self._free_key(str(candidate.meta.get("title") or path.stem))
        target = folder / f"{key}.md"
        partial = folder / f".{key}.md.part"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, partial)
            book = Book.from_file(partial, key)
            if existing is not None:
                report = compare_books(existing, book, self.analysis(existing.key).plain,
                                       analyse(book).plain)
                report.save(folder / CHANGES_FOLDER)
            os.replace(partial, target)
        except OSError as error:
            raise SummaryFormatError(_("The summary could not be saved in your data folder "
                                       "({strerror}).").format(
                                       strerror=error.strerror)) from error
        finally:
            with contextlib.suppress(OSError):
                partial.unlink(missing_ok=True)
        book.path = target
        if existing is not None:
            self.books[self.books.index(existing)] = book
            self._forget(key)
        else:
            self.books.append(book)
            if self._index is not None:
                self._index.add(self._rows(book))
        return book

    def _forget(self, key: str) -> None:
        """Drop what was worked out from a book that changed or left the library."""
        self._analyses.pop(key, None)
        self._glossaries.pop(key, None)
        self._index = None  # rebuilt on the next search, from the books as they are now
