"""Reading a scenario file: YAML in, a validated `Scenario` out, or every problem as one line.

The file must be a regular file of at most 5 MB (a bare name is looked for in ./scenarios, then
in the shipped scenarios), read as YAML 1.2 (simulate.scenario.yaml12). Each problem is one line
`file: dotted.field: message (got value)`, and a file's problems are reported all at once, in the
order of the file: pydantic's field errors (with union branches collapsed into one line per
field), flags written as text, numbers past their bounds (simulate.scenario.limits), then the
checks between fields (warm-up and horizon, the engine's stream capacities, names, targets,
designs and their staffing) wherever the fields they read are themselves valid.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

import simulate
from simulate.scenario.limits import out_of_bounds, streams_hold
from simulate.scenario.messages import Position, Positions, describe_errors, flags_as_text
from simulate.scenario.schema import (
    DEFER_CROSS_CHECKS,
    Scenario,
)
from simulate.scenario.yaml12 import CoreLoader, NumberTooLong

SCENARIO_DIR = Path("scenarios")  # a bare name is looked for here first,
SHIPPED_DIR = Path(simulate.__file__).resolve().parents[1] / "scenarios"  # then in the checkout's
SUFFIXES = (".yaml", ".yml")
MAX_BYTES = 5 * 2**20  # a scenario is a page of YAML; anything near this size is not one

# What a path names when it is not a regular file, for the one line that refuses it.
_FILE_KINDS = ((stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
               (stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"))

# A check between fields that layers above the file format add (designs, targets): it yields
# (top-level keys it reads, dotted field, message) per problem.
Check = Callable[[Scenario], Iterable[tuple[frozenset[str], str, str]]]


class ScenarioError(Exception):
    """A scenario that cannot be used; `problems` holds one `file: field: message` line each."""

    def __init__(self, problems: list[str]):
        problems = [one_line(problem) for problem in problems]
        super().__init__("\n".join(problems))
        self.problems = problems


def one_line(text: str) -> str:
    """`text` with control characters and line breaks written as escapes (`\\n`, `\\t`, `\\x07`),
    so a name holding one cannot split or garble its problem's line."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or c == " " else repr(c)[1:-1] for c in text)


def locate(name: str) -> Path:
    """A path as given, or a bare name (no folder, no suffix) resolved in ./scenarios, then in the
    shipped scenarios of this checkout: `baseline` → scenarios/baseline.yaml from any folder."""
    path = Path(name)
    if not _bare(name):
        return path
    for candidate in _candidates(name):
        if candidate.exists():
            return candidate
    return path


def _bare(name: str) -> bool:
    path = Path(name)
    return not (path.exists() or path.suffix or "/" in name)


def _folders() -> list[Path]:
    """Where bare names are looked for: ./scenarios, then the shipped folder (once if the same)."""
    folders = [SCENARIO_DIR]
    if SHIPPED_DIR.resolve() != SCENARIO_DIR.resolve():
        folders.append(SHIPPED_DIR)
    return folders


def _candidates(name: str) -> list[Path]:
    return [folder / f"{name}{suffix}" for folder in _folders() for suffix in SUFFIXES]


def _not_found(name: str) -> str:
    """`name: no such file`, saying where a bare name was looked for."""
    if not _bare(name):
        return f"{name}: no such file"
    files = " and ".join(f"{name}{suffix}" for suffix in SUFFIXES)
    return f"{name}: no such file (looked for {files} in {' and '.join(map(str, _folders()))})"


# --- The file -------------------------------------------------------------------------------


class _Loader(CoreLoader):
    """The YAML 1.2 core loader, noting duplicate keys (which plain YAML loading silently drops)."""

    def __init__(self, stream: str):
        super().__init__(stream)
        self.duplicates: list[tuple[Any, yaml.Mark]] = []

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        if isinstance(node, yaml.MappingNode):
            seen: list[Any] = []
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue
                key = self.construct_object(key_node, deep=True)
                try:
                    if key in seen:
                        self.duplicates.append((key, key_node.start_mark))
                    seen.append(key)
                except TypeError:  # unhashable: the base constructor says so
                    pass
        return super().construct_mapping(node, deep=deep)


