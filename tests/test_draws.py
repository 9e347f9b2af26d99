"""Block draws: the right distributions, and each source's draws its own (common random
numbers), whatever the block size or the other sources do."""

from __future__ import annotations

import numpy as np
import pytest

from sim import draws
from sim.draws import DailyUniforms, NormalBuffers, check_means, narrow, poisson_cells
from sim.model import CommunityWorkloadModel


def counts(mean, uniform):
    """Dense Poisson counts for ``mean`` (one per uniform) through poisson_cells."""
    cells, values = poisson_cells(mean, np.exp(-mean).astype(np.float32), uniform)
    dense = np.zeros(len(uniform), dtype=np.int64)
    dense[cells] = values
    return dense


@pytest.mark.parametrize("mean", [0.03, 1.0, 7.5])
def test_inverse_transform_counts_are_poisson(mean):
    uniform = np.random.default_rng(1).random(200_000, dtype=np.float32)
    drawn = counts(np.full(len(uniform), mean), uniform)
    assert drawn.mean() == pytest.approx(mean, rel=0.02)
    assert drawn.var() == pytest.approx(mean, rel=0.03)


def test_a_higher_mean_never_lowers_a_count_for_the_same_uniform():
    uniform = np.random.default_rng(2).random(10_000, dtype=np.float32)
    low = counts(np.full(len(uniform), 0.5), uniform)
    high = counts(np.full(len(uniform), 0.6), uniform)
    assert (high >= low).all() and (high > low).any()


def test_an_impossible_mean_is_refused_with_a_reason():
    with pytest.raises(ValueError, match="Poisson mean of 900"):
        check_means(np.array([900.0]))


def daily(days=12):
    streams = [np.random.default_rng(s) for s in (3, 4)]
    uniforms = DailyUniforms(streams, [2, 3], columns=4)
    return uniforms.block_days, [uniforms.at(day).copy() for day in range(days)]


def test_each_day_gets_the_same_uniforms_whatever_the_block_size(monkeypatch):
    big_days, big = daily()
    monkeypatch.setattr(draws, "BLOCK_CELLS", 40)      # two days a block
    small_days, small = daily()
    assert (big_days, small_days) == (draws.MAX_BLOCK_DAYS, 2)
    assert all(np.array_equal(a, b) for a, b in zip(big, small, strict=True))


def test_a_source_fills_its_own_rows_from_its_own_stream():
    uniforms = DailyUniforms([np.random.default_rng(3), np.random.default_rng(4)], [2, 3], 4)
    second_source = np.random.default_rng(4).random((uniforms.block_days, 3, 4), dtype=np.float32)
    assert np.array_equal(uniforms.at(0)[2:], second_source[0])


def test_uniforms_refuse_to_go_back_to_an_earlier_block():
    uniforms = DailyUniforms([np.random.default_rng(3)], [1], 1)
    uniforms.at(3 * uniforms.block_days)
    with pytest.raises(ValueError, match="draws go forward"):
        uniforms.at(0)


def test_a_source_takes_its_streams_normals_in_order_whatever_the_others_take():
    buffers = NormalBuffers([np.random.default_rng(5), np.random.default_rng(6)])
    taken = [buffers.take(np.array(day)) for day in ([0, 1, 0], [1] * 9000, [0, 1], [0] * 3)]
    first_source = np.concatenate([t[np.array(d) == 0] for t, d in zip(
        taken, ([0, 1, 0], [1] * 9000, [0, 1], [0] * 3), strict=True)])
    assert np.array_equal(first_source, np.random.default_rng(5).standard_normal(6))


def test_departments_issue_each_day_once_going_forward(small_city):
    departments = CommunityWorkloadModel(small_city, seed=1).departments
    first = departments.issue(4)
    assert departments.issue(4) is first
    with pytest.raises(ValueError, match="going forward"):
        departments.issue(3)


def test_narrowed_indices_sort_in_the_same_order():
    index = np.random.default_rng(5).integers(0, 40, 500)
    assert narrow(index, 40).dtype == np.int16 and narrow(index, 2 ** 20) is index
    assert np.array_equal(np.argsort(narrow(index, 40), kind="stable"),
                          np.argsort(index, kind="stable"))
