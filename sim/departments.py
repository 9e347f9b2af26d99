"""Government departments (and the residents) as Mesa agents that issue task instances.

A department owns the task types of its catalog rows. Each working day it
sends out (1) every periodic type whose period comes round, to all communities
at once; (2) every campaign launched that day, also to all communities; (3)
demand-driven cases, Poisson in number with a rate per 1,000 households. The
residents are a department of their own: their service and self-governance
demand scales with households in the same way.

Every department draws from its own streams, so a reform that touches one
department leaves the others' arrivals unchanged (common random numbers).
"""

from __future__ import annotations

from typing import NamedTuple

import mesa
import numpy as np

from sim.catalog import ADMIN, CAMPAIGN, DEMAND, PERIODIC, TaskCatalog
from sim.reforms import Schedule
from sim.scenario import Scenario
from sim.streams import Streams


class Batch(NamedTuple):
    """Task instances on their way down: who gets them, which type, how many hours each."""

    community: np.ndarray
    task: np.ndarray
    effort: np.ndarray

    def where(self, mask: np.ndarray) -> Batch:
        return Batch(self.community[mask], self.task[mask], self.effort[mask])

    @classmethod
    def join(cls, batches: list[Batch]) -> Batch:
        """Several batches as one (a day's issuing from every source)."""
        return cls(*(np.concatenate(column) for column in zip(*batches, strict=True)))


class Department(mesa.Agent):
    """Issues the instances of its task types to every community."""

    def __init__(self, model: mesa.Model, name: str, catalog: TaskCatalog,
                 context: IssueContext, streams: Streams):
        super().__init__(model)
        self.name = name
        self.tasks = np.flatnonzero(catalog.department == name)
        self.context = context
        self._arrivals = streams.get("arrivals", name)
        self._efforts = streams.get("efforts", name)
        self._plan_periodic(catalog, streams)
        self._plan_campaigns(catalog, streams, context)
        self._plan_demand(catalog, context)

    def _plan_periodic(self, catalog: TaskCatalog, streams: Streams) -> None:
        mine = self.tasks[catalog.arrival[self.tasks] == PERIODIC]
        period = np.maximum(np.round(catalog.period_days[mine]), 1).astype(np.int64)
        phase = np.array([streams.get("phase", catalog.task_id[t]).integers(p)
                          for t, p in zip(mine, period, strict=True)], dtype=np.int64)
        self._periodic, self._period = mine, period
        self._first_day = catalog.start_day[mine] + phase

    def _plan_campaigns(self, catalog: TaskCatalog, streams: Streams,
                        context: IssueContext) -> None:
        """Launch days of every campaign type, drawn once: a Poisson process in time."""
        self._campaigns: dict[int, list[int]] = {}
        for task in self.tasks[catalog.arrival[self.tasks] == CAMPAIGN]:
            rng = streams.get("campaigns", catalog.task_id[task])
            start = int(catalog.start_day[task])
            span = max(context.days - start, 0)
            rate = catalog.campaigns_per_year[task] * context.campaign_scale
            count = rng.poisson(rate * span / context.days_per_year)
            for day in np.sort(rng.integers(start, start + span, count)) if span else ():
                self._campaigns.setdefault(int(day), []).append(int(task))

    def _plan_demand(self, catalog: TaskCatalog, context: IssueContext) -> None:
        mine = self.tasks[catalog.arrival[self.tasks] == DEMAND]
        daily = catalog.rate_per_1000hh_year[mine] * context.demand_scale / context.days_per_year
        self._demand = mine
        self._demand_start = catalog.start_day[mine]
        self._demand_rate = daily[:, None] * (context.households[None, :] / 1000.0)
        self._demand_kind = catalog.kind[mine]
        self._demand_factor = np.ones_like(self._demand_rate)

    def scale_demand(self, kind: int, factor: np.ndarray) -> None:
        """Scale the demand rate of this department's types of ``kind`` by ``factor`` per
        community, from now on: agents whose state drives demand (residents' participation
        drives self-governance demand) set it."""
        self._demand_factor[self._demand_kind == kind] = factor

    def issue(self, day: int) -> Batch:
        """Today's instances: community, task type and effort hours of each."""
        n = len(self.context.households)
        due = (day >= self._first_day) & ((day - self._first_day) % self._period == 0)
        broadcast = np.concatenate([self._periodic[due],
                                    np.array(self._campaigns.get(day, []), dtype=np.int64)])
        community = [np.tile(np.arange(n), len(broadcast))]
        task = [np.repeat(broadcast, n)]
        if len(self._demand):
            active = (day >= self._demand_start)[:, None]
            counts = self._arrivals.poisson(self._demand_rate * self._demand_factor * active)
            rows, cols = np.nonzero(counts)
            repeats = counts[rows, cols]
            community.append(np.repeat(cols, repeats))
            task.append(np.repeat(self._demand[rows], repeats))
        community = np.concatenate(community).astype(np.int64)
        task = np.concatenate(task).astype(np.int64)
        return Batch(community, task, self.context.effort(day, community, task, self._efforts))


