"""Errors the use cases raise, on top of the domain's; the HTTP layer maps them by base class."""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar
from uuid import UUID

from domain.errors import Conflict, NotFound, RuleBroken


class ConcurrentModification(Conflict):
    def __init__(self, message: str) -> None:
        super().__init__(message)


class IdempotencyKeyReused(RuleBroken):
    def __init__(self, message: str) -> None:
        super().__init__(message)


class EmailTaken(Conflict):
    def __init__(self) -> None:
        super().__init__("an account with this e-mail address already exists")


class WrongPassword(RuleBroken):
    def __init__(self) -> None:
        super().__init__("the current password is wrong")


class WeakPassword(RuleBroken):
    def __init__(self, reason: str) -> None:
        super().__init__(f"password refused: {reason}")


class TooManyItems(RuleBroken):
    def __init__(self, limit: int) -> None:
        super().__init__(f"at most {limit} items per request")


E = TypeVar("E", bound=StrEnum)


class InvalidChoice(RuleBroken):
    def __init__(self, field: str, allowed: list[str]) -> None:
        super().__init__(f"{field} must be one of: {', '.join(allowed)}")
        self.field = field


def choice(enum: type[E], value: str, *, field: str) -> E:
    """``value`` as a member of ``enum``, or ``InvalidChoice`` naming the allowed values."""
    try:
        return enum(value)
    except ValueError:
        raise InvalidChoice(field, [member.value for member in enum]) from None


class RecordNotFound(NotFound):
    """An id that does not exist, or belongs to someone else: the two are indistinguishable."""

    def __init__(self, kind: str, id: UUID) -> None:
        super().__init__(f"{kind} {id} not found")
        self.kind = kind
        self.id = id
