"""`orgsim` as a measured subprocess: wall time and the child's own peak RSS, run from the project root.

Shared by the baseline and memory measures, which time the real command line, workers and all.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from typing import Any

from benchmarks import ROOT

ORGSIM = ROOT / ".venv" / "bin" / "orgsim"


class SubprocessFailed(RuntimeError):
    """An `orgsim` run exited non-zero; the message carries the tail of its output."""


def orgsim_command() -> list[str]:
    """The virtualenv's `orgsim` script if installed, else `python -m simulate`."""
    if ORGSIM.exists():
        return [str(ORGSIM)]
    return [sys.executable, "-m", "simulate"]


def run_orgsim(args: list[str], label: str) -> dict[str, Any]:
    """Run `orgsim ARGS` from the project root; wall time, peak RSS (KiB) and the run directory.

    The peak RSS is that child's own (and its reaped workers'): `os.wait4` gives the same
    rusage as getrusage(RUSAGE_CHILDREN) would, but for this child alone, so earlier runs
    cannot mask it.
    """
    cmd = orgsim_command() + args
    print(f"  $ {' '.join(cmd[1:] if cmd[0] == str(ORGSIM) else cmd)}", flush=True)
    with tempfile.TemporaryFile("w+") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, text=True)
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        except BaseException:  # interrupted: do not leave the child running
            proc.kill()
            proc.wait()
            raise
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        output = out.read()
    lines = [line for line in output.splitlines() if line.strip()]
    if proc.returncode != 0:
        tail = "\n".join(lines[-15:])
        raise SubprocessFailed(f"{label}: orgsim exited {proc.returncode}:\n{tail}")
    run_dir = lines[-1].strip() if lines else ""
    print(f"    {wall:.1f} s, peak RSS {usage.ru_maxrss / 1024:.0f} MiB → {run_dir}", flush=True)
    return {"wall_s": wall, "max_rss_kib": usage.ru_maxrss, "run_dir": run_dir,
            "command": " ".join(["orgsim", *args])}
