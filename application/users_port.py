"""What the HTTP sign-in layer needs from the user use cases (``application.users``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol
from uuid import UUID


@dataclass(frozen=True, slots=True)
class UserView:
    id: UUID
    email: str
    first_name: str
    last_name: str


class UserAccounts(Protocol):
    """Register users and check their passwords. Synchronous: call it off the event loop."""

    def register(
        self, email: str, password: str, first_name: str = "", last_name: str = ""
    ) -> UUID:
        """Raises ``InvalidEmail``/``RuleBroken`` on bad input, ``EmailTaken`` (a Conflict)."""

    def authenticate(self, email: str, password: str) -> UUID | None:
        """The user id when the password is right; None otherwise — in similar time for an unknown
        e-mail and a wrong password (no account enumeration). Rehashes when argon2 parameters
        change."""

    def change_password(self, user_id: UUID, current: str, new: str) -> int:
        """Returns the log position; raises ``WrongPassword``, or ``RuleBroken`` for a weak one."""

    def get(self, user_id: UUID) -> UserView:
        """Raises ``NotFound`` for unknown or erased users."""
