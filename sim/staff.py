"""Staff pools: who can work, for how many hours, and who quits under overload.

A pool is a group of people who share one queue of work: the whole committee
under the two-committee model; committee and workstation under 议行分设; a zone
committee's service centre; a community's grid workers. Head counts change
through turnover: staff quit at a yearly rate that rises under sustained
overtime, and each quit is replaced after a hiring delay.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

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

    def __len__(self) -> int:
        return len(self.role)

    @property
    def is_community_staff(self) -> np.ndarray:
        return np.isin(self.role, COMMUNITY_STAFF_ROLES)

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


class Turnover:
    """Quits under overload and delayed replacement, for community staff pools.

    Each week a pool whose overtime per person exceeded ``overload_hours`` loses
    staff at the overload rate, otherwise at the base rate; a quit is replaced
    ``hiring_delay`` working days later, so an overloaded pool runs short-handed
    for a while, which is what makes overload self-reinforcing.
    """

    def __init__(self, workforce: Workforce, *, base_rate: float, overload_rate: float,
                 overload_hours: float, hiring_delay: int, days_per_year: int,
                 rng: np.random.Generator):
        self.workforce = workforce
        self.eligible = workforce.is_community_staff
        self.base_weekly = 1 - (1 - base_rate) ** (5 / days_per_year)
        self.overload_weekly = 1 - (1 - overload_rate) ** (5 / days_per_year)
        self.overload_hours = overload_hours
        self.hiring_delay = hiring_delay
        self.pending = np.zeros((hiring_delay + 1, len(workforce)), dtype=np.int64)
        self.rng = rng

    def start_of_day(self, day: int) -> np.ndarray:
        """Replacements whose delay has passed start work today; returns hires per pool."""
        slot = day % len(self.pending)
        hires = self.pending[slot].copy()
        self.workforce.staff += hires
        self.pending[slot] = 0
        return hires

    def end_of_week(self, day: int, overtime_per_staff_week: np.ndarray) -> np.ndarray:
        """Draw this week's quits; returns quits per pool."""
        overloaded = overtime_per_staff_week > self.overload_hours
        rate = np.where(overloaded, self.overload_weekly, self.base_weekly)
        quits = self.rng.binomial(self.workforce.staff, rate) * self.eligible
        self.workforce.staff -= quits
        self.pending[(day + 1 + self.hiring_delay) % len(self.pending)] += quits
        return quits
