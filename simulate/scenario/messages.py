"""Pydantic's validation errors as one plain line per field: `dotted.field: message (got value)`.

Union branches collapse into one line; misspelt keys get a "did you mean" at every depth; each
line carries the field's position in the file, so problems are reported in file order.
"""

from __future__ import annotations

import difflib
import math
import re
import types
from collections.abc import Iterator
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError

from simulate.scenario.quantity import DISTRIBUTIONS, Quantity
from simulate.scenario.schema import (
    DesignStaffing,
    RatioPolicy,
    RoleName,
    Scenario,
    Staffing,
    WorkKind,
)

Position = tuple[int, ...]  # where a field is in the file: the index of each key along its path
HINTS_PER_FILE = 500  # problems of one file that get a "did you mean" (class Hints)

# Error types meaning "this branch of a union does not take this kind of value": noise when
# another branch explains the problem.
_MISMATCH = {
    "int_type", "int_parsing", "float_type", "float_parsing", "string_type", "bool_type",
    "bool_parsing", "model_type", "model_attributes_type", "dict_type", "list_type",
    "bool_not_number", "literal_error", "none_required",
}


def describe_errors(err: ValidationError, document: dict[str, Any],
                    positions: Positions | None = None) -> list[tuple[Position, str]]:
    """(position in the file, `field: message`) per problem; a union's branches give one line."""
    where_in = positions or Positions(document)
    hints = Hints()
    out: list[tuple[Position, str]] = []
    unions: dict[tuple[Any, ...], list[tuple[dict[str, Any], _Where]]] = {}
    located = [(e, _walk(e["loc"])) for e in err.errors(include_url=False)]
    bad_keys = {tuple(w.path) for _, w in located if w.is_key}  # say so, and not what is under it
    for e, where in located:
        if not where.is_key and any(tuple(where.path[:n]) in bad_keys for n in range(len(where.path) + 1)):
            continue
        if where.union is None:
            out.append(_line(e, where, where_in, hints))
        else:
            unions.setdefault(where.union, []).append((e, where))
    for path, branch_errors in unions.items():
        telling = [(e, w) for e, w in branch_errors
                   if not (w.at_branch_root and e["type"] in _MISMATCH)]
        flag = next(((e, w) for e, w in branch_errors if e["type"] == "bool_not_number"), None)
        if telling:
            out.extend(_line(e, w, where_in, hints) for e, w in telling)
        elif flag is not None:  # true/false where a number goes: say that, not every branch
            out.append(_line(*flag, where_in, hints))
        else:
            e, w = branch_errors[0]
            expected = _expected(w.union_annotation)
            out.append((where_in(list(path)),
                        _join(path, f"expected {expected} (got {show(_value_at(document, path))})")))
    return out


class _Where:
    """Where a pydantic error is: the user's path (union tags dropped) and the schema type there."""

    def __init__(self) -> None:
        self.path: list[Any] = []
        self.annotation: Any = Scenario  # the type at the end of the path
        self.parent: Any = None  # the type holding the last path element
        self.is_key = False  # the error is about a mapping's key, not its value
        self.union: tuple[Any, ...] | None = None  # path to the outermost union, if any
        self.union_annotation: Any = None
        self.at_branch_root = False  # the error is about the union's value itself


def _walk(loc: tuple[Any, ...]) -> _Where:
    where = _Where()
    annotation: Any = Scenario
    for i, part in enumerate(loc):
        if part == "[key]":  # the error is about the last key itself: typed by its mapping
            where.is_key = True
            args = get_args(_unwrap(where.parent))
            annotation = args[0] if get_origin(_unwrap(where.parent)) is dict else None
            continue
        members = _members(annotation)
        if len(members) > 1:  # pydantic names the union's branch: not part of the user's path
            if where.union is None:
                where.union = tuple(where.path)
                where.union_annotation = annotation
                where.at_branch_root = i == len(loc) - 1
            annotation = _pick(members, str(part))
            continue
        where.parent = annotation
        where.path.append(part)
        annotation = _child(annotation, part)
    where.annotation = annotation
    return where


def flags_as_text(document: dict[str, Any]) -> Iterator[tuple[list[Any], str]]:
    """(path, message) for text where the schema takes true or false (`yes`, `off`): pydantic
    would read it as a flag, but only true and false are flags in YAML 1.2 (scenario.yaml12)."""
    stack: list[tuple[list[Any], Any, Any]] = [([], document, Scenario)]
    while stack:
        path, node, annotation = stack.pop()
        if isinstance(node, dict):
            stack.extend(([*path, key], value, _child(annotation, key)) for key, value in node.items())
        elif isinstance(node, str) and _unwrap(annotation) is bool:
            yield path, f"expected true or false (got {show(node)})"


