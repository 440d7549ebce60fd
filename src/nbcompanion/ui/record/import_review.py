"""The review before results from a FHIR file are added: what, for whom, and what is left out.

Rows are grouped by date and report. Rows already in the record, and dates without a day,
start unticked; rows that cannot be added are shown greyed with the reason. When the file
names another person, a red warning says so and "Add" waits for the family to confirm.

Signals:
    import_confirmed(): the family pressed "Add N results" (the caller writes them).
"""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from nbcompanion.fhir.review import OTHER, OTHER_TYPE_NAME, ReviewPlan, ReviewRow
from nbcompanion.i18n import N_
from nbcompanion.ui.record.common import day_text, muted
from nbcompanion.ui.record.review_model import ReviewModel
from nbcompanion.ui.translate import tr
from nbcompanion.wording import count_text

WARNING_STYLE = ("QLabel { background: #fde2e1; color: #8a1c12; border: 2px solid #c62828; "
                 "border-radius: 6px; padding: 8px; font-weight: 600; }")
NOTICE_STYLE = ("QLabel { background: #fff6dd; color: #5c4400; border: 1px solid #e0b400; "
                "border-radius: 6px; padding: 6px; }")


def _born(birth: str | None) -> str:
    return (tr(", born {day}").format(day=day_text(birth)) if birth
            else tr(", birth date not given"))


