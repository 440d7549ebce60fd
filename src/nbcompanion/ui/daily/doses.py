"""Today's doses with one-click Given / Skipped…, shared by Home and the Medicines page.

Kept apart from the Medicines page so that Home, the page the app opens on, can show
today's doses without loading the medicine forms.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from nbcompanion.i18n import N_
from nbcompanion.record.errors import RecordError, ValidationError
from nbcompanion.ui.context import AppContext
from nbcompanion.ui.daily.common import clear_layout, muted, time_text
from nbcompanion.ui.keyboard import order_plain_dialog
from nbcompanion.ui.translate import tr

Clock = Callable[[], datetime]

STATUS_TEXT = {"given": N_("Given"), "skipped": N_("Skipped"), "due": N_("Due now"),
               "missed": N_("Not logged"), "upcoming": N_("Later today"),
               "not logged": N_("Not logged yet")}


def minute_iso(when: datetime) -> str:
    """A moment as stored in the record, to the minute."""
    return when.strftime("%Y-%m-%dT%H:%M")


class SkipReasonDialog(QDialog):
    """Asks why a dose was skipped (tests monkeypatch :meth:`ask`)."""

    def __init__(self, parent: QWidget | None, medicine: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Dose skipped"))
        layout = QVBoxLayout(self)
        label = QLabel(tr("Why was this dose of {medicine} skipped? (optional)").format(
                          medicine=medicine))
        label.setWordWrap(True)
        layout.addWidget(label)
        self.reason_edit = QLineEdit()
        self.reason_edit.setPlaceholderText(tr("e.g. vomiting, asleep, told to pause by the team"))
        self.reason_edit.setAccessibleName(tr("Reason the dose was skipped"))
        label.setBuddy(self.reason_edit)
        layout.addWidget(self.reason_edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        save = buttons.addButton(tr("Log as skipped"), QDialogButtonBox.ButtonRole.AcceptRole)
        save.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        order_plain_dialog(self, buttons)

    @classmethod
    def ask(cls, parent: QWidget | None, medicine: str) -> str | None:
        """The reason typed ("" when none), or None when the user cancelled."""
        dialog = cls(parent, medicine)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.reason_edit.text().strip()


def log_dose(context: AppContext, parent: QWidget | None, medicine_id: int, name: str,
             status: str, now: datetime, due_at: str | None = None) -> int | None:
    """Log one dose (asking a reason when skipped); the id, or None when cancelled.

    Raises ValidationError / RecordError with a message for the user.
    """
    from nbcompanion.record import writes

    reason = None
    if status == "skipped":
        reason = SkipReasonDialog.ask(parent, name)
        if reason is None:
            return None
    log_id = int(writes.log_dose(context.store, medicine_id, status, minute_iso(now),
                                  due_at=due_at, reason=reason or None))
    context.undo_stack.push(LoggedDoseCommand(context, log_id, f"{name} {status}"))
    return log_id


class LoggedDoseCommand(QUndoCommand):
    """A dose just logged; Ctrl+Z takes a mistaken click on Given or Skipped back."""

    def __init__(self, context: AppContext, log_id: int, what: str) -> None:
        super().__init__(f"Log dose: {what}")
        self.context = context
        self.log_id = log_id
        self.snapshot: Any = None  # entries.Snapshot

    def redo(self) -> None:
        from nbcompanion.record import entries

        """Log again (the first time, the dose was logged already)."""
        if self.snapshot is not None:
            entries.restore(self.context.store, self.snapshot)
        self.context.notify_changed("dose_log")

    def undo(self) -> None:
        from nbcompanion.record import entries

        """Remove the log entry."""
        self.snapshot = entries.delete(self.context.store, "dose_log", self.log_id)
        self.context.notify_changed("dose_log")


class TodaysDoses(QWidget):
    """Today's doses of the active child, each with one-click Given / Skipped…

    Used on Home and on the Medicines page.

    Signals:
        dose_logged(int): a dose was logged; the log entry's id.
    """

    dose_logged = Signal(int)

    def __init__(self, context: AppContext, parent: QWidget | None = None,
                 clock: Clock = datetime.now) -> None:
        super().__init__(parent)
        self.context = context
        self.clock = clock
        self.doses: list[dict[str, Any]] = []
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(10)
        outer.addLayout(self.grid)
        self.message = QLabel()  # styled when first shown: the forms module stays unloaded
        self.message.setWordWrap(True)
        self.message.hide()
        outer.addWidget(self.message)
        self.buttons: dict[tuple[int, str | None], tuple[QPushButton, QPushButton]] = {}
        self.refresh()

    def refresh(self) -> None:
        """Ask the record for today's doses and show them."""
        clear_layout(self.grid)
        self.buttons.clear()
        child_id = self.context.active_child_id
        self.doses = []
        if child_id is not None:
            from nbcompanion.record import queries

            self.doses = list(queries.todays_doses(self.context.store, child_id, self.clock()))
        if not self.doses:
            empty = muted(tr("No doses are planned for today. Medicines with dose times "
                          "(like “08:00, 20:00”) show up here."))
            self.grid.addWidget(empty, 0, 0, 1, 5)
            return
        for row, dose in enumerate(self.doses):
            due = time_text(dose.get("due_at")) or tr("Any time")
            name = dose.get("name") or ""
            what = f"{name} {dose.get('dose') or ''}".strip()
            status = dose.get("status") or ""
            time_label = QLabel(f"<b>{due}</b>")
            what_label = QLabel(what)
            what_label.setWordWrap(True)
            status_label = QLabel(self._status_text(dose))
            status_label.setObjectName(f"dose_status_{row}")
            self.grid.addWidget(time_label, row, 0)
            self.grid.addWidget(what_label, row, 1)
            self.grid.addWidget(status_label, row, 2)
            if status in ("given", "skipped"):
                continue
            given = QPushButton(tr("Given"))
            given.setAccessibleName(tr("Given: {what} at {due}").format(what=what, due=due))
            skipped = QPushButton(tr("Skipped…"))
            skipped.setAccessibleName(tr("Skipped: {what} at {due}").format(what=what, due=due))
            given.clicked.connect(lambda _c=False, d=dose: self.log(d, "given"))
            skipped.clicked.connect(lambda _c=False, d=dose: self.log(d, "skipped"))
            self.grid.addWidget(given, row, 3)
            self.grid.addWidget(skipped, row, 4)
            self.buttons[(int(dose["medicine_id"]), dose.get("due_at"))] = (given, skipped)
        self.grid.setColumnStretch(1, 1)

    def _status_text(self, dose: dict[str, Any]) -> str:
        """"Given at 08:10" for a logged dose (what the log says), else the plain status."""
        status = dose.get("status") or ""
        text = tr(STATUS_TEXT.get(status, status))
        if status in ("given", "skipped") and dose.get("log_id"):
            from nbcompanion.record import entries

            try:
                logged = entries.get(self.context.store, "dose_log", int(dose["log_id"]))
            except RecordError:
                return text
            at = time_text(logged.get("at"))
            if logged.get("reason"):
                return tr("{status} at {time} ({reason})").format(
                    status=text, time=at, reason=logged["reason"])
            return tr("{status} at {time}").format(status=text, time=at)
        return text

    def log(self, dose: dict[str, Any], status: str) -> int | None:
        """Log ``dose`` as given or skipped (now); shows a message when it cannot be saved."""
        self.message.hide()
        try:
            log_id = log_dose(self.context, self, int(dose["medicine_id"]), dose.get("name", ""),
                              status, self.clock(), dose.get("due_at"))
        except ValidationError as error:
            self._show_message(" ".join(error.errors.values()) or str(error))
            return None
        except RecordError as error:
            self._show_message(str(error))
            return None
        if log_id is not None:
            self.refresh()
            self.dose_logged.emit(log_id)
        return log_id


    def _show_message(self, text: str) -> None:
        from nbcompanion.ui.forms import ERROR_STYLE

        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(text)
        self.message.show()
