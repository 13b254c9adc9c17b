"""The report page: one self-contained HTML file (inline CSS, charts as data: URIs, no script,
nothing fetched), laid out so the first screen answers "which design, at what cost, with what
confidence": verdict, three headline cards, the trade-off chart; then findings, the other
charts, the KPI tables with intervals and the scenario's assumptions."""

from __future__ import annotations

from typing import Any

import yaml

from simulate import units
from simulate.domain.drivers import DRIVER_ROWS
from simulate.kpis import BY_NAME, KPIS
from simulate.report import fmt
from simulate.report.cells import best_design, designs_bold, esc, kpi_cell
from simulate.report.charts import RESPONSE_TITLE, Chart, draw_all, palette
from simulate.report.data import RunData
from simulate.report.decision import CSS as DECISION_CSS
from simulate.report.decision import against_reference, first_screen, read_verdict
from simulate.report.findings import (
    Finding,
    Headline,
    Verdict,
    findings,
    headline,
    interval,
    no_tickets,
)
from simulate.report.from_today import section as from_today_section
from simulate.report.pay import section as pay_section
from simulate.report.plan_chart import section as plan_section
from simulate.report.rests_on import section as rests_on_section
from simulate.report.trend import section as trend_section

CSS = """
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;
  color:#1d232b;background:#f4f6f8}
main{max-width:1240px;margin:0 auto;padding:14px 22px 40px}
header{display:flex;justify-content:space-between;align-items:baseline;gap:16px;flex-wrap:wrap}
h1{font-size:22px;margin:0}
h1 small{font-weight:400;color:#56606b;font-size:15px}
.meta{color:#56606b;font-size:12px}
h2{font-size:17px;margin:26px 0 8px;border-bottom:1px solid #d5dbe1;padding-bottom:4px}
.verdict{background:#102a43;color:#fff;border-radius:8px;padding:10px 16px;margin:10px 0 10px;
  font-size:16px}
.verdict .confidence{display:block;font-size:12px;color:#bcccdc;margin-top:2px}
.cards{display:grid;grid-template-columns:repeat(3,1fr);gap:12px}
.card{background:#fff;border-radius:8px;padding:10px 14px;border-top:4px solid #334e68;
  box-shadow:0 1px 2px rgba(0,0,0,.08)}
.card .dim{font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:#56606b}
.card .winner{font-size:20px;font-weight:700;margin:2px 0}
.card .winner .also{font-size:15px;font-weight:600;color:#56606b}
.card .value{font-size:15px}
.card .beside,.card .vs{font-size:12px;color:#3e4c59}
.badge{display:inline-block;font-size:11px;font-weight:600;border-radius:9px;padding:0 7px;
  margin-right:4px}
.sig{background:#d8f3dc;color:#1b5e20}.ns{background:#e4e7eb;color:#3e4c59}
.alert{background:#fff3cd;color:#7a4f01;border-radius:6px;padding:5px 12px;margin-top:8px;font-size:13px}
figure{margin:10px 0 0;background:#fff;border-radius:8px;padding:8px;
  box-shadow:0 1px 2px rgba(0,0,0,.08)}
figure img{display:block;max-width:100%;height:auto;margin:0 auto}
figcaption{font-size:12px;color:#56606b;margin-top:4px}
#tradeoff img{max-height:340px}
ul.findings{list-style:none;padding:0;margin:0}
ul.findings li{background:#fff;border-left:4px solid #9aa5b1;border-radius:4px;padding:6px 10px;
  margin:6px 0}
ul.findings li.good{border-color:#2e7d32}ul.findings li.bad{border-color:#c62828}
ul.findings li.mixed{border-color:#f9a825}
table{border-collapse:collapse;background:#fff;font-size:12.5px;width:100%}
th,td{padding:4px 8px;border-bottom:1px solid #e4e7eb;text-align:right;vertical-align:top}
th:first-child,td:first-child{text-align:left}
thead th{background:#e9eef3;position:sticky;top:0}
td .d{display:block;font-size:11px;color:#7b8794}
td .d.better{color:#1b5e20}td .d.worse{color:#b71c1c}
td.best{font-weight:700}
td .k{font-family:ui-monospace,monospace;font-size:11px;color:#7b8794}
details{margin:8px 0}summary{cursor:pointer;font-weight:600}
.assume{display:grid;grid-template-columns:repeat(auto-fill,minmax(360px,1fr));gap:12px}
.assume section{background:#fff;border-radius:8px;padding:8px 12px}
.assume h3{font-size:14px;margin:2px 0 6px}
dl{margin:0;display:grid;grid-template-columns:max-content 1fr;gap:1px 12px;font-size:12.5px}
dt{font-family:ui-monospace,monospace;color:#3e4c59}dd{margin:0}
dd dl{grid-column:1/-1}
pre{background:#fff;padding:10px;border-radius:8px;overflow:auto;font-size:12px}
table.trend tr.first td{border-top:2px solid #c5ced8}
table.trend td.design,table.trend th:nth-child(2){text-align:left;white-space:nowrap}
.swatch{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:4px}
"""


