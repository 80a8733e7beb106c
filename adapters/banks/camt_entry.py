"""One CAMT.053 ``<Ntry>`` read into statement lines.

A plain entry is one line; a batch entry with several ``<NtryDtls><TxDtls>`` is one line per
``<TxDtls>``. ``<CdtDbtInd>`` gives the sign. Each element's fields are found in one walk over
it (``xml_fields``), and a text a statement repeats (dates, amounts, codes) is converted once per
document.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from lxml import etree

from application.statement import StatementLine

from .amount import AmountError, parse_amount
from .text import clean_currency, clean_iban, clean_reference, clean_text, safe_text
from .xml_fields import FieldPaths, Fields

_CONVERSIONS_KEPT = 4096  # distinct texts per conversion: plenty for dates, bounded for amounts


class _EntryFacts(NamedTuple):
    """What every line of one ``<Ntry>`` shares."""

    booked_on: date
    value_date: date | None
    pending: bool
    info: str


class EntryReader:
    """Reads the entries of one document, in its CAMT namespace."""

    def __init__(self, namespace: str) -> None:
        self._entry = FieldPaths(
            namespace,
            {
                "amount": ["Amt"],
                "indicator": ["CdtDbtInd"],
                "status": ["Sts"],
                "booked_on": ["BookgDt"],
                "value_date": ["ValDt"],
                "info": ["AddtlNtryInf"],
                "reference": ["AcctSvcrRef"],
                "transactions": ["NtryDtls/TxDtls"],
            },
            repeated=frozenset({"transactions"}),
        )
        self._transaction = FieldPaths(
            namespace,
            {
                "amount": ["Amt"],
                "detailed_amount": ["AmtDtls/TxAmt/Amt"],
                "indicator": ["CdtDbtInd"],
                "reference": ["Refs/AcctSvcrRef"],
                "end_to_end_id": ["Refs/EndToEndId"],
                "Cdtr": ["RltdPties/Cdtr/Nm", "RltdPties/Cdtr/Pty/Nm"],
                "Dbtr": ["RltdPties/Dbtr/Nm", "RltdPties/Dbtr/Pty/Nm"],
                "CdtrAcct": ["RltdPties/CdtrAcct/Id/IBAN"],
                "DbtrAcct": ["RltdPties/DbtrAcct/Id/IBAN"],
                "unstructured": ["RmtInf/Ustrd"],
                "structured": ["RmtInf/Strd/CdtrRefInf/Ref"],
            },
            repeated=frozenset({"unstructured"}),
        )
        # Caches live as long as the document: nothing read from one user's file outlives it.
        self._unsigned_amount = lru_cache(_CONVERSIONS_KEPT)(_unsigned_amount)
        self._iso_date = lru_cache(_CONVERSIONS_KEPT)(_iso_date)
        self._is_debit = lru_cache(_CONVERSIONS_KEPT)(_is_debit)
        self._is_pending = lru_cache(_CONVERSIONS_KEPT)(_is_pending)
        self._currency = lru_cache(_CONVERSIONS_KEPT)(clean_currency)

    def lines(self, entry: etree._Element, account_currency: str | None) -> list[StatementLine]:
        """The entry's lines; ``ValueError`` (or ``AmountError``) says why it has none."""
        fields = self._entry.read(entry)
        amount, currency = self._amount(fields, "amount")
        if amount is None:
            raise ValueError("the entry has no amount")
        booked_on = self._date(fields, "booked_on")
        if booked_on is None:
            raise ValueError("the entry has no booking date")
        common = _EntryFacts(
            booked_on=booked_on,
            value_date=self._date(fields, "value_date"),
            pending=self._is_pending(fields.text("status")),  # "BOOK" and <Cd>BOOK</Cd> alike
            info=fields.text("info"),
        )
        entry_reference = clean_reference(fields.text("reference"))
        currency = currency or account_currency
        details = fields.every("transactions")
        if not details:
            return [_line(None, amount, currency, entry_reference, common)]
        batch = len(details) > 1
        lines = []
        for index, tx in enumerate(details, start=1):
            tx_fields = self._transaction.read(tx)
            tx_amount, tx_currency = amount, currency
            if batch:
                tx_amount, tx_currency = self._transaction_amount(tx_fields, amount)
            reference = clean_reference(tx_fields.text("reference"))
            if reference is None and entry_reference is not None:
                reference = f"{entry_reference}/{index}" if batch else entry_reference
            reference = reference or clean_reference(tx_fields.text("end_to_end_id"))
            currency_of_tx = tx_currency or currency
            lines.append(_line(tx_fields, tx_amount, currency_of_tx, reference, common))
        return lines

    def _transaction_amount(self, tx: Fields, entry_amount: Decimal) -> tuple[Decimal, str | None]:
        for field in ("amount", "detailed_amount"):
            amount, currency = self._amount(tx, field)
            if amount is not None:
                if not tx.text("indicator"):
                    amount = abs(amount) if entry_amount > 0 else -abs(amount)
                return amount, currency
        raise ValueError("a batch transaction has no amount of its own")

    def _amount(self, fields: Fields, field: str) -> tuple[Decimal | None, str | None]:
        found = fields.first(field)
        if found is None:
            return None, None
        value = self._unsigned_amount(found.text or "")
        debit = self._is_debit(fields.text("indicator"))
        currency = self._currency(found.get("Ccy"))
        return (-value if debit else value), currency

    def _date(self, fields: Fields, field: str) -> date | None:
        value = fields.text(field).strip()[:10]  # <Dt> or the date part of <DtTm>
        return self._iso_date(value) if value else None


def _unsigned_amount(text: str) -> Decimal:
    value = parse_amount(text)
    if value < 0:
        raise AmountError(f"{text!r}: CAMT amounts are unsigned")
    return value


def _is_debit(indicator: str) -> bool:
    code = clean_text(indicator).upper()
    if code not in {"CRDT", "DBIT", ""}:
        raise ValueError(f"{code[:10]!r} is not a credit/debit indicator")
    return code == "DBIT"


def _is_pending(status: str) -> bool:
    return clean_text(status).upper() in {"PDNG", "INFO"}


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text[:20]!r} is not an ISO date") from None


def _line(
    tx: Fields | None,
    amount: Decimal,
    currency: str | None,
    reference: str | None,
    common: _EntryFacts,
) -> StatementLine:
    name = iban = remittance = ""
    if tx is not None:
        party = "Cdtr" if amount < 0 else "Dbtr"  # the other side of the money's movement
        name = tx.text(party)
        iban = tx.text(f"{party}Acct")
        unstructured = [u.text or "" for u in tx.every("unstructured")]
        structured = tx.text("structured")
        remittance = " ".join([*unstructured, structured]).strip()
    payee = safe_text(name)
    return StatementLine(
        booked_on=common.booked_on,
        value_date=common.value_date,
        amount=amount,
        currency=currency,
        payee=payee,
        counterparty_name=payee,
        counterparty_iban=clean_iban(iban),
        description=safe_text(remittance or common.info),
        bank_reference=reference,
        pending=common.pending,
    )
