"""orgsim benchmarks (run `benchmarks/bench.py`): each measure in its own module, one report."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent  # the project root: scenarios/, simulate/, .venv/
