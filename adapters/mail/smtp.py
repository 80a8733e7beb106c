"""``SmtpMailer``: sends through an SMTP server named by ``FINTRACK_SMTP_URL``.

``smtp://user:pw@host:587?starttls=1`` (STARTTLS required), ``smtp://host:25`` (plain, for a local
relay), ``smtps://user:pw@host:465`` (implicit TLS). Optional query parameters: ``from`` (sender
address, default ``fintrack@localhost``) and ``timeout`` (seconds, default 10). User and password
are percent-decoded, so ``p%40ss`` means ``p@ss``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qs, unquote, urlsplit

import aiosmtplib

from adapters.mail.message import build_message, checked_address
from application.mailer import OutgoingMail

_DEFAULT_PORTS = {"smtp": 25, "smtps": 465}
_TRUE = {"1", "true", "yes", "on"}


class SmtpUrlError(ValueError):
    """FINTRACK_SMTP_URL cannot be used."""


class MailNotSentError(RuntimeError):
    """The SMTP server refused the mail or could not be reached (worth a retry)."""


@dataclass(frozen=True, slots=True)
class SmtpServer:
    host: str
    port: int
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    implicit_tls: bool = False
    starttls: bool = False
    sender: str = "fintrack@localhost"
    timeout: float = 10.0

    @classmethod
    def from_url(cls, url: str) -> SmtpServer:
        parts = urlsplit(url)
        if parts.scheme not in _DEFAULT_PORTS or not parts.hostname:
            raise SmtpUrlError("FINTRACK_SMTP_URL must look like smtp://host:587 or smtps://host")
        query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        try:
            port = parts.port or _DEFAULT_PORTS[parts.scheme]
            timeout = float(query.get("timeout", "10"))
            sender = checked_address(query.get("from", "fintrack@localhost"))
        except ValueError as error:
            raise SmtpUrlError(f"FINTRACK_SMTP_URL: {error}") from None
        implicit_tls = parts.scheme == "smtps"
        starttls = query.get("starttls", "0").lower() in _TRUE
        if implicit_tls and starttls:
            raise SmtpUrlError("FINTRACK_SMTP_URL: smtps:// already uses TLS; drop starttls")
        return cls(
            host=parts.hostname,
            port=port,
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            implicit_tls=implicit_tls,
            starttls=starttls,
            sender=sender,
            timeout=timeout,
        )


class SmtpMailer:
    def __init__(self, server: SmtpServer) -> None:
        self._server = server

    async def send(self, message: OutgoingMail) -> None:
        server = self._server
        email = build_message(server.sender, message)
        try:
            await aiosmtplib.send(
                email,
                hostname=server.host,
                port=server.port,
                username=server.username,
                password=server.password,
                use_tls=server.implicit_tls,
                start_tls=server.starttls,
                timeout=server.timeout,
            )
        except (aiosmtplib.SMTPException, OSError) as error:
            raise MailNotSentError(
                f"{type(error).__name__} from {server.host}:{server.port}"
            ) from error
