"""The base of every page: what the main window may ask of it, and the refresh rhythm."""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from nbcompanion.ui.context import AppContext
from nbcompanion.ui.kit.empty import EmptyState
from nbcompanion.ui.kit.headers import heading, muted


class DialogOpener:
    """Opens entry dialogs window-modally and remembers the last one (tests drive it)."""

    def __init__(self) -> None:
        self.last_dialog: QDialog | None = None

    def show(self, dialog: QDialog) -> QDialog:
        """Open ``dialog`` without blocking (see :func:`~nbcompanion.ui.forms.run_dialog`)."""
        from nbcompanion.ui.forms import run_dialog

        self.last_dialog = dialog
        dialog.finished.connect(self._on_dialog_finished)
        run_dialog(dialog)
        return dialog

    def _on_dialog_finished(self, _result: int) -> None:
        self.last_dialog = None


class Page(QWidget):
    """A page of the window that reloads when the tables it shows change.

    A hidden page only notes that it is out of date and reloads when it is next shown, so a
    save does not re-query every page of the window. Subclasses list the tables they show
    in ``watched`` and override :meth:`refresh`; :meth:`open_target` and :meth:`can_close`
    when they need to. ``ui/registry.py`` puts a page in the navigation.
    """

    #: Tables whose changes this page shows; "" (many tables) and "child" always count.
    watched: ClassVar[tuple[str, ...]] = ()
    #: Every table counts (Home, which shows a little of everything).
    watches_everything: ClassVar[bool] = False
    #: Reload at once even while hidden (cheap pages that others read while hidden).
    refreshes_while_hidden: ClassVar[bool] = False

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.opener = DialogOpener()
        self._stale = False
        context.record_changed.connect(self._on_context_record_changed)
        context.active_child_changed.connect(self._on_context_active_child_changed)
        context.store_replaced.connect(self._on_context_store_replaced)

    # -- building -----------------------------------------------------------------------
    def add_header(self, layout: QVBoxLayout, title: str, subtitle: str = "",
                   buttons: tuple[QPushButton, ...] = ()) -> QHBoxLayout:
        """The page's title, its ``self.subtitle`` line and buttons on the right."""
        top = QHBoxLayout()
        titles = QVBoxLayout()
        titles.addWidget(heading(title))
        self.subtitle = muted(subtitle)
        titles.addWidget(self.subtitle)
        top.addLayout(titles, 1)
        for button in buttons:
            top.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)
        return top

    def add_content(self, layout: QVBoxLayout, content: QWidget) -> None:
        """``content``, swapped for ``self.empty`` (a kind sentence) while there is nothing."""
        self.content = content
        self.empty = EmptyState()
        self.empty.action_clicked.connect(self._on_empty_action_clicked)
        self.stack = QStackedWidget()
        self.stack.addWidget(content)
        self.stack.addWidget(self.empty)
        layout.addWidget(self.stack, 1)

    def show_empty(self, message: str, button_text: str | None = None) -> None:
        """Show the empty state with ``message`` (and a button) instead of the content."""
        self.empty.set_content(message, button_text)
        self.stack.setCurrentWidget(self.empty)

    def show_content(self) -> None:
        """Show the content (after :meth:`show_empty`)."""
        self.stack.setCurrentWidget(self.content)

    def _on_empty_action_clicked(self) -> None:
        """The empty state's button (override)."""

    # -- what the main window asks ------------------------------------------------------
    def refresh(self) -> None:
        """Reload everything shown (override)."""

    def open_target(self, target: object) -> None:
        """Show ``target`` (an entry id, a topic, …) — navigation's request (override)."""

    def can_close(self) -> bool:
        """False keeps the window open (unsaved work the family chose to keep)."""
        return True

    def refresh_soon(self) -> None:
        """Reload now if shown, else when next shown."""
        if self.isVisible() or self.refreshes_while_hidden:
            self._stale = False
            self.refresh()
        else:
            self._stale = True

    def about_to_show(self) -> None:
        """Called by the main window before the page is shown."""
        if self._stale:
            self._stale = False
            self.refresh()

    def showEvent(self, event: Any) -> None:
        """Catch up on changes made while hidden."""
        self.about_to_show()
        super().showEvent(event)

    def _on_context_record_changed(self, table: str) -> None:
        if self.watches_everything or not table or table in self.watched or table == "child":
            self.refresh_soon()

    def _on_context_active_child_changed(self, _child_id: object) -> None:
        self.refresh_soon()

    def _on_context_store_replaced(self) -> None:
        self.refresh_soon()
