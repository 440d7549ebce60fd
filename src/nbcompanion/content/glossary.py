"""The glossary of a book: the terms the summary itself defines ("**Term**: definition")."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from nbcompanion.content.analysis import BookAnalysis, Definition

#: A term defined in several ways is kept where it is defined most plainly.
_STRENGTH = {"colon": 3, "sentence": 3, "lead": 3, "heading": 2, "called": 1, "gloss": 0}
_PARENTHESES = re.compile(r"\s*\([^)]*\)")
_PUNCTUATION = str.maketrans({"’": "'", "‘": "'", "–": "-", "—": "-", "“": '"', "”": '"'})


def normalise(text: str) -> str:
    """A form of ``text`` for matching: casefolded, one space, no trailing period or colon."""
    text = " ".join(text.translate(_PUNCTUATION).casefold().split())
    return text.rstrip(" .:")


def aliases(term: str) -> set[str]:
    """Normalised names a term may be looked up by: "CT scan (CAT scan)" → also "ct scan"."""
    names = {normalise(term)}
    without = normalise(_PARENTHESES.sub("", term))
    if without:
        names.add(without)
    before = normalise(term.split("(", 1)[0])
    if len(before) >= 2:
        names.add(before)
    for name in list(names):
        if name.endswith("s") and len(name) > 3:
            names.add(name[:-1])
    return names


@dataclass
class GlossaryEntry:
    """A term the summary defines, where it defines it, and where else it is used."""

    term: str
    definition: str
    section_id: str
    places: list[str] = field(default_factory=list)
    dictionary_ids: set[str] = field(default_factory=set)
    used_in: list[str] = field(default_factory=list)
    style: str = "colon"  # how the summary writes it (see analysis.Definition.style)

    @property
    def key(self) -> str:
        """The normalised term (unique within a book's glossary)."""
        return normalise(self.term)

    @property
    def letter(self) -> str:
        """The A–Z heading this term is listed under ("#" for digits and symbols)."""
        first = self.term.lstrip("*_ ")[:1].upper()
        return first if first.isalpha() else "#"


class Glossary:
    """A book's defined terms, looked up by name or by NCI dictionary id."""

    def __init__(self, analysis: BookAnalysis, section_order: list[str]) -> None:
        order = {section_id: n for n, section_id in enumerate(section_order)}
        grouped: dict[str, list[Definition]] = {}
        plain = set().union(*(aliases(d.term) for d in analysis.definitions
                              if _STRENGTH.get(d.style, 0) >= 2))
        for definition in analysis.definitions:
            key = normalise(definition.term)
            if _STRENGTH.get(definition.style, 0) < 2 and key in plain:
                continue  # "CT scan (CAT scan)" is already explained plainly under that name
            grouped.setdefault(key, []).append(definition)
        per_section = Counter(d.section_id for d in analysis.definitions)
        self.entries: list[GlossaryEntry] = []
        for group in grouped.values():
            # A term defined twice is kept where the summary gathers most of its definitions.
            main = max(group, key=lambda d: (_STRENGTH.get(d.style, 0), per_section[d.section_id],
                                             -order[d.section_id]))
            names = aliases(main.term)
            ids = {i for d in group for i, words in d.dictionary_links.items()
                   if normalise(words) in names}
            places = sorted({d.section_id for d in group}, key=order.__getitem__)
            self.entries.append(GlossaryEntry(main.term, main.definition, main.section_id,
                                              places, ids, style=main.style))
        self.entries.sort(key=lambda e: e.key.lstrip("*_ "))
        self._by_name: dict[str, GlossaryEntry] = {}
        for entry in self.entries:  # exact names first, then the looser aliases
            self._by_name.setdefault(entry.key, entry)
        for entry in self.entries:
            for name in aliases(entry.term):
                self._by_name.setdefault(name, entry)
        self._by_id = {i: e for e in self.entries for i in sorted(e.dictionary_ids)}
        self._find_uses(analysis, section_order, order)

    def _find_uses(self, analysis: BookAnalysis, section_order: list[str],
                   order: dict[str, int]) -> None:
        from nbcompanion.content.analysis import dictionary_id

        # Worked out once, not once per entry: this runs when the first term is looked up.
        links = [(dictionary_id(link.href), normalise(link.text), link.section_id)
                 for link in analysis.links]
        texts = [(section_id, normalise(analysis.plain.get(section_id, "")))
                 for section_id in section_order]
        for entry in self.entries:
            used = set(entry.places)
            names = aliases(entry.term)
            for found, words, section_id in links:
                if (found and found in entry.dictionary_ids) or words in names:
                    used.add(section_id)
            pattern = re.compile(r"\b" + re.escape(normalise(_PARENTHESES.sub("", entry.term)))
                                 + r"s?\b")
            used.update(section_id for section_id, text in texts if pattern.search(text))
            entry.used_in = sorted(used, key=order.__getitem__)

    def __len__(self) -> int:
        return len(self.entries)

    def lookup(self, name: str) -> GlossaryEntry | None:
        """The entry called ``name`` (any case, with or without its parenthesis)."""
        key = normalise(name)
        return self._by_name.get(key) or (self._by_name.get(key[:-1])
                                          if key.endswith("s") else None)

    def for_dictionary_id(self, dictionary_id: str, words: str = "") -> GlossaryEntry | None:
        """The entry a dictionary link points at: by the link's id, else by its words."""
        return self._by_id.get(dictionary_id) or (self.lookup(words) if words else None)
