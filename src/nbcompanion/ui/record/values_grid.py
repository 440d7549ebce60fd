"""The values grid of a test: one row per number the lab reported, with the lab's range."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from nbcompanion.record import units
from nbcompanion.record.catalog import analyte_info
from nbcompanion.record.errors import ValidationError
from nbcompanion.record.units import UnitError
from nbcompanion.ui.forms import ERROR_STYLE, FieldError, NumberEdit
from nbcompanion.ui.number_fields import UnitEdit
from nbcompanion.ui.record.common import MUTED_STYLE, outside_range
from nbcompanion.ui.translate import tr

OUTSIDE_TEXT = "outside the lab’s range"


class ValueRow:
    """The widgets of one numeric result: name, value, unit and the lab's range."""

    def __init__(self, grid: QGridLayout, row: int, analyte: str | None, unit: str | None) -> None:
        self.fixed_name = analyte
        self._loading = False  # the unit library is being loaded for this row's check
        self.name = QLabel(tr(analyte)) if analyte else QLineEdit()
        if isinstance(self.name, QLineEdit):
            self.name.setPlaceholderText(tr("What was measured"))
            self.name.setAccessibleName(tr("What was measured"))
        self.value = NumberEdit(placeholder=tr("value"))
        info = analyte_info(analyte)
        usual = info.units() if info else ((unit,) if unit else ())
        self.unit = UnitEdit(usual, unit)
        self.unit.setMinimumWidth(150)
        self.unit.setToolTip(tr("The unit printed on the report. Pick one, or type it as the lab "
                             "prints it (for example mg/L, 10^9/L, cells/µL)."))
        self.low = NumberEdit(placeholder=tr("from"))
        self.high = NumberEdit(placeholder=tr("to"))
        for edit in (self.low, self.high):
            edit.setMaximumWidth(70)
        self.value.setMaximumWidth(90)
        label = analyte or "added value"
        self.value.setAccessibleName(tr("{label}: value").format(label=label))
        self.unit.setAccessibleName(tr("{label}: unit").format(label=label))
        self.low.setAccessibleName(tr("{label}: lab’s range from").format(label=label))
        self.high.setAccessibleName(tr("{label}: lab’s range to").format(label=label))
        self.note = QLabel()
        self.note.setStyleSheet(MUTED_STYLE + " font-style: italic;")
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.hide()
        for column, widget in enumerate((self.name, self.value, self.unit, self.low, self.high,
                                         self.note)):
            grid.addWidget(widget, row, column)
        grid.addWidget(self.error, row + 1, 0, 1, 6)
        for edit in (self.value, self.low, self.high):
            edit.textChanged.connect(self.update_note)
        unit_line = self.unit.lineEdit()
        if unit_line is not None:
            unit_line.editingFinished.connect(self.check_unit)

    def unit_code(self) -> str | None:
        """The unit's UCUM code; FieldError with a message beside the row when not valid."""
        try:
            return self.unit.code()
        except UnitError as error:
            raise FieldError(str(error)) from None

    @Slot()
    def check_unit(self) -> None:
        """Say at once when a typed unit is not one the app can read."""
        if units.needs_library(self.unit.currentText()) and not units.is_loaded():
            self._load_unit_library()
            return
        try:
            self.unit_code()
        except FieldError as error:
            self.error.setStyleSheet(ERROR_STYLE)
            self.error.setText(str(error))
            self.error.show()
            return
        self.error.hide()

    def _load_unit_library(self) -> None:
        """Load the unit library off the GUI thread (about 1.5 s, once), then check.

        The first unit typed by hand that the app's own list does not know needs it; the
        form stays usable meanwhile, and the check runs when the library is ready. (Saving
        before then waits for it.)
        """
        from shiboken6 import isValid

        from nbcompanion.ui.background import run_in_background

        self.error.setStyleSheet(MUTED_STYLE)
        self.error.setText(tr("Checking this unit…"))
        self.error.show()
        if self._loading:
            return
        self._loading = True

        def check(_outcome: object) -> None:
            self._loading = False
            if isValid(self.error) and isValid(self.unit):
                self.check_unit()

        run_in_background(None, lambda _progress: units.registry(), on_success=check,
                          on_failure=check)

    def analyte(self) -> str:
        """The name of what was measured."""
        if isinstance(self.name, QLineEdit):
            return self.name.text().strip()
        return self.name.text()

    def is_empty(self) -> bool:
        """Nothing typed in value or range (such a row is simply not saved)."""
        return not any(e.text().strip() for e in (self.value, self.low, self.high)) and (
            self.fixed_name is not None or not self.analyte())

    def read(self) -> dict[str, Any]:
        """The row as the record stores it; FieldError for unreadable numbers or units."""
        unit = self.unit_code()
        return {"analyte": self.analyte(), "value": self.value.value(unit),
                "unit": unit, "ref_low": self.low.value(unit),
                "ref_high": self.high.value(unit), "keep_unit": self.unit.is_kept()}

    def number_edits(self) -> tuple[NumberEdit, ...]:
        """The value and the lab's range."""
        return (self.value, self.low, self.high)

    def load(self, row: dict[str, Any]) -> None:
        """Show a saved result (its unit exactly as saved)."""
        self.value.set_value(row.get("value"))
        saved = row.get("unit")
        if saved and self.unit.findData(saved) >= 0:
            self.unit.set_code(saved)
        elif saved:
            self.unit.keep_as_typed(saved)
        self.low.set_value(row.get("ref_low"))
        self.high.set_value(row.get("ref_high"))
        if isinstance(self.name, QLineEdit):
            self.name.setText(row.get("analyte") or "")

    def raw(self) -> dict[str, str]:
        """The row exactly as typed (for a draft)."""
        return {"analyte": self.analyte(), "value": self.value.text(),
                "unit": self.unit.currentText(),
                "low": self.low.text(), "high": self.high.text()}

    def load_raw(self, raw: dict[str, Any]) -> None:
        """Show a row from a draft, as it was typed."""
        if isinstance(self.name, QLineEdit):
            self.name.setText(str(raw.get("analyte") or ""))
        for edit, key in ((self.value, "value"), (self.low, "low"), (self.high, "high")):
            edit.setText(str(raw.get(key) or ""))
        if raw.get("unit"):
            self.unit.setEditText(str(raw["unit"]))

    @Slot()
    def update_note(self) -> None:
        """Say "outside the lab's range" when it is; nothing more."""
        try:
            outside = outside_range(self.value.value(), self.low.value(), self.high.value())
        except (FieldError, UnitError):
            outside = False
        self.note.setText(OUTSIDE_TEXT if outside else "")


