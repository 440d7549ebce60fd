"""Treatment: the phases of the active child's treatment with the events logged in each."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from nbcompanion.record import vocab
from nbcompanion.ui.context import AppContext
from nbcompanion.ui.record.common import (
    RecordPage,
    TopicLink,
    child_name,
    day_text,
)
from nbcompanion.ui.record.treatment_dialogs import (
    EventDialog,
    PhaseDialog,
    event_title,
    phase_title,
)
from nbcompanion.ui.tablelayout import fit_columns
from nbcompanion.ui.translate import tr
from nbcompanion.ui.undo import delete_with_undo

ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1
"""(table, id) of a tree item."""


class EntryTree(QTreeWidget):
    """Phases with their events: Enter opens, Delete asks to delete.

    Signals:
        entry_activated(str, int): open (table, id).
        delete_pressed(str, int): delete (table, id).
    """

    entry_activated = Signal(str, int)
    delete_pressed = Signal(str, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHeaderLabels([tr("Phase or event"), tr("Dates"), tr("Status")])
        self.setAlternatingRowColors(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.itemDoubleClicked.connect(self._on_self_item_double_clicked)

    def current_entry(self) -> tuple[str, int] | None:
        """(table, id) of the selected item, if it is an entry."""
        item = self.currentItem()
        return None if item is None else item.data(0, ENTRY_ROLE)

    def _on_self_item_double_clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        entry = item.data(0, ENTRY_ROLE)
        if entry:
            self.entry_activated.emit(*entry)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter opens the selected entry; Delete asks to delete it."""
        entry = self.current_entry()
        if entry and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.entry_activated.emit(*entry)
            return
        if entry and event.key() == Qt.Key.Key_Delete:
            self.delete_pressed.emit(*entry)
            return
        super().keyPressEvent(event)


def _dates(phase: dict[str, Any]) -> str:
    start = day_text(phase.get("start_date"))
    if phase.get("actual_end"):
        return f"{start} – {day_text(phase['actual_end'])}"
    if phase.get("planned_end"):
        return f"{start} – planned {day_text(phase['planned_end'])}"
    return tr("from {start}").format(start=start)


