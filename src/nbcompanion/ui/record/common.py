"""Small pieces the record views share: date wording, empty states, an entry table view."""

from __future__ import annotations

import contextlib
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QContextMenuEvent, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from nbcompanion.record import vocab
from nbcompanion.record.errors import RecordError
from nbcompanion.ui.context import AppContext
from nbcompanion.ui.forms import run_dialog
from nbcompanion.ui.tablemodel import ID_ROLE
from nbcompanion.ui.translate import tr

MUTED_STYLE = "color: palette(placeholder-text);"
HEADING_STYLE = "font-size: 15pt; font-weight: 600;"
EMPTY_STYLE = "font-size: 12pt;"


def parse_day(text: str | None) -> date | None:
    """The date part of an ISO date or date-time (None when unset or unreadable)."""
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def day_text(text: str | None, *, weekday: bool = False) -> str:
    """"3 Dec 2026" (or "Thu 3 Dec 2026") for an ISO date; "" when unset."""
    day = parse_day(text)
    if day is None:
        return text or ""
    shown = f"{day.day} {day.strftime('%b %Y')}"
    return f"{day.strftime('%a')} {shown}" if weekday else shown


def when_text(text: str | None) -> str:
    """"Thu 3 Dec 2026, 14:30" for an ISO date-time; the date alone when there is no time."""
    if not text:
        return ""
    shown = day_text(text, weekday=True)
    if len(text) >= 16 and text[10] == "T":
        with contextlib.suppress(ValueError):
            shown += ", " + datetime.fromisoformat(text[:16]).strftime("%H:%M")
    return shown


def number_text(value: float | None) -> str:
    """A number without needless decimals."""
    return "" if value is None else f"{value:g}"


def outside_range(value: float | None, low: float | None, high: float | None) -> bool:
    """True when ``value`` lies outside the lab's own range (never a judgement of the value)."""
    if value is None:
        return False
    return (low is not None and value < low) or (high is not None and value > high)


def heading(text: str) -> QLabel:
    """A page heading."""
    label = QLabel(text)
    label.setStyleSheet(HEADING_STYLE)
    label.setWordWrap(True)
    return label


def muted(text: str = "") -> QLabel:
    """A quieter, wrapped line of explanation."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet(MUTED_STYLE)
    return label


class EmptyState(QWidget):
    """A kind sentence and the one button that fills the space — never a blank table.

    Signals:
        action_clicked(): the button was clicked.
    """

    action_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("empty_state")
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setStyleSheet(EMPTY_STYLE)
        layout.addWidget(self.message)
        row = QHBoxLayout()
        row.addStretch(1)
        self.button = QPushButton()
        self.button.clicked.connect(self.action_clicked)
        row.addWidget(self.button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(2)

    def set_content(self, message: str, button_text: str | None) -> None:
        """Show ``message`` and a button (hidden when ``button_text`` is None)."""
        self.message.setText(message)
        self.button.setVisible(button_text is not None)
        self.button.setText(button_text or "")


def row_height(widget: QWidget) -> int:
    """The height of a one-line table row in ``widget``'s font (text plus padding)."""
    return widget.fontMetrics().height() + 8


