"""Every byte is hostile: bombs, external entities, blobs, wrong encodings and formula cells."""

from __future__ import annotations

import os
import time
import zipfile
from decimal import Decimal
from io import BytesIO

import pytest

from adapters.banks.camt_parser import CamtStatementParser
from adapters.banks.csv_parser import CsvStatementParser
from adapters.banks.ofx_parser import OfxStatementParser
from adapters.banks.registry import parser_for
from adapters.banks.statement_format import FORMATS, detect_format
from application.statement import MAX_STATEMENT_BYTES, CsvMapping, StatementRejected

CAMT_NS = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"

BILLION_LAUGHS = f"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<Document xmlns="{CAMT_NS}"><BkToCstmrStmt><Stmt><Ntry><Amt Ccy="EUR">1.00</Amt>
<CdtDbtInd>DBIT</CdtDbtInd><BookgDt><Dt>2024-01-01</Dt></BookgDt>
<AddtlNtryInf>&lol9;</AddtlNtryInf></Ntry></Stmt></BkToCstmrStmt></Document>
""".encode()


def _xxe(target: str) -> bytes:
    return f"""<?xml version="1.0"?>
<!DOCTYPE Document [<!ENTITY xxe SYSTEM "{target}">]>
<Document xmlns="{CAMT_NS}"><BkToCstmrStmt><Stmt><Ntry><Amt Ccy="EUR">1.00</Amt>
<CdtDbtInd>DBIT</CdtDbtInd><BookgDt><Dt>2024-01-01</Dt></BookgDt>
<AddtlNtryInf>&xxe;</AddtlNtryInf></Ntry></Stmt></BkToCstmrStmt></Document>
""".encode()


def test_an_xml_entity_bomb_is_refused_without_expanding_it() -> None:
    with pytest.raises(StatementRejected, match="declares a DTD or XML entities"):
        CamtStatementParser().parse(BILLION_LAUGHS)


@pytest.mark.parametrize("target", ["file:///etc/passwd", "http://169.254.169.254/latest/"])
def test_an_external_entity_is_refused_never_read_or_fetched(target: str) -> None:
    with pytest.raises(StatementRejected, match="declares a DTD or XML entities"):
        CamtStatementParser().parse(_xxe(target))


def test_an_ofx_2_file_with_an_entity_declaration_is_refused() -> None:
    data = b"""<?xml version="1.0"?>
