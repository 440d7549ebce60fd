"""The main window: left-hand navigation, one page at a time, menus from the registry."""

from __future__ import annotations

import importlib
import sys
from typing import Any

from PySide6.QtCore import QSettings, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QPaintEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from nbcompanion import APP_NAME
from nbcompanion.ui.context import AppContext
from nbcompanion.ui.keyboard import prepare_keyboard
from nbcompanion.ui.kit import Page
from nbcompanion.ui.registry import MENU_INSTALLERS, PageSpec, ordered_pages
from nbcompanion.ui.translate import tr

#: How long after the first paint the reference and its search index start building.
LIBRARY_DELAY_MS = 300

NAV_STYLE = """
QListWidget#navigation { font-size: 11pt; padding-top: 6px; }
QListWidget#navigation::item { padding: 7px 12px; }
"""


def page_shortcut(index: int) -> QKeySequence:
    """Ctrl+1 … Ctrl+9, then Ctrl+0, then Ctrl+Shift+1 …: every page has a number."""
    if index < 9:
        return QKeySequence(f"Ctrl+{index + 1}")
    if index == 9:
        return QKeySequence("Ctrl+0")
    return QKeySequence(f"Ctrl+Shift+{index - 9}")


def load_object(path: str) -> Any:
    """Import "package.module:attribute" and return the attribute."""
    module_name, _, attribute = path.partition(":")
    return getattr(importlib.import_module(module_name), attribute)


