"""Priority policies: the order in which a pool takes up its open work.

Each policy turns an instance's attributes into one integer sort key, higher
bits first: the pool, then the policy's criteria. A key changes at most once
(when administrative work falls overdue and is chased), so the queue stays
sorted and a day's allocation is one pass.
"""

from __future__ import annotations

import numpy as np

POOL_SHIFT = 32
WEIGHT_SHIFT = 20
WEIGHT_LEVELS = 255


class PriorityPolicy:
    """Base class: subclasses give ``order`` (lower keys are served first)."""

    name = ""

    def key(self, pool: np.ndarray, weight: np.ndarray, due: np.ndarray,
            arrival: np.ndarray) -> np.ndarray:
        return (pool.astype(np.int64) << POOL_SHIFT) | self.order(weight, due, arrival)

    def order(self, weight: np.ndarray, due: np.ndarray, arrival: np.ndarray) -> np.ndarray:
        raise NotImplementedError


class AssessmentWeighted(PriorityPolicy):
    """Work that upward evaluation presses hardest on first, then by deadline.

    The field studies' realistic default: assessed administrative tasks win,
    unassessed ones are done late, self-governance (weight near 0) comes last.
    """

    name = "assessment_weighted"

    def order(self, weight: np.ndarray, due: np.ndarray, arrival: np.ndarray) -> np.ndarray:
        level = WEIGHT_LEVELS - np.round(weight * WEIGHT_LEVELS).astype(np.int64)
        return (level << WEIGHT_SHIFT) | due.astype(np.int64)


class EarliestDeadline(PriorityPolicy):
    """Earliest deadline first, whatever the task's kind."""

    name = "earliest_deadline"

    def order(self, weight: np.ndarray, due: np.ndarray, arrival: np.ndarray) -> np.ndarray:
        return due.astype(np.int64)


class FirstInFirstOut(PriorityPolicy):
    """Oldest arrival first."""

    name = "fifo"

    def order(self, weight: np.ndarray, due: np.ndarray, arrival: np.ndarray) -> np.ndarray:
        return arrival.astype(np.int64)


POLICIES = {p.name: p for p in (AssessmentWeighted(), EarliestDeadline(), FirstInFirstOut())}
