"""Departments issue periodic, demand-driven and campaign work to every community."""

from __future__ import annotations

import numpy as np

from sim.model import CommunityWorkloadModel
from sim.scenario import load_scenario
from tests.conftest import quiet_scenario, write_catalog


def issued_by_day(model, days):
    department = model.departments.members[0]
    return [department.issue(day) for day in range(days)]


def test_periodic_task_reaches_every_community_once_per_period(tmp_path):
    catalog = write_catalog(tmp_path / "c.csv", [{"period_days": "5"}])
    model = CommunityWorkloadModel(quiet_scenario(catalog), seed=3)
    batches = issued_by_day(model, 20)
    days = [d for d, (community, *_) in enumerate(batches) if len(community)]
    assert len(days) == 4 and np.all(np.diff(days) == 5)
    for day in days:
        assert sorted(batches[day][0]) == [0, 1, 2, 3]


def test_demand_arrivals_scale_with_households(tmp_path):
    catalog = write_catalog(tmp_path / "c.csv", [{"arrival": "demand", "period_days": "",
                                                  "rate_per_1000hh_year": "250"}])
    model = CommunityWorkloadModel(quiet_scenario(catalog, simulation__days=200), seed=3)
    total = sum(len(c) for c, *_ in issued_by_day(model, 200))
    expected = 250 * 4 * 4 * 200 / 250          # rate x (4,000 hh / 1,000) x 4 communities
    assert abs(total - expected) < 5 * np.sqrt(expected)


def test_demand_scale_multiplies_arrivals(tmp_path):
    catalog = write_catalog(tmp_path / "c.csv", [{"arrival": "demand", "period_days": "",
                                                  "rate_per_1000hh_year": "250"}])
    totals = []
    for scale in (1.0, 0.5):
        scenario = quiet_scenario(catalog, simulation__days=200, tasks__demand_scale=scale)
        model = CommunityWorkloadModel(scenario, seed=3)
        totals.append(sum(len(c) for c, *_ in issued_by_day(model, 200)))
    assert 0.45 < totals[1] / totals[0] < 0.55


def test_campaign_hits_all_communities_on_the_same_day(tmp_path):
    catalog = write_catalog(tmp_path / "c.csv", [{"arrival": "campaign", "period_days": "",
                                                  "campaigns_per_year": "50"}])
    model = CommunityWorkloadModel(quiet_scenario(catalog, simulation__days=250), seed=3)
    launches = [c for c, *_ in issued_by_day(model, 250) if len(c)]
    assert 25 <= len(launches) <= 80
    for communities in launches:
        per_community = np.bincount(communities, minlength=4)
        assert per_community.min() == per_community.max() >= 1


def test_effort_median_is_the_catalog_effort_times_the_scale(tmp_path):
    catalog = write_catalog(tmp_path / "c.csv", [{"effort_hours": "4", "effort_spread": "0.5",
                                                  "period_days": "1"}])
    model = CommunityWorkloadModel(quiet_scenario(catalog, tasks__effort_scale=1.5,
                                                  city__communities=200), seed=3)
    efforts = np.concatenate([e for _, _, e, *_ in issued_by_day(model, 10)])
    assert abs(np.median(efforts) - 6.0) < 0.3
    assert efforts.std() > 1.0


def test_size_dependent_effort_grows_with_households(tmp_path):
    catalog = write_catalog(tmp_path / "c.csv", [{"effort_hours": "4", "scales_with_size": "1"}])
    scenario = quiet_scenario(catalog, city__households_median=16000,
                              city__households_max=20000, tasks__size_elasticity=0.5)
    model = CommunityWorkloadModel(scenario, seed=3)
    efforts = np.concatenate([e for _, _, e, *_ in issued_by_day(model, 5)])
    assert np.allclose(efforts, 4 * (16000 / 4000) ** 0.5)


def test_new_task_types_appear_during_the_run_and_not_before(tmp_path):
    catalog = write_catalog(tmp_path / "c.csv", [{"period_days": "1"}])
    scenario = quiet_scenario(catalog, tasks__new_per_year=100.0, simulation__days=50)
    model = CommunityWorkloadModel(scenario, seed=3)
    new = np.flatnonzero(model.catalog.start_day > 0)
    assert len(new) > 5
    for day, (_, task, *_) in enumerate(issued_by_day(model, 50)):
        assert np.all(model.catalog.start_day[task] <= day)


def test_demand_means_remade_row_by_row_equal_means_made_from_scratch():
    scenario = load_scenario("baseline", ["city.communities=40", "city.street_offices=5",
                                          "city.zone_committees=2", "simulation.days=12"])
    model = CommunityWorkloadModel(scenario, seed=1)
    model.run_to_end()                    # residents rescale self-governance demand weekly
    departments = model.departments
    mean, zero = departments._means(model.days)
    active = model.days >= departments._demand_start
    scratch = departments._demand_rate * departments._demand_factor * active[:, None]
    assert np.array_equal(mean, scratch)
    assert np.array_equal(zero, np.exp(-scratch).astype(np.float32))
