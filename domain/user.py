"""User: someone who keeps their money here. A user owns itself: its ``owner_id`` is its id."""

from __future__ import annotations

import re
from uuid import UUID

from eventsourcing.domain import event

from domain.actor import Actor
from domain.base import OwnedAggregate
from domain.errors import InvalidEmail, UserErased
from domain.text import clean_text

PERSON_NAME_MAX_LENGTH = 100

EMAIL_MAX_LENGTH = 254  # RFC 5321's limit on a forward path, less the angle brackets
_LOCAL_PART_MAX_LENGTH = 64
# A sane subset of RFC 5322: dot-atom local part, a dotted host name with a letter-only TLD.
# Internationalised domains arrive in their ASCII (punycode) form.
_EMAIL = re.compile(
    r"(?P<local>[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*)"
    r"@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}"
)


def normalise_email(value: str) -> str:
    """The address trimmed and lower-cased, or ``InvalidEmail``."""
    email = value.strip().lower()
    if len(email) > EMAIL_MAX_LENGTH:
        raise InvalidEmail(f"longer than {EMAIL_MAX_LENGTH} characters")
    match = _EMAIL.fullmatch(email)
    if match is None:
        raise InvalidEmail("not an address like name@example.org")
    if len(match["local"]) > _LOCAL_PART_MAX_LENGTH:
        raise InvalidEmail(f"the part before @ is longer than {_LOCAL_PART_MAX_LENGTH} characters")
    return email


def _clean_person_name(value: str, field: str) -> str:
    return clean_text(value, field=field, max_length=PERSON_NAME_MAX_LENGTH)


class User(OwnedAggregate):
    class Registered(OwnedAggregate.Created):
        email: str
        password_hash: str
        first_name: str
        last_name: str

    class PasswordChanged(OwnedAggregate.Event):
        password_hash: str

    class Erased(OwnedAggregate.Event):
        pass

    class Welcomed(OwnedAggregate.Event):
        """The welcome mail went out: a redelivered mail task does not send it again."""

    welcomed = False  # a class default: users snapshotted before this event existed

    @classmethod
    def register(
        cls,
        *,
        id: UUID,
        email: str,
        password_hash: str,
        actor: Actor,
        first_name: str = "",
        last_name: str = "",
    ) -> User:
        return cls(
            id=id,
            owner_id=id,
            email=normalise_email(email),
            password_hash=password_hash,
            first_name=_clean_person_name(first_name, "first_name"),
            last_name=_clean_person_name(last_name, "last_name"),
            actor=str(actor),
        )

    def change_password(self, new_hash: str, *, actor: Actor) -> None:
        self._check_not_erased()
        self._password_changed(password_hash=new_hash, actor=str(actor))

    def erase(self, *, actor: Actor) -> None:
        """Mark the user erased; destroying their keys (crypto-shredding) is the application's."""
        self._check_not_erased()
        self._erased(actor=str(actor))

    def mark_welcomed(self, *, actor: Actor) -> None:
        self._check_not_erased()
        if not self.welcomed:
            self._welcomed(actor=str(actor))

    def _check_not_erased(self) -> None:
        if self.erased:
            raise UserErased(self.id)

    @event(Registered)
    def __init__(
        self,
        *,
        id: UUID,
        owner_id: UUID,
        email: str,
        password_hash: str,
        first_name: str,
        last_name: str,
        actor: str,
    ) -> None:
        super().__init__(owner_id)
        self.email = email
        self.password_hash = password_hash
        self.first_name = first_name
        self.last_name = last_name
        self.erased = False

    @event(PasswordChanged)
    def _password_changed(self, password_hash: str, actor: str) -> None:
        self.password_hash = password_hash

    @event(Erased)
    def _erased(self, actor: str) -> None:
        self.erased = True

    @event(Welcomed)
    def _welcomed(self, actor: str) -> None:
        self.welcomed = True
