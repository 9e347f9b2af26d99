"""Robust comparison (compare --ensemble): effects across plausible worlds, noise within one."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from analysis.robust import ranking, robust_effects, world_effects
from analysis.summary import paired_differences
from sim.cli import main
from sim.compare import compare
from sim.ensemble import WORLDS
from sim.robust import (
    compare_in_worlds,
    discover,
    in_world,
    load_worlds,
    overridden,
    reform_priors,
    with_reform_draws,
)
from sim.scenario import load_scenario
from tests.conftest import SCENARIOS, SYNTHETIC

TINY = [*SYNTHETIC, "city.communities=8", "city.street_offices=1", "city.zone_committees=0",
        "simulation.days=60", "simulation.warmup_days=0"]
TINY_SET = [part for setting in TINY for part in ("--set", setting)]
STAFF = "staffing.staff_per_community"


def write_worlds(folder, **columns) -> None:
    """A hand-made ensemble folder: worlds.parquet with ``world`` and the given columns."""
    folder.mkdir(parents=True, exist_ok=True)
    count = len(next(iter(columns.values()))) if columns else 0
    pd.DataFrame({"world": range(count), **columns}).to_parquet(folder / WORLDS, index=False)


def pair() -> list:
    return [load_scenario(SCENARIOS / name, TINY) for name in ("baseline.toml", "digital.toml")]


def test_one_world_gives_the_plain_paired_comparison_of_that_world(tmp_path):
    write_worlds(tmp_path, **{STAFF: [6]})
    robust = compare_in_worlds(pair(), load_worlds(tmp_path), reps=3, seed=7, workers=1)
    plain = compare([s.updated({STAFF: 6}, "test") for s in pair()], reps=3, seed=7, workers=1)
    expected = paired_differences(plain.metrics, plain.names)[1]["diff_vs_first"]
    effects = world_effects(robust.metrics, robust.names).set_index("metric")
    table = robust_effects(world_effects(robust.metrics, robust.names)).set_index("metric")
    for metric, diff in expected.items():
        assert effects.loc[metric, "effect"] == pytest.approx(diff["mean"], nan_ok=True)
        assert table.loc[metric, "median_effect"] == pytest.approx(diff["mean"], nan_ok=True)
        assert table.loc[metric, "within_low"] == pytest.approx(diff["ci_low"], nan_ok=True)
        assert table.loc[metric, "within_high"] == pytest.approx(diff["ci_high"], nan_ok=True)


def test_every_world_runs_the_same_replicate_seeds_and_is_recorded(tmp_path):
    write_worlds(tmp_path, **{STAFF: [4, 9]})
    runs = compare_in_worlds(pair(), load_worlds(tmp_path), reps=2, seed=3, workers=1).metrics
    seeds = runs.groupby(["world", "scenario"])["seed"].apply(tuple)
    assert sorted(runs["world"].unique()) == [0, 1] and seeds.nunique() == 1


def test_the_share_improving_counts_worlds_by_their_paired_mean_not_by_replicates():
    # World 0: the reform lowers admin_share in two of three replicates but raises its mean.
    base = [0.5, 0.5, 0.5, 0.5, 0.5, 0.5]
    reform = [0.8, 0.45, 0.45, 0.4, 0.4, 0.6]
    metrics = pd.DataFrame({"scenario": ["a"] * 6 + ["b"] * 6, "world": [0, 0, 0, 1, 1, 1] * 2,
                            "rep": [0, 1, 2] * 4, "admin_share": base + reform})
    table = robust_effects(world_effects(metrics, ["a", "b"])).set_index("metric")
    assert table.loc["admin_share", "share_improving"] == pytest.approx(0.5)


def test_a_metric_without_a_direction_gets_no_share():
    metrics = pd.DataFrame({"scenario": ["a", "a", "b", "b"], "world": [0] * 4,
                            "rep": [0, 1, 0, 1], "utilisation": [0.5, 0.6, 0.4, 0.5]})
    table = robust_effects(world_effects(metrics, ["a", "b"]))
    assert table["share_improving"].iloc[0] is None


def test_discovery_splits_on_the_key_that_decides_the_sign_near_its_threshold():
    rng = np.random.default_rng(1)
    priors = pd.DataFrame({"noise": rng.uniform(size=300), "x": rng.uniform(size=300)})
    splits = discover(priors, priors["x"] > 0.5)
    root = splits[0]
    assert root["key"] == "x" and abs(root["threshold"] - 0.5) < 0.03
    assert root["improving_at_or_below"] == 0 and root["improving_above"] == 1


def test_discovery_fits_nothing_when_every_world_agrees():
    priors = pd.DataFrame({"x": [0.1, 0.4, 0.9]})
    assert discover(priors, pd.Series([True, True, True])) == []


def test_a_scenario_setting_a_world_key_itself_is_warned_about(tmp_path):
    write_worlds(tmp_path, **{STAFF: [6], "tasks.effort_scale": [1.0]})
    more_staff = pair()[0].updated({STAFF: 20}, "test")
    notes = overridden([pair()[0], pair()[1], more_staff], load_worlds(tmp_path))
    assert len(notes) == 1 and STAFF in notes[0] and "baseline#2" in notes[0]


def test_a_world_keeps_its_integer_keys_integers(tmp_path):
    write_worlds(tmp_path, **{"assessment.period_days": [32], "tasks.effort_scale": [1.0]})
    assert repr(load_worlds(tmp_path).overrides(0)["assessment.period_days"]) == "32"


@pytest.mark.parametrize("columns, message", [
    (None, "no worlds.parquet"),
    ({STAFF: []}, "keeps no world"),
    ({"staffing.no_such_key": [1.0]}, "staffing.no_such_key"),
    ({STAFF: [-3]}, "world 0"),
])
def test_a_bad_ensemble_folder_exits_2_naming_what_is_wrong(tmp_path, columns, message):
    folder = tmp_path / "ens"
    if columns is None:
        folder.mkdir()
    else:
        write_worlds(folder, **columns)
    result = CliRunner().invoke(main, ["compare", "baseline", "digital", "--ensemble",
                                       str(folder), *TINY_SET])
    assert result.exit_code == 2 and message in result.output


def test_the_command_writes_the_robust_tables_and_world_of_every_run(tmp_path):
    write_worlds(tmp_path / "ens", **{STAFF: [4, 8]})
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["compare", "baseline", "digital", "--ensemble",
                                       str(tmp_path / "ens"), "--reps", "2", "--workers", "1",
                                       "--out", str(out), *TINY_SET])
    assert result.exit_code == 0, result.output
    robust = pd.read_csv(out / "robust.csv")
    assert set(robust["scenario"]) == {"digital"} and (robust["worlds"] == 2).all()
    assert set(pd.read_parquet(out / "runs.parquet")["world"]) == {0, 1}
    document = json.loads((out / "comparison.json").read_text(encoding="utf-8"))
    assert document["robust"]["ranking"] and "scenario discovery" in result.output


def test_the_worlds_an_ensemble_writes_run_as_they_are(tmp_path):
    ens = tmp_path / "ens"
    made = CliRunner().invoke(main, ["ensemble", "baseline", "--prior",
                                     "tasks.effort_scale=0.8:1.2", "--prior", f"{STAFF}=5:9",
                                     "--target", "admin_share=0:1", "--n", "3", "--min-kept",
                                     "1", "--workers", "1", "--quiet", "--out", str(ens),
                                     *TINY_SET])
    assert made.exit_code == 0, made.output
    worlds = load_worlds(ens)
    assert worlds.keys == ["tasks.effort_scale", STAFF] and len(worlds.table) == 3
    runs = compare_in_worlds(pair(), worlds, reps=2, seed=0, workers=1).metrics
    staffed = runs.groupby("world")["staff_per_community"].mean()   # at work: quits lower it
    assert (abs(staffed.to_numpy() - worlds.table[STAFF].to_numpy()) <= 1).all()


def test_the_ranking_orders_by_median_effect_and_counts_worlds_holding_each_rank():
    # admin_share, lower is better: c beats b in world 0, b beats c in worlds 1 and 2.
    values = {"a": [0.5, 0.5, 0.5], "b": [0.4, 0.3, 0.3], "c": [0.2, 0.45, 0.4]}
    metrics = pd.DataFrame([{"scenario": name, "world": world, "rep": rep,
                             "admin_share": value}
                            for name, by_world in values.items()
                            for world, value in enumerate(by_world) for rep in (0, 1)])
    ranks = ranking(world_effects(metrics, list(values)), list(values), ("admin_share",))
    assert list(ranks["scenario"]) == ["b", "c", "a"]
    assert list(ranks["share_at_rank"]) == pytest.approx([2 / 3, 2 / 3, 1.0])


# --- the reforms' own assumptions, drawn per world ------------------------------------------------

def test_reform_priors_are_the_uncertain_keys_only_the_reforms_read(tmp_path):
    write_worlds(tmp_path, **{STAFF: [6, 8]})
    scenarios = [load_scenario(SCENARIOS / f"{name}.toml", TINY)
                 for name in ("baseline", "access_list", "protected_time")]
    keys = {v.key for v in reform_priors(scenarios, load_worlds(tmp_path))}
    assert {"reforms.access_list.approval_rate", "reforms.enforcement.strictness"} <= keys
    assert "reforms.protected_time.share" not in keys        # what the reform is: chosen
    assert "tasks.effort_scale" not in keys                   # the baseline reads it
    assert STAFF not in keys                                  # the worlds vary it already


def test_each_world_draws_the_reform_priors_once_within_their_ranges(tmp_path):
    write_worlds(tmp_path, **{STAFF: [5, 6, 7, 8]})
    worlds = load_worlds(tmp_path)
    scenarios = [load_scenario(SCENARIOS / f"{name}.toml", TINY)
                 for name in ("baseline", "access_list")]
    priors = reform_priors(scenarios, worlds)
    drawn = with_reform_draws(worlds, priors, seed=4)
    again = with_reform_draws(worlds, priors, seed=4)
    pd.testing.assert_frame_equal(drawn.table, again.table)
    rate = drawn.table["reforms.access_list.approval_rate"]
    assert rate.between(0.2, 0.8).all() and rate.nunique() == 4
    assert drawn.keys == [STAFF, *(v.key for v in priors)]
    per_scenario = {in_world(s, drawn, 1)["reforms.access_list.approval_rate"]
                    for s in scenarios}
    assert per_scenario == {rate.iloc[1]}        # one value for every scenario in a world


@pytest.mark.parametrize("flag, expect_keys", [("--reform-priors", True),
                                               ("--no-reform-priors", False)])
def test_the_comparison_records_the_reform_priors_it_drew(tmp_path, flag, expect_keys):
    write_worlds(tmp_path / "ens", **{STAFF: [4, 8]})
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["compare", "baseline", "access_list", "--ensemble",
                                       str(tmp_path / "ens"), "--reps", "2", "--workers", "1",
                                       flag, "--out", str(out), *TINY_SET])
    assert result.exit_code == 0, result.output
    document = json.loads((out / "comparison.json").read_text(encoding="utf-8"))
    recorded = any(p.startswith("reforms.access_list.approval_rate=")
                   for p in document["reform_priors"])
    assert recorded is expect_keys
    worlds = pd.read_csv(out / "worlds.csv")
    assert ("reforms.access_list.approval_rate" in worlds.columns) is expect_keys
