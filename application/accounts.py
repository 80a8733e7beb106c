"""Use cases for accounts: open, rename, close, reopen."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

from application.command import CommandRunner, Outcome, request_hash
from application.errors import choice
from application.ledger import Ledger
from application.loading import load_owned
from domain.account import Account, AccountKind
from domain.actor import Actor
from domain.money import Money


class Accounts:
    def __init__(self, ledger: Ledger, runner: CommandRunner) -> None:
        self._ledger = ledger
        self._runner = runner

    def open(
        self,
        user_id: UUID,
        *,
        name: str,
        kind: str,
        currency: str,
        opening_balance: str,
        opened_on: date,
        idempotency_key: str | None = None,
    ) -> Outcome:
        account_id = uuid4()
        balance = Money.parse(opening_balance, currency)
        account_kind = choice(AccountKind, kind, field="kind")

        def command() -> list[Account]:
            return [
                Account.open(
                    id=account_id,
                    owner_id=user_id,
                    name=name,
                    kind=account_kind,
                    currency=currency,
                    opening_balance=balance,
                    opened_on=opened_on,
                    actor=Actor.user(user_id),
                )
            ]

        return self._runner.run(
            command,
            owner_id=user_id,
            answer={"id": str(account_id)},
            idempotency_key=idempotency_key,
            fingerprint=lambda: request_hash(
                op="open_account",
                name=name,
                kind=kind,
                currency=currency,
                opening_balance=opening_balance,
                opened_on=opened_on,
            ),
        )

    def rename(self, user_id: UUID, account_id: UUID, name: str) -> Outcome:
        def command() -> list[Account]:
            account = load_owned(self._ledger, Account, account_id, user_id)
            account.rename(name, actor=Actor.user(user_id))
            return [account]

        return self._runner.run(command, owner_id=user_id, answer={"id": str(account_id)})

    def close(self, user_id: UUID, account_id: UUID) -> Outcome:
        def command() -> list[Account]:
            account = load_owned(self._ledger, Account, account_id, user_id)
            account.close(actor=Actor.user(user_id))
            return [account]

        return self._runner.run(command, owner_id=user_id, answer={"id": str(account_id)})

    def reopen(self, user_id: UUID, account_id: UUID) -> Outcome:
        def command() -> list[Account]:
            account = load_owned(self._ledger, Account, account_id, user_id)
            account.reopen(actor=Actor.user(user_id))
            return [account]

        return self._runner.run(command, owner_id=user_id, answer={"id": str(account_id)})
