"""Ctrl-C and SIGTERM end any orgsim command promptly: exit status 130, one line on stderr, and
nothing half-written.

The command line installs `on_signal` for both signals as its first act. A signal then ends the
process at once (`end`), wherever it is: each file or folder being written (a run directory in
staging, a report's temporary file) was registered with `writing(undo)`, and its undo removes
it; worker processes are stopped; stderr gets one line; and the process leaves with `os._exit`,
skipping the teardown of what it built — after a large run, freeing millions of objects one by
one takes most of a minute. Nothing relies on a KeyboardInterrupt travelling up the stack, which
any library's `except BaseException` could swallow.

Only the standard library here: this module is imported before anything heavy, to be in place
while the rest starts.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator
from types import FrameType
from typing import Any, NoReturn

INTERRUPTED = 130
SIGNALS = (signal.SIGINT, signal.SIGTERM)

_state: dict[str, Any] = {"undo": [], "written": None, "pid": None}


def install() -> dict[int, Any]:
    """Handle SIGINT and SIGTERM as an interrupt (even in the background, where a shell starts a
    job with SIGINT ignored); return the handlers replaced, for `restore`."""
    previous = {}
    for signum in SIGNALS:
        previous[signum] = signal.getsignal(signum)
        signal.signal(signum, on_signal)
    _state["pid"] = os.getpid()
    return previous


def installed() -> bool:
    return _state["pid"] == os.getpid() and signal.getsignal(signal.SIGTERM) is on_signal


def restore(previous: dict[int, Any]) -> None:
    """Put back the handlers `install` replaced (for callers inside another program: tests)."""
    for signum, handler in previous.items():
        if handler is not None:
            signal.signal(signum, handler)
    _state.update(undo=[], written=None, pid=None)


def on_signal(signum: int, frame: FrameType | None) -> None:
    if os.getpid() != _state["pid"]:  # a worker forked before it set its own handlers: die quietly
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)
        return
    end()


@contextlib.contextmanager
def writing(undo: Callable[[], None]) -> Iterator[None]:
    """A section that writes something `undo` removes: an interrupt inside it undoes it first."""
    _state["undo"].append(undo)
    try:
        yield
    finally:
        _state["undo"].remove(undo)


def written(path: os.PathLike[str] | str) -> None:
    """Note that `path` was committed (renamed into place): an interrupt after it says so."""
    _state["written"] = str(path)


def end(lines: list[str] | None = None) -> NoReturn:
    """Leave now with status 130: `lines` (default: one saying what was or was not written) on
    stderr, worker processes stopped, no interpreter teardown."""
    for signum in SIGNALS:  # a second Ctrl-C must not cut this short
        signal.signal(signum, signal.SIG_IGN)
    if lines is None:
        done = _state["written"]
        lines = [f"orgsim: interrupted after writing {done}" if done
                 else "orgsim: interrupted; nothing was written"]
    logging = sys.modules.get("logging")
    if logging is not None:  # libraries' threads (a Dask nanny's) must not log as workers stop
        logging.disable(logging.CRITICAL)
    for undo in reversed(_state["undo"]):
        with contextlib.suppress(Exception):
            undo()
    _stop_children()
    with contextlib.suppress(Exception):
        sys.stdout.flush()
    with contextlib.suppress(Exception):  # straight to the descriptor: the interrupted code may
        tidy = b"\r\x1b[2K\x1b[?25h" if os.isatty(2) else b""  # hold stderr's buffer (a progress
        os.write(2, tidy + "".join(f"{line}\n" for line in lines).encode())  # bar; cursor shown)
    os._exit(INTERRUPTED)


def leave(code: object) -> NoReturn:
    """End the program with `code` (as `sys.exit` takes it) once its output is flushed, skipping
    the interpreter's teardown: Python restores the default signal handlers for it, so a Ctrl-C
    then would kill the process by the signal, and after a large run it takes most of a minute."""
    if isinstance(code, str):
        with contextlib.suppress(Exception):
            sys.stderr.write(f"{code}\n")
        code = 1
    status = 0 if code is None else code if isinstance(code, int) else 1
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(status)


def _stop_children() -> None:
    """Terminate the worker processes this process started (a pool's, a local Dask cluster's);
    only those: `multiprocessing.active_children` lists this process's own children."""
    multiprocessing = sys.modules.get("multiprocessing")
    if multiprocessing is None:
        return
    with contextlib.suppress(Exception):
        children = multiprocessing.active_children()
        for child in children:
            child.terminate()
        deadline = time.monotonic() + 2
        for child in children:
            child.join(timeout=max(0.0, deadline - time.monotonic()))
