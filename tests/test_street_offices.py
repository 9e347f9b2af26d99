"""Street offices add requirements, pass on money in part, assess their communities, and
enforce reforms unevenly."""

from __future__ import annotations

import numpy as np
import pytest

from sim.model import CommunityWorkloadModel
from sim.runner import weekly_table
from tests.conftest import SYNTHETIC, quiet_scenario, run_model, write_catalog

DAILY = {"period_days": "1", "effort_spread": "0"}


def daily(tmp_path, **row):
    return write_catalog(tmp_path / "c.csv", [{**DAILY, **row}])


# --- added requirements (层层加码) -------------------------------------------------------
def test_a_street_office_shortens_deadlines_by_its_cut(tmp_path):
    model = CommunityWorkloadModel(quiet_scenario(daily(tmp_path, deadline_days="10"),
                                                  relays__deadline_cut=0.5))
    model.step()
    assert np.all(model.queue.due == 4)          # 5 working days from day 0


def test_a_street_office_adds_its_own_items_to_administrative_work(tmp_path):
    model = run_model(quiet_scenario(daily(tmp_path), city__communities=40,
                                     relays__extra_items=0.5))
    issued, added = model.ledger.total("issued"), model.ledger.total("relay_items")
    assert added == model.ledger.total("accepted") - issued
    assert 0.45 < added / issued < 0.55


# --- funding that leaks ------------------------------------------------------------------
def funded(tmp_path, **values):
    catalog = daily(tmp_path, effort_hours="10", deadline_days="30")
    settings = dict(reforms__funding__enabled=True, reforms__funding__coverage=0.5,
                    reforms__funding__purchase_efficiency=1.0, reforms__funding__compliance=1.0,
                    reforms__funding__retention=0.0, reforms__funding__lag_days=0,
                    staffing__overtime_cap_hours=0.0)
    return run_model(quiet_scenario(catalog, **{**settings, **values}))


def test_full_pass_through_buys_the_covered_hours_at_the_hour_price(tmp_path):
    model = funded(tmp_path, costs__purchased_hour_yuan=30.0)
    assert model.ledger.total("funding_yuan") == pytest.approx(4 * 20 * 5.0 * 30.0)
    assert model.ledger.total("purchased_hours") == pytest.approx(4 * 20 * 5.0)


def test_retention_one_leaves_communities_no_funding(tmp_path):
    model = funded(tmp_path, reforms__funding__retention=1.0)
    assert model.ledger.total("funding_yuan") == 0.0
    assert model.ledger.total("purchased_hours") == 0.0


def test_retention_keeps_its_share_of_the_money(tmp_path):
    model = funded(tmp_path, reforms__funding__retention=0.25)
    assert model.ledger.total("funding_yuan") == pytest.approx(0.75 * 4 * 20 * 5.0 * 24.0)


def test_departments_that_do_not_comply_pay_nothing(tmp_path):
    assert funded(tmp_path, reforms__funding__compliance=0.0).ledger.total("funding_yuan") == 0


def test_money_arrives_only_after_the_lag(tmp_path):
    model = funded(tmp_path, reforms__funding__lag_days=10)
    purchased = model.ledger.weekly[:, model.ledger.field_index("purchased_hours")].sum(axis=1)
    assert purchased[:2].sum() == 0.0 and purchased[2:].sum() > 0


def test_purchased_help_cannot_exceed_what_providers_supply(tmp_path):
    model = funded(tmp_path, reforms__funding__providers_per_community=0.25)   # 2 h a day
    assert model.ledger.total("purchased_hours") == pytest.approx(4 * 20 * 2.0)


