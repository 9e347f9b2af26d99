"""Pattern-oriented calibration: the patterns the baseline must reproduce together.

Each pattern is a band from a source (docs/model.md, 1.2 and 8). Some are
calibration targets: the fit aims at the middle of their bands by moving the
free keys below. The others are kept out of the fit and reported as validation,
so a good fit cannot hide a wrong mechanism.

    python -m analysis.patterns fit      # refit the free keys (make calibration)
    python -m analysis.patterns check [SCENARIO]   # every band on a scenario

Both run the calibration city below: the baseline as it stands (one working
year from empty queues, as every baseline run) on 120 communities, about a
third of the report's city, with 3 replicates and seed 2024, which keeps the
fit within minutes on two cores.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import numpy as np
import pandas as pd

import scenarios
from analysis.numbers import number, plain
from analysis.summary import interval
from sim.bands import (
    ADMIN_SHARE,
    OVERTIME,
    PARTICIPATION,
    TASK_VOLUME,
    TURNOVER,
    Band,
)
from sim.calibration import calibrate, missed_targets, parse_free, parse_target, write_calibrated
from sim.cli import DEFAULT_TOLERANCE
from sim.parameters import DAYS_PER_WEEK
from sim.runner import RunResult, run
from sim.scenario import Scenario, load_scenario

BASELINE = scenarios.folder() / "baseline.toml"        # the shipped one, wherever installed
OUT = Path("results") / "calibration" / "baseline_calibrated.toml"
# The calibration city: the baseline's own (the Hefei roster, 362 communities, three models
# by district), whole. Before 0.3.0 it was a 120-community synthetic two-committee city.
CITY: tuple[str, ...] = ()
SEED, REPS = 2024, 3
FREE = ("tasks.demand_scale=0.6:1.05", "tasks.effort_scale=0.6:1.2",
        "staffing.turnover.base_quit_rate=0.03:0.1")
MAX_EVALUATIONS = 120
REPRODUCED = 0.03       # a refit within 3% of each fitted default counts as reproducing it
LOADED_SHARE = 0.1      # "the most loaded tenth" of communities, by overtime per staff member


@dataclass(frozen=True)
class Pattern:
    """A band a scenario's replicates must fall in, where it comes from, and how to measure it."""

    name: str
    low: float
    high: float
    source: str
    fitted: bool                                   # a target (band middle) or kept out
    measure: Callable[[RunResult], np.ndarray]     # one value per replicate
    metric: str | None = None                      # registry metric: its bounds, and the target
    aim: float | None = None                       # the fit's target, if not the band's middle

    @property
    def target(self) -> float:
        return (self.low + self.high) / 2 if self.aim is None else self.aim


def _metric(name: str) -> Callable[[RunResult], np.ndarray]:
    return lambda result: result.metrics[name].to_numpy(dtype=float)


def loaded_tenth_quits(result: RunResult) -> np.ndarray:
    """Quits per staff-year in the tenth of communities with the most overtime per staff
    member over the measured weeks, one value per replicate."""
    weekly = result.weekly
    days_per_year = result.scenario["simulation.working_days_per_year"]
    values = []
    for _, replicate in weekly[~weekly["warmup"]].groupby("rep"):
        per = replicate.groupby("community")[["overtime_hours", "staff_days", "quits"]].sum()
        overtime = per["overtime_hours"] * DAYS_PER_WEEK / per["staff_days"].clip(lower=1)
        loaded = per[overtime >= overtime.quantile(1 - LOADED_SHARE)]
        values.append(loaded["quits"].sum() / (loaded["staff_days"].sum() / days_per_year))
    return np.array(values)


def _from_band(name: str, band: Band) -> Pattern:
    """A pattern measured by one registered metric, from its band in ``sim.bands``."""
    return Pattern(name, band.low, band.high, band.source, band.fitted, _metric(band.metric),
                   band.metric, band.aim)


