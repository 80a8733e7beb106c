"""``fintrack keys rotate``: re-wrap every data key under a new master key."""

from __future__ import annotations

import click

from adapters.settings import Settings
from ops.cli_support import operator_errors


@click.group()
def keys() -> None:
    """Manage the master key."""


@keys.command()
@click.pass_obj
@operator_errors
def rotate(settings: Settings) -> None:
    """Re-wrap every data key under a new master key; events are not touched.

    Stop the other fintrack processes first: a process still holding the old master key cannot
    create data keys until it restarts with the new one.
    """
    from adapters.crypto.rotation import rotate_master_key
    from adapters.persistence.engine import create_sync_engine

    engine = create_sync_engine(settings.sync_url)
    try:
        count = rotate_master_key(engine, settings.master_key_file)
    finally:
        engine.dispose()
    click.echo(f"rotated the master key; re-wrapped {count} data key(s)")
