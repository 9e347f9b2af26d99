"""Fitting free parameters to target metrics, over common-random-number replicates.

Every evaluation runs the same replicate seeds, so the objective changes only
through the parameters (not through fresh noise) and a derivative-free
optimiser (bounded Brent in one dimension, bounded Nelder-Mead in more) can
settle.

Targets are rows: a metric of a group of communities (the city, a district, a
relay, a governance model, one community) and its observed value, with or
without a standard error (``sim.targets``). A ``--target`` is a city row. Each
evaluation runs the replicates once; the workers return the metrics of every
group a row names. The loss is in units of a squared relative miss: a row
without an se adds ((sim - obs) / obs)^2, as when every target was city-wide; a
row with an se adds (d x (sim - obs) / se)^2, where d is the relative standard
error assumed for a bare value (``DEFAULT_RELATIVE_SE``, 0.05). Both are then
d^2 x z^2 with z the standardized residual (a bare value's se taken as d x |obs|),
so the rows weigh as their errors say and a fit to bare values alone is unchanged.

A fit is only as good as the free ranges allow: the best point of a box that
cannot reach a target is still a point. So every evaluation's metric means are
kept, and a target whose replicate interval at the fit stays further from it
than the tolerance is reported as missed, with the range the search reached.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from scipy import optimize

from sim.errors import UserError
from sim.executors import map_unordered, open_executor, window
from sim.metrics import METRICS
from sim.output import output_errors, write_text
from sim.parameters import BY_KEY
from sim.runner import RunSpec, execute
from sim.scenario import Scenario, extends_reference, param_for, require_finite, validate_value
from sim.targets import DEFAULT_RELATIVE_SE, Observed, check_groups, check_unique


@dataclass(frozen=True)
class Target:
    metric: str
    value: float

    @property
    def label(self) -> str:
        return self.metric

    def observed(self) -> Observed:
        """The target as a city-wide observed value without a standard error."""
        return Observed(self.metric, "city", "city", self.value)


@dataclass(frozen=True)
class Free:
    key: str
    low: float
    high: float

    def value(self, unit: float) -> float | int:
        """The parameter at position ``unit`` in [0, 1] of its range."""
        value = self.low + min(max(float(unit), 0.0), 1.0) * (self.high - self.low)
        return round(value) if BY_KEY[self.key].kind is int else value


@dataclass
class Calibration:
    """The fitted values, what they achieve, and the search that found them."""

    free: dict[str, float]
    achieved: dict[str, list[float]]       # metric -> per-replicate values at the fit
    loss: float
    evaluations: int
    reached: dict[str, tuple[float, float]]   # metric -> lowest and highest mean evaluated
    rows: list[Observed] = field(default_factory=list)           # every target, as rows
    row_values: list[list[float]] = field(default_factory=list)  # per row: replicates at the fit
    row_reached: list[tuple[float, float]] = field(default_factory=list)  # per row, as reached


@dataclass(frozen=True)
class Miss:
    """A target the fit did not come within tolerance of."""

    metric: str
    target: float
    mean: float
    low: float                             # the achieved interval (the mean if none)
    high: float
    reached: tuple[float, float]
    level: str = "city"
    id: str = "city"
    se: float | None = None

    def record(self) -> dict[str, Any]:
        return {"metric": self.metric, "level": self.level, "id": self.id,
                "target": self.target, "se": self.se, "mean": self.mean,
                "ci_low": self.low, "ci_high": self.high,
                "reached_low": self.reached[0], "reached_high": self.reached[1]}

    def describe(self) -> str:
        band = f" [{self.low:.4g}, {self.high:.4g}]" if self.low != self.high else ""
        where = "" if self.level == "city" else f" ({self.level} {self.id})"
        se = "" if self.se is None else f" (se {self.se:g})"
        return (f"{self.metric}{where}: target {self.target:g}{se}, achieved "
                f"{self.mean:.4g}{band}; the "
                f"search reached {self.reached[0]:.4g} to {self.reached[1]:.4g} over the "
                "--free ranges")


def missed_targets(targets: list[Target], achieved: dict[str, dict], fit: Calibration,
                   tolerance: float) -> list[Miss]:
    """The targets whose achieved interval (``achieved[metric]``: mean, ci_low, ci_high;
    the mean alone where an interval is None) misses by more than tolerance x |target|."""
    misses = []
    for target in targets:
        summary = achieved[target.metric]
        low, high = _band(summary)
        if _gap(low, high, target.value) > tolerance * abs(target.value):
            misses.append(Miss(target.metric, target.value, summary["mean"], low, high,
                               fit.reached[target.metric]))
    return misses


def missed_rows(fit: Calibration, summaries: Sequence[dict], tolerance: float) -> list[Miss]:
    """The rows of the fit whose achieved interval (``summaries``, one per row, as
    ``missed_targets`` reads them) stays further from the observed value than the row
    allows: tolerance x |value| for a bare value, SE_MISS standard errors with an se."""
    misses = []
    for row, summary, reached in zip(fit.rows, summaries, fit.row_reached, strict=True):
        low, high = _band(summary)
        if _gap(low, high, row.value) > row.allowed_gap(tolerance):
            misses.append(Miss(row.metric, row.value, summary["mean"], low, high, reached,
                               row.level, row.id, row.se))
    return misses


def _band(summary: dict) -> tuple[float, float]:
    """The achieved interval, or the mean where a replicate gives none."""
    low, high = (summary["mean"] if summary.get(bound) is None else summary[bound]
                 for bound in ("ci_low", "ci_high"))
    return low, high


def _gap(low: float, high: float, value: float) -> float:
    return max(low - value, value - high, 0.0)


def parse_target(text: str) -> Target:
    where = f"--target {text}"
    metric, _, value = text.partition("=")
    metric = metric.strip()
    if metric not in METRICS:
        raise UserError(f"{where}: unknown metric '{metric}'; one of {', '.join(METRICS)}")
    try:
        number = float(value)
    except ValueError:
        raise UserError(f"{where}: the target must be a number, got '{value}'") from None
    return Target(metric, require_finite(number, where))


def parse_free(text: str) -> Free:
    where = f"--free {text}"
    key, _, bounds = text.partition("=")
    param = param_for(key.strip(), where)
    if param.kind not in (int, float):
        raise UserError(f"{where}: only numeric keys can be fitted; '{param.key}' is "
                        f"{param.allowed()}")
    try:
        low, high = (float(b) for b in bounds.split(":"))
    except ValueError:
        raise UserError(f"{where}: expected KEY=LO:HI with numbers") from None
    for bound in (low, high):
        require_finite(bound, where, param.allowed())
    if high <= low:
        raise UserError(f"{where}: empty or reversed range ({low:g} to {high:g})")
    for bound in (low, high):
        validate_value(param, round(bound) if param.kind is int else bound, where)
    return Free(param.key, low, high)


def calibrate(scenario: Scenario, targets: Sequence[Target], frees: list[Free], *,
              observed: Sequence[Observed] = (), reps: int = 3, seed: int = 0,
              workers: int | None = None, scheduler: str | None = None,
              max_evaluations: int = 60, default_relative_se: float = DEFAULT_RELATIVE_SE,
              report: Callable[[dict, float], Any] | None = None,
              where: str = "--targets-file") -> Calibration:
    """Search the free parameters' box for the values that best hit the targets and the
    ``observed`` rows (``where`` names their file in messages) all at once."""
    rows = [t.observed() for t in targets] + list(observed)
    if not rows or not frees:
        raise UserError("calibrate needs at least one --target METRIC=VALUE or --targets-file "
                        "row, and one --free KEY=LO:HI")
    check_unique(rows, where)
    check_groups(rows, scenario, seed, where)
    wanted = tuple(dict.fromkeys(r.group for r in rows if r.level != "city"))
    cache: dict[tuple, tuple[float, dict[str, list[float]], list[list[float]]]] = {}
    with open_executor(workers, scheduler) as executor:
        def evaluate(units: np.ndarray) -> float:
            values = {f.key: f.value(u) for f, u in zip(frees, units, strict=True)}
            signature = tuple(sorted(values.items()))
            if signature not in cache:
                city, by_group = _replicates(executor, scenario.updated(values, "--free"),
                                             reps, seed, workers, wanted)
                per_row = _row_values(rows, city, by_group)
                cache[signature] = (_loss(rows, per_row, default_relative_se), city, per_row)
                if report:
                    report(values, cache[signature][0])
            return cache[signature][0]

        units = _search(evaluate, len(frees), max_evaluations)
    best = {f.key: f.value(u) for f, u in zip(frees, units, strict=True)}
    loss, achieved, per_row = cache[tuple(sorted(best.items()))]
    return Calibration(best, achieved, loss, len(cache),
                       _reached([city for _, city, _ in cache.values()]), rows, per_row,
                       _row_reached([values for *_, values in cache.values()]))


def _reached(evaluations: list[dict[str, list[float]]]) -> dict[str, tuple[float, float]]:
    """Each metric's lowest and highest replicate mean over every evaluation."""
    means = [{m: float(np.mean(values)) for m, values in e.items()} for e in evaluations]
    return {m: (min(e[m] for e in means), max(e[m] for e in means)) for m in METRICS}


