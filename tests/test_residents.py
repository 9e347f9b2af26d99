"""Residents respond: participation follows responsiveness and acts back on the committee."""

from __future__ import annotations

import numpy as np
import pytest

from sim.catalog import SELFGOV
from sim.metrics import compute_metrics
from tests.conftest import quiet_scenario, run_model, write_catalog

ON = {"residents__participation__enabled": True,
      "residents__participation__time_constant_weeks": 2.0,
      "residents__participation__volunteer_hours_per_household": 0.0,
      "residents__participation__complaint_probability": 0.0}
SERVICE_ROW = {"kind": "service", "category": "services_elderly", "department": "residents",
               "arrival": "demand", "period_days": "", "rate_per_1000hh_year": "500",
               "effort_hours": "1", "deadline_days": "5"}
SELFGOV_ROW = {**SERVICE_ROW, "kind": "self_governance", "category": "self_governance",
               "rate_per_1000hh_year": "250"}
HEAVY_ADMIN = {"period_days": "1", "effort_hours": "20", "assessment_weight": "1"}
COMPLAINT_ROW = {"task_id": "A113", "category": "petitions_stability", "department": "petitions",
                 "arrival": "demand", "period_days": "", "rate_per_1000hh_year": "0",
                 "effort_hours": "2", "deadline_days": "3"}


def total(model, field: str) -> float:
    return model.ledger.total(field)


def test_participation_rises_with_responsiveness_and_falls_without(tmp_path):
    """Requests served on time by staff with time on their hands lift participation above the
    baseline; staff swamped by assessed administrative work let it fall."""
    served = write_catalog(tmp_path / "served.csv", [SERVICE_ROW])
    swamped = write_catalog(tmp_path / "swamped.csv", [SERVICE_ROW, HEAVY_ADMIN])
    settings = {**ON, "simulation__days": 60, "residents__participation__reference_hours": 100.0}
    rising = compute_metrics(run_model(quiet_scenario(served, **settings)))["participation"]
    falling = compute_metrics(run_model(quiet_scenario(swamped, **settings)))["participation"]
    assert falling < 0.3 * 0.5 < 0.3 < rising


def test_higher_participation_raises_self_governance_demand(tmp_path):
    """The same arrival stream issues more self-governance instances where participation has
    risen (a responsive committee) than where residents do not respond."""
    catalog = write_catalog(tmp_path / "selfgov.csv", [SELFGOV_ROW])
    settings = {**ON, "simulation__days": 100, "residents__participation__reference_hours": 50.0}
    responding = run_model(quiet_scenario(catalog, **settings))
    fixed = run_model(quiet_scenario(catalog, **{**settings,
                                                 "residents__participation__enabled": False}))
    assert compute_metrics(responding)["participation"] > 0.5
    issued = [m.ledger.by_task[0][m.catalog.kind == SELFGOV].sum() for m in (responding, fixed)]
    assert issued[0] > 1.3 * issued[1]


def test_volunteers_take_service_hours_off_staff_and_count_apart(tmp_path):
    """Volunteer hours do part of each service item (at most volunteer_share of it), so staff
    spend fewer hours on the same demand; volunteers and staff together do all of it."""
    catalog = write_catalog(tmp_path / "service.csv", [SERVICE_ROW])
    settings = {**ON, "residents__participation__elasticity": 0.0}
    without = run_model(quiet_scenario(catalog, **settings))
    helped = run_model(quiet_scenario(catalog, **{
        **settings, "residents__participation__volunteer_hours_per_household": 30.0}))
    assert total(without, "volunteer_hours") == 0
    assert 0 < total(helped, "volunteer_hours") <= 0.5 * total(helped, "effort_accepted") + 1e-9
    assert total(helped, "hours_service") < 0.8 * total(without, "hours_service")
    still_open = helped.ledger.final("backlog_hours").sum()
    assert (total(helped, "hours_service") + total(helped, "volunteer_hours")
            == pytest.approx(total(helped, "effort_accepted") - total(helped, "lapsed_hours")
                             - still_open))


def test_lapsed_requests_come_back_as_complaint_work_orders(tmp_path):
    """Every request withdrawn unserved (probability 1) returns as a hotline work order of the
    complaint type, issued to its community in the following week."""
    catalog = write_catalog(tmp_path / "complaints.csv",
                            [SERVICE_ROW, HEAVY_ADMIN, COMPLAINT_ROW])
    model = run_model(quiet_scenario(catalog, **{
        **ON, "simulation__days": 40, "residents__patience_days": 0,
        "residents__participation__complaint_probability": 1.0}))
    weekly = model.ledger.weekly
    lapsed = weekly[:, model.ledger.field_index("lapsed")].sum(axis=1)
    complaints = weekly[:, model.ledger.field_index("complaints")].sum(axis=1)
    assert lapsed.sum() > 0
    assert np.array_equal(complaints[1:], lapsed[:-1])
    complaint_type = np.flatnonzero(model.catalog.task_id == "A113")
    assert model.ledger.by_task[0][complaint_type].sum() == complaints.sum()


def test_protected_time_raises_participation_volunteers_and_lightens_staff(small_city):
    """The feedback chain on a small city: protected time gives residents more staff hours,
    participation rises, so do volunteer hours, and staff spend fewer hours on services while
    fewer requests go unserved."""
    settings = {"simulation__days": 150, "residents__participation__time_constant_weeks": 4.0}
    base = run_model(small_city.with_values(**settings), seed=3)
    reform = run_model(small_city.with_values(
        **settings, reforms__protected_time__enabled=True, reforms__protected_time__share=0.3),
        seed=3)
    before, after = compute_metrics(base), compute_metrics(reform)
    assert (after["resident_hours_per_1000_households"]
            > 1.1 * before["resident_hours_per_1000_households"])
    assert after["participation"] > before["participation"] + 0.02
    assert (after["volunteer_hours_per_1000_households"]
            > before["volunteer_hours_per_1000_households"])
    assert total(reform, "hours_service") < 0.95 * total(base, "hours_service")
    assert total(reform, "lapsed") < total(base, "lapsed")
