"""Sweeps: one row per run, identical whatever the parallelism, resumable after a kill -9."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import Future
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from sim.cli import main
from sim.design import parse_vary
from sim.errors import UserError
from sim.executors import InlineExecutor, map_unordered
from sim.scenario import load_scenario
from sim.sweep import JOURNAL, RESULTS, Progress, plan_sweep, run_sweep
from tests.conftest import SCENARIOS, SYNTHETIC, SYNTHETIC_SET

SMALL = [*SYNTHETIC, "city.communities=12", "city.street_offices=2", "city.zone_committees=0",
         "simulation.days=40"]
BASELINE = str(SCENARIOS / "baseline.toml")
SET_SMALL = [arg for setting in SMALL for arg in ("--set", setting)]


def small_plan(*varies, reps=2, **options):
    scenario = load_scenario(BASELINE, SMALL)
    return plan_sweep(scenario, [parse_vary(v) for v in varies], reps=reps, seed=11, **options)


def without_timing(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.drop(columns=["seconds"]).reset_index(drop=True)


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    plan = small_plan("staffing.staff_per_community=10:16:3",
                      "governance.model=two_committees,workstation")
    return run_sweep(plan, tmp_path_factory.mktemp("ref") / "sweep", workers=1)


def test_runs_table_has_a_row_per_point_and_replicate(reference):
    assert len(reference) == 3 * 2 * 2
    assert {"staffing.staff_per_community", "governance.model", "rep", "seed", "admin_share",
            "overdue_rate", "status", "error", "seconds"} <= set(reference.columns)
    assert (reference["status"] == "ok").all()
    assert reference.groupby("point")["rep"].apply(list).tolist() == [[0, 1]] * 6


def test_common_random_numbers_share_the_seed_across_points(reference):
    assert reference["seed"].nunique() == 1


def test_two_workers_give_the_same_results_as_one(reference, tmp_path):
    plan = small_plan("staffing.staff_per_community=10:16:3",
                      "governance.model=two_committees,workstation")
    two = run_sweep(plan, tmp_path / "two", workers=2)
    pd.testing.assert_frame_equal(without_timing(two), without_timing(reference))


@pytest.mark.slow
def test_a_dask_cluster_gives_the_same_results_as_local_workers(reference, tmp_path):
    distributed = pytest.importorskip("dask.distributed")
    plan = small_plan("staffing.staff_per_community=10:16:3",
                      "governance.model=two_committees,workstation")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None) as cluster:
        on_dask = run_sweep(plan, tmp_path / "dask", scheduler=cluster.scheduler_address)
    pd.testing.assert_frame_equal(without_timing(on_dask), without_timing(reference))


def test_a_failing_run_is_recorded_and_the_others_finish(tmp_path):
    missing = tmp_path / "no_such_catalog.csv"
    result = CliRunner().invoke(main, [
        "sweep", BASELINE, *SET_SMALL, "--workers", "1",
        "--vary", f'tasks.catalog="",{json.dumps(str(missing))}', "--out",
        str(tmp_path / "sweep")])
    assert result.exit_code == 1
    assert "1 of 2 runs failed" in result.output
    runs = pd.read_parquet(tmp_path / "sweep" / RESULTS)
    assert runs["status"].tolist() == ["ok", "failed"]
    assert "catalog file not found" in runs["error"].iloc[1]
    assert pd.isna(runs["admin_share"].iloc[1]) and runs["admin_share"].iloc[0] > 0


@pytest.mark.slow
def test_a_sweep_killed_with_sigkill_resumes_to_the_uninterrupted_result(tmp_path):
    args = ["sweep", BASELINE, *SET_SMALL,
            "--set", "simulation.days=120", *SYNTHETIC_SET, "--set", "city.communities=20",
            "--vary", "staffing.staff_per_community=8:20:1", "--reps", "3", "--seed", "4",
            "--workers", "1", "--quiet"]
    command = str(Path(sys.executable).parent / "commsim")
    killed_dir, whole_dir = tmp_path / "killed", tmp_path / "whole"
    process = subprocess.Popen([command, *args, "--out", str(killed_dir)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    journal = killed_dir / JOURNAL
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if journal.exists() and len(journal.read_bytes().splitlines()) >= 5:
            break
        time.sleep(0.02)
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    finished_before = len(journal.read_bytes().splitlines())
    assert 5 <= finished_before < 39 and not (killed_dir / RESULTS).exists()

    resumed = subprocess.run([command, *args, "--out", str(killed_dir), "--resume"],
                             capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    whole = subprocess.run([command, *args, "--out", str(whole_dir)], capture_output=True,
                           text=True, timeout=300)
    assert whole.returncode == 0, whole.stderr
    after = pd.read_parquet(killed_dir / RESULTS)
    pd.testing.assert_frame_equal(without_timing(after),
                                  without_timing(pd.read_parquet(whole_dir / RESULTS)))
    keys = [json.loads(line)["run_key"] for line in journal.read_text().splitlines()]
    assert len(keys) == len(set(keys)) == 39         # nothing ran twice


@pytest.mark.slow
def test_resume_drops_a_torn_last_line(reference, tmp_path):
    plan = small_plan("staffing.staff_per_community=10:16:3",
                      "governance.model=two_committees,workstation")
    out = tmp_path / "torn"
    run_sweep(plan, out, workers=1)
    lines = (out / JOURNAL).read_text().splitlines()
    (out / JOURNAL).write_text("\n".join(lines[:7]) + "\n" + lines[7][:25])
    resumed = run_sweep(plan, out, resume=True, workers=1)
    pd.testing.assert_frame_equal(without_timing(resumed), without_timing(reference))


def test_a_new_sweep_into_a_non_empty_folder_is_refused(tmp_path):
    (tmp_path / "old.txt").write_text("results", encoding="utf-8")
    with pytest.raises(UserError, match="not empty; pass --resume"):
        run_sweep(small_plan("city.communities=5,6"), tmp_path)


def test_resume_refuses_a_different_design(tmp_path):
    run_sweep(small_plan("city.communities=5,6", reps=1), tmp_path / "s", workers=1)
    with pytest.raises(UserError, match="differs in 'design'"):
        run_sweep(small_plan("city.communities=5,7", reps=1), tmp_path / "s", resume=True)


@pytest.mark.slow
def test_an_unreachable_scheduler_is_reported_within_seconds(tmp_path):
    pytest.importorskip("dask.distributed")
    started = time.monotonic()
    result = CliRunner().invoke(main, ["sweep", BASELINE, "--vary", "city.communities=5,6",
                                       "--scheduler", "tcp://127.0.0.1:9", "--out",
                                       str(tmp_path / "s")])
    assert result.exit_code == 2
    assert "cannot reach the Dask scheduler" in result.output
    assert time.monotonic() - started < 20


@pytest.mark.parametrize("args, message", [
    (["--vary", "city.comunities=5,6"], "did you mean 'city.communities'"),
    (["--vary", "city.communities=9:5:1"], "empty or reversed range"),
    (["--vary", "city.communities=5:9:0"], "the step must be positive"),
    (["--vary", "city.communities=5,6", "--n", "4"], "--n is only for --sample lhs"),
])
def test_bad_sweep_input_gets_one_message_and_status_2(tmp_path, args, message):
    result = CliRunner().invoke(main, ["sweep", BASELINE, *args, "--out", str(tmp_path / "s")])
    assert result.exit_code == 2 and message in result.output
    assert "Traceback" not in result.output


def test_at_most_the_window_of_runs_is_in_flight():
    outstanding, peak = [0], [0]

    class Counting(InlineExecutor):
        def submit(self, fn, /, *args, **kwargs) -> Future:
            outstanding[0] += 1
            peak[0] = max(peak[0], outstanding[0])
            return super().submit(fn, *args, **kwargs)

    for _ in map_unordered(Counting(), abs, range(-50, 0), in_flight=3):
        outstanding[0] -= 1
    assert peak[0] <= 3


def test_progress_shows_runs_rate_and_eta_only_when_enabled():
    shown: list[str] = []
    progress = Progress(enabled=True, write=shown.append)
    progress.start(4, already=2)
    progress.advance()
    assert "1/4 runs (+2 on disk)" in shown[-1] and "runs/s" in shown[-1] and "ETA" in shown[-1]
    silent: list[str] = []
    quiet = Progress(enabled=False, write=silent.append)
    quiet.start(4)
    quiet.advance()
    assert silent == []
