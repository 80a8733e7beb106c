"""No personal text reaches the database in the clear, yet a text search still finds it."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

from adapters.readmodel.demo import load_demo
from ops.bootstrap import Runtime
from projections.transaction_views import TransactionFilters
from tests.database_dump import database_files, every_byte_of_every_row
from tests.integration.readmodel.conftest import Reads
from tests.integration.readmodel.read_runtime import new_user, open_account, projector, record


def test_markers_in_every_text_field_never_reach_the_database_but_search_finds_them(
    runtime: Runtime, reads: Reads
) -> None:
    load_demo(runtime, years=1)
    user = new_user(runtime, "marker@example.org")
    account = open_account(runtime, user)
    marker = uuid4().hex[:10]
    fields = {
        "payee": f"Payeemark{marker}",
        "counterparty_name": f"Partymark{marker}",
        "description": f"Descmark{marker}",
        "notes": f"Notemark{marker}",
    }
    iban = "GB82WEST12345698765432"
    found_by = {
        name: record(runtime, user, account, "-1.00", date(2024, 3, 1), **{name: text})
        for name, text in fields.items()
    }
    found_by["iban"] = record(runtime, user, account, "-2.00", counterparty_iban=iban)
    runtime.transactions.amend(user, found_by["notes"], {"description": f"Amendmark{marker}"})
    projector(runtime).catch_up()

    dumps = [every_byte_of_every_row(runtime.engine), database_files(runtime.settings.sync_url)]
    for dump in filter(None, dumps):
        for text in (*fields.values(), f"Amendmark{marker}", iban, marker):
            assert text.encode() not in dump
            assert text.lower().encode() not in dump

    for name, text in {**fields, "iban": iban}.items():
        page = reads.run(reads.queries.list_transactions(user, TransactionFilters(q=text)))
        assert [item.id for item in page.items] == [found_by[name]]
