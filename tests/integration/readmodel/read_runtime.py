"""A fully wired runtime for read-side tests: migrated database, key files, ledger, projector."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy.engine import URL

from adapters.crypto.key_file import load_or_create_key_file
from adapters.http.auth.passwords import CHEAP_PROFILE
from adapters.persistence.metadata import metadata
from adapters.persistence.migrate import migrate
from adapters.readmodel.projector import Projector
from adapters.readmodel.runner import build_projector
from adapters.settings import Settings
from application.transactions import NewTransaction
from domain.account import Account
from domain.actor import Actor
from domain.money import Money
from domain.transaction import Transaction
from ops.bootstrap import Runtime, bootstrap


def settings_for(url: URL, var_dir: Path) -> Settings:
    settings = Settings.from_env(
        {"FINTRACK_DATABASE_URL": url.render_as_string(hide_password=False),
         "FINTRACK_VAR_DIR": str(var_dir)}
    )  # fmt: skip
    load_or_create_key_file(settings.master_key_file, create=True)
    load_or_create_key_file(settings.secret_key_file, create=True)
    return settings


def open_runtime(url: URL, var_dir: Path) -> Runtime:
    settings = settings_for(url, var_dir)
    migrate(settings.sync_url)
    runtime = bootstrap(settings, password_profile=CHEAP_PROFILE)
    # the report tables' migration (0004) may not exist yet: create what alembic did not
    metadata.create_all(runtime.engine, checkfirst=True)
    return runtime


def projector(runtime: Runtime, page_size: int = 1000) -> Projector:
    return build_projector(runtime, page_size=page_size)


def new_user(runtime: Runtime, email: str = "ann@example.org") -> UUID:
    return runtime.users.register(email, "a long enough passphrase 2026")


def open_account(
    runtime: Runtime, user_id: UUID, currency: str = "EUR", name: str = "Main"
) -> UUID:
    outcome = runtime.accounts.open(
        user_id,
        name=name,
        kind="checking",
        currency=currency,
        opening_balance="0",
        opened_on=date(2024, 1, 1),
    )
    return UUID(outcome.answer["id"])


def record(
    runtime: Runtime,
    user_id: UUID,
    account_id: UUID,
    amount: str,
    booked_on: date = date(2024, 3, 1),
    **fields: Any,
) -> UUID:
    new = NewTransaction(account_id=account_id, amount=amount, booked_on=booked_on, **fields)
    return UUID(runtime.transactions.record(user_id, new).answer["id"])


def bulk_record(
    runtime: Runtime, user_id: UUID, account_id: UUID, count: int, *, batch: int = 500
) -> list[UUID]:
    """``count`` transactions saved straight through the ledger, ``batch`` per save (fast)."""
    account: Account = runtime.ledger.repository.get(account_id)
    ids: list[UUID] = []
    for start in range(0, count, batch):
        made = [
            Transaction.record(
                account,
                id=uuid4(),
                amount=Money(Decimal(-(n % 97) - 1) / 4, account.currency),
                booked_on=date(2024, 1, 1) + timedelta(days=n % 700),
                payee=f"Shop {n % 13}",
                description=f"purchase number {n}",
                tags=("bulk",) if n % 3 == 0 else (),
                actor=Actor.user(user_id),
            )
            for n in range(start, min(start + batch, count))
        ]
        runtime.ledger.save(*made)
        ids += [t.id for t in made]
    return ids
