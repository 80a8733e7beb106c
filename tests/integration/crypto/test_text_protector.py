"""``KeyringTextProtector``: what the projections seal personal text with."""

from __future__ import annotations

from uuid import uuid4

import pytest

from adapters.crypto.errors import SealedDataError
from adapters.crypto.keyring import Keyring
from adapters.readmodel.sealing import KeyringTextProtector
from projections.search_terms import index_terms


def test_a_text_round_trips_bound_to_its_context(keyring: Keyring) -> None:
    protector, owner = KeyringTextProtector(keyring), uuid4()

    sealed = protector.seal(owner, "Corner shop", b"rm_transactions.payee:1")

    assert b"Corner shop" not in sealed
    assert protector.open(owner, sealed, b"rm_transactions.payee:1") == "Corner shop"
    with pytest.raises(SealedDataError):
        protector.open(owner, sealed, b"rm_transactions.payee:2")


def test_an_empty_text_is_stored_empty_and_opens_empty(keyring: Keyring) -> None:
    protector, owner = KeyringTextProtector(keyring), uuid4()

    sealed = protector.seal(owner, "", b"rm_transactions.notes:1")

    assert sealed == b""
    assert protector.open(owner, sealed, b"rm_transactions.notes:1") == ""


def test_a_page_opener_opens_as_open_does_and_refuses_the_same_forgeries(keyring: Keyring) -> None:
    protector, owner, stranger = KeyringTextProtector(keyring), uuid4(), uuid4()
    sealed = [protector.seal(owner, f"shop {n}", f"ctx:{n}".encode()) for n in range(3)]
    foreign = protector.seal(stranger, "not yours", b"ctx:0")
    open_field = protector.opener(owner)

    assert [open_field(blob, f"ctx:{n}".encode()) for n, blob in enumerate(sealed)] == [
        "shop 0",
        "shop 1",
        "shop 2",
    ]
    assert open_field(b"", b"ctx:9") == ""
    with pytest.raises(SealedDataError):
        open_field(sealed[0], b"ctx:1")  # a field moved to another row
    with pytest.raises(SealedDataError):
        open_field(foreign, b"ctx:0")  # another owner's field
    with pytest.raises(SealedDataError):
        open_field(sealed[0][:20], b"ctx:0")  # truncated after a known key's header


def test_a_page_opener_made_after_shredding_opens_nothing(keyring: Keyring) -> None:
    protector, owner = KeyringTextProtector(keyring), uuid4()
    sealed = protector.seal(owner, "Corner shop", b"ctx")

    keyring.shred(owner)

    assert protector.opener(owner)(sealed, b"ctx") is None


def test_index_tokens_are_the_query_tokens_of_every_prefix_cached_or_not(
    keyring: Keyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    protector, owner, other = KeyringTextProtector(keyring), uuid4(), uuid4()
    text = "Café Crème STRASSE straße ref 20261127 24h"  # numbers are not cached
    expected = set(protector.hashed(owner, sorted(index_terms(text))))

    assert protector.terms(owner, text) == expected
    assert protector.terms(owner, text) == expected  # from the word cache
    assert protector.terms(other, text).isdisjoint(expected)  # another owner's key
    monkeypatch.setattr("adapters.readmodel.sealing.WORD_CACHE_SIZE", 1)
    assert protector.terms(owner, text + " shop") == expected | set(
        protector.hashed(owner, ["sho", "shop"])
    )  # the cache emptied again and again as it fills


def test_no_index_tokens_once_the_owner_is_shredded(keyring: Keyring) -> None:
    protector, owner = KeyringTextProtector(keyring), uuid4()
    assert protector.terms(owner, "Corner shop")

    keyring.shred(owner)

    assert protector.terms(owner, "Corner shop") == set()
