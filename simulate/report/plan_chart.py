"""The report's hiring plan: headcount by month from the run's plan.csv (simulate/plan.py), one
small panel per design and a line per role it staffs, so that how each design's policies grow
the team with the book reads at a glance (a role that falls to 0 part-way shows as a line down
to 0; one a design never staffs has no line in its panel).

A run written before plan.csv existed has no such file: the section is left out. A damaged one
is refused in one line as the run is read (simulate.report.data, checks)."""

from __future__ import annotations

import math

import matplotlib as mpl
import pandas as pd
from matplotlib.ticker import MaxNLocator

from simulate import units
from simulate.domain.roles import ROLE, ROLES
from simulate.plan import replications_behind
from simulate.report.cells import esc
from simulate.report.data import RunData
from simulate.report.drawing import Chart, _figure, _png, label

TITLE = "Hiring plan: people per role, month by month"
LINES = ("-", "--", "-.", ":", (0, (5, 1, 1, 1)))  # roles that overlap stay apart
MARKS = ("o", "s", "^", "D", "v")


def read_plan(run: RunData) -> pd.DataFrame | None:
    """plan.csv of the run (checked as the run was read, simulate.report.data); None when the
    run has none."""
    return run.plan


def role_colors() -> dict[str, str]:
    """One colour per role, the same in every panel and every report."""
    colors = mpl.colormaps["Dark2"].colors
    return {r: mpl.colors.to_hex(colors[i % len(colors)]) for i, r in enumerate(ROLES)}


def _role_label(role: str) -> str:
    row = ROLE.get(role)
    return label(row.label if row is not None else role)


def plan_chart(run: RunData, plan: pd.DataFrame) -> Chart | None:
    """Headcount by month, a panel per design; None when no role has anyone in any month."""
    staffed = plan.groupby("role", sort=False)["headcount"].max()
    roles = [r for r in staffed.index if staffed[r] > 0]
    present = list(dict.fromkeys(plan["design"]))
    designs = [d for d in run.designs if d in present] + [d for d in present if d not in run.designs]
    if not roles or not designs:
        return None
    colors = {**role_colors()}
    extra = mpl.colormaps["tab10"].colors
    for i, r in enumerate(r for r in roles if r not in colors):
        colors[r] = mpl.colors.to_hex(extra[i % len(extra)])
    cols = min(4, len(designs))
    rows = math.ceil(len(designs) / cols)
    warm = run.scenario.get("warmup_months")
    with _figure(2.9 * cols + 1.4, 2.4 * rows + 0.3) as fig:
        axes = fig.subplots(rows, cols, squeeze=False, sharey=True).ravel()
        for ax, design in zip(axes, designs, strict=False):
            mine = plan[plan["design"] == design]
            for i, role in enumerate(roles):
                series = mine[mine["role"] == role].sort_values("month")
                if series.empty or not (series["headcount"] > 0).any():
                    continue  # a role the design never staffs: no line on 0 over the others
                ax.plot(series["month"].to_numpy(dtype=float), series["headcount"].to_numpy(dtype=float),
                        color=colors[role], lw=1.6, ls=LINES[i % len(LINES)],
                        marker=MARKS[i % len(MARKS)] if len(series) < 13 else None, markersize=4,
                        label=_role_label(role))
            if units.finite(warm) and warm > 0:
                ax.axvspan(0, float(warm), color="#9e9e9e", alpha=0.15, lw=0)
            ax.set_ylim(bottom=0)
            ax.yaxis.set_major_locator(MaxNLocator(integer=True))
            ax.set_title(label(design))
            ax.set_xlabel("month")
        axes[0].set_ylabel("people at the month's end")
        for ax in axes[len(designs):]:
            ax.set_visible(False)
        legend = {}
        for ax in axes[:len(designs)]:
            legend.update(zip(*reversed(ax.get_legend_handles_labels()), strict=True))
        order = [_role_label(r) for r in roles if _role_label(r) in legend]
        fig.legend([legend[k] for k in order], order, loc="outside right center")
        n = replications_behind(run.monthly) if run.monthly is not None else 0
        over = f"mean over {n} replications" if n else "mean over the replications"
        caption = (f"People per role at each month's end as the design's staffing policies produced "
                   f"them (plan.csv, {over}: a fraction is replications that differ). A review "
                   "asks for hires at each month's end; they start staffing.hiring_lag_days later. "
                   "The grey strip is the warm-up.")
        return Chart("plan", TITLE, caption, _png(fig))


def section(run: RunData) -> str:
    """The report's hiring-plan section, or nothing for a run without plan.csv."""
    plan = read_plan(run)
    chart = None if plan is None or plan.empty else plan_chart(run, plan)
    if chart is None:
        return ""
    return (f"<h2>{esc(chart.title)}</h2><figure id={esc(chart.key)}><img alt='{esc(chart.title)}' "
            f"src='{chart.data_uri}'><figcaption>{esc(chart.caption)}</figcaption></figure>")
