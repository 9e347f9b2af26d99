"""What a robust comparison says: effects across plausible worlds beside the noise within one.

Two spreads answer two questions. The replicate interval within a world (``compare``'s
paired interval, computed per world) is how much the effect could move with other random
draws of the same city: noise. The spread of the world effects (their 2.5 and 97.5
percentiles) is how much it moves with the assumptions the calibration bands leave open:
parameter uncertainty. Reporting the second as if it were the first would hide that a
reform's sign may rest on an unidentified key, which the share of worlds it improves in and
scenario discovery (``sim.robust.discover``) then locate.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis import numbers
from analysis.labels import is_share
from analysis.summary import paired_differences
from sim.errors import UserError
from sim.metrics import KEY_METRICS, METRICS

WORLD_LOW, WORLD_HIGH = 2.5, 97.5        # percentiles of the world effects
DEFAULT_DISCOVER = "resident_hours_per_1000_households"


def world_effects(metrics: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    """Per world, scenario after the first and metric: the paired replicate mean difference
    from the first scenario and its replicate interval, as a plain compare gives them."""
    rows = []
    for world in sorted(metrics["world"].unique()):
        runs = metrics[metrics["world"] == world]
        for result in paired_differences(runs, names)[1:]:
            for metric, diff in result["diff_vs_first"].items():
                rows.append({"world": int(world), "scenario": result["name"],
                             "metric": metric, "effect": diff["mean"],
                             "ci_low": diff["ci_low"], "ci_high": diff["ci_high"],
                             "method": diff["method"]})
    return pd.DataFrame(rows)


def improves(effect: pd.Series | np.ndarray, metric: str) -> np.ndarray | None:
    """Whether each effect is an improvement by the metric's declared direction; None when
    the metric declares none. No change is no improvement."""
    better = METRICS[metric].better if metric in METRICS else None
    if better is None:
        return None
    values = np.asarray(effect, dtype=float)
    return values > 0 if better == "higher" else values < 0


def robust_effects(effects: pd.DataFrame) -> pd.DataFrame:
    """Per scenario and metric: the median world effect, its 2.5-97.5 percentile range across
    worlds, the median replicate interval within worlds and the share of worlds improving."""
    rows = []
    for (scenario, metric), group in effects.groupby(["scenario", "metric"], sort=False):
        effect = group["effect"].to_numpy(dtype=float)
        better = improves(effect, str(metric))
        rows.append({"scenario": scenario, "metric": metric, "worlds": len(group),
                     "median_effect": float(np.median(effect)),
                     "world_low": float(np.percentile(effect, WORLD_LOW)),
                     "world_high": float(np.percentile(effect, WORLD_HIGH)),
                     "within_low": _median(group["ci_low"]),
                     "within_high": _median(group["ci_high"]),
                     "within_method": group["method"].iloc[0],
                     "better": METRICS[str(metric)].better if metric in METRICS else None,
                     "share_improving": None if better is None else float(better.mean())})
    return pd.DataFrame(rows)


def _median(values: pd.Series) -> float | None:
    numbers_ = pd.to_numeric(values, errors="coerce").dropna()
    return float(numbers_.median()) if len(numbers_) else None


def ranking(effects: pd.DataFrame, names: list[str],
            metrics: tuple[str, ...] = KEY_METRICS) -> pd.DataFrame:
    """For each key metric with a direction: the scenarios (the first at effect 0) ranked best
    first by their median effect, and the share of worlds in which each holds that rank."""
    rows = []
    for metric in metrics:
        better = METRICS[metric].better
        if better is None:
            continue
        sign = 1.0 if better == "higher" else -1.0
        table = effects[effects["metric"] == metric].pivot(index="world", columns="scenario",
                                                           values="effect")
        table = table.assign(**{names[0]: 0.0})[names] * sign
        order = np.argsort(-np.median(table.to_numpy(), axis=0), kind="stable")
        in_world = np.argsort(np.argsort(-table.to_numpy(), axis=1, kind="stable"), axis=1,
                              kind="stable")
        for rank, column in enumerate(order):
            rows.append({"metric": metric, "rank": rank + 1, "scenario": names[column],
                         "median_effect": float(np.median(table.iloc[:, column])) * sign,
                         "share_at_rank": float((in_world[:, column] == rank).mean())})
    return pd.DataFrame(rows)


def discovery(effects: pd.DataFrame, priors: pd.DataFrame, metric: str) -> list[dict[str, Any]]:
    """For each reform: which prior key decides whether it improves ``metric`` (its tree's
    splits), or why nothing was fitted (no direction, all worlds agree)."""
    from sim.robust import discover

    results = []
    for scenario, group in effects[effects["metric"] == metric].groupby("scenario", sort=False):
        group = group.set_index("world").loc[priors.index]
        better = improves(group["effect"], metric)
        entry: dict[str, Any] = {"scenario": scenario, "metric": metric, "splits": []}
        if better is None:
            entry["skipped"] = f"{metric} declares no direction of improvement"
        else:
            entry["share_improving"] = float(better.mean())
            entry["splits"] = discover(priors, pd.Series(better, index=priors.index))
            if not entry["splits"]:
                entry["skipped"] = _no_split(better, metric)
        results.append(entry)
    return results


def percent(share: float) -> str:
    """A share of worlds in whole percent: with tens of worlds, decimals would be noise."""
    return numbers.number(share, share=True, digits=0)


def _no_split(better: np.ndarray, metric: str) -> str:
    """Why a tree found no split: every world agrees, or no key separates them."""
    if better.all() or not better.any():
        verb = "improves" if better.all() else "does not improve"
        return f"all {len(better)} worlds agree: it {verb} {metric} in every one"
    return "no prior key separates the worlds that improve from the others"


def _value(value: float | None, metric: str, sign: bool = True) -> str:
    if value is None or not np.isfinite(value):
        return "-"
    share = is_share(metric)
    return numbers.band(value, None, None, share=share, sign=sign,
                        unit=" pp" if share and sign else "")


def _range(low: float | None, high: float | None, metric: str) -> str:
    return f"[{_value(low, metric)}, {_value(high, metric)}]"


def format_robust(table: pd.DataFrame, ranks: pd.DataFrame, found: list[dict[str, Any]],
                  base: str, metrics: tuple[str, ...] = KEY_METRICS) -> str:
    """The key metrics' robust effects, the rankings and the discovered splits, as text."""
    lines = [f"effect vs {base}: median over worlds [2.5-97.5% across worlds: parameter "
             "uncertainty]  (median replicate interval within a world: noise)  share of "
             "worlds improving"]
    for metric in metrics:
        lines.append(f"{metric}  ({METRICS[metric].better or 'no direction'} is better)")
        for row in _records(table[table["metric"] == metric]):
            share = "" if row["share_improving"] is None \
                else f"  improves in {percent(row['share_improving'])}"
            lines.append(f"  {row['scenario']:<24} {_value(row['median_effect'], metric):>12} "
                         f"{_range(row['world_low'], row['world_high'], metric):<28} "
                         f"(within {_range(row['within_low'], row['within_high'], metric)})"
                         f"{share}")
    if len(ranks):
        lines.append("\nranking by median effect (share of worlds holding that rank)")
        for metric in dict.fromkeys(ranks["metric"]):
            ranked = ", ".join(f"{r['rank']}. {r['scenario']} "
                               f"({percent(r['share_at_rank'])})"
                               for r in _records(ranks[ranks["metric"] == metric]))
            lines.append(f"  {metric}: {ranked}")
    lines += ["", *discovery_lines(found)]
    return "\n".join(lines)


