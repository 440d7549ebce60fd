"""Reading numbers as labs print them, and choosing units: never a silent guess.

A number is read with the system locale (QLocale) and with the two conventions labs print
in — decimal point with comma groups ("1,200.5") and decimal comma with point groups
("1.200,5"). When the readings agree, or only one is possible, that is the number. When
they differ ("1,200": 1200 or 1.2?) the unit may settle it (cells/µL are whole numbers);
otherwise the person is asked. NaN and infinity are refused.
"""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QAbstractButton, QComboBox, QMessageBox, QWidget

from nbcompanion.record import units
from nbcompanion.ui.translate import tr

_POINT = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
_COMMA = QLocale(QLocale.Language.German, QLocale.Country.Germany)


class NumberError(ValueError):
    """The text is not a number; the message is for the user."""


class AmbiguousNumber(NumberError):
    """The text reads as different numbers ("1,200"); ``readings`` lists them."""

    def __init__(self, text: str, readings: list[float]) -> None:
        self.text = text
        self.readings = readings
        choices = " or ".join(number_text(r) for r in readings)
        super().__init__(f"Did you mean {choices}? Please type the number without a "
                         "thousands separator, so it cannot be misread.")


def number_text(value: float) -> str:
    """A number written so that every convention reads it the same way (no separators)."""
    # 15 significant digits: what was typed comes back exactly (":g" kept only 6).
    return f"{value:.15g}"


def readings(text: str, locale: QLocale | None = None) -> list[float]:
    """The different numbers ``text`` can mean (empty when it is not a number at all)."""
    clean = text.strip()
    found: list[float] = []
    for reader in (locale or QLocale(), _POINT, _COMMA):
        value, ok = reader.toDouble(clean)
        if ok and value not in found:
            found.append(value)
    return found


def read_number(text: str, *, unit: str | None = None,
                locale: QLocale | None = None) -> float | None:
    """The number in ``text`` (None when empty); NumberError or AmbiguousNumber otherwise."""
    if not text.strip():
        return None
    found = readings(text, locale)
    if not found:
        raise NumberError("Please type a number, like 12.5.")
    if any(not math.isfinite(value) for value in found):
        raise NumberError("Please type an ordinary number, like 12.5.")
    if len(found) > 1 and units.is_whole_count(unit):
        # Counts per µL are whole cells: "1,200 cells/µL" can only be 1200.
        whole = [value for value in found if value == int(value)]
        if len(whole) == 1:
            return whole[0]
    if len(found) > 1:
        raise AmbiguousNumber(text.strip(), found)
    return found[0]


class WhichNumber:
    """Asks "Did you mean 1200 or 1.2?" (a class so tests can replace :meth:`ask`)."""

    @classmethod
    def ask(cls, parent: QWidget | None, label: str, error: AmbiguousNumber) -> float | None:
        """The reading chosen, or None when the person wants to look again."""
        box = QMessageBox(parent)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(tr("Which number?"))
        shown = " or ".join(number_text(r) for r in error.readings)
        box.setText(tr("“{text}” for {label} could be read two ways. Did you mean {shown}?").format(
                       text=error.text, label=label, shown=shown))
        box.setInformativeText(tr("Labs print numbers differently; please choose the one on "
                               "the report."))
        buttons: dict[QAbstractButton, Any] = {
            box.addButton(number_text(value), QMessageBox.ButtonRole.AcceptRole): value
            for value in error.readings}
        box.addButton(tr("Let me check"), QMessageBox.ButtonRole.RejectRole)
        box.exec()
        return buttons.get(box.clickedButton())


class ConfirmUnusual:
    """Asks to confirm values far outside anything measured (tests replace :meth:`ask`)."""

    @classmethod
    def ask(cls, parent: QWidget | None, messages: list[str]) -> bool:
        """True when the person confirms the values are as the report prints them."""
        box = QMessageBox(parent)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(tr("Please check this value"))
        box.setText("\n\n".join(messages))
        box.setInformativeText(tr("Save it exactly as typed only if the report says so."))
        keep = box.addButton(tr("Save as typed"), QMessageBox.ButtonRole.AcceptRole)
        check = box.addButton(tr("Let me check"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(check)
        box.exec()
        return box.clickedButton() is keep


class UnitEdit(QComboBox):
    """A unit picker: the analyte's usual units first, and any valid UCUM unit typed by hand.

    Shows friendly forms (10⁹/L, cells/µL); :meth:`code` gives the UCUM code to store. A unit
    kept as typed from an older record (one the app cannot read) is accepted unchanged.
    """

    def __init__(self, usual: tuple[str, ...] = (), current: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        line = self.lineEdit()
        if line is not None:
            line.setPlaceholderText(tr("unit"))
        for code in usual:
            self.addItem(units.display(code) or code, code)
        self.kept: str | None = None
        self._kept_code = ""
        self.set_code(current or (usual[0] if usual else None))

    def set_code(self, code: str | None) -> None:
        """Show ``code`` (added to the list when it is not one of the usual units)."""
        if not code:
            self.setCurrentIndex(-1)
            self.setEditText("")
            return
        index = self.findData(code)
        if index < 0:
            self.addItem(units.display(code) or code, code)
            index = self.count() - 1
        self.setCurrentIndex(index)
        self.setEditText(self.itemText(index))

    def keep_as_typed(self, saved: str) -> None:
        """Show a saved unit that is not in the list; it is kept as saved unless changed."""
        self.kept = units.display(saved) or saved
        self._kept_code = saved
        self.setCurrentIndex(-1)
        self.setEditText(self.kept)

    def code(self) -> str | None:
        """The UCUM code of the unit shown; UnitError with a message when it is not valid."""
        text = self.currentText().strip()
        if not text:
            return None
        if self.kept is not None and text == self.kept:
            return self._kept_code
        index = self.findText(text)
        if index >= 0 and self.itemData(index):
            return str(self.itemData(index))
        return units.parse_unit(text)

    def is_kept(self) -> bool:
        """True when the unit is an older record's, kept exactly as typed."""
        return self.kept is not None and self.currentText().strip() == self.kept
