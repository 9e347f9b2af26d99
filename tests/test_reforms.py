"""Each reform changes the mechanism it names, and only that."""

from __future__ import annotations

import numpy as np

from sim.catalog import ADMIN
from sim.metrics import compute_metrics
from sim.model import CommunityWorkloadModel
from sim.reforms import NEVER
from sim.staff import GRID
from tests.conftest import quiet_scenario, run_model, write_catalog

DAILY = {"period_days": "1", "effort_spread": "0"}


def dedicated_grid_workers(per_community: int) -> dict[str, float]:
    """Grid settings giving each quiet 4,000-household community this many dedicated grid
    workers and no committee grid heads."""
    return {"city__grid_personnel_per_1000_households": per_community / 4,
            "city__grid_dedicated_share": 1.0}


def listed_and_unlisted(tmp_path, n_listed=5, n_unlisted=5):
    rows = [{**DAILY, "on_access_list": "1", "assessment_weight": f"0.{i + 1}"}
            for i in range(n_listed)]
    rows += [{**DAILY, "on_access_list": "0"} for _ in range(n_unlisted)]
    return write_catalog(tmp_path / "c.csv", rows)


def test_access_list_keeps_only_listed_types_up_to_the_bound(tmp_path):
    scenario = quiet_scenario(listed_and_unlisted(tmp_path), reforms__access_list__enabled=True,
                              reforms__access_list__max_admin_tasks=3,
                              departments__substitution__elasticity=0.0)
    model = run_model(scenario)
    metrics = compute_metrics(model)
    assert metrics["admin_task_types"] == 3
    in_effect = np.flatnonzero(model.allowed_from < model.days)
    assert model.catalog.assessment_weight[in_effect].tolist() == [0.3, 0.4, 0.5]
    assert metrics["refused_share"] == 7 / 10


def test_new_task_types_wait_at_the_approval_gate(tmp_path):
    catalog = write_catalog(tmp_path / "c.csv", [DAILY])
    common = dict(tasks__new_per_year=200.0, simulation__days=100,
                  reforms__enforcement__strictness=0.0)   # deters no new type
    free = CommunityWorkloadModel(quiet_scenario(catalog, **common))
    gated = CommunityWorkloadModel(quiet_scenario(
        catalog, **common, reforms__access_list__enabled=True,
        reforms__access_list__approval_days=30, reforms__access_list__approval_rate=0.5))
    new = np.flatnonzero(gated.catalog.start_day > 0)
    approved = new[gated.allowed_from[new] != NEVER]
    assert 0 < len(approved) < len(new)
    assert np.all(gated.allowed_from[approved] == free.allowed_from[approved] + 30)


def test_funding_buys_hours_that_take_administrative_work(tmp_path):
    catalog = write_catalog(tmp_path / "c.csv", [{**DAILY, "effort_hours": "10",
                                                  "deadline_days": "30"}])
    plain = run_model(quiet_scenario(catalog, staffing__overtime_cap_hours=0.0))
    funded = run_model(quiet_scenario(catalog, staffing__overtime_cap_hours=0.0,
                                      reforms__funding__enabled=True,
                                      reforms__funding__coverage=0.5,
                                      reforms__funding__purchase_efficiency=1.0,
                                      reforms__funding__compliance=1.0,
                                      reforms__funding__retention=0.0,
                                      reforms__funding__lag_days=0))
    assert np.isclose(funded.ledger.total("purchased_hours"), 4 * 20 * 5.0)
    assert funded.ledger.final("backlog_hours").sum() == 0
    assert plain.ledger.final("backlog_hours").sum() > 0


def test_grid_workers_take_grid_eligible_admin_work(tmp_path):
    catalog = write_catalog(tmp_path / "c.csv", [{**DAILY, "grid_eligible": "1"}, DAILY])
    scenario = quiet_scenario(catalog, reforms__grid_delegation__enabled=True,
                              **dedicated_grid_workers(10))
    model = run_model(scenario)
    assert model.workforce.role[model.routes[:, 0]].tolist() == [GRID] * 4
    assert model.workforce.role[model.routes[:, 1]].tolist() != [GRID] * 4
    assert np.isclose(model.ledger.total("grid_hours"), 4 * 20 * 4.0)
    assert np.isclose(model.ledger.total("hours_administrative"), 4 * 20 * 4.0)


