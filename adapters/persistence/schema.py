"""What alembic manages: our tables on the shared ``metadata``, and only those.

``adapters.crypto.tables`` (owned by the crypto adapter, migration 0002) joins the metadata when
it exists. ``include_name`` keeps autogenerate away from tables that are not ours.
"""

from __future__ import annotations

import importlib
import importlib.util

from sqlalchemy import MetaData

from adapters.persistence.metadata import metadata

_TABLE_MODULES = (
    "adapters.persistence.tables",
    "adapters.crypto.tables",
    "adapters.readmodel.tables",
    "adapters.http.auth.tables",
    "adapters.imports.tables",
    "adapters.connections.tables",
)


def target_metadata() -> MetaData:
    for module in _TABLE_MODULES:
        if importlib.util.find_spec(module) is not None:
            importlib.import_module(module)
    return metadata


def include_name(name: str | None, type_: str, _parent_names: object) -> bool:
    if type_ == "table":
        return name in target_metadata().tables
    return True