# --- First screen -------------------------------------------------------------------------------


def _header(run: RunData) -> str:
    sc, man = run.scenario, run.manifest
    bits = [f"run {run.run_id}", f"{run.replication_count} replications × {len(run.designs)} designs"]
    if units.finite(sc.get("horizon_months")):
        warm = sc.get("warmup_months") or 0
        bits.append(f"{sc['horizon_months']:g} months ({warm:g} warm-up)")
    if man.get("created_utc"):
        bits.append(str(man["created_utc"]).replace("T", " "))
    description = sc.get("description")
    return (f"<header><h1>Which CS org design? <small>{esc(run.name)}"
            f"{' — ' + esc(description) if description else ''}</small></h1>"
            f"<div class=meta>{esc(' · '.join(bits))}</div></header>")


def _beside(run: RunData, v: Verdict, kpi: str) -> str:
    """A secondary KPI of the best design, and of the designs tied with it."""
    values = [(d, s) for d in v.tied[:3] if (s := run.stat(d, kpi)) is not None]
    if len(values) == 1:
        s = values[0][1]
        return f"{esc(fmt.label(kpi))} {esc(units.spread(s.mean, s.low, s.high, fmt.unit(kpi)))}"
    shown = ", ".join(f"{d} {units.spread(s.mean, s.low, s.high, fmt.unit(kpi))}" for d, s in values)
    return f"{esc(fmt.label(kpi))}: {esc(shown)}"


def _card(run: RunData, v: Verdict, colors: dict[str, str]) -> str:
    title = v.dimension.title
    if v.best is None or v.kpi is None:
        return (f"<div class=card><div class=dim>{esc(title)}</div>"
                f"<div class=value>{esc(v.missing)}</div></div>")
    kpi, best = v.kpi, v.best
    arrow = {"lower": "lower is better", "higher": "higher is better"}.get(fmt.better(kpi), "")
    others = [d for d in v.tied if d != best.design]
    also = f" <span class=also>≈ {esc(', '.join(others))}</span>" if others else ""
    beside = " · ".join(_beside(run, v, s.kpi) for s in v.beside)
    if v.diff is None or v.runner_up is None:
        vs = "<span class='badge ns'>only design</span>"
    else:
        gap = esc(interval(v.diff, kpi))
        if v.significant:
            badge = "<span class='badge sig'>significant</span>"
            vs = f"{badge}{gap} vs {esc(v.runner_up.design)}, the next best"
        elif v.diff.known:
            badge = "<span class='badge ns'>tie: not significant</span>"
            vs = f"{badge}{gap} vs {esc(v.runner_up.design)}"
        else:
            badge = "<span class='badge ns'>not judged</span>"
            vs = f"{badge}{gap} vs {esc(v.runner_up.design)}"
    return (f"<div class=card style='border-top-color:{colors[best.design]}'>"
            f"<div class=dim>{esc(title)} · {esc(fmt.label(kpi))} · {esc(arrow)}</div>"
            f"<div class=winner>{esc(best.design)}{also}</div>"
            f"<div class=value>{esc(units.spread(best.mean, best.low, best.high, fmt.unit(kpi)))}"
            f" <span class=meta>mean ± 95% CI</span></div>"
            f"<div class=beside>{beside}</div><div class=vs>{vs}</div></div>")


