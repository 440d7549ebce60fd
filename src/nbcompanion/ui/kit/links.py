"""In-app links: a keyboard-reachable link label and "What is this?" links to the reference."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from nbcompanion.ui.context import AppContext
from nbcompanion.ui.translate import tr


def link_label(text: str, href: str = "open") -> QLabel:
    """A keyboard-reachable in-app link (connect ``linkActivated``): one Tab stop."""
    from nbcompanion.ui.keyboard import LinkLabel

    return LinkLabel(text, href)


class TopicLink(QWidget):
    """Holds a "What is this?" link whose topic follows a choice (hidden when there is none)."""

    def __init__(self, context: AppContext, text: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.text = text if text is not None else tr("What is this?")
        self.link: QWidget | None = None
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    def set_topic(self, topic: str | None, text: str | None = None) -> None:
        """Point the link at ``topic`` (None hides it)."""
        from nbcompanion.ui.reflinks import ReferenceLink

        if self.link is not None:
            self._layout.removeWidget(self.link)
            self.link.hide()  # deleteLater waits for the event loop; never show two links
            self.link.deleteLater()
            self.link = None
        if topic:
            self.link = ReferenceLink(self.context, topic, text or self.text)
            self._layout.addWidget(self.link)
