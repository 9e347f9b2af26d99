"""Output that cannot be written: one message naming the path and the reason, exit status 2,
no traceback, and nothing half-written or lost (a full disk included)."""

from __future__ import annotations

import errno
import importlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from sim.cli import main
from sim.errors import UserError
from sim.output import check_writable
from sim.sweep import JOURNAL, RESULTS
from tests.conftest import SCENARIOS, SYNTHETIC_SET

BASELINE = str(SCENARIOS / "baseline.toml")
TINY = [*SYNTHETIC_SET, "--set", "city.communities=10", "--set", "city.street_offices=2",
        "--set", "city.zone_committees=0", "--set", "simulation.days=40"]
SWEEP = ["sweep", BASELINE, *TINY, "--vary", "staffing.staff_per_community=8:20:1",
         "--reps", "3", "--seed", "4", "--workers", "1", "--quiet"]
DISK_FULL = os.strerror(errno.ENOSPC)
SWEEP_MODULE = importlib.import_module("sim.sweep")    # the package exports a sweep() function


def invoke(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


def refused(result, *fragments: str) -> None:
    """Exit 2, one error line holding every fragment, no traceback."""
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, Exception)       # only the SystemExit of exit 2
    errors = [line for line in result.output.splitlines() if line.startswith("commsim: error")]
    assert len(errors) == 1
    for fragment in fragments:
        assert fragment in errors[0]


@pytest.fixture(scope="module")
def results_folder(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("results") / "run"
    result = invoke("run", BASELINE, *TINY, "--reps", "2", "--out", out)
    assert result.exit_code == 0, result.output
    return out


def writing_commands(results: Path, out: Path) -> dict[str, list]:
    """Every command that writes, with ``out`` as its target."""
    return {
        "run": ["run", BASELINE, *TINY, "--reps", "1", "--out", out],
        "compare": ["compare", BASELINE, BASELINE, *TINY, "--reps", "2", "--workers", "1",
                    "--out", out],
        "sweep": ["sweep", BASELINE, *TINY, "--vary", "simulation.days=20,30", "--workers", "1",
                  "--out", out],
        "sensitivity": ["sensitivity", BASELINE, *TINY, "--method", "morris", "--n", "2",
                        "--reps", "1", "--param", "tasks.effort_scale=0.8:1.2",
                        "--param", "tasks.demand_scale=0.8:1", "--workers", "1", "--out", out],
        "calibrate": ["calibrate", BASELINE, *TINY, "--target", "admin_share=0.8", "--free",
                      "tasks.effort_scale=0.8:1.2", "--reps", "1", "--max-evaluations", "3",
                      "--workers", "1", "--out", out],
        "plot": ["plot", results, "--out", out],
        "brief": ["brief", results, "--out", out],
    }


COMMANDS = ("run", "compare", "sweep", "sensitivity", "calibrate", "plot", "brief")


def target_name(command: str) -> str:
    return {"calibrate": "fit.toml", "brief": "brief.pdf"}.get(command, "out")


@pytest.mark.parametrize("command", COMMANDS)
def test_an_out_under_a_file_is_refused_by_every_command(results_folder, tmp_path, command):
    blocker = tmp_path / "somefile"
    blocker.write_text("not a folder", encoding="utf-8")
    out = blocker / "sub" / target_name(command)
    result = invoke(*writing_commands(results_folder, out)[command])
    refused(result, str(out), os.strerror(errno.ENOTDIR))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["somefile"]


@pytest.mark.skipif(sys.platform != "linux" or os.geteuid() != 0,
                    reason="needs Linux and root to show that root is refused too")
@pytest.mark.parametrize("place, reason", [("/proc", errno.ENOENT), ("/sys", errno.EPERM)])
def test_pseudo_file_systems_are_refused_even_for_root(place, reason):
    out = Path(place) / "commsim-test" / "out"
    result = invoke("run", BASELINE, *TINY, "--reps", "1", "--out", out)
    refused(result, f"--out {out}: cannot create anything in {place}", os.strerror(reason))


def test_a_writable_place_passes_the_early_check_and_leaves_no_trace(tmp_path):
    check_writable(tmp_path / "a" / "b")
    assert list(tmp_path.iterdir()) == []


def test_the_early_check_names_the_file_in_the_way(tmp_path):
    (tmp_path / "f").write_text("", encoding="utf-8")
    with pytest.raises(UserError, match=r"under .*f: Not a directory \(it is a file\)"):
        check_writable(tmp_path / "f" / "x", inside=False)


# --- a full disk, injected (runs everywhere) -------------------------------------------------

def disk_full(*args, **kwargs):
    raise OSError(errno.ENOSPC, DISK_FULL)


def test_a_full_disk_during_run_out_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(pd.DataFrame, "to_parquet", disk_full)
    out = tmp_path / "results"
    result = invoke("run", BASELINE, *TINY, "--reps", "1", "--out", out)
    refused(result, f"--out {out}: cannot write there: {DISK_FULL}", "run again")
    assert list(tmp_path.iterdir()) == []


def test_a_full_disk_while_replacing_keeps_the_old_folder(tmp_path, monkeypatch):
    out = tmp_path / "results"
    out.mkdir()
    (out / "precious.txt").write_text("keep me", encoding="utf-8")
    monkeypatch.setattr(pd.DataFrame, "to_parquet", disk_full)
    result = invoke("run", BASELINE, *TINY, "--reps", "1", "--out", out, "--overwrite")
    refused(result, DISK_FULL)
    assert [p.name for p in tmp_path.iterdir()] == ["results"]
    assert (out / "precious.txt").read_text(encoding="utf-8") == "keep me"


@pytest.fixture(scope="module")
def whole_sweep(tmp_path_factory) -> pd.DataFrame:
    out = tmp_path_factory.mktemp("whole") / "sweep"
    result = invoke(*SWEEP, "--out", out)
    assert result.exit_code == 0, result.output
    return pd.read_parquet(out / RESULTS).drop(columns=["seconds"])


def fill_disk_after(monkeypatch, rows: int) -> None:
    """Journal appends succeed ``rows`` times, then the disk is full."""
    append, calls = SWEEP_MODULE._append, []

    def append_until_full(journal, row):
        calls.append(row)
        if len(calls) > rows:
            disk_full()
        append(journal, row)

    monkeypatch.setattr(SWEEP_MODULE, "_append", append_until_full)


@pytest.mark.slow
def test_a_full_disk_mid_sweep_says_how_to_resume_and_keeps_finished_runs(tmp_path,
                                                                          monkeypatch):
    fill_disk_after(monkeypatch, 5)
    out = tmp_path / "sweep"
    result = invoke(*SWEEP, "--out", out)
    refused(result, f"--out {out}: cannot write there: {DISK_FULL}", str(out / JOURNAL),
            "--resume")
    assert len((out / JOURNAL).read_text(encoding="utf-8").splitlines()) == 5
    assert not (out / RESULTS).exists()


@pytest.mark.slow
def test_a_sweep_stopped_by_a_full_disk_resumes_elsewhere_to_the_same_results(
        tmp_path, monkeypatch, whole_sweep):
    fill_disk_after(monkeypatch, 7)
    full = tmp_path / "full"
    assert invoke(*SWEEP, "--out", full).exit_code == 2
    monkeypatch.undo()
    moved = shutil.copytree(full, tmp_path / "moved")
    resumed = invoke(*SWEEP, "--out", moved, "--resume")
    assert resumed.exit_code == 0, resumed.output
    pd.testing.assert_frame_equal(pd.read_parquet(moved / RESULTS).drop(columns=["seconds"]),
                                  whole_sweep)


# --- a real tiny disk, when this machine lets us mount one -----------------------------------

@pytest.fixture
def mount_tmpfs(tmp_path):
    """Mount tmpfs file systems under tmp_path (skips unless root on Linux may mount)."""
    mounted: list[Path] = []

    def mount(name: str, options: str) -> Path:
        if sys.platform != "linux" or os.geteuid() != 0 or not shutil.which("mount"):
            pytest.skip("mounting a tmpfs needs root on Linux")
        point = tmp_path / name
        point.mkdir()
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(point)],
                              capture_output=True, text=True)
        if done.returncode != 0:
            pytest.skip(f"mounting a tmpfs is not permitted here: {done.stderr.strip()}")
        mounted.append(point)
        return point

    yield mount
    for point in reversed(mounted):
        subprocess.run(["umount", str(point)], check=True)


