"""Communities (社区居民委员会) as Mesa agents: households, relay, governance and staff pools.

The daily work of all communities runs vectorised in the model's queue, so a
community agent is the handle through which one reads a single committee's
state: its size, its staff now, its open work.
"""

from __future__ import annotations

import mesa
import numpy as np


class Community(mesa.Agent):
    """One residents' committee and the pools of people who work for it."""

    def __init__(self, model: mesa.Model, index: int, households: float, relay: int,
                 pools: np.ndarray):
        super().__init__(model)
        self.index = index
        self.households = households
        self.relay = relay
        self.pools = pools

    @property
    def staff(self) -> int:
        """Committee and workstation staff at work now."""
        workforce = self.model.workforce
        own = self.pools[workforce.is_community_staff[self.pools]]
        return int(workforce.staff[own].sum())

    @property
    def open_items(self) -> int:
        return int(np.count_nonzero(self.model.queue.community == self.index))

    @property
    def backlog_hours(self) -> float:
        queue = self.model.queue
        return float(queue.remaining[queue.community == self.index].sum())
