"""HTML pages for the reading pane (Qt's rich-text subset): sections, glossary, source, search.

Links are rewritten here: ``nbsection:<id>`` opens a section, ``nbterm:<book>/<id>?w=<words>``
is a dictionary term, ``nbpage:<kind>/<book>`` a page of the app; web addresses are absolute
https and marked with ↗. Images are never loaded: each becomes a captioned box.
"""

from __future__ import annotations

import html
from functools import cache
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from nbcompanion import wording
from nbcompanion.content.analysis import inline_text, is_enlarge_link
from nbcompanion.content.links import PAGE_SCHEME, SECTION_SCHEME, TERM_SCHEME, LinkResolver
from nbcompanion.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

    from nbcompanion.content.library import Library
    from nbcompanion.content.search import Hit, SearchResult
    from nbcompanion.content.summary import Book, Section

LINK_COLOURS = {"section": "#1a56a8", "external": "#1a56a8", "term": "#0f6b5c"}
MUTED = "#5b6470"
EXTERNAL_MARK = "\u2009↗"
SOURCE_NAMES = {"NCI": "National Cancer Institute (NCI)"}
NOT_ADVICE = N_("This app helps you read and understand the summary. It does not recommend "
              "treatment: decisions about your child's care are made with your child's care team.")


def esc(text: str) -> str:
    """HTML-escape text for the reading pane."""
    return html.escape(text, quote=True)


def section_url(section_id: str, query: str = "", phrase: str = "") -> str:
    """The in-app address of a section; ``query`` words or a ``phrase`` get highlighted."""
    url = f"{SECTION_SCHEME}:{quote(section_id, safe='/')}"
    if query:
        return url + f"?q={quote(query, safe='')}"
    return url + (f"?t={quote(phrase, safe='')}" if phrase else "")


def page_url(kind: str, book_key: str) -> str:
    """The in-app address of a book's glossary ("glossary") or source page ("source")."""
    return f"{PAGE_SCHEME}:{kind}/{quote(book_key, safe='')}"


