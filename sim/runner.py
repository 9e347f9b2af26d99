"""Run a scenario's replicates and gather their results as tables.

Replicate ``r`` of seed ``s`` draws every stream from SeedSequence(s,
spawn_key=(r, ...)), so replicates are independent and any replicate can be
re-run alone with the same numbers.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from sim.catalog import KINDS
from sim.city import RELAY_KINDS
from sim.executors import map_unordered, open_executor, window
from sim.groups import ALL_SIZES, band_names, groups, labels, members, size_band
from sim.ledger import FIELDS, FLOWS, STOCKS, TASK_FIELDS
from sim.metrics import compute_metrics, measured, yearly_metrics
from sim.model import CommunityWorkloadModel
from sim.parameters import DAYS_PER_WEEK
from sim.scenario import Scenario


@dataclass
class Replicate:
    """One finished run: its metrics and its tables."""

    replicate: int
    metrics: dict[str, float]
    weekly: pd.DataFrame
    tasks: pd.DataFrame
    yearly: list[dict[str, float]]
    breakdown: pd.DataFrame = field(default_factory=pd.DataFrame)
    seconds: float = float("nan")   # how long the replicate took to build and run


@dataclass
class RunResult:
    """All replicates of one scenario."""

    scenario: Scenario
    seed: int
    replicates: list[Replicate]

    @property
    def metrics(self) -> pd.DataFrame:
        """One row per replicate, one column per metric."""
        rows = [{"rep": r.replicate, **r.metrics} for r in self.replicates]
        return pd.DataFrame(rows).set_index("rep")

    @property
    def yearly(self) -> pd.DataFrame:
        """One row per replicate and year of the measured period: its first day, its length
        in days and every metric over that year alone."""
        rows = [{"rep": r.replicate, **year} for r in self.replicates for year in r.yearly]
        return pd.DataFrame(rows)

    @property
    def weekly(self) -> pd.DataFrame:
        return concat_categorical([r.weekly for r in self.replicates])

    @property
    def breakdown(self) -> pd.DataFrame:
        """Every metric per replicate and group of communities (see ``breakdown_table``)."""
        return pd.concat([r.breakdown for r in self.replicates], ignore_index=True)

    @property
    def relay_yearly(self) -> pd.DataFrame:
        """One row per replicate, measured year and relay: what a reform's enforcement did
        where (see ``relay_years``)."""
        return relay_years(self.weekly, self.scenario)

    @property
    def tasks(self) -> pd.DataFrame:
        return pd.concat([r.tasks for r in self.replicates], ignore_index=True)

    @property
    def runs(self) -> pd.DataFrame:
        """One row per replicate: its seed, every metric, status and seconds, as a sweep's
        or comparison's runs are."""
        return pd.DataFrame([{"rep": r.replicate, "seed": self.seed, **r.metrics,
                              "status": "ok", "error": "", "seconds": r.seconds}
                             for r in self.replicates])


def run_replicate(scenario: Scenario, seed: int, replicate: int) -> Replicate:
    """Build, run and summarise one replicate."""
    started = time.perf_counter()
    model = simulate(scenario, seed, replicate)
    return Replicate(replicate, compute_metrics(model), weekly_table(model, replicate),
                     task_table(model, replicate), yearly_metrics(model),
                     breakdown_table(model, replicate), time.perf_counter() - started)


def simulate(scenario: Scenario, seed: int, replicate: int) -> CommunityWorkloadModel:
    """Build one replicate's model and run it through its warm-up and measured period.

    The warm-up days are ordinary steps; only the per-task totals need telling
    when measuring starts (the weekly records keep every week and the metrics
    pick the measured ones).
    """
    model = CommunityWorkloadModel(scenario, seed=seed, replicate=replicate)
    for _ in range(scenario["simulation.warmup_days"]):
        model.step()
    model.ledger.start_measuring()
    model.run_to_end()
    return model


