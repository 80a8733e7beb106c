"""Every error is an RFC 9457 problem detail, with the offending fields named."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from litestar import Litestar
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.http.app import HttpOptions, create_app, sql_http_services
from adapters.settings import Settings
from application.users_port import UserAccounts
from tests.integration.http.conftest import PASSWORD, SECRET, Client, bearer, login, register
from tests.integration.http.handlers import Effects

REGISTER = "/api/v1/auth/register"
JSON = {"content-type": "application/json"}


@pytest.fixture
def app(settings: Settings, engine: AsyncEngine, users: UserAccounts) -> Litestar:
    options = HttpOptions(secret=SECRET, api_handlers=Effects().handlers())
    return create_app(settings, sql_http_services(engine, users), options=options)


def problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["type"]
    assert body["title"]
    assert body["detail"]
    return body


async def test_malformed_json_is_a_400(client: Client) -> None:
    problem(await client.post(REGISTER, content=b'{"email": "a@b.c", ', headers=JSON), 400)


async def test_a_two_mebibyte_body_is_a_413(client: Client) -> None:
    body = b'{"email": "' + b"a" * (2 * 1024 * 1024) + b'"}'
    problem(await client.post(REGISTER, content=body, headers=JSON), 413)


@pytest.mark.parametrize(
    "body",
    [b"[" * 100_000 + b"]" * 100_000, b'{"email": ' + b"[" * 5000 + b"]" * 5000 + b"}"],
    ids=["top-level", "in-a-field"],
)
async def test_deeply_nested_json_is_a_400(client: Client, body: bytes) -> None:
    problem(await client.post(REGISTER, content=body, headers=JSON), 400)


async def test_a_wrong_content_type_is_a_415(client: Client) -> None:
    response = await client.post(
        REGISTER,
        content=b'{"email": "a@b.c", "password": "x"}',
        headers={"content-type": "text/plain"},
    )
    body = problem(response, 415)
    assert "application/json" in body["detail"]


async def test_an_unknown_field_is_refused_and_named(client: Client) -> None:
    response = await client.post(
        REGISTER, json={"email": "ada@example.org", "password": PASSWORD, "is_admin": True}
    )
    body = problem(response, 400)
    assert body["errors"] == [
        {
            "field": "is_admin",
            "source": "body",
            "message": "Object contains unknown field `is_admin`",
        }
    ]


async def test_a_wrongly_typed_field_is_named(client: Client) -> None:
    body = problem(await client.post(REGISTER, json={"email": 5, "password": PASSWORD}), 400)
    assert body["errors"][0]["field"] == "email"


@pytest.mark.parametrize("number", [b"1e400", b"-1e400", b"1e-400"])
async def test_out_of_range_numbers_are_a_400(client: Client, number: bytes) -> None:
    content = b'{"email": ' + number + b', "password": "' + PASSWORD.encode() + b'"}'
    problem(await client.post(REGISTER, content=content, headers=JSON), 400)


async def test_a_number_out_of_range_in_a_command_is_a_400(client: Client) -> None:
    await register(client)
    token = (await login(client))["access_token"]
    response = await client.post(
        "/api/v1/test/effects", content=b'{"amount": 1e400}', headers={**JSON, **bearer(token)}
    )
    problem(response, 400)


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short one", "at least 12 characters"),
        ("x" * 129, "at most 128 characters"),
        ("password1234", "commonly used"),
        ("1QAZ2wsx3edc", "commonly used"),
    ],
)
async def test_weak_passwords_are_a_422_with_a_reason(
    client: Client, password: str, reason: str
) -> None:
    body = problem(
        await client.post(REGISTER, json={"email": "ada@example.org", "password": password}), 422
    )
    assert reason in body["detail"]
    assert body["errors"][0]["field"] == "password"


async def test_a_domain_conflict_is_a_409(client: Client) -> None:
    await register(client)
    response = await client.post(REGISTER, json={"email": "ADA@example.org", "password": PASSWORD})
    problem(response, 409)


async def test_a_domain_rule_is_a_422(client: Client) -> None:
    problem(await client.post(REGISTER, json={"email": "no-at-sign", "password": PASSWORD}), 422)


async def test_an_unknown_route_is_a_404(client: Client) -> None:
    problem(await client.get("/api/v1/nothing-here"), 404)


async def test_an_unknown_docs_page_is_a_404_problem_too(client: Client) -> None:
    problem(await client.get("/schema/redoc"), 404)


async def test_the_schema_root_shows_the_docs_ui(client: Client) -> None:
    response = await client.get("/schema")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")


async def test_a_wrong_method_is_a_405(client: Client) -> None:
    problem(await client.delete("/api/v1/auth/login"), 405)


async def test_a_path_id_that_is_not_a_uuid_is_a_404(client: Client) -> None:
    await register(client)
    token = (await login(client))["access_token"]
    problem(await client.delete("/api/v1/auth/tokens/not-a-uuid", headers=bearer(token)), 404)


async def test_an_unhandled_error_is_a_bare_500(client: Client) -> None:
    await register(client)
    token = (await login(client))["access_token"]
    response = await client.get("/api/v1/test/boom", headers=bearer(token))
    body = problem(response, 500)
    assert "secret" not in response.text
    assert "Traceback" not in response.text
    assert set(body) == {"type", "title", "status", "detail"}
