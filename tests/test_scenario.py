"""Scenario files: inheritance, overrides and clear errors for bad input."""

from __future__ import annotations

import os
import re

import pytest

from sim.errors import UserError
from sim.parameters import BY_KEY, PARAMETERS, Param
from sim.scenario import load_scenario, parse_override, read_meta, validate_value
from tests.conftest import SCENARIOS, SYNTHETIC


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_baseline_holds_the_report_city():
    scenario = load_scenario(SCENARIOS / "baseline.toml")
    assert scenario["city.communities"] == 362
    assert scenario["city.street_offices"] == 38
    assert scenario["city.zone_committees"] == 13
    assert scenario["staffing.staff_per_community"] == 15
    assert scenario["city.grid_personnel_per_1000_households"] == 3.615


def test_required_dotted_keys_exist():
    keys = {p.key for p in PARAMETERS}
    for key in ("city.communities", "simulation.days", "staffing.staff_per_community",
                "governance.model", "reforms.access_list.max_admin_tasks"):
        assert key in keys


def test_every_shipped_scenario_loads_and_extends_the_baseline():
    """Directly, or through another shipped scenario (the five-year comparator)."""
    files = sorted(SCENARIOS.glob("*.toml"))
    assert len(files) >= 9
    for path in files:
        scenario = load_scenario(path)
        assert scenario.name
        parent = path
        while parent.name != "baseline.toml":
            extends = re.search(r'^extends = "(.+)"', parent.read_text(encoding="utf-8"), re.M)
            assert extends, f"{path.name} does not extend baseline.toml"
            parent = SCENARIOS / extends.group(1)


def test_child_overrides_parent_and_keeps_the_rest(tmp_path):
    write(tmp_path, "parent.toml", "[city]\ncommunities = 50\nstreet_offices = 5\n")
    child = write(tmp_path, "child.toml", 'extends = "parent.toml"\ncity.communities = 7\n')
    scenario = load_scenario(child)
    assert scenario["city.communities"] == 7
    assert scenario["city.street_offices"] == 5
    assert scenario.name == "child"


def test_set_overrides_any_key_with_toml_literals():
    scenario = load_scenario(SCENARIOS / "baseline.toml",
                             [*SYNTHETIC, "city.communities=40", "governance.model=workstation",
                              "reforms.access_list.enabled=true"])
    assert scenario["city.communities"] == 40
    assert scenario["governance.model"] == "workstation"
    assert scenario["reforms.access_list.enabled"] is True


def test_unknown_key_is_named_with_the_nearest_valid_one(tmp_path):
    path = write(tmp_path, "bad.toml", "[city]\ncomunities = 40\n")
    with pytest.raises(UserError, match=r"unknown key 'city.comunities'.*'city.communities'"):
        load_scenario(path)


def test_wrong_type_names_key_value_and_allowed(tmp_path):
    path = write(tmp_path, "bad.toml", '[city]\ncommunities = "many"\n')
    with pytest.raises(UserError, match=r"bad.toml.*'many'.*city.communities.*integer in \[1"):
        load_scenario(path)


def test_out_of_range_value_names_the_range(tmp_path):
    path = write(tmp_path, "bad.toml", "[reforms.protected_time]\nshare = 1.5\n")
    with pytest.raises(UserError, match=r"1.5.*reforms.protected_time.share.*\[0, 1\]"):
        load_scenario(path)


@pytest.mark.parametrize("literal", ["nan", "inf", "-inf"])
def test_a_non_finite_file_value_names_file_key_value_and_range(tmp_path, literal):
    path = write(tmp_path, "odd.toml", f"[tasks]\neffort_scale = {literal}\n")
    with pytest.raises(UserError) as err:
        load_scenario(path)
    assert str(err.value) == (f"{path}: key 'tasks.effort_scale': bad value {literal} for "
                              "'tasks.effort_scale'; expected a finite number in [0, 100]")


@pytest.mark.parametrize("literal", ["nan", "+inf", "-inf"])
def test_a_non_finite_set_value_is_refused(literal):
    with pytest.raises(UserError) as err:
        parse_override(f"tasks.effort_scale={literal}")
    assert str(err.value).startswith(f"--set tasks.effort_scale={literal}: bad value ")
    assert str(err.value).endswith("expected a finite number in [0, 100]")