class Departments:
    """Every department, as one agent type: a day's issuing gathered into one batch."""

    def __init__(self, members: list[Department]):
        self.members = members

    def issue(self, day: int) -> Batch:
        return Batch.join([department.issue(day) for department in self.members])

    def named(self, name: str) -> Department | None:
        """The department called ``name``, if the catalog has one."""
        return next((d for d in self.members if d.name == name), None)


class IssueContext:
    """What every department needs to issue work, computed once per run.

    ``effort_factor`` holds per-type multipliers from reforms (e.g. digital
    service); effort noise is drawn before it is applied, so a reform changes
    efforts without changing any random draw.
    """

    def __init__(self, scenario: Scenario, households: np.ndarray):
        self.days = scenario["simulation.days"]
        self.days_per_year = scenario["simulation.working_days_per_year"]
        self.effort_scale = scenario["tasks.effort_scale"]
        self.demand_scale = scenario["tasks.demand_scale"]
        self.campaign_scale = scenario["tasks.campaign_scale"]
        self.new_per_year = scenario["tasks.new_per_year"]
        self.households = households
        self._size = (households / scenario["tasks.reference_households"]) ** scenario[
            "tasks.size_elasticity"]
        self._spread = self._scales = np.empty(0)
        self._base: Schedule[np.ndarray] = Schedule([0], [np.empty(0)])

    def set_catalog(self, catalog: TaskCatalog, effort_factor: Schedule[np.ndarray]) -> None:
        """Median efforts per type, as reforms (from their start days) and documentation
        load change them."""
        median = catalog.effort_hours * self.effort_scale
        self._base = Schedule(effort_factor.starts, [median * f for f in effort_factor.values])
        self._spread = catalog.effort_spread
        self._scales = catalog.scales_with_size

    def effort(self, day: int, community: np.ndarray, task: np.ndarray,
               rng: np.random.Generator) -> np.ndarray:
        """Log-normal effort around the median in force today, grown with community size."""
        noise = np.exp(self._spread[task] * rng.standard_normal(len(task)))
        size = np.where(self._scales[task], self._size[community], 1.0)
        return self._base.at(day)[task] * noise * size


def propose_new_tasks(catalog: TaskCatalog, streams: Streams,
                      context: IssueContext) -> TaskCatalog:
    """New administrative task types the departments create during the run.

    Burden grows back: departments keep finding new items to push down. Each
    department creates new types at a rate proportional to its share of the
    catalog's administrative types; a new type copies one of its department's
    existing types and starts on a random day. New types are never on a prior
    access list, so under that reform they must pass the approval gate.
    """
    admin = np.flatnonzero(catalog.kind == ADMIN)
    picked: list[int] = []
    start: list[int] = []
    for name in catalog.departments():
        own = admin[catalog.department[admin] == name]
        if not len(own):
            continue
        rng = streams.get("new_tasks", name)
        yearly = context.new_per_year * len(own) / len(admin)
        count = rng.poisson(yearly * context.days / context.days_per_year)
        picked.extend(rng.choice(own, count).tolist())
        start.extend(rng.integers(1, max(context.days, 2), count).tolist())
    new = catalog.take(np.array(picked, dtype=np.int64))
    number = np.arange(1, len(picked) + 1)
    return new.with_columns(
        task_id=np.array([f"{t}+new{k}" for t, k in zip(new.task_id, number, strict=True)],
                         dtype=object),
        name_zh=np.array([f"新增事项（仿{n}）" for n in new.name_zh], dtype=object),
        name_en=np.array([f"New item modelled on: {n}" for n in new.name_en], dtype=object),
        source=np.full(len(picked), "created during the run (tasks.new_per_year)", dtype=object),
        on_access_list=np.zeros(len(picked), dtype=bool),
        start_day=np.array(start, dtype=np.int32),
    )
