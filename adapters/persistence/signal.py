"""An in-process "something was committed" signal, so waiters wake at once rather than at the
next poll. Other processes' commits are still found by polling; the signal only shortens waits.
"""

from __future__ import annotations

import threading


class CommitSignal:
    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._generation = 0

    @property
    def generation(self) -> int:
        return self._generation

    def notify(self) -> None:
        with self._condition:
            self._generation += 1
            self._condition.notify_all()

    def wait(self, seen: int, timeout: float) -> None:
        """Return when notified after ``seen`` was read, or after ``timeout`` seconds."""
        with self._condition:
            self._condition.wait_for(lambda: self._generation != seen, timeout)
