"""``fintrack replay`` and ``fintrack verify`` as an operator runs them: through the CLI group,
configured by the environment, with the progress bar drawn and the exit status meaningful."""

from __future__ import annotations

import sqlalchemy as sa
from click.testing import CliRunner, Result

from adapters.readmodel.tables import rm_transactions
from ops.bootstrap import Runtime
from ops.cli import main
from tests.integration.readmodel.read_runtime import bulk_record, new_user, open_account, projector


def _fintrack(runtime: Runtime, *args: str) -> Result:
    settings = runtime.settings
    env = {
        "FINTRACK_DATABASE_URL": settings.database_url,
        "FINTRACK_VAR_DIR": str(settings.var_dir),
        "FINTRACK_MASTER_KEY_FILE": str(settings.master_key_file),
        "FINTRACK_SECRET_KEY_FILE": str(settings.secret_key_file),
    }
    return CliRunner().invoke(main, list(args), env=env)


def test_replay_draws_its_progress_and_verify_exits_by_what_it_finds(runtime: Runtime) -> None:
    user = new_user(runtime)
    bulk_record(runtime, user, open_account(runtime, user), 700)
    projector(runtime).catch_up()
    head = runtime.ledger.recorder.max_notification_id()

    replayed = _fintrack(runtime, "replay")

    assert replayed.exit_code == 0, replayed.output
    assert f"from {head:,} events" in replayed.output
    assert f"{head}/{head}" in replayed.output  # the bar's last state: every event applied
    clean = _fintrack(runtime, "verify")
    assert clean.exit_code == 0, clean.output
    assert "the query tables match the event log" in clean.output
    with runtime.engine.begin() as conn:
        conn.execute(
            sa.update(rm_transactions).values(amount_minor=rm_transactions.c.amount_minor + 1)
        )
    altered = _fintrack(runtime, "verify")
    assert altered.exit_code == 1
    assert "difference(s) between the query tables and the log" in altered.output


def test_an_unknown_projection_is_refused_by_name_before_anything_runs(runtime: Runtime) -> None:
    for command in ("projector", "replay", "verify"):
        refused = _fintrack(runtime, command, "--projection", "nope")

        assert refused.exit_code == 1, (command, refused.output)
        assert "unknown projection nope; known: transactions, " in refused.output
        assert "Traceback" not in refused.output
