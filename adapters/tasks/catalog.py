"""Where tasks are declared. Declaring builds nothing: ``register`` puts them on a broker that the
composition root made (``fintrack serve``, ``worker`` and ``scheduler`` each build their own).

    catalog = TaskCatalog()

    @catalog.task("import_bank_file")
    async def import_bank_file(import_id: str) -> None: ...

    @catalog.task("sync_connections", schedule=({"cron": "0 */6 * * *", "schedule_id": "sync"},))
    async def sync_connections() -> None: ...

    tasks = catalog.register(broker)  # name -> taskiq task (``await tasks[name].kiq(...)``)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from taskiq import AsyncBroker, AsyncTaskiqDecoratedTask

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True, slots=True)
class TaskSpec:
    name: str
    func: Callable[..., Any]
    schedule: tuple[Mapping[str, Any], ...] = ()  # taskiq schedule entries (cron/interval/time)
    labels: tuple[tuple[str, Any], ...] = ()  # e.g. ("max_retries", 3), ("retry_on_error", False)


class TaskCatalog:
    def __init__(self) -> None:
        self._specs: dict[str, TaskSpec] = {}

    def task(
        self, name: str, *, schedule: tuple[Mapping[str, Any], ...] = (), **labels: Any
    ) -> Callable[[F], F]:
        def declare(func: F) -> F:
            if name in self._specs:
                raise ValueError(f"task {name!r} is declared twice")
            self._specs[name] = TaskSpec(name, func, schedule, tuple(labels.items()))
            return func

        return declare

    @property
    def names(self) -> frozenset[str]:
        return frozenset(self._specs)

    def register(self, broker: AsyncBroker) -> dict[str, AsyncTaskiqDecoratedTask[Any, Any]]:
        registered: dict[str, AsyncTaskiqDecoratedTask[Any, Any]] = {}
        for spec in self._specs.values():
            labels = dict(spec.labels)
            if spec.schedule:
                labels["schedule"] = [dict(entry) for entry in spec.schedule]
            registered[spec.name] = broker.register_task(spec.func, task_name=spec.name, **labels)
        return registered
