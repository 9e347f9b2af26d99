"""Where the freed hours went: administrative hours a scenario frees against the first one,
split by where they ended up.

The ledger books every hour of the communities' own staff once (tests/validation/
test_conservation.py)::

    regular + overtime = admin + grid duties + service + self-governance
                         + discretionary + slack + switching + learning

Taking the paired difference (scenario minus first scenario, replicate by
replicate, common random numbers) of both sides and moving terms around gives,
exactly, for each replicate::

    freed = -Δ(admin + grid duties)
          = Δservice + Δself-governance + Δdiscretionary     (resident work)
            - Δovertime                                        (less overtime)
            + Δslack                                           (idle)
            + Δswitching + Δlearning                           (other)
            - Δregular                                         (staff present)

Grid heads' duties count as administrative, as in the model's shares, so they
sit in the freed term, not in "other". The last term is nonzero whenever
the head count differs: a staffing reform, or fewer quits once overtime falls.
Its sign says that hours which went somewhere came from added staff, not from
freed administrative work.

Unit: hours per community per year, where "community" is one of the *first*
scenario's communities (city totals divided by its number of communities and
by each scenario's measured years). Not per staff member: a staffing reform
changes the head count, and hours per staff member would fall with no hour
freed. Not per each scenario's own communities: splitting communities would
then shrink every term. Only measured weeks count (warm-up weeks left out).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from analysis.numbers import band, number
from analysis.summary import interval, methods_text

if TYPE_CHECKING:
    from analysis.results import Results
    from sim.compare import Comparison

FREED = "freed"
ADMIN_FIELDS = ("hours_administrative", "grid_duty_hours")
# Each part: ledger fields whose change adds to it, and fields whose change subtracts from it.
PARTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "service": (("hours_service",), ()),
    "self_governance": (("hours_self_governance",), ()),
    "discretionary": (("hours_discretionary",), ()),
    "less_overtime": ((), ("overtime_hours",)),
    "slack": (("slack_hours",), ()),
    "other": (("switching_hours", "learning_hours"), ()),
    "staffing": ((), ("regular_hours",)),
}
COLUMNS = (FREED, *PARTS)
HOUR_FIELDS = tuple(dict.fromkeys(
    [*ADMIN_FIELDS, *(f for plus, minus in PARTS.values() for f in (*plus, *minus))]))
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


def measured_rates(city_weekly: pd.DataFrame, years: dict[str, float],
                   communities: float) -> pd.DataFrame:
    """The hour fields summed over measured weeks, per (scenario, rep), per year and per
    community of the first scenario."""
    measured = city_weekly[~city_weekly["warmup"].astype(bool)]
    totals = measured.groupby(["scenario", "rep"])[list(HOUR_FIELDS)].sum()
    per_year = totals.index.get_level_values("scenario").map(years).to_numpy(dtype=float)
    return totals.div(per_year * communities, axis=0)


def decompose(rates: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    """Per scenario after the first and per replicate: freed hours and their parts, which
    add up to them exactly (the ledger's identity, differenced)."""
    base = rates.loc[names[0]]
    rows = []
    for name in names[1:]:
        delta = rates.loc[name] - base.loc[rates.loc[name].index]
        parts = {part: delta[list(plus)].sum(axis=1) - delta[list(minus)].sum(axis=1)
                 for part, (plus, minus) in PARTS.items()}
        frame = pd.DataFrame({FREED: -delta[list(ADMIN_FIELDS)].sum(axis=1), **parts})
        rows.append(frame.reset_index().assign(scenario=name))
    columns = ["scenario", "rep", *COLUMNS]
    return pd.concat(rows, ignore_index=True)[columns] if rows else pd.DataFrame(columns=columns)


def _first_count(weekly: pd.DataFrame, first: str) -> float:
    return float(weekly.loc[weekly["scenario"] == first, "communities"].max())


def comparison_freed_hours(comparison: Comparison) -> pd.DataFrame:
    """``decompose`` of a ``sim.compare`` result."""
    weekly = comparison.city_weekly
    rates = measured_rates(weekly, comparison.years, _first_count(weekly, comparison.names[0]))
    return decompose(rates, comparison.names)


def results_freed_hours(results: Results) -> pd.DataFrame:
    """``decompose`` of a compare results folder (analysis.results)."""
    years = {name: results.years(name) for name in results.scenarios}
    rates = measured_rates(results.weekly, years, _first_count(results.weekly, results.baseline))
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
