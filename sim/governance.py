"""The Hefei report's three governance models: who sits in which pool, which pool gets what.

Each model is a class registered by its name, as the priority policies are; the
rest of the model asks a community's model what it needs instead of comparing
names:

- ``two_committees`` (Luyang, Yaohai, Baohe): one pool does everything.
- ``workstation`` (Shushan, 议行分设): a workstation pool executes administrative
  and service work, the committee keeps self-governance; spare hours are lent
  both ways (分工不分家).
- ``zone_committee`` (development zones): the community's relay is a zone
  management committee whose own service centre takes the administrative
  categories in ``governance.zone_categories`` for the zone-governed committees
  it guides.

The model is chosen per community (Hefei mixed them by district): the roster's
``governance`` column, else ``governance.by_district``, else ``governance.model``
(``assign_governance``). ``Governance`` partitions the city by model; each model
builds pools and routes only for its own communities. Every community's
committee pool comes first, at the community's own index, then each model's
further pools in registry order, so a city under one model has the pools, in the
order, that model alone always gave.

A new model is one subclass here, its name in ``sim.parameters.GOVERNANCE_MODELS``
(the list the scenario check offers; a test keeps the two equal) and its labels.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from sim.catalog import ADMIN, SELFGOV, TaskCatalog
from sim.city import USE_RULE, ZONE_COMMITTEE, CityLayout
from sim.errors import UserError
from sim.scenario import BY_DISTRICT, GOVERNANCE_MODEL, Scenario
from sim.staff import COMMITTEE, WORKSTATION, ZONE, Workforce, make_pools


def community_headcount(scenario: Scenario, households: np.ndarray) -> np.ndarray:
    """Staff per community by the scenario's rule: a flat number, or one per 1,000
    households."""
    if scenario["staffing.basis"] == "per_households":
        wanted = scenario["staffing.staff_per_1000_households"] * households / 1000
    else:
        wanted = np.full(len(households), scenario["staffing.staff_per_community"])
    return np.maximum(np.round(wanted), 0).astype(np.int64)


def city_headcount(scenario: Scenario, city: CityLayout) -> np.ndarray:
    """Staff per community: the roster's head count where it gives one, else the rule."""
    rule = community_headcount(scenario, city.households)
    return np.where(city.staff == USE_RULE, rule, city.staff).astype(np.int64)


class GovernanceModel:
    """Base class: one committee pool per community that gets every task."""

    name: ClassVar[str] = ""
    admin_role: ClassVar[int] = COMMITTEE     # the own pool administrative work goes to
    zone_relays: ClassVar[bool] = False       # needs its relay to be a zone committee

    def committee_staff(self, scenario: Scenario, staff: np.ndarray) -> np.ndarray:
        """Head count of the committee pool of each of the model's communities, given each
        community's staff."""
        return staff

    def add_pools(self, scenario: Scenario, city: CityLayout, members: np.ndarray,
                  staff: np.ndarray, workforce: Workforce) -> Workforce:
        """``workforce`` with the model's pools beyond the committees appended, for its
        communities ``members`` (with ``staff`` each)."""
        return workforce

    def route_rows(self, scenario: Scenario, catalog: TaskCatalog, city: CityLayout,
                   workforce: Workforce, members: np.ndarray) -> np.ndarray:
        """Pool index for every (community of ``members``, task type): where an instance
        lands."""
        committee = pool_of(workforce, COMMITTEE, city.n_communities)[members]
        return np.repeat(committee[:, None], len(catalog), axis=1)


class TwoCommitteesModel(GovernanceModel):
    """The committee does everything (the report's baseline districts)."""

    name = "two_committees"


