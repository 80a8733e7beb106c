"""Sign-in use cases of the HTTP edge: sessions, token rotation, throttling, personal tokens.

The user records and password checks belong to ``application.users`` (the ``UserAccounts`` port,
synchronous, so every call goes to a worker thread); this module only adds what HTTP credentials
need on top of them. Login throttling is ours, not Litestar's ``RateLimitConfig``: it counts
*failures* per *account* (whatever the client address), and keeps them in the database so every
worker process and replica sees the same count. ``RateLimitConfig`` still guards the auth routes
per client address (see ``app.py``).
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from uuid import UUID

import anyio.to_thread
from litestar.security.jwt import Token

from adapters.http.auth.store import AuthStore, PersonalToken, Rotation
from adapters.http.auth.tokens import (
    ALGORITHM,
    AUDIENCE,
    ISSUER,
    PERSONAL_PREFIX,
    REFRESH_PREFIX,
    Principal,
    Scope,
    TokenKeys,
    looks_like,
    new_opaque_token,
)
from application.auth_port import PasswordPolicy
from application.ttl_cache import TTLCache
from application.users_port import UserAccounts, UserView
from domain.errors import NotFound, RuleBroken

Clock = Callable[[], datetime]
# A session found active is trusted this long without asking the database again, so a burst of
# requests with one access token costs one query. A revocation in this process forgets it at
# once; other worker processes and replicas see a revocation within this many seconds.
ACTIVE_SESSION_CACHE_S = 1.0
ACTIVE_SESSIONS_CACHED = 10_000


def utc_now() -> datetime:
    return datetime.now(UTC)


class InvalidCredentials(Exception):  # noqa: N818 - named like the domain errors
    """Wrong e-mail or password, or an unusable token: one answer for all, 401."""


class TooManyAttempts(Exception):  # noqa: N818 - named like the domain errors
    """Sign-in is throttled for this account or client; 429 with ``Retry-After``."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many failed sign-ins; retry in {retry_after} s")
        self.retry_after = retry_after


