"""CAMT.053 fields are read as XPath reads them: the first match in document order wins, a
field's text is all the text inside it, and repeated blocks are searched in order."""

from __future__ import annotations

from datetime import date

from adapters.banks.camt_parser import CamtStatementParser
from application.statement import StatementLine

PARSER = CamtStatementParser()


def _only_line(entry: str) -> StatementLine:
    data = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><Stmt>'
        "<Acct><Id><IBAN>DE14123456780123456789</IBAN></Id><Ccy>EUR</Ccy></Acct>"
        f"<Ntry><Amt>5.00</Amt><CdtDbtInd>DBIT</CdtDbtInd>{entry}</Ntry>"
        "</Stmt></BkToCstmrStmt></Document>"
    ).encode()
    parsed = PARSER.parse(data)
    assert parsed.errors == ()
    (line,) = parsed.lines
    return line


def test_a_booking_date_is_read_through_whitespace_and_nesting() -> None:
    line = _only_line("<BookgDt>\n  <DtTm>2024-03-14T23:59:59</DtTm>\n</BookgDt>")

    assert line.booked_on == date(2024, 3, 14)


def test_a_status_code_nested_in_cd_still_marks_the_entry_pending() -> None:
    line = _only_line("<Sts> <Cd>PDNG</Cd> </Sts><BookgDt><Dt>2024-03-14</Dt></BookgDt>")

    assert line.pending is True


def test_the_party_name_met_first_in_the_document_is_the_payee() -> None:
    line = _only_line(
        "<BookgDt><Dt>2024-03-14</Dt></BookgDt><NtryDtls><TxDtls><RltdPties>"
        "<Cdtr><Pty><Nm>Structured Name AG</Nm></Pty><Nm>Plain Name</Nm></Cdtr>"
        "</RltdPties></TxDtls></NtryDtls>"
    )

    assert line.payee == "Structured Name AG"


def test_a_reference_in_a_later_refs_block_is_still_found() -> None:
    line = _only_line(
        "<BookgDt><Dt>2024-03-14</Dt></BookgDt><NtryDtls><TxDtls>"
        "<Refs><EndToEndId>E2E-1</EndToEndId></Refs><Refs><AcctSvcrRef>BANK-7</AcctSvcrRef></Refs>"
        "</TxDtls></NtryDtls>"
    )

    assert line.bank_reference == "BANK-7"


def test_remittance_lines_of_every_block_are_joined_in_document_order() -> None:
    line = _only_line(
        "<BookgDt><Dt>2024-03-14</Dt></BookgDt><NtryDtls><TxDtls>"
        "<RmtInf><Ustrd>Invoice 17</Ustrd></RmtInf><RmtInf><Ustrd>and 18</Ustrd>"
        "<Strd><CdtrRefInf><Ref>RF18539007547034</Ref></CdtrRefInf></Strd></RmtInf>"
        "</TxDtls></NtryDtls>"
    )

    assert line.description == "Invoice 17 and 18 RF18539007547034"


def test_an_element_of_another_namespace_is_not_read_as_a_camt_field() -> None:
    line = _only_line(
        '<BookgDt><Dt>2024-03-14</Dt></BookgDt><AddtlNtryInf xmlns="urn:other">Alien'
        "</AddtlNtryInf><AddtlNtryInf>Card payment</AddtlNtryInf>"
    )

    assert line.description == "Card payment"
