"""The Reference menu: add a summary, search, the glossary and the source page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction

if TYPE_CHECKING:
    from nbcompanion.ui.main_window import MainWindow
    from nbcompanion.ui.reference.page import ReferencePage


def _page_url(kind: str, book_key: str) -> str:
    from nbcompanion.content.render import page_url

    return page_url(kind, book_key)


def install(window: MainWindow) -> None:
    """Add the reference actions to ``window.menus["reference"]``."""
    menu = window.menus["reference"]

    def page() -> ReferencePage:
        return window.show_page("reference")  # type: ignore[return-value]

    def first_book_page(kind: str) -> None:
        from nbcompanion.content.render import page_url

        reference = page()
        reference.open_target(page_url(kind, window.context.library.books[0].key))

    entries = [
        ("&Add reference summary…", "Add another PDQ summary from a file",
         lambda: page().add_summary()),
        ("&Remove this summary…", "Take the summary on screen out of the library",
         lambda: page().remove_book()),
        ("Show &hidden summaries again", "Bring back a summary that was hidden",
         lambda: page().show_hidden_books()),
        ("What &changed in this summary", "What the last newer version changed",
         lambda: page().open_location(_page_url("changes", page().current_book_key))),
        ("&Search the summary", "Search every topic (Ctrl+F on the Reference page)",
         lambda: page().focus_search()),
        ("&Words explained, A to Z", "The terms the summary explains",
         lambda: first_book_page("glossary")),
        ("About this &summary and its source", "Title, source, review date and citation",
         lambda: first_book_page("source")),
    ]
    for text, tip, slot in entries:
        action = QAction(text, window)
        action.setStatusTip(tip)
        action.setToolTip(tip)
        action.triggered.connect(slot)
        menu.addAction(action)
