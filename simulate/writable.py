"""Whether results can be written into a folder, found out before hours of simulation.

A read-only folder, a full disk, a name too long for the file system or a path through a
regular file would otherwise be found only when the run directory is written, after every
replication has been simulated, and the results would be lost. The probe does what writing
results does, on a tiny scale: create the folder, write a file into it, remove it.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

PROBE = b"orgsim probe\n"


def probe(folder: Path) -> str | None:
    """None when files can be written into `folder` (created, with its parents, if missing);
    else why not, as the operating system says it ("Permission denied", …)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=".orgsim-probe-", dir=folder)
        try:
            os.write(fd, PROBE)
            os.fsync(fd)
        finally:
            os.close(fd)
            os.unlink(name)
    except OSError as err:
        return err.strerror or str(err)
    return None
