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

from collections.abc import Callable

import mesa
import numpy as np

from sim.catalog import ADMIN, CAMPAIGN, DEMAND, PERIODIC, TaskCatalog
from sim.draws import DailyUniforms, NormalBuffers, check_means, poisson_cells
from sim.instances import INFORMAL, Batch
from sim.reforms import Schedule
from sim.scenario import Scenario
from sim.streams import Streams


class Department(mesa.Agent):
    """One government department (or the residents): a handle onto its task types in the
    arrays of ``Departments``, which issues every department's work at once."""

    def __init__(self, model: mesa.Model, name: str, catalog: TaskCatalog):
        super().__init__(model)
        self.name = name
        self.tasks = np.flatnonzero(catalog.department == name)
        self.owner: Departments | None = None

    def issue(self, day: int) -> Batch:
        """This department's share of the day's issuing (the day is drawn once for all)."""
        assert self.owner is not None, "Departments wires every member"
        batch = self.owner.issue(day)
        return batch.where(np.isin(batch.task, self.tasks))

    def scale_demand(self, kind: int, factor: np.ndarray) -> None:
        """Scale the demand rate of this department's types of ``kind`` by ``factor`` per
        community, from now on: agents whose state drives demand (residents' participation
        drives self-governance demand) set it."""
        assert self.owner is not None, "Departments wires every member"
        self.owner.scale_demand(self.tasks, kind, factor)


