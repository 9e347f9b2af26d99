"""Summaries over replicates: mean and a 95% t-interval per metric.

With one replicate there is no interval: ``ci_low`` and ``ci_high`` are None
(null in JSON), never a made-up width.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import special

CONFIDENCE = 0.95


def interval(values: np.ndarray | list[float]) -> dict[str, float | None]:
    """Mean and 95% t-interval of the mean of ``values``."""
    values = np.asarray(values, dtype=float)
    mean = float(values.mean())
    if len(values) < 2:
        return {"mean": mean, "ci_low": None, "ci_high": None}
    # special.stdtrit is the t quantile itself (what stats.t.ppf calls), without the
    # third of a second that importing scipy.stats costs every run.
    half = float(special.stdtrit(len(values) - 1, (1 + CONFIDENCE) / 2)
                 * values.std(ddof=1) / math.sqrt(len(values)))
    return {"mean": mean, "ci_low": mean - half, "ci_high": mean + half}


def summarise(metrics: pd.DataFrame) -> dict[str, dict]:
    """For each metric column: mean, ci_low, ci_high and the per-replicate values."""
    return {name: {**interval(column.to_numpy()), "values": column.astype(float).tolist()}
            for name, column in metrics.items()}


def summary_frame(summary: dict[str, dict]) -> pd.DataFrame:
    """The summary as a table: one row per metric."""
    rows = [{"metric": name, "mean": s["mean"], "ci_low": s["ci_low"], "ci_high": s["ci_high"],
             "replicates": len(s["values"])} for name, s in summary.items()]
    return pd.DataFrame(rows)


def format_table(summary: dict[str, dict], descriptions: dict[str, str]) -> str:
    """A readable fixed-width table of the summary."""
    lines = [f"{'metric':<38} {'mean [95% interval]':>36}  meaning"]
    for name, s in summary.items():
        band = _band(s) if s["ci_low"] is not None else f"{_fmt(s['mean'])} (1 replicate)"
        lines.append(f"{name:<38} {band:>36}  {descriptions.get(name, '')}")
    return "\n".join(lines)


def _fmt(value: float) -> str:
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 1:
        return f"{value:.2f}"
    return f"{value:.3f}"


def paired_differences(metrics: pd.DataFrame, names: list[str]) -> list[dict]:
    """Each scenario's summary and its replicate-by-replicate difference from the first.

    ``metrics`` has one row per (scenario, rep) with a column per metric.
    """
    columns = [c for c in metrics.columns if c not in ("scenario", "rep", "seed", "status",
                                                       "error")]
    by_name = {name: metrics[metrics["scenario"] == name].set_index("rep")[columns]
               for name in names}
    first = by_name[names[0]]
    results = []
    for name in names:
        table = by_name[name]
        diff = table - first.loc[table.index]
        results.append({
            "name": name,
            "metrics": summarise(table),
            "diff_vs_first": {m: interval(diff[m].to_numpy()) for m in columns},
        })
    return results


def format_comparison(results: list[dict], descriptions: dict[str, str]) -> str:
    """Per metric: each scenario's mean [interval] and its paired difference from the first."""
    base = results[0]["name"]
    lines = []
    for metric in results[0]["metrics"]:
        lines.append(f"{metric}  ({descriptions.get(metric, '')})")
        for result in results:
            mean = _band(result["metrics"][metric])
            diff = "" if result["name"] == base else \
                f"   diff vs {base}: {_band(result['diff_vs_first'][metric], sign=True)}"
            lines.append(f"  {result['name']:<24} {mean:<34}{diff}")
    return "\n".join(lines)


def _band(summary: dict, sign: bool = False) -> str:
    mean = ("+" if sign and summary["mean"] > 0 else "") + _fmt(summary["mean"])
    if summary["ci_low"] is None:
        return mean
    return f"{mean} [{_fmt(summary['ci_low'])}, {_fmt(summary['ci_high'])}]"
