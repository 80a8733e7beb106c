from __future__ import annotations

import base64
import os
import stat
import threading
from pathlib import Path

import pytest

from adapters.crypto.errors import KeyFileError
from adapters.crypto.key_file import load_or_create_key_file, read_key_file
from adapters.crypto.master_key import load_master_keys
from adapters.settings import Settings


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_embedded_master_key_file_is_created_0600_in_a_private_directory(
    tmp_path: Path,
) -> None:
    key_file = tmp_path / "var" / "master.key"
    old_umask = os.umask(0)  # even a permissive umask must not widen the key file
    try:
        keys = load_master_keys(key_file, create=True)
    finally:
        os.umask(old_umask)

    assert _mode(key_file) == 0o600
    assert _mode(key_file.parent) == 0o700
    assert base64.b64decode(key_file.read_bytes()) == keys.current.material
    assert load_master_keys(key_file, create=True).current.kek_id == keys.current.kek_id
    assert [p.name for p in key_file.parent.iterdir()] == ["master.key"]


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o660])
def test_a_key_file_readable_by_group_or_others_is_refused(tmp_path: Path, mode: int) -> None:
    key_file = tmp_path / "master.key"
    load_or_create_key_file(key_file, create=True)
    key_file.chmod(mode)

    with pytest.raises(KeyFileError, match="chmod 600"):
        load_master_keys(key_file, create=True)


@pytest.mark.parametrize(
    "content",
    [b"", b"not base64!!\n", base64.b64encode(b"short"), base64.b64encode(os.urandom(33))],
    ids=["empty", "not-base64", "too-short", "too-long"],
)
def test_a_malformed_key_file_is_refused_without_echoing_it(tmp_path: Path, content: bytes) -> None:
    key_file = tmp_path / "master.key"
    key_file.write_bytes(content)
    key_file.chmod(0o600)

    with pytest.raises(KeyFileError, match="malformed") as raised:
        read_key_file(key_file)
    if content:
        assert content.strip().decode(errors="replace") not in str(raised.value)


def test_a_missing_key_file_is_an_error_outside_the_embedded_mode(tmp_path: Path) -> None:
    with pytest.raises(KeyFileError, match="does not exist"):
        load_master_keys(tmp_path / "master.key", create=False)
    assert not (tmp_path / "master.key").exists()


def test_a_key_file_generated_with_openssl_rand_is_accepted(tmp_path: Path) -> None:
    key = os.urandom(32)
    key_file = tmp_path / "master.key"
    key_file.write_bytes(base64.b64encode(key) + b"\n")
    key_file.chmod(0o400)

    assert read_key_file(key_file) == key


def test_processes_racing_to_create_the_key_file_end_up_with_one_key(tmp_path: Path) -> None:
    key_file = tmp_path / "var" / "master.key"
    barrier = threading.Barrier(4)
    results: list[bytes] = []

    def create() -> None:
        barrier.wait()
        results.append(load_or_create_key_file(key_file, create=True))

    threads = [threading.Thread(target=create) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(results) == 4
    assert len(set(results)) == 1
    assert results[0] == read_key_file(key_file)


def test_the_app_secret_key_file_uses_the_same_rules(tmp_path: Path) -> None:
    settings = Settings.from_env({"FINTRACK_VAR_DIR": str(tmp_path / "var")})

    secret = load_or_create_key_file(settings.secret_key_file, create=settings.is_embedded)

    assert len(secret) == 32
    assert _mode(settings.secret_key_file) == 0o600
    settings.secret_key_file.chmod(0o644)
    with pytest.raises(KeyFileError):
        load_or_create_key_file(settings.secret_key_file, create=True)
