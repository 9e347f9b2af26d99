"""Communities (社区居民委员会): the committees' working day, and one agent per community.

``Committees`` is the agent type as a whole: every community's open work in
one sorted queue and every pool of people serving communities (committee,
workstation, zone service centre, grid workers) as arrays, so a day's work is
a few numpy passes over the whole city, never a loop over communities or
staff. It receives what the relays pass on, routes each instance to a pool,
spends the day's hours in passes, closes finished and abandoned work, and
keeps the books of all of it in the ledger as it happens.

``Community`` is the Mesa agent for one committee: a handle through which a
notebook, a Mesa DataCollector or the explore page reads that committee's state, a view
of the arrays above.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import mesa
import numpy as np

from sim import kernels
from sim.catalog import ADMIN, SELFGOV, SERVICE, TaskCatalog
from sim.documentation import Documentation
from sim.instances import FORMAL, INFORMAL, Batch
from sim.ledger import DAYS_PER_WEEK, Ledger
from sim.metrics import METRICS, Finished, so_far
from sim.policies import PriorityPolicy
from sim.reforms import Reform, Schedule, active, assessment_cut, reserved_hours
from sim.residents import co_produce
from sim.scenario import Scenario
from sim.staff import GRID, ZONE, Turnover, Workforce
from sim.street_offices import Assessment
from sim.workqueue import DONE_TOLERANCE, WorkQueue

# Who worked an hour, as the ledger books it: staff and overtime every day, purchased help
# on the days a reform buys it (its hours exist only then).
WORK_SOURCES = ("staff", "overtime")
CLOSING_COLUMNS = ("community", "task", "kind", "due", "arrival", "remaining")  # what close reads


class Committees:
    """Every community's pools and open work, and what they do with a working day."""

    def __init__(self, settings: Scenario, catalog: TaskCatalog, workforce: Workforce,
                 routes: Schedule[np.ndarray], admin_pool: np.ndarray, policy: PriorityPolicy,
                 reforms: list[Reform], ledger: Ledger, n_communities: int,
                 turnover: Turnover | None = None, assessment: Assessment | None = None,
                 relay: np.ndarray | None = None):
        self.catalog, self.workforce, self.routes = catalog, workforce, routes
        self.admin_pool, self.policy, self.reforms, self.ledger = (admin_pool, policy, reforms,
                                                                   ledger)
        self.n_communities = n_communities
        self.turnover = turnover
        self.days = settings["simulation.days"]
        self.lending_share = settings["governance.lending_share"]
        self.overtime_trigger_days = settings["staffing.overtime_trigger_days"]
        self.switch_cost_hours = settings["staffing.switch_cost_hours"]
        self.patience_days = settings["residents.patience_days"]
        self.chase_limit_days = settings["departments.chase_limit_days"]
        self.perfunctory_cut = settings["policy.perfunctory_cut"]
        self.discretionary_enabled = settings["committees.discretionary.enabled"]
        self.discretionary_ceiling = settings["committees.discretionary.ceiling_hours"]
        self.slack_share = settings["committees.discretionary.slack_share"]
        self.overdue_weight = settings["policy.overdue_weight"]
        self.volunteer_share = settings["residents.participation.volunteer_share"]
        self._has_partner = workforce.partner >= 0
        self.has_partners = bool(self._has_partner.any())
        # Pools whose hours count as the community's own staff's (not grid or zone centre),
        # and the roles present at all, looked up once: every day books hours by them.
        self._pool_is_own = (workforce.role != GRID) & (workforce.role != ZONE)
        self._roles_present = frozenset(workforce.role.tolist())
        # Per (pool, type): the position in the queue that last claimed it (see _after_switching).
        self._claimed_by = np.zeros(len(workforce) * len(catalog), dtype=np.int64)
        self.assessment = assessment
        self.relay = np.zeros(n_communities, dtype=np.int64) if relay is None else relay
        self.documentation = Documentation(catalog, settings)
        self.queue = WorkQueue()
        self._worked: dict[str, np.ndarray] = {}     # today's hours per instance, by source
        self.overtime_this_week = np.zeros(len(workforce))

    # --- receiving ----------------------------------------------------------------------
    def receive(self, day: int, accepted: Batch) -> None:
        """Route each accepted instance to a pool and put it in that pool's queue."""
        catalog, ledger = self.catalog, self.ledger
        community, task, effort, deadline, channel = accepted
        kind = catalog.kind[task]
        pool = self._dispatch(day, accepted)
        reforms = active(self.reforms, day)
        if reforms:
            funded = (self.workforce.is_community_staff[pool] & (kind == ADMIN)
                      & (channel == FORMAL))
            for reform in reforms:
                reform.on_accept(day, community[funded], task[funded], effort[funded])
        due = day + deadline.astype(np.int64) - 1
        ledger.add(day, "accepted", community)
        ledger.add(day, "informal_items", community[channel == INFORMAL])
        ledger.add(day, "effort_accepted", community, effort)
        ledger.add(day, "paperwork_hours", community,
                   self.documentation.hours(task, effort, assessment_cut(self.reforms, day)))
        ledger.add(day, "deadlines", community[due < self.days])
        selfgov = kind == SELFGOV
        ledger.add(day, "selfgov_hours_issued", community[selfgov], effort[selfgov])
        arrival = np.full(len(task), day, dtype=np.int32)
        self.queue.add(
            key=self.policy.key(pool, catalog.assessment_weight[task], due, arrival),
            pool=pool, community=community, task=task.astype(np.int32), kind=kind,
            due=due.astype(np.int32), arrival=arrival, remaining=effort.copy(), effort=effort,
            channel=channel,
        )

    def _dispatch(self, day: int, accepted: Batch) -> np.ndarray:
        """The pool each arriving instance joins: its route, as reforms adjust it today."""
        community, task, effort = accepted.community, accepted.task, accepted.effort
        pool = self.routes.at(day)[community, task]
        reforms = active(self.reforms, day)
        if reforms:
            open_hours = np.bincount(self.queue.pool, self.queue.remaining,
                                     minlength=len(self.workforce))
            for reform in reforms:
                pool = reform.dispatch(pool, community, task, effort, open_hours)
        return pool

    # --- working --------------------------------------------------------------------------
    def work(self, day: int, volunteer_hours: np.ndarray | None = None) -> None:
        """Spend the day's hours in passes; record who worked on what, and where hours went.

        Volunteers (``volunteer_hours`` per community, if residents respond) go
        first on resident items, booked apart from staff hours; purchased help
        takes administrative work; protected hours go to self-governance, then
        services; regular hours take everything in
        priority order; a workstation and its committee hand each other their
        spare hours (in full when the same people are cross-appointed);
        overtime goes to work due soon, spare overtime to the partner's. What
        own staff leave unused becomes discretionary resident work or slack.
        """
        queue, workforce = self.queue, self.workforce
        self._worked = {source: np.zeros(len(queue)) for source in WORK_SOURCES}
        available = workforce.regular_hours().astype(float)
        available -= self._learning(day)
        available -= self._reserve_duties(day, available)
        regular = self._after_switching(available)
        protected = regular * self._protected_share(day) * workforce.is_community_staff
        if volunteer_hours is not None:
            self._co_produce(day, volunteer_hours)
        self._purchase(day)
        protected_left = protected
        if protected.any():
            protected_left = protected - self._spend((queue.kind == SELFGOV).nonzero()[0],
                                                     protected)
            protected_left -= self._spend((queue.kind == SERVICE).nonzero()[0], protected_left)
        pressed = self._pressed_work()      # the queue holds the same items all day
        spare = regular - protected - self._pressed_first(regular - protected, pressed)
        spare -= queue.work(None, spare, self._worked["staff"])
        if self.has_partners:
            spare -= self._returned(self._spend(self._partnered_work(), self._lent(spare)))
        self._overtime(day, pressed)
        self._record(day)
        self._plan_own_time(day, available - regular, protected_left, spare)

    def _protected_share(self, day: int) -> np.ndarray:
        """Share of each pool's regular hours protected today: the largest any reform gives
        its community (0 for pools serving no single community)."""
        share = np.zeros(self.n_communities)
        for reform in active(self.reforms, day):
            share = np.maximum(share, reform.protected(day, self.relay))
        community = self.workforce.community
        return np.where(community >= 0, share[np.maximum(community, 0)], 0.0)

    def _pressed_work(self) -> np.ndarray | None:
        """Open assessed items of communities their street office has pressed, in their own
        staff's queues (a zone centre or grid workers serve other communities too and are
        not scored), as queue positions; None when no community is pressed."""
        assessment, queue = self.assessment, self.queue
        if assessment is None or not assessment.pressed.any() or not len(queue):
            return None
        items = assessment.pressed[queue.community].nonzero()[0]   # few communities
        keep = (self.workforce.is_community_staff[queue.pool[items]]
                & assessment.assessed[queue.task[items]])
        return items[keep]

    def _pressed_first(self, hours: np.ndarray, pressed: np.ndarray | None) -> np.ndarray:
        """A pressed community's staff put veto items, then assessed items, before all else
        (their own pools' hours only); returns the hours so used per pool."""
        if pressed is None:
            return np.zeros(len(self.workforce))
        assessment, queue = self.assessment, self.queue
        assert assessment is not None  # pressed work exists only under an assessment
        used = self._spend(pressed[assessment.veto[queue.task[pressed]]], hours)
        return used + self._spend(pressed, hours - used)

    def _purchase(self, day: int) -> None:
        """Purchased help bought with money that follows the task takes administrative work;
        the money arriving and the hours used are booked, and the hours paid for."""
        for reform in active(self.reforms, day):
            bought = reform.purchase(day)
            if bought is None:
                continue
            hours = np.zeros(len(self.workforce))
            hours[self.admin_pool] = bought.hours
            worked = self.queue.allocate(hours, self.queue.kind == ADMIN)
            self._worked.setdefault("purchased", np.zeros(len(self.queue)))
            self._worked["purchased"] += worked
            used = np.bincount(self.queue.community, worked, minlength=self.n_communities)
            reform.spend(day, used)
            self.ledger.add(day, "funding_yuan", np.arange(self.n_communities),
                            bought.received_yuan)

    def _co_produce(self, day: int, volunteer_hours: np.ndarray) -> None:
        """Volunteers' hours on open resident items, booked as ``volunteer_hours``, not as
        staff hours."""
        items, worked = co_produce(self.queue, volunteer_hours, self.volunteer_share)
        self.ledger.add(day, "volunteer_hours", self.queue.community[items], worked)

    def _learning(self, day: int) -> np.ndarray:
        """Hours new hires still learning do not yet deliver (novices count in part), booked
        as ``learning_hours``."""
        workforce = self.workforce
        if self.turnover is None:
            return np.zeros(len(workforce))
        shortfall = (workforce.staff - self.turnover.effective_staff()) * workforce.hours_per_staff
        own = workforce.is_community_staff
        self.ledger.add(day, "learning_hours", workforce.community[own], shortfall[own])
        return shortfall

    def _reserve_duties(self, day: int, hours: np.ndarray) -> np.ndarray:
        """Hours reforms reserve for standing duties (grid heads' grid work, 5.3.12), booked
        as ``grid_duty_hours``; they never exceed a pool's hours."""
        reforms = active(self.reforms, day)
        if not reforms:                                 # nothing reserved, nothing to book
            return np.zeros(len(self.workforce))
        duty = np.minimum(reserved_hours(reforms, self.workforce), hours)
        own = self.workforce.is_community_staff
        self.ledger.add(day, "grid_duty_hours", self.workforce.community[own], duty[own])
        return duty

    def _overtime(self, day: int, pressed: np.ndarray | None) -> None:
        """Overtime on work due soon, and on a pressed community's assessed work, each
        pool's own first, then its partner's; the hours count towards the overtime of the
        people who worked them."""
        queue, workforce = self.queue, self.workforce
        cap = workforce.overtime_hours()
        if not (cap > 0).any():
            return
        pressing = queue.due <= day + self.overtime_trigger_days
        if pressed is not None:
            pressing[pressed] = True
        items = pressing.nonzero()[0]
        own = self._spend(items, cap, "overtime")
        self.overtime_this_week += own
        if self.has_partners:
            # Only partnered pools receive lent hours: the pass reaches their work alone.
            lent = self._spend(items, self._lent(cap - own), "overtime")
            self.overtime_this_week += self._returned(lent)

    def _plan_own_time(self, day: int, switching: np.ndarray, protected_left: np.ndarray,
                       spare: np.ndarray) -> None:
        """Own staff's regular hours that no assigned work took: discretionary resident work
        up to a ceiling per person (protected hours all of it, a floor on resident work),
        the rest slack. Every term is booked here, where the hours go unused."""
        workforce = self.workforce
        own = workforce.is_community_staff
        discretionary = np.zeros(len(workforce))
        if self.discretionary_enabled:
            offered = protected_left + spare * (1.0 - self.slack_share)
            ceiling = workforce.staff * self.discretionary_ceiling
            discretionary = np.maximum(protected_left, np.minimum(offered, ceiling))
        slack = protected_left + spare - discretionary
        community = workforce.community[own]
        ledger = self.ledger
        ledger.add(day, "regular_hours", community, workforce.regular_hours()[own])
        ledger.add(day, "switching_hours", community, switching[own])
        ledger.add(day, "hours_discretionary", community, discretionary[own])
        ledger.add(day, "slack_hours", community, slack[own])

    def _partnered_work(self) -> np.ndarray:
        """Queue positions of the work in pools with a lending partner: only they can
        receive lent hours (in a mixed city, the workstation districts' few)."""
        return self._has_partner[self.queue.pool].nonzero()[0]

    def _lent(self, spare: np.ndarray) -> np.ndarray:
        """Hours each pool receives from its partner (workstation <-> committee)."""
        workforce = self.workforce
        lent = np.zeros(len(workforce))
        partnered = workforce.partner >= 0
        lent[workforce.partner[partnered]] = spare[partnered] * self.lending_share
        return lent

    def _returned(self, used_by_borrower: np.ndarray) -> np.ndarray:
        """Lent hours a partner used, charged back to the pool whose people worked them."""
        partner = self.workforce.partner
        return np.where(partner >= 0, used_by_borrower[partner], 0.0)

    def _after_switching(self, hours: np.ndarray) -> np.ndarray:
        """Each pool's regular hours less the cost of juggling the task types it has open.

        Only community staff pay it: the committee and the workstation each for
        their own open types.
        """
        queue = self.queue
        cost = self.switch_cost_hours
        if not cost or not len(queue):
            return hours
        open_types = kernels.open_types(queue.pool, queue.task, len(self.catalog),
                                        len(self.workforce), self._claimed_by)
        loss = cost * open_types * self.workforce.is_community_staff
        return np.maximum(hours - loss, 0.0)

    def _spend(self, items: np.ndarray, capacity: np.ndarray,
               source: str = "staff") -> np.ndarray:
        """A pass over the listed items (queue positions): their hours noted under
        ``source`` (booked once the day's passes are done, ``_record``); returns hours used
        per pool."""
        if not len(items) or not (capacity > 0).any():
            return np.zeros(len(self.workforce))
        return self.queue.work(items, capacity, self._worked[source])

    def _record(self, day: int) -> None:
        """Book the day's hours per instance, by who worked them: the queue holds the same
        instances through every pass of a day, so the passes' hours add up per instance
        and are booked in one go."""
        queue, ledger = self.queue, self.ledger
        if not len(queue):
            return
        staff, overtime = (self._worked[source] for source in WORK_SOURCES)
        purchased = self._worked.get("purchased")
        people = staff + overtime
        touched = people > 0.0
        if purchased is not None:
            touched |= purchased > 0.0
        worked = touched.nonzero()[0]                  # the items anyone touched
        people, overtime = people[worked], overtime[worked]
        task, community, pool = queue.task[worked], queue.community[worked], queue.pool[worked]
        if purchased is None:
            ledger.add_task("hours", task, people)
        else:
            ledger.add_task("hours", task, people + purchased[worked])
            ledger.add(day, "purchased_hours", community, purchased[worked])
        own = self._pool_is_own[pool]
        ledger.add_hours_by_kind(day, community[own], queue.kind[worked][own], people[own])
        informal = own & (queue.channel[worked] == INFORMAL)
        ledger.add(day, "informal_admin_hours", community[informal], people[informal])
        for role, field in ((GRID, "grid_hours"), (ZONE, "zone_hours")):
            if role in self._roles_present:
                theirs = self.workforce.role[pool] == role
                ledger.add(day, field, community[theirs], people[theirs])
        ledger.add(day, "overtime_hours", community[own], overtime[own])

    # --- closing ----------------------------------------------------------------------------
    def close(self, day: int) -> None:
        """Finished work leaves (late if past its deadline); resident requests left too long
        are withdrawn unserved, administrative work chased too long is written off; work
        falling due today is chased."""
        queue, ledger = self.queue, self.ledger
        leaving = queue.finished()
        # Every rule but the first reads only work due by today (or by a later day, were a
        # limit negative): one pass finds it, the rules then read that part alone.
        horizon = day - min(self.patience_days, self.chase_limit_days, 0)
        due_by = (queue.due <= horizon).nonzero()[0]
        due, admin = queue.due[due_by], queue.kind[due_by] == ADMIN
        leaving[due_by[~admin & (due <= day - self.patience_days)]] = True  # requests withdrawn
        leaving[due_by[admin & (due <= day - self.chase_limit_days)]] = True  # chasing stops
        missed = due_by[admin & (due == day)]
        missed = missed[~leaving[missed]]
        finished = queue.at(leaving.nonzero()[0], CLOSING_COLUMNS)
        was_done = finished["remaining"] <= DONE_TOLERANCE
        late = was_done & (day > finished["due"])
        written_off = ~was_done & (finished["kind"] == ADMIN)
        gone = ~was_done & ~written_off
        ledger.add(day, "written_off", finished["community"][written_off])
        ledger.add(day, "written_off_hours", finished["community"][written_off],
                   finished["remaining"][written_off])
        ledger.add_task("written_off", finished["task"][written_off])
        ledger.add(day, "completed", finished["community"][was_done])
        ledger.add(day, "completed_late", finished["community"][late])
        ledger.add(day, "lapsed", finished["community"][gone])
        ledger.add(day, "lapsed_hours", finished["community"][gone], finished["remaining"][gone])
        resident = finished["kind"] != ADMIN
        ledger.add(day, "resident_finished", finished["community"][resident])
        ledger.add(day, "resident_on_time", finished["community"][resident & was_done & ~late])
        ledger.add(day, "days_open_finished", finished["community"],
                   (day - finished["arrival"]).astype(float))
        open_items = (np.bincount(queue.community, minlength=self.n_communities)
                      - np.bincount(finished["community"], minlength=self.n_communities))
        ledger.add(day, "open_item_days", np.arange(self.n_communities), open_items)
        unmet = gone & (finished["kind"] == SELFGOV)
        ledger.add(day, "unmet_selfgov_hours", finished["community"][unmet],
                   finished["remaining"][unmet])
        if self.assessment is not None:
            on_time = was_done & ~late & (finished["kind"] == ADMIN)
            self.assessment.done_on_time(finished["community"][on_time], finished["task"][on_time])
        ledger.add_task("completed", finished["task"][was_done])
        ledger.add_task("completed_late", finished["task"][late])
        ledger.add_task("lapsed", finished["task"][gone])
        own = self.workforce.is_community_staff
        ledger.add(day, "staff_days", self.workforce.community[own], self.workforce.staff[own])
        chased = self._cut_corners(day, missed)
        leaving[missed] = True              # chased work moves: out, and in with its new key
        queue.update(leaving, chased)

    def _cut_corners(self, day: int, missed: np.ndarray) -> dict[str, np.ndarray] | None:
        """Administrative work that misses its deadline today is chased, then done for form's sake.

        Field studies: departments chase overdue items (催办), and unassessed
        tasks are done perfunctorily once late. So a missed task's priority
        weight rises to at least ``policy.overdue_weight`` (nothing waits
        forever), and ``perfunctory_cut x (1 - assessment weight)`` of what is
        left of it is dropped, once: closely checked work keeps its full effort.

        ``missed`` lists the open administrative items due today (queue positions); returns
        their columns with their new keys, for the queue to move them, or None if none missed.
        """
        queue = self.queue
        if not len(missed):
            return None
        if self.assessment is not None:
            self.assessment.missed(queue.community[missed], queue.task[missed])
        weight = self.catalog.assessment_weight[queue.task[missed]]
        skipped = queue.remaining[missed] * self.perfunctory_cut * (1 - weight)
        queue.remaining[missed] -= skipped
        self.ledger.add(day, "perfunctory_hours", queue.community[missed], skipped)
        chased = queue.at(missed)
        chased["key"] = self.policy.key(chased["pool"], np.maximum(weight, self.overdue_weight),
                                        chased["due"], chased["arrival"])
        return chased

    # --- the week's end ---------------------------------------------------------------------
    def end_week(self, day: int) -> np.ndarray:
        """Record the stocks at the week's end; return and reset each pool's overtime per
        person this week, scaled to a full week when the run ends mid-week."""
        queue, ledger, workforce = self.queue, self.ledger, self.workforce
        n = self.n_communities
        ledger.set_stock(day, "backlog_hours",
                         np.bincount(queue.community, queue.remaining, minlength=n))
        ledger.set_stock(day, "open_items", np.bincount(queue.community, minlength=n))
        ledger.set_stock(day, "overdue_open",
                         np.bincount(queue.community[queue.due < day + 1], minlength=n))
        own = workforce.is_community_staff
        ledger.set_stock(day, "staff",
                         np.bincount(workforce.community[own], workforce.staff[own], minlength=n))
        days_in_week = day % DAYS_PER_WEEK + 1
        per_staff = self.overtime_this_week / np.maximum(workforce.staff, 1)
        per_staff *= DAYS_PER_WEEK / days_in_week
        self.overtime_this_week[:] = 0.0
        return per_staff