def test_an_open_bound_reads_as_a_finite_range():
    assert Param("x", 1.0, float, "", "", low=0).allowed() == "a finite number >= 0"
    assert Param("x", 1.0, float, "", "").allowed() == "any finite number"


def test_unknown_choice_lists_the_choices(tmp_path):
    path = write(tmp_path, "bad.toml", 'governance.model = "anarchy"\n')
    with pytest.raises(UserError, match="'two_committees', 'workstation', 'zone_committee'"):
        load_scenario(path)


def test_toml_syntax_error_names_file_and_line(tmp_path):
    path = write(tmp_path, "broken.toml", "[city]\ncommunities = 4\nstreet_offices = = 2\n")
    with pytest.raises(UserError, match=r"broken.toml: TOML syntax error.*line 3"):
        load_scenario(path)


def test_missing_file_names_the_path(tmp_path):
    with pytest.raises(UserError, match=r"nowhere.toml: scenario file not found"):
        load_scenario(tmp_path / "nowhere.toml")


def test_missing_parent_names_the_parent_path(tmp_path):
    path = write(tmp_path, "child.toml", 'extends = "gone.toml"\n')
    with pytest.raises(UserError, match=r"gone.toml: scenario file not found"):
        load_scenario(path)


def test_extends_cycle_is_refused(tmp_path):
    write(tmp_path, "a.toml", 'extends = "b.toml"\n')
    write(tmp_path, "b.toml", 'extends = "a.toml"\n')
    with pytest.raises(UserError, match="cycle"):
        load_scenario(tmp_path / "a.toml")


def test_inconsistent_sizes_are_refused(tmp_path):
    path = write(tmp_path, "bad.toml", "[city]\nhouseholds_min = 9000\nhouseholds_max = 8000\n")
    with pytest.raises(UserError, match="households_median"):
        load_scenario(path)


@pytest.mark.parametrize("text, message", [
    ("city.communities", "expected KEY=VALUE"),
    ("city.comunities=4", "did you mean 'city.communities'"),
    ("city.communities=abc", "not a value; expected an integer"),
    ("city.communities=0", r"bad value 0 .*\[1, 20000\]"),
])
def test_bad_set_gets_a_clear_message(text, message):
    with pytest.raises(UserError, match=message):
        parse_override(text)


def test_catalog_path_is_relative_to_the_scenario_file(tmp_path):
    (tmp_path / "sub").mkdir()
    path = write(tmp_path / "sub", "s.toml", 'tasks.catalog = "my.csv"\n')
    assert load_scenario(path)["tasks.catalog"] == str((tmp_path / "sub" / "my.csv").resolve())


# --- settings that change nothing because their switch is off ---------------------------------

def test_a_set_parameter_of_a_switched_off_reform_is_reported():
    scenario = load_scenario(SCENARIOS / "baseline.toml",
                             ["reforms.access_list.max_admin_tasks=60"])
    assert scenario.inert_settings == [
        "--set reforms.access_list.max_admin_tasks=60 has no effect while "
        "reforms.access_list.enabled = false; set reforms.access_list.enabled = true to make "
        "it count"]


def test_a_file_setting_of_a_switched_off_reform_names_the_file(tmp_path):
    path = write(tmp_path, "s.toml", f'extends = "{SCENARIOS / "baseline.toml"}"\n'
                                     "reforms.funding.coverage = 0.7\n")
    assert load_scenario(path).inert_settings == [
        f"{path.resolve()}: reforms.funding.coverage = 0.7 has no effect while "
        "reforms.funding.enabled = false; set reforms.funding.enabled = true to make it count"]


@pytest.mark.parametrize("setting, switch", [
    ("governance.committee_share=0.4", 'governance.model = "workstation"'),
    ("governance.zone_staff_per_community=3", 'governance.model = "zone_committee"'),
    ("staffing.staff_per_1000_households=5", 'staffing.basis = "per_households"'),
    ("city.grid_personnel_per_1000_households=5", "reforms.grid_delegation.enabled = true"),
    ("city.grid_dedicated_share=0.2", "reforms.grid_delegation.enabled = true"),
    ("reforms.grid_delegation.head_duty_hours=2", "reforms.grid_delegation.enabled = true"),
    ("staffing.turnover.hiring_delay_days=10", "staffing.turnover.enabled = true"),
])
def test_a_key_read_only_under_another_setting_names_that_setting(setting, switch):
    overrides = [*SYNTHETIC, setting, "staffing.turnover.enabled=false"]
    notes = load_scenario(SCENARIOS / "baseline.toml", overrides).inert_settings
    assert len(notes) == 1 and notes[0].endswith(f"set {switch} to make it count")


