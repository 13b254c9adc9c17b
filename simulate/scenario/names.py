"""The names a scenario gives its designs, segments and ticket types: any text a person can read
on one line, at most 100 characters. They become rows, columns, folder-free labels and report
headings, so an empty, blank, multi-line or page-long name is refused at validation; markup and
words such as `NA` or `null` are names like any other (the result and report layers quote them).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from simulate.scenario.messages import show
from simulate.scenario.schema import Scenario

MAX_LENGTH = 100
LINE_BREAKING = frozenset({"Cc", "Zl", "Zp"})  # control characters (newline, tab…), line breaks


@dataclass(frozen=True)
class Rule:
    """A way a name can be unfit, and what the name must be instead."""

    unfit: Callable[[str], bool]
    must: str


BLANK = Rule(lambda name: not name.strip(), "must not be empty or only spaces")
RULES: tuple[Rule, ...] = (  # the first that a name breaks is its problem
    Rule(lambda name: any(unicodedata.category(c) in LINE_BREAKING for c in name),
         "must not contain control characters such as a newline or a tab"),
    BLANK,
    Rule(lambda name: len(name) > MAX_LENGTH, f"must be at most {MAX_LENGTH} characters"),
)


def fits(name: str, rules: Iterable[Rule] = RULES) -> str | None:
    """What `name` must be and is not, or None when it is a fit name."""
    return next((rule.must for rule in rules if rule.unfit(name)), None)


@dataclass(frozen=True)
class Named:
    """Where a scenario names things of one kind: (field, name) pairs and the top-level key."""

    kind: str
    key: str
    names: Callable[[Scenario], Iterable[tuple[str, str]]]
    rules: tuple[Rule, ...] = RULES


NAMED: tuple[Named, ...] = (
    Named("design", "compare", lambda s: (("compare", name) for name in s.compare)),
    Named("design", "designs", lambda s: ((f"designs.{name}", name) for name in s.designs)),
    Named("design", "staffing", lambda s: ((f"staffing.{name}", name) for name in s.staffing.plans)),
    # The schema already refuses a blank segment name and the reserved 'all' (schema.RESERVED).
    Named("segment", "segments", lambda s: ((f"segments.{name}", name) for name in s.segments),
          tuple(rule for rule in RULES if rule is not BLANK)),
    Named("ticket type", "tickets", lambda s: ((f"tickets.types.{name}", name) for name in s.tickets.types)),
)


def names_fit(scenario: Scenario) -> Iterator[tuple[frozenset[str], str, str]]:
    """Names of designs, segments and ticket types that are unfit, one problem each."""
    for named in NAMED:
        for field, name in named.names(scenario):
            must = fits(name, named.rules)
            if must is not None:
                yield frozenset({named.key}), field, f"a {named.kind} name {must} (got {show(name)})"
