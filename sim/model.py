"""The city model: departments push work down, relays pass it on, community staff work it off.

One ``step`` is one working day:

1. replacements for staff who quit start work;
2. every department issues its instances; the relays refuse what the access
   list bars (bar leakage); accepted instances join the queue of the pool the
   governance model and reforms route them to;
3. hours are spent in passes: purchased help on administrative work, protected
   hours on self-governance then services, regular hours on everything by the
   priority policy, hours lent between workstation and committee, overtime on
   pressing work;
4. finished work leaves the queue (late if after its deadline); resident demand
   left unserved too long past its deadline is withdrawn and counted as unmet;
5. at a week's end, stocks are recorded and staff quit under overload.
"""

from __future__ import annotations

import mesa
import numpy as np

from sim.catalog import ADMIN, SELFGOV, SERVICE, load_catalog
from sim.city import ZONE_COMMITTEE, build_city
from sim.communities import Community
from sim.departments import Department, IssueContext, propose_new_tasks
from sim.governance import admin_pool, build_workforce, route_table
from sim.ledger import DAYS_PER_WEEK, Ledger
from sim.policies import POLICIES
from sim.reforms import Reform, build_reforms
from sim.scenario import Scenario
from sim.staff import GRID, ZONE, Turnover
from sim.streams import Streams
from sim.street_offices import StreetOffice, ZoneCommittee
from sim.workqueue import DONE_TOLERANCE, WorkQueue


