"""Ping a pooled connection before use only if it sat idle in the pool for over ``IDLE_PING_S``.

SQLAlchemy's ``pool_pre_ping`` costs every checkout a round trip; under load no connection sits
idle, so here none pays it. One the server dropped within the last second (a restart) fails its
statement instead, and SQLAlchemy then replaces every pooled connection older than the failure.
"""

from __future__ import annotations

import time
from typing import Any

import sqlalchemy as sa
from sqlalchemy.pool import ConnectionPoolEntry, Pool, PoolProxiedConnection

IDLE_PING_S = 1.0
_IDLE_SINCE = "fintrack_idle_since"  # connection record info: when it went back to the pool


def ping_when_idle(pool: Pool, dialect: sa.Dialect) -> None:
    sa.event.listen(pool, "checkin", _idle_from_now)

    def ping(dbapi_connection: Any, record: ConnectionPoolEntry, _: PoolProxiedConnection) -> None:
        since = record.info.get(_IDLE_SINCE)
        if since is None or time.monotonic() - since < IDLE_PING_S:
            return  # just opened, or in use a moment ago
        try:
            dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as error:
            # The pool discards it and checks out another (SQLAlchemy's disconnect handling).
            raise sa.exc.DisconnectionError(str(error)) from error

    sa.event.listen(pool, "checkout", ping)


def _idle_from_now(_dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
    record.info[_IDLE_SINCE] = time.monotonic()
