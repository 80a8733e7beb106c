"""Opaque, signed keyset cursors: the last row's sort value and id, bound to the sort order.

``<base64url(json)>.<base64url(hmac-sha256[:16])>``. A cursor that was altered, made for another
sort order or is not a cursor at all is an ``InvalidQuery`` on ``cursor``; the signature means
a crafted cursor can never reach SQL.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from datetime import date
from uuid import UUID

from projections.errors import InvalidQuery
from projections.transaction_views import TransactionSort

_TAG_BYTES = 16
MAX_CURSOR_LENGTH = 512


class CursorCodec:
    def __init__(self, secret_key: bytes) -> None:
        self._key = hmac.new(secret_key, b"fintrack list cursor", hashlib.sha256).digest()

    def encode(self, sort: TransactionSort, value: date | int, id_: UUID) -> str:
        shown = value.isoformat() if isinstance(value, date) else value
        body = json.dumps([sort.value, shown, id_.hex], separators=(",", ":")).encode()
        return f"{_b64(body)}.{_b64(self._sign(body))}"

    def decode(self, cursor: str, sort: TransactionSort) -> tuple[date | int, UUID]:
        try:
            if len(cursor) > MAX_CURSOR_LENGTH:
                raise ValueError
            body_text, tag_text = cursor.split(".")
            body, tag = _unb64(body_text), _unb64(tag_text)
        except (ValueError, binascii.Error):
            raise InvalidQuery("cursor", "is not a cursor of this list") from None
        if not hmac.compare_digest(tag, self._sign(body)):
            raise InvalidQuery("cursor", "is not a cursor of this list")
        made_for, value, id_hex = json.loads(body)
        if made_for != sort.value:
            raise InvalidQuery("cursor", "was made for another sort order")
        key: date | int = date.fromisoformat(value) if isinstance(value, str) else int(value)
        return key, UUID(hex=id_hex)

    def _sign(self, body: bytes) -> bytes:
        return hmac.new(self._key, body, hashlib.sha256).digest()[:_TAG_BYTES]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    if not text.isascii():
        raise ValueError("not base64")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
