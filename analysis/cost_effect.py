"""Cost per resident-facing hour gained: each scenario against the first, paired replicate by
replicate, for ``compare``'s third table, ``cost_effect.csv`` and the cost-effectiveness chart.

Both sides are in the unit of the freed-hours table (sim.freed): per community of the first
scenario per measured year. The extra cost is the cost metric's paired difference
(``sim.budget.extra_cost``); the hours gained are the freed-hours table's resident work
(services + self-governance + discretionary resident work, own staff only). That table is
used rather than ``resident_hours_per_1000_households`` because it already counts a split
city's hours over the first scenario's communities, the same yardstick as the cost, and
needs no household conversion; the two agree wherever the households are the same.

The ratio is the mean extra cost over the mean hours gained. Its interval is that of the
replicates' own ratios, given only when every replicate gains hours (a ratio over a gain
near zero explodes). Where the mean gain is not above zero there is no ratio: "no gain",
never a negative or infinite price; where the mean extra cost is not above zero, "no extra
cost".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from analysis.numbers import band
from analysis.summary import interval, methods_text
from sim.budget import extra_cost

if TYPE_CHECKING:
    from analysis.results import Results
    from sim.compare import Comparison

RESIDENT_PARTS = ("service", "self_governance", "discretionary")
UNITS = {"extra_cost": "yuan per community per year",
         "resident_hours": "hours per community per year",
         "yuan_per_hour": "yuan per resident-facing hour gained"}
NO_GAIN, NO_EXTRA_COST, PRICED = "no gain", "no extra cost", "priced"
FRAME_COLUMNS = ["scenario", "vs", "measure", "mean", "ci_low", "ci_high", "method", "status",
                 "unit"]


def per_replicate(metrics: pd.DataFrame, weekly: pd.DataFrame, freed: pd.DataFrame,
                  first: str) -> pd.DataFrame:
    """Per scenario after the first and replicate: extra cost and resident hours gained."""
    hours = freed.assign(resident_hours=freed[list(RESIDENT_PARTS)].sum(axis=1))
    extra = extra_cost(metrics, weekly, first)
    if extra.empty:
        return extra.assign(resident_hours=pd.Series(dtype=float))
    return extra.merge(
        hours[["scenario", "rep", "resident_hours"]], on=["scenario", "rep"])


def comparison_per_replicate(comparison: Comparison) -> pd.DataFrame:
    return per_replicate(comparison.metrics, comparison.city_weekly, comparison.freed_hours(),
                         comparison.names[0])


def results_per_replicate(results: Results) -> pd.DataFrame:
    """``per_replicate`` of a compare results folder."""
    from analysis.freed import results_freed_hours

    if results.weekly is None:
        raise ValueError("cost per hour needs the weekly city table of a compare folder")
    return per_replicate(results.metrics, results.weekly, results_freed_hours(results),
                         results.baseline)


def price_per_hour(cost: np.ndarray, hours: np.ndarray) -> dict[str, Any]:
    """Mean extra cost over mean hours gained, with the replicate ratios' interval, or no
    ratio and the reason."""
    if hours.mean() <= 0:
        return {"mean": None, "ci_low": None, "ci_high": None, "method": None,
                "status": NO_GAIN}
    if cost.mean() <= 0:
        return {"mean": None, "ci_low": None, "ci_high": None, "method": None,
                "status": NO_EXTRA_COST}
    spread: dict[str, Any] = {"ci_low": None, "ci_high": None, "method": None}
    if (hours > 0).all():
        spread = interval(cost / hours)
    return {**spread, "mean": float(cost.mean() / hours.mean()), "status": PRICED}


def summarise(per_rep: pd.DataFrame, names: list[str]) -> dict[str, Any]:
    """Extra cost, hours gained and their price per scenario after the first."""
    scenarios = []
    for name in names[1:]:
        own = per_rep[per_rep["scenario"] == name].sort_values("rep")
        cost, hours = (own[c].to_numpy(dtype=float) for c in ("extra_cost", "resident_hours"))
        scenarios.append({"name": name,
                          "extra_cost": {**interval(cost), "values": cost.tolist()},
                          "resident_hours": {**interval(hours), "values": hours.tolist()},
                          "yuan_per_hour": price_per_hour(cost, hours)})
    return {"units": dict(UNITS), "baseline": names[0], "scenarios": scenarios}


def cost_frame(summary: dict[str, Any]) -> pd.DataFrame:
    """The summary as a table, three rows per scenario: cost_effect.csv."""
    rows = [{"scenario": entry["name"], "vs": summary["baseline"], "measure": measure,
             "mean": entry[measure]["mean"], "ci_low": entry[measure]["ci_low"],
             "ci_high": entry[measure]["ci_high"], "method": entry[measure]["method"],
             "status": entry[measure].get("status", ""), "unit": unit}
            for entry in summary["scenarios"] for measure, unit in summary["units"].items()]
    return pd.DataFrame(rows, columns=FRAME_COLUMNS)


def format_cost_effect(summary: dict[str, Any], budget: dict[str, Any] | None = None) -> str:
    """The terminal's table: per scenario, extra cost, hours gained and yuan per hour; with
    a budget, how each scenario was sized."""
    if not summary["scenarios"]:
        return ""
    methods = methods_text(str(e[m]["method"]) for e in summary["scenarios"]
                           for m in ("extra_cost", "resident_hours") if e[m]["method"])
    lines = [f"cost per resident-facing hour gained, vs {summary['baseline']} (extra cost in "
             f"yuan and resident-facing hours gained, per community of the first scenario per "
             f"year; intervals: {methods})"]
    sizing = {s["name"]: s for s in (budget or {}).get("scenarios", [])}
    width = max(len(e["name"]) for e in summary["scenarios"])
    for entry in summary["scenarios"]:
        cost, hours, price = entry["extra_cost"], entry["resident_hours"], entry["yuan_per_hour"]
        shown = (price["status"] if price["mean"] is None
                 else band(price["mean"], price["ci_low"], price["ci_high"], digits=0) + " yuan/h")
        spent, gained = (band(x["mean"], x["ci_low"], x["ci_high"], sign=True, digits=0)
                         for x in (cost, hours))
        lines.append(f"  {entry['name']:<{width}}  cost {spent}  hours {gained}  {shown}"
                     + _sizing_note(sizing.get(entry["name"])))
    return "\n".join(lines)


def _sizing_note(sizing: dict[str, Any] | None) -> str:
    """How ``--budget`` sized the scenario, in a few words."""
    if sizing is None:
        return ""
    if sizing["status"] == "own cost":
        return "  (no size key: at its own cost)"
    keys = ", ".join(f"{key}={value:.4g}" for key, value in sizing["keys"].items())
    return f"  ({sizing['status']}: {keys})"
