"""The HTTP application factory: one call builds the Litestar app from settings and services.

Nothing happens at import time. The composition root builds the services (the users use cases,
the SQL stores over the shared async engine, readiness checks) and calls ``create_app``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from litestar import Litestar, Request, Router
from litestar.config.app import AppConfig
from litestar.config.cors import CORSConfig
from litestar.di import Provide
from litestar.middleware.rate_limit import RateLimitConfig
from litestar.plugins.problem_details import ProblemDetailsPlugin
from litestar.static_files import create_static_files_router
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.http.auth.controller import AuthController, me
from adapters.http.auth.middleware import build_jwt_auth
from adapters.http.auth.passwords import CommonPasswordPolicy
from adapters.http.auth.service import AuthPolicy, Clock, SignIn, utc_now
from adapters.http.auth.store import AuthStore, SqlAuthStore
from adapters.http.auth.tokens import TokenKeys, load_secret
from adapters.http.errors import problem_details_config
from adapters.http.health import HealthController, ReadinessCheck
from adapters.http.idempotency import IdempotencyMiddleware, IdempotentResponses
from adapters.http.idempotency_sql import SqlIdempotentResponses
from adapters.http.ledger.routes import LEDGER_HANDLERS
from adapters.http.ledger.services import LedgerCommands, LedgerQueries
from adapters.http.metrics import MetricsController, prometheus_config
from adapters.http.openapi import DOCS_ASSETS, openapi_config
from adapters.http.request_guard import RequestGuard
from adapters.http.security_headers import add_security_headers
from adapters.http.spa import spa_handlers
from adapters.settings import Settings
from application.auth_port import PasswordPolicy
from application.users_port import UserAccounts

MAX_BODY_BYTES = 1024 * 1024
API_PREFIX = "/api/v1"
STATIC_DOCS = Path(__file__).parent / "static" / "docs"


@dataclass(frozen=True, slots=True)
class HttpServices:
    """The ports the HTTP edge calls. The lead fills ``ledger_*`` when the ledger resources land."""

    users: UserAccounts
    auth_store: AuthStore
    idempotency: IdempotentResponses
    clock: Clock = utc_now
    readiness: Mapping[str, ReadinessCheck] = field(default_factory=dict)
    password_policy: PasswordPolicy = field(default_factory=CommonPasswordPolicy)
    ledger_commands: LedgerCommands | None = None  # the command use cases (sync, off the loop)
    ledger_queries: LedgerQueries | None = None  # the read-side queries (async)


@dataclass(frozen=True, slots=True)
class HttpOptions:
    cors_origins: tuple[str, ...] = ()  # empty: no CORS at all (the SPA is same-origin)
    auth_limits: AuthPolicy = field(default_factory=AuthPolicy)
    client_requests_per_minute: int = 30  # per client address, on the public auth routes
    idempotency_wait_s: float = 15.0
    metrics: bool = True
    secret: bytes | None = None  # tests only; otherwise read from settings.secret_key_file
    api_handlers: tuple[Any, ...] = ()  # more handlers under /api/v1 (tests)
    lifespan: tuple[Callable[[Litestar], AbstractAsyncContextManager[None]], ...] = ()
    spa_dir: Path | None = None  # the web app's built files, served at / when the folder exists


def sql_http_services(engine: AsyncEngine, users: UserAccounts, **overrides: Any) -> HttpServices:
    """The production stores over one async engine (tables from ``adapters.http.auth.tables``)."""
    return HttpServices(
        users=users,
        auth_store=SqlAuthStore(engine),
        idempotency=SqlIdempotentResponses(engine),
        **overrides,
    )


def create_app(
    settings: Settings, services: HttpServices, *, options: HttpOptions | None = None
) -> Litestar:
    options = options or HttpOptions()
    secret = options.secret if options.secret is not None else load_secret(settings.secret_key_file)
    sign_in = SignIn(
        users=services.users,
        store=services.auth_store,
        keys=TokenKeys.derive(secret),
        policy=services.password_policy,
        clock=services.clock,
        limits=options.auth_limits,
    )
    jwt_auth = build_jwt_auth(sign_in, exclude=["^/schema", f"^{DOCS_ASSETS}/", "^/metrics$"])
    prometheus = prometheus_config()
    client_limit = RateLimitConfig(
        rate_limit=("minute", options.client_requests_per_minute),
        # Litestar's limiter keys on the ASGI client address only, never X-Forwarded-For; behind
        # a proxy, uvicorn's --forwarded-allow-ips decides whom to believe.
        check_throttle_handler=_public_route,
    )
    ledger = (
        LEDGER_HANDLERS
        if services.ledger_commands is not None and services.ledger_queries is not None
        else ()
    )
    api = Router(
        path=API_PREFIX,
        route_handlers=[AuthController, me, *ledger, *options.api_handlers],
        middleware=[client_limit.middleware],
    )
    route_handlers: list[Any] = [
        api,
        HealthController,
        create_static_files_router(
            path=DOCS_ASSETS,
            directories=[STATIC_DOCS],
            include_in_schema=False,
            send_as_attachment=False,
        ),
    ]
    if options.metrics:
        route_handlers.append(MetricsController)
    if options.spa_dir is not None and (options.spa_dir / "index.html").is_file():
        route_handlers += spa_handlers(options.spa_dir)

    def outermost_metrics(config: AppConfig) -> AppConfig:
        # JWTAuth puts its middleware first; metrics go in front of it so 401s are counted too.
        config.middleware.insert(0, prometheus.middleware)
        return config

    return Litestar(
        route_handlers=route_handlers,
        on_app_init=[jwt_auth.on_app_init, outermost_metrics]
        if options.metrics
        else [jwt_auth.on_app_init],
        middleware=[
            RequestGuard(),
            IdempotencyMiddleware(services.idempotency, wait_s=options.idempotency_wait_s),
        ],
        dependencies={
            "sign_in": Provide(lambda: sign_in, use_cache=True, sync_to_thread=False),
            "readiness": Provide(lambda: services.readiness, use_cache=True, sync_to_thread=False),
            "commands": Provide(
                lambda: services.ledger_commands, use_cache=True, sync_to_thread=False
            ),
            "queries": Provide(
                lambda: services.ledger_queries, use_cache=True, sync_to_thread=False
            ),
        },
        plugins=[ProblemDetailsPlugin(problem_details_config())],
        before_send=[add_security_headers],
        openapi_config=openapi_config(_version()),
        cors_config=CORSConfig(allow_origins=list(options.cors_origins))
        if options.cors_origins
        else None,
        request_max_body_size=MAX_BODY_BYTES,
        lifespan=list(options.lifespan),
        debug=False,
    )


async def _public_route(request: Request[Any, Any, Any]) -> bool:
    """Only the public routes are limited per client. Async on purpose: Litestar runs a sync
    predicate in a worker thread, which would cost every API request a thread hop."""
    return bool(request.route_handler.opt.get("exclude_from_auth", False))


def _version() -> str:
    try:
        return metadata.version("fintrack")
    except metadata.PackageNotFoundError:
        return "0.0.0"