class TreatmentPage(RecordPage):
    """Phases and events as a tree, the selected one's details and its reference link."""

    watched = ("phase", "treatment_event")

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self._entries: dict[tuple[str, int], dict[str, Any]] = {}
        layout = QVBoxLayout(self)
        self.add_phase_button = QPushButton(tr("Add a phase…"))
        self.add_phase_button.clicked.connect(self.add_phase)
        self.add_event_button = QPushButton(tr("Add a treatment event…"))
        self.add_event_button.setToolTip(tr("A chemotherapy cycle, surgery, radiation, a trial, …"))
        self.add_event_button.clicked.connect(self.add_event)
        self.add_header(layout, tr("Treatment"),
                        buttons=(self.add_phase_button, self.add_event_button))

        self.tree = EntryTree()
        self.tree.setStyleSheet("QTreeView::item { padding: 3px 0; }")
        self.tree.setObjectName("treatment_tree")
        self.tree.setAccessibleName(tr("Treatment phases and events"))
        self.tree.entry_activated.connect(self.open_entry)
        self.tree.delete_pressed.connect(self.delete_entry)
        self.tree.currentItemChanged.connect(self._on_tree_current_item_changed)
        # Dates and status as wide as they are; names take the rest, never cut beside a gap.
        self._columns = fit_columns(self.tree, stretch=0, caps={1: 260, 2: 140},
                                    give_way=(1,), stretch_min=300)

        self.details = QWidget()
        side = QVBoxLayout(self.details)
        self.detail_title = QLabel()
        self.detail_title.setStyleSheet("font-weight: 600; font-size: 12pt;")
        self.detail_title.setWordWrap(True)
        side.addWidget(self.detail_title)
        self.detail_text = QLabel()
        self.detail_text.setWordWrap(True)
        self.detail_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        side.addWidget(self.detail_text)
        self.detail_link = TopicLink(context)
        side.addWidget(self.detail_link)
        buttons = QHBoxLayout()
        self.edit_button = QPushButton(tr("Edit…"))
        self.edit_button.clicked.connect(self._on_edit_button_clicked)
        self.delete_button = QPushButton(tr("Delete…"))
        self.delete_button.clicked.connect(self._on_delete_button_clicked)
        self.add_here_button = QPushButton(tr("Add an event to this phase…"))
        self.add_here_button.clicked.connect(self._on_add_here_button_clicked)
        for button in (self.edit_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        side.addLayout(buttons)
        side.addWidget(self.add_here_button, 0, Qt.AlignmentFlag.AlignLeft)
        side.addStretch(1)

        self.details.setMinimumWidth(260)
        self.details.setMaximumWidth(420)  # the tree keeps the room; long titles wrap here
        splitter = QSplitter()
        splitter.addWidget(self.tree)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        self.add_content(layout, splitter)
        self.refresh()

    # -- loading -----------------------------------------------------------------------------
    def refresh(self) -> None:
        """Reload phases and events of the active child."""
        from nbcompanion.record import queries

        selected = self.tree.current_entry()
        self.tree.clear()
        self._entries = {}
        name = child_name(self.context)
        child_id = self.context.active_child_id
        self.add_phase_button.setEnabled(name is not None)
        self.add_event_button.setEnabled(name is not None)
        if name is None or child_id is None:
            self.subtitle.setText("")
            self.empty.set_content(tr("There is no child in the record yet. Add your child "
                                   "first; then their treatment is kept here."),
                                   tr("Add your child…"))
            self.stack.setCurrentWidget(self.empty)
            return
        phases = queries.list_phases(self.context.store, child_id)
        events = queries.list_events(self.context.store, child_id)
        if not phases and not events:
            self.subtitle.setText(tr("{name}’s treatment phases and what was given in each").format(
                                     name=name))
            self.empty.set_content(
                tr("Nothing about {name}’s treatment is recorded yet. Start with the phase "
                   "under way (for example Induction, or Observation), then log each cycle, "
                   "surgery or other treatment inside it.").format(name=name), tr("Add a phase…"))
            self.stack.setCurrentWidget(self.empty)
            return
        self._fill_tree(phases, events)
        self._columns.fit()
        self.subtitle.setText(self._now_text(child_id) or
                              tr("{name}’s treatment phases and what was given in each").format(
                                 name=name))
        self.stack.setCurrentIndex(0)
        if selected is None or not self.select_entry(*selected):
            current = queries.current_phase(self.context.store, child_id, date.today())
            first = self.tree.topLevelItem(0)
            if (current is None or not self.select_entry("phase", int(current["id"]))) and first:
                self.tree.setCurrentItem(first)

    def _fill_tree(self, phases: list[dict[str, Any]], events: list[dict[str, Any]]) -> None:
        items: dict[int, QTreeWidgetItem] = {}
        for phase in phases:
            item = QTreeWidgetItem([vocab.label(vocab.PHASE_KINDS, phase.get("kind")),
                                    _dates(phase),
                                    vocab.label(vocab.PHASE_STATUSES, phase.get("status"))])
            font = item.font(0)
            font.setBold(True)
            item.setFont(0, font)
            item.setData(0, ENTRY_ROLE, ("phase", int(phase["id"])))
            self._entries[("phase", int(phase["id"]))] = phase
            self.tree.addTopLevelItem(item)
            items[int(phase["id"])] = item
        loose: QTreeWidgetItem | None = None
        for event in events:
            parent = items.get(event.get("phase_id") or -1)
            if parent is None:
                if loose is None:
                    loose = QTreeWidgetItem(["Not part of a phase", "", ""])
                    self.tree.addTopLevelItem(loose)
                parent = loose
            child = QTreeWidgetItem([event_title(event), day_text(event.get("date")), ""])
            child.setToolTip(0, event_title(event))
            child.setData(0, ENTRY_ROLE, ("treatment_event", int(event["id"])))
            self._entries[("treatment_event", int(event["id"]))] = event
            parent.addChild(child)
        self.tree.expandAll()

    def _now_text(self, child_id: int) -> str:
        from nbcompanion.record import queries

        phase = queries.current_phase(self.context.store, child_id, date.today())
        if not phase:
            return ""
        name = vocab.label(vocab.PHASE_KINDS, phase.get("kind"))
        day, planned = phase.get("day_number"), phase.get("planned_days")
        if day and planned and day <= planned:
            text = tr("Now: {phase}, day {day} of {planned}")
        elif day and planned:
            text = tr("Now: {phase}, day {day} ({planned} days were planned)")
        elif day:
            text = tr("Now: {phase}, day {day}")
        else:
            text = tr("Now: {phase}")
        return text.format(phase=name, day=day, planned=planned)

    def select_entry(self, table: str, entry_id: int) -> bool:
        """Select the tree item of (table, id)."""
        for item in self._all_items():
            if item.data(0, ENTRY_ROLE) == (table, entry_id):
                self.tree.setCurrentItem(item)
                return True
        return False

    def _all_items(self) -> list[QTreeWidgetItem]:
        found: list[QTreeWidgetItem] = []
        for index in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(index)
            if top is None:
                continue
            found.append(top)
            found.extend(child for i in range(top.childCount())
                         if (child := top.child(i)) is not None)
        return found

    # -- details -----------------------------------------------------------------------------
    @Slot(QTreeWidgetItem, QTreeWidgetItem)
    def _on_tree_current_item_changed(self, current: QTreeWidgetItem | None,
                                      _previous: QTreeWidgetItem | None) -> None:
        entry: Any = current.data(0, ENTRY_ROLE) if current is not None else None
        row = self._entries.get(tuple(entry)) if entry else None
        has_entry = row is not None
        self.edit_button.setEnabled(has_entry)
        self.delete_button.setEnabled(has_entry)
        self.add_here_button.setVisible(bool(entry) and entry[0] == "phase")
        if row is None or not entry:
            self.detail_title.setText(tr("Events not part of a phase") if current else "")
            self.detail_text.setText("")
            self.detail_link.set_topic(None)
            return
        if entry[0] == "phase":
            choice = vocab.find(vocab.PHASE_KINDS, row.get("kind"))
            lines = [_dates(row), vocab.label(vocab.PHASE_STATUSES, row.get("status"))]
            self.detail_title.setText(phase_title(row))
        else:
            choice = vocab.find(vocab.EVENT_KINDS, row.get("kind"))
            lines = [day_text(row.get("date"), weekday=True)]
            if row.get("place"):
                lines.append(f"Place: {row['place']}")
            self.detail_title.setText(event_title(row))
        if row.get("notes"):
            lines.append(f"Notes: {row['notes']}")
        self.detail_text.setText("\n".join(line for line in lines if line))
        self.detail_link.set_topic(choice.topic if choice else None,
                                   tr("Read about: {topic}").format(topic=choice.label) if choice
                                   else None)

    # -- actions -----------------------------------------------------------------------------
    @Slot()
    def add_phase(self) -> PhaseDialog | None:
        """Open the dialog for a new phase."""
        if self.context.active_child_id is None:
            return None
        dialog = PhaseDialog(self.context, parent=self)
        self.opener.show(dialog)
        return dialog

    @Slot()
    def add_event(self, phase_id: int | None = None) -> EventDialog | None:
        """Open the dialog for a new event (in ``phase_id``, or the current phase)."""
        if self.context.active_child_id is None:
            return None
        defaults = {"phase_id": phase_id} if phase_id is not None else None
        dialog = EventDialog(self.context, parent=self, defaults=defaults)
        self.opener.show(dialog)
        return dialog

    @Slot(str, int)
    def open_entry(self, table: str, entry_id: int) -> PhaseDialog | EventDialog:
        """Open a phase or an event in its dialog."""
        cls = PhaseDialog if table == "phase" else EventDialog
        dialog = cls(self.context, entry_id, parent=self)
        self.opener.show(dialog)
        return dialog

    @Slot(str, int)
    def delete_entry(self, table: str, entry_id: int) -> bool:
        """Ask, then delete a phase (its events stay, outside any phase) or an event."""
        row = self._entries.get((table, entry_id), {})
        if table == "phase":
            what = f"the phase {phase_title(row)} (its events are kept, outside any phase)"
        else:
            what = f"{event_title(row)} on {day_text(row.get('date'))}"
        return delete_with_undo(self.context, self, table, entry_id, what)

    @Slot()
    def _on_edit_button_clicked(self) -> None:
        entry = self.tree.current_entry()
        if entry:
            self.open_entry(*entry)

    @Slot()
    def _on_delete_button_clicked(self) -> None:
        entry = self.tree.current_entry()
        if entry:
            self.delete_entry(*entry)

    @Slot()
    def _on_add_here_button_clicked(self) -> None:
        entry = self.tree.current_entry()
        if entry and entry[0] == "phase":
            self.add_event(entry[1])

    @Slot()
    def _on_empty_action_clicked(self) -> None:
        if child_name(self.context) is None:
            from nbcompanion.ui.record.child import ChildDialog

            self.opener.show(ChildDialog(self.context, parent=self))
        else:
            self.add_phase()

    def open_target(self, target: object) -> None:
        """Navigation: ``{"phase_id": id}`` or ``{"event_id": id}`` selects that entry."""
        if not isinstance(target, dict):
            return
        if target.get("phase_id") is not None:
            self.refresh()
            self.select_entry("phase", int(target["phase_id"]))
        elif target.get("event_id") is not None:
            self.refresh()
            self.select_entry("treatment_event", int(target["event_id"]))