class CommunityWorkloadModel(mesa.Model):
    """A city's communities working through pushed-down tasks, one working day per step."""

    def __init__(self, scenario: Scenario, seed: int = 0, replicate: int = 0,
                 reforms: list[Reform] | None = None):
        streams = Streams(seed, replicate)
        super().__init__(rng=streams.get("mesa"))
        self.settings = scenario
        self.seed, self.replicate = seed, replicate
        self.days = scenario["simulation.days"]
        self.day = 0
        self.reforms = build_reforms(scenario, streams) if reforms is None else reforms
        self._build_city(streams)
        self._build_catalog(streams)
        self._build_workforce(streams)
        self.policy = POLICIES[scenario["policy.priority"]]
        self.queue = WorkQueue()
        self.ledger = Ledger(self.days, self.city.n_communities, len(self.catalog))
        self._leak_rng = streams.get("access_list", "leakage")
        self._overtime_week = np.zeros(len(self.workforce))
        self._create_agents(streams)

    # --- construction -------------------------------------------------------
    def _build_city(self, streams: Streams) -> None:
        city = build_city(self.settings, streams)
        for reform in self.reforms:
            city = reform.reshape_city(city)
        for reform in self.reforms:
            reform.start(city)
        self.city = city

    def _build_catalog(self, streams: Streams) -> None:
        self.issue_context = IssueContext(self.settings, self.city.households)
        base = load_catalog(self.settings["tasks.catalog"])
        catalog = base.append(propose_new_tasks(base, streams, self.issue_context))
        factor = np.ones(len(catalog))
        allowed_from = catalog.start_day.astype(np.int64)
        for reform in self.reforms:
            factor = factor * reform.effort_factor(catalog)
            allowed_from = reform.gate(catalog, allowed_from)
        self.issue_context.set_catalog(catalog, factor)
        self.catalog = catalog
        self.allowed_from = allowed_from

    def _build_workforce(self, streams: Streams) -> None:
        scenario = self.settings
        workforce = build_workforce(scenario, self.city)
        for reform in self.reforms:
            workforce = reform.add_pools(self.city, workforce)
        routes = route_table(scenario, self.catalog, self.city, workforce)
        for reform in self.reforms:
            routes = reform.reroute(self.catalog, routes, workforce)
        self.workforce, self.routes = workforce, routes
        self.admin_pool = admin_pool(scenario, workforce, self.city.n_communities)
        self.protected_share = max([r.protected_share for r in self.reforms], default=0.0)
        self.turnover = None
        if scenario["staffing.turnover.enabled"]:
            self.turnover = Turnover.from_scenario(workforce, scenario, streams.get("turnover"))

    def _create_agents(self, streams: Streams) -> None:
        for name in self.catalog.departments():
            Department(self, name, self.catalog, self.issue_context, streams)
        for index, kind in enumerate(self.city.relay_kind):
            relay_class = ZoneCommittee if kind == ZONE_COMMITTEE else StreetOffice
            relay_class(self, index, np.flatnonzero(self.city.relay == index))
        pools_by_community = [[] for _ in range(self.city.n_communities)]
        for pool, community in enumerate(self.workforce.community):
            if community >= 0:
                pools_by_community[community].append(pool)
        for index, households in enumerate(self.city.households):
            Community(self, index, float(households), int(self.city.relay[index]),
                      np.array(pools_by_community[index], dtype=np.int64))
        self.departments = list(self.agents_by_type[Department])

    def run_to_end(self) -> None:
        """Step through every working day of the scenario (Mesa's own loop, spelled out so it
        works the same on every Mesa 3 release)."""
        while self.running:
            self.step()

    # --- the working day ------------------------------------------------------
    def step(self) -> None:
        day = self.day
        if self.turnover is not None:
            own = self.workforce.is_community_staff
            hires = self.turnover.start_of_day(day)
            self.ledger.add(day, "hires", self.workforce.community[own], hires[own])
        self._receive(day)
        self._work(day)
        self._close(day)
        if day % DAYS_PER_WEEK == DAYS_PER_WEEK - 1 or day == self.days - 1:
            self._end_week(day)
        self.day += 1
        self.running = self.day < self.days

    def _receive(self, day: int) -> None:
        issued = [department.issue(day) for department in self.departments]
        community = np.concatenate([b[0] for b in issued])
        task = np.concatenate([b[1] for b in issued])
        effort = np.concatenate([b[2] for b in issued])
        refused = day < self.allowed_from[task]
        for reform in self.reforms:
            refused &= ~reform.leak(refused, self._leak_rng)
        ledger, catalog = self.ledger, self.catalog
        ledger.add(day, "issued", community)
        ledger.add(day, "refused", community[refused])
        ledger.add_task("issued", task)
        ledger.add_task("refused", task[refused])
        accepted = ~refused
        community, task, effort = community[accepted], task[accepted], effort[accepted]
        kind = catalog.kind[task]
        pool = self._dispatch(community, task, effort)
        own = self.workforce.is_community_staff[pool]
        for reform in self.reforms:
            reform.on_accept(day, community[own], kind[own], effort[own])
        due = day + catalog.deadline_days[task] - 1
        ledger.add(day, "accepted", community)
        ledger.add(day, "effort_accepted", community, effort)
        ledger.add(day, "deadlines", community[due < self.days])
        selfgov = kind == SELFGOV
        ledger.add(day, "selfgov_hours_issued", community[selfgov], effort[selfgov])
        arrival = np.full(len(task), day, dtype=np.int32)
        self.queue.add(
            key=self.policy.key(pool, catalog.assessment_weight[task], due, arrival),
            pool=pool, community=community, task=task.astype(np.int32), kind=kind,
            due=due.astype(np.int32), arrival=arrival, remaining=effort.copy(), effort=effort,
        )

    def _dispatch(self, community: np.ndarray, task: np.ndarray,
                  effort: np.ndarray) -> np.ndarray:
        """The pool each arriving instance joins: its route, as reforms adjust it today."""
        pool = self.routes[community, task]
        open_hours = np.bincount(self.queue.pool, self.queue.remaining,
                                 minlength=len(self.workforce))
        for reform in self.reforms:
            pool = reform.dispatch(pool, community, task, effort, open_hours)
        return pool

    def _work(self, day: int) -> None:
        """Spend the day's hours in passes; record who worked on what."""
        queue, workforce = self.queue, self.workforce
        n_pools = len(workforce)
        regular = self._regular_hours()
        protected = regular * self.protected_share * workforce.is_community_staff
        purchased = np.zeros(n_pools)
        for reform in self.reforms:
            bought = reform.purchased_hours(day)
            if bought is not None:
                purchased[self.admin_pool] += bought
        admin = queue.kind == ADMIN
        self._record(day, queue.allocate(purchased, admin), "purchased")
        left = protected - self._used(day, queue.allocate(protected, queue.kind == SELFGOV))
        self._used(day, queue.allocate(left, queue.kind == SERVICE))
        spare = regular - protected - self._used(day, queue.allocate(regular - protected))
        lent = np.zeros(n_pools)
        partnered = workforce.partner >= 0
        lent[workforce.partner[partnered]] = (
            spare[partnered] * self.settings["governance.lending_share"])
        self._used(day, queue.allocate(lent))
        pressing = queue.due <= day + self.settings["staffing.overtime_trigger_days"]
        overtime = queue.allocate(workforce.overtime_hours(), pressing)
        self._overtime_week += np.bincount(queue.pool, overtime, minlength=n_pools)
        self._record(day, overtime, "overtime")

    def _regular_hours(self) -> np.ndarray:
        """Each pool's regular hours (new hires still learning count in part) less the cost of
        juggling the task types it has open.

        Only community staff pay it: the committee and the workstation each for
        their own open types.
        """
        workforce, queue = self.workforce, self.queue
        staff = workforce.staff if self.turnover is None else self.turnover.effective_staff()
        hours = staff * workforce.hours_per_staff
        cost = self.settings["staffing.switch_cost_hours"]
        if cost and len(queue):
            n_pools, n_tasks = len(workforce), len(self.catalog)
            open_per_type = np.bincount(queue.pool * n_tasks + queue.task,
                                        minlength=n_pools * n_tasks).reshape(n_pools, n_tasks)
            open_types = np.count_nonzero(open_per_type, axis=1)
            loss = cost * open_types * workforce.is_community_staff
            hours = np.maximum(hours - loss, 0.0)
        return hours

    def _used(self, day: int, worked: np.ndarray) -> np.ndarray:
        """Record a pass's hours by the pool that worked them; return hours used per pool."""
        self._record(day, worked, "staff")
        return np.bincount(self.queue.pool, worked, minlength=len(self.workforce))

    def _record(self, day: int, worked: np.ndarray, source: str) -> None:
        queue, ledger = self.queue, self.ledger
        if not len(queue):
            return
        ledger.add_task("hours", queue.task, worked)
        if source == "purchased":
            ledger.add(day, "purchased_hours", queue.community, worked)
            return
        role = self.workforce.role[queue.pool]
        own = (role != GRID) & (role != ZONE)
        ledger.add_hours_by_kind(day, queue.community[own], queue.kind[own], worked[own])
        ledger.add(day, "grid_hours", queue.community[role == GRID], worked[role == GRID])
        ledger.add(day, "zone_hours", queue.community[role == ZONE], worked[role == ZONE])
        if source == "overtime":
            ledger.add(day, "overtime_hours", queue.community[own], worked[own])

    def _close(self, day: int) -> None:
        queue, ledger = self.queue, self.ledger
        done = queue.finished()
        overdue = day - queue.due
        lapse = ~done & (queue.kind != ADMIN) & (overdue >= self.settings[
            "residents.patience_days"])
        finished = queue.remove(done | lapse)
        was_done = finished["remaining"] <= DONE_TOLERANCE
        late = was_done & (day > finished["due"])
        gone = ~was_done
        ledger.add(day, "completed", finished["community"][was_done])
        ledger.add(day, "completed_late", finished["community"][late])
        ledger.add(day, "lapsed", finished["community"][gone])
        ledger.add(day, "lapsed_hours", finished["community"][gone], finished["remaining"][gone])
        ledger.add(day, "days_open_finished", finished["community"],
                   (day - finished["arrival"]).astype(float))
        ledger.add(day, "open_item_days", queue.community)
        unmet = gone & (finished["kind"] == SELFGOV)
        ledger.add(day, "unmet_selfgov_hours", finished["community"][unmet],
                   finished["remaining"][unmet])
        ledger.add_task("completed", finished["task"][was_done])
        ledger.add_task("completed_late", finished["task"][late])
        ledger.add_task("lapsed", finished["task"][gone])
        own = self.workforce.is_community_staff
        ledger.add(day, "staff_days", self.workforce.community[own], self.workforce.staff[own])
        self._cut_corners(day)

    def _cut_corners(self, day: int) -> None:
        """Administrative work that misses its deadline today is chased, then done for form's sake.

        Field studies: departments chase overdue items (催办), and unassessed
        tasks are done perfunctorily once late. So a missed task's priority
        weight rises to at least ``policy.overdue_weight`` (nothing waits
        forever), and ``perfunctory_cut x (1 - assessment weight)`` of what is
        left of it is dropped, once: closely checked work keeps its full effort.
        """
        queue = self.queue
        missed = (queue.kind == ADMIN) & (queue.due == day)
        if not missed.any():
            return
        weight = self.catalog.assessment_weight[queue.task[missed]]
        skipped = queue.remaining[missed] * self.settings["policy.perfunctory_cut"] * (1 - weight)
        queue.remaining[missed] -= skipped
        self.ledger.add(day, "perfunctory_hours", queue.community[missed], skipped)
        chased = np.maximum(weight, self.settings["policy.overdue_weight"])
        queue.rekey(missed, self.policy.key(queue.pool[missed], chased, queue.due[missed],
                                            queue.arrival[missed]))

    def _end_week(self, day: int) -> None:
        queue, ledger, workforce = self.queue, self.ledger, self.workforce
        n = self.city.n_communities
        ledger.set_stock(day, "backlog_hours",
                         np.bincount(queue.community, queue.remaining, minlength=n))
        ledger.set_stock(day, "open_items", np.bincount(queue.community, minlength=n))
        ledger.set_stock(day, "overdue_open",
                         np.bincount(queue.community[queue.due < day + 1], minlength=n))
        own = workforce.is_community_staff
        ledger.set_stock(day, "staff",
                         np.bincount(workforce.community[own], workforce.staff[own], minlength=n))
        if self.turnover is not None:
            days_in_week = day % DAYS_PER_WEEK + 1
            per_staff = self._overtime_week / np.maximum(workforce.staff, 1)
            per_staff *= DAYS_PER_WEEK / days_in_week
            quits = self.turnover.end_of_week(day, per_staff)
            ledger.add(day, "quits", workforce.community[own], quits[own])
        self._overtime_week[:] = 0.0
