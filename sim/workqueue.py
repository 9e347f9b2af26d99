"""Open work of every pool as sorted column arrays, and the allocation of hours to it.

No Python object per task instance: a day's arrivals are merged into arrays
kept sorted by (pool, priority key), and hours are handed out to a whole city
at once with a cumulative sum per pool. Ties keep arrival order because new
items are inserted after existing items with an equal key.
"""

from __future__ import annotations

import numpy as np

from sim.instances import FORMAL

COLUMNS = ("key", "pool", "community", "task", "kind", "due", "arrival", "remaining", "effort",
           "channel")
DTYPES = (np.int64, np.int64, np.int64, np.int32, np.int8, np.int32, np.int32, float, float,
          np.int8)
DONE_TOLERANCE = 1e-7  # hours; below this an instance counts as finished


class WorkQueue:
    """Open task instances, sorted by key (pool first)."""

    # One array per name in COLUMNS, set in __init__ through setattr (declared here for the
    # type checker; annotations only, no class attributes).
    key: np.ndarray
    pool: np.ndarray
    community: np.ndarray
    task: np.ndarray
    kind: np.ndarray
    due: np.ndarray
    arrival: np.ndarray
    remaining: np.ndarray
    effort: np.ndarray
    channel: np.ndarray

    def __init__(self) -> None:
        for name, dtype in zip(COLUMNS, DTYPES, strict=True):
            setattr(self, name, np.empty(0, dtype=dtype))
        self._first: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.key)

    def add(self, **columns: np.ndarray) -> None:
        """Merge new instances (any order) into the sorted queue; ``channel`` defaults to
        FORMAL, so callers that only move departments' work need not say so."""
        self.update(None, columns)

    def remove(self, mask: np.ndarray) -> dict[str, np.ndarray]:
        """Take out the instances where ``mask`` holds; return their columns."""
        taken = self.where(mask)
        self.update(mask, None)
        return taken

    def rekey(self, mask: np.ndarray, keys: np.ndarray) -> None:
        """Give the instances where ``mask`` holds new keys (they move to their new place)."""
        moved = self.where(mask)
        moved["key"] = keys
        self.update(mask, moved)

    def where(self, mask: np.ndarray) -> dict[str, np.ndarray]:
        """The columns of the instances where ``mask`` holds (copies)."""
        at = np.flatnonzero(mask)
        return {name: getattr(self, name)[at] for name in COLUMNS}

    def update(self, drop: np.ndarray | None, new: dict[str, np.ndarray] | None) -> None:
        """Take out the instances where ``drop`` holds and merge ``new`` ones in, in one
        rebuild of every column: the queue is copied once, not once per change (a day's
        closing drops finished work and moves chased work in a single pass)."""
        kept_at = None if drop is None else np.flatnonzero(~drop)
        if new is None:
            new = {name: np.empty(0, dtype=dtype) for name, dtype in zip(COLUMNS, DTYPES,
                                                                        strict=True)}
        new.setdefault("channel", np.full(len(new["key"]), FORMAL, dtype=np.int8))
        order = np.argsort(new["key"], kind="stable")
        kept_keys = self.key if kept_at is None else self.key[kept_at]
        position = np.searchsorted(kept_keys, new["key"][order], side="right")
        size = len(kept_keys) + len(order)
        new_at = position + np.arange(len(order))
        is_new = np.zeros(size, dtype=bool)
        is_new[new_at] = True
        old_at = np.flatnonzero(~is_new)
        for name, dtype in zip(COLUMNS, DTYPES, strict=True):
            merged = np.empty(size, dtype=dtype)
            column = getattr(self, name)
            merged[old_at] = column if kept_at is None else column[kept_at]
            merged[new_at] = new[name][order]
            setattr(self, name, merged)
        self._first = None

    def allocate(self, capacity: np.ndarray, eligible: np.ndarray | None = None) -> np.ndarray:
        """Spend up to ``capacity[pool]`` hours on each pool's eligible work in key order.

        Returns hours worked per instance (already deducted from ``remaining``).
        """
        if not len(self) or not (capacity > 0).any():
            return np.zeros(len(self))
        want = self.remaining if eligible is None else np.where(eligible, self.remaining, 0.0)
        ahead = hours_ahead(want, self._segment_first())
        worked = np.clip(capacity[self.pool] - ahead, 0.0, want)
        self.remaining -= worked
        return worked

    def finished(self) -> np.ndarray:
        return self.remaining <= DONE_TOLERANCE

    def _segment_first(self) -> np.ndarray:
        if self._first is None:
            self._first = first_of_group(self.pool)
        return self._first


def first_of_group(sorted_groups: np.ndarray) -> np.ndarray:
    """For each element of a sorted array, the index where its run of equal values starts."""
    n = len(sorted_groups)
    starts = np.flatnonzero(np.r_[True, sorted_groups[1:] != sorted_groups[:-1]])
    return np.repeat(starts, np.diff(np.r_[starts, n]))


def hours_ahead(hours: np.ndarray, first: np.ndarray) -> np.ndarray:
    """Sum of the earlier values in each value's group (groups contiguous, starting at first)."""
    ahead = np.cumsum(hours) - hours
    return ahead - ahead[first]
