"""Mail without a server: URL parsing, header safety, templates and the log-only mailer."""

from __future__ import annotations

import logging

import pytest

from adapters.mail import templates
from adapters.mail.factory import create_mailer
from adapters.mail.log import LogMailer
from adapters.mail.message import InvalidRecipientError, build_message
from adapters.mail.smtp import SmtpMailer, SmtpServer, SmtpUrlError
from application.mailer import OutgoingMail


def test_a_starttls_url_is_read_with_its_decoded_credentials() -> None:
    server = SmtpServer.from_url("smtp://bob:p%40ss@mail.example:587?starttls=1&timeout=5")
    assert (server.host, server.port, server.username, server.password) == (
        "mail.example",
        587,
        "bob",
        "p@ss",
    )
    assert server.starttls
    assert not server.implicit_tls
    assert server.timeout == 5


def test_an_smtps_url_uses_implicit_tls_on_port_465() -> None:
    server = SmtpServer.from_url("smtps://bob:pw@mail.example")
    assert server.implicit_tls
    assert server.port == 465
    assert "pw" not in repr(server)


@pytest.mark.parametrize(
    "url",
    ["http://mail.example", "smtp://", "smtps://h?starttls=1", "smtp://h?from=a%0d%0ab@c"],
)
def test_an_unusable_smtp_url_is_refused(url: str) -> None:
    with pytest.raises(SmtpUrlError):
        SmtpServer.from_url(url)


def test_the_mailer_is_smtp_when_a_url_is_set_and_log_only_when_not() -> None:
    assert isinstance(create_mailer("smtp://mail.example"), SmtpMailer)
    assert isinstance(create_mailer(None), LogMailer)
    assert isinstance(create_mailer(""), LogMailer)


@pytest.mark.parametrize(
    "to",
    [
        "alice@example.org\r\nBcc: mallory@evil.example",
        "Alice <alice@example.org>",
        "alice@example.org, mallory@evil.example",
        "alice",
        "alice@example.org\u2028x",
    ],
)
def test_a_recipient_that_is_not_one_plain_address_is_refused(to: str) -> None:
    with pytest.raises(InvalidRecipientError):
        build_message("fintrack@localhost", OutgoingMail(to=to, subject="s", text="t"))


@pytest.mark.parametrize("breaker", ["\r\n", "\n", "\r", "\u2028", "\x00", "\x85"])
def test_line_breaks_in_a_subject_collapse_to_a_space(breaker: str) -> None:
    mail = OutgoingMail("a@example.org", f"Hi{breaker}Bcc: m@evil.example", "body")
    assert build_message("fintrack@localhost", mail)["Subject"] == "Hi Bcc: m@evil.example"


def test_a_welcome_greets_by_name_on_one_line() -> None:
    mail = templates.welcome("a@example.org", "Ann\r\nBcc: x@y.z")
    assert mail.text.startswith("Hello Ann Bcc: x@y.z,\n")


def test_a_connection_needing_attention_names_the_connection_and_reason() -> None:
    mail = templates.connection_needs_attention("a@example.org", "Sparkasse", "consent expired")
    assert mail.subject == "Bank connection needs attention: Sparkasse"
    assert "Reason: consent expired" in mail.text


async def test_the_log_mailer_logs_the_domain_but_no_subject_body_or_name(
    caplog: pytest.LogCaptureFixture,
) -> None:
    mail = templates.import_failed("alice.smith@example.org", "Giro", "IBAN DE89370400440532013000")
    with caplog.at_level(logging.INFO):
        await LogMailer().send(mail)

    logged = caplog.text
    assert "example.org" in logged
    assert "Giro" not in logged  # the subject names the account
    assert "not sent" in logged
    assert "alice.smith" not in logged
    assert "DE89370400440532013000" not in logged
