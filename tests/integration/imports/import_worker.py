"""A ``fintrack worker``-like process for the import reliability tests.

python -m tests.integration.imports.import_worker DATABASE_URL AMQP_URL VAR_DIR
"""

from __future__ import annotations

import asyncio
import logging
import sys
from pathlib import Path

from adapters.http.auth.passwords import CHEAP_PROFILE
from adapters.imports.tasks import RELAY_LOCK, run_import_worker
from adapters.imports.wiring import build_import_services
from adapters.settings import Settings
from adapters.tasks.broker import create_broker
from adapters.tasks.leader import leader_lock
from ops.bootstrap import bootstrap


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    database_url, amqp_url, var_dir = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    settings = Settings(
        database_url=database_url,
        broker_url=amqp_url,
        master_key_file=var_dir / "master.key",
        secret_key_file=var_dir / "secret.key",
        var_dir=var_dir,
    )
    runtime = bootstrap(settings, password_profile=CHEAP_PROFILE)
    services = build_import_services(runtime)
    broker = create_broker(amqp_url, max_attempts=5, retry_delay=0.5)
    lock = leader_lock(RELAY_LOCK, settings.sync_url, var_dir)
    try:
        asyncio.run(run_import_worker(services, broker, lock, shutdown_timeout=5))
    finally:
        runtime.close()


if __name__ == "__main__":
    main()
