"""What the daily pages add to the window: Ctrl+D for a diary entry, and the reminder bar."""

from __future__ import annotations

import contextlib

from PySide6.QtCore import QEvent, QObject, Qt, Slot
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

from nbcompanion.ui.daily.reminders import DoseReminder, ReminderBar
from nbcompanion.ui.translate import tr

DIARY_SHORTCUT = "Ctrl+D"


class _DailyActions(QObject):
    """Owns the slots of the daily actions (a child of the window, so it lives as long)."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window_ = window
        self._watched: QWidget | None = None

    @Slot(QWidget, QWidget)
    def _on_app_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        # Watch only the focused widget, not every event of the app: an application-wide
        # filter in Python costs a call per event (thousands per second when busy).
        if self._watched is not None:
            with contextlib.suppress(RuntimeError):  # already deleted by Qt
                self._watched.removeEventFilter(self)
        self._watched = new
        if new is not None:
            new.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Keep Ctrl+D for the diary while typing in the window's text fields.

        On Linux, text fields take Ctrl+D as "delete the next character" and would swallow
        the shortcut; holding back their shortcut-override question lets the action fire.
        """
        if (event.type() == QEvent.Type.ShortcutOverride and isinstance(watched, QWidget)
                and watched.window() is self.window_ and isinstance(event, QKeyEvent)
                and event.key() == Qt.Key.Key_D
                and event.modifiers() == Qt.KeyboardModifier.ControlModifier):
            return True
        return super().eventFilter(watched, event)

    @Slot()
    def _on_diary_triggered(self) -> None:
        from nbcompanion.ui.daily.diary import open_diary_dialog

        context = self.window_.context  # type: ignore[attr-defined]
        if open_diary_dialog(context, self.window_) is None:
            self.window_.statusBar().showMessage(
                tr("Add your child on the Home page first; then Ctrl+D adds a diary entry."), 8000)
            context.navigate("home", None)

    @Slot()
    def _on_question_triggered(self) -> None:
        self.window_.context.navigate("questions", None)  # type: ignore[attr-defined]


def install(window: QMainWindow) -> None:
    """Add the diary and question actions to the Record menu and the reminder bar on top."""
    owner = _DailyActions(window)
    diary = QAction(tr("New &diary entry…"), window)
    diary.setShortcut(QKeySequence(DIARY_SHORTCUT))
    diary.setObjectName("action_new_diary_entry")
    diary.triggered.connect(owner._on_diary_triggered)
    question = QAction(tr("Add a &question for the team…"), window)
    question.setShortcut(QKeySequence("Ctrl+Shift+Q"))
    question.triggered.connect(owner._on_question_triggered)
    menu = window.menus["record"]  # type: ignore[attr-defined]
    menu.addAction(diary)
    menu.addAction(question)
    window.addAction(diary)  # the shortcut works even while the menu bar is hidden
    app = QApplication.instance()
    if isinstance(app, QApplication):
        app.focusChanged.connect(owner._on_app_focus_changed)
        owner._on_app_focus_changed(None, app.focusWidget())

    context = window.context  # type: ignore[attr-defined]
    reminder = DoseReminder(context, parent=window)
    bar = ReminderBar(context, reminder)
    window.add_notice(bar)  # type: ignore[attr-defined]
    window.dose_reminder = reminder  # type: ignore[attr-defined]
    window.reminder_bar = bar  # type: ignore[attr-defined]
    reminder.start()
