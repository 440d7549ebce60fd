"""Dose reminders while the app is open: a quiet bar at the top of the window at dose time.

The dose log is the only source of truth: the reminder reads today's doses from the record
(every 30 seconds and whenever the log changes) and never marks anything itself. A dose
stops being announced as soon as it is logged — from the bar, Home or the Medicines page.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QWidget,
)

from nbcompanion.record.errors import RecordError
from nbcompanion.ui.context import AppContext
from nbcompanion.ui.daily.common import time_text
from nbcompanion.ui.theme import colours
from nbcompanion.ui.translate import tr

Clock = Callable[[], datetime]
DoseKey = tuple[int, str]


def dose_key(dose: dict[str, Any]) -> DoseKey:
    """What identifies one planned dose: its medicine and its time."""
    return int(dose["medicine_id"]), str(dose.get("due_at") or "")


class DoseReminder(QObject):
    """Watches today's doses of the active child and reports those due now.

    Signals:
        pending_changed(object): the list of due, unlogged, undismissed doses (dicts).
        doses_came_due(object): doses that have just become due (announce these once).
    """

    pending_changed = Signal(object)
    doses_came_due = Signal(object)

    def __init__(self, context: AppContext, clock: Clock = datetime.now,
                 interval_ms: int = 30_000, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.clock = clock
        self.pending: list[dict[str, Any]] = []
        self._announced: set[DoseKey] = set()
        self._dismissed: set[DoseKey] = set()
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.check)
        context.record_changed.connect(self._on_context_record_changed)
        context.active_child_changed.connect(self._on_context_active_child_changed)
        context.store_replaced.connect(self._on_context_active_child_changed)

    def start(self) -> None:
        """Check now, then every interval."""
        self.check()
        self.timer.start()

    def stop(self) -> None:
        """Stop checking."""
        self.timer.stop()

    @Slot()
    def check(self) -> list[dict[str, Any]]:
        """Read today's doses and update what is pending; returns the pending doses."""
        doses: list[dict[str, Any]] = []
        try:
            child_id = self.context.active_child_id
            if child_id is not None:
                from nbcompanion.record import queries

                doses = [dict(d) for d in queries.todays_doses(self.context.store, child_id,
                                                               self.clock())]
        except (RecordError, sqlite3.Error):
            # A busy or closed record must never break the window; the next tick tries again.
            return self.pending
        due = [d for d in doses if d.get("status") == "due"]
        pending = [d for d in due if dose_key(d) not in self._dismissed]
        fresh = [d for d in pending if dose_key(d) not in self._announced]
        self._announced.update(dose_key(d) for d in fresh)
        if [dose_key(d) for d in pending] != [dose_key(d) for d in self.pending]:
            self.pending = pending
            self.pending_changed.emit(pending)
        if fresh:
            self.doses_came_due.emit(fresh)
        return pending

    def dismiss(self) -> None:
        """Hide the doses shown now (they stay unlogged; Home still lists them)."""
        self._dismissed.update(dose_key(d) for d in self.pending)
        self.pending = []
        self.pending_changed.emit([])

    @Slot(str)
    def _on_context_record_changed(self, table: str) -> None:
        if table in ("", "dose_log", "medicine", "child"):
            self.check()

    @Slot(object)
    def _on_context_active_child_changed(self, *_args: object) -> None:
        self._announced.clear()
        self._dismissed.clear()
        self.check()


def reminder_text(doses: list[dict[str, Any]]) -> str:
    """"Time for: Isotretinoin 40 mg (20:00)." for the bar."""
    parts = []
    for dose in doses:
        what = f"{dose.get('name') or ''} {dose.get('dose') or ''}".strip()
        when = time_text(dose.get("due_at"))
        parts.append(f"{what} ({when})" if when else what)
    return "Time for: " + "; ".join(parts) + "."


class ReminderBar(QFrame):
    """The in-window notice: what is due now, a way to log it, and Dismiss."""

    def __init__(self, context: AppContext, reminder: DoseReminder,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.reminder = reminder
        self.setObjectName("reminderBar")
        chosen = colours()
        self.setStyleSheet(f"QFrame#reminderBar {{ background: {chosen.notice}; border-bottom: "
                           f"1px solid {chosen.notice_border}; }} "
                           f"QFrame#reminderBar QLabel {{ color: {chosen.notice_text}; }}")
        self.setAccessibleName(tr("Medicine reminder"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 8, 6)
        self.label = QLabel()
        self.label.setWordWrap(True)
        layout.addWidget(self.label, 1)
        self.show_button = QPushButton(tr("Log it on Today's medicines"))
        self.show_button.clicked.connect(self._on_show_button_clicked)
        layout.addWidget(self.show_button)
        self.dismiss_button = QPushButton(tr("Dismiss"))
        self.dismiss_button.setToolTip(tr("Hide this reminder. The dose stays unlogged until you "
                                       "log it."))
        self.dismiss_button.clicked.connect(reminder.dismiss)
        layout.addWidget(self.dismiss_button)
        reminder.pending_changed.connect(self._on_reminder_pending_changed)
        reminder.doses_came_due.connect(self._on_reminder_doses_came_due)
        self.hide()

    @Slot(object)
    def _on_reminder_pending_changed(self, doses: list[dict[str, Any]]) -> None:
        if doses:
            self.label.setText(reminder_text(doses))
            self.setAccessibleDescription(self.label.text())
            self.show()
        else:
            self.hide()

    @Slot(object)
    def _on_reminder_doses_came_due(self, _doses: list[dict[str, Any]]) -> None:
        # Flash the task bar entry when the window is in the background (no sound, no pop-up).
        window = self.window()
        if window is not None and not window.isActiveWindow():
            QApplication.alert(window)

    @Slot()
    def _on_show_button_clicked(self) -> None:
        self.context.navigate("home", None)
