"""Benchmark: sweep throughput with 1 and 2 local workers, and a sweep's per-run overhead.

A 40-community, one-year baseline city (4 street offices, 1 zone committee) swept
over staffing levels. Targets (issue 12, "Sweeps"):

* two workers give at least 1.8 times the throughput (runs per second) of one;
* the per-run overhead of a sweep is under 5% of one 40-community run. The
  overhead is the wall time of a one-worker sweep of N runs (planning each run's
  scenario and key, executing it, writing its journal row, the manifest and the
  final Parquet table) minus the time of the same N runs done directly in this
  process (build the model, run it, compute the metrics a sweep row holds: what
  ``sim.runner.execute`` does), divided by N, as a share of one direct run. The
  direct runs and the sweeps alternate ``--repeats`` times and the fastest of each
  is kept, so that load on the machine falls on both alike. Being the difference of
  two timings, this figure carries their noise (about 10 ms a run, 4% of one, on a
  shared machine), so the overhead is also measured inside the same sweeps: the
  sweep's wall time minus the seconds its rows record for the runs themselves
  (``execute`` times model, run and metrics), divided by N.

Two workers are timed twice: in the first pool of the process, whose fork server
first imports the model (about 0.8 s), and again with the server running, the
throughput the pool keeps. A user's ``commsim sweep`` starts the fork server first
thing (``sim.executors.start_early``), so its import overlaps the command's own; the
command line itself is timed too, one fresh process per sweep, imports included, for
1 and 2 workers.

Run with ``make bench``; figures vary with the machine's load.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sim.design import parse_vary
from sim.metrics import compute_metrics
from sim.model import CommunityWorkloadModel
from sim.runner import RunSpec
from sim.scenario import load_scenario
from sim.sweep import SweepPlan, plan_sweep, run_sweep

BASELINE = Path(__file__).resolve().parent.parent / "scenarios" / "baseline.toml"
# A 40-community synthetic city (the baseline's roster left for the synthetic draw).
CITY = ["city.roster=", "governance.by_district={}", "city.communities=40",
        "city.street_offices=4", "city.zone_committees=1"]
SPEED_UP, OVERHEAD = 1.8, 0.05          # the targets


def plan(runs: int) -> SweepPlan:
    scenario = load_scenario(BASELINE, CITY)
    return plan_sweep(scenario, [parse_vary(f"staffing.staff_per_community=10:{9 + runs}:1")],
                      reps=1, seed=1)


def sweep_seconds(sweep: SweepPlan, workers: int) -> tuple[float, float]:
    """Wall seconds of the whole sweep into a fresh folder, and the sum of its runs' own
    seconds (model, run and metrics, as each run's row records them)."""
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        runs = run_sweep(sweep, Path(folder) / "sweep", workers=workers)
        return time.perf_counter() - started, float(runs["seconds"].sum())


def command_seconds(runs: int, workers: int) -> float:
    """Wall seconds of ``commsim sweep`` in a fresh process (imports, fork server and all)
    for the same design as ``plan``."""
    commsim = Path(sys.executable).with_name("commsim")
    with tempfile.TemporaryDirectory() as folder:
        command = [str(commsim), "sweep", str(BASELINE),
                   "--vary", f"staffing.staff_per_community=10:{9 + runs}:1", "--reps", "1",
                   "--seed", "1", "--workers", str(workers), "--quiet",
                   "--out", str(Path(folder) / "sweep")]
        for setting in CITY:
            command += ["--set", setting]
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        return time.perf_counter() - started


def direct_seconds(specs: list[RunSpec]) -> float:
    """Wall seconds of the same runs without the sweep: model, run, metrics."""
    started = time.perf_counter()
    for spec in specs:
        model = CommunityWorkloadModel(spec.scenario, seed=spec.seed, replicate=spec.replicate)
        for _ in range(spec.scenario["simulation.warmup_days"]):
            model.step()
        model.ledger.start_measuring()
        model.run_to_end()
        compute_metrics(model)
    return time.perf_counter() - started


def verdict(passed: bool) -> str:
    return "PASS" if passed else "FAIL"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=40, help="runs per throughput sweep")
    parser.add_argument("--overhead-runs", type=int, default=20,
                        help="runs per sweep and per direct batch in the overhead measurement")
    parser.add_argument("--repeats", type=int, default=2,
                        help="alternations of direct runs and sweep for the overhead")
    args = parser.parse_args()

    runs = plan(args.runs)
    rates = {"1 worker": args.runs / sweep_seconds(runs, 1)[0]}
    # The first pool of a process starts the fork server, which imports the model once
    # (about a second); a later pool forks from the running server.
    rates["2 workers, fork server starting"] = args.runs / sweep_seconds(runs, 2)[0]
    rates["2 workers, fork server running"] = args.runs / sweep_seconds(runs, 2)[0]
    rates["commsim sweep, 1 worker"] = args.runs / command_seconds(args.runs, 1)
    rates["commsim sweep, 2 workers"] = args.runs / command_seconds(args.runs, 2)
    for label, rate in rates.items():
        print(f"{label}: {rate:.2f} runs/s ({args.runs} runs of a 40-community year)")
    for label in ("2 workers, fork server starting", "2 workers, fork server running",
                  "commsim sweep, 2 workers"):
        one = rates["commsim sweep, 1 worker" if label.startswith("commsim") else "1 worker"]
        speed_up = rates[label] / one
        print(f"{verdict(speed_up >= SPEED_UP)}: speed-up, {label}: {speed_up:.2f}x "
              f"(target >= {SPEED_UP}x)")

    n = args.overhead_runs
    sweep = plan(n)
    specs = [spec for _, _, spec in sweep.runs()]
    direct_seconds(specs[:1])                             # warm caches before either is timed
    direct, swept, inside = [], [], []
    for _ in range(args.repeats):
        direct.append(direct_seconds(specs))
        wall, own = sweep_seconds(sweep, 1)
        swept.append(wall)
        inside.append(wall - own)
    one_run = min(direct) / n
    print(f"direct: {1000 * one_run:.1f} ms per run; 1-worker sweep: "
          f"{1000 * min(swept) / n:.1f} ms per run (fastest of {args.repeats}, {n} runs each)")
    overhead = (min(swept) - min(direct)) / n
    print(f"{verdict(overhead / one_run < OVERHEAD)}: sweep overhead (sweep - direct runs) "
          f"{1000 * overhead:.1f} ms per run, {overhead / one_run:.1%} of a 40-community run "
          f"(target < {OVERHEAD:.0%})")
    overhead = min(inside) / n
    print(f"{verdict(overhead / one_run < OVERHEAD)}: sweep overhead (sweep - its runs' own "
          f"seconds) {1000 * overhead:.1f} ms per run, {overhead / one_run:.1%} of a "
          f"40-community run (target < {OVERHEAD:.0%})")

if __name__ == "__main__":
    main()
