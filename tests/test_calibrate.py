"""Calibration recovers a known parameter and writes a scenario that reproduces the fit."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from sim.cli import main
from sim.runner import run
from sim.scenario import load_scenario
from tests.conftest import SCENARIOS, SYNTHETIC, SYNTHETIC_SET

SMALL = [*SYNTHETIC, "city.communities=12", "city.street_offices=2", "city.zone_committees=0",
         "simulation.days=60"]
SET_SMALL = [arg for setting in SMALL for arg in ("--set", setting)]
BASELINE = SCENARIOS / "baseline.toml"


def overtime_at(effort_scale: float) -> float:
    scenario = load_scenario(BASELINE, [*SMALL, f"tasks.effort_scale={effort_scale}"])
    return float(run(scenario, seed=3, reps=2).metrics["overtime_hours_per_staff_week"].mean())


@pytest.mark.slow
def test_calibration_recovers_the_effort_scale_behind_a_target(tmp_path):
    target = overtime_at(1.3)
    out = tmp_path / "fitted.toml"
    result = CliRunner().invoke(main, [
        "calibrate", str(BASELINE), *SET_SMALL, "--target",
        f"overtime_hours_per_staff_week={target}", "--free", "tasks.effort_scale=0.8:2.0",
        "--reps", "2", "--seed", "3", "--workers", "1", "--out", str(out), "--format", "json"])
    assert result.exit_code == 0, result.output
    fit = json.loads(result.output)
    assert fit["free"]["tasks.effort_scale"] == pytest.approx(1.3, abs=0.03)
    assert fit["achieved"]["overtime_hours_per_staff_week"]["mean"] == pytest.approx(
        target, rel=0.02)
    assert fit["scenario_file"] == str(out)


@pytest.mark.slow
def test_the_calibrated_file_extends_the_input_and_reproduces_the_fit(tmp_path):
    out = tmp_path / "fitted.toml"
    result = CliRunner().invoke(main, [
        "calibrate", str(BASELINE), *SET_SMALL, "--target", "admin_share=0.8",
        "--free", "tasks.effort_scale=0.5:1.5", "--reps", "2", "--seed", "3", "--workers", "1",
        "--max-evaluations", "8", "--out", str(out), "--format", "json"])
    fit = json.loads(result.output)
    text = out.read_text(encoding="utf-8")
    assert "extends = " in text and "baseline.toml" in text
    again = run(load_scenario(out), seed=3, reps=2).metrics["admin_share"].mean()
    assert again == pytest.approx(fit["achieved"]["admin_share"]["mean"], rel=1e-4)
    assert load_scenario(out)["tasks.effort_scale"] == pytest.approx(
        fit["free"]["tasks.effort_scale"], abs=1e-6)
    assert load_scenario(out)["city.communities"] == 12


@pytest.mark.parametrize("args, message", [
    (["--target", "happiness=1", "--free", "tasks.effort_scale=0.5:1"], "unknown metric"),
    (["--target", "admin_share=high", "--free", "tasks.effort_scale=0.5:1"], "must be a number"),
    (["--target", "admin_share=0.8", "--free", "governance.model=a:b"], "only numeric keys"),
    (["--target", "admin_share=0.8", "--free", "tasks.effort_scale=2:1"], "reversed range"),
    (["--target", "admin_share=0.8", "--free", "tasks.efort_scale=1:2"], "did you mean"),
    (["--target", "admin_share=nan", "--free", "tasks.effort_scale=0.5:1"],
     "bad value nan; expected a finite number"),
    (["--target", "admin_share=0.8", "--free", "tasks.effort_scale=0.5:inf"],
     "bad value inf; expected a finite number in [0, 100]"),
    (["--target", "admin_share=0.8", "--free", "city.communities=nan:10"],
     "bad value nan; expected an integer in [1, 20000]"),
])
def test_bad_calibration_input_gets_one_message_and_status_2(tmp_path, args, message):
    result = CliRunner().invoke(main, ["calibrate", str(BASELINE), *args, "--out",
                                       str(tmp_path / "x.toml")])
    assert result.exit_code == 2 and message in result.output


MISSING = [*SYNTHETIC_SET, "--set", "city.communities=10", "--set", "simulation.days=40",
           "--reps", "1",
           "--workers", "1", "--max-evaluations", "6", "--free",
           "staffing.staff_per_community=8:40"]


@pytest.fixture(scope="module")
def unreachable(tmp_path_factory):
    """A fit to an administrative share that no staffing in the range reaches: even 40 staff
    cannot give residents enough hours (discretionary work has a ceiling per person)."""
    out = tmp_path_factory.mktemp("miss") / "fitted.toml"
    result = CliRunner().invoke(main, ["calibrate", str(BASELINE), *MISSING, "--target",
                                       "admin_share=0.30", "--out", str(out),
                                       "--format", "json"])
    return result, out


def test_a_missed_target_exits_1(unreachable):
    result, _ = unreachable
    assert result.exit_code == 1, result.output


def test_a_missed_target_is_named_with_the_range_the_search_reached(unreachable):
    result, _ = unreachable
    missed = json.loads(result.stdout)["missed"]
    assert [m["metric"] for m in missed] == ["admin_share"]
    low, high = missed[0]["reached_low"], missed[0]["reached_high"]
    assert 0.30 * 1.05 < low <= missed[0]["mean"] <= high
    assert "calibration missed 1 target(s)" in result.stderr
    assert f"admin_share: target 0.3, achieved {missed[0]['mean']:.4g}" in result.stderr
    assert f"reached {low:.4g} to {high:.4g}" in result.stderr


def test_a_missed_fit_reports_not_converged_and_still_writes_a_marked_file(unreachable):
    result, out = unreachable
    assert json.loads(result.stdout)["converged"] is False
    assert "# MISSED admin_share" in out.read_text(encoding="utf-8")
    assert f"still written to {out}" in result.stderr


def test_staffing_alone_can_bring_the_admin_share_to_070(tmp_path):
    # Freed hours go to residents, so more staff lower the share of hours worked on admin.
    result = CliRunner().invoke(main, ["calibrate", str(BASELINE), *MISSING, "--target",
                                       "admin_share=0.70", "--out",
                                       str(tmp_path / "fit.toml"), "--format", "json"])
    assert result.exit_code == 0, result.output
    fitted = json.loads(result.stdout)["free"]["staffing.staff_per_community"]
    assert 15 < fitted < 40


def test_a_reachable_target_converges_with_exit_0(tmp_path):
    scenario = load_scenario(BASELINE, [*SYNTHETIC, "city.communities=10", "simulation.days=40",
                                        "staffing.staff_per_community=20"])
    reachable = float(run(scenario, seed=0, reps=1).metrics["admin_share"].mean())
    result = CliRunner().invoke(main, ["calibrate", str(BASELINE), *MISSING, "--target",
                                       f"admin_share={reachable}", "--out",
                                       str(tmp_path / "fit.toml"), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["converged"] is True
    assert json.loads(result.stdout)["missed"] == [] and result.stderr == ""


def test_a_tolerance_that_is_not_a_share_is_refused(tmp_path):
    result = CliRunner().invoke(main, ["calibrate", str(BASELINE), *MISSING, "--target",
                                       "admin_share=0.8", "--tolerance", "nan",
                                       "--out", str(tmp_path / "x.toml")])
    assert result.exit_code == 2 and "--tolerance: bad value nan" in result.output
