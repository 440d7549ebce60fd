"""One catalog per language, built with Babel's tools, answers the core's ``_`` and Qt's ``tr``."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po, write_po
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialogButtonBox, QLabel

from nbcompanion import i18n
from nbcompanion.ui import translate

ROOT = Path(__file__).resolve().parent.parent


def _catalog_tool() -> Any:
    spec = importlib.util.spec_from_file_location("catalogs", ROOT / "tools" / "catalogs.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def english_after(qapp: QCoreApplication) -> Iterator[None]:
    yield
    translate.install("en")


SOURCE = '''
from nbcompanion.i18n import _, N_
from PySide6.QtCore import QObject

HEADINGS = [N_("Medicines")]

def core_text():
    return _("Nothing recorded yet")

class Page(QObject):
    def title(self):
        return self.tr("Add a test")
'''


def test_extract_init_compile_and_use_a_second_language(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, english_after: None) -> None:
    tool = _catalog_tool()
    source = tmp_path / "src"
    source.mkdir()
    (source / "page.py").write_text(SOURCE, encoding="utf-8")
    locale = tmp_path / "locale"
    template = tool.extract(source, locale / "nbcompanion.pot")
    with template.open("rb") as handle:
        ids = {message.id for message in read_po(handle) if message.id}
    assert ids == {"Medicines", "Nothing recorded yet", "Add a test"}

    tool.init("de", template, locale)
    po_path = locale / "de" / "LC_MESSAGES" / "nbcompanion.po"
    with po_path.open("rb") as handle:
        catalog = read_po(handle)
    german = {"Medicines": "Medikamente", "Nothing recorded yet": "Noch nichts eingetragen",
              "Add a test": "Test hinzufügen"}
    for message in catalog:
        if message.id:
            message.string = german[str(message.id)]
    with po_path.open("wb") as handle:
        write_po(handle, catalog)
    tool.compile_all(locale)

    monkeypatch.setattr(i18n, "LOCALE_DIR", locale)
    assert i18n.available_languages() == ["de"]
    assert translate.install("de") == "de"
    assert i18n._("Nothing recorded yet") == "Noch nichts eingetragen"
    assert i18n._(i18n.N_("Medicines")) == "Medikamente"
    assert QCoreApplication.translate("Page", "Add a test") == "Test hinzufügen"
    assert translate.tr("Not in the catalog") == "Not in the catalog"
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    cancel = box.button(QDialogButtonBox.StandardButton.Cancel)
    assert cancel is not None
    assert cancel.text().replace("&", "") == "Abbrechen"  # Qt's own words: Qt's catalog


def test_pseudo_language_reaches_qt_widgets_and_qt_own_words(english_after: None) -> None:
    translate.install(i18n.PSEUDO)
    label = QLabel(translate.tr("Save"))
    assert label.text() == "[Ŝàṽé]"
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    cancel = box.button(QDialogButtonBox.StandardButton.Cancel)
    assert cancel is not None
    assert cancel.text().startswith("[")
    translate.install("en")
    assert translate.tr("Save") == "Save"
    assert QLabel(translate.tr("Save")).text() == "Save"


def test_the_record_s_choices_are_shown_in_the_current_language(english_after: None) -> None:
    from nbcompanion.record import vocab

    translate.install(i18n.PSEUDO)
    assert vocab.label(vocab.VISIT_KINDS, "clinic").startswith("[")
    assert vocab.find(vocab.SYMPTOMS, "fever") == vocab.Choice("fever", "Fever",
                                                               vocab.SYMPTOMS[0].topic)
    assert vocab.SYMPTOMS[0].label == "[Ƒéṽéŕ]"
    translate.install("en")
    assert vocab.SYMPTOMS[0].label == "Fever"
