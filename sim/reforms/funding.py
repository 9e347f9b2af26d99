"""Funding follows the task (费随事转): money for pushed-down work buys purchased help."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from sim.catalog import TaskCatalog
from sim.city import CityLayout
from sim.languages import Bilingual, Label
from sim.param import ASSUMPTION, Param
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
    # Its money is booked as it reaches communities (funding_yuan, the "purchased" line), so
    # it has no yearly_cost; its spend scales with the share of pushed-down hours paid for.
    size_keys = ("reforms.funding.coverage",)
    label = Bilingual(en="Funding follows task", zh="费随事转")
    parameters = (
        Param("reforms.funding.enabled", False, bool, "funding follows the task (费随事转)",
              "Hefei report; 2015 national notice"),
        Param("reforms.funding.coverage", 0.5, float,
              "share of pushed-down administrative hours the issuing department pays for",
              ASSUMPTION, 0, 1,
              plausible=(0.3, 0.8),
              label=Bilingual(en=Label("Funding coverage", "%"),
                              zh=Label("费随事转覆盖比例", "%"))),
        Param("reforms.funding.purchase_efficiency", 0.8, float,
              "hours of purchased service delivered per paid hour", ASSUMPTION, 0, 1,
              plausible=(0.6, 1)),
        Param("reforms.funding.compliance", 0.5, float,
              "share of departments that pay for the work they push down at all (drawn once per "
              "department per run)",
              ASSUMPTION + ": the Hefei report says funding-follows-task failed in practice; no "
              "compliance rate found (MECHANISMS.md §9)", 0, 1, plausible=(0.2, 0.9),
              label=Bilingual(en=Label("Departments that pay", "%"),
                              zh=Label("按规定拨付经费的部门比例", "%"))),
        Param("reforms.funding.retention", 0.2, float,
              "share of the departments' payments a street office keeps before passing the rest "
              "to its communities",
              ASSUMPTION + ": street-level retention NOT FOUND (MECHANISMS.md §9)", 0, 1,
              plausible=(0, 0.5),
              label=Bilingual(en=Label("Funding kept by street offices", "%"),
                              zh=Label("街道截留经费比例", "%"))),
        Param("reforms.funding.lag_days", 60, int,
              "working days from the work being pushed down to the money reaching the community",
              ASSUMPTION + ": Chengdu community funds: approval cumbersome, disbursement slow "
              "(MECHANISMS.md §9); about a quarter", 0, 1000, plausible=(20, 120)),
        Param("reforms.funding.providers_per_community", 3.0, float,
              "contract staff and social-organisation workers a relay's area can supply, per "
              "community it leads (full-time equivalents): purchased help cannot exceed them",
              ASSUMPTION + ": no count of social organisations per street found", 0, 1000,
              plausible=(1, 6)),
    )

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