def _unwrap(annotation: Any) -> Any:
    """The type inside Annotated[...] and Optional[...]."""
    while True:
        if get_origin(annotation) is Annotated:
            annotation = get_args(annotation)[0]
            continue
        if get_origin(annotation) in (Union, types.UnionType):
            args = [a for a in get_args(annotation) if a is not type(None)]
            if len(args) == 1:
                annotation = args[0]
                continue
        return annotation


def _members(annotation: Any) -> list[Any]:
    annotation = _unwrap(annotation)
    if get_origin(annotation) in (Union, types.UnionType):
        return [a for a in get_args(annotation) if a is not type(None)]
    return [annotation]


def _pick(members: list[Any], tag: str) -> Any:
    """The union member pydantic's branch tag names (a model by its name, or a scalar type)."""
    for member in members:
        inner = _unwrap(member)
        if _is_model(inner) and re.search(rf"\b{inner.__name__}\b", tag):
            return member
    for member in members:
        inner = _unwrap(member)
        if isinstance(inner, type) and re.search(rf"\b{inner.__name__}\b", tag):
            return member
    return None


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _child(annotation: Any, part: Any) -> Any:
    """The type of `part` inside `annotation` (a model's field, a mapping's value, a list's item)."""
    annotation = _unwrap(annotation)
    if _is_model(annotation):
        field = annotation.model_fields.get(str(part))
        if field is not None:
            return field.annotation
        return DesignStaffing if annotation is Staffing else None
    origin = get_origin(annotation)
    if origin is dict:
        return get_args(annotation)[1]
    if origin is list:
        return get_args(annotation)[0]
    return None


def _known_keys(annotation: Any) -> list[str]:
    annotation = _unwrap(annotation)
    return list(annotation.model_fields) if _is_model(annotation) else []


def _line(e: dict[str, Any], where: _Where, positions: Positions, hints: Hints) -> tuple[Position, str]:
    return positions(where.path), _join(where.path, _message(e, where, hints))


def _join(path: Any, message: str) -> str:
    field = ".".join(str(p) for p in path)
    return f"{field}: {message}" if field else message


# Names for the values of a Literal, by its allowed values.
_NOUNS = {
    tuple(DISTRIBUTIONS): "distribution",
    get_args(RoleName): "role",
    get_args(WorkKind): "kind of work",
}


def _message(e: dict[str, Any], where: _Where, hints: Hints) -> str:
    kind, given, ctx = e["type"], e.get("input"), e.get("ctx") or {}
    got = f" (got {show(given)})"
    if kind == "extra_forbidden":
        return f"unknown key{hints.suggest(str(where.path[-1]), _known_keys(where.parent))}"
    if kind == "missing":
        if where.path and where.path[-1] == "dist" and where.parent is Quantity:
            return f"missing: a distribution needs dist (one of {', '.join(DISTRIBUTIONS)})"
        return "missing: this field is required"
    if kind == "literal_error":
        allowed = [str(a) for a in get_args(_unwrap(where.annotation))]
        noun = _NOUNS.get(tuple(allowed), "value")
        hint = hints.suggest(str(given), allowed, bare=True)
        return f"unknown {noun} {show(given)} ({hint}one of {', '.join(allowed)})"
    if where.parent is Staffing and kind == "dict_type" and str(where.path[-1]) not in Staffing.model_fields:
        close = hints.suggest(str(where.path[-1]), list(Staffing.model_fields))
        if close:
            return f"unknown key{close}"
        return f"expected a design's staffing, a mapping of role → count or policy{got}"
    for bound, sign in (("ge", "≥"), ("gt", ">"), ("le", "≤"), ("lt", "<")):
        if bound in ctx and kind.startswith(("greater", "less")):
            if isinstance(given, float) and math.isnan(given):
                return f"must be a number{got}"
            limit = ctx[bound]
            limit = int(limit) if isinstance(limit, float) and limit.is_integer() else limit
            return f"must be {sign} {show(limit)}{got}"
    if kind in {"value_error", "assertion_error"}:
        return e["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, ")
    if kind in {"too_short", "too_long"}:
        return "must not be empty" if kind == "too_short" else f"{e['msg'].lower()}{got}"
    if kind in {"dict_type", "model_type", "model_attributes_type"}:
        return f"expected {_expected(where.annotation)}{got}"
    simple = {
        "finite_number": "must be a finite number",
        "int_from_float": "expected a whole number",
        "int_parsing": "expected a whole number",
        "int_type": "expected a whole number",
        "float_parsing": "expected a number",
        "float_type": "expected a number",
        "bool_not_number": "expected a number, not true/false",
        "string_type": "a name must be text" if where.is_key else "expected text",
        "bool_type": "expected true or false",
        "bool_parsing": "expected true or false",
        "list_type": "expected a list",
    }
    if kind in simple:
        return simple[kind] + got
    if kind.startswith(("int_", "float_")):  # e.g. int_parsing_size: a number too large for a count
        return f"expected {'a whole number' if kind.startswith('int_') else 'a number'}{got}"
    return f"{e['msg']}{got}"


