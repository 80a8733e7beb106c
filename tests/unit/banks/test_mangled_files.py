"""Damaged files of any format give lines, line errors or a readable refusal; never a crash."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from adapters.banks.registry import parser_for
from adapters.banks.statement_format import FORMATS
from application.statement import ParsedStatement, StatementRejected

from .statement_files import FIXTURES

_INSERTS = (b"<", b">", b";", b'"', b"\n", b":61:", b"^", b"<STMTTRN>", b"&", b"?2", b"</Ntry>")


def _mangle(data: bytes, rnd: random.Random) -> bytes:
    mangled = bytearray(data)
    match rnd.randrange(4):
        case 0:
            del mangled[rnd.randrange(len(mangled)) :]
        case 1:
            for _ in range(rnd.randrange(1, 8)):
                mangled[rnd.randrange(len(mangled))] = rnd.randrange(256)
        case 2:
            at = rnd.randrange(len(mangled))
            mangled[at:at] = rnd.choice(_INSERTS)
        case _:
            at = rnd.randrange(len(mangled))
            del mangled[at : at + rnd.randrange(50)]
    return bytes(mangled)


@pytest.mark.parametrize("path", sorted(FIXTURES.iterdir()), ids=lambda p: p.name)
def test_mangled_statements_never_crash_any_parser(path: Path) -> None:
    rnd = random.Random(path.name)  # seeded: a failure reproduces
    original = path.read_bytes()
    for _ in range(25):
        data = _mangle(original, rnd)
        for format_name in FORMATS:
            try:
                parsed = parser_for(format_name).parse(data)
            except StatementRejected as rejected:
                outcome = rejected.reason
            else:
                outcome = "parsed" if isinstance(parsed, ParsedStatement) else ""
            assert outcome
