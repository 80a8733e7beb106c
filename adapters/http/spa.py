"""The single-page app's built files (``web/dist``) at ``/``, with client routes falling back to
``index.html`` so that a reload of ``/transactions/123`` still loads the app.

Only files inside the folder are served (the resolved path must stay under it); unknown paths under
the API's prefixes stay 404 problem details rather than turning into the app's page.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from litestar import get
from litestar.exceptions import NotFoundException
from litestar.params import Parameter
from litestar.response import File

API_PREFIXES = ("api/", "health/", "schema", "metrics", "static/")


def spa_handlers(root: Path) -> list[Any]:
    root = root.resolve()
    index = root / "index.html"

    def serve(relative: str) -> File:
        if relative.startswith(API_PREFIXES):
            raise NotFoundException()
        candidate = (root / relative).resolve()
        if relative and candidate.is_file() and candidate.is_relative_to(root):
            return File(candidate, content_disposition_type="inline")
        if "." in relative.rsplit("/", 1)[-1]:
            raise NotFoundException()  # a missing asset, not a client route
        return File(index, content_disposition_type="inline")

    @get("/", include_in_schema=False, opt={"exclude_from_auth": True}, sync_to_thread=False)
    def spa_index() -> File:
        return serve("")

    @get(
        "/{path:path}",
        include_in_schema=False,
        opt={"exclude_from_auth": True},
        sync_to_thread=False,
    )
    def spa(path: Annotated[str, Parameter()]) -> File:
        return serve(path.lstrip("/"))

    return [spa_index, spa]