# -- Markdown → HTML ---------------------------------------------------------------------------
def _render_link_open(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    kind = token.meta.get("kind")
    if kind is None:
        return ""
    colour = LINK_COLOURS.get(kind, LINK_COLOURS["section"])
    return f'<a href="{esc(str(token.attrs["href"]))}" style="color:{colour}">'


def _render_link_close(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    kind = tokens[idx].meta.get("kind")
    if kind is None:
        return ""
    return (EXTERNAL_MARK if kind == "external" else "") + "</a>"


def _render_image(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    caption = inline_text(token.children or []) or str(token.attrs.get("title") or "")
    enlarge = token.meta.get("enlarge")
    link = (f'<br/><a href="{esc(enlarge)}" style="color:{LINK_COLOURS["external"]}">'
            f"Enlarge: open the picture on the web{EXTERNAL_MARK}</a>") if enlarge else ""
    return ('<table width="100%" cellspacing="0" cellpadding="10" border="0" '
            'style="margin-top:8px; margin-bottom:8px; background-color:#eef2f6;">'
            f'<tr><td><span style="color:{MUTED}">Picture (not shown, to keep the app '
            f"offline)</span><br/>{esc(caption)}{link}</td></tr></table>")


@cache
def _renderer() -> MarkdownIt:
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])
    parser.add_render_rule("link_open", _render_link_open)
    parser.add_render_rule("link_close", _render_link_close)
    parser.add_render_rule("image", _render_image)
    return parser


def _rewrite_links(children: list[Token], resolver: LinkResolver, book_key: str,
                   section_id: str = "") -> list[Token]:
    """Point every link at its in-app or https target; fold "Enlarge" links into images."""
    from nbcompanion.content.links import absolute

    out: list[Token] = []
    opened: list[Token] = []
    skip_until = -1
    for index, child in enumerate(children):
        if index <= skip_until:
            continue
        if is_enlarge_link(children, index):
            children[index + 3].meta["enlarge"] = absolute(str(children[index].attrs["href"]))
            skip_until = index + 2
            continue
        if child.type == "image":
            child.meta.setdefault("enlarge", absolute(str(child.attrs.get("src", ""))))
        elif child.type == "link_open":
            words = _link_words(children, index)
            link = resolver.resolve(str(child.attrs.get("href", "")), words)
            if link.kind == "section":
                child.attrs["href"] = section_url(link.target)
            elif link.kind == "term":
                child.attrs["href"] = (f"{TERM_SCHEME}:{quote(book_key, safe='')}/{link.target}"
                                       f"?w={quote(words, safe='')}"
                                       + (f"&in={quote(section_id, safe='')}"
                                          if section_id else ""))
            elif link.kind == "external":
                child.attrs["href"] = link.target
            child.meta["kind"] = None if link.kind == "text" else link.kind
            opened.append(child)
        elif child.type == "link_close" and opened:
            child.meta["kind"] = opened.pop().meta["kind"]
        out.append(child)
    return out


def _link_words(children: list[Token], start: int) -> str:
    words: list[str] = []
    for child in children[start + 1:]:
        if child.type == "link_close":
            break
        if child.type in ("text", "code_inline"):
            words.append(child.content)
    return " ".join("".join(words).split())


def render_markdown(library: Library, book_key: str, text: str,
                    titles: dict[str, str] | None = None, section_id: str = "") -> str:
    """A section's Markdown as HTML with every link resolved.

    List items that repeat a heading word for word (the "Key Points") become links to the
    section with that heading, when ``titles`` maps normalised headings to section ids.
    """
    from markdown_it.token import Token

    from nbcompanion.content.glossary import normalise

    parser = _renderer()
    env: dict[str, Any] = {}
    tokens = parser.parse(text, env)
    resolver = library.resolver(book_key)
    for index, token in enumerate(tokens):
        if token.type != "inline" or not token.children:
            continue
        token.children = _rewrite_links(token.children, resolver, book_key, section_id)
        in_item = index >= 2 and tokens[index - 2].type == "list_item_open"
        target = (titles or {}).get(normalise(inline_text(token.children))) if in_item else None
        if target and not any(c.type == "link_open" for c in token.children):
            opening = Token("link_open", "a", 1, attrs={"href": section_url(target)},
                            meta={"kind": "section"})
            closing = Token("link_close", "a", -1, meta={"kind": "section"})
            token.children = [opening, *token.children, closing]
    return parser.renderer.render(tokens, parser.options, env)


# -- pages -------------------------------------------------------------------------------------
def reading_order(library: Library, book_key: str) -> list[Section]:
    """The sections that have a page of their own, in reading order."""
    book = library.book(book_key)
    if book is None:
        return []
    return [s for s in book.sections if book.page_of(s.id) is s]


def _heading_targets(book: Book, page: Section) -> dict[str, str]:
    """Normalised headings of the sections under ``page`` → their ids (for Key Points)."""
    from nbcompanion.content.glossary import normalise

    wanted = {page.id}
    targets: dict[str, str] = {}
    for section in book.sections:
        if section.parent in wanted:
            wanted.add(section.id)
            targets.setdefault(normalise(section.title), section.id)
    return targets


def section_page(library: Library, section_id: str) -> str:
    """The page showing ``section_id`` (a subsection shows inside its parent's page)."""
    book = library.book_of(section_id)
    if book is None or section_id not in book.by_id:
        return not_found_page()
    page = book.page_of(section_id)
    parts = [f'<a name="{esc(page.slug)}"></a><h1>{esc(page.title)}</h1>',
             render_markdown(library, book.key, page.markdown, _heading_targets(book, page),
                             page.id)]
    links: list[Section] = []
    for child_id in page.children:
        child = book.by_id[child_id]
        if book.page_of(child_id) is page:
            parts.append(f'<a name="{esc(child.slug)}"></a><h2>{esc(child.title)}</h2>')
            parts.append(render_markdown(library, book.key, child.markdown,
                                         section_id=child.id))
        else:
            links.append(child)
    already = "".join(parts)
    links = [c for c in links if f'href="{section_url(c.id)}"' not in already]
    if links:
        parts.append("<h3>In this part</h3><ul>" + "".join(
            f'<li><a href="{section_url(c.id)}">{esc(c.title)}</a></li>' for c in links)
            + "</ul>")
    order = reading_order(library, book.key)
    position = next(n for n, s in enumerate(order) if s is page)
    steps = []
    if position > 0:
        steps.append(f'← Previous: <a href="{section_url(order[position - 1].id)}">'
                     f"{esc(order[position - 1].title)}</a>")
    if position + 1 < len(order):
        steps.append(f'Next: <a href="{section_url(order[position + 1].id)}">'
                     f"{esc(order[position + 1].title)}</a> →")
    if steps:
        parts.append(f'<hr/><p style="color:{MUTED}">' + "<br/>".join(steps) + "</p>")
    return "\n".join(parts)


def glossary_page(library: Library, book_key: str) -> str:
    """An A–Z list of the terms the book defines, each linking to where it is used."""
    book = library.book(book_key)
    if book is None:
        return not_found_page()
    entries = library.glossary(book_key).entries
    letters = sorted({e.letter for e in entries})
    parts = ["<h1>" + _("Words explained in this summary") + "</h1>",
             "<p>" + _("{count} words and tests that <i>{title}</i> explains, from A to Z. "
                       "Choose a word to read it where the summary explains it.").format(
                           count=len(entries), title=esc(book.title)) + "</p>",
             "<p>" + " &nbsp; ".join(f'<a href="#letter-{x}">{x}</a>' for x in letters) + "</p>"]
    for letter in letters:
        parts.append(f'<a name="letter-{letter}"></a><h2>{letter}</h2>')
        for entry in (e for e in entries if e.letter == letter):
            home = library.section(entry.section_id)
            used = [library.section(s) for s in entry.used_in if s != entry.section_id]
            also = ", ".join(f'<a href="{section_url(s.id, phrase=entry.term)}">{esc(s.title)}</a>'
                             for s in used[:6] if s is not None)
            where = (f'<br/><span style="color:{MUTED}">'
                     + _("Explained in: {section}").format(section=esc(home.title)) + "</span>"
                     if home is not None else "")
            parts.append(
                f'<p><a href="{section_url(entry.section_id, phrase=entry.term)}"><b>'
                f"{esc(entry.term)}</b></a>{definition_html(entry)}{where}"
                + (f'<br/><span style="color:{MUTED}">Also mentioned in: </span>{also}'
                   if also else "") + "</p>")
    return "\n".join(parts)


def definition_html(entry: Any) -> str:
    """The words after a term's name: ": definition", or the summary's own sentence about it.

    A definition written as a sentence ("Neuroblastoma is a type of cancer …") is shown whole
    rather than cut into "term: rest".
    """
    if getattr(entry, "style", "colon") == "colon":
        return f": {esc(entry.definition)}"
    return f" — {esc(entry.definition)}"


def source_page(library: Library, book_key: str, today: Any = None) -> str:
    """Title, source, address, review date, citation and what the app does not do."""
    book = library.book(book_key)
    if book is None:
        return not_found_page()
    reviewed = book.last_reviewed
    not_stated = _("Not stated")
    rows = [(_("Title"), esc(book.title)),
            (_("Source"), esc(SOURCE_NAMES.get(book.source, book.source) or not_stated))]
    if book.url:
        rows.append((_("Address"), f'<a href="{esc(book.url)}" style="color:'
                                   f'{LINK_COLOURS["external"]}">{esc(book.url)}{EXTERNAL_MARK}</a>'))
    rows.append((_("Last reviewed"), esc(long_date(reviewed) if reviewed else not_stated)))
    period = book.review_period
    if period:
        rows.append((_("Review schedule"), esc(ngettext(
            "{frequency} (about every {count} month)", "{frequency} (about every {count} months)",
            round(period.days / 30)).format(frequency=_(str(book.meta.get("reviewFrequency"))),
                                            count=round(period.days / 30)))))
    parts = ["<h1>" + _("About this summary") + "</h1>", "<table cellpadding='4'>" + "".join(
        f"<tr><td><b>{k}</b></td><td>{v}</td></tr>" for k, v in rows) + "</table>"]
    if book.review_overdue(today):
        parts.append(f"<p><b>{esc(overdue_message(book))}</b></p>")
    report = library.changes(book_key)
    if report is not None:
        parts.append("<h2>" + _("What changed") + "</h2><p>"
                     + _('This copy replaced an older version on {day}. '
                         '<a href="{url}">See what changed</a>').format(
                             day=esc(_iso_day(report.replaced_on)),
                             url=page_url("changes", book_key)) + "</p>")
    parts.append("<h2>" + _("How to cite it") + "</h2>")
    parts.append(f"<p>{esc(library.citation(book_key))}</p>")
    parts.append("<h2>" + _("What this app does not do") + f"</h2><p>{esc(_(NOT_ADVICE))}</p>")
    if str(book.meta.get("license", "")).replace("_", " ") == "public domain":
        parts.append("<p>" + _("The text of this summary is in the public domain; the app shows "
                               "it unchanged, split by its own headings.") + "</p>")
    parts.append("<h2>" + _("Newer versions") + "</h2><p>"
                 + _("When cancer.gov has a newer version, save it as a file and choose "
                     "<b>Reference › Add reference summary…</b>: the app offers to replace this "
                     "copy and then shows what changed.") + "</p>")
    if len(library.books) > 1:
        what = (_("Hide this summary (it comes with the app; Reference › Show hidden summaries "
                  "again brings it back)") if library.comes_with_app(book_key)
                else _("Remove this summary from the library"))
        parts.append(f'<p><a href="{page_url("remove", book_key)}">{esc(what)}…</a></p>')
    return "\n".join(parts)


def _iso_day(iso: str) -> str:
    from datetime import date

    try:
        return long_date(date.fromisoformat(iso))
    except ValueError:
        return iso


def long_date(value: Any) -> str:
    """A date written out, e.g. "30 December 2025" (in the locale's words)."""
    return wording.long_day_text(value)


def overdue_message(book: Any) -> str:
    """The plain warning shown when a summary's last review is older than its schedule."""
    frequency = book.meta.get("reviewFrequency")
    day = long_date(book.last_reviewed)
    if frequency:
        return _("This copy was last reviewed on {day}. The publisher reviews it {frequency}, "
                 "so a newer version may be available on cancer.gov.").format(
                     day=day, frequency=_(str(frequency)))
    return _("This copy was last reviewed on {day}. The publisher reviews it regularly, so a "
             "newer version may be available on cancer.gov.").format(day=day)


def search_page(query: str, found: list[Hit] | SearchResult,
                books: dict[str, str] | None = None) -> str:
    """Ranked results with section title, book, place in the book and a highlighted snippet.

    ``found`` may be a :class:`SearchResult`: its spelling suggestion ("Did you mean …?") and
    the lay words searched too ("also searched: recurrent") are then shown openly.
    ``books`` maps book keys to titles: every result names its book.
    """
    from nbcompanion.content.search import SearchResult

    result = found if isinstance(found, SearchResult) else SearchResult(query, list(found))
    hits = result.hits
    shown = esc(query.strip())
    if not query.strip():
        return ("<h1>" + _("Search") + "</h1><p>"
                + _("Type a word or a few words in the search box, for example “MIBG”, "
                    "“stem cell” or “dinutux”. Spelling mistakes and everyday words (like "
                    "“chemo” or “relapse”) are fine.") + "</p>")
    heading = "<h1>" + _("Search: “{query}”").format(query=shown) + "</h1>"
    if not hits:
        return (heading + "<p>" + _("No matches. Try fewer words, or the start of a word (for "
                                    "example “dinutux” for dinutuximab).") + "</p>")
    notes = []
    if result.suggestion:
        notes.append("<p>" + _("<b>Did you mean <i>{suggestion}</i>?</b> Showing results for "
                               "“{suggestion}”; nothing matches “{query}” as typed.").format(
                                   suggestion=esc(result.suggestion), query=shown) + "</p>")
    if result.also:
        notes.append(f'<p style="color:{MUTED}">'
                     + _("Also searched: {words} (words the summary uses for what you "
                         "typed).").format(words=", ".join(f"“{esc(a)}”" for a in result.also))
                     + "</p>")
    if not hits[0].all_words:
        notes.append("<p>" + _("No section has all of these words; these sections have some "
                               "of them.") + "</p>")
    highlight = result.highlight or query
    titles = books or {}
    items = []
    for h in hits:
        place = " › ".join(p for p in (titles.get(h.book, h.book), h.path) if p)
        items.append(f'<p><a href="{section_url(h.section_id, highlight)}"><b>{esc(h.title)}'
                     f'</b></a><br/><span style="color:{MUTED}">{esc(place)}</span>'
                     + (f"<br/>{h.snippet_html}" if h.snippet_html.strip() else "") + "</p>")
    count = ngettext("{count} section found.", "{count} sections found.", len(hits)).format(
        count=len(hits))
    return heading + "".join(notes) + f"<p>{count}</p>" + "\n".join(items)


def not_found_page() -> str:
    """Shown when a link points at a section that no longer exists."""
    return ("<h1>" + _("Not found") + "</h1><p>"
            + _("This part of the library is no longer available.") + "</p>")
