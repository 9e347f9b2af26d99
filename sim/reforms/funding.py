"""Funding follows the task (费随事转): money for pushed-down work buys purchased help."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from sim.catalog import TaskCatalog
from sim.city import CityLayout
from sim.reforms.base import Purchase, Reform, register
from sim.scenario import Scenario
from sim.streams import Streams


@register
class FundingFollowsTask(Reform):
    """Funding follows the task (费随事转), as it works through the street offices.

    Departments that comply (each with probability ``compliance``, drawn once)
    pay ``coverage`` of the formal administrative hours they push down, at the
    price of an hour of purchased help. The street office keeps ``retention`` of
    the money and passes the rest on after ``lag_days``. A community's money
    buys purchased help (contract staff, social organisations) delivering
    ``purchase_efficiency`` hours per paid hour, but no more than its relay's
    providers can supply (``providers_per_community`` full-time equivalents per
    community the relay leads, shared in proportion to what each can pay for);
    unspent money stays in the community's account. Informal work brings no money.
    """

    name = "funding"
    build_order = 2

    @classmethod
    def from_scenario(cls, scenario: Scenario, streams: Streams) -> FundingFollowsTask:
        key = "reforms.funding."
        return cls(scenario[key + "coverage"], scenario[key + "purchase_efficiency"],
                   scenario[key + "compliance"], scenario[key + "retention"],
                   scenario[key + "lag_days"], scenario[key + "providers_per_community"],
                   scenario["staffing.hours_per_day"], scenario["costs.purchased_hour_yuan"],
                   streams.get("funding", "compliance"))

    def __init__(self, coverage: float, purchase_efficiency: float, compliance: float,
                 retention: float, lag_days: int, providers_per_community: float,
                 hours_per_day: float, price_yuan: float, rng: np.random.Generator):
        self.coverage = coverage
        self.purchase_efficiency = purchase_efficiency
        self.compliance = compliance
        self.retention = retention
        self.lag_days = lag_days
        self.providers_per_community = providers_per_community
        self.hours_per_day = hours_per_day
        self.price_yuan = price_yuan
        self._rng = rng
        self._paying: np.ndarray = np.empty(0, dtype=bool)
        self._pipeline: np.ndarray = np.zeros((lag_days + 1, 0))
        self._balance: np.ndarray = np.zeros(0)
        self._relay: np.ndarray = np.empty(0, dtype=np.int64)
        self._supply: np.ndarray = np.zeros(0)

    def start(self, city: CityLayout) -> None:
        self._pipeline = np.zeros((self.lag_days + 1, city.n_communities))
        self._balance = np.zeros(city.n_communities)
        self._relay = city.relay
        communities = np.bincount(city.relay, minlength=len(city.relay_kind))
        self._supply = communities * self.providers_per_community * self.hours_per_day

    def on_catalog(self, catalog: TaskCatalog, made_by_reforms: ArrayLike = ()) -> None:
        departments = catalog.departments()
        pays = self._rng.random(len(departments)) < self.compliance
        paying = {name for name, p in zip(departments, pays, strict=True) if p}
        self._paying = np.array([d in paying for d in catalog.department], dtype=bool)

    def on_accept(self, day: int, community: np.ndarray, task: np.ndarray,
                  effort: np.ndarray) -> None:
        paid = self._paying[task]
        yuan = np.bincount(community[paid], effort[paid], minlength=len(self._balance))
        passed = yuan * self.coverage * self.price_yuan * (1.0 - self.retention)
        self._pipeline[(day + self.lag_days) % (self.lag_days + 1)] += passed

    def purchase(self, day: int) -> Purchase | None:
        slot = day % (self.lag_days + 1)
        received = self._pipeline[slot].copy()
        self._pipeline[slot] = 0.0
        self._balance += received
        affordable = self._balance * self.purchase_efficiency / self.price_yuan
        wanted = np.bincount(self._relay, affordable, minlength=len(self._supply))
        share = np.divide(self._supply, wanted, out=np.ones_like(wanted), where=wanted > 0)
        return Purchase(affordable * np.minimum(share, 1.0)[self._relay], received)

    def spend(self, day: int, used_hours: np.ndarray) -> None:
        self._balance -= used_hours / self.purchase_efficiency * self.price_yuan
        np.maximum(self._balance, 0.0, out=self._balance)
