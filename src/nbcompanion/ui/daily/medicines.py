"""Medicines: the child's medicines, today's doses with one-click Given/Skipped, and the dose log.

The dose log is the only source of truth about what was given: nothing here (nor the
reminders) ever marks a dose by itself.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any, ClassVar

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from nbcompanion.i18n import N_
from nbcompanion.record import vocab
from nbcompanion.record.errors import RecordError, ValidationError
from nbcompanion.ui.context import AppContext
from nbcompanion.ui.daily.common import (
    CARD_TITLE_STYLE,
    EmptyState,
    day_text,
    heading,
    no_child_text,
    time_text,
    when_text,
)
from nbcompanion.ui.daily.doses import (  # noqa: F401 (names the page's users know)
    STATUS_TEXT,
    LoggedDoseCommand,
    SkipReasonDialog,
    TodaysDoses,
    log_dose,
    minute_iso,
)
from nbcompanion.ui.forms import ERROR_STYLE, EntryDialog, OptionalDateEdit, run_dialog
from nbcompanion.ui.kit import Page
from nbcompanion.ui.reflinks import ReferenceLink
from nbcompanion.ui.tablemodel import ROW_ROLE, Column, LazyTableModel
from nbcompanion.ui.translate import tr
from nbcompanion.ui.undo import delete_with_undo

Clock = Callable[[], datetime]

class MedicineDialog(EntryDialog):
    """Add or edit one medicine."""

    table = "medicine"
    add_title = N_("Add medicine")
    edit_title = N_("Edit medicine")

    def build(self) -> None:
        """The medicine's fields, as written on the prescription."""
        self.name = self.add_field("name", tr("&Name"), QLineEdit())
        self.add_field("dose", tr("&Dose"), QLineEdit(), hint=tr("As prescribed, e.g. “40 mg” or "
                       "“5 mL”."))
        self.add_field("frequency", tr("How &often"), QLineEdit(), hint=tr("E.g. “twice a day”, "
                       "“every other week”."))
        self.add_field("dose_times", tr("Dose &times"), QLineEdit(),
                       hint=tr("The times of day, e.g. “08:00, 20:00”. Reminders use these "
                            "while the app is open."))
        self.add_field("start_date", tr("&Started"), OptionalDateEdit())
        self.add_field("stop_date", tr("St&opped"),
                       OptionalDateEdit(empty_text=tr("Still taking it")))
        self.add_field("purpose", tr("What it is &for"), QLineEdit())
        self.add_field("prescribed_by", tr("&Prescribed by"), QLineEdit())
        notes = QPlainTextEdit()
        notes.setTabChangesFocus(True)
        notes.setFixedHeight(70)
        self.add_field("notes", tr("No&tes"), notes)
        self.name.setFocus()
        self.resize(580, 640)


