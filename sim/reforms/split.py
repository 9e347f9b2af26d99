"""Splitting oversized communities into equal parts, each with its own committee."""

from __future__ import annotations

import numpy as np

from sim.city import CityLayout
from sim.reforms.base import Reform, register
from sim.scenario import Scenario
from sim.streams import Streams


@register
class SplitCommunities(Reform):
    """Split every community above ``max_households`` into equal parts.

    Each part becomes a community with its own committee and the staffing the
    scenario gives a community, under the same relay.
    """

    name = "split"
    build_order = 0

    @classmethod
    def from_scenario(cls, scenario: Scenario, streams: Streams) -> SplitCommunities:
        return cls(scenario["reforms.split.max_households"])

    def __init__(self, max_households: float):
        self.max_households = max_households

    def reshape_city(self, city: CityLayout) -> CityLayout:
        parts = np.maximum(np.ceil(city.households / self.max_households), 1).astype(np.int64)
        return CityLayout(
            households=np.repeat(np.round(city.households / parts), parts),
            relay=np.repeat(city.relay, parts),
            relay_kind=city.relay_kind,
            origin=np.repeat(city.origin, parts),
        )
