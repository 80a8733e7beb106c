"""Security headers on every kind of answer: success, errors, the router's 404, static files."""

from __future__ import annotations

import re

import httpx
import pytest
from litestar import Litestar
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.http.app import HttpOptions, create_app, sql_http_services
from adapters.settings import Settings
from application.users_port import UserAccounts
from tests.integration.http.conftest import SECRET, Client, bearer, login, register
from tests.integration.http.handlers import Effects


@pytest.fixture
def app(settings: Settings, engine: AsyncEngine, users: UserAccounts) -> Litestar:
    options = HttpOptions(secret=SECRET, api_handlers=Effects().handlers())
    return create_app(settings, sql_http_services(engine, users), options=options)


def assert_secure(response: httpx.Response) -> None:
    headers = response.headers
    assert headers["strict-transport-security"].startswith("max-age=")
    csp = headers["content-security-policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    assert "camera=()" in headers["permissions-policy"]
    assert "access-control-allow-origin" not in headers


async def test_headers_on_200(client: Client) -> None:
    response = await client.get("/health/live")
    assert response.status_code == 200
    assert_secure(response)


async def test_headers_on_router_404(client: Client) -> None:
    response = await client.get("/no/such/page")
    assert response.status_code == 404
    assert_secure(response)


async def test_headers_on_405(client: Client) -> None:
    response = await client.put("/health/live")
    assert response.status_code == 405
    assert_secure(response)


async def test_headers_on_401_and_422(client: Client) -> None:
    assert_secure(await client.get("/api/v1/me"))
    weak = await client.post(
        "/api/v1/auth/register", json={"email": "a@b.org", "password": "short"}
    )
    assert weak.status_code == 422
    assert_secure(weak)


async def test_headers_on_500(client: Client) -> None:
    await register(client)
    token = (await login(client))["access_token"]
    response = await client.get("/api/v1/test/boom", headers=bearer(token))
    assert response.status_code == 500
    assert_secure(response)


async def test_headers_on_static_files_and_the_docs_page(client: Client) -> None:
    asset = await client.get("/static/docs/swagger-ui.css")
    assert asset.status_code == 200
    assert_secure(asset)
    page = await client.get("/schema/swagger")
    assert page.status_code == 200
    assert_secure(page)


async def test_api_answers_are_not_cached(client: Client) -> None:
    await register(client)
    response = await client.post(
        "/api/v1/auth/login", json={"email": "ada@example.org", "password": "x" * 12}
    )
    assert response.headers["cache-control"] == "no-store"


async def test_the_docs_page_uses_only_local_assets_and_no_inline_script(client: Client) -> None:
    page = (await client.get("/schema/swagger")).text
    assert "http://" not in page  # no CDN
    assert "https://" not in page
    assert "<style" not in page
    for script in re.findall(r"<script[^>]*>(.*?)</script>", page, flags=re.S):
        assert script.strip() == ""  # every script is a src= file, none inline
    for src in re.findall(r'(?:src|href)="([^"]+)"', page):
        assert (await client.get(src)).status_code == 200, src


async def test_cors_is_off_by_default(client: Client) -> None:
    response = await client.options(
        "/api/v1/auth/login",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert "access-control-allow-origin" not in response.headers
