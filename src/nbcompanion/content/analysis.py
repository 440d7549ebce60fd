"""What the Markdown parser tells us about a book: plain text, definitions and links.

Built on first use (the parser takes a moment to import), once per book.
"""

from __future__ import annotations

import itertools
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
    #: How the summary writes it: "colon" ("**Term**: …"), "sentence" ("**Term** is …"),
    #: "heading" (a heading per test, then its paragraph) or "lead" (a bold line, then text).
    style: str = "colon"


@dataclass
class LinkUse:
    """One link of the source: where it is, its address and its words."""

    section_id: str
    href: str
    text: str
    sentence: str = ""  # the sentence of the summary the link stands in, as plain text


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
            result.links.extend(LinkUse(section.id, href, words, sentence_with(text, words))
                                for href, words in _links(children))
            result.definitions.extend(_inline_definitions(children, text, section.id))
            item_start = index >= 2 and tokens[index - 2].type == "list_item_open"
            if item_start:
                blocks.append(Block("li", text))
                found = _definition(children, section.id) or _sentence_definition(
                    children, text, section.id)
                if found:
                    result.definitions.append(found)
            elif list_depth == 0 and tokens[index - 1].type == "paragraph_open":
                solid = [c for c in children if not (c.type == "text" and not c.content)]
                whole_bold = (len(solid) >= 2 and solid[0].type == "strong_open"
                              and solid[-1].type == "strong_close")
                blocks.append(Block("lead" if whole_bold else "p", text))
                found = None if whole_bold else _sentence_definition(children, text,
                                                                      section.id)
                if found:
                    result.definitions.append(found)
        result.blocks[section.id] = blocks
        result.inline_texts[section.id] = texts
        result.plain[section.id] = "\n".join(
            inline_text(t.children or []) for t in tokens if t.type == "inline")
        result.definitions.extend(_lead_definitions(blocks, section.id, result.links))
    result.definitions.extend(_heading_definitions(book, result))
    return result


