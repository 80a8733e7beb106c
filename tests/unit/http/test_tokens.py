"""Key derivation and opaque token formats."""

from __future__ import annotations

import pytest

from adapters.http.auth.tokens import (
    PERSONAL_PREFIX,
    REFRESH_PREFIX,
    TokenKeys,
    looks_like,
    new_opaque_token,
)


def test_keys_are_derived_deterministically_and_separately() -> None:
    keys = TokenKeys.derive(b"k" * 32)
    assert keys == TokenKeys.derive(b"k" * 32)
    assert keys.jwt_secret != keys.mac_key.hex()
    assert TokenKeys.derive(b"j" * 32).jwt_secret != keys.jwt_secret


def test_a_short_secret_is_refused() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        TokenKeys.derive(b"short")


def test_opaque_tokens_are_random_prefixed_and_hash_differently() -> None:
    keys = TokenKeys.derive(b"k" * 32)
    first, second = new_opaque_token(REFRESH_PREFIX), new_opaque_token(REFRESH_PREFIX)
    assert first != second
    assert looks_like(first, REFRESH_PREFIX)
    assert not looks_like(first, PERSONAL_PREFIX)
    assert keys.token_hash(first) != keys.token_hash(second)
    assert len(keys.token_hash(first)) == 32


def test_throttle_subjects_do_not_contain_the_email() -> None:
    subject = TokenKeys.derive(b"k" * 32).subject("account", "ada@example.org")
    assert subject.startswith("account:")
    assert "ada" not in subject
