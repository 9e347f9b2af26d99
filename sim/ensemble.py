"""Plausible worlds: the settings of the unidentified assumptions that reproduce the patterns.

Many keys are assumptions with only a plausible range (``Param.plausible``), and the
calibration bands (``sim.bands``) do not pin them down. Rather than one fitted city,
an ensemble keeps every drawn world the bands cannot rule out (rejection ABC, or history
matching with the bands as the implausibility cut-off):

1. draw ``n`` worlds by Latin hypercube over the priors (ranges of numeric keys), each with
   its own seed, and run each ``reps`` times through the sweep engine (``sim.sweep``: one
   resumable sweep folder per round, local workers or Dask);
2. keep a world when the replicate mean of every target metric lies in its band;
3. with ``rounds`` above 1 and fewer than ``min_kept`` worlds kept so far, narrow each prior to
   the range the kept worlds span, padded by ``PAD`` of the first prior's width on either side
   and clipped to it (with none kept yet: the range of the ``NEAREST`` share of worlds nearest
   to the bands), and draw again.

The kept set is what the bands leave standing, not a posterior: after a narrowed round its
frequencies over-represent the narrowed region.
"""

from __future__ import annotations

import json
import math
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.bands import METRIC_BANDS
from sim.design import Vary, model_version, parse_vary
from sim.errors import UserError
from sim.metrics import METRICS
from sim.output import manifest, output_errors, replacing, write_json, write_text
from sim.param import Param
from sim.parameters import PARAMETERS
from sim.reforms import REFORMS
from sim.results_folder import MANIFEST
from sim.scenario import Scenario, param_for
from sim.sweep import Progress, SweepPlan, plan_sweep, run_sweep

PROVENANCE, WORLDS, WORLDS_CSV = "ensemble.json", "worlds.parquet", "worlds.csv"
DEFAULT_N, DEFAULT_MIN_KEPT = 200, 20
PAD = 0.1          # a narrowed prior reaches this share of the first prior's width past its worlds
NEAREST = 0.1      # with none kept, narrow to the worlds this share nearest to the bands (>= 2)
ENFORCEMENT = "reforms.enforcement."    # how any reform is enforced: counts once one is on
# What must match to resume: the draws and the judging. More --rounds or another --min-kept
# may be asked for on resume: the rounds already run stay as they were.
CHECKED = ("scenario", "priors", "targets", "n", "reps", "seed")


@dataclass(frozen=True)
class Target:
    """A band the replicate mean of one metric must fall in for a world to be kept."""

    metric: str
    low: float
    high: float

    def distance(self, value: float) -> float:
        """How far ``value`` lies outside the band, in band widths (0 inside, inf if missing)."""
        if not math.isfinite(value):
            return math.inf
        return max(self.low - value, value - self.high, 0.0) / (self.high - self.low)

    def text(self) -> str:
        return f"{self.metric}={self.low:g}:{self.high:g}"


def default_targets() -> list[Target]:
    """The baseline's calibration bands measured by a plain metric (``sim.bands``)."""
    return [Target(band.metric, band.low, band.high) for band in METRIC_BANDS]


def parse_target(text: str) -> Target:
    """``METRIC=LO:HI``: a registered metric and a band, LO below HI."""
    where = f"--target {text}"
    metric, _, spec = (part.strip() for part in text.partition("="))
    if metric not in METRICS:
        raise UserError(f"{where}: unknown metric '{metric}'; one of {', '.join(METRICS)}")
    parts = spec.split(":")
    try:
        low, high = (float(p) for p in parts)
    except ValueError:
        raise UserError(f"{where}: expected METRIC=LO:HI with two numbers, got '{spec}'") from None
    if not (math.isfinite(low) and math.isfinite(high)) or high <= low:
        raise UserError(f"{where}: the band must be finite with LO below HI, got {low:g} "
                        f"to {high:g}")
    return Target(metric, low, high)


def parse_prior(text: str) -> Vary:
    """``KEY=LO:HI``: a numeric key and the range its worlds are drawn from."""
    where = f"--prior {text}"
    param = param_for(text.partition("=")[0].strip(), where)
    if param.kind not in (int, float):
        raise UserError(f"{where}: '{param.key}' is not numeric (it takes {param.allowed()}); "
                        "a prior is a range LO:HI of an integer or a number key")
    vary = parse_vary(text, option="--prior")
    if not vary.is_range or vary.step is not None:
        raise UserError(f"{where}: a prior is a numeric range KEY=LO:HI (no list, no step)")
    return vary


def counts(scenario: Scenario, param: Param) -> bool:
    """Whether the model reads ``param`` in ``scenario``: its switch may be on (``needs``,
    as for the inert-setting warnings), and enforcement keys only once a reform is."""
    if not scenario.may_count(param.key):
        return False
    if param.key.startswith(ENFORCEMENT):
        return any(scenario[f"reforms.{name}.enabled"] for name in REFORMS)
    return True


