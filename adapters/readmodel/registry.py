"""Every projection the projector runs, replay rebuilds and verify checks.

Add a projection with one line: its writer, built from the shared ``KeyringTextProtector``.
"""

from __future__ import annotations

from collections.abc import Collection

from adapters.crypto.keyring import Keyring
from adapters.readmodel.balance_writer import BalancesWriter
from adapters.readmodel.category_writers import CategoryTotalsWriter, CategoryTreeWriter
from adapters.readmodel.history_writer import HistoryWriter
from adapters.readmodel.sealing import KeyringTextProtector
from adapters.readmodel.transactions_writer import TransactionsWriter
from adapters.readmodel.writer import ProjectionWriter
from projections.errors import InvalidQuery


def writers(keyring: Keyring) -> list[ProjectionWriter]:
    protector = KeyringTextProtector(keyring)
    return [
        TransactionsWriter(protector),
        HistoryWriter(protector),
        BalancesWriter(protector),
        CategoryTreeWriter(protector),
        CategoryTotalsWriter(),
    ]


def writer_names(keyring: Keyring) -> list[str]:
    return [w.name for w in writers(keyring)]


def select_writers(keyring: Keyring, names: Collection[str]) -> list[ProjectionWriter]:
    """The writers of the projections ``names`` (all of them if empty), in registry order."""
    found = writers(keyring)
    unknown = set(names) - {w.name for w in found}
    if unknown:
        known = ", ".join(w.name for w in found)
        raise InvalidQuery(
            "projection", f"unknown projection {', '.join(sorted(unknown))}; known: {known}"
        )
    return [w for w in found if not names or w.name in names]
