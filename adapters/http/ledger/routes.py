"""The ledger's handlers, as one tuple for ``create_app``."""

from __future__ import annotations

from adapters.http.ledger.accounts import AccountController
from adapters.http.ledger.categories import CategoryController
from adapters.http.ledger.reports import ReportController
from adapters.http.ledger.transactions import TransactionController

LEDGER_HANDLERS = (AccountController, CategoryController, TransactionController, ReportController)
