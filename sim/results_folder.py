"""The one results folder that ``run``, ``compare`` and ``sweep`` all write.

A run is a comparison of one scenario and a sweep a comparison of generated
scenarios, so every command writes the same layout and one loader
(``analysis.results``) reads any of them without asking which command made it:

- ``runs.parquet``: one row per scenario x design point x plausible world x replicate
  (``RUN_KEYS``), then the seed, the keys a sweep varied, every metric of
  ``sim.metrics.METRICS``, ``status``, ``error`` and ``seconds``;
- optional tables, each carrying the run keys it is split by (``TABLES``);
- ``manifest.json``: the command, every scenario fully resolved, seeds, replicates,
  versions, ``format_version`` and ``tables`` (each file, what it holds, its keys).

``point`` is -1 outside sweeps and ``world`` -1 outside ``compare --ensemble`` (plausible worlds).
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from sim.metrics import METRICS
from sim.output import manifest, write_json
from sim.scenario import Scenario

if TYPE_CHECKING:
    from sim.compare import Comparison
    from sim.runner import RunResult

FORMAT_VERSION = 1
MANIFEST, RUNS = "manifest.json", "runs.parquet"
RUN_KEYS = ("scenario", "point", "world", "rep")
NO_POINT = NO_WORLD = -1
TRAILING = ("status", "error", "seconds")
SEEDING = "numpy SeedSequence(seed, spawn_key=(replicate, crc32(process), ...))"

# Every table a results folder may hold: what one row is, and the keys beyond RUN_KEYS.
TABLES: dict[str, tuple[str, tuple[str, ...]]] = {
    RUNS: ("one row per run: seed, varied keys, every metric, status, error, seconds", ()),
    "yearly.parquet": ("each metric per run and year of the measured period",
                       ("year",)),
    "weekly.parquet": ("one row per run, week and community, with who the community is "
                       "(categoricals); 'warmup' marks the weeks no metric counts",
                       ("week", "community")),
    "city_weekly.parquet": ("city totals per run and week, with the number of communities",
                            ("week",)),
    "communities.parquet": ("each community's identity (community_id, district, relay, "
                            "governance, size band), flows over the measured weeks and stocks "
                            "at the end, per run", ("community",)),
    "breakdown.parquet": ("every metric per run and group of communities: the city, each "
                          "district, relay and governance model, and the city, districts and "
                          "governance models within size bands", ("level", "group",
                                                                  "size_band")),
    "relays_yearly.parquet": ("per run, measured year and relay: formal and informal "
                              "administrative hours, funding, assessment scores, enforcement "
                              "and types in force", ("year", "relay")),
    "tasks.parquet": ("one row per run and task type", ("task_id",)),
    "categories.parquet": ("instances and hours per run, task kind and category",
                           ("kind", "category")),
    "runs.jsonl": ("sweeps only: the journal, one line per finished run, for --resume", ()),
}


def table_entry(name: str) -> dict[str, Any]:
    """The manifest's description of one file: what a row is and the keys it carries."""
    text, extra = TABLES[name]
    keys = [*RUN_KEYS, *extra] if name.endswith(".parquet") else []
    return {"rows": text, "keys": keys}


def with_keys(frame: pd.DataFrame, scenario: str | None = None, point: int = NO_POINT,
              world: int = NO_WORLD) -> pd.DataFrame:
    """``frame`` with the run keys first: missing ones are filled in (the scenario name,
    no design point, no plausible world), so every table joins on the same keys."""
    fill = {"scenario": scenario, "point": point, "world": world}
    frame = frame.assign(**{k: v for k, v in fill.items() if k not in frame.columns})
    first = [k for k in RUN_KEYS if k in frame.columns]
    return frame[[*first, *(c for c in frame.columns if c not in first)]]


def runs_columns(varied: list[str]) -> list[str]:
    """The columns of runs.parquet, in order."""
    return [*RUN_KEYS, "seed", *varied, *METRICS, *TRAILING]


