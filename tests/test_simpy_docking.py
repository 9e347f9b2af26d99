"""Model docking (issue 12): the SimPy model of one community in benchmarks/ does the same work
as commsim's queueing core, so the speed benchmark compares like with like."""

from __future__ import annotations

import importlib.util
import statistics
import sys

import pytest

from sim.metrics import compute_metrics
from sim.model import CommunityWorkloadModel
from sim.scenario import load_scenario
from tests.conftest import ROOT

_spec = importlib.util.spec_from_file_location("simpy_community",
                                               ROOT / "benchmarks" / "simpy_community.py")
assert _spec is not None and _spec.loader is not None
simpy_community = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = simpy_community       # its dataclasses look their module up there
_spec.loader.exec_module(simpy_community)

TOLERANCE = 0.05          # relative; the means differ by about 1% (benchmarks/README.md)


@pytest.mark.slow
def test_simpy_model_docks_with_commsim_queueing_core():
    scenario = load_scenario(simpy_community.QUEUEING_CORE)
    simpy_runs = [simpy_community.run(scenario, seed=seed) for seed in range(20)]
    simpy_share = statistics.fmean(run.admin_share for run in simpy_runs)
    simpy_instances = statistics.fmean(run.instances for run in simpy_runs)

    # One community per commsim run: in a city every community gets the same campaigns and
    # periodic phases, so a city's mean varies from seed to seed as much as one community's.
    shares, instances = [], []
    for seed in range(5):
        model = CommunityWorkloadModel(scenario, seed=seed)
        model.run_to_end()
        shares.append(compute_metrics(model)["admin_share"])
        instances.append(model.ledger.total("issued"))

    assert abs(simpy_share / statistics.fmean(shares) - 1) < TOLERANCE
    assert abs(simpy_instances / statistics.fmean(instances) - 1) < TOLERANCE
