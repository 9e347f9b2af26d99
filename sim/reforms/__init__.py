"""Reforms, one module each; importing the package registers every one of them.

``sim.reforms.base`` holds what every reform shares: the ``Reform`` base class
and its hooks, the registry (``REFORMS``, ``register``), start-day schedules and
``build_reforms``. Each other module holds one reform. A new reform is a new
module here, imported below so that it registers, plus its scenario file and
its section in docs/model.md (5.3.12); nothing else in the code names it.
"""

from __future__ import annotations

from sim.reforms.access_list import AccessList
from sim.reforms.base import (
    NEVER,
    REFORMS,
    EnforcementFactory,
    Purchase,
    Reform,
    Schedule,
    active,
    assessment_cut,
    build_reforms,
    enforcement_factory,
    register,
    reserved_hours,
    scheduled,
)
from sim.reforms.digital import DigitalService
from sim.reforms.fewer_assessments import FewerAssessments
from sim.reforms.funding import FundingFollowsTask
from sim.reforms.grid_delegation import GridDelegation, grid_personnel
from sim.reforms.protected_time import ProtectedTime
from sim.reforms.split import SplitCommunities

__all__ = [
    "NEVER", "REFORMS", "AccessList", "DigitalService", "EnforcementFactory",
    "FewerAssessments", "FundingFollowsTask", "GridDelegation", "ProtectedTime", "Purchase",
    "Reform", "Schedule", "SplitCommunities", "active", "assessment_cut", "build_reforms",
    "enforcement_factory", "grid_personnel", "register", "reserved_hours", "scheduled",
]
