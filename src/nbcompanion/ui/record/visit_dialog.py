"""The dialog for one visit: when, who, where, why, what was decided, the questions asked
with their answers, and the next appointment."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QDateTime, QTime, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from nbcompanion import wording
from nbcompanion.i18n import N_
from nbcompanion.record import vocab
from nbcompanion.record.errors import ValidationError
from nbcompanion.record.writes import QuestionChange, save_visit
from nbcompanion.ui.context import AppContext
from nbcompanion.ui.forms import (
    ERROR_STYLE,
    MAX_TEXT,
    DateTimeEdit,
    EntryDialog,
    choice_combo,
)
from nbcompanion.ui.record.common import TopicLink, finish_dialog, muted, team_combo
from nbcompanion.ui.translate import tr


class QuestionRow:
    """One question: asked or not, and the answer given."""

    def __init__(self, grid: QGridLayout, row: int, question: dict[str, Any]) -> None:
        self.question = question
        self.asked = QCheckBox(question.get("text") or "")
        self.asked.setToolTip(tr("Tick when this question was asked at this visit"))
        self.asked.setChecked(bool(question.get("asked")))
        self.answer = QLineEdit(question.get("answer") or "")
        self.answer.setPlaceholderText(tr("The answer, in a few words"))
        self.answer.setAccessibleName(
            tr("Answer to: {question}").format(question=question.get("text") or ""))
        self.answer.textChanged.connect(self._on_answer_text_changed)
        grid.addWidget(self.asked, row, 0)
        grid.addWidget(self.answer, row, 1)

    @Slot(str)
    def _on_answer_text_changed(self, text: str) -> None:
        # Typing an answer means it was asked: save the parent a click.
        if text.strip():
            self.asked.setChecked(True)


class QuestionsBox(QWidget):
    """The questions for this visit, each with a tick and an answer, and a line to add one."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("questions_box")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.none_label = muted(tr("No questions are waiting. Add one below, or on the "
                                   "Questions page."))
        outer.addWidget(self.none_label)
        holder = QWidget()
        self.grid = QGridLayout(holder)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setColumnStretch(0, 3)
        self.grid.setColumnStretch(1, 2)
        outer.addWidget(holder)
        line = QHBoxLayout()
        self.new_question = QLineEdit()
        self.new_question.setPlaceholderText(tr("Another question to ask…"))
        self.new_question.setAccessibleName(tr("New question"))
        self.new_question.returnPressed.connect(self.add_typed)
        self.add_button = QPushButton(tr("Add question"))
        self.add_button.clicked.connect(self.add_typed)
        line.addWidget(self.new_question, 1)
        line.addWidget(self.add_button)
        outer.addLayout(line)
        self.rows: list[QuestionRow] = []

    def set_questions(self, questions: list[dict[str, Any]]) -> None:
        """Show ``questions`` (each a dict with id, text, asked, answer)."""
        for question in questions:
            self.rows.append(QuestionRow(self.grid, len(self.rows), question))
        self.none_label.setVisible(not self.rows)

    @Slot()
    def add_typed(self) -> None:
        """Add the typed question to the list (saved with the visit)."""
        text = self.new_question.text().strip()
        if not text:
            return
        self.set_questions([{"id": None, "text": text, "asked": 0, "answer": None}])
        self.new_question.clear()

    def check(self) -> None:
        """ValidationError under ``questions`` for an answer too long to keep."""
        for row in self.rows:
            if len(row.answer.text()) > MAX_TEXT:
                raise ValidationError({"questions": tr(
                    "An answer is very long; please shorten it to {count} characters or "
                    "fewer.").format(count=wording.number_text(MAX_TEXT))})


