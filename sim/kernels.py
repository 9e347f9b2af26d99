"""The working day's innermost loops, compiled (Numba).

A day of a city-year made some thousand NumPy calls; most of its time was the fixed cost
of each call and the temporaries a chain of calls leaves, not arithmetic. Each loop here
stands for such a chain (the hours a pool's capacity gives each item in key order and
their booking, the open task types per pool, the ledger's sums per community, Poisson
counts, the merge of a day's arrivals into the sorted queue) and runs it in one pass over
the arrays the agent types already hold: no Python object per task instance, no Python
loop.

Each loop does the same floating-point operations in the same order as the NumPy chain
it replaced (a running total added item by item, as ``np.cumsum`` does; sums per index in
item order, as ``np.bincount`` does; no fast-math, so no reassociation or fused
multiply-add), so results are the same to the last bit; tests/test_kernels.py states each
rule in NumPy and compares bytes.

Numba is imported, and the loops compiled, on the first use of any loop (module
``__getattr__``), so that commands that never simulate do not load it. ``cache=True``
keeps the machine code beside this file (or in Numba's user cache where that is
read-only): only the first run after an install compiles, some seconds in all; later
processes load it in about a quarter of a second (``warm_up``).
"""

from __future__ import annotations

import threading
from typing import Any

import numpy as np

# The compiled loops: module attributes made from the ``<name>_loop`` functions below.
LOOPS = ("work_items", "open_types", "add_sums", "poisson_counts", "merged_order",
         "gather_merged")
_COMPILING = threading.Lock()


def __getattr__(name: str) -> Any:
    """A compiled loop, all of them compiled (or loaded from the cache) on first use."""
    if name in LOOPS:
        _compile()
        return globals()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _compile() -> None:
    """Make each loop's compiled version a module attribute; ``allotted`` and ``within``
    first, compiled in place: the loops call them, and Numba finds them among this
    module's names when it compiles the loops."""
    from numba import njit

    module = globals()
    with _COMPILING:                    # the explorer's threads may reach here together
        if LOOPS[-1] in module:
            return
        for helper in ("allotted", "within"):
            module[helper] = njit(cache=True, inline="always")(module[helper])
        for name in LOOPS:
            module[name] = njit(cache=True)(module[f"{name}_loop"])


def warm_up() -> None:
    """Load the compiled code once (about a quarter of a second, mostly Numba setting up
    its compiler the first time any loop runs in a process), so that processes forked
    from this one start with it loaded (``sim.worker_start``)."""
    __getattr__("add_sums")(np.zeros(1), np.zeros(1, dtype=np.int64), None)


def allotted(capacity: float, ahead: float, want: float) -> float:
    """What an item gets of ``capacity`` with ``ahead`` hours of its group before it."""
    hours = capacity - ahead
    if hours < 0.0:
        hours = 0.0
    if hours > want:
        hours = want
    return hours


def within(index: int, size: int) -> int:
    """``index`` itself if it lies in ``[0, size)``, else an IndexError: compiled code does
    not check its indexing (checking every access cost a city-year 5-10%), so the loops
    check the indices they read from the model's arrays, and a stray one fails loudly
    instead of writing elsewhere."""
    if index < 0 or index >= size:
        raise IndexError("a compiled loop met an index outside its array")
    return index


def work_items_loop(remaining: np.ndarray, pool: np.ndarray, items: np.ndarray,
                    capacity: np.ndarray, worked: np.ndarray) -> np.ndarray:
    """The one allocation rule, as a pass over the listed queue positions (ascending, so
    grouped by pool): each pool's ``capacity`` goes to its items in order, each taking up
    to its ``remaining`` hours; the hours come off ``remaining`` and are added to
    ``worked``; returns the hours used per pool.

    The hours ahead of an item are the running total of wants before it, less that total
    at its pool's first listed item, as ``cumsum(want) - want`` less its value at the
    pool's start gives them (the running total goes over every listed item, not pool by
    pool, so the sums are the same to the bit). Items that get nothing (all but each
    pool's first few, in a long queue) are only added to the running total.
    """
    used = np.zeros(len(capacity))
    total = 0.0
    start = 0.0
    previous = -1
    for k in range(len(items)):
        item = items[k]
        want = remaining[item]
        group = pool[item]
        total += want
        ahead = total - want
        if group != previous:
            start = ahead
            previous = group
        hours = allotted(capacity[within(group, len(capacity))], ahead - start, want)
        if hours != 0.0:
            remaining[item] -= hours
            worked[item] += hours
            used[group] += hours
    return used


