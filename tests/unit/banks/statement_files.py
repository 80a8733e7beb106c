"""Access to the real-world-shaped statement files under ``tests/fixtures/statements``."""

from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "statements"


def statement_file(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()
