"""One replication of one design, in SimPy."""

from simulate.model.world import World, simulate

__all__ = ["World", "simulate"]
