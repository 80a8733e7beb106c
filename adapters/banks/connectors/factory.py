"""``ProviderConnectors``: builds the connector for a provider name, and enrols new connections.

demo        setup: optional ``seed``                     → credentials ``{seed}``
simplefin   setup: ``setup_token``                       → credentials ``{access_url}``
gocardless  setup: ``secret_id``, ``secret_key``,        → tokens + ``requisition_id``, and
            ``institution_id``, ``redirect``               the consent link for the user
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import closing
from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

import httpx

from adapters.banks.connectors import demo, gocardless, simplefin
from adapters.banks.connectors.http import RetryPolicy
from application.connection_ports import BankConnector, ConnectorError, Enrolment

ALL_PROVIDERS = frozenset({demo.PROVIDER, simplefin.PROVIDER, gocardless.PROVIDER})


@dataclass(frozen=True)
class ConnectorOptions:
    providers: frozenset[str] = ALL_PROVIDERS
    gocardless_url: str = gocardless.BASE_URL
    allow_http: bool = False  # tests only: the fake servers speak plain HTTP on loopback
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    transport: httpx.BaseTransport | None = None
    demo_today: Callable[[], date] | None = None


class ProviderConnectors:
    def __init__(self, options: ConnectorOptions | None = None) -> None:
        self._options = options or ConnectorOptions()
        self.providers = self._options.providers

    def enrol(self, provider: str, setup: Mapping[str, str], *, owner_id: UUID) -> Enrolment:
        options = self._options
        if provider == demo.PROVIDER:
            return Enrolment(credentials={"seed": setup.get("seed") or str(owner_id)})
        if provider == simplefin.PROVIDER:
            return simplefin.claim(
                _field(setup, "setup_token"),
                allow_http=options.allow_http,
                transport=options.transport,
                policy=options.policy,
            )
        if provider == gocardless.PROVIDER:
            connector = gocardless.GoCardlessConnector(
                {
                    "secret_id": _field(setup, "secret_id"),
                    "secret_key": _field(setup, "secret_key"),
                },
                base_url=options.gocardless_url,
                transport=options.transport,
                policy=options.policy,
            )
            with closing(connector):
                return connector.enrol(
                    institution_id=_field(setup, "institution_id"),
                    redirect=_field(setup, "redirect"),
                )
        raise ConnectorError(f"unknown provider {provider!r}")

    def connect(self, provider: str, credentials: Mapping[str, str]) -> BankConnector:
        options = self._options
        if provider == demo.PROVIDER:
            if options.demo_today is not None:
                return demo.DemoBankConnector(credentials["seed"], today=options.demo_today)
            return demo.DemoBankConnector(credentials["seed"])
        if provider == simplefin.PROVIDER:
            return simplefin.SimpleFinConnector(
                credentials["access_url"],
                allow_http=options.allow_http,
                transport=options.transport,
                policy=options.policy,
            )
        if provider == gocardless.PROVIDER:
            return gocardless.GoCardlessConnector(
                credentials,
                base_url=options.gocardless_url,
                transport=options.transport,
                policy=options.policy,
            )
        raise ConnectorError(f"unknown provider {provider!r}")


def _field(setup: Mapping[str, str], name: str) -> str:
    value = setup.get(name, "")
    if not isinstance(value, str) or not value.strip() or len(value) > 2048:
        raise ConnectorError(f"the setup needs {name!r}")
    return value.strip()
