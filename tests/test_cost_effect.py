"""Cost per resident-facing hour gained, the equal-budget comparison and its chart, on small
paired comparisons."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from analysis.cost_effect import NO_GAIN, comparison_per_replicate, price_per_hour, summarise
from sim import compare
from sim.budget import TOLERANCE, solve
from sim.cli import main
from sim.scenario import load_scenario
from tests.conftest import SCENARIOS, SYNTHETIC

SMALL = [*SYNTHETIC, "city.communities=20", "simulation.days=60"]
SETS = [arg for s in SMALL for arg in ("--set", s)]
COST = "cost_yuan_per_community_year"
# Grid workers who take no work: paid for, while their heads' duties eat resident time.
IDLE_GRID = ["reforms.grid_delegation.enabled=true",
             "reforms.grid_delegation.hours_per_worker_day=0"]


@pytest.fixture(scope="module")
def comparison():
    scenarios = [load_scenario(SCENARIOS / "baseline.toml", SMALL),
                 load_scenario(SCENARIOS / "access_list.toml", SMALL),
                 load_scenario(SCENARIOS / "baseline.toml", [*SMALL, *IDLE_GRID])]
    return compare(scenarios, reps=3, seed=2, workers=1)


def test_cost_per_hour_is_the_paired_extra_cost_over_the_resident_hours_gained(comparison):
    per_rep = comparison_per_replicate(comparison)
    runs = comparison.metrics.set_index(["scenario", "rep"])
    access = per_rep[per_rep["scenario"] == "access_list"].sort_values("rep")
    by_hand = (runs.loc["access_list", COST] - runs.loc["baseline", COST]).to_numpy()
    assert np.allclose(access["extra_cost"], by_hand)
    freed = comparison.freed_hours().query("scenario == 'access_list'").sort_values("rep")
    resident = freed[["service", "self_governance", "discretionary"]].sum(axis=1)
    assert np.allclose(access["resident_hours"], resident)
    price = summarise(per_rep, comparison.names)["scenarios"][0]["yuan_per_hour"]
    assert price["status"] == "priced"
    assert price["mean"] == pytest.approx(by_hand.mean() / resident.mean())
    assert price["ci_low"] <= price["mean"] <= price["ci_high"]


def test_a_scenario_that_costs_more_but_gains_no_resident_hours_has_no_price(comparison):
    idle = summarise(comparison_per_replicate(comparison), comparison.names)["scenarios"][1]
    assert idle["extra_cost"]["mean"] > 0 >= idle["resident_hours"]["mean"]
    assert idle["yuan_per_hour"]["status"] == NO_GAIN
    assert idle["yuan_per_hour"]["mean"] is None


def test_no_gain_whenever_the_mean_gain_is_not_above_zero():
    assert price_per_hour(np.array([5.0, 5.0]), np.array([3.0, -3.0]))["status"] == NO_GAIN
    mixed = price_per_hour(np.array([10.0, 10.0]), np.array([4.0, -1.0]))
    assert mixed["mean"] == pytest.approx(20 / 3) and mixed["ci_low"] is None


def test_the_solver_meets_a_linear_spend_and_stops_at_a_bound():
    factor, spent, status = solve(lambda f: 1000 * f - 200, 500, 800, (0, 10))
    assert status == "scaled" and spent == pytest.approx(500, rel=TOLERANCE)
    assert factor == pytest.approx(0.7, rel=0.05)
    _, _, capped = solve(lambda f: 100 * f, 500, 100, (0, 2))
    assert capped == "capped"
    assert solve(lambda f: 1 / 0, 500, 505, (0, 2)) == (1.0, 505, "scaled")   # no run needed


@pytest.fixture(scope="module")
def budget_folder(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("budget") / "cmp"
    result = CliRunner().invoke(main, [
        "compare", "baseline", "funding", "access_list", "--reps", "2", "--seed", "1",
        "--workers", "1", *SETS, "--set", "reforms.funding.lag_days=0", "--budget", "20000",
        "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_budget_sizes_a_reform_with_a_size_key_to_the_budget(budget_folder):
    document = json.loads((budget_folder / "comparison.json").read_text(encoding="utf-8"))
    sizing = {s["name"]: s for s in document["budget"]["scenarios"]}
    assert sizing["funding"]["status"] == "scaled"
    coverage = sizing["funding"]["keys"]["reforms.funding.coverage"]
    assert coverage != pytest.approx(0.5)
    manifest = json.loads((budget_folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["scenarios"]["funding"]["resolved"]["reforms"]["funding"]["coverage"] \
        == pytest.approx(coverage)
    spent = {e["name"]: e["extra_cost"]["mean"] for e in document["cost_effect"]["scenarios"]}
    assert spent["funding"] == pytest.approx(20000, rel=TOLERANCE)
    assert sizing["access_list"]["status"] == "own cost"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_cost_chart_draws_each_scenario_from_a_compare_folder(budget_folder, tmp_path,
                                                                  lang):
    result = CliRunner().invoke(main, ["plot", str(budget_folder), "--lang", lang, "--out",
                                       str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / f"cost_{lang}.png").read_bytes().startswith(b"\x89PNG")
    drawn = pd.read_csv(tmp_path / f"cost_{lang}.csv").query("kind == 'line'")
    table = pd.read_csv(budget_folder / "cost_effect.csv").set_index(["scenario", "measure"])
    for name in ("funding", "access_list"):
        point = (table.loc[(name, "extra_cost"), "mean"], table.loc[(name, "resident_hours"),
                                                                     "mean"])
        assert ((np.isclose(drawn["x"], point[0])) & (np.isclose(drawn["y"], point[1]))).any()
