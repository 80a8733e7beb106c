"""The composition root: the one place that builds and wires everything from the settings.

Nothing is built at import time. ``bootstrap(settings)`` returns a ``Runtime`` holding the engine,
keyring, ledger and use cases; tests pass overrides (a cheap argon2 profile) instead of patching.
"""

from __future__ import annotations

from dataclasses import dataclass

from argon2 import Parameters
from argon2.profiles import RFC_9106_LOW_MEMORY
from sqlalchemy.engine import Engine

from adapters.crypto.key_file import load_or_create_key_file
from adapters.crypto.keyring import Keyring
from adapters.crypto.mapper import EncryptingMapper
from adapters.crypto.master_key import load_master_keys
from adapters.crypto.user_ids import user_id_derivation
from adapters.http.auth.passwords import Argon2PasswordHasher, CommonPasswordPolicy
from adapters.persistence.engine import create_sync_engine
from adapters.persistence.factory import CoreInfrastructureFactory
from adapters.persistence.idempotency_store import SqlIdempotencyStore
from adapters.persistence.transaction import command_scope
from adapters.settings import Settings
from application.accounts import Accounts
from application.categories import Categories
from application.command import CommandRunner
from application.ledger import Ledger
from application.transactions import Transactions
from application.users import Users


@dataclass(frozen=True)
class Runtime:
    settings: Settings
    engine: Engine
    keyring: Keyring
    secret_key: bytes
    ledger: Ledger
    runner: CommandRunner  # the one command runner every use case shares
    accounts: Accounts
    categories: Categories
    transactions: Transactions
    users: Users

    def close(self) -> None:
        self.ledger.close()
        self.engine.dispose()


def bootstrap(
    settings: Settings | None = None, *, password_profile: Parameters = RFC_9106_LOW_MEMORY
) -> Runtime:
    settings = settings or Settings.from_env()
    create_keys = settings.is_embedded  # elsewhere a missing key file is an operator error
    engine = create_sync_engine(settings.sync_url)
    keyring = Keyring(engine, load_master_keys(settings.master_key_file, create=create_keys))
    keyring.verify()  # a wrong master key file fails here, not on the first decrypt
    secret_key = load_or_create_key_file(settings.secret_key_file, create=create_keys)
    ledger = Ledger(
        infrastructure=lambda env: CoreInfrastructureFactory(
            env, engine=engine, mapper_factory=lambda t: EncryptingMapper(t, keyring)
        )
    )
    runner = CommandRunner(ledger, SqlIdempotencyStore(engine), scope=lambda: command_scope(engine))
    return Runtime(
        settings=settings,
        engine=engine,
        keyring=keyring,
        secret_key=secret_key,
        ledger=ledger,
        runner=runner,
        accounts=Accounts(ledger, runner),
        categories=Categories(ledger, runner),
        transactions=Transactions(ledger, runner),
        users=Users(
            ledger,
            runner,
            hasher=Argon2PasswordHasher(password_profile),
            policy=CommonPasswordPolicy(),
            user_id_for=user_id_derivation(secret_key),
            shredder=keyring,
        ),
    )
