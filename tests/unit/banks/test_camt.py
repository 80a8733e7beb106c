"""CAMT.053: several statements per file, batch entries split into lines, signs from CdtDbtInd."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from adapters.banks.camt_parser import CamtStatementParser
from application.statement import StatementRejected

from .statement_files import statement_file

PARSER = CamtStatementParser()


def test_every_statement_in_the_file_contributes_lines() -> None:
    parsed = PARSER.parse(statement_file("camt053_v02_two_statements.xml"))

    assert len(parsed.lines) == 5
    assert parsed.account_iban == "DE14123456780123456789"
    assert parsed.currency == "EUR"
    assert parsed.format == "camt.053"


def test_a_debit_entry_is_negative_and_names_the_creditor() -> None:
    card = PARSER.parse(statement_file("camt053_v02_two_statements.xml")).lines[0]

    assert card.amount == Decimal("-42.17")
    assert (card.booked_on, card.value_date) == (date(2024, 1, 31), date(2024, 1, 30))
    assert card.payee == "REWE Markt GmbH"
    assert card.counterparty_iban == "DE02120300000000202051"
    assert card.description == "REWE SAGT DANKE 1234 Filiale Berlin"
    assert card.bank_reference == "2024013100123456"


def test_a_batch_entry_becomes_one_line_per_transaction() -> None:
    batch = PARSER.parse(statement_file("camt053_v02_two_statements.xml")).lines[1:4]

    assert [line.amount for line in batch] == [
        Decimal("100.00"),
        Decimal("100.00"),
        Decimal("50.00"),
    ]
    assert [line.payee for line in batch] == [
        "Anna Schmidt",
        '\'=HYPERLINK("http://evil.example")',  # a formula-shaped name is neutralised
        "Jörg Müller",
    ]
    assert batch[2].description == "RF18539007547034"


def test_batch_lines_get_distinct_references() -> None:
    batch = PARSER.parse(statement_file("camt053_v02_two_statements.xml")).lines[1:4]

    assert [line.bank_reference for line in batch] == [
        "BATCH-7781/1",
        "BATCH-7781-B",
        "BATCH-7781/3",
    ]


def test_a_pending_entry_without_details_uses_the_entry_information() -> None:
    pending = PARSER.parse(statement_file("camt053_v02_two_statements.xml")).lines[4]

    assert pending.pending is True
    assert pending.amount == Decimal("-9.99")
    assert pending.description == "Vormerkung Netflix.com"
    assert pending.bank_reference is None


def test_an_absurd_amount_is_a_line_error_at_its_entry() -> None:
    parsed = PARSER.parse(statement_file("camt053_v02_two_statements.xml"))

    assert [(e.line_no, e.reason) for e in parsed.errors] == [
        (72, "'1e400' is not a readable amount")
    ]


def test_version_08_with_nested_party_names_and_datetime_booking() -> None:
    parsed = PARSER.parse(statement_file("camt053_v08_structured_parties.xml"))

    (rent,) = parsed.lines
    assert rent.booked_on == date(2024, 3, 14)
    assert rent.amount == Decimal("-1234.50")
    assert rent.currency == "CHF"
    assert rent.payee == "Immobilien Zürich AG"
    assert rent.counterparty_iban == "CH5604835012345678009"
    assert rent.bank_reference == "ZKB-2024-0314-0001"
    assert parsed.account_iban == "CH9300762011623852957"


def test_a_camt_052_report_is_refused_by_namespace() -> None:
    data = (
        b'<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.052.001.02"/>'
    )

    with pytest.raises(StatementRejected, match=r"not a CAMT\.053 statement"):
        PARSER.parse(data)


def test_a_truncated_camt_file_is_refused_with_a_reason() -> None:
    data = statement_file("camt053_v02_two_statements.xml")[:1500]

    with pytest.raises(StatementRejected, match="cut short or damaged"):
        PARSER.parse(data)