PATTERNS: tuple[Pattern, ...] = (
    _from_band("admin_share", ADMIN_SHARE),
    _from_band("task_instances_per_community_year", TASK_VOLUME),
    _from_band("quits_per_staff_year", TURNOVER),
    _from_band("overtime_hours_per_staff_week", OVERTIME),
    Pattern("quits_in_most_loaded_tenth", 0.15, 1.0,
            "'nearly 1 in 5' quit where overloaded (one provincial capital, MECHANISMS.md §6)",
            False, loaded_tenth_quits, "quits_per_staff_year"),
    _from_band("participation", PARTICIPATION),
    Pattern("admin_task_types", 160, 260, "Hefei report: 160+ work items", False,
            _metric("admin_task_types")),
    Pattern("selfgov_task_types", 10, 15, "Hefei report: only 10-odd self-governance items",
            False, _metric("selfgov_task_types")),
)


def calibration_scenario(path: Path = BASELINE) -> Scenario:
    return load_scenario(path, list(CITY))


def check(scenario: Scenario) -> pd.DataFrame:
    """Every pattern on ``scenario``: mean, interval, band and whether the interval's mean
    lies in the band."""
    result = run(scenario, seed=SEED, reps=REPS)
    rows = []
    for pattern in PATTERNS:
        values = pattern.measure(result)
        summary = interval(values, pattern.metric)
        mean = float(summary["mean"] or 0.0)
        rows.append({"pattern": pattern.name, "role": "fitted" if pattern.fitted else "validation",
                     "low": pattern.low, "high": pattern.high, "mean": summary["mean"],
                     "ci_low": summary["ci_low"], "ci_high": summary["ci_high"],
                     "method": summary["method"],
                     "in_band": bool(pattern.low <= mean <= pattern.high),
                     "source": pattern.source})
    return pd.DataFrame(rows)


def fit(out: Path = OUT, workers: int | None = None) -> dict[str, float]:
    """Refit the free keys to the middle of every fitted band; write the calibrated scenario;
    return the fitted values."""
    scenario = calibration_scenario()
    targets = [parse_target(f"{p.metric}={p.target}") for p in PATTERNS if p.fitted]  # band middles
    frees = [parse_free(text) for text in FREE]
    result = calibrate(scenario, targets, frees, reps=REPS, seed=SEED, workers=workers,
                       max_evaluations=MAX_EVALUATIONS)
    achieved = {m: interval(v, m) for m, v in result.achieved.items()}
    out.parent.mkdir(parents=True, exist_ok=True)
    misses = missed_targets(targets, achieved, result, DEFAULT_TOLERANCE)
    write_calibrated(out, scenario, result, targets, misses)
    return result.free


def _fit_command(args: argparse.Namespace) -> int:
    fitted = fit(Path(args.out), args.workers)
    baseline = load_scenario(BASELINE)
    status = 0
    print(f"fitted (calibration city, {REPS} replicates, seed {SEED}); written to {args.out}")
    for key, value in fitted.items():
        default = baseline[key]
        same = abs(value - default) <= REPRODUCED * abs(default)
        status |= not same
        print(f"  {key} = {value:.4g}   baseline {default:.4g}   "
              f"{'reproduced' if same else 'DIFFERS: update the default in sim/parameters.py'}")
    return status


def _check_command(args: argparse.Namespace) -> int:
    table = check(calibration_scenario(Path(args.scenario)))
    with pd.option_context("display.width", 200, "display.max_colwidth", 60):
        print(table.drop(columns="source").to_string(index=False, float_format=number))
    missed = table[~table["in_band"]]
    for row in missed.itertuples():
        mean, low, high = (cast(float, value) for value in (row.mean, row.low, row.high))
        print(f"out of band: {row.pattern} = {number(mean)}, band [{plain(low)}, {plain(high)}] "
              f"({row.role}; {row.source})", file=sys.stderr)
    return 1 if len(missed) else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    fitting = commands.add_parser("fit", help="refit the free keys to the fitted bands")
    fitting.add_argument("--out", default=str(OUT))
    fitting.add_argument("--workers", type=int, default=None)
    checking = commands.add_parser("check", help="every band on a scenario")
    checking.add_argument("scenario", nargs="?", default=str(BASELINE))
    args = parser.parse_args(argv)
    return _fit_command(args) if args.command == "fit" else _check_command(args)


if __name__ == "__main__":
    sys.exit(main())
