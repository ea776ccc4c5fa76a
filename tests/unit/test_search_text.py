"""domain/search/text.py: the user's text becomes plain words (never query syntax), and the
cursor names a position in one query's results only."""

from __future__ import annotations

from dataclasses import replace

import pytest

from domain.paging import UnknownCursor
from domain.search.ports import MAX_DEPTH, MAX_QUERY_TERMS, SearchQuery, SearchSort
from domain.search.text import decode_cursor, encode_cursor, ends_mid_word, words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Wireless  Headphones", ["wireless", "headphones"]),
        ("Café crème", ["cafe", "creme"]),
        ('name:"x" OR *:*', ["name", "x"]),  # no operators: OR is a small word, dropped
        ("brand:Sony^100 ~2", ["brand", "sony", "100", "2"]),
        ("shoes for running", ["shoes", "running"]),
        ("for the", ["for", "the"]),  # nothing but small words: kept
        ("", []),
        ("   ", []),
        ("x" * 41 + " lamp", ["lamp"]),  # a word no engine indexes is dropped
    ],
)
def test_words(text: str, expected: list[str]) -> None:
    assert words(text) == expected


def test_words_are_bounded() -> None:
    assert len(words("lamp " * 100)) == MAX_QUERY_TERMS
    assert words("a" * 199 + " lamp") == []  # past the first 200 characters


def test_the_last_word_is_still_being_typed_until_a_space() -> None:
    assert ends_mid_word("espresso mach")
    assert not ends_mid_word("espresso ")
    assert not ends_mid_word("")


def test_a_cursor_round_trips_for_its_own_query_only() -> None:
    query = SearchQuery(text="lamp", brand="IKEA", sort=SearchSort.PRICE_ASC)
    cursor = encode_cursor(query, 40)
    assert cursor is not None
    assert decode_cursor(replace(query, cursor=cursor)) == 40
    assert decode_cursor(replace(query, cursor=cursor, limit=5)) == 40  # page size may change
    for other in (
        replace(query, text="lamps"),
        replace(query, brand="BenQ"),
        replace(query, sort=SearchSort.NEWEST),
        replace(query, min_price=1),
    ):
        with pytest.raises(UnknownCursor):
            decode_cursor(replace(other, cursor=cursor))


@pytest.mark.parametrize("bad", ["", "!!", "bm90IGpzb24", "eyJvIjoiMSIsInEiOiJ4In0", "e30"])
def test_a_cursor_we_did_not_issue_is_unknown(bad: str) -> None:
    with pytest.raises(UnknownCursor):
        decode_cursor(SearchQuery(text="lamp", cursor=bad))


def test_no_cursor_past_the_deepest_page() -> None:
    assert encode_cursor(SearchQuery(), MAX_DEPTH) is None
    assert decode_cursor(SearchQuery()) == 0
