"""CSVs from banks without a preset: a suggested mapping, confirmed once, then reused."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from adapters.banks.csv_parser import CsvStatementParser
from adapters.banks.csv_suggestion import suggest_mapping
from application.statement import AmountSign, CsvMapping, CsvMappingRequired, StatementRejected

PARSER = CsvStatementParser()

SEMICOLON_DECIMAL_COMMA = """\
Kontoauszug Girokonto;;;;
Buchungstag;Empfänger;Verwendungszweck;Betrag;Währung
02.01.2024;Bäckerei Müller;Brötchen;-1.234,56;EUR
15.01.2024;Arbeitgeber AG;Lohn;2.000,00;EUR
""".encode("cp1252")


def test_unknown_layout_without_a_mapping_asks_for_one() -> None:
    with pytest.raises(CsvMappingRequired, match="not one we recognise"):
        PARSER.parse(SEMICOLON_DECIMAL_COMMA)


def test_suggestion_reads_header_words_delimiter_and_decimal_comma() -> None:
    mapping = suggest_mapping(SEMICOLON_DECIMAL_COMMA)

    assert mapping == CsvMapping(
        date_column="Buchungstag",
        amount_column="Betrag",
        date_format="%d.%m.%Y",
        payee_column="Empfänger",
        description_columns=("Verwendungszweck",),
        currency_column="Währung",
        decimal_separator=",",
        thousands_separator=".",
        delimiter=";",
        skip_rows=1,
    )


def test_a_confirmed_mapping_parses_the_file() -> None:
    parsed = PARSER.parse(SEMICOLON_DECIMAL_COMMA, mapping=suggest_mapping(SEMICOLON_DECIMAL_COMMA))

    assert [(line.booked_on, line.amount, line.payee) for line in parsed.lines] == [
        (date(2024, 1, 2), Decimal("-1234.56"), "Bäckerei Müller"),
        (date(2024, 1, 15), Decimal("2000.00"), "Arbeitgeber AG"),
    ]
    assert parsed.currency == "EUR"


def test_a_saved_mapping_still_finds_the_header_when_the_preamble_grows() -> None:
    mapping = suggest_mapping(SEMICOLON_DECIMAL_COMMA)
    longer = b"Zeitraum;01.01.2024 - 31.01.2024;;;\n" + SEMICOLON_DECIMAL_COMMA

    assert len(PARSER.parse(longer, mapping=mapping).lines) == 2


def test_a_saved_mapping_whose_columns_vanished_is_refused() -> None:
    mapping = replace(suggest_mapping(SEMICOLON_DECIMAL_COMMA), amount_column="Amount")

    with pytest.raises(StatementRejected, match="bank may have changed its export layout"):
        PARSER.parse(SEMICOLON_DECIMAL_COMMA, mapping=mapping)


def test_tab_separated_debit_and_credit_columns_become_signed_amounts() -> None:
    data = (
        b"Date\tDescription\tDebit\tCredit\n"
        b"2024-05-01\tRent\t950.00\t\n"
        b"2024-05-02\tRefund\t\t12.00\n"
    )
    mapping = suggest_mapping(data)

    assert (mapping.delimiter, mapping.sign, mapping.credit_column) == (
        "\t",
        AmountSign.DEBIT_CREDIT_COLUMNS,
        "Credit",
    )
    amounts = [line.amount for line in PARSER.parse(data, mapping=mapping).lines]
    assert amounts == [Decimal("-950.00"), Decimal("12.00")]


def test_pipe_separated_file_without_header_is_read_by_column_position() -> None:
    data = b"2024-06-01|COFFEE SHOP|-3.20\n2024-06-02|BOOKS|-18.00\n"
    mapping = suggest_mapping(data)

    assert (mapping.has_header, mapping.date_column, mapping.amount_column) == (False, "0", "2")
    parsed = PARSER.parse(data, mapping=replace(mapping, payee_column="1"))
    assert [(line.payee, line.amount) for line in parsed.lines] == [
        ("COFFEE SHOP", Decimal("-3.20")),
        ("BOOKS", Decimal("-18.00")),
    ]


def test_day_month_is_resolved_from_the_whole_column() -> None:
    data = b"Date,Payee,Amount\n03/04/2024,A,-1.00\n25/04/2024,B,-2.00\n"

    assert suggest_mapping(data).date_format == "%d/%m/%Y"


def test_a_column_of_dates_that_read_both_ways_is_refused_as_ambiguous() -> None:
    data = b"Date,Payee,Amount\n03/04/2024,A,-1.00\n05/06/2024,B,-2.00\n"

    with pytest.raises(StatementRejected, match="ambiguous"):
        suggest_mapping(data)


def test_an_explicit_mapping_settles_ambiguous_dates() -> None:
    data = b"Date,Payee,Amount\n03/04/2024,A,-1.00\n"
    mapping = CsvMapping(date_column="Date", amount_column="Amount", date_format="%m/%d/%Y")

    assert PARSER.parse(data, mapping=mapping).lines[0].booked_on == date(2024, 3, 4)


def test_inverted_sign_convention_turns_card_charges_negative() -> None:
    data = b"Date,Merchant,Charge\n2024-07-01,AIRLINE,420.00\n2024-07-02,PAYMENT,-100.00\n"
    mapping = CsvMapping(
        date_column="Date",
        amount_column="Charge",
        payee_column="Merchant",
        date_format="%Y-%m-%d",
        sign=AmountSign.INVERTED,
    )

    amounts = [line.amount for line in PARSER.parse(data, mapping=mapping).lines]
    assert amounts == [Decimal("-420.00"), Decimal("100.00")]


def test_a_quoted_cell_may_span_lines_and_the_next_record_still_reads() -> None:
    data = b'Date,Payee,Amount\n2024-01-01,"Multi\nline payee",-5.00\n2024-01-02,B,-1.00\n'
    mapping = CsvMapping(
        date_column="Date", amount_column="Amount", payee_column="Payee", date_format="%Y-%m-%d"
    )

    first, second = PARSER.parse(data, mapping=mapping).lines
    assert (first.payee, first.amount) == ("Multi line payee", Decimal("-5.00"))
    assert (second.payee, second.booked_on) == ("B", date(2024, 1, 2))
