"""Python's cyclic garbage collector, paused while a replication runs.

The model makes millions of short-lived objects but no garbage cycles; left running, the
collector's generation scans over the growing record cost a fifth to a third of a run.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused(collect_after: bool = False) -> Iterator[None]:
    """Pause the cyclic collector inside the block (if it was running), and optionally collect
    once after it: what a finished world left behind goes in one pass."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()
    if collect_after:
        gc.collect()
