"""Over several years the baseline's burden grows only through new task types.

docs/model.md (4.9, "Backlog over several years") has the diagnosis: with
``tasks.new_per_year = 0`` and no oversized communities, demand, backlog and
the overdue rate stay level year after year; with new types, instance volume,
and with it backlog and overdue rate, climb.
"""

from __future__ import annotations

import pytest

from sim.runner import run
from sim.scenario import load_scenario
from tests.conftest import SCENARIOS, SYNTHETIC

pytestmark = pytest.mark.slow      # five measured years of a small city, twice

SMALL_CITY = [*SYNTHETIC, "city.communities=20", "city.street_offices=4",
              "city.zone_committees=1",
              "city.large_share=0", "simulation.days=1250", "simulation.warmup_days=250"]


def years_of(new_per_year: float):
    """Each measured year's mean weekly backlog per community and its key metrics."""
    scenario = load_scenario(SCENARIOS / "baseline.toml",
                             [*SMALL_CITY, f"tasks.new_per_year={new_per_year}"])
    result = run(scenario, seed=7, reps=2)
    weekly = result.weekly[~result.weekly["warmup"]]
    weekly = weekly.assign(year=(weekly["week"] - 50) // 50 + 1)
    backlog = weekly.groupby(["year", "rep", "week"])["backlog_hours"].mean().groupby(
        "year").mean()
    return backlog, result.yearly.groupby("year").mean()


@pytest.fixture(scope="module")
def steady():
    return years_of(0)


def test_without_new_task_types_the_backlog_does_not_grow(steady):
    backlog, _ = steady
    assert backlog[4] < 1.5 * backlog[1]


def test_without_new_task_types_demand_stays_level(steady):
    _, yearly = steady
    instances = yearly["task_instances_per_community_year"]
    assert instances[4] == pytest.approx(instances[1], rel=0.03)


def test_new_task_types_raise_volume_and_administrative_share_year_by_year():
    _, yearly = years_of(8)
    assert yearly["task_instances_per_community_year"].is_monotonic_increasing
    assert yearly["task_instances_per_community_year"][4] > 1.05 * \
        yearly["task_instances_per_community_year"][1]
    assert yearly["admin_share"][4] > yearly["admin_share"][1]
