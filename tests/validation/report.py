"""Regenerate docs/validation.md (and its figure) from fresh validation runs.

    make validation-report        # or: python -m tests.validation.report

The same checks as tests/validation/, at larger sizes, plus the baseline's
calibration targets and a Morris screening of its assumptions. Every number in
the document comes from the runs this script makes; nothing is typed in.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from sim.design import model_version
from sim.metrics import compute_metrics
from sim.output import git_revision
from sim.parameters import PARAMETERS
from sim.runner import run
from sim.scenario import load_scenario
from tests.conftest import ROOT, SCENARIOS, SYNTHETIC, run_model
from tests.validation.queueing import (
    md1_mean_in_system,
    mean_backlog_hours,
    mean_days_open,
    observed,
    queue_model,
    stationary_backlog,
)

DOC = ROOT / "docs" / "validation.md"
FIGURE = ROOT / "docs" / "validation_queue.png"
CITY = [*SYNTHETIC, "city.communities=120", "city.street_offices=12", "city.zone_committees=4"]
SCREENED = ("admin_share", "overdue_rate", "resident_hours_per_1000_households",
            "participation")


def morris_params() -> list[str]:
    """Every numeric assumption with a plausible range in the parameter registry that counts in
    the baseline (a key whose switch the baseline leaves off cannot move anything, and how
    reforms are enforced matters only once one is on; section 6 screens those)."""
    baseline = load_scenario(SCENARIOS / "baseline.toml", CITY)    # the city screened
    return [f"{p.key}={p.plausible[0]}:{p.plausible[1]}" for p in PARAMETERS
            if p.plausible and p.kind in (int, float) and not p.key.startswith("reforms.")
            and (p.needs is None or baseline[p.needs[0]] == p.needs[1])]


def queue_section(folder: Path) -> list[str]:
    rows, figure_rows = [], []
    cases = [("busy small tasks", 2.0, 3, 8, 1500)] + [
        (f"service {s} days", 0.7 / s, 8 * s, 8, 300 * s) for s in (2, 5, 10, 20)]
    for name, rate, effort, capacity, days in cases:
        pi, unit = stationary_backlog(rate, effort, capacity)
        exact_days = mean_days_open(pi, unit, rate, effort, capacity)
        seen = observed(queue_model(folder, rate, effort, capacity, days, communities=300))
        md1 = md1_mean_in_system(rate, effort / capacity)
        rows.append(f"| {name} | {rate:.3g} | {effort} | {capacity} | "
                    f"{mean_backlog_hours(pi, unit):.2f} | {seen['backlog_hours']:.2f} | "
                    f"{exact_days:.3f} | {seen['days_open']:.3f} | {rate * exact_days:.3f} | "
                    f"{seen['in_system']:.3f} | {md1:.3f} |")
        if name.startswith("service"):
            figure_rows.append((effort / capacity, rate * exact_days, seen["in_system"], md1))
    draw_queue_figure(figure_rows)
    return [
        "## 1. Queueing limit",
        "",
        "One demand-driven task type with fixed effort *e* hours, Poisson arrivals at *λ* a "
        "day, one staff member with *c* hours a day, no overtime, first in first out, 300 "
        "independent communities, the first 60 weeks discarded. The exact column solves the "
        "Lindley recursion B' = max(0, B + eA − c) for its stationary law (code independent of "
        "the model: `tests/validation/queueing.py`); M/D/1 is the Pollaczek-Khinchine mean "
        "number in system for service time e/c days, which the daily queue approaches as a "
        "day becomes short against the service. The runs start empty and the slowest "
        "cases relax over hundreds of days, so the 60-week warm-up leaves the model a few "
        "per cent below the exact values there; the busy case relaxes fast and matches.",
        "",
        "| case | λ /day | e h | c h/day | backlog h, exact | backlog h, model | days open, "
        "exact | days open, model | in system, exact | in system, model | in system, M/D/1 |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
        *rows,
        "",
        f"![mean number in system against service length]({FIGURE.name})",
        "",
    ]


def draw_queue_figure(rows: list[tuple[float, float, float, float]]) -> None:
    service, exact, model, md1 = (np.array(column) for column in zip(*rows, strict=True))
    figure = Figure(figsize=(6, 3.6), layout="constrained")
    axis = figure.subplots()
    axis.plot(service, md1, "k--", label="M/D/1 (continuous time)")
    axis.plot(service, exact, "o-", color="#0072B2", label="daily queue, exact")
    axis.plot(service, model, "s", color="#D55E00", markerfacecolor="none", label="model")
    axis.set_xlabel("service time (working days)")
    axis.set_ylabel("mean instances open at day end")
    axis.set_title("Queueing limit: load 0.7, the model against known results")
    axis.legend()
    figure.savefig(FIGURE, dpi=150)


def conservation_section() -> list[str]:
    scenario = load_scenario(SCENARIOS / "baseline.toml")
    model = run_model(scenario, seed=1)
    ledger = model.ledger
    n = model.city.n_communities

    def per_community(field: str) -> np.ndarray:
        return ledger.weekly[:, ledger.field_index(field)].sum(axis=0)

    still_open = np.bincount(model.queue.community, minlength=n)
    backlog = np.bincount(model.queue.community, model.queue.remaining, minlength=n)
    instances = per_community("issued") - sum(per_community(f) for f in (
        "completed", "refused", "lapsed", "written_off")) - still_open
    worked = sum(per_community(f) for f in (
        "hours_administrative", "hours_service", "hours_self_governance", "grid_hours",
        "zone_hours", "purchased_hours", "volunteer_hours"))
    hours = per_community("effort_accepted") - sum(per_community(f) for f in (
        "lapsed_hours", "perfunctory_hours", "written_off_hours")) - backlog - worked
    item_days = ledger.total("open_item_days") - ledger.total("days_open_finished") - float(
        (model.days - model.queue.arrival).sum())
    return [
        "## 2. Conservation and Little's law (the baseline city, one year)",
        "",
        f"Over {n} communities: issued − (completed + refused + lapsed + written off + open) "
        f"is at most "
        f"{np.abs(instances).max():.0f} instances for any community; hours demanded − (worked + "
        f"withdrawn + written off + skipped as perfunctory + open at the end) is at most "
        f"{np.abs(hours).max():.2e} hours; item-days open − (days open of finished + of open "
        f"instances) is {item_days:.2e}. Little's law in a stationary window is a test "
        "(`tests/validation/test_conservation.py`).",
        "",
    ]


def extremes_section() -> list[str]:
    def metrics(*overrides: str) -> dict[str, float]:
        scenario = load_scenario(SCENARIOS / "baseline.toml", [*CITY, *overrides])
        return compute_metrics(run_model(scenario, seed=2))

    none = metrics("reforms.access_list.enabled=true", "reforms.access_list.max_admin_tasks=0",
                   "departments.substitution.elasticity=0", "tasks.new_per_year=0",
                "departments.regrowth.relabel_per_year=0")
    unlimited = metrics("staffing.staff_per_community=1000")
    single = run_model(load_scenario(SCENARIOS / "baseline.toml", CITY), seed=2)
    double = run_model(load_scenario(SCENARIOS / "baseline.toml",
                                     [*CITY, "tasks.effort_scale=2"]), seed=2)
    ratio = double.ledger.total("effort_accepted") / single.ledger.total("effort_accepted")
    return [
        "## 3. Extremes (120 communities, one year)",
        "",
        "| setting | expected | result |",
        "|---|---|---|",
        f"| no administrative type admitted | admin share 0 | {none['admin_share']:.3f} |",
        f"| 1,000 staff per community | overdue rate 0 | {unlimited['overdue_rate']:.3f} |",
        f"| every effort doubled | demand hours × 2 | × {ratio:.6f} |",
        "",
    ]


def calibration_section() -> list[str]:
    metrics = run(load_scenario(SCENARIOS / "baseline.toml"), seed=2024, reps=3).metrics
    mean = metrics.mean()
    return [
        "## 4. Calibration targets (the baseline, 3 replicates, seed 2024)",
        "",
        "| target | source | model |",
        "|---|---|---|",
        f"| admin share 0.80–0.90 | Hefei report: over 80% | {mean['admin_share']:.3f} |",
        f"| 1,800–1,900 instances per community-year | Hubei logs: 1,852 and 1,886 | "
        f"{mean['task_instances_per_community_year']:,.0f} |",
        f"| 160+ administrative types | Hefei report | {mean['admin_task_types']:.0f} |",
        f"| 10-odd self-governance types | Hefei report | {mean['selfgov_task_types']:.0f} |",
        f"| overtime about an hour a day or less | Ningbo 2010 | "
        f"{mean['overtime_hours_per_staff_week']:.2f} h per staff-week |",
        f"| quits: nearly 1 in 5 a year (one provincial capital) | order of magnitude | "
        f"{mean['quits_per_staff_year']:.2f} per staff-year |",
        "",
    ]


def morris(out: Path, scenario: Path, params: list[str], metrics: tuple[str, ...], n: int,
           reps: int, sets: list[str]) -> pd.DataFrame:
    """Morris indices of ``metrics`` from the real ``commsim sensitivity`` command."""
    command = [str(Path(sys.executable).parent / "commsim"), "sensitivity",
               str(scenario), "--method", "morris", "--n", str(n), "--reps", str(reps),
               "--seed", "5", "--quiet", "--out", str(out),
               *[arg for m in metrics for arg in ("--metric", m)],
               *[arg for p in params for arg in ("--param", p)],
               *[arg for c in sets for arg in ("--set", c)]]
    subprocess.run(command, check=True, capture_output=True)
    return pd.read_csv(out / "indices.csv")


def morris_tables(indices: pd.DataFrame, metrics: tuple[str, ...], digits: int,
                  heading: str = "{metric}") -> list[str]:
    """One table per metric: parameters by mean absolute effect, largest first."""
    lines = []
    for metric in metrics:
        table = indices[indices["metric"] == metric].sort_values("mu_star", ascending=False)
        lines += [f"**{heading.format(metric=metric)}**", "", "| parameter | μ* | 95% ± | σ |",
                  "|---|---|---|---|"]
        lines += [f"| `{r.parameter}` | {r.mu_star:.{digits}f} | {r.mu_star_conf:.{digits}f} | "
                  f"{r.sigma:.{digits}f} |" for r in table.itertuples()]
        lines.append("")
    return lines


def sensitivity_section(folder: Path) -> list[str]:
    params = morris_params()
    indices = morris(folder / "morris", SCENARIOS / "baseline.toml", params, SCREENED, n=6,
                     reps=2, sets=CITY)
    return ["## 5. Which assumptions matter (Morris screening of the baseline)", "",
            f"{len(params)} parameters (every assumption with a plausible range in the "
            "parameter registry that counts in the baseline) over the ranges below, "
            "6 trajectories, 2 replicates per point, "
            "120 communities, one year. μ* is the mean absolute effect of moving a parameter "
            "across its range (in the metric's units); σ large against μ* means the effect "
            "depends on the other parameters.", "",
            "Ranges: " + "; ".join(f"`{p}`" for p in params), "",
            *morris_tables(indices, SCREENED, digits=4)]


REBOUND_SCENARIO = SCENARIOS / "five_years_access_list.toml"
COMPARATOR = SCENARIOS / "five_years.toml"
REGROWTH_OFF = ["tasks.new_per_year=0", "departments.regrowth.relabel_per_year=0"]
REBOUND_PARAMS = ("departments.regrowth.relabel_per_year", "tasks.new_per_year",
                  "reforms.enforcement.decay_per_year", "reforms.enforcement.strictness",
                  "departments.substitution.elasticity")
REBOUND_METRICS = ("formal_admin_hours_per_community_year",
                   "informal_admin_hours_per_community_year", "admin_types_in_force")


def by_year(scenario: Path, *overrides: str) -> pd.DataFrame:
    """Yearly means over 3 replicates of a five-year scenario at the report's city size."""
    yearly = run(load_scenario(scenario, [*CITY, *overrides]), seed=2024, reps=3,
                 workers=2).yearly
    return yearly.groupby("year")[list(REBOUND_METRICS)].mean()