_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[A-Z(\"“])")
_IS_ARE = re.compile(r"^\s*(?:\([^)]*\)\s*)?(is|are|was|were|means|refers to)\b")
_IS_ARE_HEADING = re.compile(r"^((?:[\w-]+ ){0,3}[\w-]+) (?:is|are) (?:a|an|the) .*[.]$")
_NAMED_WITHIN = 12  # characters: "In stage L1, …", "The MIBG scan …"
_NOT_TERMS = ("there ", "this ", "it ", "that ", "these ", "treatment ")
#: A heading or bold lead longer than this is a statement, not the name of a test or term.
_TERM_MAX_WORDS = 6


def sentence_with(text: str, words: str) -> str:
    """The sentence of ``text`` that holds ``words`` (the whole text if it is one sentence)."""
    if not words:
        return ""
    for sentence in _SENTENCE_BREAK.split(text):
        if words in sentence:
            return sentence.strip()
    return text.strip()


_CALLED = re.compile(r"\b(?:is|are) called\s*$")
_NOT_ON_ITS_OWN = ("this ", "these ", "it ", "that ", "they ")


def _inline_definitions(children: list[Token], text: str,
                        section_id: str) -> Iterator[Definition]:
    """Dictionary words the sentence itself explains.

    "… has usually [metastasized] (spread)" (a gloss in brackets right after the link) and
    "The likely outcome … is called [prognosis]." The definition is the whole sentence.
    """
    for index, child in enumerate(children):
        if child.type != "link_open":
            continue
        term_id = dictionary_id(str(child.attrs.get("href", "")))
        close = next((n for n in range(index + 1, len(children))
                      if children[n].type == "link_close"), -1)
        if term_id is None or close < 0:
            continue
        words = inline_text(children[index + 1:close])
        sentence = sentence_with(text, words)
        if not words or not sentence:
            continue
        before = children[index - 1].content if index and children[index - 1].type == "text" \
            else ""
        after = children[close + 1].content if close + 1 < len(children) and \
            children[close + 1].type == "text" else ""
        gloss = re.match(r"^ \(([^()\[\]]+)\)", after)
        if gloss and _is_gloss(gloss.group(1)):
            yield Definition(words, sentence, section_id, {term_id: words}, False, "gloss")
        elif _CALLED.search(before) and not sentence.casefold().startswith(_NOT_ON_ITS_OWN):
            yield Definition(words, sentence, section_id, {term_id: words}, False, "called")


def _is_gloss(inside: str) -> bool:
    """True for a few plain words in brackets ("spread"), not an acronym ("LDH") or a list."""
    acronym = len(inside.split()) == 1 and sum(c.isupper() for c in inside) >= 2
    return (not acronym and any(c.islower() for c in inside) and len(inside.split()) <= 12
            and not inside.casefold().startswith(("for ", "such as", "see ")))


def _sentence_definition(children: list[Token], text: str,
                         section_id: str) -> Definition | None:
    """A definition if the paragraph opens "**Term** is/are …" (the whole paragraph, as is)."""
    solid = [c for c in children if not (c.type == "text" and not c.content)]
    if len(solid) < 4 or solid[0].type not in ("strong_open", "link_open"):
        return None
    closing = "strong_close" if solid[0].type == "strong_open" else "link_close"
    close = next((n for n, c in enumerate(solid) if c.type == closing), -1)
    if close < 0 or close + 1 >= len(solid) or solid[close + 1].type != "text":
        return None
    if not _IS_ARE.match(solid[close + 1].content):
        return None
    term = inline_text(solid[:close + 1])
    if not term or len(term.split()) > _TERM_MAX_WORDS:
        return None
    ids = {i: words for href, words in _links(solid[:close + 1]) if (i := dictionary_id(href))}
    return Definition(term, text, section_id, ids, closing == "strong_close", "sentence")


def _names(term: str, text: str) -> bool:
    """True when ``text`` opens by naming ``term`` (without its parenthesis).

    "In stage L1, the cancer …" names "Stage L1"; a sentence that only mentions the words
    late ("… can be found on our Contact Us page") does not.
    """
    first = " ".join(_SENTENCE_BREAK.split(text, maxsplit=1)[0].casefold().split())
    words = re.sub(r"\s*\([^)]*\)", "", term).casefold().strip(" .:").split()
    # The whole term, or its first words ("Physical exam and health history" → "A physical
    # exam is …"), near the start.
    for size in range(len(words), min(2, len(words)) - 1, -1):
        if size < len(words) and words[size] not in ("and", "or", "with"):
            continue  # "Clinical Trial Information" is not "a clinical trial"
        found = re.search(r"\b" + re.escape(" ".join(words[:size])), first)
        if found is not None and found.start() <= _NAMED_WITHIN:
            return True
    return False


def _is_term_title(title: str) -> bool:
    title = title.strip()
    return (0 < len(title.split()) <= _TERM_MAX_WORDS
            and not title.endswith((".", "?", ":", "!")))


def _lead_definitions(blocks: list[Block], section_id: str,
                      links: list[LinkUse]) -> Iterator[Definition]:
    """Tests written as a bold line ("**Bone scan**") followed by a paragraph about it."""
    for block, following in itertools.pairwise(blocks):
        term = block.text.strip().rstrip(":")
        if (block.kind == "lead" and following.kind == "p" and _is_term_title(term)
                and _names(term, following.text)):
            ids = {i: u.text for u in links if u.section_id == section_id
                   and (i := dictionary_id(u.href)) and u.text.casefold() in term.casefold()}
            yield Definition(term, following.text, section_id, ids, True, "lead")


def _heading_definitions(book: Book, result: BookAnalysis) -> Iterator[Definition]:
    """Tests and treatments written one heading each, the heading's first paragraph about it."""
    for section in book.sections:
        said = _IS_ARE_HEADING.match(section.title)
        if said and not section.title.casefold().startswith(_NOT_TERMS):
            # A heading that says what something is: "Neuroblastoma is a type of cancer …".
            yield Definition(said.group(1), section.title, section.id, {}, False, "heading")
            continue
        if section.level < 3 or not _is_term_title(section.title):
            continue
        first = next((b for b in result.blocks.get(section.id, []) if b.kind == "p"), None)
        if first is None or not _names(section.title, first.text):
            continue
        ids = {i: u.text for u in result.links if u.section_id == section.id
               and (i := dictionary_id(u.href))
               and u.text.casefold() in section.title.casefold()}
        yield Definition(section.title, first.text, section.id, ids, False, "heading")