def plausible_priors(keep: Callable[[Param], bool]) -> list[Vary]:
    """Every numeric key with a plausible range that ``keep`` accepts, over that range, in
    the registry's order."""
    return [Vary(p.key, low=float(p.plausible[0]), high=float(p.plausible[1]))
            for p in PARAMETERS if p.plausible and p.kind in (int, float) and keep(p)]


def default_priors(scenario: Scenario) -> list[Vary]:
    """Every numeric key with a plausible range that counts in ``scenario``, over that range.
    The calibrated keys are among them: the bands are what should narrow them."""
    return plausible_priors(lambda p: counts(scenario, p))


@dataclass(frozen=True)
class Settings:
    """What an ensemble draws, runs and keeps; stored at the start and checked on resume."""

    scenario: Scenario
    priors: list[Vary]
    targets: list[Target]
    n: int = DEFAULT_N
    reps: int = 1
    seed: int = 0
    min_kept: int = DEFAULT_MIN_KEPT
    rounds: int = 1

    def record(self) -> dict[str, Any]:
        return {"scenario": self.scenario.nested(), "priors": [prior_text(v) for v in self.priors],
                "targets": [t.text() for t in self.targets], "n": self.n, "reps": self.reps,
                "seed": self.seed, "min_kept": self.min_kept, "rounds": self.rounds}


@dataclass
class Round:
    """One round: its priors, sweep folder and every world's replicate means."""

    index: int
    priors: list[Vary]
    seed: int
    folder: Path
    worlds: pd.DataFrame        # point, seed, prior keys, target means, distance, kept

    @property
    def acceptance(self) -> float:
        return float(self.worlds["kept"].mean()) if len(self.worlds) else 0.0


@dataclass
class Ensemble:
    """Every round of an ensemble and the worlds kept over all of them."""

    settings: Settings
    rounds: list[Round] = field(default_factory=list)

    @property
    def kept(self) -> pd.DataFrame:
        """One row per kept world, numbered ``world`` over the rounds in order."""
        frames = [r.worlds[r.worlds["kept"]].assign(round=r.index) for r in self.rounds]
        kept = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
        keys = [v.key for v in self.settings.priors]
        metrics = [t.metric for t in self.settings.targets]
        kept = kept.reindex(columns=["round", "point", "seed", *keys, *dict.fromkeys(metrics)])
        return kept.reset_index(drop=True).rename_axis("world").reset_index()

    @property
    def ok(self) -> bool:
        return len(self.kept) >= self.settings.min_kept

    def rejections(self) -> dict[str, int]:
        """How many worlds, over all rounds, each target's band ruled out."""
        worlds = pd.concat([r.worlds for r in self.rounds], ignore_index=True)
        return {t.metric: int((worlds[f"distance:{t.metric}"] > 0).sum())
                for t in self.settings.targets}

    def provenance(self) -> dict[str, Any]:
        """``ensemble.json``: the settings, seeds, each round's priors and acceptance, and
        the versions and git revision that made it."""
        return manifest(command="ensemble", **self.settings.record(),
                        commsim_version=model_version(), **self._outcome())

    def _outcome(self) -> dict[str, Any]:
        kept = self.kept
        return {"complete": True, "kept": len(kept),
                "ok": self.ok, "pad": PAD, "nearest": NEAREST,
                "rejected_by_target": self.rejections(),
                "kept_ranges": {v.key: [_number(kept[v.key].min()), _number(kept[v.key].max())]
                                for v in self.settings.priors} if len(kept) else {},
                "round_list": [{"round": r.index, "folder": r.folder.name, "seed": r.seed,
                                "worlds": len(r.worlds), "kept": int(r.worlds["kept"].sum()),
                                "acceptance_rate": r.acceptance,
                                "priors": [prior_text(v) for v in r.priors]}
                               for r in self.rounds]}


def prior_text(vary: Vary) -> str:
    low, high = vary._bounds()
    return f"{vary.key}={low!r}:{high!r}"


def run_ensemble(settings: Settings, out: Path, *, resume: bool = False, overwrite: bool = False,
                 workers: int | None = None, scheduler: str | None = None,
                 progress: Progress | None = None) -> Ensemble:
    """Run rounds until ``min_kept`` worlds are kept or ``rounds`` are done; write
    ``worlds.parquet`` (and ``.csv``) and ``ensemble.json`` whether or not enough were kept."""
    out = Path(out)
    duplicated = {t.metric for t in settings.targets if
                  [u.metric for u in settings.targets].count(t.metric) > 1}
    if duplicated:
        raise UserError(f"--target: {', '.join(sorted(duplicated))} given twice; one band each")
    _prepare(settings, out, resume, overwrite)
    ensemble = Ensemble(settings)
    priors = settings.priors
    for index in range(settings.rounds):
        ensemble.rounds.append(_run_round(settings, index, priors, out, workers, scheduler,
                                          progress))
        if ensemble.ok:
            break
        priors = narrowed(settings.priors, ensemble)
    _write(ensemble, out)
    return ensemble


