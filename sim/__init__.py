"""commsim: how much of a community committee's time pushed-down administrative work takes.

Typical use::

    from sim import load_scenario, run
    result = run(load_scenario("scenarios/baseline.toml"), seed=1, reps=5)
    result.metrics            # one row per replicate
"""

from sim.catalog import TaskCatalog, load_catalog
from sim.errors import UserError
from sim.model import CommunityWorkloadModel
from sim.reforms import (
    AccessList,
    DigitalService,
    FundingFollowsTask,
    GridDelegation,
    ProtectedTime,
    Reform,
    SplitCommunities,
)
from sim.runner import RunResult, run
from sim.scenario import Scenario, default_scenario, load_scenario

__all__ = [
    "AccessList", "CommunityWorkloadModel", "DigitalService", "FundingFollowsTask",
    "GridDelegation", "ProtectedTime", "Reform", "RunResult", "Scenario", "SplitCommunities",
    "TaskCatalog", "UserError", "default_scenario", "load_catalog", "load_scenario", "run",
]
