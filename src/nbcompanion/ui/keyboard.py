"""Keyboard habits shared by every window: Tab always moves on, nothing traps the focus.

:func:`prepare_keyboard` is applied to each page and dialog once it is built: multi-line
boxes pass Tab on (Ctrl+Tab types a tab), tables let Tab leave them (arrows move inside),
and scroll areas that only frame a form take no focus of their own.
:func:`order_dialog_focus` makes Tab follow a dialog's form from top to bottom, then its
buttons.
"""

from __future__ import annotations

import html
import itertools

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLayout,
    QPlainTextEdit,
    QScrollArea,
    QTextEdit,
    QWidget,
)

from nbcompanion.ui.translate import tr


class _CtrlTabTypesTab(QObject):
    """Ctrl+Tab types a tab in a multi-line box whose plain Tab moves the focus on."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and event.key() == Qt.Key.Key_Tab
                and event.modifiers() & Qt.KeyboardModifier.ControlModifier
                and isinstance(watched, (QPlainTextEdit, QTextEdit))
                and not watched.isReadOnly()):
            watched.insertPlainText("\t")
            return True
        return False


_CTRL_TAB = _CtrlTabTypesTab()


def tab_moves_on(edit: QPlainTextEdit | QTextEdit) -> None:
    """Tab leaves ``edit`` for the next field; Ctrl+Tab types a tab character."""
    if edit.isReadOnly():
        return
    edit.setTabChangesFocus(True)
    edit.removeEventFilter(_CTRL_TAB)  # installed once, however often a page is prepared
    edit.installEventFilter(_CTRL_TAB)
    if not edit.toolTip():
        edit.setToolTip(tr("Tab moves to the next field; Ctrl+Tab types a tab"))


def prepare_keyboard(root: QWidget) -> None:
    """Apply the shared keyboard habits to ``root`` and everything inside it."""
    for edit in root.findChildren(QPlainTextEdit) + root.findChildren(QTextEdit):
        tab_moves_on(edit)
    for view in root.findChildren(QAbstractItemView):
        view.setTabKeyNavigation(False)  # arrows move between cells; Tab leaves the table
    for area in root.findChildren(QScrollArea):
        inner = area.widget()
        if inner is not None and _has_focusable(inner):
            # The fields inside take the focus; the frame around them would be a dead stop.
            area.setFocusPolicy(Qt.FocusPolicy.NoFocus)


def _has_focusable(widget: QWidget) -> bool:
    return _takes_tab(widget) or any(_takes_tab(c) for c in widget.findChildren(QWidget))


def _takes_tab(widget: QWidget) -> bool:
    if not widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
        return False
    # An editable combo box's line edit is reached through the combo itself.
    proxy_owner = widget.parentWidget()
    return not (proxy_owner is not None and proxy_owner.focusProxy() is widget)


def focusable_in_order(container: QWidget | QLayout) -> list[QWidget]:
    """The widgets Tab should visit inside ``container``, in reading order.

    Form layouts are read row by row (label, then field); other widgets in the order their
    layouts hold them, so the order follows what the eye sees, not when they were made.
    """
    found: list[QWidget] = []
    _collect(container, found)
    return found


def _collect(item: QWidget | QLayout, found: list[QWidget]) -> None:
    if isinstance(item, QWidget):
        if _takes_tab(item) and item not in found:
            found.append(item)
        layout = item.layout()
        if layout is not None:
            _collect(layout, found)
        # Children outside any layout (rare) still count, after the laid-out ones.
        for child in item.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly):
            if child not in found and not child.isWindow():
                _collect(child, found)
        return
    if isinstance(item, QFormLayout):
        for row in range(item.rowCount()):
            for role in (QFormLayout.ItemRole.LabelRole, QFormLayout.ItemRole.FieldRole,
                         QFormLayout.ItemRole.SpanningRole):
                entry = item.itemAt(row, role)
                if entry is not None:
                    _collect_item(entry, found)
        return
    for index in range(item.count()):
        entry = item.itemAt(index)
        if entry is not None:
            _collect_item(entry, found)


def _collect_item(entry: object, found: list[QWidget]) -> None:
    widget = entry.widget()  # type: ignore[attr-defined]
    if widget is not None:
        _collect(widget, found)
        return
    layout = entry.layout()  # type: ignore[attr-defined]
    if layout is not None:
        _collect(layout, found)


def chain_focus(widgets: list[QWidget]) -> None:
    """Make Tab visit ``widgets`` in this order."""
    for first, second in itertools.pairwise(widgets):
        QWidget.setTabOrder(first, second)


def order_dialog_focus(body: QWidget, buttons: QDialogButtonBox,
                       first: list[QWidget] | None = None) -> QWidget | None:
    """Tab goes through ``body``'s fields top to bottom, then the buttons (Save, Cancel).

    ``first`` puts some widgets at the head in a chosen order (a dialog whose fast path
    differs from its layout). Returns the first field, for the focus when the dialog opens.
    """
    fields = list(first or [])
    fields += [w for w in focusable_in_order(body) if w not in fields]
    order = [*fields, *_buttons_in_order(buttons)]
    chain_focus(order)
    return next((w for w in fields if w.isEnabled() and not w.isHidden()), None)


def _buttons_in_order(buttons: QDialogButtonBox) -> list[QWidget]:
    """The box's buttons: the accepting one (Save) first, then the others as shown."""
    shown = [b for b in buttons.buttons() if b.focusPolicy() & Qt.FocusPolicy.TabFocus]
    role = buttons.buttonRole

    def rank(button: QWidget) -> int:
        order = {QDialogButtonBox.ButtonRole.AcceptRole: 0,
                 QDialogButtonBox.ButtonRole.RejectRole: 1}
        return order.get(role(button), 2)  # type: ignore[arg-type]

    return sorted(shown, key=rank)


class LinkLabel(QLabel):
    """A label holding one link: a single Tab stop, opened with Enter or Space.

    A plain QLabel stops twice on its only link (once for the label, once for the link) and
    then looks stuck to someone pressing Tab.
    """

    def __init__(self, text: str = "", href: str = "open", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.href = href
        self.setTextFormat(Qt.TextFormat.RichText)
        if text:
            self.setText(f'<a href="{html.escape(href)}">{html.escape(text)}</a>')
            self.setAccessibleName(text)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                     | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def focusNextPrevChild(self, next: bool) -> bool:
        """Tab leaves the link at once."""
        return QWidget.focusNextPrevChild(self, next)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter or Space opens the link, as a click does."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.linkActivated.emit(self.href)
            return
        super().keyPressEvent(event)


def order_plain_dialog(dialog: QWidget, buttons: QDialogButtonBox) -> QWidget | None:
    """Tab through a small dialog's fields top to bottom, then its buttons (OK first)."""
    prepare_keyboard(dialog)
    fields = [w for w in focusable_in_order(dialog)
              if w is not buttons and not buttons.isAncestorOf(w)]
    chain_focus([*fields, *_buttons_in_order(buttons)])
    first = next((w for w in fields if w.isEnabled() and not w.isHidden()), None)
    if first is not None:
        first.setFocus(Qt.FocusReason.OtherFocusReason)
    return first
