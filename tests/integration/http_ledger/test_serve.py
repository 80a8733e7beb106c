"""``ops.serve``'s embedded default: SQLite, the projector in-process, the web app at ``/``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import schemathesis
from litestar.testing import AsyncTestClient

from adapters.http.app import HttpOptions
from adapters.http.auth.passwords import CHEAP_PROFILE
from adapters.settings import Settings
from ops.serve import build_app
from tests.integration.http.test_openapi import METHODS, _has_example
from tests.integration.http_ledger.conftest import PASSWORD


def _embedded(tmp_path: Path, spa: Path | None = None) -> AsyncTestClient[Any]:
    settings = Settings.from_env({"FINTRACK_VAR_DIR": str(tmp_path / "var")})
    app = build_app(
        settings,
        password_profile=CHEAP_PROFILE,
        options=HttpOptions(client_requests_per_minute=10_000, spa_dir=spa),
    )
    return AsyncTestClient(app=app)


async def test_the_embedded_server_projects_in_process(tmp_path: Path) -> None:
    async with _embedded(tmp_path) as client:
        await client.post(
            "/api/v1/auth/register", json={"email": "ann@example.org", "password": PASSWORD}
        )
        login = await client.post(
            "/api/v1/auth/login", json={"email": "ann@example.org", "password": PASSWORD}
        )
        auth = {"Authorization": f"Bearer {login.json()['access_token']}"}
        opened = await client.post(
            "/api/v1/accounts",
            json={"name": "Cash", "kind": "cash", "currency": "CZK", "opened_on": "2026-01-01"},
            headers=auth,
        )
        listed = await client.get(
            "/api/v1/accounts", params={"min_position": opened.json()["position"]}, headers=auth
        )
        ready = await client.get("/health/ready")

    assert [a["name"] for a in listed.json()] == ["Cash"]
    assert ready.json() == {
        "status": "ok",
        "checks": {"database": "ok", "projector": "ok", "broker": "ok"},
    }


async def test_the_web_app_is_served_with_client_routes_falling_back_to_index(
    tmp_path: Path,
) -> None:
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text("<!doctype html><title>fintrack</title>")
    (dist / "assets" / "app.js").write_text("console.log('hi')")
    async with _embedded(tmp_path, dist) as client:
        root = await client.get("/")
        route = await client.get("/transactions/3fa85f64-5717-4562-b3fc-2c963f66afa6")
        asset = await client.get("/assets/app.js")
        missing_asset = await client.get("/assets/gone.js")
        escape = await client.get("/..%2f..%2fetc/passwd")
        api = await client.get("/api/v1/nothing-here")

    assert root.status_code == route.status_code == 200
    assert "fintrack" in root.text
    assert route.text == root.text
    assert asset.text == "console.log('hi')"
    assert missing_asset.status_code == 404
    # a path leaving the folder is just a client route: the app's page, never the file
    assert (escape.status_code, escape.text) == (200, root.text)
    assert api.status_code == 404
    assert api.headers["content-type"].startswith("application/problem+json")


async def test_every_operation_of_the_whole_api_is_documented_with_an_example(
    tmp_path: Path,
) -> None:
    async with _embedded(tmp_path) as client:
        document = (await client.get("/schema/openapi.json")).json()
    operations = [
        (path, method, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]
    ids = [operation.get("operationId") for _, _, operation in operations]
    assert len(operations) >= 35
    assert len(set(ids)) == len(ids)
    assert all(ids)
    undocumented = [
        f"{method} {path}"
        for path, method, operation in operations
        if not operation.get("summary") or not _has_example(operation)
    ]
    assert undocumented == []
    schemathesis.openapi.from_dict(document).validate()
