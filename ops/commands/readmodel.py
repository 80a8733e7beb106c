"""``fintrack replay`` and ``fintrack verify``: rebuild the query tables from the event log."""

from __future__ import annotations

import sys

import click
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

from adapters.settings import Settings
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
        TextColumn("{task.completed:,}/{task.total:,} events"),
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
        events = build_projector(wired).catch_up()
    click.echo(f"demo user {user_id}: sign in as {DEMO_EMAIL} / {DEMO_PASSWORD}")
    click.echo(f"projected {events:,} events")
