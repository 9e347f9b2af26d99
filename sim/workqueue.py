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
        self._starts: np.ndarray | None = None           # where each pool's run begins
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
        self._first = self._starts = None

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

    def work_all(self, capacity: np.ndarray) -> tuple[np.ndarray | slice, np.ndarray]:
        """``allocate`` over the whole queue, returning the items that can have been worked
        (queue positions, or a slice of them) and their hours. A pool's hours reach the head
        of its run only, so in a long queue the rest is not touched (``served_prefix``)."""
        self._apply()
        if self._starts is None:
            self._starts = group_starts(self.pool) if len(self) else np.empty(0, np.int64)
        starts = self._starts
        if not heads_pay(len(self), len(starts)):
            worked = served(self.remaining, self.pool, self._segment_first(), capacity)
            self.remaining -= worked
            return slice(None), worked
        reached, share = served_prefix(self.remaining, starts, self.pool[starts], capacity)
        self.remaining[reached] -= share
        return reached, share

    def work_items(self, items: np.ndarray, capacity: np.ndarray,
                   few_pools: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """``allocate_items``, returning the listed items that can have been worked (queue
        positions) and their hours: in a long list, or when ``few_pools`` have hours (a
        partner's lent hours), the head of each run with hours only."""
        if not len(items):
            return items, np.zeros(0)
        pool = self.pool[items]
        starts = group_starts(pool)
        want = self.remaining[items]
        if few_pools or heads_pay(len(items), len(starts)):
            reached, share = served_prefix(want, starts, pool[starts], capacity)
            reached = items[reached]
        else:
            reached, share = items, served(want, pool, run_firsts(starts, len(items)), capacity)
        self.remaining[reached] -= share
        return reached, share

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


# A list is allocated by its runs' heads (``served_prefix``) only when it is long for its
# number of runs: finding the heads costs some 20 more NumPy calls and a few steps per run,
# a whole pass (``served``) some 10 ns per item. Timed on lists with a tenth to a fifth of
# their items reached: 3,000 items in 50 runs, 8,000 in 400 and 12,000 in 800 cost the same
# both ways (and both give the same values).
HEADS_FROM_ITEMS, HEADS_FROM_ITEMS_PER_RUN = 2_500, 12


def heads_pay(items: int, runs: int) -> bool:
    """Whether a pass over ``items`` in ``runs`` runs is cheaper by their heads alone."""
    return items > HEADS_FROM_ITEMS + HEADS_FROM_ITEMS_PER_RUN * runs


# How far past a group's capacity (relative to the largest running total or capacity) an item
# must sit before ``served_prefix`` leaves it out: far above the few units in the last place
# by which the float running totals can stray from exact ones, far below any hour of work.
PREFIX_MARGIN = 1e-9


def served_prefix(want: np.ndarray, starts: np.ndarray, group: np.ndarray,
                  capacity: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``served`` for the items that can get hours only: their positions, and the hours,
    the very values ``served`` gives them (every other item gets 0 there).

    Groups are contiguous runs beginning at ``starts``, of ``group``. Work is taken in
    order until a group's capacity is used, so only the head of each run can get hours
    (next to none of a run without hours: a partner's lent hours reach few pools);
    with a long queue (work chased or overdue for up to a year) the head is a small part.
    The running total is still the one cumulative sum over every item, as in ``served``
    (the values must come out to the last bit), but the rest of the pass, gathers, the
    clip and the caller's bookings, reads the heads alone. A run's head ends where the
    running total passes the run's total at its start plus its capacity, plus a margin:
    running totals of hours (never negative) do not decrease, so every item beyond gets
    ``clip(capacity - ahead, 0, want) = 0`` in ``served`` too.
    """
    ends = np.empty_like(starts)
    ends[:-1] = starts[1:]
    ends[-1] = len(want)
    cap = capacity[group]
    total = np.cumsum(want)
    base = total[starts] - want[starts]         # ahead of each run's first item, as in served
    margin = PREFIX_MARGIN * (1.0 + abs(float(total[-1])) + float(np.abs(cap).max()))
    # The first item whose running total (itself included) reaches the limit: every later
    # item of the run has at least that much ahead of it.
    stop = np.searchsorted(total, base + cap + margin, side="left") + 1
    lengths = np.minimum(np.maximum(stop, starts), ends) - starts
    # A run without hours whose head is its first item alone gives it none (nothing is
    # ahead of it); longer heads of such runs stay: rounding can leave a later item a
    # little less ahead than the first, and a sliver of an hour.
    live = ((lengths > 1) | (cap > 0.0)).nonzero()[0]
    starts, lengths, cap, base = starts[live], lengths[live], cap[live], base[live]
    reached = ranges(starts, lengths)
    head = want[reached]
    run = np.repeat(np.arange(len(starts)), lengths)
    ahead = (total[reached] - head) - base[run]
    return reached, clamp(cap[run] - ahead, head)


def ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The positions ``start, start + 1, ..., start + length - 1`` of every run, in order."""
    total = int(lengths.sum())
    offsets = np.cumsum(lengths) - lengths
    return np.arange(total) + np.repeat(starts - offsets, lengths)


def served(want: np.ndarray, group: np.ndarray, first: np.ndarray,
           capacity: np.ndarray) -> np.ndarray:
    """Hours each item gets when each group's ``capacity`` goes to its items in order, each
    taking up to what it ``want``s (groups contiguous, each item's group starting at
    ``first``): the one allocation rule of every pass."""
    return clamp(capacity[group] - hours_ahead(want, first), want)


def clamp(hours: np.ndarray, want: np.ndarray) -> np.ndarray:
    """``hours`` held between 0 and ``want``, in place: ``np.clip``'s values (a zero may come
    out as -0.0, which adds and subtracts as 0.0 in every use), without its wrapper's cost
    (a few microseconds a call, some ten calls a day)."""
    np.maximum(hours, 0.0, out=hours)
    return np.minimum(hours, want, out=hours)


def hours_ahead(hours: np.ndarray, first: np.ndarray) -> np.ndarray:
    """Sum of the earlier values in each value's group (groups contiguous, starting at first)."""
    ahead = np.cumsum(hours) - hours
    return ahead - ahead[first]
