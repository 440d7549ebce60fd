"""Date fields of the entry dialogs and filters, kind to the keyboard.

Qt's date edits move between day, month and year on Tab, and a date edit showing its
"special value" ("Not set", "Any date") keeps Tab for good: a keyboard trap. Here Tab always
moves to the next field (Left and Right move between day, month and year), and an empty
date starts from today when a key is pressed or the calendar opens, never from 1900.
"""

from __future__ import annotations

from PySide6.QtCore import QDate, QDateTime, QTime
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QAbstractSpinBox, QDateEdit, QDateTimeEdit, QWidget

from nbcompanion.ui.translate import tr

#: Keys that start an empty date field at today (then act on it as usual).
_STARTING_KEYS = frozenset(
    ["Up", "Down", "PageUp", "PageDown"] + [str(digit) for digit in range(10)])


def _key_name(event: QKeyEvent) -> str:
    from PySide6.QtGui import QKeySequence

    return QKeySequence(event.key()).toString()


class OptionalDateEdit(QDateEdit):
    """A date field that may be left empty: its lowest date stands for "not set".

    Delete or Backspace on an empty-looking selection clears it again.
    """

    EMPTY = QDate(1900, 1, 1)

    def __init__(self, parent: QWidget | None = None, *, empty_text: str | None = None) -> None:
        super().__init__(parent)
        empty_text = tr("Not set") if empty_text is None else empty_text
        self.setCalendarPopup(True)
        self.setDisplayFormat("d MMM yyyy")
        self.setMinimumDate(self.EMPTY)
        self.setSpecialValueText(empty_text)
        self.set_value(None)
        if not self.toolTip():
            self.setToolTip(tr("Type a date, or use the arrow keys; Delete leaves it empty"))

    def value(self) -> str | None:
        """ISO date or None."""
        date = self.date()
        return None if date == self.EMPTY else date.toString("yyyy-MM-dd")

    def set_value(self, value: str | None) -> None:
        """Show an ISO date, or "not set"."""
        date = QDate.fromString(value, "yyyy-MM-dd") if value else self.EMPTY
        self.setDate(date if date.isValid() else self.EMPTY)

    def is_empty(self) -> bool:
        """True while the field shows its "not set" text."""
        return self.date() == self.EMPTY

    def focusNextPrevChild(self, next: bool) -> bool:
        """Tab moves to the next field, even while "Not set" shows (no keyboard trap)."""
        return QAbstractSpinBox.focusNextPrevChild(self, next)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """An empty field starts at today on an arrow or a digit; Delete empties it."""
        name = _key_name(event)
        if self.is_empty() and name in _STARTING_KEYS:
            self.setDate(QDate.currentDate())
            self.setCurrentSectionIndex(0)
            if not name.isdigit():
                return  # the arrow only brings today in; a second press moves from it
            self.selectAll()
        elif name in ("Del", "Delete") and self.lineEdit().selectedText() == self.text():
            self.set_value(None)
            return
        super().keyPressEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        """The calendar of an empty field opens at this month, not January 1900."""
        if self.is_empty():
            self.calendarWidget().setCurrentPage(QDate.currentDate().year(),
                                                 QDate.currentDate().month())
        super().mousePressEvent(event)


class DateTimeEdit(QDateTimeEdit):
    """A date-and-time field stored as ISO "YYYY-MM-DDTHH:MM"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setDisplayFormat("d MMM yyyy  HH:mm")
        now = QDateTime.currentDateTime()
        self.setDateTime(QDateTime(now.date(), QTime(now.time().hour(), now.time().minute())))

    def value(self) -> str:
        """ISO date and time, to the minute."""
        return self.dateTime().toString("yyyy-MM-ddTHH:mm")

    def set_value(self, value: str | None) -> None:
        """Show an ISO date-time (seconds ignored)."""
        if value:
            parsed = QDateTime.fromString(value[:16], "yyyy-MM-ddTHH:mm")
            if parsed.isValid():
                self.setDateTime(parsed)

    def focusNextPrevChild(self, next: bool) -> bool:
        """Tab moves to the next field; Left and Right move between day, month and time."""
        return QAbstractSpinBox.focusNextPrevChild(self, next)