@dataclass(frozen=True)
class CommunityIdentity:
    """Who a community is (its roster row, or the synthetic city's numbering)."""

    community_id: str
    name: str = ""
    district: str = ""
    governance: str = ""


class Community(mesa.Agent):
    """One residents' committee and the pools of people who work for it.

    Its identity is plain attributes (``community_id``, ``name``, ``district``,
    ``governance``) so that a Mesa DataCollector can report them by name.
    """

    def __init__(self, model: mesa.Model, index: int, households: float, relay: int,
                 pools: np.ndarray, identity: CommunityIdentity | None = None):
        super().__init__(model)
        self.index = index
        self.households = households
        self.relay = relay
        self.pools = pools
        identity = identity or CommunityIdentity(str(index))
        self.community_id = identity.community_id
        self.name = identity.name or identity.community_id
        self.district = identity.district
        self.governance = identity.governance

    @property
    def staff(self) -> int:
        """Committee and workstation staff at work now."""
        workforce = self.model.workforce
        own = self.pools[workforce.is_community_staff[self.pools]]
        return int(workforce.staff[own].sum())

    @property
    def open_items(self) -> int:
        return int(np.count_nonzero(self.model.queue.community == self.index))

    @property
    def backlog_hours(self) -> float:
        queue = self.model.queue
        return float(queue.remaining[queue.community == self.index].sum())

    @property
    def overdue_items(self) -> int:
        """Open items already past their deadline."""
        queue = self.model.queue
        return int(np.count_nonzero((queue.community == self.index)
                                    & (queue.due < self.model.day)))

    @property
    def admin_share(self) -> float:
        """Share of own staff's hours on administrative work over the measured days so far
        (NaN in the warm-up): the city metric of that name, for this community alone."""
        return self._metric("admin_share")

    @property
    def resident_hours_per_1000_households(self) -> float:
        """Resident-facing hours per 1,000 households over the measured days so far."""
        return self._metric("resident_hours_per_1000_households")

    @property
    def assessment_score(self) -> float:
        """The street office's latest score of this community (1 before the first)."""
        return float(self.model.assessment.score[self.index])

    @property
    def pressed(self) -> bool:
        """Whether that score left the community pressed (assessed work first)."""
        return bool(self.model.assessment.pressed[self.index])

    def _metric(self, name: str) -> float:
        window = so_far(self.model)
        if window is None:
            return math.nan
        return METRICS[name].compute(Finished(self.model, window,
                                              np.array([self.index], dtype=np.int64)))


# A community agent's state as attributes, by name: what a Mesa DataCollector's agent reporters
# or a page's community panel read.
COMMUNITY_STATE = ("community_id", "name", "district", "governance", "households", "staff",
                   "open_items", "overdue_items", "backlog_hours", "admin_share",
                   "resident_hours_per_1000_households", "assessment_score", "pressed")
