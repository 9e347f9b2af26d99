"""Independent results for the degenerate model: one task type, Poisson arrivals, FIFO.

With daily capacity ``c`` hours, effort ``e`` hours per instance and
``A ~ Poisson(rate)`` arrivals a day, the end-of-day backlog follows the
Lindley recursion ``B' = max(0, B + e A - c)``. Here its stationary law is
computed exactly by iterating the distribution on the lattice of multiples of
gcd(e, c); nothing is shared with the simulation's code.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import stats

from sim.ledger import FIELDS
from sim.parameters import DAYS_PER_WEEK
from tests.conftest import quiet_scenario, run_model, write_catalog

WARM_UP_WEEKS = 60


def stationary_backlog(rate: float, effort: int, capacity: int, tol: float = 1e-13,
                       max_iterations: int = 200_000) -> tuple[np.ndarray, int]:
    """Stationary distribution of the end-of-day backlog, on multiples of ``unit`` hours."""
    unit = math.gcd(effort, capacity)
    e, c = effort // unit, capacity // unit
    arrivals = stats.poisson(rate)
    k_max = int(arrivals.ppf(1 - 1e-15)) + 1
    p_arrivals = arrivals.pmf(np.arange(k_max + 1))
    size = int(40 * e * max(rate, 1) / max(1 - rate * effort / capacity, 0.02)) + 10 * c
    pi = np.zeros(size)
    pi[0] = 1.0
    for _ in range(max_iterations):
        nxt = np.zeros(size)
        for k, p in enumerate(p_arrivals):
            shifted = np.arange(size) + e * k - c
            np.add.at(nxt, np.clip(shifted, 0, size - 1), p * pi)
        nxt /= nxt.sum()
        if np.abs(nxt - pi).sum() < tol:
            return nxt, unit
        pi = nxt
    raise RuntimeError("the backlog distribution did not converge; is the load below 1?")


def mean_backlog_hours(pi: np.ndarray, unit: int) -> float:
    return float((np.arange(len(pi)) * unit * pi).sum())


def mean_days_open(pi: np.ndarray, unit: int, rate: float, effort: int, capacity: int) -> float:
    """Mean number of day-ends an instance spends open under FIFO.

    The j-th of the k instances arriving on a day that starts with backlog b
    has b + j e hours of work ahead of and including it, and finishes
    ceil((b + j e) / c) - 1 days after it arrived.
    """
    arrivals = stats.poisson(rate)
    k_max = int(arrivals.ppf(1 - 1e-15)) + 1
    backlog = np.arange(len(pi)) * unit
    total = 0.0
    for k in range(1, k_max + 1):
        j = np.arange(1, k + 1)
        days = np.ceil((backlog[:, None] + j[None, :] * effort) / capacity) - 1
        total += arrivals.pmf(k) * float((pi[:, None] * days).sum())
    return total / rate


def md1_mean_in_system(rate: float, service_days: float) -> float:
    """Pollaczek-Khinchine: mean number in an M/D/1 system (continuous time)."""
    rho = rate * service_days
    return rho + rho ** 2 / (2 * (1 - rho))


def queue_model(folder, rate: float, effort: int, capacity: int, days: int,
                communities: int = 200):
    """The degenerate model: one demand-driven type, fixed effort, one staff member with
    ``capacity`` hours a day, no overtime, FIFO, many independent communities."""
    catalog = write_catalog(folder / "queue.csv", [{
        "arrival": "demand", "period_days": "", "rate_per_1000hh_year": str(rate * 250),
        "effort_hours": str(effort), "effort_spread": "0", "deadline_days": "1000"}])
    scenario = quiet_scenario(
        catalog, city__communities=communities, city__households_median=1000,
        city__households_min=1000, simulation__days=days, staffing__hours_per_day=float(capacity),
        staffing__overtime_cap_hours=0.0, policy__priority="fifo")
    return run_model(scenario, seed=17)


def steady(model, field: str) -> np.ndarray:
    """A ledger field per week and community, after the warm-up."""
    return model.ledger.weekly[WARM_UP_WEEKS:, FIELDS.index(field)]


def observed(model) -> dict[str, float]:
    """The queue's measured mean backlog, days open per instance, and mean number open."""
    return {
        "backlog_hours": float(steady(model, "backlog_hours").mean()),
        "days_open": float(steady(model, "days_open_finished").sum()
                           / steady(model, "completed").sum()),
        "in_system": float(steady(model, "open_item_days").sum()
                           / (DAYS_PER_WEEK * steady(model, "open_item_days").size)),
    }
