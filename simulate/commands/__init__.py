"""One module per `orgsim` command."""

from __future__ import annotations

import signal
from types import FrameType


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def catch_signals() -> None:
    """Ctrl-C and SIGTERM both end a long command as an interrupt (exit 130, nothing written),
    even when it was started in the background, where SIGINT would be ignored."""
    signal.signal(signal.SIGTERM, _terminate)
    signal.signal(signal.SIGINT, signal.default_int_handler)
