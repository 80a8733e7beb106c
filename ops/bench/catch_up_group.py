"""One projector process of the split catch-up benchmark.

    python -m ops.bench.catch_up_group NAME…      (settings from the FINTRACK_* environment)

Prints ``ready`` once wired, waits for a line on stdin (so start-up is not timed), catches up the
projections named and prints how many events it applied.
"""

from __future__ import annotations

import os
import sys

from adapters.http.auth.passwords import CHEAP_PROFILE
from adapters.readmodel.registry import select_writers
from adapters.readmodel.runner import build_projector
from adapters.settings import Settings
from ops.bootstrap import bootstrap


def main(names: list[str]) -> None:
    runtime = bootstrap(Settings.from_env(os.environ), password_profile=CHEAP_PROFILE)
    try:
        projector = build_projector(runtime, chosen=select_writers(runtime.keyring, names))
        print("ready", flush=True)
        sys.stdin.readline()
        print(projector.catch_up(), flush=True)
    finally:
        runtime.close()


if __name__ == "__main__":
    main(sys.argv[1:])
