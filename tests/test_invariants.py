"""Invariants that must hold on real runs of the packaged catalog, whatever the scenario."""

from __future__ import annotations

import numpy as np
import pytest

from sim.catalog import ADMIN
from sim.ledger import FIELDS, TASK_FIELDS
from tests.conftest import run_model

SCENARIOS = {
    "baseline": {},
    "workstation": {"governance__model": "workstation"},
    "zone": {"governance__model": "zone_committee"},
    "reforms": {"reforms__access_list__enabled": True, "reforms__funding__enabled": True,
                "reforms__grid_delegation__enabled": True, "reforms__digital__enabled": True,
                "reforms__protected_time__enabled": True, "reforms__split__enabled": True},
    "overloaded": {"tasks__effort_scale": 1.6, "policy__priority": "earliest_deadline"},
    "written_off": {"tasks__effort_scale": 1.6, "departments__chase_limit_days": 5},
}


@pytest.fixture(scope="module", params=sorted(SCENARIOS))
def model(request):
    from sim.scenario import default_scenario
    scenario = default_scenario().with_values(city__communities=30, city__street_offices=4,
                                              city__zone_committees=1, simulation__days=60,
                                              **SCENARIOS[request.param])
    return run_model(scenario, seed=4)


def weekly(model, field):
    return model.ledger.weekly[:, FIELDS.index(field)]


def test_staff_never_work_more_than_capacity_plus_overtime(model):
    """Grid heads' duty hours come out of the same capacity as queued work."""
    worked = sum(weekly(model, f"hours_{k}") for k in ("administrative", "service",
                                                       "self_governance"))
    worked = worked + weekly(model, "grid_duty_hours")
    scenario = model.settings
    ceiling = weekly(model, "staff_days") * (scenario["staffing.hours_per_day"]
                                             + scenario["staffing.overtime_cap_hours"])
    assert np.all(worked <= ceiling + 1e-6)


def test_overtime_never_exceeds_its_cap(model):
    cap = weekly(model, "staff_days") * model.settings["staffing.overtime_cap_hours"]
    assert np.all(weekly(model, "overtime_hours") <= cap + 1e-6)


def test_every_issued_instance_is_refused_or_accepted(model):
    """What reaches communities is what the relays let through, plus refused work pushed down
    informally, the street offices' own items and the reforms' own (app duties)."""
    def total(field):
        return weekly(model, field).sum(axis=0)

    assert np.array_equal(total("issued") - total("refused") + total("informal_items")
                          + total("relay_items") + total("reform_items"), total("accepted"))


def test_every_accepted_instance_ends_completed_lapsed_written_off_or_open(model):
    n = model.city.n_communities
    accepted = weekly(model, "accepted").sum(axis=0)
    ended = sum(weekly(model, field).sum(axis=0)
                for field in ("completed", "lapsed", "written_off"))
    still_open = np.bincount(model.queue.community, minlength=n)
    assert np.array_equal(accepted, ended + still_open)
    assert np.array_equal(model.ledger.final("open_items"), still_open)


def test_task_totals_agree_with_community_totals(model):
    by_task = dict(zip(("issued", "refused", "completed"), model.ledger.by_task[:3], strict=True))
    for field, totals in by_task.items():
        assert totals.sum() == model.ledger.total(field)


def test_only_resident_demand_lapses(model):
    lapsed_tasks = model.ledger.by_task[TASK_FIELDS.index("lapsed")] > 0
    assert not np.any(lapsed_tasks & (model.catalog.kind == ADMIN))
