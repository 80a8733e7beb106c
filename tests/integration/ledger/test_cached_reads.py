"""Accounts and categories a command only reads come from a cache, checked at the append: a
change made meanwhile by another process is never acted on stale."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from sqlalchemy.engine import URL

from adapters.persistence.tables import events
from domain.errors import RuleBroken
from ops.bootstrap import Runtime
from tests.integration.readmodel.read_runtime import new_user, open_account, open_runtime, record


def _event_count(runtime: Runtime) -> int:
    with runtime.engine.connect() as conn:
        return len(conn.execute(events.select()).all())


@pytest.mark.parametrize("database_url", ["sqlite", "mariadb"], indirect=True)
def test_an_account_closed_by_another_process_refuses_the_next_recording(
    runtime: Runtime, database_url: URL, tmp_path: Path
) -> None:
    other = open_runtime(database_url, tmp_path / "var")  # a second process, its own cache
    try:
        user_id = new_user(runtime)
        account_id = open_account(runtime, user_id)
        record(runtime, user_id, account_id, "-1.00")  # the account is now in this cache
        other.accounts.close(user_id, account_id)
        appended = _event_count(runtime)

        with pytest.raises(RuleBroken, match="closed"):
            record(runtime, user_id, account_id, "-2.00")

        assert _event_count(runtime) == appended
        other.accounts.reopen(user_id, account_id)
        record(runtime, user_id, account_id, "-3.00")  # and the reopening is seen too
        assert _event_count(runtime) == appended + 2
    finally:
        other.close()


@pytest.mark.parametrize("database_url", ["mariadb"], indirect=True)
def test_recording_again_in_an_account_does_not_load_it_again(runtime: Runtime) -> None:
    user_id = new_user(runtime)
    account_id = open_account(runtime, user_id)
    record(runtime, user_id, account_id, "-1.00")
    loads: list[UUID] = []
    original = runtime.ledger.repository.get

    def counted_get(id: UUID, **kwargs: Any) -> Any:
        loads.append(id)
        return original(id, **kwargs)

    runtime.ledger.repository.get = counted_get  # type: ignore[method-assign,assignment]

    for amount in ("-2.00", "-3.00", "-4.00"):
        record(runtime, user_id, account_id, amount)

    assert loads == []
