"""A polling ``Subscription``: eventsourcing ships only PostgreSQL's LISTEN/NOTIFY one, so without
this ``ProjectionRunner`` cannot run on MariaDB or SQLite (stack-facts 0.4).

It pages through ``select_notifications(id > last)``. That never skips an event because appends
are serialised (see ``transaction.py``): an id is visible only once every lower id is committed.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from typing import TYPE_CHECKING

from eventsourcing.persistence import Notification, Subscription

if TYPE_CHECKING:
    from adapters.persistence.application_recorder import SqlApplicationRecorder
    from adapters.persistence.signal import CommitSignal


class PollingSubscription(Subscription["SqlApplicationRecorder"]):
    def __init__(
        self,
        recorder: SqlApplicationRecorder,
        appended: CommitSignal,
        gt: int | None = None,
        topics: Sequence[str] = (),
        *,
        poll_interval: float = 0.2,
        page_size: int = 500,
    ) -> None:
        super().__init__(recorder=recorder, gt=gt, topics=topics)
        self._appended = appended
        self._poll_interval = poll_interval
        self._page_size = page_size
        self._buffer: deque[Notification] = deque()

    def stop(self) -> None:
        super().stop()
        self._appended.notify()  # wake a __next__ blocked in wait()

    def __next__(self) -> Notification:
        while not self._has_been_stopped:
            if self._buffer:
                return self._buffer.popleft()
            seen = self._appended.generation
            page = self._recorder.select_notifications(
                start=self._last_notification_id,
                limit=self._page_size,
                topics=self._topics,
                inclusive_of_start=False,
            )
            if page:
                self._buffer.extend(page)
                self._last_notification_id = page[-1].id
            else:
                self._appended.wait(seen, self._poll_interval)
        raise StopIteration
