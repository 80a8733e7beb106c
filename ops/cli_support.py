"""What every subcommand shares: clear operator errors and a runtime that is always closed."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any, TypeVar

import click

from adapters.crypto.errors import CryptoError
from adapters.settings import Settings, SettingsError
from domain.errors import DomainError
from ops.bootstrap import Runtime, bootstrap

F = TypeVar("F", bound=Callable[..., Any])


def operator_errors(command: F) -> F:
    """Turn the failures an operator can act on into a one-line message and exit status 1."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except DomainError as error:
            raise click.ClickException(error.message) from None
        except (SettingsError, CryptoError) as error:
            raise click.ClickException(str(error)) from None

    return wrapper  # type: ignore[return-value]


@contextmanager
def runtime(settings: Settings) -> Iterator[Runtime]:
    wired = bootstrap(settings)
    try:
        yield wired
    finally:
        wired.close()
