from __future__ import annotations

from tests.integration.http.conftest import PASSWORD, Client, bearer, login, register


async def test_a_registered_user_signs_in_and_reads_me(client: Client) -> None:
    user = await register(client, first_name="Ada")
    tokens = await login(client)
    me = await client.get("/api/v1/me", headers=bearer(tokens["access_token"]))
    assert me.status_code == 200, me.text
    assert me.json() == user
    assert tokens["token_type"] == "bearer"
    assert 800 <= tokens["expires_in"] <= 900


async def test_the_oauth2_password_form_signs_in_too(client: Client) -> None:
    await register(client)
    response = await client.post(
        "/api/v1/auth/login",
        data={"username": "ada@example.org", "password": PASSWORD, "grant_type": "password"},
    )
    assert response.status_code == 200, response.text
    assert response.json()["token_type"] == "bearer"
    me = await client.get("/api/v1/me", headers=bearer(response.json()["access_token"]))
    assert me.status_code == 200


async def test_a_form_without_a_password_is_a_400_naming_the_field(client: Client) -> None:
    response = await client.post("/api/v1/auth/login", data={"username": "ada@example.org"})
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == "password"
