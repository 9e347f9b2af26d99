"""Who each community is in every output table, and metrics broken down by district, relay,
governance model and size band, in a small mixed city read from a roster."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from sim.cli import main
from sim.compare import compare
from sim.groups import band_names
from sim.metrics import METRICS, compute_metrics
from sim.model import CommunityWorkloadModel
from sim.roster import REQUIRED
from sim.runner import (
    ALL_SIZES,
    IDENTITY,
    RunSpec,
    breakdown_table,
    community_totals,
    execute,
    run,
    simulate,
    weekly_table,
)
from sim.scenario import Scenario, default_scenario
from tests.conftest import SCENARIOS

# Six communities, two districts, one relay each, two governance models, sizes in every band.
ROSTER = [
    ("E1", "East", "S-East", "2500", "two_committees"),
    ("E2", "East", "S-East", "4000", "workstation"),
    ("E3", "East", "S-East", "6000", "two_committees"),
    ("W1", "West", "S-West", "3500", "workstation"),
    ("W2", "West", "S-West", "4500", "two_committees"),
    ("W3", "West", "S-West", "9000", "workstation"),
]
# Metrics that are means per community, or per household, of a flow or an end stock: a
# level's groups, weighted by their communities (households), add up to the city.
PER_COMMUNITY = ("task_instances_per_community_year", "paperwork_hours_per_community_year",
                 "backlog_hours_per_community", "delegated_hours_per_community_year",
                 "formal_admin_hours_per_community_year", "staff_per_community")
PER_HOUSEHOLD = ("resident_hours_per_1000_households", "selfgov_hours_per_1000_households",
                 "complaints_per_1000_households")


def write_roster(path: Path) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(REQUIRED)
        for cid, district, relay, households, governance in ROSTER:
            writer.writerow([cid, f"{district} {cid}", district, relay, "street_office",
                             households, "", governance])
    return path


def mixed_city(folder: Path) -> Scenario:
    roster = write_roster(folder / "roster.csv")
    return default_scenario().with_values(city__roster=str(roster), simulation__days=40)


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    return mixed_city(tmp_path_factory.mktemp("roster"))


@pytest.fixture(scope="module")
def model(scenario: Scenario) -> CommunityWorkloadModel:
    return simulate(scenario, seed=2, replicate=0)


@pytest.fixture(scope="module")
def breakdown(model: CommunityWorkloadModel) -> pd.DataFrame:
    return breakdown_table(model, 0)


# --- who each community is ---------------------------------------------------------------------

def test_the_weekly_table_names_each_community_with_categoricals(model):
    weekly = weekly_table(model, 0)
    assert all(isinstance(weekly[c].dtype, pd.CategoricalDtype) for c in IDENTITY)
    first_week = weekly[weekly["week"] == 0]
    assert first_week["community_id"].tolist() == [row[0] for row in ROSTER]
    assert first_week["district"].tolist() == [row[1] for row in ROSTER]
    assert first_week["relay_name"].tolist() == [row[2] for row in ROSTER]
    assert set(first_week["relay_kind"]) == {"street_office"}
    assert first_week["governance"].tolist() == [row[4] for row in ROSTER]
    assert first_week["size_band"].tolist() == ["0-3000", "3000-5000", "5000-8000",
                                                "3000-5000", "3000-5000", "8000+"]
    assert list(weekly["size_band"].cat.categories) == list(band_names())


def test_replicates_stack_with_their_categoricals_kept(scenario):
    weekly = run(scenario, seed=2, reps=2).weekly
    assert all(isinstance(weekly[c].dtype, pd.CategoricalDtype) for c in IDENTITY)
    assert weekly.groupby("rep").size().nunique() == 1


def test_the_communities_table_has_one_row_per_replicate_and_community_id(scenario, model):
    result = run(scenario, seed=2, reps=2)
    table = community_totals(result.weekly)
    assert not table.duplicated(["rep", "community_id"]).any()
    assert len(table) == 2 * model.city.n_communities
    for _, replicate in table.groupby("rep"):
        assert replicate["community_id"].tolist() == model.city.community_id.tolist()
    assert all(pd.api.types.is_string_dtype(table[c]) for c in IDENTITY)


def test_identity_columns_change_no_number(model):
    """The weekly table's ledger fields are the ledger's, whatever columns sit beside them."""
    weekly = weekly_table(model, 0)
    ledger = model.ledger.weekly
    accepted = weekly.pivot(index="week", columns="community", values="accepted").to_numpy()
    assert np.array_equal(accepted, ledger[:, model.ledger.field_index("accepted")])


def test_a_users_table_joins_on_community_id(scenario):
    communities = community_totals(run(scenario, seed=2, reps=1).weekly)
    own = pd.DataFrame({"community_id": ["W3", "E1"], "income": [1.0, 2.0]})
    joined = communities.merge(own, on="community_id", how="inner")
    assert sorted(joined["community_id"]) == ["E1", "W3"]


# --- breakdown tables --------------------------------------------------------------------------

def test_every_group_and_band_gets_one_row(breakdown):
    assert not breakdown.duplicated(["rep", "level", "group", "size_band"]).any()
    overall = breakdown[breakdown["size_band"] == ALL_SIZES]
    assert overall.groupby("level")["group"].apply(sorted).to_dict() == {
        "city": ["city"], "district": ["East", "West"], "relay": ["S-East", "S-West"],
        "governance": ["two_committees", "workstation"]}
    assert set(breakdown.loc[breakdown["level"] == "relay", "size_band"]) == {ALL_SIZES}
    assert set(METRICS) <= set(breakdown.columns)


def test_the_city_row_is_the_city_metrics(model, breakdown):
    city = breakdown[(breakdown["level"] == "city") & (breakdown["size_band"] == ALL_SIZES)]
    assert city[list(METRICS)].iloc[0].to_dict() == compute_metrics(model)


@pytest.mark.parametrize("level", ["district", "relay", "governance"])
def test_the_groups_of_a_level_add_up_to_the_city(breakdown, level):
    """Counts and hours per community (per household), weighted by the groups' communities
    (households), sum to the city's: a breakdown splits the city, it adds nothing."""
    city = breakdown[(breakdown["level"] == "city") & (breakdown["size_band"] == ALL_SIZES)]
    parts = breakdown[(breakdown["level"] == level) & (breakdown["size_band"] == ALL_SIZES)]
    assert parts["communities"].sum() == city["communities"].sum() == len(ROSTER)
    assert_adds_up(parts, city)