class Departments:
    """Every department, as one agent type: a day's issuing from all of them in one batch.

    Each department sends out (1) every periodic type whose period comes round, to
    all communities at once; (2) every campaign launched that day, also to all
    communities; (3) demand-driven cases, Poisson in number with a rate per 1,000
    households. Draws come from each department's own streams, kept apart for the
    catalog's types and the types created during the run (``sources``), so a change
    to one department, or a campaign that deters new types, leaves every other
    draw as it was (common random numbers).

    Departments pursue reach: of the work the relays refuse, a share
    ``departments.substitution.elasticity`` is pushed down anyway through informal
    channels (messaging groups, apps, 'assisting' items, requests via the street
    office). Informal work allows ``departments.substitution.deadline_days`` at
    most and brings no money.
    """

    def __init__(self, members: list[Department], catalog: TaskCatalog, context: IssueContext,
                 settings: Scenario, streams: Streams, rng: np.random.Generator):
        self.members = members
        for member in members:
            member.owner = self
        self.context = context
        self.elasticity = settings["departments.substitution.elasticity"]
        self.informal_deadline = settings["departments.substitution.deadline_days"]
        self.rng = rng
        self._source_of_task = self._sources(catalog)
        names = [(m.name, *extra) for m in members for extra in ((), ("created during the run",))]
        self._efforts = NormalBuffers([streams.get("efforts", *n) for n in names])
        self._plan_periodic(catalog, streams)
        self._plan_campaigns(catalog, streams)
        self._plan_demand(catalog, [streams.get("arrivals", *n) for n in names])
        self._day, self._today = -1, Batch.empty()

    def _sources(self, catalog: TaskCatalog) -> np.ndarray:
        """Per catalog type, the source its draws come from: two per department, one for
        the catalog's own types and one for types created during the run."""
        member = {m.name: i for i, m in enumerate(self.members)}
        department = np.array([member.get(name, -1) for name in catalog.department])
        return np.where(department >= 0, 2 * department + (catalog.start_day > 0), -1)

    def _plan_periodic(self, catalog: TaskCatalog, streams: Streams) -> None:
        periodic = np.flatnonzero(catalog.arrival == PERIODIC)
        period = np.maximum(np.round(catalog.period_days[periodic]), 1).astype(np.int64)
        phase = np.array([streams.get("phase", catalog.task_id[t]).integers(p)
                          for t, p in zip(periodic, period, strict=True)], dtype=np.int64)
        self._periodic, self._period = periodic, period
        self._first_day = catalog.start_day[periodic] + phase

    def _plan_campaigns(self, catalog: TaskCatalog, streams: Streams) -> None:
        """Launch days of every campaign type, drawn once: a Poisson process in time."""
        context = self.context
        launches: dict[int, list[int]] = {}
        for task in np.flatnonzero(catalog.arrival == CAMPAIGN):
            rng = streams.get("campaigns", catalog.task_id[task])
            start = int(catalog.start_day[task])
            span = max(context.days - start, 0)
            rate = catalog.campaigns_per_year[task] * context.campaign_scale
            count = rng.poisson(rate * span / context.days_per_year)
            for day in np.sort(rng.integers(start, start + span, count)) if span else ():
                launches.setdefault(int(day), []).append(int(task))
        self._campaigns = {day: np.array(tasks, dtype=np.int64)
                           for day, tasks in launches.items()}

    def _plan_demand(self, catalog: TaskCatalog, arrivals: list[np.random.Generator]) -> None:
        """Demand-driven types as rows grouped by source, each source drawing its rows'
        uniforms from its own arrivals stream."""
        context = self.context
        demand = np.flatnonzero((catalog.arrival == DEMAND) & (self._source_of_task >= 0))
        demand = demand[np.argsort(self._source_of_task[demand], kind="stable")]
        daily = catalog.rate_per_1000hh_year[demand] * context.demand_scale / context.days_per_year
        self._demand = demand
        self._demand_start = catalog.start_day[demand]
        self._demand_rate = daily[:, None] * (context.households[None, :] / 1000.0)
        self._demand_kind = catalog.kind[demand]
        self._demand_factor = np.ones_like(self._demand_rate)
        # Today's Poisson means and chances of no arrival, cached: a row is made anew when its
        # type starts (``_mean_active`` holds the rows' state they were made for) or its demand
        # factor changes (``_stale``), so a week's rescaling of self-governance demand does not
        # remake every type's row.
        self._mean = np.zeros_like(self._demand_rate)
        self._zero_probability = np.ones(self._demand_rate.shape, dtype=np.float32)
        self._mean_active = np.zeros(len(demand), dtype=bool)
        self._stale = np.ones(len(demand), dtype=bool)
        rows = np.bincount(self._source_of_task[demand], minlength=len(arrivals))
        self._uniforms = DailyUniforms(arrivals, rows.tolist(), len(context.households))

    def scale_demand(self, tasks: np.ndarray, kind: int, factor: np.ndarray) -> None:
        """Scale the demand rate of ``tasks``' types of ``kind`` by ``factor`` per community."""
        rows = np.isin(self._demand, tasks) & (self._demand_kind == kind)
        self._demand_factor[rows] = factor
        self._stale |= rows                                  # their means must be made anew

    def issue(self, day: int) -> Batch:
        """Today's instances from every department: community, task type and effort hours of
        each; drawn once a day, days going forward."""
        if day < self._day:
            raise ValueError(f"day {day} was asked for after day {self._day}: departments "
                             "issue each day once, going forward")
        if day != self._day:
            self._today, self._day = self._draw(day), day
        return self._today

    def _draw(self, day: int) -> Batch:
        n = len(self.context.households)
        due = (day >= self._first_day) & ((day - self._first_day) % self._period == 0)
        broadcast = np.concatenate([self._periodic[due],
                                    self._campaigns.get(day, np.empty(0, dtype=np.int64))])
        cells, repeats = poisson_cells(*self._means(day), self._uniforms.at(day))
        rows, cols = np.divmod(cells, n)
        community = np.concatenate([np.tile(np.arange(n), len(broadcast)),
                                    np.repeat(cols, repeats)]).astype(np.int64, copy=False)
        task = np.concatenate([np.repeat(broadcast, n),
                               np.repeat(self._demand[rows], repeats)]).astype(np.int64,
                                                                               copy=False)
        noise = self._efforts.take(self._source_of_task[task])
        return Batch.formal(community, task,
                            self.context.effort_with_noise(day, community, task, noise),
                            self.context.deadline_days)

    def _means(self, day: int) -> tuple[np.ndarray, np.ndarray]:
        """Today's Poisson mean per (demand type, community) and its probability of no
        arrival; a row is made anew only when its type starts or its demand factor changes."""
        active = day >= self._demand_start
        stale = self._stale | (active != self._mean_active)
        if stale.any():
            rows = stale.nonzero()[0]
            mean = self._demand_rate[rows] * self._demand_factor[rows] * active[rows, None]
            check_means(mean)
            self._mean[rows] = mean
            self._zero_probability[rows] = np.exp(-mean).astype(np.float32)
            self._mean_active, self._stale = active, np.zeros_like(self._stale)
        return self._mean, self._zero_probability

    def substitute(self, issued: Batch, refused: np.ndarray) -> Batch:
        """The ``refused`` instances of today's ``issued`` work departments push down
        informally. One uniform is drawn per issued instance, refused or not, so an
        instance's fate does not depend on how many others a relay caught (common random
        numbers across enforcement levels)."""
        if not self.elasticity:
            return Batch.empty()
        chosen = issued.where(refused & (self.rng.random(len(issued.task)) < self.elasticity))
        return chosen.via(INFORMAL)._replace(
            deadline=np.minimum(chosen.deadline, self.informal_deadline))

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
        self._spread = self._scales = self.deadline_days = np.empty(0)
        self._base: Schedule[np.ndarray] = Schedule([0], [np.empty(0)])

    def set_catalog(self, catalog: TaskCatalog, effort_factor: Schedule[np.ndarray]) -> None:
        """Median efforts per type, as reforms (from their start days) and documentation
        load change them."""
        median = catalog.effort_hours * self.effort_scale
        self._base = Schedule(effort_factor.starts, [median * f for f in effort_factor.values])
        self._spread = catalog.effort_spread
        self._scales = catalog.scales_with_size
        self.deadline_days = catalog.deadline_days

    def effort(self, day: int, community: np.ndarray, task: np.ndarray,
               rng: np.random.Generator) -> np.ndarray:
        """Log-normal effort around the median in force today, grown with community size."""
        return self.effort_with_noise(day, community, task, rng.standard_normal(len(task)))

    def effort_with_noise(self, day: int, community: np.ndarray, task: np.ndarray,
                          normal: np.ndarray) -> np.ndarray:
        """The same, from one standard normal per instance drawn by the caller."""
        noise = np.exp(self._spread[task] * normal)
        size = np.where(self._scales[task], self._size[community], 1.0)
        return self._base.at(day)[task] * noise * size


