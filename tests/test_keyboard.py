"""Every dialog and page works with the keyboard alone: Tab visits each field once, reaches
Save then Cancel, and never sticks; the shortcut list is the window's own actions."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QTextBrowser,
    QWidget,
)

from nbcompanion.record import drafts
from nbcompanion.record.store import Store, open_store
from nbcompanion.ui.context import AppContext
from nbcompanion.ui.forms import DiscardQuestion, EntryDialog, OptionalDateEdit


@pytest.fixture
def demo(demo_path: Path, qapp: object) -> Iterator[AppContext]:
    store: Store = open_store(demo_path)
    yield AppContext(store)
    store.close()


def _first_id(context: AppContext, table: str) -> int:
    return int(context.store.query(f"SELECT id FROM [{table}] ORDER BY id LIMIT 1")[0]["id"])


def _dialogs(context: AppContext) -> dict[str, Callable[[], QDialog]]:
    """Every dialog of the app, new and editing, built over the sample record."""
    from nbcompanion.ui.daily.diary import DiaryDialog
    from nbcompanion.ui.daily.medicines import MedicineDialog, SkipReasonDialog
    from nbcompanion.ui.daily.questions import AnswerDialog, QuestionDialog
    from nbcompanion.ui.daily.team import CareTeamDialog
    from nbcompanion.ui.exports import ExportOptionsDialog
    from nbcompanion.ui.record.child import ChildDialog
    from nbcompanion.ui.record.test_dialog import TestDialog, TestTypeDialog
    from nbcompanion.ui.record.treatment_dialogs import EventDialog, PhaseDialog
    from nbcompanion.ui.record.visit_dialog import VisitDialog
    from nbcompanion.ui.safety.restore_dialog import RestoreDialog

    made: dict[str, Callable[[], QDialog]] = {}
    for cls, table in ((ChildDialog, "child"), (TestDialog, "test"), (PhaseDialog, "phase"),
                       (EventDialog, "treatment_event"), (VisitDialog, "visit"),
                       (DiaryDialog, "diary_entry"), (MedicineDialog, "medicine"),
                       (CareTeamDialog, "care_team_member")):
        made[f"new {cls.__name__}"] = lambda cls=cls: cls(context)
        made[f"edit {cls.__name__}"] = (
            lambda cls=cls, table=table: cls(context, _first_id(context, table)))
    question = _first_id(context, "question")
    made["QuestionDialog"] = lambda: QuestionDialog(context, question)
    made["AnswerDialog"] = lambda: AnswerDialog(context, question)
    made["TestTypeDialog"] = lambda: TestTypeDialog(context)
    made["SkipReasonDialog"] = lambda: SkipReasonDialog(None, "Eflornithine")
    made["ExportOptionsDialog"] = lambda: ExportOptionsDialog(None, "Export", "Choose paper")
    made["RestoreDialog"] = lambda: RestoreDialog(context)
    from nbcompanion.ui.sharing import PassphraseDialog, ShareDialog

    made["ShareDialog"] = lambda: ShareDialog(None)
    made["PassphraseDialog"] = lambda: PassphraseDialog(None, "To sync, type the passphrase.")
    return made


def _owner(widget: QWidget | None, fields: list[QWidget]) -> QWidget | None:
    """The field a focused widget belongs to (an editable combo's line edit, say)."""
    while widget is not None:
        if widget in fields:
            return widget
        widget = widget.parentWidget()
    return None


def _tab_cycle(qtbot, dialog: QDialog, limit: int = 80) -> list[QWidget]:
    """The widgets Tab visits from the dialog's first focus until it comes round again."""
    start = QApplication.focusWidget()
    assert start is not None, "nothing has the focus"
    assert dialog.isAncestorOf(start), "the focus is outside the dialog"
    seen = [start]
    for _ in range(limit):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        focus = QApplication.focusWidget()
        assert focus is not seen[-1], f"Tab stuck on {focus!r}"
        if focus is start:
            return seen
        seen.append(focus)
    raise AssertionError(f"Tab never came back round: {seen}")


@pytest.mark.parametrize("name", [
    "new ChildDialog", "edit ChildDialog", "new TestDialog", "edit TestDialog",
    "new PhaseDialog", "edit PhaseDialog", "new EventDialog", "edit EventDialog",
    "new VisitDialog", "edit VisitDialog", "new DiaryDialog", "edit DiaryDialog",
    "new MedicineDialog", "edit MedicineDialog", "new CareTeamDialog", "edit CareTeamDialog",
    "QuestionDialog", "AnswerDialog", "TestTypeDialog", "SkipReasonDialog",
    "ExportOptionsDialog", "RestoreDialog", "ShareDialog", "PassphraseDialog"])
def test_tab_alone_walks_every_dialog(qtbot, demo: AppContext, name: str) -> None:
    dialog = _dialogs(demo)[name]()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: dialog.isAncestorOf(QApplication.focusWidget()))
    cycle = _tab_cycle(qtbot, dialog)
    assert len(cycle) == len(set(cycle)), "Tab visited a widget twice in one round"

    buttons = dialog.findChild(QDialogButtonBox)
    shown = [b for b in buttons.buttons() if b.isVisible() and b.isEnabled()]
    # Read the round from the first widget after the buttons (the diary opens on "What").
    last_button = max(i for i, w in enumerate(cycle) if w in shown)
    cycle = cycle[last_button + 1:] + cycle[:last_button + 1]
    accept = [b for b in shown if buttons.buttonRole(b) == QDialogButtonBox.ButtonRole.AcceptRole]
    reject = [b for b in shown if buttons.buttonRole(b) == QDialogButtonBox.ButtonRole.RejectRole]
    positions = {id(w): i for i, w in enumerate(cycle)}
    for button in shown:
        assert id(button) in positions, f"Tab never reaches {button.text()!r}"
    if accept and reject:  # Save, then Cancel, after every field
        assert positions[id(reject[0])] == positions[id(accept[0])] + 1
    if isinstance(dialog, EntryDialog):
        fields = [w for w in dialog.fields.values() if w.isVisible() and w.isEnabled()]
        visited = [_owner(w, fields) for w in cycle]
        for field in fields:
            times = visited.count(field)
            assert times == 1, f"{field.objectName()} visited {times}×"
        # Fields come before the buttons (the cycle may start after the first field).
        save_at = positions[id(accept[0])]
        wraps = [i for i, f in enumerate(visited) if f is not None and i > save_at]
        assert wraps == [], "a field comes after Save"
        first = next(iter(w for w in dialog.fields.values() if w.isVisible()))
        assert _owner(cycle[0], fields) is first, "Tab does not start at the first field"
        opened_on = _owner(QApplication.focusWidget(), fields)
        if "Diary" not in name:  # the diary opens on "What you saw": the time defaults to now
            assert opened_on is first, "the first field has no focus when the dialog opens"
    dialog.done(QDialog.DialogCode.Rejected)