def run(scenario: Scenario, seed: int = 0, reps: int = 1, workers: int = 1,
        scheduler: str | None = None) -> RunResult:
    """Run ``reps`` replicates of ``scenario`` (in parallel with ``workers`` > 1 or a Dask
    ``scheduler``); the numbers do not depend on where each replicate ran."""
    specs = [RunSpec(scenario, seed, r) for r in range(reps)]
    with open_executor(workers, scheduler) as executor:
        done = [replicate for _, replicate in map_unordered(
            executor, _replicate_of, specs, window(workers))]
    return RunResult(scenario, seed, sorted(done, key=lambda r: r.replicate))


def _replicate_of(spec: RunSpec) -> Replicate:
    return run_replicate(spec.scenario, spec.seed, spec.replicate)


# What a run record can carry.
TABLES = ("city_weekly", "communities", "categories", "breakdown")


@dataclass(frozen=True)
class RunSpec:
    """One run to execute anywhere (a local process or a Dask worker): it pickles."""

    scenario: Scenario
    seed: int
    replicate: int
    key: str = ""
    tables: tuple[str, ...] = ()   # which of TABLES the record carries
    point: int = -1              # design point of a sweep, -1 outside sweeps
    groups: tuple[tuple[str, str], ...] = ()   # (level, id) groups whose metrics it carries


def execute(spec: RunSpec) -> dict[str, Any]:
    """Run one spec and return a plain record; an error becomes data, not an abort.

    The record holds ``status`` ("ok" or "failed"), ``error``, ``seconds``, every
    metric, and the tables ``spec.tables`` names: ``city_weekly``, the city's weekly
    totals (with the number of communities, so totals can be put per community after a
    split); ``communities``, each community's totals; ``categories``, the hours per task
    category, for charts; ``breakdown``, every metric per district, relay, governance model
    and size band (built here, beside the model, because only the model can compute them).
    With ``spec.groups``, ``groups`` lists each (level, id) group's metrics (``{"level",
    "id", "metrics"}``), computed in the worker so the model never has to travel back; a
    group with no community fails the run.
    """
    started = time.perf_counter()
    record: dict[str, Any] = {"key": spec.key, "status": "ok", "error": ""}
    try:
        model = simulate(spec.scenario, spec.seed, spec.replicate)
        record.update(compute_metrics(model))
        if spec.tables:
            record.update(_tables(model, spec))
        if spec.groups:
            record["groups"] = group_metrics(model, spec.groups)
    except Exception as err:
        record.update(status="failed", error=f"{type(err).__name__}: {err}")
    record["seconds"] = time.perf_counter() - started
    return record


def group_metrics(model: CommunityWorkloadModel,
                  wanted: tuple[tuple[str, str], ...]) -> list[dict[str, Any]]:
    """Every metric over each (level, id) group's communities, as plain data."""
    found = []
    for level, label in wanted:
        indices = members(model, level, label)
        if not len(indices):
            raise ValueError(f"no community of this run is in {level} {label!r}")
        found.append({"level": level, "id": label,
                      "metrics": compute_metrics(model, members=indices)})
    return found


def _tables(model: CommunityWorkloadModel, spec: RunSpec) -> dict[str, pd.DataFrame]:
    """The tables ``spec.tables`` asks for, built only when asked."""
    weekly = weekly_table(model, spec.replicate)
    build = {
        "city_weekly": lambda: city_totals(weekly),
        "communities": lambda: community_totals(weekly),
        "categories": lambda: category_totals(task_table(model, spec.replicate)),
        "breakdown": lambda: breakdown_table(model, spec.replicate),
    }
    return {name: build[name]() for name in spec.tables}


def city_totals(weekly: pd.DataFrame) -> pd.DataFrame:
    """The city's weekly totals per replicate, with the number of communities (so totals can
    be put per community after a split)."""
    counts = weekly.groupby("rep")["community"].nunique()
    city = weekly.drop(columns=["community", "households", "relay", *IDENTITY]).groupby(
        ["rep", "week", "warmup"], as_index=False).sum()
    return city.assign(communities=city["rep"].map(counts).astype(int))


def category_totals(tasks: pd.DataFrame) -> pd.DataFrame:
    """The task table summed per replicate, kind and category."""
    return tasks.groupby(["rep", "kind", "category"], as_index=False)[list(TASK_FIELDS)].sum()


