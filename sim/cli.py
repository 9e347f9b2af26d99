"""The ``commsim`` command line: run, compare, sweep, ensemble, calibrate, sensitivity, plot,
brief, explore, scenarios, params, tasks, validate.

A SCENARIO argument is a file, or the name of a shipped scenario (``baseline``).
Heavy modules (the model, Mesa, pandas, SciPy, SALib, matplotlib) are imported
inside the commands that use them, never here: every start, ``--help``
included, pays for what this module imports (tests/test_startup.py).

Every user mistake surfaces as a ``UserError``: one line on stderr, exit
status 2, no traceback.
"""

from __future__ import annotations

import atexit
import functools
import gc
import json
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from analysis.commands import brief_command, lang_option, plot_command
from sim.errors import UserError

if TYPE_CHECKING:
    from sim.calibration import Calibration
    from sim.catalog import TaskCatalog
    from sim.compare import Comparison
    from sim.runner import RunResult
    from sim.scenario import Scenario

# How far (as a share of each target) calibrate's achieved interval may stay from a target.
DEFAULT_TOLERANCE = 0.05
TOLERANCE_HELP = (
    "How far (as a share of each target) the achieved replicate interval may stay from a "
    "target before the fit counts as missed and the command exits 1. The default 0.05 is "
    "about the half-width of the field report's administrative-share band (0.80-0.90 around "
    "0.85); a target of 0 must be reached by the interval itself. An observed value with a "
    "standard error (se) counts as missed beyond 2 se instead.")


class LazyChoice(click.Choice):
    """A ``click.Choice`` whose names are computed on first use, not at import.

    The names of metrics, samplers and sensitivity methods live in modules
    that import NumPy, SciPy or SALib; reading them when the CLI is imported
    would make every ``commsim`` start pay for those imports. Click still
    checks the value and lists the allowed names in its error (exit status 2).
    """

    def __init__(self, names: Callable[[], Iterable[str]]) -> None:
        # click.Choice.__init__ would store the names now; keep only what it sets besides.
        self._names = names
        self.case_sensitive = True

    @functools.cached_property
    def choices(self) -> tuple[str, ...]:  # type: ignore[override]
        return tuple(self._names())


def _metric_names() -> Iterable[str]:
    from sim.metrics import METRICS
    return METRICS


def _sample_names() -> Iterable[str]:
    from sim.design import SAMPLES
    return SAMPLES


def _sensitivity_methods() -> Iterable[str]:
    from analysis.sensitivity import METHODS
    return METHODS


class CommsimGroup(click.Group):
    """Turns UserError into a clear message and exit status 2."""

    def invoke(self, ctx: click.Context) -> Any:
        _skip_collection_at_exit()
        try:
            return super().invoke(ctx)
        except UserError as err:
            click.echo(f"commsim: error: {err}", err=True)
            ctx.exit(2)


def _skip_collection_at_exit() -> None:
    """At exit, once every other exit handler has run, leave the objects left out of the
    garbage collection the interpreter makes as it shuts down: tracing the hundreds of
    thousands of objects NumPy, pandas, Mesa and Numba loaded took 0.15-0.4 s of every
    command's exit, to free memory the system takes back anyway. Registered first, so it
    runs last; once, however often a process calls the command."""
    atexit.unregister(gc.freeze)
    atexit.register(gc.freeze)


@click.group(cls=CommsimGroup)
@click.version_option(package_name="commsim")
def main() -> None:
    """Simulate how pushed-down administrative work eats community committees' time."""


def _start_workers_early(workers: int | None, scheduler: str | None) -> None:
    """Local worker processes start importing the model while this command reads its input
    (sim.executors.start_early); imported here, not at the top, to keep start-up light."""
    from sim.executors import start_early

    start_early(workers, scheduler)


def _load(path: Path, overrides: tuple[str, ...], varied: list[str] | None = None) -> Scenario:
    """Load a scenario and warn, one stderr line each, about settings that change nothing
    (``Scenario.inert_with``): the model itself never prints."""
    from sim.scenario import load_scenario

    loaded = load_scenario(path, overrides)
    for note in loaded.inert_with(varied or ()):
        click.echo(f"commsim: warning: {note}", err=True)
    return loaded


scenario_argument = click.argument("scenario", type=click.Path(dir_okay=False, path_type=Path))
set_option = click.option("--set", "overrides", multiple=True, metavar="KEY=VALUE",
                          help="Override a dotted scenario key (TOML literal), repeatable.")
format_option = click.option("--format", "fmt", type=click.Choice(["table", "json"]),
                             default="table", show_default=True)
seed_option = click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True,
                           help="Master seed; replicate r draws from SeedSequence(seed, r, ...).")
workers_option = click.option("--workers", type=click.IntRange(min=1), default=None,
                              help="Local worker processes (default: all cores).")
scheduler_option = click.option("--scheduler", metavar="ADDRESS",
                                help="Dask scheduler, e.g. tcp://host:8786, instead of local "
                                     "processes.")


@main.command("run")
@scenario_argument
@seed_option
@click.option("--reps", type=click.IntRange(min=1), default=3, show_default=True,
              help="Independent replicates.")
