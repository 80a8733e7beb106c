"""OpenAPI 3.1: the config, the Problem schema, and a helper that documents each operation's
answers with an example (Litestar's ``responses`` + ``ResponseSpec`` + ``Example``).

The docs UI is Swagger UI served from our own files (``static/docs``, see its README): Litestar's
``SwaggerRenderPlugin`` would load it from a CDN and start it with an inline script holding the
whole schema, which a strict CSP forbids. Our page has no inline code at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import msgspec
from litestar import Response
from litestar.connection import Request
from litestar.openapi import OpenAPIConfig
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.plugins import JsonRenderPlugin, SwaggerRenderPlugin
from litestar.openapi.spec import Components, Example, Operation, Server
from litestar.router import Router
from litestar.status_codes import HTTP_404_NOT_FOUND

DOCS_ASSETS = "/static/docs"


@dataclass
class PublicOperation(Operation):
    """An operation that needs no token: ``security: []`` overrides the document's default."""

    def __post_init__(self) -> None:
        self.security = []


class FieldError(msgspec.Struct):
    field: str
    source: str
    message: str


class Problem(msgspec.Struct, omit_defaults=True):
    """RFC 9457 problem details, sent as ``application/problem+json``."""

    type: str
    title: str
    status: int
    detail: str = ""
    errors: list[FieldError] = msgspec.field(default_factory=list)


_PROBLEM_EXAMPLES: dict[int, dict[str, Any]] = {
    400: {
        "type": "urn:fintrack:problem:invalid-request",
        "title": "Bad Request",
        "status": 400,
        "detail": "Validation failed for POST /api/v1/auth/register",
        "errors": [{"field": "email", "source": "body", "message": "Expected `str`, got `int`"}],
    },
    401: {
        "type": "urn:fintrack:problem:unauthorized",
        "title": "Unauthorized",
        "status": 401,
        "detail": "the e-mail address, password or token is not valid",
    },
    403: {
        "type": "about:blank",
        "title": "Forbidden",
        "status": 403,
        "detail": "this token may only read",
    },
    404: {
        "type": "urn:fintrack:problem:not-found",
        "title": "Not Found",
        "status": 404,
        "detail": "Not Found",
    },
    409: {
        "type": "urn:fintrack:problem:conflict",
        "title": "Conflict",
        "status": 409,
        "detail": "this e-mail address is already registered",
    },
    422: {
        "type": "urn:fintrack:problem:rule-broken",
        "title": "Unprocessable Content",
        "status": 422,
        "detail": "a password needs at least 12 characters",
        "errors": [
            {
                "field": "password",
                "source": "body",
                "message": "a password needs at least 12 characters",
            }
        ],
    },
    413: {
        "type": "about:blank",
        "title": "Request Entity Too Large",
        "status": 413,
        "detail": "the request body is larger than 1 MiB",
    },
    415: {
        "type": "about:blank",
        "title": "Unsupported Media Type",
        "status": 415,
        "detail": "send the body as application/json",
    },
    503: {
        "type": "urn:fintrack:problem:projection-lagging",
        "title": "Service Unavailable",
        "status": 503,
        "detail": "the transactions view has reached position 1200, not yet 1234; retry shortly",
    },
    429: {
        "type": "urn:fintrack:problem:too-many-attempts",
        "title": "Too Many Requests",
        "status": 429,
        "detail": "too many failed sign-ins; retry in 840 s",
    },
}


def answers(
    status: int,
    model: Any,
    example: Any,
    *,
    description: str,
    problems: tuple[int, ...] = (400,),
) -> dict[int, ResponseSpec]:
    """The success answer with its example, plus each problem status with an example."""
    specs: dict[int, ResponseSpec] = {}
    if model is not None:
        specs[status] = ResponseSpec(
            data_container=model,
            description=description,
            generate_examples=False,
            examples=[Example(summary=description, value=example)],
        )
    for code in problems:
        specs[code] = ResponseSpec(
            data_container=Problem,
            description=_PROBLEM_EXAMPLES[code]["title"],
            media_type="application/problem+json",
            generate_examples=False,
            examples=[
                Example(summary=_PROBLEM_EXAMPLES[code]["title"], value=_PROBLEM_EXAMPLES[code])
            ],
        )
    return specs


class LocalSwaggerRenderPlugin(SwaggerRenderPlugin):
    """Swagger UI from ``/static/docs``: no CDN, no inline script, no inline style."""

    def __init__(self) -> None:
        super().__init__(
            js_url=f"{DOCS_ASSETS}/swagger-ui-bundle.js",
            css_url=f"{DOCS_ASSETS}/swagger-ui.css",
            standalone_preset_js_url=f"{DOCS_ASSETS}/swagger-ui-standalone-preset.js",
            path="/swagger",
            favicon=f"<link rel='icon' type='image/png' href='{DOCS_ASSETS}/favicon-32x32.png'>",
            style="",
        )

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        spec_url = self.get_openapi_json_route(request)
        title = str(openapi_schema["info"]["title"]).replace("<", "&lt;")
        return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>{self.favicon}
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="{self.css_url}"></head>
<body><div id="swagger-ui" data-spec-url="{spec_url}"></div>
<script src="{self.js_url}"></script>
<script src="{self.standalone_preset_js_url}"></script>
<script src="{DOCS_ASSETS}/swagger-init.js"></script>
</body></html>""".encode()

    def receive_router(self, router: Router) -> None:
        """No ``oauth2-redirect.html``: it is an inline script, and the password flow needs none."""


async def _problem_for_missing_page(response: Response[Any]) -> Response[Any]:
    """Litestar answers unknown ``/schema/...`` pages with an HTML 404 *response* (not an
    exception, so the problem-details plugin never sees it); make it a problem detail too."""
    if response.status_code != HTTP_404_NOT_FOUND:
        return response
    body = {"type": "about:blank", "title": "Not Found", "status": 404, "detail": "Not Found"}
    return Response(body, status_code=HTTP_404_NOT_FOUND, media_type="application/problem+json")


def openapi_config(version: str) -> OpenAPIConfig:
    return OpenAPIConfig(
        title="fintrack",
        version=version,
        description="Self-hosted personal finance ledger. Errors are RFC 9457 problem details.",
        path="/schema",
        servers=[Server(url="/")],
        render_plugins=[LocalSwaggerRenderPlugin(), JsonRenderPlugin(path="/openapi.json")],
        openapi_router=Router(
            "/schema",
            route_handlers=[],
            include_in_schema=False,
            after_request=_problem_for_missing_page,
        ),
        components=Components(),
        use_handler_docstrings=False,
    )
