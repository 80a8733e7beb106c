"""``LogMailer``: the mailer used when ``FINTRACK_SMTP_URL`` is unset. Nothing is sent."""

from __future__ import annotations

import logging

from adapters.mail.message import checked_address, recipient_domain
from application.mailer import OutgoingMail

logger = logging.getLogger(__name__)


class LogMailer:
    """Logs that a mail was not sent: the recipient's domain only. Subjects carry account and
    connection names (personal data), so neither they nor the body reach the log."""

    async def send(self, message: OutgoingMail) -> None:
        checked_address(message.to)  # refuse the same recipients SmtpMailer refuses
        logger.warning(
            "mail not sent (FINTRACK_SMTP_URL is unset): to=*@%s",
            recipient_domain(message.to),
        )
