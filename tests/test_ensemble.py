"""``commsim ensemble``: which worlds are kept, resuming, failing, defaults and bad options."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from click.testing import CliRunner

from sim.cli import main
from sim.ensemble import (
    PROVENANCE,
    WORLDS,
    Settings,
    default_priors,
    parse_prior,
    parse_target,
    run_ensemble,
)
from sim.parameters import PARAMETERS
from sim.scenario import load_scenario
from tests.conftest import SCENARIOS, SYNTHETIC, SYNTHETIC_SET

CITY = [*SYNTHETIC, "city.communities=8", "city.street_offices=2", "city.zone_committees=0",
        "simulation.days=40"]
CITY_SET = [*SYNTHETIC_SET, *(p for s in CITY[2:] for p in ("--set", s))]
PRIORS = ["tasks.effort_scale=0.5:1.5", "tasks.demand_scale=0.6:1.1"]
# A band the small city's worlds fall on both sides of, so some are kept and some are not.
SPLIT = ["admin_share=0.6:0.95", "quits_per_staff_year=0:2"]


def settings(**changes) -> Settings:
    scenario = load_scenario(SCENARIOS / "baseline.toml", CITY)
    chosen = {"priors": [parse_prior(p) for p in PRIORS],
              "targets": [parse_target(t) for t in SPLIT], "n": 8, "reps": 1, "seed": 3,
              "min_kept": 1, **changes}
    return Settings(scenario, **chosen)


def ensemble_cli(out, *extra: str):
    args = ["ensemble", str(SCENARIOS / "baseline.toml"), *CITY_SET, "--n", "8", "--seed", "3",
            "--workers", "1", "--out", str(out), *extra]
    return CliRunner().invoke(main, args)


def test_only_worlds_inside_every_band_are_kept(tmp_path):
    ensemble = run_ensemble(settings(), tmp_path / "ens", workers=1)
    runs = pd.read_parquet(tmp_path / "ens" / "round_1" / "runs.parquet")
    means = runs.groupby("point")[["admin_share", "quits_per_staff_year"]].mean()
    inside = means[means["admin_share"].between(0.6, 0.95)
                   & means["quits_per_staff_year"].between(0, 2)]
    kept = pd.read_parquet(tmp_path / "ens" / WORLDS)
    assert 0 < len(kept) < len(means), "the band should split the worlds"
    assert sorted(kept["point"]) == sorted(inside.index)
    assert kept["admin_share"].tolist() == pytest.approx(
        means.loc[kept["point"], "admin_share"].tolist())
    assert len(ensemble.kept) == len(kept)


def test_a_killed_ensemble_resumes_to_the_same_worlds(tmp_path):
    run_ensemble(settings(), tmp_path / "whole", workers=1)
    part = tmp_path / "part"
    run_ensemble(settings(), part, workers=1)
    journal = part / "round_1" / "runs.jsonl"
    lines = journal.read_text(encoding="utf-8").splitlines(keepends=True)
    journal.write_text("".join(lines[:3]) + lines[3][:25], encoding="utf-8")  # torn mid-line
    for name in (WORLDS, "round_1/runs.parquet"):
        (part / name).unlink()
    run_ensemble(settings(), part, resume=True, workers=1)
    pd.testing.assert_frame_equal(pd.read_parquet(part / WORLDS),
                                  pd.read_parquet(tmp_path / "whole" / WORLDS))


def test_too_few_kept_exits_1_with_the_counts_and_still_writes_everything(tmp_path):
    out = tmp_path / "ens"
    result = ensemble_cli(out, "--prior", PRIORS[0], "--target", "admin_share=0.6:0.95",
                          "--min-kept", "50")
    assert result.exit_code == 1, result.output
    assert "fewer than --min-kept 50" in result.stderr
    assert "admin_share ruled out" in result.stderr and "--resume" in result.stderr
    assert (out / WORLDS).is_file() and (out / "round_1" / "runs.parquet").is_file()
    assert json.loads((out / PROVENANCE).read_text())["ok"] is False


def test_default_priors_are_the_plausible_ranges_of_keys_that_count():
    scenario = load_scenario(SCENARIOS / "baseline.toml", CITY)
    priors = {v.key: (v.low, v.high) for v in default_priors(scenario)}
    ranged = {p.key: p.plausible for p in PARAMETERS if p.plausible}
    assert priors["tasks.effort_scale"] == ranged["tasks.effort_scale"]
    assert priors["tasks.demand_scale"] == ranged["tasks.demand_scale"]
    assert all(priors[key] == ranged[key] for key in priors)
    assert "reforms.access_list.approval_rate" not in priors          # reform off
    assert "reforms.enforcement.strictness" not in priors             # no reform to enforce
    assert "governance.committee_share" not in priors                 # no workstations here
    assert "city.households_sigma" in priors                          # synthetic city
    rostered = {v.key for v in default_priors(load_scenario(SCENARIOS / "baseline.toml"))}
    assert "city.households_sigma" not in rostered                    # the roster sets them
    assert "governance.committee_share" in rostered                   # Shushan workstations


@pytest.mark.parametrize(("option", "value", "says"), [
    ("--prior", "tasks.efort_scale=0.8:1.2", "unknown key 'tasks.efort_scale'"),
    ("--prior", "tasks.effort_scale=1.2:0.8", "LO must be below HI"),
    ("--prior", "tasks.effort_scale=a:b", "range bounds must be numbers"),
    ("--prior", "governance.model=0:1", "is not numeric"),
    ("--target", "admin_shares=0.8:0.9", "unknown metric 'admin_shares'; one of admin_share"),
    ("--target", "admin_share=0.9:0.8", "LO below HI"),
    ("--target", "admin_share=high", "two numbers"),
])
def test_a_bad_prior_or_target_exits_2_naming_it(tmp_path, option, value, says):
    result = ensemble_cli(tmp_path / "ens", option, value)
    assert result.exit_code == 2
    assert f"{option} {value}:" in result.stderr and says in result.stderr
    assert not (tmp_path / "ens").exists()


def test_the_provenance_holds_acceptance_rate_and_version(tmp_path):
    result = ensemble_cli(tmp_path / "ens", *(a for p in PRIORS for a in ("--prior", p)),
                          *(a for t in SPLIT for a in ("--target", t)), "--min-kept", "1",
                          "--format", "json")
    assert result.exit_code == 0, result.output
    record = json.loads((tmp_path / "ens" / PROVENANCE).read_text())
    kept = len(pd.read_parquet(tmp_path / "ens" / WORLDS))
    assert record["round_list"][0]["acceptance_rate"] == pytest.approx(kept / 8)
    assert record["commsim_version"] and record["git_revision"]
    assert record["priors"] == ["tasks.effort_scale=0.5:1.5", "tasks.demand_scale=0.6:1.1"]
    assert json.loads(result.stdout)["kept"] == kept
