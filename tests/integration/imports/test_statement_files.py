"""Real-world-shaped statements of every format import, and importing each again appends nothing.
Hostile files end as failed imports with a readable reason, and nothing of them is appended."""

from __future__ import annotations

import os

import pytest

from adapters.imports.reader import BankStatementReader
from tests.integration.imports.conftest import FIXTURES, World

STATEMENTS = sorted(p.name for p in FIXTURES.iterdir())


@pytest.mark.parametrize("name", STATEMENTS)
def test_each_statement_imports_and_reimporting_it_appends_nothing(
    sqlite_world: World, name: str
) -> None:
    world = sqlite_world
    data = (FIXTURES / name).read_bytes()
    parsed = BankStatementReader().read(data, format="auto", filename=name, mapping=None)
    currency = parsed.currency or parsed.lines[0].currency or "EUR"
    account = world.account(currency)
    first = world.services.imports.status(
        world.user_id, world.import_file(account, data, filename=name)
    )
    assert first.status == "done", first.reason
    assert first.lines_new > 0
    assert first.lines_new + first.lines_failed + first.lines_duplicate == first.lines_seen
    before = world.event_count()
    second_id = world.import_file(account, data, filename=name)
    second = world.services.imports.status(world.user_id, second_id)
    assert (second.status, second.lines_new, second.lines_duplicate) == (
        "done",
        0,
        first.lines_new + first.lines_duplicate,
    )
    assert world.event_count() - before == 3  # Requested, Started, Completed of the batch only


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>&lol3;
</BkToCstmrStmt></Document>"""
XXE = b"""<?xml version="1.0"?>
<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>&xxe;
</BkToCstmrStmt></Document>"""


def _hostile() -> dict[str, tuple[bytes, str]]:
    camt = (FIXTURES / "camt053_v02_two_statements.xml").read_bytes()
    return {
        "entity bomb": (BOMB, "auto"),
        "external entity": (XXE, "auto"),
        "random blob": (os.urandom(50 * 1024 * 1024), "auto"),
        "truncated camt": (camt[: len(camt) // 2], "camt.053"),
        "utf-16 text that is no statement": ("nothing here\n".encode("utf-16"), "auto"),
        "csv of formulas only": (
            b"Date,Amount,Payee\n=1+1,=cmd|' /C calc'!A0,@SUM(A1)\n+2,-3+4,=HYPERLINK(\"x\")\n",
            "csv",
        ),
    }


@pytest.mark.parametrize("kind", sorted(_hostile()))
def test_a_hostile_file_fails_with_a_reason_and_appends_nothing(
    sqlite_world: World, kind: str
) -> None:
    from application.statement import CsvMapping

    world = sqlite_world
    account = world.account()
    data, format_name = _hostile()[kind]
    mapping = (
        CsvMapping(date_column="Date", amount_column="Amount", date_format="%Y-%m-%d",
                   payee_column="Payee")
        if format_name == "csv"
        else None
    )  # fmt: skip
    before = world.event_count()
    batch = world.import_file(account, data, format=format_name, mapping=mapping)
    view = world.services.imports.status(world.user_id, batch)
    assert view.status == "failed"
    assert view.reason
    assert len(view.reason) > 20
    assert "Traceback" not in view.reason
    assert world.event_count() - before == 3  # the batch's own events, no transaction
    # and the next import still works
    ok = world.import_file(
        account,
        b"Date,Amount,Payee\n2024-01-01,-1.00,Kiosk\n",
        format="csv",
        mapping=CsvMapping(date_column="Date", amount_column="Amount", date_format="%Y-%m-%d",
                           payee_column="Payee"),
    )  # fmt: skip
    assert world.services.imports.status(world.user_id, ok).status == "done"
