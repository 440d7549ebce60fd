"""What the Reference page says about a link: hover text and the card under the page."""

from __future__ import annotations

from html import escape as esc
from typing import TYPE_CHECKING

from nbcompanion.content.schemes import TERM_SCHEME
from nbcompanion.ui.reference.helpers import render_module, shorten, split_location
from nbcompanion.ui.theme import colours

if TYPE_CHECKING:
    from nbcompanion.content.glossary import GlossaryEntry
    from nbcompanion.content.library import Library


def definition_html(library: Library, entry: GlossaryEntry) -> str:
    """A glossary entry with the summary and section it comes from."""
    section = library.section(entry.section_id)
    book = library.book_of(section.id) if section else None
    origin = " › ".join(shorten(t, 60) for t in
                        ([book.title] if book else []) + ([section.title] if section else []))
    return (f"<b>{esc(entry.term)}</b>{render_module().definition_html(entry)}"
            + (f"<br/><span style='color:{colours().muted}'>From {esc(origin)}</span>"
               if origin else ""))


def link_tooltip(library: Library, location: str) -> str:
    """What hovering a link says: a term's definition, or where a web link goes."""
    kind, path, params = split_location(location)
    if kind == TERM_SCHEME:
        book_key, _, term_id = path.partition("/")
        entry = library.term(book_key, term_id, params.get("w", ""))
        if entry:
            return definition_html(library, entry)
        return (f"“{esc(params.get('w', ''))}” is not explained in this summary. "
                "Click to see where it is used and to look it up in the NCI Dictionary.")
    if kind in ("https", "http"):
        return "Opens a web page in your browser after you confirm:<br/>" + esc(location)
    return ""


def term_card(library: Library, location: str) -> tuple[str, str, str]:
    """(text, button label, button target) of the card for a dictionary link."""
    _kind, path, params = split_location(location)
    book_key, _, term_id = path.partition("/")
    words = params.get("w", "")
    entry = library.term(book_key, term_id, words)
    if entry:
        return (definition_html(library, entry), "Read where the summary explains it",
                render_module().section_url(entry.section_id, phrase=entry.term))
    from nbcompanion.content.links import dictionary_url

    sentence = library.term_sentence(book_key, term_id, words, params.get("in", ""))
    said = (f"<br/><span style='color:{colours().muted}'>The summary uses it here:</span> "
            f"“{esc(sentence)}”" if sentence else "")
    return (f"<b>{esc(words)}</b> is not explained in this summary.{said}<br/>The NCI "
            "Dictionary of Cancer Terms on cancer.gov explains it.",
            "Open the NCI Dictionary in my browser", dictionary_url(term_id))
