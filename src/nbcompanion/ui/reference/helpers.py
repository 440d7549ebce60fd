"""Helpers of the Reference page.

The dialogs and the system browser are reached through these functions so that tests can
replace them; the rest are small functions on in-app addresses.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
from urllib.parse import parse_qs, unquote

from PySide6.QtCore import QSettings, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from nbcompanion.ui.translate import tr


def render_module() -> ModuleType:
    """The page builder (imported on first use: the window shows before it is needed)."""
    from nbcompanion.content import render

    return render


def open_in_browser(url: str) -> bool:
    """Open a web address in the system browser (tests replace this)."""
    return QDesktopServices.openUrl(QUrl(url))


def ask_summary_path(parent: QWidget) -> Path | None:
    """Ask which file to add; None if the user cancelled (tests replace this)."""
    name, _filter = QFileDialog.getOpenFileName(
        parent, tr("Add a reference summary"), str(Path.home()),
        tr("PDQ summaries (*.md *.markdown *.txt);;All files (*)"))
    return Path(name) if name else None


def tell_user(parent: QWidget, title: str, text: str) -> None:
    """Show a short message (tests replace this)."""
    QMessageBox.information(parent, title, text)


def split_location(location: str) -> tuple[str, str, dict[str, str]]:
    """(scheme, path, query parameters) of an in-app or web address."""
    scheme, _, rest = location.partition(":")
    path, _, query = rest.partition("?")
    params = {k: v[0] for k, v in parse_qs(query, keep_blank_values=True).items()}
    return scheme.lower(), unquote(path), params


def int_setting(key: str, default: int) -> int:
    """A whole number from QSettings, or ``default`` if missing or unreadable."""
    try:
        return int(str(QSettings().value(key, default)))
    except ValueError:
        return default


def shorten(text: str, limit: int = 38) -> str:
    """``text`` cut at a word to ``limit`` characters, with an ellipsis."""
    text = text.rstrip(".")
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"


def ask_yes_no(parent: QWidget, title: str, text: str, yes: str) -> bool:
    """Ask a question with a plain "yes" button labelled ``yes``; True if chosen (tests
    replace this)."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton,
                      parent)
    accept = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Cancel", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return box.clickedButton() is accept
