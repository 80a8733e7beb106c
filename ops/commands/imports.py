"""``fintrack import FILE --user EMAIL --account ID [--format auto]``: import a statement file.

Records the request like an upload does (so the file is kept, sealed, with its batch), then runs
it in this process and waits for the outcome; a worker that also receives it from the relay finds
it finished (or, if it gets there first, this run resumes it: running is idempotent).
Prints the counts; exits 1 if the import failed.
"""

from __future__ import annotations

import json
from pathlib import Path
from uuid import UUID

import click

from adapters.imports.wiring import build_import_services
from adapters.settings import Settings
from application.import_mapping import mapping_from_dict
from application.statement import MAX_STATEMENT_BYTES
from ops.cli_support import operator_errors, runtime


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--user", "email", required=True, help="The owner's e-mail address.")
@click.option("--account", "account_id", required=True, type=click.UUID, help="The account id.")
@click.option(
    "--format",
    "format_name",
    default="auto",
    show_default=True,
    type=click.Choice(["auto", "csv", "ofx", "camt.053", "mt940", "qif"]),
)
@click.option(
    "--mapping",
    "mapping_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A CSV mapping as JSON (remembered for the account).",
)
@click.pass_obj
@operator_errors
def import_file(  # noqa: PLR0917 (the command's options)
    settings: Settings,
    file: Path,
    email: str,
    account_id: UUID,
    format_name: str,
    mapping_file: Path | None,
) -> None:
    """Import a statement file into an account and wait for the outcome."""
    if file.stat().st_size > MAX_STATEMENT_BYTES:
        raise click.ClickException(f"{file} is larger than {MAX_STATEMENT_BYTES >> 20} MiB")
    mapping = None
    if mapping_file is not None:
        mapping = mapping_from_dict(json.loads(mapping_file.read_text()))
    with runtime(settings) as wired:
        services = build_import_services(wired)
        user_id = wired.users.id_for_email(email)
        batch_id = services.imports.request(
            user_id,
            account_id,
            file.read_bytes(),
            format=format_name,
            filename=file.name,
            mapping=mapping,
        )
        services.imports.run(batch_id)
        view = services.imports.status(user_id, batch_id)
    click.echo(f"import {view.id}: {view.status}")
    if view.status == "failed":
        raise click.ClickException(view.reason or "the import failed")
    click.echo(
        f"lines seen {view.lines_seen}, new {view.lines_new}, duplicate {view.lines_duplicate}, "
        f"changed {view.lines_changed}, failed {view.lines_failed}"
    )
    for error in view.errors[:20]:
        click.echo(f"  line {error.line_no}: {error.reason}")
