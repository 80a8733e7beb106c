"""eventsourcing's own recorder contract tests, run against our recorders on both databases.

Nothing is skipped. ``optional_test_insert_subscribe`` is opt-in upstream (PostgreSQL only); we
opt in, since our polling subscription must pass it.
"""

from __future__ import annotations

from eventsourcing.tests.persistence import (
    AggregateRecorderTestCase,
    ApplicationRecorderTestCase,
    NonInterleavingNotificationIDsBaseCase,
    ProcessRecorderTestCase,
    TrackingRecorderTestCase,
)
from sqlalchemy.engine import Engine

from adapters.persistence.aggregate_recorder import SqlAggregateRecorder
from adapters.persistence.application_recorder import SqlApplicationRecorder
from adapters.persistence.process_recorder import SqlProcessRecorder
from adapters.persistence.tracking_recorder import SqlTrackingRecorder
from tests.integration.eventstore.databases import OnMariaDB, OnSqlite


class AggregateContract(AggregateRecorderTestCase):
    __test__ = False  # abstract: the concrete classes below pick a database
    engine: Engine

    def create_recorder(self) -> SqlAggregateRecorder:
        return SqlAggregateRecorder(self.engine)


class ApplicationContract(ApplicationRecorderTestCase[SqlApplicationRecorder]):
    __test__ = False  # abstract: the concrete classes below pick a database
    engine: Engine

    def create_recorder(self) -> SqlApplicationRecorder:
        return SqlApplicationRecorder(self.engine, poll_interval=0.05)

    def test_insert_subscribe(self) -> None:
        self.optional_test_insert_subscribe()


class TrackingContract(TrackingRecorderTestCase):
    __test__ = False  # abstract: the concrete classes below pick a database
    engine: Engine

    def create_recorder(self) -> SqlTrackingRecorder:
        return SqlTrackingRecorder(self.engine)


class ProcessContract(ProcessRecorderTestCase):
    __test__ = False  # abstract: the concrete classes below pick a database
    engine: Engine

    def create_recorder(self) -> SqlProcessRecorder:
        return SqlProcessRecorder(self.engine)


class NonInterleavingContract(NonInterleavingNotificationIDsBaseCase):
    __test__ = False  # abstract: the concrete classes below pick a database
    engine: Engine

    def create_recorder(self) -> SqlApplicationRecorder:
        return SqlApplicationRecorder(self.engine)


class TestAggregateRecorderOnSqlite(OnSqlite, AggregateContract):
    __test__ = True


class TestAggregateRecorderOnMariaDB(OnMariaDB, AggregateContract):
    __test__ = True


class TestApplicationRecorderOnSqlite(OnSqlite, ApplicationContract):
    __test__ = True


class TestApplicationRecorderOnMariaDB(OnMariaDB, ApplicationContract):
    __test__ = True


class TestTrackingRecorderOnSqlite(OnSqlite, TrackingContract):
    __test__ = True


class TestTrackingRecorderOnMariaDB(OnMariaDB, TrackingContract):
    __test__ = True


class TestProcessRecorderOnSqlite(OnSqlite, ProcessContract):
    __test__ = True


class TestProcessRecorderOnMariaDB(OnMariaDB, ProcessContract):
    __test__ = True


class TestNonInterleavingIdsOnSqlite(OnSqlite, NonInterleavingContract):
    __test__ = True


class TestNonInterleavingIdsOnMariaDB(OnMariaDB, NonInterleavingContract):
    __test__ = True
