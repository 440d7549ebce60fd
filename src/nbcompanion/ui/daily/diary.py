"""The diary: quick entries of what was seen, several a day, listed newest first.

Adding one takes Ctrl+D from anywhere and a few keys: the kind of symptom has the focus
(typing "f" picks Fever), Tab moves on, Enter saves. What is typed is kept as a draft.
"""

from __future__ import annotations

import contextlib
from typing import Any, ClassVar

from PySide6.QtCore import QDate, QEvent, QLocale, QModelIndex, QObject, Qt, Signal, Slot
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from nbcompanion.i18n import N_
from nbcompanion.record import vocab
from nbcompanion.record.errors import RecordError, ValidationError
from nbcompanion.record.units import CELSIUS, FAHRENHEIT
from nbcompanion.ui.context import AppContext
from nbcompanion.ui.daily.common import (
    OTHER,
    EmptyState,
    heading,
    muted,
    no_child_text,
    symptom_text,
    when_text,
)
from nbcompanion.ui.forms import (
    DateTimeEdit,
    EntryDialog,
    FieldError,
    NumberEdit,
    OptionalDateEdit,
    choice_combo,
    read_widget,
    run_dialog,
)
from nbcompanion.ui.kit import Page
from nbcompanion.ui.reflinks import ReferenceLink
from nbcompanion.ui.tablemodel import ID_ROLE, ROW_ROLE, Column, LazyTableModel
from nbcompanion.ui.translate import tr
from nbcompanion.ui.undo import delete_with_undo
from nbcompanion.wording import count_text

FEVER = "fever"
#: The record's setting holding the temperature scale the family chose (Cel or [degF]).
TEMPERATURE_UNIT_KEY = "temperature_unit"


class EnterSavesTextEdit(QPlainTextEdit):
    """Notes where Enter saves the entry and Shift+Enter starts a new line.

    Signals:
        submitted(): Enter was pressed.
    """

    submitted = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter submits; Shift+Enter inserts a line break."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not (
                event.modifiers() & Qt.KeyboardModifier.ShiftModifier):
            self.submitted.emit()
            return
        super().keyPressEvent(event)


