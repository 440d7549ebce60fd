"""The care team: the people and places looking after the child, with how to reach them.

Phone numbers and e-mail addresses are shown as text to copy; the app makes no calls and
no network requests.
"""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt, Slot
from PySide6.QtGui import QDropEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from nbcompanion.i18n import N_
from nbcompanion.record import vocab
from nbcompanion.ui.context import AppContext
from nbcompanion.ui.daily.common import (
    EmptyState,
    RowsModel,
    heading,
    muted,
    no_child_text,
    table_view,
)
from nbcompanion.ui.forms import EntryDialog, choice_combo, run_dialog
from nbcompanion.ui.kit import Page
from nbcompanion.ui.reflinks import ReferenceLink
from nbcompanion.ui.tablemodel import ID_ROLE, ROW_ROLE, Column
from nbcompanion.ui.translate import tr
from nbcompanion.ui.undo import delete_with_undo


class CareTeamDialog(EntryDialog):
    """Add or edit one person or place of the care team."""

    table = "care_team_member"
    add_title = N_("Add care team member")
    edit_title = N_("Edit care team member")

    def build(self) -> None:
        """Role first (it is how families think of them), then name and contacts."""
        self.add_field("role", tr("&Role"),
                       choice_combo(vocab.CARE_ROLES, blank=tr("Choose a role…")))
        self.add_field("name", tr("&Name"), QLineEdit(), hint=tr("A person, or a place such as "
                       "“Day hospital, ward 5”."))
        self.add_field("phone", tr("&Phone"), QLineEdit())
        self.add_field("email", tr("&E-mail"), QLineEdit())
        self.add_field("hospital", tr("&Hospital or clinic"), QLineEdit())
        notes = QPlainTextEdit()
        notes.setTabChangesFocus(True)
        notes.setFixedHeight(70)
        self.add_field("notes", tr("N&otes"), notes,
                       hint=tr("E.g. best times to call, who to ask for."))


class TeamModel(RowsModel):
    """The team's rows, which can be dragged to another place in the list."""

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid():
            flags |= Qt.ItemFlag.ItemIsDragEnabled
        return flags | Qt.ItemFlag.ItemIsDropEnabled

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction


class CareTeamPage(Page):
    """The care team as a table, with a link to what the summary says about the team."""

    watched = ("care_team_member",)
    refreshes_while_hidden = True  # small lists, kept current as the record changes

    COLUMNS: ClassVar[list[Column]] = [
        Column("name", "Name"),
        Column("role", "Role", format=lambda r: vocab.label(vocab.CARE_ROLES, r.get("role"))),
        Column("phone", "Phone"),
        Column("email", "E-mail"),
        Column("hospital", "Hospital or clinic"),
        Column("notes", "Notes", format=lambda r: (r.get("notes") or "").replace("\n", " ")),
    ]

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        top = QHBoxLayout()
        top.addWidget(heading(tr("Care team")), 1)
        self.add_button = QPushButton(tr("Add someone…"))
        self.add_button.clicked.connect(self.add_member)
        top.addWidget(self.add_button)
        layout.addLayout(top)
        intro = QHBoxLayout()
        intro.addWidget(muted(tr("The people and places looking after your child, and how to "
                              "reach them. Drag a row to put the team in your own order; "
                              "the visit summary lists them the same way.")), 1)
        self.topic_link = ReferenceLink(context, vocab.CARE_TEAM_TOPIC,
                                        tr("Read about: the care team"))
        intro.addWidget(self.topic_link)
        layout.addLayout(intro)

        self.model = TeamModel(self.COLUMNS, self)
        self.view = table_view(self.model, "Care team")
        # The family's own order: drag a row, or Move up / Move down (Ctrl+Up, Ctrl+Down).
        self.view.setDragEnabled(True)
        self.view.setAcceptDrops(True)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.view.setDropIndicatorShown(True)
        self.view.viewport().installEventFilter(self)
        self.view.activated.connect(self._on_view_activated)
        self.view.doubleClicked.connect(self._on_view_activated)
        QShortcut(QKeySequence.StandardKey.Delete, self.view).activated.connect(
            self.delete_selected)
        table_page = QWidget()
        table_layout = QVBoxLayout(table_page)
        table_layout.setContentsMargins(0, 0, 0, 0)
        table_layout.addWidget(self.view, 1)
        actions = QHBoxLayout()
        self.edit_button = QPushButton(tr("Edit…"))
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button = QPushButton(tr("Delete…"))
        self.delete_button.clicked.connect(self.delete_selected)
        self.up_button = QPushButton(tr("Move &up"))
        self.up_button.setToolTip(tr("Earlier in the list, and in the visit summary (Ctrl+Up)"))
        self.up_button.clicked.connect(lambda: self.move_selected(-1))
        self.down_button = QPushButton(tr("Move do&wn"))
        self.down_button.setToolTip(tr("Later in the list, and in the visit summary (Ctrl+Down)"))
        self.down_button.clicked.connect(lambda: self.move_selected(1))
        QShortcut(QKeySequence("Ctrl+Up"), self.view).activated.connect(
            lambda: self.move_selected(-1))
        QShortcut(QKeySequence("Ctrl+Down"), self.view).activated.connect(
            lambda: self.move_selected(1))
        actions.addWidget(self.edit_button)
        actions.addWidget(self.delete_button)
        actions.addSpacing(12)
        actions.addWidget(self.up_button)
        actions.addWidget(self.down_button)
        actions.addStretch(1)
        table_layout.addLayout(actions)
        self.empty = EmptyState(tr("No one is listed yet. Add your child's doctors, nurses and "
                                "the hospital's numbers, so they are at hand when you need "
                                "them."), tr("Add the first person"))
        self.empty.button.clicked.connect(self.add_member)
        self.stack = QStackedWidget()
        self.stack.addWidget(table_page)
        self.stack.addWidget(self.empty)
        layout.addWidget(self.stack, 1)

        self.refresh()

    def refresh(self) -> None:
        """Reload the team of the active child."""
        child_id = self.context.active_child_id
        rows: list[dict[str, Any]] = []
        if child_id is not None:
            from nbcompanion.record import queries

            rows = [dict(r) for r in queries.list_team(self.context.store, child_id)]
        self.model.set_rows(rows)
        self.view.resizeColumnsToContents()
        self.add_button.setEnabled(child_id is not None)
        if rows:
            self.stack.setCurrentIndex(0)
        else:
            if child_id is None:
                self.empty.message.setText(no_child_text())
            self.empty.button.setVisible(child_id is not None)
            self.stack.setCurrentWidget(self.empty)

    def selected(self) -> dict[str, Any] | None:
        """The member under the cursor."""
        index = self.view.currentIndex()
        return self.model.data(index, ROW_ROLE) if index.isValid() else None

    @Slot()
    def add_member(self) -> CareTeamDialog | None:
        """Open the dialog for someone new."""
        if self.context.active_child_id is None:
            return None
        dialog = CareTeamDialog(self.context, None, self)
        run_dialog(dialog)
        return dialog

    @Slot()
    def edit_selected(self) -> CareTeamDialog | None:
        """Open the selected member."""
        row = self.selected()
        if row is None:
            return None
        dialog = CareTeamDialog(self.context, row["id"], self)
        run_dialog(dialog)
        return dialog

    @Slot()
    def delete_selected(self) -> bool:
        """Delete the selected member after asking (Ctrl+Z undoes)."""
        row = self.selected()
        if row is None:
            return False
        return delete_with_undo(self.context, self, "care_team_member", row["id"],
                                f"{row['name']} from the care team")

    def move_selected(self, steps: int) -> bool:
        """Move the selected member ``steps`` places (negative: up); keeps it selected."""
        row = self.selected()
        if row is None:
            return False
        from nbcompanion.record import writes
        from nbcompanion.record.errors import RecordError

        try:
            writes.move_team_member(self.context.store, int(row["id"]), steps)
        except RecordError as error:
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.warning(self, tr("Care team"), str(error))
            return False
        self.context.notify_changed("care_team_member")
        self.open_target({"entry_id": row["id"]})
        return True

    def drop_on_row(self, source: int, target: int) -> bool:
        """Move the member in row ``source`` to row ``target`` (a drag and drop)."""
        if source < 0 or source >= self.model.rowCount() or source == target:
            return False
        self.view.selectRow(source)
        target = self.model.rowCount() - 1 if target < 0 else target
        return self.move_selected(target - source)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """A row dropped on the table moves that member there, through the record."""
        if watched is self.view.viewport() and event.type() == QEvent.Type.Drop:
            drop = event if isinstance(event, QDropEvent) else None
            if drop is not None and drop.source() is self.view:
                source = self.view.currentIndex().row()
                target = self.view.rowAt(int(drop.position().y()))
                drop.setDropAction(Qt.DropAction.IgnoreAction)  # the view removes nothing
                drop.accept()
                self.drop_on_row(source, target)
                return True
        return super().eventFilter(watched, event)

    @Slot(QModelIndex)
    def _on_view_activated(self, index: QModelIndex) -> None:
        member_id = self.model.data(index, ID_ROLE)
        if member_id is not None:
            run_dialog(CareTeamDialog(self.context, member_id, self))

    def open_target(self, target: object) -> None:
        """Select the member ``{"entry_id": id}``."""
        if isinstance(target, dict):
            row = self.model.row_of_id(target.get("entry_id", -1))
            if row is not None:
                self.view.selectRow(row)
                self.view.setFocus()