def test_no_shipped_scenario_has_a_setting_that_changes_nothing():
    for path in SCENARIOS.glob("*.toml"):
        assert load_scenario(path).inert_settings == [], path.name


def test_nothing_is_reported_when_the_switch_is_on():
    scenario = load_scenario(SCENARIOS / "access_list.toml",
                             ["reforms.access_list.max_admin_tasks=60"])
    assert scenario.inert_settings == []


def test_a_file_that_writes_out_a_default_is_not_reported(tmp_path):
    path = write(tmp_path, "s.toml", "reforms.access_list.max_admin_tasks = 96\n")
    assert load_scenario(path).inert_settings == []


def test_a_varied_key_is_reported_unless_its_switch_is_varied_too():
    scenario = load_scenario(SCENARIOS / "baseline.toml")
    assert scenario.inert_with(["reforms.digital.effort_cut"]) == [
        "reforms.digital.effort_cut (varied) has no effect while reforms.digital.enabled = "
        "false; set reforms.digital.enabled = true to make it count"]
    assert scenario.inert_with(["reforms.digital.effort_cut", "reforms.digital.enabled"]) == []


def test_every_dependency_names_a_switch_and_a_value_it_can_take():
    for param in PARAMETERS:
        if param.needs:
            switch, wanted = param.needs
            assert switch != param.key and BY_KEY[switch].needs is None, param.key
            assert validate_value(BY_KEY[switch], wanted, param.key) == wanted
        group = param.key.rsplit(".", 1)[0]
        if f"{group}.enabled" in BY_KEY and not param.key.endswith(".enabled"):
            assert param.needs == (f"{group}.enabled", True), param.key


def test_a_plausible_range_holds_the_default_and_lies_within_the_bounds():
    for param in PARAMETERS:
        if param.plausible is None:
            continue
        low, high = param.plausible
        assert low <= param.default <= high, param.key
        assert param.low is None or param.low <= low, param.key
        assert param.high is None or high <= param.high, param.key


def test_an_anchor_quit_rate_above_the_ceiling_is_refused():
    with pytest.raises(UserError, match=r"overload_quit_rate = 0\.5 must not exceed"):
        load_scenario(SCENARIOS / "baseline.toml", ["staffing.turnover.overload_quit_rate=0.5"])


@pytest.mark.parametrize("literal", ["0", "-1", "1.5", "true", '"first"'])
def test_a_bad_flagship_order_names_file_key_value_and_what_is_allowed(tmp_path, literal):
    path = write(tmp_path, "bad.toml", f"flagship_order = {literal}\n")
    with pytest.raises(UserError, match=r"bad.toml: bad value .* for 'flagship_order'; "
                                        r"expected an integer >= 1"):
        load_scenario(path)


def test_flagship_order_is_a_file_s_own_and_not_inherited(tmp_path):
    write(tmp_path, "parent.toml", "flagship_order = 3\n")
    child = write(tmp_path, "child.toml", 'extends = "parent.toml"\n')
    load_scenario(child)                         # the parent's key is read, not inherited
    assert "flagship_order" in read_meta(tmp_path / "parent.toml")
    assert "flagship_order" not in read_meta(child)


def test_a_scenario_record_names_its_files_as_the_scenario_file_reads_them(tmp_path):
    """Records (manifests, an ensemble's provenance) hold the roster's path relative to the
    scenario's folder, not where this checkout happens to be; the loaded value is absolute."""
    scenario = load_scenario(SCENARIOS / "baseline.toml")
    assert scenario["city.roster"] == str((SCENARIOS / "rosters" / "hefei.csv").resolve())
    assert scenario.nested()["city"]["roster"] == "rosters/hefei.csv"
    parent = (SCENARIOS / "baseline.toml").as_posix()
    elsewhere = write(tmp_path, "mine.toml", f'extends = "{parent}"\n')
    assert load_scenario(elsewhere).nested()["city"]["roster"] == os.path.relpath(
        SCENARIOS / "rosters" / "hefei.csv", tmp_path).replace(os.sep, "/")
