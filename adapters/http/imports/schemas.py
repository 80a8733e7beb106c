"""Request and response bodies of the import resources."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import msgspec


class ImportAccepted(msgspec.Struct):
    id: UUID
    status: str = "queued"


class LineErrorOut(msgspec.Struct):
    line: int
    reason: str


class ImportOut(msgspec.Struct):
    id: UUID
    account_id: UUID
    status: str  # queued, running, done, failed, reverted
    format: str
    filename: str | None
    lines_seen: int
    lines_new: int
    lines_duplicate: int
    lines_failed: int
    lines_changed: int
    lines_reverted: int
    errors: list[LineErrorOut]
    reason: str | None


class CsvMappingOut(msgspec.Struct):
    remembered: bool  # false: a suggestion to confirm with PUT
    mapping: dict[str, Any] | None


class CsvMappingIn(msgspec.Struct, forbid_unknown_fields=True):
    mapping: dict[str, Any]


class RuleIn(msgspec.Struct, forbid_unknown_fields=True):
    name: str
    contains: dict[str, str] = msgspec.field(default_factory=dict)
    matches: dict[str, str] = msgspec.field(default_factory=dict)
    amount_min: str | None = None
    amount_max: str | None = None
    account_id: UUID | None = None
    category_id: UUID | None = None
    tags: list[str] = msgspec.field(default_factory=list)
    position: int | None = None


class RuleOut(msgspec.Struct):
    id: UUID
    name: str
    contains: dict[str, str]
    matches: dict[str, str]
    amount_min: str | None
    amount_max: str | None
    account_id: UUID | None
    category_id: UUID | None
    tags: list[str]
    position: int


class RuleList(msgspec.Struct):
    items: list[RuleOut]


class Created(msgspec.Struct):
    id: UUID
