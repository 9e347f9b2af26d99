"""The command line: outputs, the results folder, one clear message per kind of bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from sim.cli import main
from sim.metrics import METRICS
from tests.conftest import SCENARIOS, SYNTHETIC_SET, write_catalog

SMALL = [*SYNTHETIC_SET, "--set", "city.communities=12", "--set", "city.street_offices=2",
         "--set", "city.zone_committees=0", "--set", "simulation.days=30"]
BASELINE = str(SCENARIOS / "baseline.toml")


def invoke(*args):
    return CliRunner().invoke(main, list(args))


def test_run_prints_every_metric_as_a_table():
    result = invoke("run", BASELINE, "--reps", "2", *SMALL)
    assert result.exit_code == 0, result.output
    for name in METRICS:
        assert name in result.output
    assert "replicate range" in result.output and "95%" not in result.output


def test_run_json_has_mean_interval_and_values_per_metric():
    result = invoke("run", BASELINE, "--reps", "3", "--seed", "5", "--format", "json", *SMALL)
    data = json.loads(result.output)
    assert (data["scenario"], data["seed"], data["reps"]) == ("baseline", 5, 3)
    for name in ("admin_share", "selfgov_share", "service_share",
                 "selfgov_hours_per_1000_households", "unmet_selfgov_share", "overdue_rate",
                 "backlog_hours_per_community", "overtime_hours_per_staff_week",
                 "task_instances_per_community_year", "admin_task_types", "selfgov_task_types"):
        metric = data["metrics"][name]
        assert len(metric["values"]) == 3
        assert metric["ci_low"] <= metric["mean"] <= metric["ci_high"]
        assert metric["method"] in ("t (logit scale)", "t (log scale)")


def test_run_out_writes_tables_summary_and_manifest(tmp_path):
    out = tmp_path / "results"
    result = invoke("run", BASELINE, "--reps", "2", "--out", str(out), *SMALL)
    assert result.exit_code == 0, result.output
    weekly = pd.read_parquet(out / "weekly.parquet")
    assert len(weekly) == 2 * 6 * 12                  # replicates x weeks x communities
    assert {"rep", "week", "community", "households", "hours_administrative",
            "backlog_hours", "overtime_hours"} <= set(weekly.columns)
    summary = pd.read_csv(out / "summary.csv")
    assert set(summary["metric"]) == set(METRICS)
    assert set(summary["method"]) == {"replicate range"}
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["seed"] == 0 and manifest["replicates"] == [0, 1]
    assert manifest["scenarios"]["baseline"]["resolved"]["city"]["communities"] == 12
    runs = pd.read_parquet(out / "runs.parquet")
    assert list(runs[["scenario", "point", "world", "rep"]].itertuples(index=False)) == [
        ("baseline", -1, -1, 0), ("baseline", -1, -1, 1)]
    assert {"mesa", "numpy", "pandas"} <= set(manifest["versions"])
    assert "git_revision" in manifest
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_run_refuses_to_overwrite_a_results_folder_unless_asked(tmp_path):
    out = tmp_path / "results"
    out.mkdir()
    (out / "precious.txt").write_text("keep me", encoding="utf-8")
    refused = invoke("run", BASELINE, "--out", str(out), *SMALL)
    assert refused.exit_code == 2 and "not empty" in refused.output
    assert (out / "precious.txt").read_text(encoding="utf-8") == "keep me"
    replaced = invoke("run", BASELINE, "--out", str(out), "--overwrite", *SMALL)
    assert replaced.exit_code == 0
    assert not (out / "precious.txt").exists() and (out / "manifest.json").exists()


def test_params_lists_every_key_with_value_and_meaning():
    result = invoke("params", str(SCENARIOS / "workstation.toml"))
    assert 'governance.model = "workstation"' in result.output
    assert "reforms.access_list.max_admin_tasks = 96" in result.output
    assert "Source: Hefei report: 362 urban communities" in result.output


def test_tasks_summarises_the_catalog():
    result = invoke("tasks")
    assert result.exit_code == 0
    assert "administrative" in result.output and "self_governance" in result.output


def test_validate_accepts_every_shipped_scenario():
    for path in SCENARIOS.glob("*.toml"):
        result = invoke("validate", str(path))
        assert result.exit_code == 0 and "OK" in result.output


@pytest.mark.parametrize("args, message", [
    (["run", "nowhere.toml"], "nowhere.toml: scenario file not found"),
    (["run", BASELINE, "--set", "city.comunities=3"], "did you mean 'city.communities'"),
    (["run", BASELINE, "--set", "city.communities=-3"], "expected an integer in [1, 20000]"),
    (["run", BASELINE, "--set", "governance.model=anarchy"], "one of 'two_committees'"),
    (["run", BASELINE, "--set", "tasks.effort_scale=nan"],
     "bad value nan for 'tasks.effort_scale'; expected a finite number in [0, 100]"),
    (["run", BASELINE, "--set", "nonsense"], "expected KEY=VALUE"),
    (["tasks", "--catalog", "missing.csv"], "missing.csv: catalog file not found"),
])
def test_bad_input_gets_one_message_and_exit_status_2(args, message):
    result = invoke(*args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_bad_catalog_in_a_scenario_is_named_by_row_and_column(tmp_path):
    catalog = write_catalog(tmp_path / "mine.csv", [{"deadline_days": "soon"}])
    scenario = tmp_path / "s.toml"
    scenario.write_text(f'extends = "{BASELINE}"\ntasks.catalog = "mine.csv"\n',
                        encoding="utf-8")
    result = invoke("validate", str(scenario))
    assert result.exit_code == 2
    assert f"{catalog}: row 2, column 'deadline_days'" in result.output


def test_the_installed_command_prints_no_traceback_on_bad_input(tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text("[city\n", encoding="utf-8")
    command = Path(sys.executable).parent / "commsim"
    done = subprocess.run([str(command), "run", str(broken)], capture_output=True, text=True,
                          env={**os.environ, "PYTHONWARNINGS": "ignore"}, timeout=60)
    assert done.returncode == 2
    assert "broken.toml: TOML syntax error" in done.stderr and "line 1" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_setting_that_changes_nothing_is_warned_about_on_stderr():
    result = invoke("run", BASELINE, "--reps", "1", *SMALL,
                    "--set", "reforms.access_list.max_admin_tasks=60")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        "commsim: warning: --set reforms.access_list.max_admin_tasks=60 has no effect while "
        "reforms.access_list.enabled = false; set reforms.access_list.enabled = true to make "
        "it count"]


def test_a_switched_off_key_in_a_file_is_warned_about_by_validate(tmp_path):
    scenario = tmp_path / "s.toml"
    scenario.write_text(f'extends = "{BASELINE}"\ncity.roster = ""\ngovernance.by_district = {{}}\n'
                        'governance.lending_share = 0.9\n', encoding="utf-8")
    result = invoke("validate", str(scenario))
    assert result.exit_code == 0
    assert result.stderr.startswith(f"commsim: warning: {scenario}: governance.lending_share "
                                    "= 0.9 has no effect while governance.model = ")


def test_shipped_scenarios_load_without_warnings():
    for path in SCENARIOS.glob("*.toml"):
        result = invoke("validate", str(path))
        assert result.stderr == "", path.name


def test_no_warning_when_the_switch_is_on():
    result = invoke("validate", str(SCENARIOS / "access_list.toml"),
                    "--set", "reforms.access_list.max_admin_tasks=60")
    assert result.exit_code == 0 and result.stderr == ""


def test_a_sweep_over_a_key_whose_switch_is_off_is_warned_about(tmp_path):
    result = invoke("sweep", BASELINE, *SMALL, "--vary", "reforms.digital.effort_cut=0.2,0.4",
                    "--workers", "1", "--out", str(tmp_path / "sweep"))
    assert result.exit_code == 0, result.output
    assert "commsim: warning: reforms.digital.effort_cut (varied) has no effect" in result.stderr
