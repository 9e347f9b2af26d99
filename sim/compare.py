"""Scenario comparison with common random numbers: every scenario runs the same replicates.

Replicate r of every scenario draws from the same seeds, so scenario B minus
scenario A in replicate r isolates what the policies change; differences are
taken replicate by replicate (paired) before any averaging.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from sim.errors import UserError
from sim.executors import map_unordered, open_executor, window
from sim.metrics import METRICS
from sim.runner import TABLES, RunSpec, execute
from sim.scenario import Scenario


@dataclass
class Comparison:
    """Per-replicate metrics and city weekly totals of every scenario, and optional tables
    for charts."""

    names: list[str]
    metrics: pd.DataFrame     # columns: scenario, rep, seed, status, error, seconds, metrics
    city_weekly: pd.DataFrame = field(default_factory=pd.DataFrame)
    communities: pd.DataFrame = field(default_factory=pd.DataFrame)
    categories: pd.DataFrame = field(default_factory=pd.DataFrame)
    breakdown: pd.DataFrame = field(default_factory=pd.DataFrame)
    years: dict[str, float] = field(default_factory=dict)    # measured years per scenario
    scenarios: list[Scenario] = field(default_factory=list)  # as run (sized, with --budget)

    def freed_hours(self) -> pd.DataFrame:
        """Where the administrative hours each scenario frees against the first one went,
        per replicate (sim.freed; imported here so the workers never load it)."""
        from sim.freed import comparison_freed_hours

        return comparison_freed_hours(self)


def compare(scenarios: list[Scenario], *, reps: int = 5, seed: int = 0,
            workers: int | None = None, scheduler: str | None = None,
            tables: bool = False) -> Comparison:
    """Run every scenario's replicates (same seeds for all) and gather them.

    The city's weekly totals are always kept (they are small and the freed-hours table
    needs them); the per-community, per-category and breakdown tables only with ``tables``.
    """
    names = unique_names(scenarios)
    wanted = TABLES if tables else ("city_weekly",)
    metrics, collected = run_cells([Cell(name, scenario) for name, scenario
                                    in zip(names, scenarios, strict=True)], reps=reps,
                                   seed=seed, workers=workers, scheduler=scheduler,
                                   tables=wanted)
    years = {name: measured_years(scenario)
             for name, scenario in zip(names, scenarios, strict=True)}
    return Comparison(names, metrics, **{table: _concat(frames)
                                         for table, frames in collected.items()}, years=years,
                      scenarios=list(scenarios))


@dataclass(frozen=True)
class Cell:
    """One scenario as run in one plausible world (``world`` None outside ensembles)."""

    name: str
    scenario: Scenario
    world: int | None = None


def run_cells(cells: list[Cell], *, reps: int, seed: int, workers: int | None,
              scheduler: str | None, tables: tuple[str, ...] = ()
              ) -> tuple[pd.DataFrame, dict[str, list[pd.DataFrame]]]:
    """Run ``reps`` replicates of every cell on the same seeds (common random numbers across
    scenarios and worlds); one row per run, in cell then replicate order, and the tables
    each record carried. A failed run is a UserError naming it."""
    specs = [RunSpec(cell.scenario, seed, rep, key=str(index), tables=tables)
             for index, cell in enumerate(cells) for rep in range(reps)]
    rows: list[dict] = []
    collected: dict[str, list[pd.DataFrame]] = {table: [] for table in TABLES}
    with open_executor(workers, scheduler) as executor:
        for spec, record in map_unordered(executor, execute, specs, window(workers)):
            index = int(spec.key)
            cell = cells[index]
            place = {} if cell.world is None else {"world": cell.world}
            rows.append({"cell": index, "scenario": cell.name, **place, "rep": spec.replicate,
                         "seed": spec.seed, "status": record["status"],
                         "error": record["error"], "seconds": record["seconds"],
                         **{m: record.get(m) for m in METRICS}})
            for table, frames in collected.items():
                if table in record:
                    frames.append(record[table].assign(scenario=cell.name, **place))
    metrics = pd.DataFrame(rows).sort_values(["cell", "rep"]).drop(columns="cell")
    metrics = metrics.reset_index(drop=True)
    failed = metrics[metrics["status"] != "ok"]
    if len(failed):
        first = failed.iloc[0]
        where = "" if "world" not in first else f" in world {first['world']}"
        raise UserError(f"{len(failed)} run(s) failed, e.g. scenario {first['scenario']}"
                        f"{where} replicate {first['rep']}: {first['error']}")
    return metrics, collected


def measured_years(scenario: Scenario) -> float:
    """Years in the measured window (the run after its warm-up), to put totals per year."""
    return ((scenario["simulation.days"] - scenario["simulation.warmup_days"])
            / scenario["simulation.working_days_per_year"])


def unique_names(scenarios: list[Scenario]) -> list[str]:
    """Scenario names, made unique with a suffix where two share one."""
    names: list[str] = []
    for scenario in scenarios:
        name, n = scenario.name, 2
        while name in names:
            name, n = f"{scenario.name}#{n}", n + 1
        names.append(name)
    return names


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