def runs_frame(rows: pd.DataFrame, varied: list[str] | None = None) -> pd.DataFrame:
    """Runs in the common schema: keys filled, metrics and seconds as floats, columns in
    order, sorted by scenario order of appearance, point, world and replicate."""
    defaults: dict[str, str | float] = {"status": "ok", "error": "", "seconds": float("nan")}
    frame = with_keys(rows)
    frame = frame.assign(**{k: v for k, v in defaults.items() if k not in frame.columns})
    frame = frame.reindex(columns=runs_columns(varied or [])).astype(
        {**{m: float for m in METRICS}, "seconds": float, "point": int, "world": int,
         "rep": int})
    frame["error"] = frame["error"].fillna("").astype(str)
    order = {name: i for i, name in enumerate(dict.fromkeys(frame["scenario"]))}
    frame = frame.sort_values(["scenario", "point", "world", "rep"], kind="stable",
                              key=lambda c: c.map(order) if c.name == "scenario" else c)
    return frame.reset_index(drop=True)


def scenario_entries(scenarios: Mapping[str, Scenario]) -> dict[str, dict[str, Any]]:
    """Each scenario by the name its rows carry: file, overrides and every key resolved."""
    return {name: {"file": str(s.path), "overrides": list(s.overrides),
                   "resolved": s.nested()} for name, s in scenarios.items()}


def results_manifest(command: str, scenarios: Mapping[str, Scenario], tables: list[str],
                     **facts: Any) -> dict[str, Any]:
    """The manifest every results folder carries (``sim.output.manifest`` adds versions,
    git revision and platform)."""
    return manifest(command=command, argv=sys.argv, format_version=FORMAT_VERSION,
                    scenarios=scenario_entries(scenarios),
                    tables={name: table_entry(name) for name in tables}, **facts)


def write_results(folder: Path, command: str, scenarios: Mapping[str, Scenario],
                  runs: pd.DataFrame, tables: Mapping[str, pd.DataFrame],
                  derived: Mapping[str, pd.DataFrame | dict[str, Any]] | None = None,
                  **facts: Any) -> None:
    """Write a whole results folder into ``folder`` (a temporary one: ``sim.output``'s
    ``write_folder`` moves it into place): runs.parquet, the non-empty ``tables`` with
    their run keys, ``derived`` conveniences (CSV or JSON, which no loader needs) and the
    manifest. Single-scenario tables get the scenario's name as their key."""
    only = next(iter(scenarios)) if len(scenarios) == 1 else None
    runs_frame(with_keys(runs, only), facts.get("varied")).to_parquet(folder / RUNS,
                                                                        index=False)
    written = [RUNS]
    for name, table in tables.items():
        if len(table):
            with_keys(table, only).to_parquet(folder / name, index=False)
            written.append(name)
    for name, data in (derived or {}).items():
        if isinstance(data, pd.DataFrame):
            data.to_csv(folder / name, index=False)
        else:
            write_json(folder / name, data)
    extra = {"derived": sorted(derived)} if derived else {}
    write_json(folder / MANIFEST, results_manifest(command, scenarios, written, **facts,
                                                   **extra))


Derived = Mapping[str, pd.DataFrame | dict[str, Any]]


def write_run(folder: Path, result: RunResult, seconds: float,
              derived: Derived | None = None) -> None:
    """``run --out``: the runs, and every table of one scenario's replicates."""
    from sim.runner import category_totals, city_totals, community_totals

    weekly, tasks = result.weekly, result.tasks
    tables = {"yearly.parquet": result.yearly, "weekly.parquet": weekly,
              "city_weekly.parquet": city_totals(weekly),
              "communities.parquet": community_totals(weekly),
              "relays_yearly.parquet": result.relay_yearly, "tasks.parquet": tasks,
              "categories.parquet": category_totals(tasks),
              "breakdown.parquet": result.breakdown}
    write_results(folder, "run", {result.scenario.name: result.scenario}, result.runs, tables,
                  derived, seed=result.seed, reps=len(result.replicates),
                  replicates=[r.replicate for r in result.replicates], seeding=SEEDING,
                  seconds=round(seconds, 3))


def write_comparison(folder: Path, comparison: Comparison, scenarios: list[Scenario],
                     seed: int, reps: int, derived: Derived | None = None) -> None:
    """``compare --out``: the runs of every scenario and the tables the comparison kept."""
    tables = {"city_weekly.parquet": comparison.city_weekly,
              "communities.parquet": comparison.communities,
              "categories.parquet": comparison.categories,
              "breakdown.parquet": comparison.breakdown}
    write_results(folder, "compare", dict(zip(comparison.names, scenarios, strict=True)),
                  comparison.metrics, tables, derived, seed=seed, reps=reps,
                  replicates=list(range(reps)), seeding=SEEDING)
