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
from typing import ClassVar, Generic, NamedTuple, TypeVar

import numpy as np
from numpy.typing import ArrayLike

from sim.catalog import TaskCatalog
from sim.city import CityLayout
from sim.enforcement import Enforcement
from sim.instances import Batch
from sim.languages import Bilingual
from sim.param import Param
from sim.scenario import Scenario
from sim.staff import Workforce
from sim.streams import Streams

NEVER = np.iinfo(np.int32).max
T = TypeVar("T")
R = TypeVar("R", bound="Reform")
EnforcementFactory = Callable[[int, int], Enforcement]   # (relays, start day) -> Enforcement


class Purchase(NamedTuple):
    """What money that follows the task brings a community today."""

    hours: np.ndarray          # hours of purchased help it can use, per community
    received_yuan: np.ndarray  # money that reached it today, per community


class Reform:
    """Base class: every hook leaves the model as it is.

    A reform class declares, besides its hooks: its ``name`` (the scenario's keys
    are ``reforms.NAME.*``); its ``parameters``, every such key with the switch
    ``reforms.NAME.enabled`` first (``sim.parameters`` lists them with the model's
    own); whether it ``starts_later`` than day 0 can be set (then
    ``reforms.NAME.start_day`` is added for it); and its ``label``, the name charts
    give it in every language.
    """

    name = ""
    label: ClassVar[Bilingual[str]]
    parameters: ClassVar[tuple[Param, ...]] = ()
    starts_later: ClassVar[bool] = True
    build_order = 0        # place among the reforms a scenario switches on (hooks run in it)
    start_day = 0          # first working day the reform is in force
    assessment_cut = 0.0   # share by which street offices assess less often
    enforcement: Enforcement | None = None
    # Its spend: the cost line it joins (``sim.costs.LINES``; "" if it costs nothing itself)
    # and the keys that scale it, which ``commsim compare --budget`` may set (none: it is
    # reported at its own cost).
    cost_line: ClassVar[str] = ""
    size_keys: ClassVar[tuple[str, ...]] = ()
    # Keys that say what the reform is (its share, its threshold), chosen by whoever enacts
    # it rather than uncertain: a robust comparison keeps them at the scenario's values
    # (sim.robust.reform_priors), as it keeps ``size_keys``.
    policy_keys: ClassVar[tuple[str, ...]] = ()
    flat_yuan_year = 0.0   # a flat yearly cost per community, if its from_scenario sets one

    @classmethod
    def all_parameters(cls) -> tuple[Param, ...]:
        """The keys it declares, and ``reforms.NAME.start_day`` if it can start later, so
        that a run shows the before and the after."""
        if not cls.starts_later:
            return cls.parameters
        return (*cls.parameters,
                Param(f"reforms.{cls.name}.start_day", 0, int,
                      "working day the reform comes into force (0 = from the start); its "
                      "effects begin that day", "scenario choice", 0, 20000))

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

    def yearly_cost(self, n_communities: int) -> np.ndarray:
        """Yuan a year each community costs while the reform is in force, for its
        ``cost_line``; counted from its start day only, so that the before costs what the
        baseline costs."""
        return np.full(n_communities, float(self.flat_yuan_year))

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
        if reform.starts_later:
            reform.start_day = scenario[f"reforms.{reform.name}.start_day"]
    return reforms
