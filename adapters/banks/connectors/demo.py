"""``DemoBankConnector``: a built-in bank for ``fintrack demo`` and for trying connections.

Deterministic: what happened on a day is a function of the seed and the date alone, so every sync
sees the same past and new days bring new lines. A checking account gets a salary on the 25th,
rent on the 1st, subscriptions, groceries and coffee; a savings account a monthly transfer.
Card payments show as pending for ``PENDING_DAYS`` days and then book a day after the purchase
— most with the same reference, one in four under a new one (as some banks do), which the sync
must link by amount, counterparty and date.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from application.connection_ports import MalformedResponse, RemoteAccount
from application.statement import StatementLine

PROVIDER = "demo"
CHECKING = "demo-checking"
SAVINGS = "demo-savings"
PENDING_DAYS = 2
_CENT = Decimal("0.01")
_SUBSCRIPTIONS = {
    5: ("Netflix", "-13.99"),
    12: ("Spotify", "-10.99"),
    15: ("FitX Gym", "-29.90"),
    20: ("Telekom Mobilfunk", "-19.99"),
}
_GROCERS = ("REWE", "Lidl", "Aldi Süd", "Edeka", "dm-drogerie markt")
_CAFES = ("Espresso House", "Balzac Coffee", "Bäckerei Kamps")


def _today() -> date:
    return datetime.now(UTC).date()


class DemoBankConnector:
    def __init__(self, seed: str, *, today: Callable[[], date] = _today) -> None:
        if not seed or len(seed) > 100:
            raise MalformedResponse("the demo bank needs a seed of 1 to 100 characters")
        self._seed = seed
        self._today = today

    def credentials(self) -> dict[str, str]:
        return {"seed": self._seed}

    def close(self) -> None:
        """Nothing to release: the demo bank makes no network calls."""

    def accounts(self) -> Sequence[RemoteAccount]:
        return [
            RemoteAccount(CHECKING, "Demo Girokonto", "EUR", "DE02120300000000202051"),
            RemoteAccount(SAVINGS, "Demo Tagesgeld", "EUR", "DE12500105170648489890"),
        ]

    def lines(self, remote_account_id: str, since: date) -> Sequence[StatementLine]:
        today = self._today()
        out: list[StatementLine] = []
        day = since - timedelta(days=1)  # yesterday's purchases book today
        while day <= today:
            out.extend(
                line
                for line in self._day(remote_account_id, day, today)
                if since <= line.booked_on <= today
            )
            day += timedelta(days=1)
        return out

    def _day(self, account: str, day: date, today: date) -> Iterator[StatementLine]:
        rng = random.Random(f"{self._seed}:{account}:{day.isoformat()}")  # noqa: S311 - demo data
        if account == SAVINGS:
            if day.day == 26:
                yield self._booked(account, day, "Dauerauftrag Sparen", "500.00", "savings")
            return
        if account != CHECKING:
            raise MalformedResponse(f"the demo bank has no account {account!r}")
        if day.day == 1:
            yield self._booked(account, day, "Hausverwaltung Müller", "-1150.00", "Miete")
        if day.day == 25:
            yield self._booked(account, day, "ACME GmbH", "3250.00", "Gehalt")
        if day.day == 26:
            yield self._booked(account, day, "Demo Tagesgeld", "-500.00", "Sparen")
        if day.day in _SUBSCRIPTIONS:
            payee, amount = _SUBSCRIPTIONS[day.day]
            yield self._booked(account, day, payee, amount, "Abo")
        purchases: list[tuple[str, Decimal, str]] = []
        if rng.random() < 0.55:
            grocery = Decimal(rng.randint(800, 9500)) / 100
            purchases.append((rng.choice(_GROCERS), -grocery.quantize(_CENT), "grocery"))
        if rng.random() < 0.35:
            coffee = Decimal(rng.randint(250, 890)) / 100
            purchases.append((rng.choice(_CAFES), -coffee.quantize(_CENT), "coffee"))
        for index, (shop, spent, kind) in enumerate(purchases):
            yield from self._card(
                account=account,
                day=day,
                today=today,
                index=index,
                payee=shop,
                amount=spent,
                kind=kind,
                roll=rng.random(),
            )

    def _booked(self, account: str, day: date, payee: str, amount: str, text: str) -> StatementLine:
        reference = self._reference(account, day, payee)
        return _line(day, day, Decimal(amount), payee, f"{text} {day:%m/%Y}", reference, False)

    def _card(
        self,
        *,
        account: str,
        day: date,
        today: date,
        index: int,
        payee: str,
        amount: Decimal,
        kind: str,
        roll: float,
    ) -> Iterator[StatementLine]:
        reference = self._reference(account, day, f"{kind}{index}")
        text = f"Kartenzahlung {payee}"
        if today - day < timedelta(days=PENDING_DAYS):
            pending_ref = reference if roll >= 0.25 else "P" + reference[1:]
            yield _line(day, None, amount, payee, text, pending_ref, True)
        else:
            yield _line(day + timedelta(days=1), day, amount, payee, text, reference, False)

    def _reference(self, account: str, day: date, what: str) -> str:
        digest = hashlib.sha256(f"{self._seed}:{account}:{day}:{what}".encode()).hexdigest()
        return f"B{digest[:19]}"


def _line(  # noqa: PLR0917 - one positional per column, read like a row
    booked_on: date,
    value_date: date | None,
    amount: Decimal,
    payee: str,
    text: str,
    reference: str,
    pending: bool,
) -> StatementLine:
    return StatementLine(
        booked_on=booked_on,
        value_date=value_date,
        amount=amount,
        currency="EUR",
        payee=payee,
        counterparty_name=payee,
        counterparty_iban="",
        description=text,
        bank_reference=reference,
        pending=pending,
        raw=f"{booked_on}|{amount}|{payee}|{reference}|{'pending' if pending else 'booked'}",
    )
