"""The degenerate model is a discrete-time queue; it must match that queue's known results."""

from __future__ import annotations

import pytest

from sim.parameters import DAYS_PER_WEEK
from tests.validation.queueing import (
    md1_mean_in_system,
    mean_backlog_hours,
    mean_days_open,
    observed,
    queue_model,
    stationary_backlog,
    steady,
)

pytestmark = pytest.mark.slow      # each test runs or solves a queue to its steady state


@pytest.fixture(scope="module")
def busy_queue(tmp_path_factory):
    """Two arrivals a day of 3 hours each against 8 hours: load 0.75."""
    return queue_model(tmp_path_factory.mktemp("q"), rate=2.0, effort=3, capacity=8, days=1500)


@pytest.fixture(scope="module")
def exact_busy():
    pi, unit = stationary_backlog(2.0, 3, 8)
    return pi, unit


def test_stationary_backlog_matches_the_lindley_recursion(busy_queue, exact_busy):
    expected = mean_backlog_hours(*exact_busy)
    assert observed(busy_queue)["backlog_hours"] == pytest.approx(expected, rel=0.05)


def test_time_in_system_matches_the_lindley_recursion(busy_queue, exact_busy):
    expected = mean_days_open(*exact_busy, 2.0, 3, 8)
    assert observed(busy_queue)["days_open"] == pytest.approx(expected, rel=0.05)


def test_arrivals_run_at_the_configured_rate(busy_queue):
    per_day = steady(busy_queue, "accepted").sum() / (200 * DAYS_PER_WEEK * steady(
        busy_queue, "accepted").shape[0])
    assert per_day == pytest.approx(2.0, rel=0.01)


@pytest.mark.parametrize("service_days", [10, 20])
def test_long_services_match_the_discrete_queue_and_the_md1_formula(tmp_path, service_days):
    rate, capacity = 0.7 / service_days, 8
    effort = service_days * capacity
    model = queue_model(tmp_path, rate, effort, capacity, days=300 * service_days,
                        communities=300)
    in_system = observed(model)["in_system"]
    pi, unit = stationary_backlog(rate, effort, capacity)
    assert in_system == pytest.approx(rate * mean_days_open(pi, unit, rate, effort, capacity),
                                      rel=0.05)                       # Little's law, exact queue
    assert in_system == pytest.approx(md1_mean_in_system(rate, service_days), rel=0.08)


def test_the_discrete_queue_converges_to_md1_as_the_step_shrinks():
    """A day is a smaller step the longer a service lasts; the gap to M/D/1 must close."""
    gaps = []
    for service_days in (2, 5, 10, 20):
        rate, capacity = 0.7 / service_days, 8
        pi, unit = stationary_backlog(rate, service_days * capacity, capacity)
        exact = rate * mean_days_open(pi, unit, rate, service_days * capacity, capacity)
        gaps.append(abs(exact / md1_mean_in_system(rate, service_days) - 1))
    assert gaps == sorted(gaps, reverse=True)
    assert gaps[-1] < 0.03
