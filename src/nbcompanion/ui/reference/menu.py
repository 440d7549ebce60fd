"""The Reference menu: add a summary, search, the glossary, the source page, and the reading
keys (Back, Forward, text size) that work from the main window."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence

from nbcompanion.ui.translate import tr

if TYPE_CHECKING:
    from nbcompanion.ui.main_window import MainWindow
    from nbcompanion.ui.reference.page import ReferencePage

KeyList = tuple[str | QKeySequence.StandardKey, ...]


def _sequences(keys: KeyList) -> list[QKeySequence]:
    """Each key once (a key listed twice would be "ambiguous" and do nothing)."""
    found: list[QKeySequence] = []
    for key in keys:
        found.extend(QKeySequence.keyBindings(key) if isinstance(key, QKeySequence.StandardKey)
                     else [QKeySequence(key)])
    return list({sequence.toString(): sequence for sequence in found}.values())


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

    def add(text: str, tip: str, slot: Callable[[], object], keys: KeyList = ()) -> QAction:
        action = QAction(text, window)
        action.setStatusTip(tip)
        action.setToolTip(tip)
        action.setShortcuts(_sequences(keys))
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    add(tr("&Add reference summary…"), tr("Add another PDQ summary from a file"),
        lambda: page().add_summary())
    add(tr("&Remove this summary…"), tr("Take the summary on screen out of the library"),
        lambda: page().remove_book())
    add(tr("Show &hidden summaries again"), tr("Bring back a summary that was hidden"),
        lambda: page().show_hidden_books())
    add(tr("What &changed in this summary"), tr("What the last newer version changed"),
        lambda: page().open_location(_page_url("changes", page().current_book_key)))
    add(tr("&Search the summary"), tr("Search every topic, from any page"),
        lambda: page().focus_search(), ("Ctrl+F", "Ctrl+K"))
    add(tr("&Words explained, A to Z"), tr("The terms the summary explains"),
        lambda: first_book_page("glossary"))
    add(tr("About this &summary and its source"), tr("Title, source, review date and citation"),
        lambda: first_book_page("source"))
    menu.addSeparator()
    reading = [
        add(tr("&Back"), tr("The section read before"), lambda: page().go_back(),
            ("Alt+Left",)),
        add(tr("&Forward"), tr("The section read after"), lambda: page().go_forward(),
            ("Alt+Right",)),
        add(tr("&Larger text"), tr("Make the summary's text larger"),
            lambda: page().change_text_size(+1),
            ("Ctrl++", "Ctrl+=", QKeySequence.StandardKey.ZoomIn)),
        add(tr("S&maller text"), tr("Make the summary's text smaller"),
            lambda: page().change_text_size(-1),
            ("Ctrl+-", QKeySequence.StandardKey.ZoomOut)),
    ]

    def follow_page(_row: int = 0) -> None:
        # Reading keys act on the summary on screen; elsewhere Alt+Left or Ctrl+Minus
        # should never jump to the reference behind the parent's back.
        on_reference = window.current_page_key() == "reference"
        for action in reading:
            action.setEnabled(on_reference)

    window.nav.currentRowChanged.connect(follow_page)
    follow_page()