<?OFX OFXHEADER="200" VERSION="220" SECURITY="NONE" OLDFILEUID="NONE" NEWFILEUID="NONE"?>
<!DOCTYPE OFX [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>USD</CURDEF><BANKTRANLIST><STMTTRN>
<TRNTYPE>DEBIT</TRNTYPE><DTPOSTED>20240101</DTPOSTED><TRNAMT>-1.00</TRNAMT><FITID>1</FITID>
<NAME>&xxe;</NAME></STMTTRN></BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>"""

    with pytest.raises(StatementRejected, match="declares a DTD"):
        OfxStatementParser().parse(data)


@pytest.mark.parametrize("format_name", FORMATS)
def test_a_50_mib_random_blob_is_refused_quickly_by_every_parser(format_name: str) -> None:
    blob = os.urandom(50 * 1024 * 1024)
    started = time.perf_counter()

    with pytest.raises(StatementRejected, match="binary data"):
        parser_for(format_name).parse(blob)

    assert time.perf_counter() - started < 5  # a sample is inspected, not the whole blob


def test_a_file_over_the_size_limit_is_refused_before_parsing() -> None:
    with pytest.raises(StatementRejected, match="larger than 64 MiB"):
        detect_format(b"a" * (MAX_STATEMENT_BYTES + 1), "huge.csv")


def test_a_spreadsheet_uploaded_instead_of_a_csv_is_refused() -> None:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/worksheets/sheet1.xml", os.urandom(4096))

    with pytest.raises(StatementRejected, match="binary data"):
        CsvStatementParser().parse(buffer.getvalue())


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(StatementRejected, match="empty"):
        CsvStatementParser().parse(b" \r\n")


def test_a_file_in_another_encoding_than_the_saved_mapping_is_refused_with_a_reason() -> None:
    data = "Date,Payee,Amount\n2024-01-02,Müller,-1.00\n".encode("cp1252")
    mapping = CsvMapping(
        date_column="Date", amount_column="Amount", date_format="%Y-%m-%d", encoding="utf-8"
    )

    with pytest.raises(StatementRejected, match="not valid utf-8 text"):
        CsvStatementParser().parse(data, mapping=mapping)


def test_a_utf16_excel_export_is_decoded() -> None:
    data = "Date\tPayee\tAmount\n2024-01-02\tZoë\t-1.50\n".encode("utf-16")
    mapping = CsvMapping(
        date_column="Date",
        amount_column="Amount",
        payee_column="Payee",
        date_format="%Y-%m-%d",
        delimiter="\t",
    )

    (line,) = CsvStatementParser().parse(data, mapping=mapping).lines
    assert (line.payee, line.amount) == ("Zoë", Decimal("-1.50"))


FORMULAS = b"""Date,Payee,Memo,Amount
2024-01-02,"=cmd|' /C calc'!A0",@SUM(1+1),-10.00
2024-01-03,+1-555-0100,"-2+3",-20.00
2024-01-04,\xef\xbc\x9dHYPERLINK(),normal,-30.00
"""
FORMULA_MAPPING = CsvMapping(
    date_column="Date",
    amount_column="Amount",
    payee_column="Payee",
    description_columns=("Memo",),
    date_format="%Y-%m-%d",
)


def test_formula_cells_are_neutralised_in_text_fields() -> None:
    lines = CsvStatementParser().parse(FORMULAS, mapping=FORMULA_MAPPING).lines

    assert [(line.payee, line.description) for line in lines] == [
        ("'=cmd|' /C calc'!A0", "'@SUM(1+1)"),
        ("'+1-555-0100", "'-2+3"),
        ("'\uff1dHYPERLINK()", "normal"),
    ]


def test_a_leading_minus_on_the_amount_is_still_a_sign() -> None:
    lines = CsvStatementParser().parse(FORMULAS, mapping=FORMULA_MAPPING).lines

    assert [line.amount for line in lines] == [
        Decimal("-10.00"),
        Decimal("-20.00"),
        Decimal("-30.00"),
    ]


def test_formula_cells_in_iban_and_reference_columns_are_neutralised() -> None:
    data = b'Date,Iban,Ref,Amount\n2024-01-02,"=1+2",@ref,-1.00\n'
    mapping = CsvMapping(
        date_column="Date",
        amount_column="Amount",
        counterparty_iban_column="Iban",
        reference_column="Ref",
        date_format="%Y-%m-%d",
    )

    (line,) = CsvStatementParser().parse(data, mapping=mapping).lines
    assert (line.counterparty_iban, line.bank_reference) == ("'=1+2", "'@ref")


def test_a_currency_cell_that_is_not_a_currency_code_is_a_line_error() -> None:
    data = b"Date,Ccy,Amount\n2024-01-02,=cmd|x,-1.00\n2024-01-03,eur,-2.00\n"
    mapping = CsvMapping(
        date_column="Date", amount_column="Amount", currency_column="Ccy", date_format="%Y-%m-%d"
    )

    parsed = CsvStatementParser().parse(data, mapping=mapping)

    assert [line.currency for line in parsed.lines] == ["EUR"]
    assert [(e.line_no, e.reason) for e in parsed.errors] == [
        (2, "'=CMD|X' is not a currency code")
    ]


@pytest.mark.parametrize(
    ("amount", "reason"),
    [
        ("1e400", "'1e400' is not a readable amount"),
        ("NaN", "'NaN' is not a readable amount"),
        ("-Infinity", "'-Infinity' is not a readable amount"),
        ("99999999999999999999", "'99999999999999999999' is not a readable amount"),
        ("", "the amount is empty"),
    ],
)
def test_absurd_amounts_are_line_errors(amount: str, reason: str) -> None:
    data = f"Date,Payee,Amount\n2024-01-02,A,{amount}\n2024-01-03,B,-1.00\n".encode()
    mapping = CsvMapping(date_column="Date", amount_column="Amount", date_format="%Y-%m-%d")

    parsed = CsvStatementParser().parse(data, mapping=mapping)

    assert [line.amount for line in parsed.lines] == [Decimal("-1.00")]
    assert [(e.line_no, e.reason) for e in parsed.errors] == [(2, reason)]


def test_control_and_bidi_override_characters_are_dropped_from_text() -> None:
    data = 'Date,Payee,Amount\n2024-01-02,"Evil\u202e\u0007  Corp\x1b[31m",-1.00\n'.encode()
    mapping = CsvMapping(
        date_column="Date", amount_column="Amount", payee_column="Payee", date_format="%Y-%m-%d"
    )

    (line,) = CsvStatementParser().parse(data, mapping=mapping).lines
    assert line.payee == "Evil Corp [31m"


def test_a_truncated_csv_keeps_the_complete_rows_and_reports_the_cut_one() -> None:
    data = b'Date,Payee,Amount\n2024-01-02,A,-1.00\n2024-01-03,"B unfinished'
    mapping = CsvMapping(
        date_column="Date", amount_column="Amount", payee_column="Payee", date_format="%Y-%m-%d"
    )

    parsed = CsvStatementParser().parse(data, mapping=mapping)

    assert [line.payee for line in parsed.lines] == ["A"]
    assert len(parsed.errors) == 1
    assert parsed.errors[0].line_no == 3


def test_a_row_with_too_few_cells_is_a_line_error() -> None:
    data = b"Date,Payee,Amount\n2024-01-02\n2024-01-03,B,-1.00\n"
    mapping = CsvMapping(date_column="Date", amount_column="Amount", date_format="%Y-%m-%d")

    parsed = CsvStatementParser().parse(data, mapping=mapping)

    assert [(e.line_no, e.reason) for e in parsed.errors] == [
        (2, "the row has 1 cells; at least 3 are needed")
    ]
