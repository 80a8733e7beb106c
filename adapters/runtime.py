"""What adapters need from the composition root (``ops.bootstrap.Runtime`` fits).

Adapters may not import ``ops``, so they name the parts they use as Protocols: ``CoreRuntime``
(the read-side tooling's), ``ImportRuntime`` (the import and connection services') adds the user
use cases and the shared command runner.
"""

from __future__ import annotations

from typing import Protocol

from sqlalchemy.engine import Engine

from adapters.crypto.keyring import Keyring
from adapters.settings import Settings
from application.command import CommandRunner
from application.ledger import Ledger
from application.users import Users


class CoreRuntime(Protocol):
    @property
    def settings(self) -> Settings: ...

    @property
    def engine(self) -> Engine: ...

    @property
    def keyring(self) -> Keyring: ...

    @property
    def ledger(self) -> Ledger: ...


class ImportRuntime(CoreRuntime, Protocol):
    @property
    def users(self) -> Users: ...

    @property
    def runner(self) -> CommandRunner: ...
