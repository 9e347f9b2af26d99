"""Benchmark: how long ``commsim`` takes to start, against what NumPy and Mesa cost.

Every measurement is the wall time of a fresh subprocess (so the interpreter
start, ``site`` and every import are counted, as a user pays them), repeated
``--repeat`` times with the three kinds interleaved so that machine load
drifts over all of them alike; the median is reported.

* ``commsim --help``: the installed console script. Target (issue): <= 0.4 s.
* ``python -c "import numpy, mesa"``: the floor any simulation run pays.
* ``commsim run`` overhead: a tiny run (one community, five days, one
  replicate) minus the simulation itself minus the NumPy+Mesa floor. It is
  what our own code adds: importing the rest of commsim, reading the scenario,
  summarising and printing. Target: <= 0.3 s.

To know the simulation's own time, the run goes through ``python -c`` with
``sim.runner.run`` wrapped in a timer (the CLI looks ``run`` up when the
command starts, so it calls the wrapper); the child prints the seconds spent
inside ``run`` on stderr. The first ``run`` in a process builds the model
from scratch, so model set-up counts as simulation, not as overhead. For
comparison the real console script's wall time for the same run is shown too;
it should match the wrapped run's within noise.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

HELP_TARGET_S = 0.4
OVERHEAD_TARGET_S = 0.3
COMMSIM = str(Path(sys.executable).parent / "commsim")
BASELINE = str(Path(__file__).resolve().parent.parent / "scenarios" / "baseline.toml")
TINY = [BASELINE, "--set", "city.roster=", "--set", "governance.by_district={}",
        "--set", "city.communities=1", "--set", "city.street_offices=1",
        "--set", "city.zone_committees=0", "--set", "simulation.days=5", "--reps", "1"]
TIMED_RUN = """
import sys, time
import sim.runner
inner = sim.runner.run
def timed(*args, **kwargs):
    started = time.perf_counter()
    try:
        return inner(*args, **kwargs)
    finally:
        print(f"SIMULATION {time.perf_counter() - started:.6f}", file=sys.stderr)
sim.runner.run = timed
from sim.cli import main
main(sys.argv[1:])
"""


def wall(argv: list[str]) -> tuple[float, str]:
    """Seconds a fresh process takes from start to exit, and its stderr."""
    started = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, check=True)
    return time.perf_counter() - started, done.stderr


def timed_run() -> tuple[float, float]:
    """Wall time of the tiny run, and the seconds of it spent inside sim.runner.run."""
    seconds, stderr = wall([sys.executable, "-c", TIMED_RUN, "run", *TINY])
    return seconds, float(stderr.split("SIMULATION ")[1].split()[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=9, help="Runs per measurement.")
    args = parser.parse_args()
    help_s, imports_s, outside_s, simulation_s, script_s = [], [], [], [], []
    for _ in range(args.repeat):
        help_s.append(wall([COMMSIM, "--help"])[0])
        imports_s.append(wall([sys.executable, "-c", "import numpy, mesa"])[0])
        seconds, simulation = timed_run()
        outside_s.append(seconds - simulation)
        simulation_s.append(simulation)
        script_s.append(wall([COMMSIM, "run", *TINY])[0])
    median = statistics.median
    # Near zero it can come out slightly negative: the two medians each carry the load's noise.
    overhead = median(outside_s) - median(imports_s)
    print(f"median of {args.repeat} fresh processes each:")
    print(f"  commsim --help                 {median(help_s):.3f} s  "
          f"(target <= {HELP_TARGET_S} s: {verdict(median(help_s), HELP_TARGET_S)})")
    print(f"  python -c 'import numpy, mesa' {median(imports_s):.3f} s")
    print(f"  commsim run (tiny), wall       {median(script_s):.3f} s, of which "
          f"{median(simulation_s):.3f} s simulating")
    print(f"  run overhead beyond the simulation and numpy+mesa {overhead:.3f} s  "
          f"(target <= {OVERHEAD_TARGET_S} s: {verdict(overhead, OVERHEAD_TARGET_S)})")


def verdict(measured: float, target: float) -> str:
    return "met" if measured <= target else "MISSED"


if __name__ == "__main__":
    main()