class ReviewDialog(QDialog):
    """Review of one file's results before anything is written."""

    import_confirmed = Signal()
    #: Groups opened when the dialog appears (each costs time in a file of 10,000 reports;
    #: so would spanning their titles across the row, hence a wide first column instead).
    OPEN_GROUPS = 150

    def __init__(self, plan: ReviewPlan, test_types: list[tuple[int, str]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plan = plan
        self._type_names = dict(test_types)
        self.setWindowTitle(tr("Review results from {file_name}").format(
                               file_name=plan.findings.file_name))
        self.setObjectName("import_review")
        layout = QVBoxLayout(self)

        intro = QLabel(tr("Nothing has been added yet. Check the results below; untick any "
                          "you do not want, then press “Add” to put them into {child_name}’s "
                          "record. You can undo the whole import with Ctrl+Z.").format(
                          child_name=plan.child_name))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addWidget(self._people_box())

        self.questions: dict[str, QComboBox] = {}
        if plan.questions:
            layout.addWidget(self._questions_box(test_types))

        self.model = ReviewModel(plan, self._type_names, self)
        self.model.inclusion_changed.connect(self._update_add_button)
        self.tree = QTreeView()
        self.tree.setObjectName("review_tree")
        self.tree.setAccessibleName(tr("Results in the file"))
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setModel(self.model)
        for column, width in enumerate((330, 165, 150, 185, 130)):
            self.tree.setColumnWidth(column, width)
        # Opening every group of a 50,000-result file would take seconds: open the first ones.
        groups = self.model.rowCount()
        for group in range(min(groups, self.OPEN_GROUPS)):
            self.tree.expand(self.model.index(group, 0))
        layout.addWidget(self.tree, 1)
        count = len(plan.rows)
        results = count_text(count, N_("{count} result"), N_("{count} results"))
        places = count_text(groups, N_("{count} date or report"), N_("{count} dates or reports"))
        if groups > self.OPEN_GROUPS:
            shown = tr("{results} on {places}; the first {open} are open, click ▸ to open the "
                       "others.").format(results=results, places=places, open=self.OPEN_GROUPS)
        else:
            shown = tr("{results} on {places}.").format(results=results, places=places)
        self.count_label = muted(shown)
        layout.addWidget(self.count_label)

        layout.addLayout(self._left_out_row())

        self.buttons = QDialogButtonBox()
        self.add_button = QPushButton(tr("Add"))
        self.add_button.setDefault(True)
        self.buttons.addButton(self.add_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        self.waiting = QLabel()
        self.waiting.setObjectName("review_waiting")
        self.waiting.setWordWrap(True)
        self.waiting.setStyleSheet("color: #8a4b00; font-weight: 600;")
        bottom.addWidget(self.waiting, 1)
        bottom.addWidget(self.buttons)
        layout.addLayout(bottom)
        self._update_add_button()
        self.resize(1200, 700)

    # -- parts -------------------------------------------------------------------------------
    def _people_box(self) -> QWidget:
        plan = self.plan
        box = QGroupBox(tr("Whose results"))
        form = QFormLayout(box)
        people = [f"{p.name or 'No name given'}{_born(p.birth_date)}"
                  for p in plan.findings.patients] or ["The file names no one"]
        self.file_person = QLabel("; ".join(dict.fromkeys(people)))
        self.file_person.setObjectName("file_person")
        self.record_person = QLabel(f"{plan.child_name}{_born(plan.child_birth_date)}")
        form.addRow(tr("In the file:"), self.file_person)
        form.addRow(tr("This record:"), self.record_person)
        self.warning = QLabel(plan.patient_warning or "")
        self.warning.setObjectName("patient_warning")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(WARNING_STYLE if plan.patient_mismatch else NOTICE_STYLE)
        if not plan.patient_warning:
            self.warning.setText(tr("✓ The same name and birth date as in this record."))
            self.warning.setStyleSheet("QLabel { color: #1b5e20; font-weight: 600; }")
        form.addRow(self.warning)
        self.confirm_person = QCheckBox(
            tr("I have checked: these are {name}’s results").format(name=plan.child_name))
        self.confirm_person.setVisible(plan.patient_mismatch)
        self.confirm_person.toggled.connect(self._update_add_button)
        form.addRow(self.confirm_person)
        return box

    def _questions_box(self, test_types: list[tuple[int, str]]) -> QWidget:
        box = QGroupBox(tr("New kinds of result: which test are they part of?"))
        form = QFormLayout(box)
        hint = muted(tr("The app remembers your answer for the next file."))
        form.addRow(hint)
        for key, name in self.plan.questions.items():
            combo = QComboBox()
            combo.setMinimumWidth(320)
            combo.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
            combo.setAccessibleName(tr("Test for {name}").format(name=name))
            combo.addItem(tr("Choose…"), None)
            for type_id, type_name in test_types:
                if type_name.lower() != OTHER_TYPE_NAME.lower():
                    combo.addItem(tr(type_name), type_id)
            combo.addItem(tr("Other ({name})").format(name=OTHER_TYPE_NAME), OTHER)
            chosen = self.plan.choices.get(key)
            if chosen is not None:
                combo.setCurrentIndex(max(combo.findData(chosen), 0))
            combo.currentIndexChanged.connect(
                lambda _i, k=key, c=combo: self._on_question_answered(k, c))
            self.questions[key] = combo
            form.addRow(tr("“{name}”:").format(name=name), combo)
        return box

    def _left_out_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        skipped = self.plan.findings.skipped
        reasons = Counter(s.reason[:1].upper() + s.reason[1:] for s in skipped)
        if skipped:
            summary = count_text(
                len(skipped), N_("{count} item in the file is not a lab result the app can add, "
                                 "and is left out."),
                N_("{count} items in the file are not lab results the app can add, and are "
                   "left out."))
        else:
            summary = tr("Everything in the file is shown above.")
        self.left_out = muted(summary)
        self.left_out.setWordWrap(True)
        row.addWidget(self.left_out, 1)
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.setPlainText("\n".join(
            (f"{count:,} × " if count > 1 else "") + reason
            for reason, count in reasons.most_common(300)))
        self.details.setVisible(False)
        self.details.setMaximumHeight(110)
        if skipped:
            toggle = QPushButton(tr("Show what was left out"))
            toggle.setCheckable(True)
            toggle.toggled.connect(self.details.setVisible)
            row.addWidget(toggle)
        wrapper = QVBoxLayout()
        wrapper.addLayout(row)
        wrapper.addWidget(self.details)
        outer = QHBoxLayout()
        outer.addLayout(wrapper)
        return outer

    # -- state -------------------------------------------------------------------------------
    def rows_to_add(self) -> list[ReviewRow]:
        """The rows ticked now (and addable)."""
        return self.plan.chosen_rows()

    def set_included(self, index: int, included: bool) -> None:
        """Tick or untick the plan's row ``index`` (as its check box does)."""
        self.model.setData(self.model.index_of(index), Qt.CheckState.Checked if included
                           else Qt.CheckState.Unchecked, Qt.ItemDataRole.CheckStateRole)

    def answer(self, key: str, type_id: int) -> None:
        """Choose the test for an unknown code (as picking it in its list does)."""
        combo = self.questions[key]
        combo.setCurrentIndex(combo.findData(type_id))

    def _on_question_answered(self, key: str, combo: QComboBox) -> None:
        chosen = combo.currentData()
        if chosen is None:
            self.plan.choices.pop(key, None)
        else:
            self.plan.choices[key] = int(chosen)
        self.model.refresh_types()
        self._update_add_button()

    def unanswered(self) -> list[str]:
        """Names of ticked results whose test is not chosen yet."""
        missing = {k for k in self.plan.questions if k not in self.plan.choices}
        if not missing:
            return []
        return sorted({r.found.name for r in self.plan.rows if r.include and r.addable
                       and r.test_type_id is None and r.found.code_key in missing})

    @Slot()
    def _update_add_button(self) -> None:
        count = self.model.included
        self.add_button.setText(tr("Add {count:,} result{value}").format(
                                   count=count, value='s' if count != 1 else ''))
        waiting = self.unanswered()
        blocked = self.plan.patient_mismatch and not self.confirm_person.isChecked()
        self.add_button.setEnabled(count > 0 and not waiting and not blocked)
        if blocked:
            reason = tr("First confirm above that these are {name}’s results.").format(
                name=self.plan.child_name)
        elif waiting:
            reason = tr("First choose above which test these belong to: {tests}.").format(
                tests=", ".join(waiting))
        elif count == 0:
            reason = "No result is ticked."
        else:
            reason = ""
        self.add_button.setToolTip(reason)
        self.waiting.setText(reason)

    @Slot()
    def _on_buttons_accepted(self) -> None:
        if self.add_button.isEnabled():
            self.import_confirmed.emit()
