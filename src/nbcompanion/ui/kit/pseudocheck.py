"""Find visible English that did not pass through the translation function.

With the pseudo-language on (:func:`nbcompanion.ui.translate.install("pseudo")`), every
translated sentence is wrapped in brackets and accented; what is left outside the brackets
and still reads as an English word was never translated. Tests render pages and dialogs
and call :func:`untranslated_texts` on them; a translator can do the same by starting the
app with ``NBCOMPANION_LANGUAGE=pseudo``.

Widgets whose property ``untranslated`` is True (the PDQ reference text, which the app never
translates) are skipped with everything inside them, and so is what the family typed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QMenu,
    QMenuBar,
    QPlainTextEdit,
    QTabWidget,
    QTextEdit,
    QWidget,
)

from nbcompanion.i18n import PSEUDO_CLOSE, PSEUDO_OPEN

#: Words that are the same in every language: the app's name, the publishers' names,
#: lab abbreviations and units. All-capital words (VMA, MIBG) count as abbreviations.
NEUTRAL_WORDS = frozenset({
    "Neuroblastoma", "Caregiver", "Companion", "PDQ", "NCI", "cancer", "gov", "mg", "mL",
    "dL", "uL", "µL", "mmol", "umol", "µmol", "pmol", "ng", "kg", "cm", "mm", "kat", "creat",
    "Ctrl", "Shift", "Alt", "Del", "Esc", "Tab", "PDF", "CSV", "FHIR", "JSON", "Sans",
    "National", "Institute",  # the publisher's name: "National Cancer Institute (NCI)"
})

_TAG = re.compile(r"<[^<>]*>|&[a-zA-Z]+;|&#\d+;|\b(?:https?://|www\.)\S+|\b[\w.-]+\.gov\b")
_WORD = re.compile(r"[A-Za-z][A-Za-z']+")


def outside_brackets(text: str) -> str:
    """``text`` without its pseudo-translated (bracketed) parts, markup removed."""
    text = _TAG.sub(" ", text)
    kept: list[str] = []
    depth = 0
    for char in text:
        if char == PSEUDO_OPEN:
            depth += 1
        elif char == PSEUDO_CLOSE and depth:
            depth -= 1
        elif depth == 0:
            kept.append(char)
    return "".join(kept)


def calendar_words() -> frozenset[str]:
    """Month and weekday names of the locale dates are written in: Babel's and Qt's words,
    not the app's, so they follow the locale rather than the catalog."""
    from nbcompanion.wording import current_locale

    locale = current_locale()
    words: set[str] = set()
    for names in (locale.months, locale.days):
        for context in names.values():
            for width in context.values():
                for name in width.values():
                    words.update(_WORD.findall(str(name)))
    return frozenset(words)


def english_words(text: str, allowed: Iterable[str] = ()) -> list[str]:
    """The English-looking words of ``text`` left outside the pseudo-language's brackets."""
    neutral = NEUTRAL_WORDS | calendar_words() | set(allowed)
    return [word for word in _WORD.findall(outside_brackets(text).replace("&", ""))
            if word not in neutral and not word.isupper()]


def _skipped(widget: QWidget) -> bool:
    current: QWidget | None = widget
    while current is not None:
        if current.property("untranslated"):
            return True
        current = current.parentWidget()
    return False


def _model_texts(model: QAbstractItemModel | None) -> list[str]:
    if model is None:
        return []
    from PySide6.QtCore import QModelIndex

    texts: list[str] = []
    try:
        columns = model.columnCount(QModelIndex())
    except TypeError:  # a list model keeps its column count to itself: it has no header
        return texts
    for column in range(columns):
        texts.append(str(model.headerData(column, Qt.Orientation.Horizontal) or ""))
    return texts


def visible_texts(root: QWidget) -> list[tuple[str, str]]:
    """(where, text) of every text a person can see in ``root`` and its visible children.

    What the family typed (line edits' text, text edits) is left out; their placeholders
    and labels are in.
    """
    found: list[tuple[str, str]] = []
    widgets = [root, *root.findChildren(QWidget)]
    for widget in widgets:
        where = f"{type(widget).__name__}({widget.objectName() or widget.accessibleName()})"
        if isinstance(widget, QMenuBar | QMenu) and not _skipped(widget):
            # Menus are closed while a test looks, but their words are on screen when opened.
            found.extend((where, action.text()) for action in widget.actions()
                         if not action.isSeparator() and action.isVisible())
            continue
        if (not widget.isVisibleTo(root) and widget is not root) or _skipped(widget):
            continue
        if widget.isWindow() and widget.windowTitle():
            found.append((where + ".windowTitle", widget.windowTitle()))
        if isinstance(widget, QLabel | QAbstractButton):
            found.append((where, widget.text()))
        elif isinstance(widget, QGroupBox):
            found.append((where, widget.title()))
        elif isinstance(widget, QLineEdit | QPlainTextEdit | QTextEdit):
            found.append((where + ".placeholder", widget.placeholderText()))
        elif isinstance(widget, QComboBox) and not widget.isEditable():
            found.extend((where, widget.itemText(i)) for i in range(widget.count()))
        elif isinstance(widget, QAbstractSpinBox) and widget.specialValueText() and (
                widget.text() == widget.specialValueText()):
            found.append((where + ".specialValueText", widget.specialValueText()))
        elif isinstance(widget, QTabWidget):
            found.extend((where, widget.tabText(i)) for i in range(widget.count()))
        if isinstance(widget, QAbstractItemView):
            found.extend((where + ".header", text) for text in _model_texts(widget.model()))
        if isinstance(widget, QListWidget):  # navigation lists: our words, not the family's
            found.extend((where, widget.item(i).text()) for i in range(widget.count()))
        if widget.toolTip():
            found.append((where + ".toolTip", widget.toolTip()))
    return [(where, text) for where, text in found if text]


def untranslated_texts(root: QWidget, allowed: Iterable[str] = ()) -> list[str]:
    """Every visible text of ``root`` that holds English outside the pseudo-language."""
    allowed = set(allowed)
    return [f"{where}: {text!r}" for where, text in visible_texts(root)
            if english_words(text, allowed)]
