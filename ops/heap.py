"""Garbage-collector settings for long-lived processes (``fintrack serve`` workers, benchmarks).

A full collection walks every tracked object; in a process holding the app, its engines and
caches that takes 45 to 120 ms on these machines, and it lands inside whichever request allocated
the object that triggered it: the p99 of an allocation-heavy query (a 5-year daily series builds
thousands of points) was one such pause above its p50. ``freeze_startup_heap`` moves everything
alive after start-up into the permanent generation, so later collections skip it (the
``gc.freeze`` practice documented for pre-fork servers). Objects frozen are never collected:
call it once, after start-up, not per request.
"""

from __future__ import annotations

import gc


def freeze_startup_heap() -> None:
    gc.collect()
    gc.freeze()