def _verdict(run: RunData, h: Headline) -> str:
    return (f"<div class=verdict id=verdict>{designs_bold(h.recommendation, run.designs)}"
            f"<span class=confidence>{esc(h.confidence)}</span></div>")


def _figure(chart: Chart | None) -> str:
    if chart is None:
        return ""
    return (f"<figure id={esc(chart.key)}><img alt='{esc(chart.title)}' src='{chart.data_uri}'>"
            f"<figcaption>{esc(chart.caption)}</figcaption></figure>")


def _findings(run: RunData, h: Headline | None, items: list[Finding]) -> str:
    if h is None:  # the calls of verdict.json: every KPI it compares, against the reference
        lines = [f"<li class={esc(f.tone)}>{designs_bold(f.text, run.designs)}</li>" for f in items]
        return (f"<h2 id=findings>What the differences say</h2><p class=meta>Each design against "
                f"<b>{esc(run.reference)}</b>, the run's first design, on every KPI with a margin "
                "(docs/decision.md), called as on the first screen: the change, and in brackets "
                "its interval at the family level.</p>"
                f"<ul class=findings>{''.join(lines)}</ul>")
    lines = [f"<li class=neutral>{designs_bold(v.sentence, run.designs)}</li>" for v in h.verdicts]
    lines += [f"<li class={esc(f.tone)}>{designs_bold(f.text, run.designs)}</li>" for f in items]
    ref = esc(run.reference)
    return (f"<h2 id=findings>What the differences say</h2><p class=meta>Best against next best on each "
            f"headline KPI, then each design against <b>{ref}</b> (the run's first design, the "
            "reference of every paired difference). Relative changes are the paired difference "
            "over the comparison design's mean; shares change in percentage points (pts).</p>"
            f"<ul class=findings>{''.join(lines)}</ul>")


# --- KPI tables ---------------------------------------------------------------------------------


def _kpi_table(run: RunData, kpis: list[str], segment: str, colors: dict[str, str]) -> str:
    head = "".join(f"<th><span class=swatch style='background:{colors[d]}'></span>{esc(d)}"
                   f"{' (reference)' if d == run.reference else ''}</th>" for d in run.designs)
    rows = []
    for kpi in kpis:
        if all(run.stat(d, kpi, segment) is None for d in run.designs):
            continue
        best = best_design(run, kpi, segment)
        arrow = {"lower": " ↓", "higher": " ↑"}.get(fmt.better(kpi), "")
        cells = "".join(kpi_cell(run, d, kpi, segment, best) for d in run.designs)
        unit = fmt.unit(kpi)
        rows.append(f"<tr><td>{esc(fmt.label(kpi))}{arrow}<br><span class=k>{esc(kpi)}"
                    f"{' · ' + esc(unit) if unit else ''}</span></td>{cells}</tr>")
    return f"<table><thead><tr><th>KPI</th>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _kpi_section(run: RunData, colors: dict[str, str]) -> str:
    order = [k.name for k in KPIS]
    extra = [k for k in run.kpis() if k not in BY_NAME]
    book = [k for k in order + extra if k in run.kpis()]
    parts = [f"<h2 id=kpis>All KPIs, whole book</h2><p class=meta>Mean ± half the 95% interval over "
             f"{run.replication_count} replications; Δ is the paired difference to {esc(run.reference)} "
             "with its 95% interval (green: significantly better, red: significantly worse, grey: not "
             "significant). Bold: the best mean. ↓ lower is better, ↑ higher is better.</p>",
             _kpi_table(run, book, "all", colors)]
    for segment in run.segments:
        kpis = [k for k in order + extra if k in run.kpis(segment)]
        if kpis:
            parts.append(f"<details><summary>Segment {esc(segment)}: account-facing KPIs</summary>"
                         f"{_kpi_table(run, kpis, segment, colors)}</details>")
    return "".join(parts)