def _at(mark: Any) -> str:
    return f"line {mark.line + 1}, column {mark.column + 1}: "


def _yaml_problem(err: yaml.YAMLError, text: str) -> str:
    """`line L, column C: YAML syntax error: what` for any PyYAML error."""
    mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
    where = _at(mark) if mark is not None else ""
    problem = getattr(err, "problem", None)
    if isinstance(err, NumberTooLong):  # well-formed YAML, but not a number Python reads
        return f"{where}{problem}"
    if isinstance(err, yaml.reader.ReaderError):  # a character YAML does not allow
        pos = min(err.position, len(text))
        where = f"line {text.count(chr(10), 0, pos) + 1}, column {pos - text.rfind(chr(10), 0, pos)}: "
        char = err.character if isinstance(err.character, str) else chr(err.character)
        problem = f"character {char!r} is not allowed in YAML"
    problem = problem or (str(err).splitlines() or ["cannot parse"])[0]
    return f"{where}YAML syntax error: {problem}"


def read_document(path: Path) -> dict[str, Any]:
    """The YAML mapping in `path`; problems with the file itself raise ScenarioError."""
    data = _read_regular_file(path)
    if b"\x00" in data:
        raise ScenarioError([f"{path}: binary file, not YAML"])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ScenarioError([f"{path}: not a UTF-8 text file (byte {err.start})"]) from None
    loader: _Loader | None = None
    try:
        loader = _Loader(text)  # the reader checks every character here
        document = loader.get_single_data()
    except yaml.YAMLError as err:
        raise ScenarioError([f"{path}: {_yaml_problem(err, text)}"]) from None
    except RecursionError:
        raise ScenarioError([f"{path}: YAML nested too deeply"]) from None
    finally:
        if loader is not None:
            loader.dispose()
    if loader.duplicates:
        raise ScenarioError([f"{path}: {_at(mark)}duplicate key {key!r} (YAML would keep only the last)"
                             for key, mark in loader.duplicates])
    if document is None:
        raise ScenarioError([f"{path}: empty file; a scenario is a YAML mapping"])
    if not isinstance(document, dict):
        raise ScenarioError([f"{path}: a scenario is a YAML mapping (got {_kind(document)})"])
    return document