@pytest.mark.parametrize("level", ["city", "district", "governance"])
def test_the_size_bands_of_a_group_add_up_to_the_group(breakdown, level):
    for _, group in breakdown[breakdown["level"] == level].groupby("group"):
        whole = group[group["size_band"] == ALL_SIZES]
        assert_adds_up(group[group["size_band"] != ALL_SIZES], whole)


@pytest.mark.parametrize("level", ["district", "governance"])
def test_within_a_band_the_groups_add_up_to_the_city(breakdown, level):
    banded = breakdown[breakdown["size_band"] != ALL_SIZES]
    for _, rows in banded.groupby("size_band"):
        assert_adds_up(rows[rows["level"] == level], rows[rows["level"] == "city"])


def assert_adds_up(parts: pd.DataFrame, whole: pd.DataFrame) -> None:
    for weight, metrics in (("communities", PER_COMMUNITY), ("households", PER_HOUSEHOLD)):
        for metric in metrics:
            total = (parts[metric] * parts[weight]).sum()
            expected = (whole[metric] * whole[weight]).sum()
            assert total == pytest.approx(expected, rel=1e-9, abs=1e-9), metric


def test_the_worker_builds_the_breakdown_when_asked(scenario, breakdown):
    record = execute(RunSpec(scenario, 2, 0, tables=("breakdown", "communities")))
    assert record["status"] == "ok", record["error"]
    pd.testing.assert_frame_equal(record["breakdown"], breakdown)
    assert record["communities"]["community_id"].tolist() == [row[0] for row in ROSTER]


def test_a_comparison_keeps_each_scenarios_breakdown(scenario):
    other = scenario.with_values(staffing__staff_per_community=12.0)
    comparison = compare([scenario, other], reps=2, seed=2, workers=1, tables=True)
    table = comparison.breakdown
    assert set(table["scenario"]) == {scenario.name, f"{scenario.name}#2"}
    assert set(table["rep"]) == {0, 1}


# --- the results folder ------------------------------------------------------------------------

def test_run_writes_the_breakdown_and_identity_columns(scenario, tmp_path):
    out = tmp_path / "out"
    roster = scenario["city.roster"]
    result = CliRunner().invoke(main, ["run", str(SCENARIOS / "baseline.toml"), "--reps", "2",
                                       "--set", f'city.roster="{roster}"',
                                       "--set", "governance.by_district={}",
                                       "--set", "simulation.days=40",
                                       "--set", "simulation.warmup_days=0", "--out", str(out)])
    assert result.exit_code == 0, result.output
    breakdown = pd.read_parquet(out / "breakdown.parquet")
    assert list(breakdown.columns[:8]) == ["scenario", "point", "world", "rep", "level",
                                           "group", "size_band", "communities"]
    weekly = pd.read_parquet(out / "weekly.parquet")
    assert all(isinstance(weekly[c].dtype, pd.CategoricalDtype) for c in IDENTITY)
    communities = pd.read_parquet(out / "communities.parquet")
    assert not communities.duplicated(["rep", "community_id"]).any()
    assert set(communities["community_id"]) == {row[0] for row in ROSTER}
