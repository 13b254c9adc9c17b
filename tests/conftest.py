"""Shared fixtures: a tiny scenario that exercises every mechanism yet runs in well under a second.

Two segments (40 + 10 initial accounts, a few new a month), six months with one of warm-up,
three replications, all four built-in designs staffed with small fixed counts or ratios;
touches, tickets with an escalating technical type, renewals, shocks, opt-out, expansion and
referrals all switched on.
"""

from __future__ import annotations

import copy
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
ORGSIM = Path(sys.executable).parent / "orgsim"  # the console script of this virtualenv
DESIGNS = ("full_stack", "active_passive", "refined", "integrated")

TINY: dict[str, Any] = {
    "name": "tiny",
    "description": "Two small segments for fast end-to-end tests.",
    "horizon_months": 6,
    "warmup_months": 1,
    "replications": 3,
    "seed": 12345,
    "compare": list(DESIGNS),
    "sla": {"first_response_hours": 4, "resolution_hours": 24},
    "segments": {
        "smb": {
            "initial_accounts": 40,
            "new_per_month": 4,
            "acv": {"dist": "lognormal", "mean": 6000, "cv": 0.6},
            "contract_months": 6,  # short terms so renewals fall inside the horizon
            "renewal_risk": 1.5,
            "onboarding_hours": 4,
            "onboarding_target_days": 10,
            "cohort_onboarding": True,
            "tickets_per_month": 1.0,
            "touch_every_days": 30,
            "touch_hours": 0.5,
            "renewal_hours": 1,
            "digital_touch": True,
        },
        "mid": {
            "initial_accounts": 10,
            "new_per_month": 1.5,
            "acv": {"dist": "lognormal", "mean": 30000, "cv": 0.5},
            "contract_months": 6,
            "renewal_risk": 1.0,
            "onboarding_hours": 12,
            "onboarding_target_days": 20,
            "tickets_per_month": 2.0,
            "touch_every_days": 15,
            "touch_hours": 1,
            "renewal_hours": 3,
        },
    },
    "onboarding": {"session_hours": 2, "days_between_sessions": 2, "cohort_every_days": 5,
                   "cohort_sessions": 2, "cohort_size": 20},
    "tickets": {
        "onboarding_factor": 1.5,
        "band_factor": {"green": 1.0, "yellow_green": 1.1, "yellow": 1.3, "red": 1.6},
        "types": {
            "how_to": {"share": 0.5, "handle_hours": {"dist": "lognormal", "mean": 0.25, "cv": 0.8}},
            "complaint": {"share": 0.2, "handle_hours": {"dist": "lognormal", "mean": 0.5, "cv": 0.8}},
            "technical": {"share": 0.3, "handle_hours": {"dist": "lognormal", "mean": 0.75, "cv": 0.8},
                          "escalation_rate": 0.5},
        },
    },
    "engineering": {"handoff_days": {"dist": "lognormal", "mean": 2, "cv": 1.0},
                    "hours": {"dist": "lognormal", "mean": 3, "cv": 1.0}, "hourly_cost": 90},
    "internal_handoff_hours": 1,
    "roles": {
        "csm": {"annual_cost": 130000, "productive_share": 0.65,
                "time_factor": {"ticket": 1.3, "onboarding": 1.25}},
        "support_agent": {"annual_cost": 60000, "productive_share": 0.72},
        "implementation": {"annual_cost": 105000, "productive_share": 0.75},
        "cs_ops": {"annual_cost": 110000, "productive_share": 0.8},
        "tech_support": {"annual_cost": 95000, "productive_share": 0.75},
    },
    "cs_ops": {"accounts_per_ops": 100, "efficiency_gain": 0.15, "digital_touch_every_days": 30},
    "health": {
        "bands": {"green": 75, "yellow_green": 60, "yellow": 40},
        "initial": {"dist": "normal", "mean": 65, "sd": 15},
        "go_live": 80,
        "decay_per_month": 4,
        "touch": 6,
        "shock": {"per_year": 1.0, "points": 15},
    },
    "renewal": {"lead_days": 20},
    "opt_out": {"share": 0.3, "per_month_red": 0.1},
    "expansion": {"csql_per_touch": 0.1, "win_rate": 0.5, "size": 0.25},
    "referrals": {"per_green_account_year": 0.2},
    "staffing": {
        "hiring_lag_days": 10,
        "full_stack": {"csm": {"per_accounts": 20, "min": 2}},
        "active_passive": {"csm": 2, "support_agent": {"per_tickets_per_month": 60, "min": 1}},
        "refined": {"csm": 2, "support_agent": 1, "implementation": 1, "cs_ops": 1},
        "integrated": {"csm": 2, "support_agent": 1, "implementation": 1, "cs_ops": 1,
                       "tech_support": 1},
    },
}


@pytest.fixture
def tiny_scenario() -> dict[str, Any]:
    """A fresh copy of the tiny scenario mapping; tests may change it freely."""
    return copy.deepcopy(TINY)


@pytest.fixture
def write_scenario(tmp_path: Path) -> Callable[..., Path]:
    """`write_scenario(doc, name="tiny")` writes `doc` as YAML into tmp_path and returns the path."""

    def write(doc: dict[str, Any], name: str = "tiny") -> Path:
        path = tmp_path / f"{name}.yaml"
        path.write_text(yaml.safe_dump(doc, sort_keys=False))
        return path

    return write


@pytest.fixture
def tiny_file(tiny_scenario: dict[str, Any], write_scenario: Callable[..., Path]) -> Path:
    """The tiny scenario written to tmp_path/tiny.yaml."""
    return write_scenario(tiny_scenario)


def orgsim(*args: object, cwd: Path = REPO, module: bool = False,
           timeout: float = 180) -> subprocess.CompletedProcess[str]:
    """Run the real command line in a subprocess (`python -m simulate` when `module`)."""
    command = [sys.executable, "-m", "simulate"] if module else [str(ORGSIM)]
    return subprocess.run([*command, *(str(a) for a in args)], cwd=cwd, capture_output=True,
                          text=True, timeout=timeout, check=False)


@pytest.fixture(scope="session")
def cli() -> Callable[..., subprocess.CompletedProcess[str]]:
    """`cli(*args, cwd=REPO, module=False)`: the `orgsim` command in a subprocess."""
    return orgsim


@dataclass(frozen=True)
class Run:
    """One finished `orgsim run`: the process and the run directory it printed last."""

    process: subprocess.CompletedProcess[str]
    out: Path  # the --out directory
    path: Path  # the run directory

    def read(self, name: str) -> bytes:
        return (self.path / name).read_bytes()


def run_tiny(scenario: Path, out: Path, *extra: object) -> Run:
    """`orgsim run` on a scenario file into `out`; fails the test with stderr if it fails."""
    process = orgsim("run", scenario, "--out", out, *extra)
    assert process.returncode == 0, process.stderr
    return Run(process, out, Path(process.stdout.strip().splitlines()[-1]))


@pytest.fixture(scope="session")
def tiny_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny scenario as a file shared by the session (read-only)."""
    path = tmp_path_factory.mktemp("scenario") / "tiny.yaml"
    path.write_text(yaml.safe_dump(TINY, sort_keys=False))
    return path


@pytest.fixture(scope="session")
def tiny_run(tiny_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Run:
    """`orgsim run` on the tiny scenario with its own settings (--jobs 1), run once a session."""
    return run_tiny(tiny_path, tmp_path_factory.mktemp("results"))
