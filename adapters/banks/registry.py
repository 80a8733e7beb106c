"""The statement parsers by format name: the one place that knows them all."""

from __future__ import annotations

from collections.abc import Callable

from application.statement import StatementParser, StatementRejected

from .camt_parser import CamtStatementParser
from .csv_parser import CsvStatementParser
from .mt940_parser import Mt940StatementParser
from .ofx_parser import OfxStatementParser
from .qif_parser import QifStatementParser

_PARSERS: dict[str, Callable[[], StatementParser]] = {
    "csv": CsvStatementParser,
    "ofx": OfxStatementParser,
    "camt.053": CamtStatementParser,
    "mt940": Mt940StatementParser,
    "qif": QifStatementParser,
}


def parser_for(format_name: str) -> StatementParser:
    """A parser for ``format_name`` (as ``detect_format`` names it; ``csv:<preset>`` is ``csv``)."""
    factory = _PARSERS.get(format_name.split(":", 1)[0])
    if factory is None:
        raise StatementRejected(f"{format_name!r} is not a statement format we can read.")
    return factory()
