"""The OpenAPI 3.1 document: every operation has an id, a summary and an example."""

from __future__ import annotations

from typing import Any

from tests.integration.http.conftest import Client

METHODS = {"get", "put", "post", "delete", "patch", "head", "options"}


async def _document(client: Client) -> dict[str, Any]:
    response = await client.get("/schema/openapi.json")
    assert response.status_code == 200
    document: dict[str, Any] = response.json()
    return document


def _has_example(operation: dict[str, Any]) -> bool:
    bodies = [operation.get("requestBody", {}), *operation.get("responses", {}).values()]
    return any(
        media.get("examples") or media.get("example")
        for body in bodies
        for media in body.get("content", {}).values()
    )


async def test_the_document_is_openapi_3_1(client: Client) -> None:
    document = await _document(client)
    assert document["openapi"].startswith("3.1")
    assert "/api/v1/auth/login" in document["paths"]
    assert "/health/ready" in document["paths"]


async def test_every_operation_has_an_id_a_summary_and_an_example(client: Client) -> None:
    document = await _document(client)
    operations = [
        (path, method, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]
    assert len(operations) >= 11
    ids = [operation.get("operationId") for _, _, operation in operations]
    assert all(ids)
    assert len(set(ids)) == len(ids)
    for path, method, operation in operations:
        assert operation.get("summary"), (method, path)
        assert _has_example(operation), (method, path)


async def test_login_documents_both_the_json_and_the_form_body(client: Client) -> None:
    login = (await _document(client))["paths"]["/api/v1/auth/login"]["post"]
    assert set(login["requestBody"]["content"]) == {
        "application/json",
        "application/x-www-form-urlencoded",
    }


async def test_the_document_validates_against_the_openapi_3_1_schema(client: Client) -> None:
    import schemathesis

    schema = schemathesis.openapi.from_dict(await _document(client))
    schema.validate()  # the OpenAPI 3.1 meta-schema, through jsonschema-rs
    assert len(list(schema.get_all_operations())) >= 11
