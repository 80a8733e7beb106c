"""SmtpMailer against a real SMTP server (aiosmtpd on loopback) that keeps what it receives."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from adapters.mail import templates
from adapters.mail.factory import create_mailer
from adapters.mail.smtp import MailNotSentError

pytestmark = pytest.mark.timeout(30)


class Inbox:
    def __init__(self) -> None:
        self.envelopes: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.envelopes.append(envelope)
        return "250 OK"

    def only(self) -> tuple[list[str], EmailMessage]:
        assert len(self.envelopes) == 1
        envelope = self.envelopes[0]
        parsed = message_from_bytes(envelope.original_content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        return list(envelope.rcpt_tos), parsed


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox, port = Inbox(), _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


async def test_an_import_summary_reaches_the_recipient(smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    mailer = create_mailer(f"smtp://127.0.0.1:{port}?from=noreply%40fintrack.example")
    mail = templates.import_finished(
        "alice@example.org",
        "Giro",
        lines_seen=12,
        lines_new=9,
        lines_duplicate=2,
        lines_failed=1,
    )
    await mailer.send(mail)

    recipients, received = inbox.only()
    assert recipients == ["alice@example.org"]
    assert received["From"] == "noreply@fintrack.example"
    assert received["Subject"] == "Import finished: Giro"
    body = received.get_content()
    assert "Lines read:       12" in body
    assert "New transactions: 9" in body
    assert "Duplicates:       2" in body
    assert "Failed lines:     1" in body


async def test_a_hostile_name_cannot_add_headers_or_recipients(smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    mailer = create_mailer(f"smtp://127.0.0.1:{port}")
    hostile = "Shop\r\nBcc: mallory@evil.example\r\n\r\nfake body"
    await mailer.send(templates.import_failed("alice@example.org", hostile, "bad\r\nline"))

    recipients, received = inbox.only()
    assert recipients == ["alice@example.org"]
    assert received["Bcc"] is None
    assert "\n" not in received["Subject"]
    assert received["Subject"].startswith("Import failed: Shop Bcc: mallory@evil.example")


async def test_an_unreachable_server_raises_mail_not_sent() -> None:
    mailer = create_mailer(f"smtp://127.0.0.1:{_free_port()}?timeout=2")
    with pytest.raises(MailNotSentError):
        await mailer.send(templates.welcome("alice@example.org", "Alice"))
