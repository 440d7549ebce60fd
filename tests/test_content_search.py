"""Search: prefixes, phrases, ranking, snippets — and no input ever raises."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from nbcompanion.content.library import Library
from nbcompanion.content.search import Query


@cache
def library() -> Library:
    return Library.load_default(user_dir=Path("/nonexistent-nbcompanion-folder"))


def titles(text: str) -> list[str]:
    return [hit.title for hit in library().search(text)]


def test_a_word_start_finds_the_whole_word() -> None:
    hits = library().search("dinutux")
    assert "Treatment of High-Risk Neuroblastoma" in [h.title for h in hits]
    assert all("dinutuximab" in h.snippet_html.casefold() for h in hits)
    assert '<b style="background-color:#fff1a8">dinutuximab</b>' in hits[0].snippet_html.lower() \
        or "<b" in hits[0].snippet_html


def test_phrases_match_words_in_order() -> None:
    phrase = titles('"stem cell rescue"')
    assert phrase
    assert "High-dose chemotherapy and radiation therapy with stem cell rescue" in phrase
    assert len(titles('"rescue stem cell"')) < len(titles("rescue stem cell"))


def test_titles_rank_first_and_questions_still_find_answers() -> None:
    assert titles("stage m")[0] == "Stage M"
    assert titles("what is stage m")[0] == "Stage M"
    assert titles("MIBG")[0] in ("Iodine 131-MIBG therapy",
                                 "Tests that examine many different body tissues and fluids "
                                 "are used to diagnose neuroblastoma.")


def test_accents_and_case_do_not_matter() -> None:
    assert titles("NEUROBLASTÓMA") == titles("neuroblastoma")


def test_hits_carry_their_place_in_the_book() -> None:
    hit = library().search("stage ms")[0]
    assert hit.path.startswith("Stages of Neuroblastoma › ")
    assert hit.section_id.startswith("neuroblastoma-treatment-pdq/")


def test_odd_input_gives_results_or_nothing() -> None:
    for text in ["", "   ", '"', '""', "(", ")", "((stage", "AND", "OR NOT", "*", "stage*",
                 "NEAR(a b)", "-", "^", ":", "col:umn", "VMA/HVA", "\U0001F600", "'", "\\",
                 "\x00", "a" * 5000, "stage AND (m OR ms)", '"unclosed phrase']:
        assert isinstance(library().search(text), list)
    assert library().search("\U0001F600") == []
    assert library().search("VMA/HVA")


def test_query_parsing() -> None:
    query = Query.parse('stem "cell rescue" AND ((x')
    assert query.phrases == (("cell", "rescue"),)
    assert query.words == ("stem", "AND", "x")
    assert query.terms() == ['"cell rescue"', '"stem"*', '"AND"*', '"x"']
    assert Query.parse("").is_empty()


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=60))
def test_any_text_never_raises(text: str) -> None:
    hits = library().search(text)
    assert isinstance(hits, list)
    assert len(hits) <= 30
