"""Visits: upcoming visits first, then past ones, newest first."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from nbcompanion.record import vocab
from nbcompanion.ui.context import AppContext
from nbcompanion.ui.forms import OptionalDateEdit
from nbcompanion.ui.record.common import (
    EntryTableView,
    RecordPage,
    child_name,
    muted,
    when_text,
)
from nbcompanion.ui.record.visit_dialog import VisitDialog
from nbcompanion.ui.tablelayout import fit_columns
from nbcompanion.ui.tablemodel import Column, LazyTableModel
from nbcompanion.ui.translate import tr
from nbcompanion.ui.undo import delete_with_undo


def now_minute() -> datetime:
    """Now, to the minute (visits are kept to the minute)."""
    return datetime.now().replace(second=0, microsecond=0)


def is_upcoming(row: dict[str, Any], now: datetime) -> bool:
    """True for a visit that has not started yet (the record layer says so when it can)."""
    if "upcoming" in row:
        return bool(row["upcoming"])
    return (row.get("starts_at") or "") >= now.isoformat(timespec="minutes")


class VisitsModel(LazyTableModel):
    """The visits table: upcoming visits in bold, marked "Upcoming" in the first column."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.now = now_minute()
        super().__init__(*args, **kwargs)

    def refresh(self) -> None:
        """Reload, and take "now" afresh so yesterday's upcoming visit moves down."""
        self.now = now_minute()
        super().refresh()

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Bold for upcoming visits; everything else as the base model."""
        if role == Qt.ItemDataRole.FontRole and index.isValid() and index.row() < self.rowCount():
            if is_upcoming(self.row_dict(index.row()), self.now):
                font = QFont()
                font.setBold(True)
                return font
            return None
        return super().data(index, role)


def visit_columns(model_now: Any) -> list[Column]:
    """The columns of the visits table; ``model_now()`` gives the model's "now"."""
    return [
        Column("upcoming", "", format=lambda r: tr("Upcoming") if is_upcoming(r, model_now())
               else ""),
        Column("starts_at", "When", format=lambda r: when_text(r.get("starts_at"))),
        Column("kind", "Kind", format=lambda r: vocab.label(vocab.VISIT_KINDS, r.get("kind"))),
        Column("clinician", "With"),
        Column("place", "Place"),
        Column("reason", "Reason"),
        Column("next_appointment", "Next appointment"),
    ]


