"""Shipped scenarios: run by name from any folder, listed, copied out, and found by 'extends'."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

import scenarios as shipped
from sim.cli import main
from sim.errors import UserError
from sim.scenario import extends_reference, load_scenario, read_meta
from tests.conftest import SCENARIOS, SYNTHETIC_SET

TINY = [*SYNTHETIC_SET, "--set", "city.communities=3", "--set", "city.street_offices=1",
        "--set", "city.zone_committees=0", "--set", "simulation.days=10", "--reps", "1"]


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def elsewhere(tmp_path, monkeypatch):
    """An empty working folder, away from the checkout's scenarios/."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_package_ships_every_scenario_file_of_the_folder():
    assert shipped.folder().resolve() == SCENARIOS.resolve()
    assert shipped.names() == sorted(p.stem for p in SCENARIOS.glob("*.toml"))
    assert len(shipped.names()) >= 12


@pytest.mark.parametrize("name", ["baseline", "baseline.toml"])
def test_a_shipped_name_runs_from_any_folder(elsewhere, name):
    result = invoke("run", name, *TINY)
    assert result.exit_code == 0, result.output
    assert "scenario baseline: 1 replicate(s)" in result.output


def test_a_local_file_of_that_path_wins(elsewhere):
    (elsewhere / "baseline.toml").write_text('name = "mine"\ncity.communities = 7\n',
                                             encoding="utf-8")
    mine = load_scenario("baseline.toml")
    assert (mine.name, mine["city.communities"]) == ("mine", 7)
    assert load_scenario("baseline").name == "baseline"        # no local file 'baseline'


def test_a_path_with_a_folder_never_means_a_shipped_scenario(elsewhere):
    with pytest.raises(UserError, match="scenario file not found"):
        load_scenario("somewhere/baseline.toml")


def test_an_unknown_name_lists_the_shipped_ones(elsewhere):
    result = invoke("run", "baselin")
    assert result.exit_code == 2
    assert "baselin: scenario file not found, and no shipped scenario has that name" \
        in result.output
    assert "shipped: access_list, baseline, digital" in result.output
    assert "Traceback" not in result.output


def test_scenarios_lists_each_with_its_description():
    result = invoke("scenarios")
    assert result.exit_code == 0
    for name in shipped.names():
        description = read_meta(shipped.locate(name))["description"]
        assert description
        assert any(line.startswith(name) and description in line
                   for line in result.output.splitlines()), name


def test_copy_writes_a_scenario_that_still_finds_its_parent(elsewhere):
    result = invoke("scenarios", "copy", "access_list", "mine")
    assert result.exit_code == 0, result.output
    copied = elsewhere / "mine" / "access_list.toml"
    assert copied.read_text(encoding="utf-8") == \
        (SCENARIOS / "access_list.toml").read_text(encoding="utf-8")
    assert "extends baseline.toml" in result.output
    assert load_scenario(copied).values == load_scenario("access_list").values


def test_copy_refuses_to_overwrite_unless_asked(elsewhere):
    target = elsewhere / "baseline.toml"
    target.write_text("# my edits\n", encoding="utf-8")
    refused = invoke("scenarios", "copy", "baseline")
    assert refused.exit_code == 2
    assert f"{target.name}: file exists" in refused.output and "--overwrite" in refused.output
    assert target.read_text(encoding="utf-8") == "# my edits\n"
    assert invoke("scenarios", "copy", "baseline", "--overwrite").exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("# Hefei")


def test_copy_of_an_unknown_name_lists_the_shipped_ones(elsewhere):
    result = invoke("scenarios", "copy", "nothing")
    assert result.exit_code == 2
    assert "nothing: no shipped scenario has that name; shipped: access_list" in result.output
    assert not list(elsewhere.iterdir())


def test_extends_prefers_a_parent_beside_the_file(tmp_path):
    (tmp_path / "baseline.toml").write_text("city.communities = 9\n", encoding="utf-8")
    child = tmp_path / "child.toml"
    child.write_text('extends = "baseline.toml"\nsimulation.days = 20\n', encoding="utf-8")
    assert load_scenario(child)["city.communities"] == 9
    (tmp_path / "baseline.toml").unlink()
    assert load_scenario(child)["city.communities"] == load_scenario("baseline")[
        "city.communities"]


def test_a_missing_parent_names_the_file_and_the_shipped_ones(tmp_path):
    child = tmp_path / "child.toml"
    child.write_text('extends = "gone.toml"\n', encoding="utf-8")
    with pytest.raises(UserError, match=r"gone.toml: scenario file not found \(named by "
                                        r"'extends' in .*child.toml\).*shipped: access_list"):
        load_scenario(child)


def test_a_file_elsewhere_names_a_shipped_parent_by_its_file_name(tmp_path):
    baseline = shipped.locate("baseline")
    assert extends_reference(baseline, tmp_path) == "baseline.toml"
    (tmp_path / "baseline.toml").write_text("", encoding="utf-8")   # would shadow it
    assert Path(tmp_path / extends_reference(baseline, tmp_path)).resolve() == \
        baseline.resolve()
    own = tmp_path / "own.toml"
    assert extends_reference(own, tmp_path / "sub") == os.path.join("..", "own.toml")


def test_the_flagship_is_every_file_with_a_place_in_that_order():
    """`make run` compares the baseline with these, in this order (its tables follow it)."""
    result = invoke("scenarios", "--flagship")
    assert result.exit_code == 0, result.output
    assert result.output.split() == [
        "access_list", "funding", "grid_delegation", "digital", "split_communities",
        "protected_time", "staff_per_households", "reform_package"]


def test_two_flagship_scenarios_claiming_one_place_are_refused(tmp_path, monkeypatch):
    for name in ("a", "b"):
        (tmp_path / f"{name}.toml").write_text("flagship_order = 2\n", encoding="utf-8")
    monkeypatch.setattr(shipped, "folder", lambda: tmp_path)
    result = invoke("scenarios", "--flagship")
    assert result.exit_code != 0
    assert "b.toml: 'flagship_order' = 2 is already the place of a" in result.output
