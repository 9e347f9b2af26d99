"""The task access list (社区工作事项准入): only listed types reach communities formally."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike

from sim.catalog import ADMIN, TaskCatalog
from sim.city import CityLayout
from sim.languages import Bilingual, Label
from sim.param import ASSUMPTION, Param
from sim.reforms.base import NEVER, EnforcementFactory, Reform, enforcement_factory, register
from sim.scenario import Scenario
from sim.streams import Streams


@register
class AccessList(Reform):
    """Task access list (社区工作事项准入): only listed types reach communities formally.

    The list keeps the catalog types marked ``on_access_list`` (most assessed
    first) up to ``max_admin_tasks``; the others are struck off. A type created
    during the run must pass an approval gate: it waits ``approval_days`` and is
    approved with probability ``approval_rate`` while the list has room.

    Relays refuse unlisted instances, each as strictly as its enforcement: a
    struck type (known by name) with the relay's strictness, a new unlisted type
    (relabelled or never submitted) with today's enforcement level, which decays
    as inspections lapse. What the relays refuse, departments may push down
    through informal channels (``Departments.substitute``).
    """

    name = "access_list"
    build_order = 1
    cost_line = "systems"        # the street offices' administration of it (no size to scale)
    label = Bilingual(en="Access list", zh="事项准入")
    parameters = (
        Param("reforms.access_list.enabled", False, bool,
              "task access list (社区工作事项准入)", "2015 national notice; DOMAIN.md"),
        Param("reforms.access_list.max_admin_tasks", 96, int,
              "upper bound on administrative task types that reach communities",
              "Xianning 2020: 22 own + 74 assisting items", 0, 100000,
              label=Bilingual(en=Label("Access list: admin types allowed", "types"),
                              zh=Label("准入清单行政事项上限", "项"))),
        Param("reforms.access_list.approval_days", 45, int,
              "working days a new task type waits at the approval gate",
              "Xicheng 2018: apply 30 working days ahead, approval up to 15", 0, 1000),
        Param("reforms.access_list.approval_rate", 0.5, float,
              "probability that a new task type is approved onto the list", ASSUMPTION, 0, 1,
              plausible=(0.2, 0.8)),
    )

    @classmethod
    def from_scenario(cls, scenario: Scenario, streams: Streams) -> AccessList:
        key = "reforms.access_list."
        reform = cls(scenario[key + "max_admin_tasks"], scenario[key + "approval_days"],
                     scenario[key + "approval_rate"],
                     lambda task_id: streams.get("access_list", "approval", task_id).random(),
                     enforcement_factory(scenario, streams, cls.name))
        reform.flat_yuan_year = scenario["costs.access_list_admin_yuan_year"]
        return reform

    def __init__(self, max_admin_tasks: int, approval_days: int, approval_rate: float,
                 approval_draw: Callable[[str], float], enforcement: EnforcementFactory):
        self.max_admin_tasks = max_admin_tasks
        self.approval_days = approval_days
        self.approval_rate = approval_rate
        self._approval_draw = approval_draw     # one uniform per type id, whoever else exists
        self._make_enforcement = enforcement
        self._weights = np.ones(1)
        self._new = np.empty(0, dtype=bool)
        self._made_by_reforms = np.empty(0, dtype=np.int64)

    def start(self, city: CityLayout) -> None:
        self.enforcement = self._make_enforcement(len(city.relay_kind), self.start_day)
        communities = np.bincount(city.relay, minlength=len(city.relay_kind))
        self._weights = communities / max(communities.sum(), 1)

    def kept(self, catalog: TaskCatalog) -> np.ndarray:
        """The listed administrative types departments issue that the list keeps (most
        assessed first)."""
        admin = self._governed(catalog)
        listed = np.flatnonzero(admin & catalog.on_access_list)
        listed = listed[np.argsort(-catalog.assessment_weight[listed], kind="stable")]
        return listed[: self.max_admin_tasks]

    def struck(self, catalog: TaskCatalog) -> np.ndarray:
        """The catalog's own administrative types the list strikes off."""
        own = np.flatnonzero((catalog.kind == ADMIN) & (catalog.start_day == 0))
        return np.setdiff1d(own, self.kept(catalog))

    def suppression(self, days: np.ndarray) -> np.ndarray:
        """The city's mean enforcement on each of ``days`` (weighted by communities): the
        share of new types a campaign deters."""
        return self._enforcement().levels(days) @ self._weights

    def _governed(self, catalog: TaskCatalog) -> np.ndarray:
        """Administrative types the list governs: those departments issue through the
        relays, not the work reforms send themselves (app duties)."""
        governed = catalog.kind == ADMIN
        made = self._made_by_reforms
        governed[made[made < len(catalog)]] = False
        return governed

    def on_catalog(self, catalog: TaskCatalog, made_by_reforms: ArrayLike = ()) -> None:
        self._new = catalog.start_day > 0
        self._made_by_reforms = np.asarray(made_by_reforms, dtype=np.int64)

    def gate(self, catalog: TaskCatalog, allowed_from: np.ndarray) -> np.ndarray:
        allowed = allowed_from.copy()
        admin = self._governed(catalog)
        allowed[admin] = NEVER
        kept = self.kept(catalog)
        allowed[kept] = allowed_from[kept]
        room = self.max_admin_tasks - len(kept)
        new = np.flatnonzero(admin & ~catalog.on_access_list & (catalog.start_day > 0))
        draws = np.array([self._approval_draw(str(task_id)) for task_id in catalog.task_id[new]])
        approved = draws < self.approval_rate
        for task in new[approved][np.argsort(catalog.start_day[new[approved]], kind="stable")]:
            if room <= 0:
                break
            allowed[task] = allowed_from[task] + self.approval_days
            room -= 1
        return allowed

    def refusal_probability(self, day: int, relay: np.ndarray, task: np.ndarray,
                            unlisted: np.ndarray) -> np.ndarray:
        enforcement = self._enforcement()
        strict = enforcement.strictness[relay]
        level = enforcement.level(day)[relay]
        return np.where(unlisted, np.where(self._new[task], level, strict), 0.0)
