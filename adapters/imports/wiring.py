"""Builds the import services from the parts the composition root already has.

Adapters may not import ``ops``; ``adapters.runtime.ImportRuntime`` names what is used.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.engine import Engine

from adapters.imports.lines import KeyringLineKeys, SqlExistingTransactions
from adapters.imports.reader import BankStatementReader
from adapters.imports.stores import SqlCsvMappings, SqlPayloadStore
from adapters.mail.factory import create_mailer
from adapters.runtime import ImportRuntime
from application.import_lines import ImportLines
from application.imports import Imports
from application.ledger import Ledger
from application.mailer import Mailer
from application.rules import Rules
from application.users import Users


@dataclass(frozen=True, slots=True)
class ImportServices:
    imports: Imports
    lines: ImportLines  # the ingest seam, for bank connections
    rules: Rules
    ledger: Ledger
    users: Users
    mailer: Mailer
    engine: Engine


def build_import_services(
    runtime: ImportRuntime, *, mailer: Mailer | None = None
) -> ImportServices:
    engine, keyring, ledger, runner = (
        runtime.engine,
        runtime.keyring,
        runtime.ledger,
        runtime.runner,
    )
    keys = KeyringLineKeys(keyring)
    existing = SqlExistingTransactions(engine, ledger.mapper)
    rules = Rules(ledger, runner, keys)
    lines = ImportLines(ledger, keys, existing, rules)
    imports = Imports(
        ledger,
        runner,
        payloads=SqlPayloadStore(engine, keyring),
        reader=BankStatementReader(),
        lines=lines,
        mappings=SqlCsvMappings(engine, keyring),
        keys=keys,
        existing=existing,
    )
    return ImportServices(
        imports=imports,
        lines=lines,
        rules=rules,
        ledger=ledger,
        users=runtime.users,
        mailer=mailer or create_mailer(runtime.settings.smtp_url),
        engine=engine,
    )
