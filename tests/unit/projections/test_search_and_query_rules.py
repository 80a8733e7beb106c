"""Blind-index words, history JSON and the checks every list query passes first."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import uuid4

import pytest

from projections.errors import InvalidQuery
from projections.query_rules import MAX_LIMIT, check_filters, check_limit
from projections.search_terms import MAX_TERM, index_terms, query_terms, words
from projections.transaction_views import TransactionFilters


def test_index_terms_are_every_prefix_of_three_or_more_characters_folded_and_unaccented() -> None:
    assert index_terms("Café Crème, 24h") == {"caf", "cafe", "cre", "crem", "creme", "24h"}


def test_ascii_and_accented_text_fold_to_the_same_words() -> None:
    assert words("STRASSE Cafe") == words("Straße Café") == ["strasse", "cafe"]
    fullwidth_abc = "\uff21\uff22\uff23"
    assert words(f"{fullwidth_abc}-123_x") == ["abc", "123", "x"]  # compatibility forms, separators


def test_long_words_are_indexed_and_searched_by_their_first_sixteen_characters() -> None:
    word = "x" * 40
    assert max(len(t) for t in index_terms(word)) == MAX_TERM
    assert query_terms(word) == ["x" * MAX_TERM]


def test_query_terms_drop_short_words_and_duplicates() -> None:
    assert query_terms("to the SHOP shop a") == ["shop", "the"]


@pytest.mark.parametrize("limit", [0, -1, MAX_LIMIT + 1])
def test_page_sizes_outside_one_to_five_hundred_are_refused(limit: int) -> None:
    with pytest.raises(InvalidQuery, match="limit"):
        check_limit(limit)


@pytest.mark.parametrize(
    ("filters", "parameter"),
    [
        (TransactionFilters(value_from=date(2024, 2, 2), value_to=date(2024, 2, 1)), "value_from"),
        (TransactionFilters(booked_to=date(9999, 12, 31)), "booked_to"),
        (TransactionFilters(amount_max=Decimal("1e20")), "amount_max"),
        (TransactionFilters(amount_min=Decimal("Infinity")), "amount_min"),
        (TransactionFilters(q="!! ??"), "q"),
        (TransactionFilters(q=" ".join(f"word{n}" for n in range(9))), "q"),
        (TransactionFilters(account_ids=frozenset(uuid4() for _ in range(101))), "account_ids"),
        (
            TransactionFilters(uncategorised=True, category_ids=frozenset({uuid4()})),
            "uncategorised",
        ),
        (TransactionFilters(tags=frozenset(f"t{n}" for n in range(21))), "tags"),
    ],
)
def test_bad_filters_name_the_parameter_they_break(
    filters: TransactionFilters, parameter: str
) -> None:
    with pytest.raises(InvalidQuery) as raised:
        check_filters(filters)
    assert raised.value.parameter == parameter


def test_good_filters_pass_and_return_the_search_terms() -> None:
    assert check_filters(TransactionFilters(q="Tesco groceries")) == ["groceries", "tesco"]
    assert check_filters(TransactionFilters()) == []