class EntryTableView(QTableView):
    """A table of entries: double-click or Enter opens one, Delete asks to delete it.

    Signals:
        entry_activated(int): the user asked to open the entry with this id.
        delete_pressed(int): the user pressed Delete on the entry with this id.
    """

    entry_activated = Signal(int)
    delete_pressed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().hide()
        # Every row one line of the font tall, never measured cell by cell: tables of ten
        # years of entries stay as quick as short ones.
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(row_height(self))
        self.setTabKeyNavigation(False)  # arrows move inside; Tab moves on to the next control
        self.horizontalHeader().setHighlightSections(False)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.horizontalHeader().setStretchLastSection(True)
        self.doubleClicked.connect(self._on_self_double_clicked)
        self.setToolTip(tr("Double-click or press Enter to open; press Delete to delete"))

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        """Right-click offers what double-click and the Delete key do, for those who look."""
        index = self.indexAt(event.pos())
        if not index.isValid():
            return
        self.selectRow(index.row())
        entry_id = self.current_id()
        if entry_id is None:
            return
        menu = QMenu(self)
        menu.addAction(tr("Open…"), lambda: self.entry_activated.emit(entry_id))
        menu.addAction(tr("Delete…"), lambda: self.delete_pressed.emit(entry_id))
        menu.exec(event.globalPos())

    def current_id(self) -> int | None:
        """The id of the selected entry."""
        index = self.currentIndex()
        if not index.isValid():
            return None
        value = index.siblingAtColumn(0).data(ID_ROLE)
        return None if value is None else int(value)

    def _on_self_double_clicked(self, index: QModelIndex) -> None:
        value = index.siblingAtColumn(0).data(ID_ROLE)
        if value is not None:
            self.entry_activated.emit(int(value))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter opens the selected entry; Delete asks to delete it."""
        entry_id = self.current_id()
        if entry_id is not None and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.entry_activated.emit(entry_id)
            return
        if entry_id is not None and event.key() == Qt.Key.Key_Delete:
            self.delete_pressed.emit(entry_id)
            return
        super().keyPressEvent(event)


def team_combo(context: AppContext, child_id: int | None) -> QComboBox:
    """A combo of the child's care team members (first entry: none chosen)."""
    from nbcompanion.record import queries

    combo = QComboBox()
    combo.addItem(tr("Not chosen"), None)
    if child_id is not None:
        for member in queries.list_team(context.store, child_id):
            role = vocab.label(vocab.CARE_ROLES, member.get("role"))
            shown = (tr("{name} — {role}").format(name=member["name"], role=role) if role
                     else member["name"])
            combo.addItem(shown, member["id"])
    return combo


class DialogOpener:
    """Opens entry dialogs window-modally and remembers the last one (tests drive it)."""

    def __init__(self) -> None:
        self.last_dialog: QDialog | None = None

    def show(self, dialog: QDialog) -> QDialog:
        """Open ``dialog`` without blocking (see :func:`~nbcompanion.ui.forms.run_dialog`)."""
        self.last_dialog = dialog
        dialog.finished.connect(self._on_dialog_finished)
        run_dialog(dialog)
        return dialog

    def _on_dialog_finished(self, _result: int) -> None:
        self.last_dialog = None


def child_name(context: AppContext) -> str | None:
    """The active child's name, or None when there is no active child."""
    from nbcompanion.record import queries

    child_id = context.active_child_id
    if child_id is None:
        return None
    try:
        row = queries.child(context.store, child_id)
    except RecordError:  # deleted meanwhile: show "no child", never crash
        return None
    return None if row is None else str(row["name"])


def first_value(row: dict[str, Any], *keys: str) -> Any:
    """The first non-empty value of ``keys`` in ``row``."""
    for key in keys:
        if row.get(key) not in (None, ""):
            return row[key]
    return None


