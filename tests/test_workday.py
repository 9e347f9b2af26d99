"""The working day: carry-over, overtime when deadlines press, lateness, unmet demand, juggling."""

from __future__ import annotations

import numpy as np

from sim.metrics import compute_metrics
from sim.model import CommunityWorkloadModel
from tests.conftest import quiet_scenario, run_model, write_catalog

ONE_PER_DAY = {"period_days": "1", "effort_spread": "0"}


def staff_hours(model):
    ledger = model.ledger
    return sum(ledger.total(f"hours_{k}") for k in ("administrative", "service",
                                                     "self_governance"))


def test_unfinished_work_carries_over(tmp_path):
    catalog = write_catalog(tmp_path / "c.csv", [{**ONE_PER_DAY, "effort_hours": "10",
                                                  "deadline_days": "30"}])
    model = run_model(quiet_scenario(catalog, staffing__overtime_cap_hours=0.0))
    assert np.allclose(model.ledger.final("backlog_hours"), 20 * (10 - 8))


def test_overtime_covers_pressing_work_up_to_the_cap(tmp_path):
    catalog = write_catalog(tmp_path / "c.csv", [{**ONE_PER_DAY, "effort_hours": "20",
                                                  "deadline_days": "1"}])
    model = run_model(quiet_scenario(catalog, staffing__overtime_cap_hours=2.0))
    assert model.ledger.total("overtime_hours") == 4 * 20 * 2.0
    assert np.isclose(staff_hours(model), 4 * 20 * 10.0)


def test_no_overtime_while_deadlines_are_far(tmp_path):
    catalog = write_catalog(tmp_path / "c.csv", [{**ONE_PER_DAY, "effort_hours": "20",
                                                  "deadline_days": "40"}])
    model = run_model(quiet_scenario(catalog, staffing__overtime_cap_hours=2.0))
    assert model.ledger.total("overtime_hours") == 0.0


def test_work_finished_after_its_deadline_is_late(tmp_path):
    catalog = write_catalog(tmp_path / "c.csv", [{**ONE_PER_DAY, "effort_hours": "10",
                                                  "deadline_days": "1"}])
    model = run_model(quiet_scenario(catalog, staffing__overtime_cap_hours=0.0))
    metrics = compute_metrics(model)
    assert model.ledger.total("completed_late") > 0
    assert metrics["overdue_rate"] > 0.9


def test_work_within_capacity_is_on_time(tmp_path):
    catalog = write_catalog(tmp_path / "c.csv", [{**ONE_PER_DAY, "effort_hours": "6"}])
    metrics = compute_metrics(run_model(quiet_scenario(catalog)))
    assert metrics["overdue_rate"] == 0.0
    assert metrics["backlog_hours_per_community"] == 0.0


def selfgov_squeezed(tmp_path, **values):
    catalog = write_catalog(tmp_path / "c.csv", [
        {**ONE_PER_DAY, "effort_hours": "8", "assessment_weight": "0.9"},
        {**ONE_PER_DAY, "kind": "self_governance", "department": "residents",
         "category": "self_governance", "period_days": "5", "effort_hours": "2",
         "deadline_days": "2", "assessment_weight": "0"},
    ])
    settings = dict(staffing__overtime_cap_hours=0.0, residents__patience_days=3,
                    simulation__days=40) | values
    scenario = quiet_scenario(catalog, **settings)
    return compute_metrics(run_model(scenario))


def test_assessed_work_squeezes_out_self_governance(tmp_path):
    metrics = selfgov_squeezed(tmp_path)
    assert metrics["admin_share"] == 1.0
    # 8 requests in 40 days; 7 withdrawn after patience, the last still waiting
    assert metrics["unmet_selfgov_share"] == 7 / 8


def test_unserved_resident_demand_lapses_after_patience(tmp_path):
    patient = selfgov_squeezed(tmp_path, residents__patience_days=100)
    assert patient["unmet_selfgov_share"] == 0.0    # still waiting, not yet withdrawn


def test_juggling_many_open_types_costs_hours(tmp_path):
    rows = [{**ONE_PER_DAY, "effort_hours": "1", "deadline_days": "30"} for _ in range(12)]
    catalog = write_catalog(tmp_path / "c.csv", rows)
    free = run_model(quiet_scenario(catalog, staffing__overtime_cap_hours=0.0))
    costly = run_model(quiet_scenario(catalog, staffing__overtime_cap_hours=0.0,
                                      staffing__switch_cost_hours=0.25))
    assert np.isclose(staff_hours(free), 4 * 20 * 8.0)
    assert staff_hours(costly) < staff_hours(free) - 4 * 20 * 1.0


def test_the_switching_cost_counts_each_open_type_of_a_pool_once(tmp_path):
    rows = [{**ONE_PER_DAY, "effort_hours": "1", "deadline_days": "30"} for _ in range(3)]
    catalog = write_catalog(tmp_path / "c.csv", rows)
    model = CommunityWorkloadModel(quiet_scenario(catalog, staffing__switch_cost_hours=0.5))
    pools = len(model.workforce)
    pool = np.array([0, 0, 0, 1, 1, 1, 1], dtype=np.int64)       # pool 0: types 0, 1; pool 1: 2
    task = np.array([0, 1, 0, 2, 2, 2, 2], dtype=np.int32)
    n = len(pool)
    model.queue.add(key=pool * 100 + np.arange(n), pool=pool, community=pool, task=task,
                    kind=np.zeros(n, dtype=np.int8), due=np.full(n, 9, dtype=np.int32),
                    arrival=np.zeros(n, dtype=np.int32), remaining=np.ones(n),
                    effort=np.ones(n))
    left = model.committees._after_switching(np.full(pools, 8.0))
    assert left[:2].tolist() == [8.0 - 2 * 0.5, 8.0 - 1 * 0.5]
    assert (left[2:] == 8.0).all()
