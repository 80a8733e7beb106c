"""``/api/v1/connections``: bank links. List, create, get, see the bank's accounts, link one,
change the interval, sync now (202), delete. The setup secret goes in once and never comes back.

    router = connections_router(ConnectionsApi(connections, tasks.request_sync))
    create_app(settings, services, options=HttpOptions(api_handlers=(router, ...)))
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Controller, Request, Router, delete, get, patch, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_201_CREATED, HTTP_202_ACCEPTED, HTTP_204_NO_CONTENT

from adapters.http.auth.tokens import Principal
from adapters.http.openapi import answers
from application.connections import Connections, ConnectionView
from domain.connection import DEFAULT_INTERVAL

PROBLEMS = (400, 401, 403, 404, 409, 422)
ID_EXAMPLE = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
Minutes = Annotated[int, msgspec.Meta(ge=15, le=7 * 24 * 60)]


@dataclass(frozen=True, slots=True)
class ConnectionsApi:
    connections: Connections
    request_sync: Callable[[UUID, UUID], Awaitable[None]]  # (owner, connection)


class CreateConnection(msgspec.Struct, forbid_unknown_fields=True):
    provider: Annotated[str, msgspec.Meta(max_length=40)]
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    setup: Annotated[
        dict[
            Annotated[str, msgspec.Meta(max_length=40)],
            Annotated[str, msgspec.Meta(max_length=2048)],
        ],
        msgspec.Meta(max_length=10),
    ] = {}
    sync_interval_minutes: Minutes = int(DEFAULT_INTERVAL.total_seconds()) // 60


class LinkAccount(msgspec.Struct, forbid_unknown_fields=True):
    remote_id: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    account_id: UUID


class ChangeConnection(msgspec.Struct, forbid_unknown_fields=True):
    sync_interval_minutes: Minutes


class LinkedAccountOut(msgspec.Struct):
    remote_id: str
    remote_name: str
    account_id: UUID


class ConnectionOut(msgspec.Struct):
    id: UUID
    provider: str
    name: str
    status: str  # awaiting_authorisation | active | failing | needs_attention
    sync_interval_minutes: int
    last_synced_at: str | None
    lines_new: int | None
    lines_duplicate: int | None
    next_sync_at: str | None
    failure_reason: str | None
    failure_kind: str | None
    failed_attempts: int
    attention_reason: str | None
    authorisation_link: str | None
    pending_open: int
    linked_accounts: list[LinkedAccountOut]


class CreatedOut(msgspec.Struct):
    id: UUID
    status: str
    authorisation_link: str | None


class RemoteAccountOut(msgspec.Struct):
    id: str
    name: str
    currency: str | None
    iban: str | None


class SyncQueuedOut(msgspec.Struct):
    id: UUID
    status: str = "queued"


CONNECTION_EXAMPLE = {
    "id": ID_EXAMPLE,
    "provider": "simplefin",
    "name": "My bank",
    "status": "active",
    "sync_interval_minutes": 360,
    "last_synced_at": "2026-11-26T08:00:00+00:00",
    "lines_new": 3,
    "lines_duplicate": 41,
    "next_sync_at": "2026-11-26T14:00:00+00:00",
    "failure_reason": None,
    "failure_kind": None,
    "failed_attempts": 0,
    "attention_reason": None,
    "authorisation_link": None,
    "pending_open": 1,
    "linked_accounts": [
        {"remote_id": "ACT-1", "remote_name": "Checking", "account_id": ID_EXAMPLE}
    ],
}


def _owner(request: Request[Principal, Any, Any]) -> UUID:
    return request.user.user_id


def _out(view: ConnectionView) -> ConnectionOut:
    return ConnectionOut(
        id=view.id,
        provider=view.provider,
        name=view.name,
        status=view.status,
        sync_interval_minutes=view.sync_interval_minutes,
        last_synced_at=None if view.last_synced_at is None else view.last_synced_at.isoformat(),
        lines_new=view.lines_new,
        lines_duplicate=view.lines_duplicate,
        next_sync_at=None if view.next_sync_at is None else view.next_sync_at.isoformat(),
        failure_reason=view.failure_reason,
        failure_kind=view.failure_kind,
        failed_attempts=view.failed_attempts,
        attention_reason=view.attention_reason,
        authorisation_link=view.authorisation_link,
        pending_open=view.pending_open,
        linked_accounts=[
            LinkedAccountOut(link.remote_id, link.remote_name, link.account_id)
            for link in view.linked_accounts
        ],
    )


class ConnectionController(Controller):
    path = "/connections"
    tags = ["connections"]

    @get(
        operation_id="listConnections",
        summary="Every bank connection with its sync status",
        responses=answers(
            200, list[ConnectionOut], [CONNECTION_EXAMPLE], description="The connections",
            problems=(401,),
        ),
    )  # fmt: skip
    async def list_connections(
        self,
        request: Request[Principal, Any, Any],
        connections_api: NamedDependency[ConnectionsApi],
    ) -> list[ConnectionOut]:
        views = await asyncio.to_thread(connections_api.connections.list_owned, _owner(request))
        return [_out(view) for view in views]

    @post(
        status_code=HTTP_201_CREATED,
        operation_id="createConnection",
        summary="Connect a bank (demo, simplefin, gocardless); the setup is never shown again",
        responses=answers(
            201,
            CreatedOut,
            {"id": ID_EXAMPLE, "status": "awaiting_authorisation", "authorisation_link": None},
            description="Created; for GoCardless, send the user to authorisation_link",
            problems=PROBLEMS,
        ),
    )
    async def create_connection(
        self,
        data: JSONBody[CreateConnection],
        request: Request[Principal, Any, Any],
        connections_api: NamedDependency[ConnectionsApi],
    ) -> CreatedOut:
        service = connections_api.connections
        created = await asyncio.to_thread(
            lambda: service.create(
                _owner(request),
                provider=data.provider,
                name=data.name,
                setup=data.setup,
                interval=timedelta(minutes=data.sync_interval_minutes),
            )
        )
        view = await asyncio.to_thread(service.get, _owner(request), created.id)
        return CreatedOut(created.id, view.status, created.authorisation_link)

    @get(
        "/{connection_id:uuid}",
        operation_id="getConnection",
        summary="One connection: status, last sync, next attempt, linked accounts",
        responses=answers(
            200, ConnectionOut, CONNECTION_EXAMPLE, description="The connection",
            problems=(401, 404),
        ),
    )  # fmt: skip
    async def get_connection(
        self,
        connection_id: FromPath[UUID],
        request: Request[Principal, Any, Any],
        connections_api: NamedDependency[ConnectionsApi],
    ) -> ConnectionOut:
        view = await asyncio.to_thread(
            connections_api.connections.get, _owner(request), connection_id
        )
        return _out(view)

    @get(
        "/{connection_id:uuid}/bank-accounts",
        operation_id="listConnectionBankAccounts",
        summary="The accounts the provider shows, to choose which to link",
        responses=answers(
            200,
            list[RemoteAccountOut],
            [{"id": "ACT-1", "name": "Checking", "currency": "EUR", "iban": None}],
            description="The bank's accounts",
            problems=(401, 404, 422),
        ),
    )
    async def list_bank_accounts(
        self,
        connection_id: FromPath[UUID],
        request: Request[Principal, Any, Any],
        connections_api: NamedDependency[ConnectionsApi],
    ) -> list[RemoteAccountOut]:
        found = await asyncio.to_thread(
            connections_api.connections.remote_accounts, _owner(request), connection_id
        )
        return [RemoteAccountOut(a.id, a.name, a.currency, a.iban) for a in found]

    @post(
        "/{connection_id:uuid}/links",
        status_code=200,
        operation_id="linkConnectionAccount",
        summary="Import a bank account of this connection into one of your accounts",
        responses=answers(
            200, ConnectionOut, CONNECTION_EXAMPLE, description="Linked", problems=PROBLEMS
        ),
    )
    async def link_account(
        self,
        connection_id: FromPath[UUID],
        data: JSONBody[LinkAccount],
        request: Request[Principal, Any, Any],
        connections_api: NamedDependency[ConnectionsApi],
    ) -> ConnectionOut:
        service, owner = connections_api.connections, _owner(request)
        await asyncio.to_thread(
            lambda: service.link_account(
                owner, connection_id, remote_id=data.remote_id, account_id=data.account_id
            )
        )
        return _out(await asyncio.to_thread(service.get, owner, connection_id))

    @patch(
        "/{connection_id:uuid}",
        operation_id="changeConnection",
        summary="Change how often the connection syncs",
        responses=answers(
            200, ConnectionOut, CONNECTION_EXAMPLE, description="Changed", problems=PROBLEMS
        ),
    )
    async def change_connection(
        self,
        connection_id: FromPath[UUID],
        data: JSONBody[ChangeConnection],
        request: Request[Principal, Any, Any],
        connections_api: NamedDependency[ConnectionsApi],
    ) -> ConnectionOut:
        service, owner = connections_api.connections, _owner(request)
        interval = timedelta(minutes=data.sync_interval_minutes)
        await asyncio.to_thread(service.change_interval, owner, connection_id, interval)
        return _out(await asyncio.to_thread(service.get, owner, connection_id))

    @post(
        "/{connection_id:uuid}/sync",
        status_code=HTTP_202_ACCEPTED,
        operation_id="syncConnectionNow",
        summary="Sync now (in the background)",
        responses=answers(
            202,
            SyncQueuedOut,
            {"id": ID_EXAMPLE, "status": "queued"},
            description="Queued",
            problems=(401, 403, 404),
        ),
    )
    async def sync_now(
        self,
        connection_id: FromPath[UUID],
        request: Request[Principal, Any, Any],
        connections_api: NamedDependency[ConnectionsApi],
    ) -> SyncQueuedOut:
        await connections_api.request_sync(_owner(request), connection_id)
        return SyncQueuedOut(connection_id)

    @delete(
        "/{connection_id:uuid}",
        status_code=HTTP_204_NO_CONTENT,
        operation_id="deleteConnection",
        summary="Remove the connection and destroy its credentials (imported lines stay)",
        responses=answers(204, None, None, description="Removed", problems=(401, 403, 404, 409)),
    )
    async def delete_connection(
        self,
        connection_id: FromPath[UUID],
        request: Request[Principal, Any, Any],
        connections_api: NamedDependency[ConnectionsApi],
    ) -> None:
        service, owner = connections_api.connections, _owner(request)
        await asyncio.to_thread(service.check_can_sync, owner, connection_id)
        await asyncio.to_thread(service.remove, owner, connection_id)


def connections_router(api: ConnectionsApi) -> Router:
    """The controller with its service, to mount under ``/api/v1`` (``api_handlers``)."""
    return Router(
        path="/",
        route_handlers=[ConnectionController],
        dependencies={
            "connections_api": Provide(lambda: api, use_cache=True, sync_to_thread=False)
        },
    )