def test_digital_service_cuts_effort_of_digitisable_types_only(tmp_path):
    catalog = write_catalog(tmp_path / "c.csv", [{**DAILY, "digitisable": "1"}, DAILY])
    scenario = quiet_scenario(catalog, reforms__digital__enabled=True,
                              reforms__digital__effort_cut=0.25)
    department = CommunityWorkloadModel(scenario).departments.members[0]
    _, task, effort, *_ = department.issue(0)
    assert np.allclose(effort[task == 0], 3.0) and np.allclose(effort[task == 1], 4.0)


def test_splitting_divides_oversized_communities(tmp_path):
    catalog = write_catalog(tmp_path / "c.csv", [DAILY])
    common = dict(city__households_median=9000, city__households_max=10000)
    whole = CommunityWorkloadModel(quiet_scenario(catalog, **common))
    split = CommunityWorkloadModel(quiet_scenario(
        catalog, **common, reforms__split__enabled=True, reforms__split__max_households=5000))
    assert split.city.n_communities == 2 * whole.city.n_communities
    assert np.all(split.city.households == 4500)
    assert compute_metrics(run_model(split.settings))["staff_per_community"] == 1.0


def test_protected_time_gives_self_governance_hours_despite_assessed_work(tmp_path):
    catalog = write_catalog(tmp_path / "c.csv", [
        {**DAILY, "effort_hours": "10", "assessment_weight": "0.9"},
        {**DAILY, "kind": "self_governance", "department": "residents",
         "category": "self_governance", "effort_hours": "1"},
    ])
    common = dict(staffing__overtime_cap_hours=0.0)
    plain = compute_metrics(run_model(quiet_scenario(catalog, **common)))
    protected = compute_metrics(run_model(quiet_scenario(
        catalog, **common, reforms__protected_time__enabled=True,
        reforms__protected_time__share=0.25)))
    assert plain["selfgov_share"] == 0.0
    # 2 protected hours a day: 1 for the day's self-governance, 1 to discretionary resident
    # work (never to admin work); the other 6 hours go to admin: share 1 / (1 + 1 + 6)
    assert np.isclose(protected["selfgov_share"], 1 / 8)


def test_reforms_compose(tmp_path):
    catalog = write_catalog(tmp_path / "c.csv", [{**DAILY, "grid_eligible": "1",
                                                  "digitisable": "1"}])
    scenario = quiet_scenario(catalog, reforms__grid_delegation__enabled=True,
                              reforms__digital__enabled=True, reforms__funding__enabled=True,
                              reforms__access_list__enabled=True,
                              reforms__protected_time__enabled=True)
    model = CommunityWorkloadModel(scenario)
    assert [r.name for r in model.reforms] == ["access_list", "funding", "digital",
                                               "grid_delegation", "protected_time"]
    assert np.all(model.catalog.kind[model.allowed_from < model.days] == ADMIN)


def test_grid_work_beyond_what_grid_workers_can_absorb_stays_with_the_committee(tmp_path):
    catalog = write_catalog(tmp_path / "c.csv", [{**DAILY, "grid_eligible": "1",
                                                  "effort_hours": "6", "deadline_days": "30"}])
    scenario = quiet_scenario(catalog, reforms__grid_delegation__enabled=True,
                              **dedicated_grid_workers(1), staffing__overtime_cap_hours=0.0,
                              reforms__grid_delegation__hours_per_worker_day=2.0,
                              reforms__grid_delegation__buffer_days=5.0)
    model = run_model(scenario)
    grid = model.workforce.role[model.queue.pool] == GRID
    assert model.queue.remaining[grid].sum() <= 4 * 2.0 * 5.0 + 1e-9   # 5 days of 2 h/day each
    assert model.ledger.total("hours_administrative") > 0               # the rest, by staff
    assert np.isclose(model.ledger.total("grid_hours"), 4 * 20 * 2.0)


def test_without_grid_hours_grid_work_stays_with_the_committee(tmp_path):
    catalog = write_catalog(tmp_path / "c.csv", [{**DAILY, "grid_eligible": "1"}])
    for no_room in (dedicated_grid_workers(0), {"reforms__grid_delegation__buffer_days": 0.0}):
        model = run_model(quiet_scenario(catalog, reforms__grid_delegation__enabled=True,
                                         **no_room))
        assert model.ledger.total("grid_hours") == 0
        assert np.isclose(model.ledger.total("hours_administrative"), 4 * 20 * 4.0)


