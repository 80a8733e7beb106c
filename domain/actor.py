"""Who caused an event: a user, an import, a categorisation rule or the system itself.

Events store the string form (``"user:<uuid>"``, ``"import:<uuid>"``, ``"rule:<uuid>"``,
``"system"``), which the audit history shows and ``Actor.parse`` reads back.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from uuid import UUID


class ActorKind(StrEnum):
    USER = "user"
    IMPORT = "import"
    RULE = "rule"
    SYSTEM = "system"


@dataclass(frozen=True, slots=True)
class Actor:
    kind: ActorKind
    id: UUID | None = None  # the user, import or rule; None for the system

    def __post_init__(self) -> None:
        if (self.kind is ActorKind.SYSTEM) != (self.id is None):
            raise ValueError(f"{self.kind} actor {'takes no' if self.id else 'needs an'} id")

    @classmethod
    def user(cls, user_id: UUID) -> Actor:
        return cls(ActorKind.USER, user_id)

    @classmethod
    def import_(cls, import_id: UUID) -> Actor:
        return cls(ActorKind.IMPORT, import_id)

    @classmethod
    def rule(cls, rule_id: UUID) -> Actor:
        return cls(ActorKind.RULE, rule_id)

    @classmethod
    def system(cls) -> Actor:
        return cls(ActorKind.SYSTEM)

    @classmethod
    def parse(cls, text: str) -> Actor:
        kind, _, id_text = text.partition(":")
        try:
            return cls(ActorKind(kind), UUID(id_text) if id_text else None)
        except ValueError:
            raise ValueError(f"not an actor: {text!r}") from None

    def __str__(self) -> str:
        return self.kind.value if self.id is None else f"{self.kind.value}:{self.id}"