def _search(evaluate: Callable[[np.ndarray], float], dimensions: int,
            max_evaluations: int) -> np.ndarray:
    """Minimise over the unit box: Brent in one dimension, Nelder-Mead in more."""
    if dimensions == 1:
        found = optimize.minimize_scalar(lambda u: evaluate(np.array([u])), bounds=(0, 1),
                                         method="bounded",
                                         options={"xatol": 1e-3, "maxiter": max_evaluations})
        return np.array([found.x])
    found = optimize.minimize(evaluate, np.full(dimensions, 0.5), method="Nelder-Mead",
                              bounds=[(0, 1)] * dimensions,
                              options={"xatol": 1e-3, "fatol": 1e-7,
                                       "maxfev": max_evaluations, "initial_simplex":
                                       _initial_simplex(dimensions)})
    return found.x


def _initial_simplex(dimensions: int) -> np.ndarray:
    """A simplex spanning a quarter of each range around the centre."""
    simplex = np.full((dimensions + 1, dimensions), 0.5)
    for i in range(dimensions):
        simplex[i + 1, i] = 0.75
    return simplex


def _row_reached(evaluations: list[list[list[float]]]) -> list[tuple[float, float]]:
    """Each row's lowest and highest replicate mean over every evaluation."""
    means = np.array([[np.mean(values) for values in e] for e in evaluations])
    return [(float(low), float(high)) for low, high in zip(means.min(0), means.max(0),
                                                           strict=True)]