def open_types_loop(pool: np.ndarray, task: np.ndarray, n_tasks: int, n_pools: int,
                    claimed_by: np.ndarray) -> np.ndarray:
    """How many distinct task types each pool has open.

    Each item claims its (pool, type) cell of ``claimed_by``; the last claim stands, so
    counting the items whose claim stood counts each open cell once, without clearing
    the table between days (a stale claim is never read).
    """
    for item in range(len(pool)):
        claimed_by[within(pool[item] * n_tasks + task[item], len(claimed_by))] = item
    count = np.zeros(n_pools, dtype=np.int64)
    for item in range(len(pool)):
        if claimed_by[pool[item] * n_tasks + task[item]] == item:
            count[pool[item]] += 1
    return count


def add_sums_loop(row: np.ndarray, index: np.ndarray, amount: np.ndarray | None) -> None:
    """Add to ``row`` the sum of ``amount`` (1 each when None) per value of ``index``: the
    sums are made first, in item order, then added, as ``row += np.bincount(index,
    amount, minlength=len(row))`` does, without its temporaries."""
    sums = np.zeros(len(row))
    if amount is None:
        for k in range(len(index)):
            sums[within(index[k], len(sums))] += 1.0
    else:
        for k in range(len(index)):
            sums[within(index[k], len(sums))] += amount[k]
    for cell in range(len(row)):
        row[cell] += sums[cell]


def poisson_counts_loop(mean: np.ndarray, uniform: np.ndarray, no_arrival: np.ndarray,
                        most: int) -> np.ndarray:
    """Poisson counts by inverse transform for cells known to have at least one: the least
    k whose cumulative probability exceeds the cell's uniform (at most ``most``), starting
    from the chance of none, ``no_arrival`` (``exp(-mean)``, from NumPy's exp), with each
    term ``p * mean / k`` added in turn."""
    counts = np.empty(len(mean), dtype=np.int64)
    for cell in range(len(mean)):
        u = np.float64(uniform[cell])
        p = no_arrival[cell]
        cumulative = p
        k = 0
        more = True
        while more and k < most:
            k += 1
            counts[cell] = k
            p = p * mean[cell] / k
            cumulative = cumulative + p
            more = u >= cumulative
    return counts


def merged_order_loop(kept_keys: np.ndarray, kept_at: np.ndarray, new_keys: np.ndarray,
                      new_order: np.ndarray) -> np.ndarray:
    """Where each instance of the merged queue comes from: a kept one (its position in the
    old columns, ``kept_at``, whose keys ``kept_keys`` are sorted) or a new one (``-1 -``
    its index among the new ones, which ``new_order`` sorts stably), in key order. A new
    instance goes after kept ones of an equal key: the order a stable sort of the kept
    keys followed by the new ones gives."""
    source = np.empty(len(kept_keys) + len(new_keys), dtype=np.int64)
    kept = 0
    new = 0
    for out in range(len(source)):
        if new < len(new_order) and (kept == len(kept_keys)
                                     or new_keys[new_order[new]] < kept_keys[kept]):
            source[out] = -1 - new_order[new]
            new += 1
        else:
            source[out] = kept_at[kept]
            kept += 1
    return source


def gather_merged_loop(old: np.ndarray, new: np.ndarray, source: np.ndarray) -> np.ndarray:
    """A column of the merged queue: ``old[s]`` for ``s >= 0`` in ``source``, ``new[-1 - s]``
    for the others."""
    merged = np.empty(len(source), dtype=old.dtype)
    for out in range(len(source)):
        at = source[out]
        merged[out] = old[at] if at >= 0 else new[-1 - at]
    return merged
