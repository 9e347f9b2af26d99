"""Reforms as small objects, each changing one mechanism of the model.

A reform overrides only the hooks of the mechanism it changes; the model calls
every hook of every active reform, so reforms compose freely:

- ``reshape_city``: who the communities are (splitting oversized ones);
- ``effort_factor``: effort per task type (digital service, merged forms);
- ``add_task_types`` / ``issue``: work the reform itself creates (app duties);
- ``gate``: from which day a task type is listed (access list);
- ``refusal_probability``: how likely each relay is to catch an unlisted instance;
- ``add_pools`` / ``reroute`` / ``dispatch``: extra hands and the work sent to them (grid);
- ``on_accept`` / ``purchase`` / ``spend``: money that follows the task, and the hours it buys;
- ``protected``: regular hours administrative work may not take, per community;
- ``reserved_hours``: standing duties taken off regular hours (grid heads);
- ``assessment_cut``: how much less often street offices assess.

A reform that street offices apply (the access list, protected time) has an
``Enforcement``: a strictness per relay that decays unless renewed.

Every reform but splitting can start later than the first day (``start_day``):
before it, the model calls none of its daily hooks, and the static effects
(which types are admitted, routes, efforts) come from a ``Schedule`` that
switches on the reform's start day, so a run shows the before and the after.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from typing import Generic, NamedTuple, TypeVar

import numpy as np
from numpy.typing import ArrayLike

from sim.catalog import ADMIN, DEMAND, TaskCatalog
from sim.city import CityLayout
from sim.documentation import Documentation
from sim.enforcement import Enforcement
from sim.governance import governance_of
from sim.instances import REFORM, Batch
from sim.parameters import DAYS_PER_WEEK, REFORMS_STARTING_LATER
from sim.scenario import Scenario
from sim.staff import GRID, Workforce, make_pools
from sim.streams import Streams
from sim.workqueue import first_of_group, hours_ahead

NEVER = np.iinfo(np.int32).max
T = TypeVar("T")
R = TypeVar("R", bound="Reform")
EnforcementFactory = Callable[[int, int], Enforcement]   # (relays, start day) -> Enforcement


class Purchase(NamedTuple):
    """What money that follows the task brings a community today."""

    hours: np.ndarray          # hours of purchased help it can use, per community
    received_yuan: np.ndarray  # money that reached it today, per community


class Reform:
    """Base class: every hook leaves the model as it is."""

    name = ""
    build_order = 0        # place among the reforms a scenario switches on (hooks run in it)
    start_day = 0          # first working day the reform is in force
    assessment_cut = 0.0   # share by which street offices assess less often
    enforcement: Enforcement | None = None

    @classmethod
    def from_scenario(cls, scenario: Scenario, streams: Streams) -> Reform:
        """The reform with the settings ``reforms.NAME.*`` of the scenario."""
        raise NotImplementedError

    def active(self, day: int) -> bool:
        return day >= self.start_day

    def reshape_city(self, city: CityLayout) -> CityLayout:
        return city

    def start(self, city: CityLayout) -> None:
        """Called once the city's final layout is known."""

    def add_task_types(self, catalog: TaskCatalog) -> TaskCatalog:
        """The catalog with the task types the reform itself creates appended."""
        return catalog

    def on_catalog(self, catalog: TaskCatalog, made_by_reforms: ArrayLike = ()) -> None:
        """Called once the run's catalog (new and relabelled types included) is known, with
        the indices of the types reforms created themselves."""

    def struck(self, catalog: TaskCatalog) -> np.ndarray:
        """The catalog's types the reform strikes off (departments may relabel them)."""
        return np.empty(0, dtype=np.int64)

    def suppression(self, days: np.ndarray) -> np.ndarray:
        """Share of new task types the reform deters on each of ``days``."""
        return np.zeros(len(days))

    def effort_factor(self, catalog: TaskCatalog) -> np.ndarray:
        return np.ones(len(catalog))

    def gate(self, catalog: TaskCatalog, allowed_from: np.ndarray) -> np.ndarray:
        return allowed_from

    def refusal_probability(self, day: int, relay: np.ndarray, task: np.ndarray,
                            unlisted: np.ndarray) -> np.ndarray:
        """Probability that the relay of each issued instance refuses it (none by default)."""
        return np.zeros(len(task))

    def issue(self, day: int, staff: np.ndarray) -> Batch | None:
        """Instances the reform itself sends to communities today, given the staff at work
        per community; they bypass the relays."""
        return None

    def protected(self, day: int, relay: np.ndarray) -> np.ndarray:
        """Share of regular hours administrative work may not take, per community (given
        each community's relay)."""
        return np.zeros(len(relay))

    def add_pools(self, city: CityLayout, workforce: Workforce) -> Workforce:
        return workforce

    def reroute(self, catalog: TaskCatalog, routes: np.ndarray,
                workforce: Workforce) -> np.ndarray:
        return routes

    def dispatch(self, pool: np.ndarray, community: np.ndarray, task: np.ndarray,
                 effort: np.ndarray, open_hours: np.ndarray) -> np.ndarray:
        """Today's pool for each arriving instance, given each pool's open hours."""
        return pool

    def on_accept(self, day: int, community: np.ndarray, task: np.ndarray,
                  effort: np.ndarray) -> None:
        """Told of every formal administrative instance that reaches a community's own staff."""

    def purchase(self, day: int) -> Purchase | None:
        """Money arriving today and the purchased hours it buys, per community, if any."""
        return None

    def spend(self, day: int, used_hours: np.ndarray) -> None:
        """Told of the purchased hours each community used today (they are paid for)."""

    def reserved_hours(self, workforce: Workforce) -> np.ndarray:
        """Hours per pool taken off today's regular hours for duties outside the queue."""
        return np.zeros(len(workforce))

    def _enforcement(self) -> Enforcement:
        """The enforcement ``start`` made (reforms that have one ask for it only after)."""
        assert self.enforcement is not None, f"{self.name}: enforcement before start()"
        return self.enforcement

    def __repr__(self) -> str:
        settings = ", ".join(f"{k}={v!r}" for k, v in vars(self).items() if not k.startswith("_"))
        return f"{type(self).__name__}({settings})"


