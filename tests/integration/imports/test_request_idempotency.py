"""An Idempotency-Key on an import request: a repeat names the same batch and stores nothing
more; the same key with another file is refused."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from adapters.imports.tables import import_payloads
from application.errors import IdempotencyKeyReused
from tests.integration.imports.conftest import FIXTURES, World


def _payloads(world: World) -> int:
    with world.runtime.engine.connect() as conn:
        return int(conn.scalar(sa.select(sa.func.count()).select_from(import_payloads)) or 0)


def test_a_repeated_request_names_the_same_batch_and_stores_one_file(world: World) -> None:
    account = world.account()
    data = (FIXTURES / "dkb_giro_2023_layout.csv").read_bytes()
    imports = world.services.imports
    first = imports.request(world.user_id, account, data, idempotency_key="upload-1")
    events = world.event_count()

    again = imports.request(world.user_id, account, data, idempotency_key="upload-1")

    assert again == first
    assert world.event_count() == events
    assert _payloads(world) == 1


def test_the_same_key_with_another_file_is_refused(world: World) -> None:
    account = world.account()
    imports = world.services.imports
    imports.request(world.user_id, account, b"Date,Amount\n", idempotency_key="upload-2")
    with pytest.raises(IdempotencyKeyReused):
        imports.request(world.user_id, account, b"Datum;Betrag\n", idempotency_key="upload-2")
