"""Adding, replacing, removing and bringing back the summaries of the Reference page."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from nbcompanion.ui.reference import helpers
from nbcompanion.ui.reference.helpers import render_module

if TYPE_CHECKING:
    from nbcompanion.ui.reference.page import ReferencePage


def add_summary(page: ReferencePage, path: Path | None = None) -> bool:
    """Ask for a PDQ summary file and add it (or replace an older version); True if done."""
    path = path or helpers.ask_summary_path(page)
    if path is None:
        return False
    from nbcompanion.ui.reference.importing import check_off_the_gui_thread

    if not check_off_the_gui_thread(page, path):  # a crafted file cannot freeze the window
        return False
    from nbcompanion.content.render import long_date
    from nbcompanion.content.summary import SummaryFormatError

    library = page.library
    try:
        candidate, older = library.check_import(path)
        if older is not None:
            new, old = candidate.last_reviewed, older.last_reviewed
            assert new is not None
            assert old is not None
            if not helpers.ask_yes_no(
                    page, "Replace with the newer version?",
                    f"This file is a newer version of “{older.title}”: it was last reviewed "
                    f"on {long_date(new)}, the copy in your library on {long_date(old)}.\n\n"
                    "Replace the older copy with it? Afterwards the app shows what changed.",
                    "Replace with the newer version"):
                return False
        book = library.import_summary(path, replace=older is not None)
    except SummaryFormatError as error:
        helpers.tell_user(page, "This file cannot be added", str(error))
        return False
    page.reload_books()
    if older is not None:
        page.open_location(render_module().page_url("changes", book.key))
        return True
    page.open_location(render_module().section_url(book.sections[0].id))
    helpers.tell_user(page, "Summary added",
                      f"“{book.title}” is now in the list of topics and in search.")
    return True


def remove_book(page: ReferencePage, book_key: str) -> bool:
    """Ask, then take a summary out of the library (the shipped one is only hidden)."""
    from nbcompanion.content.summary import SummaryFormatError

    library = page.library
    book = library.book(book_key)
    if book is None:
        return False
    if len(library.books) == 1:
        helpers.tell_user(page, "This summary stays",
                          f"“{book.title}” is the only summary in your library, so it stays.")
        return False
    if library.comes_with_app(book_key):
        question = (f"Hide “{book.title}”? It comes with the app, so it is only hidden: "
                    "Reference › Show hidden summaries again brings it back.")
        yes = "Hide it"
    else:
        question = (f"Remove “{book.title}” from your library? Your copy of the file is "
                    "deleted; you can add it again from the file at any time.")
        yes = "Remove it"
    if not helpers.ask_yes_no(page, "Remove a summary", question, yes):
        return False
    try:
        library.remove_book(book_key)
    except SummaryFormatError as error:
        helpers.tell_user(page, "The summary could not be removed", str(error))
        return False
    page.reload_books()
    page.open_location(render_module().section_url(library.books[0].sections[0].id))
    return True


def show_hidden(page: ReferencePage) -> bool:
    """Bring back the summaries that were hidden; True if any came back."""
    from nbcompanion.content.summary import SummaryFormatError

    try:
        back = page.library.show_hidden()
    except SummaryFormatError as error:
        helpers.tell_user(page, "The summary could not be shown again", str(error))
        return False
    if not back:
        helpers.tell_user(page, "Nothing is hidden", "Every summary is already in the list.")
        return False
    page.reload_books()
    page.open_location(render_module().section_url(back[0].sections[0].id))
    return True