class MainWindow(QMainWindow):
    """One window holding the reference and the record, side by side in navigation.

    With ``finish_after_paint`` (the app's start), the menus' actions, the reminder bar and
    the reference index are set up just after the window's first paint, so the family sees
    the window as soon as Qt can show it; otherwise (tests, a second window) at once.

    Signals:
        setup_finished(): the menus and the rest are in place (see :meth:`finish_setup`).
    """

    setup_finished = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None, *,
                 finish_after_paint: bool = False) -> None:
        super().__init__(parent)
        self.context = context
        self._setup_done = False
        self._setup_pending = False
        self._warm_library = finish_after_paint
        self.resize(1200, 800)
        self._specs: list[PageSpec] = ordered_pages()
        self._pages: dict[str, Page] = {}

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setFixedWidth(190)
        self.nav.setAccessibleName(tr("Sections of the app"))
        self.nav.setStyleSheet(NAV_STYLE)
        self.stack = QStackedWidget()
        right = QWidget()
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        #: Notices (a dose reminder, say) stack here above the page; see add_notice().
        self.notice_layout = QVBoxLayout()
        self.notice_layout.setContentsMargins(0, 0, 0, 0)
        self.notice_layout.setSpacing(0)
        column.addLayout(self.notice_layout)
        column.addWidget(self.stack, 1)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.nav)
        layout.addWidget(right, 1)
        self.setCentralWidget(central)
        self._update_title()
        context.store_replaced.connect(self._update_title)

        self._page_actions: list[QAction] = []
        for index, spec in enumerate(self._specs):
            item = QListWidgetItem(tr(spec.title))
            item.setToolTip(tr(spec.tooltip or spec.title))
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            self.nav.addItem(item)
            placeholder = QWidget()  # replaced by the real page on first visit
            self.stack.addWidget(placeholder)
            self._add_page_shortcut(spec, index)
        self.nav.currentRowChanged.connect(self._on_nav_current_row_changed)
        context.navigate_requested.connect(self._on_context_navigate_requested)

        self.menus: dict[str, QMenu] = {}
        self._build_menus()
        self._restore_geometry()
        if self._specs:
            self.nav.setCurrentRow(0)
        if not finish_after_paint:
            self.finish_setup()

    def finish_setup(self) -> None:
        """Add what the first paint does not need: menu actions, reminders, the index."""
        if self._setup_done or self.context.closing:
            return
        self._setup_done = True
        for installer in MENU_INSTALLERS:
            load_object(installer)(self)
        if self._warm_library:  # once the window has settled, not in its first moments
            QTimer.singleShot(LIBRARY_DELAY_MS, self, self.context.prepare_library_soon)
        self.setup_finished.emit()

    def paintEvent(self, event: QPaintEvent) -> None:
        """After the first paint, finish setting up (once, from the event loop)."""
        super().paintEvent(event)
        if not self._setup_done and not self._setup_pending:
            self._setup_pending = True
            QTimer.singleShot(0, self, self._finish_setup_after_paint)

    @Slot()
    def _finish_setup_after_paint(self) -> None:
        # A window closed straight after its first paint (the app quitting at once) needs no
        # menus; should it be shown again, its next paint schedules this again.
        self._setup_pending = False
        if self.isVisible():
            self.finish_setup()

    # -- title and notices ------------------------------------------------------------------
    @Slot()
    def _update_title(self) -> None:
        from nbcompanion.record.location import default_record_path

        path = self.context.store.path
        if self.context.demo:
            detail = "fictional sample record"
        elif path is not None and path != default_record_path():
            detail = path.name
        else:
            detail = ""
        self.setWindowTitle(tr("{app} — {detail}").format(app=APP_NAME, detail=detail)
                            if detail else APP_NAME)

    def add_notice(self, widget: QWidget) -> None:
        """Show ``widget`` (a dismissible bar) above the current page."""
        self.notice_layout.addWidget(widget)

    # -- pages ------------------------------------------------------------------------------
    def _add_page_shortcut(self, spec: PageSpec, index: int) -> None:
        # "&&" shows "Tests & results"; a single "&" would be taken for a mnemonic and vanish.
        action = QAction(tr(spec.title).replace("&", "&&"), self)
        action.setObjectName(f"action_page_{spec.key}")
        action.setShortcut(page_shortcut(index))
        action.setStatusTip(tr(spec.tooltip or spec.title))
        action.setProperty("shortcut_group", "Pages")
        action.triggered.connect(lambda: self.show_page(spec.key))
        self.addAction(action)
        self._page_actions.append(action)
        item = self.nav.item(index)
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        item.setToolTip(tr("{what} ({keys})").format(what=tr(spec.tooltip or spec.title),
                                                     keys=keys))

    def page(self, key: str) -> Page:
        """The page called ``key``, built on first use."""
        if key not in self._pages:
            index = self._index_of(key)
            spec = self._specs[index]
            widget = spec.page()(self.context, self)
            old = self.stack.widget(index)
            self.stack.insertWidget(index, widget)
            if old is not None:
                self.stack.removeWidget(old)
                old.deleteLater()
            self._pages[key] = widget
            prepare_keyboard(widget)
        return self._pages[key]

    def _index_of(self, key: str) -> int:
        for index, spec in enumerate(self._specs):
            if spec.key == key:
                return index
        raise KeyError(key)

    def show_page(self, key: str, target: object = None) -> Page:
        """Switch to page ``key`` and, if given, open ``target`` in it."""
        index = self._index_of(key)
        widget = self.page(key)
        if self.nav.currentRow() != index:
            self.nav.setCurrentRow(index)
        if target is not None:
            widget.open_target(target)
        return widget

    def current_page_key(self) -> str | None:
        """The key of the page on screen."""
        row = self.nav.currentRow()
        return self._specs[row].key if 0 <= row < len(self._specs) else None

    @Slot(int)
    def _on_nav_current_row_changed(self, row: int) -> None:
        if row < 0:
            return
        widget = self.page(self._specs[row].key)
        self.stack.setCurrentWidget(widget)
        widget.about_to_show()

    @Slot(str, object)
    def _on_context_navigate_requested(self, key: str, target: object) -> None:
        self.show_page(key, target)

    # -- menus ------------------------------------------------------------------------------
    def _build_menus(self) -> None:
        bar = self.menuBar()
        for key, title in (("file", tr("&File")), ("edit", tr("&Edit")),
                           ("view", tr("&View")), ("record", tr("&Record")),
                           ("reference", tr("R&eference")), ("help", tr("&Help"))):
            self.menus[key] = bar.addMenu(title)
        # The View menu lists the pages with their keys, so the keys can be found.
        self.menus["view"].addActions(self._page_actions)
        undo = self.context.undo_stack.createUndoAction(self, tr("&Undo"))
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.context.undo_stack.createRedoAction(self, tr("&Redo"))
        redo.setShortcut(QKeySequence.StandardKey.Redo)
        self.menus["edit"].addActions([undo, redo])
        quit_action = QAction(tr("&Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        self.menus["file"].addAction(quit_action)
        self._quit_action = quit_action

    def add_file_action(self, action: QAction) -> None:
        """Add an action to the File menu, above Quit."""
        self.menus["file"].insertAction(self._quit_action, action)

    # -- geometry ---------------------------------------------------------------------------
    def _restore_geometry(self) -> None:
        geometry = QSettings().value("main_window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)

    def closeEvent(self, event: QCloseEvent) -> None:
        for widget in self._pages.values():
            if not widget.can_close():
                event.ignore()
                return
        forms = sys.modules.get("nbcompanion.ui.forms")  # no forms loaded: no form open
        if forms is not None:
            for dialog in self.findChildren(forms.EntryDialog):
                if dialog.isVisible():
                    dialog.keep_draft()  # closing the window keeps what was being typed
        QSettings().setValue("main_window/geometry", self.saveGeometry())
        super().closeEvent(event)
