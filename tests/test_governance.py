"""The three governance models: pools, routing, lending and the zone committee's centre."""

from __future__ import annotations

import numpy as np

from sim.catalog import SELFGOV
from sim.model import CommunityWorkloadModel
from sim.staff import COMMITTEE, WORKSTATION, ZONE
from tests.conftest import quiet_scenario, run_model, write_catalog

MIXED = [
    {"category": "social_insurance", "department": "human_resources"},
    {"category": "statistics_census"},
    {"kind": "service", "department": "residents", "category": "services_elderly"},
    {"kind": "self_governance", "department": "residents", "category": "self_governance"},
]


def pool_roles(model, community=0):
    return model.workforce.role[model.routes[community]].tolist()


def test_two_committees_route_everything_to_one_pool(tmp_path):
    model = CommunityWorkloadModel(quiet_scenario(write_catalog(tmp_path / "c.csv", MIXED)))
    assert pool_roles(model) == [COMMITTEE] * 4
    assert len(model.workforce) == 4


def test_workstation_takes_admin_and_services_committee_keeps_self_governance(tmp_path):
    scenario = quiet_scenario(write_catalog(tmp_path / "c.csv", MIXED),
                              governance__model="workstation",
                              staffing__staff_per_community=15.0)
    model = CommunityWorkloadModel(scenario)
    assert pool_roles(model) == [WORKSTATION, WORKSTATION, WORKSTATION, COMMITTEE]
    own = model.workforce.community == 0
    assert sorted(model.workforce.staff[own].tolist()) == [5, 10]


def test_workstation_pools_lend_spare_hours(tmp_path):
    catalog = write_catalog(tmp_path / "c.csv", [{"period_days": "1", "effort_hours": "16",
                                                  "effort_spread": "0", "deadline_days": "50"}])
    hours = {}
    for share in (0.0, 0.5):
        scenario = quiet_scenario(catalog, governance__model="workstation",
                                  staffing__staff_per_community=2.0,
                                  governance__committee_share=0.5,
                                  governance__lending_share=share)
        hours[share] = run_model(scenario).ledger.total("hours_administrative")
    assert hours[0.0] == 4 * 20 * 8.0          # the workstation's own 8 hours a day
    assert hours[0.5] == 4 * 20 * 12.0         # plus half the committee's idle 8


def test_zone_committee_centre_handles_its_categories_for_all_its_committees(tmp_path):
    scenario = quiet_scenario(write_catalog(tmp_path / "c.csv", MIXED),
                              governance__model="zone_committee",
                              governance__zone_categories=["social_insurance"])
    model = CommunityWorkloadModel(scenario)
    zone_pools = {int(model.routes[c, 0]) for c in range(4)}
    assert all(model.workforce.role[p] == ZONE for p in zone_pools)
    assert len(zone_pools) == 2                 # one per relay, shared by its committees
    assert pool_roles(model)[1:] == [COMMITTEE] * 3


def test_zone_centre_hours_are_not_committee_hours(tmp_path):
    scenario = quiet_scenario(write_catalog(tmp_path / "c.csv", MIXED[:1]),
                              governance__model="zone_committee",
                              governance__zone_categories=["social_insurance"])
    model = run_model(scenario)
    assert model.ledger.total("zone_hours") > 0
    assert model.ledger.total("hours_administrative") == 0


def test_every_model_keeps_self_governance_with_the_committee(tmp_path):
    catalog = write_catalog(tmp_path / "c.csv", MIXED)
    for name in ("two_committees", "workstation", "zone_committee"):
        model = CommunityWorkloadModel(quiet_scenario(catalog, governance__model=name))
        selfgov = np.flatnonzero(model.catalog.kind == SELFGOV)
        assert np.all(model.workforce.role[model.routes[:, selfgov]] == COMMITTEE)


def test_every_governance_model_the_scenario_offers_is_a_registered_class():
    from sim.governance import GOVERNANCE
    from sim.parameters import GOVERNANCE_MODELS

    assert tuple(GOVERNANCE) == GOVERNANCE_MODELS
    assert all(model.name == name for name, model in GOVERNANCE.items())