def community_totals(weekly: pd.DataFrame) -> pd.DataFrame:
    """Each community's flows summed over the measured weeks (stocks taken at the end), with
    who it is as plain strings: a row per community is small, and strings join anywhere."""
    last = weekly[weekly["week"] == weekly["week"].max()]
    measured = weekly[~weekly["warmup"]]
    flows = measured.groupby(["rep", "community"], as_index=False)[list(FLOWS)].sum()
    stocks = last[["rep", "community", "households", "relay", *IDENTITY, *STOCKS]]
    stocks = stocks.astype({column: str for column in IDENTITY})
    return stocks.merge(flows, on=["rep", "community"]).reset_index(drop=True)


RELAY_YEAR_COLUMNS = ("formal_admin_hours_per_community_year",
                      "informal_admin_hours_per_community_year",
                      "funding_yuan_per_community_year", "assessment_score", "pressed_share",
                      "enforcement", "admin_types_in_force")


def relay_years(weekly: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """Per replicate, measured year and relay: formal and informal administrative hours and
    funding per community-year, the mean assessment score and the share of assessments that
    left a community pressed, and, at the year's end, enforcement and administrative types in
    force averaged over the relay's communities. Years are cut as in the results by year
    (whole weeks), so the columns match the city-wide metrics of the same names."""
    days_per_year = scenario["simulation.working_days_per_year"]
    year_weeks = max(round(days_per_year / DAYS_PER_WEEK), 1)
    measured = weekly[~weekly["warmup"]].copy()
    first = measured["week"].min()
    measured["year"] = (measured["week"] - first) // year_weeks + 1
    keys = ["rep", "year", "relay"]
    measured["formal"] = (measured["hours_administrative"] + measured["grid_duty_hours"]
                          - measured["informal_admin_hours"])
    flows = measured.groupby(keys).agg(
        formal=("formal", "sum"), informal=("informal_admin_hours", "sum"),
        funding=("funding_yuan", "sum"), scores=("assessment_score_sum", "sum"),
        assessed=("assessments", "sum"), pressed=("pressed_assessments", "sum"),
        weeks=("week", "nunique"), communities=("community", "nunique"))
    last = measured[measured["week"] == measured.groupby(["rep", "year"])["week"]
                    .transform("max")]
    stocks = last.groupby(keys)[["enforcement", "admin_types_in_force"]].mean()
    per_year = flows["communities"] * flows["weeks"] * DAYS_PER_WEEK / days_per_year
    table = pd.DataFrame({
        "communities": flows["communities"],
        RELAY_YEAR_COLUMNS[0]: flows["formal"] / per_year,
        RELAY_YEAR_COLUMNS[1]: flows["informal"] / per_year,
        RELAY_YEAR_COLUMNS[2]: flows["funding"] / per_year,
        RELAY_YEAR_COLUMNS[3]: (flows["scores"] / flows["assessed"]).where(flows["assessed"] > 0,
                                                                        0.0),
        RELAY_YEAR_COLUMNS[4]: (flows["pressed"] / flows["assessed"]).where(
            flows["assessed"] > 0, 0.0),
    }).join(stocks)
    return table.reset_index()


# Who a community is, in every per-community table, beside its index and relay index.
IDENTITY = ("community_id", "district", "relay_name", "relay_kind", "governance", "size_band")


def identity_columns(model: CommunityWorkloadModel) -> dict[str, pd.Categorical]:
    """Each community's identity as categoricals over communities: the roster's id,
    district, relay name and kind, governance model and size band. Kinds and bands keep
    their full, fixed category lists so that tables of different replicates concatenate
    without turning into strings."""
    city = model.city
    fixed = {"relay_kind": (np.asarray(RELAY_KINDS, dtype=object)[city.relay_kind[city.relay]],
                            RELAY_KINDS),
             "size_band": (size_band(city.households), band_names())}
    columns = {column: pd.Categorical(labels(model, level))
               for column, level in (("community_id", "community"), ("district", "district"),
                                     ("relay_name", "relay"), ("governance", "governance"))}
    columns |= {column: pd.Categorical(values, categories=list(categories))
                for column, (values, categories) in fixed.items()}
    return {column: columns[column] for column in IDENTITY}


def _tiled(column: pd.Categorical, times: int) -> pd.Categorical:
    """A per-community categorical repeated for every week, sharing its categories."""
    return pd.Categorical.from_codes(np.tile(column.codes, times), dtype=column.dtype)


def concat_categorical(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Tables stacked with their categorical columns kept categorical: each such column
    gets the union of the frames' categories first (pandas would fall back to strings,
    several times the memory of the long weekly table)."""
    if not frames:
        return pd.DataFrame()
    shared = [c for c in frames[0].columns
              if all(isinstance(f[c].dtype, pd.CategoricalDtype) for f in frames)]
    union = {c: list(dict.fromkeys(v for f in frames for v in f[c].cat.categories))
             for c in shared}
    aligned = [f.assign(**{c: f[c].cat.set_categories(union[c]) for c in shared})
               for f in frames]
    return pd.concat(aligned, ignore_index=True)


def weekly_table(model: CommunityWorkloadModel, replicate: int) -> pd.DataFrame:
    """Long table: one row per (week, community) with every ledger field; ``warmup`` marks
    the weeks of the run-in, kept so charts can show it, left out of every metric. Who each
    community is (``IDENTITY``) comes as categoricals: weeks x communities rows repeat a
    handful of names."""
    ledger, city = model.ledger, model.city
    weeks, n = ledger.n_weeks, city.n_communities
    week = np.repeat(np.arange(weeks, dtype=np.int32), n)
    frame = pd.DataFrame({
        "rep": np.full(weeks * n, replicate, dtype=np.int32),
        "week": week,
        "warmup": week < measured(model).weeks.start,
        "community": np.tile(np.arange(n, dtype=np.int32), weeks),
        "households": np.tile(city.households, weeks),
        "relay": np.tile(city.relay.astype(np.int32), weeks),
        **{name: _tiled(column, weeks) for name, column in identity_columns(model).items()},
    })
    values = ledger.weekly.transpose(0, 2, 1).reshape(weeks * n, len(FIELDS))
    return pd.concat([frame, pd.DataFrame(values, columns=list(FIELDS))], axis=1)


def task_table(model: CommunityWorkloadModel, replicate: int) -> pd.DataFrame:
    """One row per task type: what was issued, refused, finished and the hours spent in the
    measured period (after the warm-up)."""
    catalog = model.catalog
    frame = pd.DataFrame({
        "rep": replicate,
        "task_id": catalog.task_id.astype(str),
        "kind": np.array(KINDS)[catalog.kind],
        "category": catalog.category.astype(str),
        "department": catalog.department.astype(str),
        "in_effect": model.allowed_from < model.days,
    })
    totals = model.ledger.measured_tasks()
    for i, name in enumerate(TASK_FIELDS):
        frame[name] = totals[i]
    return frame


BREAKDOWN_LEVELS = ("city", "district", "relay", "governance")
BY_SIZE = ("city", "district", "governance")     # levels also broken down within size bands


def breakdown_table(model: CommunityWorkloadModel, replicate: int) -> pd.DataFrame:
    """Every metric for each group of communities: the city, each district, relay and
    governance model over all sizes, and the city, each district and each governance model
    within each size band, so a model's effect is not read off the sizes of its
    communities. One row per (level, group, size band) with members; ``communities`` and
    ``households`` let per-community and per-household metrics be weighted back to the
    city."""
    bands = size_band(model.city.households)
    rows = []
    for level in BREAKDOWN_LEVELS:
        for group, inside in groups(model, level).items():
            rows.append(_group_row(model, level, group, ALL_SIZES, inside))
            if level in BY_SIZE:
                rows += [_group_row(model, level, group, band, inside[bands[inside] == band])
                         for band in band_names() if (bands[inside] == band).any()]
    table = pd.DataFrame(rows)
    table.insert(0, "rep", np.int32(replicate))
    return table


def _group_row(model: CommunityWorkloadModel, level: str, group: str, band: str,
               inside: np.ndarray) -> dict[str, Any]:
    return {"level": level, "group": str(group), "size_band": band,
            "communities": len(inside),
            "households": float(model.city.households[inside].sum()),
            **compute_metrics(model, members=inside)}
