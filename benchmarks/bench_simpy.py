"""Benchmark (issue 12): commsim against a SimPy model of the same community, side by side.

Both sides run commsim's queueing core (benchmarks/queueing_core.toml: the baseline's
catalog and staffing with every behavioural mechanism off) for communities of 4,000
households, one working year at a time, and the speed of each is given in
community-years per second (model build included, as in bench_city_year.py):

- SimPy: benchmarks/simpy_community.py, one community per run, with preemption (its
  default) and without;
- commsim, one community per run;
- commsim, a city of identical communities per run (``--cities``), divided by their
  number: commsim works a whole city in one set of array passes.

Each measurement is repeated (``--repeats``), interleaved so that the machine's load
falls on all sides alike, and every repeat uses new seeds. The runs are also the
docking check: the administrative share of hours worked and the instances issued per
community-year must agree between SimPy and commsim within a few per cent.

Run with ``make bench-simpy``; timings vary with the machine's load.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import statistics
import time
from collections.abc import Callable
from importlib.metadata import version

from simpy_community import QUEUEING_CORE
from simpy_community import run as run_simpy

from sim.metrics import compute_metrics
from sim.model import CommunityWorkloadModel
from sim.scenario import Scenario, load_scenario

Sample = tuple[float, float]          # (admin share, instances) of one community-year


def simpy_years(scenario: Scenario, seeds: range, preemptive: bool) -> list[Sample]:
    """One SimPy run per seed, one community-year each."""
    samples = []
    for seed in seeds:
        tally = run_simpy(scenario, seed=seed, preemptive=preemptive)
        samples.append((tally.admin_share, tally.instances))
    return samples


def commsim_years(scenario: Scenario, seeds: range, communities: int) -> list[Sample]:
    """One commsim run per seed, of a city of ``communities``; one sample per run, its
    admin share over the whole city and its instances per community."""
    city = scenario.with_values(city__communities=communities)
    samples = []
    for seed in seeds:
        model = CommunityWorkloadModel(city, seed=seed)
        model.run_to_end()
        samples.append((compute_metrics(model)["admin_share"],
                        model.ledger.total("issued") / communities))
    return samples


class Side:
    """One way of running community-years: its timings and its samples."""

    def __init__(self, name: str, runs: int, communities: int,
                 go: Callable[[range], list[Sample]]):
        self.name, self.runs, self.communities, self.go = name, runs, communities, go
        self.rates: list[float] = []
        self.samples: list[Sample] = []

    def measure(self, repeat: int) -> None:
        seeds = range(1 + repeat * self.runs, 1 + (repeat + 1) * self.runs)
        started = time.perf_counter()
        self.samples += self.go(seeds)
        self.rates.append(self.runs * self.communities / (time.perf_counter() - started))

    @property
    def rate(self) -> float:
        """Community-years per second, median over repeats."""
        return statistics.median(self.rates)


def spread(values: list[float]) -> tuple[float, float, float]:
    """Mean, standard deviation and standard error of the mean."""
    mean = statistics.fmean(values)
    sd = statistics.stdev(values) if len(values) > 1 else 0.0
    return mean, sd, sd / len(values) ** 0.5


def docking_row(label: str, simpy: list[float], commsim: list[float], fmt: str) -> str:
    s_mean, s_sd, s_se = spread(simpy)
    c_mean, c_sd, c_se = spread(commsim)
    diff = s_mean / c_mean - 1
    two_se = 2 * (s_se**2 + c_se**2) ** 0.5 / c_mean
    return (f"  {label:<42} {s_mean:{fmt}} ± {s_sd:{fmt}}   {c_mean:{fmt}} ± {c_sd:{fmt}} "
            f"{len(commsim):4d}   {diff:+6.1%} (± {two_se:.1%})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--years", type=int, default=40,
                        help="community-years per repeat for SimPy (one run each)")
    parser.add_argument("--single-years", type=int, default=8,
                        help="community-years per repeat for commsim one community per run "
                             "(about a second each)")
    parser.add_argument("--cities", type=int, nargs="*", default=[40, 362],
                        help="city sizes for commsim, one city-year per repeat each")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    scenario = load_scenario(QUEUEING_CORE)

    sides = [
        Side("SimPy, preemptive", args.years, 1,
             lambda seeds: simpy_years(scenario, seeds, preemptive=True)),
        Side("SimPy, no preemption", args.years, 1,
             lambda seeds: simpy_years(scenario, seeds, preemptive=False)),
        Side("commsim, 1 community/run", args.single_years, 1,
             lambda seeds: commsim_years(scenario, seeds, 1)),
        *(Side(f"commsim, city of {n}", 1, n,
               lambda seeds, n=n: commsim_years(scenario, seeds, n)) for n in args.cities),
    ]
    simpy_years(scenario, range(1), True)                  # warm imports and caches
    commsim_years(scenario, range(1), 1)
    for repeat in range(args.repeats):
        for side in sides:
            side.measure(repeat)

    households = scenario["city.households_median"]
    print(f"{datetime.date.today()}, {platform.python_implementation()} "
          f"{platform.python_version()}, {os.cpu_count()} cores; simpy {version('simpy')}, "
          f"mesa {version('mesa')}, numpy {version('numpy')}")
    print(f"queueing core ({QUEUEING_CORE.name}), {households:,.0f} households, "
          f"{scenario['staffing.staff_per_community']:g} staff x "
          f"{scenario['staffing.hours_per_day']:g} h, {scenario['simulation.days']} working days"
          f"; median of {args.repeats} repeats (min-max)")
    print("\nspeed, community-years per second")
    for side in sides:
        print(f"  {side.name:<26} {side.rate:9.1f}   ({min(side.rates):.1f}-{max(side.rates):.1f}"
              f", {side.runs * side.communities} per repeat)")
    fastest_simpy = max(sides[:2], key=lambda side: side.rate)
    print(f"\nratio to the faster SimPy variant ({fastest_simpy.name}; target at least 50)")
    for side in sides[2:]:
        print(f"  {side.name:<26} {side.rate / fastest_simpy.rate:9.2f}")

    simpy_side = sides[0]
    print("\ndocking, mean ± sd over runs (a city: one run, its mean over communities); n: "
          "commsim runs;\ndifference of means (± 2 standard errors). A city's communities share "
          "campaigns and periodic\nphases, so its mean varies from run to run about as much as "
          "one community's: few runs, wide errors.")
    print(f"  {'':<42} {'SimPy':>15}   {'commsim':>15} {'n':>4}   SimPy - commsim")
    for index, label, fmt in ((0, "admin share of hours", "6.3f"),
                              (1, "instances per year", "6.0f")):
        simpy_values = [sample[index] for sample in simpy_side.samples]
        for side in sides[2:]:
            print(docking_row(f"{label}, vs {side.name.removeprefix('commsim, ')}",
                              simpy_values, [sample[index] for sample in side.samples], fmt))
    print(f"  (SimPy: {len(simpy_side.samples)} runs of one community, preemptive)")


if __name__ == "__main__":
    main()
