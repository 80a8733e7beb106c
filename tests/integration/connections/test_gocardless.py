"""GoCardless Bank Account Data, end to end against a fake API on loopback."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from application.connections import PENDING_TAG
from tests.fakes.gocardless_server import (
    ACCOUNT,
    INSTITUTION,
    SECRET_ID,
    SECRET_KEY,
    FakeGoCardless,
)
from tests.integration.connections.conftest import World

SETUP = {
    "secret_id": SECRET_ID,
    "secret_key": SECRET_KEY,
    "institution_id": INSTITUTION,
    "redirect": "https://fintrack.example/connections/done",
}


def _connect(world: World, bank: FakeGoCardless) -> tuple[UUID, UUID]:
    account = world.account()
    created = world.connections.create(
        world.user_id, provider="gocardless", name="Sandbox", setup=SETUP
    )
    bank.consent()
    world.connections.link_account(world.user_id, created.id, remote_id=ACCOUNT, account_id=account)
    return created.id, account


async def test_creating_a_connection_answers_the_consent_link_and_waits_for_it(
    world: World, gocardless: FakeGoCardless
) -> None:
    created = world.connections.create(
        world.user_id, provider="gocardless", name="Sandbox", setup=SETUP
    )

    view = world.connections.get(world.user_id, created.id)
    (requisition,) = gocardless.requisitions.values()
    assert created.authorisation_link == requisition["link"]
    assert requisition["redirect"] == SETUP["redirect"]
    assert view.status == "awaiting_authorisation"
    assert view.authorisation_link == requisition["link"]


async def test_after_consent_the_bank_account_can_be_linked_and_synced(
    world: World, gocardless: FakeGoCardless
) -> None:
    today = world.clock.today()
    gocardless.add("T-1", today - timedelta(days=5), "-59.90", "Stadtwerke")
    gocardless.add("T-2", today - timedelta(days=4), "1800.00", "Employer GmbH")
    gocardless.add(None, today, "-7.20", "Bakery", pending=True, internal_id="pend-abc")
    connection_id, account = _connect(world, gocardless)

    report = await world.sync(connection_id)

    recorded = world.transactions(account)
    assert report["lines_new"] == 3
    assert [(str(t.amount.amount), t.payee) for t in recorded] == [
        ("-59.90", "Stadtwerke"),
        ("1800.00", "Employer GmbH"),
        ("-7.20", "Bakery"),
    ]
    assert [PENDING_TAG in t.tags for t in recorded] == [False, False, True]
    assert recorded[0].counterparty_iban == "GB33BUKB20201555555555"
    view = world.connections.get(world.user_id, connection_id)
    assert view.status == "active"
    assert view.linked_accounts[0].remote_name == "Main Account"


async def test_a_pending_line_booked_under_a_new_id_is_matched_not_duplicated(
    world: World, gocardless: FakeGoCardless
) -> None:
    today = world.clock.today()
    gocardless.add(None, today, "-7.20", "Bakery", pending=True, internal_id="pend-abc")
    connection_id, account = _connect(world, gocardless)
    await world.sync(connection_id)
    (pending,) = world.transactions(account)

    gocardless.book_pending(0, today + timedelta(days=2), tx_id="BOOKED-777")
    world.clock.advance(days=2)
    report = await world.sync(connection_id)
    world.clock.advance(days=1)
    again = await world.sync(connection_id)

    (booked,) = world.transactions(account)
    assert booked.id == pending.id
    assert booked.booked_on == today + timedelta(days=2)
    assert PENDING_TAG not in booked.tags
    assert report["pending_linked"] == 1
    assert again["lines_new"] == 0


async def test_a_cancelled_pending_line_is_dropped_after_a_grace_period(
    world: World, gocardless: FakeGoCardless
) -> None:
    today = world.clock.today()
    gocardless.add(None, today, "-99.00", "Hotel deposit", pending=True, internal_id="hold-1")
    connection_id, account = _connect(world, gocardless)
    await world.sync(connection_id)
    gocardless.pending.clear()  # the hold was released, nothing booked

    world.clock.advance(days=1)
    await world.sync(connection_id)
    assert len(world.transactions(account)) == 1  # a late booking may still come
    world.clock.advance(days=4)
    await world.sync(connection_id)

    assert world.transactions(account) == []
    assert world.connections.get(world.user_id, connection_id).pending_open == 0


async def test_an_expired_access_token_is_refreshed_without_new_credentials(
    world: World, gocardless: FakeGoCardless
) -> None:
    connection_id, _account = _connect(world, gocardless)
    gocardless.revoke_tokens()  # the stored access token no longer works

    await world.sync(connection_id)
    world.clock.advance(hours=6)
    await world.sync(connection_id)  # with the refreshed token, kept in the vault

    assert world.connections.get(world.user_id, connection_id).status == "active"
    assert gocardless.count("POST", "/api/v2/token/refresh/") == 1
    assert gocardless.tokens_issued == 1  # the API keys were used once, at enrolment


async def test_expired_consent_needs_attention_and_mails_once(
    world: World, gocardless: FakeGoCardless
) -> None:
    connection_id, _account = _connect(world, gocardless)
    gocardless.expire_consent()

    await world.sync(connection_id)
    world.clock.advance(hours=6)
    await world.sync(connection_id)

    view = world.connections.get(world.user_id, connection_id)
    assert view.status == "needs_attention"
    assert view.failure_kind == "reauthenticate"
    assert len(world.mailer.sent) == 1
    assert "Sandbox" in world.mailer.sent[0].subject


async def test_a_rate_limit_is_honoured_from_the_providers_reset_header(
    world: World, gocardless: FakeGoCardless
) -> None:
    connection_id, _account = _connect(world, gocardless)
    gocardless.fail_next(
        429,
        b'{"summary": "Rate limit exceeded", "status_code": 429}',
        headers={"HTTP_X_RATELIMIT_ACCOUNT_SUCCESS_REQUEST_RESET": "21600"},
    )

    await world.sync(connection_id)

    view = world.connections.get(world.user_id, connection_id)
    assert view.status == "failing"
    assert view.next_sync_at == world.clock.now + timedelta(hours=6)


async def test_a_garbled_transactions_answer_records_nothing(
    world: World, gocardless: FakeGoCardless
) -> None:
    gocardless.add("T-1", world.clock.today(), "-1.00", "Kiosk")
    connection_id, account = _connect(world, gocardless)
    gocardless.fail_next(200, b'{"transactions": {"booked": [{"bookingDate": 5}]}}')

    await world.sync(connection_id)

    view = world.connections.get(world.user_id, connection_id)
    assert view.failure_reason is not None
    assert "unexpected answer" in view.failure_reason
    assert world.transactions(account) == []
