"""Staff pools: headcount by rule, quits under overload, replacement after a hiring delay."""

from __future__ import annotations

import numpy as np

from sim.governance import community_headcount
from sim.metrics import compute_metrics
from sim.staff import COMMITTEE, Turnover, make_pools
from tests.conftest import quiet_scenario, run_model, write_catalog


def turnover(staff, **settings):
    workforce = make_pools(np.arange(len(staff)), np.zeros(len(staff)), COMMITTEE,
                           np.array(staff), 8.0, 2.0)
    options = dict(base_rate=0.0, overload_rate=1.0, overload_hours=4.0, hiring_delay=10,
                   days_per_year=250, rng=np.random.default_rng(0))
    return workforce, Turnover(workforce, **(options | settings))


def test_only_overloaded_pools_lose_staff_when_the_base_rate_is_zero():
    workforce, rules = turnover([10, 10])
    quits = rules.end_of_week(4, np.array([9.0, 1.0]))
    assert quits.tolist() == [10, 0]
    assert workforce.staff.tolist() == [0, 10]


def test_quits_are_replaced_after_the_hiring_delay():
    workforce, rules = turnover([10])
    rules.end_of_week(4, np.array([9.0]))
    staffed = []
    for day in range(5, 20):
        rules.start_of_day(day)
        staffed.append(int(workforce.staff[0]))
    assert staffed[:10] == [0] * 10          # days 5..14
    assert staffed[10:] == [10] * 5          # from day 4 + 1 + 10 = 15


def test_staff_follow_households_when_staffing_is_per_household(tmp_path):
    catalog = write_catalog(tmp_path / "c.csv", [{}])
    scenario = quiet_scenario(catalog, staffing__basis="per_households",
                              staffing__staff_per_1000_households=5.0)
    staff = community_headcount(scenario, np.array([2000.0, 4000.0, 9000.0]))
    assert staff.tolist() == [10, 20, 45]


def test_sustained_overload_drives_staff_away(tmp_path):
    catalog = write_catalog(tmp_path / "c.csv", [{"period_days": "1", "effort_hours": "200",
                                                  "effort_spread": "0", "deadline_days": "1"}])
    common = dict(staffing__turnover__enabled=True, staffing__staff_per_community=10.0,
                  staffing__turnover__base_quit_rate=0.0, simulation__days=100,
                  city__communities=20, staffing__turnover__overload_hours=4.0)
    tolerant = compute_metrics(run_model(quiet_scenario(
        catalog, **common, staffing__turnover__overload_quit_rate=0.0)))
    strained = compute_metrics(run_model(quiet_scenario(
        catalog, **common, staffing__turnover__overload_quit_rate=0.9)))
    assert tolerant["overtime_hours_per_staff_week"] > 4.0
    assert tolerant["quits_per_staff_year"] == 0.0
    assert strained["quits_per_staff_year"] > 0.3
    assert strained["staff_per_community"] < 10.0
