"""Account: one place money is kept (a bank account, a card, a wallet...) in one currency."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import event

from domain.actor import Actor
from domain.base import OwnedAggregate
from domain.errors import AccountAlreadyClosed, AccountClosed, AccountNotClosed, CurrencyMismatch
from domain.money import Money
from domain.text import clean_name


class AccountKind(StrEnum):
    CHECKING = "checking"
    SAVINGS = "savings"
    CREDIT_CARD = "credit_card"
    CASH = "cash"
    LOAN = "loan"
    INVESTMENT = "investment"


class Account(OwnedAggregate):
    class Opened(OwnedAggregate.Created):
        name: str
        kind: str
        currency: str
        opening_balance: Decimal
        opened_on: date

    class Renamed(OwnedAggregate.Event):
        name: str

    class Closed(OwnedAggregate.Event):
        pass

    class Reopened(OwnedAggregate.Event):
        pass

    @classmethod
    def open(
        cls,
        *,
        id: UUID,
        owner_id: UUID,
        name: str,
        kind: AccountKind,
        currency: str,
        opening_balance: Money,
        opened_on: date,
        actor: Actor,
    ) -> Account:
        name = clean_name(name)
        if opening_balance.currency != currency:
            raise CurrencyMismatch(expected=currency, actual=opening_balance.currency)
        return cls(
            id=id,
            owner_id=owner_id,
            name=name,
            kind=kind.value,
            currency=currency,
            opening_balance=opening_balance.amount,
            opened_on=opened_on,
            actor=str(actor),
        )

    @property
    def kind(self) -> AccountKind:
        return AccountKind(self._kind)

    @property
    def opening_balance(self) -> Money:
        return Money(self._opening_balance, self.currency)

    def check_can_record(self, amount: Money) -> None:
        """Refuse a new transaction of ``amount``: the account must be open and in its currency."""
        self._check_open()
        if amount.currency != self.currency:
            raise CurrencyMismatch(expected=self.currency, actual=amount.currency)

    def rename(self, name: str, *, actor: Actor) -> None:
        self._check_open()
        self._renamed(name=clean_name(name), actor=str(actor))

    def close(self, *, actor: Actor) -> None:
        if self.closed:
            raise AccountAlreadyClosed(self.id)
        self._closed(actor=str(actor))

    def reopen(self, *, actor: Actor) -> None:
        if not self.closed:
            raise AccountNotClosed(self.id)
        self._reopened(actor=str(actor))

    def _check_open(self) -> None:
        if self.closed:
            raise AccountClosed(self.id)

    @event(Opened)
    def __init__(
        self,
        *,
        id: UUID,
        owner_id: UUID,
        name: str,
        kind: str,
        currency: str,
        opening_balance: Decimal,
        opened_on: date,
        actor: str,
    ) -> None:
        super().__init__(owner_id)
        self.name = name
        self._kind = kind
        self.currency = currency
        self._opening_balance = opening_balance
        self.opened_on = opened_on
        self.closed = False

    @event(Renamed)
    def _renamed(self, name: str, actor: str) -> None:
        self.name = name

    @event(Closed)
    def _closed(self, actor: str) -> None:
        self.closed = True

    @event(Reopened)
    def _reopened(self, actor: str) -> None:
        self.closed = False
