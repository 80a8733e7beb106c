"""argon2id password hashing and the new-password policy (ASVS 6.2.1-6.2.4, 11.4.2).

``Argon2PasswordHasher`` implements ``application.auth_port.PasswordHasher`` for the users service.
The default profile is argon2-cffi's RFC 9106 low-memory one (t=3, m=64 MiB, p=4); ``CHEAP_PROFILE``
exists for tests only, so a test suite with hundreds of logins stays fast.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from importlib import resources

from argon2 import Parameters, Type
from argon2 import PasswordHasher as _Argon2
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from argon2.profiles import RFC_9106_LOW_MEMORY

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 128

CHEAP_PROFILE = Parameters(
    type=Type.ID, version=19, salt_len=16, hash_len=32, time_cost=1, memory_cost=8, parallelism=1
)
"""For tests only: ~0.05 ms per hash. Never use in production."""


class Argon2PasswordHasher:
    """argon2id; ``needs_rehash`` tells the users service to upgrade a hash after a good login."""

    def __init__(self, profile: Parameters = RFC_9106_LOW_MEMORY) -> None:
        if profile.type is not Type.ID:
            raise ValueError("only argon2id is accepted")
        self._hasher = _Argon2.from_parameters(profile)
        # Verified against for unknown accounts, so they cost the same time as a wrong password.
        self._dummy_hash = self._hasher.hash("fintrack dummy password for unknown accounts")

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, stored_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(stored_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def verify_unknown(self, password: str) -> None:
        self.verify(self._dummy_hash, password)

    def needs_rehash(self, stored_hash: str) -> bool:
        try:
            return self._hasher.check_needs_rehash(stored_hash)
        except InvalidHashError:
            return True


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list (see the header of ``common-passwords.txt`` for its origin), lower-cased."""
    text = resources.files(__package__).joinpath("common-passwords.txt").read_text("utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


class CommonPasswordPolicy:
    """12-128 characters, not on the common-password list, not the e-mail address itself."""

    def __init__(self, blocklist: frozenset[str] | None = None) -> None:
        self._blocklist = common_passwords() if blocklist is None else blocklist

    def problem(self, password: str, *, email: str = "") -> str | None:
        normalised = unicodedata.normalize("NFKC", password)
        if len(normalised) < MIN_PASSWORD_LENGTH:
            return f"a password needs at least {MIN_PASSWORD_LENGTH} characters"
        if len(normalised) > MAX_PASSWORD_LENGTH:
            return f"a password has at most {MAX_PASSWORD_LENGTH} characters"
        folded = normalised.casefold()
        if folded in self._blocklist:
            return "this password is on a list of commonly used passwords; choose another"
        if len(set(folded)) < 4:
            return "a password needs at least 4 different characters"
        if email and folded in {email.casefold(), email.casefold().partition("@")[0]}:
            return "a password must not be your e-mail address"
        return None
