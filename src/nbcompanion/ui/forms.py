"""Building blocks of every entry dialog: fields with a message beside them, drafts, saving.

An :class:`EntryDialog` subclass only declares its fields; this module reads and writes the
widgets, keeps a draft of a new entry while it is typed (so closing the dialog or the app
loses nothing), shows each validation message beside its field, and keeps the dialog open
with everything typed when the disk refuses a save.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from nbcompanion.i18n import N_
from nbcompanion.record import drafts, entries
from nbcompanion.record.errors import RecordError, ValidationError
from nbcompanion.record.validation import validate
from nbcompanion.record.vocab import Choice
from nbcompanion.ui.context import AppContext
from nbcompanion.ui.datefields import DateTimeEdit, OptionalDateEdit
from nbcompanion.ui.keyboard import order_dialog_focus, prepare_keyboard
from nbcompanion.ui.number_fields import AmbiguousNumber, NumberError, number_text, read_number
from nbcompanion.ui.theme import error_style
from nbcompanion.ui.translate import tr
from nbcompanion.ui.undo import DiscardQuestion

#: A message beside a field. Prefer :func:`~nbcompanion.ui.theme.error_style`, which follows
#: a palette switched while the app runs; this one is the palette at start-up.
ERROR_STYLE = error_style()
#: Longest text a single field accepts; longer pastes get a message, never silent cutting.
MAX_TEXT = 20_000

#: Any field widget; add_field hands it back with its own type.
FieldT = TypeVar("FieldT", bound=QWidget)


class FieldError(ValueError):
    """A field's text cannot be read (e.g. "12,5.3" for a number); the message is for the user.

    ``ambiguous`` is set when a number could be read two ways ("1,200").
    """

    def __init__(self, message: str, *, ambiguous: AmbiguousNumber | None = None) -> None:
        super().__init__(message)
        self.ambiguous = ambiguous


# -- widgets -------------------------------------------------------------------------------
class NumberEdit(QLineEdit):
    """A number typed as text, so a half-typed value is never lost or rounded."""

    def __init__(self, parent: QWidget | None = None, placeholder: str = "") -> None:
        super().__init__(parent)
        self.setPlaceholderText(placeholder)

    def value(self, unit: str | None = None) -> float | None:
        """The number, None when empty, or FieldError with a message.

        Read with the system locale and the two ways labs print numbers; an input two
        readings give different numbers for ("1,200") raises FieldError whose
        ``ambiguous`` holds the readings (``unit`` may settle it: cells/µL are whole).
        """
        try:
            return read_number(self.text(), unit=unit)
        except AmbiguousNumber as error:
            raise FieldError(str(error), ambiguous=error) from None
        except NumberError as error:
            raise FieldError(str(error)) from None

    def set_value(self, value: float | str | None) -> None:
        """Show a number without needless decimals (a draft's half-typed text as it was)."""
        if isinstance(value, str):
            self.setText(value)
            return
        self.setText("" if value is None else number_text(value))


#: The empty first entry of a choice that may be left unset.
NOT_RECORDED = N_("Not recorded")


def choice_combo(choices: tuple[Choice, ...], *, blank: str | None = NOT_RECORDED) -> QComboBox:
    """A combo box over a vocabulary; ``blank`` adds an empty first entry."""
    combo = QComboBox()
    if blank is not None:
        combo.addItem(tr(NOT_RECORDED) if blank is NOT_RECORDED else blank, None)
    for choice in choices:
        combo.addItem(choice.label, choice.key)
    return combo


# -- reading and writing any supported widget ----------------------------------------------
def read_widget(widget: QWidget) -> Any:
    """The stored value of a field widget (None for empty)."""
    if isinstance(widget, (OptionalDateEdit, DateTimeEdit, NumberEdit)):
        return widget.value()
    if isinstance(widget, QComboBox):
        return widget.currentData()
    if isinstance(widget, QCheckBox):
        return 1 if widget.isChecked() else 0
    if isinstance(widget, QSpinBox):
        return widget.value() if widget.value() != widget.minimum() else None
    if isinstance(widget, QPlainTextEdit):
        text = widget.toPlainText()
    elif isinstance(widget, QLineEdit):
        text = widget.text()
    else:
        raise TypeError(f"no reader for {type(widget).__name__}")
    if len(text) > MAX_TEXT:
        raise FieldError(tr("This is very long ({len:,} characters). Please shorten it to "
                            "{max_text:,} or fewer; nothing has been cut.").format(
                            len=len(text), max_text=MAX_TEXT))
    return text.strip() or None


def write_widget(widget: QWidget, value: Any) -> None:
    """Show ``value`` in a field widget."""
    if isinstance(widget, (OptionalDateEdit, DateTimeEdit, NumberEdit)):
        widget.set_value(value)
    elif isinstance(widget, QComboBox):
        index = widget.findData(value)
        widget.setCurrentIndex(max(index, 0))
    elif isinstance(widget, QCheckBox):
        widget.setChecked(bool(value))
    elif isinstance(widget, QSpinBox):
        widget.setValue(widget.minimum() if value is None else int(value))
    elif isinstance(widget, QPlainTextEdit):
        widget.setPlainText(value or "")
    elif isinstance(widget, QLineEdit):
        widget.setText("" if value is None else str(value))
    else:
        raise TypeError(f"no writer for {type(widget).__name__}")


def _changed_signal(widget: QWidget) -> Any:
    for name in ("textChanged", "currentIndexChanged", "dateChanged", "dateTimeChanged",
                 "toggled", "valueChanged"):
        if hasattr(widget, name):
            return getattr(widget, name)
    return None


# -- the dialog ----------------------------------------------------------------------------
class EntryDialog(QDialog):
    """Base dialog that edits one entry of ``table``.

    Subclasses call :meth:`add_field` in ``build()``, may override :meth:`extra_values`
    (values not tied to one widget) and :meth:`load_extra`. Saving validates in the record
    layer; messages appear beside their fields, and nothing is saved until all is right.

    Signals:
        saved(int): the entry was saved; its id.
    """

    saved = Signal(int)

    table = ""
    noun = "entry"
    #: Widgets Tab visits first, in this order, when the fast path differs from the layout.
    tab_chain: list[QWidget] | None = None
    #: The window's title when adding and when editing (full sentences, so a translation
    #: can agree with the noun); marked with N_ and translated when shown.
    add_title = N_("Add entry")
    edit_title = N_("Edit entry")

    def __init__(self, context: AppContext, entry_id: int | None = None,
                 parent: QWidget | None = None, defaults: dict[str, Any] | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.entry_id = entry_id
        self.fields: dict[str, QWidget] = {}
        self.error_labels: dict[str, QLabel] = {}
        self.setWindowTitle(self.title_text(entry_id is not None))
        self.setMinimumWidth(520)

        outer = QVBoxLayout(self)
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(error_style() + " font-weight: bold;")
        self.banner.hide()
        outer.addWidget(self.banner)
        self.draft_note = QLabel()
        self.draft_note.setWordWrap(True)
        self.draft_note.hide()
        outer.addWidget(self.draft_note)

        body = QWidget()
        self.form = QFormLayout(body)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.discard_button = QPushButton(tr("Discard draft"))
        self.discard_button.setToolTip(tr("Forget what was typed and start again"))
        self.buttons.addButton(self.discard_button, QDialogButtonBox.ButtonRole.ResetRole)
        self.discard_button.hide()  # after addButton, which would show it again
        self.discard_button.clicked.connect(self._on_discard_clicked)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.cancel)
        outer.addWidget(self.buttons)

        self.build()
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the fields take the focus, not the frame
        self._body = body
        self._focus_ordered = False
        self._fit_to_form(body)
        if entry_id is not None:
            self.load(entries.get(context.store, self.table, entry_id))
        elif defaults:
            self.load(defaults)
        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(400)
        self._draft_timer.timeout.connect(self.keep_draft)
        self._restore_draft()
        for widget in self.fields.values():
            signal = _changed_signal(widget)
            if signal is not None:
                signal.connect(self._draft_timer.start)
        self._opened_with = self._snapshot()

    def showEvent(self, event: QShowEvent) -> None:
        """The first field has the focus when the dialog opens."""
        super().showEvent(event)
        if not self._focus_ordered and not event.spontaneous():
            # On opening, when subclasses have added every field and button (never again
            # after an error: the message moves the focus then).
            self._focus_ordered = True
            prepare_keyboard(self)
            first = order_dialog_focus(self._body, self.buttons, self.tab_chain)
            if first is not None:
                first.setFocus(Qt.FocusReason.TabFocusReason)

    def title_text(self, editing: bool) -> str:
        """The window title, in the current language."""
        return tr(self.edit_title if editing else self.add_title)

    def _fit_to_form(self, body: QWidget) -> None:
        """Open tall enough to show the whole form when the screen allows, not a scroll box."""
        screen = self.screen()
        room = screen.availableGeometry().height() * 0.85 if screen is not None else 800
        wanted = body.sizeHint().height() + self.buttons.sizeHint().height() + 60
        self.resize(max(self.sizeHint().width(), self.minimumWidth()),
                    int(min(max(wanted, 300), room)))

    # -- for subclasses ---------------------------------------------------------------------
    def build(self) -> None:
        """Add the fields (override)."""

    def add_field(self, name: str, label: str, widget: FieldT, *, hint: str = "",
                  extra: QWidget | None = None) -> FieldT:
        """Add a labelled field with an (initially hidden) message line beneath it.

        Returns ``widget`` with its own type, so a dialog keeps its fields as typed
        attributes (``self.kind = self.add_field("kind", …, QComboBox())``) that mypy checks.
        """
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        if extra is not None:
            row = QWidget()
            line = QVBoxLayout(row) if isinstance(widget, QPlainTextEdit) else QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            line.addWidget(widget, 1)
            line.addWidget(extra)
            column.addWidget(row)
        else:
            column.addWidget(widget)
        if hint:
            hint_label = QLabel(hint)
            hint_label.setWordWrap(True)
            hint_label.setStyleSheet("color: palette(placeholder-text);")
            column.addWidget(hint_label)
        error = QLabel()
        error.setObjectName(f"error_{name}")
        error.setWordWrap(True)
        error.setStyleSheet(error_style())
        error.hide()
        column.addWidget(error)
        widget.setObjectName(f"field_{name}")
        widget.setAccessibleName(label.replace("&", ""))
        label_widget = QLabel(label)
        label_widget.setBuddy(widget)
        self.form.addRow(label_widget, holder)
        self.fields[name] = widget
        self.error_labels[name] = error
        return widget

    def extra_values(self) -> dict[str, Any]:
        """Values not read from one field widget (override)."""
        return {}

    def load_extra(self, entry: dict[str, Any]) -> None:
        """Show values not tied to one field widget (override)."""

    def fixed_values(self) -> dict[str, Any]:
        """Values set by the dialog's situation, e.g. the active child (override)."""
        child_id = self.context.active_child_id
        if self.table != "child" and "child_id" in self.context.store.db[self.table].columns_dict:
            return {"child_id": child_id} if self.entry_id is None else {}
        return {}

    # -- reading, loading, errors -----------------------------------------------------------
    def load(self, entry: dict[str, Any]) -> None:
        """Show an entry's values in the fields."""
        for name, widget in self.fields.items():
            if name in entry:
                write_widget(widget, entry[name])
        self.load_extra(entry)

    def values(self) -> dict[str, Any]:
        """What the fields hold; FieldError messages are gathered into one ValidationError."""
        values, errors = self._read_fields()
        if errors:
            raise ValidationError(errors)
        return values

    def _read_fields(self) -> tuple[dict[str, Any], dict[str, str]]:
        """The readable values, and a message for each field that could not be read."""
        values: dict[str, Any] = {}
        errors: dict[str, str] = {}
        for name, widget in self.fields.items():
            try:
                values[name] = read_widget(widget)
            except FieldError as error:
                errors[name] = str(error)
        try:
            values.update(self.extra_values())
        except ValidationError as error:
            errors.update(error.errors)
        return {**values, **self.fixed_values()}, errors

    def _all_errors(self, unreadable: dict[str, str], values: dict[str, Any]) -> dict[str, str]:
        """Unreadable fields plus what the rules say of the rest, so all show at once."""
        readable = {k: v for k, v in values.items() if k not in unreadable}
        try:
            validate(self.context.store, self.table, readable, self.entry_id)
        except ValidationError as error:
            return {**error.errors, **unreadable}
        return unreadable

    def show_errors(self, errors: dict[str, str]) -> None:
        """Show each message beside its field; others in the banner at the top."""
        self.clear_errors()
        unplaced = []
        for name, message in errors.items():
            label = self.error_labels.get(name)
            if label is None:
                unplaced.append(message)
            else:
                label.setText(message)
                label.show()
        first = next((self.fields[n] for n in errors if n in self.fields), None)
        if first is not None:
            first.setFocus()
        if unplaced:
            self.show_banner(" ".join(unplaced))

    def show_banner(self, message: str) -> None:
        """A message above the fields (not tied to one field)."""
        self.banner.setText(message)
        self.banner.show()

    def clear_errors(self) -> None:
        """Hide every message."""
        self.banner.hide()
        for label in self.error_labels.values():
            label.hide()

    # -- saving -----------------------------------------------------------------------------
    @Slot()
    def save(self) -> bool:
        """Validate and save; on success close the dialog, else keep everything typed."""
        try:
            values = self.values()
        except ValidationError as unreadable:
            readable, _ = self._read_fields()
            self.show_errors(self._all_errors(unreadable.errors, readable))
            return False
        try:
            entry_id = self.write(values)
        except ValidationError as error:
            self.show_errors(error.errors)
            return False
        except RecordError as error:
            self.show_banner(tr("{error} What you typed is still here.").format(error=error))
            self.keep_draft()
            return False
        self._draft_timer.stop()
        if self.draft_key is not None:
            # A stale draft is harmless; the entry itself is saved.
            with contextlib.suppress(RecordError):
                drafts.clear_draft(self.context.store, self.draft_key)
        self.entry_id = entry_id
        self.after_save(entry_id)
        self.context.notify_changed(self.table)
        self.saved.emit(entry_id)
        self.accept()
        return True

    def write(self, values: dict[str, Any]) -> int:
        """Save ``values`` in one transaction; returns the entry's id (override to save more
        rows with the entry, all or nothing)."""
        return entries.save(self.context.store, self.table, values, self.entry_id)

    def after_save(self, entry_id: int) -> None:
        """Hook run after a successful save, before the dialog closes (override)."""

    # -- drafts: text being typed is never thrown away ---------------------------------------
    @property
    def draft_key(self) -> str | None:
        """Drafts are kept for new entries, per table and child."""
        if self.entry_id is not None:
            return None
        return f"{self.table}:{self.context.active_child_id}:{type(self).__name__}"

    def _raw_field_texts(self) -> dict[str, Any]:
        raw: dict[str, Any] = {}
        for name, widget in self.fields.items():
            if isinstance(widget, QPlainTextEdit):
                raw[name] = widget.toPlainText()
            elif isinstance(widget, QLineEdit):
                raw[name] = widget.text()
            else:
                try:
                    raw[name] = read_widget(widget)
                except FieldError:
                    continue
        return raw

    @Slot()
    def keep_draft(self) -> None:
        """Save what is typed so far as a draft (new entries only)."""
        if self.draft_key is None or self.result() == QDialog.DialogCode.Accepted:
            return
        raw = self._raw_field_texts()
        if any(isinstance(v, str) and v.strip() for v in raw.values()):
            drafts.save_draft(self.context.store, self.draft_key, raw)

    def _restore_draft(self) -> None:
        if self.draft_key is None:
            return
        draft = drafts.load_draft(self.context.store, self.draft_key)
        if not draft:
            return
        for name, value in draft.items():
            if name in self.fields:
                write_widget(self.fields[name], value)
        self.draft_note.setText(tr("We kept what you were typing last time. Save it, or choose "
                                "“Discard draft” to start again."))
        self.draft_note.show()
        self.discard_button.show()

    @Slot()
    def _on_discard_clicked(self) -> None:
        if self.draft_key is not None:
            drafts.clear_draft(self.context.store, self.draft_key)
        self._draft_timer.stop()
        self.draft_note.hide()
        self.discard_button.hide()
        self.reject()

    def _snapshot(self) -> Any:
        """What the dialog holds now, to tell whether anything was typed since it opened."""
        try:
            extra: object = self.extra_values()
        except (ValidationError, FieldError) as error:
            extra = repr(error)
        return repr((self._raw_field_texts(), extra))

    def has_changes(self) -> bool:
        """True when something was typed or chosen since the dialog opened."""
        return self._snapshot() != self._opened_with

    @Slot()
    def cancel(self) -> None:
        """Cancel (or Escape): ask before throwing away changes; keep no draft."""
        changed = self.has_changes()
        if changed and not DiscardQuestion.ask(self):
            return
        # A draft restored on opening and left as it was stays for next time; anything the
        # timer kept while this window was open goes (typed and then undone, or discarded).
        if self.draft_key is not None and (changed or self.draft_note.isHidden()):
            with contextlib.suppress(RecordError):
                drafts.clear_draft(self.context.store, self.draft_key)
        self._draft_timer.stop()
        QDialog.reject(self)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Escape is the same as Cancel."""
        if event.key() == Qt.Key.Key_Escape and not event.modifiers():
            self.cancel()
            return
        super().keyPressEvent(event)

    def reject(self) -> None:
        """Closing keeps a draft of a new entry, so nothing typed is lost."""
        if self._draft_timer.isActive():
            self._draft_timer.stop()
            self.keep_draft()
        super().reject()

    def done(self, result: int) -> None:
        """Stop the draft timer whichever way the dialog ends."""
        self._draft_timer.stop()
        super().done(result)


def run_dialog(dialog: QDialog, on_done: Callable[[], None] | None = None) -> None:
    """Show a dialog window-modally and delete it when closed (tests drive it directly)."""
    dialog.setModal(True)
    if on_done is not None:
        dialog.finished.connect(on_done)
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
