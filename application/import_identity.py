"""Deterministic ids for imported lines, so re-imports and overlapping statements append nothing.

A line's transaction id is an HMAC, under a key only the owner's data key yields, of
(account, bank reference, ordinal) when the bank gave a reference, else of (account, booked date,
amount, normalised text, ordinal). The ordinal counts earlier lines of the same statement with the
same key: two genuinely identical lines are both kept (ordinals 0 and 1), and an overlapping
statement, where each of them appears again in the same order, maps onto the same two ids.
"""

from __future__ import annotations

import hmac
import unicodedata
from collections.abc import Callable, Sequence
from decimal import Decimal
from functools import cache
from uuid import UUID

from application.statement import StatementLine

_SEP = "\x1f"


def line_ids(key: bytes, account_id: UUID, lines: Sequence[StatementLine]) -> list[UUID]:
    seen: dict[str, int] = {}
    ids: list[UUID] = []
    account = str(account_id)
    normalise = cache(_normalised)
    for line in lines:
        identity = _identity(account, line, normalise)
        ordinal = seen.get(identity, 0)
        seen[identity] = ordinal + 1
        message = f"{identity}{_SEP}{ordinal}".encode()
        ids.append(UUID(bytes=hmac.digest(key, message, "sha256")[:16]))
    return ids


def fingerprints(key: bytes, lines: Sequence[StatementLine]) -> list[bytes]:
    """A keyed digest of each line's content (date, amount, normalised text): tells a line the
    bank sent again unchanged from one it changed, without decrypting the stored transaction."""
    normalise = cache(_normalised)
    return [
        hmac.digest(key, _SEP.join(("content", *_content(line, normalise))).encode(), "sha256")[:16]
        for line in lines
    ]


def _normalised(part: str) -> str:
    """Case-, width- and whitespace-insensitive text: how banks reformat it between exports.

    Callers remember it per statement (``cache``): payees and texts recur line after line, and the
    payee is often the counterparty too; nothing read is kept past the statement."""
    return " ".join(unicodedata.normalize("NFKC", part).casefold().split())


def _identity(account: str, line: StatementLine, normalise: Callable[[str], str]) -> str:
    reference = (line.bank_reference or "").strip()
    if reference:
        return _SEP.join(("ref", account, reference))
    return _SEP.join(("line", account, *_content(line, normalise)))


def _content(line: StatementLine, normalise: Callable[[str], str]) -> tuple[str, ...]:
    """What a line says: its date, amount and normalised texts."""
    return (
        line.booked_on.isoformat(),
        _amount(line.amount),
        normalise(line.payee),
        normalise(line.counterparty_name),
        normalise(line.description),
    )


def _amount(amount: Decimal) -> str:
    text = format(amount.normalize(), "f")
    return "0" if text in ("-0", "0") else text
