"""Small parts of the reference page: the topic tree, the source bar and the term card."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal, Slot
from PySide6.QtGui import QFont, QFontMetrics, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from nbcompanion.ui.theme import colours
from nbcompanion.ui.translate import tr

if TYPE_CHECKING:
    from nbcompanion.content.library import Library

LOCATION_ROLE = Qt.ItemDataRole.UserRole


class _WrappingDelegate(QStyledItemDelegate):
    """Gives each row the height its wrapped title needs, so long headings are never cut."""

    def __init__(self, tree: QTreeWidget) -> None:
        super().__init__(tree)
        self._tree = tree

    def sizeHint(self, option: QStyleOptionViewItem,
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        hint = super().sizeHint(option, index)
        depth, parent = 1, index.parent()
        while parent.isValid():
            depth, parent = depth + 1, parent.parent()
        width = self._tree.viewport().width() - depth * self._tree.indentation() - 12
        if width < 40:
            return hint
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        font = index.data(Qt.ItemDataRole.FontRole) or option.font
        rect = QFontMetrics(font).boundingRect(QRect(0, 0, width, 10_000),
                                               int(Qt.TextFlag.TextWordWrap), text)
        return QSize(hint.width(), max(hint.height(), rect.height() + 6))


class TopicTree(QTreeWidget):
    """Books → chapters → sections → subsections, then each book's glossary and source page.

    Signals:
        location_chosen(str): the user chose an item; its in-app address.
    """

    location_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("topicTree")
        self.setAccessibleName(tr("Topics of the summary"))
        self.setHeaderHidden(True)
        self.setWordWrap(True)
        self.setUniformRowHeights(False)
        self.setIndentation(14)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.header().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.header().setStretchLastSection(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setItemDelegate(_WrappingDelegate(self))
        self.itemClicked.connect(self._on_self_item_clicked)
        self.itemActivated.connect(self._on_self_item_clicked)
        self._items: dict[str, QTreeWidgetItem] = {}

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.scheduleDelayedItemsLayout()  # rows re-wrap to the new width

    def populate(self, library: Library) -> None:
        """Fill the tree from the library's books."""
        from nbcompanion.content.render import page_url, section_url

        self.clear()
        self._items.clear()
        for book in library.books:
            top = QTreeWidgetItem(self, [book.title])
            font = QFont(top.font(0))
            font.setBold(True)
            top.setFont(0, font)
            top.setToolTip(0, book.title)
            top.setFlags(top.flags() & ~Qt.ItemFlag.ItemIsSelectable)
            parents: dict[str, QTreeWidgetItem] = {}
            for section in book.sections:
                holder = parents.get(section.parent or "", top)
                item = QTreeWidgetItem(holder, [section.title])
                item.setToolTip(0, section.title)
                item.setData(0, LOCATION_ROLE, section_url(section.id))
                parents[section.id] = item
                self._items[section.id] = item
            pages = [("Words explained, A to Z", "glossary"),
                     ("About this summary and its source", "source")]
            if library.changes(book.key) is not None:
                pages.insert(1, ("What changed in the last update", "changes"))
            for label, kind in pages:
                item = QTreeWidgetItem(top, [label])
                item.setData(0, LOCATION_ROLE, page_url(kind, book.key))
                self._items[page_url(kind, book.key)] = item
            top.setExpanded(True)

    def select_location(self, key: str) -> None:
        """Mark the item for a section id or page address as current, without signalling."""
        item = self._items.get(key)
        self.blockSignals(True)
        try:
            if item is None:
                self.clearSelection()
                return
            parent = item.parent()
            while parent is not None:
                parent.setExpanded(True)
                parent = parent.parent()
            self.setCurrentItem(item)
            self.scrollToItem(item)
        finally:
            self.blockSignals(False)

    @Slot(QTreeWidgetItem, int)
    def _on_self_item_clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        location = item.data(0, LOCATION_ROLE)
        if location:
            self.location_chosen.emit(str(location))


