"""The bench's report: a table of measure, value, target and pass/FAIL, and every figure as JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from benchmarks.targets import (
    MEMORY_HORIZON_MONTHS,
    TARGET_BASELINE_S,
    TARGET_DECIDED_S,
    TARGET_OPTIMUM_S,
    TARGET_RATIO,
    TARGET_RSS_KIB,
    TARGET_SPEEDUP,
)


def verdict(ok: bool | None) -> str:
    """pass, FAIL, or n/a when the check could not be made."""
    return "n/a" if ok is None else ("pass" if ok else "FAIL")


def table_rows(figures: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """(measure, value, target, result) for every section that ran."""
    rows: list[tuple[str, str, str, str]] = []
    e = figures.get("engine")
    if e:
        tol = e["wait_rel_err_tolerance"]
        rows += [
            ("engine µs/ticket (M/M/c)", f"{e['engine_us_per_ticket']:.1f}", "", ""),
            ("bare SimPy µs/ticket", f"{e['bare_simpy_us_per_ticket']:.1f}", "", ""),
            ("engine ÷ bare SimPy", f"{e['ratio']:.2f}×", f"≤ {TARGET_RATIO:g}×",
             verdict(e["ratio"] <= TARGET_RATIO)),
            ("engine mean wait vs Erlang C",
             f"{e['engine_mean_wait_h']:.3f} h vs {e['erlang_c_wq_h']:.3f} h "
             f"({e['engine_wait_rel_err']:.1%})",
             f"≤ {tol:.0%} off", verdict(e["engine_wait_rel_err"] <= tol)),
            ("bare SimPy mean wait vs Erlang C",
             f"{e['bare_simpy_mean_wait_h']:.3f} h vs {e['erlang_c_wq_h']:.3f} h "
             f"({e['bare_simpy_wait_rel_err']:.1%})",
             f"≤ {tol:.0%} off", verdict(e["bare_simpy_wait_rel_err"] <= tol)),
        ]
    b = figures.get("baseline")
    if b:
        size = f"{b['designs']}×{b['replications']}"
        scaled = b["quick"]
        rows += [
            (f"baseline wall, --jobs 2 ({size})", f"{b['jobs2']['wall_s']:.1f} s",
             f"≤ {TARGET_BASELINE_S:g} s" + (" (4×20)" if scaled else ""),
             "n/a (quick)" if scaled else verdict(b["jobs2"]["wall_s"] <= TARGET_BASELINE_S)),
            (f"baseline wall, --jobs 1 ({size})", f"{b['jobs1']['wall_s']:.1f} s", "", ""),
            ("speed-up jobs 1 → 2", f"{b['speedup']:.2f}×", f"≥ {TARGET_SPEEDUP:g}×",
             verdict(b["speedup"] >= TARGET_SPEEDUP)),
            ("CSVs identical across --jobs", str(b["csvs_identical"]), "True",
             verdict(None if b["csvs_identical"] is None else b["csvs_identical"])),
        ]
    m = figures.get("memory")
    if m:
        full = m["at_target_horizon"]
        rows += [
            (f"peak RSS, {m['accounts']:,} accounts, {m['horizon_months']:g} months",
             f"{m['max_rss_kib'] / 1024:.0f} MiB",
             f"≤ {TARGET_RSS_KIB // 1024:g} MiB" + ("" if full else f" ({MEMORY_HORIZON_MONTHS} months)"),
             verdict(m["max_rss_kib"] <= TARGET_RSS_KIB) if full else "n/a (short)"),
            (f"wall, {m['accounts']:,} accounts, {m['horizon_months']:g} months",
             f"{m['wall_s']:.1f} s", "", ""),
        ]
    d = figures.get("decided")
    if d:
        for basis, limit in TARGET_DECIDED_S.items():
            if basis not in d:
                continue
            b = d[basis]
            stop = ", stopped at cap" if b["stopped_at_cap"] else ""
            rows.append((f"decided baseline, {basis} ({b['replications']} reps{stop})",
                         f"{b['wall_s']:.1f} s", f"≤ {limit:g} s",
                         "n/a (quick)" if d["quick"] else verdict(b["wall_s"] <= limit)))
    o = figures.get("optimum")
    if o:
        fast = "n/a (quick)" if o["quick"] else verdict(o["wall_s"] <= TARGET_OPTIMUM_S)
        rows += [(f"baseline optimum ({o['simulations']} search simulations)", f"{o['wall_s']:.1f} s",
                  f"≤ {TARGET_OPTIMUM_S:g} s", fast),
                 ("optimum's targets met on bounds, and on fresh seeds",
                  f"{o['met_on_bounds']}, {o['met_on_fresh_seeds']}", "True, True",
                  verdict(o["met_on_bounds"] and o["met_on_fresh_seeds"]))]
    return rows


def print_table(rows: list[tuple[str, str, str, str]]) -> None:
    """The rows as aligned columns under a header."""
    header = ("measure", "value", "target", "result")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(4)]
    line = "  ".join("-" * w for w in widths)
    print("\n" + "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print(line)
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())


def write_json(figures: dict[str, Any], path: Path) -> None:
    """Every figure to `path`, replaced whole (a reader never sees half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(figures, indent=2, default=str) + "\n", encoding="utf-8")
    tmp.replace(path)
