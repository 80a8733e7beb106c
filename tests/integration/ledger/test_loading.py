"""Loading an aggregate: the latest snapshot and the events after it, in one query, never cached."""

from __future__ import annotations

from uuid import UUID

import sqlalchemy as sa

from domain.account import Account
from ops.bootstrap import Runtime
from tests.integration.readmodel.read_runtime import new_user, open_account

RENAMES = 150  # a snapshot every 100 events: one snapshot, then 50 events


def _account(runtime: Runtime) -> tuple[UUID, UUID]:
    user_id = new_user(runtime, "loading@example.org")
    return user_id, open_account(runtime, user_id)


def test_a_long_lived_aggregate_loads_from_its_snapshot_in_one_query(runtime: Runtime) -> None:
    user_id, account_id = _account(runtime)
    for n in range(RENAMES):
        runtime.accounts.rename(user_id, account_id, f"Name {n}")
    statements: list[str] = []
    sa.event.listen(runtime.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))

    loaded: Account = runtime.ledger.repository.get(account_id)

    assert len([s for s in statements if s != "BEGIN"]) == 1  # SQLite opens with a BEGIN
    assert (loaded.name, loaded.version) == (f"Name {RENAMES - 1}", RENAMES + 1)
    folded: Account = runtime.ledger.repository.get(account_id, version=RENAMES + 1)
    assert vars(loaded) == vars(folded)  # the library's two-query path agrees
    with runtime.engine.connect() as conn:
        snapshot_versions = conn.execute(sa.text("SELECT originator_version FROM snapshots"))
        assert 100 in snapshot_versions.scalars().all()


def test_every_load_reads_the_store_again(runtime: Runtime) -> None:
    user_id, account_id = _account(runtime)
    first: Account = runtime.ledger.repository.get(account_id)
    runtime.accounts.rename(user_id, account_id, "Renamed")

    again: Account = runtime.ledger.repository.get(account_id)

    assert again is not first
    assert (first.name, again.name) == ("Main", "Renamed")
