from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

import pytest

from application.accounts import Accounts
from application.categories import Categories
from application.command import CommandRunner
from application.idempotency import StoredClaim
from application.ledger import Ledger
from application.transactions import Transactions
from application.users import Users


class FakePasswordHasher:
    def hash(self, password: str) -> str:
        return "fake$" + hashlib.sha256(password.encode()).hexdigest()

    def verify(self, stored_hash: str, password: str) -> bool:
        return stored_hash == self.hash(password)

    def verify_unknown(self, password: str) -> None:
        self.hash(password)

    def needs_rehash(self, stored_hash: str) -> bool:
        return False


class FakePasswordPolicy:
    def problem(self, password: str, *, email: str = "") -> str | None:
        return "shorter than 12 characters" if len(password) < 12 else None


@dataclass
class FakeShredder:
    shredded: list[UUID] = field(default_factory=list)
    crash_next: bool = False  # the process dies before the keys are destroyed

    def shred(self, owner_id: UUID) -> int:
        if self.crash_next:
            self.crash_next = False
            raise RuntimeError("the process died here")
        self.shredded.append(owner_id)
        return 1


@dataclass
class FakeIdempotencyStore:
    claims: dict[tuple[UUID, str], StoredClaim] = field(default_factory=dict)

    def find(self, owner_id: UUID, key: str) -> StoredClaim | None:
        return self.claims.get((owner_id, key))


@dataclass
class Services:
    ledger: Ledger
    accounts: Accounts
    categories: Categories
    transactions: Transactions
    users: Users
    shredder: FakeShredder


def email_to_id(email: str) -> UUID:
    return UUID(bytes=hashlib.sha256(email.encode()).digest()[:16])


@pytest.fixture
def services() -> Iterator[Services]:
    ledger = Ledger(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    runner = CommandRunner(ledger)
    shredder = FakeShredder()
    yield Services(
        ledger=ledger,
        accounts=Accounts(ledger, runner),
        categories=Categories(ledger, runner),
        transactions=Transactions(ledger, runner),
        users=Users(
            ledger,
            runner,
            hasher=FakePasswordHasher(),
            policy=FakePasswordPolicy(),
            user_id_for=email_to_id,
            shredder=shredder,
        ),
        shredder=shredder,
    )
    ledger.close()


def open_account(services: Services, owner: UUID) -> UUID:
    """A checking account in EUR, opened for ``owner``; its id."""
    outcome = services.accounts.open(
        owner,
        name="Main",
        kind="checking",
        currency="EUR",
        opening_balance="0",
        opened_on=date(2026, 1, 1),
    )
    return UUID(outcome.answer["id"])
