"""``/api/v1/auth/*`` and ``/api/v1/me``: thin handlers over ``SignIn``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import msgspec
from litestar import Controller, Request, delete, get, post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.exceptions import ValidationException
from litestar.openapi.spec import Example, RequestBody, Schema
from litestar.openapi.spec import OpenAPIMediaType as MediaType
from litestar.openapi.spec.enums import OpenAPIType
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT

from adapters.http.auth.middleware import sessions_only
from adapters.http.auth.schemas import (
    LoginForm,
    LoginRequest,
    PasswordChange,
    PersonalTokenCreate,
    PersonalTokenCreated,
    PersonalTokenOut,
    RefreshRequest,
    RegisterRequest,
    TokenResponse,
    UserOut,
)
from adapters.http.auth.service import SignIn, TokenPair
from adapters.http.auth.store import PersonalToken
from adapters.http.auth.tokens import Principal
from adapters.http.openapi import PublicOperation, answers
from application.users_port import UserView

USER_EXAMPLE = {
    "id": "0f8fad5b-d9cb-469f-a165-70867728950e",
    "email": "ada@example.org",
    "first_name": "Ada",
    "last_name": "Lovelace",
}
TOKEN_EXAMPLE = {
    "access_token": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIwZjhmIn0.c2lnbmF0dXJl",
    "refresh_token": "ftr_Jm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5",
    "expires_in": 900,
    "token_type": "bearer",
}
PAT_EXAMPLE = {
    "id": "7c9e6679-7425-40de-944b-e07fc1f90ae7",
    "name": "backup script",
    "scope": "read",
    "created_at": "2026-01-31T09:30:00Z",
    "expires_at": None,
}
NO_SECRETS = {"idempotent": False}  # never store a response that carries a secret (idempotency.py)
PUBLIC = {"exclude_from_auth": True, **NO_SECRETS}
CREDENTIALS_MEDIA_TYPES = (RequestEncodingType.JSON.value, RequestEncodingType.URL_ENCODED.value)


@dataclass
class LoginOperation(PublicOperation):
    """Documents both bodies ``POST auth/login`` takes: JSON, or the OAuth2 password form."""

    def __post_init__(self) -> None:
        super().__post_init__()
        string = Schema(type=OpenAPIType.STRING)
        self.request_body = RequestBody(
            required=True,
            content={
                "application/json": MediaType(
                    schema=Schema(
                        type=OpenAPIType.OBJECT,
                        properties={"email": string, "password": string},
                        required=["email", "password"],
                        additional_properties=False,
                    ),
                    examples={
                        "json": Example(
                            value={
                                "email": "ada@example.org",
                                "password": "correct horse battery staple",
                            }
                        )
                    },
                ),
                "application/x-www-form-urlencoded": MediaType(
                    schema=Schema(
                        type=OpenAPIType.OBJECT,
                        properties={"username": string, "password": string, "grant_type": string},
                        required=["username", "password"],
                    ),
                    examples={
                        "form": Example(
                            value={
                                "username": "ada@example.org",
                                "password": "correct horse battery staple",
                                "grant_type": "password",
                            }
                        )
                    },
                ),
            },
        )


class AuthController(Controller):
    path = "/auth"
    tags = ["sign-in"]

    @post(
        "/register",
        opt=PUBLIC,
        status_code=HTTP_201_CREATED,
        operation_id="register",
        operation_class=PublicOperation,
        summary="Create an account",
        responses=answers(
            201, UserOut, USER_EXAMPLE, description="The new user", problems=(400, 409, 422)
        ),
    )
    async def register(
        self, data: JSONBody[RegisterRequest], sign_in: NamedDependency[SignIn]
    ) -> UserOut:
        view = await sign_in.register(data.email, data.password, data.first_name, data.last_name)
        return _user(view)

    @post(
        "/login",
        opt={**PUBLIC, "accepts": CREDENTIALS_MEDIA_TYPES},
        status_code=HTTP_200_OK,
        operation_id="login",
        summary="Sign in with e-mail and password",
        description="JSON `email`/`password`, or the OAuth2 password form `username`/`password`.",
        operation_class=LoginOperation,
        responses=answers(
            200, TokenResponse, TOKEN_EXAMPLE, description="A new session", problems=(400, 401, 429)
        ),
    )
    async def login(
        self, request: Request[Any, Any, Any], sign_in: NamedDependency[SignIn]
    ) -> TokenResponse:
        email, password = await _credentials(request)
        client = request.client.host if request.client else "unknown"
        return _tokens(await sign_in.login(email, password, client))

    @post(
        "/refresh",
        opt=PUBLIC,
        status_code=HTTP_200_OK,
        operation_id="refreshToken",
        operation_class=PublicOperation,
        summary="Trade a refresh token for a new token pair",
        description="Each refresh token works once; presenting a spent one ends the whole session.",
        responses=answers(
            200, TokenResponse, TOKEN_EXAMPLE, description="The rotated pair", problems=(400, 401)
        ),
    )
    async def refresh(
        self, data: JSONBody[RefreshRequest], sign_in: NamedDependency[SignIn]
    ) -> TokenResponse:
        return _tokens(await sign_in.refresh(data.refresh_token))

    @post(
        "/logout",
        guards=[sessions_only],
        status_code=HTTP_204_NO_CONTENT,
        operation_id="logout",
        summary="End this session (its refresh tokens and access tokens)",
        responses=answers(204, None, None, description="Signed out", problems=(401, 403)),
    )
    async def logout(
        self, request: Request[Principal, Any, Any], sign_in: NamedDependency[SignIn]
    ) -> None:
        await sign_in.logout(request.user)

    @post(
        "/password",
        guards=[sessions_only],
        status_code=HTTP_204_NO_CONTENT,
        operation_id="changePassword",
        summary="Change the password and end every session",
        responses=answers(204, None, None, description="Changed", problems=(400, 401, 403, 422)),
    )
    async def change_password(
        self,
        data: JSONBody[PasswordChange],
        request: Request[Principal, Any, Any],
        sign_in: NamedDependency[SignIn],
    ) -> None:
        await sign_in.change_password(request.user, data.current_password, data.new_password)

    @get(
        "/tokens",
        guards=[sessions_only],
        operation_id="listPersonalTokens",
        summary="List personal access tokens",
        responses=answers(
            200,
            list[PersonalTokenOut],
            [PAT_EXAMPLE],
            description="Active tokens",
            problems=(401, 403),
        ),
    )
    async def list_tokens(
        self, request: Request[Principal, Any, Any], sign_in: NamedDependency[SignIn]
    ) -> list[PersonalTokenOut]:
        return [_token_out(token) for token in await sign_in.personal_tokens(request.user)]

    @post(
        "/tokens",
        guards=[sessions_only],
        opt=NO_SECRETS,
        status_code=HTTP_201_CREATED,
        operation_id="createPersonalToken",
        summary="Create a personal access token (its secret is shown once)",
        responses=answers(
            201,
            PersonalTokenCreated,
            {**PAT_EXAMPLE, "token": "ftp_3q2-7wEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"},
            description="The token and its secret",
            problems=(400, 401, 403),
        ),
    )
    async def create_token(
        self,
        data: JSONBody[PersonalTokenCreate],
        request: Request[Principal, Any, Any],
        sign_in: NamedDependency[SignIn],
    ) -> PersonalTokenCreated:
        token, secret = await sign_in.create_personal_token(
            request.user, data.name, data.scope, data.expires_in_days
        )
        out = _token_out(token)
        return PersonalTokenCreated(
            out.id, out.name, out.scope, out.created_at, out.expires_at, secret
        )

    @delete(
        "/tokens/{token_id:uuid}",
        guards=[sessions_only],
        status_code=HTTP_204_NO_CONTENT,
        operation_id="revokePersonalToken",
        summary="Revoke a personal access token",
        responses=answers(204, None, None, description="Revoked", problems=(401, 403, 404)),
    )
    async def revoke_token(
        self,
        token_id: FromPath[UUID],
        request: Request[Principal, Any, Any],
        sign_in: NamedDependency[SignIn],
    ) -> None:
        await sign_in.revoke_personal_token(request.user, token_id)


@get(
    "/me",
    tags=["sign-in"],
    operation_id="me",
    summary="The signed-in user",
    responses=answers(200, UserOut, USER_EXAMPLE, description="The user", problems=(401,)),
)
async def me(request: Request[Principal, Any, Any], sign_in: NamedDependency[SignIn]) -> UserOut:
    return _user(await sign_in.me(request.user))


async def _credentials(request: Request[Any, Any, Any]) -> tuple[str, str]:
    """Decode either body with the same strictness Litestar applies to ``data``."""
    try:
        if request.content_type[0] == RequestEncodingType.URL_ENCODED:
            form = await request.form()
            fields = {key: form.get(key) for key in form}
            login_form = msgspec.convert(fields, LoginForm, strict=False)
            return login_form.username, login_form.password
        body = msgspec.json.decode(await request.body(), type=LoginRequest)
        return body.email, body.password
    except (msgspec.DecodeError, msgspec.ValidationError) as error:
        raise ValidationException(
            detail=f"Validation failed for POST {request.url.path}",
            extra=[{"message": str(error), "key": "data", "source": "body"}],
        ) from None


def _user(view: UserView) -> UserOut:
    return UserOut(view.id, view.email, view.first_name, view.last_name)


def _tokens(pair: TokenPair) -> TokenResponse:
    return TokenResponse(pair.access_token, pair.refresh_token, pair.expires_in)


def _token_out(token: PersonalToken) -> PersonalTokenOut:
    return PersonalTokenOut(
        id=token.id,
        name=token.name,
        scope=token.scope,
        created_at=_at(token.created_ms),
        expires_at=None if token.expires_ms is None else _at(token.expires_ms),
    )


def _at(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, UTC)
