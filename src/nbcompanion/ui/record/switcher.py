"""The toolbar's child switcher: whose record the whole window shows."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QComboBox, QLabel, QWidget

from nbcompanion.ui.context import AppContext
from nbcompanion.ui.translate import tr


class ChildSwitcher(QComboBox):
    """Chooses the active child; follows changes made anywhere in the window."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setObjectName("child_switcher")
        self.setAccessibleName(tr("Whose record is shown"))
        self.setToolTip(tr("Whose record is shown"))
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.setMinimumContentsLength(12)
        self._filling = False
        self.reload()
        self.currentIndexChanged.connect(self._on_self_current_index_changed)
        context.record_changed.connect(self._on_context_record_changed)
        context.active_child_changed.connect(self._on_context_active_child_changed)
        context.store_replaced.connect(self.reload)

    @Slot()
    def reload(self) -> None:
        """List the record's children and select the active one."""
        from nbcompanion.record import queries

        self._filling = True
        try:
            self.clear()
            children = queries.children(self.context.store)
            for child in children:
                self.addItem(child["name"], child["id"])
            if not children:
                self.addItem(tr("No child yet"), None)
            self.setEnabled(bool(children))
            index = self.findData(self.context.active_child_id)
            self.setCurrentIndex(max(index, 0))
        finally:
            self._filling = False

    @Slot(int)
    def _on_self_current_index_changed(self, _index: int) -> None:
        if self._filling:
            return
        child_id = self.currentData()
        if child_id is not None:
            self.context.set_active_child(int(child_id))

    @Slot(str)
    def _on_context_record_changed(self, table: str) -> None:
        if table in ("", "child"):
            self.reload()

    @Slot(object)
    def _on_context_active_child_changed(self, _child_id: object) -> None:
        self.reload()


def child_label(text: str) -> QLabel:
    """The toolbar's "Child:" caption."""
    label = QLabel(text)
    label.setContentsMargins(8, 0, 4, 0)
    return label
