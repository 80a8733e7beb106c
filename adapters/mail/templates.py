"""Plain-text mails fintrack sends. Names and reasons may come from imported (hostile) text:
they are reduced to one line here, and ``build_message`` sanitises the subject again on the way out.
"""

from __future__ import annotations

from adapters.mail.message import plain_text, single_line
from application.mailer import OutgoingMail

_SIGNATURE = "\n-- \nfintrack\n"
_MAX_REASON = 1000


def welcome(to: str, name: str | None = None) -> OutgoingMail:
    greeting = f"Hello {single_line(name, 100)}," if name else "Hello,"
    return OutgoingMail(
        to=to,
        subject="Welcome to fintrack",
        text=f"{greeting}\n\nyour fintrack account is ready. You can now sign in.\n{_SIGNATURE}",
    )


def import_finished(
    to: str,
    account: str,
    *,
    lines_seen: int,
    lines_new: int,
    lines_duplicate: int,
    lines_failed: int,
) -> OutgoingMail:
    account = single_line(account, 100)
    return OutgoingMail(
        to=to,
        subject=f"Import finished: {account}",
        text=(
            f"The import into {account} has finished.\n\n"
            f"Lines read:       {lines_seen}\n"
            f"New transactions: {lines_new}\n"
            f"Duplicates:       {lines_duplicate}\n"
            f"Failed lines:     {lines_failed}\n{_SIGNATURE}"
        ),
    )


def import_failed(to: str, account: str, reason: str) -> OutgoingMail:
    account = single_line(account, 100)
    reason = plain_text(reason).strip()[:_MAX_REASON]
    return OutgoingMail(
        to=to,
        subject=f"Import failed: {account}",
        text=(
            f"The import into {account} failed. Nothing from this file was recorded.\n\n"
            f"Reason: {reason}\n{_SIGNATURE}"
        ),
    )


def connection_needs_attention(to: str, connection: str, reason: str) -> OutgoingMail:
    connection = single_line(connection, 100)
    reason = plain_text(reason).strip()[:_MAX_REASON]
    return OutgoingMail(
        to=to,
        subject=f"Bank connection needs attention: {connection}",
        text=(
            f"fintrack could not sync the bank connection {connection}.\n\n"
            f"Reason: {reason}\n\n"
            "Sign in and renew the connection to resume automatic imports.\n"
            f"{_SIGNATURE}"
        ),
    )
