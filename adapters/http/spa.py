"""The single-page app's built files (``web/dist``) at ``/``, with client routes falling back to
``index.html`` so that a reload of ``/transactions/123`` still loads the app.

Only files inside the folder are served (the resolved path must stay under it); unknown paths under
the API's prefixes stay 404 problem details rather than turning into the app's page.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from litestar import get
from litestar.exceptions import NotFoundException
from litestar.response import File

API_PREFIXES = ("api/", "health/", "schema", "metrics", "static/")


def spa_handlers(root: Path) -> list[Any]:
    root = root.resolve()
    index = root / "index.html"

    @get(
        ["/", "/{path:path}"],
        include_in_schema=False,
        opt={"exclude_from_auth": True},
        sync_to_thread=False,
        cache_control=None,
    )
    def spa(path: str = "") -> File:
        relative = path.lstrip("/")
        if relative.startswith(API_PREFIXES):
            raise NotFoundException()
        candidate = (root / relative).resolve()
        if relative and candidate.is_file() and candidate.is_relative_to(root):
            return File(candidate, content_disposition_type="inline")
        if "." in relative.rsplit("/", 1)[-1]:
            raise NotFoundException()  # a missing asset, not a client route
        return File(index, content_disposition_type="inline")

    return [spa]
