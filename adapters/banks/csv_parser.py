"""``CsvStatementParser``: bank CSV exports, by a known preset or a mapping the user confirmed."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from application.statement import (
    AmountSign,
    CsvMapping,
    CsvMappingRequired,
    LineError,
    ParsedStatement,
    StatementLine,
    StatementRejected,
)

from .amount import AmountError, parse_amount
from .csv_preset import PRESETS, header_key, matches_header, preset_for_header
from .csv_reading import CsvRecord, read_records, sample_rows, sniff_delimiter
from .dates import DateParser, date_parser, fit_count, infer_date_format
from .encoding import decode_statement
from .guard import check_statement_bytes
from .text import clean_currency, clean_iban, clean_reference, only_value, safe_text


@dataclass(frozen=True, slots=True)
class _Columns:
    """The mapping resolved to cell indexes (-1 = not mapped)."""

    date: int
    amount: int
    value_date: int
    payee: int
    incoming_payee: int
    description: tuple[int, ...]
    currency: int
    iban: int
    reference: int
    credit: int
    direction: int
    status: int

    @property
    def width(self) -> int:
        return max(self.date, self.amount, self.credit, self.direction, self.value_date) + 1


class CsvStatementParser:
    format = "csv"

    def parse(self, data: bytes, *, mapping: CsvMapping | None = None) -> ParsedStatement:
        check_statement_bytes(data)
        text = _decode(data, mapping)
        delimiter = mapping.delimiter if mapping else sniff_delimiter(text)
        header_line, header, mapping = self._layout(text, delimiter, mapping)
        columns = _resolve(mapping, header)
        records = (
            r
            for r in read_records(text, delimiter)
            if r.line_no > header_line and (not isinstance(r, CsvRecord) or any(r.cells))
        )
        parse_date = date_parser(mapping.date_format)
        lines: list[StatementLine] = []
        errors: list[LineError] = []
        for record in records:
            if not isinstance(record, CsvRecord):
                errors.append(LineError(record.line_no, record.reason))
                continue
            if not any(cell.strip() for cell in record.cells):
                continue
            try:
                lines.append(_line(record, columns, mapping, parse_date))
            except (ValueError, IndexError) as error:
                errors.append(LineError(record.line_no, str(error)))
        return ParsedStatement(
            lines=tuple(lines),
            errors=tuple(errors),
            account_iban=None,
            currency=only_value(line.currency for line in lines),
            format=f"csv:{mapping.preset}" if mapping.preset else "csv",
        )

    def _layout(
        self, text: str, delimiter: str, mapping: CsvMapping | None
    ) -> tuple[int, list[str] | None, CsvMapping]:
        """(line number of the header or 0, header cells, the mapping to use)."""
        rows = sample_rows(text, delimiter)
        if mapping is None:
            for row in rows:
                preset = preset_for_header(row.cells)
                if preset is not None:
                    found = replace(preset.mapping, delimiter=delimiter, skip_rows=row.line_no - 1)
                    return row.line_no, row.cells, _fit_date_format(found, row, text)
            raise CsvMappingRequired(
                "This CSV layout is not one we recognise. Confirm which column holds the date, the "
                "amount and the payee (a suggestion is prepared), and it will be remembered."
            )
        if not mapping.has_header:
            return mapping.skip_rows, None, mapping
        wanted = {header_key(mapping.date_column), header_key(mapping.amount_column)}
        for row in rows:
            if wanted <= {header_key(cell) for cell in row.cells}:
                return row.line_no, row.cells, mapping
        raise StatementRejected(
            f"The columns {mapping.date_column!r} and {mapping.amount_column!r} of the saved "
            "mapping are not in this file's header; the bank may have changed its export layout."
        )


def _decode(data: bytes, mapping: CsvMapping | None) -> str:
    """Decode; a legacy-encoded file whose header is a known bank's is read in that bank's code page
    (Windows-1250 and -1252 share most letters, so detection alone can pick the wrong one)."""
    text, encoding = decode_statement(data, mapping.encoding if mapping else None)
    if mapping is not None or encoding.startswith("utf"):
        return text
    for preset in PRESETS:
        if not preset.legacy_encoding:
            continue
        try:
            candidate = data.decode(preset.legacy_encoding)
        except UnicodeDecodeError:
            continue
        rows = sample_rows(candidate, preset.mapping.delimiter)
        if any(matches_header(row.cells, preset) for row in rows):
            return candidate
    return text


def _fit_date_format(mapping: CsvMapping, header: CsvRecord, text: str) -> CsvMapping:
    """Presets name the usual date layout; a bank that changed it is re-read from the column."""
    rows = [r for r in sample_rows(text, mapping.delimiter) if r.line_no > header.line_no]
    index = [header_key(c) for c in header.cells].index(header_key(mapping.date_column))
    values = [r.cells[index].strip() for r in rows if index < len(r.cells) and r.cells[index]]
    if fit_count(date_parser(mapping.date_format), values) == len(values):
        return mapping
    try:
        inferred = infer_date_format(values)
    except StatementRejected:
        return mapping  # bad dates become line errors under the preset's layout
    if fit_count(date_parser(inferred), values) > fit_count(
        date_parser(mapping.date_format), values
    ):
        return replace(mapping, date_format=inferred)
    return mapping


def _resolve(mapping: CsvMapping, header: list[str] | None) -> _Columns:
    keys = [header_key(cell) for cell in header] if header else []

    def index(column: str | None) -> int:
        if not column:
            return -1
        if header is None:
            return int(column)
        try:
            return keys.index(header_key(column))
        except ValueError:
            reason = f"The column {column!r} is not in this file's header."
            raise StatementRejected(reason) from None

    return _Columns(
        date=index(mapping.date_column),
        amount=index(mapping.amount_column),
        value_date=index(mapping.value_date_column),
        payee=index(mapping.payee_column),
        incoming_payee=index(mapping.incoming_payee_column),
        description=tuple(i for i in map(index, mapping.description_columns) if i >= 0),
        currency=index(mapping.currency_column),
        iban=index(mapping.counterparty_iban_column),
        reference=index(mapping.reference_column),
        credit=index(mapping.credit_column),
        direction=index(mapping.direction_column),
        status=index(mapping.status_column),
    )


def _cell(cells: list[str], index: int) -> str:
    return cells[index] if 0 <= index < len(cells) else ""


def _amount(cells: list[str], columns: _Columns, mapping: CsvMapping) -> Decimal:
    dec, thou = mapping.decimal_separator, mapping.thousands_separator
    match mapping.sign:
        case AmountSign.SIGNED:
            return parse_amount(cells[columns.amount], dec, thou)
        case AmountSign.INVERTED:
            return -parse_amount(cells[columns.amount], dec, thou)
        case AmountSign.DEBIT_CREDIT_COLUMNS:
            debit, credit = cells[columns.amount].strip(), _cell(cells, columns.credit).strip()
            if bool(debit) == bool(credit):
                raise AmountError("exactly one of the debit and credit columns must hold an amount")
            return (
                -abs(parse_amount(debit, dec, thou))
                if debit
                else abs(parse_amount(credit, dec, thou))
            )
        case AmountSign.DIRECTION_COLUMN:
            amount = abs(parse_amount(cells[columns.amount], dec, thou))
            outgoing = cells[columns.direction].strip().casefold() in mapping.debit_markers
            return -amount if outgoing else amount


def _line(
    record: CsvRecord, columns: _Columns, mapping: CsvMapping, parse_date: DateParser
) -> StatementLine:
    cells = record.cells
    if len(cells) < columns.width:
        raise ValueError(f"the row has {len(cells)} cells; at least {columns.width} are needed")
    try:
        booked_on = parse_date(cells[columns.date])
        value_text = _cell(cells, columns.value_date).strip()
        value_date = parse_date(value_text) if value_text else None
    except ValueError:
        raise ValueError(
            f"{cells[columns.date][:20]!r} is not a date in the format {mapping.date_format}"
        ) from None
    amount = _amount(cells, columns, mapping)
    payee_index = columns.payee
    if amount > 0 and columns.incoming_payee >= 0:
        payee_index = columns.incoming_payee
    payee = safe_text(_cell(cells, payee_index))
    currency = clean_currency(_cell(cells, columns.currency)) or mapping.default_currency
    status = _cell(cells, columns.status).strip().casefold()
    return StatementLine(
        booked_on=booked_on,
        value_date=value_date,
        amount=amount,
        currency=currency,
        payee=payee,
        counterparty_name=payee,
        counterparty_iban=clean_iban(_cell(cells, columns.iban)),
        description=safe_text(" ".join(cells[i] for i in columns.description if i < len(cells))),
        bank_reference=clean_reference(_cell(cells, columns.reference)),
        pending=bool(status) and status in mapping.pending_markers,
    )
