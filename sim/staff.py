"""Staff pools: who can work, for how many hours, who quits under overload, who is still learning.

A pool is a group of people who share one queue of work: the whole committee
under the two-committee model; committee and workstation under 议行分设; a zone
committee's service centre; a community's grid workers. Head counts change
through turnover: staff quit at a yearly rate that rises smoothly with sustained
overtime and falls with relative pay; each quit is replaced after a hiring delay
by a novice who works at reduced productivity until trained.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.ledger import DAYS_PER_WEEK

if TYPE_CHECKING:
    from sim.scenario import Scenario

ROLES = ("committee", "workstation", "zone", "grid")
COMMITTEE, WORKSTATION, ZONE, GRID = range(4)
COMMUNITY_STAFF_ROLES = (COMMITTEE, WORKSTATION)


@dataclass
class Workforce:
    """Pools as parallel arrays; ``staff`` changes as people quit and are hired."""

    community: np.ndarray       # owning community, -1 for a zone committee's pool
    relay: np.ndarray           # relay the pool belongs to
    role: np.ndarray            # COMMITTEE / WORKSTATION / ZONE / GRID
    staff: np.ndarray           # head count now (int)
    hours_per_staff: np.ndarray  # regular hours per person per day
    overtime_per_staff: np.ndarray  # overtime cap per person per day
    partner: np.ndarray         # pool that may lend hours to this one, -1 if none
    # Pools of committee or workstation staff (roles never change, so computed once: the
    # working day asks for it many times).
    is_community_staff: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.is_community_staff = np.isin(self.role, COMMUNITY_STAFF_ROLES)

    def __len__(self) -> int:
        return len(self.role)

    def regular_hours(self) -> np.ndarray:
        return self.staff * self.hours_per_staff

    def overtime_hours(self) -> np.ndarray:
        return self.staff * self.overtime_per_staff

    def add_pools(self, other: Workforce) -> Workforce:
        """This workforce with ``other``'s pools appended (partners re-indexed)."""
        offset = len(self)
        partner = np.where(other.partner >= 0, other.partner + offset, -1)
        columns = {name: np.concatenate([getattr(self, name), getattr(other, name)])
                   for name in ("community", "relay", "role", "staff", "hours_per_staff",
                                "overtime_per_staff")}
        return Workforce(**columns, partner=np.concatenate([self.partner, partner]))


def make_pools(community: np.ndarray, relay: np.ndarray, role: int, staff: np.ndarray,
               hours: float, overtime: float) -> Workforce:
    """One pool of ``role`` per entry of ``community``, with no lending partner."""
    n = len(community)
    return Workforce(
        community=np.asarray(community, dtype=np.int64),
        relay=np.asarray(relay, dtype=np.int64),
        role=np.full(n, role, dtype=np.int8),
        staff=np.asarray(staff, dtype=np.int64),
        hours_per_staff=np.full(n, float(hours)),
        overtime_per_staff=np.full(n, float(overtime)),
        partner=np.full(n, -1, dtype=np.int64),
    )


# Anchor rates are kept this far from 0 and 1 before taking log-odds, so a curve
# anchored at a rate of 0 (or 1) stays finite: 1e-9 a year is no quit in practice.
RATE_FLOOR = 1e-9


def _logit(rate: float) -> float:
    rate = min(max(rate, RATE_FLOOR), 1 - RATE_FLOOR)
    return float(np.log(rate / (1 - rate)))


