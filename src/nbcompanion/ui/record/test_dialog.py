"""The dialog for one test or result, and the small dialog that adds a test type."""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from PySide6.QtCore import QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from nbcompanion.i18n import N_
from nbcompanion.record import drafts, vocab
from nbcompanion.record.errors import RecordError, ValidationError
from nbcompanion.ui.context import AppContext
from nbcompanion.ui.forms import (
    ERROR_STYLE,
    EntryDialog,
    OptionalDateEdit,
    choice_combo,
    run_dialog,
)
from nbcompanion.ui.keyboard import order_plain_dialog
from nbcompanion.ui.number_fields import ConfirmUnusual, WhichNumber, number_text
from nbcompanion.ui.record.common import (
    finish_dialog,
    muted,
    team_combo,
)
from nbcompanion.ui.record.values_grid import OUTSIDE_TEXT, ValuesGrid
from nbcompanion.ui.reflinks import ReferenceLink
from nbcompanion.ui.translate import tr

__all__ = ["OUTSIDE_TEXT", "TestDialog", "TestTypeDialog"]

#: Where a draft keeps the values grid as typed (not a column: never saved as one).
VALUES_DRAFT_KEY = "values_typed"
_ROW_KEY = re.compile(r"^values\D*(\d+)")


class TestDialog(EntryDialog):
    """Add or edit one test: its type, date, status, who and where, values and written result."""

    __test__ = False  # not a pytest class, despite the name
    table = "test"
    add_title = N_("Add test or result")
    edit_title = N_("Edit test or result")

    def __init__(self, context: AppContext, entry_id: int | None = None,
                 parent: QWidget | None = None, defaults: dict[str, Any] | None = None) -> None:
        self._types: dict[int, dict[str, Any]] = {}
        self._status_touched = entry_id is not None
        if entry_id is None:
            defaults = {"date": date.today().isoformat(), "status": "result_received",
                        **(defaults or {})}
        self._loading = True
        super().__init__(context, entry_id, parent, defaults)
        self._loading = False
        self.setMinimumWidth(720)
        if entry_id is None:
            self._on_type_changed()  # an edited test built its grid while loading
        self.type_dialog: TestTypeDialog | None = None
        self._restore_values_draft()
        self._values_timer = QTimer(self)
        self._values_timer.setSingleShot(True)
        self._values_timer.setInterval(400)
        self._values_timer.timeout.connect(self.keep_draft)
        self.values_grid.edited.connect(self._values_timer.start)
        finish_dialog(self)

    def build(self) -> None:
        """The fields of a test, with the values grid built from the chosen type."""
        self.type_combo = QComboBox()
        self.type_combo.setObjectName("type_combo")
        self.add_type_button = QPushButton(tr("Add a test type…"))
        self.add_type_button.setToolTip(tr("For a test that is not in the list"))
        self.add_type_button.clicked.connect(self._on_add_type_button_clicked)
        self.type_link_holder = QHBoxLayout()
        extra = QWidget()
        line = QHBoxLayout(extra)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.add_type_button)
        line.addLayout(self.type_link_holder)
        self.type_link: ReferenceLink | None = None
        self.add_field("test_type_id", tr("&Test"), self.type_combo, extra=extra)
        self._fill_types()
        self.type_combo.currentIndexChanged.connect(self._on_type_changed)
        self.date = self.add_field("date", tr("&Date"), OptionalDateEdit())
        self.date.dateChanged.connect(self._on_date_changed)
        self.status = self.add_field("status", tr("&Status"),
                                     choice_combo(vocab.TEST_STATUSES, blank=None))
        self.status.activated.connect(self._on_status_activated)
        self.place = self.add_field("place", tr("&Place"), QLineEdit(),
                                    hint=tr("Hospital, clinic or lab."))
        self.member = self.add_field("care_team_member_id", tr("Care team &member"),
                                     team_combo(self.context, self.context.active_child_id))
        self.member.currentIndexChanged.connect(self._on_member_changed)
        self.clinician = self.add_field(
            "clinician", tr("&Clinician"), QLineEdit(),
            hint=tr("Who ordered or did the test, if not in the care team list."))
        self.values_grid = ValuesGrid()
        self.values_error = QLabel()
        self.values_error.setObjectName("error_values")
        self.values_error.setWordWrap(True)
        self.values_error.setStyleSheet(ERROR_STYLE)
        self.values_error.hide()
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.values_grid)
        column.addWidget(muted(tr("Copy each number and the lab’s own range from the report.")))
        column.addWidget(self.values_error)
        self.values_label = QLabel(tr("&Values"))
        self.values_label.setBuddy(self.values_grid)
        self.form.addRow(self.values_label, holder)
        self.error_labels["values"] = self.values_error
        result = QPlainTextEdit()
        result.setMinimumHeight(90)
        self.add_field("result_text", tr("Written &result"), result,
                       hint=tr("The report’s own words (for scans and pathology, the impression)."))
        notes = QPlainTextEdit()
        notes.setMinimumHeight(70)
        self.add_field("notes", tr("N&otes"), notes)

    # -- test types --------------------------------------------------------------------------
    def _fill_types(self, select: int | None = None) -> None:
        from nbcompanion.record import queries

        combo = self.type_combo
        current = select if select is not None else combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(tr("Choose a test…"), None)
        self._types = {}
        category = None
        for test_type in queries.test_types(self.context.store):
            self._types[int(test_type["id"])] = test_type
            if test_type["category"] != category:
                category = test_type["category"]
                combo.insertSeparator(combo.count())
            combo.addItem(tr(test_type["name"]), test_type["id"])
        combo.setCurrentIndex(max(combo.findData(current), 0))
        combo.blockSignals(False)

    def current_type(self) -> dict[str, Any] | None:
        """The chosen test type with its analytes."""
        type_id = self.type_combo.currentData()
        return None if type_id is None else self._types.get(int(type_id))

    @Slot()
    def _on_type_changed(self) -> None:
        test_type = self.current_type()
        analytes = list(test_type["analytes"]) if test_type else []
        kept: list[dict[str, Any]] = []
        if not self._loading:
            try:
                kept = self.values_grid.read()
            except ValidationError:
                kept = []
        self.values_grid.set_analytes(analytes)
        if kept:
            self.values_grid.load(kept)
        if self.type_link is not None:
            self.type_link.hide()
            self.type_link.deleteLater()
            self.type_link = None
        topic = test_type.get("topic") if test_type else None
        if topic:
            self.type_link = ReferenceLink(self.context, topic)
            self.type_link_holder.addWidget(self.type_link)

    @Slot()
    def _on_add_type_button_clicked(self) -> None:
        self.type_dialog = TestTypeDialog(self.context, self)
        self.type_dialog.saved.connect(self._on_type_dialog_saved)
        run_dialog(self.type_dialog)

    @Slot(int)
    def _on_type_dialog_saved(self, type_id: int) -> None:
        self._fill_types(select=type_id)
        self._on_type_changed()

    # -- small helps -------------------------------------------------------------------------
    @Slot()
    def _on_status_activated(self) -> None:
        self._status_touched = True

    @Slot()
    def _on_date_changed(self) -> None:
        # A date ahead is almost always a scheduled test; never override a status chosen by hand.
        if self._status_touched or self._loading:
            return
        day = self.date.value()
        status = "scheduled" if day and day > date.today().isoformat() else "result_received"
        self.status.setCurrentIndex(self.status.findData(status))

    @Slot()
    def _on_member_changed(self) -> None:
        if self.member.currentData() is not None and not self.clinician.text().strip():
            self.clinician.setText(self.member.currentText().split(" — ")[0])

    # -- drafts: numbers typed into the grid are kept like every other field ------------------
    def _raw_field_texts(self) -> dict[str, Any]:
        raw = super()._raw_field_texts()
        typed = self.values_grid.raw()
        if typed:
            raw[VALUES_DRAFT_KEY] = json.dumps(typed)  # text, so the base keeps the draft
        return raw

    def _restore_values_draft(self) -> None:
        key = self.draft_key
        draft = drafts.load_draft(self.context.store, key) if key is not None else None
        if not draft or not draft.get(VALUES_DRAFT_KEY):
            return
        try:
            rows = json.loads(draft[VALUES_DRAFT_KEY])
        except ValueError:
            return
        if isinstance(rows, list):
            self.values_grid.load_raw([r for r in rows if isinstance(r, dict)])

    def reject(self) -> None:
        """Closing keeps what was typed in the grid too."""
        if self._values_timer.isActive():
            self._values_timer.stop()
            self.keep_draft()
        super().reject()

    def done(self, result: int) -> None:
        """No draft is written after the dialog ended."""
        self._values_timer.stop()
        super().done(result)

    # -- values ------------------------------------------------------------------------------
    @Slot()
    def save(self) -> bool:
        """Ask about numbers that read two ways and values far outside anything measured,
        then save; nothing ambiguous or unconfirmed is ever saved silently."""
        for edit, label, error in self.values_grid.ambiguous():
            assert error.ambiguous is not None
            chosen = WhichNumber.ask(self, label, error.ambiguous)
            if chosen is None:
                edit.setFocus()
                return False
            edit.setText(number_text(chosen))
        unusual = self.values_grid.unusual()
        if unusual and not ConfirmUnusual.ask(self, [message for _, message in unusual]):
            self.clear_errors()
            for position, message in unusual:
                self.values_grid.show_row_error(position, message)
            return False
        return super().save()

    def extra_values(self) -> dict[str, Any]:
        """The values grid travels with the test as ``values``."""
        return {"values": self.values_grid.read()}

    def load_extra(self, entry: dict[str, Any]) -> None:
        """Fill the values grid from a saved test."""
        self._on_type_changed()
        self.values_grid.load(entry.get("values") or [])

    def show_errors(self, errors: dict[str, str]) -> None:
        """Messages about one value go under that value's row."""
        general: dict[str, str] = {}
        by_row: dict[int, str] = {}
        for name, message in errors.items():
            match = _ROW_KEY.match(name)
            if match:
                by_row[int(match.group(1))] = message
            else:
                general[name] = message
        super().show_errors(general)
        unplaced = [m for i, m in by_row.items() if not self.values_grid.show_row_error(i, m)]
        if unplaced:
            self.values_error.setText(" ".join(unplaced))
            self.values_error.show()
        elif by_row and "values" not in general:
            self.values_error.setText(tr("Please check the values marked above."))
            self.values_error.show()
        if by_row and not general:
            self.values_grid.setFocus()

    def clear_errors(self) -> None:
        """Hide every message, the values grid's too."""
        super().clear_errors()
        self.values_grid.clear_errors()