def _prepare(settings: Settings, out: Path, resume: bool, overwrite: bool) -> None:
    """Make or check the ensemble folder; write the settings before any run."""
    path = out / PROVENANCE
    if resume and path.is_file():
        stored = json.loads(path.read_text(encoding="utf-8"))
        record = settings.record()
        for name in CHECKED:
            if json.dumps(stored.get(name), sort_keys=True, default=str) != json.dumps(
                    record[name], sort_keys=True, default=str):
                raise UserError(f"--resume {out}: the ensemble there differs in '{name}'; "
                                "resume with the same scenario, --prior, --target, --n, "
                                "--reps and --seed")
        return
    if resume:
        raise UserError(f"--resume {out}: no {PROVENANCE} there; nothing to resume")
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        if not overwrite:
            raise UserError(f"--out {out}: not empty; pass --resume to continue the ensemble "
                            "there, --overwrite to replace it, or choose a new folder")
        if not path.is_file():
            raise UserError(f"--out {out}: not an ensemble folder (no {PROVENANCE}); "
                            "--overwrite replaces only an ensemble's folder")
        shutil.rmtree(out)
    with output_errors(out):
        out.mkdir(parents=True, exist_ok=True)
        write_json(path, {**settings.record(), "complete": False})


def round_seed(seed: int, index: int) -> int:
    """Round 1 draws with the master seed itself; each later round with one derived from it."""
    if index == 0:
        return seed
    return int(np.random.SeedSequence(seed, spawn_key=(2, index)).generate_state(1)[0])


def _run_round(settings: Settings, index: int, priors: list[Vary], out: Path,
               workers: int | None, scheduler: str | None,
               progress: Progress | None) -> Round:
    """Draw and run one round's worlds (resuming its sweep folder if there) and judge them."""
    seed = round_seed(settings.seed, index)
    plan = plan_sweep(settings.scenario, priors, sample="lhs", n=settings.n,
                      reps=settings.reps, seed=seed, common_random_numbers=False)
    folder = out / f"round_{index + 1}"
    runs = run_sweep(plan, folder, resume=(folder / MANIFEST).is_file(), workers=workers,
                     scheduler=scheduler, progress=progress)
    return Round(index + 1, priors, seed, folder, judge(runs, plan, settings.targets))


def judge(runs: pd.DataFrame, plan: SweepPlan, targets: list[Target]) -> pd.DataFrame:
    """Each world's replicate means, distance from each band and whether it is kept: every
    replicate ran and every mean lies in its band."""
    keys = plan.varied
    metrics = list(dict.fromkeys(t.metric for t in targets))
    grouped = runs.groupby("point", sort=True)
    worlds = grouped[["seed", *keys]].first()
    worlds[metrics] = grouped[metrics].mean()
    failed = grouped["status"].apply(lambda s: bool((s != "ok").any()))
    for target in targets:
        worlds[f"distance:{target.metric}"] = [target.distance(float(v))
                                               for v in worlds[target.metric]]
    distances = worlds[[f"distance:{t.metric}" for t in targets]]
    worlds["distance"] = distances.sum(axis=1)
    worlds["kept"] = (worlds["distance"] == 0) & ~failed
    return worlds.reset_index()


def narrowed(first: list[Vary], ensemble: Ensemble) -> list[Vary]:
    """The next round's priors: each first prior cut to the range its kept worlds span (or,
    with none kept, its nearest worlds), padded by ``PAD`` of its width, clipped to it."""
    worlds = _guides(ensemble)
    result = []
    for prior in first:
        low, high = prior._bounds()
        pad = PAD * (high - low)
        lo = max(low, float(worlds[prior.key].min()) - pad)
        hi = min(high, float(worlds[prior.key].max()) + pad)
        result.append(Vary(prior.key, low=prior.typed(lo), high=prior.typed(hi)))
    return result


def _guides(ensemble: Ensemble) -> pd.DataFrame:
    """The worlds a narrowed prior is cut around: every kept one, else the nearest."""
    kept = ensemble.kept
    if len(kept):
        return kept
    worlds = pd.concat([r.worlds for r in ensemble.rounds], ignore_index=True)
    count = max(2, math.ceil(NEAREST * len(worlds)))
    return worlds.nsmallest(count, "distance", keep="first")


def _write(ensemble: Ensemble, out: Path) -> None:
    """The kept worlds as Parquet and CSV, then the provenance, each replaced atomically."""
    kept = ensemble.kept
    with output_errors(out), replacing(out / WORLDS) as tmp:
        kept.to_parquet(tmp, index=False)
    with output_errors(out):
        write_text(out / WORLDS_CSV, kept.to_csv(index=False))
        write_json(out / PROVENANCE, ensemble.provenance())


def _number(value: Any) -> float | None:
    number = float(value)
    return number if math.isfinite(number) else None
