"""Use cases for people: register, sign in, change password, erase (crypto-shred)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol
from uuid import UUID

from application.auth_port import PasswordHasher, PasswordPolicy
from application.command import CommandRunner, Outcome
from application.errors import EmailTaken, RecordNotFound, WeakPassword, WrongPassword
from application.ledger import Ledger
from application.loading import load_owned
from application.users_port import UserView
from domain.actor import Actor
from domain.errors import InvalidEmail
from domain.user import User, normalise_email


class KeyShredder(Protocol):
    """Destroys an owner's data keys, after which their events load as tombstones."""

    def shred(self, owner_id: UUID) -> int: ...


class Users:
    """``user_id_for`` maps a normalised e-mail to its user id (a keyed hash), so sign-in finds a
    user without any plaintext e-mail index, and a second registration of an address conflicts."""

    def __init__(
        self,
        ledger: Ledger,
        runner: CommandRunner,
        *,
        hasher: PasswordHasher,
        policy: PasswordPolicy,
        user_id_for: Callable[[str], UUID],
        shredder: KeyShredder,
    ) -> None:
        self._ledger = ledger
        self._runner = runner
        self._hasher = hasher
        self._policy = policy
        self._user_id_for = user_id_for
        self._shredder = shredder

    def register(
        self, email: str, password: str, first_name: str = "", last_name: str = ""
    ) -> UUID:
        address = normalise_email(email)
        self._check_policy(password, address)
        user_id = self._user_id_for(address)
        password_hash = self._hasher.hash(password)

        def command() -> list[User]:
            if user_id in self._ledger.repository:
                raise EmailTaken
            return [
                User.register(
                    id=user_id,
                    email=address,
                    password_hash=password_hash,
                    first_name=first_name,
                    last_name=last_name,
                    actor=Actor.user(user_id),
                )
            ]

        self._runner.run(command, owner_id=user_id, answer={"id": str(user_id)})
        return user_id

    def authenticate(self, email: str, password: str) -> UUID | None:
        user = self._find(email)
        if user is None:
            self._hasher.verify_unknown(password)  # same time as a wrong password
            return None
        if not self._hasher.verify(user.password_hash, password):
            return None
        if self._hasher.needs_rehash(user.password_hash):
            self._set_password(user.id, password)
        return user.id

    def change_password(self, user_id: UUID, current: str, new: str) -> int:
        user = load_owned(self._ledger, User, user_id, user_id)
        if not self._hasher.verify(user.password_hash, current):
            raise WrongPassword
        self._check_policy(new, user.email)
        return self._set_password(user_id, new).position

    def set_password(self, user_id: UUID, new: str) -> int:
        """An operator's reset (CLI): no current password, same policy."""
        user = load_owned(self._ledger, User, user_id, user_id)
        self._check_policy(new, user.email)
        return self._set_password(user_id, new).position

    def get(self, user_id: UUID) -> UserView:
        user = load_owned(self._ledger, User, user_id, user_id)
        if user.erased:
            raise RecordNotFound("user", user_id)
        return _view(user)

    def awaiting_welcome(self, user_id: UUID) -> UserView | None:
        """The user, if they exist, are not erased and have not been welcomed yet."""
        try:
            user = load_owned(self._ledger, User, user_id, user_id)
        except RecordNotFound:
            return None
        return None if user.erased or user.welcomed else _view(user)

    def mark_welcomed(self, user_id: UUID) -> None:
        """Record that the welcome mail went out (idempotent)."""

        def command() -> list[User]:
            user = load_owned(self._ledger, User, user_id, user_id)
            if user.erased or user.welcomed:
                return []
            user.mark_welcomed(actor=Actor.system())
            return [user]

        self._runner.run(command, owner_id=user_id, answer={"id": str(user_id)})

    def id_for_email(self, email: str) -> UUID:
        """The id of the user registered under ``email``, or ``RecordNotFound``."""
        user = self._find(email)
        if user is None:
            raise RecordNotFound("user", self._user_id_for(email.strip().lower()))
        return user.id

    def erase(self, user_id: UUID) -> int:
        """Record the erasure, then destroy the keys: from then on every event of the user —
        the erasure included — loads as a tombstone, and projections purge their rows."""

        def command() -> list[User]:
            user = load_owned(self._ledger, User, user_id, user_id)
            if user.erased:  # an earlier erase stopped before its shred: finish it
                return []
            user.erase(actor=Actor.system())
            return [user]

        outcome = self._runner.run(command, owner_id=user_id, answer={"id": str(user_id)})
        self._shredder.shred(user_id)
        return outcome.position

    def _find(self, email: str) -> User | None:
        try:
            user_id = self._user_id_for(normalise_email(email))
            user = load_owned(self._ledger, User, user_id, user_id)
        except (InvalidEmail, RecordNotFound):
            return None
        return None if user.erased else user

    def _check_policy(self, password: str, email: str) -> None:
        if (problem := self._policy.problem(password, email=email)) is not None:
            raise WeakPassword(problem)

    def _set_password(self, user_id: UUID, password: str) -> Outcome:
        password_hash = self._hasher.hash(password)

        def command() -> list[User]:
            user = load_owned(self._ledger, User, user_id, user_id)
            user.change_password(password_hash, actor=Actor.user(user_id))
            return [user]

        return self._runner.run(command, owner_id=user_id, answer={"id": str(user_id)})


def _view(user: User) -> UserView:
    return UserView(
        id=user.id, email=user.email, first_name=user.first_name, last_name=user.last_name
    )