def rebound_section() -> list[str]:
    """The access list from year 2 against the same city without it (common random numbers),
    with and without regrowth."""
    lines = ["## 6. Rebound after an access list (five years, the list from year 2)", "",
             f"`{REBOUND_SCENARIO.name}` against `{COMPARATOR.name}` (no reform), 120 "
             "communities, 3 replicates, seed 2024, means per measured year. Hours are staff "
             "hours per community-year on administrative work: formal (through the relays) and "
             "informal (refused work pushed down anyway); types are administrative types in "
             "force at the year's end. 'Regrowth off' sets `tasks.new_per_year` and "
             "`departments.regrowth.relabel_per_year` to 0 in both scenarios. The comparator "
             "is not flat: new types keep arriving in it, so the reform's effect is the ratio, "
             "not the change from year 2.", "",
             "| regrowth | year | comparator formal h | list: formal h | list: informal h | "
             "list formal / comparator | types: comparator | types: list |",
             "|---|---|---|---|---|---|---|---|"]
    for label, overrides in (("default", []), ("off", REGROWTH_OFF)):
        reform, comparator = by_year(REBOUND_SCENARIO, *overrides), by_year(COMPARATOR,
                                                                           *overrides)
        formal, types = REBOUND_METRICS[0], REBOUND_METRICS[2]
        for year, row in reform.iterrows():
            base = comparator.loc[year]
            lines.append(f"| {label} | {year} | {base[formal]:,.0f} | {row[formal]:,.0f} | "
                         f"{row[REBOUND_METRICS[1]]:,.0f} | {row[formal] / base[formal]:.2f} | "
                         f"{base[types]:.0f} | {row[types]:.0f} |")
    return lines