class WorkstationModel(GovernanceModel):
    """A workstation beside the committee takes administrative and service work; the two
    lend each other spare hours."""

    name = "workstation"
    admin_role = WORKSTATION

    def committee_staff(self, scenario: Scenario, staff: np.ndarray) -> np.ndarray:
        return np.round(staff * scenario["governance.committee_share"]).astype(np.int64)

    def add_pools(self, scenario: Scenario, city: CityLayout, members: np.ndarray,
                  staff: np.ndarray, workforce: Workforce) -> Workforce:
        """A workstation per community, partnered with its committee (which sits at the
        community's index) for lending."""
        station = make_pools(members, city.relay[members], WORKSTATION,
                             staff - self.committee_staff(scenario, staff),
                             scenario["staffing.hours_per_day"],
                             scenario["staffing.overtime_cap_hours"])
        first = len(workforce)
        workforce = workforce.add_pools(station)
        workforce.partner[members] = first + np.arange(len(members))
        workforce.partner[first:] = members
        return workforce

    def route_rows(self, scenario: Scenario, catalog: TaskCatalog, city: CityLayout,
                   workforce: Workforce, members: np.ndarray) -> np.ndarray:
        routes = super().route_rows(scenario, catalog, city, workforce, members)
        station = pool_of(workforce, WORKSTATION, city.n_communities)[members]
        routes[:, catalog.kind != SELFGOV] = station[:, None]
        return routes


class ZoneCommitteeModel(GovernanceModel):
    """The relay is a zone management committee whose service centre handles the zone
    categories for the zone-governed communities it guides."""

    name = "zone_committee"
    zone_relays = True

    def add_pools(self, scenario: Scenario, city: CityLayout, members: np.ndarray,
                  staff: np.ndarray, workforce: Workforce) -> Workforce:
        """A service centre per zone committee, staffed per zone-governed community."""
        relays = np.flatnonzero(city.relay_kind == ZONE_COMMITTEE)
        served = np.bincount(city.relay[members], minlength=len(city.relay_kind))[relays]
        zone_staff = np.round(served * scenario["governance.zone_staff_per_community"])
        zone = make_pools(np.full(len(relays), -1), relays, ZONE, zone_staff,
                          scenario["staffing.hours_per_day"],
                          scenario["staffing.overtime_cap_hours"])
        return workforce.add_pools(zone)

    def route_rows(self, scenario: Scenario, catalog: TaskCatalog, city: CityLayout,
                   workforce: Workforce, members: np.ndarray) -> np.ndarray:
        routes = super().route_rows(scenario, catalog, city, workforce, members)
        zone_of_relay = np.full(len(city.relay_kind), -1)
        zone_pools = np.flatnonzero(workforce.role == ZONE)
        zone_of_relay[workforce.relay[zone_pools]] = zone_pools
        central = (catalog.kind == ADMIN) & np.isin(catalog.category,
                                                    scenario["governance.zone_categories"])
        routes[:, central] = zone_of_relay[city.relay[members]][:, None]
        return routes


GOVERNANCE: dict[str, GovernanceModel] = {
    model.name: model for model in (TwoCommitteesModel(), WorkstationModel(),
                                     ZoneCommitteeModel())}


