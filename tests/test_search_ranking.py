"""Search that forgives: what a parent types finds the right section first.

The ranking table holds questions a parent would type (typos, lay words, whole questions)
and the section that must come first for each.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from nbcompanion.content.library import Library
from nbcompanion.content.render import search_page
from nbcompanion.content.search import Query
from nbcompanion.content.suggest import group_words, lay_words

FIXTURES = Path(__file__).parent / "fixtures" / "reference"
TESTS = "Tests that examine many different body tissues and fluids are used to diagnose"
RECURRENT = "Sometimes neuroblastoma does not respond to treatment or comes back after treatment."
PROGNOSIS = "Certain factors affect prognosis (chance of recovery) and treatment options."

#: (what a parent types, the start of the heading that must come first)
RANKING = [
    ("what is neuroblastoma", "Neuroblastoma is a type of cancer that forms in neuroblasts"),
    ("neuroblastma", "Neuroblastoma is a type of cancer that forms in neuroblasts"),
    ("what is stage L2", "Stage L2"),
    ("stage MS", "Stage MS"),
    ("stage m", "Stage M"),
    ("survival rate", PROGNOSIS),
    ("what are my child's chances", PROGNOSIS),
    ("outlook", PROGNOSIS),
    ("relapse", RECURRENT),
    ("relapsed neuroblastoma", RECURRENT),
    ("chemo", "Chemotherapy"),
    ("chemotheraphy", "Chemotherapy"),
    ("transplant", "High-dose chemotherapy and radiation therapy with stem cell rescue"),
    ("stem cell rescue", "High-dose chemotherapy and radiation therapy with stem cell rescue"),
    ("late effects", "Treatment for neuroblastoma causes side effects and late effects."),
    ("side effects", "Treatment for neuroblastoma causes side effects and late effects."),
    ("MIBG scan", TESTS),
    ("CT scan", TESTS),
    ("bone marrow biopsy", TESTS),
    ("what is MYCN amplification", TESTS),
    ("MIBG therapy", "Iodine 131-MIBG therapy"),
    ("high risk treatment", "Treatment of High-Risk Neuroblastoma"),
    ("low risk", "Treatment of Low-Risk Neuroblastoma"),
    ("intermediate risk neuroblastoma", "Treatment of Intermediate-Risk Neuroblastoma"),
    ("immunotherapy dinutuximab", "Immunotherapy"),
    ("isotretinion", "Other drug therapy"),
    ("accutane", "Other drug therapy"),
    ("radiation therapy", "Radiation therapy"),
    ("surgery", "Surgery"),
    ("wait and see", "Observation"),
    ("clinical trials", "New types of treatment are being tested in clinical trials."),
    ("second opinion", "Getting a second opinion."),
    ("genetic testing", "Genetic testing can determine whether a child has an inherited"),
    ("does it run in the family", "Genetic testing can determine whether a child has an"),
    ("signs and symptoms", "Signs and symptoms of neuroblastoma include bone pain"),
    ("lump in the tummy", "Signs and symptoms of neuroblastoma include bone pain"),
    ("follow up care", "Follow-up care may be needed."),
    ("risk groups", "Treatment of neuroblastoma is based on risk groups."),
    ("targeted therapy", "Targeted therapy"),
]


@cache
def library() -> Library:
    return Library.load_default(user_dir=Path("/nonexistent-nbcompanion-folder"))


def test_the_ranking_table_is_big_enough() -> None:
    assert len(RANKING) >= 25


@pytest.mark.parametrize(("question", "first"), RANKING, ids=[q for q, _f in RANKING])
def test_each_question_finds_its_section_first(question: str, first: str) -> None:
    hits = library().find(question).hits
    assert hits, question
    assert hits[0].title.startswith(first), [h.title for h in hits[:3]]


@pytest.mark.parametrize(("typed", "meant"), [("neuroblastma", "neuroblastoma"),
                                              ("isotretinion", "isotretinoin"),
                                              ("dinutuximb", "dinutuximab"),
                                              ("chemotheraphy", "chemotherapy")])
def test_a_misspelt_word_gets_a_suggestion_with_its_results(typed: str, meant: str) -> None:
    assert library().search(typed) == []  # nothing matches the word as typed
    result = library().find(typed)
    assert result.suggestion == meant
    assert result.hits
    assert all(meant in re.sub(r"<[^>]+>", "", h.snippet_html).casefold()
               or meant in h.title.casefold() for h in result.hits)
    page = search_page(typed, result, {library().books[0].key: "Neuroblastoma"})
    assert f"Did you mean <i>{meant}</i>?" in page


def test_known_words_and_short_words_are_never_corrected() -> None:
    assert library().find("dinutux").suggestion == ""  # a word start is not a typo
    assert library().find("MIBG").suggestion == ""
    assert library().find("qqqzzzxxy").suggestion == ""
    assert library().find("qqqzzzxxy").hits == []


def test_lay_words_are_searched_too_and_said_openly() -> None:
    result = library().find("relapse")
    assert "recurrent" in result.also
    assert "comes back" in result.also
    page = search_page("relapse", result, {})
    assert "Also searched: “recurrent”" in page
    assert library().find("chemo").also == ("chemotherapy",)
    for key, values in lay_words().items():
        assert key, values  # the data file has no empty entries
        assert all(values), key


def test_multi_word_lay_words_group_first() -> None:
    groups = group_words(["survival", "rate", "stage"])
    assert [g.words for g in groups] == [("survival", "rate"), ("stage",)]
    assert "prognosis" in groups[0].also


def test_stop_words_are_never_searched_or_highlighted() -> None:
    result = library().find("what is stage L2")
    assert result.hits[0].title == "Stage L2"
    for hit in result.hits:
        marked = re.findall(r"<b[^>]*>([^<]*)</b>", hit.snippet_html)
        assert not [m for m in marked if m.casefold() in ("what", "is")], marked
    assert Query.parse("what is stage L2").highlight_terms() == ["stage", "L2"]
    assert Query.parse("what is").highlight_terms() == ["what", "is"]  # nothing else typed


def test_whole_phrases_and_exact_words_rank_first() -> None:
    hits = library().find("survival rate").hits
    assert hits[0].title == PROGNOSIS
    heart = [n for n, h in enumerate(hits) if "heart rate" in h.snippet_html.casefold()]
    assert all(n > 0 for n in heart)
    phrase = library().find("stem cell rescue").hits
    assert "stem cell rescue" in phrase[0].title


def test_every_result_names_its_book(tmp_path: Path) -> None:
    both = Library.load_default(user_dir=tmp_path)
    wilms = both.import_summary(FIXTURES / "wilms-mini.md")
    result = both.find("kidney")
    books = {h.book for h in result.hits}
    assert books == {both.books[0].key, wilms.key}
    titles = {b.key: b.title for b in both.books}
    page = search_page("kidney", result, titles)
    results = page.split("found.</p>", 1)[1]
    assert results.count(f"{wilms.title} ›") + results.count(f"{wilms.title}<") >= 1
    for hit in result.hits:
        assert titles[hit.book] in page
    assert results.count("<a href=") == len(result.hits)
    assert results.count('<span style="color:#5b6470">') == len(result.hits)
