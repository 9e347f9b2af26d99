"""Fitting free parameters to target metrics, over common-random-number replicates.

Every evaluation runs the same replicate seeds, so the objective changes only
through the parameters (not through fresh noise) and a derivative-free
optimiser (bounded Brent in one dimension, bounded Nelder-Mead in more) can
settle. The loss is the sum of squared relative misses over the targets.

A fit is only as good as the free ranges allow: the best point of a box that
cannot reach a target is still a point. So every evaluation's metric means are
kept, and a target whose replicate interval at the fit stays further from it
than the tolerance is reported as missed, with the range the search reached.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Target:
    metric: str
    value: float


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


@dataclass(frozen=True)
class Miss:
    """A target the fit did not come within tolerance of."""

    metric: str
    target: float
    mean: float
    low: float                             # the achieved interval (the mean if none)
    high: float
    reached: tuple[float, float]

    def record(self) -> dict[str, Any]:
        return {"metric": self.metric, "target": self.target, "mean": self.mean,
                "ci_low": self.low, "ci_high": self.high,
                "reached_low": self.reached[0], "reached_high": self.reached[1]}

    def describe(self) -> str:
        band = f" [{self.low:.4g}, {self.high:.4g}]" if self.low != self.high else ""
        return (f"{self.metric}: target {self.target:g}, achieved {self.mean:.4g}{band}; the "
                f"search reached {self.reached[0]:.4g} to {self.reached[1]:.4g} over the "
                "--free ranges")


def missed_targets(targets: list[Target], achieved: dict[str, dict], fit: Calibration,
                   tolerance: float) -> list[Miss]:
    """The targets whose achieved interval (``achieved[metric]``: mean, ci_low, ci_high;
    the mean alone where an interval is None) misses by more than tolerance x |target|."""
    misses = []
    for target in targets:
        summary = achieved[target.metric]
        low, high = (summary["mean"] if summary.get(bound) is None else summary[bound]
                     for bound in ("ci_low", "ci_high"))
        gap = max(low - target.value, target.value - high, 0.0)
        if gap > tolerance * abs(target.value):
            misses.append(Miss(target.metric, target.value, summary["mean"], low, high,
                               fit.reached[target.metric]))
    return misses


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


def calibrate(scenario: Scenario, targets: list[Target], frees: list[Free], *, reps: int = 3,
              seed: int = 0, workers: int | None = None, scheduler: str | None = None,
              max_evaluations: int = 60,
              report: Callable[[dict, float], Any] | None = None) -> Calibration:
    """Search the free parameters' box for the values that best hit the targets."""
    if not targets or not frees:
        raise UserError("calibrate needs at least one --target METRIC=VALUE and one "
                        "--free KEY=LO:HI")
    cache: dict[tuple, tuple[float, dict[str, list[float]]]] = {}
    with open_executor(workers, scheduler) as executor:
        def evaluate(units: np.ndarray) -> float:
            values = {f.key: f.value(u) for f, u in zip(frees, units, strict=True)}
            signature = tuple(sorted(values.items()))
            if signature not in cache:
                achieved = _replicates(executor, scenario.updated(values, "--free"), reps,
                                       seed, workers)
                cache[signature] = (_loss(achieved, targets), achieved)
                if report:
                    report(values, cache[signature][0])
            return cache[signature][0]

        units = _search(evaluate, len(frees), max_evaluations)
    best = {f.key: f.value(u) for f, u in zip(frees, units, strict=True)}
    loss, achieved = cache[tuple(sorted(best.items()))]
    return Calibration(best, achieved, loss, len(cache),
                       _reached([values for _, values in cache.values()]))


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


def _replicates(executor: Executor, scenario: Scenario, reps: int, seed: int,
                workers: int | None) -> dict[str, list[float]]:
    specs = [RunSpec(scenario, seed, rep) for rep in range(reps)]
    records = sorted(map_unordered(executor, execute, specs, window(workers)),
                     key=lambda pair: pair[0].replicate)
    failed = [r for _, r in records if r["status"] != "ok"]
    if failed:
        raise UserError(f"a calibration run failed: {failed[0]['error']}")
    return {m: [float(r[m]) for _, r in records] for m in METRICS}


def _loss(achieved: dict[str, list[float]], targets: list[Target]) -> float:
    return float(sum(((np.mean(achieved[t.metric]) - t.value) / max(abs(t.value), 1e-9)) ** 2
                     for t in targets))


def write_calibrated(path: Path, scenario: Scenario, fit: Calibration,
                     targets: list[Target], misses: Sequence[Miss] = ()) -> None:
    """A scenario file that extends the calibrated one and sets its overrides and the fit;
    a fit that missed says so in its header, so the file cannot pass for a good one."""
    assert scenario.path is not None  # a calibrated scenario was loaded from a file
    relative = extends_reference(scenario.path, path.resolve().parent)
    overrides = {key: scenario[key] for key in scenario.override_keys}
    lines = [
        "# Calibrated by `commsim calibrate` to: "
        + ", ".join(f"{t.metric} = {t.value:g}" for t in targets),
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
