"""What runs cost: the cost lines add up by hand, and a price changes only its own line."""

from __future__ import annotations

import numpy as np
import pytest

from sim.metrics import METRICS, compute_metrics
from sim.reforms.grid_delegation import grid_personnel
from sim.runner import simulate
from sim.scenario import load_scenario
from tests.conftest import SCENARIOS, SYNTHETIC

DAYS = 60
# Every priced line at once, with no turnover, so the head counts are known exactly.
PRICED = [*SYNTHETIC, "city.communities=12", "city.street_offices=0", "city.zone_committees=3",
          f"simulation.days={DAYS}", "staffing.turnover.enabled=false",
          "governance.model=zone_committee", "governance.zone_staff_per_community=2",
          "reforms.grid_delegation.enabled=true", "reforms.digital.enabled=true",
          "reforms.access_list.enabled=true", "reforms.access_list.start_day=30",
          "reforms.funding.enabled=true", "reforms.funding.lag_days=0"]
COSTS = [name for name in METRICS if name.startswith("cost_")]


def _run(extra: list[str] = ()):
    scenario = load_scenario(SCENARIOS / "baseline.toml", [*PRICED, *extra])
    return simulate(scenario, 3, 0)


@pytest.fixture(scope="module")
def priced():
    model = _run()
    return model, compute_metrics(model)


def test_each_cost_line_is_counts_times_prices_by_hand(priced):
    model, metrics = priced
    year_pay = 4000.0 * 12                                  # every default pay: 4,000 a month
    dedicated, _ = grid_personnel(model.city.households, 3.615, 0.43)
    expected = {
        "staff": 15 * year_pay,                             # 15 staff, none ever quits
        "zone": 2 * year_pay,                               # 2 centre staff per community
        "grid": dedicated.mean() * year_pay,
        "purchased": metrics["funding_yuan_per_community_year"],
        "systems": 20000 + 4800 * (DAYS - 30) / DAYS,       # access list from day 30 of 60
    }
    assert metrics["cost_purchased_yuan_per_community_year"] > 0
    for line, yuan in expected.items():
        assert metrics[f"cost_{line}_yuan_per_community_year"] == pytest.approx(yuan, rel=1e-9)
    assert metrics["cost_yuan_per_community_year"] == pytest.approx(sum(expected.values()))


def test_a_price_set_by_a_scenario_changes_its_line_and_nothing_else(priced):
    _, before = priced
    after = compute_metrics(_run(["costs.grid_worker_pay_yuan_month=5000"]))
    grid = "cost_grid_yuan_per_community_year"
    assert after[grid] == pytest.approx(before[grid] * 5000 / 4000)
    changed = [name for name in METRICS if not np.isclose(after[name], before[name], rtol=1e-12)]
    assert sorted(changed) == sorted([grid, "cost_yuan_per_community_year"])
    assert len(COSTS) == 6


@pytest.fixture(scope="module")
def with_quits():
    """A loaded city whose staff quit and wait for replacements."""
    overrides = [*SYNTHETIC, "city.communities=12", "city.street_offices=2",
                 "city.zone_committees=0", "simulation.days=120",
                 "staffing.turnover.base_quit_rate=0.3", "staffing.turnover.hiring_delay_days=40"]
    return lambda paid: compute_metrics(simulate(load_scenario(
        SCENARIOS / "baseline.toml", [*overrides, f"costs.pay_vacant_posts={paid}"]), 3, 0))


def test_every_post_is_paid_for_filled_or_vacant_by_default(with_quits):
    metrics = with_quits("true")
    assert metrics["quits_per_staff_year"] > 0
    assert metrics["cost_staff_yuan_per_community_year"] == pytest.approx(15 * 4000.0 * 12)


def test_without_paying_vacant_posts_a_vacancy_saves_its_pay(with_quits):
    assert (with_quits("false")["cost_staff_yuan_per_community_year"]
            < with_quits("true")["cost_staff_yuan_per_community_year"])
