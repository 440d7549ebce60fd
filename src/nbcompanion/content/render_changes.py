"""The "What changed" page: what a newer version of a summary added, removed and changed."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from nbcompanion.content.render import MUTED, esc, long_date, page_url, section_url

if TYPE_CHECKING:
    from nbcompanion.content.library import Library
    from nbcompanion.content.versions import ChangeReport, SentenceChange

ADDED_STYLE = "background-color:#d8f3dc; color:#0b3d1a;"
REMOVED_STYLE = "background-color:#fde2e1; color:#6b1111; text-decoration: line-through;"
#: Changed sentences shown per section before "and N more".
_SHOWN = 12


def _day(iso: str) -> str:
    try:
        return long_date(date.fromisoformat(iso))
    except ValueError:
        return "an unknown date"


def _marked(op: str, text: str) -> str:
    """New (op "+") or removed ("-") words, marked; the spaces around them stay unmarked."""
    core = text.strip()
    if not core:
        return esc(text)
    lead, trail = text[:len(text) - len(text.lstrip())], text[len(text.rstrip()):]
    style = ADDED_STYLE if op == "+" else REMOVED_STYLE
    return f'{esc(lead)}<span style="{style}">{esc(core)}</span>{esc(trail)}'


def _sentence(change: SentenceChange) -> str:
    if change.kind == "added":
        return f'<li><b>New:</b> <span style="{ADDED_STYLE}">{esc(change.new)}</span></li>'
    if change.kind == "removed":
        return (f'<li><b>Taken out:</b> <span style="{REMOVED_STYLE}">{esc(change.old)}'
                "</span></li>")
    words = "".join(esc(text) if op == " " else _marked(op, text) for op, text in change.words)
    return f"<li><b>Changed:</b> {words}</li>"


def changes_page(library: Library, book_key: str) -> str:
    """The "What changed" report of a book, or a plain note when there is none."""
    book = library.book(book_key)
    report: ChangeReport | None = library.changes(book_key) if book else None
    if book is None or report is None:
        return ("<h1>What changed</h1><p>This summary has not been replaced by a newer "
                "version in this app, so there is nothing to compare.</p>")
    parts = [
        "<h1>What changed in this summary</h1>",
        f"<p><i>{esc(report.title)}</i> was updated on {_day(report.replaced_on)} from the "
        f"version last reviewed on {_day(report.old_reviewed)} to the version last reviewed "
        f"on {_day(report.new_reviewed)}. Words that are new are marked "
        f'<span style="{ADDED_STYLE}">like this</span>; words taken out are marked '
        f'<span style="{REMOVED_STYLE}">like this</span>.</p>']
    if report.is_empty():
        parts.append("<p>The text is the same in both versions; only the details at the top "
                     "(such as the review date) changed.</p>")
    summary = [f"{len(report.added)} new section{'s' * (len(report.added) != 1)}",
               f"{len(report.removed)} section{'s' * (len(report.removed) != 1)} taken out",
               f"{len(report.changed)} changed"]
    parts.append(f'<p style="color:{MUTED}">' + " · ".join(summary) + "</p>")
    if report.added:
        parts.append("<h2>New sections</h2><ul>" + "".join(
            f'<li><a href="{section_url(section_id)}">{esc(title)}</a></li>'
            if library.section(section_id) else f"<li>{esc(title)}</li>"
            for title, section_id in report.added) + "</ul>")
    if report.removed:
        parts.append("<h2>Sections taken out</h2><ul>" + "".join(
            f"<li>{esc(title)}</li>" for title in report.removed) + "</ul>")
    if report.changed:
        parts.append("<h2>Changed sections</h2>")
    for section in report.changed:
        link = (f'<a href="{section_url(section.section_id)}">{esc(section.title)}</a>'
                if library.section(section.section_id) else esc(section.title))
        parts.append(f"<h3>{link}</h3>")
        if section.path:
            parts.append(f'<p style="color:{MUTED}">{esc(section.path)}</p>')
        shown = section.sentences[:_SHOWN]
        parts.append("<ul>" + "".join(_sentence(c) for c in shown) + "</ul>")
        if len(section.sentences) > _SHOWN:
            rest = len(section.sentences) - _SHOWN
            parts.append(f'<p style="color:{MUTED}">…and {rest} more change'
                         f"{'s' * (rest != 1)} in this section.</p>")
    if not report.dismissed:
        parts.append(f'<hr/><p><a href="{page_url("dismiss-changes", book_key)}">Done reading: '
                     "stop showing the “what changed” notice</a> (this page stays on the "
                     "summary's source page).</p>")
    return "\n".join(parts)