Groups = dict[tuple[str, str], dict[str, list[float]]]


def _replicates(executor: Executor, scenario: Scenario, reps: int, seed: int,
                workers: int | None, wanted: tuple[tuple[str, str], ...] = (),
                ) -> tuple[dict[str, list[float]], Groups]:
    """Per-replicate city metrics and, for each ``wanted`` (level, id), the group's."""
    specs = [RunSpec(scenario, seed, rep, groups=wanted) for rep in range(reps)]
    records = [r for _, r in sorted(map_unordered(executor, execute, specs, window(workers)),
                                    key=lambda pair: pair[0].replicate)]
    failed = [r for r in records if r["status"] != "ok"]
    if failed:
        raise UserError(f"a calibration run failed: {failed[0]['error']}")
    city = {m: [float(r[m]) for r in records] for m in METRICS}
    by_group: Groups = {group: {m: [] for m in METRICS} for group in wanted}
    for record in records:
        for found in record.get("groups", []):
            for m, value in found["metrics"].items():
                by_group[found["level"], found["id"]][m].append(float(value))
    return city, by_group


def _row_values(rows: Sequence[Observed], city: dict[str, list[float]],
                by_group: Groups) -> list[list[float]]:
    """Each row's per-replicate values: its metric over its group."""
    return [city[r.metric] if r.level == "city" else by_group[r.group][r.metric] for r in rows]


def _loss(rows: Sequence[Observed], values: Sequence[list[float]],
          relative_se: float) -> float:
    """Squared relative misses for bare values, (relative_se x z)^2 for values with an se:
    one scale, the one a fit to bare values alone always had (module docstring)."""
    total = 0.0
    for row, replicates in zip(rows, values, strict=True):
        miss = float(np.mean(replicates)) - row.value
        total += ((miss / max(abs(row.value), 1e-9)) ** 2 if row.se is None
                  else (relative_se * miss / row.se) ** 2)
    return total


def write_calibrated(path: Path, scenario: Scenario, fit: Calibration,
                     targets: Sequence[Target | Observed], misses: Sequence[Miss] = ()) -> None:
    """A scenario file that extends the calibrated one and sets its overrides and the fit;
    a fit that missed says so in its header, so the file cannot pass for a good one."""
    assert scenario.path is not None  # a calibrated scenario was loaded from a file
    relative = extends_reference(scenario.path, path.resolve().parent)
    overrides = {key: scenario[key] for key in scenario.override_keys}
    lines = [
        "# Calibrated by `commsim calibrate` to: " + _targets_text(targets),
        f"# loss {fit.loss:.3g} after {fit.evaluations} evaluations",
        *(f"# MISSED {miss.describe()}" for miss in misses),
        f"extends = {toml_string(relative)}",
        f"name = {toml_string(scenario.name + '_calibrated')}",
        *(f"{key} = {toml_value(value)}" for key, value in overrides.items()
          if key not in fit.free),
        *(f"{key} = {toml_value(value)}" for key, value in fit.free.items()),
    ]
    fitted = ", ".join(f"{key} = {toml_value(value)}" for key, value in fit.free.items())
    with output_errors(path, hint=f"the fit was {fitted}; choose another --out (or free "
                                  "space) and run again, or use the values with --set"):
        write_text(path, "\n".join(lines) + "\n")


HEADER_TARGETS = 6     # targets named in a calibrated file's header before "and N more"


def _targets_text(targets: Sequence[Target | Observed]) -> str:
    """The targets for a one-line header: a long observed file is summarised, not copied."""
    named = ", ".join(f"{t.label} = {t.value:g}" for t in targets[:HEADER_TARGETS])
    more = len(targets) - HEADER_TARGETS
    return named + (f" and {more} more (see the _targets.csv report)" if more > 0 else "")


def toml_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def toml_value(value: Any) -> str:
    """A scenario value as a TOML literal."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(round(value, 6)) if math.isfinite(value) else "nan"
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{toml_string(str(k))} = {toml_value(v)}"
                                for k, v in value.items()) + " }"
    return toml_string(str(value))
