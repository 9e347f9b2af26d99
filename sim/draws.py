"""Random draws made in blocks, one stream per source, and handed out day by day.

Issuing work every day from every department used to cost one generator call
per department and day (35 x 250 a year); here each source's draws come in
large blocks from its own stream and a day's work takes its share with a few
array operations over all sources at once.

Common random numbers hold per source: a source's draws depend only on its
own stream and on how many draws it has taken, never on other sources or on
the block size (a generator gives the same sequence whether it is asked for
one block or several smaller ones; tests/test_draws.py checks it).
"""

from __future__ import annotations

import numpy as np

from sim import kernels

BLOCK_CELLS = 4_000_000    # uniforms held at once by DailyUniforms (16 MB), whatever the city
# Days a block holds at most: a baseline city's 10 days are 1.2 MB, freshly mapped for each
# model and read back a day at a time; 50-day blocks (6 MB) made a city-year some 4% slower
# (page faults and cache misses), with the same numbers either way.
MAX_BLOCK_DAYS = 10
MAX_POISSON_MEAN = 500.0   # inverse-transform sampling stays exact in float64 below this
FIRST_BUFFER = 4096        # normals held per source before the first refill


class DailyUniforms:
    """A (rows x columns) matrix of uniforms per day; the rows are split among sources,
    each filling its own rows from its own stream, day after day.

    Day ``d`` always gets the ``d``-th matrix of each source's stream, so days may be
    skipped but never revisited. Uniforms are single precision: a step of 2**-24 moves no
    Poisson probability that matters here (the smallest daily mean, some 1e-4, is resolved
    to a part in 1,600) and halves the cost of drawing them.
    """

    def __init__(self, streams: list[np.random.Generator], rows: list[int], columns: int):
        self.streams = streams
        self.bounds = np.r_[0, np.cumsum(rows)].astype(np.int64)
        self.columns = columns
        total = int(self.bounds[-1])
        self.block_days = int(np.clip(BLOCK_CELLS // max(total * columns, 1), 1,
                                      MAX_BLOCK_DAYS))
        self._block = np.empty((self.block_days, total, columns), dtype=np.float32)
        self._block_index = -1

    def at(self, day: int) -> np.ndarray:
        """The uniforms of ``day``, shape (rows, columns)."""
        wanted = day // self.block_days
        if wanted < self._block_index:
            raise ValueError(f"day {day} comes before days already drawn: draws go forward")
        while self._block_index < wanted:
            self._draw_block()
        return self._block[day - wanted * self.block_days]

    def _draw_block(self) -> None:
        for stream, start, end in zip(self.streams, self.bounds[:-1], self.bounds[1:],
                                      strict=True):
            if end > start:
                self._block[:, start:end, :] = stream.random(
                    (self.block_days, end - start, self.columns), dtype=np.float32)
        self._block_index += 1


def check_means(mean: np.ndarray) -> None:
    """Refuse Poisson means too large for inverse-transform sampling in float64."""
    if mean.size and float(mean.max()) > MAX_POISSON_MEAN:
        raise ValueError(f"a Poisson mean of {float(mean.max()):.0f} per community and day "
                         f"exceeds {MAX_POISSON_MEAN:.0f}; split the task type or lower "
                         "its rate")


def poisson_cells(mean: np.ndarray, zero_probability: np.ndarray,
                  uniform: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Poisson counts by inverse transform, for the cells that have any: their flat
    indices (ascending) and counts.

    A cell's count is the least k whose cumulative probability exceeds its uniform:
    exact, and monotone in the mean for a given uniform, so a change of rate moves counts
    as little as it can (common random numbers). ``zero_probability`` is ``exp(-mean)``
    in the uniforms' precision, which callers drawing day after day with the same means
    compute once; only the few cells with an arrival are worked out further, in float64.
    """
    cells = (uniform.ravel() >= zero_probability.ravel()).nonzero()[0]
    lam = mean.ravel()[cells]
    counts = kernels.poisson_counts(lam, uniform.ravel()[cells], np.exp(-lam),
                                    int(4 * MAX_POISSON_MEAN))
    return cells, counts


class NormalBuffers:
    """Standard normals per source, taken in the order the instances come."""

    def __init__(self, streams: list[np.random.Generator]):
        self.streams = streams
        self._buffer = np.empty((len(streams), 0))
        self._next = np.zeros(len(streams), dtype=np.int64)

    def take(self, source: np.ndarray) -> np.ndarray:
        """One normal per element of ``source`` (a source index each): each source's next
        normals, in order of appearance."""
        if not len(source):
            return np.empty(0)
        need = np.bincount(source, minlength=len(self.streams))
        self._make_room(need)
        order = np.argsort(narrow(source, len(self.streams)), kind="stable")
        ordered = source[order]
        start_of_group = np.cumsum(need) - need
        rank = np.arange(len(source)) - start_of_group[ordered]
        normals = np.empty(len(source))
        normals[order] = self._buffer[ordered, self._next[ordered] + rank]
        self._next += need
        return normals

    def _make_room(self, need: np.ndarray) -> None:
        """Refill the sources whose buffers cannot cover ``need`` (growing all buffers when
        one day needs more than they hold), keeping each source's unused normals first."""
        capacity = self._buffer.shape[1]
        short = (self._next + need > capacity).nonzero()[0]
        if not len(short):
            return
        if int(need.max()) > capacity // 2:
            self._grow(max(FIRST_BUFFER, 4 * int(need.max())))
            return
        for source in short:
            self._refill(source)

    def _grow(self, capacity: int) -> None:
        old = self._buffer
        self._buffer = np.empty((len(self.streams), capacity))
        for source in range(len(self.streams)):
            self._refill(source, old[source])

    def _refill(self, source: int, row: np.ndarray | None = None) -> None:
        """Fill ``source``'s buffer with its unused normals (from ``row``, its old buffer,
        by default its current one) followed by fresh ones from its stream."""
        kept = (self._buffer[source] if row is None else row)[self._next[source]:]
        fresh = self.streams[source].standard_normal(self._buffer.shape[1] - len(kept))
        self._buffer[source] = np.concatenate([kept, fresh])
        self._next[source] = 0


def narrow(index: np.ndarray, bound: int) -> np.ndarray:
    """``index`` (values in [0, bound)) as 16-bit integers when they fit: NumPy's stable sort
    is a radix sort for them, a merge sort for 64-bit ones, and both give the same order."""
    return index.astype(np.int16) if bound <= np.iinfo(np.int16).max else index
