"""A command's loads and append share one pooled connection on MariaDB (round trips matter)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import pytest
import sqlalchemy as sa

from application.transactions import NewTransaction
from ops.bootstrap import Runtime


@pytest.mark.parametrize("database_url", ["mariadb"], indirect=True)
def test_a_command_checks_out_one_connection(runtime: Runtime) -> None:
    user_id = runtime.users.register("scope@example.org", "correct horse battery staple")
    opened = runtime.accounts.open(
        user_id,
        name="Main",
        kind="cash",
        currency="EUR",
        opening_balance="0",
        opened_on=date(2026, 1, 1),
    )
    new = NewTransaction(
        account_id=UUID(opened.answer["id"]), amount="-1.00", booked_on=date(2026, 1, 2)
    )
    transaction_id = UUID(runtime.transactions.record(user_id, new).answer["id"])
    checkouts: list[object] = []
    sa.event.listen(runtime.engine, "checkout", lambda *args: checkouts.append(args))

    runtime.transactions.amend(user_id, transaction_id, {"notes": "one trip"})

    assert len(checkouts) == 1
    assert runtime.ledger.repository.get(transaction_id).notes == "one trip"
