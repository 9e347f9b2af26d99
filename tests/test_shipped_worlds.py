"""The kept-world set shipped for the baseline (scenarios/ensembles/baseline, `make worlds`).

`make run` compares the reforms across these worlds, so they must be what the ensemble said
they are: drawn on the baseline with its default priors and bands (fast checks of the
provenance), and still inside every band under the current model (slow: every world re-run
exactly as the ensemble ran it). A model change that moves results fails the slow test; the
cure is `make worlds`, not a looser test.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from sim import ensemble as ens
from sim.robust import load_worlds
from sim.scenario import load_scenario
from sim.sweep import plan_sweep, run_sweep
from tests.conftest import SCENARIOS

SHIPPED = SCENARIOS / "ensembles" / "baseline"
REFRESH = ("the shipped worlds no longer reproduce under the current model or baseline.toml; "
           "regenerate them with `make worlds` and commit scenarios/ensembles/baseline/")


@pytest.fixture(scope="module")
def record() -> dict:
    return json.loads((SHIPPED / ens.PROVENANCE).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def worlds() -> pd.DataFrame:
    return pd.read_parquet(SHIPPED / ens.WORLDS)


@pytest.fixture(scope="module")
def baseline():
    return load_scenario(SCENARIOS / "baseline.toml")


def test_the_shipped_ensemble_was_drawn_on_the_baseline(record):
    assert record["scenario"]["name"] == "baseline"


def test_the_shipped_ensemble_judged_by_the_default_bands(record):
    assert record["targets"] == [t.text() for t in ens.default_targets()]


def test_the_shipped_ensemble_drew_from_the_default_priors(record, baseline):
    assert record["priors"] == [ens.prior_text(v) for v in ens.default_priors(baseline)]


def test_the_shipped_ensemble_records_its_draws_and_kept_enough(record):
    assert record["complete"] and record["ok"]
    assert record["n"] >= 1 and isinstance(record["seed"], int) and record["reps"] >= 1
    assert record["kept"] >= ens.DEFAULT_MIN_KEPT


def test_the_shipped_worlds_file_holds_every_kept_world(record, worlds):
    assert len(worlds) == record["kept"]
    assert len(pd.read_csv(SHIPPED / ens.WORLDS_CSV)) == record["kept"]


@pytest.mark.slow
def test_every_shipped_world_reruns_to_its_recorded_means_inside_every_band(
        record, worlds, baseline, tmp_path):
    """Each world's prior values as the design points of one sweep, with the ensemble's own
    seeding (a seed per point from the master seed and the point's values) and replicates:
    the seeds, the target means (to 1e-9) and the keeping must all come out as recorded."""
    priors = [ens.parse_prior(text) for text in record["priors"]]
    targets = [ens.parse_target(text) for text in record["targets"]]
    metrics = [t.metric for t in targets]
    loaded = load_worlds(SHIPPED)        # the values as compare --ensemble reads them
    assert loaded.keys == [v.key for v in priors]
    rerun = []
    for number, group in worlds.groupby("round", sort=True):
        seed = record["round_list"][int(number) - 1]["seed"]
        points = [loaded.overrides(row) for row in group.index]
        plan = plan_sweep(baseline, priors, sample="lhs", n=record["n"], reps=record["reps"],
                          seed=seed, common_random_numbers=False, points=points)
        runs = run_sweep(plan, tmp_path / f"round_{number}", workers=2)
        judged = ens.judge(runs, plan, targets)
        rerun.append(judged.assign(world=group["world"].to_numpy()))
    again = pd.concat(rerun).set_index("world").sort_index()
    shipped = worlds.set_index("world").sort_index()
    assert (again["seed"] == shipped["seed"]).all(), REFRESH
    np.testing.assert_allclose(again[metrics], shipped[metrics], rtol=0, atol=1e-9,
                               err_msg=REFRESH)
    assert again["kept"].all(), f"{REFRESH}; outside a band: {list(again.index[~again['kept']])}"

