"""Committees plan their own time: hours no assigned work takes go to residents, or are slack.

One community-day of the quiet city: one staff member with 8 regular hours. Four
communities and 20 days, so a per-day figure appears 80 times in a total.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.model import CommunityWorkloadModel
from tests.conftest import quiet_scenario, run_model, write_catalog

HALF_DAY = {"period_days": "1", "effort_hours": "4", "effort_spread": "0",
            "deadline_days": "1", "assessment_weight": "0"}
FULL_DAY = {**HALF_DAY, "effort_hours": "8"}
COMMUNITY_DAYS = 4 * 20


def hours(model, field: str) -> float:
    return model.ledger.total(field)


def test_unused_hours_become_resident_work_up_to_a_ceiling_per_person(tmp_path):
    catalog = write_catalog(tmp_path / "c.csv", [HALF_DAY])
    model = run_model(quiet_scenario(catalog, committees__discretionary__ceiling_hours=2.0,
                                     committees__discretionary__slack_share=0.25))
    # 4 unused hours a day: 3 offered to residents, 2 allowed by the ceiling, 2 left as slack
    assert hours(model, "hours_discretionary") == pytest.approx(COMMUNITY_DAYS * 2.0)
    assert hours(model, "slack_hours") == pytest.approx(COMMUNITY_DAYS * 2.0)


def test_part_of_unused_hours_stays_slack_below_the_ceiling(tmp_path):
    catalog = write_catalog(tmp_path / "c.csv", [HALF_DAY])
    model = run_model(quiet_scenario(catalog, committees__discretionary__ceiling_hours=24.0,
                                     committees__discretionary__slack_share=0.25))
    assert hours(model, "hours_discretionary") == pytest.approx(COMMUNITY_DAYS * 3.0)
    assert hours(model, "slack_hours") == pytest.approx(COMMUNITY_DAYS * 1.0)


def test_more_staff_give_residents_more_hours_not_more_idle_time(tmp_path):
    catalog = write_catalog(tmp_path / "c.csv", [HALF_DAY])
    resident = {}
    for staff in (1.0, 2.0):
        model = run_model(quiet_scenario(catalog, staffing__staff_per_community=staff,
                                         committees__discretionary__ceiling_hours=2.0))
        resident[staff] = hours(model, "hours_discretionary")
    assert resident[2.0] == pytest.approx(2 * resident[1.0])


def test_switched_off_every_unused_hour_is_slack(tmp_path):
    catalog = write_catalog(tmp_path / "c.csv", [HALF_DAY])
    model = run_model(quiet_scenario(catalog, committees__discretionary__enabled=False))
    assert hours(model, "hours_discretionary") == 0.0
    assert hours(model, "slack_hours") == pytest.approx(COMMUNITY_DAYS * 4.0)


def test_protected_time_is_a_floor_on_resident_work(tmp_path):
    # A full day of administrative work and no resident request: the protected half goes to
    # residents as discretionary work, beyond the ceiling, not to administration or idleness.
    # Enforcement is held at full strictness (it would erode the floor over the years).
    catalog = write_catalog(tmp_path / "c.csv", [FULL_DAY])
    model = run_model(quiet_scenario(catalog, reforms__protected_time__enabled=True,
                                     reforms__protected_time__share=0.5,
                                     reforms__enforcement__decay_per_year=0.0,
                                     staffing__overtime_cap_hours=0.0,
                                     committees__discretionary__ceiling_hours=1.0))
    assert hours(model, "hours_discretionary") == pytest.approx(COMMUNITY_DAYS * 4.0)
    assert hours(model, "hours_administrative") == pytest.approx(COMMUNITY_DAYS * 4.0)
    assert hours(model, "slack_hours") == pytest.approx(0.0, abs=1e-9)


def test_every_regular_hour_is_booked_once(tmp_path):
    catalog = write_catalog(tmp_path / "c.csv", [HALF_DAY, {**HALF_DAY, "kind": "service"}])
    model = run_model(quiet_scenario(catalog, staffing__switch_cost_hours=0.5))
    went = sum(hours(model, f) for f in ("hours_administrative", "hours_service",
                                         "hours_discretionary", "slack_hours",
                                         "switching_hours"))
    assert went == pytest.approx(hours(model, "regular_hours") + hours(model, "overtime_hours"))


# --- the workstation model as the same people ------------------------------------------------
WORKSTATION_DAY = [{**HALF_DAY, "effort_hours": "12", "deadline_days": "3"},
                   {**HALF_DAY, "kind": "self_governance", "effort_hours": "1",
                    "deadline_days": "3"}]


def worked(model) -> float:
    return sum(hours(model, f"hours_{k}") for k in ("administrative", "service",
                                                     "self_governance"))


def test_cross_appointed_workstation_staff_do_the_work_of_one_committee(tmp_path):
    catalog = write_catalog(tmp_path / "c.csv", WORKSTATION_DAY)
    one = run_model(quiet_scenario(catalog, staffing__staff_per_community=2.0))
    split = run_model(quiet_scenario(catalog, staffing__staff_per_community=2.0,
                                     governance__model="workstation",
                                     governance__committee_share=0.5,
                                     governance__lending_share=1.0))
    assert worked(split) >= worked(one) - 1e-6


def test_separate_workstation_staff_leave_work_undone_that_shared_staff_would_do(tmp_path):
    catalog = write_catalog(tmp_path / "c.csv", WORKSTATION_DAY)
    done = {}
    for share in (0.0, 1.0):
        done[share] = worked(run_model(quiet_scenario(
            catalog, staffing__staff_per_community=2.0, governance__model="workstation",
            governance__committee_share=0.5, governance__lending_share=share)))
    assert done[1.0] > done[0.0]


# --- documentation load ------------------------------------------------------------------------
def issued_effort(catalog, **values) -> np.ndarray:
    department = CommunityWorkloadModel(quiet_scenario(catalog, **values)).departments.members[0]
    return department.issue(0).effort


def test_assessment_intensity_grows_the_documentation_part_of_assessed_work(tmp_path):
    catalog = write_catalog(tmp_path / "c.csv", [{**HALF_DAY, "assessment_weight": "0.5"}])
    baseline = issued_effort(catalog, committees__documentation_share=0.4)
    doubled = issued_effort(catalog, committees__documentation_share=0.4,
                            policy__assessment_intensity=2.0)
    assert np.allclose(baseline, 4.0)                    # the catalog holds baseline paperwork
    assert np.allclose(doubled, 4.0 * (1 + 0.4 * 0.5))   # its 20% documentation part doubles


def test_documentation_hours_are_counted_within_administrative_effort(tmp_path):
    catalog = write_catalog(tmp_path / "c.csv", [{**HALF_DAY, "assessment_weight": "0.5"}])
    model = run_model(quiet_scenario(catalog, committees__documentation_share=0.4))
    assert hours(model, "paperwork_hours") == pytest.approx(COMMUNITY_DAYS * 4.0 * 0.2)


def test_unassessed_work_carries_no_documentation_load(tmp_path):
    catalog = write_catalog(tmp_path / "c.csv", [HALF_DAY])
    model = run_model(quiet_scenario(catalog, policy__assessment_intensity=3.0))
    assert hours(model, "paperwork_hours") == 0.0
    assert hours(model, "hours_administrative") == pytest.approx(COMMUNITY_DAYS * 4.0)