@set_option
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Write weekly table, run summary and manifest to this folder.")
@click.option("--overwrite", is_flag=True, help="Replace a non-empty --out folder (atomically).")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Run replicates in this many local processes (default: one at a time).")
@scheduler_option
@click.option("--by-year", is_flag=True,
              help="Also show the key metrics year by year of the measured period.")
@format_option
def run_command(scenario: Path, seed: int, reps: int, overrides: tuple[str, ...],
                out: Path | None, overwrite: bool, workers: int | None, scheduler: str | None,
                by_year: bool, fmt: str) -> None:
    """Run SCENARIO and print its findings with intervals over replicates (method named).

    Every metric covers the measured period: the run after its simulation.warmup_days.
    """
    _start_workers_early(workers or 1, scheduler)
    from analysis.summary import format_table, format_years, summarise, summarise_years
    from sim.output import check_target, write_folder
    from sim.runner import run

    loaded = _load(scenario, overrides)
    if out is not None:
        check_target(out, overwrite)
    started = time.perf_counter()
    result = run(loaded, seed=seed, reps=reps, workers=workers or 1, scheduler=scheduler)
    elapsed = time.perf_counter() - started
    summary = summarise(result.metrics)
    years = summarise_years(result.yearly)
    if out is not None:
        write_folder(out, lambda tmp: _write_run(tmp, result, summary, elapsed), overwrite)
    if fmt == "json":
        click.echo(json.dumps({"scenario": loaded.name, "seed": seed, "reps": reps,
                               "warmup_days": loaded["simulation.warmup_days"],
                               "metrics": summary, "by_year": years}, indent=2))
        return
    warmup = loaded["simulation.warmup_days"]
    click.echo(f"scenario {loaded.name}: {reps} replicate(s), seed {seed}, "
               f"{_communities(loaded)}, {loaded['simulation.days']} "
               f"working days" + (f", the first {warmup} a warm-up left out of the metrics"
                                  if warmup else "") + f" ({elapsed:.1f} s)")
    click.echo(format_table(summary))
    if by_year:
        click.echo("")
        click.echo(format_years(years))
    if out is not None:
        click.echo(f"results written to {out}")


def _communities(loaded: Scenario) -> str:
    """How many communities a run has, as its header says it (a roster's are not counted
    here: reading it again would cost the header more than it tells)."""
    if loaded["city.roster"]:
        return f"the communities of {loaded['city.roster']}"
    return f"{loaded['city.communities']} communities"


def _write_run(folder: Path, result: RunResult, summary: dict, elapsed: float) -> None:
    from analysis.summary import summary_frame
    from sim.results_folder import write_run

    write_run(folder, result, elapsed, {"summary.csv": summary_frame(summary)})


@main.command("compare")
@click.argument("scenarios", nargs=-1, required=True,
                type=click.Path(dir_okay=False, path_type=Path))
@click.option("--reps", type=click.IntRange(min=2), default=5, show_default=True,
              help="Replicates per scenario (paired across scenarios).")
@seed_option
@set_option
@workers_option
@scheduler_option
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Write replicate metrics, weekly and per-community tables and a manifest.")
@click.option("--overwrite", is_flag=True, help="Replace a non-empty --out folder (atomically).")
@click.option("--budget", type=click.FloatRange(min=0, min_open=True), default=None,
              metavar="YUAN",
              help="Size each scenario after the first to spend YUAN per community-year more "
                   "than it, through the keys that scale its spend (a reform's size keys, or "
                   "its staffing); one without such a key runs at its own cost.")
@click.option("--ensemble", type=click.Path(path_type=Path), default=None, metavar="DIR",
              help="Run every scenario in every plausible world of this ensemble folder "
                   "(commsim ensemble --out DIR) and report effects across worlds.")
@click.option("--discover", "discover_metric", type=LazyChoice(_metric_names),
              default="resident_hours_per_1000_households", show_default=True,
              help="With --ensemble: the metric whose improvement scenario discovery explains "
                   "by the worlds' prior keys.")
@click.option("--reform-priors/--no-reform-priors", default=True, show_default=True,
              help="With --ensemble: also draw, per world, the uncertain keys only the "
                   "reforms read (their plausible ranges; docs/model.md 8).")
