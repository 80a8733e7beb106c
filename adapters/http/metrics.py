"""Prometheus metrics: Litestar's ``PrometheusConfig``/``PrometheusController``, plus one fix.

``group_path=True`` labels requests by route template (``/tokens/{token_id}``), never by raw path,
so ids cannot explode label cardinality. The fix: Litestar's middleware labels a request whose
answer comes from an exception raised by an inner middleware (401 from auth, 413, 415, 429...)
with status 200, because it only sees the status of messages sent through it. We record the
exception's status before it travels on to the exception handler.
"""

from __future__ import annotations

from typing import Any

from litestar.exceptions import HTTPException
from litestar.plugins.prometheus import PrometheusConfig, PrometheusController, PrometheusMiddleware
from litestar.types import ASGIApp, Receive, Scope, Send


class ErrorAwarePrometheusMiddleware(PrometheusMiddleware):
    def __init__(self, app: ASGIApp, config: PrometheusConfig) -> None:
        super().__init__(app, config)
        inner = self.app

        async def recording_errors(scope: Scope, receive: Receive, send: Send) -> None:
            try:
                await inner(scope, receive, send)
            except Exception as error:
                span = getattr(send, "request_span", None)
                if isinstance(span, dict):
                    span["status_code"] = (
                        error.status_code if isinstance(error, HTTPException) else 500
                    )
                raise

        self.app = recording_errors

    def _get_wrapped_send(self, send: Send, request_span: dict[str, float]) -> Any:
        wrapped: Any = super()._get_wrapped_send(send, request_span)
        wrapped.request_span = request_span
        return wrapped


def prometheus_config() -> PrometheusConfig:
    return PrometheusConfig(
        app_name="fintrack",
        prefix="fintrack",
        group_path=True,
        exclude=["^/metrics$"],
        middleware_class=ErrorAwarePrometheusMiddleware,
    )


class MetricsController(PrometheusController):
    """``/metrics``, outside the API schema and without a token: scrape it on the private
    listener or block it at the proxy (it shows route names and traffic, no personal data)."""

    path = "/metrics"
    include_in_schema = False
