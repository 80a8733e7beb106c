"""Request and response bodies of the sign-in API (snake_case JSON, unknown fields refused)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec

Email = Annotated[str, msgspec.Meta(min_length=3, max_length=254, examples=["ada@example.org"])]
# New passwords: 12..128 is the policy's rule (422 with a reason); the schema only bounds the work.
NewPassword = Annotated[
    str, msgspec.Meta(max_length=1024, examples=["correct horse battery staple"])
]
Password = Annotated[str, msgspec.Meta(max_length=1024)]
Name = Annotated[str, msgspec.Meta(max_length=100)]


class RegisterRequest(msgspec.Struct, forbid_unknown_fields=True):
    email: Email
    password: NewPassword
    first_name: Name = ""
    last_name: Name = ""


class UserOut(msgspec.Struct):
    id: UUID
    email: str
    first_name: str
    last_name: str


class LoginRequest(msgspec.Struct, forbid_unknown_fields=True):
    email: Email
    password: Password


class LoginForm(msgspec.Struct):
    """The OAuth2 password grant form (RFC 6749 4.3); client fields are accepted and ignored."""

    username: Email
    password: Password
    grant_type: Literal["password"] | None = None
    scope: str = ""
    client_id: str | None = None
    client_secret: str | None = None


class TokenResponse(msgspec.Struct):
    access_token: str
    refresh_token: str
    expires_in: int
    token_type: str = "bearer"  # noqa: S105 - the OAuth2 token type, not a secret


class RefreshRequest(msgspec.Struct, forbid_unknown_fields=True):
    refresh_token: Annotated[str, msgspec.Meta(max_length=100)]


class PasswordChange(msgspec.Struct, forbid_unknown_fields=True):
    current_password: Password
    new_password: NewPassword


class PersonalTokenCreate(msgspec.Struct, forbid_unknown_fields=True):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=100, examples=["backup script"])]
    scope: Literal["read", "read-write"] = "read"
    expires_in_days: Annotated[int, msgspec.Meta(ge=1, le=366)] | None = None


class PersonalTokenOut(msgspec.Struct):
    id: UUID
    name: str
    scope: str
    created_at: datetime
    expires_at: datetime | None


class PersonalTokenCreated(msgspec.Struct):
    id: UUID
    name: str
    scope: str
    created_at: datetime
    expires_at: datetime | None
    token: str  # shown this once; only its hash is kept
