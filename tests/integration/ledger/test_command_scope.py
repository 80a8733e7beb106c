"""A command's loads and append share one pooled connection on MariaDB (round trips matter)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from ops.bootstrap import Runtime
from tests.integration.readmodel.read_runtime import new_user, open_account, record


@pytest.mark.parametrize("database_url", ["mariadb"], indirect=True)
def test_a_command_checks_out_one_connection(runtime: Runtime) -> None:
    user_id = new_user(runtime, "scope@example.org")
    transaction_id = record(runtime, user_id, open_account(runtime, user_id), "-1.00")
    checkouts: list[object] = []
    sa.event.listen(runtime.engine, "checkout", lambda *args: checkouts.append(args))

    runtime.transactions.amend(user_id, transaction_id, {"notes": "one trip"})

    assert len(checkouts) == 1
    assert runtime.ledger.repository.get(transaction_id).notes == "one trip"