class SourceBar(QFrame):
    """Title, source, review date and "not advice" note above the reading pane.

    Signals:
        link_activated(str): a link of the bar was clicked (an in-app or web address).
    """

    link_activated = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sourceBar")
        chosen = colours()
        self.setStyleSheet(f"#sourceBar {{ background: {chosen.panel}; "
                           f"border-bottom: 1px solid {chosen.panel_border}; }}"
                           f"#sourceBar QLabel {{ color: {chosen.text}; }}"
                           f"#overdue {{ background: {chosen.notice}; color: {chosen.notice_text};"
                           " padding: 6px; border-radius: 4px; }"
                           f"#changesNotice {{ background: {chosen.info}; "
                           f"color: {chosen.info_text}; padding: 6px; border-radius: 4px; }}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        layout.setSpacing(4)
        self.details = QLabel()
        self.details.setObjectName("sourceDetails")
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                             | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        self.details.linkActivated.connect(self.link_activated)
        self.overdue = QLabel()
        self.overdue.setObjectName("overdue")
        self.overdue.setWordWrap(True)
        self.overdue.linkActivated.connect(self.link_activated)
        self.changes = QLabel()
        self.changes.setObjectName("changesNotice")
        self.changes.setWordWrap(True)
        self.changes.linkActivated.connect(self.link_activated)
        layout.addWidget(self.details)
        layout.addWidget(self.overdue)
        layout.addWidget(self.changes)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_height()

    def _fit_height(self) -> None:
        """Wrapped labels inside nested layouts are not given their height: ask for it."""
        layout = self.layout()
        if layout is None:
            return
        width = self.width() if self.width() > 0 else 800
        height = layout.totalHeightForWidth(width)
        if height > 0:
            self.setMinimumHeight(height)

    def show_book(self, library: Library, book_key: str, today: date | None = None) -> None:
        """Show the details of one book."""
        from nbcompanion.content.render import (
            SOURCE_NAMES,
            esc,
            long_date,
            overdue_message,
            page_url,
        )

        book = library.book(book_key)
        if book is None:
            return
        source = SOURCE_NAMES.get(book.source, book.source) or tr("source not stated")
        muted = colours().muted
        reviewed = (tr("last reviewed {day}").format(day=long_date(book.last_reviewed))
                    if book.last_reviewed else tr("review date not stated"))
        address = (f' · <span style="color:{muted}">{esc(book.url)}</span>' if book.url else "")
        self.details.setText(
            tr("<b>{title}</b> · from the {source} · {reviewed}").format(
                title=esc(book.title), source=esc(source), reviewed=esc(reviewed))
            + address + " · "
            + tr('<a href="{url}">Source and citation</a>').format(url=page_url("source", book.key))
            + f'<br/><span style="color:{muted}">'
            + esc(tr("For information only: this app does not recommend treatment. Talk with "
                     "your child's care team about decisions.")) + "</span>")
        overdue = book.review_overdue(today)
        self.overdue.setVisible(overdue)
        if overdue:
            latest = (" " + tr('<a href="{url}">Check cancer.gov for the latest version</a>')
                      .format(url=esc(book.url)) if book.url else "")
            self.overdue.setText(
                esc(overdue_message(book)) + latest + " · "
                + tr('<a href="{url}">How to update this copy</a>').format(
                    url=page_url("source", book.key)))
        report = library.changes(book_key)
        fresh = report is not None and not report.dismissed
        self.changes.setVisible(fresh)
        if report is not None and fresh:
            self.changes.setText(
                tr('This summary was replaced by a newer version (last reviewed {day}). '
                   '<a href="{changes}">See what changed</a> · <a href="{dismiss}">Dismiss</a>')
                .format(day=esc(_day(report.new_reviewed)), changes=page_url("changes", book_key),
                        dismiss=page_url("dismiss-changes", book_key)))
        self._fit_height()


def _day(iso: str) -> str:
    from nbcompanion.content.render import long_date

    try:
        return long_date(date.fromisoformat(iso))
    except ValueError:
        return "on an unknown date"


class TermCard(QFrame):
    """A strip under the reading pane explaining a term or asking before leaving the app.

    Signals:
        action_chosen(str): the user pressed the card's button; the address it stands for.
    """

    action_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("termCard")
        chosen = colours()
        self.setStyleSheet(f"#termCard {{ background: {chosen.panel}; "
                           f"border-top: 1px solid {chosen.panel_border}; }}"
                           f"#termText {{ color: {chosen.text}; }}")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 8, 8, 8)
        self.text = QLabel()
        self.text.setObjectName("termText")
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = QFont(self.text.font())
        font.setPointSizeF(font.pointSizeF() * 1.2)  # read at a glance, like the text above
        self.text.setFont(font)
        self.button = QPushButton()
        self.button.setObjectName("termAction")
        self.button.clicked.connect(self._on_button_clicked)
        close = QPushButton(tr("Close"))
        close.setObjectName("termClose")
        close.clicked.connect(self.hide)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self._target = ""
        self.hide()

    def present(self, html: str, button: str = "", target: str = "") -> None:
        """Show ``html`` and, if given, a button that stands for ``target``."""
        self.text.setText(html)
        self._target = target
        self.button.setText(button)
        self.button.setVisible(bool(button))
        self.show()

    @property
    def target(self) -> str:
        """The address the card's button stands for."""
        return self._target

    @Slot()
    def _on_button_clicked(self) -> None:
        if self._target:
            self.action_chosen.emit(self._target)
