"""Benchmark: sweep throughput (runs per second) with 1 and 2 local workers.

A 40-community, one-year baseline city swept over staffing levels. Target
(issue 3): two workers give at least 1.8 times the throughput of one. Run with
``make bench``; figures vary with the machine's load.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from sim.design import parse_vary
from sim.scenario import load_scenario
from sim.sweep import plan_sweep, run_sweep

BASELINE = Path(__file__).resolve().parent.parent / "scenarios" / "baseline.toml"
CITY = ["city.communities=40", "city.street_offices=4", "city.zone_committees=1"]


def throughput(workers: int, runs: int) -> float:
    scenario = load_scenario(BASELINE, CITY)
    plan = plan_sweep(scenario, [parse_vary(f"staffing.staff_per_community=10:{9 + runs}:1")],
                      reps=1, seed=1)
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        run_sweep(plan, Path(folder) / "sweep", workers=workers)
        return runs / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    rates = {workers: throughput(workers, args.runs) for workers in (1, 2)}
    for workers, rate in rates.items():
        print(f"{workers} worker(s): {rate:.2f} runs/s ({args.runs} runs of a 40-community year)")
    print(f"speed-up with 2 workers: {rates[2] / rates[1]:.2f}x (target >= 1.8x)")


if __name__ == "__main__":
    main()
