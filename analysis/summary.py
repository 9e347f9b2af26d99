"""Summaries over replicates: each metric's mean and an interval that respects the metric.

Every summary names the ``method`` that made its interval:

- ``"t (logit scale)"`` for shares (bounds ``share``): the 95% t-interval of the
  mean built on the logit scale and mapped back, logit(m) ± t·se / (m(1 − m)),
  so it stays inside (0, 1);
- ``"t (log scale)"`` for hours, counts and rates (bounds ``non-negative``):
  log(m) ± t·se / m mapped back, i.e. m·exp(∓t·se/m), so it stays above 0;
- ``"t"`` for unbounded quantities and paired differences (which can be
  negative): the plain symmetric mean ± t·se;
- ``"replicate range"`` with two replicates: the lowest and highest replicate.
  Two values give no honest 95% interval (t has one degree of freedom), so
  none is claimed;
- ``"none"`` with one replicate: ``ci_low`` and ``ci_high`` are None (null in
  JSON), never a made-up width.

Here m is the mean over replicates and se its standard error. The scale is
changed for the mean and its standard error (the delta method), not for each
replicate: transforming each replicate would estimate the median rather than
the mean the tables report (its coverage of the mean falls as replicates are
added, e.g. to about 70% at 10 replicates of a skewed log-normal), and it
would need an arbitrary epsilon for replicates at exactly 0 or 1. Centred on
the mean, no epsilon is needed: replicates at 0 or 1 are fine, and the mean
can only sit on a bound when every replicate does, in which case all are equal
and the interval is [mean, mean], as it is for any method when replicates do
not vary. Values outside their metric's declared bounds (a custom metric, a
bug) fall back to the plain ``"t"`` interval, and say so.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import cast

import numpy as np
import pandas as pd
from scipy.special import stdtrit

from analysis import numbers
from analysis.labels import is_share
from sim.metrics import KEY_METRICS, METRICS, Bounds

CONFIDENCE = 0.95
MIN_FOR_INTERVAL = 3          # fewer replicates: the range, never a 95% interval
T_LOGIT, T_LOG, T_PLAIN = "t (logit scale)", "t (log scale)", "t"
RANGE, NONE = "replicate range", "none"
METHODS = (T_LOGIT, T_LOG, T_PLAIN, RANGE, NONE)


def _logit_bounds(mean: float, half: float) -> tuple[float, float]:
    centre, spread = math.log(mean / (1 - mean)), half / (mean * (1 - mean))
    low, high = (1 / (1 + math.exp(-(centre + sign * spread))) for sign in (-1, 1))
    return low, high


def _log_bounds(mean: float, half: float) -> tuple[float, float]:
    return mean * math.exp(-half / mean), mean * math.exp(half / mean)


def _plain_bounds(mean: float, half: float) -> tuple[float, float]:
    return mean - half, mean + half


_BOUNDS_OF: dict[str, Callable[[float, float], tuple[float, float]]] = {
    T_LOGIT: _logit_bounds, T_LOG: _log_bounds, T_PLAIN: _plain_bounds}


def _t_method(values: np.ndarray, bounds: Bounds) -> str:
    """The scale that keeps the interval inside the bounds the values really respect."""
    if bounds == Bounds.SHARE and values.min() >= 0 and values.max() <= 1:
        return T_LOGIT
    if bounds == Bounds.NON_NEGATIVE and values.min() >= 0:
        return T_LOG
    return T_PLAIN


def bounded_interval(values: np.ndarray | Iterable[float],
                     bounds: Bounds = Bounds.UNBOUNDED) -> dict[str, float | str | None]:
    """Mean of ``values`` with the interval their bounds and number call for, and its method."""
    values = np.asarray(values, dtype=float)
    mean = float(values.mean())
    if len(values) < 2:
        return {"mean": mean, "ci_low": None, "ci_high": None, "method": NONE}
    if len(values) < MIN_FOR_INTERVAL:
        return {"mean": mean, "ci_low": float(values.min()), "ci_high": float(values.max()),
                "method": RANGE}
    method = _t_method(values, bounds)
    half = float(stdtrit(len(values) - 1, (1 + CONFIDENCE) / 2)
                 * values.std(ddof=1) / math.sqrt(len(values)))
    low, high = _BOUNDS_OF[method](mean, half) if half > 0 else (mean, mean)
    return {"mean": mean, "ci_low": float(low), "ci_high": float(high), "method": method}


def interval(values: np.ndarray | Iterable[float],
             metric: str | None = None) -> dict[str, float | str | None]:
    """Mean and interval of a metric's replicates, within the metric's declared bounds.

    Without a registered metric (a paired difference, a user's own column) the
    values are taken as unbounded.
    """
    bounds = METRICS[metric].bounds if metric in METRICS else Bounds.UNBOUNDED
    return bounded_interval(values, bounds)


def summarise(metrics: pd.DataFrame) -> dict[str, dict]:
    """For each metric column: mean, ci_low, ci_high, method and the per-replicate values."""
    return {str(name): {**interval(column.to_numpy(), str(name)),
                        "values": column.astype(float).tolist()}
            for name, column in metrics.items()}


def summary_frame(summary: dict[str, dict]) -> pd.DataFrame:
    """The summary as a table: one row per metric."""
    rows = [{"metric": name, "mean": s["mean"], "ci_low": s["ci_low"], "ci_high": s["ci_high"],
             "method": s["method"], "replicates": len(s["values"])}
            for name, s in summary.items()]
    return pd.DataFrame(rows)


def method_text(method: str) -> str:
    """A method as the terminal shows it: the confidence level goes with the t-intervals."""
    if method.startswith("t"):
        return f"{numbers.plain(CONFIDENCE, share=True)} {method}"
    return {RANGE: "replicate range (min-max)", NONE: "no interval (1 replicate)"}[method]


def methods_text(methods: Iterable[str]) -> str:
    """Distinct methods in first-seen order, e.g. for a heading over several intervals."""
    return ", ".join(method_text(m) for m in dict.fromkeys(methods))


def _meanings() -> dict[str, str]:
    return {name: metric.meaning for name, metric in METRICS.items()}


def format_table(summary: dict[str, dict], descriptions: dict[str, str] | None = None) -> str:
    """A readable fixed-width table of the summary, each interval with its method.

    ``descriptions`` (default: each metric's meaning) fill the last column.
    """
    descriptions = _meanings() if descriptions is None else descriptions
    lines = [f"{'metric':<38} {'mean [interval]':>30}  {'interval':<26} meaning"]
    for name, s in summary.items():
        lines.append(f"{name:<38} {_band(s, name):>30}  {method_text(s['method']):<26} "
                     f"{descriptions.get(name, '')}")
    return "\n".join(lines)


def summarise_years(yearly: pd.DataFrame) -> list[dict]:
    """Per year of the measured period (``RunResult.yearly``): its number, its length in
    days and each metric's summary over replicates, as ``summarise`` gives it."""
    columns = [c for c in yearly.columns if c in METRICS]
    return [{"year": int(cast(int, year)), "days": int(group["days"].iloc[0]),
             "metrics": summarise(group[columns].reset_index(drop=True))}
            for year, group in yearly.groupby("year", sort=True)]


def format_years(by_year: list[dict], metrics: Iterable[str] = KEY_METRICS) -> str:
    """Key metrics (rows) year by year (columns), each mean with its interval; a short
    last year shows its length, and the methods of the intervals head the table."""
    metrics = list(metrics)
    full = max(year["days"] for year in by_year)
    heads = [f"year {y['year']}" + (f" ({y['days']} d)" if y["days"] < full else "")
             for y in by_year]
    cells = [[_band(year["metrics"][m], m) for year in by_year] for m in metrics]
    width = max(len(text) for text in [*heads, *(c for row in cells for c in row)])
    methods = methods_text(year["metrics"][m]["method"] for year in by_year for m in metrics)
    lines = [f"by year of the measured period (intervals: {methods})",
             f"{'metric':<32}" + "".join(f" {h:>{width}}" for h in heads)]
    lines += [f"{m:<32}" + "".join(f" {c:>{width}}" for c in row)
              for m, row in zip(metrics, cells, strict=True)]
    return "\n".join(lines)


# Columns of a runs table that describe a run rather than measure it.
NOT_METRICS = ("scenario", "point", "world", "rep", "seed", "status", "error", "seconds")


def paired_differences(metrics: pd.DataFrame, names: list[str]) -> list[dict]:
    """Each scenario's summary and its replicate-by-replicate difference from the first.

    ``metrics`` has one row per (scenario, rep) with a column per metric.
    Differences can be negative, so their intervals are unbounded.
    """
    columns = [c for c in metrics.columns if c not in NOT_METRICS]
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


def format_comparison(results: list[dict], descriptions: dict[str, str] | None = None) -> str:
    """Per metric: each scenario's mean [interval] and its paired difference from the first.

    The metric's heading names the methods of its intervals and of its differences.
    """
    descriptions = _meanings() if descriptions is None else descriptions
    base = results[0]["name"]
    lines = []
    for metric in results[0]["metrics"]:
        means = methods_text(r["metrics"][metric]["method"] for r in results)
        diffs = methods_text(r["diff_vs_first"][metric]["method"] for r in results[1:])
        methods = f"intervals: {means}" + (f"; differences: {diffs}" if diffs else "")
        lines.append(f"{metric}  ({descriptions.get(metric, '')})  [{methods}]")
        for result in results:
            mean = _band(result["metrics"][metric], metric)
            diff = "" if result["name"] == base else \
                f"   diff vs {base}: {_band(result['diff_vs_first'][metric], metric, True)}"
            lines.append(f"  {result['name']:<24} {mean:<34}{diff}")
    return "\n".join(lines)


def _band(summary: dict, metric: str, sign: bool = False) -> str:
    """A summary's 'mean [low, high]' as the terminal shows it: written as charts and briefs
    write numbers (analysis.numbers), shares in percent and their differences in points."""
    share = is_share(metric)
    return numbers.band(summary["mean"], summary["ci_low"], summary["ci_high"], share=share,
                        sign=sign, unit=" pp" if share and sign else "")
