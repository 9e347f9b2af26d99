"""One community committee working through the commsim task catalog, written in SimPy.

The reference for issue 12 ("Speed"): the same work as commsim's queueing core
(benchmarks/queueing_core.toml), as a SimPy user would model it. It reads commsim's
catalog with commsim's own loader and takes households, staff, working hours and
the effort, demand and campaign scales from the same scenario file, so both models
draw from the same task types, rates and effort distributions.

Time. The clock counts working hours: one unit is one hour of a working day, and
working day ``d`` is the interval ``[d * hours_per_day, (d + 1) * hours_per_day)``.
Nights and weekends are not on the clock (the queueing core has no overtime), so a
task of 20 hours that one staff member works without interruption takes 2.5 working
days. A run of ``days`` working days ends at ``days * hours_per_day``.

Model.
- Staff: a ``simpy.PreemptiveResource`` (a PriorityResource with preemption), one
  unit per staff member.
- Task instances: one process each. It requests a staff member with its priority
  (highest assessment weight first, then earliest due day, then first come) and
  holds them for its remaining effort. A request that outranks the lowest-priority
  task in hand takes that task's staff member, who resumes the displaced task later:
  commsim re-sorts its queue every working day, so new assessed work is taken up
  before lower-priority work already begun, not after it.
- Arrivals: one source process per task type. Periodic types issue at the start of
  every ``period_days``-th working day from a random phase; campaign types and demand
  types are Poisson processes in working time (demand at
  ``rate_per_1000hh_year * households / 1000`` a working year).
- Efforts: log-normal around the catalog's median (times the effort scale and, for
  types that scale with size, ``(households / reference) ** elasticity``).
- Records: instances issued and staff hours worked, by kind (administrative, service,
  self-governance: the catalog's kind column).

Where it differs from commsim by construction: a task is worked by one staff member
at a time, whereas commsim's daily allocation lets any number of staff share one
task; and demand and campaigns arrive at any hour, where commsim issues them at the
start of a working day. The docking in benchmarks/bench_simpy.py (and
tests/test_simpy_docking.py) shows that together they move the admin share of hours
and the instances per year by about a per cent at most.
"""

from __future__ import annotations

import math
import random
from collections.abc import Generator
from dataclasses import dataclass, field
from pathlib import Path

import simpy

from sim.catalog import ADMIN, CAMPAIGN, DEMAND, KINDS, PERIODIC, TaskCatalog, load_catalog
from sim.scenario import Scenario, load_scenario

QUEUEING_CORE = Path(__file__).resolve().parent / "queueing_core.toml"
FINISHED = 1e-9          # hours of effort left below which a task counts as done


@dataclass(frozen=True)
class TaskType:
    """One catalog row, as the SimPy model reads it."""

    kind: int                   # index into sim.catalog.KINDS
    arrival: int                # PERIODIC / DEMAND / CAMPAIGN
    period_days: int            # periodic types: working days between issues
    per_year: float             # campaign and demand types: instances a working year
    median_effort: float        # hours, scales and community size applied
    effort_spread: float        # sigma of the log-normal effort
    deadline_days: int
    weight: float               # assessment weight


def task_types(catalog: TaskCatalog, scenario: Scenario) -> list[TaskType]:
    """The catalog's rows for a community of ``city.households_median`` households, with the
    scenario's effort, demand and campaign scales and size scaling applied as commsim does."""
    households = scenario["city.households_median"]
    size = (households / scenario["tasks.reference_households"]) \
        ** scenario["tasks.size_elasticity"]
    per_year = {
        PERIODIC: [0.0] * len(catalog),
        CAMPAIGN: catalog.campaigns_per_year * scenario["tasks.campaign_scale"],
        DEMAND: catalog.rate_per_1000hh_year * scenario["tasks.demand_scale"] * households / 1000,
    }
    return [TaskType(kind=int(catalog.kind[t]), arrival=int(catalog.arrival[t]),
                     period_days=max(round(catalog.period_days[t]), 1),
                     per_year=float(per_year[catalog.arrival[t]][t]),
                     median_effort=float(catalog.effort_hours[t] * scenario["tasks.effort_scale"]
                                         * (size if catalog.scales_with_size[t] else 1.0)),
                     effort_spread=float(catalog.effort_spread[t]),
                     deadline_days=int(catalog.deadline_days[t]),
                     weight=float(catalog.assessment_weight[t]))
            for t in range(len(catalog))]


