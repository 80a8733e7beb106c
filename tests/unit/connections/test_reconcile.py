"""Which booked line confirms which pending line."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from application.connection_reconcile import keyed, pending_entry, plan
from application.statement import StatementLine

ACCOUNT = uuid4()
DAY = date(2026, 11, 2)


def line(
    amount: str,
    payee: str,
    *,
    ref: str | None = None,
    on: date = DAY,
    pending: bool = False,
) -> StatementLine:
    return StatementLine(
        booked_on=on,
        value_date=None,
        amount=Decimal(amount),
        currency="EUR",
        payee=payee,
        counterparty_name=payee,
        counterparty_iban="",
        description="",
        bank_reference=ref,
        pending=pending,
        raw="",
    )


def _open(*lines: StatementLine) -> tuple[dict[str, dict[str, Any]], dict[str, UUID]]:
    found, ids = {}, {}
    for key, item in keyed(ACCOUNT, lines):
        ids[key] = uuid4()
        found[key] = pending_entry(ACCOUNT, ids[key], item)
    return found, ids


def _nothing_recorded(lines: Sequence[StatementLine]) -> list[bool]:
    return [False] * len(lines)


def test_a_booked_line_with_the_pending_id_links_to_it() -> None:
    open_pending, ids = _open(line("-5.00", "Cafe", ref="X1", pending=True))
    result = plan(
        account_id=ACCOUNT,
        lines=[line("-5.40", "Cafe", ref="X1", on=DAY + timedelta(days=1))],
        open_pending=open_pending,
        booked_links={},
        already_recorded=_nothing_recorded,
        today=DAY + timedelta(days=1),
    )
    (link,) = result.links
    assert (link.how, link.transaction_id) == ("same_id", next(iter(ids.values())))
    assert result.new_booked == []


def test_a_booked_line_under_a_new_id_matches_by_amount_party_and_date() -> None:
    open_pending, _ = _open(line("-5.00", "Cafe Roma", ref="P1", pending=True))
    result = plan(
        account_id=ACCOUNT,
        lines=[line("-5.00", "CAFE ROMA", ref="B1", on=DAY + timedelta(days=2))],
        open_pending=open_pending,
        booked_links={},
        already_recorded=_nothing_recorded,
        today=DAY + timedelta(days=2),
    )
    assert [link.how for link in result.links] == ["matched"]


def test_a_different_amount_or_party_or_a_late_date_is_not_a_match() -> None:
    open_pending, _ = _open(line("-5.00", "Cafe", ref="P1", pending=True))
    for booked in (
        line("-5.01", "Cafe", ref="B1"),
        line("-5.00", "Bakery", ref="B2"),
        line("-5.00", "Cafe", ref="B3", on=DAY + timedelta(days=11)),
    ):
        result = plan(
            account_id=ACCOUNT,
            lines=[booked],
            open_pending=open_pending,
            booked_links={},
            already_recorded=_nothing_recorded,
            today=DAY,
        )
        assert result.links == []
        assert result.new_booked == [booked]


def test_two_identical_purchases_each_link_once() -> None:
    open_pending, _ = _open(
        line("-2.00", "Coffee", pending=True), line("-2.00", "Coffee", pending=True)
    )
    booked = [line("-2.00", "Coffee", ref="B1"), line("-2.00", "Coffee", ref="B2")]
    result = plan(
        account_id=ACCOUNT,
        lines=booked,
        open_pending=open_pending,
        booked_links={},
        already_recorded=_nothing_recorded,
        today=DAY,
    )
    assert len({link.key for link in result.links}) == 2
    assert result.new_booked == []


def test_a_booked_line_already_recorded_never_steals_a_pending_one() -> None:
    open_pending, _ = _open(line("-2.00", "Coffee", ref="P9", pending=True))
    result = plan(
        account_id=ACCOUNT,
        lines=[line("-2.00", "Coffee", ref="OLD", on=DAY - timedelta(days=1))],
        open_pending=open_pending,
        booked_links={},
        already_recorded=lambda lines: [True] * len(lines),
        today=DAY,
    )
    assert result.links == []
    assert result.new_booked == []
    assert [line.bank_reference for line in result.to_ingest] == ["OLD"]  # checked for changes


def test_recorded_and_new_booked_lines_go_to_the_import_pipeline_in_the_fetch_order() -> None:
    fetched = [line("-1.00", "Bakery"), line("-1.00", "Bakery"), line("-9.00", "Books")]
    result = plan(
        account_id=ACCOUNT,
        lines=fetched,
        open_pending={},
        booked_links={},
        already_recorded=lambda lines: [True, False, True],
        today=DAY,
    )
    # identical lines without a reference keep their places: the pipeline numbers them in order
    assert result.to_ingest == fetched
    assert result.new_booked == [fetched[1]]
    assert result.already_known == 0


def test_a_pending_line_no_longer_reported_is_dropped_only_after_the_grace_period() -> None:
    open_pending, _ = _open(line("-99.00", "Hotel", ref="H1", pending=True))

    def dropped(today: date) -> int:
        return len(
            plan(
                account_id=ACCOUNT,
                lines=[],
                open_pending=open_pending,
                booked_links={},
                already_recorded=_nothing_recorded,
                today=today,
            ).dropped
        )

    assert dropped(DAY + timedelta(days=3)) == 0
    assert dropped(DAY + timedelta(days=4)) == 1


def test_two_lines_named_only_by_their_counterparty_get_distinct_keys() -> None:
    first, second = (
        replace(line("-5.00", ""), counterparty_name="Amazon", description=text)
        for text in ("order 1", "order 2")
    )
    keys = [key for key, _ in keyed(ACCOUNT, [first, second])]
    assert len(set(keys)) == 2
