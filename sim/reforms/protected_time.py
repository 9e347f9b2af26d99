"""Protected time: a share of regular hours administrative work may not take."""

from __future__ import annotations

import numpy as np

from sim.city import CityLayout
from sim.languages import Bilingual, Label
from sim.param import ASSUMPTION, Param
from sim.reforms.base import EnforcementFactory, Reform, enforcement_factory, register
from sim.scenario import Scenario
from sim.streams import Streams


@register
class ProtectedTime(Reform):
    """A ``share`` of every pool's regular hours that administrative work may not take.

    Protected hours go to self-governance first, then to services; what is
    left of them the committee spends on discretionary resident work (a floor on
    resident work, see ``Committees``), never on admin work. Each street office
    honours the share as far as it enforces the reform, so protection erodes as
    inspections lapse.
    """

    name = "protected_time"
    policy_keys = ("reforms.protected_time.share",)   # the reform's size, chosen, not uncertain
    build_order = 5
    label = Bilingual(en="Protected self-gov. time", zh="自治保障时间")
    parameters = (
        Param("reforms.protected_time.enabled", False, bool,
              "a share of staff hours that administrative work may not take", "DOMAIN.md"),
        Param("reforms.protected_time.share", 0.2, float,
              "share of each pool's regular hours kept for self-governance", ASSUMPTION, 0, 1,
              plausible=(0.1, 0.3),
              label=Bilingual(en=Label("Protected time share", "%"),
                              zh=Label("自治保障时间比例", "%"))),
    )

    @classmethod
    def from_scenario(cls, scenario: Scenario, streams: Streams) -> ProtectedTime:
        return cls(scenario["reforms.protected_time.share"],
                   enforcement_factory(scenario, streams, cls.name))

    def __init__(self, share: float, enforcement: EnforcementFactory):
        self.share = share
        self._make_enforcement = enforcement

    def start(self, city: CityLayout) -> None:
        self.enforcement = self._make_enforcement(len(city.relay_kind), self.start_day)

    def protected(self, day: int, relay: np.ndarray) -> np.ndarray:
        return self.share * self._enforcement().level(day)[relay]
