"""What the user use cases need to hash and judge passwords (implemented in ``adapters.http.auth``).

The users service (``application.users``) owns the rules; these ports keep argon2 and the shipped
list of common passwords out of the application layer.
"""

from __future__ import annotations

from typing import Protocol


class PasswordHasher(Protocol):
    """One-way password hashing with a slow, memory-hard KDF. Synchronous and CPU-bound."""

    def hash(self, password: str) -> str:
        """A self-describing hash string (algorithm, parameters, salt, digest)."""

    def verify(self, stored_hash: str, password: str) -> bool:
        """True when ``password`` matches; never raises for a wrong password or a malformed hash."""

    def verify_unknown(self, password: str) -> None:
        """Spend the same time as ``verify`` for an account that does not exist (no enumeration)."""

    def needs_rehash(self, stored_hash: str) -> bool:
        """True when the hash was made with weaker parameters than today's: rehash after a login."""


class PasswordPolicy(Protocol):
    def problem(self, password: str, *, email: str = "") -> str | None:
        """None when ``password`` is acceptable for a new password, else the reason in words."""
