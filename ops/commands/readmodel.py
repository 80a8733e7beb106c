"""``fintrack replay`` and ``fintrack verify``: rebuild the query tables from the event log."""

from __future__ import annotations

import sys
from uuid import UUID

import click
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
)

from adapters.settings import Settings
from ops.bootstrap import Runtime
from ops.cli_support import operator_errors, runtime


@click.command()
@click.option("--projection", help="Rebuild only this projection (default: all of them).")
@click.pass_obj
@operator_errors
def replay(settings: Settings, projection: str | None) -> None:
    """Rebuild projections into scratch tables and swap them in; live reads keep working."""
    from adapters.readmodel.replay import ReplayProgress
    from adapters.readmodel.replay import replay as rebuild

    columns = (
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),  # "?" for the total until the first page (a format spec breaks)
        TextColumn("events"),
        TextColumn("{task.fields[rate]:,.0f} events/s"),
        TimeRemainingColumn(),
    )
    with runtime(settings) as wired, Progress(*columns, transient=False) as bar:
        task = bar.add_task("replaying", total=None, rate=0.0)

        def show(progress: ReplayProgress) -> None:
            bar.update(
                task,
                completed=progress.done,
                total=max(progress.total, progress.done),
                rate=progress.events_per_second,
            )

        result = rebuild(wired, projection, progress=show)
    click.echo(
        f"rebuilt {', '.join(result.projections)} from {result.events:,} events "
        f"in {result.seconds:.1f} s (log position {result.position})"
    )


@click.command()
@click.option("--projection", help="Check only this projection (default: all of them).")
@click.pass_obj
@operator_errors
def verify(settings: Settings, projection: str | None) -> None:
    """Rebuild into scratch tables and compare with the live ones; exit 1 on any difference."""
    from adapters.readmodel.verify import verify as compare

    with runtime(settings) as wired:
        differences = compare(wired, projection)
    for difference in differences:
        click.echo(str(difference))
    if differences:
        click.echo(f"{len(differences)} difference(s) between the query tables and the log")
        sys.exit(1)
    click.echo("the query tables match the event log")


@click.command()
@click.option("--years", default=3, show_default=True, help="How many years of history.")
@click.pass_obj
@operator_errors
def demo(settings: Settings, years: int) -> None:
    """Load a demo user with a few years of realistic data (accounts, salaries, rent, shops);
    the query tables are brought up to date before it returns."""
    from adapters.readmodel.demo import DEMO_EMAIL, DEMO_PASSWORD, load_demo
    from adapters.readmodel.runner import build_projector

    with runtime(settings) as wired:
        user_id = load_demo(wired, years=years)
        synced = _connect_demo_bank(wired, user_id)
        events = build_projector(wired).catch_up()
    click.echo(f"demo user {user_id}: sign in as {DEMO_EMAIL} / {DEMO_PASSWORD}")
    click.echo(f"demo bank connected: {synced} new line(s) in its first sync")
    click.echo(f"projected {events:,} events")


def _connect_demo_bank(wired: Runtime, user_id: UUID) -> int:
    """A 'Demo bank' account fed by the built-in demo bank connection; synced once now, then
    every 6 hours by the scheduler (each sync brings new lines, pending ones later book)."""
    from datetime import UTC, datetime

    from ops.background import build_background

    connections = build_background(wired).connections
    account = wired.accounts.open(
        user_id,
        name="Demo bank giro",
        kind="checking",
        currency="EUR",
        opening_balance="2500.00",
        opened_on=datetime.now(UTC).date(),
    )
    created = connections.create(user_id, provider="demo", name="Demo bank", setup={"seed": "demo"})
    connections.link_account(
        user_id, created.id, remote_id="demo-checking", account_id=UUID(account.answer["id"])
    )
    return connections.sync(user_id, created.id).lines_new