class TestTypeDialog(QDialog):
    """Adds a test type the catalog does not have, with the numbers it reports.

    Signals:
        saved(int): the new type's id.
    """

    __test__ = False
    saved = Signal(int)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle(tr("Add a test type"))
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        layout.addWidget(muted(tr("For a test that is not in the list. It will be offered for "
                               "every child from now on.")))
        form = QFormLayout()
        self.name = QLineEdit()
        self.category = choice_combo(vocab.TEST_CATEGORIES, blank=None)
        self.analytes = QPlainTextEdit()
        self.analytes.setPlaceholderText(tr("Vitamin D, ng/mL"))
        self.analytes.setFixedHeight(80)
        self.errors: dict[str, QLabel] = {}
        for key, label, widget, hint in (
                ("name", tr("&Name"), self.name, ""),
                ("category", tr("&Kind of test"), self.category, ""),
                ("analytes", tr("&Numbers it reports"), self.analytes,
                 tr("Optional. One per line, with the unit after a comma."))):
            holder = QWidget()
            column = QVBoxLayout(holder)
            column.setContentsMargins(0, 0, 0, 0)
            column.addWidget(widget)
            if hint:
                column.addWidget(muted(hint))
            error = QLabel()
            error.setObjectName(f"error_{key}")
            error.setStyleSheet(ERROR_STYLE)
            error.setWordWrap(True)
            error.hide()
            column.addWidget(error)
            self.errors[key] = error
            caption = QLabel(label)
            caption.setBuddy(widget)
            widget.setAccessibleName(label.replace("&", ""))
            form.addRow(caption, holder)
        layout.addLayout(form)
        self.banner = QLabel()
        self.banner.setStyleSheet(ERROR_STYLE)
        self.banner.setWordWrap(True)
        self.banner.hide()
        layout.addWidget(self.banner)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        order_plain_dialog(self, buttons)

    def analyte_list(self) -> list[tuple[str, str]]:
        """The typed lines as ``(name, unit)`` pairs (blank lines skipped)."""
        found = []
        for line in self.analytes.toPlainText().splitlines():
            name, _, unit = line.partition(",")
            if name.strip():
                found.append((name.strip(), unit.strip()))
        return found

    @Slot()
    def save(self) -> bool:
        """Add the type; messages beside the fields when something is not right."""
        from nbcompanion.record import writes

        for label in self.errors.values():
            label.hide()
        self.banner.hide()
        try:
            type_id = writes.add_test_type(self.context.store, self.name.text().strip(),
                                            self.category.currentData(), self.analyte_list())
        except ValidationError as error:
            for key, message in error.errors.items():
                found = self.errors.get(key.split(".")[0])
                if found is None:
                    self.banner.setText(message)
                    self.banner.show()
                else:
                    found.setText(message)
                    found.show()
            return False
        except RecordError as error:
            self.banner.setText(str(error))
            self.banner.show()
            return False
        self.context.notify_changed("test_type")
        self.saved.emit(int(type_id))
        self.accept()
        return True

