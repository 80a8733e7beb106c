"""``KeyringTextProtector``: the projections' ``TextProtector`` over the owner's data keys.

Fields are sealed with the keyring (AES-GCM under the owner's field subkey); blind-index tokens are
keyed BLAKE2b (a MAC like HMAC, and several times faster here) under the owner's search key,
``TERM_BYTES`` long. Bank text repeats its words (payees, "card payment"...), so the tokens of up
to ``WORD_CACHE_SIZE`` words of letters are remembered per search key (numbers seldom repeat).
An owner shredded while a page is folded gets empty values: the page's purge (or the next one's)
removes their rows anyway. An empty text is stored empty, not sealed: its ciphertext would tell
no more (AES-GCM keeps the length), and it would cost a seal to write and an open to read.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from uuid import UUID

from adapters.crypto.errors import OwnerShreddedError
from adapters.crypto.keyring import Keyring
from adapters.readmodel.tables import TERM_BYTES
from projections.search_terms import word_terms, words

WORD_CACHE_SIZE = 4096  # words: ~0.5 KiB each with their tokens; emptied when full


class KeyringTextProtector:
    def __init__(self, keyring: Keyring) -> None:
        self._keyring = keyring
        # (search key, word) -> its tokens. Keyed by the key, not the owner: a shredded owner's
        # key is no longer handed out, so nothing cached under it is used again.
        self._word_tokens: dict[tuple[bytes, str], tuple[bytes, ...]] = {}

    def seal(self, owner_id: UUID, text: str, context: bytes) -> bytes:
        if not text:
            return b""
        try:
            return self._keyring.seal(owner_id, text, context)
        except OwnerShreddedError:
            return b""

    def open(self, owner_id: UUID, blob: bytes, context: bytes) -> str | None:
        if not blob:
            return ""
        return self._keyring.open(owner_id, bytes(blob), context)

    def opener(self, owner_id: UUID) -> Callable[[bytes, bytes], str | None]:
        """``open`` for many fields of one owner (a page of rows): each data key resolved once."""
        fields = self._keyring.opener(owner_id)

        def open_field(blob: bytes, context: bytes) -> str | None:
            return fields.open(bytes(blob), context) if blob else ""

        return open_field

    def terms(self, owner_id: UUID, text: str) -> set[bytes]:
        try:
            key = self._keyring.search_key(owner_id)
        except OwnerShreddedError:
            return set()
        cache = self._word_tokens
        tokens: set[bytes] = set()
        for word in words(text):
            found = cache.get((key, word))
            if found is None:
                found = tuple(_token(key, t) for t in word_terms(word))
                if word.isalpha():  # numbers (amounts, references) seldom repeat: not kept
                    if len(cache) >= WORD_CACHE_SIZE:
                        cache.clear()
                    cache[key, word] = found
            tokens.update(found)
        return tokens

    def hashed(self, owner_id: UUID, terms: Iterable[str]) -> list[bytes]:
        """The tokens of ``terms`` (already normalised words), in the order given."""
        try:
            key = self._keyring.search_key(owner_id)
        except OwnerShreddedError:
            return []
        return [_token(key, term) for term in terms]


def _token(key: bytes, term: str) -> bytes:
    return hashlib.blake2b(term.encode(), key=key, digest_size=TERM_BYTES).digest()
