"""Known bank CSV layouts, recognised by their header row so the user confirms nothing.

A preset is a ``CsvMapping`` plus the header cells that identify it. Header cells are compared
case-folded and without surrounding quotes or spaces.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from application.statement import AmountSign, CsvMapping


@dataclass(frozen=True, slots=True)
class CsvPreset:
    name: str
    header: frozenset[str]  # cells that must all be present (case-folded)
    mapping: CsvMapping
    legacy_encoding: str | None = None  # the bank's code page when the file is not UTF-8


def header_key(cell: str) -> str:
    return " ".join(cell.strip().strip('"').split()).casefold()


def _preset(
    name: str, cells: tuple[str, ...], mapping: CsvMapping, legacy_encoding: str | None = None
) -> CsvPreset:
    header = frozenset(header_key(c) for c in cells)
    return CsvPreset(name, header, replace(mapping, preset=name), legacy_encoding)


PRESETS: tuple[CsvPreset, ...] = (
    _preset(
        "dkb",  # DKB giro export since 2023: a preamble, then this header; "Vorgemerkt" = pending
        ("Buchungsdatum", "Wertstellung", "Status", "Zahlungsempfänger*in", "Betrag (€)"),
        CsvMapping(
            date_column="Buchungsdatum",
            value_date_column="Wertstellung",
            amount_column="Betrag (€)",
            date_format="%d.%m.%y",
            payee_column="Zahlungsempfänger*in",
            incoming_payee_column="Zahlungspflichtige*r",
            description_columns=("Verwendungszweck",),
            counterparty_iban_column="IBAN",
            reference_column=None,
            status_column="Status",
            pending_markers=("vorgemerkt",),
            decimal_separator=",",
            thousands_separator=".",
            delimiter=";",
            default_currency="EUR",
        ),
    ),
    _preset(
        "sparkasse",  # Sparkasse "CSV-CAMT V2", usually Windows-1252
        ("Auftragskonto", "Buchungstag", "Valutadatum", "Beguenstigter/Zahlungspflichtiger"),
        CsvMapping(
            date_column="Buchungstag",
            value_date_column="Valutadatum",
            amount_column="Betrag",
            date_format="%d.%m.%y",
            payee_column="Beguenstigter/Zahlungspflichtiger",
            description_columns=("Buchungstext", "Verwendungszweck"),
            counterparty_iban_column="Kontonummer/IBAN",
            currency_column="Waehrung",
            status_column="Info",
            pending_markers=("umsatz vorgemerkt",),
            decimal_separator=",",
            thousands_separator=".",
            delimiter=";",
        ),
        legacy_encoding="cp1252",
    ),
    _preset(
        "monzo",
        ("Transaction ID", "Date", "Time", "Name", "Amount", "Currency", "Money Out", "Money In"),
        CsvMapping(
            date_column="Date",
            amount_column="Amount",
            date_format="%d/%m/%Y",
            payee_column="Name",
            description_columns=("Description", "Notes and #tags"),
            currency_column="Currency",
            reference_column="Transaction ID",
            thousands_separator=",",
        ),
    ),
    _preset(
        "starling",
        ("Date", "Counter Party", "Reference", "Type", "Amount (GBP)", "Balance (GBP)"),
        CsvMapping(
            date_column="Date",
            amount_column="Amount (GBP)",
            date_format="%d/%m/%Y",
            payee_column="Counter Party",
            description_columns=("Reference",),
            thousands_separator=",",
            default_currency="GBP",
        ),
    ),
    _preset(
        "chase",  # Chase checking; dates are month-first
        ("Details", "Posting Date", "Description", "Amount", "Type", "Balance"),
        CsvMapping(
            date_column="Posting Date",
            amount_column="Amount",
            date_format="%m/%d/%Y",
            payee_column="Description",
            description_columns=("Type",),
            reference_column="Check or Slip #",
            thousands_separator=",",
            default_currency="USD",
        ),
    ),
    _preset(
        "ing-nl",  # ING Netherlands: unsigned amounts with an "Af"/"Bij" direction column
        ("Datum", "Naam / Omschrijving", "Tegenrekening", "Af Bij", "Bedrag (EUR)"),
        CsvMapping(
            date_column="Datum",
            amount_column="Bedrag (EUR)",
            date_format="%Y%m%d",
            payee_column="Naam / Omschrijving",
            description_columns=("Mededelingen",),
            counterparty_iban_column="Tegenrekening",
            sign=AmountSign.DIRECTION_COLUMN,
            direction_column="Af Bij",
            debit_markers=("af",),
            decimal_separator=",",
            thousands_separator=".",
            default_currency="EUR",
        ),
    ),
    _preset(
        "fio",  # Fio banka (CZ): Windows-1250, a key/value preamble, then this header
        ("ID operace", "Datum", "Objem", "Měna", "Protiúčet", "Název protiúčtu"),
        CsvMapping(
            date_column="Datum",
            amount_column="Objem",
            date_format="%d.%m.%Y",
            payee_column="Název protiúčtu",
            description_columns=("Zpráva pro příjemce", "Poznámka"),
            counterparty_iban_column="Protiúčet",
            currency_column="Měna",
            reference_column="ID operace",
            decimal_separator=",",
            delimiter=";",
        ),
        legacy_encoding="cp1250",
    ),
)


def preset_for_header(cells: list[str]) -> CsvPreset | None:
    return next((preset for preset in PRESETS if matches_header(cells, preset)), None)


def matches_header(cells: list[str], preset: CsvPreset) -> bool:
    return preset.header <= {header_key(cell) for cell in cells}