class PasswordRejected(RuleBroken):
    """A new password breaks the password policy (422)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.field = "password"


class CurrentPasswordWrong(RuleBroken):
    def __init__(self) -> None:
        super().__init__("the current password is not right")
        self.field = "current_password"


@dataclass(frozen=True, slots=True)
class AuthPolicy:
    access_ttl: timedelta = timedelta(minutes=15)
    refresh_ttl: timedelta = timedelta(days=14)
    session_ttl: timedelta = timedelta(days=90)  # absolute: a family never outlives this
    failure_window: timedelta = timedelta(minutes=15)
    failures_per_account: int = 5
    failures_per_client: int = 50


@dataclass(frozen=True, slots=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int


@dataclass(slots=True)
class SignIn:
    users: UserAccounts
    store: AuthStore
    keys: TokenKeys
    policy: PasswordPolicy
    clock: Clock = utc_now
    limits: AuthPolicy = field(default_factory=AuthPolicy)
    _active: TTLCache[UUID, bool] = field(
        default_factory=lambda: TTLCache(ACTIVE_SESSIONS_CACHED, ACTIVE_SESSION_CACHE_S),
        init=False,
        repr=False,
    )

    # -- accounts ---------------------------------------------------------------------------
    async def register(
        self, email: str, password: str, first_name: str, last_name: str
    ) -> UserView:
        self._check_new_password(password, email)
        user_id = await anyio.to_thread.run_sync(
            lambda: self.users.register(email, password, first_name, last_name)
        )
        return await anyio.to_thread.run_sync(self.users.get, user_id)

    async def me(self, principal: Principal) -> UserView:
        return await anyio.to_thread.run_sync(self.users.get, principal.user_id)

    async def change_password(self, principal: Principal, current: str, new: str) -> None:
        """A stolen access token must not become a password-guessing oracle: the current
        password is checked under the same per-account throttle as a login."""
        view = await self.me(principal)
        self._check_new_password(new, view.email)
        now_ms = self._now_ms()
        account = self._account_subject(view.email)
        window_ms = _ms(self.limits.failure_window)
        await self._throttle(account, self.limits.failures_per_account, now_ms, window_ms)
        if await anyio.to_thread.run_sync(self.users.authenticate, view.email, current) is None:
            await self.store.record_failure([account], now_ms, window_ms)
            raise CurrentPasswordWrong
        await anyio.to_thread.run_sync(self.users.change_password, principal.user_id, current, new)
        await self.store.revoke_user_sessions(principal.user_id, self._now_ms(), "password")
        self._active.clear()

    def _account_subject(self, email: str) -> str:
        return self.keys.subject("account", email.strip().casefold())

    def _check_new_password(self, password: str, email: str) -> None:
        if (reason := self.policy.problem(password, email=email)) is not None:
            raise PasswordRejected(reason)

    # -- sessions -----------------------------------------------------------------------------
    async def login(self, email: str, password: str, client: str) -> TokenPair:
        now_ms = self._now_ms()
        account = self._account_subject(email)
        client_subject = f"client:{client[:60]}"
        window_ms = _ms(self.limits.failure_window)
        # Refuse before checking the password: a throttled account answers 429 whether or not
        # the password is right, so guessing goes no faster than the limit allows.
        await self._throttle(account, self.limits.failures_per_account, now_ms, window_ms)
        await self._throttle(client_subject, self.limits.failures_per_client, now_ms, window_ms)
        user_id = await anyio.to_thread.run_sync(self.users.authenticate, email, password)
        if user_id is None:
            await self.store.record_failure([account, client_subject], now_ms, window_ms)
            raise InvalidCredentials
        await self.store.clear_failures(account)
        return await self._start_session(user_id, now_ms)

    async def refresh(self, refresh_token: str) -> TokenPair:
        if not looks_like(refresh_token, REFRESH_PREFIX):
            raise InvalidCredentials
        now_ms = self._now_ms()
        new_refresh = new_opaque_token(REFRESH_PREFIX)
        result = await self.store.rotate_refresh(
            token_hash=self.keys.token_hash(refresh_token),
            new_hash=self.keys.token_hash(new_refresh),
            now_ms=now_ms,
            new_expires_ms=now_ms + _ms(self.limits.refresh_ttl),
        )
        if result.outcome is not Rotation.ROTATED:
            if result.session_id is not None:
                self._active.discard(result.session_id)
            raise InvalidCredentials  # REUSED has revoked the family already
        if result.user_id is None or result.session_id is None:
            raise InvalidCredentials
        return self._pair(result.user_id, result.session_id, new_refresh)

    async def logout(self, principal: Principal) -> None:
        if principal.session_id is not None:
            await self.store.revoke_session(principal.session_id, self._now_ms(), "logout")
            self._active.discard(principal.session_id)

    async def session_active(self, session_id: UUID) -> bool:
        if self._active.get(session_id):
            return True
        active = await self.store.session_active(session_id, self._now_ms())
        if active:
            self._active.put(session_id, True)
        return active

    async def _start_session(self, user_id: UUID, now_ms: int) -> TokenPair:
        session_id = uuid.uuid4()
        refresh = new_opaque_token(REFRESH_PREFIX)
        await self.store.start_session(
            user_id=user_id,
            session_id=session_id,
            refresh_hash=self.keys.token_hash(refresh),
            now_ms=now_ms,
            refresh_expires_ms=now_ms + _ms(self.limits.refresh_ttl),
            session_expires_ms=now_ms + _ms(self.limits.session_ttl),
        )
        return self._pair(user_id, session_id, refresh)

    def _pair(self, user_id: UUID, session_id: UUID, refresh: str) -> TokenPair:
        # Litestar's Token (what JWTAuth decodes), so both sides agree on the claim format.
        access = Token(
            sub=str(user_id),
            exp=datetime.now(UTC) + self.limits.access_ttl,
            iss=ISSUER,
            aud=AUDIENCE,
            jti=uuid.uuid4().hex,
            extras={"sid": str(session_id), "scope": "read-write"},
        ).encode(secret=self.keys.jwt_secret, algorithm=ALGORITHM)
        return TokenPair(access, refresh, int(self.limits.access_ttl.total_seconds()))

    async def _throttle(self, subject: str, limit: int, now_ms: int, window_ms: int) -> None:
        recent = await self.store.recent_failures(subject, now_ms - window_ms)
        if len(recent) >= limit:
            # Free again when the limit-th newest failure leaves the window.
            retry_ms = recent[limit - 1] + window_ms - now_ms
            raise TooManyAttempts(max(1, math.ceil(retry_ms / 1000)))

    # -- personal access tokens ---------------------------------------------------------------
    async def create_personal_token(
        self, principal: Principal, name: str, scope: Scope, expires_in_days: int | None
    ) -> tuple[PersonalToken, str]:
        now_ms = self._now_ms()
        expires_ms = None if expires_in_days is None else now_ms + expires_in_days * 86_400_000
        secret = new_opaque_token(PERSONAL_PREFIX)
        token = PersonalToken(uuid.uuid4(), principal.user_id, name, scope, now_ms, expires_ms)
        await self.store.add_personal_token(token, self.keys.token_hash(secret))
        return token, secret

    async def personal_tokens(self, principal: Principal) -> list[PersonalToken]:
        return await self.store.personal_tokens(principal.user_id)

    async def revoke_personal_token(self, principal: Principal, token_id: UUID) -> None:
        if not await self.store.revoke_personal_token(principal.user_id, token_id, self._now_ms()):
            raise NotFound(f"personal access token {token_id} does not exist")

    async def principal_for_personal_token(self, secret: str) -> Principal | None:
        if not looks_like(secret, PERSONAL_PREFIX):
            return None
        token = await self.store.find_personal_token(self.keys.token_hash(secret), self._now_ms())
        if token is None or token.scope not in ("read", "read-write"):
            return None
        scope: Scope = "read" if token.scope == "read" else "read-write"
        return Principal(user_id=token.user_id, scope=scope, personal_token_id=token.id)

    def _now_ms(self) -> int:
        return int(self.clock().timestamp() * 1000)


def _ms(delta: timedelta) -> int:
    return int(delta.total_seconds() * 1000)
