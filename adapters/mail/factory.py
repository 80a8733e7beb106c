"""Choose the mailer from ``FINTRACK_SMTP_URL``: SMTP when set, a log line when not."""

from __future__ import annotations

from adapters.mail.log import LogMailer
from adapters.mail.smtp import SmtpMailer, SmtpServer
from application.mailer import Mailer


def create_mailer(smtp_url: str | None) -> Mailer:
    if not smtp_url:
        return LogMailer()
    return SmtpMailer(SmtpServer.from_url(smtp_url))
