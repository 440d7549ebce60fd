"""Trends in unit families: a chart per family with its display unit, converted values marked.

Values typed in different units of one family (mg/L and µmol/L) are shown converted into the
child's display unit, marked, with what was typed on hover; families that cannot be compared
(mg/L and mg/g creatinine) get a chart each.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from nbcompanion.record.catalog import analyte_info
from nbcompanion.record.measures import UnitSeries
from nbcompanion.record.unit_factors import CATALOG_FACTORS
from nbcompanion.record.units import display
from nbcompanion.reports.chart import OUTSIDE_RANGE_TEXT
from nbcompanion.ui.daily.common import number_text
from nbcompanion.ui.theme import colours
from nbcompanion.ui.translate import tr


def outside(row: dict[str, Any]) -> bool:
    """True when the value lies outside the range the lab printed beside it."""
    value, low, high = row.get("value"), row.get("ref_low"), row.get("ref_high")
    if value is None:
        return False
    return (low is not None and value < low) or (high is not None and value > high)


#: Marks a value shown converted into the display unit (what was typed is on hover).
CONVERTED_MARK = " *"


def typed_text(row: dict[str, Any]) -> str:
    """"Typed as 30 µmol/L; shown converted to mg/L" for a converted value."""
    unit = display(row.get("typed_unit")) or row.get("typed_unit") or ""
    return (f"Typed as {number_text(row.get('typed_value'))} {unit}; shown converted to "
            f"{display(row.get('unit'))}").replace("  ", " ")


def note_text(row: dict[str, Any]) -> str:
    notes = [OUTSIDE_RANGE_TEXT] if outside(row) else []
    if row.get("converted"):
        notes.append("converted from " + (
            f"{number_text(row.get('typed_value'))} "
            f"{display(row.get('typed_unit')) or row.get('typed_unit') or ''}").strip())
    return "; ".join(notes)


class ChartPanel(QWidget):
    """One unit family's chart, with the unit its values are shown in.

    Signals:
        unit_chosen(str, str): the family and the unit code the family wants to see.
    """

    unit_chosen = Signal(str, str)

    def __init__(self, chart: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        header = QHBoxLayout()
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.caption.setStyleSheet(f"color: {colours().muted};")
        self.unit_combo = QComboBox()
        self.unit_combo.setAccessibleName(tr("Show the values in this unit"))
        self.unit_label = QLabel(tr("Show in:"))
        self.unit_label.setBuddy(self.unit_combo)
        header.addWidget(self.caption)
        header.addStretch(1)
        header.addWidget(self.unit_label)
        header.addWidget(self.unit_combo)
        layout.addLayout(header)
        self.chart = chart
        chart.setParent(self)
        layout.addWidget(self.chart, 1)
        self.family = ""
        self.unit_combo.activated.connect(self._on_unit_combo_activated)

    def set_group(self, title: str, group: UnitSeries | None, choices: list[str],
                  phases: list[Any]) -> None:
        """Show ``group`` (None: nothing) titled ``title``, offering ``choices`` as units."""
        rows = [r for r in group.rows if r.get("value") is not None] if group else []
        unit = group.unit if group else None
        self.family = group.key.removeprefix("family:") if group else ""
        unit_text = display(unit) or (unit or "")
        self.caption.setText("")  # the chart's own title names the analyte and the unit
        self.unit_combo.clear()
        for code in choices:
            self.unit_combo.addItem(display(code) or code, code)
        self.unit_combo.setCurrentIndex(max(self.unit_combo.findData(unit), 0))
        many = len(choices) > 1
        self.unit_combo.setVisible(many)
        self.unit_label.setVisible(many)
        self.chart.set_series(title, unit_text, rows, phases)

    @Slot(int)
    def _on_unit_combo_activated(self, index: int) -> None:
        code = self.unit_combo.itemData(index)
        if code:
            self.unit_chosen.emit(self.family, str(code))


def unit_choices(analyte: str, group: UnitSeries) -> list[str]:
    """The units a family's values can be shown in: the catalog's usual ones, then any used."""
    if not group.key.startswith("family:"):
        return [group.unit] if group.unit else []
    family = group.key.removeprefix("family:")
    info = analyte_info(analyte)
    found = [code for code in (info.units() if info else ())
             if CATALOG_FACTORS.get((analyte, code), ("",))[0] == family]
    for row in group.rows:
        for code in (row.get("typed_unit"), row.get("unit")):
            if code and code not in found:
                found.append(code)
    return found