Suppression = Callable[[np.ndarray], np.ndarray]


def no_suppression(days: np.ndarray) -> np.ndarray:
    """No burden-reduction campaign: nothing holds new types back."""
    return np.zeros(len(days))


def propose_new_tasks(catalog: TaskCatalog, streams: Streams, context: IssueContext,
                      suppression: Suppression = no_suppression,
                      struck: np.ndarray | None = None,
                      relabel_per_year: float = 0.0, struck_from: int = 0) -> TaskCatalog:
    """New administrative task types the departments create during the run.

    Burden grows back in two ways, both held back by enforcement: ``suppression``
    gives, per day, the share of creations a campaign deters (the city's mean
    enforcement of the access list; 0 without one).

    - Ordinary new types: each department creates them at a rate proportional to
      its share of the catalog's administrative types; a new type copies one of
      its department's types.
    - Relabelled types (换马甲): each type ``struck`` off an access list (from day
      ``struck_from``) comes back 'in a new coat' at hazard ``relabel_per_year``
      (once at most).

    Both are planned here, as thinned Poisson processes, because enforcement is a
    known function of the day. New types are never on a prior access list, so
    under that reform they must pass the approval gate or slip past the relays.
    """
    ordinary, ordinary_start, number = _ordinary_new_types(catalog, streams, context,
                                                           suppression)
    relabelled, relabelled_start = _relabelled_types(
        catalog, streams, context, suppression,
        np.empty(0, dtype=np.int64) if struck is None else struck, relabel_per_year,
        struck_from)
    new = catalog.take(np.concatenate([ordinary, relabelled]).astype(np.int64))
    start = np.concatenate([ordinary_start, relabelled_start]).astype(np.int32)
    coat = np.r_[np.zeros(len(ordinary), dtype=bool), np.ones(len(relabelled), dtype=bool)]
    suffix = [f"+new{k}" for k in number] + ["+coat"] * len(relabelled)
    return new.with_columns(
        task_id=np.array([f"{t}{end}" for t, end in zip(new.task_id, suffix, strict=True)],
                         dtype=object),
        name_zh=np.array([f"{'换马甲' if c else '新增事项'}（仿{n}）"
                          for n, c in zip(new.name_zh, coat, strict=True)], dtype=object),
        name_en=np.array([f"{'Relabelled' if c else 'New item modelled on'}: {n}"
                          for n, c in zip(new.name_en, coat, strict=True)], dtype=object),
        source=np.where(coat, "relabelled during the run (departments.regrowth.relabel_per_year)",
                        "created during the run (tasks.new_per_year)").astype(object),
        on_access_list=np.zeros(len(new), dtype=bool),
        start_day=start,
    )


def _ordinary_new_types(catalog: TaskCatalog, streams: Streams, context: IssueContext,
                        suppression: Suppression
                        ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Types to copy, their start days and their numbers among all candidates. Candidates
    are drawn as without any campaign (common random numbers), then each is kept with
    probability 1 - suppression; a kept type has the same number (and id) as without."""
    admin = np.flatnonzero(catalog.kind == ADMIN)
    picked: list[np.ndarray] = []
    start: list[np.ndarray] = []
    number: list[np.ndarray] = []
    drawn = 0
    for name in catalog.departments():
        own = admin[catalog.department[admin] == name]
        if not len(own):
            continue
        rng = streams.get("new_tasks", name)
        yearly = context.new_per_year * len(own) / len(admin)
        count = rng.poisson(yearly * context.days / context.days_per_year)
        copies = rng.choice(own, count)
        days = rng.integers(1, max(context.days, 2), count)
        kept = rng.random(count) >= suppression(days)
        picked.append(copies[kept])
        start.append(days[kept])
        number.append(drawn + 1 + np.flatnonzero(kept))
        drawn += count
    return _joined(picked), _joined(start), _joined(number)


def _relabelled_types(catalog: TaskCatalog, streams: Streams, context: IssueContext,
                      suppression: Suppression, struck: np.ndarray, per_year: float,
                      struck_from: int) -> tuple[np.ndarray, np.ndarray]:
    """Struck types that come back in a new coat and the day each does: the first event of
    a Poisson process at ``per_year``, from the day they are struck, that enforcement does
    not deter."""
    picked: list[int] = []
    start: list[int] = []
    first = max(struck_from, 1)
    span = max(context.days - first, 0)
    for task in struck if span else ():
        rng = streams.get("relabel", catalog.task_id[task])
        count = rng.poisson(per_year * span / context.days_per_year)
        days = np.sort(rng.integers(first, first + span, count))
        kept = days[rng.random(count) >= suppression(days)]
        if len(kept):
            picked.append(int(task))
            start.append(int(kept[0]))
    return np.array(picked, dtype=np.int64), np.array(start, dtype=np.int64)


def _joined(parts: list[np.ndarray]) -> np.ndarray:
    return np.concatenate(parts) if parts else np.empty(0, dtype=np.int64)
