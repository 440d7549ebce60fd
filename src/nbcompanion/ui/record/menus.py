"""The Record menu and the toolbar with the child switcher."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QToolBar

from nbcompanion.ui.record.common import DialogOpener
from nbcompanion.ui.record.switcher import ChildSwitcher, child_label
from nbcompanion.ui.translate import tr


class RecordActions(QObject):
    """The Record menu's actions; those that need a child are off until there is one."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.context = window.context
        self.opener = DialogOpener()
        menu = window.menus["record"]

        def action(text: str, slot: Any, shortcut: str | None = None, needs_child: bool = True,
                   tip: str = "") -> QAction:
            made = QAction(text, window)
            if shortcut:
                made.setShortcut(QKeySequence(shortcut))
            made.setStatusTip(tip or text.rstrip("…"))
            made.triggered.connect(slot)
            made.setProperty("needs_child", needs_child)
            menu.addAction(made)
            return made

        self.add_child = action(tr("Add child…"), self.on_add_child, needs_child=False,
                                tip=tr("Keep the record of another child (for example a sibling)"))
        self.edit_child = action(tr("Edit child profile…"), self.on_edit_child)
        menu.addSeparator()
        self.add_test = action(tr("Add test or result…"), self.on_add_test, "Ctrl+T")
        self.import_results = action(
            tr("Import results from a file…"), self.on_import_results,
            tip=tr("Bring in lab results your hospital gave you as a FHIR file (.json, .ndjson "
                   "or an Apple Health export.zip); you review them before anything is added"))
        self.add_phase = action(tr("Add treatment phase…"), self.on_add_phase)
        self.add_event = action(tr("Add treatment event…"), self.on_add_event)
        self.add_visit = action(tr("Add visit…"), self.on_add_visit, "Ctrl+Shift+V")
        self.actions = [self.add_child, self.edit_child, self.add_test, self.import_results,
                        self.add_phase,
                        self.add_event, self.add_visit]

        toolbar = QToolBar("Child")
        toolbar.setObjectName("record_toolbar")
        toolbar.setMovable(False)
        toolbar.addWidget(child_label(tr("Record of:")))
        self.switcher = ChildSwitcher(self.context)
        toolbar.addWidget(self.switcher)
        toolbar.addAction(self.edit_child)
        window.addToolBar(toolbar)
        self.toolbar = toolbar
        self.context.active_child_changed.connect(self._on_context_active_child_changed)
        self.context.store_replaced.connect(self._update_enabled)
        self._update_enabled()

    @Slot(object)
    def _on_context_active_child_changed(self, _child_id: object) -> None:
        self._update_enabled()

    @Slot()
    def _update_enabled(self) -> None:
        has_child = self.context.active_child_id is not None
        for made in self.actions:
            made.setEnabled(has_child or not made.property("needs_child"))
            if made.property("needs_child") and not has_child:
                made.setToolTip(tr("Add your child first"))

    def _show(self, dialog: Any) -> Any:
        return self.opener.show(dialog)

    @Slot()
    def on_add_child(self) -> Any:
        """Open the dialog for a new child."""
        from nbcompanion.ui.record.child import ChildDialog

        return self._show(ChildDialog(self.context, parent=self.window))

    @Slot()
    def on_edit_child(self) -> Any:
        """Open the active child's profile."""
        from nbcompanion.ui.record.child import ChildDialog

        child_id = self.context.active_child_id
        if child_id is None:
            return None
        return self._show(ChildDialog(self.context, child_id, parent=self.window))

    @Slot()
    def on_add_test(self) -> Any:
        """Show Tests & results and open a new test."""
        from nbcompanion.ui.record.test_dialog import TestDialog

        if self.context.active_child_id is None:
            return None
        return self._show(TestDialog(self.context, parent=self.window))

    @Slot()
    def on_import_results(self) -> Any:
        """Choose a FHIR file and review its results before they are added."""
        from nbcompanion.ui.record.results_import import import_results

        return import_results(self.context, self.window)

    @Slot()
    def on_add_phase(self) -> Any:
        """Open the dialog for a new treatment phase."""
        from nbcompanion.ui.record.treatment_dialogs import PhaseDialog

        if self.context.active_child_id is None:
            return None
        return self._show(PhaseDialog(self.context, parent=self.window))

    @Slot()
    def on_add_event(self) -> Any:
        """Open the dialog for a new treatment event."""
        from nbcompanion.ui.record.treatment_dialogs import EventDialog

        if self.context.active_child_id is None:
            return None
        return self._show(EventDialog(self.context, parent=self.window))

    @Slot()
    def on_add_visit(self) -> Any:
        """Open the dialog for a new visit."""
        from nbcompanion.ui.record.visit_dialog import VisitDialog

        if self.context.active_child_id is None:
            return None
        return self._show(VisitDialog(self.context, parent=self.window))


def install(window: QMainWindow) -> None:
    """Add the Record menu's actions and the child toolbar to the main window."""
    window.record_actions = RecordActions(window)  # type: ignore[attr-defined]
