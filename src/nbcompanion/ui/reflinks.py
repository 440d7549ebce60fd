"""Links from the record to the reference summary: "What is this?" and "Read about: …".

The record never explains anything in its own words: a link shows, on hover, the summary's
own description of the topic and, on click, opens the matching section of the summary.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Slot
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QToolTip, QWidget

from nbcompanion.ui.context import AppContext
from nbcompanion.ui.keyboard import LinkLabel
from nbcompanion.ui.translate import tr


class ReferenceLink(LinkLabel):
    """A small link that opens ``topic`` in the reference and previews its description."""

    def __init__(self, context: AppContext, topic: str, text: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(href="topic", parent=parent)
        text = tr("What is this?") if text is None else text
        self.context = context
        self.topic = topic
        self.setText(f'<a href="topic">{html.escape(text)}</a>')
        self.setAccessibleName(tr("{text} Opens “{topic}” in the reference summary").format(
                                  text=text, topic=topic))
        self.setToolTip(tr("Opens “{topic}” in the reference summary").format(topic=topic))
        self.linkActivated.connect(self._on_link_activated)
        self.linkHovered.connect(self._on_link_hovered)

    def description(self) -> str | None:
        """The summary's own words about the topic (loads the library on first use)."""
        return self.context.library.describe(self.topic)

    @Slot(str)
    def _on_link_activated(self, _href: str) -> None:
        self.context.navigate("reference", self.topic)

    def tooltip_html(self) -> str | None:
        """The hover text: the summary's words, labelled as a quote or as a list of headings."""
        found = self.context.library.description(self.topic)
        if found is None:
            return None
        items = "".join(f"<li>{html.escape(i)}</li>" for i in found.items) + (
            "<li>…</li>" if found.more else "")
        listed = f"<ul>{items}</ul>" if items else ""
        if found.headings:
            return (f"<p style='max-width: 28em'><i>The NCI PDQ summary's part “"
                    f"{html.escape(found.text)}” has these sections (their headings, not a "
                    f"quote):</i></p>{listed}<p><i>Click to read them.</i></p>")
        return (f"<p style='max-width: 28em'>{html.escape(found.text)}</p>{listed}"
                "<p><i>From the NCI PDQ summary, word for word. Click to read more.</i></p>")

    @Slot(str)
    def _on_link_hovered(self, href: str) -> None:
        if not href:
            return
        text = self.tooltip_html()
        if text:
            QToolTip.showText(QCursor.pos(), text, self)


def read_about_link(context: AppContext, topic: str, label: str,
                    parent: QWidget | None = None) -> ReferenceLink:
    """A "Read about: <label>" link to ``topic``."""
    return ReferenceLink(context, topic, tr("Read about: {label}").format(label=label), parent)
