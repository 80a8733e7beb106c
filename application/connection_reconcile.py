"""Decide what a fetch means: which lines are new, which booked line confirms which pending one.

Pure: given the connection's open pending lines and remembered booked references, and one fetch
for one account, it returns a ``Plan``; the sync carries it out.

How a booked line finds its pending line:
1. **Same id** — the provider kept its transaction id from pending to booked (SimpleFIN, the demo
   bank, GoCardless when ``transactionId`` is present in both): exact, ``how="same_id"``.
2. **Match** — otherwise, a booked line that is not recorded yet is matched to an open pending line
   of the same account with the same amount, a compatible counterparty (equal after normalising,
   or one side empty, or one contains the other) and a booking date from 3 days before to 10 days
   after the pending date; the oldest such pending line wins, each links once, ``how="matched"``.
A linked pending transaction is amended to the booked values, never recorded again. A pending line
the bank stops reporting, unbooked, for more than ``DROP_AFTER_DAYS`` is dropped (its transaction
deleted): it was cancelled, or booked beyond recognition — in which case its booked line is new.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from application.statement import StatementLine

MATCH_BEFORE = timedelta(days=3)
MATCH_AFTER = timedelta(days=10)
DROP_AFTER_DAYS = 3
_SPACE = re.compile(r"[^0-9a-z]+")


@dataclass(frozen=True, slots=True)
class Link:
    key: str  # the pending key
    reference: str  # the booked line's key (remembered in ``booked_links``)
    line: StatementLine
    transaction_id: UUID
    how: str  # "same_id" | "matched"


@dataclass(slots=True)
class Plan:
    links: list[Link] = field(default_factory=list)
    new_booked: list[StatementLine] = field(default_factory=list)
    # Booked lines for the import pipeline, new or recorded before, in the fetch's order: it
    # counts a recorded one as a duplicate, or proposes its change when the bank altered it, and
    # numbers identical lines without a reference as a statement import does.
    to_ingest: list[StatementLine] = field(default_factory=list)
    new_pending: list[tuple[str, StatementLine]] = field(default_factory=list)
    dropped: list[tuple[str, UUID]] = field(default_factory=list)
    already_known: int = 0  # linked or still-pending lines seen before (not in ``to_ingest``)


def line_key(account_id: UUID, line: StatementLine, ordinal: int) -> str:
    """A line's identity within a connection: the provider's id, else a fingerprint."""
    if line.bank_reference:
        return f"{account_id}:id:{line.bank_reference}"
    return f"{account_id}:fp:{line.booked_on}|{line.amount}|{_party(line)}|{ordinal}"


def _party(line: StatementLine) -> str:
    """The text a fingerprint keys on; ``keyed`` counts repeats of the very same value."""
    return normalise(line.payee or line.counterparty_name or line.description)


def normalise(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return _SPACE.sub(" ", folded).strip()


def keyed(account_id: UUID, lines: Sequence[StatementLine]) -> list[tuple[str, StatementLine]]:
    seen: Counter[tuple[date, Decimal, str]] = Counter()
    out = []
    for line in lines:
        fingerprint = (line.booked_on, line.amount, _party(line))
        out.append((line_key(account_id, line, seen[fingerprint]), line))
        seen[fingerprint] += 1
    return out


def pending_entry(account_id: UUID, transaction_id: UUID, line: StatementLine) -> dict[str, Any]:
    return {
        "account_id": account_id,
        "transaction_id": transaction_id,
        "on": line.booked_on,
        "amount": str(line.amount),
        "party": normalise(line.counterparty_name or line.payee),
    }


def plan(
    *,
    account_id: UUID,
    lines: Sequence[StatementLine],
    open_pending: Mapping[str, Mapping[str, Any]],
    booked_links: Mapping[str, Mapping[str, Any]],
    already_recorded: Callable[[Sequence[StatementLine]], Sequence[bool]],
    today: date,
) -> Plan:
    result = Plan()
    mine = {k: v for k, v in open_pending.items() if v["account_id"] == account_id}
    claimed: set[str] = set()
    unresolved: list[tuple[str, StatementLine]] = []
    booked = keyed(account_id, [line for line in lines if not line.pending])
    pending = keyed(account_id, [line for line in lines if line.pending])
    for key, line in booked:
        if key in booked_links:
            result.already_known += 1
        elif key in mine and key not in claimed:
            claimed.add(key)
            result.links.append(Link(key, key, line, mine[key]["transaction_id"], "same_id"))
        else:
            unresolved.append((key, line))
    recorded = already_recorded([line for _, line in unresolved]) if unresolved else []
    for (key, line), known in zip(unresolved, recorded, strict=True):
        if known:
            result.to_ingest.append(line)
            continue
        match = _match(line, mine, claimed)
        if match is None:
            result.new_booked.append(line)
            result.to_ingest.append(line)
        else:
            claimed.add(match)
            result.links.append(Link(match, key, line, mine[match]["transaction_id"], "matched"))
    _pending(result, pending, mine, booked_links, claimed, today)
    return result


def _pending(  # noqa: PLR0917 - a private step of ``plan``
    result: Plan,
    pending: list[tuple[str, StatementLine]],
    mine: Mapping[str, Mapping[str, Any]],
    booked_links: Mapping[str, Mapping[str, Any]],
    claimed: set[str],
    today: date,
) -> None:
    reported = set()
    for key, line in pending:
        reported.add(key)
        if key in mine or key in booked_links:
            result.already_known += 1
        else:
            result.new_pending.append((key, line))
    horizon = today - timedelta(days=DROP_AFTER_DAYS)
    for key, entry in mine.items():
        if key not in claimed and key not in reported and entry["on"] < horizon:
            result.dropped.append((key, entry["transaction_id"]))


def _match(
    line: StatementLine, mine: Mapping[str, Mapping[str, Any]], claimed: set[str]
) -> str | None:
    party = normalise(line.counterparty_name or line.payee)
    candidates = [
        (entry["on"], key)
        for key, entry in mine.items()
        if key not in claimed
        and Decimal(entry["amount"]) == line.amount
        and entry["on"] - MATCH_BEFORE <= line.booked_on <= entry["on"] + MATCH_AFTER
        and _same_party(entry["party"], party)
    ]
    return min(candidates)[1] if candidates else None


def _same_party(a: str, b: str) -> bool:
    return not a or not b or a == b or a in b or b in a
