"""The family's shelf of summaries: hidden books, removed books, "What changed" reports.

Mixed into :class:`~nbcompanion.content.library.Library`; the per-user folder holds a small
``library.json`` (the hidden books) and one report per replaced book under ``changes/``.
"""

from __future__ import annotations

import contextlib
import json
import os
from abc import ABC, abstractmethod
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nbcompanion.content.summary import SummaryFormatError, slugify
from nbcompanion.content.versions import ChangeReport
from nbcompanion.i18n import _

if TYPE_CHECKING:
    from nbcompanion.content.summary import Book

#: The per-user folder's list of hidden books, and its folder of "What changed" reports.
STATE_FILE = "library.json"
CHANGES_FOLDER = "changes"


class Shelf(ABC):
    """Removing, hiding and bringing back books; the reports of replaced books.

    The library that mixes it in provides :meth:`book` and :meth:`_forget`.
    """

    books: list[Book]
    user_dir: Path | None
    _index: Any  # the Library's search index, dropped when the books change

    @abstractmethod
    def book(self, key: str) -> Book | None:
        """The book with ``key``, if the shelf holds it."""

    @abstractmethod
    def _forget(self, key: str) -> None:
        """Drop a book from the loaded library (and its search index)."""

    def _folder(self) -> Path:
        from nbcompanion.content.library import user_reference_dir

        return self.user_dir or user_reference_dir()

    def changes(self, book_key: str) -> ChangeReport | None:
        """The "What changed" report of the last time this book was replaced, if any."""
        folder = self._folder()
        return ChangeReport.load(folder / CHANGES_FOLDER, book_key)

    def dismiss_changes(self, book_key: str) -> None:
        """Stop announcing a book's "What changed" report (it stays on the source page)."""
        report = self.changes(book_key)
        if report is not None and not report.dismissed:
            report.dismissed = True
            with contextlib.suppress(OSError):
                report.save(self._folder() / CHANGES_FOLDER)

    def hidden_keys(self) -> set[str]:
        """Keys of the books the family removed from the list (the shipped one is hidden)."""
        folder = self._folder()
        try:
            data = json.loads((folder / STATE_FILE).read_text(encoding="utf-8"))
            return {str(k) for k in data.get("hidden", [])}
        except (OSError, ValueError, AttributeError):
            return set()

    def _save_hidden(self, keys: set[str]) -> None:
        folder = self._folder()
        folder.mkdir(parents=True, exist_ok=True)
        partial = folder / f".{STATE_FILE}.part"
        partial.write_text(json.dumps({"hidden": sorted(keys)}), encoding="utf-8")
        os.replace(partial, folder / STATE_FILE)

    def remove_book(self, book_key: str) -> None:
        """Take a book out of the library: the family's copy is deleted, the shipped one hidden.

        Raises :class:`SummaryFormatError` (fit to show) for the last book left, or when the
        change cannot be saved; nothing changes then.
        """
        book = self.book(book_key)
        if book is None:
            return
        if len(self.books) == 1:
            raise SummaryFormatError(
                _("“{title}” is the only summary in your library, so it stays.").format(
                  title=book.title))
        folder = self._folder()
        try:
            if self.comes_with_app(book.key):
                self._save_hidden(self.hidden_keys() | {book.key})
            else:
                book.path.unlink(missing_ok=True)
                (folder / CHANGES_FOLDER / f"{book.key}.json").unlink(missing_ok=True)
        except OSError as error:
            raise SummaryFormatError(_("The change could not be saved in your data folder "
                                       "({strerror}).").format(
                                       strerror=error.strerror)) from error
        self.books.remove(book)
        self._forget(book.key)

    def hidden_books(self) -> list[Book]:
        """The books the family hid, as they would come back."""
        hidden = self.hidden_keys()
        if not hidden:
            return []
        from nbcompanion.content.library import Library

        every = Library.load_default(self.user_dir, with_hidden=True)
        return [b for b in every.books if b.key in hidden and self.book(b.key) is None]

    def show_hidden(self) -> list[Book]:
        """Bring back the summaries that were hidden; the books that came back."""
        back = self.hidden_books()
        if not self.hidden_keys():
            return []
        try:
            self._save_hidden(set())
        except OSError as error:
            raise SummaryFormatError(_("The change could not be saved in your data folder "
                                       "({strerror}).").format(
                                       strerror=error.strerror)) from error
        for book in back:
            self.books.insert(0 if book.key == self._shipped_key() else len(self.books), book)
        self._index = None
        return back

    def comes_with_app(self, book_key: str) -> bool:
        """True for the shipped summary and the newer versions that replaced it (hidden only)."""
        book = self.book(book_key)
        return book is not None and (book.shipped or book.key == self._shipped_key())

    @staticmethod
    def _shipped_key() -> str:
        from nbcompanion.resources import PDQ_SUMMARY

        return slugify(Path(PDQ_SUMMARY).stem)
