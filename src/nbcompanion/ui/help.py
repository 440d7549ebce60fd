"""The Help menu: what the app is (and is not), where the record lives, and the shortcuts."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMainWindow,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from nbcompanion import APP_NAME, __version__


def about_html(record_path: str | None, demo: bool) -> str:
    """The text of the About box."""
    where = ("a temporary file holding the fictional sample record" if demo
             else html.escape(record_path) if record_path else "memory only (nothing is saved)")
    return (
        f"<h2>{html.escape(APP_NAME)}</h2><p>Version {html.escape(__version__)}</p>"
        "<p>This app gives families of a child with neuroblastoma two things in one window: "
        "the NCI PDQ® summary <i>Neuroblastoma Treatment</i> (patient version), and a private "
        "record of your child's care.</p>"
        "<p><b>It informs and records. It never recommends treatment and never interprets a "
        "result.</b> Please talk with your child's care team about any question.</p>"
        "<p><b>Private:</b> everything stays on this computer. The app makes no network "
        "connections; links to cancer.gov open in your web browser only when you click "
        "them.</p>"
        f"<p><b>Your record is kept in:</b><br>{where}</p>"
        "<p>The reference text is public domain, from the U.S. National Cancer Institute "
        "(cancer.gov). The NCI has not reviewed or endorsed this app.</p>"
    )


class AboutDialog(QDialog):
    """About the app: purpose, limits, privacy and the record's location."""

    def __init__(self, window: QMainWindow, record_path: str | None, demo: bool) -> None:
        super().__init__(window)
        self.setWindowTitle(f"About {APP_NAME}")
        layout = QVBoxLayout(self)
        self.text = QLabel(about_html(record_path, demo))
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text.setMinimumWidth(460)
        layout.addWidget(self.text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


def shortcut_rows(window: QWidget) -> list[tuple[str, str]]:
    """(action, keys) for every action with a shortcut in the window, menus included."""
    rows: dict[str, str] = {}
    for action in window.findChildren(QAction):
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        name = action.text().replace("&", "").rstrip(".…")
        if keys and name:
            rows.setdefault(name, keys)
    return sorted(rows.items(), key=lambda row: row[0].casefold())


class ShortcutsDialog(QDialog):
    """A table of the keyboard shortcuts, built from the window's own actions."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.setWindowTitle("Keyboard shortcuts")
        layout = QVBoxLayout(self)
        rows = shortcut_rows(window)
        self.table = QTableWidget(len(rows), 2)
        self.table.setHorizontalHeaderLabels(["What", "Keys"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, (name, keys) in enumerate(rows):
            self.table.setItem(row, 0, QTableWidgetItem(name))
            self.table.setItem(row, 1, QTableWidgetItem(keys))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.resize(460, 520)
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
    shortcuts = QAction("&Keyboard shortcuts", window)
    shortcuts.setShortcut(QKeySequence("Ctrl+/"))
    shortcuts.triggered.connect(owner._on_shortcuts_triggered)
    about = QAction(f"&About {APP_NAME}", window)
    about.setMenuRole(QAction.MenuRole.AboutRole)
    about.triggered.connect(owner._on_about_triggered)
    menu = window.menus["help"]  # type: ignore[attr-defined]
    menu.addAction(shortcuts)
    menu.addSeparator()
    menu.addAction(about)