class DiaryDialog(EntryDialog):
    """Add or edit one diary entry."""

    table = "diary_entry"
    add_title = N_("Add diary entry")
    edit_title = N_("Edit diary entry")

    def build(self) -> None:
        """Fields in the order a parent fills them; only what applies is shown."""
        self.at_edit = self.add_field("at", tr("&When"), DateTimeEdit())
        self.symptom_combo = choice_combo(vocab.SYMPTOMS, blank=tr("Choose what you saw…"))
        self.topic_link = ReferenceLink(self.context, vocab.SYMPTOMS[0].topic or "")
        self.add_field("symptom", tr("&What you saw"), self.symptom_combo,
                       hint=tr("Type the first letter to jump, e.g. F for Fever."),
                       extra=self.topic_link)
        self.other_edit = self.add_field("other_text", tr("Describe &it"), QLineEdit())
        # °C or °F, chosen once: the choice is remembered in the record for next time.
        self.temperature_unit = QComboBox()
        self.temperature_unit.setAccessibleName(tr("Temperature unit"))
        self.temperature_unit.addItem("°C", CELSIUS)
        self.temperature_unit.addItem("°F", FAHRENHEIT)
        self.temperature_unit.setCurrentIndex(
            self.temperature_unit.findData(self._preferred_temperature_unit()))
        self.temperature_unit.currentIndexChanged.connect(self._on_temperature_unit_changed)
        self.temperature_edit = self.add_field(
            "temperature", tr("&Temperature"), NumberEdit(placeholder="e.g. 38.4"),
            extra=self.temperature_unit)
        self.severity_combo = self.add_field(
            "severity", tr("&How strong"), choice_combo(vocab.SEVERITIES))
        self.notes_edit = EnterSavesTextEdit()
        self.notes_edit.setTabChangesFocus(True)
        self.notes_edit.setFixedHeight(70)
        self.notes_edit.submitted.connect(self.save)
        self.add_field("notes", tr("&Notes"), self.notes_edit,
                       hint=tr("Enter saves; Shift+Enter starts a new line."))
        self.symptom_combo.currentIndexChanged.connect(self._on_symptom_combo_changed)
        save = self.buttons.button(self.buttons.StandardButton.Save)
        save.setDefault(True)
        # The fast path first; the "Read about" link comes after the notes, not in between.
        self.tab_chain = [self.at_edit, self.symptom_combo, self.other_edit,
                          self.temperature_edit, self.severity_combo, self.notes_edit,
                          self.topic_link]
        self._on_symptom_combo_changed()
        self.symptom_combo.setFocus()
        # Keep the notes' hint right under the box rather than at the foot of the dialog.
        holder = self.notes_edit.parentWidget()
        if holder is not None:
            holder.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.resize(600, 440)

    def showEvent(self, event: Any) -> None:
        """The kind of symptom takes the first keys (the time defaults to now)."""
        super().showEvent(event)
        self.symptom_combo.setFocus()

    def _applies(self, name: str) -> bool:
        symptom = self.symptom_combo.currentData()
        if name == "other_text":
            return symptom == OTHER
        if name == "temperature":
            return symptom == FEVER
        return True

    @Slot()
    def _on_symptom_combo_changed(self) -> None:
        for name in ("other_text", "temperature"):
            holder = self.fields[name].parentWidget()
            if name == "temperature" and holder is not None:
                holder = holder.parentWidget()  # the field sits in a row with its unit
            if holder is not None:
                self.form.setRowVisible(holder, self._applies(name))
        choice = vocab.find(vocab.SYMPTOMS, self.symptom_combo.currentData())
        if choice is not None and choice.topic:
            self.topic_link.topic = choice.topic
            self.topic_link.setToolTip(tr("Opens “{topic}” in the reference summary").format(
                                          topic=choice.topic))
            self.topic_link.show()
        else:
            self.topic_link.hide()

    def values(self) -> dict[str, Any]:
        """Like the base, but a field that does not apply (hidden) is saved empty."""
        values: dict[str, Any] = {}
        errors: dict[str, str] = {}
        for name, widget in self.fields.items():
            if not self._applies(name):
                values[name] = None
                continue
            try:
                values[name] = read_widget(widget)
            except FieldError as error:
                errors[name] = str(error)
        if values.get("symptom") is None:
            errors.setdefault("symptom", "Please choose what you saw (or “Other” to describe it).")
        values["temperature_unit"] = (self.temperature_unit.currentData()
                                      if values.get("temperature") is not None else None)
        if errors:
            raise ValidationError(errors)
        return {**values, **self.fixed_values()}

    def _preferred_temperature_unit(self) -> str:
        chosen = self.context.store.get_setting(TEMPERATURE_UNIT_KEY)
        if chosen in (CELSIUS, FAHRENHEIT):
            return str(chosen)
        imperial = QLocale().measurementSystem() == QLocale.MeasurementSystem.ImperialUSSystem
        return FAHRENHEIT if imperial else CELSIUS

    def load_extra(self, entry: dict[str, Any]) -> None:
        """Show a saved temperature in the scale it was typed in."""
        unit = entry.get("temperature_unit")
        if entry.get("temperature") is None and entry.get("temperature_c") is not None:
            self.temperature_edit.set_value(entry["temperature_c"])
            unit = CELSIUS
        if unit in (CELSIUS, FAHRENHEIT):
            self.temperature_unit.blockSignals(True)
            self.temperature_unit.setCurrentIndex(self.temperature_unit.findData(unit))
            self.temperature_unit.blockSignals(False)

    @Slot()
    def _on_temperature_unit_changed(self) -> None:
        # Chosen once: remembered for every later entry (each entry keeps its own unit).
        with contextlib.suppress(RecordError):
            self.context.store.set_setting(TEMPERATURE_UNIT_KEY,
                                           self.temperature_unit.currentData())


def open_diary_dialog(context: AppContext, parent: QWidget | None,
                      entry_id: int | None = None) -> DiaryDialog | None:
    """Open the diary dialog window-modally (None when there is no child yet)."""
    if context.active_child_id is None:
        return None
    dialog = DiaryDialog(context, entry_id, parent)
    run_dialog(dialog)
    dialog.symptom_combo.setFocus()
    return dialog


class FilterDateEdit(OptionalDateEdit):
    """A "from"/"to" filter date whose calendar opens on this month while no day is chosen.

    (The empty value is stored as a day in 1900, where the calendar would otherwise open.)
    """

    def __init__(self, parent: QWidget | None = None, *, empty_text: str | None = None) -> None:
        super().__init__(parent, empty_text=tr("Any day") if empty_text is None else empty_text)
        # The popup around the calendar is shown after Qt has turned it to the field's day.
        self.calendarWidget().window().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Turn the calendar to today's month when it opens on an empty field."""
        if event.type() == QEvent.Type.Show and self.value() is None:
            today = QDate.currentDate()
            self.calendarWidget().setCurrentPage(today.year(), today.month())
        return super().eventFilter(watched, event)


