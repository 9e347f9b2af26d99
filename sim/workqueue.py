"""Open work of every pool as sorted column arrays, and the allocation of hours to it.

No Python object per task instance: a day's arrivals are merged into arrays
kept sorted by (pool, priority key), and hours are handed out to a whole city
at once with a cumulative sum per pool. Ties keep arrival order because new
items are inserted after existing items with an equal key.

Changes wait until a column is next read: the close of one day (finished work
out, chased work moved) and the next day's arrivals are then made in one
rebuild of the columns instead of two.
"""

from __future__ import annotations

import numpy as np

from sim import kernels
from sim.instances import FORMAL

COLUMNS = ("key", "pool", "community", "task", "kind", "due", "arrival", "remaining", "effort",
           "channel")
DTYPES = (np.int64, np.int64, np.int64, np.int32, np.int8, np.int32, np.int32, float, float,
          np.int8)
DONE_TOLERANCE = 1e-7  # hours; below this an instance counts as finished


class WorkQueue:
    """Open task instances, sorted by key (pool first)."""

    # One array per name in COLUMNS, read and written through the properties made below the
    # class (a read first applies any change waiting); declared here for the type checker.
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
        self._columns = {name: np.empty(0, dtype=dtype)
                         for name, dtype in zip(COLUMNS, DTYPES, strict=True)}
        self._drop: np.ndarray | None = None             # waiting: instances to take out...
        self._coming: list[dict[str, np.ndarray]] = []   # ...and instances to merge in
        self._waiting = False                            # any change waiting at all

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

    def where(self, mask: np.ndarray) -> dict[str, np.ndarray]:
        """The columns of the instances where ``mask`` holds (copies)."""
        return self.at(mask.nonzero()[0])

    def at(self, items: np.ndarray, names: tuple[str, ...] = COLUMNS) -> dict[str, np.ndarray]:
        """The ``names`` columns of the instances at queue positions ``items`` (copies): a
        caller that reads a few columns of a few items need not copy the rest."""
        return {name: getattr(self, name)[items] for name in names}

    def update(self, drop: np.ndarray | None, new: dict[str, np.ndarray] | None) -> None:
        """Take out the instances where ``drop`` holds (a mask over the queue as it reads
        now) and merge ``new`` ones in. Both wait for the next read of a column, so that
        changes made between two reads cost one rebuild of every column."""
        if drop is not None:
            self._apply()
            self._drop = drop
            self._waiting = True
        if new is not None and len(new["key"]):
            new = dict(new)
            new.setdefault("channel", np.full(len(new["key"]), FORMAL, dtype=np.int8))
            self._coming.append(new)
            self._waiting = True

    def _apply(self) -> None:
        """Make the waiting changes: the new instances sorted stably by key, merged with the
        kept ones (already in key order; a new instance after kept ones of an equal key),
        then one pass per column (``sim.kernels``)."""
        if not self._waiting:
            return
        drop, coming = self._drop, self._coming
        self._drop, self._coming, self._waiting = None, [], False
        columns = self._columns
        kept_at = np.arange(len(columns["key"])) if drop is None else (~drop).nonzero()[0]
        new = {name: np.concatenate([np.empty(0, dtype), *(part[name] for part in coming)],
                                    dtype=dtype)
               for name, dtype in zip(COLUMNS, DTYPES, strict=True)}
        source = kernels.merged_order(columns["key"][kept_at], kept_at, new["key"],
                                      np.argsort(new["key"], kind="stable"))
        for name in COLUMNS:
            columns[name] = kernels.gather_merged(columns[name], new[name], source)

    def allocate(self, capacity: np.ndarray, eligible: np.ndarray | None = None) -> np.ndarray:
        """Spend up to ``capacity[pool]`` hours on each pool's eligible work in key order.

        Returns hours worked per instance (already deducted from ``remaining``).
        """
        worked = np.zeros(len(self))
        if len(self) and (capacity > 0).any():
            self.work(None if eligible is None else eligible.nonzero()[0], capacity, worked)
        return worked

    def work(self, items: np.ndarray | None, capacity: np.ndarray,
             worked: np.ndarray) -> np.ndarray:
        """A pass of ``capacity[pool]`` hours over the listed items (ascending queue
        positions; None for every item) in key order: the hours come off ``remaining``
        and are added to ``worked`` (one value per instance); returns hours used per pool.
        """
        self._apply()
        columns = self._columns
        if items is None:
            items = np.arange(len(columns["key"]))
        return kernels.work_items(columns["remaining"], columns["pool"], items, capacity,
                                  worked)

    def finished(self) -> np.ndarray:
        return self.remaining <= DONE_TOLERANCE


def _column(name: str) -> property:
    """A column as a property: reading it applies the waiting changes first."""

    def read(queue: WorkQueue) -> np.ndarray:
        if queue._waiting:
            queue._apply()
        return queue._columns[name]

    def write(queue: WorkQueue, values: np.ndarray) -> None:
        queue._apply()          # values are meant for the queue as it reads now
        queue._columns[name] = values

    return property(read, write, doc=f"The ``{name}`` of every open instance, in key order.")


for _name in COLUMNS:
    setattr(WorkQueue, _name, _column(_name))


def first_of_group(sorted_groups: np.ndarray) -> np.ndarray:
    """For each element of a sorted array, the index where its run of equal values starts."""
    n = len(sorted_groups)
    if not n:
        return np.empty(0, dtype=np.int64)
    return run_firsts(group_starts(sorted_groups), n)


def run_firsts(starts: np.ndarray, n: int) -> np.ndarray:
    """For each of ``n`` elements in runs beginning at ``starts``, where its run begins."""
    lengths = np.empty(len(starts), dtype=np.int64)
    lengths[:-1] = starts[1:] - starts[:-1]
    lengths[-1] = n - starts[-1]
    return np.repeat(starts, lengths)


def group_starts(sorted_groups: np.ndarray) -> np.ndarray:
    """Where each run of equal values of a sorted (non-empty) array starts."""
    begins = np.empty(len(sorted_groups), dtype=bool)
    begins[0] = True
    np.not_equal(sorted_groups[1:], sorted_groups[:-1], out=begins[1:])
    return begins.nonzero()[0]


def served(want: np.ndarray, group: np.ndarray, capacity: np.ndarray) -> np.ndarray:
    """Hours each item gets when each group's ``capacity`` goes to its items in order, each
    taking up to what it ``want``s (groups contiguous): the one allocation rule of every
    pass (``sim.kernels.work_items``), over every item, ``want`` left as it was."""
    share = np.zeros(len(want))
    kernels.work_items(want.copy(), group, np.arange(len(want)), capacity, share)
    return share


def hours_ahead(hours: np.ndarray, first: np.ndarray) -> np.ndarray:
    """Sum of the earlier values in each value's group (groups contiguous, starting at first)."""
    ahead = np.cumsum(hours) - hours
    return ahead - ahead[first]
