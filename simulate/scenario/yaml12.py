"""YAML 1.2 core schema for scenario files, on PyYAML (which implements YAML 1.1).

YAML 1.1 rewrites plain scalars a person did not mean as numbers or flags: `010` is octal 8,
`1:30` is sexagesimal 90, `yes`/`no`/`on`/`off` are booleans, `2024-01-31` is a date. The 1.2
core schema keeps only decimal, `0o` octal and `0x` hex integers, decimal floats with `.inf` and
`.nan`, `true`/`false` and `null` (each in the three spellings the schema allows); anything else
is text, which a number field then refuses by name.
"""

from __future__ import annotations

import math
import re
import sys
from dataclasses import dataclass
from typing import ClassVar

import yaml


@dataclass(frozen=True)
class Scalar:
    """One implicit type of the core schema: its tag, the plain scalars it takes, how read."""

    tag: str
    pattern: re.Pattern[str]
    first: tuple[str, ...]  # what such a scalar may start with (PyYAML indexes resolvers by it)


def _int(text: str) -> int:
    sign, digits = (-1, text[1:]) if text[0] == "-" else (1, text.lstrip("+"))
    base = {"0o": 8, "0x": 16}.get(digits[:2], 10)
    return sign * int(digits[2:] if base != 10 else digits, base)


def _float(text: str) -> float:
    lower = text.lower()
    if lower.endswith(".inf"):
        return -math.inf if lower[0] == "-" else math.inf
    if lower == ".nan":
        return math.nan
    return float(text)


# In the order the schema resolves them: a scalar takes the first type whose pattern matches.
CORE: tuple[Scalar, ...] = (
    Scalar("tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ("~", "n", "N", "")),
    Scalar("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), tuple("tTfF")),
    Scalar("tag:yaml.org,2002:int", re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"),
           tuple("-+0123456789")),
    Scalar("tag:yaml.org,2002:float",
           re.compile(r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
                      r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
           tuple("-+.0123456789")),
)


class NumberTooLong(yaml.constructor.ConstructorError):
    """An integer with more digits than Python reads from text (sys.get_int_max_str_digits)."""


class CoreLoader(yaml.SafeLoader):
    """PyYAML's safe loader resolving plain scalars by the YAML 1.2 core schema (merge keys `<<`
    are kept: they are no type of their own, and files may use them)."""

    yaml_implicit_resolvers: ClassVar[dict[str, list[tuple[str, re.Pattern[str]]]]] = {}  # its own

    def construct_core_int(self, node: yaml.ScalarNode) -> int:
        text = str(self.construct_scalar(node))
        try:
            return _int(text)
        except ValueError:
            digits = len(text.lstrip("+-"))
            limit = sys.get_int_max_str_digits()
            raise NumberTooLong(None, None, f"a whole number of {digits:,} digits is too long to "
                                f"read (at most {limit:,})", node.start_mark) from None

    def construct_core_float(self, node: yaml.ScalarNode) -> float:
        return _float(str(self.construct_scalar(node)))

    def construct_core_bool(self, node: yaml.ScalarNode) -> bool:
        return str(self.construct_scalar(node)).lower() == "true"


for _scalar in CORE:
    CoreLoader.add_implicit_resolver(_scalar.tag, _scalar.pattern, list(_scalar.first))
CoreLoader.add_implicit_resolver("tag:yaml.org,2002:merge", re.compile(r"^(?:<<)$"), ["<"])
CoreLoader.add_constructor("tag:yaml.org,2002:int", CoreLoader.construct_core_int)
CoreLoader.add_constructor("tag:yaml.org,2002:float", CoreLoader.construct_core_float)
CoreLoader.add_constructor("tag:yaml.org,2002:bool", CoreLoader.construct_core_bool)


class CoreDumper(yaml.SafeDumper):
    """PyYAML's safe dumper, quoting text that either YAML 1.1 or the 1.2 core schema would read
    as something else (`1e3`, `0o10` as well as `yes`, `010`), so what it writes — a run's
    scenario.yaml, a test's file — reads back the same with CoreLoader or any YAML loader."""


for _scalar in CORE:
    CoreDumper.add_implicit_resolver(_scalar.tag, _scalar.pattern, list(_scalar.first))
