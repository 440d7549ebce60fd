"""The child profile dialog and the child switcher of the toolbar."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QWidget,
)

from nbcompanion import wording
from nbcompanion.i18n import N_
from nbcompanion.record import vocab
from nbcompanion.ui.context import AppContext
from nbcompanion.ui.forms import EntryDialog, OptionalDateEdit, choice_combo
from nbcompanion.ui.record.common import finish_dialog, muted
from nbcompanion.ui.reflinks import ReferenceLink
from nbcompanion.ui.translate import tr
from nbcompanion.ui.undo import delete_with_undo

#: (field, label, choices, topic of its "What is this?" link)
_CHOICE_FIELDS = (
    ("stage", N_("INRGSS stage"), vocab.STAGES, vocab.STAGE_TOPIC),
    ("risk_group", N_("Risk group"), vocab.RISK_GROUPS, vocab.RISK_TOPIC),
    ("histology", N_("Histology"), vocab.HISTOLOGY, vocab.HISTOLOGY_TOPIC),
    ("mycn", N_("MYCN"), vocab.MYCN, vocab.MYCN_TOPIC),
    ("alk", N_("ALK"), vocab.ALK, vocab.ALK_TOPIC),
    ("dna_index", N_("DNA index"), vocab.DNA_INDEX, vocab.DNA_INDEX_TOPIC),
)


class ChildDialog(EntryDialog):
    """Add a child, or edit a child's profile. Saving a new child makes it the active one."""

    table = "child"
    add_title = N_("Add your child")
    edit_title = N_("Child profile")

    def __init__(self, context: AppContext, entry_id: int | None = None,
                 parent: QWidget | None = None, defaults: dict[str, Any] | None = None) -> None:
        self._is_new = entry_id is None
        self.links: dict[str, ReferenceLink] = {}
        super().__init__(context, entry_id, parent, defaults)
        self.setWindowTitle(tr("Add your child") if self._is_new else tr("Child profile"))
        if not self._is_new:
            self.delete_button = QPushButton(tr("Delete this child’s record…"))
            self.delete_button.setToolTip(tr("Deletes the child and everything recorded for them; "
                                          "Ctrl+Z brings it back while the app is open"))
            self.buttons.addButton(self.delete_button, self.buttons.ButtonRole.DestructiveRole)
            self.delete_button.clicked.connect(self._on_delete_button_clicked)
        self._update_age()
        finish_dialog(self)

    def build(self) -> None:
        """The profile's fields; stage, risk group and biomarkers link to the summary."""
        self.name = self.add_field("name", tr("&Name"), QLineEdit(),
                                   hint=tr("Required. A first name is enough."))
        self.birth_date = self.add_field("birth_date", tr("Date of &birth"), OptionalDateEdit())
        self.diagnosis_date = self.add_field("diagnosis_date", tr("&Diagnosis date"),
                                             OptionalDateEdit())
        self.age_label = muted()
        self.age_label.setObjectName("age_at_diagnosis")
        # The full width of the form, so the sentence is never cut in half beside a date.
        self.age_label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self.age_label.setMinimumWidth(280)
        self.form.addRow(tr("Age at diagnosis"), self.age_label)
        self.add_field("primary_site", tr("Where the tumor &started"),
                       choice_combo(vocab.PRIMARY_SITES))
        for name, label, choices, topic in _CHOICE_FIELDS:
            link = ReferenceLink(self.context, topic)
            self.links[name] = link
            self.add_field(name, tr(label), choice_combo(choices), extra=link)
        germline_link = ReferenceLink(self.context, vocab.GERMLINE_TOPIC)
        self.links["germline_result"] = germline_link
        self.add_field("germline_result", tr("Germline ALK/PHOX2B result"), QLineEdit(),
                       hint=tr("As written in the genetics report, if this test was done."),
                       extra=germline_link)
        self.add_field("hospital", tr("Treating &hospital"), QLineEdit())
        notes = QPlainTextEdit()
        notes.setMinimumHeight(80)
        self.add_field("notes", tr("N&otes"), notes)
        for field in (self.birth_date, self.diagnosis_date):
            field.dateChanged.connect(self._update_age)

    @Slot()
    def _update_age(self) -> None:

        birth = self.birth_date.value()
        diagnosis = self.diagnosis_date.value()
        if birth and diagnosis and diagnosis >= birth:
            self.age_label.setText(wording.age_text(birth, date.fromisoformat(diagnosis)))
        elif birth and diagnosis:
            self.age_label.setText(tr("—  (the diagnosis date is before the date of birth)"))
        else:
            self.age_label.setText(tr("Shown once both dates are filled in."))

    def after_save(self, entry_id: int) -> None:
        """A child just added becomes the one the window shows."""
        if self._is_new:
            self.context.set_active_child(entry_id)

    @Slot()
    def _on_delete_button_clicked(self) -> None:
        if self.entry_id is None:
            return
        name = self.name.text().strip() or tr("this child")
        was_active = self.context.active_child_id == self.entry_id
        deleted = delete_with_undo(
            self.context, self, "child", self.entry_id,
            tr("the whole record of {name} (every test, treatment, visit and note)").format(
                name=name))
        if not deleted:
            return
        if was_active:
            from nbcompanion.record import queries

            others = queries.children(self.context.store)
            self.context.set_active_child(others[0]["id"] if others else None)
        self.context.notify_changed("child")
        self.reject()


# Kept importable from here; they live apart so the toolbar loads without the dialog.
from nbcompanion.ui.record.switcher import ChildSwitcher, child_label  # noqa: E402

__all__ = ["ChildDialog", "ChildSwitcher", "child_label"]
