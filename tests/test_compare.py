"""Paired comparisons: same seeds for every scenario, differences taken replicate by replicate."""

from __future__ import annotations

import json
import math

import pytest
from click.testing import CliRunner
from scipy import stats

from analysis.summary import paired_differences
from sim import compare, sweep
from sim.cli import main
from sim.scenario import load_scenario
from tests.conftest import SCENARIOS, SYNTHETIC

SMALL = [*SYNTHETIC, "city.communities=30", "city.street_offices=3", "city.zone_committees=1",
         "simulation.days=120"]


@pytest.fixture(scope="module")
def pair():
    scenarios = [load_scenario(SCENARIOS / name, SMALL)
                 for name in ("baseline.toml", "digital.toml")]
    return compare(scenarios, reps=6, seed=12, workers=1)


@pytest.mark.slow
def test_every_scenario_runs_the_same_replicate_seeds(pair):
    by_scenario = pair.metrics.groupby("scenario")
    assert by_scenario["seed"].unique().map(list).tolist() == [[12], [12]]
    assert by_scenario["rep"].apply(list).tolist() == [list(range(6))] * 2


@pytest.mark.parametrize("metric", ["admin_share", "overtime_hours_per_staff_week",
                                    "backlog_hours_per_community"])
@pytest.mark.slow
def test_pairing_narrows_the_interval_of_a_difference(pair, metric):
    results = paired_differences(pair.metrics, pair.names)
    paired = results[1]["diff_vs_first"][metric]
    a, b = (pair.metrics[pair.metrics["scenario"] == n][metric].to_numpy() for n in pair.names)
    unpaired_half = stats.t.ppf(0.975, 2 * len(a) - 2) * math.sqrt(
        a.var(ddof=1) / len(a) + b.var(ddof=1) / len(b))
    assert paired["ci_high"] - paired["ci_low"] < 2 * unpaired_half


@pytest.mark.slow
def test_the_first_scenario_differs_from_itself_by_exactly_zero(pair):
    first = paired_differences(pair.metrics, pair.names)[0]["diff_vs_first"]
    assert all(d["mean"] == 0 and d["ci_low"] == 0 for d in first.values())


@pytest.mark.slow
def test_compare_json_has_each_scenario_and_its_difference_from_the_first():
    result = CliRunner().invoke(main, [
        "compare", str(SCENARIOS / "baseline.toml"), str(SCENARIOS / "access_list.toml"),
        "--reps", "3", "--workers", "1", "--format", "json",
        *[arg for s in SMALL for arg in ("--set", s)]])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [s["name"] for s in data["scenarios"]] == ["baseline", "access_list"]
    access = data["scenarios"][1]
    assert set(access["metrics"]["admin_share"]) == {"mean", "ci_low", "ci_high", "method",
                                                     "values"}
    assert access["metrics"]["admin_share"]["method"] == "t (logit scale)"
    assert access["diff_vs_first"]["refused_share"]["method"] == "t"      # can be negative
    assert access["diff_vs_first"]["refused_share"]["mean"] > 0


def test_the_python_sweep_returns_a_dataframe(tmp_path):
    runs = sweep(load_scenario(SCENARIOS / "baseline.toml", SMALL),
                 ["staffing.staff_per_community=12,18"], tmp_path / "s", reps=2, workers=1)
    overdue = runs.groupby("staffing.staff_per_community")["overdue_rate"].mean()
    assert overdue.loc[18.0] < overdue.loc[12.0]
