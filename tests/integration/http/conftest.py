"""An in-process app over SQLite (aiosqlite) with the real stores and a fake user service."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar
from litestar.enums import ScopeType
from litestar.testing import AsyncTestClient
from litestar.types import Receive, Scope, Send
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from adapters.http.app import HttpOptions, create_app, sql_http_services
from adapters.http.auth import tables
from adapters.http.auth.passwords import CHEAP_PROFILE, Argon2PasswordHasher, CommonPasswordPolicy
from adapters.persistence.metadata import metadata
from adapters.settings import Settings
from application.command import CommandRunner
from application.ledger import Ledger
from application.users import Users
from application.users_port import UserAccounts
from tests.integration.http.fakes import FakeUserAccounts

SECRET = b"s" * 32
PASSWORD = "a long and unusual passphrase"
HTTP_TABLES = [
    tables.auth_sessions,
    tables.auth_refresh_tokens,
    tables.auth_personal_tokens,
    tables.auth_login_failures,
    tables.http_idempotency,
]

Client = AsyncTestClient[Any]


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    engine = create_async_engine(f"sqlite+aiosqlite:///{tmp_path / 'http.db'}")
    async with engine.begin() as conn:
        await conn.run_sync(lambda sync: metadata.create_all(sync, tables=HTTP_TABLES))
    yield engine
    await engine.dispose()


def real_users() -> tuple[Users, Ledger]:
    """The real ``application.users.Users`` over an in-memory ledger, with the real argon2
    hasher (cheap test profile) and the real common-password policy."""
    ledger = Ledger(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    users = Users(
        ledger,
        CommandRunner(ledger),
        hasher=Argon2PasswordHasher(CHEAP_PROFILE),
        policy=CommonPasswordPolicy(),
        user_id_for=lambda email: uuid.UUID(bytes=hashlib.sha256(email.encode()).digest()[:16]),
        shredder=_NoShredder(),
    )
    return users, ledger


class _NoShredder:
    def shred(self, owner_id: uuid.UUID) -> int:
        return 0


@pytest.fixture(params=["real", "fake"])
def users(request: pytest.FixtureRequest) -> Iterator[UserAccounts]:
    """Every HTTP test runs against the real users service and against ``FakeUserAccounts``
    (which pins down the port's promises independently of the event store)."""
    if request.param == "fake":
        yield FakeUserAccounts()
        return
    service, ledger = real_users()
    yield service
    ledger.close()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(secret_key_file=tmp_path / "secret.key", var_dir=tmp_path)


@pytest.fixture
def options() -> HttpOptions:
    return HttpOptions(secret=SECRET)


@pytest.fixture
def app(
    settings: Settings, engine: AsyncEngine, users: UserAccounts, options: HttpOptions
) -> Litestar:
    return create_app(settings, sql_http_services(engine, users), options=options)


@pytest.fixture
async def client(app: Litestar) -> AsyncIterator[Client]:
    async with AsyncTestClient(app=app) as client:
        yield client


def with_client_address(app: Litestar) -> Callable[[Scope, Receive, Send], Awaitable[None]]:
    """Let a test choose the *transport* peer address via the test-only X-Test-Peer header
    (what uvicorn puts in scope["client"]), to show the limits key on it and not on headers."""

    async def asgi(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == ScopeType.HTTP:
            for name, value in scope["headers"]:
                if name == b"x-test-peer":
                    scope["client"] = (value.decode(), 40000)
        await app(scope, receive, send)

    return asgi


async def register(client: Client, email: str = "ada@example.org", **extra: Any) -> dict[str, Any]:
    response = await client.post(
        "/api/v1/auth/register", json={"email": email, "password": PASSWORD, **extra}
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def login(
    client: Client, email: str = "ada@example.org", password: str = PASSWORD
) -> dict[str, Any]:
    response = await client.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
