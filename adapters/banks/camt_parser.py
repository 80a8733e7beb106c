"""``CamtStatementParser``: ISO 20022 CAMT.053 bank-to-customer statements, 053.001.02 to .13.

One line per transaction (``camt_entry`` reads each ``<Ntry>``). XML is parsed with entities,
DTDs and network access switched off, and any DTD is refused before parsing.

The document is streamed: each ``<Ntry>`` is read as soon as it ends, then cleared and unlinked.
A whole tree costs ~200 bytes per element, and a 100k-entry statement has 1.4 million of them
(~290 MB); streamed, only the entry being read and the document's outline are ever held.
"""

from __future__ import annotations

import re
from io import BytesIO

from lxml import etree

from application.statement import (
    CsvMapping,
    LineError,
    ParsedStatement,
    StatementLine,
    StatementRejected,
)

from .amount import AmountError
from .camt_entry import EntryReader
from .guard import check_statement_bytes, refuse_xml_declarations
from .text import clean_currency, clean_iban, only_value
from .xml_fields import FieldPaths

_NAMESPACE = re.compile(r"urn:iso:std:iso:20022:tech:xsd:camt\.053\.001\.(0[2-9]|1[0-3])")
_PARSER_OPTIONS = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "dtd_validation": False,
    "huge_tree": False,
    "remove_comments": True,
    "remove_pis": True,
}
_STREAMED = ("{*}Stmt", "{*}Ntry")  # the only elements handed over; namespaces checked on arrival


class CamtStatementParser:
    format = "camt.053"

    def parse(self, data: bytes, *, mapping: CsvMapping | None = None) -> ParsedStatement:
        check_statement_bytes(data)
        refuse_xml_declarations(data)
        elements = etree.iterparse(BytesIO(data), events=("end",), tag=_STREAMED, **_PARSER_OPTIONS)
        reader: _Reader | None = None
        try:
            for _event, element in elements:
                if reader is None:  # the root has started: refuse other XML before reading on
                    reader = _Reader(_camt_namespace(element.getroottree().getroot()))
                reader.take(element)
        except etree.XMLSyntaxError as error:
            raise StatementRejected(
                f"The CAMT file is not well-formed XML (line {error.lineno}: {error.msg}); it may "
                "be cut short or damaged. Download it again from your bank."
            ) from None
        if reader is None:  # nothing streamed: no <Stmt> at all
            reader = _Reader(_camt_namespace(elements.root))
        return reader.result()


def _camt_namespace(root: etree._Element) -> str:
    namespace = etree.QName(root).namespace or ""
    if not _NAMESPACE.fullmatch(namespace):
        raise StatementRejected(
            f"The XML is not a CAMT.053 statement (its namespace is {namespace or 'none'!r})."
        )
    return namespace


def _forget(element: etree._Element) -> None:
    """Free a finished element and its earlier siblings (the element itself stays: lxml's
    parser may still point at it, so it is emptied and unlinked with the next one)."""
    element.clear()
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


class _Reader:
    """Reads one document as it streams by."""

    def __init__(self, namespace: str) -> None:
        self._account = FieldPaths(namespace, {"iban": ["Acct/Id/IBAN"], "currency": ["Acct/Ccy"]})
        self._entries = EntryReader(namespace)
        self._entry_tag = f"{{{namespace}}}Ntry"
        self._statement_tag = f"{{{namespace}}}Stmt"
        self._group_tag = f"{{{namespace}}}BkToCstmrStmt"
        self._statement: etree._Element | None = None  # the <Stmt> whose entries are streaming
        self.account_currency: str | None = None
        self.lines: list[StatementLine] = []
        self.errors: list[LineError] = []
        self.ibans: set[str] = set()

    def take(self, element: etree._Element) -> None:
        """Read one streamed ``<Ntry>`` or ``<Stmt>`` that has just ended, then forget it."""
        if element.tag == self._entry_tag:
            statement = element.getparent()
            if statement is not self._statement:  # lxml keeps one proxy per node while referenced
                if statement is None or not self._is_statement(statement):
                    return  # not a BkToCstmrStmt/Stmt/Ntry: ignored, as it always was
                self._open(statement)
            try:
                self.lines.extend(self._entries.lines(element, self.account_currency))
            except (ValueError, AmountError) as error:
                self.errors.append(LineError(element.sourceline or 0, str(error)))
        elif element.tag == self._statement_tag and self._is_statement(element):
            if element is not self._statement:
                self._open(element)  # a statement without entries still names its account
            self._statement = None
        else:
            return
        _forget(element)

    def _is_statement(self, element: etree._Element) -> bool:
        """Whether ``element`` is a ``Stmt`` in a ``BkToCstmrStmt`` directly under the root."""
        group = element.getparent()
        root = None if group is None else group.getparent()
        return (
            element.tag == self._statement_tag
            and group is not None
            and group.tag == self._group_tag
            and root is not None
            and root.getparent() is None
        )

    def _open(self, statement: etree._Element) -> None:
        """Read a statement's account when it is first met: at its first entry (``<Acct>``
        precedes the entries in every schema version), or at its end if it has none."""
        self._statement = statement
        account = self._account.read(statement)
        iban = clean_iban(account.text("iban"))
        if iban:
            self.ibans.add(iban)
        try:
            self.account_currency = clean_currency(account.text("currency"))
        except ValueError:
            self.account_currency = None  # each entry's own Ccy still counts

    def result(self) -> ParsedStatement:
        return ParsedStatement(
            lines=tuple(self.lines),
            errors=tuple(self.errors),
            account_iban=only_value(self.ibans),
            currency=only_value(line.currency for line in self.lines),
            format="camt.053",
        )