@dataclass
class Tally:
    """What one run records, by kind (indexed as ``sim.catalog.KINDS``)."""

    issued: list[int] = field(default_factory=lambda: [0] * len(KINDS))
    hours: list[float] = field(default_factory=lambda: [0.0] * len(KINDS))
    displaced: int = 0          # times a task in hand lost its staff member to a higher one

    @property
    def admin_share(self) -> float:
        """Share of the hours worked that went to administrative tasks."""
        worked = sum(self.hours)
        return self.hours[ADMIN] / worked if worked else 0.0

    @property
    def instances(self) -> int:
        return sum(self.issued)


class Community:
    """A committee's staff and the task instances departments and residents send it."""

    def __init__(self, env: simpy.Environment, types: list[TaskType], staff: int,
                 hours_per_day: float, hours_per_year: float, seed: int,
                 preemptive: bool = True):
        self.env = env
        self.hours_per_day = hours_per_day
        self.hours_per_year = hours_per_year
        self.rng = random.Random(seed)
        self.preemptive = preemptive
        self.staff = simpy.PreemptiveResource(env, capacity=staff)
        self.tally = Tally()
        self.in_hand: dict[simpy.resources.resource.PriorityRequest, int] = {}
        for task in types:
            if task.arrival == PERIODIC:
                env.process(self.periodic(task))
            elif task.per_year > 0:
                env.process(self.poisson(task))

    # --- arrivals ----------------------------------------------------------------------
    def periodic(self, task: TaskType) -> Generator[simpy.Event, None, None]:
        """A type issued at the start of every ``period_days``-th working day, from a phase
        drawn uniformly in the first period."""
        yield self.env.timeout(self.rng.randrange(task.period_days) * self.hours_per_day)
        while True:
            self.issue(task)
            yield self.env.timeout(task.period_days * self.hours_per_day)

    def poisson(self, task: TaskType) -> Generator[simpy.Event, None, None]:
        """A campaign or demand type: a Poisson process in working time."""
        per_hour = task.per_year / self.hours_per_year
        while True:
            yield self.env.timeout(self.rng.expovariate(per_hour))
            self.issue(task)

    def issue(self, task: TaskType) -> None:
        """One instance of ``task`` arrives now: draw its effort and start its process."""
        self.tally.issued[task.kind] += 1
        effort = self.rng.lognormvariate(math.log(task.median_effort), task.effort_spread)
        self.env.process(self.work_on(task, effort))

    # --- work ----------------------------------------------------------------------------
    def work_on(self, task: TaskType, effort: float) -> Generator[simpy.Event, None, None]:
        """One task instance: wait for a staff member, work, resume after being displaced."""
        env = self.env
        due_day = int(env.now // self.hours_per_day) + task.deadline_days - 1
        priority = (-task.weight, due_day, env.now)
        remaining = effort
        while remaining > FINISHED:
            with self.staff.request(priority=priority, preempt=self.preemptive) as request:
                try:
                    yield request
                    self.in_hand[request] = task.kind
                    yield env.timeout(remaining)
                except simpy.Interrupt:
                    # displaced by more pressing work (perhaps the moment it got a staff
                    # member): back to the queue with what is left
                    self.tally.displaced += 1
                self.in_hand.pop(request, None)
                worked = env.now - request.usage_since
                self.tally.hours[task.kind] += worked
                remaining -= worked

    def close(self) -> None:
        """Book the hours of the tasks in hand when the run stops."""
        for request, kind in self.in_hand.items():
            self.tally.hours[kind] += self.env.now - request.usage_since
        self.in_hand.clear()


def run(scenario: Scenario | None = None, seed: int = 0, days: int | None = None,
        preemptive: bool = True) -> Tally:
    """One community for ``days`` working days (the scenario's by default)."""
    scenario = load_scenario(QUEUEING_CORE) if scenario is None else scenario
    days = scenario["simulation.days"] if days is None else days
    hours_per_day = scenario["staffing.hours_per_day"]
    env = simpy.Environment()
    community = Community(
        env, task_types(load_catalog(scenario["tasks.catalog"]), scenario),
        staff=round(scenario["staffing.staff_per_community"]), hours_per_day=hours_per_day,
        hours_per_year=scenario["simulation.working_days_per_year"] * hours_per_day, seed=seed,
        preemptive=preemptive)
    env.run(until=days * hours_per_day)
    community.close()
    return community.tally


if __name__ == "__main__":
    tally = run()
    print(f"instances issued: {tally.instances}, admin share of hours: {tally.admin_share:.3f}")
