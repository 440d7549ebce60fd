"""The dialogs for a treatment phase and for one treatment event inside a phase."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit, QSpinBox, QWidget

from nbcompanion.i18n import N_
from nbcompanion.record import vocab
from nbcompanion.ui.context import AppContext
from nbcompanion.ui.forms import EntryDialog, OptionalDateEdit, choice_combo
from nbcompanion.ui.record.common import TopicLink, day_text, finish_dialog, set_row_visible
from nbcompanion.ui.translate import tr

#: Which optional fields each kind of event shows (the rest are hidden and saved empty).
_CYCLE_KINDS = {"chemo_cycle", "dinutuximab", "isotretinoin", "eflornithine", "gm_csf",
                "mibg_therapy", "other"}
_DRUG_KINDS = {"chemo_cycle", "hdct_sct", "clinical_trial", "other"}
_TRIAL_KINDS = {"clinical_trial"}


def phase_title(phase: dict[str, Any]) -> str:
    """"Induction (from 3 Mar 2025)"."""
    kind = vocab.label(vocab.PHASE_KINDS, phase.get("kind"))
    start = day_text(phase.get("start_date"))
    return tr("{kind} (from {start})").format(kind=kind, start=start) if start else kind


def event_title(event: dict[str, Any]) -> str:
    """"Chemotherapy cycle 3 — cisplatin, etoposide"."""
    text = vocab.label(vocab.EVENT_KINDS, event.get("kind"))
    if event.get("cycle_number"):
        cycle = event["cycle_number"]
        text = (tr("{kind} {cycle}") if event.get("kind") == "chemo_cycle"
                else tr("{kind} cycle {cycle}")).format(kind=text, cycle=cycle)
    if event.get("kind") == "clinical_trial" and event.get("trial_name"):
        text += f": {event['trial_name']}"
        if event.get("nct_number"):
            text += f" ({event['nct_number']})"
    if event.get("drugs"):
        text += f" — {event['drugs']}"
    return text


class PhaseDialog(EntryDialog):
    """Add or edit a treatment phase: its kind, dates, status and notes."""

    table = "phase"
    add_title = N_("Add treatment phase")
    edit_title = N_("Edit treatment phase")

    def __init__(self, context: AppContext, entry_id: int | None = None,
                 parent: QWidget | None = None, defaults: dict[str, Any] | None = None) -> None:
        if entry_id is None:
            defaults = {"start_date": date.today().isoformat(), "status": "active",
                        **(defaults or {})}
        super().__init__(context, entry_id, parent, defaults)
        self._on_kind_changed()
        finish_dialog(self)

    def build(self) -> None:
        """The phase's fields; its kind links to the summary's description."""
        self.kind_link = TopicLink(self.context)
        self.kind = self.add_field(
            "kind", tr("&Phase"), choice_combo(vocab.PHASE_KINDS, blank=tr("Choose a phase…")),
            extra=self.kind_link)
        self.kind.currentIndexChanged.connect(self._on_kind_changed)
        self.start_date = self.add_field("start_date", tr("&Start"), OptionalDateEdit())
        self.planned_end = self.add_field("planned_end", tr("P&lanned end"), OptionalDateEdit(),
                                          hint=tr("As the care team planned it, if they said."))
        self.actual_end = self.add_field("actual_end", tr("&Actual end"), OptionalDateEdit(),
                                         hint=tr("Leave empty while the phase is under way."))
        self.status = self.add_field("status", tr("S&tatus"),
                                     choice_combo(vocab.PHASE_STATUSES, blank=None))
        self.notes = self.add_field("notes", tr("N&otes"), QPlainTextEdit())
        self.notes.setMinimumHeight(90)

    @Slot()
    def _on_kind_changed(self) -> None:
        choice = vocab.find(vocab.PHASE_KINDS, self.kind.currentData())
        self.kind_link.set_topic(choice.topic if choice else None)


class EventDialog(EntryDialog):
    """Add or edit one treatment event (a chemotherapy cycle, surgery, a trial, …)."""

    table = "treatment_event"
    add_title = N_("Add treatment event")
    edit_title = N_("Edit treatment event")

    def __init__(self, context: AppContext, entry_id: int | None = None,
                 parent: QWidget | None = None, defaults: dict[str, Any] | None = None) -> None:
        if entry_id is None:
            defaults = {"date": date.today().isoformat(), **(defaults or {})}
            if "phase_id" not in defaults:
                defaults["phase_id"] = _current_phase_id(context)
        super().__init__(context, entry_id, parent, defaults)
        self._on_kind_changed()
        finish_dialog(self)

    def build(self) -> None:
        """The event's fields; those that do not fit the chosen kind are hidden."""
        self.phase = self.add_field("phase_id", tr("P&hase"), self._phase_combo())
        self.kind_link = TopicLink(self.context)
        self.kind = self.add_field(
            "kind", tr("&What"),
            choice_combo(vocab.EVENT_KINDS, blank=tr("Choose what was given or done…")),
            extra=self.kind_link)
        self.kind.currentIndexChanged.connect(self._on_kind_changed)
        self.date = self.add_field(
            "date", tr("&Date"), OptionalDateEdit(),
            hint=tr("The day it was given or done (the first day, for a cycle)."))
        self.cycle_number = self.add_field("cycle_number", tr("&Cycle number"), QSpinBox())
        self.cycle_number.setRange(0, 999)
        self.cycle_number.setSpecialValueText(tr("Not set"))
        self.drugs = self.add_field(
            "drugs", tr("D&rugs"), QLineEdit(),
            hint=tr("As written on the treatment plan, e.g. cisplatin, etoposide."))
        self.trial_name = self.add_field("trial_name", tr("&Trial name"), QLineEdit())
        self.nct_number = self.add_field(
            "nct_number", tr("&NCT number"), QLineEdit(),
            hint=tr("The trial’s number on ClinicalTrials.gov, on the consent form."))
        self.nct_number.setPlaceholderText("NCT01234567")
        self.place = self.add_field("place", tr("&Place"), QLineEdit())
        self.notes = self.add_field("notes", tr("N&otes"), QPlainTextEdit())
        self.notes.setMinimumHeight(80)

    def _phase_combo(self) -> QComboBox:
        from nbcompanion.record import queries

        combo = QComboBox()
        combo.addItem(tr("Not part of a phase"), None)
        child_id = self.context.active_child_id
        if child_id is not None:
            for phase in queries.list_phases(self.context.store, child_id):
                combo.addItem(phase_title(phase), phase["id"])
        return combo

    def shown_fields(self) -> set[str]:
        """The optional fields that fit the chosen kind."""
        kind = self.kind.currentData()
        shown = set()
        if kind in _CYCLE_KINDS:
            shown.add("cycle_number")
        if kind in _DRUG_KINDS:
            shown.add("drugs")
        if kind in _TRIAL_KINDS:
            shown |= {"trial_name", "nct_number"}
        return shown

    @Slot()
    def _on_kind_changed(self) -> None:
        choice = vocab.find(vocab.EVENT_KINDS, self.kind.currentData())
        self.kind_link.set_topic(choice.topic if choice else None)
        shown = self.shown_fields()
        optional: dict[str, QWidget] = {"cycle_number": self.cycle_number, "drugs": self.drugs,
                                        "trial_name": self.trial_name,
                                        "nct_number": self.nct_number}
        for name, field in optional.items():
            set_row_visible(self.form, field, name in shown)

    def values(self) -> dict[str, Any]:
        """Fields hidden for this kind are saved empty, so nothing stale is kept."""
        values = super().values()
        shown = self.shown_fields()
        for name in ("cycle_number", "drugs", "trial_name", "nct_number"):
            if name not in shown:
                values[name] = None
        return values


def _current_phase_id(context: AppContext) -> int | None:
    from nbcompanion.record import queries

    child_id = context.active_child_id
    if child_id is None:
        return None
    phase = queries.current_phase(context.store, child_id, date.today())
    return None if phase is None else phase.get("id")
