"""One results format: run, compare and sweep folders share a layout and one loader.

Each command writes a tiny folder once per module; every folder must load through
``load_results`` without saying which command made it, carry the same run keys in
runs.parquet and in every table its manifest lists, and plot. A folder of the
previous layout is refused with a message saying how to regenerate it.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from analysis.results import load_results
from sim.cli import main
from sim.errors import UserError
from sim.metrics import METRICS
from sim.results_folder import FORMAT_VERSION, RUN_KEYS, runs_columns
from tests.conftest import SCENARIOS, SYNTHETIC_SET

TINY = [*SYNTHETIC_SET, "--set", "city.communities=8", "--set", "city.street_offices=2",
        "--set", "city.zone_committees=0", "--set", "simulation.days=20", "--reps", "2"]
BASELINE = str(SCENARIOS / "baseline.toml")
COMMANDS = {
    "run": ["run", BASELINE],
    "compare": ["compare", BASELINE, str(SCENARIOS / "access_list.toml")],
    "sweep": ["sweep", BASELINE, "--vary", "staffing.staff_per_community=8,14", "--quiet"],
}
VARIED = {"run": [], "compare": [], "sweep": ["staffing.staff_per_community"]}


def invoke(*args: str) -> str:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("formats")
    for name, args in COMMANDS.items():
        invoke(*args, *TINY, "--out", base / name)
    return {name: base / name for name in COMMANDS}


@pytest.mark.parametrize("command", COMMANDS)
def test_every_folder_has_runs_in_the_common_schema(folders, command):
    runs = pd.read_parquet(folders[command] / "runs.parquet")
    assert list(runs.columns) == runs_columns(VARIED[command])
    assert list(runs.columns[:5]) == [*RUN_KEYS, "seed"]
    assert set(METRICS) <= set(runs.columns)
    assert (runs["status"] == "ok").all() and (runs["world"] == -1).all()
    assert sorted(set(runs["rep"])) == [0, 1]
    points = set(runs["point"])
    assert points == ({0, 1} if command == "sweep" else {-1})


@pytest.mark.parametrize("command", COMMANDS)
def test_the_manifest_declares_format_and_the_keys_of_every_table(folders, command):
    folder = folders[command]
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["format_version"] == FORMAT_VERSION and manifest["command"] == command
    assert "runs.parquet" in manifest["tables"]
    for name, entry in manifest["tables"].items():
        assert (folder / name).is_file(), name
        if name.endswith(".parquet"):
            assert list(RUN_KEYS) == entry["keys"][:4]
            assert set(entry["keys"]) <= set(pd.read_parquet(folder / name).columns), name
    parquet = {p.name for p in folder.glob("*.parquet")}
    assert parquet <= set(manifest["tables"])
    for entry in manifest["scenarios"].values():
        assert entry["resolved"]["city"]["communities"] == 8


@pytest.mark.parametrize("command", COMMANDS)
def test_one_loader_reads_every_folder(folders, command):
    results = load_results(folders[command])
    assert results.reps == 2 and results.keys == VARIED[command]
    assert set(results.metrics["scenario"]) == set(results.scenarios)
    assert set(results.summary["metric"]) == set(METRICS)
    assert results.days == {name: 20 for name in results.scenarios}
    if command != "sweep":
        assert results.weekly is not None and results.communities is not None
        assert results.categories is not None


@pytest.mark.parametrize("command", COMMANDS)
def test_plot_draws_at_least_one_chart_for_every_folder(folders, command, tmp_path):
    output = invoke("plot", folders[command], "--out", tmp_path)
    assert "chart(s) written" in output
    assert list(tmp_path.glob("*.png"))


def test_a_run_is_a_comparison_of_one_scenario(folders):
    run, compare = load_results(folders["run"]), load_results(folders["compare"])
    first = compare.summary[compare.summary["scenario"] == "baseline"]
    assert first["diff"].isna().all() and run.summary["diff"].isna().all()
    assert set(run.weekly.columns) >= set(compare.weekly.columns)


def test_a_folder_of_the_previous_layout_says_how_to_regenerate(folders, tmp_path):
    old = tmp_path / "old"
    shutil.copytree(folders["run"], old)
    manifest = json.loads((old / "manifest.json").read_text(encoding="utf-8"))
    del manifest["format_version"]
    (old / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(UserError, match=r"older commsim.*rerun the command that made it"):
        load_results(old)
    result = CliRunner().invoke(main, ["plot", str(old)])
    assert result.exit_code == 2 and str(old) in result.output


def test_an_old_sweep_folder_says_how_to_regenerate(tmp_path):
    (tmp_path / "sweep.json").write_text(json.dumps({"command": "sweep"}), encoding="utf-8")
    (tmp_path / "runs.parquet").write_bytes(b"")
    with pytest.raises(UserError, match=r"older commsim \(sweep.json"):
        load_results(tmp_path)


def test_a_newer_format_is_refused(folders, tmp_path):
    newer = tmp_path / "newer"
    shutil.copytree(folders["compare"], newer)
    manifest = json.loads((newer / "manifest.json").read_text(encoding="utf-8"))
    manifest["format_version"] = FORMAT_VERSION + 1
    (newer / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(UserError, match="newer than this commsim reads"):
        load_results(newer)


def test_a_resumed_sweep_ends_in_the_same_common_table(folders, tmp_path):
    resumed = tmp_path / "resumed"
    shutil.copytree(folders["sweep"], resumed)
    (resumed / "runs.parquet").unlink()
    journal = resumed / "runs.jsonl"
    lines = journal.read_text(encoding="utf-8").splitlines()
    journal.write_text("\n".join(lines[:2]) + "\n" + lines[2][:10], encoding="utf-8")
    invoke(*COMMANDS["sweep"], *TINY, "--out", resumed, "--resume")
    before = pd.read_parquet(folders["sweep"] / "runs.parquet").drop(columns="seconds")
    after = pd.read_parquet(resumed / "runs.parquet").drop(columns="seconds")
    pd.testing.assert_frame_equal(before, after)