class MedicinesPage(Page):
    """The medicines list, one medicine's details and dose log, and today's doses."""

    watched = ("medicine", "dose_log")
    refreshes_while_hidden = True  # small lists, kept current as the record changes

    LOG_COLUMNS: ClassVar[list[Column]] = [
        Column("at", "When", format=lambda r: when_text(r.get("at"))),
        Column("status", "Given or skipped",
               format=lambda r: vocab.label(vocab.DOSE_STATUSES, r.get("status"))),
        Column("due_at", "Dose time", format=lambda r: time_text(r.get("due_at"))),
        Column("reason", "Reason"),
    ]

    def __init__(self, context: AppContext, parent: QWidget | None = None,
                 clock: Clock = datetime.now) -> None:
        super().__init__(context, parent)
        self.clock = clock
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        top = QHBoxLayout()
        top.addWidget(heading(tr("Medicines")), 1)
        self.add_button = QPushButton(tr("Add medicine…"))
        self.add_button.clicked.connect(self.add_medicine)
        top.addWidget(self.add_button)
        layout.addLayout(top)

        today_title = QLabel(tr("Today's doses"))
        today_title.setStyleSheet(CARD_TITLE_STYLE)
        layout.addWidget(today_title)
        self.today = TodaysDoses(context, self, clock=clock)
        self.today.setMaximumWidth(640)  # keep each dose's name near its buttons
        layout.addWidget(self.today)

        self.medicine_list = QListWidget()
        self.medicine_list.setAccessibleName(tr("Medicines"))
        self.medicine_list.setWordWrap(True)
        self.medicine_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.medicine_list.currentItemChanged.connect(self._on_medicine_list_changed)
        self.medicine_list.itemActivated.connect(self.edit_selected)
        details = QWidget()
        details_layout = QVBoxLayout(details)
        details_layout.setContentsMargins(8, 0, 0, 0)
        self.details_label = QLabel()
        self.details_label.setWordWrap(True)
        self.details_label.setTextFormat(Qt.TextFormat.RichText)
        self.details_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        details_layout.addWidget(self.details_label)
        self.topic_link = ReferenceLink(context, "", tr("Read about this medicine"))
        details_layout.addWidget(self.topic_link)
        row = QHBoxLayout()
        self.given_button = QPushButton(tr("Log a dose given now"))
        self.given_button.clicked.connect(lambda: self.log_selected("given"))
        self.skipped_button = QPushButton(tr("Log a skipped dose…"))
        self.skipped_button.clicked.connect(lambda: self.log_selected("skipped"))
        self.edit_button = QPushButton(tr("Edit…"))
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button = QPushButton(tr("Delete…"))
        self.delete_button.clicked.connect(self.delete_selected)
        for button in (self.given_button, self.skipped_button, self.edit_button,
                       self.delete_button):
            row.addWidget(button)
        row.addStretch(1)
        details_layout.addLayout(row)
        self.log_message = QLabel()
        self.log_message.setWordWrap(True)
        self.log_message.setStyleSheet(ERROR_STYLE)
        self.log_message.hide()
        details_layout.addWidget(self.log_message)
        log_title = QLabel(tr("Dose log"))
        log_title.setStyleSheet(CARD_TITLE_STYLE)
        details_layout.addWidget(log_title)
        self.log_model = LazyTableModel(self.LOG_COLUMNS, self._fetch_log, None, batch=200,
                                        parent=self)
        self.log_view = QTableView()
        self.log_view.setModel(self.log_model)
        self.log_view.setAccessibleName(tr("Dose log of the selected medicine, newest first"))
        self.log_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.log_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.log_view.verticalHeader().hide()
        self.log_view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.log_view.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.log_view.horizontalHeader().setStretchLastSection(True)
        details_layout.addWidget(self.log_view, 1)
        log_actions = QHBoxLayout()
        self.delete_log_button = QPushButton(tr("Delete this log entry…"))
        self.delete_log_button.clicked.connect(self.delete_selected_log)
        log_actions.addWidget(self.delete_log_button)
        log_actions.addStretch(1)
        details_layout.addLayout(log_actions)
        QShortcut(QKeySequence.StandardKey.Delete, self.log_view).activated.connect(
            self.delete_selected_log)

        splitter = QSplitter()
        splitter.addWidget(self.medicine_list)
        splitter.addWidget(details)
        splitter.setSizes([260, 700])
        self.empty = EmptyState(tr("No medicines yet. Add the medicines your child takes — with "
                                "their dose times, today's doses appear here and on Home."),
                                tr("Add the first medicine"))
        self.empty.button.clicked.connect(self.add_medicine)
        self.stack = QStackedWidget()
        self.stack.addWidget(splitter)
        self.stack.addWidget(self.empty)
        layout.addWidget(self.stack, 1)

        self.today.dose_logged.connect(self._on_today_dose_logged)
        self.refresh()

    # -- data -------------------------------------------------------------------------------
    def selected_medicine(self) -> dict[str, Any] | None:
        """The medicine selected in the list."""
        item = self.medicine_list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def _fetch_log(self, offset: int, limit: int, _sort: str | None,
                   _descending: bool) -> list[dict[str, Any]]:
        medicine = self.selected_medicine() if hasattr(self, "medicine_list") else None
        if medicine is None:
            return []
        from nbcompanion.record import queries

        rows = queries.list_doses(self.context.store, medicine["id"], limit=offset + limit)
        return list(rows)[offset:offset + limit]

    def refresh(self) -> None:
        """Reload medicines, keeping the selection."""
        keep = self.selected_medicine()
        self.medicine_list.blockSignals(True)
        self.medicine_list.clear()
        child_id = self.context.active_child_id
        medicines: list[dict[str, Any]] = []
        if child_id is not None:
            from nbcompanion.record import queries

            medicines = list(queries.list_medicines(self.context.store, child_id))
        today = self.clock().date()
        for medicine in medicines:
            stopped = _stopped(medicine, today)
            text = medicine["name"] + (f" — {medicine['dose']}" if medicine.get("dose") else "")
            if stopped:
                text += "  (stopped)"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, medicine)
            if stopped:
                item.setForeground(self.palette().placeholderText())
            self.medicine_list.addItem(item)
            if keep is not None and medicine["id"] == keep["id"]:
                self.medicine_list.setCurrentItem(item)
        if self.medicine_list.currentItem() is None and self.medicine_list.count():
            self.medicine_list.setCurrentRow(0)
        self.medicine_list.blockSignals(False)
        self.add_button.setEnabled(child_id is not None)
        if not medicines:
            self.empty.message.setText(
                tr("No medicines yet. Add the medicines your child takes — with their dose "
                "times, today's doses appear here and on Home.") if child_id is not None
                else no_child_text())
            self.empty.button.setVisible(child_id is not None)
            self.stack.setCurrentWidget(self.empty)
        else:
            self.stack.setCurrentIndex(0)
        self.today.refresh()
        self._show_selected()

    def _show_selected(self) -> None:
        medicine = self.selected_medicine()
        for button in (self.given_button, self.skipped_button, self.edit_button,
                       self.delete_button):
            button.setEnabled(medicine is not None)
        self.log_message.hide()
        if medicine is None:
            self.details_label.setText("")
        else:
            self.details_label.setText(medicine_details_html(medicine))
        choice = summary_choice(medicine["name"]) if medicine else None
        if choice is not None and choice.topic:
            self.topic_link.topic = choice.topic
            self.topic_link.setText(f'<a href="topic">Read about: {choice.label}</a>')
            self.topic_link.setToolTip(tr("Opens “{topic}” in the reference summary").format(
                                          topic=choice.topic))
            self.topic_link.show()
        else:
            self.topic_link.hide()
        self.log_model.refresh()

    @Slot()
    def _on_medicine_list_changed(self, *_args: Any) -> None:
        self._show_selected()

    @Slot(int)
    def _on_today_dose_logged(self, _log_id: int) -> None:
        self.log_model.refresh()

    # -- actions ----------------------------------------------------------------------------
    @Slot()
    def add_medicine(self) -> MedicineDialog | None:
        """Open the dialog for a new medicine."""
        if self.context.active_child_id is None:
            return None
        dialog = MedicineDialog(self.context, None, self)
        run_dialog(dialog)
        return dialog

    @Slot()
    def edit_selected(self, *_args: Any) -> MedicineDialog | None:
        """Open the selected medicine."""
        medicine = self.selected_medicine()
        if medicine is None:
            return None
        dialog = MedicineDialog(self.context, medicine["id"], self)
        run_dialog(dialog)
        return dialog

    @Slot()
    def delete_selected(self) -> bool:
        """Delete the selected medicine and its dose log, after asking (Ctrl+Z undoes)."""
        medicine = self.selected_medicine()
        if medicine is None:
            return False
        return delete_with_undo(self.context, self, "medicine", medicine["id"],
                                f"the medicine “{medicine['name']}” and its dose log")

    @Slot()
    def delete_selected_log(self) -> bool:
        """Delete the dose log entry under the cursor, after asking (Ctrl+Z undoes)."""
        index = self.log_view.currentIndex()
        row = self.log_model.data(index, ROW_ROLE) if index.isValid() else None
        if row is None:
            return False
        status = vocab.label(vocab.DOSE_STATUSES, row.get("status")).lower()
        return delete_with_undo(self.context, self, "dose_log", row["id"],
                                f"the dose log entry “{status}, {when_text(row.get('at'))}”")

    def log_selected(self, status: str) -> int | None:
        """Log a dose of the selected medicine as given (now) or skipped."""
        medicine = self.selected_medicine()
        if medicine is None:
            return None
        self.log_message.hide()
        try:
            return log_dose(self.context, self, medicine["id"], medicine["name"], status,
                            self.clock())
        except ValidationError as error:
            self.log_message.setText(" ".join(error.errors.values()) or str(error))
        except RecordError as error:
            self.log_message.setText(str(error))
        self.log_message.show()
        return None

    # -- navigation -------------------------------------------------------------------------
    def open_target(self, target: object) -> None:
        """Select the medicine ``{"entry_id": id}``."""
        if not isinstance(target, dict):
            return
        for row in range(self.medicine_list.count()):
            medicine = self.medicine_list.item(row).data(Qt.ItemDataRole.UserRole)
            if medicine["id"] == target.get("entry_id"):
                self.medicine_list.setCurrentRow(row)
                self.medicine_list.setFocus()

    def about_to_show(self) -> None:
        """Doses move from "later today" to "due" with time: refresh on every visit."""
        self.today.refresh()


