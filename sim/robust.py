"""Robust comparison: the scenarios of ``compare`` run again in every plausible world.

One fitted city hides how much a reform's effect rests on assumptions the calibration bands
cannot pin down. An ensemble (``sim.ensemble``) keeps every drawn world the bands leave
standing; here each scenario runs in each kept world, the world's prior-key values applied on
top of the scenario as ``--set`` would. Every world and scenario runs the same replicate seeds,
so common random numbers hold within a world (the paired effect is a reform's, not noise's)
and across worlds (a difference between worlds is the keys', not a luckier draw).

``discover`` says which prior key a reform's success hinges on (scenario discovery, as in
PRIM or CART over an ensemble of futures): a depth-2 classification tree on the worlds'
prior values, predicting whether the reform improves a metric there.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from sim.compare import Cell, Comparison, measured_years, run_cells, unique_names
from sim.design import Vary, latin_hypercube
from sim.ensemble import PROVENANCE, WORLDS, counts, plausible_priors
from sim.errors import UserError
from sim.metrics import METRICS
from sim.parameters import PARAMETERS
from sim.scenario import Scenario

NOT_PRIORS = ("world", "round", "point", "seed")   # worlds.parquet columns that are no key
KNOWN_KEYS = {p.key for p in PARAMETERS}
REFORM_DRAWS = 2         # the seed's stream for the reforms' own priors (sweeps draw stream 1)
DISCOVERY_DEPTH = 2      # a tree deeper than two splits explains, but no longer reads as a rule


@dataclass(frozen=True)
class Worlds:
    """The kept worlds of an ensemble folder: their numbers and prior-key values."""

    folder: Path
    table: pd.DataFrame      # one row per kept world: world, then each prior key
    keys: list[str]

    def overrides(self, row: int) -> dict[str, Any]:
        """One world's prior values, as overrides (integers stay integers: read by column, as
        a mixed row would turn them into floats and a design point's seed hashes its types)."""
        return {key: _plain(self.table[key].iloc[row]) for key in self.keys}

    def provenance(self) -> dict[str, Any]:
        """What the ensemble folder says of itself (``ensemble.json``), if it is there."""
        path = self.folder / PROVENANCE
        record = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
        return {"folder": str(self.folder), "worlds": len(self.table), "keys": self.keys,
                "ensemble": {k: record.get(k) for k in ("priors", "targets", "n", "seed",
                                                        "rounds", "kept", "round_list",
                                                        "git_revision")
                             if k in record}}


def _plain(value: Any) -> Any:
    """A NumPy scalar as the Python number a scenario key validates."""
    return value.item() if hasattr(value, "item") else value


def load_worlds(folder: Path) -> Worlds:
    """Read and check ``DIR/worlds.parquet``: it must exist, keep at least one world and name
    only keys a scenario knows (besides world, round, point, seed and target means)."""
    where = f"--ensemble {folder}"
    path = Path(folder) / WORLDS
    if not path.is_file():
        raise UserError(f"{where}: no {WORLDS} there; run 'commsim ensemble ... --out "
                        f"{folder}' first")
    try:
        table = pd.read_parquet(path)
    except Exception as err:   # pyarrow raises several types for a damaged file
        raise UserError(f"{where}: cannot read {path}: {err}") from None
    if "world" not in table.columns:
        raise UserError(f"{where}: {path} has no 'world' column; not an ensemble's worlds")
    if table.empty:
        raise UserError(f"{where}: {path} keeps no world; rerun the ensemble with more --n "
                        "or --rounds")
    keys = [c for c in table.columns if c not in NOT_PRIORS and c not in METRICS]
    unknown = [k for k in keys if k not in KNOWN_KEYS]
    if unknown:
        raise UserError(f"{where}: {path} has column(s) {', '.join(unknown)} that no "
                        "scenario knows (neither a key, a metric nor world/round/point/seed)")
    return Worlds(Path(folder), table[["world", *keys]].reset_index(drop=True), keys)


def in_world(scenario: Scenario, worlds: Worlds, row: int) -> Scenario:
    """``scenario`` with one world's prior values set on top, each validated."""
    number = int(worlds.table["world"].iloc[row])
    return scenario.updated(worlds.overrides(row),
                            f"--ensemble {worlds.folder / WORLDS} world {number}")


def overridden(scenarios: list[Scenario], worlds: Worlds) -> list[str]:
    """Where a scenario sets a world key differently from the first: every world's value
    replaces both, so that part of the scenario's difference is not compared at all."""
    first, names = scenarios[0], unique_names(scenarios)
    return [f"{name} sets {key} = {scenario[key]!r} (the first, {names[0]}, "
            f"{first[key]!r}); each world's value replaces both, so that difference is not "
            "compared" for name, scenario in zip(names[1:], scenarios[1:], strict=True)
            for key in worlds.keys if scenario[key] != first[key]]