# --- Assumptions --------------------------------------------------------------------------------

STAFFING_UNITS = {  # how a ratio policy reads: from the staffing-driver table
    **{d.key: (lambda v, d=d: d.describe(_num(v))) for d in DRIVER_ROWS},
    "min": lambda v: f"min\u00a0{_num(v)}",
}
RAW = frozenset({"seed", "scenario_sha256", "run_id"})  # numbers that are names, not quantities
OVERVIEW = ("name", "description", "horizon_months", "warmup_months", "replications", "seed", "compare",
            "calendar", "sla")


def _num(v: Any) -> str:
    """A scenario value as text: yes/no, a number with thousands separated, anything else as is."""
    if isinstance(v, bool):
        return "yes" if v else "no"
    return units.number(v) if isinstance(v, int | float) else str(v)


def _money(v: Any) -> str:
    """An amount of money from the scenario: $120,000."""
    return units.dollars(v) if isinstance(v, int | float) and not isinstance(v, bool) else _num(v)


def _quantity(q: dict[str, Any]) -> str:
    dist = q.get("dist")
    if dist == "fixed":
        return f"{_num(q.get('mean'))} (fixed)"
    params = ", ".join(f"{k} {_num(v)}" for k, v in q.items() if k != "dist")
    return f"{dist}: {params}"


def _value(v: Any) -> str:
    """A scenario value as HTML: quantities and lists on one line, mappings as nested lists."""
    if isinstance(v, dict):
        if "dist" in v:
            return esc(_quantity(v))
        if not v:
            return "—"
        return "<dl>" + "".join(f"<dt>{esc(k)}</dt><dd>{esc(x) if k in RAW else _value(x)}</dd>"
                                for k, x in v.items()) + "</dl>"
    if isinstance(v, list):
        return esc(", ".join(_num(x) for x in v))
    if v is None:
        return "none"
    return esc(_num(v))


def _matrix(columns: dict[str, dict[str, Any]]) -> str:
    """A parameter × item table (segments, roles, ticket types)."""
    keys = list(dict.fromkeys(k for item in columns.values() if isinstance(item, dict) for k in item))
    head = "".join(f"<th>{esc(name)}</th>" for name in columns)
    rows = "".join(
        f"<tr><td><span class=k>{esc(k)}</span></td>"
        + "".join(f"<td>{_value(item.get(k)) if isinstance(item, dict) and k in item else '–'}</td>"
                  for item in columns.values()) + "</tr>" for k in keys)
    return f"<table><thead><tr><th></th>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _policy(p: Any) -> str:
    if isinstance(p, dict):
        return ", ".join(STAFFING_UNITS.get(k, lambda v, k=k: f"{k} {_num(v)}")(v) for k, v in p.items())
    return f"{_num(p)} (fixed)"


def _staffing(staffing: dict[str, Any]) -> str:
    designs = {k: v for k, v in staffing.items() if isinstance(v, dict)}
    roles = list(dict.fromkeys(r for policy in designs.values() for r in policy))
    head = "".join(f"<th>{esc(r)}</th>" for r in roles)
    rows = "".join(f"<tr><td>{esc(d)}</td>" + "".join(
        f"<td>{esc(_policy(policy[r])) if r in policy else '–'}</td>" for r in roles) + "</tr>"
        for d, policy in designs.items())
    scalars = {k: v for k, v in staffing.items() if not isinstance(v, dict)}
    return (f"<table><thead><tr><th>design</th>{head}</tr></thead><tbody>{rows}</tbody></table>"
            + (_value(scalars) if scalars else ""))


