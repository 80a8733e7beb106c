"""Build the connection use cases from what the composition root already has.

    connections, schedule = build_connections(runtime)

Lines go through the import pipeline's ``ImportLines`` (same ids, rules at import, proposed
changes); pass ``import_lines`` to share the one the import services built. Tests pass
``ConnectorOptions`` pointing at the fake servers and a fixed clock.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from adapters.banks.connectors.factory import ConnectorOptions, ProviderConnectors
from adapters.connections.ingest import ImportLinesIngest
from adapters.connections.stores import SqlCredentialVault, SqlSyncSchedule
from adapters.imports.lines import KeyringLineKeys, SqlExistingTransactions
from adapters.imports.stores import SqlPayloadStore
from adapters.runtime import ImportRuntime
from application.connection_ports import LineIngest
from application.connections import Connections, utc_now
from application.import_lines import ImportLines
from application.rules import Rules


def build_connections(
    runtime: ImportRuntime,
    *,
    options: ConnectorOptions | None = None,
    import_lines: ImportLines | None = None,
    ingest: LineIngest | None = None,
    clock: Callable[[], datetime] = utc_now,
    jitter: Callable[[], float] | None = None,
) -> tuple[Connections, SqlSyncSchedule]:
    ledger, engine, keyring, runner = (
        runtime.ledger,
        runtime.engine,
        runtime.keyring,
        runtime.runner,
    )
    schedule = SqlSyncSchedule(engine)
    extra = {} if jitter is None else {"jitter": jitter}
    keys = KeyringLineKeys(keyring)
    existing = SqlExistingTransactions(engine, ledger.mapper)
    if ingest is None:
        lines = import_lines or ImportLines(ledger, keys, existing, Rules(ledger, runner, keys))
        ingest = ImportLinesIngest(lines, keys, existing, SqlPayloadStore(engine, keyring))
    connections = Connections(
        ledger,
        runner,
        connectors=ProviderConnectors(options),
        vault=SqlCredentialVault(engine, keyring),
        ingest=ingest,
        schedule=schedule,
        clock=clock,
        **extra,
    )
    return connections, schedule
