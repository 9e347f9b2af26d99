"""Results folders of ``run``, ``compare`` and ``sweep``, read by one loader.

All three commands write the same layout (``sim.results_folder``): runs.parquet
with a row per scenario, design point, plausible world and replicate, optional
tables keyed the same way, and a manifest with every scenario resolved. Nothing
here asks which command wrote a folder: the summary has design points where the
manifest names varied keys, and paired differences from the first scenario
otherwise. A folder that is not a results folder, is incomplete, or was written
by an older commsim is refused with a message that names the folder and says
what to do.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import numpy as np
import pandas as pd

from analysis.summary import interval, paired_differences
from sim.errors import UserError
from sim.metrics import METRICS
from sim.results_folder import FORMAT_VERSION, MANIFEST, RUNS

JOURNAL, OLD_SWEEP = "runs.jsonl", "sweep.json"
SUMMARY_COLUMNS = ["scenario", "metric", "mean", "ci_low", "ci_high", "method",
                   "diff", "diff_low", "diff_high", "diff_method"]
NUMBERS = ["mean", "ci_low", "ci_high", "diff", "diff_low", "diff_high"]


@dataclass
class Results:
    """One results folder, whatever command wrote it."""

    folder: Path
    command: str                                  # "run", "compare" or "sweep" (for captions)
    info: dict[str, Any]                          # manifest.json
    scenarios: list[str]                          # the first is the baseline
    metrics: pd.DataFrame                         # the runs that finished (runs.parquet)
    summary: pd.DataFrame                         # SUMMARY_COLUMNS (sweep: + point, keys)
    days: dict[str, int]                          # working days simulated, per scenario
    weekly: pd.DataFrame | None = None    # city totals: run keys, week, warmup, FIELDS, ...
    communities: pd.DataFrame | None = None       # run keys, community, households, FIELDS
    categories: pd.DataFrame | None = None        # run keys, kind, category, hours, ...
    breakdown: pd.DataFrame | None = None         # run keys, level, group, size_band, metrics
    keys: list[str] = field(default_factory=list)  # the keys a sweep varied

    @property
    def kind(self) -> str:
        """What the results are, read from the data, not from the command that wrote them:
        "sweep" (design points over varied keys), "compare" (several scenarios) or "run"."""
        if self.keys:
            return "sweep"
        return "compare" if len(self.scenarios) > 1 else "run"

    @property
    def baseline(self) -> str:
        return self.scenarios[0]

    @property
    def reps(self) -> int:
        return int(self.info["reps"])

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
        resolved: dict[str, Any] = self.info["scenarios"][scenario]["resolved"]
        return resolved


def load_results(folder: Path | str) -> Results:
    """Read any folder written by ``run --out``, ``compare --out`` or ``sweep --out``."""
    folder = Path(folder)
    if not folder.is_dir():
        problem = "is a file, not a folder" if folder.exists() else "no such folder"
        raise UserError(f"{folder}: {problem}; give the folder written by "
                        "commsim run/compare/sweep --out")
    info = _manifest(folder)
    try:
        return _load(folder, info)
    except KeyError as err:
        raise UserError(f"{folder}: its files lack the entry {err}; they were not written by "
                        "this version of commsim") from None


def _manifest(folder: Path) -> dict[str, Any]:
    """The folder's manifest, refused with what to do when it is missing, from an older
    layout (no format_version) or from a newer commsim."""
    rerun = "rerun the command that made it (commsim run/compare/sweep --out) to read it here"
    if not (folder / MANIFEST).is_file():
        if (folder / OLD_SWEEP).is_file():
            raise UserError(f"{folder}: written by an older commsim ({OLD_SWEEP}, no "
                            f"{MANIFEST}); {rerun}")
        raise UserError(f"{folder}: holds no commsim results (expected {MANIFEST} from "
                        "run/compare/sweep --out)")
    info = _read_json(folder / MANIFEST)
    version = info.get("format_version")
    if version is None and info.get("command") not in ("run", "compare"):
        raise UserError(f"{folder / MANIFEST}: command {info.get('command')!r}: not a "
                        "commsim results manifest; give a folder written by "
                        "commsim run/compare/sweep --out")
    if version is None:
        raise UserError(f"{folder}: written by an older commsim (its {MANIFEST} has no "
                        f"format_version); {rerun}")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise UserError(f"{folder}: results format {version!r} is newer than this commsim "
                        f"reads ({FORMAT_VERSION}); upgrade commsim")
    if "tables" not in info:
        raise UserError(f"{folder / MANIFEST}: not a results manifest (it lists no tables)")
    return info


def _load(folder: Path, info: dict[str, Any]) -> Results:
    """Every table the manifest lists, and the summary the runs give."""
    names = list(info["scenarios"])
    keys = [str(k) for k in info.get("varied", [])]
    metrics = _finished(folder, _read_table(folder, RUNS))
    summary = (point_summary(metrics, keys) if keys
               else pair_summary(metrics, names))
    optional = {name: _read_table(folder, f"{name}.parquet") if f"{name}.parquet" in
                info["tables"] else None for name in ("city_weekly", "communities",
                                                      "categories", "breakdown")}
    return Results(
        folder=folder, command=str(info.get("command", "")), info=info, scenarios=names,
        metrics=metrics, summary=summary,
        days={name: int(entry["resolved"]["simulation"]["days"])
              for name, entry in info["scenarios"].items()},
        weekly=optional["city_weekly"], communities=optional["communities"],
        categories=optional["categories"], breakdown=optional["breakdown"], keys=keys)


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise UserError(f"{path}: cannot read it as JSON ({err})") from None
    if not isinstance(data, dict):
        raise UserError(f"{path}: expected a JSON object")
    return data


def _read_table(folder: Path, name: str) -> pd.DataFrame:
    """A Parquet file of the folder, read or refused with the reason. A missing runs table
    beside a sweep's journal means the sweep has not finished."""
    path = folder / name
    if not path.is_file():
        if name == RUNS and (folder / JOURNAL).is_file():
            raise UserError(f"{folder}: the sweep has not finished ({RUNS} is missing); "
                            f"finish it with 'commsim sweep ... --resume --out {folder}'")
        raise UserError(f"{folder}: {name} is missing, so this is not a complete results "
                        "folder; rerun the command that made it")
    try:
        return pd.read_parquet(path)
    except (OSError, ValueError) as err:
        raise UserError(f"{path}: cannot read it ({type(err).__name__}: {err})") from None