def rebound_screening_section(folder: Path) -> list[str]:
    """Morris screening of the regrowth assumptions, in year 5 alone."""
    params = [f"{p.key}={p.plausible[0]}:{p.plausible[1]}" for p in PARAMETERS
              if p.key in REBOUND_PARAMS]
    year_five = ["simulation.warmup_days=1100", *SYNTHETIC, "city.communities=60",
                 "city.street_offices=6", "city.zone_committees=2"]
    indices = morris(folder / "rebound_morris", REBOUND_SCENARIO, params, REBOUND_METRICS,
                     n=8, reps=1, sets=year_five)
    return ["", "No source measures how fast burden regrows (MECHANISMS.md §1), so the "
            "regrowth keys are assumptions. Morris screening of them over their plausible "
            "ranges, year 5 alone (warm-up through year 4), 60 communities, 8 trajectories, "
            "1 replicate per point:", "",
            "Ranges: " + "; ".join(f"`{p}`" for p in params), "",
            *morris_tables(indices, REBOUND_METRICS, digits=1, heading="{metric} (year 5)")]


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        sections = [
            "# Validation report",
            "",
            f"Generated by `make validation-report` on {date.today().isoformat()} from commsim "
            f"{model_version()} (git {git_revision()}). Do not edit by hand: rerun the script.",
            "",
            *queue_section(Path(folder)),
            *conservation_section(),
            *extremes_section(),
            *calibration_section(),
            *sensitivity_section(Path(folder)),
            *rebound_section(),
            *rebound_screening_section(Path(folder)),
        ]
    DOC.write_text("\n".join(sections) + "\n", encoding="utf-8")
    print(f"wrote {DOC} and {FIGURE}")


if __name__ == "__main__":
    main()
