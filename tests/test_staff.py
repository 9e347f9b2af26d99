"""Staff pools: headcount by rule, quits under sustained overload and low pay, replacement after
a hiring delay, new hires who learn."""

from __future__ import annotations

import numpy as np
import pytest

from sim.governance import community_headcount
from sim.ledger import FIELDS
from sim.metrics import compute_metrics
from sim.model import CommunityWorkloadModel
from sim.staff import COMMITTEE, QuitCurve, SustainedOvertime, Turnover, make_pools
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
                  city__communities=20, staffing__turnover__overload_hours=4.0,
                  staffing__turnover__max_quit_rate=1.0)
    tolerant = compute_metrics(run_model(quiet_scenario(
        catalog, **common, staffing__turnover__overload_quit_rate=0.0)))
    strained = compute_metrics(run_model(quiet_scenario(
        catalog, **common, staffing__turnover__overload_quit_rate=0.9)))
    assert tolerant["overtime_hours_per_staff_week"] > 4.0
    assert tolerant["quits_per_staff_year"] == 0.0
    assert strained["quits_per_staff_year"] > 0.3
    assert strained["staff_per_community"] < 10.0


CURVE = QuitCurve(base_rate=0.05, overload_rate=0.20, overload_hours=4.0, pay_elasticity=0.5,
                  ceiling=0.3)


def test_the_quit_curve_passes_through_both_anchors():
    assert CURVE.yearly(np.array([0.0, 4.0])) == pytest.approx([0.05, 0.20], rel=1e-9)


def test_the_quit_curve_rises_smoothly_with_sustained_overtime():
    rate = CURVE.yearly(np.linspace(0.0, 20.0, 401))
    steps = np.diff(rate)
    assert (steps > 0).all()
    assert steps.max() < 0.01                  # no jump anywhere, unlike a threshold
    assert rate[-1] < 0.3                      # levels off below the ceiling


def test_better_pay_lowers_quits():
    rate = CURVE.yearly(np.full(3, 4.0), pay_ratio=np.array([0.8, 1.0, 1.25]))
    assert rate[0] > rate[1] > rate[2]


def test_one_heavy_week_moves_the_probability_less_than_sustained_overtime():
    calm = np.zeros(2)
    tracker = SustainedOvertime(2, memory_weeks=8.0)
    for _ in range(10):
        tracker.update(calm)
    for _ in range(9):
        tracker.update(np.array([0.0, 10.0]))
    sustained = tracker.update(np.array([10.0, 10.0]))
    rate = CURVE.yearly(sustained)
    assert 0.05 < rate[0] < rate[1]
    assert sustained[0] < 0.2 * sustained[1]


def learning_pool(novice=0.5, ramp_weeks=2.0):
    return turnover([10], hiring_delay=0, novice_productivity=novice, ramp_weeks=ramp_weeks)


def test_a_new_hire_starts_at_the_novice_level_and_is_full_after_the_ramp():
    workforce, rules = learning_pool()
    rules.end_of_week(4, np.array([9.0]))      # all ten quit; replaced from day 5
    productivity = []
    for day in range(5, 18):
        rules.start_of_day(day)
        productivity.append(rules.effective_staff()[0] / workforce.staff[0])
    assert productivity[0] == pytest.approx(0.5)
    assert productivity[5] == pytest.approx(0.75)   # halfway through 10 working days
    assert productivity[10:] == pytest.approx([1.0] * 3)


def test_effective_staff_is_vectorised_over_pools():
    _, rules = turnover([10, 10, 4], hiring_delay=0, novice_productivity=0.4,
                        ramp_weeks=1.0)
    rules.end_of_week(4, np.array([9.0, 0.0, 9.0]))
    rules.start_of_day(5)
    assert rules.effective_staff() == pytest.approx([4.0, 10.0, 1.6])


def test_a_pools_hours_dip_after_quits_and_hires_and_recover():
    workforce, rules = turnover([10, 10], base_rate=0.0, overload_rate=0.6, hiring_delay=5,
                                novice_productivity=0.5, ramp_weeks=2.0)
    hours = [rules.effective_staff() * workforce.hours_per_staff]
    rules.end_of_week(4, np.array([20.0, 0.0]))     # the first pool is overloaded once
    for day in range(5, 30):
        rules.start_of_day(day)
        hours.append(rules.effective_staff() * workforce.hours_per_staff)
    strained, calm = np.array(hours).T
    assert strained.min() < strained[0] == strained[-1] == 80.0
    assert strained[6] == 40.0 and strained[15] < 80.0   # day 10: ten novices at half pace
    assert np.diff(strained[7:]).min() >= 0          # from the hires' start it only recovers
    assert (calm == 80.0).all()


def test_the_models_regular_hours_count_new_hires_in_part(tmp_path):
    catalog = write_catalog(tmp_path / "c.csv", [{"period_days": "1", "effort_hours": "200",
                                                  "effort_spread": "0", "deadline_days": "1"}])
    model = CommunityWorkloadModel(quiet_scenario(
        catalog, staffing__turnover__enabled=True, staffing__staff_per_community=10.0,
        staffing__turnover__overload_quit_rate=0.3, staffing__turnover__hiring_delay_days=0,
        staffing__turnover__ramp_weeks=10.0, simulation__days=40), seed=1)
    for _ in range(40):
        model.step()
    assert model.ledger.weekly[:, FIELDS.index("hires")].sum() > 0
    assert model.ledger.total("learning_hours") > 0
