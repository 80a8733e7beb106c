"""The ledger resources under ``/api/v1``: accounts, categories, transactions and reports."""