# --- assessment ---------------------------------------------------------------------------
def test_a_missed_veto_item_scores_the_period_zero(tmp_path):
    catalog = write_catalog(tmp_path / "c.csv", [
        {**DAILY, "category": "family_planning", "assessment_weight": "0.5"},
        {**DAILY, "assessment_weight": "0.9"}])
    model = CommunityWorkloadModel(quiet_scenario(catalog, assessment__enabled=True,
                                                  simulation__days=60))
    assessment = model.assessment
    everyone = np.arange(4)
    assessment.done_on_time(np.repeat(everyone, 9), np.ones(36, dtype=np.int64))
    assessment.missed(np.array([2]), np.array([0]))
    assessment.assess(assessment.period - 1)
    assert assessment.score.tolist() == [1.0, 1.0, 0.0, 1.0]
    assert assessment.pressed.tolist() == [False, False, True, False]


def test_assessed_work_done_late_lowers_the_score_by_its_weight(tmp_path):
    catalog = write_catalog(tmp_path / "c.csv", [{**DAILY, "assessment_weight": "0.6"},
                                                 {**DAILY, "assessment_weight": "0.9"}])
    model = CommunityWorkloadModel(quiet_scenario(catalog, assessment__enabled=True,
                                                  simulation__days=60))
    assessment = model.assessment
    assessment.done_on_time(np.array([0]), np.array([1]))
    assessment.missed(np.array([0]), np.array([0]))
    assessment.assess(assessment.period - 1)
    assert assessment.score[0] == pytest.approx(0.9 / 1.5)


def pressed_or_not(tmp_path, pressed: bool):
    """One day in communities with too little time for a low-weight veto item and a heavier
    assessed item; returns hours spent per task type."""
    catalog = write_catalog(tmp_path / "c.csv", [
        {**DAILY, "category": "family_planning", "assessment_weight": "0.5",
         "effort_hours": "6"},
        {**DAILY, "assessment_weight": "0.9", "effort_hours": "6"}])
    model = CommunityWorkloadModel(quiet_scenario(catalog, assessment__enabled=True,
                                                  staffing__overtime_cap_hours=0.0))
    model.assessment.pressed[:] = pressed
    model.step()
    return model.ledger.by_task[model.ledger._task_field["hours"]]


def test_a_veto_item_is_done_first_when_the_communitys_standing_is_low(tmp_path):
    calm = pressed_or_not(tmp_path, pressed=False)
    pressed = pressed_or_not(tmp_path, pressed=True)
    assert calm.tolist() == [4 * 2.0, 4 * 6.0]        # heavier weight first
    assert pressed.tolist() == [4 * 6.0, 4 * 2.0]     # the veto item first


def test_a_pressed_community_works_overtime_on_assessed_work_not_yet_due(tmp_path):
    catalog = daily(tmp_path, effort_hours="12", deadline_days="30", assessment_weight="0.9")

    def overtime(pressed: bool) -> float:
        model = CommunityWorkloadModel(quiet_scenario(catalog, assessment__enabled=True))
        model.assessment.pressed[:] = pressed
        model.step()
        return model.ledger.total("overtime_hours")

    assert overtime(False) == 0.0
    assert overtime(True) == 4 * 2.0


def test_fewer_assessments_assess_less_often_and_cut_their_documentation(tmp_path):
    catalog = daily(tmp_path, assessment_weight="0.5")
    model = CommunityWorkloadModel(quiet_scenario(
        catalog, assessment__enabled=True, reforms__fewer_assessments__enabled=True,
        reforms__fewer_assessments__cut=0.4, reforms__fewer_assessments__start_day=10))
    assert model.assessment.period_days(9) == 21
    assert model.assessment.period_days(10) == 35
    efforts = [model.departments.members[0].issue(day).effort for day in (9, 10)]
    assert np.allclose(efforts[0], 4.0)
    assert np.allclose(efforts[1], 4.0 * (1 + 0.35 * 0.5 * (0.6 - 1)))


def test_assessment_can_be_switched_off(tmp_path):
    model = run_model(quiet_scenario(daily(tmp_path, effort_hours="20"),
                                     assessment__enabled=False, simulation__days=60))
    assert model.ledger.total("assessments") == 0 and not model.assessment.pressed.any()


