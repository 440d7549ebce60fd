"""The Reference page inside the main window: registered, reachable by navigation and menu."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from nbcompanion.record.store import Store
from nbcompanion.ui.context import AppContext
from nbcompanion.ui.main_window import MainWindow
from nbcompanion.ui.reference import helpers as page_module
from nbcompanion.ui.reference.page import ReferencePage

FIXTURES = Path(__file__).parent / "fixtures" / "reference"


@pytest.fixture
def window(qtbot: QtBot) -> Iterator[MainWindow]:
    store = Store.memory()
    main = MainWindow(AppContext(store))
    qtbot.addWidget(main)
    main.show()
    yield main
    store.close()


def test_other_pages_can_navigate_to_a_topic(window: MainWindow) -> None:
    window.context.navigate("reference", "Stage M")
    page = window.page("reference")
    assert isinstance(page, ReferencePage)
    assert window.current_page_key() == "reference"
    assert page.current_section_id == "neuroblastoma-treatment-pdq/stage-m"
    window.context.navigate("reference", "MYCN amplification study")
    assert page.current_section_id.startswith("neuroblastoma-treatment-pdq/tests-that-examine")
    assert page.reader.extraSelections()


def test_the_reference_menu_adds_a_summary(window: MainWindow,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(page_module, "ask_summary_path",
                        lambda _parent: FIXTURES / "wilms-mini.md")
    monkeypatch.setattr(page_module, "tell_user", lambda *_args: None)
    actions = {a.text(): a for a in window.menus["reference"].actions()}
    assert "&Add reference summary…" in actions
    actions["&Add reference summary…"].trigger()
    assert [b.key for b in window.context.library.books][1] == "wilms-tumor-treatment-mini-nci"
    actions["&Words explained, A to Z"].trigger()
    page = window.page("reference")
    assert page.current_location == "nbpage:glossary/neuroblastoma-treatment-pdq"
