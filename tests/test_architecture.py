"""The shape of the code: layers that only point down, no import cycle between folders, small
modules, and a model that keeps out of SimPy's and other classes' private members."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from conftest import REPO

PACKAGE = REPO / "simulate"

# Lowest first: a module may import from its own layer or below, never above.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("simulate", "simulate.domain", "simulate.units"),  # the vocabulary
    ("simulate.scenario",),  # the file format
    ("simulate.designs", "simulate.theory", "simulate.calibrate"),
    ("simulate.model",),  # one replication, in SimPy
    ("simulate.kpis", "simulate.invariants", "simulate.stats"),  # record → numbers
    ("simulate.consistency", "simulate.workload", "simulate.runner", "simulate.decision",
     "simulate.policy", "simulate.candidate"),
    ("simulate.results", "simulate.optimize", "simulate.optimum", "simulate.selfcheck", "simulate.basis",
     "simulate.plan", "simulate.calibrate.backtest"),
    ("simulate.sweep",),  # points × designs × replications, resumable, on a pool or Dask
    # what people read
    ("simulate.table", "simulate.report", "simulate.compare", "simulate.layout", "simulate.formats",
     "simulate.first_screen"),
    ("simulate.exits",),
    ("simulate.commands",),
    ("simulate.cli", "simulate.__main__"),
)
MAX_LINES = 400


def _name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_name(p): p for p in PACKAGE.rglob("*.py")}


def _imports(path: Path, known: dict[str, Path]) -> set[str]:
    """Modules of the package that `path` imports, anywhere in the file (lazy imports too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("simulate"):
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names if f"{node.module}.{a.name}" in known)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("simulate"))
    return {m for m in found if m in known}


def _layer(module: str) -> int:
    best = max((prefix for layer in LAYERS for prefix in layer
                if module == prefix or module.startswith(prefix + ".")), key=len)
    return next(i for i, layer in enumerate(LAYERS) if best in layer)


GRAPH = {m: _imports(p, _modules()) for m, p in _modules().items()}


def test_every_module_has_a_layer():
    for module in GRAPH:
        _layer(module)


def test_no_import_points_up_a_layer():
    upward = [f"{a} ({_layer(a)}) imports {b} ({_layer(b)})"
              for a, targets in GRAPH.items() for b in targets if _layer(b) > _layer(a)]
    assert upward == []


def test_no_import_cycle_spans_two_folders():
    folder = {m: p.parent for m, p in _modules().items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[set[str]] = []

    def visit(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in GRAPH[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                component.add(w)
                if w == v:
                    break
            if len({folder[m] for m in component}) > 1:
                cycles.append(component)

    for module in GRAPH:
        if module not in index:
            visit(module)
    assert cycles == []


def test_the_architecture_check_sees_an_upward_import():
    assert _layer("simulate.model.world") < _layer("simulate.kpis")
    assert "simulate.kpis" not in GRAPH["simulate.model.world"]
    assert "simulate.scenario.schema" in GRAPH["simulate.model.params"]


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(REPO)))
def test_modules_stay_small(path: Path):
    assert len(path.read_text().splitlines()) <= MAX_LINES


PRIVATE = re.compile(r"\b(?!self\b|cls\b)[a-z_][a-z0-9_]*\._[a-z][a-z0-9_]*")


def test_the_model_reaches_into_no_other_objects_private_members():
    """`other._member` in the model, except where the line before says why it must."""
    offences = []
    for path in sorted((PACKAGE / "model").glob("*.py")):
        lines = path.read_text().splitlines()
        for n, line in enumerate(lines):
            code = line.split("#")[0]
            if PRIVATE.search(code) and not lines[n - 1].strip().startswith("#"):
                offences.append(f"{path.name}:{n + 1}: {line.strip()}")
    assert offences == []


def test_the_private_member_check_can_fail():
    assert PRIVATE.search("account._watch_drift()")
    assert PRIVATE.search("self.env._queue.clear()")
    assert not PRIVATE.search("self._next(None)")
