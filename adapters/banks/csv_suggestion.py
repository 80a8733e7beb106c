"""Finding the header of an unknown CSV and suggesting a ``CsvMapping`` for the user to confirm.

Column roles come from header words in the languages our users' banks write (English, German,
Dutch, French, Spanish, Czech), and failing that from the values: dates, then amounts.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from application.statement import AmountSign, CsvMapping, StatementRejected

from .amount import AmountError, infer_separators, parse_amount
from .csv_preset import header_key, preset_for_header
from .csv_reading import CsvRecord, sample_rows, sniff_delimiter
from .dates import infer_date_format
from .encoding import decode_statement
from .guard import check_statement_bytes

_ROLES: dict[str, tuple[str, ...]] = {
    "date": (
        "booking date",
        "posting date",
        "transaction date",
        "buchungstag",
        "buchungsdatum",
        "date",
        "datum",
        "fecha",
        "data",
        "boekdatum",
    ),
    "value_date": ("value date", "valuta", "valutadatum", "wertstellung", "rentedatum"),
    "debit": ("debit", "money out", "paid out", "withdrawal", "soll", "ausgang", "af"),
    "credit": ("credit", "money in", "paid in", "deposit", "haben", "eingang", "bij"),
    "amount": ("amount", "betrag", "bedrag", "montant", "importe", "objem", "částka", "umsatz"),
    "currency": ("currency", "währung", "waehrung", "valuta code", "devise", "měna", "ccy"),
    "payee": (
        "payee",
        "counterparty",
        "counter party",
        "beneficiary",
        "merchant",
        "name",
        "empfänger",
        "begünstigter",
        "auftraggeber",
        "naam",
        "bénéficiaire",
        "protiúčtu",
    ),
    "iban": ("iban", "counterparty account", "tegenrekening", "protiúčet", "kontonummer"),
    "description": (
        "description",
        "memo",
        "details",
        "narrative",
        "verwendungszweck",
        "omschrijving",
        "mededelingen",
        "libellé",
        "concepto",
        "zpráva",
        "reference",
    ),
    "reference": ("transaction id", "reference number", "id", "referenz", "id operace"),
}


def locate_header(rows: list[CsvRecord]) -> tuple[int, list[str] | None]:
    """(index of the first data row in ``rows``, header cells or None when there is no header)."""
    widths = [len(row.cells) for row in rows]
    width = max(set(widths), key=widths.count)
    for index, row in enumerate(rows):
        filled = sum(1 for cell in row.cells if cell.strip())
        if len(row.cells) != width or filled <= width / 2:
            continue  # a title or summary line in the preamble, not the header
        if any(_is_value(cell) for cell in row.cells):
            return index, None
        return index + 1, row.cells
    raise StatementRejected("The CSV has no rows with a consistent number of columns.")


def _is_value(cell: str) -> bool:
    text = cell.strip()
    if not text:
        return False
    try:
        parse_amount(text)
    except AmountError:
        pass
    else:
        return True
    try:
        infer_date_format([text])
    except StatementRejected as rejected:
        return "ambiguous" in rejected.reason
    return True


def suggest_mapping(data: bytes) -> CsvMapping:
    """A preset's mapping for a known header, else a best reading of the columns to confirm."""
    check_statement_bytes(data)
    text, _ = decode_statement(data)
    delimiter = sniff_delimiter(text)
    rows = sample_rows(text, delimiter)
    if not rows:
        raise StatementRejected("The CSV has no rows.")
    for row in rows:
        preset = preset_for_header(row.cells)
        if preset is not None:
            return replace(preset.mapping, delimiter=delimiter, skip_rows=row.line_no - 1)
    first_data, header = locate_header(rows)
    data_rows = [r.cells for r in rows[first_data:] if len(r.cells) == len(rows[first_data].cells)]
    columns = header or [str(i) for i in range(len(data_rows[0]) if data_rows else 0)]

    def column(values_of: int) -> list[str]:
        return [cells[values_of] for cells in data_rows if values_of < len(cells)]

    roles = _roles_from_header(header) if header else {}
    if "date" not in roles:
        roles["date"] = _first(i for i in range(len(columns)) if _all_dates(column(i)))
    if "amount" not in roles and "debit" not in roles:
        roles["amount"] = _first(
            i for i in range(len(columns)) if i != roles["date"] and _all_amounts(column(i))
        )
    amount_index = roles.get("amount", roles.get("debit"))
    assert amount_index is not None
    amount_values = column(amount_index) + (column(roles["credit"]) if "credit" in roles else [])
    decimal, thousands = infer_separators(amount_values)
    if not decimal:
        decimal, thousands = ("," if delimiter == ";" else "."), ""
    split = "amount" not in roles and "credit" in roles

    def name(role: str) -> str | None:
        return columns[roles[role]] if role in roles else None

    return CsvMapping(
        date_column=columns[roles["date"]],
        amount_column=columns[amount_index],
        date_format=infer_date_format(column(roles["date"])),
        payee_column=name("payee"),
        description_columns=tuple(c for c in (name("description"),) if c),
        value_date_column=name("value_date"),
        currency_column=name("currency"),
        counterparty_iban_column=name("iban"),
        reference_column=name("reference"),
        credit_column=name("credit") if split else None,
        sign=AmountSign.DEBIT_CREDIT_COLUMNS if split else AmountSign.SIGNED,
        decimal_separator=decimal,
        thousands_separator=thousands,
        delimiter=delimiter,
        has_header=header is not None,
        skip_rows=rows[first_data].line_no - (2 if header else 1),
    )


def _first(indexes: Iterator[int]) -> int:
    found = next(indexes, None)
    if found is None:
        raise StatementRejected(
            "No column of this CSV reads as dates, or none as amounts; choose them in the mapping."
        )
    return found


def _roles_from_header(header: list[str]) -> dict[str, int]:
    keys = [header_key(cell) for cell in header]
    roles: dict[str, int] = {}
    for role, words in _ROLES.items():
        for word in words:  # earlier words are stronger; exact match beats containment
            taken = roles.values()
            hit = next((i for i, k in enumerate(keys) if k == word and i not in taken), None)
            if hit is None:
                hit = next(
                    (i for i, k in enumerate(keys) if word in k and i not in roles.values()), None
                )
            if (hit is not None and len(word) > 2) or (hit is not None and keys[hit] == word):
                roles[role] = hit
                break
    return roles


def _all_dates(values: list[str]) -> bool:
    try:
        infer_date_format(values)
    except StatementRejected as rejected:
        return "ambiguous" in rejected.reason
    return True


def _all_amounts(values: list[str]) -> bool:
    decimal, thousands = infer_separators(values)
    try:
        for value in values:
            parse_amount(value, decimal or ".", thousands)
    except AmountError:
        return False
    return bool(values)
