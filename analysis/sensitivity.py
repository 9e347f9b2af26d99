"""Global sensitivity analysis with SALib: Morris screening and Sobol indices.

The design comes from SALib's samplers; the runs go through the sweep engine
(parallel, on Dask, resumable); replicates are averaged per design point
before SALib analyses them, so the indices describe the parameters, not the
replicate noise. The chart speaks every language the charts do: its words come
from analysis.labels, its panels' names from the metric registry.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
import pandas as pd

from analysis import labels as lb
from sim.design import Vary
from sim.errors import UserError
from sim.metrics import KEY_METRICS

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from sim.scenario import Scenario

METHODS = ("morris", "sobol")
MORRIS_LEVELS = 4
DEFAULT_METRICS = KEY_METRICS        # the registry's key metrics (sim.metrics)


class Columns(NamedTuple):
    """Which index columns a method's chart draws: bars with error bars, and markers."""

    main: str
    error: str
    second: str


# Bars: the index that ranks parameters; markers: its companion. Symbols read in any language.
COLUMNS = {"morris": Columns("mu_star", "mu_star_conf", "sigma"),
           "sobol": Columns("ST", "ST_conf", "S1")}
SYMBOLS = {"mu_star": "μ*", "sigma": "σ", "ST": "ST", "S1": "S1"}


def problem_for(varies: list[Vary]) -> dict[str, Any]:
    """SALib's problem dictionary for ranges given as --param KEY=LO:HI."""
    ranged = [v for v in varies if v.is_range]
    if len(ranged) < len(varies) or not varies:
        raise UserError("--param needs numeric ranges KEY=LO:HI (at least one)")
    return {"num_vars": len(varies), "names": [v.key for v in varies],
            "bounds": [[v.low, v.high] for v in varies]}


def sample(method: str, problem: dict[str, Any], n: int, seed: int) -> np.ndarray:
    """The design matrix: one row per model evaluation SALib asks for."""
    if n < 2:
        raise UserError(f"--n {n}: sensitivity analysis needs --n of at least 2")
    if method == "morris":
        from SALib.sample import morris
        return morris.sample(problem, n, num_levels=MORRIS_LEVELS, seed=seed)
    from SALib.sample import sobol
    if n & (n - 1):
        raise UserError(f"--n {n}: Sobol sampling needs a power of two (e.g. 8, 16, 32)")
    return sobol.sample(problem, n, calc_second_order=False, seed=seed)


def settings(method: str, n: int, seed: int) -> dict[str, Any]:
    """Sampler settings stored with the results, enough to redraw the same design."""
    base = {"method": method, "n": n, "seed": seed}
    if method == "morris":
        return {**base, "num_levels": MORRIS_LEVELS}
    return {**base, "calc_second_order": False, "scramble": True}


def rows_to_points(matrix: np.ndarray, varies: list[Vary]) -> tuple[list[dict], np.ndarray]:
    """Unique design points (typed for their keys) and, per row, the index of its point."""
    points: list[dict] = []
    index_of: dict[tuple, int] = {}
    rows = np.empty(len(matrix), dtype=np.int64)
    for i, row in enumerate(matrix):
        point = {v.key: v.typed(x) for v, x in zip(varies, row, strict=True)}
        signature = tuple(point.values())
        rows[i] = index_of.setdefault(signature, len(points))
        if rows[i] == len(points):
            points.append(point)
    return points, rows


def analyse(method: str, problem: dict[str, Any], matrix: np.ndarray, runs: pd.DataFrame,
            rows: np.ndarray, metrics: list[str], seed: int) -> pd.DataFrame:
    """Indices per metric and parameter, from replicate means per design point."""
    failed = runs[runs["status"] != "ok"]
    if len(failed):
        raise UserError(f"{len(failed)} run(s) failed, e.g. point {failed['point'].iloc[0]}: "
                        f"{failed['error'].iloc[0]}; sensitivity needs every design point")
    means = runs.groupby("point")[metrics].mean()
    tables = []
    for metric in metrics:
        outputs = means[metric].to_numpy()[rows]
        if method == "morris":
            from SALib.analyze import morris
            result = morris.analyze(problem, matrix, outputs, num_levels=MORRIS_LEVELS, seed=seed)
            columns: tuple[str, ...] = ("mu_star", "mu_star_conf", "sigma")
        else:
            from SALib.analyze import sobol
            result = sobol.analyze(problem, outputs, calc_second_order=False, seed=seed)
            columns = ("S1", "S1_conf", "ST", "ST_conf")
        tables.append(pd.DataFrame({"metric": metric, "parameter": problem["names"],
                                    **{c: np.asarray(result[c], dtype=float) for c in columns}}))
    return pd.concat(tables, ignore_index=True)


def source_line(scenario: Scenario, method: str, n: int, points: int, reps: int, seed: int,
                lang: str) -> str:
    """Where the chart's indices come from, for its foot."""
    name = lb.scenario_label(scenario.name, lang, scenario.nested())
    return lb.text("source.sensitivity", lang, scenario=name,
                   method=lb.text(f"sensitivity.{method}", lang), n=n, points=points, reps=reps,
                   seed=seed)


def chart(indices: pd.DataFrame, method: str, source: str, lang: str = "en") -> Figure:
    """One panel per metric: the parameters ranked by their influence, in the house style."""
    from analysis.style import STANDARD, house_style, look, new_figure, plain_ticks, wrap

    metrics = list(dict.fromkeys(indices["metric"]))
    columns, rows = min(len(metrics), 3), -(-len(metrics) // 3)
    main, error, second = COLUMNS[method]
    bar, dot = look(1), look(2)
    name = lb.text(f"sensitivity.{method}", lang)
    with house_style():
        figure = new_figure(lb.text("sensitivity.title", lang, method=name),
                            lb.text(f"sensitivity.{method}.subtitle", lang), source)
        axes = figure.subplots(rows, columns, squeeze=False).ravel()
        room = STANDARD.width / columns - 0.8            # inches a panel title may take
        for axis, metric in zip(axes, metrics, strict=False):
            table = indices[indices["metric"] == metric].sort_values(main)
            y = np.arange(len(table))
            axis.barh(y, table[main], xerr=table[error], color=bar.colour, hatch="//",
                      ecolor="#555555", edgecolor="white", label=SYMBOLS[main])
            axis.plot(table[second], y, dot.marker, color=dot.colour, label=SYMBOLS[second])
            axis.set_yticks(y, [lb.key_name(key, lang) for key in table["parameter"]],
                            fontsize=7)
            axis.set_title("\n".join(wrap(lb.metric_name(metric, lang), room, 9)), fontsize=9)
            axis.set_xlabel(lb.text(f"sensitivity.{method}.axis", lang), fontsize=8)
            plain_ticks(axis.xaxis)
        axes[0].legend(fontsize=7, loc="lower right")
        for axis in axes[len(metrics):]:
            axis.set_visible(False)
    return figure


def draw(indices: pd.DataFrame, method: str, path: Path, source: str, lang: str = "en") -> None:
    """The chart of ``indices`` written to ``path`` (its format from the suffix)."""
    from analysis.style import save

    save(chart(indices, method, source, lang), path)
