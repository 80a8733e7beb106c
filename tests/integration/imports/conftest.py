"""A fully wired import pipeline (real event store, encryption, parsers) on SQLite and MariaDB."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from uuid import UUID

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import URL

from adapters.http.auth.passwords import CHEAP_PROFILE
from adapters.imports.wiring import ImportServices, build_import_services
from adapters.persistence.migrate import migrate
from adapters.persistence.tables import events
from adapters.settings import Settings
from application.mailer import OutgoingMail
from ops.bootstrap import Runtime, bootstrap
from tests.integration.ledger.conftest import settings_for
from tests.rabbitmq import rabbitmq_node

__all__ = ["rabbitmq_node"]

FIXTURES = Path(__file__).parents[2] / "fixtures" / "statements"


class CapturingMailer:
    def __init__(self) -> None:
        self.sent: list[OutgoingMail] = []

    async def send(self, message: OutgoingMail) -> None:
        self.sent.append(message)


@dataclass
class World:
    runtime: Runtime
    services: ImportServices
    mailer: CapturingMailer
    user_id: UUID

    def account(self, currency: str = "EUR", name: str = "Giro") -> UUID:
        outcome = self.runtime.accounts.open(
            self.user_id,
            name=name,
            kind="checking",
            currency=currency,
            opening_balance="0",
            opened_on=date(2020, 1, 1),
        )
        return UUID(outcome.answer["id"])

    def event_count(self) -> int:
        with self.runtime.engine.connect() as conn:
            return int(conn.scalar(sa.select(sa.func.count()).select_from(events)) or 0)

    def import_file(self, account_id: UUID, data: bytes, **options: object) -> UUID:
        imports = self.services.imports
        batch_id = imports.request(self.user_id, account_id, data, **options)  # type: ignore[arg-type]
        imports.run(batch_id)
        return batch_id


def make_world(settings: Settings) -> World:
    runtime = bootstrap(settings, password_profile=CHEAP_PROFILE)
    mailer = CapturingMailer()
    services = build_import_services(runtime, mailer=mailer)
    user_id = runtime.users.register("ana@example.org", "a long and unusual passphrase")
    return World(runtime, services, mailer, user_id)


@pytest.fixture
def settings(database_url: URL, tmp_path: Path) -> Settings:
    settings = settings_for(database_url, tmp_path / "var")
    migrate(settings.sync_url)
    return settings


@pytest.fixture
def world(settings: Settings) -> Iterator[World]:
    wired = make_world(settings)
    try:
        yield wired
    finally:
        wired.runtime.close()


@pytest.fixture
def sqlite_world(sqlite_url: URL, tmp_path: Path) -> Iterator[World]:
    settings = settings_for(sqlite_url, tmp_path / "var")
    migrate(settings.sync_url)
    wired = make_world(settings)
    try:
        yield wired
    finally:
        wired.runtime.close()
