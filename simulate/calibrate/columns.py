"""The two exports' columns: which are required, how each is read, and `--map` renames.

A column is a row of data: its name, whether it is required, and its kind (id, text, date,
number, flag). `--map MAPPING.yaml` names, per export, the company's header for each of ours.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from simulate.scenario.yaml12 import CoreLoader


@dataclass(frozen=True)
class Column:
    """One column of an export: our name, whether the header must have it, how it is read."""

    name: str
    required: bool
    kind: str  # "id", "text", "date", "number", "flag"
    filled: bool = False  # a required column whose every row must have a value


@dataclass(frozen=True)
class Export:
    """One export file: its name (accounts, tickets), its id column and its columns."""

    name: str
    key: str
    columns: tuple[Column, ...]

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    def of_kind(self, kind: str) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.kind == kind)


ACCOUNTS = Export("accounts", "account_id", (
    Column("account_id", True, "id", filled=True),
    Column("segment", False, "text"),
    Column("acv", True, "number", filled=True),
    Column("signed_date", True, "date", filled=True),
    Column("live_date", True, "date"),  # empty: still onboarding
    Column("ended_date", True, "date"),  # empty: still a customer
    Column("contract_months", False, "number"),
    Column("renewal_date", False, "date"),
))
TICKETS = Export("tickets", "ticket_id", (
    Column("ticket_id", True, "id", filled=True),
    Column("account_id", True, "id", filled=True),
    Column("created_at", True, "date", filled=True),
    Column("first_response_at", False, "date"),
    Column("solved_at", False, "date"),
    Column("type", False, "text"),
    Column("escalated", False, "flag"),
    Column("handle_minutes", False, "number"),
))
EXPORTS = {e.name: e for e in (ACCOUNTS, TICKETS)}

# Durations that must not be negative: (export, from column, to column).
ORDERED = (
    ("accounts", "signed_date", "live_date"),
    ("accounts", "signed_date", "ended_date"),
    ("tickets", "created_at", "first_response_at"),
    ("tickets", "created_at", "solved_at"),
)
# Numbers that must not be negative (contract_months must be at least one).
AT_LEAST = {"acv": 0.0, "handle_minutes": 0.0, "contract_months": 1.0}
FLAGS = {"true": True, "false": False, "1": True, "0": False, "yes": True, "no": False,
         "t": True, "f": False, "y": True, "n": False}


class MappingError(ValueError):
    """A --map file that cannot be used; the message is one line naming file and field."""


Renames = dict[str, dict[str, str]]  # export → {their header: our column}


def read_mapping(path: Path | None) -> Renames:
    """`--map`: `{accounts: {our_column: "Their Header"}, tickets: {...}}` as renames per export
    (their header → ours); an empty mapping without `--map`."""
    renames: Renames = {name: {} for name in EXPORTS}
    if path is None:
        return renames
    try:
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=CoreLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
        raise MappingError(f"{path}: cannot read as YAML: {' '.join(str(err).split())}") from None
    if not isinstance(doc, dict):
        raise MappingError(f"{path}: expected a mapping with accounts: and/or tickets:")
    for export, columns in doc.items():
        if export not in EXPORTS:
            raise MappingError(f"{path}: {export}: unknown export (expected accounts or tickets)")
        if not isinstance(columns, dict):
            raise MappingError(f"{path}: {export}: expected a mapping of our column: their header")
        ours = {c.name for c in EXPORTS[export].columns}
        for column, header in columns.items():
            if column not in ours:
                raise MappingError(f"{path}: {export}.{column}: unknown column (expected one of "
                                   f"{', '.join(sorted(ours))})")
            if not isinstance(header, str) or not header.strip():
                raise MappingError(f"{path}: {export}.{column}: expected the export's header text")
            renames[export][header] = column
    return renames


def parse_segments(text: str) -> list[tuple[str, float, float]]:
    """`--segments smb:0-15000,mid_market:15000-75000,enterprise:75000-` as (name, low, high)
    ACV bands, USD a year, high exclusive (an empty high: no bound); ValueError if malformed."""
    bands = []
    for part in text.split(","):
        name, _, span = part.strip().partition(":")
        low, dash, high = span.partition("-")
        try:
            bounds = (float(low), float(high) if high.strip() else float("inf"))
        except ValueError:
            bounds = (float("nan"), float("nan"))
        if not name.strip() or not dash or not bounds[0] < bounds[1]:
            raise ValueError(f"expected name:low-high (high may be empty), got {part.strip()!r}")
        bands.append((name.strip(), *bounds))
    return bands


DEFAULT_SEGMENTS = "smb:0-15000,mid_market:15000-75000,enterprise:75000-"
