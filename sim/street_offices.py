"""Street offices (街道) and zone management committees: relays from departments to communities.

A street office is the report's "二传手": it passes every task on, with
responsibility but no power or money of its own. Under the zone model a zone
management committee also runs a service centre (a staff pool) that handles
some administrative categories for all the committees it guides. Reforms act
at this level (an access list refuses, funding pays), vectorised over all
relays in the model's daily step.
"""

from __future__ import annotations

import mesa
import numpy as np


class StreetOffice(mesa.Agent):
    """Relays tasks to the communities it leads."""

    kind = "street_office"

    def __init__(self, model: mesa.Model, index: int, communities: np.ndarray):
        super().__init__(model)
        self.index = index
        self.communities = communities


class ZoneCommittee(StreetOffice):
    """A development-zone community management committee (社区管理委员会)."""

    kind = "zone_committee"
