"""``ImportLines.ingest``: statement lines into transactions, exactly once, fast.

The seam every import goes through (statement files now, bank connections later). Lines get
deterministic ids (``import_identity``); existence is checked set-based, a chunk at a time; new
transactions are built in memory and saved ``chunk_size`` at a time (one multi-row INSERT each).
A re-run after a crash skips what exists, and counts what this same batch recorded as new.
A line whose id exists with different content (the bank changed amount, date or text) is recorded
as a proposed change on the existing transaction, never applied.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from application.import_identity import fingerprints, line_ids
from application.import_ports import ExistingTransactions, ImportedOriginal, KnownLine, LineKeys
from application.ledger import Ledger
from application.loading import load_owned
from application.rules import Rules
from application.statement import LineError, StatementLine
from domain.account import Account
from domain.actor import Actor
from domain.category import Category
from domain.errors import DomainError
from domain.money import Money
from domain.rule import LineFacts, RuleSpec, decide
from domain.text import (
    clean_counterparty_name,
    clean_description,
    clean_payee,
    normalise_iban,
)
from domain.transaction import Transaction, TransactionSource

CHUNK = 1000
_SAVE_ATTEMPTS = 5


@dataclass(frozen=True, slots=True)
class IngestResult:
    lines_seen: int
    lines_new: int
    lines_duplicate: int
    lines_changed: int
    lines_failed: int
    errors: tuple[LineError, ...]
    new_ids: tuple[UUID, ...]


@dataclass(slots=True)
class _Tally:
    new: int = 0
    duplicate: int = 0
    changed: int = 0
    errors: list[LineError] = field(default_factory=list)
    new_ids: list[UUID] = field(default_factory=list)

    def merge(self, other: _Tally) -> None:
        self.new += other.new
        self.duplicate += other.duplicate
        self.changed += other.changed
        self.errors += other.errors
        self.new_ids += other.new_ids


class ImportLines:
    def __init__(
        self,
        ledger: Ledger,
        keys: LineKeys,
        existing: ExistingTransactions,
        rules: Rules | None = None,
        *,
        chunk_size: int = CHUNK,
    ) -> None:
        self._ledger = ledger
        self._keys = keys
        self._existing = existing
        self._rules = rules
        self._chunk = chunk_size

    def ingest(
        self,
        owner_id: UUID,
        account_id: UUID,
        batch_id: UUID,
        lines: Sequence[StatementLine],
        *,
        actor: Actor,
        source: TransactionSource = TransactionSource.IMPORT,
        line_numbers: Sequence[int] | None = None,
    ) -> IngestResult:
        """Record the new ones of ``lines`` on the account; ``batch_id`` names the provenance.

        ``actor`` is the import's (``Actor.import_(batch_id)``): a line found recorded by this
        same actor was recorded by an earlier, interrupted run of this batch and counts as new.
        """
        account = load_owned(self._ledger, Account, account_id, owner_id)
        key = self._keys.key_for(owner_id)
        ids = line_ids(key, account_id, lines)
        prints = fingerprints(key, lines)
        numbers = line_numbers or range(1, len(lines) + 1)
        rules, categories = self._rules_for(owner_id)
        tally = _Tally()
        for start in range(0, len(lines), self._chunk):
            stop = start + self._chunk
            self._chunk_in(
                account,
                chunk=list(
                    zip(
                        ids[start:stop],
                        lines[start:stop],
                        numbers[start:stop],
                        prints[start:stop],
                        strict=True,
                    )
                ),
                batch_id=batch_id,
                actor=str(actor),
                source=source,
                rules=rules,
                categories=categories,
                tally=tally,
            )
        return IngestResult(
            lines_seen=len(lines),
            lines_new=tally.new,
            lines_duplicate=tally.duplicate,
            lines_changed=tally.changed,
            lines_failed=len(tally.errors),
            errors=tuple(tally.errors),
            new_ids=tuple(tally.new_ids),
        )

    def _chunk_in(
        self,
        account: Account,
        *,
        chunk: list[tuple[UUID, StatementLine, int, bytes]],
        batch_id: UUID,
        actor: str,
        source: TransactionSource,
        rules: Sequence[RuleSpec],
        categories: Mapping[UUID, Category],
        tally: _Tally,
    ) -> None:
        for _ in range(_SAVE_ATTEMPTS):
            attempt = _Tally()  # merged only once the chunk is saved: a retry starts afresh
            found = self._existing.existing([c[0] for c in chunk])
            repaired = self._classify(account, chunk, found, batch_id, actor, attempt)
            fresh: list[Transaction] = []
            remember = list(repaired)
            for transaction_id, line, number, fingerprint in chunk:
                if transaction_id in found:
                    continue
                try:
                    fresh.append(
                        self._record(
                            account,
                            transaction_id=transaction_id,
                            line=line,
                            actor=actor,
                            source=source,
                            rules=rules,
                            categories=categories,
                        )
                    )
                except DomainError as error:
                    attempt.errors.append(LineError(number, str(error)))
                    continue
                attempt.new_ids.append(transaction_id)
                remember.append((transaction_id, batch_id, fingerprint))
            try:
                self._ledger.save(*fresh)
            except IntegrityError:
                continue  # another run recorded some of these meanwhile: look again
            if remember:
                self._existing.remember(remember)
            attempt.new += len(fresh)
            tally.merge(attempt)
            return
        raise IntegrityError("gave up recording a chunk: another import kept writing the same ids")

    def _classify(  # noqa: PLR0917
        self,
        account: Account,
        chunk: list[tuple[UUID, StatementLine, int, bytes]],
        found: Mapping[UUID, KnownLine],
        batch_id: UUID,
        actor: str,
        tally: _Tally,
    ) -> list[tuple[UUID, UUID, bytes]]:
        """Count the lines whose ids exist; return those to remember again (a crash gap)."""
        unsure: list[tuple[UUID, StatementLine, bytes]] = []
        for transaction_id, line, _number, fingerprint in chunk:
            known = found.get(transaction_id)
            if known is None:
                continue
            if known.batch_id == batch_id:  # recorded by an interrupted run of this batch
                tally.new += 1
                tally.new_ids.append(transaction_id)
            elif known.fingerprint is None or (
                line.bank_reference and known.fingerprint != fingerprint
            ):
                unsure.append((transaction_id, line, fingerprint))
            else:
                tally.duplicate += 1
        if not unsure:
            return []
        originals = self._existing.originals([i for i, _, _ in unsure])
        proposals: list[Transaction] = []
        repaired: list[tuple[UUID, UUID, bytes]] = []
        for transaction_id, line, fingerprint in unsure:
            original = originals.get(transaction_id)
            if original is None:
                tally.duplicate += 1  # the id of something that is not an imported transaction
                continue
            if original.actor == actor:
                tally.new += 1
                tally.new_ids.append(transaction_id)
                repaired.append((transaction_id, batch_id, fingerprint))
                continue
            changes = _changes(line, original, account.currency) if line.bank_reference else {}
            if not changes:
                tally.duplicate += 1
                continue
            tally.changed += 1
            transaction: object = self._ledger.repository.get(transaction_id)
            if isinstance(transaction, Transaction) and transaction.propose_change(
                changes, actor=_actor(actor)
            ):
                proposals.append(transaction)
        if proposals:
            self._ledger.save(*proposals)
        return repaired

    def _record(
        self,
        account: Account,
        *,
        transaction_id: UUID,
        line: StatementLine,
        actor: str,
        source: TransactionSource,
        rules: Sequence[RuleSpec],
        categories: Mapping[UUID, Category],
    ) -> Transaction:
        by = _actor(actor)
        transaction = Transaction.record(
            account,
            id=transaction_id,
            amount=Money(line.amount, line.currency or account.currency),
            booked_on=line.booked_on,
            value_date=line.value_date,
            payee=line.payee,
            counterparty_name=line.counterparty_name,
            counterparty_iban=_iban_or_none(line.counterparty_iban),
            description=line.description,
            source=source,
            external_reference=line.bank_reference,
            actor=by,
        )
        if rules:
            _apply_rules(transaction, account.id, rules, categories)
        return transaction

    def _rules_for(self, owner_id: UUID) -> tuple[tuple[RuleSpec, ...], dict[UUID, Category]]:
        if self._rules is None:
            return (), {}
        rules = self._rules.list(owner_id)
        categories: dict[UUID, Category] = {}
        for rule in rules:
            if rule.category_id is not None and rule.category_id not in categories:
                try:
                    category = load_owned(self._ledger, Category, rule.category_id, owner_id)
                    category.check_usable_by(owner_id)
                except DomainError:
                    continue  # deleted or archived since: the rule sets no category
                categories[rule.category_id] = category
        return rules, categories


def _apply_rules(
    transaction: Transaction,
    account_id: UUID,
    rules: Sequence[RuleSpec],
    categories: Mapping[UUID, Category],
) -> None:
    verdict = decide(
        rules,
        LineFacts(
            account_id=account_id,
            amount=transaction.amount.amount,
            payee=transaction.payee,
            description=transaction.description,
            counterparty=transaction.counterparty_name,
        ),
    )
    category = categories.get(verdict.category_id) if verdict.category_id else None
    if category is not None and verdict.category_rule is not None:
        transaction.categorise(category, actor=Actor.rule(verdict.category_rule))
    for tag, rule_id in verdict.tags:
        try:
            transaction.tag(tag, actor=Actor.rule(rule_id))
        except DomainError:
            break  # the tag limit: the rest are not added


@lru_cache(maxsize=64)
def _actor(text: str) -> Actor:
    return Actor.parse(text)


def _iban_or_none(value: str) -> str | None:
    """Banks put domestic account numbers in the IBAN field too; the transaction keeps only a
    real IBAN (the raw line, with the number, stays in the batch's sealed file)."""
    if not value:
        return None
    try:
        return normalise_iban(value)
    except DomainError:
        return None


def _changes(line: StatementLine, original: ImportedOriginal, currency: str) -> dict[str, Any]:
    try:
        amount = Money(line.amount, line.currency or currency).amount
    except DomainError:
        amount = line.amount
    now = {
        "amount": amount,
        "booked_on": line.booked_on,
        "payee": clean_payee(line.payee),
        "counterparty_name": clean_counterparty_name(line.counterparty_name),
        "description": clean_description(line.description),
    }
    return {name: value for name, value in now.items() if value != getattr(original, name)}
