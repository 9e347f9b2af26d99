"""The city's layout: community sizes and which street office or zone committee relays to each.

Households are drawn once per replicate from the "city" stream, before any
reform reshapes the city, so a reform such as splitting oversized communities
acts on the same city the baseline has.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.scenario import Scenario
from sim.streams import Streams

STREET_OFFICE, ZONE_COMMITTEE = 0, 1


@dataclass(frozen=True)
class CityLayout:
    """Per-community arrays plus the kind of each relay."""

    households: np.ndarray     # float, households per community
    relay: np.ndarray          # int, relay index per community
    relay_kind: np.ndarray     # STREET_OFFICE / ZONE_COMMITTEE per relay
    origin: np.ndarray         # index of the community it was drawn as (differs after splits)

    @property
    def n_communities(self) -> int:
        return len(self.households)


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
    committee when the governance model says so)."""
    households = draw_households(scenario, streams.get("city"))
    n_street, n_zone = scenario["city.street_offices"], scenario["city.zone_committees"]
    if zone_relays:
        n_street, n_zone = 0, n_street + n_zone
    n_relays = n_street + n_zone
    n = len(households)
    relay = (np.arange(n) * n_relays) // n
    relay_kind = np.array([STREET_OFFICE] * n_street + [ZONE_COMMITTEE] * n_zone, dtype=np.int8)
    return CityLayout(households, relay, relay_kind, np.arange(n))
