"""Questions for the team: a running list anyone can add to, answered at the next visit.

An open question belongs to the next visit (derived each time, so moving a visit moves its
questions); marking it asked records the visit and the answer.
"""

from __future__ import annotations

import contextlib
from datetime import datetime, timedelta
from typing import Any, ClassVar

from PySide6.QtCore import QModelIndex, QTimer, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from nbcompanion.i18n import N_
from nbcompanion.record import drafts, entries
from nbcompanion.record.errors import RecordError, ValidationError
from nbcompanion.ui.context import AppContext
from nbcompanion.ui.daily.common import (
    CARD_TITLE_STYLE,
    RowsModel,
    heading,
    muted,
    no_child_text,
    table_view,
    visit_text,
)
from nbcompanion.ui.forms import ERROR_STYLE, EntryDialog, run_dialog
from nbcompanion.ui.kit import Page
from nbcompanion.ui.tablemodel import ID_ROLE, ROW_ROLE, Column
from nbcompanion.ui.translate import tr
from nbcompanion.ui.undo import delete_with_undo


def nearby_visits(context: AppContext, child_id: int, now: datetime) -> list[dict[str, Any]]:
    """Visits from two months before to two months after ``now``, latest first.

    A small query of this page's own: which visit a question was asked at.
    """
    low = (now - timedelta(days=62)).isoformat(timespec="minutes")
    high = (now + timedelta(days=62)).isoformat(timespec="minutes")
    return context.store.query(
        "SELECT id, starts_at, kind FROM visit WHERE child_id = ? AND starts_at BETWEEN ? AND ? "
        "ORDER BY starts_at DESC LIMIT 30", [child_id, low, high])


class QuestionDialog(EntryDialog):
    """Edit the wording of a question."""

    table = "question"
    add_title = N_("Add question")
    edit_title = N_("Edit question")

    def build(self) -> None:
        """The question's text."""
        text = QPlainTextEdit()
        text.setTabChangesFocus(True)
        text.setFixedHeight(90)
        self.add_field("text", tr("&Question"), text)


class AnswerDialog(EntryDialog):
    """Mark a question asked: at which visit, and the answer written in."""

    table = "question"
    add_title = N_("Add answer")
    edit_title = N_("Edit answer")

    def __init__(self, context: AppContext, entry_id: int, parent: QWidget | None = None,
                 now: datetime | None = None) -> None:
        self._now = now or datetime.now()
        super().__init__(context, entry_id, parent)
        self.setWindowTitle(tr("Mark as asked"))

    def build(self) -> None:
        """The question (read-only), the visit, and the answer."""
        self.question_label = QLabel()
        self.question_label.setWordWrap(True)
        self.question_label.setStyleSheet("font-weight: 600;")
        self.form.addRow(self.question_label)
        self.visit_combo = QComboBox()
        self.visit_combo.addItem(tr("Not at a visit (phone, message…)"), None)
        child_id = self.context.active_child_id
        nearest: tuple[float, int] | None = None
        for visit in nearby_visits(self.context, child_id, self._now) if child_id else []:
            self.visit_combo.addItem(visit_text(visit), visit["id"])
            starts = datetime.fromisoformat(visit["starts_at"][:16])
            # Default: the visit nearest to now that has begun, or one later today.
            distance = abs((starts - self._now).total_seconds())
            if starts <= self._now + timedelta(hours=12) and (
                    nearest is None or distance < nearest[0]):
                nearest = (distance, self.visit_combo.count() - 1)
        if nearest is not None:
            self.visit_combo.setCurrentIndex(nearest[1])
        self.add_field("visit_id", tr("Asked &at"), self.visit_combo)
        answer = QPlainTextEdit()
        answer.setTabChangesFocus(True)
        answer.setFixedHeight(110)
        self.add_field("answer", tr("The &answer"), answer,
                       hint=tr("In your own words, as the team said it."))

    def load_extra(self, entry: dict[str, Any]) -> None:
        """Show the question; keep the default visit when it was not asked yet."""
        self.question_label.setText(entry.get("text") or "")
        if not entry.get("asked") and entry.get("visit_id") is None:
            return
        index = self.visit_combo.findData(entry.get("visit_id"))
        if index >= 0:
            self.visit_combo.setCurrentIndex(index)

    def load(self, entry: dict[str, Any]) -> None:
        """Fields from the entry, but a visit not yet chosen keeps the suggested one."""
        keep = self.visit_combo.currentIndex()
        super().load(entry)
        if not entry.get("asked") and entry.get("visit_id") is None:
            self.visit_combo.setCurrentIndex(keep)

    def extra_values(self) -> dict[str, Any]:
        """An answered question is an asked one."""
        return {"asked": 1}


