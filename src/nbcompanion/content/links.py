"""Where each link of a summary goes: a section of the app, a glossary term, or a web page.

No link is left dead: the summary's own anchors move to the matching section (through the small
``pdq-anchors.json`` mapping shipped in resources/), dictionary links become glossary terms,
site-relative addresses become absolute https addresses on cancer.gov.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from urllib.parse import quote, urlsplit, urlunsplit

from nbcompanion.content.analysis import dictionary_id
from nbcompanion.content.schemes import PAGE_SCHEME, SECTION_SCHEME, TERM_SCHEME

CANCER_GOV = "https://www.cancer.gov"
ANCHOR_MAP = "pdq-anchors.json"

__all__ = ["PAGE_SCHEME", "SECTION_SCHEME", "TERM_SCHEME", "Link", "LinkResolver"]


@dataclass(frozen=True)
class Link:
    """A resolved link: ``kind`` is "section", "term", "external" or "text" (words only)."""

    kind: str
    target: str = ""


@cache
def anchor_map() -> dict[str, dict[str, str]]:
    """Summary address → {anchor: heading it points at}, from the shipped mapping file."""
    from nbcompanion.resources import resource_path

    try:
        data = json.loads(resource_path(ANCHOR_MAP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {same_page_key(url): dict(anchors) for url, anchors in data.items()
            if not url.startswith("_")}


def same_page_key(url: str) -> str:
    """A form of a page address for comparing (https, lowercase host, no trailing slash)."""
    parts = urlsplit(url.strip())
    return f"{parts.netloc.lower()}{parts.path.rstrip('/')}".removeprefix("www.")


def dictionary_url(term_id: str) -> str:
    """The NCI Dictionary of Cancer Terms page for a dictionary id (as the summary links it)."""
    return (f"{CANCER_GOV}/Common/PopUps/popDefinition.aspx?id={quote(term_id)}"
            "&version=patient&language=English&dictionary=Cancer.gov")


def absolute(href: str) -> str | None:
    """``href`` as an absolute https address, or None when it cannot be made one."""
    href = href.strip()
    if href.startswith("//"):
        href = "https:" + href
    elif href.startswith("/"):
        href = CANCER_GOV + href
    elif href.lower().startswith("http://"):
        href = "https://" + href[len("http://"):]
    if not href.lower().startswith("https://"):
        return None
    parts = urlsplit(href)
    if not parts.netloc:
        return None
    return urlunsplit(("https", parts.netloc, parts.path, parts.query, parts.fragment))


class LinkResolver:
    """Resolves the links of one book.

    ``locate`` finds the one section of this book a heading or a link's words name, and
    returns None when it cannot be sure (no heading, or several that fit). A cross-reference
    that cannot be resolved with confidence never opens a guessed section: it becomes the
    summary's own address on cancer.gov (opened in the browser only after a click).
    """

    def __init__(self, book_url: str, locate: Callable[[str], str | None]) -> None:
        self.book_url = absolute(book_url) if book_url else None
        self.book_page = same_page_key(book_url) if book_url else ""
        self.anchors = anchor_map().get(self.book_page, {})
        self.locate = locate

    def resolve(self, href: str, words: str = "") -> Link:
        """Where a link with address ``href`` and text ``words`` goes."""
        term = dictionary_id(href)
        if term:
            return Link("term", term)
        if href.strip().startswith("#"):
            anchor = href.strip()[1:]
            section = self._own_anchor(anchor, words)
            if section:
                return Link("section", section)
            return self._on_the_web(anchor)
        address = absolute(href)
        if address is None:
            return Link("text")
        base, _, fragment = address.partition("#")
        if fragment and self.book_page and same_page_key(base) == self.book_page:
            section = self._own_anchor(fragment, words)
            if section:
                return Link("section", section)
        return Link("external", address)

    def _on_the_web(self, anchor: str) -> Link:
        """The summary's own page on cancer.gov at ``anchor`` (words only without an address)."""
        if not self.book_url:
            return Link("text")
        base = self.book_url.partition("#")[0]
        return Link("external", f"{base}#{quote(anchor, safe='_-.:/')}" if anchor else base)

    def _own_anchor(self, anchor: str, words: str) -> str | None:
        """The section an anchor of this summary stands for, only when it is certain.

        The shipped anchor map names the heading; otherwise the link's own words must name
        exactly one heading. The words are never matched against other links (a link would
        then find itself and point back at its own section).
        """
        topic = self.anchors.get(anchor)
        if topic:
            return self.locate(topic)
        return self.locate(words) if words else None