class RecordPage(QWidget):
    """A page of the record that reloads when the tables it shows change.

    A hidden page only notes that it is out of date and reloads when it is next shown, so a
    save does not re-query every page of the window.
    """

    #: Tables whose changes this page shows ("" — many tables — always counts).
    watched: tuple[str, ...] = ()

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.opener = DialogOpener()
        self._stale = False
        context.record_changed.connect(self._on_context_record_changed)
        context.active_child_changed.connect(self._on_context_active_child_changed)
        context.store_replaced.connect(self._on_context_store_replaced)

    def add_header(self, layout: QVBoxLayout, title: str, subtitle: str = "",
                   buttons: tuple[QPushButton, ...] = ()) -> QHBoxLayout:
        """The page's title, its ``self.subtitle`` line and buttons on the right."""
        top = QHBoxLayout()
        titles = QVBoxLayout()
        titles.addWidget(heading(title))
        self.subtitle = muted(subtitle)
        titles.addWidget(self.subtitle)
        top.addLayout(titles, 1)
        for button in buttons:
            top.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)
        return top

    def add_content(self, layout: QVBoxLayout, content: QWidget) -> None:
        """``content``, swapped for ``self.empty`` (a kind sentence) while there is nothing."""
        self.empty = EmptyState()
        self.empty.action_clicked.connect(self._on_empty_action_clicked)
        self.stack = QStackedWidget()
        self.stack.addWidget(content)
        self.stack.addWidget(self.empty)
        layout.addWidget(self.stack, 1)

    def _on_empty_action_clicked(self) -> None:
        """The empty state's button (override)."""

    def refresh(self) -> None:
        """Reload everything shown (override)."""

    def refresh_soon(self) -> None:
        """Reload now if shown, else when next shown."""
        if self.isVisible():
            self._stale = False
            self.refresh()
        else:
            self._stale = True

    def about_to_show(self) -> None:
        """Called by the main window before the page is shown."""
        if self._stale:
            self._stale = False
            self.refresh()

    def showEvent(self, event: Any) -> None:
        """Catch up on changes made while hidden."""
        self.about_to_show()
        super().showEvent(event)

    def _on_context_record_changed(self, table: str) -> None:
        if not table or table in self.watched or table == "child":
            self.refresh_soon()

    def _on_context_active_child_changed(self, _child_id: object) -> None:
        self.refresh_soon()

    def _on_context_store_replaced(self) -> None:
        self.refresh_soon()


class TopicLink(QWidget):
    """Holds a "What is this?" link whose topic follows a choice (hidden when there is none)."""

    def __init__(self, context: AppContext, text: str = "What is this?",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.text = text
        self.link: QWidget | None = None
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    def set_topic(self, topic: str | None, text: str | None = None) -> None:
        """Point the link at ``topic`` (None hides it)."""
        from nbcompanion.ui.reflinks import ReferenceLink

        if self.link is not None:
            self._layout.removeWidget(self.link)
            self.link.hide()  # deleteLater waits for the event loop; never show two links
            self.link.deleteLater()
            self.link = None
        if topic:
            self.link = ReferenceLink(self.context, topic, text or self.text)
            self._layout.addWidget(self.link)


def set_row_visible(form: Any, field: QWidget, visible: bool) -> None:
    """Show or hide the form row that holds ``field`` (however deeply it sits in the row)."""
    from PySide6.QtWidgets import QFormLayout

    for row in range(form.rowCount()):
        item = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
        holder = item.widget() if item is not None else None
        if holder is not None and (holder is field or holder.isAncestorOf(field)):
            form.setRowVisible(row, visible)
            return


def finish_dialog(dialog: Any) -> None:
    """Last touches every record dialog needs once its fields are built.

    The "Discard draft" button shows only when a draft was restored (the button box shows
    every button it is given), and a field with a hint below it gets the full width, so the
    hint is not squeezed into a narrow column beside a short date field.
    """
    from PySide6.QtWidgets import QFormLayout, QSizePolicy

    if dialog.draft_note.isHidden():
        dialog.discard_button.hide()
    for field in dialog.fields.values():
        if isinstance(field, QLineEdit):
            field.setCursorPosition(0)  # show the start of a long saved text, not its end
    form = dialog.form
    for row in range(form.rowCount()):
        item = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
        holder = item.widget() if item is not None else None
        hints = [] if holder is None else [
            label for label in holder.findChildren(QLabel)
            if not label.objectName().startswith("error_") and not label.isHidden()]
        if holder is not None and hints:
            policy = holder.sizePolicy()
            policy.setHorizontalPolicy(QSizePolicy.Policy.Expanding)
            holder.setSizePolicy(policy)