class DiaryPage(Page):
    """Every diary entry, newest first, with filters by date range and kind."""

    watched = ("diary_entry",)
    refreshes_while_hidden = True  # small lists, kept current as the record changes

    COLUMNS: ClassVar[list[Column]] = [
        Column("at", "When", format=lambda r: when_text(r.get("at"))),
        Column("symptom", "What was seen", format=symptom_text),
        Column("severity", "How strong", format=lambda r: vocab.label(vocab.SEVERITIES,
                                                                      r.get("severity"))),
        Column("notes", "Notes", format=lambda r: (r.get("notes") or "").replace("\n", " ")),
    ]

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        top = QHBoxLayout()
        top.addWidget(heading(tr("Diary")), 1)
        self.add_button = QPushButton(tr("Add diary entry (Ctrl+D)"))
        self.add_button.clicked.connect(self.add_entry)
        top.addWidget(self.add_button)
        layout.addLayout(top)
        layout.addWidget(muted(tr("What you notice between visits — fevers, pain, tiredness, "
                               "side effects — with the time you noticed it.")))

        filters = QHBoxLayout()
        self.from_edit = FilterDateEdit()
        self.to_edit = FilterDateEdit()
        self.kind_combo = choice_combo(vocab.SYMPTOMS, blank=tr("All kinds"))
        for label_text, widget in ((tr("From"), self.from_edit), (tr("To"), self.to_edit),
                                   (tr("Kind"), self.kind_combo)):
            label = QLabel(label_text)
            label.setBuddy(widget)
            widget.setAccessibleName(tr("Show entries: {lower}").format(lower=label_text.lower()))
            filters.addWidget(label)
            filters.addWidget(widget)
        self.clear_filters_button = QPushButton(tr("Show all"))
        self.clear_filters_button.clicked.connect(self._on_clear_filters_clicked)
        filters.addWidget(self.clear_filters_button)
        filters.addStretch(1)
        self.count_label = QLabel()
        filters.addWidget(self.count_label)
        layout.addLayout(filters)
        self.from_edit.dateChanged.connect(self.refresh)
        self.to_edit.dateChanged.connect(self.refresh)
        self.kind_combo.currentIndexChanged.connect(self.refresh)

        self.model = LazyTableModel(self.COLUMNS, self._fetch, self._count, batch=200, parent=self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setAccessibleName(tr("Diary entries, newest first"))
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 12)
        # Widths from the font, not from every row: sizing to contents reads all rows.
        metrics = self.fontMetrics()
        header = self.view.horizontalHeader()
        header.setStretchLastSection(True)
        for column, sample in enumerate(("Wed 30 Sep 2026, 20:00  ",
                                         "Poor appetite or weight loss (38.5 °C)",
                                         "How strong  ")):
            header.resizeSection(column, metrics.horizontalAdvance(sample) + 16)
        self.view.doubleClicked.connect(self._on_view_double_clicked)
        self.view.activated.connect(self._on_view_double_clicked)
        self.view.selectionModel().currentRowChanged.connect(self._on_view_current_changed)
        delete_key = QShortcut(QKeySequence.StandardKey.Delete, self.view)
        delete_key.activated.connect(self.delete_selected)

        self.empty = EmptyState(tr("Nothing in the diary yet. When you notice something — a fever, "
                                "pain, tiredness — add it here; it takes a few seconds."),
                                tr("Add the first diary entry"))
        self.empty.button.clicked.connect(self.add_entry)
        self.stack = QStackedWidget()
        list_page = QWidget()
        list_layout = QVBoxLayout(list_page)
        list_layout.setContentsMargins(0, 0, 0, 0)
        list_layout.addWidget(self.view, 1)
        actions = QHBoxLayout()
        self.edit_button = QPushButton(tr("Edit…"))
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button = QPushButton(tr("Delete…"))
        self.delete_button.clicked.connect(self.delete_selected)
        self.topic_link = ReferenceLink(context, vocab.SYMPTOMS[0].topic or "",
                                        tr("Read about this in the summary"))
        actions.addWidget(self.edit_button)
        actions.addWidget(self.delete_button)
        actions.addStretch(1)
        actions.addWidget(self.topic_link)
        list_layout.addLayout(actions)
        self.stack.addWidget(list_page)
        self.stack.addWidget(self.empty)
        layout.addWidget(self.stack, 1)

        self.refresh()

    # -- data -------------------------------------------------------------------------------
    def _filters(self) -> dict[str, Any]:
        return {"date_from": self.from_edit.value(), "date_to": self.to_edit.value(),
                "symptom": self.kind_combo.currentData()}

    def _fetch(self, offset: int, limit: int, _sort: str | None,
               _descending: bool) -> list[dict[str, Any]]:
        child_id = self.context.active_child_id
        if child_id is None:
            return []
        from nbcompanion.record import queries

        return queries.list_diary(self.context.store, child_id, limit=limit, offset=offset,
                                  **self._filters())

    def _count(self) -> int:
        child_id = self.context.active_child_id
        if child_id is None:
            return 0
        from nbcompanion.record import queries

        return queries.count_diary(self.context.store, child_id, **self._filters())

    @Slot()
    def refresh(self) -> None:
        """Reload the list (after a change or a new filter)."""
        self.model.refresh()
        filtered = any(v is not None for v in self._filters().values())
        has_child = self.context.active_child_id is not None
        self.add_button.setEnabled(has_child)
        if self.model.total == 0 and not filtered:
            self.empty.message.setText(
                tr("Nothing in the diary yet. When you notice something — a fever, pain, "
                "tiredness — add it here; it takes a few seconds.") if has_child
                else no_child_text())
            self.empty.button.setVisible(has_child)
            self.stack.setCurrentWidget(self.empty)
        else:
            self.stack.setCurrentIndex(0)
        total = self.model.total
        if filtered:
            counted = count_text(total, N_("{count} entry shown"), N_("{count} entries shown"))
        else:
            counted = count_text(total, N_("{count} entry"), N_("{count} entries"))
        self.count_label.setText(counted)
        self._on_view_current_changed()

    @Slot()
    def _on_clear_filters_clicked(self) -> None:
        for widget in (self.from_edit, self.to_edit):
            widget.blockSignals(True)
            widget.set_value(None)
            widget.blockSignals(False)
        self.kind_combo.setCurrentIndex(0)
        self.refresh()

    # -- actions ----------------------------------------------------------------------------
    def selected_row(self) -> dict[str, Any] | None:
        """The entry under the cursor, if any."""
        index = self.view.currentIndex()
        return self.model.data(index, ROW_ROLE) if index.isValid() else None

    @Slot()
    def add_entry(self) -> DiaryDialog | None:
        """Open the dialog for a new entry."""
        return open_diary_dialog(self.context, self)

    @Slot()
    def edit_selected(self) -> DiaryDialog | None:
        """Open the selected entry."""
        row = self.selected_row()
        return open_diary_dialog(self.context, self, row["id"]) if row else None

    @Slot()
    def delete_selected(self) -> bool:
        """Delete the selected entry after asking (Ctrl+Z undoes)."""
        row = self.selected_row()
        if row is None:
            return False
        what = f"the diary entry “{symptom_text(row)}” of {when_text(row.get('at'))}"
        return delete_with_undo(self.context, self, "diary_entry", row["id"], what)

    @Slot(QModelIndex)
    def _on_view_double_clicked(self, index: QModelIndex) -> None:
        entry_id = self.model.data(index, ID_ROLE)
        if entry_id is not None:
            open_diary_dialog(self.context, self, entry_id)

    @Slot()
    def _on_view_current_changed(self, *_args: Any) -> None:
        row = self.selected_row()
        choice = vocab.find(vocab.SYMPTOMS, row.get("symptom")) if row else None
        self.edit_button.setEnabled(row is not None)
        self.delete_button.setEnabled(row is not None)
        if choice is not None and choice.topic:
            self.topic_link.topic = choice.topic
            self.topic_link.setText(f'<a href="topic">Read about: {choice.label}</a>')
            self.topic_link.show()
        else:
            self.topic_link.hide()

    # -- navigation -------------------------------------------------------------------------
    def open_target(self, target: object) -> None:
        """Select the entry ``{"entry_id": id}`` (clearing filters that would hide it)."""
        if not isinstance(target, dict) or "entry_id" not in target:
            return
        row = self.model.row_of_id(target["entry_id"])
        if row is None:
            self._on_clear_filters_clicked()
            row = self.model.row_of_id(target["entry_id"])
        if row is not None:
            self.view.selectRow(row)
            self.view.scrollTo(self.model.index(row, 0))
            self.view.setFocus()

    def set_date_range(self, date_from: QDate | None, date_to: QDate | None) -> None:
        """Show only entries between two days (None for open-ended)."""
        self.from_edit.setDate(date_from or OptionalDateEdit.EMPTY)
        self.to_edit.setDate(date_to or OptionalDateEdit.EMPTY)