def _assumptions(run: RunData) -> str:
    sc = run.scenario
    if not sc:
        return ("<h2 id=assumptions>Assumptions</h2><p>scenario.yaml is not in the run directory, "
                "so the parameters behind these numbers cannot be shown.</p>")
    blocks = []

    def block(title: str, body: str, wide: bool = False) -> None:
        style = " style='grid-column:1/-1'" if wide else ""
        blocks.append(f"<section{style}><h3>{esc(title)}</h3>{body}</section>")

    block("Run", _value({k: sc[k] for k in OVERVIEW if k in sc}))
    if isinstance(sc.get("segments"), dict):
        block("Segments", _matrix(sc["segments"]), wide=True)
    if isinstance(sc.get("roles"), dict):
        block("Roles (annual_cost: fully loaded USD per year)", _matrix(sc["roles"]), wide=True)
    if isinstance(sc.get("staffing"), dict):
        block("Staffing (per design and role; reviewed monthly)", _staffing(sc["staffing"]), wide=True)
    tickets = sc.get("tickets")
    if isinstance(tickets, dict):
        types = tickets.get("types")
        rest = {k: v for k, v in tickets.items() if k != "types"}
        block("Tickets", (_matrix(types) if isinstance(types, dict) else "") + _value(rest), wide=True)
    shown = {*OVERVIEW, "segments", "roles", "staffing", "tickets"}
    for key, value in sc.items():
        if key not in shown and isinstance(value, dict):
            block(key, _value(value))
    scalars = {k: v for k, v in sc.items() if k not in shown and not isinstance(v, dict)}
    if scalars:
        block("other", _value(scalars))
    raw = yaml.safe_dump(sc, sort_keys=False, allow_unicode=True)
    return (f"<h2 id=assumptions>Assumptions: the resolved scenario</h2><p class=meta>Every parameter the "
            "numbers rest on, defaults filled in. Times are business hours and days; rates are per "
            "business month or year. Distributions read as <i>kind: parameters</i> (cv: coefficient "
            f"of variation).</p><div class=assume>{''.join(blocks)}</div>"
            f"<details><summary>scenario.yaml as run</summary><pre>{esc(raw)}</pre></details>")


def _provenance(run: RunData) -> str:
    man = run.manifest
    if not man:
        return ""
    keep = {k: man[k] for k in ("run_id", "scenario_sha256", "seed", "replications", "command",
                                "created_utc", "wall_seconds", "jobs", "executor", "versions") if k in man}
    return (f"<h2 id=provenance>Provenance</h2><div class=assume><section>{_value(keep)}</section>"
            "</div>")


def render(run: RunData) -> str:
    """The whole page as a string."""
    colors = palette(run.designs)
    h = headline(run)
    charts = draw_all(run)
    cards = "".join(_card(run, v, colors) for v in h.verdicts)
    decided = read_verdict(run.path)
    top = ([first_screen(decided, run.designs)] if decided is not None
           else [_verdict(run, h), f"<div class=cards id=headline>{cards}</div>"])
    items = findings(run)
    warnings = "".join(f"<div class='alert'>⚠ {designs_bold(f.text, run.designs)}</div>"
                       for f in items if f.tone == "warn")
    body = [
        _header(run),
        *top,
        warnings,
        _figure(charts.get("tradeoff")),
        _findings(run, h, [f for f in items if f.tone != "warn"]) if decided is None else
        _findings(run, None, [Finding(*against_reference(decided, d, run.reference))
                              for d in run.designs[1:]]),
        trend_section(run, colors),
        rests_on_section(run),
        plan_section(run),
        from_today_section(run),
        pay_section(run),
    ]
    for key in ("response", "monthly", "health", "csm_time", "utilization"):
        chart = charts.get(key)
        if chart is not None:
            body.append(f"<h2>{esc(chart.title)}</h2>{_figure(chart)}")
        elif key == "response" and no_tickets(run):
            body.append(f"<h2 id=response>{esc(RESPONSE_TITLE)}</h2><p>No tickets were raised in "
                        "this run, so there is no first response or resolution time to draw.</p>")
    body += [_kpi_section(run, colors), _assumptions(run), _provenance(run)]
    title = f"orgsim report — {run.name} ({run.run_id})"
    return ("<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8>"
            "<meta name=viewport content='width=device-width,initial-scale=1'>"
            f"<title>{esc(title)}</title><style>{CSS}{DECISION_CSS}</style></head>"
            f"<body><main>{''.join(body)}</main></body></html>\n")
