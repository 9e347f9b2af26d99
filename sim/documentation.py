"""Documentation load (留痕): the part of assessed administrative work that is paperwork.

A task type's documentation share at the baseline is ``committees.documentation_share``
times its assessment weight: ledgers, photos and forms follow what is checked. The
catalog's efforts hold the baseline's documentation, so at ``policy.assessment_intensity``
1 efforts are unchanged and the paperwork is only counted; at intensity k the
documentation part of each effort is k times as large. A reform that cuts assessments by
a share c (fewer assessments, merged inspections) lowers the intensity to k (1 - c).
"""

from __future__ import annotations

import numpy as np

from sim.catalog import ADMIN, TaskCatalog
from sim.scenario import Scenario


class Documentation:
    """Effort factors and paperwork shares per task type, at any cut in assessments."""

    def __init__(self, catalog: TaskCatalog, settings: Scenario):
        self.base = np.where(catalog.kind == ADMIN, settings["committees.documentation_share"]
                             * catalog.assessment_weight, 0.0)
        self.intensity = settings["policy.assessment_intensity"]
        self._shares: dict[float, np.ndarray] = {}

    def factor(self, cut: float = 0.0) -> np.ndarray:
        """Effort per type relative to the catalog's, with assessments cut by ``cut``."""
        return 1.0 + self.base * (self.intensity * (1.0 - cut) - 1.0)

    @property
    def effort_factor(self) -> np.ndarray:
        """Effort per type relative to the catalog's at the scenario's intensity."""
        return self.factor()

    def share(self, cut: float = 0.0) -> np.ndarray:
        """Documentation share of each type's effort, with assessments cut by ``cut``."""
        if cut not in self._shares:
            factor = self.factor(cut)
            self._shares[cut] = np.divide(self.base * self.intensity * (1.0 - cut), factor,
                                          out=np.zeros(len(factor)), where=factor > 0)
        return self._shares[cut]

    def hours(self, task: np.ndarray, effort: np.ndarray, cut: float = 0.0) -> np.ndarray:
        """Documentation hours within each instance's effort."""
        return effort * self.share(cut)[task]
