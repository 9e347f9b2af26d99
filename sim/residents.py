"""Residents respond: participation that follows the committee's responsiveness.

Each community's residents have a participation level: the share of households
that took part in at least one committee activity or election in a year. At
each week's end it moves towards a target set by how responsive the committee
was that week (resident requests served on time; resident-facing staff hours
per 1,000 households), with a time constant, and decays towards zero when the
committee does not respond at all. Participation acts back on the committee in
three ways:

(a) self-governance demand (meetings, consultations, activities) scales with
    participation relative to the baseline level;
(b) volunteers co-produce services and self-governance work: a daily number
    of volunteer hours per community, spent on open resident items before
    staff hours and booked apart from them (``volunteer_hours``);
(c) resident requests withdrawn unserved turn, with a probability, into
    hotline complaint work orders that come back down as administrative items.

Everything is an array over communities; nothing loops over them.
"""

from __future__ import annotations

import numpy as np

from sim.catalog import ADMIN, SELFGOV, TaskCatalog
from sim.departments import Department, IssueContext
from sim.instances import Batch
from sim.ledger import DAYS_PER_WEEK, Ledger
from sim.scenario import Scenario
from sim.streams import Streams
from sim.workqueue import WorkQueue, served

KEY = "residents.participation."
RESIDENT_FACING = ("hours_service", "hours_self_governance", "hours_discretionary")


class Residents:
    """The residents of every community: participation, volunteers and complaints.

    State: ``participation`` per community, and ``pending`` complaint work
    orders per (day of the coming week, community) — the residents' memory
    of requests that went unserved.
    """

    def __init__(self, settings: Scenario, catalog: TaskCatalog, households: np.ndarray,
                 department: Department | None, context: IssueContext, ledger: Ledger,
                 streams: Streams):
        self.enabled = settings[KEY + "enabled"]
        self.households = households
        self.department, self.context, self.ledger = department, context, ledger
        self.days_per_year = settings["simulation.working_days_per_year"]
        self.days = settings["simulation.days"]
        if not self.enabled:
            return
        self.baseline = settings[KEY + "baseline"]
        self.time_constant_weeks = settings[KEY + "time_constant_weeks"]
        self.elasticity = settings[KEY + "elasticity"]
        self.on_time_weight = settings[KEY + "on_time_weight"]
        self.reference_on_time = settings[KEY + "reference_on_time_share"]
        self.reference_hours = settings[KEY + "reference_hours"]
        self.selfgov_elasticity = settings[KEY + "selfgov_elasticity"]
        self.volunteer_hours_per_household = settings[KEY + "volunteer_hours_per_household"]
        self.volunteer_share = settings[KEY + "volunteer_share"]
        self.complaint_probability = settings[KEY + "complaint_probability"]
        complaint = (catalog.task_id == settings[KEY + "complaint_task"]).nonzero()[0]
        self.complaint_task = int(complaint[0]) if len(complaint) else None
        self.participation = np.full(len(households), self.baseline)
        self.pending = np.zeros((DAYS_PER_WEEK, len(households)), dtype=np.int64)
        self._complaints = streams.get("residents", "complaints")
        self._efforts = streams.get("residents", "complaint_efforts")

    # --- what residents bring to the committee each day ------------------------------
    def volunteer_hours(self) -> np.ndarray | None:
        """Volunteer hours each community has today (None when residents do not respond):
        participating households times their yearly hours, spread over working days."""
        if not self.enabled:
            return None
        return (self.participation * self.households * self.volunteer_hours_per_household
                / self.days_per_year)

    def complaints(self, day: int) -> Batch:
        """Hotline complaint work orders that come down today, one instance each."""
        if not self.enabled or self.complaint_task is None:
            return Batch.empty()
        counts = self.pending[day % DAYS_PER_WEEK]
        community = np.repeat(np.arange(len(counts)), counts)
        counts[:] = 0
        task = np.full(len(community), self.complaint_task, dtype=np.int64)
        self.ledger.add(day, "complaints", community)
        return Batch.formal(community, task,
                            self.context.effort(day, community, task, self._efforts),
                            self.context.deadline_days)

    # --- how residents respond at the week's end ---------------------------------------
    def respond(self, day: int) -> None:
        """At a week's end: participation moves with the week's responsiveness, demand for
        self-governance follows it, and lapsed requests become next week's complaints."""
        if not self.enabled or not (day % DAYS_PER_WEEK == DAYS_PER_WEEK - 1
                                    or day == self.days - 1):
            return
        days_in_week = day % DAYS_PER_WEEK + 1
        weeks = days_in_week / DAYS_PER_WEEK
        step = 1.0 - np.exp(-weeks / self.time_constant_weeks)
        self.participation += (self.target(self.responsiveness(day, days_in_week))
                               - self.participation) * step
        self.ledger.set_stock(day, "participation", self.participation)
        self._scale_selfgov_demand()
        self._file_complaints(day)

    def responsiveness(self, day: int, days_in_week: int) -> np.ndarray:
        """This week's responsiveness relative to the baseline (1 = as responsive as the
        baseline committee): a weighted mean of the on-time share of resident requests
        closed and of resident-facing staff hours per 1,000 households a year, each over
        its reference. A week in which no request closed counts as on-time as the
        reference (nothing to judge by)."""
        week = self.ledger.this_week
        finished = week(day, "resident_finished")
        on_time = np.divide(week(day, "resident_on_time"), finished,
                            out=np.full(len(finished), self.reference_on_time),
                            where=finished > 0)
        hours = sum(week(day, field) for field in RESIDENT_FACING)
        per_1000_year = hours * 1000.0 / self.households * self.days_per_year / days_in_week
        weight = self.on_time_weight
        return (weight * on_time / self.reference_on_time
                + (1.0 - weight) * per_1000_year / self.reference_hours)

    def target(self, responsiveness: np.ndarray) -> np.ndarray:
        """The participation a responsiveness sustains: the baseline's odds times
        responsiveness to the elasticity, so it stays in [0, 1) and is 0 when the
        committee does not respond at all."""
        odds = self.baseline / (1.0 - self.baseline) * responsiveness ** self.elasticity
        return odds / (1.0 + odds)

    def _scale_selfgov_demand(self) -> None:
        """Self-governance demand per community scales as (participation / baseline)^elasticity."""
        if self.department is not None:
            factor = (self.participation / self.baseline) ** self.selfgov_elasticity
            self.department.scale_demand(SELFGOV, factor)

    def _file_complaints(self, day: int) -> None:
        """Each request withdrawn unserved this week becomes a hotline complaint with a
        probability; complaints come down on random days of the next week."""
        if self.complaint_task is None:
            return
        lapsed = self.ledger.this_week(day, "lapsed").astype(np.int64)
        filed = self._complaints.binomial(lapsed, self.complaint_probability)
        community = np.repeat(np.arange(len(filed)), filed)
        weekday = self._complaints.integers(0, DAYS_PER_WEEK, len(community))
        np.add.at(self.pending, (weekday, community), 1)


