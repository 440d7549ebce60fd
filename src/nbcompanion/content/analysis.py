"""What the Markdown parser tells us about a book: plain text, definitions and links.

Built on first use (the parser takes a moment to import), once per book.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

    from nbcompanion.content.summary import Book

#: A definition's term may be at most this many words when it is not in bold.
_PLAIN_TERM_MAX_WORDS = 6
_DICTIONARY_ID = re.compile(r"popDefinition\.aspx\?(?:[^#]*?&)?id=(\d+)", re.IGNORECASE)


@cache
def markdown() -> MarkdownIt:
    """The shared Markdown parser: CommonMark with tables, raw HTML shown as text."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])


def dictionary_id(href: str) -> str | None:
    """The NCI dictionary id of a ``popDefinition.aspx?id=…`` link, else None."""
    match = _DICTIONARY_ID.search(href)
    return match.group(1) if match else None


def is_enlarge_link(children: list[Token], index: int) -> bool:
    """True if ``children[index]`` opens an "Enlarge" link that sits right before an image."""
    return (children[index].type == "link_open" and index + 3 < len(children)
            and children[index + 1].type == "text"
            and children[index + 1].content.strip().casefold() == "enlarge"
            and children[index + 2].type == "link_close"
            and children[index + 3].type == "image")


def inline_text(children: list[Token]) -> str:
    """The words of an inline run as plain text (image captions included, "Enlarge" left out)."""
    parts: list[str] = []
    skip_until = -1
    for index, child in enumerate(children):
        if index <= skip_until:
            continue
        if is_enlarge_link(children, index):
            skip_until = index + 2
        elif child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(" " + inline_text(child.children or []) + " ")
    return " ".join("".join(parts).split())


@dataclass
class Block:
    """A paragraph or list item of a section, as plain text."""

    kind: str  # "p": paragraph outside lists; "lead": an all-bold paragraph; "li": list item
    text: str


@dataclass
class Definition:
    """A "Term: definition" list item."""

    term: str
    definition: str
    section_id: str
    dictionary_links: dict[str, str]  # NCI dictionary id -> the linked words inside the term
    bold: bool


@dataclass
class LinkUse:
    """One link of the source: where it is, its address and its words."""

    section_id: str
    href: str
    text: str


@dataclass
class BookAnalysis:
    """Plain text, blocks, definitions and links of every section of a book."""

    plain: dict[str, str] = field(default_factory=dict)
    blocks: dict[str, list[Block]] = field(default_factory=dict)
    inline_texts: dict[str, list[str]] = field(default_factory=dict)
    definitions: list[Definition] = field(default_factory=list)
    links: list[LinkUse] = field(default_factory=list)


def _links(children: list[Token]) -> Iterator[tuple[str, str]]:
    """(href, words) of each link of an inline run."""
    for index, child in enumerate(children):
        if child.type != "link_open":
            continue
        depth, words = 1, []
        for inner in children[index + 1:]:
            if inner.type == "link_open":
                depth += 1
            elif inner.type == "link_close":
                depth -= 1
                if depth == 0:
                    break
            elif inner.type in ("text", "code_inline"):
                words.append(inner.content)
        yield str(child.attrs.get("href", "")), " ".join("".join(words).split())


def _plain_definition(children: list[Token]) -> tuple[str, str, dict[str, str]] | None:
    """(term, definition, dictionary ids) of an item reading "Term: definition" without bold."""
    depth = 0
    for index, child in enumerate(children):
        if child.type == "link_open":
            depth += 1
        elif child.type == "link_close":
            depth -= 1
        elif child.type == "text" and ":" in child.content:
            if depth > 0:
                return None
            before, _, after = child.content.partition(":")
            head = children[:index]
            term = " ".join((inline_text(head) + " " * before[:1].isspace() + before).split())
            definition = " ".join((after + " " + inline_text(children[index + 1:])).split())
            if (not term or len(term.split()) > _PLAIN_TERM_MAX_WORDS
                    or any(mark in term for mark in ".;!?,")):
                return None
            ids = {i: words for href, words in _links(head) if (i := dictionary_id(href))}
            return term, definition, ids
    return None


def _definition(children: list[Token], section_id: str) -> Definition | None:
    """A definition if the list item reads "**Term**: definition" (or a short "Term: …")."""
    depth, started, end = 0, False, -1
    for index, child in enumerate(children):
        if child.type == "strong_open":
            depth, started = depth + 1, True
        elif child.type == "strong_close":
            depth -= 1
            if depth == 0:
                end = index
                break
        elif not started and not (child.type == "em_open"
                                  or (child.type == "text" and not child.content)):
            break
    if end >= 0:
        rest = list(children[end + 1:])
        while rest and (rest[0].type == "em_close" or (rest[0].type == "text"
                                                      and not rest[0].content)):
            rest.pop(0)
        if not rest or rest[0].type != "text" or not rest[0].content.lstrip().startswith(":"):
            return None
        term = inline_text(children[:end + 1])
        ids = {i: words for href, words in _links(children[:end + 1])
               if (i := dictionary_id(href))}
        definition = inline_text(rest).lstrip(":").strip()
        bold = True
    else:
        found_plain = _plain_definition(children)
        if found_plain is None:
            return None
        term, definition, ids = found_plain
        bold = False
    if not term or not definition:
        return None
    return Definition(term, definition, section_id, ids, bold)


def analyse(book: Book) -> BookAnalysis:
    """Parse every section of ``book`` once and collect what the library needs."""
    parser = markdown()
    result = BookAnalysis()
    for section in book.sections:
        tokens = parser.parse(section.markdown)
        blocks: list[Block] = []
        texts: list[str] = []
        list_depth = 0
        for index, token in enumerate(tokens):
            if token.type in ("bullet_list_open", "ordered_list_open"):
                list_depth += 1
            elif token.type in ("bullet_list_close", "ordered_list_close"):
                list_depth -= 1
            if token.type != "inline":
                continue
            children = token.children or []
            text = inline_text(children)
            texts.append(token.content)
            result.links.extend(LinkUse(section.id, href, words) for href, words in
                                _links(children))
            item_start = index >= 2 and tokens[index - 2].type == "list_item_open"
            if item_start:
                blocks.append(Block("li", text))
                found = _definition(children, section.id)
                if found:
                    result.definitions.append(found)
            elif list_depth == 0 and tokens[index - 1].type == "paragraph_open":
                solid = [c for c in children if not (c.type == "text" and not c.content)]
                whole_bold = (len(solid) >= 2 and solid[0].type == "strong_open"
                              and solid[-1].type == "strong_close")
                blocks.append(Block("lead" if whole_bold else "p", text))
        result.blocks[section.id] = blocks
        result.inline_texts[section.id] = texts
        result.plain[section.id] = "\n".join(
            inline_text(t.children or []) for t in tokens if t.type == "inline")
    return result
