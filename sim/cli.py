"""The ``commsim`` command line: run, params, tasks, validate.

Every user mistake surfaces as a ``UserError``: one line on stderr, exit
status 2, no traceback.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click
import numpy as np
import pandas as pd

from analysis.summary import format_table, summarise, summary_frame
from sim.catalog import ARRIVALS, CAMPAIGN, DEMAND, KINDS, PERIODIC, TaskCatalog, load_catalog
from sim.errors import UserError
from sim.metrics import METRICS
from sim.output import check_target, manifest, write_folder, write_json
from sim.parameters import PARAMETERS
from sim.runner import RunResult, run
from sim.scenario import default_scenario, load_scenario


class CommsimGroup(click.Group):
    """Turns UserError into a clear message and exit status 2."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except UserError as err:
            click.echo(f"commsim: error: {err}", err=True)
            ctx.exit(2)


@click.group(cls=CommsimGroup)
@click.version_option(package_name="commsim")
def main() -> None:
    """Simulate how pushed-down administrative work eats community committees' time."""


scenario_argument = click.argument("scenario", type=click.Path(dir_okay=False, path_type=Path))
set_option = click.option("--set", "overrides", multiple=True, metavar="KEY=VALUE",
                          help="Override a dotted scenario key (TOML literal), repeatable.")
format_option = click.option("--format", "fmt", type=click.Choice(["table", "json"]),
                             default="table", show_default=True)


@main.command("run")
@scenario_argument
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True,
              help="Master seed; replicate r draws from SeedSequence(seed, r, ...).")
@click.option("--reps", type=click.IntRange(min=1), default=3, show_default=True,
              help="Independent replicates.")
@set_option
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Write weekly table, run summary and manifest to this folder.")
@click.option("--overwrite", is_flag=True, help="Replace a non-empty --out folder (atomically).")
@format_option
def run_command(scenario: Path, seed: int, reps: int, overrides: tuple[str, ...],
                out: Path | None, overwrite: bool, fmt: str) -> None:
    """Run SCENARIO and print its findings with 95% intervals over replicates."""
    loaded = load_scenario(scenario, overrides)
    if out is not None:
        check_target(out, overwrite)
    started = time.perf_counter()
    result = run(loaded, seed=seed, reps=reps)
    elapsed = time.perf_counter() - started
    summary = summarise(result.metrics)
    if out is not None:
        write_folder(out, lambda tmp: _write_run(tmp, result, summary, elapsed), overwrite)
    if fmt == "json":
        click.echo(json.dumps({"scenario": loaded.name, "seed": seed, "reps": reps,
                               "metrics": summary}, indent=2))
        return
    click.echo(f"scenario {loaded.name}: {reps} replicate(s), seed {seed}, "
               f"{loaded['city.communities']} communities, {loaded['simulation.days']} "
               f"working days ({elapsed:.1f} s)")
    click.echo(format_table(summary, METRICS))
    if out is not None:
        click.echo(f"results written to {out}")


def _write_run(folder: Path, result: RunResult, summary: dict, elapsed: float) -> None:
    result.weekly.to_parquet(folder / "weekly.parquet", index=False)
    result.tasks.to_parquet(folder / "tasks.parquet", index=False)
    summary_frame(summary).to_csv(folder / "summary.csv", index=False)
    result.metrics.to_csv(folder / "replicates.csv")
    scenario = result.scenario
    write_json(folder / "manifest.json", manifest(
        command="run",
        argv=sys.argv,
        scenario_name=scenario.name,
        scenario_file=str(scenario.path),
        overrides=list(scenario.overrides),
        scenario=scenario.nested(),
        seed=result.seed,
        replicates=[r.replicate for r in result.replicates],
        seeding="numpy SeedSequence(seed, spawn_key=(replicate, crc32(process), ...))",
        seconds=round(elapsed, 3),
        files={"weekly.parquet": "one row per replicate, week and community",
               "tasks.parquet": "one row per replicate and task type",
               "summary.csv": "mean and 95% interval per metric",
               "replicates.csv": "each metric per replicate"},
    ))


@main.command("params")
@click.argument("scenario", required=False, type=click.Path(dir_okay=False, path_type=Path))
@set_option
def params_command(scenario: Path | None, overrides: tuple[str, ...]) -> None:
    """List every settable key with its value in SCENARIO (or the defaults) and its meaning."""
    loaded = load_scenario(scenario, overrides) if scenario else default_scenario()
    click.echo(f"# scenario: {loaded.name}")
    for param in PARAMETERS:
        value = json.dumps(loaded[param.key], ensure_ascii=False)
        click.echo(f"{param.key} = {value}")
        click.echo(f"    {param.meaning}; {param.allowed()}. Source: {param.source}")


@main.command("tasks")
@click.option("--catalog", type=click.Path(dir_okay=False, path_type=Path),
              help="A catalog CSV (default: the packaged one).")
@click.option("--households", type=click.FloatRange(min=1), default=4000.0, show_default=True,
              help="Community size for the expected yearly volumes.")
def tasks_command(catalog: Path | None, households: float) -> None:
    """Summarise a task catalog: types by kind, category and department, yearly volumes."""
    click.echo(catalog_summary(load_catalog(catalog), households))


def catalog_summary(catalog: TaskCatalog, households: float, days: int = 250) -> str:
    """Counts and expected instances and hours per year for one community."""
    per_year = np.select(
        [catalog.arrival == PERIODIC, catalog.arrival == DEMAND, catalog.arrival == CAMPAIGN],
        [days / np.maximum(catalog.period_days, 1),
         catalog.rate_per_1000hh_year * households / 1000, catalog.campaigns_per_year])
    hours = per_year * catalog.effort_hours * np.exp(catalog.effort_spread ** 2 / 2)
    frame = pd.DataFrame({"kind": np.array(KINDS)[catalog.kind],
                          "arrival": np.array(ARRIVALS)[catalog.arrival],
                          "category": catalog.category, "department": catalog.department,
                          "instances": per_year, "hours": hours})
    by_kind = frame.groupby("kind").agg(types=("kind", "size"), instances=("instances", "sum"),
                                        hours=("hours", "sum"))
    lines = [f"catalog: {catalog.path}", f"{len(catalog)} task types, "
             f"{frame['category'].nunique()} categories, {frame['department'].nunique()} "
             f"issuers; expected per community of {households:,.0f} households and "
             f"{days} working days (before tasks.effort_scale):", "",
             by_kind.round(0).to_string(), "",
             "arrival processes:", frame.groupby(["kind", "arrival"]).size().to_string(), "",
             "categories (types, instances/year):",
             frame.groupby("category").agg(types=("kind", "size"),
                                           instances=("instances", "sum")).round(0).to_string()]
    return "\n".join(lines)


@main.command("validate")
@scenario_argument
@set_option
def validate_command(scenario: Path, overrides: tuple[str, ...]) -> None:
    """Check SCENARIO and its catalog without running it."""
    loaded = load_scenario(scenario, overrides)
    catalog = load_catalog(loaded["tasks.catalog"])
    click.echo(f"{scenario}: OK ({loaded.name}; {len(catalog)} task types from {catalog.path})")

