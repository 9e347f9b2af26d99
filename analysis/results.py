"""Results folders of ``run``, ``compare`` and ``sweep``, read into one shape.

The three commands write different files. Charts and briefs should not care
which one wrote a folder, so everything is normalised here: every table has a
``scenario`` column (the single scenario of a run or sweep included), weekly
data are city totals, community data are totals over the run, and the
summary carries paired differences wherever there is a baseline. A folder
that is not a results folder, or is incomplete, is refused with a message
that names the folder and the missing or unreadable file.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis.summary import interval
from sim.errors import UserError
from sim.ledger import FLOWS, STOCKS
from sim.metrics import METRICS

MANIFEST, SWEEP = "manifest.json", "sweep.json"
SUMMARY_COLUMNS = ["scenario", "metric", "mean", "ci_low", "ci_high", "method",
                   "diff", "diff_low", "diff_high", "diff_method"]
NUMBERS = ["mean", "ci_low", "ci_high", "diff", "diff_low", "diff_high"]


@dataclass
class Results:
    """One results folder, whatever command wrote it."""

    folder: Path
    command: str                                  # "run", "compare" or "sweep"
    info: dict[str, Any]                          # manifest.json or sweep.json
    scenarios: list[str]                          # the first is the baseline
    metrics: pd.DataFrame                         # scenario, rep, metrics (sweep: point, keys)
    summary: pd.DataFrame                         # SUMMARY_COLUMNS (sweep: + point, keys)
    days: dict[str, int]                          # working days simulated, per scenario
    weekly: pd.DataFrame | None = None    # scenario, rep, week, warmup, FIELDS, communities
    communities: pd.DataFrame | None = None       # scenario, rep, community, households, FIELDS
    categories: pd.DataFrame | None = None        # scenario, rep, kind, category, hours, ...
    keys: list[str] = field(default_factory=list)  # the keys a sweep varied

    @property
    def baseline(self) -> str:
        return self.scenarios[0]

    @property
    def reps(self) -> int:
        return int(self.info["reps"]) if "reps" in self.info else len(self.info["replicates"])

    @property
    def seed(self) -> int:
        return int(self.info.get("seed", 0))

    @property
    def version(self) -> str:
        return str(self.info.get("versions", {}).get("commsim", "unknown"))

    @property
    def git(self) -> str:
        """The short revision, keeping the '+dirty' mark that says the tree had changes."""
        revision = str(self.info.get("git_revision", "unknown"))
        return revision[:7] + ("+dirty" if revision.endswith("+dirty") else "")

    def years(self, scenario: str) -> float:
        """Years measured: the run after its warm-up, which no total or metric includes."""
        return (self.days[scenario] - self.warmup_days(scenario)) / self.working_days(scenario)

    def warmup_days(self, scenario: str) -> int:
        """The warm-up (0 in folders written before it existed)."""
        return int(self._resolved(scenario)["simulation"].get("warmup_days", 0))

    def working_days(self, scenario: str) -> int:
        return int(self._resolved(scenario)["simulation"]["working_days_per_year"])

    def communities_setting(self, scenario: str) -> int:
        return int(self._resolved(scenario)["city"]["communities"])

    def reform_starts(self, scenario: str) -> dict[str, int]:
        """The working day each enabled reform comes into force, from the resolved scenario
        (reforms.NAME.start_day; 0 for reforms without one and in older folders). A start
        day set on a reform that is switched off changes nothing, so it is left out."""
        reforms = self._resolved(scenario).get("reforms", {})
        return {name: int(entry.get("start_day", 0)) for name, entry in reforms.items()
                if isinstance(entry, dict) and entry.get("enabled")}

    def resolved(self, scenario: str) -> dict[str, Any]:
        """The scenario as its manifest holds it: meta keys (name, description, label_en,
        label_zh, which charts show) and the resolved parameter tables."""
        return self._resolved(scenario)

    def _resolved(self, scenario: str) -> dict[str, Any]:
        if self.command == "compare":
            return self.info["scenarios"][scenario]["resolved"]
        return self.info["scenario"]


def load_results(folder: Path | str) -> Results:
    """Read any folder written by ``run --out``, ``compare --out`` or ``sweep --out``."""
    folder = Path(folder)
    if not folder.is_dir():
        problem = "is a file, not a folder" if folder.exists() else "no such folder"
        raise UserError(f"{folder}: {problem}; give the folder written by "
                        "commsim run/compare/sweep --out")
    loader, info = _detect(folder)
    try:
        return loader(folder, info)
    except KeyError as err:
        raise UserError(f"{folder}: its files lack the entry {err}; they were not written by "
                        "this version of commsim") from None


def _detect(folder: Path) -> tuple[Callable[[Path, dict[str, Any]], Results], dict[str, Any]]:
    """Which command wrote the folder (from sweep.json or the manifest), and its description."""
    if (folder / SWEEP).is_file():
        return _load_sweep, _read_json(folder / SWEEP)
    if not (folder / MANIFEST).is_file():
        raise UserError(f"{folder}: holds no commsim results (expected {MANIFEST} from "
                        f"run/compare or {SWEEP} from sweep)")
    info = _read_json(folder / MANIFEST)
    loaders = {"run": _load_run, "compare": _load_compare}
    command = info.get("command")
    if command not in loaders:
        raise UserError(f"{folder / MANIFEST}: command {command!r} is not run or compare; "
                        "this is not a results folder commsim can chart")
    return loaders[command], info


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise UserError(f"{path}: cannot read it as JSON ({err})") from None
    if not isinstance(data, dict):
        raise UserError(f"{path}: expected a JSON object")
    return data


def _require(folder: Path, name: str, command: str) -> Path:
    """The file's path, or a message saying which command writes it."""
    path = folder / name
    if not path.is_file():
        raise UserError(f"{folder}: {name} is missing, so this is not a complete "
                        f"'commsim {command} --out' folder; run the command again")
    return path


