"""Reading a scenario file: YAML in, a validated `Scenario` out, or every problem as one line."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from simulate.scenario.schema import Scenario

SCENARIO_DIR = Path("scenarios")


class ScenarioError(Exception):
    """A scenario that cannot be used; `problems` holds one `file: field: message` line each."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def locate(name: str) -> Path:
    """A path as given, or a bare name resolved in `scenarios/` (`baseline` → scenarios/baseline.yaml)."""
    path = Path(name)
    if path.exists() or path.suffix or "/" in name:
        return path
    for candidate in (SCENARIO_DIR / f"{name}.yaml", SCENARIO_DIR / f"{name}.yml"):
        if candidate.exists():
            return candidate
    return path


def read_document(path: Path) -> dict[str, Any]:
    """The YAML mapping in `path`; problems with the file itself raise ScenarioError."""
    if not path.exists():
        raise ScenarioError([f"{path}: no such file"])
    if path.is_dir():
        raise ScenarioError([f"{path}: is a directory, not a scenario file"])
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as err:
        raise ScenarioError([f"{path}: not a UTF-8 text file (byte {err.start})"]) from None
    except OSError as err:
        raise ScenarioError([f"{path}: cannot read ({err.strerror})"]) from None
    if "\x00" in text:
        raise ScenarioError([f"{path}: binary file, not YAML"])
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(err, "problem", None) or str(err).splitlines()[0]
        raise ScenarioError([f"{path}: {where}YAML syntax error: {problem}"]) from None
    if document is None:
        raise ScenarioError([f"{path}: empty file; a scenario is a YAML mapping"])
    if not isinstance(document, dict):
        kind = type(document).__name__
        raise ScenarioError([f"{path}: a scenario is a YAML mapping (got a {kind})"])
    return document


def load(name: str | Path, **overrides: Any) -> Scenario:
    """Read, validate and cross-check a scenario; `overrides` replace top-level fields."""
    path = locate(str(name))
    document = read_document(path)
    document.update({k: v for k, v in overrides.items() if v is not None})
    return parse(document, str(path))


def parse(document: dict[str, Any], source: str = "<scenario>") -> Scenario:
    """Validate a scenario mapping; `source` prefixes every problem line."""
    from simulate.designs import DesignError, compared  # designs build on the schema

    document.setdefault("name", Path(source).stem)
    try:
        scenario = Scenario.model_validate(document)
    except ValidationError as err:
        raise ScenarioError([f"{source}: {line}" for line in describe(err, document)]) from None
    try:
        compared(scenario)
    except DesignError as err:
        raise ScenarioError([f"{source}: {err}"]) from None
    return scenario


def describe(err: ValidationError, document: dict[str, Any]) -> list[str]:
    """One `field: message (got value)` line per pydantic error, deduplicated, in file order."""
    lines: list[str] = []
    for e in err.errors(include_url=False):
        loc = [str(p) for p in e["loc"] if not _is_union_tag(p)]
        field = ".".join(loc)
        if e["type"] == "extra_forbidden":
            message = f"unknown key{_suggest(loc, document)}"
        elif e["type"] == "missing":
            message = "missing: this field is required"
        else:
            message = _message(e)
        line = f"{field}: {message}" if field else message
        if line not in lines:
            lines.append(line)
    return lines


def _is_union_tag(part: Any) -> bool:
    """Pydantic adds the union member's name to a location; it means nothing to a user."""
    return isinstance(part, str) and (
        part in {"int", "float", "RatioPolicy", "Quantity", "bool", "str"}
        or part.startswith(("function-", "constrained-", "list[", "dict["))
    )


def _message(e: dict[str, Any]) -> str:
    text = e["msg"]
    text = text.removeprefix("Value error, ")
    ctx = e.get("ctx") or {}
    for bound, sign in (("ge", "≥"), ("gt", ">"), ("le", "≤"), ("lt", "<")):
        if bound in ctx and e["type"].startswith(("greater", "less")):
            text = f"must be {sign} {ctx[bound]}"
    given = e.get("input")
    if e["type"] not in {"value_error", "assertion_error"} and not isinstance(given, dict | list):
        text = f"{text} (got {given!r})"
    return text


def _suggest(loc: list[str], document: dict[str, Any]) -> str:
    """` (did you mean 'x'?)` when the unknown key is close to a known one."""
    known = _known_keys(loc[:-1], document)
    close = difflib.get_close_matches(loc[-1], known, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _known_keys(parent: list[str], document: dict[str, Any]) -> list[str]:
    """Field names the schema allows at `parent` (a dotted location)."""
    model: Any = Scenario
    for part in parent:
        field = getattr(model, "model_fields", {}).get(part)
        if field is None:
            model = _inner_model(model)
            continue
        model = _inner_model(field.annotation)
    return list(getattr(model, "model_fields", {}) or {})


def _inner_model(annotation: Any) -> Any:
    """The pydantic model inside an annotation such as dict[str, Segment] or X | None."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    meta = getattr(annotation, "__origin__", None)
    if isinstance(meta, type) and issubclass(meta, BaseModel):
        return meta
    return None
