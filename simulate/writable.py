"""Whether results can be written into a folder, found out before hours of simulation.

A read-only folder, a full disk, a name too long for the file system or a path through a
regular file would otherwise be found only when the run directory is written, after every
replication has been simulated, and the results would be lost. The probe does what writing
results does, on a tiny scale: create the folder, write a file into it, remove it.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from simulate import interrupts

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


def write_atomically(path: Path, text: str, prefix: str | None = None) -> Path:
    """Write `text` to `path` through a temporary file beside it (`.<name>.*.partial`, or
    `prefix*.partial`), synced, then renamed: a reader sees the old file or the new, whole; an
    interrupt removes the temporary file."""
    fd, tmp = tempfile.mkstemp(prefix=prefix or f".{path.name}.", suffix=".partial", dir=path.parent)
    try:
        with interrupts.writing(lambda: os.unlink(tmp)):
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o644)
            os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return path
