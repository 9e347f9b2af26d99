"""Task instances in flight, as columns: what departments issue and relays pass on.

No Python object per instance: a day's issuing is one ``Batch`` of arrays.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

FORMAL, INFORMAL, STREET, REFORM = 0, 1, 2, 3   # channels an instance can come through
CHANNELS = ("formal", "informal", "street", "reform")


class Batch(NamedTuple):
    """Task instances on their way down: who gets them, which type, how many hours each,
    the working days they allow, and the channel they came through: FORMAL (a department,
    through the relays), INFORMAL (refused, pushed down anyway), STREET (the street office's
    own addition) or REFORM (work a reform sends itself, such as app duties). Only formal
    work is paid for under funding-follows-task."""

    community: np.ndarray
    task: np.ndarray
    effort: np.ndarray
    deadline: np.ndarray
    channel: np.ndarray

    @classmethod
    def formal(cls, community: np.ndarray, task: np.ndarray, effort: np.ndarray,
               deadline_days: np.ndarray) -> Batch:
        """Instances issued through the formal channel with their types' deadlines."""
        return cls(community, task, effort, deadline_days[task].astype(np.int32),
                   np.full(len(task), FORMAL, dtype=np.int8))

    @classmethod
    def empty(cls) -> Batch:
        return cls(*(np.empty(0, dtype=d)
                     for d in (np.int64, np.int64, float, np.int32, np.int8)))

    def via(self, channel: int) -> Batch:
        """The same instances, marked as come through ``channel``."""
        return self._replace(channel=np.full(len(self.task), channel, dtype=np.int8))

    def where(self, mask: np.ndarray) -> Batch:
        return Batch(*(column[mask] for column in self))

    @classmethod
    def join(cls, batches: list[Batch]) -> Batch:
        """Several batches as one (a day's issuing from every source)."""
        return cls(*(np.concatenate(column) for column in zip(*batches, strict=True)))
