"""argon2id hashing and the new-password policy."""

from __future__ import annotations

import time

import pytest
from argon2 import Parameters, Type

from adapters.http.auth.passwords import (
    CHEAP_PROFILE,
    Argon2PasswordHasher,
    CommonPasswordPolicy,
    common_passwords,
)


def test_a_hash_is_argon2id_and_verifies_only_its_password() -> None:
    hasher = Argon2PasswordHasher(CHEAP_PROFILE)
    stored = hasher.hash("correct horse battery staple")
    assert stored.startswith("$argon2id$")
    assert hasher.verify(stored, "correct horse battery staple")
    assert not hasher.verify(stored, "correct horse battery stapler")
    assert not hasher.verify("not a hash", "anything")


def test_a_hash_made_with_weaker_parameters_needs_a_rehash() -> None:
    weak = Argon2PasswordHasher(CHEAP_PROFILE).hash("correct horse battery staple")
    assert Argon2PasswordHasher().needs_rehash(weak)
    assert not Argon2PasswordHasher(CHEAP_PROFILE).needs_rehash(weak)


def test_argon2i_and_argon2d_profiles_are_refused() -> None:
    with pytest.raises(ValueError, match="argon2id"):
        Argon2PasswordHasher(
            Parameters(
                type=Type.I,
                version=19,
                salt_len=16,
                hash_len=32,
                time_cost=1,
                memory_cost=8,
                parallelism=1,
            )
        )


def test_an_unknown_account_costs_about_as_much_as_a_wrong_password() -> None:
    hasher = Argon2PasswordHasher()  # the production profile: the timing is the point
    stored = hasher.hash("the real password here")

    def elapsed(check: object) -> float:
        start = time.perf_counter()
        for _ in range(3):
            check()  # type: ignore[operator]
        return time.perf_counter() - start

    wrong = elapsed(lambda: hasher.verify(stored, "a wrong password guess"))
    unknown = elapsed(lambda: hasher.verify_unknown("a wrong password guess"))
    assert 0.5 < unknown / wrong < 2.0


def test_the_shipped_list_is_loaded() -> None:
    passwords = common_passwords()
    assert len(passwords) > 40_000
    assert {"123456", "password", "qwerty123456"} <= passwords


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("eleven char", "at least 12"),
        ("x" * 129, "at most 128"),
        ("Qwerty123456", "commonly used"),
        ("aaaaaaaaaaaaaaaa", "4 different"),
        ("ada.lovelace@example.org", "e-mail"),
    ],
)
def test_weak_passwords_are_refused_with_a_reason(password: str, reason: str) -> None:
    problem = CommonPasswordPolicy().problem(password, email="ada.lovelace@example.org")
    assert problem is not None
    assert reason in problem


@pytest.mark.parametrize(
    "password", ["correct horse battery staple", "x" * 120 + "yz12345!", "Zürich-2026-Föhn"]
)
def test_good_passwords_pass(password: str) -> None:
    assert CommonPasswordPolicy().problem(password, email="ada@example.org") is None