def test_overdue_work_cut_to_nothing_still_counts_as_late(tmp_path):
    catalog = write_catalog(tmp_path / "c.csv", [{**DAILY, "effort_hours": "10",
                                                  "deadline_days": "1",
                                                  "assessment_weight": "0"}])
    model = run_model(quiet_scenario(catalog, staffing__overtime_cap_hours=0.0,
                                     policy__perfunctory_cut=1.0))
    assert model.ledger.total("completed_late") == model.ledger.total("completed") > 0


def test_digital_app_duties_are_administrative_work_due_the_same_day(tmp_path):
    catalog = write_catalog(tmp_path / "c.csv", [DAILY])
    model = CommunityWorkloadModel(quiet_scenario(
        catalog, reforms__digital__enabled=True,
        reforms__digital__app_duty_hours_per_staff_week=5.0))
    model.step()
    duty = model.catalog.task_id == "DIGITAL-APP-DUTY"
    assert model.catalog.kind[duty].tolist() == [ADMIN]
    assert model.ledger.by_task[model.ledger._task_field["hours"]][duty] == 4 * 1.0


def test_digital_service_can_cost_more_than_it_saves(tmp_path):
    catalog = write_catalog(tmp_path / "c.csv", [{**DAILY, "digitisable": "1"}])
    common = dict(staffing__staff_per_community=2.0, reforms__digital__effort_cut=0.25)

    def admin_hours(**values) -> float:
        return run_model(quiet_scenario(catalog, **common, **values)).ledger.total(
            "hours_administrative")

    plain = admin_hours()
    light = admin_hours(reforms__digital__enabled=True,
                        reforms__digital__app_duty_hours_per_staff_week=1.0)
    heavy = admin_hours(reforms__digital__enabled=True,
                        reforms__digital__app_duty_hours_per_staff_week=5.0)
    assert light < plain < heavy


def test_app_duties_take_no_place_on_the_access_list(tmp_path):
    catalog = write_catalog(tmp_path / "c.csv", [{**DAILY, "assessment_weight": "0.1"}])
    model = CommunityWorkloadModel(quiet_scenario(
        catalog, reforms__access_list__enabled=True, reforms__access_list__max_admin_tasks=1,
        reforms__digital__enabled=True))
    assert model.allowed_from[0] == 0        # the catalog type keeps its place


def test_every_reform_with_a_switch_is_registered_and_builds_from_its_scenario_keys():
    from sim.parameters import PARAMETERS
    from sim.reforms import REFORMS, build_reforms
    from sim.scenario import default_scenario
    from sim.streams import Streams

    switches = {p.key.split(".")[1] for p in PARAMETERS
                if p.key.startswith("reforms.") and p.key.endswith(".enabled")}
    assert set(REFORMS) == switches
    everything = default_scenario().with_values(
        **{f"reforms__{name}__enabled": True for name in switches})
    built = build_reforms(everything, Streams(1, 0))
    assert [r.name for r in built] == sorted(REFORMS, key=lambda n: REFORMS[n].build_order)


def test_every_registered_reform_declares_its_switch_label_and_keys_in_its_own_module():
    """A reform is one module: its class names its keys (switch first), its label in every
    language and whether it can start later; the registry lists exactly those keys."""
    from dataclasses import replace

    from sim.languages import LANGS
    from sim.parameters import BY_KEY
    from sim.reforms import REFORMS

    for name, cls in REFORMS.items():
        declared = cls.all_parameters()
        switch = f"reforms.{name}.enabled"
        assert declared[0].key == switch and declared[0].kind is bool, name
        assert declared[0].default is False, name
        assert all(p.key.startswith(f"reforms.{name}.") for p in declared), name
        assert all(cls.label.pick(lang).strip() for lang in LANGS), name
        assert (f"reforms.{name}.start_day" in BY_KEY) == cls.starts_later, name
        for param in declared:       # as declared, but for the switch filled in by the registry
            assert replace(BY_KEY[param.key], needs=param.needs) == param, param.key
            assert BY_KEY[param.key].needs in (param.needs, (switch, True)), param.key
    owned = {p.key for cls in REFORMS.values() for p in cls.all_parameters()}
    unowned = [key for key in BY_KEY if key.startswith("reforms.") and key not in owned
               and not key.startswith("reforms.enforcement.")]
    assert unowned == []
