"""``QifStatementParser``: Quicken Interchange Format bank and card registers.

Records are ``D``ate, ``T``/``U`` amount, ``P``ayee, ``M``emo, ``N`` number, ``L`` category lines
ended by ``^``. Dates come as ``01/31/2024``, ``1/31'24`` (Quicken's apostrophe for 2000s),
``31.01.2024`` or ISO; the layout is chosen from every date in the file, and ambiguity is refused,
never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from application.statement import (
    CsvMapping,
    LineError,
    ParsedStatement,
    StatementLine,
    StatementRejected,
)

from .amount import AmountError, infer_separators, parse_amount
from .dates import date_parser, infer_date_format
from .encoding import decode_statement
from .guard import check_statement_bytes
from .text import clean_reference, safe_text

_SUPPORTED = ("!TYPE:BANK", "!TYPE:CASH", "!TYPE:CCARD", "!TYPE:OTH A", "!TYPE:OTH L")


@dataclass
class _Record:
    line_no: int
    fields: dict[str, str] = field(default_factory=dict)


class QifStatementParser:
    format = "qif"

    def parse(self, data: bytes, *, mapping: CsvMapping | None = None) -> ParsedStatement:
        check_statement_bytes(data)
        text, _ = decode_statement(data)
        records, truncated = _records(text)
        dates = [_normal_date(r.fields.get("D", "")) for r in records]
        date_format = infer_date_format([d for d in dates if d], what="QIF date field")
        parse_date = date_parser(date_format)
        decimal, thousands = infer_separators(r.fields.get("T", "") for r in records)
        lines: list[StatementLine] = []
        errors: list[LineError] = []
        for record, date_text in zip(records, dates, strict=True):
            try:
                amount_text = record.fields.get("T") or record.fields.get("U") or ""
                amount = parse_amount(amount_text, decimal or ".", thousands or ",")
                booked_on = parse_date(date_text)
            except (ValueError, AmountError) as error:
                errors.append(LineError(record.line_no, str(error)))
                continue
            payee = safe_text(record.fields.get("P"))
            lines.append(
                StatementLine(
                    booked_on=booked_on,
                    value_date=None,
                    amount=amount,
                    currency=None,
                    payee=payee,
                    counterparty_name=payee,
                    counterparty_iban="",
                    description=safe_text(record.fields.get("M")),
                    bank_reference=clean_reference(record.fields.get("N")),
                    pending=False,
                )
            )
        if truncated is not None:
            errors.append(LineError(truncated, "the file ends inside a record (no closing '^')"))
        return ParsedStatement(tuple(lines), tuple(errors), None, None, "qif")


def _records(text: str) -> tuple[list[_Record], int | None]:
    """Records of the first supported account section, and where an unfinished one starts."""
    records: list[_Record] = []
    current: _Record | None = None
    in_section = False
    for line_no, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("!"):
            in_section = (
                stripped.upper()
                .replace(" ", "")
                .startswith(tuple(s.replace(" ", "") for s in _SUPPORTED))
            )
            current = None
            continue
        if not in_section:
            continue
        if stripped == "^":
            if current is not None:
                records.append(current)
            current = None
            continue
        if current is None:
            current = _Record(line_no)
        current.fields.setdefault(stripped[0].upper(), stripped[1:])
    if not records and current is None:
        raise StatementRejected("The QIF file holds no bank, cash or card transactions.")
    return records, current.line_no if current is not None else None


def _normal_date(value: str) -> str:
    """Quicken writes ``1/ 2'24`` for 2024-01-02; make it ``1/2/24``."""
    return value.strip().replace(" ", "").replace("'", "/")
