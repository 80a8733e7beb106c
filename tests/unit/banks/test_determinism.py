"""The importer derives transaction ids from parsed lines, so parsing must be deterministic."""

from __future__ import annotations

from pathlib import Path

import pytest

from adapters.banks.registry import parser_for
from adapters.banks.statement_format import detect_format

from .statement_files import FIXTURES


@pytest.mark.parametrize("path", sorted(FIXTURES.iterdir()), ids=lambda p: p.name)
def test_parsing_the_same_file_twice_yields_identical_lines(path: Path) -> None:
    data = path.read_bytes()
    parser = parser_for(detect_format(data, None))

    first, second = parser.parse(data), parser_for(parser.format).parse(data)

    assert first == second
    assert first.lines
