"""Grid delegation (网格化): dedicated grid workers take grid-eligible work, committee
staff acting as grid heads give hours to grid duties."""

from __future__ import annotations

import numpy as np

from sim.catalog import ADMIN, TaskCatalog
from sim.city import CityLayout
from sim.governance import Governance
from sim.languages import Bilingual, Label
from sim.param import ASSUMPTION, Param
from sim.reforms.base import Reform, register
from sim.scenario import Scenario
from sim.staff import GRID, Workforce, make_pools
from sim.streams import Streams
from sim.workqueue import first_of_group, hours_ahead


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


def head_pools(city: CityLayout, workforce: Workforce) -> np.ndarray:
    """The pools whose staff act as grid heads: each community's pool for administrative
    work, as its own governance model says (the workstation under 议行分设)."""
    roles = Governance.of(city).admin_roles()
    own = workforce.community >= 0
    role_wanted = np.where(own, roles[np.where(own, workforce.community, 0)], -1)
    return np.flatnonzero(own & (workforce.role == role_wanted))


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
    cost_line = "grid"
    size_keys = ("city.grid_personnel_per_1000_households",)   # dedicated workers follow it
    label = Bilingual(en="Grid delegation", zh="网格承接")
    parameters = (
        Param("reforms.grid_delegation.enabled", False, bool,
              "grid workers take the grid-eligible tasks", "Hefei report: grid management"),
        Param("reforms.grid_delegation.hours_per_worker_day", 1.5, float,
              "hours a dedicated grid worker gives to delegated tasks per working day (own grid "
              "duties take the rest)", ASSUMPTION, 0, 24,
              plausible=(1, 3),
              label=Bilingual(en=Label("Grid hours per worker-day", "hours"),
                              zh=Label("网格员每日承接工时", "小时"))),
        Param("reforms.grid_delegation.head_duty_hours", 1.0, float,
              "hours a day a committee member acting as grid head spends on grid duties (patrol, "
              "reporting into the grid system), taken from the committee's regular hours",
              ASSUMPTION + ": a household visit a day and its report", 0, 24,
              plausible=(0.5, 2),
              label=Bilingual(en=Label("Grid head duty per day", "hours"),
                              zh=Label("网格长每日网格工时", "小时"))),
        Param("reforms.grid_delegation.buffer_days", 5.0, float,
              "most open work handed to grid workers, in days of their hours; the rest keeps its "
              "governance route", ASSUMPTION, 0, 250,
              plausible=(2, 10)),
    )

    @classmethod
    def from_scenario(cls, scenario: Scenario, streams: Streams) -> GridDelegation:
        key = "reforms.grid_delegation."
        reform = cls(scenario["city.grid_personnel_per_1000_households"],
                     scenario["city.grid_dedicated_share"], scenario[key + "hours_per_worker_day"],
                     scenario[key + "head_duty_hours"], scenario[key + "buffer_days"])
        reform.pay_yuan_month = scenario["costs.grid_worker_pay_yuan_month"]
        return reform

    def __init__(self, per_1000_households: float, dedicated_share: float,
                 hours_per_worker_day: float, head_duty_hours: float, buffer_days: float):
        self.per_1000_households = per_1000_households
        self.dedicated_share = dedicated_share
        self.hours_per_worker_day = hours_per_worker_day
        self.head_duty_hours = head_duty_hours
        self.buffer_days = buffer_days
        self._original = np.empty((0, 0), dtype=np.int64)
        self._is_grid = np.empty(0, dtype=bool)
        self._room = np.empty(0)
        self._head_pools = np.empty(0, dtype=np.int64)
        self._planned_heads = np.empty(0, dtype=np.int64)
        self._dedicated = np.empty(0, dtype=np.int64)
        self.pay_yuan_month = 0.0

    def add_pools(self, city: CityLayout, workforce: Workforce) -> Workforce:
        dedicated, heads = grid_personnel(city.households, self.per_1000_households,
                                          self.dedicated_share)
        self._head_pools = head_pools(city, workforce)
        self._planned_heads = heads[workforce.community[self._head_pools]]
        self._dedicated = dedicated
        grid = make_pools(np.arange(city.n_communities), city.relay, GRID, dedicated,
                          self.hours_per_worker_day, 0.0)
        return workforce.add_pools(grid)

    def yearly_cost(self, n_communities: int) -> np.ndarray:
        """The dedicated workers' pay; the heads are committee staff, paid in the staff line.
        Their head count is fixed (no turnover), so counts times pay is exact."""
        return self._dedicated * self.pay_yuan_month * 12.0

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