class VisitsPage(RecordPage):
    """Upcoming visits first, then past ones; add, open, delete."""

    watched = ("visit", "question", "care_team_member")

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        layout = QVBoxLayout(self)
        self.add_button = QPushButton(tr("Add a visit…"))
        self.add_button.setToolTip("Ctrl+Shift+V")
        self.add_button.clicked.connect(self.add_visit)
        self.add_header(layout, tr("Visits"), buttons=(self.add_button,))

        self.filters = QWidget()
        bar = QHBoxLayout(self.filters)
        bar.setContentsMargins(0, 0, 0, 0)
        self.kind_filter = QComboBox()
        self.kind_filter.setAccessibleName(tr("Show which kind of visit"))
        self.kind_filter.addItem(tr("All kinds of visit"), None)
        for choice in vocab.VISIT_KINDS:
            self.kind_filter.addItem(choice.label, choice.key)
        self.text_filter = QLineEdit()
        self.text_filter.setPlaceholderText(tr("Search clinician, place, reason, notes…"))
        self.text_filter.setAccessibleName(tr("Search the visits"))
        self.text_filter.setClearButtonEnabled(True)
        self.from_filter = OptionalDateEdit(empty_text=tr("Any date"))
        self.from_filter.setAccessibleName(tr("From date"))
        self.to_filter = OptionalDateEdit(empty_text=tr("Any date"))
        self.to_filter.setAccessibleName(tr("To date"))
        for text, widget in ((tr("Show:"), self.kind_filter), (tr("From:"), self.from_filter),
                             (tr("to"), self.to_filter)):
            label = QLabel(text)
            label.setBuddy(widget)
            bar.addWidget(label)
            bar.addWidget(widget)
        bar.addWidget(self.text_filter, 1)
        layout.addWidget(self.filters)
        self.count_label = muted()
        layout.addWidget(self.count_label)

        self.model: VisitsModel = VisitsModel(visit_columns(lambda: self.model.now),
                                              self._fetch, self._count, parent=self)
        self.table = EntryTableView()
        self.table.setObjectName("visits_table")
        self.table.setAccessibleName(tr("Visits, upcoming first"))
        self.table.setModel(self.model)
        # The reason takes the spare width; the rest are as wide as what they hold.
        fit_columns(self.table, stretch=5, caps={2: 220, 3: 180, 4: 260, 6: 220},
                    give_way=(4, 6, 3, 2))
        self.table.entry_activated.connect(self.open_visit)
        self.table.delete_pressed.connect(self.delete_visit)
        self.add_content(layout, self.table)

        self._text_timer = QTimer(self)
        self._text_timer.setSingleShot(True)
        self._text_timer.setInterval(250)
        self._text_timer.timeout.connect(self.refresh)
        self.text_filter.textChanged.connect(self._text_timer.start)
        self.kind_filter.currentIndexChanged.connect(self.refresh)
        for edit in (self.from_filter, self.to_filter):
            edit.dateChanged.connect(self.refresh)
        self._update_states()

    def filters_now(self) -> dict[str, Any]:
        """The filters as keyword arguments of ``queries.list_visits``."""
        return {"kind": self.kind_filter.currentData(),
                "date_from": self.from_filter.value(), "date_to": self.to_filter.value(),
                "text": self.text_filter.text().strip() or None}

    def _fetch(self, offset: int, limit: int, _sort: str | None,
               _descending: bool) -> list[dict[str, Any]]:
        from nbcompanion.record import queries

        child_id = self.context.active_child_id
        if child_id is None:
            return []
        return queries.list_visits(self.context.store, child_id, upcoming_first=True,
                                   now=self.model.now if hasattr(self, "model") else now_minute(),
                                   limit=limit, offset=offset, **self.filters_now())

    def _count(self) -> int:
        from nbcompanion.record import queries

        child_id = self.context.active_child_id
        if child_id is None:
            return 0
        return int(queries.count_visits(self.context.store, child_id, **self.filters_now()))

    def refresh(self) -> None:
        """Reload the visits (the record, the active child or a filter changed)."""
        self._text_timer.stop()
        self.model.refresh()
        self._update_states()

    def _update_states(self) -> None:
        from nbcompanion.record import queries

        name = child_name(self.context)
        child_id = self.context.active_child_id
        self.add_button.setEnabled(name is not None)
        filtered = any(v is not None for v in self.filters_now().values())
        if name is None or child_id is None:
            self.filters.hide()
            self.subtitle.setText("")
            self.count_label.setText("")
            self.empty.set_content(tr("There is no child in the record yet. Add your child first; "
                                   "then their visits are kept here."), tr("Add your child…"))
            self.stack.setCurrentWidget(self.empty)
            return
        upcoming = queries.next_visit(self.context.store, child_id, self.model.now)
        if upcoming:
            kind = vocab.label(vocab.VISIT_KINDS, upcoming.get("kind"))
            when = when_text(upcoming.get("starts_at"))
            if upcoming.get("place"):
                self.subtitle.setText(tr("Next: {when} — {kind}, {place}").format(
                    when=when, kind=kind, place=upcoming["place"]))
            else:
                self.subtitle.setText(tr("Next: {when} — {kind}").format(when=when, kind=kind))
        else:
            self.subtitle.setText(
                tr("{name}’s appointments, clinic days and hospital stays").format(name=name))
        total = self.model.total
        self.filters.setVisible(total > 0 or filtered)
        if total == 0:
            self.count_label.setText("")
            if filtered:
                self.empty.set_content(tr("No visits match these filters."), tr("Show every visit"))
            else:
                self.empty.set_content(
                    tr("No visits recorded for {name} yet. Add the next appointment, so its "
                       "questions and what was decided have a place.").format(
                       name=name), tr("Add a visit…"))
            self.stack.setCurrentWidget(self.empty)
            return
        noun = "visit" if total == 1 else "visits"
        self.count_label.setText(tr("{total:,} {noun}, upcoming first").format(
                                    total=total, noun=noun))
        self.stack.setCurrentWidget(self.table)

    # -- actions -----------------------------------------------------------------------------
    @Slot()
    def _on_empty_action_clicked(self) -> None:
        if child_name(self.context) is None:
            from nbcompanion.ui.record.child import ChildDialog

            self.opener.show(ChildDialog(self.context, parent=self))
        elif any(v is not None for v in self.filters_now().values()):
            self.clear_filters()
        else:
            self.add_visit()

    @Slot()
    def clear_filters(self) -> None:
        """Show every visit again."""
        widgets = (self.kind_filter, self.from_filter, self.to_filter, self.text_filter)
        for widget in widgets:
            widget.blockSignals(True)
        self.kind_filter.setCurrentIndex(0)
        self.from_filter.set_value(None)
        self.to_filter.set_value(None)
        self.text_filter.clear()
        for widget in widgets:
            widget.blockSignals(False)
        self.refresh()

    @Slot()
    def add_visit(self) -> VisitDialog | None:
        """Open the dialog for a new visit."""
        if self.context.active_child_id is None:
            return None
        dialog = VisitDialog(self.context, parent=self)
        self.opener.show(dialog)
        return dialog

    @Slot(int)
    def open_visit(self, visit_id: int) -> VisitDialog:
        """Open a visit in its dialog."""
        dialog = VisitDialog(self.context, visit_id, parent=self)
        self.opener.show(dialog)
        return dialog

    @Slot(int)
    def delete_visit(self, visit_id: int) -> bool:
        """Ask, then delete a visit (its questions stay; Ctrl+Z brings it back)."""
        from nbcompanion.record import entries

        visit = entries.get(self.context.store, "visit", visit_id)
        kind = vocab.label(vocab.VISIT_KINDS, visit.get("kind"), "visit").lower()
        return delete_with_undo(self.context, self, "visit", visit_id,
                                f"the {kind} on {when_text(visit.get('starts_at'))}")

    def open_target(self, target: object) -> None:
        """Navigation: ``{"visit_id": id}`` selects that visit and opens it."""
        if not isinstance(target, dict) or target.get("visit_id") is None:
            return
        visit_id = int(target["visit_id"])
        # Select it when it is among the rows loaded (never load years of rows to find it).
        for row in range(self.model.rowCount()):
            if self.model.row_dict(row).get("id") == visit_id:
                self.table.selectRow(row)
                break
        self.open_visit(visit_id)
