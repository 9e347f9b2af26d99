"""Experimental designs: which scenario values a sweep visits, and the seed and key of each run.

``--vary KEY=V1,V2,...`` lists values (any type, categorical included);
``--vary KEY=LO:HI:STEP`` is an inclusive numeric range. A full grid crosses
every list; a Latin hypercube draws ``n`` points, stratified on every key.
Each run is named by a hash of its fully resolved parameters, seed, replicate
and the model version: the key that resume and de-duplication rely on.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import tomllib
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
from scipy.stats import qmc

from sim.errors import UserError
from sim.parameters import BY_KEY
from sim.scenario import PATH_KEYS, Scenario, param_for, require_finite, validate_value

SAMPLES = ("grid", "lhs")


@dataclass(frozen=True)
class Vary:
    """One varied key: explicit values, or a numeric range [low, high] with an optional step."""

    key: str
    values: tuple[Any, ...] = ()
    low: float | None = None
    high: float | None = None
    step: float | None = None

    @property
    def is_range(self) -> bool:
        return self.low is not None

    def _bounds(self) -> tuple[float, float]:
        """A range's low and high (a range always has both)."""
        assert self.low is not None and self.high is not None
        return self.low, self.high

    def grid_values(self) -> tuple[Any, ...]:
        if not self.is_range:
            return self.values
        low, high = self._bounds()
        if self.step is None:
            raise UserError(f"--vary {self.key}={low:g}:{high:g}: a grid range needs "
                            "a step, LO:HI:STEP (or use --sample lhs)")
        count = math.floor((high - low) / self.step + 1e-9) + 1
        return tuple(self.typed(low + i * self.step) for i in range(count))

    def from_unit(self, u: float) -> Any:
        """The value at quantile ``u`` in [0, 1): a range point or a listed value."""
        if not self.is_range:
            return self.values[min(int(u * len(self.values)), len(self.values) - 1)]
        low, high = self._bounds()
        value = low + u * (high - low)
        if self.step is not None:
            value = low + round((value - low) / self.step) * self.step
        return self.typed(min(value, high))

    def typed(self, value: float) -> Any:
        """``value`` as the key's type: integers rounded, floats cleaned of binary noise."""
        param = BY_KEY[self.key]
        return round(value) if param.kind is int else round(value, 12)


def parse_vary(text: str, option: str = "--vary") -> Vary:
    """Parse ``KEY=V1,V2,...`` or ``KEY=LO:HI[:STEP]``; every value is checked against the key.
    ``option`` names the command-line option in messages (``--prior`` reads ranges too)."""
    where = f"{option} {text}"
    if "=" not in text:
        raise UserError(f"{where}: expected KEY=V1,V2,... or KEY=LO:HI:STEP")
    key, spec = (part.strip() for part in text.split("=", 1))
    param = param_for(key, where)
    if not spec:
        raise UserError(f"{where}: no values given")
    if ":" in spec and param.kind in (int, float):
        return _parse_range(key, spec, where)
    values = tuple(validate_value(param, _literal(item, param.kind), where)
                   for item in spec.split(","))
    if len(set(map(repr, values))) < len(values):
        raise UserError(f"{where}: a value is listed twice")
    return Vary(key, values=values)


def _parse_range(key: str, spec: str, where: str) -> Vary:
    parts = spec.split(":")
    if len(parts) not in (2, 3):
        raise UserError(f"{where}: a range is LO:HI or LO:HI:STEP")
    try:
        low, high, *step = (float(p) for p in parts)
    except ValueError:
        raise UserError(f"{where}: range bounds must be numbers") from None
    for number in (low, high, *step):
        require_finite(number, where, f"finite bounds and step; '{key}' takes "
                                      f"{BY_KEY[key].allowed()}")
    if high <= low:
        raise UserError(f"{where}: empty or reversed range ({low:g} to {high:g}); "
                        "LO must be below HI")
    if step and step[0] <= 0:
        raise UserError(f"{where}: the step must be positive, got {step[0]:g}")
    param = BY_KEY[key]
    for bound in (low, high):
        validate_value(param, int(bound) if param.kind is int and bound.is_integer() else bound,
                       where)
    return Vary(key, low=low, high=high, step=step[0] if step else None)


def _literal(item: str, kind: type) -> Any:
    item = item.strip()
    try:
        return tomllib.loads(f"v = {item}")["v"]
    except tomllib.TOMLDecodeError:
        return item   # a bare word: validate_value accepts it only for string keys


def design_points(varies: list[Vary], sample: str, n: int | None,
                  seed: int) -> list[dict[str, Any]]:
    """The sweep's design: one dict of {dotted key: value} per point."""
    keys = [v.key for v in varies]
    if len(set(keys)) < len(keys):
        raise UserError("--vary: the same key is varied twice")
    if sample == "grid":
        if n is not None:
            raise UserError("--n is only for --sample lhs (a grid's size follows from --vary)")
        combos = itertools.product(*(v.grid_values() for v in varies))
        return [dict(zip(keys, combo, strict=True)) for combo in combos]
    if n is None or n < 1:
        raise UserError("--sample lhs needs --n N, the number of design points (N >= 1)")
    points = latin_hypercube(varies, n, seed)
    unique = {_canonical(p): p for p in reversed(points)}   # rounding can repeat a point
    return [p for p in points if unique.get(_canonical(p)) is p]


def latin_hypercube(varies: list[Vary], n: int, seed: int, stream: int = 1
                    ) -> list[dict[str, Any]]:
    """``n`` points of a Latin hypercube over ``varies``, each a {key: value} dict, drawn
    from ``seed``'s ``stream`` (sweeps draw stream 1; other users take their own, so their
    draws do not repeat a sweep's). Rounding may repeat a point; callers decide."""
    sampler = qmc.LatinHypercube(d=len(varies), rng=np.random.default_rng(
        np.random.SeedSequence(seed, spawn_key=(stream,))))
    return [{v.key: v.from_unit(u) for v, u in zip(varies, row, strict=True)}
            for row in sampler.random(n)]


def point_seed(master: int, point: dict[str, Any], common: bool) -> int:
    """The seed of a design point: the master seed itself under common random numbers,
    else one derived from the master seed and the point's values via SeedSequence."""
    if common:
        return master
    digest = hashlib.sha256(_canonical(point).encode()).digest()
    entropy = int.from_bytes(digest[:8], "little")
    state = np.random.SeedSequence(master, spawn_key=(entropy,)).generate_state(2, np.uint32)
    return int(state.view(np.uint64)[0] >> np.uint64(1))


def run_key(scenario: Scenario, seed: int, replicate: int) -> str:
    """Hash of a run's fully resolved parameters, seed, replicate and model version."""
    values = dict(scenario.values)
    for key in PATH_KEYS:        # the files' contents, not their names, make the run
        if values.get(key):
            values[key] = file_digest(Path(values[key]))
    payload = {"values": values, "seed": seed, "replicate": replicate,
               "version": model_version()}
    return hashlib.sha256(_canonical(payload).encode()).hexdigest()[:20]


def file_digest(path: Path) -> str:
    try:
        return "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return f"missing:{path}"


def model_version() -> str:
    try:
        return metadata.version("commsim")
    except metadata.PackageNotFoundError:
        return "unknown"


def _canonical(data: Any) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), default=str)
