"""Which owners a page erases: a ``Shredded`` tombstone or a ``User.Erased`` event purges them.

Every row of a purged owner goes, set-based, once per owner per page. Changes the same page would
have made for that owner are dropped: once the key is gone, nothing of theirs may be written.
"""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from domain.tombstone import Shredded
from domain.user import User
from projections.envelope import Envelope


def purged_owners(page: Sequence[Envelope]) -> frozenset[UUID]:
    owners: set[UUID] = set()
    for envelope in page:
        event = envelope.event
        erased = isinstance(event, Shredded | User.Erased)
        if erased and event.owner_id is not None:
            owners.add(event.owner_id)
    return frozenset(owners)
