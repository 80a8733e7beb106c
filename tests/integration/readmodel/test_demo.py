"""The demo user: repeatable, realistic data that the report projections can answer about."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy.engine import URL

from adapters.readmodel.balance_queries import balances
from adapters.readmodel.category_queries import cash_flow, category_tree
from adapters.readmodel.demo import load_demo
from tests.integration.readmodel.report_harness import open_harness


def _summary(url: URL, var_dir: Path) -> tuple[int, list[tuple[str, str]], int, int]:
    h = open_harness(url, var_dir)
    try:
        user = load_demo(h.runtime, years=1)
        events = h.project()
        accounts = h.run(balances(h.async_engine, h.protector, user))
        tree = h.run(category_tree(h.async_engine, h.protector, user))
        flow = h.run(cash_flow(h.async_engine, user, date(2023, 1, 1), date(2023, 12, 31)))
    finally:
        h.close()
    return (
        events,
        [(a.name, str(a.balance)) for a in accounts],
        len(tree),
        len({(m.month, m.currency) for m in flow}),
    )


def test_the_demo_is_the_same_every_time_and_spans_currencies(tmp_path: Path) -> None:
    first = _summary(
        URL.create("sqlite", database=str(tmp_path / "a" / "db.sqlite")), tmp_path / "a"
    )
    second = _summary(
        URL.create("sqlite", database=str(tmp_path / "b" / "db.sqlite")), tmp_path / "b"
    )

    assert first == second
    events, accounts, categories, months = first
    assert events > 400
    assert {name for name, _ in accounts} >= {"Main checking", "Euro account", "Savings"}
    assert categories == 16
    assert months == 12 * 3  # CZK, EUR and USD in every month
