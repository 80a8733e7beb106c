"""What a test does when a real service it needs (MariaDB, RabbitMQ) is not there: it fails.

A skip would let `make test` pass without ever touching the real services. Only an explicit
``FINTRACK_TESTS_SKIP_SERVICES=1`` (say, for the unit tests on a laptop) turns that into a skip.
"""

from __future__ import annotations

import os
from typing import NoReturn

import pytest


def unavailable(service: str, reason: str) -> NoReturn:
    message = f"{service} is required but unavailable: {reason}"
    if os.environ.get("FINTRACK_TESTS_SKIP_SERVICES") == "1":
        pytest.skip(message)
    pytest.fail(message + " (FINTRACK_TESTS_SKIP_SERVICES=1 skips instead)")
