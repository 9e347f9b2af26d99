"""Independent random streams, one per random process, for common random numbers.

Every process (a department's arrivals, its effort draws, its campaign
schedule, staff turnover, ...) gets a generator keyed by the run seed, the
replicate and the process's name. Two scenarios run with one seed then draw the
same numbers wherever their policies agree, so paired differences isolate the
policy, and a reform that silences one process leaves the others untouched.
"""

from __future__ import annotations

import zlib

import numpy as np


def name_key(name: str) -> int:
    """A stable 32-bit number for a process name (Python's hash() is salted)."""
    return zlib.crc32(name.encode("utf-8"))


class Streams:
    """Factory of named generators for one replicate of one run."""

    def __init__(self, seed: int, replicate: int = 0):
        self.seed = int(seed)
        self.replicate = int(replicate)

    def get(self, *names: str) -> np.random.Generator:
        """The generator for the process named by ``names`` (same names, same stream)."""
        spawn_key = (self.replicate, *(name_key(n) for n in names))
        return np.random.default_rng(np.random.SeedSequence(self.seed, spawn_key=spawn_key))