DAY_BITS = 20   # days fit in 20 bits (4,000 working years), communities in the other 23


def _volunteer_key(queue: WorkQueue, items: np.ndarray) -> np.ndarray:
    """One sortable integer per item, ordering by community, then due day, then arrival day
    (as a lexicographic sort would, in one argsort)."""
    due = queue.due[items].astype(np.int64) + (1 << (DAY_BITS - 1))   # due may be negative
    return ((queue.community[items] << (2 * DAY_BITS)) | (due << DAY_BITS)
            | queue.arrival[items].astype(np.int64))


def co_produce(queue: WorkQueue, capacity: np.ndarray,
               share: float) -> tuple[np.ndarray, np.ndarray]:
    """Spend each community's volunteer hours on its open resident items, earliest due first.

    Volunteers can do at most ``share`` of an item's effort: the rest (casework,
    signatures, judgement) stays with staff, so an item takes volunteer hours only
    while more than ``(1 - share) x effort`` of it remains. Returns the items volunteers
    could work on (queue positions) and the hours they worked on each (already deducted
    from ``remaining``).
    """
    resident = (queue.kind != ADMIN).nonzero()[0]
    remaining = queue.remaining[resident]
    room = np.maximum(remaining - (1.0 - share) * queue.effort[resident], 0.0)
    has_room = room > 0.0
    items, room = resident[has_room], room[has_room]
    order = np.argsort(_volunteer_key(queue, items), kind="stable")
    items, want = items[order], room[order]
    community = queue.community[items]
    worked = served(want, community, capacity)
    queue.remaining[items] -= worked
    return items, worked
