"""User ids derived from e-mail addresses under a secret key.

Sign-in finds a user by computing the id from the address, so the database holds no e-mail index,
and a second registration of an address collides with the first aggregate. The key is derived from
the secret key file: changing that file orphans every account, so it must never be rotated.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from uuid import UUID

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF


def user_id_derivation(secret: bytes) -> Callable[[str], UUID]:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"fintrack user id").derive(
        secret
    )

    def user_id_for(normalised_email: str) -> UUID:
        digest = hmac.new(key, normalised_email.encode(), hashlib.sha256).digest()
        return UUID(bytes=digest[:16], version=4)  # a valid v4 UUID, indistinguishable from random

    return user_id_for
