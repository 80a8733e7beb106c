"""``Mt940StatementParser``: SWIFT MT940 statements, with the two ``:86:`` dialects banks use.

The mt-940 library reads the tags. German banks (Deutsche Bank, Sparkasse, DKB, ...) structure
``:86:`` with ``?20``-style sub-fields, which the library splits; Dutch and many other banks use
``/CNTP/…/REMI/…`` codes, read here. Each ``:20:`` statement block is parsed on its own, so a
damaged block becomes one error and the others still count.
"""

from __future__ import annotations

import logging
import re
from datetime import date
from typing import Any

import mt940

from application.statement import (
    CsvMapping,
    LineError,
    ParsedStatement,
    StatementLine,
    StatementRejected,
)

from .encoding import decode_statement
from .guard import check_statement_bytes
from .text import account_iban, clean_currency, clean_iban, clean_reference, only_value, safe_text

_BLOCK = re.compile(r"^:20:", re.MULTILINE)
_TRANSACTION = re.compile(
    r"^:61:.*?(?=^:(?:61|62[FM]|64|65|20|28C?|60[FM]):|^-\}?\s*$|\Z)", re.MULTILINE | re.DOTALL
)
_CODES = (
    "EREF|MARF|CSID|CNTP|REMI|PURP|ORDP|BENM|NAME|IBAN|BIC|ADDR|TRCD|RTRN|ISDT|ULTC|ULTD|PREF|"
    "BUSP|EXCH|CHGS|SVCL|CPRP|NRTX"
)
_CODE = re.compile(rf"/({_CODES})/")


class Mt940StatementParser:
    format = "mt940"

    def __init__(self) -> None:
        # mt-940 logs the raw text of every tag it cannot match at ERROR level: bank data (names,
        # IBANs, purposes) would leak into our logs. Unreadable input is reported as LineErrors.
        logging.getLogger("mt940.tags").setLevel(logging.CRITICAL)

    def parse(self, data: bytes, *, mapping: CsvMapping | None = None) -> ParsedStatement:
        check_statement_bytes(data)
        text, _ = decode_statement(data)
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        starts = [m.start() for m in _BLOCK.finditer(text)]
        if not starts:
            raise StatementRejected("The file is not MT940: it has no :20: statement header.")
        lines: list[StatementLine] = []
        errors: list[LineError] = []
        accounts: set[str] = set()
        currencies: set[str] = set()
        for start, end in zip(starts, [*starts[1:], len(text)], strict=True):
            block = text[start:end]
            line_no = text.count("\n", 0, start) + 1
            try:
                statement = mt940.models.Transactions(options=mt940.Options.all())
                statement.parse(block)
            except Exception as error:  # noqa: BLE001 (the library raises bare exceptions)
                errors.append(LineError(line_no, f"unreadable MT940 statement: {error}"[:200]))
                continue
            account = clean_iban(statement.data.get("account_identification"))
            if account:
                accounts.add(account)
            currency = statement.currency
            currencies.add(currency or "")
            offsets = _transaction_lines(block, line_no)
            for index, transaction in enumerate(statement.transactions):
                try:
                    lines.append(_line(transaction.data, currency))
                except (ValueError, KeyError, AttributeError) as error:
                    at = offsets[index] if index < len(offsets) else line_no
                    errors.append(LineError(at, f"unreadable transaction: {error}"))
            if not block.rstrip().endswith(("-", "-}")) and end == len(text):
                errors.append(LineError(text.count("\n") + 1, "the file ends early: no final '-'"))
        return ParsedStatement(
            lines=tuple(lines),
            errors=tuple(errors),
            account_iban=only_value(account_iban(a) for a in accounts),
            currency=only_value(currencies),
            format="mt940",
        )


def _transaction_lines(block: str, first_line: int) -> list[int]:
    """The line each ``:61:`` transaction of a block starts on (counted in one pass)."""
    offsets: list[int] = []
    line, position = first_line, 0
    for match in _TRANSACTION.finditer(block):
        line += block.count("\n", position, match.start())
        position = match.start()
        offsets.append(line)
    return offsets


def _line(data: dict[str, Any], currency: str | None) -> StatementLine:
    amount = data["amount"]
    details = _slash_codes(data.get("transaction_details") or "")
    name = data.get("applicant_name") or details.get("NAME") or details.get("CNTP_NAME")
    iban = data.get("applicant_iban") or details.get("IBAN") or details.get("CNTP_IBAN")
    purpose = data.get("purpose") or details.get("REMI")
    if purpose is None and not details:
        purpose = data.get("transaction_details")
    booked, value = data.get("entry_date") or data["date"], data["date"]
    payee = safe_text(name)
    return StatementLine(
        booked_on=date(booked.year, booked.month, booked.day),  # plain dates, not the library's
        value_date=date(value.year, value.month, value.day),
        amount=amount.amount,
        currency=clean_currency(amount.currency or data.get("currency") or currency),
        payee=payee,
        counterparty_name=payee,
        counterparty_iban=clean_iban(iban),
        description=safe_text(purpose),
        bank_reference=clean_reference(data.get("bank_reference")),
        pending=False,
    )


def _slash_codes(details: str) -> dict[str, str]:
    """``/CNTP/NL32INGB0000012345/INGBNL2A/Name/City//REMI/USTD//text/`` → named parts."""
    flat = "".join(details.splitlines())
    matches = list(_CODE.finditer(flat))
    parts: dict[str, str] = {}
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(flat)
        parts.setdefault(match.group(1), flat[match.end() : end].strip("/"))
    counterparty = parts.get("CNTP") or parts.get("BENM") or parts.get("ORDP")
    if counterparty:
        pieces = [*counterparty.split("/"), "", "", ""]
        parts["CNTP_IBAN"], parts["CNTP_NAME"] = pieces[0], pieces[2]
    if "REMI" in parts:
        remittance = parts["REMI"]
        for prefix in ("USTD//", "USTD/", "STRD/CUR/", "STRD/ISO/", "STRD/"):
            remittance = remittance.removeprefix(prefix)
        parts["REMI"] = remittance
    return parts
