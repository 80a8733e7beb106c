"""The operator's door: ``fintrack`` and its subcommands (one module each in ``ops.commands``).

Every command builds what it needs through ``ops.bootstrap`` when it runs; nothing at import time.
Errors an operator can fix are reported in one line with exit status 1, never as a traceback.
"""

from __future__ import annotations

import click

from adapters.settings import Settings, SettingsError
from ops.commands import background, imports, keys, migrate, projector, readmodel, serve, users


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.pass_context
def main(ctx: click.Context) -> None:
    """fintrack: a self-hosted, event-sourced personal finance tracker."""
    try:
        ctx.obj = Settings.from_env()
    except SettingsError as error:
        raise click.ClickException(str(error)) from None


main.add_command(migrate.migrate)
main.add_command(users.user)
main.add_command(keys.keys)
main.add_command(serve.serve)
main.add_command(projector.projector)
main.add_command(readmodel.replay)
main.add_command(readmodel.verify)
main.add_command(readmodel.demo)
main.add_command(background.worker)
main.add_command(background.scheduler)
main.add_command(imports.import_file)
