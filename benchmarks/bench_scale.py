"""Benchmark: how a run's time and memory grow with the city's size and the run's length.

Issue 12 ("Speed", scale): ten city-years (a 10-year run of the baseline's 362
communities) and a ten-times city (3,620 communities, one year) should each take
at most 10 times one city-year, that is grow linearly or better.

Two series, every case the baseline scenario with two keys changed:

* communities (36 ... 3,620) for one working year; the relays scale with the city
  (``city.street_offices`` and ``city.zone_committees`` are the baseline's 38 and 13
  times communities / 362, rounded, at least 1), so a ten-times city is ten
  baseline cities side by side rather than 362 communities' relays spread over
  3,620;
* years (1, 2, 5, 10) of 250 working days for the baseline's 362 communities;
* the same years with ``tasks.new_per_year = 0``: the baseline keeps adding task types and
  never retires any, so its backlog, and with it the cost of a day, grows from year to year
  (docs/model.md 7, "no steady state"); without new types the backlog levels off after the
  first year, which separates the engine's cost per year from the model's growth.

Each case runs in a fresh child process (``--case``), so one case's peak memory
cannot hide another's. The child first runs a tiny warm-up model (imports,
catalog and lazy caches loaded), then times building and running the case: wall
(``time.perf_counter``) and CPU (``time.process_time``) seconds. Peak memory is
the child's peak resident set size (``ru_maxrss``), which counts NumPy's
buffers and everything else the process holds; the table also gives the part of
it above the warm-up (what the case itself added). Every case is repeated
``--repeats`` times (new child, new seed) and the median wall time is kept.

A working day costs about in proportion to the work items open in the queues, so
the table also gives the mean number open per day and the number open at the end:
where the simulated backlog grows over the years, so does the cost of a year.

Writes ``benchmarks/results/scale.csv`` and ``scale.png`` (run ``make bench-scale``).
"""

from __future__ import annotations

import argparse
import csv
import json
import platform
import resource
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
BASELINE = HERE.parent / "scenarios" / "baseline.toml"
RESULTS = HERE / "results"
CITY, DAYS_PER_YEAR = 362, 250
STREET_OFFICES, ZONE_COMMITTEES = 38, 13          # the baseline's relays
COMMUNITIES = (36, 90, 181, 362, 724, 1448, 3620)
YEARS = (1, 2, 5, 10)
LIMIT = 10.0                                       # each of the two cases within 10x a city-year
STATIONARY = "years, no new types"                 # series with tasks.new_per_year = 0


def scenario_for(communities: int, years: int, new_types: bool = True):  # -> Scenario
    """The baseline's settings on a synthetic city of this size, for this length (imported
    late: keep start-up light); without ``new_types`` no task types are created during the
    run. The synthetic city, not the baseline's Hefei roster, since only it can be resized:
    the synthetic two-committee city of 362 is the reference city-year here."""
    from sim.scenario import load_scenario

    share = communities / CITY
    synthetic = ["city.roster=", "governance.by_district={}"]
    scenario = load_scenario(BASELINE, synthetic).with_values(
        city__communities=communities,
        city__street_offices=max(1, round(STREET_OFFICES * share)),
        city__zone_committees=max(1, round(ZONE_COMMITTEES * share)),
        simulation__days=years * DAYS_PER_YEAR)
    return scenario if new_types else scenario.with_values(tasks__new_per_year=0.0)


def run_case(communities: int, years: int, seed: int, new_types: bool) -> dict[str, float]:
    """In the child: warm up, then time one build and run; return seconds and memory."""
    from sim.model import CommunityWorkloadModel

    CommunityWorkloadModel(scenario_for(4, 1).with_values(simulation__days=10),
                           seed=seed).run_to_end()
    warm_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    scenario = scenario_for(communities, years, new_types)
    wall, cpu = time.perf_counter(), time.process_time()
    model = CommunityWorkloadModel(scenario, seed=seed)
    open_items = 0
    while model.running:                   # run_to_end's loop, counting the open work items
        model.step()
        open_items += len(model.queue)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"wall_s": wall, "cpu_s": cpu, "peak_mib": peak_mib, "warm_mib": warm_mib,
            "issued": float(model.ledger.total("issued")),
            "open_items": open_items / scenario["simulation.days"],
            "open_items_end": float(len(model.queue))}


