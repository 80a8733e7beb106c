"""OFX/QFX: 1.x SGML without closing tags, 2.x XML, and files ofxtools calls invalid."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from adapters.banks.ofx_parser import OfxStatementParser

from .statement_files import statement_file

PARSER = OfxStatementParser()


def test_sgml_without_closing_tags_is_read() -> None:
    parsed = PARSER.parse(statement_file("chase_checking_sgml_no_closing_tags.qfx"))

    assert [(line.amount, line.bank_reference) for line in parsed.lines] == [
        (Decimal("-42.17"), "202401020"),
        (Decimal("1500.00"), "202401030"),
        (Decimal("-1234.56"), "202401040"),
    ]
    assert parsed.currency == "USD"
    assert parsed.errors == ()


def test_the_booking_day_is_the_banks_calendar_day_not_utc() -> None:
    parsed = PARSER.parse(statement_file("chase_checking_sgml_no_closing_tags.qfx"))

    # 2024-01-02 23:00 EST is already 2024-01-03 in UTC; the bank booked it on the 2nd.
    assert parsed.lines[0].booked_on == date(2024, 1, 2)


def test_windows_1252_names_and_entities_are_decoded() -> None:
    parsed = PARSER.parse(statement_file("chase_checking_sgml_no_closing_tags.qfx"))

    assert parsed.lines[2].payee == "CAFÉ ROUGE & BAR"
    assert parsed.lines[0].description == "CARD PURCHASE 01/02"


def test_ofx_2_xml_credit_card_statement_is_read() -> None:
    parsed = PARSER.parse(statement_file("amex_card_ofx2.ofx"))

    purchase, payment = parsed.lines
    assert (purchase.booked_on, purchase.value_date) == (date(2024, 2, 12), date(2024, 2, 13))
    assert purchase.payee == "AMAZON MKTPLACE PMTS"  # nested <PAYEE><NAME>
    assert purchase.description == "'@SUM(A1:A9) order 112-4471"
    assert (payment.amount, payment.currency) == (Decimal("500.00"), "USD")
    assert payment.bank_reference == "320240510289761234"


def test_a_header_ofxtools_rejects_is_read_by_the_tolerant_path() -> None:
    data = (
        statement_file("chase_checking_sgml_no_closing_tags.qfx")
        .replace(b"CHARSET:1252", b"CHARSET:UTF-8")
        .replace("É".encode("cp1252"), "É".encode())
    )

    parsed = PARSER.parse(data)

    assert [line.payee for line in parsed.lines] == [
        "STARBUCKS STORE 05432",
        "ACME CORP PAYROLL",
        "CAFÉ ROUGE & BAR",
    ]


def test_a_file_cut_inside_a_transaction_keeps_the_complete_ones() -> None:
    data = statement_file("chase_checking_sgml_no_closing_tags.qfx")
    cut = data[: data.index(b"<TRNAMT>1500") + len(b"<TRNAMT>15")]

    parsed = PARSER.parse(cut)

    assert [line.amount for line in parsed.lines] == [Decimal("-42.17")]
    assert [e.reason for e in parsed.errors] == [
        "the file ends inside this transaction",
        "the file ends early: </OFX> is missing",
    ]


def test_a_decimal_comma_amount_is_read_exactly() -> None:
    data = statement_file("chase_checking_sgml_no_closing_tags.qfx").replace(
        b"<TRNAMT>-42.17", b"<TRNAMT>-42,17"
    )

    assert PARSER.parse(data).lines[0].amount == Decimal("-42.17")
