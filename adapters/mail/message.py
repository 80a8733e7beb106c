"""Turn an ``OutgoingMail`` into an RFC 5322 message that cannot carry injected headers.

Subjects and names often come from hostile imported text (a payee, a bank's connection label). Every
header value passes through here: line breaks and other control characters in the subject collapse
to a space, and a recipient that is not exactly one plain address is refused.
"""

from __future__ import annotations

import re
from email.message import EmailMessage

from application.mailer import OutgoingMail

MAX_SUBJECT = 200
# C0/C1 controls, DEL, and the Unicode line/paragraph separators: none belongs in a header.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
_BODY_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]+")  # keeps \t and \n
# One addr-spec, nothing else: no display name, no list, no comment, no whitespace or controls.
_ATOM = r"[^@\s<>(),;:\"\[\]\\\x00-\x1f\x7f-\x9f]+"
_ADDRESS = re.compile(f"{_ATOM}@{_ATOM}")


class InvalidRecipientError(ValueError):
    """The recipient is not a single plain e-mail address."""


def single_line(text: str, limit: int = MAX_SUBJECT) -> str:
    """Collapse control characters to one space, trim, and cut to ``limit`` characters."""
    line = _CONTROL.sub(" ", text).strip()
    return line if len(line) <= limit else line[: limit - 1] + "…"


def plain_text(text: str) -> str:
    """Body text: normalised line endings, no control characters other than tab and newline."""
    return _BODY_CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def checked_address(address: str) -> str:
    if len(address) > 254 or not _ADDRESS.fullmatch(address) or _CONTROL.search(address):
        raise InvalidRecipientError("not a single plain e-mail address")
    return address


def build_message(sender: str, mail: OutgoingMail) -> EmailMessage:
    message = EmailMessage()
    message["From"] = checked_address(sender)
    message["To"] = checked_address(mail.to)
    message["Subject"] = single_line(mail.subject)
    message.set_content(plain_text(mail.text))
    return message


def recipient_domain(address: str) -> str:
    """The part after the last ``@``, for logs that must not name the person."""
    return single_line(address.rpartition("@")[2], limit=100) or "?"