def _read_table(folder: Path, name: str, command: str) -> pd.DataFrame:
    """A Parquet or CSV file of the folder, read or refused with the reason."""
    path = _require(folder, name, command)
    try:
        return pd.read_parquet(path) if path.suffix == ".parquet" else pd.read_csv(path)
    except (OSError, ValueError) as err:
        raise UserError(f"{path}: cannot read it ({type(err).__name__}: {err})") from None


def _load_run(folder: Path, info: dict[str, Any]) -> Results:
    name = str(info.get("scenario_name", "scenario"))
    weekly = _read_table(folder, "weekly.parquet", "run")
    tasks = _read_table(folder, "tasks.parquet", "run")
    replicates = _read_table(folder, "replicates.csv", "run")
    summary = _read_table(folder, "summary.csv", "run")
    summary = summary.assign(scenario=name, diff=np.nan, diff_low=np.nan, diff_high=np.nan,
                             diff_method=None)
    categories = tasks.groupby(["rep", "kind", "category"], as_index=False)[
        ["issued", "refused", "completed", "completed_late", "lapsed", "hours"]].sum()
    return Results(
        folder=folder, command="run", info=info, scenarios=[name],
        metrics=replicates.assign(scenario=name), summary=summary[SUMMARY_COLUMNS],
        days={name: int(info["scenario"]["simulation"]["days"])},
        weekly=_city_weekly(weekly).assign(scenario=name),
        communities=_community_totals(weekly).assign(scenario=name),
        categories=categories.assign(scenario=name))


def _present(frame: pd.DataFrame, names: tuple[str, ...]) -> list[str]:
    """The ledger fields the file holds: folders from older or newer versions differ a little."""
    return [name for name in names if name in frame.columns]


def _with_warmup(weekly: pd.DataFrame) -> pd.DataFrame:
    """The weekly table with its ``warmup`` column (all False in folders written before the
    warm-up existed, which measured every week)."""
    return weekly if "warmup" in weekly.columns else weekly.assign(warmup=False)


def _city_weekly(weekly: pd.DataFrame) -> pd.DataFrame:
    """Per-community weeks summed to the city, with the number of communities kept and the
    warm-up weeks marked."""
    fields = _present(weekly, FLOWS + STOCKS)
    city = _with_warmup(weekly).groupby(["rep", "week", "warmup"], as_index=False)[fields].sum()
    counts = weekly.groupby(["rep", "week"], as_index=False)["community"].nunique()
    return city.merge(counts.rename(columns={"community": "communities"}), on=["rep", "week"])