def test_a_read_only_file_system_is_refused_before_running(mount_tmpfs):
    disk = mount_tmpfs("ro", "ro,size=64k")
    result = invoke("run", BASELINE, *TINY, "--reps", "1", "--out", disk / "out")
    refused(result, f"cannot create anything in {disk}", os.strerror(errno.EROFS))


def test_a_real_full_disk_stops_run_out_cleanly(mount_tmpfs):
    disk = mount_tmpfs("small", "size=24k")
    result = invoke("run", BASELINE, *TINY, "--reps", "1", "--out", disk / "out")
    refused(result, f"--out {disk / 'out'}: cannot write there: {DISK_FULL}")
    assert list(disk.iterdir()) == []


@pytest.mark.slow
def test_a_real_full_disk_stops_a_sweep_that_resumes_elsewhere(mount_tmpfs, tmp_path,
                                                               whole_sweep):
    disk = mount_tmpfs("small", "size=24k")
    result = invoke(*SWEEP, "--out", disk / "sweep")
    refused(result, DISK_FULL, "--resume")
    journal = (disk / "sweep" / JOURNAL).read_bytes().splitlines()
    assert 0 < len(journal) < len(whole_sweep)
    moved = shutil.copytree(disk / "sweep", tmp_path / "moved")
    resumed = invoke(*SWEEP, "--out", moved, "--resume")
    assert resumed.exit_code == 0, resumed.output
    after = pd.read_parquet(moved / RESULTS)
    pd.testing.assert_frame_equal(after.drop(columns=["seconds"]), whole_sweep)
    keys = [json.loads(line)["run_key"] for line in (moved / JOURNAL).read_text().splitlines()]
    assert len(keys) == len(set(keys)) == len(whole_sweep)
