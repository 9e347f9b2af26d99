"""Reforms as small objects, each changing one mechanism of the model.

A reform overrides only the hooks of the mechanism it changes; the model calls
every hook of every active reform, so reforms compose freely:

- ``reshape_city``: who the communities are (splitting oversized ones);
- ``effort_factor``: effort per task type (digital service, merged forms);
- ``gate``: from which day a task type may reach communities (access list);
- ``leak``: refused instances that reach communities anyway;
- ``add_pools`` / ``reroute`` / ``dispatch``: extra hands and the work sent to them (grid);
- ``purchased_hours`` / ``on_accept``: hours bought with the task's money;
- ``protected_share``: regular hours administrative work may not take;
- ``reserved_hours``: standing duties taken off regular hours (grid heads).

Every reform but splitting can start later than the first day (``start_day``):
before it, the model calls none of its daily hooks, and the static effects
(which types are admitted, routes, efforts) come from a ``Schedule`` that
switches on the reform's start day, so a run shows the before and the after.
- ``reserved_hours``: regular hours taken off a pool before any queued work (grid heads' duties).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from typing import Generic, TypeVar

import numpy as np

from sim.catalog import ADMIN, TaskCatalog
from sim.city import CityLayout
from sim.governance import admin_role
from sim.parameters import REFORMS_STARTING_LATER
from sim.scenario import Scenario
from sim.staff import GRID, Workforce, make_pools
from sim.streams import Streams
from sim.workqueue import first_of_group, hours_ahead

NEVER = np.iinfo(np.int32).max
T = TypeVar("T")


class Reform:
    """Base class: every hook leaves the model as it is."""

    name = ""
    protected_share = 0.0
    start_day = 0          # first working day the reform is in force

    def active(self, day: int) -> bool:
        return day >= self.start_day

    def reshape_city(self, city: CityLayout) -> CityLayout:
        return city

    def start(self, city: CityLayout) -> None:
        """Called once the city's final layout is known."""

    def effort_factor(self, catalog: TaskCatalog) -> np.ndarray:
        return np.ones(len(catalog))

    def gate(self, catalog: TaskCatalog, allowed_from: np.ndarray) -> np.ndarray:
        return allowed_from

    def leak(self, refused: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """Which refused instances still get through (none by default)."""
        return np.zeros_like(refused)

    def add_pools(self, city: CityLayout, workforce: Workforce) -> Workforce:
        return workforce

    def reroute(self, catalog: TaskCatalog, routes: np.ndarray,
                workforce: Workforce) -> np.ndarray:
        return routes

    def dispatch(self, pool: np.ndarray, community: np.ndarray, task: np.ndarray,
                 effort: np.ndarray, open_hours: np.ndarray) -> np.ndarray:
        """Today's pool for each arriving instance, given each pool's open hours."""
        return pool

    def on_accept(self, day: int, community: np.ndarray, kind: np.ndarray,
                  effort: np.ndarray) -> None:
        """Told of every instance that reaches a community's own staff."""

    def purchased_hours(self, day: int) -> np.ndarray | None:
        """Hours per community bought for administrative work today, if any."""
        return None

    def reserved_hours(self, workforce: Workforce) -> np.ndarray:
        """Hours per pool taken off today's regular hours for duties outside the queue."""
        return np.zeros(len(workforce))

    def __repr__(self) -> str:
        settings = ", ".join(f"{k}={v!r}" for k, v in vars(self).items() if not k.startswith("_"))
        return f"{type(self).__name__}({settings})"


class AccessList(Reform):
    """Task access list (社区工作事项准入): only listed types reach communities.

    The list keeps the catalog types marked ``on_access_list`` (most assessed
    first) up to ``max_admin_tasks``. A type created during the run must pass an
    approval gate: it waits ``approval_days`` and is approved with probability
    ``approval_rate`` while the list has room. Refused instances stay with the
    department, except a ``leakage`` share pushed down through informal
    channels (messaging groups, ad-hoc requests), as field studies report.
    """

    name = "access_list"

    def __init__(self, max_admin_tasks: int, approval_days: int, approval_rate: float,
                 leakage: float, rng: np.random.Generator):
        self.max_admin_tasks = max_admin_tasks
        self.approval_days = approval_days
        self.approval_rate = approval_rate
        self.leakage = leakage
        self._rng = rng

    def gate(self, catalog: TaskCatalog, allowed_from: np.ndarray) -> np.ndarray:
        allowed = allowed_from.copy()
        admin = catalog.kind == ADMIN
        allowed[admin] = NEVER
        listed = np.flatnonzero(admin & catalog.on_access_list & (catalog.start_day == 0))
        listed = listed[np.argsort(-catalog.assessment_weight[listed], kind="stable")]
        kept = listed[: self.max_admin_tasks]
        allowed[kept] = allowed_from[kept]
        room = self.max_admin_tasks - len(kept)
        new = np.flatnonzero(admin & (catalog.start_day > 0))
        approved = self._rng.random(len(new)) < self.approval_rate
        for task in new[approved][np.argsort(catalog.start_day[new[approved]], kind="stable")]:
            if room <= 0:
                break
            allowed[task] = allowed_from[task] + self.approval_days
            room -= 1
        return allowed

    def leak(self, refused: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        return refused & (rng.random(len(refused)) < self.leakage)


class FundingFollowsTask(Reform):
    """Funding follows the task (费随事转): departments pay for the hours they push down.

    Each day a community receives ``coverage`` of the administrative hours
    pushed to it over the last ``window_days``, averaged per day, as purchased
    help (staff on contract or a social-work organisation) delivering
    ``purchase_efficiency`` hours per paid hour. Purchased hours take
    administrative work first, so committee staff keep more of their own time.
    """

    name = "funding"

    def __init__(self, coverage: float, purchase_efficiency: float, window_days: int):
        self.coverage = coverage
        self.purchase_efficiency = purchase_efficiency
        self.window_days = window_days
        self._window = np.zeros((window_days, 0))

    def start(self, city):
        self._window = np.zeros((self.window_days, city.n_communities))

    def on_accept(self, day, community, kind, effort):
        admin = kind == ADMIN
        self._window[day % self.window_days] = np.bincount(
            community[admin], weights=effort[admin], minlength=self._window.shape[1])

    def purchased_hours(self, day):
        paid = self._window.sum(axis=0) / min(day + 1, self.window_days)
        return paid * self.coverage * self.purchase_efficiency


def grid_personnel(households: np.ndarray, per_1000_households: float,
                   dedicated_share: float) -> tuple[np.ndarray, np.ndarray]:
    """Dedicated grid workers and committee grid heads per community (heads not yet capped).

    Both follow households, so a city of any number of communities gets the
    same grid density as the report's city.
    """
    personnel = per_1000_households * np.asarray(households, dtype=float) / 1000
    dedicated = np.round(personnel * dedicated_share).astype(np.int64)
    heads = np.round(personnel * (1 - dedicated_share)).astype(np.int64)
    return dedicated, heads


class GridDelegation(Reform):
    """Grid management (网格化) takes the grid-eligible administrative tasks.

    Grid personnel come in two kinds, both per 1,000 households. Dedicated grid
    workers, paid by the street, form a grid pool per community and give
    ``hours_per_worker_day`` to delegated work (their own grid duties take the
    rest of their day), without overtime. Committee staff acting as grid heads
    are no extra hands: their ``head_duty_hours`` a day of patrols and grid
    reporting come out of their own pool's regular hours (most grids are
    relabelled committees, MECHANISMS.md section 8). The committee hands the
    dedicated workers no more than ``buffer_days`` of their hours: grid-eligible
    work beyond that stays with the committee, so the reform relieves staff by
    what dedicated workers can really absorb.
    """

    name = "grid_delegation"

    def __init__(self, per_1000_households: float, dedicated_share: float,
                 hours_per_worker_day: float, head_duty_hours: float, buffer_days: float,
                 heads_role: int):
        self.per_1000_households = per_1000_households
        self.dedicated_share = dedicated_share
        self.hours_per_worker_day = hours_per_worker_day
        self.head_duty_hours = head_duty_hours
        self.buffer_days = buffer_days
        self.heads_role = heads_role
        self._original = np.empty((0, 0), dtype=np.int64)
        self._is_grid = np.empty(0, dtype=bool)
        self._room = np.empty(0)
        self._head_pools = np.empty(0, dtype=np.int64)
        self._planned_heads = np.empty(0, dtype=np.int64)

    def add_pools(self, city, workforce):
        dedicated, heads = grid_personnel(city.households, self.per_1000_households,
                                          self.dedicated_share)
        self._head_pools = np.flatnonzero(workforce.role == self.heads_role)
        self._planned_heads = heads[workforce.community[self._head_pools]]
        grid = make_pools(np.arange(city.n_communities), city.relay, GRID, dedicated,
                          self.hours_per_worker_day, 0.0)
        return workforce.add_pools(grid)

    def heads(self, workforce: Workforce) -> np.ndarray:
        """Grid heads per pool now: never more than the pool's staff at work (turnover)."""
        heads = np.zeros(len(workforce), dtype=np.int64)
        pools = self._head_pools
        heads[pools] = np.minimum(self._planned_heads, workforce.staff[pools])
        return heads

    def reserved_hours(self, workforce):
        return self.heads(workforce) * self.head_duty_hours

    def reroute(self, catalog, routes, workforce):
        grid_pools = np.flatnonzero(workforce.role == GRID)
        grid_of = np.empty(routes.shape[0], dtype=np.int64)
        grid_of[workforce.community[grid_pools]] = grid_pools
        delegated = (catalog.kind == ADMIN) & catalog.grid_eligible
        self._original = routes
        self._is_grid = workforce.role == GRID
        self._room = np.where(self._is_grid, workforce.regular_hours() * self.buffer_days, 0.0)
        routes = routes.copy()
        routes[:, delegated] = grid_of[:, None]
        return routes

    def dispatch(self, pool, community, task, effort, open_hours):
        to_grid = np.flatnonzero(self._is_grid[pool])
        if not len(to_grid):
            return pool
        order = to_grid[np.argsort(pool[to_grid], kind="stable")]
        ahead = hours_ahead(effort[order], first_of_group(pool[order]))
        overflow = order[open_hours[pool[order]] + ahead + effort[order]
                         > self._room[pool[order]]]
        pool = pool.copy()
        pool[overflow] = self._original[community[overflow], task[overflow]]
        return pool


class DigitalService(Reform):
    """Digital one-stop service and merged forms (多表合一): less effort per report.

    Digitisable types lose ``effort_cut`` of their effort: data entered once
    instead of into several systems, duplicate ledgers merged.
    """

    name = "digital"

    def __init__(self, effort_cut: float):
        self.effort_cut = effort_cut

    def effort_factor(self, catalog):
        return np.where(catalog.digitisable, 1.0 - self.effort_cut, 1.0)


class SplitCommunities(Reform):
    """Split every community above ``max_households`` into equal parts.

    Each part becomes a community with its own committee and the staffing the
    scenario gives a community, under the same relay.
    """

    name = "split"

    def __init__(self, max_households: float):
        self.max_households = max_households

    def reshape_city(self, city):
        parts = np.maximum(np.ceil(city.households / self.max_households), 1).astype(np.int64)
        return CityLayout(
            households=np.repeat(np.round(city.households / parts), parts),
            relay=np.repeat(city.relay, parts),
            relay_kind=city.relay_kind,
            origin=np.repeat(city.origin, parts),
        )


class ProtectedTime(Reform):
    """A ``share`` of every pool's regular hours that administrative work may not take.

    Protected hours go to self-governance first, then to services; what is
    left of them the committee spends on discretionary resident work (a floor on
    resident work, see ``Committees``), never on admin work.
    """

    name = "protected_time"

    def __init__(self, share: float):
        self.protected_share = share


class Schedule(Generic[T]):
    """A value that changes on the days reforms start: on any day, the latest value whose
    start day has come."""

    def __init__(self, starts: list[int], values: list[T]):
        self.starts, self.values = starts, values

    def at(self, day: int) -> T:
        return self.values[bisect_right(self.starts, day) - 1]

    @property
    def final(self) -> T:
        return self.values[-1]


def scheduled(reforms: list[Reform], initial: T, apply: Callable[[Reform, T], T]) -> Schedule[T]:
    """``initial`` from day 0, then ``apply(reform, value)`` for each reform from its start
    day on, in start-day order (reforms starting together in the order given)."""
    starts, values = [0], [initial]
    for reform in sorted(reforms, key=lambda r: r.start_day):
        value = apply(reform, values[-1])
        if reform.start_day == starts[-1]:
            values[-1] = value
        else:
            starts.append(reform.start_day)
            values.append(value)
    return Schedule(starts, values)


def active(reforms: list[Reform], day: int) -> list[Reform]:
    """The reforms in force on ``day``."""
    return [reform for reform in reforms if reform.active(day)]


def reserved_hours(reforms: list[Reform], workforce: Workforce) -> np.ndarray:
    """Hours per pool every reform together takes off today's regular hours."""
    reserved = np.zeros(len(workforce))
    for reform in reforms:
        reserved += reform.reserved_hours(workforce)
    return reserved


def build_reforms(scenario: Scenario, streams: Streams) -> list[Reform]:
    """The reforms a scenario switches on, in a fixed order."""
    def on(name: str) -> bool:
        return scenario[f"reforms.{name}.enabled"]

    reforms: list[Reform] = []
    if on("split"):
        reforms.append(SplitCommunities(scenario["reforms.split.max_households"]))
    if on("access_list"):
        reforms.append(AccessList(scenario["reforms.access_list.max_admin_tasks"],
                                  scenario["reforms.access_list.approval_days"],
                                  scenario["reforms.access_list.approval_rate"],
                                  scenario["reforms.access_list.leakage"],
                                  streams.get("access_list", "approval")))
    if on("funding"):
        reforms.append(FundingFollowsTask(scenario["reforms.funding.coverage"],
                                          scenario["reforms.funding.purchase_efficiency"],
                                          scenario["reforms.funding.window_days"]))
    if on("digital"):
        reforms.append(DigitalService(scenario["reforms.digital.effort_cut"]))
    if on("grid_delegation"):
        grid = "reforms.grid_delegation."
        reforms.append(GridDelegation(scenario["city.grid_personnel_per_1000_households"],
                                      scenario["city.grid_dedicated_share"],
                                      scenario[grid + "hours_per_worker_day"],
                                      scenario[grid + "head_duty_hours"],
                                      scenario[grid + "buffer_days"],
                                      heads_role=admin_role(scenario)))
    if on("protected_time"):
        reforms.append(ProtectedTime(scenario["reforms.protected_time.share"]))
    for reform in reforms:
        if reform.name in REFORMS_STARTING_LATER:
            reform.start_day = scenario[f"reforms.{reform.name}.start_day"]
    return reforms