def reform_priors(scenarios: list[Scenario], worlds: Worlds) -> list[Vary]:
    """The uncertain keys only the reforms read, over their plausible ranges.

    An ensemble of the baseline varies what the baseline reads; a reform's own assumptions
    (how often an access list's gate approves, how much funding departments pay, how strictly
    a campaign is enforced and how fast that decays) do not count there, so no world varies
    them, and a reform would look robust to assumptions nobody tested. Drawn per world, they
    cannot unsettle the worlds' calibration (the first scenario does not read them). Left at
    the scenario's values: keys the worlds already vary, and the keys that say what a reform
    is or how big (``Reform.size_keys``, ``Reform.policy_keys``), which are chosen, not
    uncertain.
    """
    from sim.reforms import REFORMS  # the reform classes load the model

    chosen = {key for cls in REFORMS.values() for key in (*cls.size_keys, *cls.policy_keys)}
    first, rest = scenarios[0], scenarios[1:]
    return plausible_priors(lambda p: p.key not in worlds.keys and p.key not in chosen
                            and not counts(first, p)
                            and any(counts(scenario, p) for scenario in rest))


def with_reform_draws(worlds: Worlds, priors: list[Vary], seed: int) -> Worlds:
    """The worlds, each with one Latin-hypercube draw of ``priors`` (seeded by ``seed``; the
    same values for every scenario in a world, so common random numbers hold)."""
    if not priors:
        return worlds
    points = latin_hypercube(priors, len(worlds.table), seed, stream=REFORM_DRAWS)
    columns = {v.key: [point[v.key] for point in points] for v in priors}
    table = worlds.table.assign(**columns)
    return Worlds(worlds.folder, table, [*worlds.keys, *columns])


def compare_in_worlds(scenarios: list[Scenario], worlds: Worlds, *, reps: int = 5,
                      seed: int = 0, workers: int | None = None,
                      scheduler: str | None = None) -> Comparison:
    """Every scenario in every world, all on the same replicate seeds; the runs carry
    ``world``. Only the per-run metrics are kept: the tables would multiply by the worlds."""
    names = unique_names(scenarios)
    cells = [Cell(name, in_world(scenario, worlds, row), int(worlds.table["world"].iloc[row]))
             for row in range(len(worlds.table))
             for name, scenario in zip(names, scenarios, strict=True)]
    metrics, _ = run_cells(cells, reps=reps, seed=seed, workers=workers, scheduler=scheduler)
    years = {name: measured_years(s) for name, s in zip(names, scenarios, strict=True)}
    return Comparison(names, metrics, years=years, scenarios=list(scenarios))


def discover(priors: pd.DataFrame, improves: pd.Series) -> list[dict[str, Any]]:
    """The splits of a depth-2 tree predicting from the worlds' prior values whether a
    reform improves a metric: for each split its key, threshold and the share of worlds
    improving at or below it and above it, root first. Empty when all worlds agree.

    scikit-learn is imported here, not at the top: only this function needs it.
    """
    from sklearn.tree import DecisionTreeClassifier

    target = improves.astype(bool).to_numpy()
    if len(set(target)) < 2:
        return []
    features = priors.to_numpy(dtype=float)
    tree = DecisionTreeClassifier(max_depth=DISCOVERY_DEPTH, random_state=0)
    tree.fit(features, target)
    inner = tree.tree_
    paths = tree.decision_path(features).toarray().astype(bool)
    depth = [0] * inner.node_count
    under: list[list[str]] = [[] for _ in range(inner.node_count)]   # the branch a node is on
    splits = []
    for node in range(inner.node_count):      # parents come before their children
        left, right = inner.children_left[node], inner.children_right[node]
        if left < 0:
            continue
        depth[left] = depth[right] = depth[node] + 1
        key, threshold = str(priors.columns[inner.feature[node]]), float(inner.threshold[node])
        under[left] = [*under[node], f"{key} <= {threshold:.4g}"]
        under[right] = [*under[node], f"{key} > {threshold:.4g}"]
        splits.append({"key": key, "threshold": threshold, "depth": depth[node],
                       "within": " and ".join(under[node]),
                       "worlds": int(paths[:, node].sum()),
                       "improving_at_or_below": float(target[paths[:, left]].mean()),
                       "improving_above": float(target[paths[:, right]].mean()),
                       "worlds_at_or_below": int(paths[:, left].sum()),
                       "worlds_above": int(paths[:, right].sum())})
    return splits
