"""32-byte secrets kept in files outside the database: the master key (KEK) and the app secret.

File format: the standard base64 of exactly 32 random bytes, optionally followed by a newline
(``openssl rand -base64 32 > master.key`` makes one). The file must be a regular file with no
group/other permission bits; anything else refuses to start with a ``KeyFileError``.
"""

from __future__ import annotations

import base64
import binascii
import os
import secrets
import stat
from pathlib import Path

from adapters.crypto.errors import KeyFileError

KEY_BYTES = 32
_MAX_FILE_BYTES = 256


def read_key_file(path: Path) -> bytes:
    """Return the 32-byte key in ``path``; raise ``KeyFileError`` if unsafe or malformed."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise KeyFileError(f"key file {path} does not exist") from None
    except OSError as error:
        raise KeyFileError(f"key file {path} cannot be opened: {error.strerror}") from None
    try:
        info = os.fstat(fd)  # check the opened file, not the name: no check-then-open race
        if not stat.S_ISREG(info.st_mode):
            raise KeyFileError(f"key file {path} is not a regular file")
        if info.st_mode & 0o077:
            raise KeyFileError(
                f"key file {path} is accessible by group or others "
                f"(mode {stat.S_IMODE(info.st_mode):04o}); run: chmod 600 {path}"
            )
        raw = os.read(fd, _MAX_FILE_BYTES + 1)
    finally:
        os.close(fd)
    return _decode(raw, path)


def create_key_file(path: Path) -> bytes:
    """Create ``path`` holding a fresh random key, mode 0600; raise ``FileExistsError`` if present.

    The key is written and fsynced under a temporary name, then hard-linked into place: ``link``
    never overwrites, so a crash leaves no half-written key file and two racing creators end up
    with one key (the loser gets ``FileExistsError`` and reads the winner's file).
    """
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    key = secrets.token_bytes(KEY_BYTES)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    try:
        os.write(fd, base64.b64encode(key) + b"\n")
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        os.link(temporary, path)
    finally:
        temporary.unlink()
    fsync_directory(path.parent)
    return key


def load_or_create_key_file(path: Path, *, create: bool) -> bytes:
    """Read the key in ``path``; if it is missing and ``create`` is set, create it first."""
    if create and not path.exists():
        try:
            return create_key_file(path)
        except FileExistsError:
            pass  # another process created it first: use theirs
    return read_key_file(path)


def fsync_directory(directory: Path) -> None:
    """Make a rename/link inside ``directory`` durable."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _decode(raw: bytes, path: Path) -> bytes:
    malformed = KeyFileError(
        f"key file {path} is malformed: expected the base64 of {KEY_BYTES} random bytes"
    )
    if len(raw) > _MAX_FILE_BYTES:
        raise malformed
    try:
        key = base64.b64decode(raw.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise malformed from None
    if len(key) != KEY_BYTES:
        raise malformed
    return key