def summary_choice(name: str) -> vocab.Choice | None:
    """The treatment the summary names that a medicine's name mentions (e.g. isotretinoin)."""
    lowered = name.casefold()
    return next((c for c in vocab.EVENT_KINDS if c.topic and c.key not in ("other",)
                 and c.label.casefold() in lowered), None)


def _stopped(medicine: dict[str, Any], today: date) -> bool:
    stop = medicine.get("stop_date")
    return bool(stop) and str(stop) < today.isoformat()


def medicine_details_html(medicine: dict[str, Any]) -> str:
    """The medicine's details as short labelled lines."""
    import html

    lines = [f"<span style='font-size: 13pt; font-weight: 600'>{html.escape(medicine['name'])}"
             "</span>"]
    for key, title in (("dose", tr("Dose")), ("frequency", tr("How often")),
                       ("dose_times", tr("Dose times")), ("purpose", tr("What it is for")),
                       ("prescribed_by", tr("Prescribed by"))):
        if medicine.get(key):
            lines.append(tr("<b>{title}:</b> {value}").format(
                title=html.escape(title), value=html.escape(str(medicine[key]))))
    dates = []
    if medicine.get("start_date"):
        dates.append(tr("started {day}").format(day=day_text(medicine["start_date"])))
    if medicine.get("stop_date"):
        dates.append(tr("stopped {day}").format(day=day_text(medicine["stop_date"])))
    if dates:
        lines.append(tr("<b>Dates:</b> {dates}").format(dates=", ".join(dates)))
    if medicine.get("notes"):
        lines.append(tr("<b>Notes:</b> {notes}").format(notes=html.escape(medicine["notes"])))
    return "<br>".join(lines)
