"""Metrics of a group of communities (a district, a governance model) read only its rows."""

from __future__ import annotations

import numpy as np
import pytest

from sim.metrics import compute_metrics
from sim.scenario import default_scenario
from tests.conftest import run_model


@pytest.fixture(scope="module")
def model():
    scenario = default_scenario().with_values(city__communities=12, city__street_offices=3,
                                              city__zone_committees=0, simulation__days=40)
    return run_model(scenario, seed=5)


def test_the_whole_city_as_a_group_gives_the_city_metrics(model):
    everyone = np.arange(model.city.n_communities)
    assert compute_metrics(model, members=everyone) == compute_metrics(model)


def test_a_group_of_one_reads_that_community_alone(model):
    """The backlog per community of a one-community group is its own final backlog."""
    metrics = compute_metrics(model, members=np.array([3]))
    backlog = model.ledger.final("backlog_hours")[3]
    assert metrics["backlog_hours_per_community"] == pytest.approx(backlog)


def test_two_halves_weighted_by_size_give_the_city_per_community_figure(model):
    n = model.city.n_communities
    halves = np.arange(n // 2), np.arange(n // 2, n)
    name = "task_instances_per_community_year"
    parts = [compute_metrics(model, members=half)[name] * len(half) for half in halves]
    assert sum(parts) / n == pytest.approx(compute_metrics(model)[name])
