"""Words for the blind index: what a text search can match, before the keyed hash.

Text is case-folded, stripped of accents and cut at every character that is not a letter or a
digit. A word of at least ``MIN_TERM`` characters contributes each of its prefixes from
``MIN_TERM`` up to ``MAX_TERM`` characters, so ``q=groc`` finds "Groceries". A query word longer
than ``MAX_TERM`` is searched by its first ``MAX_TERM`` characters (its longest stored prefix).
"""

from __future__ import annotations

import re
import unicodedata

MIN_TERM = 3
MAX_TERM = 16
MAX_QUERY_WORDS = 8
_WORD = re.compile(r"[^\W_]+")


def words(text: str) -> list[str]:
    folded = text.casefold()
    if folded.isascii():  # most bank text: NFKD leaves ASCII as it is, nothing to strip
        return _WORD.findall(folded)
    decomposed = unicodedata.normalize("NFKD", folded)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _WORD.findall(plain)


def word_terms(word: str) -> list[str]:
    """The prefixes of one word (from ``words``) that the index holds: none if it is short."""
    return [word[:length] for length in range(MIN_TERM, min(len(word), MAX_TERM) + 1)]


def index_terms(text: str) -> set[str]:
    """Every prefix (``MIN_TERM``..``MAX_TERM`` characters) of every word of ``text``."""
    return {term for word in words(text) for term in word_terms(word)}


def query_terms(q: str) -> list[str]:
    """The terms a query must all match: its words of ``MIN_TERM`` or more, cut to ``MAX_TERM``."""
    found = {word[:MAX_TERM] for word in words(q) if len(word) >= MIN_TERM}
    return sorted(found)
