"""The master key (KEK): wraps the per-owner data keys and never enters the database.

A master key is identified by its ``kek_id``, a fingerprint stored next to every wrapped data key
so each one is unwrapped with the right master key. During a rotation the new key waits in
``<key file>.next`` until the database has been rewrapped (see ``adapters.crypto.rotation``),
so the loader holds the current key and, when present, that pending one.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from pathlib import Path

from adapters.crypto.key_file import KEY_BYTES, load_or_create_key_file, read_key_file

KEK_ID_BYTES = 8


@dataclass(frozen=True, slots=True, repr=False)
class MasterKey:
    material: bytes

    def __post_init__(self) -> None:
        if len(self.material) != KEY_BYTES:
            raise ValueError(f"a master key is {KEY_BYTES} bytes")

    @classmethod
    def generate(cls) -> MasterKey:
        return cls(secrets.token_bytes(KEY_BYTES))

    @property
    def kek_id(self) -> bytes:
        """A fingerprint that identifies the key without revealing it."""
        return hmac.digest(self.material, b"kek-id", hashlib.sha256)[:KEK_ID_BYTES]

    def __repr__(self) -> str:
        return f"MasterKey(kek_id={self.kek_id.hex()})"


@dataclass(frozen=True, slots=True)
class MasterKeys:
    """The keys this process holds: ``current`` and, mid-rotation, the ``pending`` next one."""

    current: MasterKey
    pending: MasterKey | None = None

    @property
    def newest(self) -> MasterKey:
        """The key new data keys are wrapped under: the pending one if a rotation is unfinished,
        so nothing is ever wrapped under a key the rotation is about to discard."""
        return self.pending or self.current

    def by_id(self) -> dict[bytes, MasterKey]:
        held = [self.current] if self.pending is None else [self.current, self.pending]
        return {key.kek_id: key for key in held}


def next_key_path(key_file: Path) -> Path:
    return key_file.with_name(key_file.name + ".next")


def load_master_keys(key_file: Path, *, create: bool) -> MasterKeys:
    """Load the master key from ``key_file`` (``FINTRACK_MASTER_KEY_FILE``) plus a pending one.

    ``create`` (the embedded default) generates the file, mode 0600, when it does not exist.
    Outside the embedded mode a missing key file is an error: generating a fresh key next to a
    database full of data keys wrapped under the old one would only defer the failure.
    """
    current = MasterKey(load_or_create_key_file(key_file, create=create))
    pending_file = next_key_path(key_file)
    pending = MasterKey(read_key_file(pending_file)) if pending_file.exists() else None
    return MasterKeys(current=current, pending=pending)
