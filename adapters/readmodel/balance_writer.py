"""Writes the ``balances`` projection: ``rm_accounts``, ``rm_daily_balances`` and the postings."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from adapters.readmodel.accumulate import (
    add_to,
    delete_owners,
    replace_rows,
    select_in,
    update_by_id,
)
from adapters.readmodel.report_tables import rm_accounts, rm_balance_postings, rm_daily_balances
from adapters.readmodel.sealer import Sealer, seal_or_none
from adapters.readmodel.writer import TableSet
from projections.balances import NAME, BalanceChanges, Posting, fold_balances
from projections.envelope import Envelope


class SqlPostingLookup:
    def __init__(self, conn: Connection, table: sa.Table) -> None:
        self._conn = conn
        self._table = table

    def postings(self, transaction_ids: Collection[UUID]) -> Mapping[UUID, Posting]:
        t = self._table.c
        query = sa.select(
            t.transaction_id, t.owner_id, t.account_id, t.currency, t.booked_on,
            t.amount_minor, t.deleted,
        )  # fmt: skip
        rows = select_in(self._conn, query, t.transaction_id, transaction_ids)
        return {r[0]: Posting(r[1], r[2], r[3], r[4], r[5], bool(r[6])) for r in rows}


class BalancesWriter:
    name = NAME

    def __init__(self, sealer: Sealer) -> None:
        self._sealer = sealer

    def tables(self) -> Sequence[sa.Table]:
        return (rm_accounts, rm_daily_balances, rm_balance_postings)

    def apply(self, conn: Connection, page: Sequence[Envelope], tables: TableSet) -> None:
        postings = tables[rm_balance_postings]
        changes = fold_balances(page, SqlPostingLookup(conn, postings))
        delete_owners(conn, [tables[t] for t in self.tables()], changes.purged)
        self._write_accounts(conn, changes, tables[rm_accounts])
        self._write_deltas(conn, changes, tables[rm_daily_balances], tables[rm_accounts])
        replace_rows(
            conn,
            postings,
            [
                {"transaction_id": tx_id, "owner_id": p.owner_id, "account_id": p.account_id,
                 "currency": p.currency, "booked_on": p.booked_on,
                 "amount_minor": p.amount_minor, "deleted": p.deleted}
                for tx_id, p in changes.postings.items()
            ],
        )  # fmt: skip

    def _write_accounts(self, conn: Connection, changes: BalanceChanges, table: sa.Table) -> None:
        rows = []
        for a in changes.opened:
            sealed = seal_or_none(self._sealer, a.owner_id, a.name, rm_accounts.c.name_sealed, a.id)
            if sealed is not None:
                rows.append(
                    {"id": a.id, "owner_id": a.owner_id, "name_sealed": sealed, "kind": a.kind,
                     "currency": a.currency, "opening_minor": a.opening_minor,
                     "balance_minor": a.opening_minor, "opened_on": a.opened_on, "closed": False}
                )  # fmt: skip
        if rows:
            conn.execute(table.insert(), rows)
        renamed = []
        for account_id, (owner_id, name) in changes.renamed.items():
            sealed = seal_or_none(
                self._sealer, owner_id, name, rm_accounts.c.name_sealed, account_id
            )
            if sealed is not None:
                renamed.append({"k": account_id, "v": sealed})
        update_by_id(conn, table, "name_sealed", renamed)
        update_by_id(conn, table, "closed", [{"k": k, "v": v} for k, v in changes.closed.items()])

    @staticmethod
    def _write_deltas(
        conn: Connection, changes: BalanceChanges, daily: sa.Table, accounts: sa.Table
    ) -> None:
        add_to(
            conn,
            daily,
            [
                {"owner_id": owner, "account_id": account, "day": day, "delta_minor": delta}
                for (owner, account, day), delta in changes.daily.items()
            ],
            ["delta_minor"],
        )
        if changes.daily:
            owners, accounts_, days = (sorted(set(k)) for k in zip(*changes.daily, strict=True))
            conn.execute(  # the PK range of the touched keys only, never the whole table
                daily.delete().where(
                    daily.c.owner_id.in_(owners),
                    daily.c.account_id.in_(accounts_),
                    daily.c.day.in_(days),
                    daily.c.delta_minor == 0,
                )
            )
        if changes.balances:
            conn.execute(
                accounts.update()
                .where(accounts.c.id == sa.bindparam("k"))
                .values(balance_minor=accounts.c.balance_minor + sa.bindparam("d")),
                [{"k": account, "d": d} for (_owner, account), d in changes.balances.items()],
            )