class ValuesGrid(QWidget):
    """The numeric results of a test, one row per analyte of its type (plus any added).

    Signals:
        edited(): something was typed in the grid.
    """

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("values_grid")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        holder = QWidget()
        self.grid = QGridLayout(holder)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(6)
        outer.addWidget(holder)
        self.add_button = QPushButton(tr("Add another value"))
        self.add_button.setToolTip(tr("For a number the lab reported that is not listed above"))
        self.add_button.clicked.connect(self._on_add_button_clicked)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addStretch(1)
        outer.addLayout(row)
        self.rows: list[ValueRow] = []
        self.set_analytes([])

    def set_analytes(self, analytes: list[dict[str, Any]]) -> None:
        """Start again with one empty row per analyte ``{name, unit}``."""
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                # Off the screen at once: deleteLater alone leaves it drawn until the loop runs.
                widget.hide()
                widget.setParent(None)
                widget.deleteLater()
        self.rows = []
        self.headers: list[QLabel] = []
        for column, title in enumerate(("", tr("Value"), tr("Unit"), tr("Lab’s range from"),
                                        tr("to"), "")):
            header = QLabel(title)
            header.setStyleSheet(MUTED_STYLE)
            self.grid.addWidget(header, 0, column)
            self.headers.append(header)
        for analyte in analytes:
            self.add_row(analyte["name"], analyte.get("unit"))
        self._show_headers()
        self.add_button.setText(tr("Add another value") if self.rows else tr("Add a value"))
        self.add_button.setToolTip(tr("For a number the lab reported that is not listed above")
                                   if self.rows else tr("If the report gives a number"))

    def _show_headers(self) -> None:
        # Column titles over no rows would read as a broken table.
        for header in self.headers:
            header.setVisible(bool(self.rows))

    def add_row(self, analyte: str | None = None, unit: str | None = None) -> ValueRow:
        """Add one row (a free row when ``analyte`` is None)."""
        row = ValueRow(self.grid, 1 + 2 * len(self.rows), analyte, unit)
        for edit in (row.value, row.low, row.high):
            edit.textChanged.connect(self.edited)
        row.unit.editTextChanged.connect(self.edited)
        if isinstance(row.name, QLineEdit):
            row.name.textChanged.connect(self.edited)
        self.rows.append(row)
        if len(self.rows) == 1 and getattr(self, "headers", None):
            self._show_headers()
        return row

    def raw(self) -> list[dict[str, str]]:
        """Every row with something typed, exactly as typed."""
        return [row.raw() for row in self.rows
                if any(v.strip() for k, v in row.raw().items() if k not in ("analyte", "unit"))
                or (row.fixed_name is None and row.analyte())]

    def load_raw(self, rows: list[dict[str, Any]]) -> None:
        """Show rows from a draft in their analyte's row (others in rows of their own)."""
        for raw in rows:
            row = next((r for r in self.rows if r.fixed_name == raw.get("analyte")), None)
            (row or self.add_row()).load_raw(raw)

    @Slot()
    def _on_add_button_clicked(self) -> None:
        self.add_row().name.setFocus()

    def load(self, values: list[dict[str, Any]]) -> None:
        """Show saved results, each in its analyte's row (unknown analytes get a new row)."""
        for saved in values:
            row = next((r for r in self.rows if r.fixed_name == saved.get("analyte")
                        and r.is_empty()), None)
            if row is None:
                row = self.add_row(saved.get("analyte"), saved.get("unit"))
            row.load(saved)

    def read(self) -> list[dict[str, Any]]:
        """The filled rows; ValidationError keyed ``values.N`` (N counts filled rows only)."""
        values, errors = [], {}
        self._sent = [index for index, row in enumerate(self.rows) if not row.is_empty()]
        for position, index in enumerate(self._sent):
            try:
                values.append(self.rows[index].read())
            except FieldError as error:
                errors[f"values.{position}"] = str(error)
        if errors:
            raise ValidationError(errors)
        return values

    def ambiguous(self) -> list[tuple[NumberEdit, str, FieldError]]:
        """Numbers typed that read two ways ("1,200"): (field, label, error) of each."""
        found = []
        for row in self.rows:
            if row.is_empty():
                continue
            try:
                unit = row.unit.code()
            except UnitError:
                unit = None
            for edit in row.number_edits():
                try:
                    edit.value(unit)
                except FieldError as error:
                    if error.ambiguous is not None:
                        found.append((edit, row.analyte() or "this value", error))
        return found

    def unusual(self) -> list[tuple[int, str]]:
        """(position, message) of values far outside anything measured (likely a slip)."""
        found = []
        self._sent = [index for index, row in enumerate(self.rows) if not row.is_empty()]
        for position, row in enumerate(r for r in self.rows if not r.is_empty()):
            try:
                read = row.read()
            except FieldError:
                continue
            if read["value"] is None:
                continue
            message = units.plausibility_message(read["analyte"], read["value"], read["unit"])
            if message:
                found.append((position, message))
        return found

    def show_row_error(self, position: int, message: str) -> bool:
        """Show ``message`` under the ``position``-th filled row; False when there is none."""
        sent = getattr(self, "_sent", [])
        if not 0 <= position < len(sent):
            return False
        row = self.rows[sent[position]]
        row.error.setText(message)
        row.error.show()
        return True

    def clear_errors(self) -> None:
        """Hide every row's message."""
        for row in self.rows:
            row.error.hide()
