"""The compiled loops give, to the last bit, what the NumPy statement of their rule gives.

Each test states the rule as array operations (the way the model computed it before
the loops were compiled) and compares bytes on random inputs with the awkward cases
in them: zero wants, used-up and negative capacities, empty lists, equal keys.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim import kernels
from sim.draws import MAX_POISSON_MEAN
from sim.workqueue import served


def cases(seed: int, count: int = 40):
    """Random pools of work: (sorted pools, wants with zeros, capacities some zero or
    negative)."""
    rng = np.random.default_rng(seed)
    for _ in range(count):
        n, pools = int(rng.integers(0, 300)), int(rng.integers(1, 25))
        pool = np.sort(rng.integers(0, pools, n))
        want = rng.exponential(3.0, n) * (rng.random(n) < 0.8)
        capacity = rng.normal(6.0, 8.0, pools)
        capacity[rng.random(pools) < 0.2] = 0.0
        yield pool, want, capacity


def rule(want, group, capacity):
    """Each group's capacity to its items in order: the hours ahead are the running total
    before an item less that total at its group's first item, clipped to [0, want]."""
    if not len(want):
        return np.zeros(0)
    starts = np.r_[0, (group[1:] != group[:-1]).nonzero()[0] + 1]
    first = np.repeat(starts, np.diff(np.r_[starts, len(group)]))
    ahead = np.cumsum(want) - want
    return np.clip(capacity[group] - (ahead - ahead[first]), 0.0, want)


def same_bits(a, b) -> bool:
    """Equal to the bit, a zero's sign aside (both add and subtract as zero)."""
    return (np.asarray(a) + 0.0).tobytes() == (np.asarray(b) + 0.0).tobytes()


def test_serving_follows_the_running_total_rule_to_the_bit():
    for pool, want, capacity in cases(1):
        assert same_bits(served(want, pool, capacity), rule(want, pool, capacity))


def test_a_pass_books_each_items_hours_and_each_pools_use():
    rng = np.random.default_rng(2)
    for pool, want, capacity in cases(3):
        items = np.sort(rng.choice(len(want), size=len(want) // 2, replace=False)) \
            if len(want) else np.zeros(0, dtype=np.int64)
        remaining, worked = want.copy(), rng.random(len(want))
        before = worked.copy()
        used = kernels.work_items(remaining, pool, items, capacity, worked)
        share = rule(want[items], pool[items], capacity)
        expected_remaining, expected_worked = want.copy(), before.copy()
        expected_remaining[items] -= share
        expected_worked[items] += share
        assert same_bits(remaining, expected_remaining)
        assert same_bits(worked, expected_worked)
        assert same_bits(used, np.bincount(pool[items], share, minlength=len(capacity)))


def test_open_types_count_each_pool_and_type_once_whatever_the_table_held():
    rng = np.random.default_rng(4)
    n_pools, n_tasks = 30, 12
    claimed_by = rng.integers(0, 1000, n_pools * n_tasks)     # stale claims of other days
    for _ in range(20):
        n = int(rng.integers(0, 400))
        pool, task = rng.integers(0, n_pools, n), rng.integers(0, n_tasks, n).astype(np.int32)
        pairs = np.unique(pool * n_tasks + task)
        expected = np.bincount(pairs // n_tasks, minlength=n_pools)
        assert kernels.open_types(pool, task, n_tasks, n_pools, claimed_by).tolist() \
            == expected.tolist()


@pytest.mark.parametrize("weighted", [True, False])
def test_sums_per_index_are_added_as_one_bincount(weighted):
    rng = np.random.default_rng(5)
    for _ in range(20):
        n, cells = int(rng.integers(0, 500)), int(rng.integers(1, 50))
        index = rng.integers(0, cells, n)
        amount = rng.normal(0.0, 10.0, n) if weighted else None
        row = rng.normal(0.0, 1e3, cells)
        expected = row + np.bincount(index, amount, minlength=cells)
        kernels.add_sums(row, index, amount)
        assert same_bits(row, expected)


def test_poisson_counts_match_the_inverse_transform_term_by_term():
    """The least k whose cumulative probability passes the uniform, the terms added in
    turn from exp(-mean), for cells whose uniform is past the chance of none."""
    rng = np.random.default_rng(6)
    mean = np.r_[rng.exponential(2.0, 3000), [1e-4, 50.0, 400.0]]
    uniform = rng.random(len(mean)).astype(np.float32)
    none = np.exp(-mean)
    cells = (uniform >= none.astype(np.float32)).nonzero()[0]
    lam, u, p = mean[cells], uniform[cells].astype(float), none[cells]
    expected = np.ones(len(cells), dtype=np.int64)
    cumulative, at, k = p.copy(), np.arange(len(cells)), 0
    while at.size and k < 4 * MAX_POISSON_MEAN:
        k += 1
        expected[at] = k
        p = p * lam / k
        cumulative = cumulative + p
        more = u >= cumulative
        at, lam, u, p, cumulative = at[more], lam[more], u[more], p[more], cumulative[more]
    counts = kernels.poisson_counts(mean[cells], uniform[cells], none[cells],
                                    int(4 * MAX_POISSON_MEAN))
    assert counts.tolist() == expected.tolist()


def test_a_merge_orders_kept_and_new_items_as_a_stable_sort_of_both():
    rng = np.random.default_rng(7)
    for _ in range(30):
        n_old, n_new = int(rng.integers(0, 200)), int(rng.integers(0, 100))
        old = np.sort(rng.integers(0, 40, n_old))
        kept_at = np.sort(rng.choice(n_old, size=n_old // 2, replace=False)) if n_old \
            else np.zeros(0, dtype=np.int64)
        new = rng.integers(0, 40, n_new)
        source = kernels.merged_order(old[kept_at], kept_at, new,
                                      np.argsort(new, kind="stable"))
        keys = np.r_[old[kept_at], new]
        origin = np.r_[kept_at, n_old + np.arange(n_new)]
        expected = origin[np.argsort(keys, kind="stable")]
        assert np.where(source >= 0, source, n_old - 1 - source).tolist() == expected.tolist()
        values = rng.random(n_old)
        fresh = rng.random(n_new)
        assert same_bits(kernels.gather_merged(values, fresh, source),
                         np.r_[values, fresh][expected])


def test_a_stray_index_fails_loudly_instead_of_writing_elsewhere():
    with pytest.raises(IndexError):
        kernels.add_sums(np.zeros(3), np.array([0, 3]), None)
    with pytest.raises(IndexError):
        kernels.open_types(np.array([2]), np.zeros(1, dtype=np.int32), 4, 2,
                           np.zeros(8, dtype=np.int64))
