"""The empty state: a kind sentence and the one button that fills the space."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from nbcompanion.ui.kit.style import EMPTY_STYLE


class EmptyState(QWidget):
    """Shown instead of an empty table: what will appear here and how to add the first.

    Signals:
        action_clicked(): the button was clicked.
    """

    action_clicked = Signal()

    def __init__(self, message: str = "", button_text: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("empty_state")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.addStretch(1)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setStyleSheet(EMPTY_STYLE)
        layout.addWidget(self.message)
        row = QHBoxLayout()
        row.addStretch(1)
        self.button = QPushButton()
        self.button.clicked.connect(self.action_clicked)
        row.addWidget(self.button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(2)
        self.set_content(message, button_text)

    def set_content(self, message: str, button_text: str | None) -> None:
        """Show ``message`` and a button (hidden when ``button_text`` is None)."""
        self.message.setText(message)
        self.button.setVisible(button_text is not None)
        self.button.setText(button_text or "")
