"""Fewer assessments and merged inspections: less assessing, less documentation."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from sim.catalog import TaskCatalog
from sim.documentation import Documentation
from sim.languages import Bilingual
from sim.param import Param
from sim.reforms.base import Reform, register
from sim.scenario import Scenario
from sim.streams import Streams


@register
class FewerAssessments(Reform):
    """Fewer assessments and merged inspections: street offices assess ``cut`` less often,
    and the documentation kept for assessment shrinks by the same share (``Documentation``:
    the assessment intensity falls by ``cut``)."""

    name = "fewer_assessments"
    policy_keys = ("reforms.fewer_assessments.cut",)   # the reform's size, chosen, not uncertain
    build_order = 6
    label = Bilingual(en="Fewer assessments", zh="精简考核")
    parameters = (
        Param("reforms.fewer_assessments.enabled", False, bool,
              "fewer assessments and merged inspections: street offices assess less often and "
              "assessed work needs less documentation",
              "MECHANISMS.md §3: Pingxiang 2019 cut its assessment plan 70 to 41; Fujian cut "
              "inspections by 50%+ (2019)"),
        Param("reforms.fewer_assessments.cut", 0.4, float,
              "share by which assessments (and the documentation kept for them) are cut",
              "Pingxiang 2019: 70 to 41 assessments (-41%); Fujian 2019: inspections -50%+",
              0, 0.99, plausible=(0.3, 0.6)),
    )

    @classmethod
    def from_scenario(cls, scenario: Scenario, streams: Streams) -> FewerAssessments:
        return cls(scenario["reforms.fewer_assessments.cut"],
                   lambda catalog: Documentation(catalog, scenario))

    def __init__(self, cut: float, documentation: Callable[[TaskCatalog], Documentation]):
        self.assessment_cut = cut
        self._documentation = documentation

    def effort_factor(self, catalog: TaskCatalog) -> np.ndarray:
        documentation = self._documentation(catalog)
        return documentation.factor(self.assessment_cut) / documentation.factor()
