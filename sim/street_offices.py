"""Street offices (街道) and zone management committees: relays from departments to communities.

A street office is the report's "二传手": it passes every task on, with
responsibility but no power or money of its own. Under the zone model a zone
management committee also runs a service centre (a staff pool) that handles
some administrative categories for all the committees it guides.

``Relays`` is the agent type as a whole: each day it passes the departments'
instances on, vectorised over all relays, refusing what an access list bars
(reforms act at this level) bar what leaks through informal channels.
``StreetOffice`` and ``ZoneCommittee`` are the Mesa agents, one handle per relay.
"""

from __future__ import annotations

import mesa
import numpy as np

from sim.departments import Batch
from sim.ledger import Ledger
from sim.reforms import Reform, Schedule, active


class Relays:
    """Pass issued work on to communities, less what the access list refuses."""

    def __init__(self, admission: Schedule[np.ndarray], reforms: list[Reform],
                 leak_rng: np.random.Generator, ledger: Ledger):
        self.admission = admission    # per day: first day each task type may reach communities
        self.reforms = reforms
        self.leak_rng = leak_rng
        self.ledger = ledger

    def pass_on(self, day: int, issued: Batch) -> Batch:
        """The instances that reach communities today; refusals are recorded, not passed."""
        refused = day < self.admission.at(day)[issued.task]
        for reform in active(self.reforms, day):
            refused &= ~reform.leak(refused, self.leak_rng)
        ledger = self.ledger
        ledger.add(day, "issued", issued.community)
        ledger.add(day, "refused", issued.community[refused])
        ledger.add_task("issued", issued.task)
        ledger.add_task("refused", issued.task[refused])
        return issued.where(~refused)


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