def _finished(folder: Path, runs: pd.DataFrame) -> pd.DataFrame:
    """The runs that finished; a folder where none did has nothing to show."""
    ok = runs[runs["status"] == "ok"].reset_index(drop=True)
    if ok.empty:
        raise UserError(f"{folder / RUNS}: no run finished; see its 'error' column")
    return ok


def pair_summary(metrics: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    """Mean and interval of every metric per scenario, and its replicate-by-replicate
    difference from the first scenario (left empty for the first itself)."""
    rows = []
    paired = paired_differences(metrics, names)
    for position, entry in enumerate(paired):
        for metric, stats in entry["metrics"].items():
            diff = entry["diff_vs_first"][metric] if position else {}
            rows.append({"scenario": entry["name"], "metric": metric, "mean": stats["mean"],
                         "ci_low": stats["ci_low"], "ci_high": stats["ci_high"],
                         "method": stats["method"], "diff": diff.get("mean"),
                         "diff_low": diff.get("ci_low"), "diff_high": diff.get("ci_high"),
                         "diff_method": diff.get("method")})
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS).astype({c: float for c in NUMBERS})


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


def row_at(table: pd.DataFrame, key: str | tuple[Any, ...]) -> pd.Series:
    """The one row of ``table`` at a full ``key`` of its unique index (e.g. a metric, or a
    scenario and a metric): a Series, which pandas-stubs cannot tell from a partial key's
    frame."""
    return cast(pd.Series, table.loc[key])
