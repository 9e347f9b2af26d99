"""commsim: how much of a community committee's time pushed-down administrative work takes.

Typical use::

    from sim import load_scenario, run
    result = run(load_scenario("scenarios/baseline.toml"), seed=1, reps=5)
    result.metrics            # one row per replicate
    compare([a, b], reps=5).metrics                        # paired, one row per scenario x rep
    sweep(a, ["staffing.staff_per_community=10:20:2"], out="results/s")   # a DataFrame
"""

from sim.catalog import TaskCatalog, load_catalog
from sim.compare import compare
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
from sim.sweep import sweep

__all__ = [
    "AccessList", "CommunityWorkloadModel", "DigitalService", "FundingFollowsTask",
    "GridDelegation", "ProtectedTime", "Reform", "RunResult", "Scenario", "SplitCommunities",
    "TaskCatalog", "UserError", "compare", "default_scenario", "load_catalog", "load_scenario",
    "run", "sweep",
]