def test_an_empty_date_field_lets_tab_go_on(qtbot) -> None:
    holder = QWidget()
    qtbot.addWidget(holder)
    from PySide6.QtWidgets import QLineEdit, QVBoxLayout

    column = QVBoxLayout(holder)
    before, empty, after = QLineEdit(), OptionalDateEdit(empty_text="Any date"), QLineEdit()
    for widget in (before, empty, after):
        column.addWidget(widget)
    holder.show()
    qtbot.waitExposed(holder)
    holder.activateWindow()
    qtbot.waitUntil(holder.isActiveWindow)
    empty.setFocus()
    qtbot.keyClick(empty, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is after
    qtbot.keyClick(after, Qt.Key.Key_Backtab)
    assert QApplication.focusWidget() is empty
    qtbot.keyClick(empty, Qt.Key.Key_Up)  # an arrow starts from today, never from 1900
    assert empty.value() is not None
    assert empty.date().year() > 2000


def test_ctrl_tab_types_a_tab_in_a_notes_box(qtbot, demo: AppContext) -> None:
    from nbcompanion.ui.daily.team import CareTeamDialog

    dialog = CareTeamDialog(demo)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    notes = dialog.fields["notes"]
    assert isinstance(notes, QPlainTextEdit)
    notes.setFocus()
    qtbot.keyClick(notes, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert notes.toPlainText() == "\t"
    qtbot.keyClick(notes, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not notes


# -- Cancel and drafts -------------------------------------------------------------------------
def _new_visit(context: AppContext) -> EntryDialog:
    from nbcompanion.ui.record.visit_dialog import VisitDialog

    return VisitDialog(context)


def test_cancel_without_changes_keeps_no_draft(qtbot, demo: AppContext, monkeypatch) -> None:
    asked: list[int] = []
    monkeypatch.setattr(DiscardQuestion, "ask", lambda parent: asked.append(1) or True)
    dialog = _new_visit(demo)
    qtbot.addWidget(dialog)
    dialog.cancel()
    assert asked == []
    assert drafts.load_draft(demo.store, dialog.draft_key) is None


def test_cancel_with_changes_asks_and_discards(qtbot, demo: AppContext, monkeypatch) -> None:
    answers = [False, True]
    monkeypatch.setattr(DiscardQuestion, "ask", lambda parent: answers.pop(0))
    dialog = _new_visit(demo)
    qtbot.addWidget(dialog)
    dialog.show()
    kind = dialog.fields["kind"]
    kind.setCurrentIndex(kind.count() - 1)  # pick a visit kind, as in the report
    dialog.fields["reason"].setText("Check-up")
    dialog.keep_draft()  # as the timer would
    dialog.cancel()  # "Keep editing"
    assert dialog.isVisible()
    dialog.cancel()  # "Discard"
    assert not dialog.isVisible()
    assert drafts.load_draft(demo.store, dialog.draft_key) is None
    again = _new_visit(demo)
    qtbot.addWidget(again)
    assert again.draft_note.isHidden()


def test_typing_then_undoing_it_keeps_no_draft(qtbot, demo: AppContext, monkeypatch) -> None:
    monkeypatch.setattr(DiscardQuestion, "ask", lambda parent: pytest.fail("nothing to ask"))
    dialog = _new_visit(demo)
    qtbot.addWidget(dialog)
    dialog.fields["reason"].setText("Check-up")
    dialog.keep_draft()  # as the timer would, while it was typed
    dialog.fields["reason"].setText("")
    dialog.cancel()
    assert drafts.load_draft(demo.store, dialog.draft_key) is None


def test_a_restored_draft_left_alone_stays(qtbot, demo: AppContext, monkeypatch) -> None:
    monkeypatch.setattr(DiscardQuestion, "ask", lambda parent: pytest.fail("nothing to ask"))
    first = _new_visit(demo)
    qtbot.addWidget(first)
    first.fields["reason"].setText("Ask about the scan")
    first.reject()  # closed with the window's close button: the draft is kept
    again = _new_visit(demo)
    qtbot.addWidget(again)
    assert not again.draft_note.isHidden()
    again.cancel()
    assert drafts.load_draft(demo.store, again.draft_key)["reason"] == "Ask about the scan"
    drafts.clear_draft(demo.store, again.draft_key)


def test_closing_the_window_keeps_the_draft(qtbot, demo: AppContext) -> None:
    from nbcompanion.ui.main_window import MainWindow

    window = MainWindow(demo)
    qtbot.addWidget(window)
    window.show()
    dialog = _new_visit(demo)
    dialog.setParent(window, dialog.windowFlags())
    dialog.show()
    dialog.fields["reason"].setText("Ask about the scan")
    assert window.close()
    assert drafts.load_draft(demo.store, dialog.draft_key)["reason"] == "Ask about the scan"
    drafts.clear_draft(demo.store, dialog.draft_key)  # the sample file is shared by the module


# -- the window: pages and shortcuts -----------------------------------------------------------
@pytest.fixture
def window(qtbot, demo: AppContext):
    from nbcompanion.ui.main_window import MainWindow

    made = MainWindow(demo)
    qtbot.addWidget(made)
    made.resize(1366, 768)
    made.show()
    qtbot.waitExposed(made)
    made.activateWindow()
    qtbot.waitUntil(made.isActiveWindow)
    return made


def test_every_page_has_a_shortcut_and_it_opens_the_page(qtbot, window) -> None:
    from nbcompanion.ui.main_window import page_shortcut

    for index, spec in enumerate(window._specs):
        keys = page_shortcut(index)
        assert not keys.isEmpty()
        action = window.findChild(QAction, f"action_page_{spec.key}")
        assert action.shortcut() == keys
        action.trigger()
        assert window.current_page_key() == spec.key
    window.show_page("home")
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page_key() == "tests"


def test_ctrl_f_searches_the_summary_from_any_page(qtbot, window) -> None:
    window.show_page("tests")
    qtbot.keyClick(window.focusWidget() or window, Qt.Key.Key_F,
                   Qt.KeyboardModifier.ControlModifier)
    assert window.current_page_key() == "reference"
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.page("reference").search_box)
    window.show_page("diary")
    qtbot.keyClick(window.focusWidget() or window, Qt.Key.Key_K,
                   Qt.KeyboardModifier.ControlModifier)
    assert window.current_page_key() == "reference"


def test_the_shortcut_list_is_the_windows_actions(qtbot, window) -> None:
    from nbcompanion.ui.help import ShortcutsDialog, action_keys, plain_text

    dialog = ShortcutsDialog(window)
    qtbot.addWidget(dialog)
    listed = {(dialog.table.item(r, 1).text(), dialog.table.item(r, 2).text())
              for r in range(dialog.action_rows)}
    expected = {(plain_text(a.text()), action_keys(a)) for a in window.findChildren(QAction)
                if action_keys(a) and plain_text(a.text())}
    assert listed == expected
    names = {name for name, _ in listed}
    assert "Tests & results" in names  # the "&" is shown, not stripped
    keys = dict(listed)
    assert keys["Search the summary"] == "Ctrl+F, Ctrl+K"
    assert keys["Back"] == "Alt+Left"
    assert "Ctrl++" in keys["Larger text"]
    assert "Ctrl+-" in keys["Smaller text"]
    for spec in window._specs:
        assert spec.title in names, f"{spec.title} has no shortcut"


def test_tab_leaves_every_page(qtbot, window) -> None:
    """On every page Tab moves on from each control and comes back round to the sections."""
    for spec in window._specs:
        window.show_page(spec.key)
        QApplication.processEvents()
        window.nav.setFocus()
        seen: list[QWidget] = [window.nav]
        repeats = 0
        for _ in range(200):
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
            focus = QApplication.focusWidget()
            if focus is seen[-1]:
                # Text with several links (the source line, the reading pane) takes one
                # Tab per link, then lets go; anything else must move on at once.
                repeats += 1
                assert isinstance(focus, (QLabel, QTextBrowser)), f"{spec.key}: stuck on {focus!r}"
                assert repeats < 40, f"{spec.key}: Tab stuck on {focus!r}"
                continue
            repeats = 0
            if focus is window.nav:
                break
            seen.append(focus)
        else:
            raise AssertionError(f"{spec.key}: Tab never came back to the sections")
        assert len(seen) > 1 or spec.key == "timeline", f"{spec.key}: nothing to reach"
        assert len(seen) == len(set(seen)), f"{spec.key}: a control visited twice"
        page = window.page(spec.key)
        reachable = [w for w in page.findChildren(QWidget)
                     if w.isVisible() and w.isEnabled()
                     and w.focusPolicy() & Qt.FocusPolicy.TabFocus and w.focusProxy() is None
                     and not (w.parentWidget() and w.parentWidget().focusProxy() is w)]
        missed = [w for w in reachable if w not in seen]
        assert missed == [], f"{spec.key}: Tab never reaches {missed}"


# -- names for screen readers ------------------------------------------------------------------
def _unnamed(root: QWidget) -> list[str]:
    """Controls Tab reaches that a screen reader could not name."""
    from PySide6.QtGui import QAccessible

    missing = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisible() or not widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            continue
        if widget.objectName() == "qt_spinbox_lineedit":  # read through its spin box
            continue
        interface = QAccessible.queryAccessibleInterface(widget)
        if interface is None or not interface.text(QAccessible.Text.Name).strip():
            missing.append(f"{type(widget).__name__} {widget.objectName()}")
    return missing


def test_every_control_has_a_name(qtbot, window, demo: AppContext) -> None:
    for spec in window._specs:
        page = window.show_page(spec.key)
        QApplication.processEvents()
        assert _unnamed(page) == [], spec.key
    for name, make in _dialogs(demo).items():
        dialog = make()
        qtbot.addWidget(dialog)
        dialog.show()
        assert _unnamed(dialog) == [], name
        dialog.done(QDialog.DialogCode.Rejected)


def test_charts_say_what_they_show_and_where_the_table_is(qtbot, window) -> None:
    trends = window.show_page("trends")
    QApplication.processEvents()
    assert trends.chart.accessibleName().startswith("Chart of")
    assert "table beside the chart" in trends.chart.accessibleDescription()
    timeline = window.show_page("timeline")
    QApplication.processEvents()
    description = timeline.canvas.accessibleDescription()
    assert "tests" in description
    assert "As a list" in description
