"""MT940: the German ``?20`` sub-field dialect and the Dutch ``/CNTP/…/REMI/`` dialect."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from adapters.banks.mt940_parser import Mt940StatementParser

from .statement_files import statement_file

PARSER = Mt940StatementParser()


def test_german_subfields_give_payee_iban_and_purpose() -> None:
    parsed = PARSER.parse(statement_file("deutsche_bank_two_statements.sta"))

    card = parsed.lines[0]
    assert card.amount == Decimal("-42.17")
    assert card.booked_on == date(2024, 1, 31)
    assert card.payee == "REWE Markt GmbH"
    assert card.counterparty_iban == "DE02120300000000202051"  # wrapped over two lines
    assert card.bank_reference == "B4A02ABC123"


def test_every_statement_block_in_the_file_is_read() -> None:
    parsed = PARSER.parse(statement_file("deutsche_bank_two_statements.sta"))

    assert [(line.booked_on, line.amount) for line in parsed.lines] == [
        (date(2024, 1, 31), Decimal("-42.17")),
        (date(2024, 1, 31), Decimal("1500.00")),
        (date(2024, 2, 1), Decimal("-9.99")),
    ]
    assert parsed.lines[2].payee == "Netflix International B.V."
    assert parsed.lines[2].description == "Netflix Abo"
    assert parsed.currency == "EUR"


def test_dutch_slash_codes_give_counterparty_and_remittance() -> None:
    parsed = PARSER.parse(statement_file("ing_nl_structured.940"))

    groceries, salary = parsed.lines
    assert (groceries.amount, groceries.payee) == (Decimal("-89.50"), "Albert Heijn 1403")
    assert groceries.counterparty_iban == "NL32INGB0000012345"
    assert groceries.description == "Betaalautomaat 12:14 pasnr. 123"
    assert (salary.amount, salary.description) == (Decimal("2500.00"), "Salaris maart 2024")


def test_an_account_with_the_currency_appended_still_yields_the_iban() -> None:
    parsed = PARSER.parse(statement_file("ing_nl_structured.940"))

    assert parsed.account_iban == "NL20INGB0001234567"


def test_the_86_structured_codes_give_the_counterparty_and_the_purpose() -> None:
    parsed = PARSER.parse(statement_file("ing_nl_structured.940"))

    salary = parsed.lines[1]
    assert (salary.amount, salary.counterparty_iban) == (Decimal("2500.00"), "NL91ABNA0417164300")
    assert (salary.payee, salary.description) == ("Werkgever B.V.", "Salaris maart 2024")


def test_a_file_cut_short_reports_the_missing_end() -> None:
    data = statement_file("deutsche_bank_two_statements.sta")
    cut = data[: data.rindex(b":62F:")]

    parsed = PARSER.parse(cut)

    assert len(parsed.lines) == 3
    assert [e.reason for e in parsed.errors] == ["the file ends early: no final '-'"]
