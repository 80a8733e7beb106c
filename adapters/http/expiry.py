"""What the HTTP layer keeps only for a while, and the statements that forget it once expired.

- login failures: after ``FAILURES_KEPT`` (far longer than any throttling window);
- refresh tokens: once expired (a spent one is kept until then, so its reuse is still detected);
- sessions: once their absolute expiry has passed, with any refresh tokens left;
- stored responses to ``Idempotency-Key`` POSTs: ``RESPONSES_KEPT`` after the first request
  (a retry later than that runs as a new request, as with the payment APIs that popularised it).
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from adapters.http.auth.tables import (
    auth_login_failures,
    auth_refresh_tokens,
    auth_sessions,
    http_idempotency,
)

FAILURES_KEPT = timedelta(days=1)
RESPONSES_KEPT = timedelta(hours=24)


def forget_expired_http_records(conn: Connection, now_ms: int) -> dict[str, int]:
    """Delete what has expired at ``now_ms``; return how many rows went, per table."""
    ended = sa.select(auth_sessions.c.id).where(auth_sessions.c.expires_ms <= now_ms)
    statements = {
        "auth_login_failures": sa.delete(auth_login_failures).where(
            auth_login_failures.c.failed_ms < now_ms - _ms(FAILURES_KEPT)
        ),
        "auth_refresh_tokens": sa.delete(auth_refresh_tokens).where(
            (auth_refresh_tokens.c.expires_ms <= now_ms)
            | auth_refresh_tokens.c.session_id.in_(ended.scalar_subquery())
        ),
        "auth_sessions": sa.delete(auth_sessions).where(auth_sessions.c.expires_ms <= now_ms),
        "http_idempotency": sa.delete(http_idempotency).where(
            http_idempotency.c.created_ms < now_ms - _ms(RESPONSES_KEPT)
        ),
    }
    return {table: conn.execute(statement).rowcount for table, statement in statements.items()}


def _ms(delta: timedelta) -> int:
    return int(delta.total_seconds() * 1000)
