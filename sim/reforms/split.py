"""Splitting oversized communities into equal parts, each with its own committee."""

from __future__ import annotations

import numpy as np

from sim.city import USE_RULE, CityLayout
from sim.languages import Bilingual, Label
from sim.param import ASSUMPTION, Param
from sim.reforms.base import Reform, register
from sim.scenario import Scenario
from sim.streams import Streams


@register
class SplitCommunities(Reform):
    """Split every community above ``max_households`` into equal parts.

    Each part becomes a community with its own committee under the same relay,
    keeping the district and governance model of the community it came from;
    its id and name are the original's with ``/1``, ``/2``... appended (an unsplit
    community keeps both). A rostered head count, grid workers, space and funds are
    divided equally among the parts (head counts rounded down, the remainder to
    the first parts, so the total is kept); a community on the staffing rule
    gets the rule's staffing for each part's size.
    """

    name = "split"
    policy_keys = ("reforms.split.max_households",)   # the reform's size, chosen, not uncertain
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
        split = city.repeat(parts)
        part = np.arange(len(split.households)) - np.repeat(np.cumsum(parts) - parts, parts)
        count = np.repeat(parts, parts)
        return split.with_columns(
            households=np.round(split.households / count),
            community_id=numbered_parts(split.community_id, part, count),
            name=numbered_parts(split.name, part, count),
            staff=np.where(split.staff == USE_RULE, USE_RULE,
                           split.staff // count + (part < split.staff % count)),
            grid_workers=split.grid_workers / count, space_m2=split.space_m2 / count,
            funds_yuan=split.funds_yuan / count)


def numbered_parts(names: np.ndarray, part: np.ndarray, count: np.ndarray) -> np.ndarray:
    """``names`` with the part number appended where a community was split in ``count``."""
    return np.array([name if n == 1 else f"{name}/{p + 1}"
                     for name, p, n in zip(names.tolist(), part.tolist(), count.tolist(),
                                           strict=True)], dtype=object)
