"""Calibration recovers a known parameter and writes a scenario that reproduces the fit."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from sim.cli import main
from sim.runner import run
from sim.scenario import load_scenario
from tests.conftest import SCENARIOS

SMALL = ["city.communities=12", "city.street_offices=2", "city.zone_committees=0",
         "simulation.days=60"]
SET_SMALL = [arg for setting in SMALL for arg in ("--set", setting)]
BASELINE = SCENARIOS / "baseline.toml"


def overtime_at(effort_scale: float) -> float:
    scenario = load_scenario(BASELINE, [*SMALL, f"tasks.effort_scale={effort_scale}"])
    return float(run(scenario, seed=3, reps=2).metrics["overtime_hours_per_staff_week"].mean())


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
