"""``fintrack projector``: the process that keeps the query tables up to date (MariaDB setups).

One is active per database (a named lock); extra instances stand by and take over. SIGTERM and
SIGINT stop it after the page in hand commits.
"""

from __future__ import annotations

import signal
import threading
from types import FrameType

import click

from adapters.settings import Settings
from ops.cli_support import operator_errors, runtime


@click.command()
@click.pass_obj
@operator_errors
def projector(settings: Settings) -> None:
    """Follow the event log and apply it to the query tables, until stopped."""
    from adapters.readmodel.runner import run_projector

    stop = threading.Event()

    def request_stop(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    with runtime(settings) as wired:
        click.echo("projector running (Ctrl-C to stop)")
        run_projector(wired, stop)
    click.echo("projector stopped")
