from __future__ import annotations

import time

import pytest

from application.ttl_cache import TTLCache


def test_entries_expire_after_the_ttl(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [100.0]
    monkeypatch.setattr(time, "monotonic", lambda: now[0])
    entries: TTLCache[str, int] = TTLCache(maxsize=10, ttl=30.0)
    entries.put("a", 1)

    now[0] = 129.9
    assert entries.get("a") == 1
    now[0] = 130.0
    assert entries.get("a") is None


def test_the_least_recently_used_entry_is_evicted_beyond_maxsize() -> None:
    entries: TTLCache[str, int] = TTLCache(maxsize=2, ttl=60.0)
    entries.put("a", 1)
    entries.put("b", 2)
    entries.get("a")

    entries.put("c", 3)

    assert entries.get("b") is None
    assert entries.get("a") == 1
    assert entries.get("c") == 3
