"""Splitting oversized communities into equal parts, each with its own committee."""

from __future__ import annotations

import numpy as np

from sim.city import CityLayout
from sim.languages import Bilingual, Label
from sim.param import ASSUMPTION, Param
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
    label = Bilingual(en="Split large communities", zh="拆分超大社区")
    starts_later = False    # it reshapes the city, so it is in force from day 0
    parameters = (
        Param("reforms.split.enabled", False, bool, "split oversized communities",
              "Hefei report: some communities too large for want of a building"),
        Param("reforms.split.max_households", 6000.0, float,
              "communities above this size are split into equal parts", ASSUMPTION, 100, 1000000,
              plausible=(4000, 8000),
              label=Bilingual(en=Label("Split above", "households"),
                              zh=Label("拆分户数上限", "户"))),
    )

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