# --- uneven enforcement ----------------------------------------------------------------------
def test_a_reform_bites_only_where_its_relay_enforces_it(tmp_path):
    catalog = write_catalog(tmp_path / "c.csv", [{**DAILY, "on_access_list": "1"},
                                                 {**DAILY, "on_access_list": "0"}])
    model = run_model(quiet_scenario(
        catalog, reforms__access_list__enabled=True,
        departments__substitution__elasticity=0.0, departments__regrowth__relabel_per_year=0.0,
        reforms__enforcement__relay_strictness=["1", "0"]))
    by_relay = weekly_table(model, 0).groupby("relay")[["issued", "refused"]].sum()
    assert by_relay.loc[0, "refused"] == by_relay.loc[0, "issued"] / 2
    assert by_relay.loc[1, "refused"] == 0


def test_protected_time_erodes_with_its_enforcement(tmp_path):
    catalog = daily(tmp_path, effort_hours="20")
    model = CommunityWorkloadModel(quiet_scenario(
        catalog, reforms__protected_time__enabled=True, reforms__protected_time__share=0.5,
        reforms__enforcement__relay_strictness=["1", "0.5"]))
    share = model.committees._protected_share(0)
    relay = model.city.relay[model.workforce.community]
    assert np.allclose(share, np.where(relay == 0, 0.5, 0.25))


# --- results by relay ------------------------------------------------------------------------
def test_relay_years_average_to_the_city_wide_yearly_metrics():
    from sim.runner import run
    from sim.scenario import load_scenario

    scenario = load_scenario("five_years_access_list", [
        *SYNTHETIC, "city.communities=12", "city.street_offices=2", "city.zone_committees=1",
        "simulation.days=350", "simulation.warmup_days=50",
        "reforms.access_list.start_day=100", "reforms.enforcement.strictness_spread=0.2",
        "reforms.enforcement.strictness=0.8"])
    result = run(scenario, seed=3)
    relays, city = result.relay_yearly, result.yearly.set_index("year")
    for column in ("formal_admin_hours_per_community_year", "admin_types_in_force",
                   "enforcement"):
        weighted = (relays[column] * relays["communities"]).groupby(relays["year"]).sum() \
            / relays.groupby("year")["communities"].sum()
        assert np.allclose(weighted, city[column])
    assert relays.groupby("year")["enforcement"].nunique().loc[2] == 3   # uneven relays


def test_a_deadline_cut_leaves_residents_requests_their_deadlines(tmp_path):
    catalog = write_catalog(tmp_path / "c.csv", [
        {**DAILY, "deadline_days": "10"},
        {**DAILY, "deadline_days": "10", "kind": "service", "department": "residents",
         "category": "services", "arrival": "demand", "period_days": "",
         "rate_per_1000hh_year": "5000"}])
    model = CommunityWorkloadModel(quiet_scenario(catalog, relays__deadline_cut=0.5,
                                                  staffing__staff_per_community=0.0))
    model.step()
    queue = model.queue
    assert set(queue.due[queue.task == 0]) == {4} and set(queue.due[queue.task == 1]) == {9}


def test_fewer_assessments_count_less_paperwork(tmp_path):
    catalog = daily(tmp_path, assessment_weight="1.0")
    common = dict(committees__documentation_share=0.4, simulation__days=5)
    plain = run_model(quiet_scenario(catalog, **common))
    fewer = run_model(quiet_scenario(catalog, **common,
                                     reforms__fewer_assessments__enabled=True,
                                     reforms__fewer_assessments__cut=0.5))
    assert plain.ledger.total("paperwork_hours") == pytest.approx(4 * 5 * 4.0 * 0.4)
    assert fewer.ledger.total("paperwork_hours") == pytest.approx(4 * 5 * 4.0 * 0.8 * 0.25)
