"""Litestar ``JWTAuth``, extended by one thing it lacks: opaque personal access tokens.

Everything JWT is Litestar's (decode with an algorithm allow-list, required claims, audience and
issuer checks, the OpenAPI security scheme); we add a strict ``Bearer`` scheme check, personal
access tokens (``ftp_…``, looked up by hash), and the revocation check by session.

A token string that passed verification is remembered until it expires, so a client's next
requests skip the signature and claim checks (~0.1 ms each). Only the verification is reused:
the session (revocation) check still runs on every request.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any
from uuid import UUID

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.middleware import DefineMiddleware
from litestar.middleware.authentication import AuthenticationResult
from litestar.openapi.spec import Components, SecurityScheme
from litestar.security.jwt import JWTAuth, JWTAuthenticationMiddleware, Token

from adapters.http.auth.tokens import ALGORITHM, AUDIENCE, ISSUER, PERSONAL_PREFIX, Principal
from application.ttl_cache import TTLCache

if TYPE_CHECKING:
    from litestar.handlers.base import BaseRouteHandler

    from adapters.http.auth.service import SignIn

PersonalTokenResolver = Callable[[str], Awaitable[Principal | None]]
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
VERIFIED_TOKENS = 4096  # per route handler; an entry is a few hundred bytes
VERIFIED_TTL_S = 300.0  # an entry is also never used past its token's own expiry


class FintrackAuthMiddleware(JWTAuthenticationMiddleware):
    def __init__(self, *args: Any, personal_tokens: PersonalTokenResolver, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.personal_tokens = personal_tokens
        self._verified: TTLCache[str, Token] = TTLCache(VERIFIED_TOKENS, VERIFIED_TTL_S)

    async def authenticate_request(
        self, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> AuthenticationResult:
        scheme, _, credentials = connection.headers.get(self.auth_header, "").partition(" ")
        credentials = credentials.strip()
        if scheme.lower() != "bearer" or not credentials:
            raise NotAuthorizedException("a bearer token is required")
        if credentials.startswith(PERSONAL_PREFIX):
            principal = await self.personal_tokens(credentials)
            if principal is None:
                raise NotAuthorizedException("invalid token")
            result = AuthenticationResult(user=principal, auth=None)
        else:
            result = await self.authenticate_token(encoded_token=credentials, connection=connection)
        # Here, not in a guard: Litestar copies the route handler for every guard of a request.
        if not result.user.can_write and connection.scope.get("method", "GET") not in SAFE_METHODS:
            raise PermissionDeniedException("this token may only read")
        return result

    async def authenticate_token(
        self, encoded_token: str, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> AuthenticationResult:
        token = self._verified.get(encoded_token)
        if token is None or token.exp <= datetime.now(UTC):  # verify (an expired one fails)
            result = await super().authenticate_token(encoded_token, connection)
            self._verified.put(encoded_token, result.auth)
            return result
        # Litestar's steps after decoding, unchanged: the user, then the revocation check.
        user = await self.retrieve_user_handler(token, connection)
        revoked = self.revoked_token_handler is not None and await self.revoked_token_handler(
            token, connection
        )
        if not user or revoked:
            raise NotAuthorizedException()
        return AuthenticationResult(user=user, auth=token)


@dataclass
class FintrackJWTAuth(JWTAuth[Principal, Token]):
    personal_tokens: PersonalTokenResolver | None = field(default=None)

    @property
    def openapi_components(self) -> Components:
        """Litestar adds ``name`` to an ``http`` scheme, which OpenAPI 3.1 does not allow."""
        scheme = SecurityScheme(
            type="http", scheme="bearer", bearer_format="JWT", description=self.description
        )
        return Components(security_schemes={self.openapi_security_scheme_name: scheme})

    @property
    def middleware(self) -> DefineMiddleware:
        defined = super().middleware
        defined.kwargs["personal_tokens"] = self.personal_tokens
        return defined


def build_jwt_auth(sign_in: SignIn, exclude: Sequence[str]) -> FintrackJWTAuth:

    async def principal_from_token(
        token: Token, _: ASGIConnection[Any, Any, Any, Any]
    ) -> Principal | None:
        try:
            user_id = UUID(token.sub)
            session_id = UUID(str(token.extras["sid"]))
        except (KeyError, ValueError, TypeError):
            return None
        if token.extras.get("scope") != "read-write":
            return None
        return Principal(user_id=user_id, scope="read-write", session_id=session_id)

    async def revoked(token: Token, _: ASGIConnection[Any, Any, Any, Any]) -> bool:
        try:
            session_id = UUID(str(token.extras["sid"]))
        except (KeyError, ValueError, TypeError):
            return True
        return not await sign_in.session_active(session_id)

    async def personal(secret: str) -> Principal | None:
        return await sign_in.principal_for_personal_token(secret)

    return FintrackJWTAuth(
        token_secret=sign_in.keys.jwt_secret,
        retrieve_user_handler=principal_from_token,
        revoked_token_handler=revoked,
        personal_tokens=personal,
        algorithm=ALGORITHM,
        default_token_expiration=timedelta(minutes=15),
        accepted_audiences=[AUDIENCE],
        accepted_issuers=[ISSUER],
        strict_audience=True,
        require_claims=["exp", "iat", "sub", "jti", "aud", "iss"],
        authentication_middleware_class=FintrackAuthMiddleware,
        exclude=list(exclude),
        description="An access token from POST /api/v1/auth/login, or a personal access token.",
    )


# Async on purpose: Litestar runs a sync guard in a worker thread, which would cost every
# request a thread hop.


async def sessions_only(
    connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler
) -> None:
    """For credential management: a personal access token cannot mint or revoke credentials."""
    principal = connection.scope.get("user")
    if not isinstance(principal, Principal) or principal.session_id is None:
        raise PermissionDeniedException("sign in with your password to manage credentials")
