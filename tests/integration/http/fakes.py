"""Test doubles for the HTTP tests.

``FakeUserAccounts`` runs beside the real ``application.users.Users`` (the ``users`` fixture is
parametrised over both), so the HTTP tests pin the port, not one implementation.
It keeps the port's promises that the HTTP layer relies on: argon2 hashes, a dummy-hash check
for unknown e-mails (no enumeration by timing), rehash-on-login, domain errors for bad input.
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass
from uuid import UUID

from adapters.http.auth.passwords import CHEAP_PROFILE, Argon2PasswordHasher
from application.users_port import UserView
from domain.errors import Conflict, InvalidEmail, NotFound, RuleBroken


class EmailTaken(Conflict):
    def __init__(self) -> None:
        super().__init__("this e-mail address is already registered")


class WrongPassword(RuleBroken):
    def __init__(self) -> None:
        super().__init__("the current password is not right")


@dataclass
class _User:
    view: UserView
    password_hash: str


class FakeUserAccounts:
    def __init__(self, hasher: Argon2PasswordHasher | None = None) -> None:
        self.hasher = hasher or Argon2PasswordHasher(CHEAP_PROFILE)
        self._by_id: dict[UUID, _User] = {}
        self._by_email: dict[str, UUID] = {}
        self._lock = threading.Lock()
        self.authentications = 0

    def register(
        self, email: str, password: str, first_name: str = "", last_name: str = ""
    ) -> UUID:
        normalised = email.strip().casefold()
        if "@" not in normalised.strip("@"):
            raise InvalidEmail("it needs an @ between two parts")
        with self._lock:
            if normalised in self._by_email:
                raise EmailTaken
            user_id = uuid.uuid4()
            view = UserView(user_id, normalised, first_name, last_name)
            self._by_id[user_id] = _User(view, self.hasher.hash(password))
            self._by_email[normalised] = user_id
        return user_id

    def authenticate(self, email: str, password: str) -> UUID | None:
        self.authentications += 1
        user_id = self._by_email.get(email.strip().casefold())
        if user_id is None:
            self.hasher.verify_unknown(password)
            return None
        user = self._by_id[user_id]
        if not self.hasher.verify(user.password_hash, password):
            return None
        if self.hasher.needs_rehash(user.password_hash):
            user.password_hash = self.hasher.hash(password)
        return user_id

    def change_password(self, user_id: UUID, current: str, new: str) -> int:
        user = self._by_id.get(user_id)
        if user is None:
            raise NotFound(f"user {user_id} does not exist")
        if not self.hasher.verify(user.password_hash, current):
            raise WrongPassword
        user.password_hash = self.hasher.hash(new)
        return 1

    def get(self, user_id: UUID) -> UserView:
        user = self._by_id.get(user_id)
        if user is None:
            raise NotFound(f"user {user_id} does not exist")
        return user.view