@format_option
def compare_command(scenarios: tuple[Path, ...], reps: int, seed: int,
                    overrides: tuple[str, ...], workers: int | None, scheduler: str | None,
                    out: Path | None, overwrite: bool, budget: float | None,
                    ensemble: Path | None, discover_metric: str, reform_priors: bool,
                    fmt: str) -> None:
    """Run SCENARIOS on the same replicate seeds; show each and its paired difference
    from the first, where its freed hours went and what each resident-facing hour gained
    cost. With --ensemble, across plausible worlds instead (docs/model.md 8)."""
    _start_workers_early(workers, scheduler)
    if ensemble is not None:
        if budget is not None:
            raise UserError("--budget and --ensemble: not supported together; size the "
                            "scenarios on one world first")
        _robust_compare([_load(path, overrides) for path in scenarios], ensemble,
                        discover_metric, reps=reps, seed=seed, workers=workers,
                        scheduler=scheduler, out=out, overwrite=overwrite, fmt=fmt,
                        reform_priors=reform_priors)
        return
    from analysis.cost_effect import comparison_per_replicate, format_cost_effect, summarise
    from analysis.freed import format_freed, summarise_freed
    from analysis.summary import format_comparison, paired_differences
    from sim.output import check_target, write_folder

    loaded = [_load(path, overrides) for path in scenarios]
    if out is not None:
        check_target(out, overwrite)
    comparison, sizing = _compare(loaded, budget, reps=reps, seed=seed, workers=workers,
                                  scheduler=scheduler, tables=out is not None)
    loaded = comparison.scenarios or loaded
    results = paired_differences(comparison.metrics, comparison.names)
    freed = summarise_freed(comparison.freed_hours(), comparison.names)
    costs = summarise(comparison_per_replicate(comparison), comparison.names)
    document = {"seed": seed, "reps": reps, "scenarios": results, "freed_hours": freed,
                "cost_effect": costs, "budget": sizing}
    if out is not None:
        write_folder(out, lambda tmp: _write_comparison(tmp, comparison, loaded, document),
                     overwrite)
    if fmt == "json":
        click.echo(json.dumps(document, indent=2))
        return
    click.echo(f"{len(loaded)} scenarios, {reps} paired replicates each, seed {seed}")
    click.echo(format_comparison(results))
    if freed["scenarios"]:
        click.echo("\n" + format_freed(freed))
    if costs["scenarios"]:
        click.echo("\n" + format_cost_effect(costs, sizing))
    if out is not None:
        click.echo(f"results written to {out}")


def _compare(loaded: list[Scenario], budget: float | None, **options: Any
             ) -> tuple[Comparison, dict[str, Any] | None]:
    """The comparison as written, or with every scenario sized to ``budget`` (sim.budget),
    and how each was sized."""
    from sim.budget import compare_on_budget
    from sim.compare import compare

    if budget is None:
        return compare(loaded, **options), None
    comparison, sizings = compare_on_budget(loaded, budget, **options)
    return comparison, {"yuan_per_community_year": budget,
                        "scenarios": [s.as_dict() for s in sizings]}


def _write_comparison(folder: Path, comparison: Comparison, scenarios: list,
                      document: dict) -> None:
    from analysis.cost_effect import cost_frame
    from analysis.freed import freed_frame
    from sim.results_folder import write_comparison

    write_comparison(folder, comparison, scenarios, document["seed"], document["reps"],
                     {"freed_hours.csv": freed_frame(document["freed_hours"]),
                      "cost_effect.csv": cost_frame(document["cost_effect"]),
                      "comparison.json": document})


def _robust_compare(loaded: list[Scenario], folder: Path, metric: str, *, reps: int, seed: int,
                    workers: int | None, scheduler: str | None, out: Path | None,
                    overwrite: bool, fmt: str, reform_priors: bool) -> None:
    """``compare --ensemble``: the scenarios in every kept world, effects across worlds."""
    from analysis.robust import format_robust, robust_document
    from sim.ensemble import prior_text
    from sim.output import check_target, write_folder
    from sim.robust import (
        compare_in_worlds,
        load_worlds,
        overridden,
        with_reform_draws,
    )
    from sim.robust import (
        reform_priors as reforms_read,
    )

    worlds = load_worlds(folder)
    for note in overridden(loaded, worlds):
        click.echo(f"commsim: warning: {note}", err=True)
    drawn = reforms_read(loaded, worlds) if reform_priors else []
    worlds = with_reform_draws(worlds, drawn, seed)
    if out is not None:
        check_target(out, overwrite)
    comparison = compare_in_worlds(loaded, worlds, reps=reps, seed=seed, workers=workers,
                                   scheduler=scheduler)
    robust = robust_document(comparison.metrics, comparison.names,
                             worlds.table.set_index("world")[worlds.keys], metric)
    document = {"seed": seed, "reps": reps, "scenarios": comparison.names,
                "ensemble": worlds.provenance(), "robust": robust["record"],
                "reform_priors": [prior_text(v) for v in drawn]}
    if out is not None:
        write_folder(out, lambda tmp: _write_robust(tmp, comparison, loaded, document, robust,
                                                    worlds.table), overwrite)
    if fmt == "json":
        click.echo(json.dumps(document, indent=2))
        return
    click.echo(f"{len(loaded)} scenarios in {len(worlds.table)} plausible world(s) of "
               f"{folder}, {reps} paired replicates each (the same in every world), seed {seed}"
               + (f"; {len(drawn)} uncertain key(s) only the reforms read drawn per world"
                  if drawn else ""))
    click.echo(format_robust(robust["table"], robust["ranking"], robust["discovery"],
                             comparison.names[0]))
    if out is not None:
        click.echo(f"results written to {out}")


def _write_robust(folder: Path, comparison: Comparison, scenarios: list, document: dict,
                  robust: dict, worlds: Any) -> None:
    from sim.results_folder import write_comparison

    write_comparison(folder, comparison, scenarios, document["seed"], document["reps"],
                     {"robust.csv": robust["table"], "ranking.csv": robust["ranking"],
                      "world_effects.csv": robust["effects"], "worlds.csv": worlds,
                      "comparison.json": document})


