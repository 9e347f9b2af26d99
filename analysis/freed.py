"""Where the freed hours went, for readers: per-replicate parts (``sim.freed`` computes the
exact decomposition) summarised with intervals, as a table, a frame and a results-folder
reader. Unit: hours per community of the first scenario per measured year.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from analysis.numbers import band, number
from analysis.summary import interval, methods_text
from sim.freed import (  # noqa: F401  (re-exported: the decomposition is in sim.freed)
    ADMIN_FIELDS,
    COLUMNS,
    FREED,
    HOUR_FIELDS,
    PARTS,
    decompose,
    first_count,
    measured_rates,
)

if TYPE_CHECKING:
    from analysis.results import Results

FRAME_COLUMNS = ["scenario", "vs", "part", "mean", "ci_low", "ci_high", "method",
                 "share_of_freed", "unit", "meaning"]
UNIT = "hours per community per year"
MEANINGS = {
    FREED: "freed from administrative work (tasks and grid duties)",
    "service": "resident work: services",
    "self_governance": "resident work: self-governance",
    "discretionary": "resident work: discretionary (visits, activities)",
    "less_overtime": "less overtime",
    "slack": "slack (idle regular hours)",
    "other": "other: task switching and new hires' learning",
    "staffing": "staff present: -change in regular hours (added staff < 0)",
}


def results_freed_hours(results: Results) -> pd.DataFrame:
    """``decompose`` of a compare results folder (analysis.results)."""
    weekly = results.weekly
    if weekly is None:
        raise ValueError("freed hours need the weekly city table of a compare folder (fits)")
    years = {name: results.years(name) for name in results.scenarios}
    rates = measured_rates(weekly, years, first_count(weekly, results.baseline))
    return decompose(rates, results.scenarios)


def fits(weekly: pd.DataFrame | None) -> bool:
    """Whether the weekly totals book every hour the decomposition needs (older folders
    lack some of the fields)."""
    return weekly is not None and set(HOUR_FIELDS) <= set(weekly.columns)


def summarise_freed(per_rep: pd.DataFrame, names: list[str]) -> dict[str, Any]:
    """Mean, interval (with its method) and replicate values of every part, per scenario
    after the first; each part's share of the mean freed hours. For comparison.json."""
    scenarios = []
    for name in names[1:]:
        own = per_rep[per_rep["scenario"] == name].sort_values("rep")
        freed = interval(own[FREED].to_numpy())
        scenarios.append({"name": name, "parts": {
            part: {**interval(own[part].to_numpy()), "values": own[part].tolist(),
                   "share_of_freed": _share(float(own[part].mean()), freed)}
            for part in COLUMNS}})
    return {"unit": UNIT, "baseline": names[0], "meanings": dict(MEANINGS),
            "scenarios": scenarios}


def _share(part: float, freed: dict[str, Any]) -> float | None:
    """A part over the mean freed hours; none unless hours were freed, in every replicate's
    range or interval: over a freed total near zero, or below it, shares explode or flip sign
    and mean nothing."""
    low = freed["mean"] if freed["ci_low"] is None else freed["ci_low"]
    return part / freed["mean"] if low > 0 else None


def freed_frame(summary: dict[str, Any]) -> pd.DataFrame:
    """The summary as a table, one row per scenario and part: freed_hours.csv."""
    rows = [{"scenario": entry["name"], "vs": summary["baseline"], "part": part,
             "mean": stats["mean"], "ci_low": stats["ci_low"], "ci_high": stats["ci_high"],
             "method": stats["method"], "share_of_freed": stats["share_of_freed"],
             "unit": summary["unit"], "meaning": summary["meanings"][part]}
            for entry in summary["scenarios"] for part, stats in entry["parts"].items()]
    return pd.DataFrame(rows, columns=FRAME_COLUMNS)


def format_freed(summary: dict[str, Any]) -> str:
    """The terminal's table: a block per scenario, freed hours first, then each part with its
    interval and its share of the freed hours."""
    if not summary["scenarios"]:
        return ""
    methods = methods_text(s["method"] for e in summary["scenarios"] for s in e["parts"].values())
    lines = [f"where the freed hours went, vs {summary['baseline']} ({summary['unit']}: city "
             f"totals over the first scenario's communities, measured weeks only; parts add "
             f"up to the freed hours; intervals: {methods})"]
    width = max(map(len, MEANINGS.values()))
    for entry in summary["scenarios"]:
        lines.append(f"  {entry['name']}")
        for part, stats in entry["parts"].items():
            share = stats["share_of_freed"]
            shown = "" if share is None else f"{number(share, share=True, digits=0):>7}"
            cell = band(stats["mean"], stats["ci_low"], stats["ci_high"], sign=True, digits=0)
            lines.append(f"    {MEANINGS[part]:<{width}} {cell:<28} {shown}")
    return "\n".join(lines)
