"""OpenAPI examples of the import and rule resources (every operation documents one)."""

from __future__ import annotations

from typing import Any

IMPORT_ID = "0d6f5b1e-2f3a-4c55-9a39-6b1f0f6f2a10"
ACCOUNT_ID = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
RULE_ID = "7c9e6679-7425-40de-944b-e07fc1f90ae7"
CATEGORY_ID = "9b2e4c1a-1d2f-4e5a-8b6c-7d8e9f0a1b2c"

ACCEPTED: dict[str, Any] = {"id": IMPORT_ID, "status": "queued"}
IMPORT: dict[str, Any] = {
    "id": IMPORT_ID,
    "account_id": ACCOUNT_ID,
    "status": "done",
    "format": "csv:dkb",
    "filename": "giro-2026-10.csv",
    "lines_seen": 42,
    "lines_new": 39,
    "lines_duplicate": 2,
    "lines_failed": 1,
    "lines_changed": 0,
    "lines_reverted": 0,
    "errors": [{"line": 17, "reason": "'NaN' is not a readable amount"}],
    "reason": None,
}
CSV_MAPPING: dict[str, Any] = {
    "remembered": True,
    "mapping": {"date": "Buchungsdatum", "amount": "Betrag (€)", "payee": "Zahlungsempfänger*in"},
}
RULE: dict[str, Any] = {
    "id": RULE_ID,
    "name": "Groceries",
    "contains": {"payee": "REWE"},
    "matches": {},
    "amount_min": None,
    "amount_max": "0",
    "account_id": None,
    "category_id": CATEGORY_ID,
    "tags": ["food"],
    "position": 0,
}
RULES: dict[str, Any] = {"items": [RULE]}
CREATED: dict[str, Any] = {"id": RULE_ID}
