"""The Reference page's library in use: replacing, What changed, removing, forgiving search,
terms with their source, and links that never lie."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from nbcompanion.content.library import user_reference_dir
from nbcompanion.record.store import Store
from nbcompanion.ui.context import AppContext
from nbcompanion.ui.main_window import MainWindow
from nbcompanion.ui.reference import helpers as page_module
from nbcompanion.ui.reference.page import ReferencePage
from nbcompanion.ui.reflinks import ReferenceLink
from test_reference_versions import newer_shipped

FIXTURES = Path(__file__).parent / "fixtures" / "reference"
BOOK = "neuroblastoma-treatment-pdq"


@pytest.fixture
def window(qtbot: QtBot) -> Iterator[MainWindow]:
    store = Store.memory()
    main = MainWindow(AppContext(store))
    qtbot.addWidget(main)
    main.show()
    yield main
    store.close()


@pytest.fixture
def dialogs(monkeypatch: pytest.MonkeyPatch) -> dict[str, list]:
    said: dict[str, list] = {"told": [], "asked": [], "browser": [], "answer": [True]}
    monkeypatch.setattr(page_module, "tell_user",
                        lambda _p, title, text: said["told"].append((title, text)))
    monkeypatch.setattr(page_module, "open_in_browser",
                        lambda url: said["browser"].append(url) or True)

    def ask(_parent: object, title: str, text: str, yes: str) -> bool:
        said["asked"].append((title, text, yes))
        return bool(said["answer"][-1])

    monkeypatch.setattr(page_module, "ask_yes_no", ask)
    return said


def reference(window: MainWindow) -> ReferencePage:
    window.context.navigate("reference", "Stage M")
    page = window.page("reference")
    assert isinstance(page, ReferencePage)
    return page


def test_a_newer_version_is_offered_replaced_and_its_changes_shown_until_dismissed(
        window: MainWindow, qtbot: QtBot, dialogs: dict[str, list],
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    page = reference(window)
    assert not page.source_bar.overdue.isHidden()  # the shipped copy is past its review
    newer = newer_shipped(tmp_path, "2099-01-01")
    monkeypatch.setattr(page_module, "ask_summary_path", lambda _parent: newer)
    dialogs["answer"].append(False)
    assert not page.add_summary()
    assert "newer version of “Neuroblastoma Treatment" in dialogs["asked"][-1][1]
    assert window.context.library.books[0].shipped
    dialogs["answer"].append(True)
    assert page.add_summary()
    assert page.current_location == f"nbpage:changes/{BOOK}"
    assert page.tree.currentItem().text(0) == "What changed in the last update"
    text = page.reader.toPlainText()
    assert "What changed in this summary" in text
    assert "Questions families ask" in text
    assert page.source_bar.overdue.isHidden()  # the notice follows the newest copy
    assert not page.source_bar.changes.isHidden()
    assert "See what changed" in page.source_bar.changes.text()
    page.open_target("Stage M")
    assert not page.source_bar.changes.isHidden()  # reachable until dismissed
    page.source_bar.link_activated.emit(f"nbpage:dismiss-changes/{BOOK}")
    assert page.source_bar.changes.isHidden()
    page.source_bar.link_activated.emit(f"nbpage:source/{BOOK}")
    assert "See what changed" in page.reader.toPlainText()
    [link] = [h for h in re.findall(r'href="([^"]*)"', page.reader.toHtml()) if "changes/" in h]
    page.open_location(link)
    assert "What changed in this summary" in page.reader.toPlainText()
    assert (user_reference_dir() / f"{BOOK}.md").is_file()

    # After a restart the newer copy is the one shown, and the report is still there.
    again = MainWindow(AppContext(window.context.store))
    qtbot.addWidget(again)
    again.show()
    second = reference(again)
    assert second.library.books[0].last_reviewed.year == 2099
    assert second.source_bar.changes.isHidden()
    second.open_location(f"nbpage:changes/{BOOK}")
    assert "Questions families ask" in second.reader.toPlainText()


def test_an_older_copy_is_refused_with_a_plain_message(
        window: MainWindow, dialogs: dict[str, list], monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    page = reference(window)
    older = newer_shipped(tmp_path, "2020-05-04")
    monkeypatch.setattr(page_module, "ask_summary_path", lambda _parent: older)
    assert not page.add_summary()
    assert dialogs["asked"] == []
    title, text = dialogs["told"][-1]
    assert title == "This file cannot be added"
    assert "yours was last reviewed on 30 December 2025, this file on 4 May 2020" in text


def test_summaries_are_removed_from_the_menu_and_the_shipped_one_comes_back(
        window: MainWindow, dialogs: dict[str, list], monkeypatch: pytest.MonkeyPatch) -> None:
    page = reference(window)
    actions = {a.text(): a for a in window.menus["reference"].actions()}
    actions["&Remove this summary…"].trigger()
    assert dialogs["told"][-1][0] == "This summary stays"
    monkeypatch.setattr(page_module, "ask_summary_path",
                        lambda _parent: FIXTURES / "wilms-mini.md")
    assert page.add_summary()
    page.open_target(f"{BOOK}/stage-m")
    actions["&Remove this summary…"].trigger()
    assert dialogs["asked"][-1][2] == "Hide it"
    assert [b.key for b in page.library.books] == ["wilms-tumor-treatment-mini-nci"]
    assert page.tree.topLevelItemCount() == 1
    assert page.current_section_id.startswith("wilms-tumor-treatment-mini-nci/")
    actions["Show &hidden summaries again"].trigger()
    assert page.tree.topLevelItemCount() == 2
    assert page.current_section_id.startswith(f"{BOOK}/")
    page.open_target("wilms-tumor-treatment-mini-nci/stage-i")
    actions["&Remove this summary…"].trigger()
    assert dialogs["asked"][-1][2] == "Remove it"
    assert [b.key for b in page.library.books] == [BOOK]
    page.go_back()  # back into the removed summary: a plain note, not another page
    assert "no longer available" in page.reader.toPlainText()


def test_search_suggests_spelling_says_lay_words_and_names_books(
        window: MainWindow, dialogs: dict[str, list]) -> None:
    page = reference(window)
    page.show_search("neuroblastma")
    text = page.reader.toPlainText()
    assert "Did you mean neuroblastoma?" in text
    assert "Neuroblastoma is a type of cancer that forms in neuroblasts" in text
    assert "Neuroblastoma Treatment (PDQ®)–Patient Version › " in text
    page.show_search("relapse")
    text = page.reader.toPlainText()
    assert "Also searched: “recurrent”, “comes back”" in text
    first = next(h for h in re.findall(r'href="([^"]*)"', page.reader.toHtml())
             if h.startswith("nbsection:"))
    page.open_location(first)
    marked = {s.cursor.selectedText().casefold() for s in page.reader.extraSelections()}
    assert "comes back" in marked
    page.show_search("what is stage L2")
    page.open_location(f"nbsection:{BOOK}/stage-l2?q=what%20is%20stage%20L2")
    marked = {s.cursor.selectedText().casefold() for s in page.reader.extraSelections()}
    assert marked
    assert not marked & {"what", "is"}


def test_term_cards_say_where_a_definition_comes_from_or_show_the_sentence(
        window: MainWindow, dialogs: dict[str, list]) -> None:
    page = reference(window)
    page.open_location(f"nbterm:{BOOK}/46033?w=CT%20scan")
    card = page.card.text.text()
    assert "CT scan (CAT scan)" in card
    assert "From Neuroblastoma Treatment (PDQ®)–Patient Version › Tests that examine" in card
    page.open_location(f"nbterm:{BOOK}/373935?w=nerve&in={BOOK}/neuroblastoma-is-a-type-of-"
                       "cancer-that-forms-in-neuroblasts")
    card = page.card.text.text()
    assert "not explained in this summary" in card
    assert "“Neuroblastoma often begins in the nerve tissue of the adrenal glands.”" in card
    assert dialogs["browser"] == []
    page.card.button.click()
    assert dialogs["browser"][-1].startswith("https://www.cancer.gov/Common/PopUps/")


def test_an_uncertain_cross_reference_opens_cancer_gov_only_after_a_click(
        window: MainWindow, dialogs: dict[str, list], monkeypatch: pytest.MonkeyPatch) -> None:
    page = reference(window)
    monkeypatch.setattr(page_module, "ask_summary_path",
                        lambda _parent: FIXTURES / "hodgkin-style.md")
    assert page.add_summary()
    key = page.library.books[-1].key
    page.open_target(f"{key}/chemotherapy-3")
    address = ("https://www.cancer.gov/types/lymphoma/patient/child-hodgkin-treatment-pdq"
               "#_150")
    assert address in re.findall(r'href="([^"]*)"', page.reader.toHtml())
    page.open_location(address)
    assert page.current_section_id == f"{key}/chemotherapy-3"  # no section was guessed
    assert dialogs["browser"] == []
    assert "outside the app" in page.card.text.text()
    page.card.button.click()
    assert dialogs["browser"] == [address]


def test_record_tooltips_are_labelled_quotes_or_lists_of_headings(
        window: MainWindow) -> None:
    quote = ReferenceLink(window.context, "Stage M")
    html = quote.tooltip_html()
    assert html is not None
    assert "In stage M, neuroblastoma has spread to areas far from the tumor." in html
    assert "From the NCI PDQ summary, word for word" in html
    listed = ReferenceLink(window.context, "The International Neuroblastoma Risk Group "
                                           "Staging System (INRGSS) is used to determine the "
                                           "stage of neuroblastoma.")
    html = listed.tooltip_html()
    assert html is not None
    assert "their headings, not a quote" in html
    assert "<li>Stage L1</li>" in html
    assert "From the NCI PDQ summary" not in html
