"""No personal data reaches the event store in the clear, and ciphertext cannot change rows."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID, uuid4

import pytest
import sqlalchemy as sa
from eventsourcing.persistence import MapperDeserialisationError

from adapters.persistence.tables import events
from application.transactions import NewTransaction
from ops.bootstrap import Runtime
from tests.database_dump import database_files, every_byte_of_every_row


def iban_with_check_digits(country: str, bban: str) -> str:
    """A valid IBAN for ``bban`` (ISO 13616 mod-97 check digits)."""
    digits = "".join(str(int(c, 36)) for c in bban + country + "00")
    return f"{country}{98 - int(digits) % 97:02d}{bban}"


def open_account(runtime: Runtime, owner: UUID) -> UUID:
    outcome = runtime.accounts.open(
        owner,
        name=f"Account-{uuid4().hex}",
        kind="checking",
        currency="EUR",
        opening_balance="0",
        opened_on=date(2026, 1, 1),
    )
    return UUID(outcome.answer["id"])


def test_no_marker_of_any_transaction_field_appears_in_any_table_or_file(
    runtime: Runtime,
) -> None:
    user_id = runtime.users.register(f"{uuid4().hex}@example.org", "correct horse battery staple")
    account_id = open_account(runtime, user_id)
    markers: list[str] = []
    for n in range(5):
        fields: dict[str, Any] = {
            "payee": f"PAYEE-{uuid4().hex}",
            "description": f"DESCRIPTION-{uuid4().hex}",
            "notes": f"NOTES-{uuid4().hex}",
            "counterparty_name": f"COUNTERPARTY-{uuid4().hex}",
            "counterparty_iban": iban_with_check_digits("DE", f"{uuid4().int % 10**18:018d}"),
        }
        amount = f"-{73_000 + n}.{n + 11}"  # unusual enough not to occur by chance
        runtime.transactions.record(
            user_id,
            NewTransaction(
                account_id=account_id, amount=amount, booked_on=date(2026, 3, 1), **fields
            ),
        )
        markers += [*fields.values(), amount.lstrip("-")]

    dumps = every_byte_of_every_row(runtime.engine) + database_files(runtime.engine.url)
    found = [marker for marker in markers if marker.encode() in dumps]
    assert found == []
    assert len(markers) == 30


def test_a_ciphertext_copied_onto_another_row_fails_to_load(runtime: Runtime) -> None:
    user_id = runtime.users.register(f"{uuid4().hex}@example.org", "correct horse battery staple")
    victim, donor = open_account(runtime, user_id), open_account(runtime, user_id)
    with runtime.engine.begin() as conn:
        donor_state = conn.execute(
            sa.select(events.c.state).where(events.c.originator_id == donor.bytes)
        ).scalar_one()
        conn.execute(
            sa.update(events)
            .where(events.c.originator_id == victim.bytes)
            .values(state=donor_state)
        )
    with pytest.raises(MapperDeserialisationError):
        runtime.ledger.repository.get(victim)