class VisitDialog(EntryDialog):
    """Add or edit a visit, with its questions and a PDF summary to take along."""

    table = "visit"
    add_title = N_("Add visit")
    edit_title = N_("Edit visit")

    def __init__(self, context: AppContext, entry_id: int | None = None,
                 parent: QWidget | None = None, defaults: dict[str, Any] | None = None) -> None:
        self._questions_changed = False
        super().__init__(context, entry_id, parent, defaults)
        self.setMinimumWidth(640)
        self._on_kind_changed()
        self._load_questions()
        if entry_id is not None:
            self.export_button = QPushButton(tr("Export visit summary (PDF)…"))
            self.export_button.setToolTip(tr("A printable summary to take to the clinic"))
            self.buttons.addButton(self.export_button, self.buttons.ButtonRole.ActionRole)
            self.export_button.clicked.connect(self._on_export_button_clicked)
        finish_dialog(self)

    def build(self) -> None:
        """The visit's fields, then its questions."""
        when = DateTimeEdit()
        now = QDateTime.currentDateTime()
        when.setDateTime(QDateTime(now.date(), QTime(9, 0)))
        self.starts_at = self.add_field("starts_at", tr("&Date and time"), when)
        self.kind_link = TopicLink(self.context)
        self.kind = self.add_field(
            "kind", tr("&Kind"),
            choice_combo(vocab.VISIT_KINDS, blank=tr("Choose the kind of visit…")),
            extra=self.kind_link)
        self.kind.currentIndexChanged.connect(self._on_kind_changed)
        self.member = self.add_field("care_team_member_id", tr("Care team &member"),
                                     team_combo(self.context, self.context.active_child_id))
        self.member.currentIndexChanged.connect(self._on_member_changed)
        self.clinician = self.add_field("clinician", tr("&Clinician"), QLineEdit())
        self.place = self.add_field("place", tr("&Place"), QLineEdit())
        self.reason = self.add_field("reason", tr("&Reason"), QLineEdit())
        self.notes = self.add_field("notes", tr("N&otes"), QPlainTextEdit())
        self.notes.setMinimumHeight(70)
        self.decisions = self.add_field(
            "decisions", tr("What was &decided"), QPlainTextEdit(),
            hint=tr("In the care team’s words, as you understood them."))
        self.decisions.setMinimumHeight(70)
        self.questions = QuestionsBox()
        self.questions_error = QLabel()
        self.questions_error.setObjectName("error_questions")
        self.questions_error.setStyleSheet(ERROR_STYLE)
        self.questions_error.setWordWrap(True)
        self.questions_error.hide()
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.questions)
        column.addWidget(self.questions_error)
        self.form.addRow(QLabel(tr("Questions")), holder)
        self.error_labels["questions"] = self.questions_error
        next_time = QLineEdit()
        next_time.setPlaceholderText(tr("For example: Tue 14 Jan, 9:30 — scans first"))
        self.next_appointment = self.add_field(
            "next_appointment", tr("&Next appointment"), next_time,
            hint=tr("As it was given to you. Add it as a visit of its own too, so it shows "
                    "under upcoming visits."))

    def _load_questions(self) -> None:
        from nbcompanion.record import queries

        if self.entry_id is not None:
            found = queries.questions_for_visit(self.context.store, self.entry_id,
                                                datetime.now())
        elif self.context.active_child_id is not None:
            # A visit being added: the questions still waiting to be asked.
            found = queries.open_questions(self.context.store, self.context.active_child_id)
        else:
            found = []
        self.questions.set_questions(list(found))

    @Slot()
    def _on_kind_changed(self) -> None:
        choice = vocab.find(vocab.VISIT_KINDS, self.kind.currentData())
        self.kind_link.set_topic(choice.topic if choice else None)

    @Slot()
    def _on_member_changed(self) -> None:
        if self.member.currentData() is not None and not self.clinician.text().strip():
            self.clinician.setText(self.member.currentText().split(" — ")[0])

    def values(self) -> dict[str, Any]:
        """The visit's values; the questions are checked first so nothing half-saves."""
        errors: dict[str, str] = {}
        try:
            self.questions.check()
        except ValidationError as error:
            errors.update(error.errors)
        try:
            values = super().values()
        except ValidationError as error:
            errors.update(error.errors)
            raise ValidationError(errors) from None
        if errors:
            raise ValidationError(errors)
        return values

    def write(self, values: dict[str, Any]) -> int:
        """Save the visit and its questions' ticks and answers in one transaction."""
        changes = [QuestionChange(
            question_id=None if row.question.get("id") is None else int(row.question["id"]),
            text=str(row.question.get("text") or ""), asked=row.asked.isChecked(),
            answer=row.answer.text(), before=row.question) for row in self.questions.rows]
        visit_id, self._questions_changed = save_visit(
            self.context.store, values, self.entry_id, changes, self.context.active_child_id)
        return visit_id

    def after_save(self, entry_id: int) -> None:
        """Tell the pages showing questions that they changed too."""
        if self._questions_changed:
            self.context.notify_changed("question")

    @Slot()
    def _on_export_button_clicked(self) -> None:
        from nbcompanion.ui.exports import export_visit_summary_interactively

        if self.entry_id is not None:
            export_visit_summary_interactively(self.context, self, self.entry_id)
