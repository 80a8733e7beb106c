"""``fintrack keys rotate``: replace the master key (KEK) and rewrap every data key under it.

Order of operations, and why a crash anywhere is recoverable:

1. the new key is written to ``<key file>.next`` (mode 0600, fsynced, linked into place);
2. all live data keys are rewrapped under it in ONE database transaction;
3. ``.next`` is renamed over the key file (atomic) and the directory fsynced.

The database and the key file cannot be switched atomically together, so the new key exists on
disk *before* anything depends on it, and the loader accepts both the current and the ``.next``
key, picking by each row's ``kek_id``. A crash before step 2 commits leaves the old wrapping in
place; a crash between 2 and 3 leaves rows under the ``.next`` key, which the loader holds. Either
way the application starts, and re-running this command resumes with the same ``.next`` key
instead of generating another (which would strand the rows already wrapped under it).

The old key is gone once step 3 completes, so copies of the database only open with the new key;
old backups of the key *file* still open old backups of the database: expire them together.
Events are not touched: they are encrypted under the data keys, which do not change.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy.engine import Engine

from adapters.crypto.errors import KeyFileError
from adapters.crypto.key_file import create_key_file, fsync_directory
from adapters.crypto.keyring import Keyring
from adapters.crypto.master_key import MasterKey, load_master_keys, next_key_path


def rotate_master_key(engine: Engine, key_file: Path) -> int:
    """Rotate the master key in ``key_file``; return how many data keys were rewrapped."""
    keys = load_master_keys(key_file, create=False)
    pending_file = next_key_path(key_file)
    if keys.pending is not None:
        new_kek = keys.pending  # resume an interrupted rotation with its key
    else:
        try:
            new_kek = MasterKey(create_key_file(pending_file))
        except FileExistsError:
            raise KeyFileError(
                f"{pending_file} appeared meanwhile: is a rotation running?"
            ) from None
    rewrapped = Keyring(engine, keys).rotate(new_kek)
    os.replace(pending_file, key_file)
    fsync_directory(key_file.parent)
    return rewrapped
