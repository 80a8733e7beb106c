"""Errors of the read side, in the domain's families so the HTTP table maps them.

``InvalidQuery`` (a ``RuleBroken``: 422) names the parameter it refuses; ``ProjectionLagging``
(a ``Conflict``: 409, or 503 at the edge's choice) says the query tables have not reached the log
position the caller asked to see; ``ViewNotFound`` is an id the owner has no row for.
"""

from __future__ import annotations

from uuid import UUID

from domain.errors import Conflict, NotFound, RuleBroken


class InvalidQuery(RuleBroken):
    def __init__(self, parameter: str, reason: str) -> None:
        super().__init__(f"{parameter}: {reason}")
        self.parameter = parameter
        self.reason = reason


class ProjectionLagging(Conflict):
    def __init__(self, projection: str, wanted: int, reached: int | None) -> None:
        super().__init__(
            f"the {projection} view has reached position {reached or 0}, not yet {wanted}; "
            "retry shortly"
        )
        self.projection = projection
        self.wanted = wanted
        self.reached = reached


class ViewNotFound(NotFound):
    """An id with no row for this owner (another owner's ids look exactly the same)."""

    def __init__(self, kind: str, id: UUID) -> None:
        super().__init__(f"no {kind} {id}")
        self.kind = kind
        self.id = id