class QuestionsPage(Page):
    """Quick add at the top; open questions with their visit; answered ones below."""

    watched = ("question", "visit")
    refreshes_while_hidden = True  # small lists, kept current as the record changes

    OPEN_COLUMNS: ClassVar[list[Column]] = [
        Column("text", "Question"),
        Column("visit", "For", format=lambda r: r.get("visit_text") or "No visit planned yet"),
    ]
    ANSWERED_COLUMNS: ClassVar[list[Column]] = [
        Column("text", "Question"),
        Column("answer", "Answer"),
        Column("visit", "Asked at", format=lambda r: r.get("visit_text") or "—"),
    ]

    def __init__(self, context: AppContext, parent: QWidget | None = None,
                 now: Any = datetime.now) -> None:
        super().__init__(context, parent)
        self.now = now
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(heading(tr("Questions for the team")))
        layout.addWidget(muted(tr("Write a question down whenever it comes to you. It waits for "
                               "your next visit, and you can write the answer in afterwards.")))
        add_row = QHBoxLayout()
        self.quick_edit = QLineEdit()
        self.quick_edit.setPlaceholderText(tr("Type a question and press Enter"))
        self.quick_edit.setAccessibleName(tr("New question"))
        self.quick_edit.returnPressed.connect(self.add_quick)
        # A half-typed question is kept as a draft, like every entry dialog's text.
        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(400)
        self._draft_timer.timeout.connect(self.keep_draft)
        self.quick_edit.textEdited.connect(self._draft_timer.start)
        self._draft_child: int | None = None
        self.add_button = QPushButton(tr("Add question"))
        self.add_button.clicked.connect(self.add_quick)
        add_row.addWidget(self.quick_edit, 1)
        add_row.addWidget(self.add_button)
        layout.addLayout(add_row)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.hide()
        layout.addWidget(self.message)
        self.next_visit_label = muted("")
        layout.addWidget(self.next_visit_label)

        self.open_model = RowsModel(self.OPEN_COLUMNS, self)
        self.open_view = table_view(self.open_model, "Open questions", stretch=(0,))
        self.open_view.activated.connect(self._on_open_view_activated)
        self.answered_model = RowsModel(self.ANSWERED_COLUMNS, self)
        self.answered_view = table_view(self.answered_model, "Answered questions",
                                        stretch=(0, 1))
        self.answered_view.activated.connect(self._on_answered_view_activated)

        open_box = QWidget()
        open_layout = QVBoxLayout(open_box)
        open_layout.setContentsMargins(0, 0, 0, 0)
        self.open_title = QLabel(tr("Still to ask"))
        self.open_title.setStyleSheet(CARD_TITLE_STYLE)
        open_layout.addWidget(self.open_title)
        self.open_empty = muted(tr("No open questions. Anything you want to ask the team can go "
                                "in the box above."))
        open_layout.addWidget(self.open_empty)
        open_layout.addWidget(self.open_view, 1)
        buttons = QHBoxLayout()
        self.asked_button = QPushButton(tr("Mark asked and write the answer…"))
        self.asked_button.clicked.connect(self.answer_selected)
        self.edit_button = QPushButton(tr("Edit…"))
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button = QPushButton(tr("Delete…"))
        self.delete_button.clicked.connect(self.delete_selected)
        for button in (self.asked_button, self.edit_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        open_layout.addLayout(buttons)

        answered_box = QWidget()
        answered_layout = QVBoxLayout(answered_box)
        answered_layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel(tr("Asked and answered"))
        title.setStyleSheet(CARD_TITLE_STYLE)
        answered_layout.addWidget(title)
        answered_layout.addWidget(self.answered_view, 1)
        splitter = QSplitter()
        splitter.setOrientation(splitter.orientation().Vertical)
        splitter.addWidget(open_box)
        splitter.addWidget(answered_box)
        layout.addWidget(splitter, 1)

        self.refresh()

    # -- data -------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Reload both lists and the next visit."""
        child_id = self.context.active_child_id
        has_child = child_id is not None
        self.quick_edit.setEnabled(has_child)
        if child_id != self._draft_child:
            self._draft_child = child_id
            draft = drafts.load_draft(self.context.store, self._draft_key()) if has_child else None
            self.quick_edit.setText(str((draft or {}).get("text") or ""))
        self.add_button.setEnabled(has_child)
        self.open_empty.setText(
            tr("No open questions. Anything you want to ask the team can go in the box above.")
            if has_child else tr("Once your child is added (on the Home page), questions you "
            "type in the box above wait here for your next visit."))
        if not has_child:
            self.next_visit_label.setText(no_child_text())
            self.open_model.set_rows([])
            self.answered_model.set_rows([])
            self._update_buttons()
            return
        from nbcompanion.record import queries

        store = self.context.store
        assert child_id is not None  # checked above; tells the type checker
        next_visit = queries.next_visit(store, child_id, self.now())
        upcoming = visit_text(next_visit)
        self.next_visit_label.setText(
            tr("New questions are for your next visit: {upcoming}.").format(upcoming=upcoming)
            if upcoming else tr("No visit is planned yet; questions wait here until you add "
                                "one on the Visits page."))
        open_rows = [dict(r) for r in queries.open_questions(store, child_id)]
        for row in open_rows:
            row["visit_text"] = upcoming
        self.open_model.set_rows(open_rows)
        answered = [dict(r) for r in queries.answered_questions(store, child_id)]
        visits: dict[int, dict[str, Any] | None] = {}
        for row in answered:
            visit_id = row.get("visit_id")
            if visit_id is not None and visit_id not in visits:
                try:
                    visits[visit_id] = entries.get(store, "visit", visit_id)
                except RecordError:
                    visits[visit_id] = None
            row["visit_text"] = visit_text(visits.get(visit_id) if visit_id else None)
        self.answered_model.set_rows(answered)
        self.open_empty.setVisible(not open_rows)
        self.open_title.setText(tr("Still to ask ({len})").format(len=len(open_rows)) if open_rows
                                else tr("Still to ask"))
        self._update_buttons()

    def _update_buttons(self) -> None:
        has_open = self.open_model.rowCount() > 0
        for button in (self.asked_button, self.edit_button, self.delete_button):
            button.setEnabled(has_open)

    def selected_open(self) -> dict[str, Any] | None:
        """The open question under the cursor (or the first one)."""
        index = self.open_view.currentIndex()
        if not index.isValid() and self.open_model.rowCount():
            index = self.open_model.index(0, 0)
        return self.open_model.data(index, ROW_ROLE) if index.isValid() else None

    # -- actions ----------------------------------------------------------------------------
    @Slot()
    def add_quick(self) -> int | None:
        """Add the typed question; returns its id (None when nothing was saved)."""
        child_id = self.context.active_child_id
        if child_id is None:
            return None
        self.message.hide()
        try:
            question_id = entries.save(self.context.store, "question",
                                       {"child_id": child_id, "text": self.quick_edit.text()})
        except ValidationError as error:
            self.message.setText(" ".join(error.errors.values()))
            self.message.show()
            return None
        except RecordError as error:
            self.message.setText(tr("{error} Your question is still in the box.").format(
                                    error=error))
            self.message.show()
            return None
        self.quick_edit.clear()
        self._draft_timer.stop()
        with contextlib.suppress(RecordError):  # a stale draft is harmless
            drafts.clear_draft(self.context.store, self._draft_key())
        self.context.notify_changed("question")
        return question_id

    def _draft_key(self) -> str:
        return f"question:{self.context.active_child_id}:quick"

    @Slot()
    def keep_draft(self) -> None:
        """Keep the question being typed (it survives closing the app)."""
        self._draft_timer.stop()
        if self.context.active_child_id is None:
            return
        text = self.quick_edit.text()
        if text.strip():
            drafts.save_draft(self.context.store, self._draft_key(), {"text": text})
        else:
            with contextlib.suppress(RecordError):
                drafts.clear_draft(self.context.store, self._draft_key())

    def can_close(self) -> bool:
        """Save the draft before the window closes; never blocks closing."""
        if self._draft_timer.isActive():
            self.keep_draft()
        return True

    @Slot()
    def answer_selected(self) -> AnswerDialog | None:
        """Open "Mark as asked" for the selected question."""
        row = self.selected_open()
        if row is None:
            return None
        dialog = AnswerDialog(self.context, row["id"], self, now=self.now())
        run_dialog(dialog)
        return dialog

    @Slot()
    def edit_selected(self) -> QuestionDialog | None:
        """Edit the selected question's wording."""
        row = self.selected_open()
        if row is None:
            return None
        dialog = QuestionDialog(self.context, row["id"], self)
        run_dialog(dialog)
        return dialog

    @Slot()
    def delete_selected(self) -> bool:
        """Delete the selected question after asking (Ctrl+Z undoes)."""
        row = self.selected_open()
        if row is None:
            return False
        return delete_with_undo(self.context, self, "question", row["id"],
                                f"the question “{row['text'][:60]}”")

    @Slot(QModelIndex)
    def _on_open_view_activated(self, index: QModelIndex) -> None:
        self.open_view.setCurrentIndex(index)
        self.answer_selected()

    @Slot(QModelIndex)
    def _on_answered_view_activated(self, index: QModelIndex) -> None:
        question_id = self.answered_model.data(index, ID_ROLE)
        if question_id is not None:
            run_dialog(AnswerDialog(self.context, question_id, self, now=self.now()))

    # -- navigation -------------------------------------------------------------------------
    def open_target(self, target: object) -> None:
        """Select the question ``{"entry_id": id}``."""
        if not isinstance(target, dict):
            return
        for model, view in ((self.open_model, self.open_view),
                            (self.answered_model, self.answered_view)):
            row = model.row_of_id(target.get("entry_id", -1))
            if row is not None:
                view.selectRow(row)
                view.setFocus()
                return

    def about_to_show(self) -> None:
        """The next visit changes with time: refresh on every visit to the page."""
        self.refresh()
        self.quick_edit.setFocus()
