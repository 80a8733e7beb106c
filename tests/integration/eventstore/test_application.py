"""An eventsourcing Application and a ProjectionRunner on our infrastructure factory."""

from __future__ import annotations

from functools import singledispatchmethod
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event
from eventsourcing.persistence import Mapper, Tracking, Transcoder
from eventsourcing.projection import Projection, ProjectionRunner
from eventsourcing.utils import Environment, get_topic
from sqlalchemy.engine import Engine

from adapters.persistence.factory import CoreInfrastructureFactory
from adapters.persistence.tables import events, snapshots
from adapters.persistence.tracking_recorder import SqlTrackingRecorder, record_tracking


class Counter(Aggregate):
    class Incremented(Aggregate.Event):
        pass

    def __init__(self) -> None:
        self.count = 0

    @event(Incremented)
    def increment(self) -> None:
        self.count += 1


class Counters(Application[UUID]):
    name = "Counters"
    snapshotting_intervals = {Counter: 5}
    engine: Engine
    mappers_made: list[Mapper[Any]]

    def construct_factory(self, env: Environment) -> CoreInfrastructureFactory:
        return CoreInfrastructureFactory(env, engine=self.engine, mapper_factory=self._mapper)

    def _mapper(self, transcoder: Transcoder) -> Mapper[Any]:
        mapper: Mapper[Any] = Mapper(transcoder=transcoder)
        self.mappers_made.append(mapper)
        return mapper


def _bound(to: Engine) -> type[Counters]:
    class BoundCounters(Counters):
        name = "Counters"
        engine = to
        mappers_made: list[Mapper[Any]] = []

    return BoundCounters


def test_an_application_saves_and_loads_an_aggregate_through_snapshots(engine: Engine) -> None:
    app = _bound(engine)()
    counter = Counter()
    for _ in range(11):
        counter.increment()
    app.save(counter)
    with engine.begin() as conn:  # only the snapshot can stand in for these now
        conn.execute(sa.delete(events).where(events.c.originator_version <= 10))

    loaded: Counter = app.repository.get(counter.id)

    assert (loaded.count, loaded.version) == (11, 12)
    with engine.connect() as conn:
        versions = conn.execute(sa.select(snapshots.c.originator_version)).scalars().all()
    assert versions == [5, 10]
    assert app.mappers_made == [app.mapper]  # the given mapper factory, not the default
    app.close()


class CountsView(SqlTrackingRecorder):
    def incremented(self, tracking: Tracking) -> None:
        with self.transaction() as conn:
            record_tracking(conn, tracking)


class CountsProjection(Projection[CountsView]):
    name = "counts"
    topics = (get_topic(Counter.Incremented),)

    @singledispatchmethod
    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        self.view.incremented(tracking)


def test_a_projection_runner_follows_the_log(engine: Engine) -> None:
    env = {
        "PERSISTENCE_MODULE": get_topic(CoreInfrastructureFactory),
        "FINTRACK_DATABASE_URL": engine.url.render_as_string(hide_password=False),
    }
    runner: ProjectionRunner[Counters, CountsView]
    with ProjectionRunner(
        application_class=_bound(engine),
        projection_class=CountsProjection,
        view_class=CountsView,
        env=env,
    ) as runner:
        counter = Counter()
        counter.increment()
        recordings = runner.app.save(counter)

        runner.wait(recordings[-1].notification.id, timeout=5)

        assert runner.view.max_tracking_id("Counters") == recordings[-1].notification.id