@dataclass(frozen=True)
class Governance:
    """The city's governance: each model in use (registry order) and its communities."""

    parts: tuple[tuple[GovernanceModel, np.ndarray], ...]
    n_communities: int

    @classmethod
    def of(cls, city: CityLayout) -> Governance:
        """Partition the city's communities by their (assigned) governance model."""
        parts = tuple((model, members) for name, model in GOVERNANCE.items()
                      if len(members := np.flatnonzero(city.governance == name)))
        return cls(parts, city.n_communities)

    def build_workforce(self, scenario: Scenario, city: CityLayout) -> Workforce:
        """Every community's committee pool (at its own index), then each model's pools."""
        staff = city_headcount(scenario, city)
        committee = staff.copy()
        for model, members in self.parts:
            committee[members] = model.committee_staff(scenario, staff[members])
        workforce = make_pools(np.arange(city.n_communities), city.relay, COMMITTEE, committee,
                               scenario["staffing.hours_per_day"],
                               scenario["staffing.overtime_cap_hours"])
        for model, members in self.parts:
            workforce = model.add_pools(scenario, city, members, staff[members], workforce)
        return workforce

    def route_table(self, scenario: Scenario, catalog: TaskCatalog, city: CityLayout,
                    workforce: Workforce) -> np.ndarray:
        """Pool index for every (community, task type), each row by its community's model."""
        routes = np.empty((city.n_communities, len(catalog)), dtype=np.int64)
        for model, members in self.parts:
            routes[members] = model.route_rows(scenario, catalog, city, workforce, members)
        return routes

    def admin_roles(self) -> np.ndarray:
        """Each community's own pool role for administrative work (its model's)."""
        roles = np.full(self.n_communities, COMMITTEE, dtype=np.int8)
        for model, members in self.parts:
            roles[members] = model.admin_role
        return roles

    def admin_pool(self, workforce: Workforce) -> np.ndarray:
        """Each community's own pool for administrative work (where purchased help goes)."""
        pools = np.full(self.n_communities, -1, dtype=np.int64)
        for model, members in self.parts:
            pools[members] = pool_of(workforce, model.admin_role, self.n_communities)[members]
        return pools


def assign_governance(city: CityLayout, scenario: Scenario) -> CityLayout:
    """The city with every community's model filled in: the roster's, else its district's
    in ``governance.by_district``, else ``governance.model``."""
    by_district = scenario[BY_DISTRICT]
    where = f"{scenario.path or scenario.name}: {BY_DISTRICT}"
    known = set(city.district.tolist()) - {""}
    unknown = [name for name in by_district if name not in known]
    if unknown:
        listed = (f"the city's districts are {', '.join(sorted(known))}" if known else
                  "the city has no districts (the synthetic city has none: give a city.roster)")
        raise UserError(f"{where}: district(s) {', '.join(map(repr, unknown))} not in the city; "
                        f"{listed}")
    default = scenario[GOVERNANCE_MODEL]
    fallback = np.array([by_district.get(d, default) for d in city.district.tolist()],
                        dtype=object)
    governance = np.where(city.governance == "", fallback, city.governance).astype(object)
    _check_zone_relays(city, governance, by_district, scenario)
    return city.with_columns(governance=governance)


def _check_zone_relays(city: CityLayout, governance: np.ndarray, by_district: dict[str, str],
                       scenario: Scenario) -> None:
    """A community whose model needs a zone committee as relay (its service centre) has one;
    the message names the community and the setting that gave it the model."""
    needs_zone = np.array([GOVERNANCE[name].zone_relays for name in governance.tolist()],
                          dtype=bool)
    wrong = np.flatnonzero(needs_zone & (city.relay_kind[city.relay] != ZONE_COMMITTEE))
    if not len(wrong):
        return
    first = wrong[0]
    district = city.district[first]
    key = f"{BY_DISTRICT}.{district}" if district in by_district else GOVERNANCE_MODEL
    raise UserError(f"{scenario.path or scenario.name}: {key} = {governance[first]!r} gives "
                    f"community {city.community_id[first]!r} (and {len(wrong) - 1} more) a model "
                    f"that needs a zone_committee relay, but its relay "
                    f"{city.relay_name[city.relay[first]]!r} is a street_office; expected "
                    f"{street_models()} there")


def street_models() -> str:
    """The models a community under a street office may have, for messages."""
    return "one of " + ", ".join(name for name, model in GOVERNANCE.items()
                                 if not model.zone_relays)


def pool_of(workforce: Workforce, role: int, n_communities: int) -> np.ndarray:
    """Each community's pool of ``role`` (-1 where it has none)."""
    pools = np.flatnonzero(workforce.role == role)
    lookup = np.full(n_communities, -1, dtype=np.int64)
    lookup[workforce.community[pools]] = pools
    return lookup
