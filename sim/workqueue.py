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
        self._first: np.ndarray | None = None
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
        """Make the waiting changes: one stable sort of the keys kept and coming, then one
        gather per column. The kept keys are already sorted, so the sort mostly merges in
        the new ones; stability puts a new instance after kept ones of an equal key and
        keeps new ones in the order they came."""
        if not self._waiting:
            return
        drop, coming = self._drop, self._coming
        self._drop, self._coming, self._waiting = None, [], False
        columns = self._columns
        n_old = len(columns["key"])
        n_new = sum(len(part["key"]) for part in coming)
        kept_at = np.arange(n_old) if drop is None else (~drop).nonzero()[0]
        keys = np.concatenate([columns["key"][kept_at], *(part["key"] for part in coming)])
        # Where each merged instance comes from, in the old columns followed by the new parts.
        origin = np.concatenate([kept_at, np.arange(n_old, n_old + n_new)])
        source = origin[np.argsort(keys, kind="stable")]
        for name in COLUMNS:
            columns[name] = np.concatenate([columns[name], *(part[name] for part in coming)],
                                           dtype=columns[name].dtype).take(source)
        self._first = None

    def allocate(self, capacity: np.ndarray, eligible: np.ndarray | None = None) -> np.ndarray:
        """Spend up to ``capacity[pool]`` hours on each pool's eligible work in key order.

        Returns hours worked per instance (already deducted from ``remaining``).
        """
        if not len(self) or not (capacity > 0).any():
            return np.zeros(len(self))
        if eligible is not None:
            items = eligible.nonzero()[0]
            worked = np.zeros(len(self))
            worked[items] = self.allocate_items(items, capacity)
            return worked
        worked = served(self.remaining, self.pool, self._segment_first(), capacity)
        self.remaining -= worked
        return worked

    def allocate_items(self, items: np.ndarray, capacity: np.ndarray) -> np.ndarray:
        """``allocate`` over the listed items only (ascending queue positions, so still
        sorted by pool): the same sums as over the whole queue with the others at zero, on
        fewer elements. Returns the hours worked on each listed item."""
        if not len(items):
            return np.zeros(0)
        pool = self.pool[items]
        share = served(self.remaining[items], pool, first_of_group(pool), capacity)
        self.remaining[items] -= share
        return share

    def finished(self) -> np.ndarray:
        return self.remaining <= DONE_TOLERANCE

    def _segment_first(self) -> np.ndarray:
        self._apply()
        if self._first is None:
            self._first = first_of_group(self.pool)
        return self._first


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
    begins = np.empty(n, dtype=bool)
    begins[0] = True
    np.not_equal(sorted_groups[1:], sorted_groups[:-1], out=begins[1:])
    starts = begins.nonzero()[0]
    lengths = np.empty(len(starts), dtype=np.int64)
    lengths[:-1] = starts[1:] - starts[:-1]
    lengths[-1] = n - starts[-1]
    return np.repeat(starts, lengths)


def served(want: np.ndarray, group: np.ndarray, first: np.ndarray,
           capacity: np.ndarray) -> np.ndarray:
    """Hours each item gets when each group's ``capacity`` goes to its items in order, each
    taking up to what it ``want``s (groups contiguous, each item's group starting at
    ``first``): the one allocation rule of every pass."""
    return np.clip(capacity[group] - hours_ahead(want, first), 0.0, want)


def hours_ahead(hours: np.ndarray, first: np.ndarray) -> np.ndarray:
    """Sum of the earlier values in each value's group (groups contiguous, starting at first)."""
    ahead = np.cumsum(hours) - hours
    return ahead - ahead[first]
