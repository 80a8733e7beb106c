"""One decoded event with its place in the log: what every projection folds, a page at a time."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Envelope:
    position: int  # the notification id: the event's place in the global log
    event: Any  # a domain event of ``domain.*``, or a ``domain.tombstone.Shredded``
