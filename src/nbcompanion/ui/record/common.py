"""Small pieces the record views share: date wording, empty states, an entry table view."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QWidget,
)

from nbcompanion import wording
from nbcompanion.record import vocab
from nbcompanion.record.errors import RecordError
from nbcompanion.ui.context import AppContext
from nbcompanion.ui.kit import (  # noqa: F401 — re-exported for the record pages
    DialogOpener,
    EmptyState,
    EntryTableView,
    Page,
    TopicLink,
    heading,
    muted,
)
from nbcompanion.ui.kit.style import MUTED_STYLE  # noqa: F401
from nbcompanion.ui.kit.tables import row_height  # noqa: F401
from nbcompanion.ui.translate import tr

# The page kit and the wording module hold these; the names stay importable from here.
parse_day = wording.to_date
day_text = wording.day_text
number_text = wording.number_text
outside_range = wording.outside_range


def when_text(text: str | None) -> str:
    """"Thu, 3 Dec 2026, 14:30" for an ISO date-time; the date alone when there is no time."""
    return wording.when_text(text)


def team_combo(context: AppContext, child_id: int | None) -> QComboBox:
    """A combo of the child's care team members (first entry: none chosen)."""
    from nbcompanion.record import queries

    combo = QComboBox()
    combo.addItem(tr("Not chosen"), None)
    if child_id is not None:
        for member in queries.list_team(context.store, child_id):
            role = vocab.label(vocab.CARE_ROLES, member.get("role"))
            shown = (tr("{name} — {role}").format(name=member["name"], role=role) if role
                     else member["name"])
            combo.addItem(shown, member["id"])
    return combo


def child_name(context: AppContext) -> str | None:
    """The active child's name, or None when there is no active child."""
    from nbcompanion.record import queries

    child_id = context.active_child_id
    if child_id is None:
        return None
    try:
        row = queries.child(context.store, child_id)
    except RecordError:  # deleted meanwhile: show "no child", never crash
        return None
    return None if row is None else str(row["name"])


def first_value(row: dict[str, Any], *keys: str) -> Any:
    """The first non-empty value of ``keys`` in ``row``."""
    for key in keys:
        if row.get(key) not in (None, ""):
            return row[key]
    return None


def set_row_visible(form: Any, field: QWidget, visible: bool) -> None:
    """Show or hide the form row that holds ``field`` (however deeply it sits in the row)."""
    from PySide6.QtWidgets import QFormLayout

    for row in range(form.rowCount()):
        item = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
        holder = item.widget() if item is not None else None
        if holder is not None and (holder is field or holder.isAncestorOf(field)):
            form.setRowVisible(row, visible)
            return


def finish_dialog(dialog: Any) -> None:
    """Last touches every record dialog needs once its fields are built.

    The "Discard draft" button shows only when a draft was restored (the button box shows
    every button it is given), and a field with a hint below it gets the full width, so the
    hint is not squeezed into a narrow column beside a short date field.
    """
    from PySide6.QtWidgets import QFormLayout, QSizePolicy

    if dialog.draft_note.isHidden():
        dialog.discard_button.hide()
    for field in dialog.fields.values():
        if isinstance(field, QLineEdit):
            field.setCursorPosition(0)  # show the start of a long saved text, not its end
    form = dialog.form
    for row in range(form.rowCount()):
        item = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
        holder = item.widget() if item is not None else None
        hints = [] if holder is None else [
            label for label in holder.findChildren(QLabel)
            if not label.objectName().startswith("error_") and not label.isHidden()]
        if holder is not None and hints:
            policy = holder.sizePolicy()
            policy.setHorizontalPolicy(QSizePolicy.Policy.Expanding)
            holder.setSizePolicy(policy)


#: The base of every record page (see :class:`nbcompanion.ui.kit.Page`).
RecordPage = Page