REFORMS: dict[str, type[Reform]] = {}


def register(cls: type[R]) -> type[R]:
    """Class decorator: a reform joins the registry ``build_reforms`` reads, under its name
    (``reforms.NAME.*`` in the scenario)."""
    REFORMS[cls.name] = cls
    return cls


def enforcement_factory(scenario: Scenario, streams: Streams, name: str) -> EnforcementFactory:
    """How the reform ``name``'s enforcement is made once the relays are known."""
    return lambda relays, start: Enforcement.from_scenario(
        scenario, relays, start, streams.get("enforcement", name))


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

    @classmethod
    def from_scenario(cls, scenario: Scenario, streams: Streams) -> AccessList:
        key = "reforms.access_list."
        return cls(scenario[key + "max_admin_tasks"], scenario[key + "approval_days"],
                   scenario[key + "approval_rate"],
                   lambda task_id: streams.get("access_list", "approval", task_id).random(),
                   enforcement_factory(scenario, streams, cls.name))

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


@register
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
    build_order = 4

    @classmethod
    def from_scenario(cls, scenario: Scenario, streams: Streams) -> GridDelegation:
        key = "reforms.grid_delegation."
        return cls(scenario["city.grid_personnel_per_1000_households"],
                   scenario["city.grid_dedicated_share"], scenario[key + "hours_per_worker_day"],
                   scenario[key + "head_duty_hours"], scenario[key + "buffer_days"],
                   heads_role=governance_of(scenario).admin_role)

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

    def add_pools(self, city: CityLayout, workforce: Workforce) -> Workforce:
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

    def reserved_hours(self, workforce: Workforce) -> np.ndarray:
        return self.heads(workforce) * self.head_duty_hours

    def reroute(self, catalog: TaskCatalog, routes: np.ndarray,
                workforce: Workforce) -> np.ndarray:
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

    def dispatch(self, pool: np.ndarray, community: np.ndarray, task: np.ndarray,
                 effort: np.ndarray, open_hours: np.ndarray) -> np.ndarray:
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


@register
class DigitalService(Reform):
    """Digital one-stop service and merged forms (多表合一): less effort per report, and
    apps that want feeding (指尖上的形式主义).

    Digitisable types lose ``effort_cut`` of their effort: data entered once
    instead of into several systems, duplicate ledgers merged. The platforms
    also ask each staff member for ``app_duty_hours_per_staff_week`` of check-ins,
    screenshots and duplicate uploads, sent each working day as one
    administrative item per community, due the same day; so the reform's net
    effect can be negative.
    """

    name = "digital"
    build_order = 3
    DUTY_ID = "DIGITAL-APP-DUTY"

    @classmethod
    def from_scenario(cls, scenario: Scenario, streams: Streams) -> DigitalService:
        return cls(scenario["reforms.digital.effort_cut"],
                   scenario["reforms.digital.app_duty_hours_per_staff_week"], DAYS_PER_WEEK)

    def __init__(self, effort_cut: float, app_duty_hours_per_staff_week: float,
                 days_per_week: int):
        self.effort_cut = effort_cut
        self.app_duty_hours_per_staff_week = app_duty_hours_per_staff_week
        self.days_per_week = days_per_week
        self._duty_task = -1

    def effort_factor(self, catalog: TaskCatalog) -> np.ndarray:
        return np.where(catalog.digitisable, 1.0 - self.effort_cut, 1.0)

    def add_task_types(self, catalog: TaskCatalog) -> TaskCatalog:
        if not self.app_duty_hours_per_staff_week:
            return catalog
        template = np.flatnonzero(catalog.kind == ADMIN)[:1]
        duty = catalog.take(template).with_columns(
            task_id=np.array([self.DUTY_ID], dtype=object),
            name_zh=np.array(["政务App打卡、截图与重复填报"], dtype=object),
            name_en=np.array(["Government app check-ins, screenshots and duplicate uploads"],
                             dtype=object),
            department=np.array(["digital_platforms"], dtype=object),
            category=np.array(["general_administration"], dtype=object),
            arrival=np.array([DEMAND]), rate_per_1000hh_year=np.zeros(1),
            deadline_days=np.ones(1, dtype=catalog.deadline_days.dtype),
            assessment_weight=np.full(1, 0.5), digitisable=np.zeros(1, dtype=bool),
            grid_eligible=np.zeros(1, dtype=bool), on_access_list=np.ones(1, dtype=bool),
            scales_with_size=np.zeros(1, dtype=bool), effort_spread=np.zeros(1),
            effort_hours=np.ones(1), start_day=np.full(1, self.start_day, dtype=np.int32),
            source=np.array(["reform: reforms.digital.app_duty_hours_per_staff_week"],
                            dtype=object),
        )
        self._duty_task = len(catalog)
        return catalog.append(duty)

    def issue(self, day: int, staff: np.ndarray) -> Batch | None:
        if self._duty_task < 0:
            return None
        community = np.flatnonzero(staff > 0)
        hours = staff[community] * self.app_duty_hours_per_staff_week / self.days_per_week
        task = np.full(len(community), self._duty_task, dtype=np.int64)
        return Batch(community, task, hours, np.ones(len(task), dtype=np.int32),
                     np.full(len(task), REFORM, dtype=np.int8))


