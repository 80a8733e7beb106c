"""``fintrack import`` records, runs and reports an import; a failed one exits 1."""

from __future__ import annotations

import json
from pathlib import Path

import click
from click.testing import CliRunner

from adapters.settings import Settings
from ops.commands.imports import import_file
from tests.integration.imports.conftest import World


def _cli() -> click.Group:
    @click.group()
    @click.pass_context
    def main(ctx: click.Context) -> None:
        pass

    main.add_command(import_file)
    return main


def test_the_cli_imports_a_file_and_prints_the_counts(sqlite_world: World, tmp_path: Path) -> None:
    world = sqlite_world
    account = world.account()
    statement = tmp_path / "jan.csv"
    statement.write_bytes(b"Date,Amount\n2024-01-01,-1.00\n2024-01-02,-2.00\n")
    mapping = tmp_path / "mapping.json"
    mapping.write_text(
        json.dumps({"date_column": "Date", "amount_column": "Amount", "date_format": "%Y-%m-%d"})
    )
    settings: Settings = world.runtime.settings
    args = ["import", str(statement), "--user", "ana@example.org", "--account", str(account)]
    first = CliRunner().invoke(_cli(), [*args, "--mapping", str(mapping)], obj=settings)
    assert first.exit_code == 0, first.output
    assert "lines seen 2, new 2, duplicate 0" in first.output
    again = CliRunner().invoke(_cli(), args, obj=settings)  # the mapping is remembered
    assert "lines seen 2, new 0, duplicate 2" in again.output


def test_a_failed_import_exits_1_with_its_reason(sqlite_world: World, tmp_path: Path) -> None:
    world = sqlite_world
    account = world.account()
    statement = tmp_path / "blob.bin"
    statement.write_bytes(bytes(range(256)) * 100)
    result = CliRunner().invoke(
        _cli(),
        ["import", str(statement), "--user", "ana@example.org", "--account", str(account)],
        obj=world.runtime.settings,
    )
    assert result.exit_code == 1
    assert "binary data" in result.output
