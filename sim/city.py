"""The city's layout: who each community is, its size, and which relay passes work to it.

A city comes from one of two places. The synthetic city (no ``city.roster``)
draws households once per replicate from the "city" stream, before any reform
reshapes the city, so a reform such as splitting oversized communities acts on
the same city the baseline has. A roster (``sim.roster``) lists real
communities instead, each with its own district, relay, staff and governance
model. Either way the result is one ``CityLayout`` of per-community arrays.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any, cast

import numpy as np

from sim.scenario import Scenario
from sim.streams import Streams

STREET_OFFICE, ZONE_COMMITTEE = 0, 1
RELAY_KINDS = ("street_office", "zone_committee")    # names of the codes above, in order
USE_RULE = -1           # a staff entry meaning: the scenario's staffing rule sets the head count
# The fields that are not one entry per community (``repeat`` leaves them alone).
PER_RELAY = ("relay_kind", "relay_name")


@dataclass(frozen=True)
class CityLayout:
    """Per-community arrays plus the kind and name of each relay.

    Identity and optional facts travel with every community so that reforms that
    reshape the city, the agents and any table of results can say which real
    community a row is. Numbers a roster may leave out are NaN (floats) or
    ``USE_RULE`` (staff); the model then falls back on the scenario's rules.
    """

    households: np.ndarray     # float, households per community
    relay: np.ndarray          # int, relay index per community
    relay_kind: np.ndarray     # STREET_OFFICE / ZONE_COMMITTEE per relay
    origin: np.ndarray         # index of the community it was drawn as (differs after splits)
    community_id: np.ndarray   # str, unique per community ("C001"; "C001/2" after a split)
    name: np.ndarray           # str, display name
    district: np.ndarray       # str, district ("" when none is known)
    governance: np.ndarray     # str, governance model name ("" until assigned)
    staff: np.ndarray          # int, head count, or USE_RULE for the scenario's staffing rule
    grid_workers: np.ndarray   # float, dedicated grid workers, NaN = not given
    space_m2: np.ndarray       # float, service space, NaN = not given
    funds_yuan: np.ndarray     # float, yearly working funds, NaN = not given
    relay_name: np.ndarray     # str per relay ("S01", "Z01" or the roster's name)

    @property
    def n_communities(self) -> int:
        return len(self.households)

    def repeat(self, counts: np.ndarray) -> CityLayout:
        """Every community repeated ``counts`` times in place (the relays unchanged)."""
        changes = {f.name: np.repeat(getattr(self, f.name), counts)
                   for f in fields(self) if f.name not in PER_RELAY}
        return self.with_columns(**changes)

    def with_columns(self, **columns: np.ndarray) -> CityLayout:
        # Only array columns are passed; mypy checks ** values against every field.
        return replace(self, **cast(dict[str, Any], columns))


def draw_households(scenario: Scenario, rng: np.random.Generator) -> np.ndarray:
    """Most communities log-normal around the median; a tail log-uniform up to the maximum.

    The report gives the bulk (3,000-5,000 households) and the maximum (15,000);
    the shape in between is an assumption documented in docs/model.md.
    """
    n = scenario["city.communities"]
    low, high = scenario["city.households_min"], scenario["city.households_max"]
    median = scenario["city.households_median"]
    ordinary = rng.lognormal(np.log(median), scenario["city.households_sigma"], n)
    tail_low = min(1.5 * median, high)
    tail = np.exp(rng.uniform(np.log(tail_low), np.log(high), n))
    is_large = rng.random(n) < scenario["city.large_share"]
    return np.clip(np.where(is_large, tail, ordinary), low, high).round()


def build_city(scenario: Scenario, streams: Streams, zone_relays: bool = False) -> CityLayout:
    """Draw the communities and spread them evenly over the relays (every relay a zone
    committee when the governance model says so).

    The synthetic communities are named by number (``C001``, ...), have no
    district, follow the staffing rule and get ``governance.model``; relays are
    ``S01``... (street offices) then ``Z01``... (zone committees).
    """
    households = draw_households(scenario, streams.get("city"))
    n_street, n_zone = scenario["city.street_offices"], scenario["city.zone_committees"]
    if zone_relays:
        n_street, n_zone = 0, n_street + n_zone
    n_relays = n_street + n_zone
    n = len(households)
    relay = (np.arange(n) * n_relays) // n
    relay_kind = np.array([STREET_OFFICE] * n_street + [ZONE_COMMITTEE] * n_zone, dtype=np.int8)
    ids = numbered("C", n, 3)
    missing = np.full(n, np.nan)
    return CityLayout(households, relay, relay_kind, np.arange(n), community_id=ids,
                      name=ids.copy(), district=np.full(n, "", dtype=object),
                      governance=np.full(n, scenario["governance.model"], dtype=object),
                      staff=np.full(n, USE_RULE, dtype=np.int64), grid_workers=missing,
                      space_m2=missing.copy(), funds_yuan=missing.copy(),
                      relay_name=np.concatenate([numbered("S", n_street, 2),
                                                 numbered("Z", n_zone, 2)]))


def numbered(prefix: str, count: int, digits: int) -> np.ndarray:
    """``count`` names ``prefix`` + a number from 1, zero-padded to at least ``digits`` (more
    when the count needs them), so that the names sort in their order."""
    width = max(len(str(count)), digits)
    return np.array([f"{prefix}{i:0{width}d}" for i in range(1, count + 1)], dtype=object)