@dataclass(frozen=True)
class QuitCurve:
    """Yearly quit probability as a logistic function of sustained overtime and relative pay.

    The log-odds are linear in sustained overtime, so the curve is smooth and
    rises steadily with load instead of jumping at a threshold. Its two anchors
    keep the calibrated meaning of the old switch: ``base_rate`` at no overtime,
    ``overload_rate`` at ``overload_hours`` of overtime per person per week, both
    at a pay ratio of 1. Beyond the anchors it levels off at ``ceiling`` rather
    than at 1: no source reports community staff quitting at much more than the
    overload anchor, and the old switch never went above it. (``ceiling = 1`` is
    the plain logistic.) Pay scales the odds of ``rate / ceiling`` by
    ``pay_ratio ** -pay_elasticity``: low income is a named driver of burnout and
    quitting (MECHANISMS.md §6).
    """

    base_rate: float
    overload_rate: float
    overload_hours: float
    pay_elasticity: float = 0.0
    ceiling: float = 1.0

    def yearly(self, sustained_overtime: np.ndarray, pay_ratio: np.ndarray | float = 1.0
               ) -> np.ndarray:
        """Yearly quit probability for each pool's sustained weekly overtime per person."""
        low = _logit(self.base_rate / self.ceiling)
        high = _logit(self.overload_rate / self.ceiling)
        slope = (high - low) / self.overload_hours
        log_odds = (low + slope * np.asarray(sustained_overtime, dtype=float)
                    - self.pay_elasticity * np.log(pay_ratio))
        return self.ceiling / (1 + np.exp(-log_odds))


class SustainedOvertime:
    """Exponentially weighted average of weekly overtime per person, one per pool.

    A week's weight decays by ``exp(-1 / memory_weeks)`` each further week, so
    ``memory_weeks`` is the time constant of how long strain is remembered
    (0: only the latest week counts). The average is divided by the total weight
    of the weeks seen, so the first weeks of a run are not read as calm weeks
    before it started.
    """

    def __init__(self, n_pools: int, memory_weeks: float):
        self.keep = float(np.exp(-1 / memory_weeks)) if memory_weeks > 0 else 0.0
        self.total = np.zeros(n_pools)
        self.weight = 0.0

    def update(self, overtime_per_staff_week: np.ndarray) -> np.ndarray:
        """Add one week; return the sustained overtime per pool."""
        self.total = self.keep * self.total + (1 - self.keep) * overtime_per_staff_week
        self.weight = self.keep * self.weight + (1 - self.keep)
        return self.total / self.weight


class Learning:
    """New hires who work at reduced productivity that ramps up linearly to full.

    A hire starts at ``novice_productivity`` and gains an equal step each working
    day until full after ``ramp_days``. Hires are held in a ring buffer of
    starters per pool by day (as the hiring delay holds pending replacements),
    so the shortfall is one weighted sum over at most ``ramp_days`` rows.
    """

    def __init__(self, n_pools: int, novice_productivity: float, ramp_days: int):
        self.novice = novice_productivity
        self.started = np.zeros((max(ramp_days, 0), n_pools))
        self.today = 0

    def start(self, day: int, hires: np.ndarray) -> None:
        """Record today's starters; the row they replace is a cohort that is now fully trained."""
        self.today = day
        if len(self.started):
            self.started[day % len(self.started)] = hires

    def keep(self, share: np.ndarray) -> None:
        """Thin every cohort by each pool's share of staff still there after quits (novices
        quit as often as everyone else)."""
        self.started *= share

    def shortfall(self) -> np.ndarray:
        """Head-count equivalents each pool loses today to hires still learning."""
        ramp = len(self.started)
        if not ramp:
            return np.zeros(self.started.shape[1])
        age = (self.today - np.arange(ramp)) % ramp
        return (1 - self.novice) * (1 - age / ramp) @ self.started


