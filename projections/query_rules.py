"""The checks every read query applies before it touches the database.

Dates stay within ``MIN_DATE``..``MAX_DATE``, ranges are not inverted, a page holds 1..``MAX_LIMIT``
items, a text query has at least one word of ``MIN_TERM`` characters and not too many words.
Each refusal is an ``InvalidQuery`` naming the parameter.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TypeVar

from projections.errors import InvalidQuery
from projections.search_terms import MAX_QUERY_WORDS, MIN_TERM, query_terms
from projections.transaction_views import TransactionFilters

MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(2199, 12, 31)
MAX_LIMIT = 500
MAX_IDS = 100  # accounts or categories in one filter
MAX_TAGS = 20
MAX_AMOUNT = Decimal(10) ** 15

_T = TypeVar("_T", date, Decimal)


def check_limit(limit: int) -> int:
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidQuery("limit", f"must be between 1 and {MAX_LIMIT}")
    return limit


def check_date(name: str, value: date | None) -> None:
    if value is not None and not MIN_DATE <= value <= MAX_DATE:
        raise InvalidQuery(name, f"must be between {MIN_DATE} and {MAX_DATE}")


def check_range(low_name: str, low: _T | None, high_name: str, high: _T | None) -> None:
    if low is not None and high is not None and low > high:
        raise InvalidQuery(low_name, f"is after {high_name}")


def check_filters(filters: TransactionFilters) -> list[str]:
    """Validate ``filters``; return the text-query terms (empty without ``q``)."""
    for name in ("booked_from", "booked_to", "value_from", "value_to"):
        check_date(name, getattr(filters, name))
    check_range("booked_from", filters.booked_from, "booked_to", filters.booked_to)
    check_range("value_from", filters.value_from, "value_to", filters.value_to)
    for name in ("amount_min", "amount_max"):
        amount: Decimal | None = getattr(filters, name)
        if amount is not None and not (amount.is_finite() and abs(amount) < MAX_AMOUNT):
            raise InvalidQuery(name, "must be a finite amount below 10^15")
    check_range("amount_min", filters.amount_min, "amount_max", filters.amount_max)
    if len(filters.account_ids) > MAX_IDS or len(filters.category_ids) > MAX_IDS:
        raise InvalidQuery("account_ids" if len(filters.account_ids) > MAX_IDS else "category_ids",
                           f"at most {MAX_IDS} ids")  # fmt: skip
    if len(filters.tags) > MAX_TAGS:
        raise InvalidQuery("tags", f"at most {MAX_TAGS} tags")
    if filters.uncategorised and filters.category_ids:
        raise InvalidQuery("uncategorised", "cannot be combined with category filters")
    if filters.q is None:
        return []
    terms = query_terms(filters.q)
    if not terms:
        raise InvalidQuery("q", f"needs a word of at least {MIN_TERM} letters or digits")
    if len(terms) > MAX_QUERY_WORDS:
        raise InvalidQuery("q", f"at most {MAX_QUERY_WORDS} words")
    return terms
