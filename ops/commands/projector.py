"""``fintrack projector``: the process that keeps the query tables up to date (MariaDB setups).

One instance is active per projection (a named lock each); an instance stands by for the
projections another holds and takes each over when its holder dies. ``--projection`` narrows an
instance to some projections, so several of them share the work across cores. SIGTERM and SIGINT
stop it after the page in hand commits.
"""

from __future__ import annotations

import logging
import signal
import threading
from types import FrameType

import click

from adapters.settings import Settings
from ops.cli_support import operator_errors, runtime


@click.command()
@click.option(
    "--projection",
    "projections",
    multiple=True,
    metavar="NAME",
    help="Run only this projection (repeatable; default: all of them).",
)
@click.pass_obj
@operator_errors
def projector(settings: Settings, projections: tuple[str, ...]) -> None:
    """Follow the event log and apply it to the query tables, until stopped."""
    from adapters.readmodel.registry import select_writers
    from adapters.readmodel.runner import log, run_projector

    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    log.setLevel(logging.INFO)  # which projections this instance leads, as that changes
    stop = threading.Event()

    def request_stop(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    with runtime(settings) as wired:
        chosen = select_writers(wired.keyring, projections)
        click.echo(f"projector for {', '.join(w.name for w in chosen)} (Ctrl-C to stop)")
        run_projector(wired, stop, chosen=chosen)
    click.echo("projector stopped")