@main.command("sweep")
@scenario_argument
@click.option("--vary", "varies", multiple=True, required=True,
              metavar="KEY=V1,V2,...|KEY=LO:HI:STEP", help="A key to vary, repeatable.")
@click.option("--sample", type=LazyChoice(_sample_names), default="grid", show_default=True,
              help="Full grid, or a Latin hypercube of --n points over the ranges.")
@click.option("--n", "n_points", type=int, default=None, help="Design points for --sample lhs.")
@click.option("--reps", type=click.IntRange(min=1), default=1, show_default=True)
@seed_option
@set_option
@workers_option
@scheduler_option
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True)
@click.option("--resume", is_flag=True, help="Continue an interrupted sweep in --out.")
@click.option("--independent-seeds", is_flag=True,
              help="Give every design point its own seed (default: common random numbers).")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@format_option
def sweep_command(scenario: Path, varies: tuple[str, ...], sample: str, n_points: int | None,
                  reps: int, seed: int, overrides: tuple[str, ...], workers: int | None,
                  scheduler: str | None, out: Path, resume: bool, independent_seeds: bool,
                  quiet: bool, fmt: str) -> None:
    """Run SCENARIO over a design of varied keys; results stream to OUT/runs.parquet."""
    _start_workers_early(workers, scheduler)
    from sim.design import parse_vary
    from sim.metrics import METRICS
    from sim.sweep import Progress, plan_sweep, run_sweep

    design = [parse_vary(v) for v in varies]
    plan = plan_sweep(_load(scenario, overrides, [v.key for v in design]), design,
                      sample=sample, n=n_points, reps=reps, seed=seed,
                      common_random_numbers=not independent_seeds)
    progress = Progress(enabled=not quiet and sys.stderr.isatty())
    try:
        runs = run_sweep(plan, out, resume=resume, workers=workers, scheduler=scheduler,
                         progress=progress)
    except KeyboardInterrupt:
        click.echo(f"\ninterrupted; finished runs are in {out}; continue with --resume",
                   err=True)
        sys.exit(130)
    keys = [v.key for v in plan.varies]
    ok = runs[runs["status"] == "ok"]
    means = ok.groupby(["point", *keys], dropna=False)[list(METRICS)].mean().reset_index()
    failed = int((runs["status"] != "ok").sum())
    if fmt == "json":
        click.echo(json.dumps({"out": str(out), "runs": len(runs), "failed": failed,
                               "points": means.to_dict(orient="records")}, indent=2,
                              default=str))
    else:
        from analysis.labels import is_share
        from analysis.numbers import number

        shown = [name for name, metric in METRICS.items() if metric.key]
        click.echo(means[[*keys, *shown]].to_string(index=False, formatters={
            m: functools.partial(number, share=is_share(m)) for m in shown}))
        click.echo(f"{len(runs)} runs in {out / 'runs.parquet'}")
    if failed:
        click.echo(f"commsim: {failed} of {len(runs)} runs failed; see the 'error' column "
                   f"of {out / 'runs.parquet'}", err=True)
        sys.exit(1)


@main.command("ensemble")
@scenario_argument
@click.option("--prior", "priors", multiple=True, metavar="KEY=LO:HI",
              help="A numeric key and the range worlds are drawn from, repeatable (default: "
                   "every key with a plausible range that counts in SCENARIO).")
@click.option("--target", "targets", multiple=True, metavar="METRIC=LO:HI",
              help="A metric and the band its replicate mean must fall in, repeatable "
                   "(default: the baseline's calibration bands, sim/bands.py).")
@click.option("--n", "n_worlds", type=click.IntRange(min=1), default=200, show_default=True,
              help="Worlds drawn per round (Latin hypercube over the priors).")
@click.option("--reps", type=click.IntRange(min=1), default=1, show_default=True,
              help="Replicates per world; the band is checked on their mean.")
@click.option("--min-kept", type=click.IntRange(min=1), default=20, show_default=True,
              help="Fewer worlds kept than this is a failure (exit 1).")
@click.option("--rounds", type=click.IntRange(min=1), default=1, show_default=True,
              help="Rounds: each narrows the priors to the kept worlds' ranges, until "
                   "--min-kept are kept.")
