"""``BankStatementReader``: the statement parsers behind the ``StatementReader`` port."""

from __future__ import annotations

from adapters.banks.csv_suggestion import suggest_mapping
from adapters.banks.registry import parser_for
from adapters.banks.statement_format import detect_format
from application.statement import CsvMapping, ParsedStatement, StatementRejected


class BankStatementReader:
    def read(
        self, data: bytes, *, format: str, filename: str | None, mapping: CsvMapping | None
    ) -> ParsedStatement:
        name = detect_format(data, filename) if format in ("", "auto") else format
        parser = parser_for(name)
        try:
            return parser.parse(data, mapping=mapping if parser.format == "csv" else None)
        except StatementRejected:
            raise
        except Exception as error:  # noqa: BLE001 - parsing only: every failure is the file's
            # A parser bug on a hostile file must still end as a readable refusal.
            raise StatementRejected(
                f"The file could not be read as {name}: {type(error).__name__}"
            ) from None

    def suggest_mapping(self, data: bytes) -> CsvMapping:
        return suggest_mapping(data)
