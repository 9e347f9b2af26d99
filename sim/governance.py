"""The Hefei report's three governance models: who sits in which pool, which pool gets what.

Each model is a class registered by its name (``governance.model``), as the
priority policies are; the rest of the model asks the scenario's model what it
needs instead of comparing names:

- ``two_committees`` (Luyang, Yaohai, Baohe): one pool does everything.
- ``workstation`` (Shushan, 议行分设): a workstation pool executes administrative
  and service work, the committee keeps self-governance; spare hours are lent
  both ways (分工不分家).
- ``zone_committee`` (development zones): every relay is a zone management
  committee whose own service centre takes the administrative categories in
  ``governance.zone_categories`` for all the committees it guides.

A new model is one subclass here, its name in ``sim.parameters.GOVERNANCE_MODELS``
(the list the scenario check offers; a test keeps the two equal) and its labels.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from sim.catalog import ADMIN, SELFGOV, TaskCatalog
from sim.city import CityLayout
from sim.scenario import Scenario
from sim.staff import COMMITTEE, WORKSTATION, ZONE, Workforce, make_pools


def community_headcount(scenario: Scenario, households: np.ndarray) -> np.ndarray:
    """Staff per community: a flat number, or a number per 1,000 households."""
    if scenario["staffing.basis"] == "per_households":
        wanted = scenario["staffing.staff_per_1000_households"] * households / 1000
    else:
        wanted = np.full(len(households), scenario["staffing.staff_per_community"])
    return np.maximum(np.round(wanted), 0).astype(np.int64)


class GovernanceModel:
    """Base class: one committee pool per community that gets every task."""

    name: ClassVar[str] = ""
    admin_role: ClassVar[int] = COMMITTEE     # the own pool administrative work goes to
    zone_relays: ClassVar[bool] = False       # every relay a zone management committee

    def build_workforce(self, scenario: Scenario, city: CityLayout) -> Workforce:
        """The pools of every community (and zone committee)."""
        return make_pools(np.arange(city.n_communities), city.relay, COMMITTEE,
                          community_headcount(scenario, city.households),
                          scenario["staffing.hours_per_day"],
                          scenario["staffing.overtime_cap_hours"])

    def route_table(self, scenario: Scenario, catalog: TaskCatalog, city: CityLayout,
                    workforce: Workforce) -> np.ndarray:
        """Pool index for every (community, task type): where an instance lands."""
        committee = pool_of(workforce, COMMITTEE, city.n_communities)
        return np.repeat(committee[:, None], len(catalog), axis=1)

    def admin_pool(self, workforce: Workforce, n_communities: int) -> np.ndarray:
        """Each community's own pool for administrative work (where purchased help goes)."""
        return pool_of(workforce, self.admin_role, n_communities)


class TwoCommitteesModel(GovernanceModel):
    """The committee does everything (the report's baseline districts)."""

    name = "two_committees"


class WorkstationModel(GovernanceModel):
    """A workstation beside the committee takes administrative and service work; the two
    lend each other spare hours."""

    name = "workstation"
    admin_role = WORKSTATION

    def build_workforce(self, scenario: Scenario, city: CityLayout) -> Workforce:
        hours = scenario["staffing.hours_per_day"]
        overtime = scenario["staffing.overtime_cap_hours"]
        staff = community_headcount(scenario, city.households)
        communities = np.arange(city.n_communities)
        committee_staff = np.round(staff * scenario["governance.committee_share"]).astype(np.int64)
        committee = make_pools(communities, city.relay, COMMITTEE, committee_staff, hours, overtime)
        station = make_pools(communities, city.relay, WORKSTATION, staff - committee_staff,
                             hours, overtime)
        workforce = committee.add_pools(station)
        n = city.n_communities
        workforce.partner[:n] = communities + n
        workforce.partner[n:] = communities
        return workforce

    def route_table(self, scenario: Scenario, catalog: TaskCatalog, city: CityLayout,
                    workforce: Workforce) -> np.ndarray:
        routes = super().route_table(scenario, catalog, city, workforce)
        station = pool_of(workforce, WORKSTATION, city.n_communities)
        routes[:, catalog.kind != SELFGOV] = station[:, None]
        return routes


class ZoneCommitteeModel(GovernanceModel):
    """Every relay is a zone management committee whose service centre handles the zone
    categories for all its communities."""

    name = "zone_committee"
    zone_relays = True

    def build_workforce(self, scenario: Scenario, city: CityLayout) -> Workforce:
        workforce = super().build_workforce(scenario, city)
        relays = np.arange(len(city.relay_kind))
        served = np.bincount(city.relay, minlength=len(relays))
        zone_staff = np.round(served * scenario["governance.zone_staff_per_community"])
        zone = make_pools(np.full(len(relays), -1), relays, ZONE, zone_staff,
                          scenario["staffing.hours_per_day"],
                          scenario["staffing.overtime_cap_hours"])
        return workforce.add_pools(zone)

    def route_table(self, scenario: Scenario, catalog: TaskCatalog, city: CityLayout,
                    workforce: Workforce) -> np.ndarray:
        routes = super().route_table(scenario, catalog, city, workforce)
        zone_of_relay = np.full(len(city.relay_kind), -1)
        zone_pools = np.flatnonzero(workforce.role == ZONE)
        zone_of_relay[workforce.relay[zone_pools]] = zone_pools
        central = (catalog.kind == ADMIN) & np.isin(catalog.category,
                                                    scenario["governance.zone_categories"])
        routes[:, central] = zone_of_relay[city.relay][:, None]
        return routes


GOVERNANCE: dict[str, GovernanceModel] = {
    model.name: model for model in (TwoCommitteesModel(), WorkstationModel(),
                                     ZoneCommitteeModel())}


def governance_of(scenario: Scenario) -> GovernanceModel:
    """The scenario's governance model."""
    return GOVERNANCE[scenario["governance.model"]]


def pool_of(workforce: Workforce, role: int, n_communities: int) -> np.ndarray:
    """Each community's pool of ``role`` (-1 where it has none)."""
    pools = np.flatnonzero(workforce.role == role)
    lookup = np.full(n_communities, -1, dtype=np.int64)
    lookup[workforce.community[pools]] = pools
    return lookup
