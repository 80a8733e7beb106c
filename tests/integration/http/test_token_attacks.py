"""Forged, stale and revoked access tokens are refused with 401, whatever the trick."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import time
from typing import Any

import jwt
import pytest
import sqlalchemy as sa
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.http.auth.service import ACTIVE_SESSION_CACHE_S
from adapters.http.auth.tables import auth_sessions
from tests.integration.http.conftest import PASSWORD, Client, bearer, login, register


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _claims(token: str) -> dict[str, Any]:
    claims: dict[str, Any] = jwt.decode(token, options={"verify_signature": False})
    return claims


def _unsigned(header: dict[str, Any], claims: dict[str, Any]) -> str:
    return f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}"


@pytest.fixture
async def access_token(client: Client) -> str:
    await register(client)
    token: str = (await login(client))["access_token"]
    return token


async def _me(client: Client, token: str) -> int:
    response = await client.get("/api/v1/me", headers=bearer(token))
    if response.status_code == 401:
        assert response.headers["content-type"] == "application/problem+json"
        assert response.headers["www-authenticate"].startswith("Bearer")
    return response.status_code


async def test_the_genuine_token_works(client: Client, access_token: str) -> None:
    assert await _me(client, access_token) == 200


async def test_alg_none_is_refused(client: Client, access_token: str) -> None:
    forged = _unsigned({"alg": "none", "typ": "JWT"}, _claims(access_token)) + "."
    assert await _me(client, forged) == 401


async def test_an_rs256_token_is_refused(client: Client, access_token: str) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    forged = jwt.encode(_claims(access_token), key, algorithm="RS256")
    assert await _me(client, forged) == 401


async def test_hs256_signed_with_a_public_key_as_secret_is_refused(
    client: Client, access_token: str
) -> None:
    public_pem = (
        rsa.generate_private_key(public_exponent=65537, key_size=2048)
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    signing_input = _unsigned({"alg": "HS256", "typ": "JWT"}, _claims(access_token))
    signature = hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()
    assert await _me(client, f"{signing_input}.{_b64(signature)}") == 401


async def test_an_expired_token_is_refused(client: Client, access_token: str) -> None:
    signature = access_token.rsplit(".", 1)[1]
    claims = _claims(access_token) | {"exp": int(time.time()) - 60, "iat": int(time.time()) - 1000}
    # Re-signing needs the key, which an attacker lacks; so also try an honest stale token:
    stale = _unsigned({"alg": "HS256", "typ": "JWT"}, claims) + "." + signature
    assert await _me(client, stale) == 401


async def test_a_tampered_payload_is_refused(client: Client, access_token: str) -> None:
    header, _, signature = access_token.split(".")
    claims = _claims(access_token) | {"sub": "00000000-0000-0000-0000-000000000001"}
    payload = _b64(json.dumps(claims).encode())
    assert await _me(client, f"{header}.{payload}.{signature}") == 401


@pytest.mark.parametrize(
    ("claim", "value"),
    [("aud", "another-api"), ("iss", "someone-else"), ("exp", 1), ("jti", None), ("sub", None)],
)
async def test_tokens_with_a_wrong_or_missing_claim_are_refused(
    client: Client, access_token: str, claim: str, value: Any
) -> None:
    from adapters.http.auth.tokens import TokenKeys
    from tests.integration.http.conftest import SECRET

    claims = _claims(access_token)
    if value is None:
        claims.pop(claim)
    else:
        claims[claim] = value
    # Signed with the real key: only the claim check can refuse it.
    forged = jwt.encode(claims, TokenKeys.derive(SECRET).jwt_secret, algorithm="HS256")
    assert await _me(client, forged) == 401


@pytest.mark.parametrize(
    "header",
    [
        "",
        "Bearer",
        "Bearer ",
        "Basic dXNlcjpwYXNz",
        "Token abc",
        "Bearer not.a.jwt",
        "Bearer ftp_x",
    ],
)
async def test_malformed_authorization_headers_are_refused(client: Client, header: str) -> None:
    response = await client.get("/api/v1/me", headers={"Authorization": header} if header else {})
    assert response.status_code == 401


async def test_logout_revokes_the_access_token_and_its_refresh_token(client: Client) -> None:
    await register(client)
    tokens = await login(client)
    other = await login(client)  # a second session must survive
    response = await client.post("/api/v1/auth/logout", headers=bearer(tokens["access_token"]))
    assert response.status_code == 204
    assert await _me(client, tokens["access_token"]) == 401
    refreshed = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}
    )
    assert refreshed.status_code == 401
    assert await _me(client, other["access_token"]) == 200


async def test_a_password_change_revokes_every_session(client: Client) -> None:
    await register(client)
    first, second = await login(client), await login(client)
    new_password = "another quite long passphrase"
    response = await client.post(
        "/api/v1/auth/password",
        json={"current_password": PASSWORD, "new_password": new_password},
        headers=bearer(first["access_token"]),
    )
    assert response.status_code == 204, response.text
    for session in (first, second):
        assert await _me(client, session["access_token"]) == 401
        refreshed = await client.post(
            "/api/v1/auth/refresh", json={"refresh_token": session["refresh_token"]}
        )
        assert refreshed.status_code == 401
    assert await _me(client, (await login(client, password=new_password))["access_token"]) == 200


async def test_a_wrong_current_password_changes_nothing(client: Client) -> None:
    await register(client)
    tokens = await login(client)
    response = await client.post(
        "/api/v1/auth/password",
        json={"current_password": "not the password at all", "new_password": "x" * 11 + "yz!"},
        headers=bearer(tokens["access_token"]),
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "current_password"
    assert await _me(client, tokens["access_token"]) == 200


async def test_a_token_accepted_before_is_refused_once_its_session_is_revoked(
    client: Client,
) -> None:
    await register(client)
    tokens = await login(client)
    assert await _me(client, tokens["access_token"]) == 200  # verified, and remembered

    response = await client.post("/api/v1/auth/logout", headers=bearer(tokens["access_token"]))

    assert response.status_code == 204
    assert await _me(client, tokens["access_token"]) == 401


async def test_a_session_revoked_by_another_process_is_refused_within_the_cache_time(
    client: Client, engine: AsyncEngine
) -> None:
    await register(client)
    tokens = await login(client)
    assert await _me(client, tokens["access_token"]) == 200  # active, and remembered a moment

    async with engine.begin() as conn:  # what a logout on another worker process writes
        await conn.execute(sa.update(auth_sessions).values(revoked_ms=int(time.time() * 1000)))
    await asyncio.sleep(ACTIVE_SESSION_CACHE_S + 0.1)

    assert await _me(client, tokens["access_token"]) == 401


async def test_a_token_accepted_before_is_refused_once_it_expires(
    client: Client, access_token: str
) -> None:
    from adapters.http.auth.tokens import TokenKeys
    from tests.integration.http.conftest import SECRET

    expires = int(time.time()) + 2
    short = jwt.encode(
        _claims(access_token) | {"exp": expires},
        TokenKeys.derive(SECRET).jwt_secret,
        algorithm="HS256",
    )
    assert await _me(client, short) == 200  # verified, and remembered

    await asyncio.sleep(max(expires - time.time(), 0) + 0.1)

    assert await _me(client, short) == 401
