"""The page kit: the page base class, empty state, tables, links and the pseudo-language check."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from nbcompanion import i18n
from nbcompanion.record.store import Store
from nbcompanion.ui import translate
from nbcompanion.ui.context import AppContext
from nbcompanion.ui.kit import (
    Card,
    EmptyState,
    EntryTableView,
    Page,
    RowsModel,
    clear_layout,
    heading,
    link_label,
    table_view,
)
from nbcompanion.ui.kit.pseudocheck import english_words, outside_brackets, untranslated_texts
from nbcompanion.ui.tablemodel import ID_ROLE, Column


class CountingPage(Page):
    watched = ("diary_entry",)

    def __init__(self, context: AppContext) -> None:
        super().__init__(context)
        self.refreshed = 0
        layout = QVBoxLayout(self)
        self.add_header(layout, translate.tr("Diary"), translate.tr("What you noticed"),
                        (QPushButton(translate.tr("Add entry")),))
        self.add_content(layout, QLabel("content"))

    def refresh(self) -> None:
        self.refreshed += 1


@pytest.fixture
def context(fresh_store: Store, qapp: object) -> AppContext:
    return AppContext(fresh_store)


@pytest.fixture
def pseudo(qapp: object) -> Iterator[None]:
    translate.install(i18n.PSEUDO)
    yield
    translate.install("en")


def test_a_hidden_page_refreshes_only_when_shown(qtbot, context: AppContext) -> None:
    page = CountingPage(context)
    qtbot.addWidget(page)
    context.record_changed.emit("diary_entry")
    assert page.refreshed == 0
    page.show()
    assert page.refreshed == 1
    context.record_changed.emit("medicine")  # not watched
    assert page.refreshed == 1
    context.record_changed.emit("diary_entry")
    context.record_changed.emit("child")
    context.record_changed.emit("")
    assert page.refreshed == 4
    page.hide()
    context.store_replaced.emit()
    context.active_child_changed.emit(None)
    assert page.refreshed == 4
    page.about_to_show()
    assert page.refreshed == 5
    assert page.can_close()


def test_empty_state_swaps_with_the_content(qtbot, context: AppContext) -> None:
    page = CountingPage(context)
    qtbot.addWidget(page)
    page.show()
    page.show_empty("Nothing yet.", "Add the first")
    assert page.stack.currentWidget() is page.empty
    assert page.empty.message.text() == "Nothing yet."
    assert page.empty.button.isVisibleTo(page)
    with qtbot.waitSignal(page.empty.action_clicked):
        page.empty.button.click()
    page.show_empty("No child yet.")
    assert not page.empty.button.isVisibleTo(page)
    page.show_content()
    assert page.stack.currentWidget() is page.content
    standalone = EmptyState("Nothing here yet.", "Add")
    qtbot.addWidget(standalone)
    assert standalone.button.text() == "Add"


def test_entry_table_opens_with_enter_and_deletes_with_delete(qtbot) -> None:
    model = RowsModel([Column("name", "Name")])
    model.set_rows([{"id": 7, "name": "Ẋýž"}, {"id": 9, "name": "Ŵàĺ"}])
    view = EntryTableView()
    view.setModel(model)
    qtbot.addWidget(view)
    view.show()
    assert view.current_id() is None
    view.selectRow(1)
    assert model.index(1, 0).data(ID_ROLE) == 9
    with qtbot.waitSignal(view.entry_activated) as opened:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert opened.args == [9]
    with qtbot.waitSignal(view.delete_pressed) as deleted:
        qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert deleted.args == [9]


def test_rows_model_hands_out_rows_in_batches(qtbot, qtmodeltester) -> None:
    model = RowsModel([Column("name", "Name")])
    model.set_rows([{"id": n, "name": str(n)} for n in range(100)])
    qtmodeltester.check(model)
    view = table_view(model, "Numbers", stretch=(0,))
    qtbot.addWidget(view)
    assert view.accessibleName() == "Numbers"
    assert model.rowCount() <= 100


def test_cards_headings_links_and_clearing(qtbot) -> None:
    card = Card("Next visit")
    qtbot.addWidget(card)
    assert card.title_label.text() == "Next visit"
    assert card.title_label.font().pointSizeF() == 12.0
    card.body.addWidget(QLabel("one"))
    card.clear()
    assert card.body.count() == 0
    assert heading("Diary").font().bold()
    link = link_label("Open the diary", "diary")
    assert 'href="diary"' in link.text()
    assert link.focusPolicy() == Qt.FocusPolicy.StrongFocus
    holder = QWidget()
    qtbot.addWidget(holder)
    layout = QVBoxLayout(holder)
    layout.addWidget(QLabel("x"))
    clear_layout(layout)
    assert layout.count() == 0


def test_pseudo_check_finds_english_left_unwrapped() -> None:
    assert outside_brackets("[Ŝàṽé] now") == " now"
    assert english_words("[Ŝàṽé] now") == ["now"]
    assert english_words("<b>[Ŝàṽé]</b> 12.5 mg/L · VMA") == []
    assert english_words("Neuroblastoma Caregiver Companion") == []


def test_every_kit_text_goes_through_the_translation_function(
        qtbot, context: AppContext, pseudo: None) -> None:
    page = CountingPage(context)
    qtbot.addWidget(page)
    table = EntryTableView()
    page.layout().addWidget(table)
    page.show()
    page.show_empty(translate.tr("Nothing in the diary yet."), translate.tr("Add entry"))
    page.content.setText("")  # what the family wrote is theirs, not ours to translate
    assert untranslated_texts(page) == []
    page.subtitle.setText("What you noticed")  # a sentence that skipped tr()
    assert untranslated_texts(page) == ["QLabel(): 'What you noticed'"]


def test_a_page_may_keep_current_while_hidden(qtbot, context: AppContext) -> None:
    class Eager(CountingPage):
        refreshes_while_hidden = True

    page = Eager(context)
    qtbot.addWidget(page)
    context.record_changed.emit("diary_entry")
    context.active_child_changed.emit(None)
    assert page.refreshed == 2
