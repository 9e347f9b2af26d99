"""Intervals over replicates: inside their metric's bounds, honest about few replicates,
near their nominal coverage of the mean, and always naming their method."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import labels as lb
from analysis.summary import (
    METHODS,
    NONE,
    RANGE,
    T_LOG,
    T_LOGIT,
    T_PLAIN,
    bounded_interval,
    interval,
    paired_differences,
    summarise,
)
from sim.metrics import METRICS, Bounds
from sim.runner import run
from sim.scenario import default_scenario

TRIALS = 2000
# Observed with seed 2026 (TRIALS samples each): Beta(2, 8) shares 0.951, 0.949, 0.950 and
# log-normal(0, 0.5) hours 0.945, 0.937, 0.933 at 3, 5 and 10 replicates. The band allows
# about four binomial standard errors (0.005 at 2,000 trials) around 95%, and the slight
# under-coverage of a skewed quantity's mean that any interval from few replicates shows.
COVERAGE = (0.925, 0.975)
LIMITS = {Bounds.SHARE: (0.0, 1.0), Bounds.NON_NEGATIVE: (0.0, np.inf),
          Bounds.UNBOUNDED: (-np.inf, np.inf)}


@pytest.fixture(scope="module")
def small_runs():
    """Three replicates of a small real city."""
    scenario = default_scenario().with_values(city__communities=20, city__street_offices=2,
                                              city__zone_committees=0, simulation__days=60)
    return run(scenario, seed=4, reps=3).metrics


@pytest.mark.parametrize("reps", [2, 3])
@pytest.mark.parametrize("name", list(METRICS))
def test_every_metrics_interval_stays_inside_its_bounds_on_real_runs(small_runs, reps, name):
    summary = summarise(small_runs.iloc[:reps])[name]
    low, high = LIMITS[METRICS[name].bounds]
    assert low <= summary["ci_low"] <= summary["mean"] <= summary["ci_high"] <= high


def test_a_share_near_zero_keeps_a_positive_interval_where_a_plain_t_one_goes_negative():
    values = [0.0, 0.004, 0.5]
    plain, share = bounded_interval(values), interval(values, "unmet_selfgov_share")
    assert plain["ci_low"] < 0
    assert share["method"] == T_LOGIT and 0 < share["ci_low"] < share["ci_high"] < 1


def test_hours_keep_an_interval_above_zero_on_the_log_scale():
    result = interval([20.0, 40.0, 650.0], "backlog_hours_per_community")
    assert result["method"] == T_LOG and 0 < result["ci_low"] < result["mean"]


def test_two_replicates_give_their_range_and_call_it_that():
    result = interval([0.2, 0.6], "admin_share")
    assert result["method"] == RANGE
    assert (result["ci_low"], result["ci_high"]) == (0.2, 0.6)


def test_one_replicate_gives_no_interval():
    assert interval([0.3], "admin_share") == {"mean": 0.3, "ci_low": None, "ci_high": None,
                                              "method": NONE}


def test_replicates_that_do_not_vary_give_a_zero_width_interval_even_at_a_bound():
    result = interval([0.0, 0.0, 0.0], "refused_share")
    assert (result["ci_low"], result["mean"], result["ci_high"]) == (0.0, 0.0, 0.0)


def test_values_outside_the_declared_bounds_fall_back_to_the_plain_t_interval():
    assert interval([-0.1, 0.2, 0.3], "admin_share")["method"] == T_PLAIN


def test_paired_differences_keep_symmetric_t_intervals():
    metrics = pd.DataFrame({"scenario": ["a"] * 3 + ["b"] * 3, "rep": [0, 1, 2] * 2,
                            "admin_share": [0.5, 0.6, 0.55, 0.49, 0.57, 0.57]})
    diff = paired_differences(metrics, ["a", "b"])[1]["diff_vs_first"]["admin_share"]
    assert diff["method"] == T_PLAIN
    assert diff["mean"] - diff["ci_low"] == pytest.approx(diff["ci_high"] - diff["mean"])
    assert diff["ci_low"] < 0


def coverage(draw, truth: float, bounds: Bounds, n: int) -> float:
    """Share of TRIALS samples of n replicates whose interval holds the true mean."""
    hits = 0
    for sample in draw((TRIALS, n)):
        result = bounded_interval(sample, bounds)
        hits += result["ci_low"] <= truth <= result["ci_high"]
    return hits / TRIALS


@pytest.mark.parametrize("n", [3, 5, 10])
def test_a_share_interval_covers_the_true_mean_about_95_percent_of_the_time(n):
    rng = np.random.default_rng(2026)
    observed = coverage(lambda size: rng.beta(2, 8, size), 2 / 10, Bounds.SHARE, n)
    assert COVERAGE[0] <= observed <= COVERAGE[1], observed


@pytest.mark.parametrize("n", [3, 5, 10])
def test_an_hours_interval_covers_the_true_mean_about_95_percent_of_the_time(n):
    rng = np.random.default_rng(2026)
    sigma = 0.5
    observed = coverage(lambda size: rng.lognormal(0.0, sigma, size), np.exp(sigma ** 2 / 2),
                        Bounds.NON_NEGATIVE, n)
    assert COVERAGE[0] <= observed <= COVERAGE[1], observed


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_method_has_a_label_in_both_languages(lang):
    assert [m for m in METHODS if lb.method_label(m, lang) == m] == []
