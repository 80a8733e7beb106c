"""Known bank CSV layouts are recognised from their header and read without any mapping."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from adapters.banks.csv_parser import CsvStatementParser

from .statement_files import statement_file

PARSER = CsvStatementParser()


def test_dkb_export_with_bom_preamble_and_decimal_commas_is_read() -> None:
    parsed = PARSER.parse(statement_file("dkb_giro_2023_layout.csv"))

    assert parsed.format == "csv:dkb"
    assert parsed.currency == "EUR"
    assert [line.amount for line in parsed.lines] == [
        Decimal("-9.99"),
        Decimal("1500.00"),
        Decimal("-1234.56"),
        Decimal("-3.80"),
    ]
    salary = parsed.lines[1]
    assert salary.booked_on == date(2024, 1, 30)
    assert salary.payee == "ACME GmbH"  # incoming money names the payer, not us
    assert salary.counterparty_iban == "DE44500105175407324931"
    assert parsed.lines[3].payee == "Bäckerei Schröder"


def test_dkb_pending_rows_are_marked_pending() -> None:
    parsed = PARSER.parse(statement_file("dkb_giro_2023_layout.csv"))

    assert [line.pending for line in parsed.lines] == [True, False, False, False]


def test_dkb_row_with_nan_amount_is_a_line_error_and_the_rest_survive() -> None:
    parsed = PARSER.parse(statement_file("dkb_giro_2023_layout.csv"))

    assert len(parsed.lines) == 4
    assert [(e.line_no, e.reason) for e in parsed.errors] == [
        (10, "'NaN' is not a readable amount")
    ]


def test_sparkasse_windows_1252_export_keeps_its_accents() -> None:
    parsed = PARSER.parse(statement_file("sparkasse_csv_camt_v2_cp1252.csv"))

    assert parsed.format == "csv:sparkasse"
    assert [line.payee for line in parsed.lines] == [
        "Stadtwerke München GmbH",
        "Jürgen Weiß",
        "Señor Ñandú S.L.",
    ]
    assert parsed.lines[2].amount == Decimal("-1024.00")
    assert parsed.lines[2].pending is True
    assert parsed.lines[2].description == "KARTENZAHLUNG Gebühr ‰ Ausland"


def test_fio_windows_1250_export_with_preamble_keeps_czech_letters() -> None:
    parsed = PARSER.parse(statement_file("fio_cz_cp1250.csv"))

    assert parsed.format == "csv:fio"
    assert parsed.currency == "CZK"
    first, second = parsed.lines
    assert (first.payee, first.amount, first.bank_reference) == (
        "Žluťoučký kůň s.r.o.",
        Decimal("-1150.50"),
        "26001",
    )
    assert first.description == "Faktura č. 2024/017 Nákup krmiva"
    assert (second.payee, second.booked_on) == ("Řehoř Dvořák", date(2024, 2, 12))


def test_fio_impossible_date_is_a_line_error() -> None:
    parsed = PARSER.parse(statement_file("fio_cz_cp1250.csv"))

    assert [(e.line_no, e.reason) for e in parsed.errors] == [
        (16, "'31.02.2024' is not a date in the format %d.%m.%Y")
    ]


MONZO = b"""\
Transaction ID,Date,Time,Type,Name,Emoji,Category,Amount,Currency,Local amount,Local currency,\
Notes and #tags,Address,Receipt,Description,Category split,Money Out,Money In
tx_0000AbCdEf123,14/03/2024,08:12:45,Card payment,Pret A Manger,,Eating out,-4.25,GBP,-4.25,GBP,,\
"1 Old St, London",,PRET A MANGER LONDON GBR,,-4.25,
tx_0000AbCdEf124,15/03/2024,09:00:00,Faster payment,Jane Doe,,Transfers,1250.00,GBP,1250.00,GBP,\
Rent share,,,JANE DOE RENT,,,1250.00
"""


def test_monzo_export_is_read_day_first_with_transaction_ids() -> None:
    parsed = PARSER.parse(MONZO)

    assert parsed.format == "csv:monzo"
    coffee, rent = parsed.lines
    assert (coffee.booked_on, coffee.amount, coffee.payee) == (
        date(2024, 3, 14),
        Decimal("-4.25"),
        "Pret A Manger",
    )
    assert coffee.bank_reference == "tx_0000AbCdEf123"
    assert rent.description == "JANE DOE RENT Rent share"
    assert rent.currency == "GBP"


STARLING = b"""\
Date,Counter Party,Reference,Type,Amount (GBP),Balance (GBP),Spending Category,Notes
01/04/2024,Opening Balance,,,0.00,0.00,,
02/04/2024,TESCO STORES 3297,TESCO STORES 3297,CONTACTLESS,-23.10,-23.10,GROCERIES,
30/04/2024,Employer Ltd,SALARY APR,FASTER PAYMENT,"2,450.00","2,426.90",INCOME,
"""


def test_starling_export_reads_thousands_separators_and_defaults_to_pounds() -> None:
    parsed = PARSER.parse(STARLING)

    assert parsed.format == "csv:starling"
    assert [(line.booked_on, line.amount) for line in parsed.lines] == [
        (date(2024, 4, 1), Decimal("0.00")),
        (date(2024, 4, 2), Decimal("-23.10")),
        (date(2024, 4, 30), Decimal("2450.00")),
    ]
    assert {line.currency for line in parsed.lines} == {"GBP"}


CHASE = b"""\
Details,Posting Date,Description,Amount,Type,Balance,Check or Slip #
DEBIT,03/04/2024,"ZELLE PAYMENT TO JOHN SMITH JPM99ab12cd",-150.00,QUICKPAY_DEBIT,2350.50,,
CHECK,03/05/2024,"CHECK 1042",-80.00,CHECK_PAID,2270.50,1042,
CREDIT,03/15/2024,"ACME INC PAYROLL PPD ID: 9111111101",2100.00,ACH_CREDIT,4370.50,,
"""


def test_chase_export_is_read_month_first() -> None:
    parsed = PARSER.parse(CHASE)

    assert parsed.format == "csv:chase"
    assert [line.booked_on for line in parsed.lines] == [
        date(2024, 3, 4),
        date(2024, 3, 5),
        date(2024, 3, 15),
    ]
    assert parsed.lines[1].bank_reference == "1042"
    assert parsed.lines[2].amount == Decimal("2100.00")
    assert parsed.currency == "USD"


ING_NL = b"""\
"Datum";"Naam / Omschrijving";"Rekening";"Tegenrekening";"Code";"Af Bij";"Bedrag (EUR)";\
"Mutatiesoort";"Mededelingen";"Saldo na mutatie";"Tag"
"20240402";"Albert Heijn 1403";"NL20INGB0001234567";"";"BA";"Af";"23,45";"Betaalautomaat";\
"Pasvolgnr: 001 02-04-2024 18:02";"1.210,55";""
"20240425";"Werkgever B.V.";"NL20INGB0001234567";"NL91ABNA0417164300";"OV";"Bij";"2.500,00";\
"Overschrijving";"Salaris april";"3.710,55";""
"""


def test_ing_nl_direction_column_gives_the_sign() -> None:
    parsed = PARSER.parse(ING_NL)

    assert parsed.format == "csv:ing-nl"
    groceries, salary = parsed.lines
    assert (groceries.booked_on, groceries.amount) == (date(2024, 4, 2), Decimal("-23.45"))
    assert (salary.amount, salary.counterparty_iban) == (Decimal("2500.00"), "NL91ABNA0417164300")