def in_child(communities: int, years: int, seed: int, new_types: bool) -> dict[str, float]:
    """One case in a fresh Python process (its own peak memory)."""
    done = subprocess.run(
        [sys.executable, __file__, "--case", f"{communities},{years},{seed},{int(new_types)}"],
        check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(repeats: int) -> list[dict[str, Any]]:
    """Every case, ``repeats`` children each; the median wall time's child is the row."""
    cases = [("communities", n, 1) for n in COMMUNITIES]
    cases += [("years", CITY, y) for y in YEARS if y != 1]       # 362 x 1 year is shared
    cases += [(STATIONARY, CITY, y) for y in YEARS]
    rows = []
    for series, communities, years in cases:
        runs = [in_child(communities, years, seed, series != STATIONARY)
                for seed in range(1, repeats + 1)]
        runs.sort(key=lambda r: r["wall_s"])
        median = runs[len(runs) // 2]
        rows.append({"series": series, "communities": communities, "years": years,
                     "wall_s": median["wall_s"], "cpu_s": median["cpu_s"],
                     "wall_min_s": runs[0]["wall_s"], "wall_max_s": runs[-1]["wall_s"],
                     "peak_mib": max(r["peak_mib"] for r in runs),
                     "case_mib": max(r["peak_mib"] - r["warm_mib"] for r in runs),
                     "issued": statistics.mean(r["issued"] for r in runs),
                     "open_items": statistics.mean(r["open_items"] for r in runs),
                     "open_items_end": statistics.mean(r["open_items_end"] for r in runs)})
        print(f"  {series}: {communities:>5} communities x {years:>2} years: "
              f"{median['wall_s']:.2f} s", file=sys.stderr, flush=True)
    for row in rows:
        base = float(city_year(rows, row["series"] == STATIONARY)["wall_s"])
        size = row["communities"] / CITY * row["years"]
        row["size"] = size
        row["relative"] = float(row["wall_s"]) / base
        row["to_linear"] = row["relative"] / size
    return rows


def city_year(rows: list[dict[str, Any]], stationary: bool = False) -> dict[str, Any]:
    """The row of one city-year (362 communities, one year), with or without new types."""
    return next(r for r in rows if r["communities"] == CITY and r["years"] == 1
                and (r["series"] == STATIONARY) == stationary)


COLUMNS = ("series", "communities", "years", "size", "wall_s", "cpu_s", "wall_min_s",
           "wall_max_s", "relative", "to_linear", "peak_mib", "case_mib", "issued", "open_items",
           "open_items_end")


def write_csv(rows: list[dict[str, Any]], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, COLUMNS, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: f"{v:.4g}" if isinstance(v, float) else v
                             for k, v in row.items() if k in COLUMNS})


def print_table(rows: list[dict[str, Any]]) -> None:
    print(f"{'case':<28}{'wall s':>8}{'CPU s':>8}{'x city-yr':>10}{'/ linear':>10}"
          f"{'peak MiB':>10}{'case MiB':>10}{'open items':>12}{'at end':>10}")
    for row in rows:
        case = f"{row['communities']:,} communities x {row['years']} yr"
        if row["series"] == STATIONARY:
            case += ", no new types"
        print(f"{case:<28}{row['wall_s']:>8.2f}{row['cpu_s']:>8.2f}{row['relative']:>10.2f}"
              f"{row['to_linear']:>10.2f}{row['peak_mib']:>10.0f}{row['case_mib']:>10.0f}"
              f"{row['open_items']:>12,.0f}{row['open_items_end']:>10,.0f}")


def verdicts(rows: list[dict[str, Any]]) -> None:
    for label, communities, years, series in (
            ("10-year run", CITY, 10, "years"),
            ("10-year run without new task types", CITY, 10, STATIONARY),
            ("ten-times city", 10 * CITY, 1, "communities")):
        row = next(r for r in rows if r["communities"] == communities and r["years"] == years
                   and r["series"] in (series, "communities"))
        passed = float(row["relative"]) <= LIMIT
        print(f"{'PASS' if passed else 'FAIL'}: {label} takes {row['relative']:.2f}x "
              f"the city-year (limit {LIMIT:g}x)")


def chart(rows: list[dict[str, Any]], path: Path, note: str) -> None:
    """Two panels: time against communities (one year) and against years (362 communities),
    each with the linear line through the city-year."""
    from analysis.style import house_style, look, new_figure, plain_ticks, save

    base = float(city_year(rows)["wall_s"])
    with house_style():
        fig = new_figure("Run time against the city's size and the run's length",
                         "Wall seconds to build and run the baseline, median of the repeats; "
                         "dashed: linear growth from one city-year (362 communities, 1 year)",
                         note)
        left, right = fig.subplots(1, 2)
        for ax, key, label, scale in ((left, "communities", "communities (one year)", "log"),
                                      (right, "years", "years (362 communities)", "linear")):
            series = [r for r in rows if r["series"] != STATIONARY
                      and (r["years"] == 1 if key == "communities" else r["communities"] == CITY)]
            series.sort(key=lambda r: r[key])
            xs = [float(r[key]) for r in series]
            ys = [float(r["wall_s"]) for r in series]
            unit = CITY if key == "communities" else 1
            measured, linear, steady = look(0), look(1), look(2)
            ax.plot(xs, [base * x / unit for x in xs], color=linear.colour, linestyle="--",
                    linewidth=1.2, label="linear from one city-year")
            ax.plot(xs, ys, color=measured.colour, marker=measured.marker, label="measured")
            if key == "years":
                flat = sorted((r for r in rows if r["series"] == STATIONARY),
                              key=lambda r: r["years"])
                ax.plot([float(r["years"]) for r in flat], [float(r["wall_s"]) for r in flat],
                        color=steady.colour, marker=steady.marker,
                        label="measured, no new task types")
            ax.set_xscale(scale)
            ax.set_yscale(scale)
            ax.set_xlabel(label)
            ax.set_ylabel("seconds")
            ax.set_xticks(xs)
            ax.set_xticklabels([f"{x:,.0f}" for x in xs])
            if scale == "log":
                ax.set_yticks([t for t in (0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100)
                               if min(ys) / 2 <= t <= max(ys) * 2])
            plain_ticks(ax.yaxis)
            ax.minorticks_off()
            ax.legend(loc="upper left")
        left.set_title("Time against communities")
        right.set_title("Time against years")
        save(fig, path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=3,
                        help="children per case; the median wall time is kept (default 3)")
    parser.add_argument("--out", type=Path, default=RESULTS,
                        help="folder for scale.csv and scale.png (default benchmarks/results)")
    parser.add_argument("--case", help=argparse.SUPPRESS)   # "communities,years,seed,new": child
    args = parser.parse_args()
    if args.case:
        communities, years, seed, new_types = (int(v) for v in args.case.split(","))
        print(json.dumps(run_case(communities, years, seed, bool(new_types))))
        return
    import numpy

    rows = measure(args.repeats)
    print_table(rows)
    verdicts(rows)
    write_csv(rows, args.out / "scale.csv")
    note = (f"benchmarks/bench_scale.py, {date.today().isoformat()}, {args.repeats} repeats; "
            f"Python {platform.python_version()}, NumPy {numpy.__version__}")
    chart(rows, args.out / "scale.png", note)
    print(f"written: {args.out / 'scale.csv'}, {args.out / 'scale.png'}")


if __name__ == "__main__":
    main()
