"""``OfxStatementParser``: OFX/QFX 1.x SGML (closing tags optional) and 2.x XML.

ofxtools reads the header, the charset and the SGML structure. Banks write OFX that ofxtools rightly
calls invalid (an unknown CHARSET, a header line missing, a file cut short); for those a tolerant
scanner reads each ``<STMTTRN>`` record on its own, so the good records survive a bad one.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import date
from xml.etree.ElementTree import Element

from ofxtools.Parser import OFXTree

from application.statement import (
    CsvMapping,
    LineError,
    ParsedStatement,
    StatementLine,
    StatementRejected,
)

from .amount import AmountError, infer_separators, parse_amount
from .encoding import decode_statement
from .guard import check_statement_bytes, refuse_xml_declarations
from .text import (
    account_iban,
    clean_currency,
    clean_iban,
    clean_reference,
    clean_text,
    only_value,
    safe_text,
)

Fields = dict[str, str]  # tag -> text, nested aggregates flattened as "PAYEE.NAME"
_STATEMENTS = ("STMTRS", "CCSTMTRS")
_RECORD = re.compile(
    r"<STMTTRN>(.*?)(?=</STMTTRN>|<STMTTRN>|</BANKTRANLIST>|\Z)", re.DOTALL | re.IGNORECASE
)
_LEAF = re.compile(r"<([A-Za-z0-9.]+)>([^<\r\n]*)")
_AGGREGATES = ("PAYEE", "CURRENCY", "ORIGCURRENCY", "BANKACCTTO", "CCACCTTO")
_CHARSET = re.compile(rb"CHARSET:\s*([A-Za-z0-9_-]+)|encoding=\"([A-Za-z0-9_-]+)\"")
_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&apos;": "'", "&nbsp;": " "}


class OfxStatementParser:
    format = "ofx"

    def parse(self, data: bytes, *, mapping: CsvMapping | None = None) -> ParsedStatement:
        check_statement_bytes(data)
        refuse_xml_declarations(data)
        if b"<OFX>" not in data.upper()[:1_000_000] and b"<OFX " not in data.upper()[:1_000_000]:
            raise StatementRejected("The file is not OFX: it has no <OFX> element.")
        if b"</OFX>" not in data[-4096:].upper():
            return _tolerant(data)  # cut short: ofxtools would read a half-written last amount
        try:
            tree = OFXTree()
            root = tree.parse(io.BytesIO(data))
        except Exception:  # noqa: BLE001 (ofxtools raises many kinds; all mean "not strict OFX")
            return _tolerant(data)
        lines: list[StatementLine] = []
        errors: list[LineError] = []
        accounts: list[str] = []
        currencies: set[str] = set()
        record_no = 0
        for statement in (s for s in root.iter() if s.tag in _STATEMENTS):
            curdef = clean_text(statement.findtext("CURDEF")).upper()
            currency = curdef if len(curdef) == 3 and curdef.isalpha() else None
            currencies.add(currency or "")
            account = statement.find("BANKACCTFROM") or statement.find("CCACCTFROM")
            if account is not None:
                accounts.append(clean_iban(account.findtext("ACCTID")))
            for record in statement.iter("STMTTRN"):
                record_no += 1
                fields = dict(_flatten(record))
                _collect(fields, record_no, currency, into=(lines, errors))
        return _statement(lines, errors, accounts, currencies)


def _flatten(element: Element, prefix: str = "") -> Iterator[tuple[str, str]]:
    for child in element:
        if len(child):
            yield from _flatten(child, f"{prefix}{child.tag}.")
        else:
            yield f"{prefix}{child.tag}", _unescape(child.text or "")


def _tolerant(data: bytes) -> ParsedStatement:
    declared = _CHARSET.search(data[:2048])
    charset = (declared.group(1) or declared.group(2)).decode().upper() if declared else ""
    encoding = {"1252": "cp1252", "ISO-8859-1": "latin-1", "UTF-8": "utf-8", "UTF8": "utf-8"}
    text, _ = decode_statement(data, encoding.get(charset))
    if "<STMTTRN>" not in text.upper():
        raise StatementRejected("The OFX file is malformed and holds no <STMTTRN> transactions.")
    curdef = re.search(r"<CURDEF>\s*([A-Za-z]{3})", text)
    currency = curdef.group(1).upper() if curdef else None
    acctid = re.search(r"<ACCTID>([^<\r\n]+)", text)
    lines: list[StatementLine] = []
    errors: list[LineError] = []
    for match in _RECORD.finditer(text):
        line_no = text.count("\n", 0, match.start()) + 1
        if match.end() == len(text):
            errors.append(LineError(line_no, "the file ends inside this transaction"))
            continue
        fields: Fields = {}
        aggregate = ""
        for name, value in _LEAF.findall(match.group(1)):
            tag = name.upper()
            if tag in _AGGREGATES:
                aggregate = tag + "."
            elif value.strip():
                fields[f"{aggregate}{tag}" if aggregate else tag] = _unescape(value)
        _collect(fields, line_no, currency, into=(lines, errors))
    if "</OFX>" not in text[-4096:].upper():
        errors.append(LineError(text.count("\n") + 1, "the file ends early: </OFX> is missing"))
    accounts = [clean_iban(acctid.group(1))] if acctid else []
    return _statement(lines, errors, accounts, {currency or ""})


def _unescape(value: str) -> str:
    if "&" not in value:
        return value
    for entity, char in _ENTITIES.items():
        value = value.replace(entity, char)
    return value


def _collect(
    fields: Fields,
    line_no: int,
    currency: str | None,
    *,
    into: tuple[list[StatementLine], list[LineError]],
) -> None:
    lines, errors = into
    try:
        lines.append(_line(fields, currency))
    except (ValueError, KeyError) as error:
        errors.append(LineError(line_no, str(error.args[0]) if error.args else repr(error)))


def _line(fields: Fields, currency: str | None) -> StatementLine:
    if not fields.get("DTPOSTED") or not fields.get("TRNAMT"):
        raise ValueError("the transaction has no DTPOSTED date or no TRNAMT amount")
    amount_text = fields["TRNAMT"].strip()
    decimal, thousands = infer_separators([amount_text])  # some banks write decimal commas
    try:
        amount = parse_amount(amount_text, decimal or ".", thousands)
    except AmountError as error:
        raise ValueError(str(error)) from None
    payee = safe_text(fields.get("NAME") or fields.get("PAYEE.NAME"))
    available = fields.get("DTAVAIL")
    return StatementLine(
        booked_on=_date(fields["DTPOSTED"]),
        value_date=_date(available) if available else None,
        amount=amount,
        currency=clean_currency(fields.get("CURRENCY.CURSYM")) or currency,
        payee=payee,
        counterparty_name=payee,
        counterparty_iban=clean_iban(fields.get("BANKACCTTO.ACCTID")),
        description=safe_text(fields.get("MEMO")),
        bank_reference=clean_reference(fields.get("FITID")),
        pending=False,
    )


def _date(value: str) -> date:
    """OFX datetimes start YYYYMMDD; the bank's own calendar day is the booking day."""
    digits = value.strip()[:8]
    if len(digits) != 8 or not digits.isdigit():
        raise ValueError(f"{value[:20]!r} is not an OFX date")
    return date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))


def _statement(
    lines: list[StatementLine],
    errors: list[LineError],
    accounts: list[str],
    currencies: set[str],
) -> ParsedStatement:
    return ParsedStatement(
        lines=tuple(lines),
        errors=tuple(errors),
        account_iban=only_value(account_iban(a) for a in accounts),
        currency=only_value(currencies),
        format="ofx",
    )
