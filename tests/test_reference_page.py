"""The Reference page driven through its real widgets."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QUrl
from PySide6.QtGui import QTextDocument
from pytestqt.qtbot import QtBot

from nbcompanion.record.store import Store
from nbcompanion.ui.context import AppContext
from nbcompanion.ui.reference import helpers as page_module
from nbcompanion.ui.reference.page import ReferencePage
from nbcompanion.ui.reference.panels import LOCATION_ROLE

FIXTURES = Path(__file__).parent / "fixtures" / "reference"
BOOK = "neuroblastoma-treatment-pdq"


@pytest.fixture
def context() -> Iterator[AppContext]:
    store = Store.memory()
    yield AppContext(store)
    store.close()


@pytest.fixture
def browser_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    monkeypatch.setattr(page_module, "open_in_browser", lambda url: calls.append(url) or True)
    return calls


@pytest.fixture
def messages(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(page_module, "tell_user",
                        lambda _parent, title, text: shown.append((title, text)))
    return shown


@pytest.fixture
def page(qtbot: QtBot, context: AppContext, browser_calls: list[str]) -> ReferencePage:
    widget = ReferencePage(context)
    qtbot.addWidget(widget)
    widget.resize(1100, 800)
    widget.show()
    qtbot.waitUntil(lambda: widget.current_section_id is not None)
    return widget


def hrefs(page: ReferencePage, pattern: str) -> list[str]:
    return [h for h in re.findall(r'href="([^"]*)"', page.reader.toHtml()) if re.search(pattern, h)]


def click_link(page: ReferencePage, href: str) -> None:
    page.reader.anchorClicked.emit(QUrl(href.replace("&amp;", "&")))


def tree_item(page: ReferencePage, section_id: str):
    return page.tree._items[section_id]


def test_it_opens_on_the_first_section_with_source_and_age_in_view(page: ReferencePage) -> None:
    assert page.current_section_id == f"{BOOK}/general-information-about-neuroblastoma"
    details = page.source_bar.details.text()
    assert "Neuroblastoma Treatment (PDQ®)–Patient Version" in details
    assert "National Cancer Institute (NCI)" in details
    assert "30 December 2025" in details
    assert "www.cancer.gov/types/neuroblastoma/patient/neuroblastoma-treatment-pdq" in details
    assert "does not recommend treatment" in details
    assert page.source_bar.overdue.isVisibleTo(page)  # reviewed quarterly, last in Dec 2025
    assert "newer version" in page.source_bar.overdue.text()


def test_choosing_a_topic_in_the_tree_opens_it(page: ReferencePage, qtbot: QtBot) -> None:
    item = tree_item(page, f"{BOOK}/stage-m")
    page.tree.itemClicked.emit(item, 0)
    assert page.current_section_id == f"{BOOK}/stage-m"
    assert "Stage M" in page.breadcrumb.text()
    assert "Stages of Neuroblastoma" in page.breadcrumb.text()
    assert "In stage M, neuroblastoma has spread" in page.reader.toPlainText()
    assert page.tree.currentItem() is item
    assert item.data(0, LOCATION_ROLE).startswith("nbsection:")


def test_following_a_link_of_the_summary_and_going_back(page: ReferencePage,
                                                        qtbot: QtBot) -> None:
    page.open_target("Treatment of Low-Risk Neuroblastoma")
    start = page.current_section_id
    [overview] = set(hrefs(page, r"^nbsection:.*treatment-option-overview$"))
    click_link(page, overview)
    assert page.current_section_id == f"{BOOK}/treatment-option-overview"
    assert page.back_button.isEnabled()
    qtbot.mouseClick(page.back_button, Qt.MouseButton.LeftButton)
    assert page.current_section_id == start
    assert page.forward_button.isEnabled()
    page.go_forward()
    assert page.current_section_id == f"{BOOK}/treatment-option-overview"
    page.setFocus()
    qtbot.keyClick(page, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert page.current_section_id == start
    qtbot.keyClick(page, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert page.current_section_id == f"{BOOK}/treatment-option-overview"


def test_a_glossary_term_shows_its_definition_and_where_it_is_explained(
        page: ReferencePage, browser_calls: list[str]) -> None:
    page.open_target("Follow-up care may be needed")
    [mibg] = [h for h in hrefs(page, r"^nbterm:") if "w=MIBG" in h]
    assert "MIBG scan" in page.link_tooltip(mibg.replace("&amp;", "&"))
    page.reader.highlighted.emit(QUrl(mibg.replace("&amp;", "&")))  # hovering shows a tooltip
    page.reader.highlighted.emit(QUrl())
    click_link(page, mibg)
    assert page.card.isVisibleTo(page)
    assert "A procedure used to find" in page.card.text.text()
    page.card.button.click()
    assert page.current_section_id.startswith(f"{BOOK}/tests-that-examine")
    assert page.reader.extraSelections()
    assert browser_calls == []
    page.go_back()
    assert page.current_section_id == f"{BOOK}/follow-up-care-may-be-needed"


def test_an_undefined_term_offers_the_dictionary_only_on_click(
        page: ReferencePage, browser_calls: list[str]) -> None:
    page.open_target("General Information About Neuroblastoma")
    page.open_target(f"{BOOK}/neuroblastoma-is-a-type-of-cancer-that-forms-in-neuroblasts")
    [nerve] = [h for h in hrefs(page, r"^nbterm:") if re.search(r"w=nerve(&|$)", h)]
    click_link(page, nerve)
    assert "not explained in this summary" in page.card.text.text()
    assert browser_calls == []
    page.card.button.click()
    assert browser_calls == ["https://www.cancer.gov/Common/PopUps/popDefinition.aspx?"
                             "id=373935&version=patient&language=English&dictionary=Cancer.gov"]


def test_web_links_and_pictures_open_only_after_a_click(
        page: ReferencePage, browser_calls: list[str]) -> None:
    page.open_target("Ultrasound exam")
    enlarge = hrefs(page, r"nci-media.*775457\.jpg$")
    assert enlarge
    click_link(page, enlarge[0])
    assert browser_calls == []
    assert "outside the app" in page.card.text.text()
    page.card.button.click()
    assert browser_calls == ["https://nci-media.cancer.gov/pdq/media/images/775457.jpg"]
    assert page.reader.loadResource(int(QTextDocument.ResourceType.ImageResource),
                                    QUrl(enlarge[0])) is None


def test_search_opens_a_hit_with_the_match_highlighted(page: ReferencePage,
                                                       qtbot: QtBot) -> None:
    page.setFocus()
    qtbot.keyClick(page, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert page.search_box.hasFocus()
    page.reader.setFocus()
    qtbot.keyClick(page.reader, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert page.search_box.hasFocus()
    qtbot.keyClicks(page.search_box, "dinutux")
    qtbot.keyClick(page.search_box, Qt.Key.Key_Return)
    text = page.reader.toPlainText()
    assert "Search: “dinutux”" in text
    assert "Treatment of High-Risk Neuroblastoma" in text
    [hit] = [h for h in hrefs(page, r"^nbsection:") if "treatment-of-high-risk" in h]
    click_link(page, hit)
    assert page.current_section_id == f"{BOOK}/treatment-of-high-risk-neuroblastoma"
    marked = [s.cursor.selectedText().casefold() for s in page.reader.extraSelections()]
    assert marked
    assert all(m.startswith("dinutux") for m in marked)
    page.go_back()
    assert page.current_location.startswith("nbpage:search?q=dinutux")


def test_search_with_odd_input_says_no_matches(page: ReferencePage, qtbot: QtBot) -> None:
    for text in ['"((', "AND", "*", "\U0001F600", ""]:
        page.show_search(text)
        plain = page.reader.toPlainText()
        assert "No matches" in plain or "found" in plain or "Type a word" in plain


def test_text_size_changes_and_is_remembered(qtbot: QtBot, page: ReferencePage,
                                             context: AppContext) -> None:
    before = page.reader.text_size
    page.setFocus()
    qtbot.keyClick(page, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert page.reader.text_size == before + 1
    page.change_text_size(+1)
    assert int(QSettings().value("reference/text_size")) == before + 2
    qtbot.keyClick(page, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    again = ReferencePage(context)
    qtbot.addWidget(again)
    again.show()
    qtbot.waitUntil(lambda: again.current_section_id is not None)
    assert again.reader.text_size == before + 1


def test_the_last_section_read_reopens(qtbot: QtBot, page: ReferencePage,
                                       context: AppContext) -> None:
    page.open_target("Stage MS")
    again = ReferencePage(context)
    qtbot.addWidget(again)
    again.show()
    qtbot.waitUntil(lambda: again.current_section_id is not None)
    assert again.current_section_id == f"{BOOK}/stage-ms"


def test_glossary_view_lists_terms_a_to_z_linking_to_their_place(page: ReferencePage) -> None:
    page.open_glossary()
    text = page.reader.toPlainText()
    assert text.index("Abdominal ultrasound") < text.index("Urine catecholamine studies")
    [urine] = [h for h in hrefs(page, r"^nbsection:.*t=Urine") if "tests-that" in h]
    click_link(page, urine)
    assert page.current_section_id.startswith(f"{BOOK}/tests-that-examine")
    assert page.reader.extraSelections()


def test_source_page_has_the_citation_and_the_statement(page: ReferencePage) -> None:
    page.source_bar.link_activated.emit(f"nbpage:source/{BOOK}")
    text = page.reader.toPlainText()
    assert "PDQ® Pediatric Treatment Editorial Board" in text
    assert "does not recommend treatment" in text
    assert "newer version" in text


def test_adding_a_summary_adds_a_book_and_bad_files_change_nothing(
        page: ReferencePage, messages: list[tuple[str, str]], monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    empty = tmp_path / "empty.md"
    empty.write_bytes(b"")
    monkeypatch.setattr(page_module, "ask_summary_path", lambda _parent: empty)
    assert not page.add_summary()
    assert messages[-1] == ("This file cannot be added",
                            "This file is empty, so there is nothing to add.")
    assert page.tree.topLevelItemCount() == 1
    monkeypatch.setattr(page_module, "ask_summary_path", lambda _parent: None)
    assert not page.add_summary()
    monkeypatch.setattr(page_module, "ask_summary_path",
                        lambda _parent: FIXTURES / "wilms-mini.md")
    assert page.add_summary()
    assert page.tree.topLevelItemCount() == 2
    assert page.current_section_id.startswith("wilms-tumor-treatment-mini-nci/")
    assert "Wilms" in page.source_bar.details.text()
    assert not page.source_bar.overdue.isVisibleTo(page)
    page.show_search("nephroblastoma")
    assert "Wilms tumor is a kind of kidney tumor." in page.reader.toPlainText()
