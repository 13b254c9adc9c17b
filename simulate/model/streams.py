"""Named random streams: common random numbers across designs.

Every random quantity comes from a stream named by its purpose and by the account it belongs
to, drawn in numpy blocks. A block is keyed by (replication seed, purpose, account, block
number), so what one account draws never depends on what happened to another, nor on the
order of events: within a replication every design sees the same draws.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

# Purposes; their numbers are part of the seed derivation, so never renumber one.
ARRIVALS = 0  # new-account arrival times, per segment
INITIAL = 1  # the initial book's attributes, per segment
NEW_ACCOUNTS = 2  # new accounts' attributes, per segment, in arrival order
REFERRED = 3  # referred accounts' attributes, per segment, in referral order
TICKETS = 4  # an account's tickets: arrival clock, type, handle time, escalation
SHOCKS = 5  # an account's health shocks
RENEWALS = 6  # an account's renewal and expansion uniforms, one pair per term
TOUCHES = 7  # an account's CSQL uniforms, one pair per touch
CLOCKS = 8  # an account's opt-out and referral clocks

# Account origins, part of an account's key.
ORIGIN_INITIAL, ORIGIN_NEW, ORIGIN_REFERRED = 0, 1, 2


class Streams:
    """The generators of one replication, all derived from its seed."""

    __slots__ = ("seed",)

    def __init__(self, seed: int):
        self.seed = int(seed)

    def generator(self, purpose: int, *key: int) -> np.random.Generator:
        """An independent generator for (purpose, key…)."""
        seq = np.random.SeedSequence(self.seed, spawn_key=(purpose, *key))
        return np.random.Generator(np.random.PCG64(seq))


Block = Callable[[np.random.Generator, int], list[Any]]


class Draws:
    """A buffered stream of items drawn `size` at a time by `block(generator, size)`."""

    __slots__ = ("_block", "_buffer", "_key", "_number", "_size", "_streams")

    def __init__(self, streams: Streams, key: tuple[int, ...], block: Block, size: int = 16):
        self._streams = streams
        self._key = key
        self._block = block
        self._size = size
        self._number = 0
        self._buffer: list[Any] = []

    def next(self) -> Any:
        if not self._buffer:
            gen = self._streams.generator(*self._key, self._number)
            self._number += 1
            self._buffer = self._block(gen, self._size)
            self._buffer.reverse()
        return self._buffer.pop()


def uniforms(columns: int) -> Block:
    """A block of rows of `columns` uniforms in [0, 1)."""

    def block(gen: np.random.Generator, n: int) -> list[Any]:
        return gen.random((n, columns)).tolist()

    return block


def exponentials(gen: np.random.Generator, n: int) -> list[float]:
    """A block of unit-mean exponentials."""
    return gen.standard_exponential(n).tolist()
