"""Telling the formats apart from their content, and finding the parser for each."""

from __future__ import annotations

import pytest

from adapters.banks.registry import parser_for
from adapters.banks.statement_format import detect_format
from application.statement import StatementRejected

from .statement_files import statement_file


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("camt053_v02_two_statements.xml", "camt.053"),
        ("camt053_v08_structured_parties.xml", "camt.053"),
        ("chase_checking_sgml_no_closing_tags.qfx", "ofx"),
        ("amex_card_ofx2.ofx", "ofx"),
        ("deutsche_bank_two_statements.sta", "mt940"),
        ("ing_nl_structured.940", "mt940"),
        ("dkb_giro_2023_layout.csv", "csv"),
        ("fio_cz_cp1250.csv", "csv"),
    ],
)
def test_each_fixture_is_recognised_by_content_alone(name: str, expected: str) -> None:
    assert detect_format(statement_file(name), None) == expected


def test_qif_is_recognised_by_its_type_line() -> None:
    assert detect_format(b"!Type:Bank\nD1/2/24\nT-1.00\n^\n", "export.txt") == "qif"


def test_the_file_name_decides_only_when_the_content_cannot() -> None:
    assert detect_format(b"D1/2/24\nT-1.00\n^\n", "quicken.qif") == "qif"
    assert detect_format(b"D1/2/24\nT-1.00\n^\n", "quicken.csv") == "csv"


def test_a_payment_order_xml_is_refused_with_its_kind() -> None:
    data = (
        b'<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"/>'
    )

    with pytest.raises(StatementRejected, match=r"XML \(pain\.001\) but not a CAMT\.053"):
        detect_format(data, "payments.xml")


@pytest.mark.parametrize(
    ("format_name", "parser_format"),
    [("csv", "csv"), ("csv:dkb", "csv"), ("ofx", "ofx"), ("camt.053", "camt.053"),
     ("mt940", "mt940"), ("qif", "qif")],
)  # fmt: skip
def test_every_detected_format_has_a_parser(format_name: str, parser_format: str) -> None:
    assert parser_for(format_name).format == parser_format


def test_an_unknown_format_name_is_refused() -> None:
    with pytest.raises(StatementRejected, match="not a statement format we can read"):
        parser_for("xlsx")
