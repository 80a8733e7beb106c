"""``fintrack user create EMAIL`` / ``fintrack user shred EMAIL``."""

from __future__ import annotations

import sys

import click

from adapters.settings import Settings
from ops.cli_support import operator_errors, runtime


@click.group()
def user() -> None:
    """Add or erase users."""


@user.command()
@click.argument("email")
@click.pass_obj
@operator_errors
def create(settings: Settings, email: str) -> None:
    """Add a user; the password is prompted for, or read from stdin when piped."""
    password = _read_password()
    with runtime(settings) as wired:
        user_id = wired.users.register(email, password)
    click.echo(f"created user {user_id}")


@user.command()
@click.argument("email")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_obj
@operator_errors
def shred(settings: Settings, email: str, yes: bool) -> None:
    """Erase a user for good by destroying their keys (crypto-shredding)."""
    with runtime(settings) as wired:
        user_id = wired.users.id_for_email(email)
        if not yes:
            click.confirm(
                f"Erase user {user_id}? Their data becomes unreadable forever", abort=True
            )
        wired.users.erase(user_id)
    click.echo(f"erased user {user_id}: their keys are destroyed")


def _read_password() -> str:
    if sys.stdin.isatty():
        password: str = click.prompt("Password", hide_input=True, confirmation_prompt=True)
        return password
    line = sys.stdin.readline()
    if not line:
        raise click.ClickException("no password on stdin")
    return line.rstrip("\r\n")
