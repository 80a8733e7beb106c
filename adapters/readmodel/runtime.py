"""What the read-side tooling needs from the composition root (``ops.bootstrap.Runtime`` fits).

Adapters may not import ``ops``, so the tooling names the parts it uses as a Protocol.
"""

from __future__ import annotations

from typing import Protocol

from sqlalchemy.engine import Engine

from adapters.crypto.keyring import Keyring
from adapters.settings import Settings
from application.ledger import Ledger


class ReadSideRuntime(Protocol):
    @property
    def settings(self) -> Settings: ...

    @property
    def engine(self) -> Engine: ...

    @property
    def keyring(self) -> Keyring: ...

    @property
    def ledger(self) -> Ledger: ...
