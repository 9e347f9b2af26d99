"""The model's books: weekly counts and hours per community, and run totals per task type.

Flows (issued, hours worked, ...) are added up over each week; stocks
(backlog, open items, staff) are the values at the week's last day. Everything
is a numpy array indexed [week, field, community], so recording a day costs a
few ``bincount`` calls whatever the number of instances.
"""

from __future__ import annotations

import numpy as np

from sim import kernels
from sim.catalog import KINDS
from sim.parameters import DAYS_PER_WEEK

FLOWS = (
    "issued", "refused", "accepted", "deadlines", "completed", "completed_late", "lapsed",
    "hours_administrative", "hours_service", "hours_self_governance",
    "overtime_hours", "purchased_hours", "grid_hours", "zone_hours", "grid_duty_hours",
    "selfgov_hours_issued", "unmet_selfgov_hours", "staff_days", "quits", "hires",
    "effort_accepted", "lapsed_hours", "perfunctory_hours", "open_item_days",
    "days_open_finished",
    "regular_hours", "switching_hours", "hours_discretionary", "slack_hours", "paperwork_hours",
    "learning_hours", "volunteer_hours", "complaints", "resident_finished", "resident_on_time",
    "informal_items", "informal_admin_hours", "relay_items", "reform_items", "funding_yuan",
    "assessments", "pressed_assessments", "assessment_score_sum",
    "written_off", "written_off_hours",
)
STOCKS = ("backlog_hours", "open_items", "overdue_open", "staff", "participation",
          "enforcement", "admin_types_in_force")
FIELDS = FLOWS + STOCKS
TASK_FIELDS = ("issued", "refused", "completed", "completed_late", "lapsed", "written_off",
               "hours")


class Ledger:
    """Weekly per-community records and per-task totals of one run."""

    def __init__(self, days: int, n_communities: int, n_tasks: int):
        self.n_weeks = -(-days // DAYS_PER_WEEK)
        self.n_communities = n_communities
        self.weekly = np.zeros((self.n_weeks, len(FIELDS), n_communities))
        self.by_task = np.zeros((len(TASK_FIELDS), n_tasks))
        self._field = {name: i for i, name in enumerate(FIELDS)}
        self._task_field = {name: i for i, name in enumerate(TASK_FIELDS)}
        self._tasks_before = np.zeros_like(self.by_task)

    def add(self, day: int, field: str, community: np.ndarray,
            amount: np.ndarray | None = None) -> None:
        """Add ``amount`` (default 1 each) to ``field`` of each listed community."""
        if len(community):
            kernels.add_sums(self.weekly[day // DAYS_PER_WEEK, self._field[field]],
                             community, amount)

    def add_hours_by_kind(self, day: int, community: np.ndarray, kind: np.ndarray,
                          hours: np.ndarray) -> None:
        """Staff hours worked, split by the instance's kind."""
        first = self._field["hours_administrative"]
        block = self.weekly[day // DAYS_PER_WEEK, first:first + len(KINDS)]
        kernels.add_sums(block.reshape(-1), kind.astype(np.int64) * self.n_communities + community,
                         hours)

    def set_stock(self, day: int, field: str, values: np.ndarray) -> None:
        self.weekly[day // DAYS_PER_WEEK, self._field[field]] = values

    def add_task(self, field: str, task: np.ndarray, amount: np.ndarray | None = None) -> None:
        """Add ``amount`` (default 1 each) to ``field`` of each listed task type."""
        if len(task):
            kernels.add_sums(self.by_task[self._task_field[field]], task, amount)

    def field_index(self, field: str) -> int:
        return self._field[field]

    def total(self, field: str, weeks: slice = slice(None)) -> float:
        """A flow summed over communities and ``weeks`` (default: the whole run)."""
        return float(self.weekly[weeks, self._field[field]].sum())

    def final(self, field: str) -> np.ndarray:
        """A stock at the end of the run, per community."""
        return self.weekly[-1, self._field[field]]

    def this_week(self, day: int, field: str) -> np.ndarray:
        """A field's values in the week ``day`` falls in (so far), per community: what an
        agent reacting at the week's end reads."""
        return self.weekly[day // DAYS_PER_WEEK, self._field[field]]

    def stock_after(self, field: str, week: int) -> np.ndarray:
        """A stock at the end of ``week``, per community; before week 0 nothing is open."""
        if week < 0:
            return np.zeros(self.n_communities)
        return self.weekly[week, self._field[field]]

    def start_measuring(self) -> None:
        """Set the per-task totals' zero here: what came before (a warm-up) is not reported.

        The weekly records need no such mark (they keep every week, and the
        metrics choose theirs); the per-task totals are run totals, so they are
        measured from this point on.
        """
        self._tasks_before = self.by_task.copy()

    def measured_tasks(self) -> np.ndarray:
        """Per-task totals [field, task] since ``start_measuring`` (the whole run without it)."""
        return self.by_task - self._tasks_before
