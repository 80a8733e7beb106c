"""De-duplication with provenance, on both databases: nothing doubled, nothing dropped."""

from __future__ import annotations

from uuid import UUID

import sqlalchemy as sa

from adapters.imports.tables import import_line_fingerprints
from application.statement import CsvMapping
from domain.transaction import Transaction
from tests.integration.imports.conftest import World

HEADER = "Date,Amount,Payee,Description,Reference\n"


def csv(*rows: str, header: str = HEADER) -> bytes:
    return (header + "\n".join(rows) + "\n").encode()


def _mapping(with_reference: bool = False) -> CsvMapping:
    return CsvMapping(
        date_column="Date",
        amount_column="Amount",
        date_format="%Y-%m-%d",
        payee_column="Payee",
        description_columns=("Description",),
        reference_column="Reference" if with_reference else None,
    )


def test_two_identical_lines_in_one_statement_become_two_transactions(world: World) -> None:
    account = world.account()
    data = csv("2024-01-02,-4.50,Bakery,Bread,", "2024-01-02,-4.50,Bakery,Bread,")
    batch = world.import_file(account, data, mapping=_mapping())
    view = world.services.imports.status(world.user_id, batch)
    assert (view.status, view.lines_seen, view.lines_new, view.lines_duplicate) == ("done", 2, 2, 0)


def test_the_same_statement_twice_appends_no_events(world: World) -> None:
    account = world.account()
    data = csv("2024-01-02,-4.50,Bakery,Bread,", "2024-01-03,1200.00,Employer,Salary,")
    world.import_file(account, data, mapping=_mapping())
    before = world.event_count()
    batch = world.import_file(account, data, mapping=_mapping())
    view = world.services.imports.status(world.user_id, batch)
    after = world.event_count()
    # the second batch records only its own Requested, Started and Completed events
    assert after - before == 3
    assert (view.lines_new, view.lines_duplicate) == (0, 2)


def test_lines_whose_fingerprints_were_lost_are_still_found_in_the_event_log(
    world: World,
) -> None:
    """A run that died between saving a chunk's events and keeping their fingerprints."""
    account = world.account()
    data = csv("2024-01-02,-4.50,Bakery,Bread,", "2024-01-03,1200.00,Employer,Salary,")
    world.import_file(account, data, mapping=_mapping())
    with world.runtime.engine.begin() as conn:
        assert conn.execute(sa.delete(import_line_fingerprints)).rowcount == 2
    before = world.event_count()
    batch = world.import_file(account, data, mapping=_mapping())
    view = world.services.imports.status(world.user_id, batch)
    assert (view.lines_new, view.lines_duplicate) == (0, 2)
    assert world.event_count() - before == 3  # the batch's own Requested, Started, Completed


def test_an_overlapping_statement_adds_only_its_new_lines(world: World) -> None:
    account = world.account()
    first = csv("2024-01-02,-4.50,Bakery,Bread,", "2024-01-02,-4.50,Bakery,Bread,")
    world.import_file(account, first, mapping=_mapping())
    second = csv(
        "2024-01-02,-4.50,Bakery,Bread,",
        "2024-01-02,-4.50,Bakery,Bread,",
        "2024-01-02,-4.50,Bakery,Bread,",
        "2024-01-05,-30.00,Grocer,Food,",
    )
    batch = world.import_file(account, second, mapping=_mapping())
    view = world.services.imports.status(world.user_id, batch)
    assert (view.lines_new, view.lines_duplicate) == (2, 2)


def test_a_changed_line_is_proposed_not_applied(world: World) -> None:
    account = world.account()
    world.import_file(account, csv("2024-01-02,-4.50,Bakery,Bread,R1"), mapping=_mapping(True))
    batch = world.import_file(
        account, csv("2024-01-02,-5.50,Bakery,Bread,R1"), mapping=_mapping(True)
    )
    view = world.services.imports.status(world.user_id, batch)
    assert (view.lines_new, view.lines_duplicate, view.lines_changed) == (0, 0, 1)
    ids = [
        t
        for t in _transactions(world)
        if isinstance(t, Transaction) and t.external_reference == "R1"
    ]
    assert len(ids) == 1
    assert str(ids[0].amount.amount) == "-4.50"
    assert str(ids[0].proposed_changes["amount"]) == "-5.50"
    again = world.import_file(
        account, csv("2024-01-02,-5.50,Bakery,Bread,R1"), mapping=_mapping(True)
    )
    assert world.services.imports.status(world.user_id, again).lines_changed == 1


def test_reverting_a_batch_deletes_its_transactions_and_only_those(world: World) -> None:
    account = world.account()
    kept = world.import_file(account, csv("2024-01-01,-1.00,Kiosk,Paper,"), mapping=_mapping())
    data = csv("2024-01-01,-1.00,Kiosk,Paper,", "2024-01-02,-2.00,Kiosk,Gum,")
    batch = world.import_file(account, data, mapping=_mapping())
    view = world.services.imports.revert(world.user_id, batch)
    assert (view.status, view.lines_reverted) == ("reverted", 1)
    alive = [t for t in _transactions(world) if not t.deleted]
    assert [t.description for t in alive] == ["Paper"]
    assert world.services.imports.status(world.user_id, kept).status == "done"


def _transactions(world: World) -> list[Transaction]:
    recorder = world.runtime.ledger.recorder
    seen = [
        n.originator_id
        for n in recorder.select_notifications(1, 10_000)
        if n.topic.endswith("Transaction.Recorded")
    ]
    found: list[object] = [world.runtime.ledger.repository.get(UUID(str(i))) for i in seen]
    return [t for t in found if isinstance(t, Transaction)]