def _expected(annotation: Any) -> str:
    """What a field takes, in words, for 'expected …' messages."""
    members = [_unwrap(m) for m in _members(annotation)]
    words = []
    for m in members:
        if m is RatioPolicy:
            words.append("a policy mapping such as {per_arr: 2000000, min: 1}")
        elif m is Quantity:
            words.append("a number or {dist, mean, cv|sd}")
        elif m is int:
            words.append("a count" if RatioPolicy in members else "a whole number")
        elif m is float:
            words.append("a number")
        elif m is str:
            words.append("text")
        elif m is bool:
            words.append("true or false")
        elif get_origin(m) is list:
            words.append("a list")
        elif get_origin(m) is Literal:
            words.append(f"one of {', '.join(map(str, get_args(m)))}")
        else:
            words.append("a mapping")
    if set(members) == {str, float}:  # targets
        return ("a target such as '>= 0.9', '<= 4' or a number (at least it where higher is "
                "better, at most where lower is)")
    words = list(dict.fromkeys(words))
    return " or ".join(words) if words else "something else"


class Hints:
    """"Did you mean" for the first `limit` problems of a file: each costs a fuzzy match against
    every known word, and past a few hundred the file is generated, not misspelt."""

    def __init__(self, limit: int = HINTS_PER_FILE):
        self.left = limit

    def suggest(self, word: str, known: list[str], bare: bool = False) -> str:
        if self.left <= 0:
            return ""
        self.left -= 1
        return _suggest(word, known, bare)


def _suggest(word: str, known: list[str], bare: bool = False) -> str:
    """` (did you mean 'x'?)` when `word` is close to a known one (`bare`: `did you mean 'x'? `)."""
    close = difflib.get_close_matches(word, known, n=1, cutoff=0.6)
    if not close:
        return ""
    return f"did you mean {close[0]!r}? " if bare else f" (did you mean {close[0]!r}?)"


def show(value: Any, limit: int = 60) -> str:
    """A value as the user wrote it, shortened: 'x', -1, true, null, [1, 2]."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif value is None:
        text = "null"
    elif isinstance(value, int) and value.bit_length() > 200:  # 60 digits or more, maybe too many to print
        text = f"{'-' if value < 0 else ''}about 1e{int(value.bit_length() * math.log10(2))}"
    elif isinstance(value, str | int | float):
        text = repr(value)
    elif isinstance(value, dict | list):
        try:
            text = yaml.safe_dump(value, default_flow_style=True, width=10_000).strip()
            text = text.removesuffix("\n...").strip()
        except (yaml.YAMLError, RecursionError):
            text = f"a {type(value).__name__}"
    else:
        text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _value_at(document: Any, path: tuple[Any, ...]) -> Any:
    node = document
    for part in path:
        if isinstance(node, dict):
            node = node.get(part, node.get(str(part)))
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            return None
    return node


def position(document: Any, path: list[Any]) -> Position:
    """The index of each key along `path` in the document, for sorting problems in file order."""
    return Positions(document)(path)


class Positions:
    """Where fields are in one document. Each mapping's keys are indexed the first time a path
    passes through it, so a field's position costs its depth, not the size of the mappings on
    the way: a file of 40,000 unknown keys is placed in linear time."""

    def __init__(self, document: Any):
        self.document = document
        self._mappings: dict[int, tuple[dict[Any, Any], dict[str, int], list[Any]]] = {}

    def _index(self, node: dict[Any, Any]) -> tuple[dict[str, int], list[Any]]:
        entry = self._mappings.get(id(node))
        if entry is None:  # the node is kept in the entry, so its id is not reused meanwhile
            keys: dict[str, int] = {}
            for i, key in enumerate(node):
                keys.setdefault(str(key), i)
            entry = self._mappings[id(node)] = (node, keys, list(node.values()))
        return entry[1], entry[2]

    def __call__(self, path: list[Any] | tuple[Any, ...]) -> Position:
        out: list[int] = []
        node = self.document
        for part in path:
            if isinstance(node, dict):
                keys, values = self._index(node)
                index = keys.get(str(part))
                if index is None:
                    out.append(len(keys))
                    break
                out.append(index)
                node = values[index]
            elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
                out.append(part)
                node = node[part]
            else:
                break
        return tuple(out)
