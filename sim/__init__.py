"""commsim: how much of a community committee's time pushed-down administrative work takes.

Typical use::

    from sim import load_scenario, run
    result = run(load_scenario("scenarios/baseline.toml"), seed=1, reps=5)
    result.metrics            # one row per replicate
    compare([a, b], reps=5).metrics                        # paired, one row per scenario x rep
    sweep(a, ["staffing.staff_per_community=10:20:2"], out="results/s")   # a DataFrame

The names below are imported on first use (PEP 562), not when ``sim`` is:
the ``commsim`` command imports ``sim.cli`` on every start, and pulling in
the model, Mesa, pandas and SciPy there would make ``commsim --help`` take
seconds.
"""

from __future__ import annotations

import importlib
import sys
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sim.batch import CommunityBatchModel
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

# Public name -> the module that defines it.
_SOURCES: dict[str, str] = {
    "CommunityBatchModel": "sim.batch",
    "TaskCatalog": "sim.catalog", "load_catalog": "sim.catalog",
    "compare": "sim.compare",
    "UserError": "sim.errors",
    "CommunityWorkloadModel": "sim.model",
    "AccessList": "sim.reforms", "DigitalService": "sim.reforms",
    "FundingFollowsTask": "sim.reforms", "GridDelegation": "sim.reforms",
    "ProtectedTime": "sim.reforms", "Reform": "sim.reforms", "SplitCommunities": "sim.reforms",
    "RunResult": "sim.runner", "run": "sim.runner",
    "Scenario": "sim.scenario", "default_scenario": "sim.scenario",
    "load_scenario": "sim.scenario",
    "sweep": "sim.sweep",
}

__all__ = [
    "AccessList", "CommunityBatchModel", "CommunityWorkloadModel", "DigitalService",
    "FundingFollowsTask", "GridDelegation", "ProtectedTime", "Reform", "RunResult", "Scenario",
    "SplitCommunities",
    "TaskCatalog", "UserError", "compare", "default_scenario", "load_catalog", "load_scenario",
    "run", "sweep",
]


def __getattr__(name: str) -> Any:
    """Import the module behind a public name on first access and keep the name."""
    if name not in _SOURCES:
        raise AttributeError(f"module 'sim' has no attribute {name!r}")
    value = getattr(importlib.import_module(_SOURCES[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


class _Package(ModuleType):
    """Keeps ``sim.compare`` and ``sim.sweep`` the functions, as the eager package had them.

    Importing the submodule ``sim.compare`` makes the import system set the
    package attribute ``compare`` to that module, which would then shadow the
    function of the same name for ``from sim import compare``.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _SOURCES and isinstance(value, ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
