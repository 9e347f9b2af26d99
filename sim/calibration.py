"""Fitting free parameters to target metrics, over common-random-number replicates.

Every evaluation runs the same replicate seeds, so the objective changes only
through the parameters (not through fresh noise) and a derivative-free
optimiser (bounded Brent in one dimension, bounded Nelder-Mead in more) can
settle. The loss is the sum of squared relative misses over the targets.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy import optimize

from sim.errors import UserError
from sim.executors import map_unordered, open_executor, window
from sim.metrics import METRICS
from sim.output import write_text
from sim.parameters import BY_KEY
from sim.runner import RunSpec, execute
from sim.scenario import Scenario, extends_reference, param_for, validate_value


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


def parse_target(text: str) -> Target:
    where = f"--target {text}"
    metric, _, value = text.partition("=")
    metric = metric.strip()
    if metric not in METRICS:
        raise UserError(f"{where}: unknown metric '{metric}'; one of {', '.join(METRICS)}")
    try:
        return Target(metric, float(value))
    except ValueError:
        raise UserError(f"{where}: the target must be a number, got '{value}'") from None


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
    return Calibration(best, achieved, loss, len(cache))


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


def _replicates(executor, scenario: Scenario, reps: int, seed: int,
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
                     targets: list[Target]) -> None:
    """A scenario file that extends the calibrated one and sets its overrides and the fit."""
    relative = extends_reference(scenario.path, path.resolve().parent)
    overrides = {key: scenario[key] for key in (o.split("=", 1)[0].strip()
                                                 for o in scenario.overrides)}
    lines = [
        "# Calibrated by `commsim calibrate` to: "
        + ", ".join(f"{t.metric} = {t.value:g}" for t in targets),
        f"# loss {fit.loss:.3g} after {fit.evaluations} evaluations",
        f"extends = {toml_string(relative)}",
        f"name = {toml_string(scenario.name + '_calibrated')}",
        *(f"{key} = {toml_value(value)}" for key, value in overrides.items()
          if key not in fit.free),
        *(f"{key} = {toml_value(value)}" for key, value in fit.free.items()),
    ]
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
    return toml_string(str(value))