class Turnover:
    """Quits under sustained overload, delayed replacement and new hires who learn.

    At a week's end each community staff pool loses staff with the probability
    of ``curve`` at its sustained overtime per person and relative pay; a quit is
    replaced ``hiring_delay`` working days later, and the replacement is a
    novice. So an overloaded pool runs short-handed for a while and then
    under-productive, which is what makes overload self-reinforcing.
    """

    def __init__(self, workforce: Workforce, *, base_rate: float, overload_rate: float,
                 overload_hours: float, hiring_delay: int, days_per_year: int,
                 rng: np.random.Generator, memory_weeks: float = 0.0,
                 pay_ratio: np.ndarray | float = 1.0, pay_elasticity: float = 0.0,
                 novice_productivity: float = 1.0, ramp_weeks: float = 0.0,
                 max_rate: float = 1.0):
        n_pools = len(workforce)
        self.workforce = workforce
        self.eligible = workforce.is_community_staff
        self.curve = QuitCurve(base_rate, overload_rate, overload_hours, pay_elasticity,
                               max_rate)
        self.pay_ratio = np.broadcast_to(np.asarray(pay_ratio, dtype=float), n_pools)
        self.weeks_per_year = days_per_year / DAYS_PER_WEEK
        self.sustained = SustainedOvertime(n_pools, memory_weeks)
        self.learning = Learning(n_pools, novice_productivity, round(ramp_weeks * DAYS_PER_WEEK))
        self.hiring_delay = hiring_delay
        self.pending = np.zeros((hiring_delay + 1, n_pools), dtype=np.int64)
        self.rng = rng

    @classmethod
    def from_scenario(cls, workforce: Workforce, scenario: Scenario | Mapping[str, Any],
                      rng: np.random.Generator) -> Turnover:
        """Turnover as a scenario's ``staffing.turnover.*`` and ``costs.*`` keys set it."""
        def setting(name: str) -> Any:
            return scenario[f"staffing.turnover.{name}"]

        return cls(workforce, base_rate=setting("base_quit_rate"),
                   overload_rate=setting("overload_quit_rate"),
                   overload_hours=setting("overload_hours"),
                   hiring_delay=setting("hiring_delay_days"),
                   days_per_year=scenario["simulation.working_days_per_year"], rng=rng,
                   memory_weeks=setting("memory_weeks"),
                   pay_ratio=(scenario["costs.staff_pay_yuan_month"]
                              / scenario["costs.reference_wage_yuan_month"]),
                   pay_elasticity=setting("pay_elasticity"),
                   novice_productivity=setting("novice_productivity"),
                   ramp_weeks=setting("ramp_weeks"), max_rate=setting("max_quit_rate"))

    def start_of_day(self, day: int) -> np.ndarray:
        """Replacements whose delay has passed start work today; returns hires per pool."""
        slot = day % len(self.pending)
        hires = self.pending[slot].copy()
        self.workforce.staff += hires
        self.pending[slot] = 0
        self.learning.start(day, hires)
        return hires

    def effective_staff(self) -> np.ndarray:
        """Head count per pool in fully productive equivalents (novices count in part)."""
        return np.maximum(self.workforce.staff - self.learning.shortfall(), 0.0)

    def weekly_quit_probability(self, overtime_per_staff_week: np.ndarray) -> np.ndarray:
        """Fold this week's overtime into the sustained level; return each pool's quit
        probability for this week."""
        yearly = self.curve.yearly(self.sustained.update(overtime_per_staff_week),
                                   self.pay_ratio)
        return 1 - (1 - yearly) ** (1 / self.weeks_per_year)

    def end_of_week(self, day: int, overtime_per_staff_week: np.ndarray) -> np.ndarray:
        """Draw this week's quits; returns quits per pool."""
        rate = self.weekly_quit_probability(overtime_per_staff_week)
        before = self.workforce.staff.copy()
        # Draw for own staff only: pools a reform adds (grid workers) must not shift the
        # stream, or a reform would change quits before it starts (common random numbers).
        quits = np.zeros_like(before)
        quits[self.eligible] = self.rng.binomial(before[self.eligible], rate[self.eligible])
        self.workforce.staff -= quits
        self.learning.keep(np.divide(self.workforce.staff, before, out=np.zeros(len(before)),
                                     where=before > 0))
        self.pending[(day + 1 + self.hiring_delay) % len(self.pending)] += quits
        return quits
