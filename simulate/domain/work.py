"""Kinds of work a person can take, with their queue priority (DESIGN.md §5)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class WorkKind:
    """One kind of work: its priority (lower is more urgent; FCFS within a priority), whether
    cs_ops coverage makes it faster, and whether it counts as a CSM's proactive time."""

    name: str
    priority: int
    sped_up: bool
    proactive: bool


WORK_KINDS: tuple[WorkKind, ...] = (
    WorkKind("ticket", 1, sped_up=True, proactive=False),
    WorkKind("escalation", 1, sped_up=True, proactive=False),
    WorkKind("onboarding", 3, sped_up=True, proactive=True),
    WorkKind("touch", 4, sped_up=False, proactive=True),
    WorkKind("intervention", 2, sped_up=False, proactive=True),
    WorkKind("renewal", 2, sped_up=False, proactive=True),
)
WORK: dict[str, WorkKind] = {w.name: w for w in WORK_KINDS}
KIND_NAMES: tuple[str, ...] = tuple(WORK)
PROACTIVE: tuple[str, ...] = tuple(w.name for w in WORK_KINDS if w.proactive)
