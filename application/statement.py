"""Bank statement files: the port the importer parses them through, and what it gets back.

A parser turns the bytes of one uploaded file into a ``ParsedStatement``: the lines it could read
and a ``LineError`` for each one it could not, so one bad row never costs the whole file.
A file that cannot be read at all (too big, binary, an XML bomb, the wrong format) raises
``StatementRejected`` with a reason a person can act on. Everything here is stdlib-only; the
adapters hold the formats.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Protocol

MAX_STATEMENT_BYTES = 64 * 1024 * 1024  # larger than any real statement; refused before parsing


class StatementRejected(Exception):  # noqa: N818 (the name the issue uses)
    """The whole file cannot be read; ``reason`` says why, for the person who uploaded it."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class StatementLine:
    booked_on: date
    value_date: date | None
    amount: Decimal  # signed and exact: negative leaves the account
    currency: str | None  # ISO 4217 when the file says so
    payee: str
    counterparty_name: str
    counterparty_iban: str
    description: str
    bank_reference: str | None  # the bank's unique id for the transaction, if any
    pending: bool
    # The record as the bank sent it, where nothing else keeps it: a bank connection's lines
    # (their sync keeps these, sealed). A statement file is kept whole, so its parsers leave it.
    raw: str = ""


@dataclass(frozen=True, slots=True)
class LineError:
    line_no: int  # 1-based line (or record) number in the file
    reason: str


@dataclass(frozen=True, slots=True)
class ParsedStatement:
    lines: tuple[StatementLine, ...]
    errors: tuple[LineError, ...]
    account_iban: str | None
    currency: str | None
    format: str


class AmountSign(Enum):
    """How a CSV says which way money moved."""

    SIGNED = "signed"  # one amount column, negative = outgoing
    INVERTED = "inverted"  # one amount column, positive = outgoing (some card exports)
    DEBIT_CREDIT_COLUMNS = "debit_credit_columns"  # separate debit and credit columns
    DIRECTION_COLUMN = "direction_column"  # unsigned amount plus a column saying "debit"/"credit"


@dataclass(frozen=True, slots=True)
class CsvMapping:
    """Which CSV column means what, confirmed once per account and reused for its next files.

    Columns are header names when ``has_header`` is true, else 0-based indexes written as strings
    ("0", "1", ...). ``date_format`` uses ``strptime`` codes. Unset optional columns stay empty.
    """

    date_column: str
    amount_column: str  # with DEBIT_CREDIT_COLUMNS this is the debit column
    date_format: str
    payee_column: str | None = None
    incoming_payee_column: str | None = None  # the payer's column for incoming money
    description_columns: tuple[str, ...] = ()
    value_date_column: str | None = None
    currency_column: str | None = None
    counterparty_iban_column: str | None = None
    reference_column: str | None = None
    credit_column: str | None = None  # only with DEBIT_CREDIT_COLUMNS
    sign: AmountSign = AmountSign.SIGNED
    direction_column: str | None = None  # only with DIRECTION_COLUMN
    debit_markers: tuple[str, ...] = ("d", "dr", "debit")  # case-folded direction values = outgoing
    status_column: str | None = None
    pending_markers: tuple[str, ...] = ()  # case-folded status values that mean "not yet booked"
    decimal_separator: str = "."
    thousands_separator: str = ""
    delimiter: str = ","
    encoding: str | None = None  # None: detect (BOM, UTF-8, else the likeliest code page)
    has_header: bool = True
    skip_rows: int = 0  # preamble lines before the header (account summaries some banks print)
    default_currency: str | None = None
    preset: str | None = field(default=None, compare=False)  # the bank layout it came from, if any


class StatementParser(Protocol):
    format: str

    def parse(self, data: bytes, *, mapping: CsvMapping | None = None) -> ParsedStatement:
        """Read one whole file; ``mapping`` is for CSV, self-describing formats ignore it."""
        ...


class CsvMappingRequired(StatementRejected):
    """A CSV whose layout matches no known bank: the user must confirm a mapping."""
