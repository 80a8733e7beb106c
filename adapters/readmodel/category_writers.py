"""Writes the ``category_tree`` and ``category_totals`` projections."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from datetime import date
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
from adapters.readmodel.report_tables import (
    UNCATEGORISED,
    rm_categories,
    rm_category_allotments,
    rm_category_closure,
    rm_category_month_totals,
    rm_category_totals,
)
from adapters.readmodel.sealer import Sealer, seal_or_none
from adapters.readmodel.writer import TableSet
from projections import category_totals, category_tree
from projections.category_totals import Allotment, TotalKey, fold_category_totals
from projections.category_tree import fold_category_tree
from projections.envelope import Envelope


class SqlParentLookup:
    def __init__(self, conn: Connection, table: sa.Table) -> None:
        self._conn = conn
        self._table = table

    def parents(self, owner_ids: Collection[UUID]) -> Mapping[UUID, Mapping[UUID, UUID | None]]:
        t = self._table.c
        found: dict[UUID, dict[UUID, UUID | None]] = {}
        for owner, cid, parent in select_in(
            self._conn, sa.select(t.owner_id, t.id, t.parent_id), t.owner_id, owner_ids
        ):
            found.setdefault(owner, {})[cid] = parent
        return found


class CategoryTreeWriter:
    name = category_tree.NAME

    def __init__(self, sealer: Sealer) -> None:
        self._sealer = sealer

    def tables(self) -> Sequence[sa.Table]:
        return (rm_categories, rm_category_closure)

    def apply(self, conn: Connection, page: Sequence[Envelope], tables: TableSet) -> None:
        categories, closure = tables[rm_categories], tables[rm_category_closure]
        changes = fold_category_tree(page, SqlParentLookup(conn, categories))
        delete_owners(conn, [categories, closure], changes.purged)
        column = rm_categories.c.name_sealed
        rows = []
        for c in changes.created:
            sealed = seal_or_none(self._sealer, c.owner_id, c.name, column, c.id)
            if sealed is not None:
                rows.append(
                    {"id": c.id, "owner_id": c.owner_id, "name_sealed": sealed, "kind": c.kind,
                     "parent_id": c.parent_id, "archived": False}
                )  # fmt: skip
        if rows:
            conn.execute(categories.insert(), rows)
        renamed = [
            {"k": cid, "v": sealed}
            for cid, (owner, name) in changes.renamed.items()
            if (sealed := seal_or_none(self._sealer, owner, name, column, cid)) is not None
        ]
        update_by_id(conn, categories, "name_sealed", renamed)
        update_by_id(
            conn, categories, "parent_id", [{"k": k, "v": v} for k, v in changes.moved.items()]
        )
        update_by_id(conn, categories, "archived", [{"k": k, "v": True} for k in changes.archived])
        if changes.closures:
            conn.execute(closure.delete().where(closure.c.owner_id.in_(list(changes.closures))))
            conn.execute(
                closure.insert(),
                [
                    {"owner_id": owner, "ancestor_id": a, "descendant_id": d, "depth": depth}
                    for owner, pairs in changes.closures.items()
                    for a, d, depth in pairs
                ],
            )


class SqlAllotmentLookup:
    def __init__(self, conn: Connection, table: sa.Table) -> None:
        self._conn = conn
        self._table = table

    def allotments(self, transaction_ids: Collection[UUID]) -> Mapping[UUID, Allotment]:
        t = self._table.c
        query = sa.select(
            t.transaction_id, t.owner_id, t.currency, t.booked_on, t.amount_minor,
            t.category_id, t.lines, t.deleted,
        )  # fmt: skip
        return {
            r[0]: Allotment(r[1], r[2], r[3], r[4], r[5], _lines(r[6]), bool(r[7]))
            for r in select_in(self._conn, query, t.transaction_id, transaction_ids)
        }


class CategoryTotalsWriter:
    name = category_totals.NAME

    def tables(self) -> Sequence[sa.Table]:
        return (rm_category_totals, rm_category_month_totals, rm_category_allotments)

    def apply(self, conn: Connection, page: Sequence[Envelope], tables: TableSet) -> None:
        totals, allotments = tables[rm_category_totals], tables[rm_category_allotments]
        months = tables[rm_category_month_totals]
        changes = fold_category_totals(page, SqlAllotmentLookup(conn, allotments))
        delete_owners(conn, [totals, months, allotments], changes.purged)
        _add_months(conn, months, changes.totals)
        add_to(
            conn,
            totals,
            [
                {"owner_id": owner, "day": day, "category_id": category or UNCATEGORISED,
                 "currency": currency, "kind": kind, "month": day.replace(day=1),
                 "amount_minor": amount, "count": count}
                for (owner, category, day, currency, kind), (amount, count)
                in changes.totals.items()
            ],
            ["amount_minor", "count"],
        )  # fmt: skip
        if changes.totals:
            owners, days = (
                sorted(set(k)) for k in zip(*((k[0], k[2]) for k in changes.totals), strict=True)
            )
            conn.execute(  # the PK range of the touched (owner, day)s only
                totals.delete().where(
                    totals.c.owner_id.in_(owners),
                    totals.c.day.in_(days),
                    totals.c.count == 0,
                    totals.c.amount_minor == 0,
                )
            )
        replace_rows(
            conn,
            allotments,
            [
                {"transaction_id": tx_id, "owner_id": a.owner_id, "currency": a.currency,
                 "booked_on": a.booked_on, "amount_minor": a.amount_minor,
                 "category_id": a.category_id, "lines": _dump_lines(a.lines), "deleted": a.deleted}
                for tx_id, a in changes.allotments.items()
            ],
        )  # fmt: skip


def _add_months(
    conn: Connection, months: sa.Table, totals: dict[TotalKey, tuple[int, int]]
) -> None:
    by_month: defaultdict[tuple[UUID, UUID, date, str, str], list[int]] = defaultdict(
        lambda: [0, 0]
    )
    for (owner, category, day, currency, kind), (amount, count) in totals.items():
        total = by_month[(owner, category or UNCATEGORISED, day.replace(day=1), currency, kind)]
        total[0] += amount
        total[1] += count
    changed = {k: v for k, v in by_month.items() if v != [0, 0]}
    add_to(
        conn,
        months,
        [
            {"owner_id": owner, "month": month, "category_id": category, "currency": currency,
             "kind": kind, "amount_minor": amount, "count": count}
            for (owner, category, month, currency, kind), (amount, count) in changed.items()
        ],
        ["amount_minor", "count"],
    )  # fmt: skip
    if changed:
        owners, firsts = (
            sorted(set(k)) for k in zip(*((k[0], k[2]) for k in changed), strict=True)
        )
        conn.execute(  # the PK range of the touched (owner, month)s only
            months.delete().where(
                months.c.owner_id.in_(owners), months.c.month.in_(firsts), months.c.count == 0
            )
        )


def _dump_lines(lines: tuple[tuple[UUID, int], ...]) -> str:
    return json.dumps([[c.hex, amount] for c, amount in lines])


def _lines(text: str) -> tuple[tuple[UUID, int], ...]:
    return tuple((UUID(hex=c), int(amount)) for c, amount in json.loads(text))
