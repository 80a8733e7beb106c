"""ImportBatch: its states and the refusals that keep them honest."""

from __future__ import annotations

from uuid import uuid4

import pytest

from domain.actor import Actor
from domain.import_batch import (
    MAX_ERRORS,
    ImportBatch,
    ImportNotRevertible,
    ImportNotRunning,
    ImportStatus,
)


def _batch() -> ImportBatch:
    owner = uuid4()
    return ImportBatch.request(
        id=uuid4(), owner_id=owner, account_id=uuid4(), format="csv", digest="00" * 32,
        size=10, actor=Actor.user(owner),
    )  # fmt: skip


def _complete(batch: ImportBatch, errors: int = 0) -> None:
    batch.complete(
        lines_seen=3, lines_new=2, lines_duplicate=1, lines_failed=errors, lines_changed=0,
        errors=[{"line": i, "reason": "bad"} for i in range(errors)],
    )  # fmt: skip


def test_a_requested_batch_is_queued_and_names_its_own_actor() -> None:
    batch = _batch()
    assert batch.status is ImportStatus.QUEUED
    assert batch.actor == Actor.import_(batch.id)


def test_starting_a_running_batch_again_records_nothing() -> None:
    batch = _batch()
    assert batch.start() is True
    version = batch.version
    assert batch.start() is False
    assert batch.version == version


def test_a_finished_batch_cannot_start_or_fail() -> None:
    batch = _batch()
    batch.start()
    _complete(batch)
    with pytest.raises(ImportNotRunning):
        batch.start()
    with pytest.raises(ImportNotRunning):
        batch.fail("late")


def test_completing_a_batch_that_is_not_running_is_refused() -> None:
    with pytest.raises(ImportNotRunning):
        _complete(_batch())


def test_at_most_a_hundred_line_errors_are_kept_while_the_count_stays_exact() -> None:
    batch = _batch()
    batch.start()
    _complete(batch, errors=MAX_ERRORS + 50)
    assert len(batch.errors) == MAX_ERRORS
    assert batch.lines_failed == MAX_ERRORS + 50


def test_only_a_done_batch_can_be_reverted() -> None:
    batch = _batch()
    with pytest.raises(ImportNotRevertible):
        batch.revert(0, actor=Actor.system())
    batch.start()
    _complete(batch)
    batch.revert(2, actor=Actor.system())
    assert (batch.status, batch.lines_reverted) == (ImportStatus.REVERTED, 2)
    with pytest.raises(ImportNotRevertible):
        batch.revert(0, actor=Actor.system())


def test_a_failed_batch_keeps_its_reason() -> None:
    batch = _batch()
    batch.fail("  The file is empty.  ")
    assert (batch.status, batch.reason) == (ImportStatus.FAILED, "The file is empty.")


def test_a_batch_is_reported_to_its_owner_once() -> None:
    batch = _batch()
    batch.start()
    _complete(batch)
    batch.collect_events()
    assert not batch.reported

    batch.mark_reported()
    batch.mark_reported()

    [reported] = batch.collect_events()
    assert isinstance(reported, ImportBatch.Reported)
    assert batch.reported
