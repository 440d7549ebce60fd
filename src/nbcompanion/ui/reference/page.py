"""The Reference page: topic tree and search on the left, the summary on the right."""

from __future__ import annotations

from html import escape as esc
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, QTimer, QUrl, Slot
from PySide6.QtGui import QAction, QCursor, QKeySequence, QPaintEvent, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSplitter,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from nbcompanion.content.schemes import PAGE_SCHEME, SECTION_SCHEME, TERM_SCHEME
from nbcompanion.ui.context import AppContext
from nbcompanion.ui.kit import Page
from nbcompanion.ui.reference import helpers
from nbcompanion.ui.reference.helpers import int_setting, render_module, shorten, split_location
from nbcompanion.ui.theme import colours
from nbcompanion.ui.translate import tr

if TYPE_CHECKING:
    from typing import Any

    from nbcompanion.content.library import Library
    from nbcompanion.ui.background import BackgroundJob
    from nbcompanion.ui.reference.panels import SourceBar, TermCard, TopicTree
    from nbcompanion.ui.reference.reader import ReadingPane

SETTINGS_LAST = "reference/last_location"
SETTINGS_SIZE = "reference/text_size"
SEARCH_PREFIX = f"{PAGE_SCHEME}:search?q="


class ReferencePage(Page):
    """The PDQ summary by topic, searchable, with its glossary and its source always in view."""

    #: The check of a summary being added (Reference › Add reference summary…), if any.
    import_job: BackgroundJob[Any] | None = None

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.setObjectName("referencePage")
        self._history: list[str] = []
        self._position = -1
        self._location = ""
        self._populated = False
        self._built = False
        self._build_actions()
        self._fill_scheduled = False

    @property
    def library(self) -> Library:
        """The shared library (loaded by the context on first use)."""
        return self.context.library

    # -- layout ----------------------------------------------------------------------------------
    def _ensure_built(self) -> None:
        """Create the widgets (on first paint or first use, not while the window starts)."""
        if not self._built:
            self._built = True
            self._build()

    def _build(self) -> None:
        from nbcompanion.ui.reference.panels import SourceBar, TermCard, TopicTree
        from nbcompanion.ui.reference.reader import DEFAULT_POINT_SIZE, ReadingPane

        self.search_box: QLineEdit
        self.tree: TopicTree
        self.source_bar: SourceBar
        self.reader: ReadingPane
        self.card: TermCard
        self.search_box = QLineEdit()
        self.search_box.setObjectName("referenceSearch")
        self.search_box.setPlaceholderText(tr("Search the summary (Ctrl+F)"))
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setAccessibleName(tr("Search the summary"))
        self.search_box.textEdited.connect(self._on_search_box_text_edited)
        self.search_box.returnPressed.connect(self._on_search_box_return_pressed)
        self.search_box.installEventFilter(self)
        self._search_timer = QTimer(self, singleShot=True, interval=250)
        self._search_timer.timeout.connect(self._on_search_timer_timeout)
        self.tree = TopicTree()
        self.tree.location_chosen.connect(self.open_location)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(8, 8, 4, 8)
        left_layout.addWidget(self.search_box)
        left_layout.addWidget(self.tree, 1)

        self.source_bar = SourceBar()
        self.source_bar.link_activated.connect(self.open_location)
        self.back_button = self._tool_button(tr("← Back"), tr("Go back (Alt+Left)"))
        self.forward_button = self._tool_button(tr("Forward →"), tr("Go forward (Alt+Right)"))
        smaller = self._tool_button(tr("A−"), tr("Smaller text (Ctrl+Minus)"))
        larger = self._tool_button(tr("A+"), tr("Larger text (Ctrl+Plus)"))
        glossary = self._tool_button(tr("Words A–Z"), tr("Words the summary explains"))
        self.back_button.clicked.connect(self.go_back)
        self.forward_button.clicked.connect(self.go_forward)
        smaller.clicked.connect(lambda: self.change_text_size(-1))
        larger.clicked.connect(lambda: self.change_text_size(+1))
        glossary.clicked.connect(self.open_glossary)
        self.breadcrumb = QLabel()
        self.breadcrumb.setObjectName("breadcrumb")
        self.breadcrumb.setProperty("untranslated", True)  # the summary's own headings
        self.breadcrumb.setWordWrap(True)
        self.breadcrumb.linkActivated.connect(self.open_location)
        bar = QHBoxLayout()
        bar.setContentsMargins(8, 4, 8, 4)
        for button in (self.back_button, self.forward_button):
            bar.addWidget(button)
        bar.addWidget(self.breadcrumb, 1)
        for button in (glossary, smaller, larger):
            bar.addWidget(button)

        self.reader = ReadingPane()
        self.reader.anchorClicked.connect(self._on_reader_anchor_clicked)
        self.reader.highlighted.connect(self._on_reader_highlighted)
        self.reader.set_text_size(int_setting(SETTINGS_SIZE, DEFAULT_POINT_SIZE))
        self.card = TermCard()
        self.card.action_chosen.connect(self._on_card_action_chosen)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.setSpacing(0)
        right_layout.addWidget(self.source_bar)
        right_layout.addLayout(bar)
        right_layout.addWidget(self.reader, 1)
        right_layout.addWidget(self.card)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([310, 800])
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self._update_history_buttons()

    def _tool_button(self, text: str, tip: str) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setToolTip(tip)
        button.setAccessibleName(tip)
        button.setAutoRaise(True)
        return button

    def _build_actions(self) -> None:
        if hasattr(self.window(), "menus"):
            # In the main window the Reference menu owns these keys (Ctrl+F works from any
            # page); the same keys here too would make Qt call them ambiguous and do nothing.
            return
        shortcuts = [
            (("Ctrl+F", "Ctrl+K"), self.focus_search),
            ((QKeySequence.StandardKey.Back,), self.go_back),
            ((QKeySequence.StandardKey.Forward,), self.go_forward),
            (("Ctrl++", "Ctrl+=", QKeySequence.StandardKey.ZoomIn),
             lambda: self.change_text_size(+1)),
            (("Ctrl+-", QKeySequence.StandardKey.ZoomOut), lambda: self.change_text_size(-1)),
        ]
        for keys, slot in shortcuts:
            action = QAction(self)
            sequences: list[QKeySequence] = []
            for key in keys:
                sequences.extend(QKeySequence.keyBindings(key) if isinstance(
                    key, QKeySequence.StandardKey) else [QKeySequence(key)])
            unique = list({sequence.toString(): sequence for sequence in sequences}.values())
            action.setShortcuts(unique)  # a key listed twice would be "ambiguous" and do nothing
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.addAction(action)

    # -- filling ---------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        """Fill the page just after it is first painted, so the window shows at once."""
        super().paintEvent(event)
        if not self._populated and not self._fill_scheduled:
            self._fill_scheduled = True
            QTimer.singleShot(0, self._ensure_populated)

    def _ensure_populated(self) -> None:
        self._ensure_built()
        if self._populated:
            return
        self._populated = True
        self.tree.populate(self.library)
        if not self._location:
            last = str(QSettings().value(SETTINGS_LAST, "") or "")
            if not (last and self._valid(last)):
                last = render_module().section_url(self.library.books[0].sections[0].id)
            self.open_location(last)

    def _valid(self, location: str) -> bool:
        kind, path, _params = split_location(location)
        if kind == SECTION_SCHEME:
            return self.library.section(path) is not None
        return kind == PAGE_SCHEME and self.library.book(path.partition("/")[2]) is not None

    def reload_books(self) -> None:
        """Rebuild the tree after a book was added."""
        self.tree.populate(self.library)
        self._sync_tree()

    # -- navigation ------------------------------------------------------------------------------
    def open_target(self, target: object) -> None:
        """Open a section id, an in-app address, or a topic (a heading or defined term)."""
        self._ensure_populated()
        text = str(target or "").strip()
        if not text:
            return
        if self.library.section(text) is not None:
            self.open_location(render_module().section_url(text))
        elif text.startswith((SECTION_SCHEME + ":", PAGE_SCHEME + ":")):
            self.open_location(text)
        else:
            found = self.library.locate(text)
            section = self.library.section(found) if found else None
            if section is not None:
                from nbcompanion.content.glossary import normalise

                heading = normalise(section.title).startswith(normalise(text))
                phrase = "" if heading else text
                self.open_location(render_module().section_url(found, phrase=phrase))
            else:
                self.show_search(text)

    def showEvent(self, event: QShowEvent) -> None:
        """Shown: the summary fills in when the main window says so, after the first paint."""
        QWidget.showEvent(self, event)

    def about_to_show(self) -> None:
        """Called by the main window when the page comes on screen (filled after it paints)."""
        if self.isVisible():
            self._ensure_populated()

    @Slot(str)
    def open_location(self, location: str, *, record: bool = True) -> None:
        """Show an in-app address (or ask before opening a web address)."""
        self._ensure_populated()
        kind, path, _params = split_location(location)
        if kind in ("https", "http"):
            self._offer_web_page(location)
            return
        if kind == TERM_SCHEME:
            self.show_term(location)
            return
        if kind not in (SECTION_SCHEME, PAGE_SCHEME):
            return
        action, _, book_key = path.partition("/")
        if kind == PAGE_SCHEME and action in ("dismiss-changes", "remove"):
            if action == "remove":
                self.remove_book(book_key)
                return
            self.library.dismiss_changes(book_key)
            self._render(self._location)
            return
        if record:
            replace_search = (location.startswith(SEARCH_PREFIX)
                              and self._location.startswith(SEARCH_PREFIX))
            if replace_search and self._position >= 0:
                self._history[self._position] = location
            elif location != self._location:
                del self._history[self._position + 1:]
                self._history.append(location)
                self._position = len(self._history) - 1
        self._render(location)

    def _render(self, location: str) -> None:
        kind, path, params = split_location(location)
        self._location = location
        library = self.library
        if kind == SECTION_SCHEME and library.section(path) is not None:
            book = library.book_of(path)
            assert book is not None
            page = book.page_of(path)
            self.reader.show_html(render_module().section_page(library, path),
                                  "" if page.id == path else book.by_id[path].slug)
            if params.get("q"):
                from nbcompanion.content.search import Query

                self.reader.highlight(Query.parse(params["q"]).highlight_terms(),
                                      scroll=page.id == path)
            elif params.get("t"):
                self.reader.highlight([], params["t"], scroll=True)
            self._set_breadcrumb(book.key, path)
            QSettings().setValue(SETTINGS_LAST, render_module().section_url(path))
        elif kind == SECTION_SCHEME:  # a section of a summary that was removed since
            self.reader.show_html(render_module().not_found_page())
            self._set_breadcrumb("", "", "Not found")
            book = library.books[0]
        elif location.startswith(SEARCH_PREFIX):
            query = params.get("q", "")
            titles = {b.key: b.title for b in library.books}
            self.reader.show_html(render_module().search_page(query, library.find(query),
                                                              titles))
            self._set_breadcrumb("", "", "Search results")
            book = library.books[0]
        else:
            page_kind, _, book_key = path.partition("/")
            found = library.book(book_key)
            book = found if found is not None else library.books[0]
            if page_kind == "changes":
                from nbcompanion.content.render_changes import changes_page

                self.reader.show_html(changes_page(library, book.key))
                self._set_breadcrumb(book.key, "", "What changed")
            elif page_kind == "glossary":
                self.reader.show_html(render_module().glossary_page(library, book.key))
                self._set_breadcrumb(book.key, "", "Words explained, A to Z")
            else:
                self.reader.show_html(render_module().source_page(library, book.key))
                self._set_breadcrumb(book.key, "", "About this summary")
        self.source_bar.show_book(library, book.key)
        self._sync_tree()
        self._update_history_buttons()

    def _set_breadcrumb(self, book_key: str, section_id: str, last: str = "") -> None:
        book = self.library.book(book_key)
        crumbs: list[str] = []
        if book is not None:
            first = render_module().section_url(book.sections[0].id)
            crumbs.append(f'<a href="{first}">{esc(shorten(book.title))}</a>')
        if book is not None and section_id:
            chain = book.path_to(section_id)
            for section in chain[:-1]:
                crumbs.append(f'<a href="{render_module().section_url(section.id)}">'
                              f"{esc(shorten(section.title))}</a>")
            crumbs.append(f"<b>{esc(shorten(chain[-1].title, 70))}</b>")
        elif last:
            crumbs.append(f"<b>{esc(last)}</b>")
        self.breadcrumb.setText(" › ".join(crumbs))

    def _sync_tree(self) -> None:
        kind, path, _params = split_location(self._location)
        self.tree.select_location(path if kind == SECTION_SCHEME else self._location.split("?")[0])

    @property
    def current_location(self) -> str:
        """The in-app address on screen."""
        return self._location

    @property
    def current_section_id(self) -> str | None:
        """The id of the section on screen, if a section is shown."""
        kind, path, _params = split_location(self._location)
        return path if kind == SECTION_SCHEME else None

    def can_go_back(self) -> bool:
        """True when there is an earlier page in the history."""
        return self._position > 0

    @Slot()
    def go_back(self) -> None:
        """Show the previous page of the history."""
        if self._position > 0:
            self._position -= 1
            self._render(self._history[self._position])

    @Slot()
    def go_forward(self) -> None:
        """Show the next page of the history."""
        if self._position + 1 < len(self._history):
            self._position += 1
            self._render(self._history[self._position])

    def _update_history_buttons(self) -> None:
        self.back_button.setEnabled(self._position > 0)
        self.forward_button.setEnabled(self._position + 1 < len(self._history))

    @Slot()
    def open_glossary(self) -> None:
        """Show the A–Z glossary of the book on screen."""
        book = self.library.book_of(self.current_section_id or "") or self.library.books[0]
        self.open_location(render_module().page_url("glossary", book.key))

    # -- links and terms -------------------------------------------------------------------------
    @Slot(QUrl)
    def _on_reader_anchor_clicked(self, url: QUrl) -> None:
        text = url.toString()
        if text.startswith("#"):
            self.reader.scrollToAnchor(text[1:])
        else:
            self.open_location(text)

    @Slot(QUrl)
    def _on_reader_highlighted(self, url: QUrl) -> None:
        tip = self.link_tooltip(url.toString())
        if tip:
            QToolTip.showText(QCursor.pos(), tip, self.reader)
        else:
            QToolTip.hideText()

    def link_tooltip(self, location: str) -> str:
        """What hovering a link says: a term's definition, or where a web link goes."""
        from nbcompanion.ui.reference import terms

        return terms.link_tooltip(self.library, location)

    def show_term(self, location: str) -> None:
        """Show a dictionary term's definition from the summary, or offer the NCI Dictionary."""
        from nbcompanion.ui.reference import terms

        self.card.present(*terms.term_card(self.library, location))

    def _offer_web_page(self, address: str) -> None:
        self.card.present("This link leads to a web page outside the app:<br/>"
                          f"<span style='color:{colours().muted}'>{esc(address)}</span>",
                          "Open in my web browser", address)

    @Slot(str)
    def _on_card_action_chosen(self, target: str) -> None:
        if target.startswith("https://"):
            helpers.open_in_browser(target)
            self.card.hide()
        else:
            self.card.hide()
            self.open_location(target)

    # -- search ----------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Build the search index as soon as the search box gets focus, before any typing."""
        if watched is getattr(self, "search_box", None) and event.type() == QEvent.Type.FocusIn:
            QTimer.singleShot(0, self, self._warm_index)
        return super().eventFilter(watched, event)

    @Slot()
    def _warm_index(self) -> None:
        _index = self.library.index  # built once; later searches take about a millisecond
        QTimer.singleShot(0, self, self._warm_speller)

    @Slot()
    def _warm_speller(self) -> None:
        # Spelling suggestions and "what is X" ranking need these; a separate step so the
        # window can paint in between.
        self.library.index.speller.warm()
        for book in self.library.books:
            self.library.glossary(book.key)

    @Slot()
    def focus_search(self) -> None:
        """Put the cursor in the search box (Ctrl+F, Ctrl+K)."""
        self._ensure_populated()
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    def show_search(self, text: str) -> None:
        """Show the results for ``text`` in the reading pane."""
        from urllib.parse import quote

        if self.search_box.text() != text:
            self.search_box.setText(text)
        self.open_location(SEARCH_PREFIX + quote(text, safe=""))

    @Slot(str)
    def _on_search_box_text_edited(self, _text: str) -> None:
        self._search_timer.start()

    @Slot()
    def _on_search_timer_timeout(self) -> None:
        self.show_search(self.search_box.text())

    @Slot()
    def _on_search_box_return_pressed(self) -> None:
        self._search_timer.stop()
        self.show_search(self.search_box.text())

    # -- text size -------------------------------------------------------------------------------
    def change_text_size(self, step: int) -> None:
        """Make the text larger (+1) or smaller (-1), and remember it."""
        self._ensure_built()
        self.reader.set_text_size(self.reader.text_size + step)
        QSettings().setValue(SETTINGS_SIZE, self.reader.text_size)

    # -- adding summaries ------------------------------------------------------------------------
    def add_summary(self, path: Path | None = None) -> bool:
        """Ask for a PDQ summary file and add it, or replace an older version of it."""
        from nbcompanion.ui.reference import books

        self._ensure_populated()
        return books.add_summary(self, path)

    def remove_book(self, book_key: str | None = None) -> bool:
        """Ask, then remove the summary on screen (or ``book_key``); the shipped one is hidden."""
        from nbcompanion.ui.reference import books

        self._ensure_populated()
        return books.remove_book(self, book_key or self.current_book_key)

    def show_hidden_books(self) -> bool:
        """Bring back the summaries that were hidden."""
        from nbcompanion.ui.reference import books

        self._ensure_populated()
        return books.show_hidden(self)

    @property
    def current_book_key(self) -> str:
        """The key of the book on screen (the first book when none is)."""
        kind, path, _params = split_location(self._location)
        key = path.partition("/")[0] if kind == SECTION_SCHEME else path.partition("/")[2]
        return key if self.library.book(key) is not None else self.library.books[0].key