@seed_option
@set_option
@workers_option
@scheduler_option
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True)
@click.option("--resume", is_flag=True, help="Continue an interrupted ensemble in --out.")
@click.option("--overwrite", is_flag=True, help="Replace an ensemble already in --out.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@format_option
def ensemble_command(scenario: Path, priors: tuple[str, ...], targets: tuple[str, ...],
                     n_worlds: int, reps: int, min_kept: int, rounds: int, seed: int,
                     overrides: tuple[str, ...], workers: int | None, scheduler: str | None,
                     out: Path, resume: bool, overwrite: bool, quiet: bool, fmt: str) -> None:
    """Keep the plausible worlds: draws of SCENARIO's uncertain keys whose replicate means
    fall in every target band (rejection ABC; docs/model.md 8, "Plausible worlds")."""
    _start_workers_early(workers, scheduler)
    from sim import ensemble as ens
    from sim.sweep import Progress

    parsed = [ens.parse_target(t) for t in targets] or ens.default_targets()
    chosen = [ens.parse_prior(p) for p in priors]
    loaded = _load(scenario, overrides, [v.key for v in chosen])
    settings = ens.Settings(loaded, chosen or ens.default_priors(loaded), parsed, n_worlds,
                            reps, seed, min_kept, rounds)
    progress = Progress(enabled=not quiet and sys.stderr.isatty())
    try:
        result = ens.run_ensemble(settings, out, resume=resume, overwrite=overwrite,
                                  workers=workers, scheduler=scheduler, progress=progress)
    except KeyboardInterrupt:
        click.echo(f"\ninterrupted; finished runs are in {out}; continue with --resume",
                   err=True)
        sys.exit(130)
    _draw_ensemble(result, out)
    record = result.provenance()
    if fmt == "json":
        shown = {k: v for k, v in record.items() if k != "scenario"}  # in ensemble.json
        click.echo(json.dumps({"out": str(out), **shown}, indent=2, default=str))
    else:
        _show_ensemble(record, out)
    if not result.ok:
        _ensemble_failed(record, out)


def _draw_ensemble(result: Any, out: Path) -> None:
    """The prior and kept ranges per key, beside the worlds (analysis draws it)."""
    from analysis.ensemble import draw_ranges
    from sim.output import output_errors

    with output_errors(out):
        draw_ranges(result.settings.priors, result.kept, out / "ranges.png")


def _show_ensemble(record: dict, out: Path) -> None:
    """One line per round, then the kept count and where everything is."""
    for entry in record["round_list"]:
        click.echo(f"round {entry['round']}: {entry['kept']} of {entry['worlds']} worlds kept "
                   f"({entry['acceptance_rate']:.1%}) in {out / entry['folder']}")
    click.echo(f"{record['kept']} plausible world(s) in {out / 'worlds.parquet'} "
               f"(and .csv); provenance {out / 'ensemble.json'}, chart {out / 'ranges.png'}")


def _ensemble_failed(record: dict, out: Path) -> None:
    """Fewer than --min-kept: say how many, the acceptance and which bands ruled most out."""
    worlds = sum(entry["worlds"] for entry in record["round_list"])
    ranked = sorted(record["rejected_by_target"].items(), key=lambda item: -item[1])
    named = ", ".join(f"{metric} ruled out {count} of {worlds}" for metric, count in ranked)
    click.echo(f"commsim: only {record['kept']} world(s) kept, fewer than --min-kept "
               f"{record['min_kept']} (acceptance {record['kept'] / max(worlds, 1):.1%} over "
               f"{worlds} worlds); {named}. Everything run is in {out}: rerun with --resume "
               "and more --rounds, or a new --out with a larger --n, narrower --prior or "
               "wider --target", err=True)
    sys.exit(1)


@main.command("calibrate")
@scenario_argument
@click.option("--target", "targets", multiple=True, metavar="METRIC=VALUE",
              help="A city-wide metric and the value to reach, repeatable.")
@click.option("--targets-file", type=click.Path(dir_okay=False, path_type=Path),
              help="CSV of observed values (metric, level, id, value[, se]) for the city, "
                   "districts, relays, governance models or communities; "
                   "docs/observed_data.md.")
@click.option("--default-relative-se", type=click.FloatRange(0, 1, min_open=True),
              default=0.05, show_default=True,
              help="Standard error assumed for a target given without one, as a share of "
                   "its value: weighs bare targets against those with an se in the loss.")
@click.option("--free", "frees", multiple=True, required=True, metavar="KEY=LO:HI",
              help="A numeric key to fit within bounds, repeatable.")
@click.option("--reps", type=click.IntRange(min=1), default=3, show_default=True,
              help="Replicates per evaluation (the same seeds every time).")
@seed_option
@set_option
@workers_option
@scheduler_option
@click.option("--max-evaluations", type=click.IntRange(min=3), default=60, show_default=True)
@click.option("--tolerance", type=click.FloatRange(0, 1), default=DEFAULT_TOLERANCE,
              show_default=True, help=TOLERANCE_HELP)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Calibrated scenario file (default: SCENARIO_calibrated.toml beside it).")
@click.option("--overwrite", is_flag=True, help="Replace an existing --out file.")
@format_option
def calibrate_command(scenario: Path, targets: tuple[str, ...], targets_file: Path | None,
                      default_relative_se: float, frees: tuple[str, ...], reps: int,
                      seed: int, overrides: tuple[str, ...], workers: int | None,
                      scheduler: str | None, max_evaluations: int, tolerance: float,
                      out: Path | None, overwrite: bool, fmt: str) -> None:
    """Fit the --free keys of SCENARIO so its metrics hit the --target values and the
    observed values of --targets-file, all at once.

    Exits 1 when a target is missed by more than --tolerance (2 se for a value with an
    se); the best fit found is still written (marked as missed), with a per-target report
    beside it (OUT's stem + _targets.csv), so the search need not be repeated to inspect it.
    """
    _start_workers_early(workers, scheduler)
    from analysis.summary import interval
    from sim.calibration import calibrate, missed_rows, parse_free, parse_target, write_calibrated
    from sim.output import check_writable
    from sim.scenario import require_finite
    from sim.targets import load_targets, report_path, report_rows, write_report

    require_finite(tolerance, "--tolerance", "a finite number in [0, 1]")
    if not targets and targets_file is None:
        raise UserError("calibrate needs at least one --target METRIC=VALUE or a "
                        "--targets-file")
    free = [parse_free(f) for f in frees]
    loaded = _load(scenario, overrides, [f.key for f in free])
    wanted = [parse_target(t) for t in targets]
    observed = load_targets(targets_file) if targets_file is not None else []
    out = out or scenario.with_name(f"{scenario.stem}_calibrated.toml")
    for path in (out, report_path(out)):
        if path.exists() and not overwrite:
            raise UserError(f"--out {out}: {path} exists; choose another --out or pass "
                            "--overwrite")
    check_writable(out, inside=False)

    def report(values: dict, loss: float) -> None:
        if sys.stderr.isatty():
            shown = ", ".join(f"{k}={v:.4g}" for k, v in values.items())
            click.echo(f"  {shown}: loss {loss:.3g}", err=True)

    fit = calibrate(loaded, wanted, free, observed=observed, reps=reps, seed=seed,
                    workers=workers, scheduler=scheduler, max_evaluations=max_evaluations,
                    default_relative_se=default_relative_se, report=report,
                    where=str(targets_file or "--target"))
    achieved = {m: interval(values, m) for m, values in fit.achieved.items()}
    summaries = [interval(values, row.metric) for row, values in zip(fit.rows, fit.row_values,
                                                                       strict=True)]
    misses = missed_rows(fit, summaries, tolerance)
    missed = {(m.metric, m.level, m.id) for m in misses}
    rows = report_rows(fit.rows, summaries,
                       [(r.metric, r.level, r.id) in missed for r in fit.rows])
    write_calibrated(out, loaded, fit, fit.rows, misses)
    write_report(report_path(out), rows)
    if fmt == "json":
        click.echo(json.dumps({"free": fit.free, "achieved": achieved,
                               "converged": not misses, "tolerance": tolerance,
                               "default_relative_se": default_relative_se, "loss": fit.loss,
                               "missed": [m.record() for m in misses], "targets": rows,
                               "scenario_file": str(out),
                               "targets_report": str(report_path(out))}, indent=2))
    else:
        _show_fit(fit, rows, reps, seed, out)
    if misses:
        click.echo(f"commsim: calibration missed {len(misses)} target(s) by more than "
                   f"{tolerance:g} of the target (2 se where an se is given):", err=True)
        for miss in misses:
            click.echo(f"  {miss.describe()}", err=True)
        click.echo(f"the best fit found was still written to {out}, marked as missed; widen "
                   "--free, free other keys or revise the target", err=True)
        sys.exit(1)


def _show_fit(fit: Calibration, rows: list[dict], reps: int, seed: int, out: Path) -> None:
    """The fitted values and, per target, observed, simulated mean and interval and
    residuals (table format)."""
    from analysis.summary import method_text
    from sim.targets import report_path

    click.echo(f"fit after {fit.evaluations} evaluations ({reps} replicates each, seed {seed}), "
               f"loss {fit.loss:.3g}:")
    for key, value in fit.free.items():
        click.echo(f"  {key} = {value:.6g}")
    click.echo(_targets_table(rows))
    methods = ", ".join(dict.fromkeys(method_text(r["interval"]) for r in rows))
    click.echo(f"intervals: {methods}; residual = simulated - observed; z = residual / se")
    click.echo(f"calibrated scenario written to {out}; per-target report in "
               f"{report_path(out)}")


def _targets_table(rows: list[dict]) -> str:
    """One line per target: where, observed (± se), simulated [interval], residual, z."""
    def number(value: float | None) -> str:
        return "" if value is None else f"{value:.4g}"

    lines = [f"{'metric':<38} {'level':<10} {'id':<16} {'observed':>16} "
             f"{'simulated [interval]':>30} {'residual':>10} {'z':>7}"]
    for r in rows:
        observed = number(r["observed"]) + (f" ± {r['se']:.3g}" if r["se"] is not None else "")
        band = (f" [{r['ci_low']:.4g}, {r['ci_high']:.4g}]" if r["ci_low"] is not None
                else "")
        lines.append(f"{r['metric']:<38} {r['level']:<10} {r['id']:<16} {observed:>16} "
                     f"{number(r['simulated']) + band:>30} {number(r['residual']):>10} "
                     f"{number(r['standardized_residual']):>7}"
                     + ("  MISSED" if r["missed"] else ""))
    return "\n".join(lines)


@main.command("sensitivity")
@scenario_argument
@click.option("--method", type=LazyChoice(_sensitivity_methods), required=True)
@click.option("--param", "params", multiple=True, required=True, metavar="KEY=LO:HI",
              help="A numeric key and its range, repeatable.")
@click.option("--n", "n_base", type=int, default=8, show_default=True,
              help="Morris trajectories, or Sobol base samples (a power of two).")
@click.option("--reps", type=click.IntRange(min=1), default=2, show_default=True,
              help="Replicates per design point, averaged before the analysis.")
@click.option("--metric", "metrics", multiple=True, type=LazyChoice(_metric_names),
              help="Metrics to analyse (default: the key metrics of sim/metrics.py).")
@seed_option
@set_option
@workers_option
@scheduler_option
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True)
@click.option("--resume", is_flag=True, help="Continue an interrupted analysis in --out.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@lang_option
@format_option
def sensitivity_command(scenario: Path, method: str, params: tuple[str, ...], n_base: int,
                        reps: int, metrics: tuple[str, ...], seed: int,
                        overrides: tuple[str, ...], workers: int | None, scheduler: str | None,
                        out: Path, resume: bool, quiet: bool, lang: str, fmt: str) -> None:
    """Which parameters drive the findings: Morris or Sobol indices over --param ranges."""
    _start_workers_early(workers, scheduler)
    from analysis import sensitivity
    from analysis.numbers import number
    from sim.design import parse_vary
    from sim.output import output_errors, write_text
    from sim.sweep import JOURNAL, Progress, plan_sweep, resume_hint, run_sweep

    varies = [parse_vary(p) for p in params]
    loaded = _load(scenario, overrides, [v.key for v in varies])
    problem = sensitivity.problem_for(varies)
    matrix = sensitivity.sample(method, problem, n_base, seed)
    points, rows = sensitivity.rows_to_points(matrix, varies)
    plan = plan_sweep(loaded, varies, sample=method, n=n_base, reps=reps, seed=seed,
                      points=points)
    stored = {"problem": problem, "sampler": sensitivity.settings(method, n_base, seed),
              "design_rows": len(matrix), "design_points": len(points)}
    hint = resume_hint(out, out / "runs" / JOURNAL)
    with output_errors(out, hint=hint):
        _prepare_sensitivity(out, stored, resume)
    progress = Progress(enabled=not quiet and sys.stderr.isatty())
    runs = run_sweep(plan, out / "runs", resume=resume and (out / "runs").exists(),
                     workers=workers, scheduler=scheduler, progress=progress)
    chosen = list(metrics) or list(sensitivity.DEFAULT_METRICS)
    indices = sensitivity.analyse(method, problem, matrix, runs, rows, chosen, seed)
    source = sensitivity.source_line(loaded, method, n_base, len(points), reps, seed, lang)
    with output_errors(out, hint=hint):
        write_text(out / "indices.csv", indices.to_csv(index=False))
        sensitivity.draw(indices, method, out / "indices.png", source, lang)
    if fmt == "json":
        click.echo(json.dumps({"out": str(out), "method": method,
                               "indices": indices.to_dict(orient="records")}, indent=2))
        return
    click.echo(indices.to_string(index=False, float_format=number))
    click.echo(f"indices in {out / 'indices.csv'}, chart {out / 'indices.png'}")


def _prepare_sensitivity(out: Path, stored: dict, resume: bool) -> None:
    """Record the SALib problem and sampler with the results; on resume, check they match."""
    from sim.output import manifest, write_json

    path = out / "problem.json"
    if resume:
        if not path.is_file():
            raise UserError(f"--resume {out}: no problem.json there; nothing to resume")
        before = json.loads(path.read_text(encoding="utf-8"))
        if {k: before.get(k) for k in stored} != json.loads(json.dumps(stored)):
            raise UserError(f"--resume {out}: the analysis there used another --method, "
                            "--param, --n or --seed")
        return
    if out.exists() and any(out.iterdir()):
        raise UserError(f"--out {out}: not empty; pass --resume to continue, or choose a "
                        "new folder")
    out.mkdir(parents=True, exist_ok=True)
    write_json(path, manifest(command="sensitivity", argv=sys.argv, **stored))


main.add_command(plot_command)
main.add_command(brief_command)


@main.group("scenarios", invoke_without_command=True)
@click.option("--flagship", is_flag=True,
              help="Only the names of the flagship scenarios make run compares with the "
                   "baseline (files with flagship_order), one a line, in that order.")
@click.pass_context
def scenarios_command(ctx: click.Context, flagship: bool) -> None:
    """List the scenarios shipped with commsim (run one by name: commsim run baseline)."""
    if ctx.invoked_subcommand is not None:
        return
    if flagship:
        from sim.scenario import flagship_scenarios

        click.echo("\n".join(flagship_scenarios()))
    else:
        click.echo(shipped_listing())


def shipped_listing() -> str:
    """One line per shipped scenario: its name, description and parent."""
    import scenarios as shipped
    from sim.scenario import read_meta, shipped_scenario

    lines = []
    for name in shipped.names():
        meta = read_meta(shipped_scenario(name))
        parent = f" (extends {meta['extends']})" if "extends" in meta else ""
        lines.append(f"{name:<22} {meta.get('description', '')}{parent}")
    lines += ["", f"files in {shipped.folder()}; a local file of the same path wins.",
              "Run one: commsim run NAME. Edit one: commsim scenarios copy NAME [DIR]."]
    return "\n".join(lines)


@scenarios_command.command("copy")
@click.argument("name")
@click.argument("folder", required=False, default=".",
                type=click.Path(file_okay=False, path_type=Path))
@click.option("--overwrite", is_flag=True, help="Replace an existing file of that name.")
def copy_scenario_command(name: str, folder: Path, overwrite: bool) -> None:
    """Write the shipped scenario NAME into FOLDER (default: here) to edit and run."""
    from sim.output import write_text
    from sim.scenario import read_meta, shipped_scenario

    source = shipped_scenario(name)
    target = folder / source.name
    if target.exists() and not overwrite:
        raise UserError(f"{target}: file exists; choose another folder or pass --overwrite")
    folder.mkdir(parents=True, exist_ok=True)
    write_text(target, source.read_text(encoding="utf-8"))
    click.echo(f"wrote {target}")
    parent = read_meta(source).get("extends")
    if isinstance(parent, str) and not (folder / parent).is_file():
        click.echo(f"it extends {parent}, which it takes from the shipped scenarios; to edit "
                   f"that too: commsim scenarios copy {parent} {folder}")


@main.command("params")
@click.argument("scenario", required=False, type=click.Path(dir_okay=False, path_type=Path))
@set_option
def params_command(scenario: Path | None, overrides: tuple[str, ...]) -> None:
    """List every settable key with its value in SCENARIO (or the defaults) and its meaning."""
    from sim.parameters import PARAMETERS
    from sim.scenario import default_scenario

    loaded = _load(scenario, overrides) if scenario else default_scenario()
    click.echo(f"# scenario: {loaded.name}")
    for param in PARAMETERS:
        value = json.dumps(loaded[param.key], ensure_ascii=False)
        click.echo(f"{param.key} = {value}")
        plausible = (f" Plausible: {param.plausible[0]:g} to {param.plausible[1]:g}."
                     if param.plausible else "")
        click.echo(f"    {param.meaning}; {param.allowed()}.{plausible} Source: {param.source}")


@main.command("tasks")
@click.option("--catalog", type=click.Path(dir_okay=False, path_type=Path),
              help="A catalog CSV (default: the packaged one).")
@click.option("--households", type=click.FloatRange(min=1), default=4000.0, show_default=True,
              help="Community size for the expected yearly volumes.")
def tasks_command(catalog: Path | None, households: float) -> None:
    """Summarise a task catalog: types by kind, category and department, yearly volumes."""
    from sim.catalog import load_catalog

    click.echo(catalog_summary(load_catalog(catalog), households))


def catalog_summary(catalog: TaskCatalog, households: float, days: int = 250) -> str:
    """Counts and expected instances and hours per year for one community."""
    import numpy as np
    import pandas as pd

    from analysis.numbers import number
    from sim.catalog import ARRIVALS, CAMPAIGN, DEMAND, KINDS, PERIODIC

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
             f"issuers; expected per community of {number(households, digits=0)} households and "
             f"{days} working days (before tasks.effort_scale):", "",
             by_kind.round(0).to_string(), "",
             "arrival processes:", frame.groupby(["kind", "arrival"]).size().to_string(), "",
             "categories (types, instances/year):",
             frame.groupby("category").agg(types=("kind", "size"),
                                           instances=("instances", "sum")).round(0).to_string()]
    return "\n".join(lines)