def _read_regular_file(path: Path) -> bytes:
    """The bytes of `path`, refused before reading unless it is a regular file of at most
    MAX_BYTES: /dev/zero would never end, a FIFO would wait for a writer."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # a FIFO opens without waiting
    except FileNotFoundError:
        raise ScenarioError([_not_found(str(path))]) from None
    except IsADirectoryError:
        raise ScenarioError([f"{path}: is a directory, not a scenario file"]) from None
    except OSError as err:
        raise ScenarioError([f"{path}: cannot read ({err.strerror or err})"]) from None
    problem = _not_a_scenario_file(path, os.fstat(fd))
    if problem is not None:
        os.close(fd)
        raise ScenarioError([problem])
    with os.fdopen(fd, "rb") as file:
        try:
            data = file.read(MAX_BYTES + 1)  # a file grown since fstat stops here
        except OSError as err:
            raise ScenarioError([f"{path}: cannot read ({err.strerror or err})"]) from None
    if len(data) > MAX_BYTES:
        raise ScenarioError([f"{path}: larger than a scenario can be ({MAX_BYTES // 2**20} MB)"])
    return data


def _not_a_scenario_file(path: Path, info: os.stat_result) -> str | None:
    """Why `path` cannot be a scenario file, from its status alone; None if it can."""
    if stat.S_ISDIR(info.st_mode):
        return f"{path}: is a directory, not a scenario file"
    if not stat.S_ISREG(info.st_mode):
        kind = next((name for test, name in _FILE_KINDS if test(info.st_mode)), "something else")
        return f"{path}: not a regular file ({kind}); a scenario is a YAML file"
    if info.st_size > MAX_BYTES:
        return f"{path}: {info.st_size:,} bytes is larger than a scenario can be ({MAX_BYTES // 2**20} MB)"
    return None


def _kind(value: Any) -> str:
    return {list: "a list", str: "text", int: "a number", float: "a number", bool: "true/false"}.get(
        type(value), f"a {type(value).__name__}")


def load(name: str | Path, checks: Sequence[Check] = (), **overrides: Any) -> Scenario:
    """Read, validate and cross-check a scenario; `overrides` replace top-level fields;
    `checks` are further checks between fields, reported with the rest."""
    path = locate(str(name))
    document = read_document(path)
    document.update({k: v for k, v in overrides.items() if v is not None})
    return parse(document, str(path), checks)


# --- Validation -----------------------------------------------------------------------------

# Stand-ins for required sections that are themselves invalid, so the checks between other
# fields can still run.
_STAND_INS: dict[str, Any] = {"name": "scenario", "segments": {"_": {}}}


def parse(document: dict[str, Any], source: str = "<scenario>", checks: Sequence[Check] = ()) -> Scenario:
    """Validate a scenario mapping; `source` prefixes every problem line.

    Raises ScenarioError with every problem found: field errors first gathered by pydantic, then
    the checks between fields, each run unless a field it reads is itself in error."""
    if not isinstance(document, dict):
        raise ScenarioError([f"{source}: a scenario is a YAML mapping (got {_kind(document)})"])
    plain = re.sub(r"[^A-Za-z0-9_.-]", "_", Path(source).stem).lstrip("._-")  # a folder name
    document.setdefault("name", plain or "scenario")
    problems: list[tuple[Position, str]] = []
    positions = Positions(document)
    broken: set[str] = set()  # top-level keys pydantic refused something in
    out_of_range: set[str] = set()  # top-level keys holding a number past its bound
    scenario: Scenario | None
    try:
        scenario = _validate(document)
    except ValidationError as err:
        problems = describe_errors(err, document, positions)
        broken = {str(e["loc"][0]) for e in err.errors() if e["loc"]}
        stand_in = {k: v for k, v in document.items() if k not in broken}
        stand_in.update({k: v for k, v in _STAND_INS.items() if k in broken})
        try:
            scenario = _validate(stand_in)
        except ValidationError:
            scenario = None
    # Fields pydantic refused, and which of them it refused for the type of a number too big
    # to be the type (1e20 for a count): there the bound says more.
    reported = {line.split(": ", 1)[0]: i for i, (_, line) in enumerate(problems)}
    for path, message in [*flags_as_text(document), *out_of_bounds(document)]:
        field = ".".join(map(str, path))
        index = reported.get(field)
        if index is not None and problems[index][1].startswith(f"{field}: expected "):
            problems[index] = (positions(path), f"{field}: {message}")
        elif not _within(field, reported):
            problems.append((positions(path), f"{field}: {message}"))
            reported[field] = len(problems) - 1
        out_of_range.add(str(path[0]))
    if scenario is not None:
        found = [(broken, p) for p in [*scenario.cross_checks(), *(p for c in checks for p in c(scenario))]]
        # The stream capacities read the values themselves: past a bound, they would only echo it.
        found += [(broken | out_of_range, p) for p in streams_hold(scenario)]
        for skip, (keys, field, message) in found:
            if not keys & skip and field not in reported:
                problems.append((positions(field.split(".")), f"{field}: {message}"))
    if problems:
        lines = [line for _, line in sorted(problems, key=lambda p: p[0])]
        raise ScenarioError([f"{source}: {line}" for line in dict.fromkeys(lines)])
    assert scenario is not None
    return scenario


def _within(field: str, fields: dict[str, int]) -> bool:
    """Whether `field` or a section holding it is one of `fields`."""
    parts = field.split(".")
    return any(".".join(parts[:n]) in fields for n in range(1, len(parts) + 1))


def _validate(document: dict[str, Any]) -> Scenario:
    return Scenario.model_validate(document, context={DEFER_CROSS_CHECKS: True})
