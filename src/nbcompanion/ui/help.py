"""The Help menu: what the app is (and is not), where the record lives, and the shortcuts."""

from __future__ import annotations

import html
import re

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from nbcompanion import APP_NAME, __version__
from nbcompanion.ui.translate import tr


def about_html(record_path: str | None, demo: bool) -> str:
    """The text of the About box."""
    where = (html.escape(tr("a temporary file holding the fictional sample record")) if demo
             else html.escape(record_path) if record_path
             else html.escape(tr("memory only (nothing is saved)")))
    return (
        f"<h2>{html.escape(APP_NAME)}</h2><p>"
        + tr("Version {version}").format(version=html.escape(__version__)) + "</p><p>"
        + tr("This app gives families of a child with neuroblastoma two things in one window: "
             "the NCI PDQ® summary <i>Neuroblastoma Treatment</i> (patient version), and a "
             "private record of your child's care.") + "</p><p>"
        + tr("<b>It informs and records. It never recommends treatment and never interprets a "
             "result.</b> Please talk with your child's care team about any question.")
        + "</p><p>"
        + tr("<b>Private:</b> everything stays on this computer. The app makes no network "
             "connections; links to cancer.gov open in your web browser only when you click "
             "them.") + "</p><p>"
        + tr("<b>Your record is kept in:</b><br>{where}").format(where=where) + "</p><p>"
        + tr("The reference text is public domain, from the U.S. National Cancer Institute "
             "(cancer.gov). The NCI has not reviewed or endorsed this app.") + "</p>"
    )


class AboutDialog(QDialog):
    """About the app: purpose, limits, privacy and the record's location."""

    def __init__(self, window: QMainWindow, record_path: str | None, demo: bool) -> None:
        super().__init__(window)
        self.setWindowTitle(tr("About {app_name}").format(app_name=APP_NAME))
        layout = QVBoxLayout(self)
        self.text = QLabel(about_html(record_path, demo))
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text.setMinimumWidth(460)
        layout.addWidget(self.text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


#: Keys handled inside fields and lists rather than by a window action.
WIDGET_KEYS: tuple[tuple[str, str, str], ...] = (
    ("Forms", "Next field / previous field", "Tab / Shift+Tab"),
    ("Forms", "Type a tab inside a notes box", "Ctrl+Tab"),
    ("Forms", "Save", "Enter (outside a notes box)"),
    ("Forms", "Cancel (asks first if you typed something)", "Esc"),
    ("Forms", "Empty date field: start from today", "Up or Down arrow"),
    ("Forms", "Empty a date field", "Select it all, then Delete"),
    ("Lists", "Open the chosen entry", "Enter"),
    ("Lists", "Delete the chosen entry (Ctrl+Z brings it back)", "Delete"),
    ("Lists", "Move between entries", "Up / Down arrows"),
)


def plain_text(text: str) -> str:
    """An action's text as shown: "&&" is "&", a single "&" only marks the mnemonic."""
    return re.sub(r"&(.)", r"\1", text).rstrip(".…").strip()


def action_keys(action: QAction) -> str:
    """Every key of ``action``, as the platform writes them ("Ctrl+F, Ctrl+K")."""
    return ", ".join(sequence.toString(QKeySequence.SequenceFormat.NativeText)
                     for sequence in action.shortcuts() if not sequence.isEmpty())


def _group(action: QAction) -> str:
    group = action.property("shortcut_group")
    if group:
        return str(group)
    for owner in action.associatedObjects():
        if isinstance(owner, QMenu) and owner.title():
            return plain_text(owner.title())
    return "Window"


def shortcut_rows(window: QWidget) -> list[tuple[str, str, str]]:
    """(group, action, keys) for every action with a shortcut in the window.

    Built from the window's own actions, so the list cannot drift from what the keys do:
    the pages first, in navigation order, then each menu's actions.
    """
    rows: dict[str, tuple[str, str, str]] = {}
    for action in window.findChildren(QAction):
        keys = action_keys(action)
        name = plain_text(action.text())
        if keys and name:
            rows.setdefault(name, (_group(action), name, keys))
    pages = [row for row in rows.values() if row[0] == "Pages"]
    others = sorted((row for row in rows.values() if row[0] != "Pages"),
                    key=lambda row: (row[0].casefold(), row[1].casefold()))
    return pages + others


class ShortcutsDialog(QDialog):
    """A table of the keyboard shortcuts, built from the window's own actions."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.setWindowTitle(tr("Keyboard shortcuts"))
        layout = QVBoxLayout(self)
        rows = shortcut_rows(window) + list(WIDGET_KEYS)
        self.action_rows = len(rows) - len(WIDGET_KEYS)
        self.table = QTableWidget(len(rows), 3)
        self.table.setAccessibleName(tr("Keyboard shortcuts"))
        self.table.setHorizontalHeaderLabels([tr("Where"), tr("What"), tr("Keys")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setTabKeyNavigation(False)
        for row, cells in enumerate(rows):
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        width = sum(self.table.columnWidth(c) for c in range(3)) + 60
        self.resize(max(520, width), 600)
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


class _HelpActions(QWidget):
    """Owns the Help menu's slots (kept alive as a hidden child of the window)."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window_ = window
        self.hide()

    @Slot()
    def _on_about_triggered(self) -> None:
        context = getattr(self.window_, "context", None)
        path = str(context.store.path) if context and context.store.path else None
        dialog = AboutDialog(self.window_, path, bool(context and context.demo))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    @Slot()
    def _on_shortcuts_triggered(self) -> None:
        dialog = ShortcutsDialog(self.window_)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()


def install(window: QMainWindow) -> None:
    """Add "Keyboard shortcuts" and "About" to the Help menu."""
    owner = _HelpActions(window)
    shortcuts = QAction(tr("&Keyboard shortcuts"), window)
    shortcuts.setShortcut(QKeySequence("Ctrl+/"))
    shortcuts.triggered.connect(owner._on_shortcuts_triggered)
    about = QAction(tr("&About {app_name}").format(app_name=APP_NAME), window)
    about.setMenuRole(QAction.MenuRole.AboutRole)
    about.triggered.connect(owner._on_about_triggered)
    menu = window.menus["help"]  # type: ignore[attr-defined]
    menu.addAction(shortcuts)
    menu.addSeparator()
    menu.addAction(about)