@register
class FewerAssessments(Reform):
    """Fewer assessments and merged inspections: street offices assess ``cut`` less often,
    and the documentation kept for assessment shrinks by the same share (``Documentation``:
    the assessment intensity falls by ``cut``)."""

    name = "fewer_assessments"
    build_order = 6

    @classmethod
    def from_scenario(cls, scenario: Scenario, streams: Streams) -> FewerAssessments:
        return cls(scenario["reforms.fewer_assessments.cut"],
                   lambda catalog: Documentation(catalog, scenario))

    def __init__(self, cut: float, documentation: Callable[[TaskCatalog], Documentation]):
        self.assessment_cut = cut
        self._documentation = documentation

    def effort_factor(self, catalog: TaskCatalog) -> np.ndarray:
        documentation = self._documentation(catalog)
        return documentation.factor(self.assessment_cut) / documentation.factor()


@register
class SplitCommunities(Reform):
    """Split every community above ``max_households`` into equal parts.

    Each part becomes a community with its own committee and the staffing the
    scenario gives a community, under the same relay.
    """

    name = "split"
    build_order = 0

    @classmethod
    def from_scenario(cls, scenario: Scenario, streams: Streams) -> SplitCommunities:
        return cls(scenario["reforms.split.max_households"])

    def __init__(self, max_households: float):
        self.max_households = max_households

    def reshape_city(self, city: CityLayout) -> CityLayout:
        parts = np.maximum(np.ceil(city.households / self.max_households), 1).astype(np.int64)
        return CityLayout(
            households=np.repeat(np.round(city.households / parts), parts),
            relay=np.repeat(city.relay, parts),
            relay_kind=city.relay_kind,
            origin=np.repeat(city.origin, parts),
        )


@register
class ProtectedTime(Reform):
    """A ``share`` of every pool's regular hours that administrative work may not take.

    Protected hours go to self-governance first, then to services; what is
    left of them the committee spends on discretionary resident work (a floor on
    resident work, see ``Committees``), never on admin work. Each street office
    honours the share as far as it enforces the reform, so protection erodes as
    inspections lapse.
    """

    name = "protected_time"
    build_order = 5

    @classmethod
    def from_scenario(cls, scenario: Scenario, streams: Streams) -> ProtectedTime:
        return cls(scenario["reforms.protected_time.share"],
                   enforcement_factory(scenario, streams, cls.name))

    def __init__(self, share: float, enforcement: EnforcementFactory):
        self.share = share
        self._make_enforcement = enforcement

    def start(self, city: CityLayout) -> None:
        self.enforcement = self._make_enforcement(len(city.relay_kind), self.start_day)

    def protected(self, day: int, relay: np.ndarray) -> np.ndarray:
        return self.share * self._enforcement().level(day)[relay]


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


def assessment_cut(reforms: list[Reform], day: int) -> float:
    """How much less often street offices assess on ``day``: the largest cut in force."""
    return max([reform.assessment_cut for reform in active(reforms, day)], default=0.0)


def reserved_hours(reforms: list[Reform], workforce: Workforce) -> np.ndarray:
    """Hours per pool every reform together takes off today's regular hours."""
    reserved = np.zeros(len(workforce))
    for reform in reforms:
        reserved += reform.reserved_hours(workforce)
    return reserved


def build_reforms(scenario: Scenario, streams: Streams) -> list[Reform]:
    """The registered reforms a scenario switches on, in their fixed build order, each with
    its start day."""
    reforms = [cls.from_scenario(scenario, streams)
               for cls in sorted(REFORMS.values(), key=lambda c: c.build_order)
               if scenario[f"reforms.{cls.name}.enabled"]]
    for reform in reforms:
        if reform.name in REFORMS_STARTING_LATER:
            reform.start_day = scenario[f"reforms.{reform.name}.start_day"]
    return reforms
