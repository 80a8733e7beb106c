"""``fintrack serve``: the API (and the web app) under uvicorn with uvloop and httptools."""

from __future__ import annotations

import click

from adapters.settings import Settings
from ops.cli_support import operator_errors


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Worker processes (one per core is a good start).",
)
@click.option(
    "--forwarded-allow-ips",
    default=None,
    help="Trust X-Forwarded-For/-Proto from these proxy addresses (comma-separated); "
    "off unless given.",
)
@click.pass_obj
@operator_errors
def serve(
    settings: Settings, host: str, port: int, workers: int, forwarded_allow_ips: str | None
) -> None:
    """Serve the API and the web app; embedded: also the projector and scheduler."""
    import uvicorn

    if settings.is_embedded:  # once, here, rather than racing in every worker
        from adapters.persistence.migrate import migrate

        migrate(settings.sync_url)
    click.echo(
        f"fintrack serving on http://{host}:{port} ({workers} worker(s), "
        f"{'embedded' if settings.is_embedded else settings.sync_url.get_backend_name()})"
    )
    uvicorn.run(
        "ops.serve:create",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        loop="uvloop",
        http="httptools",
        lifespan="on",
        proxy_headers=forwarded_allow_ips is not None,
        forwarded_allow_ips=forwarded_allow_ips,
        access_log=False,
        server_header=False,
        timeout_graceful_shutdown=10,
    )