@main.command("explore")
@click.argument("scenario", type=click.Path(dir_okay=False, path_type=Path), default="baseline")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to serve the page on (loopback: this machine only).")
@click.option("--port", type=click.IntRange(min=1, max=65535), default=8765, show_default=True)
@click.option("--no-browser", is_flag=True, help="Only print the page's address.")
def explore_command(scenario: Path, host: str, port: int, no_browser: bool) -> None:
    """Explore SCENARIO (default: the baseline, on a 40-community synthetic city) in a
    browser page: turn staffing, governance and reforms, watch the year run, write the
    settings out as a scenario file. Needs the [explore] extra."""
    try:
        from analysis.explore.server import explore
    except ImportError as err:
        raise UserError(f"commsim explore needs the [explore] extra ({err.name} is missing): "
                        "install with pip install 'commsim[explore]' or make explore") from None
    explore(scenario, host, port, not no_browser, click.echo)


@main.command("validate")
@scenario_argument
@set_option
def validate_command(scenario: Path, overrides: tuple[str, ...]) -> None:
    """Check SCENARIO, its catalog and its roster without running it."""
    from sim.catalog import load_catalog
    from sim.roster import city_of
    from sim.streams import Streams

    loaded = _load(scenario, overrides)
    catalog = load_catalog(loaded["tasks.catalog"])
    city = city_of(loaded, Streams(0))      # the roster checked, every community's model given
    source = f" from {loaded['city.roster']}" if loaded["city.roster"] else ""
    click.echo(f"{scenario}: OK ({loaded.name}; {len(catalog)} task types from {catalog.path}; "
               f"{city.n_communities} communities{source})")

