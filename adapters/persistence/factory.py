"""eventsourcing's infrastructure factory over our SQLAlchemy Core recorders.

Built by the composition root as ``CoreInfrastructureFactory(env, engine=engine,
mapper_factory=...)``. eventsourcing also builds factories itself from ``PERSISTENCE_MODULE``
(``ProjectionRunner`` does, for views): then there is no engine argument, so the factory makes
its own from ``FINTRACK_DATABASE_URL`` (read like ``Settings``) and disposes of it on close().
Tables come only from migrations (``fintrack migrate``), never from here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from eventsourcing.persistence import (
    AggregateRecorder,
    InfrastructureFactory,
    Mapper,
    TrackingRecorder,
    Transcoder,
)
from eventsourcing.utils import Environment, EnvType
from sqlalchemy.engine import Engine

from adapters.persistence.aggregate_recorder import SqlAggregateRecorder
from adapters.persistence.application_recorder import SqlApplicationRecorder
from adapters.persistence.engine import create_sync_engine
from adapters.persistence.process_recorder import SqlProcessRecorder
from adapters.persistence.tracking_recorder import SqlTrackingRecorder
from adapters.settings import Settings

MapperFactory = Callable[[Transcoder], Mapper[Any]]


class CoreInfrastructureFactory(InfrastructureFactory[TrackingRecorder]):
    def __init__(
        self,
        env: Environment | EnvType | None,
        *,
        engine: Engine | None = None,
        mapper_factory: MapperFactory | None = None,
    ) -> None:
        super().__init__(env)
        self._owns_engine = engine is None
        self.engine = engine or create_sync_engine(Settings.from_env(self.env).sync_url)
        self._mapper_factory = mapper_factory

    def mapper(
        self,
        transcoder: Transcoder | None = None,
        mapper_class: type[Mapper[Any]] | None = None,
    ) -> Mapper[Any]:
        if self._mapper_factory is not None:
            return self._mapper_factory(transcoder or self.transcoder())
        return super().mapper(transcoder, mapper_class)

    def aggregate_recorder(self, purpose: str = "events") -> AggregateRecorder:
        if purpose == "snapshots":
            return SqlAggregateRecorder(self.engine)
        return SqlApplicationRecorder(self.engine)  # the events table only behind its lock

    def application_recorder(self) -> SqlApplicationRecorder:
        return SqlApplicationRecorder(self.engine)

    def tracking_recorder(
        self, tracking_recorder_class: type[TrackingRecorder] | None = None
    ) -> TrackingRecorder:
        if tracking_recorder_class is None:
            return SqlTrackingRecorder(self.engine)
        if not issubclass(tracking_recorder_class, SqlTrackingRecorder):
            raise TypeError(f"{tracking_recorder_class} must subclass SqlTrackingRecorder")
        return tracking_recorder_class(self.engine)

    def process_recorder(self) -> SqlProcessRecorder:
        return SqlProcessRecorder(self.engine)

    def close(self) -> None:
        if self._owns_engine:
            self.engine.dispose()