def discovery_lines(found: list[dict[str, Any]]) -> list[str]:
    """Each reform's discovered splits as 'the conclusion hinges on KEY <= VALUE'."""
    lines = []
    for entry in found:
        head = f"scenario discovery, {entry['scenario']} on {entry['metric']}"
        if entry.get("skipped"):
            lines.append(f"{head}: skipped, {entry['skipped']}")
            continue
        lines.append(f"{head} (improves in "
                     f"{percent(entry['share_improving'])} of worlds):")
        for split in entry["splits"]:
            value = f"{split['threshold']:.4g}"
            within = f"where {split['within']}, " if split["within"] else ""
            lines.append(f"  {'  ' * split['depth']}{within}the conclusion hinges on "
                         f"{split['key']} "
                         f"<= {value} (improves in "
                         f"{percent(split['improving_at_or_below'])} of "
                         f"{split['worlds_at_or_below']}) / > {value} (in "
                         f"{percent(split['improving_above'])} of "
                         f"{split['worlds_above']})")
    return lines


def robust_document(metrics: pd.DataFrame, names: list[str], priors: pd.DataFrame,
                    metric: str) -> dict[str, Any]:
    """Everything a robust comparison reports, as tables and a JSON-ready record."""
    effects = world_effects(metrics, names)
    table = robust_effects(effects)
    ranks = ranking(effects, names)
    found = discovery(effects, priors, metric)
    return {"effects": effects, "table": table, "ranking": ranks, "discovery": found,
            "record": {"effects": _records(table), "ranking": _records(ranks),
                       "discovery": found}}


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as plain dicts, NaN as None (JSON has no NaN)."""
    return [{str(k): (None if isinstance(v, float) and not np.isfinite(v) else v)
             for k, v in row.items()} for row in frame.to_dict("records")]


# --- a robust comparison's folder, read back for the brief ------------------------------------

WORLD_EFFECTS, COMPARISON = "world_effects.csv", "comparison.json"


@dataclass(frozen=True)
class RobustFolder:
    """What ``compare --ensemble --out DIR`` wrote, as the brief reads it: every world's
    effect, the ensemble's provenance and the scenario discovery."""

    folder: Path
    world_effects: pd.DataFrame           # world, scenario, metric, effect, ci_low, ...
    document: dict[str, Any]              # comparison.json: seed, reps, ensemble, robust

    @property
    def scenarios(self) -> list[str]:
        return list(self.document["scenarios"])

    @property
    def worlds(self) -> int:
        return int(self.document["ensemble"]["worlds"])

    @property
    def keys(self) -> list[str]:
        """The prior keys the worlds differ in."""
        return list(self.document["ensemble"].get("keys", []))

    @property
    def ensemble(self) -> dict[str, Any]:
        """The ensemble's own record: priors, targets, n, seed, rounds, kept."""
        return dict(self.document["ensemble"].get("ensemble", {}))

    @property
    def discovery(self) -> list[dict[str, Any]]:
        return list(self.document["robust"].get("discovery", []))

    def effects(self, scenario: str, metric: str) -> np.ndarray:
        """One scenario's effect on ``metric`` in every world, world by world."""
        rows = self.world_effects[(self.world_effects["scenario"] == scenario)
                                  & (self.world_effects["metric"] == metric)]
        return rows.sort_values("world")["effect"].to_numpy(dtype=float)

    def check_covers(self, scenarios: list[str], where: str) -> None:
        """Every scenario of the brief must have run in the worlds, against the same
        baseline: a robustness borrowed from another comparison would be a false claim."""
        mine = self.scenarios
        missing = [s for s in scenarios if s not in mine]
        if missing or mine[:1] != scenarios[:1]:
            raise UserError(
                f"{where} {self.folder}: its robust comparison ran {', '.join(mine)} (baseline "
                f"{mine[0] if mine else 'none'}); the results need {', '.join(scenarios)} "
                f"with baseline {scenarios[0]}" + (f"; missing {', '.join(missing)}"
                                                   if missing else "")
                + ". Run compare --ensemble with the same scenarios, baseline first")


def load_robust_folder(folder: Path, where: str = "--robust") -> RobustFolder:
    """Read a robust comparison's folder, saying clearly when it is not one."""
    folder = Path(folder)
    effects_path, document_path = folder / WORLD_EFFECTS, folder / COMPARISON
    for path in (effects_path, document_path):
        if not path.is_file():
            raise UserError(f"{where} {folder}: no {path.name} there; give the folder written "
                            "by 'commsim compare ... --ensemble DIR --out FOLDER'")
    try:
        document = json.loads(document_path.read_text(encoding="utf-8"))
        effects = pd.read_csv(effects_path)
    except (OSError, ValueError) as err:
        raise UserError(f"{where} {folder}: cannot read its files: {err}") from None
    if "robust" not in document or "ensemble" not in document:
        raise UserError(f"{where} {folder}: {COMPARISON} is a plain comparison's; give the "
                        "folder of 'commsim compare ... --ensemble DIR --out FOLDER'")
    return RobustFolder(folder, effects, document)
