"""``KeyringTextProtector``: what the projections seal personal text with."""

from __future__ import annotations

from uuid import uuid4

import pytest

from adapters.crypto.errors import SealedDataError
from adapters.crypto.keyring import Keyring
from adapters.readmodel.sealing import KeyringTextProtector


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
