"""The Hefei report's three governance models: who sits in which pool, which pool gets what.

- ``two_committees`` (Luyang, Yaohai, Baohe): one pool does everything.
- ``workstation`` (Shushan, 议行分设): a workstation pool executes administrative
  and service work, the committee keeps self-governance; spare hours are lent
  both ways (分工不分家).
- ``zone_committee`` (development zones): every relay is a zone management
  committee whose own service centre takes the administrative categories in
  ``governance.zone_categories`` for all the committees it guides.
"""

from __future__ import annotations

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


def build_workforce(scenario: Scenario, city: CityLayout) -> Workforce:
    """The pools of every community (and zone committee) under the scenario's model."""
    model = scenario["governance.model"]
    hours, overtime = scenario["staffing.hours_per_day"], scenario["staffing.overtime_cap_hours"]
    staff = community_headcount(scenario, city.households)
    communities = np.arange(city.n_communities)
    if model == "workstation":
        committee_staff = np.round(staff * scenario["governance.committee_share"]).astype(np.int64)
        committee = make_pools(communities, city.relay, COMMITTEE, committee_staff, hours, overtime)
        station = make_pools(communities, city.relay, WORKSTATION, staff - committee_staff,
                             hours, overtime)
        workforce = committee.add_pools(station)
        n = city.n_communities
        workforce.partner[:n] = communities + n
        workforce.partner[n:] = communities
        return workforce
    workforce = make_pools(communities, city.relay, COMMITTEE, staff, hours, overtime)
    if model == "zone_committee":
        relays = np.arange(len(city.relay_kind))
        served = np.bincount(city.relay, minlength=len(relays))
        zone_staff = np.round(served * scenario["governance.zone_staff_per_community"])
        zone = make_pools(np.full(len(relays), -1), relays, ZONE, zone_staff, hours, overtime)
        workforce = workforce.add_pools(zone)
    return workforce


def route_table(scenario: Scenario, catalog: TaskCatalog, city: CityLayout,
                workforce: Workforce) -> np.ndarray:
    """Pool index for every (community, task type): where an instance lands."""
    committee = _pool_of(workforce, COMMITTEE, city.n_communities)
    routes = np.repeat(committee[:, None], len(catalog), axis=1)
    model = scenario["governance.model"]
    if model == "workstation":
        station = _pool_of(workforce, WORKSTATION, city.n_communities)
        not_selfgov = catalog.kind != SELFGOV
        routes[:, not_selfgov] = station[:, None]
    elif model == "zone_committee":
        zone_of_relay = np.full(len(city.relay_kind), -1)
        zone_pools = np.flatnonzero(workforce.role == ZONE)
        zone_of_relay[workforce.relay[zone_pools]] = zone_pools
        central = (catalog.kind == ADMIN) & np.isin(catalog.category,
                                                    scenario["governance.zone_categories"])
        routes[:, central] = zone_of_relay[city.relay][:, None]
    return routes


def admin_role(scenario: Scenario) -> int:
    """The role of a community's own pool for administrative work: the workstation where
    there is one (议行分设), else the committee."""
    return WORKSTATION if scenario["governance.model"] == "workstation" else COMMITTEE


def admin_pool(scenario: Scenario, workforce: Workforce, n_communities: int) -> np.ndarray:
    """Each community's own pool for administrative work (where purchased help goes)."""
    return _pool_of(workforce, admin_role(scenario), n_communities)


def _pool_of(workforce: Workforce, role: int, n_communities: int) -> np.ndarray:
    pools = np.flatnonzero(workforce.role == role)
    lookup = np.full(n_communities, -1, dtype=np.int64)
    lookup[workforce.community[pools]] = pools
    return lookup
