"""Keys and token formats: HS256 access JWTs, opaque refresh tokens and personal access tokens.

Access tokens go through Litestar's ``JWTAuth`` (PyJWT underneath) with an algorithm allow-list of
exactly ``["HS256"]`` and ``exp``/``iat``/``aud``/``iss``/``sub``/``jti`` required, so ``alg=none``,
RS256 and "public key as HMAC secret" tokens all fail verification. Refresh tokens and personal
access tokens are opaque 256-bit random strings with a type prefix (``ftr_``/``ftp_``, easy for
secret scanners); only their HMAC-SHA256 is stored.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from uuid import UUID

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from adapters.crypto.key_file import load_or_create_key_file

ISSUER = "fintrack"
AUDIENCE = "fintrack-api"
ALGORITHM = "HS256"
REFRESH_PREFIX = "ftr_"
PERSONAL_PREFIX = "ftp_"

Scope = Literal["read", "read-write"]


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: set as ``request.user`` by the authentication middleware."""

    user_id: UUID
    scope: Scope
    session_id: UUID | None = None  # set for access tokens from a sign-in
    personal_token_id: UUID | None = None  # set for personal access tokens

    @property
    def can_write(self) -> bool:
        return self.scope == "read-write"


@dataclass(frozen=True, slots=True)
class TokenKeys:
    jwt_secret: str  # HS256 key for access tokens (hex of 32 derived bytes)
    mac_key: bytes  # HMAC key for stored hashes of refresh/personal tokens and throttle subjects

    @classmethod
    def derive(cls, secret: bytes) -> TokenKeys:
        if len(secret) < 32:
            raise ValueError("the app secret needs at least 32 bytes")
        return cls(
            jwt_secret=_hkdf(secret, b"fintrack/http/access-token/hs256/v1").hex(),
            mac_key=_hkdf(secret, b"fintrack/http/token-hash/v1"),
        )

    def token_hash(self, token: str) -> bytes:
        return hmac.new(self.mac_key, token.encode(), hashlib.sha256).digest()

    def subject(self, kind: str, value: str) -> str:
        """A throttle subject that does not store the e-mail address itself."""
        digest = hmac.new(self.mac_key, value.encode(), hashlib.sha256).hexdigest()[:40]
        return f"{kind}:{digest}"


def load_secret(key_file: Path) -> bytes:
    """The app secret (``FINTRACK_SECRET_KEY_FILE``), created 0600 on first run; the lead may swap
    this for another loader: anything returning 32+ secret bytes will do."""
    return load_or_create_key_file(key_file, create=True)


def _hkdf(secret: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(secret)


def new_opaque_token(prefix: str) -> str:
    return prefix + base64.urlsafe_b64encode(secrets.token_bytes(32)).rstrip(b"=").decode()


def looks_like(token: str, prefix: str) -> bool:
    return token.startswith(prefix) and 40 <= len(token) <= 60
