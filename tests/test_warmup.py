"""Warm-up and results by year: what the metrics count, and how the years add up to the run."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from sim.cli import main
from sim.metrics import compute_metrics
from sim.runner import run, run_replicate
from tests.conftest import SCENARIOS, SYNTHETIC_SET, quiet_scenario, run_model, write_catalog

WEEKLY_TASK = [{"period_days": "5", "effort_hours": "4", "deadline_days": "5"}]
SMALL = [*SYNTHETIC_SET, "--set", "city.communities=8", "--set", "city.street_offices=2",
         "--set", "city.zone_committees=0", "--set", "simulation.days=60"]


def test_instances_issued_in_the_warm_up_are_not_counted(tmp_path):
    """One instance per community and week: 8 weeks, 4 of them warm-up, leave 4 counted."""
    catalog = write_catalog(tmp_path / "c.csv", WEEKLY_TASK)
    scenario = quiet_scenario(catalog, simulation__days=40, simulation__warmup_days=20)
    replicate = run_replicate(scenario, seed=1, replicate=0)
    assert replicate.tasks["issued"].sum() == 4 * 4               # communities x measured weeks
    assert replicate.weekly.groupby("week")["warmup"].first().tolist() == [True] * 4 + [False] * 4


def test_metrics_with_warm_up_are_those_of_the_measured_weeks(small_city):
    """The metrics of a run with warm-up, recomputed by hand from its weekly table's
    measured rows (the overdue rate counts what fell overdue after the warm-up)."""
    replicate = run_replicate(small_city.with_values(simulation__warmup_days=30), seed=2,
                              replicate=0)
    weekly = replicate.weekly
    measured, opening = weekly[~weekly["warmup"]], weekly[weekly["week"] == 5]
    closing = weekly[weekly["week"] == weekly["week"].max()]
    staff_hours = measured[["hours_administrative", "hours_service", "hours_self_governance",
                            "hours_discretionary"]].to_numpy().sum()
    fell_overdue = (measured["completed_late"].sum() + measured["lapsed"].sum()
                    + closing["overdue_open"].sum() - opening["overdue_open"].sum())
    metrics = replicate.metrics
    assert metrics["admin_share"] == pytest.approx(
        measured["hours_administrative"].sum() / staff_hours)
    assert metrics["overdue_rate"] == pytest.approx(fell_overdue / measured["deadlines"].sum())
    assert metrics["task_instances_per_community_year"] == pytest.approx(
        measured["accepted"].sum() / 30 / (30 / 250))
    assert opening["overdue_open"].sum() > 0                  # the correction was exercised


def test_without_warm_up_the_metrics_cover_the_whole_run(small_city):
    model = run_model(small_city)
    assert compute_metrics(model)["task_instances_per_community_year"] == pytest.approx(
        model.ledger.total("accepted") / 30 / (60 / 250))


def test_yearly_rows_are_one_per_replicate_and_year_and_add_up_to_the_run(tmp_path):
    catalog = write_catalog(tmp_path / "c.csv", WEEKLY_TASK)
    scenario = quiet_scenario(catalog, simulation__days=420, simulation__warmup_days=20,
                              simulation__working_days_per_year=200)
    result = run(scenario, seed=1, reps=2)
    yearly = result.yearly
    assert list(zip(yearly["rep"], yearly["year"], strict=True)) == [(0, 1), (0, 2), (1, 1),
                                                                      (1, 2)]
    assert yearly["days"].tolist() == [200] * 4
    per_rep = yearly.groupby("rep")["task_instances_per_community_year"].mean()
    assert per_rep.to_numpy() == pytest.approx(
        result.metrics["task_instances_per_community_year"].to_numpy())


def test_a_short_last_year_says_how_long_it_is(tmp_path):
    catalog = write_catalog(tmp_path / "c.csv", WEEKLY_TASK)
    scenario = quiet_scenario(catalog, simulation__days=320, simulation__warmup_days=20,
                              simulation__working_days_per_year=200)
    yearly = run(scenario, seed=1, reps=1).yearly
    assert yearly["days"].tolist() == [200, 100]
    assert yearly["start_day"].tolist() == [20, 220]
    # a rate per year stays a rate: one 4-community weekly task is 40 instances a 200-day year
    assert np.allclose(yearly["task_instances_per_community_year"], 40)


@pytest.mark.slow
def test_run_by_year_prints_years_and_out_writes_yearly_table(tmp_path):
    out = tmp_path / "results"
    result = CliRunner().invoke(main, [
        "run", str(SCENARIOS / "baseline.toml"), "--reps", "2", *SMALL,
        "--set", "simulation.working_days_per_year=200", "--set", "simulation.warmup_days=20",
        "--set", "simulation.days=420", "--by-year", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "first 20 a warm-up" in result.output
    assert "year 1" in result.output and "year 2" in result.output
    yearly = pd.read_parquet(out / "yearly.parquet")
    assert len(yearly) == 2 * 2 and {"rep", "year", "days", "admin_share"} <= set(yearly)
    assert pd.read_parquet(out / "weekly.parquet")["warmup"].sum() == 2 * 4 * 8
    by_relay = pd.read_parquet(out / "relays_yearly.parquet")
    assert set(by_relay["year"]) == {1, 2} and {"relay", "enforcement"} <= set(by_relay)


def test_run_json_holds_the_years():
    result = CliRunner().invoke(main, ["run", str(SCENARIOS / "baseline.toml"), "--reps", "1",
                                       *SMALL, "--format", "json"])
    data = json.loads(result.output)
    assert [y["year"] for y in data["by_year"]] == [1]
    assert data["by_year"][0]["metrics"]["admin_share"]["mean"] == pytest.approx(
        data["metrics"]["admin_share"]["mean"])


@pytest.mark.parametrize(("value", "allowed"), [("12", "a multiple of 5"),
                                                ("60", "fewer than simulation.days (60)")])
def test_a_bad_warm_up_exits_2_naming_the_key_value_and_what_is_allowed(value, allowed):
    result = CliRunner().invoke(main, ["run", str(SCENARIOS / "baseline.toml"), *SMALL,
                                       "--set", f"simulation.warmup_days={value}"])
    assert result.exit_code == 2
    assert "simulation.warmup_days" in result.output and value in result.output
    assert allowed in result.output and "Traceback" not in result.output
