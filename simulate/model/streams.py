"""Named random streams: common random numbers across designs.

Every random quantity comes from a stream named by its purpose and by the account it belongs
to, drawn in numpy blocks. A block is keyed by (replication seed, purpose, segment, origin,
account, variant, block number), packed without overlap into the 128-bit key of a Philox
counter-based generator, so what one account draws never depends on what happened to another,
nor on the order of events: within a replication every design sees the same draws.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

# Purposes; their numbers are part of the key, so never renumber one.
ARRIVALS = 0  # new-account arrival times, per segment
INITIAL = 1  # the initial book's attributes, per segment
NEW_ACCOUNTS = 2  # new accounts' attributes, per segment, in arrival order
REFERRED = 3  # referred accounts' attributes, per segment, in referral order
TICKETS = 4  # an account's tickets: arrival clock, type, handle time, escalation
SHOCKS = 5  # an account's health shocks
RENEWALS = 6  # an account's renewal and expansion uniforms, one pair per term
TOUCHES = 7  # an account's CSQL uniforms, one pair per touch
CLOCKS = 8  # an account's opt-out (variant 0) and referral (variant 1) clocks
AWAY = 9  # a person's blocks of time away, per role (in the segment field) and person
TIERS = 10  # an account's tier uniform, per segment and origin, in signing order (issue 16)

# Account origins, part of an account's key.
ORIGIN_INITIAL, ORIGIN_NEW, ORIGIN_REFERRED = 0, 1, 2

# The packed key word, high bits to low: purpose 5, segment 7, origin 2, account 30,
# variant 4, block 16 bits.
_LIMITS = (1 << 5, 1 << 7, 1 << 2, 1 << 30, 1 << 4, 1 << 16)
_ZERO_COUNTER = np.zeros(4, dtype=np.uint64)


def pack(purpose: int, segment: int = 0, origin: int = 0, account: int = 0, variant: int = 0,
         block: int = 0) -> int:
    """The fields of a stream's name as one 64-bit word; distinct names never collide."""
    if not (0 <= purpose < 32 and 0 <= segment < 128 and 0 <= origin < 4
            and 0 <= account < 1 << 30 and 0 <= variant < 16 and 0 <= block < 1 << 16):
        fields = (purpose, segment, origin, account, variant, block)
        raise ValueError(f"stream key {fields} out of range (limits {_LIMITS})")
    return (purpose << 59 | segment << 52 | origin << 50 | account << 20 | variant << 16
            | block)


class Streams:
    """The generators of one replication, all derived from its seed."""

    __slots__ = ("_bits", "_generator", "_state", "seed")

    def __init__(self, seed: int):
        self.seed = int(seed) & 0xFFFF_FFFF_FFFF_FFFF
        self._bits = np.random.Philox(key=[self.seed, 0])
        self._generator = np.random.Generator(self._bits)
        self._state = self._bits.state

    def generator(self, purpose: int, segment: int = 0, origin: int = 0, account: int = 0,
                  variant: int = 0, block: int = 0) -> np.random.Generator:
        """The generator for one named block, rewound to its start.

        The generator is shared: draw what you need from it before asking for another.
        """
        state = self._state
        state["state"]["key"] = np.array(
            [self.seed, pack(purpose, segment, origin, account, variant, block)], dtype=np.uint64)
        state["state"]["counter"] = _ZERO_COUNTER
        state["buffer_pos"] = 4
        state["has_uint32"] = 0
        self._bits.state = state
        return self._generator


Block = Callable[[np.random.Generator, int], np.ndarray]


class Draws:
    """A buffered stream: `block(generator, size)` rows at a time, handed out one by one.

    Named by (purpose, segment, origin, account, variant); the block number completes the key.
    A 1-D block hands out floats, a 2-D block hands out rows as lists.
    """

    __slots__ = ("_block", "_buffer", "_key", "_next", "_number", "_size", "_streams")

    def __init__(self, streams: Streams, key: tuple[int, int, int, int, int], block: Block,
                 size: int = 16):
        self._streams = streams
        self._key = key
        self._block = block
        self._size = size
        self._number = 0
        self._next = 0
        self._buffer: np.ndarray | None = None

    def next(self) -> float | list[float]:
        buffer = self._buffer
        if buffer is None or self._next == len(buffer):
            gen = self._streams.generator(*self._key, block=self._number)
            self._number += 1
            buffer = self._buffer = self._block(gen, self._size)
            self._next = 0
        i = self._next
        self._next = i + 1
        return buffer.item(i) if buffer.ndim == 1 else buffer[i].tolist()


def uniform_pairs(gen: np.random.Generator, n: int) -> np.ndarray:
    """A block of rows of two uniforms in [0, 1)."""
    return gen.random((n, 2))


def exponentials(gen: np.random.Generator, n: int) -> np.ndarray:
    """A block of unit-mean exponentials."""
    return gen.standard_exponential(n)
