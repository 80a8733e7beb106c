"""``/health/live`` (the process answers) and ``/health/ready`` (its dependencies answer).

Readiness checks are injected async callables (database, projector lag, broker...), each returning
True when healthy. They run concurrently with a timeout; a check that raises or times out fails.
The answer names each check with ``ok``/``failing`` only: no error text, no hosts, no versions.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping

import msgspec
from litestar import Controller, Response, get
from litestar.di import NamedDependency

from adapters.http.openapi import PublicOperation, answers

log = logging.getLogger(__name__)

ReadinessCheck = Callable[[], Awaitable[bool]]
CHECK_TIMEOUT_S = 2.0


class Health(msgspec.Struct):
    status: str
    checks: dict[str, str] = msgspec.field(default_factory=dict)


class HealthController(Controller):
    path = "/health"
    tags = ["operations"]
    opt = {"exclude_from_auth": True}

    @get(
        "/live",
        operation_id="live",
        operation_class=PublicOperation,
        summary="Liveness: the process serves requests",
        responses=answers(
            200, Health, {"status": "ok", "checks": {}}, description="Alive", problems=()
        ),
    )
    async def live(self) -> Health:
        return Health("ok")

    @get(
        "/ready",
        operation_id="ready",
        operation_class=PublicOperation,
        summary="Readiness: the database, projector and broker answer",
        responses={
            **answers(
                200,
                Health,
                {"status": "ok", "checks": {"database": "ok", "broker": "ok"}},
                description="Ready",
                problems=(),
            ),
            **answers(
                503,
                Health,
                {"status": "unavailable", "checks": {"database": "ok", "broker": "failing"}},
                description="Not ready",
                problems=(),
            ),
        },
    )
    async def ready(
        self, readiness: NamedDependency[Mapping[str, ReadinessCheck]]
    ) -> Response[Health]:
        names = list(readiness)
        results = await asyncio.gather(*(_run(name, readiness[name]) for name in names))
        checks = {name: "ok" if ok else "failing" for name, ok in zip(names, results, strict=True)}
        healthy = all(results)
        return Response(
            Health("ok" if healthy else "unavailable", checks), status_code=200 if healthy else 503
        )


async def _run(name: str, check: ReadinessCheck) -> bool:
    try:
        return bool(await asyncio.wait_for(check(), CHECK_TIMEOUT_S))
    except Exception:
        log.warning("readiness check %s failed", name, exc_info=True)
        return False