def _community_totals(weekly: pd.DataFrame) -> pd.DataFrame:
    """Each community's flows summed over the measured weeks and its stocks at the end, as
    compare has."""
    last = weekly[weekly["week"] == weekly["week"].max()]
    measured = weekly[~_with_warmup(weekly)["warmup"]]
    flows = measured.groupby(["rep", "community"], as_index=False)[_present(weekly, FLOWS)].sum()
    stocks = last[["rep", "community", "households", *_present(weekly, STOCKS)]]
    return stocks.merge(flows, on=["rep", "community"])


def _load_compare(folder: Path, info: dict[str, Any]) -> Results:
    document = _read_json(_require(folder, "comparison.json", "compare"))
    names = [entry["name"] for entry in document["scenarios"]]
    communities = _read_table(folder, "communities.parquet", "compare")
    weekly = _with_counts(_with_warmup(_read_table(folder, "city_weekly.parquet", "compare")),
                          communities)
    return Results(
        folder=folder, command="compare", info=info, scenarios=names,
        metrics=_read_table(folder, "replicates.csv", "compare"),
        summary=_comparison_summary(document),
        days={name: int(info["scenarios"][name]["resolved"]["simulation"]["days"])
              for name in names},
        weekly=weekly, communities=communities,
        categories=_read_table(folder, "categories.parquet", "compare"))


def _with_counts(weekly: pd.DataFrame, communities: pd.DataFrame) -> pd.DataFrame:
    """The city's weekly totals with the number of communities: folders written before the
    totals carried it get it from the per-community table."""
    if "communities" in weekly.columns:
        return weekly
    counts = communities.groupby(["scenario", "rep"], as_index=False)["community"].nunique()
    return weekly.merge(counts.rename(columns={"community": "communities"}),
                        on=["scenario", "rep"])


def _comparison_summary(document: dict[str, Any]) -> pd.DataFrame:
    """comparison.json as rows; the baseline's differences from itself are left empty."""
    rows = []
    for position, entry in enumerate(document["scenarios"]):
        for metric, stats in entry["metrics"].items():
            diff = entry["diff_vs_first"].get(metric, {}) if position else {}
            rows.append({"scenario": entry["name"], "metric": metric, "mean": stats["mean"],
                         "ci_low": stats["ci_low"], "ci_high": stats["ci_high"],
                         "method": stats["method"], "diff": diff.get("mean"),
                         "diff_low": diff.get("ci_low"), "diff_high": diff.get("ci_high"),
                         "diff_method": diff.get("method")})
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS).astype({c: float for c in NUMBERS})


def _load_sweep(folder: Path, info: dict[str, Any]) -> Results:
    if not (folder / "runs.parquet").is_file() and (folder / "runs.jsonl").is_file():
        raise UserError(f"{folder}: the sweep has not finished (runs.parquet is missing); "
                        f"finish it with 'commsim sweep ... --resume --out {folder}'")
    runs = _read_table(folder, "runs.parquet", "sweep")
    name = str(info.get("scenario_name", "scenario"))
    keys = [text.split("=", 1)[0] for text in info.get("design", {}).get("vary", [])]
    ok = runs[runs["status"] == "ok"]
    if ok.empty:
        raise UserError(f"{folder / 'runs.parquet'}: no run of the sweep finished; see its "
                        "'error' column")
    metrics = ok.assign(scenario=name).reset_index(drop=True)
    return Results(folder=folder, command="sweep", info=info, scenarios=[name],
                   metrics=metrics, summary=point_summary(metrics, keys),
                   days={name: int(info["scenario"]["simulation"]["days"])}, keys=keys)


def point_summary(metrics: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Mean and interval (with its method) of every metric at every design point of a sweep."""
    rows = []
    for (point, *values), group in metrics.groupby(["point", *keys], sort=True, dropna=False):
        for metric in METRICS:
            stats = interval(group[metric].to_numpy(dtype=float), metric)
            rows.append({"scenario": group["scenario"].iloc[0], "point": point,
                         **dict(zip(keys, values, strict=True)), "metric": metric, **stats})
    frame = pd.DataFrame(rows).assign(diff=np.nan, diff_low=np.nan, diff_high=np.nan,
                                      diff_method=None)
    return frame.astype({"ci_low": float, "ci_high": float})
