"""Community rosters and mixed governance: a city as it is, each community under its own model."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import mesa
import numpy as np
import pytest
from click.testing import CliRunner

from sim.catalog import SELFGOV
from sim.city import USE_RULE, ZONE_COMMITTEE
from sim.cli import main
from sim.communities import Community
from sim.design import run_key
from sim.errors import UserError
from sim.governance import city_headcount
from sim.model import CommunityWorkloadModel
from sim.roster import OPTIONAL, REQUIRED, load_roster
from sim.scenario import load_scenario
from sim.staff import COMMITTEE, WORKSTATION, ZONE
from tests.conftest import SCENARIOS, quiet_scenario, run_model, write_catalog

ROW = {"id": "A1", "name": "Alpha", "district": "East", "relay": "S-East",
       "relay_kind": "street_office", "households": "4000", "staff": "12",
       "governance": "two_committees"}
MIXED_CATALOG = [
    {"category": "social_insurance", "department": "human_resources"},
    {"category": "statistics_census"},
    {"kind": "service", "department": "residents", "category": "services_elderly"},
    {"kind": "self_governance", "department": "residents", "category": "self_governance"},
]


def write_roster(path: Path, rows: list[dict], columns: tuple[str, ...] = REQUIRED) -> Path:
    """A roster CSV from partial rows (unspecified cells take ROW's, ids numbered)."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, columns, extrasaction="ignore")
        writer.writeheader()
        for i, row in enumerate(rows):
            writer.writerow({**ROW, "id": f"A{i + 1}", **row})
    return path


def rostered(tmp_path: Path, rows: list[dict], **values):
    """A quiet scenario (tests.conftest) on a small catalog and the roster ``rows``."""
    catalog = write_catalog(tmp_path / "catalog.csv", MIXED_CATALOG)
    roster = write_roster(tmp_path / "roster.csv", rows)
    return quiet_scenario(catalog, city__roster=str(roster), **values)


# --- loading -------------------------------------------------------------------------------------
def test_the_roster_columns_land_in_the_city_layout(tmp_path):
    path = write_roster(tmp_path / "r.csv", [
        {"relay": "Z-West", "relay_kind": "zone_committee", "district": "West",
         "governance": "zone_committee", "staff": "", "name": ""},
        {"name": "Alpha", "households": "3000", "staff": "9", "space_m2": "320"},
        {"staff": "-1", "governance": "", "funds_yuan": "500000"},
    ], REQUIRED + OPTIONAL)
    city = load_roster(path)
    assert city.community_id.tolist() == ["A1", "A2", "A3"]
    assert city.name.tolist() == ["A1", "Alpha", "Alpha"]          # an empty name is the id
    assert city.district.tolist() == ["West", "East", "East"]
    assert city.relay.tolist() == [0, 1, 1]                        # in order of first appearance
    assert city.relay_name.tolist() == ["Z-West", "S-East"]
    assert city.relay_kind.tolist() == [ZONE_COMMITTEE, 0]
    assert city.households.tolist() == [4000.0, 3000.0, 4000.0]
    assert city.staff.tolist() == [USE_RULE, 9, USE_RULE]          # empty and -1: the rule
    assert city.governance.tolist() == ["zone_committee", "two_committees", ""]
    assert city.space_m2[1] == 320 and np.isnan(city.space_m2[[0, 2]]).all()
    assert city.funds_yuan[2] == 500000 and np.isnan(city.grid_workers).all()


def test_the_staff_column_sets_the_head_count_and_empty_cells_follow_the_rule(tmp_path):
    scenario = rostered(tmp_path, [{"staff": "7"}, {"staff": ""}],
                        staffing__staff_per_community=15.0)
    model = CommunityWorkloadModel(scenario)
    assert model.workforce.staff.tolist() == [7, 15]


BAD_ROWS = [   # (cells of the first data row, column named, bad value shown, allowed)
    ({"households": ""}, "households", "''", "a finite number in [1, 1e+06]"),
    ({"households": "many"}, "households", "'many'", "a finite number in [1, 1e+06]"),
    ({"households": "-40"}, "households", "'-40'", "a finite number in [1, 1e+06]"),
    ({"staff": "a dozen"}, "staff", "'a dozen'", "a whole number in [0, 10000]"),
    ({"staff": "-3"}, "staff", "'-3'", "empty or -1 for the scenario's staffing rule"),
    ({"staff": "2.5"}, "staff", "'2.5'", "a whole number"),
    ({"governance": "anarchy"}, "governance", "'anarchy'",
     "one of two_committees, workstation, zone_committee"),
    ({"relay_kind": "county"}, "relay_kind", "'county'", "one of street_office, zone_committee"),
    ({"governance": "zone_committee"}, "governance", "'zone_committee'",
     "a zone_committee relay"),
    ({"id": ""}, "id", "''", "a non-empty text"),
    ({"relay": " "}, "relay", "' '", "a non-empty text"),
]


@pytest.mark.parametrize("cells, column, value, allowed", BAD_ROWS)
def test_a_bad_cell_is_named_by_file_row_column_value_and_what_is_allowed(
        tmp_path, cells, column, value, allowed):
    path = write_roster(tmp_path / "r.csv", [{}, cells])
    with pytest.raises(UserError) as caught:
        load_roster(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: row 3, column '{column}': bad value {value}")
    assert allowed in message


def test_a_bad_optional_number_is_named_too(tmp_path):
    path = write_roster(tmp_path / "r.csv", [{"space_m2": "-1"}], (*REQUIRED, "space_m2"))
    with pytest.raises(UserError, match=r"row 2, column 'space_m2': bad value '-1'; expected "
                                        r"a finite number in \[0, 1e\+12\]"):
        load_roster(path)


@pytest.mark.parametrize("rows, message", [
    ([{}, {"id": "A1"}], "row 3, column 'id': duplicate id 'A1' (first on row 2)"),
    ([{}, {"relay_kind": "zone_committee"}],
     "row 3, column 'relay_kind': bad value 'zone_committee' for relay 'S-East', which row 2 "
     "lists as 'street_office'; expected one kind per relay"),
])
def test_rows_that_contradict_each_other_are_named(tmp_path, rows, message):
    path = write_roster(tmp_path / "r.csv", rows)
    with pytest.raises(UserError) as caught:
        load_roster(path)
    assert str(caught.value).startswith(f"{path}: {message}")


@pytest.mark.parametrize("text, message", [
    ("", "the roster is empty; it needs a header (id, name, district"),
    (",".join(REQUIRED) + "\n", "the roster has no community rows"),
    ("id,name,district,relay,relay_kind,households,staff\nA1,,,S,street_office,10,1\n",
     "missing column(s) governance; a roster needs id, name, district"),
    (",".join(REQUIRED) + ",colour\n", "unknown column(s) 'colour'; a roster has id"),
])
def test_a_malformed_file_is_named(tmp_path, text, message):
    path = tmp_path / "r.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UserError) as caught:
        load_roster(path)
    assert str(caught.value).startswith(f"{path}: {message}")


def test_a_missing_roster_file_is_named(tmp_path):
    with pytest.raises(UserError, match=r"nowhere\.csv: roster file not found"):
        load_roster(tmp_path / "nowhere.csv")


def test_the_roster_path_resolves_beside_the_scenario_and_its_contents_key_the_run(tmp_path):
    (tmp_path / "sub").mkdir()
    roster = write_roster(tmp_path / "sub" / "r.csv", [{}])
    scenario = tmp_path / "sub" / "s.toml"
    scenario.write_text('city.roster = "r.csv"\n', encoding="utf-8")
    loaded = load_scenario(scenario)
    assert loaded["city.roster"] == str(roster.resolve())
    before = run_key(loaded, 0, 0)
    write_roster(roster, [{"households": "5000"}])
    assert run_key(loaded, 0, 0) != before


# --- a roster reproduces the synthetic city ------------------------------------------------------
def synthetic_as_roster(model: CommunityWorkloadModel, path: Path) -> Path:
    """The model's synthetic city written out as a roster (staff from the rule, written out)."""
    city = model.city
    staff = city_headcount(model.settings, city)
    kinds = np.array(["street_office", "zone_committee"])[city.relay_kind[city.relay]]
    rows = [{"id": city.community_id[i], "name": city.name[i], "district": "",
             "relay": city.relay_name[city.relay[i]], "relay_kind": kinds[i],
             "households": repr(float(city.households[i])), "staff": str(staff[i]),
             "governance": city.governance[i]} for i in range(city.n_communities)]
    return write_roster(path, rows)


@pytest.mark.parametrize("governance", ["two_committees", "workstation", "zone_committee"])
def test_a_roster_of_the_synthetic_city_reproduces_its_results_exactly(tmp_path, small_city,
                                                                       governance):
    synthetic = small_city.with_values(governance__model=governance, simulation__days=40,
                                       staffing__basis="per_households")
    drawn = CommunityWorkloadModel(synthetic, seed=4)
    roster = synthetic_as_roster(drawn, tmp_path / "r.csv")
    # The roster run keeps the synthetic keys it ignores, and a different governance.model:
    # neither may matter.
    listed = synthetic.with_values(city__roster=str(roster), city__communities=3,
                                   governance__model="two_committees")
    runs = [run_model(scenario, seed=4) for scenario in (synthetic, listed)]
    assert runs[1].city.n_communities == runs[0].city.n_communities == 30
    assert np.array_equal(runs[0].ledger.weekly, runs[1].ledger.weekly)
    assert np.array_equal(runs[0].workforce.staff, runs[1].workforce.staff)


# --- mixed governance ----------------------------------------------------------------------------
def pools_and_routes(model: CommunityWorkloadModel, community: int) -> dict:
    """What a community's governance builds for it: its pools (role, staff, the role of the
    lending partner) and the role and own/shared nature of the pool every type goes to."""
    workforce = model.workforce
    own = np.flatnonzero(workforce.community == community)
    route = model.routes[community]
    partner = workforce.partner[own]
    return {"pools": sorted((int(workforce.role[p]), int(workforce.staff[p]),
                             int(workforce.role[q]) if q >= 0 else -1)
                            for p, q in zip(own, partner, strict=True)),
            "route_roles": workforce.role[route].tolist(),
            "route_own": (workforce.community[route] == community).tolist(),
            "admin_role": int(workforce.role[model.admin_pool[community]])}


def test_each_community_of_a_mixed_city_gets_the_pools_and_routes_of_its_own_model(tmp_path):
    """Exact per-community results cannot match a single-community run: departments draw
    arrivals for the whole city from shared streams, so a community's draws depend on how many
    others there are. What governance decides is proved instead: each community's pools,
    head counts, lending partners, routes and administrative pool equal those of its model
    building a city of that community alone."""
    rows = [{"governance": "two_committees", "staff": "9"},
            {"governance": "workstation", "staff": "15", "relay": "S-West"}]
    mixed = CommunityWorkloadModel(rostered(tmp_path, rows))
    for index, row in enumerate(rows):
        folder = tmp_path / f"alone{index}"
        folder.mkdir()
        alone = CommunityWorkloadModel(rostered(folder, [row]))
        assert pools_and_routes(mixed, index) == pools_and_routes(alone, 0)
    assert pools_and_routes(mixed, 1)["admin_role"] == WORKSTATION     # the models differ
    assert pools_and_routes(mixed, 0)["admin_role"] == COMMITTEE


def test_each_community_of_a_mixed_city_works_as_under_its_model_city_wide(tmp_path):
    """The issue's test, on the same two communities: in a city with one community of each
    model, each community's books equal its books when the whole city runs its model (same
    roster and seed, so the same arrivals: the two runs differ only in the other community's
    model). The quiet scenario has no turnover or assessment, whose draws and scores span
    the city. One staff member and no lending make the models differ: the workstation keeps
    round(0.33) = 0 people in the committee, so self-governance waits."""
    rows = [{"governance": "", "staff": "9"}, {"governance": "", "staff": "1",
                                               "relay": "S-West", "district": "West"}]

    def run(**values):
        return run_model(rostered(tmp_path, rows, governance__lending_share=0.0, **values),
                         seed=3)

    mixed = run(governance__by_district={"West": "workstation"})
    two = run(governance__model="two_committees")
    station = run(governance__model="workstation")
    assert mixed.city.governance.tolist() == ["two_committees", "workstation"]
    assert np.array_equal(mixed.ledger.weekly[:, :, 0], two.ledger.weekly[:, :, 0])
    assert np.array_equal(mixed.ledger.weekly[:, :, 1], station.ledger.weekly[:, :, 1])
    assert not np.array_equal(two.ledger.weekly[:, :, 1], station.ledger.weekly[:, :, 1])


def test_a_workstation_lends_only_to_its_own_committee_in_a_mixed_city(tmp_path):
    model = CommunityWorkloadModel(rostered(tmp_path, [
        {"governance": "workstation"}, {"governance": "two_committees"},
        {"governance": "workstation"}]))
    workforce = model.workforce
    lending = np.flatnonzero(workforce.partner >= 0)
    assert sorted(workforce.community[lending].tolist()) == [0, 0, 2, 2]
    assert np.array_equal(workforce.community[workforce.partner[lending]],
                          workforce.community[lending])


def test_a_zone_centre_serves_only_the_zone_governed_communities_of_its_relay(tmp_path):
    zone = {"relay": "Z1", "relay_kind": "zone_committee"}
    model = CommunityWorkloadModel(rostered(
        tmp_path, [{**zone, "governance": "zone_committee"}, {**zone, "governance": "workstation"},
                   {"governance": "two_committees"}],
        governance__zone_categories=["social_insurance"],
        governance__zone_staff_per_community=2.0))
    workforce = model.workforce
    centre = np.flatnonzero(workforce.role == ZONE)
    assert workforce.staff[centre].tolist() == [2]               # one zone-governed community
    assert model.routes[:, 0].tolist() == [centre[0], *model.routes[1:, 0].tolist()]
    assert workforce.role[model.routes[1:, 0]].tolist() == [WORKSTATION, COMMITTEE]


def test_governance_by_district_routes_communities_whose_row_leaves_it_empty(tmp_path):
    scenario = rostered(tmp_path, [{"district": "Shushan", "governance": ""},
                                   {"district": "Luyang", "governance": ""},
                                   {"district": "Shushan", "governance": "two_committees"}],
                        governance__by_district={"Shushan": "workstation"})
    model = CommunityWorkloadModel(scenario)
    assert model.city.governance.tolist() == ["workstation", "two_committees", "two_committees"]
    admin = np.flatnonzero(model.catalog.kind != SELFGOV)
    roles = model.workforce.role[model.routes[:, admin]]
    assert (roles[0] == WORKSTATION).all() and (roles[1:] == COMMITTEE).all()


@pytest.mark.parametrize("rows, by_district, message", [
    ([{"district": "Luyang"}], {"Shushan": "workstation"},
     "governance.by_district: district(s) 'Shushan' not in the city; the city's districts are "
     "Luyang"),
    ([{"district": "Xinzhan", "governance": ""}, {"district": "Luyang", "governance": ""}],
     {"Xinzhan": "zone_committee"},
     "governance.by_district.Xinzhan = 'zone_committee' gives community 'A1' (and 0 more) a "
     "model that needs a zone_committee relay, but its relay 'S-East' is a street_office that "
     "also relays to communities under other models"),
])
def test_a_district_table_that_does_not_fit_the_city_is_refused(tmp_path, rows, by_district,
                                                                 message):
    if rows is None:
        scenario = quiet_scenario(write_catalog(tmp_path / "c.csv", MIXED_CATALOG),
                                  governance__by_district=by_district)
    else:
        scenario = rostered(tmp_path, rows, governance__by_district=by_district)
    with pytest.raises(UserError) as caught:
        CommunityWorkloadModel(scenario)
    assert message in str(caught.value)


def test_a_street_office_whose_communities_all_get_the_zone_model_becomes_a_zone_committee(
        tmp_path):
    """As in the synthetic city under zone_committee: the whole city as zone committees is a
    counterfactual a roster must allow."""
    scenario = rostered(tmp_path, [{"governance": ""}, {"governance": ""},
                                   {"relay": "S-West", "governance": ""}],
                        governance__model="zone_committee")
    model = CommunityWorkloadModel(scenario)
    assert (model.city.relay_kind == ZONE_COMMITTEE).all()
    assert (model.city.governance == "zone_committee").all()


def test_the_synthetic_city_has_no_districts_so_a_district_table_is_noted_not_read(tmp_path):
    scenario = quiet_scenario(write_catalog(tmp_path / "c.csv", MIXED_CATALOG),
                              governance__by_district={"Shushan": "workstation"})
    assert any("governance.by_district" in note and "set city.roster" in note
               for note in scenario.inert_settings)
    assert (CommunityWorkloadModel(scenario).city.governance == "two_committees").all()


def test_an_unknown_model_in_the_district_table_is_refused_naming_the_entry(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text('[governance.by_district]\nShushan = "anarchy"\n', encoding="utf-8")
    with pytest.raises(UserError, match=r"bad value 'anarchy' for 'governance.by_district."
                                        r"Shushan'; expected one of 'two_committees'"):
        load_scenario(path)


def test_a_district_table_in_a_file_is_one_key(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text('[governance.by_district]\nShushan = "workstation"\nLuyang = '
                    '"two_committees"\n', encoding="utf-8")
    assert load_scenario(path)["governance.by_district"] == {
        "Shushan": "workstation", "Luyang": "two_committees"}


def test_grid_heads_sit_in_each_communitys_own_administrative_pool(tmp_path):
    model = CommunityWorkloadModel(rostered(
        tmp_path, [{"governance": "workstation"}, {"governance": "two_committees"}],
        staffing__staff_per_community=15.0, reforms__grid_delegation__enabled=True))
    grid = next(r for r in model.reforms if r.name == "grid_delegation")
    heads = grid.heads(model.workforce)
    with_heads = np.flatnonzero(heads > 0)
    assert model.workforce.role[with_heads].tolist() == [COMMITTEE, WORKSTATION]
    assert model.workforce.community[with_heads].tolist() == [1, 0]


# --- reforms, agents, notes, command line --------------------------------------------------------
def test_splitting_a_rostered_city_keeps_district_relay_and_governance(tmp_path):
    scenario = rostered(tmp_path, [
        {"households": "9000", "staff": "11", "district": "West", "relay": "S-West",
         "governance": "workstation"},
        {"households": "3000", "staff": ""}],
        reforms__split__enabled=True, reforms__split__max_households=6000.0)
    city = CommunityWorkloadModel(scenario).city
    assert city.community_id.tolist() == ["A1/1", "A1/2", "A2"]
    assert city.district.tolist() == ["West", "West", "East"]
    assert city.relay_name[city.relay].tolist() == ["S-West", "S-West", "S-East"]
    assert city.governance.tolist() == ["workstation", "workstation", "two_committees"]
    assert city.staff.tolist() == [6, 5, USE_RULE]             # 11 divided, nobody lost
    assert city.households.tolist() == [4500.0, 4500.0, 3000.0]


def test_community_agents_expose_who_they_are_to_a_data_collector(tmp_path):
    model = CommunityWorkloadModel(rostered(tmp_path, [{"name": "Alpha"},
                                                       {"district": "West", "name": "Beta",
                                                        "governance": "workstation"}]))
    collector = mesa.DataCollector(agenttype_reporters={Community: {
        key: key for key in ("community_id", "name", "district", "governance")}})
    collector.collect(model)
    table = collector.get_agenttype_vars_dataframe(Community)
    assert table[["community_id", "name", "district", "governance"]].values.tolist() == [
        ["A1", "Alpha", "East", "two_committees"], ["A2", "Beta", "West", "workstation"]]


def test_synthetic_keys_are_flagged_while_a_roster_is_set(tmp_path):
    roster = write_roster(tmp_path / "r.csv", [{}])
    loaded = load_scenario(SCENARIOS / "baseline.toml",
                           [f"city.roster={json.dumps(str(roster))}", "city.communities=40"])
    assert loaded.inert_settings == [
        f'--set city.communities=40 has no effect while city.roster = {json.dumps(str(roster))}; '
        'set city.roster = "" to make it count']


def test_a_models_keys_are_not_flagged_when_a_district_uses_that_model():
    loaded = load_scenario(SCENARIOS / "baseline.toml", [
        'governance.by_district={Shushan="workstation"}', "governance.committee_share=0.4"])
    assert loaded.inert_settings == []


def test_a_bad_roster_stops_the_command_line_with_exit_status_2_and_no_traceback(tmp_path):
    roster = write_roster(tmp_path / "r.csv", [{"households": "lots"}])
    for command in ("run", "validate"):
        result = CliRunner().invoke(main, [command, str(SCENARIOS / "baseline.toml"),
                                           "--set", f"city.roster={json.dumps(str(roster))}"])
        assert result.exit_code == 2, result.output
        assert f"{roster}: row 2, column 'households': bad value 'lots'" in result.output
        assert "Traceback" not in result.output


def test_validate_reports_the_rosters_communities(tmp_path):
    roster = write_roster(tmp_path / "r.csv", [{}, {}])
    result = CliRunner().invoke(main, ["validate", str(SCENARIOS / "baseline.toml"), "--set",
                                       f"city.roster={json.dumps(str(roster))}", "--set",
                                       "governance.by_district={}"])
    assert result.exit_code == 0, result.output
    assert f"2 communities from {roster}" in result.output


def test_listed_relay_strictness_counts_the_rosters_relays(tmp_path):
    """The synthetic city's 51 relays do not matter: two roster relays take two values."""
    rows = [{}, {"relay": "S-West"}]
    listed = {"reforms__access_list__enabled": True,
              "reforms__enforcement__relay_strictness": ["0.2", "0.9"]}
    model = CommunityWorkloadModel(rostered(tmp_path, rows, **listed))
    access = next(r for r in model.reforms if r.name == "access_list")
    assert access.enforcement.level(0).tolist() == [0.2, 0.9]
    with pytest.raises(UserError, match="relay_strictness"):
        CommunityWorkloadModel(rostered(tmp_path, rows[:1], **listed))
