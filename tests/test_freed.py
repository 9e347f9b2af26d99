"""Where the freed hours went: an exact decomposition of the administrative hours a scenario
frees against the first, on real small comparisons."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from analysis.brief import brief_charts
from analysis.charts import available
from analysis.freed import FREED, PARTS, format_freed, summarise_freed
from analysis.results import load_results
from sim import compare
from sim.cli import main
from sim.scenario import load_scenario
from tests.conftest import SCENARIOS, SYNTHETIC

SMALL = [*SYNTHETIC, "city.communities=20", "simulation.days=60"]
SETS = [arg for s in SMALL for arg in ("--set", s)]


@pytest.fixture(scope="module")
def comparison():
    """Baseline, access list, and the baseline with more staff (a pure staffing change)."""
    scenarios = [load_scenario(SCENARIOS / "baseline.toml", SMALL),
                 load_scenario(SCENARIOS / "access_list.toml", SMALL),
                 load_scenario(SCENARIOS / "baseline.toml",
                               [*SMALL, "staffing.staff_per_community=20"])]
    return compare(scenarios, reps=3, seed=5, workers=1)


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("freed") / "cmp"
    result = CliRunner().invoke(main, ["compare", "baseline", "access_list", "--reps", "2",
                                       "--seed", "4", "--workers", "1", *SETS, "--out",
                                       str(out)])
    assert result.exit_code == 0, result.output
    return out


def _measured_sum(comparison, name: str, fields: list[str]) -> pd.Series:
    weekly = comparison.city_weekly
    own = weekly[(weekly["scenario"] == name) & ~weekly["warmup"]]
    return own.groupby("rep")[fields].sum().sum(axis=1)


def test_the_parts_add_up_exactly_to_the_freed_hours_per_scenario_and_replicate(comparison):
    per_rep = comparison.freed_hours()
    assert len(per_rep) == 2 * 3
    gap = per_rep[FREED] - per_rep[list(PARTS)].sum(axis=1)
    assert np.abs(gap).max() < 1e-6 * per_rep[FREED].abs().max()
    access = per_rep[per_rep["scenario"] == "access_list"]
    assert (access[FREED] > 0).all()            # the access list does free admin hours


def test_freed_hours_are_the_fall_in_admin_and_grid_duty_hours_per_community_year(comparison):
    fields = ["hours_administrative", "grid_duty_hours"]
    base = _measured_sum(comparison, "baseline", fields)
    access = _measured_sum(comparison, "access_list", fields)
    per = 20 * comparison.years["baseline"]
    expected = ((base - access) / per).to_numpy()
    got = comparison.freed_hours().query("scenario == 'access_list'")[FREED].to_numpy()
    assert np.allclose(got, expected, rtol=1e-9)


def test_a_staffing_change_shows_in_the_staff_present_term(comparison):
    per_rep = comparison.freed_hours()
    more_staff = per_rep[per_rep["scenario"] == "baseline#2"]
    access = per_rep[per_rep["scenario"] == "access_list"]
    assert (more_staff["staffing"] < -1000).all()      # hours of added staff, subtracted
    assert more_staff["staffing"].abs().mean() > 5 * access["staffing"].abs().mean()


def test_the_table_gives_each_part_an_interval_and_names_its_method(comparison):
    summary = summarise_freed(comparison.freed_hours(), comparison.names)
    parts = summary["scenarios"][0]["parts"]
    assert set(parts) == {FREED, *PARTS}
    for stats in parts.values():
        assert stats["method"] == "t"                   # paired differences, 3 replicates
        assert stats["ci_low"] <= stats["mean"] <= stats["ci_high"]
        assert len(stats["values"]) == 3
    text = format_freed(summary)
    assert "intervals: 95% t" in text and "hours per community per year" in text


def test_compare_writes_freed_hours_csv_and_json(folder):
    table = pd.read_csv(folder / "freed_hours.csv")
    assert set(table["part"]) == {FREED, *PARTS}
    assert set(table["method"]) == {"replicate range"}            # two replicates
    document = json.loads((folder / "comparison.json").read_text(encoding="utf-8"))
    freed = document["freed_hours"]["scenarios"][0]
    assert freed["name"] == "access_list"
    assert freed["parts"][FREED]["mean"] == pytest.approx(
        table.query("part == @FREED")["mean"].iloc[0])


def test_compare_prints_the_table_after_the_metric_table():
    result = CliRunner().invoke(main, ["compare", "baseline", "access_list", "--reps", "2",
                                       "--workers", "1", *SETS])
    assert result.exit_code == 0, result.output
    metrics_at = result.output.index("admin_share")
    assert result.output.index("where the freed hours went") > metrics_at


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_chart_is_drawn_for_a_compare_folder(folder, tmp_path, lang):
    result = CliRunner().invoke(main, ["plot", str(folder), "--lang", lang, "--out",
                                       str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / f"freed_{lang}.png").read_bytes().startswith(b"\x89PNG")


@pytest.mark.slow
def test_the_brief_includes_the_chart_after_the_differences_and_the_cost(folder, tmp_path):
    assert [d.name for d in brief_charts(load_results(folder), 0.05)][:3] == [
        "differences", "cost", "freed"]
    out = tmp_path / "brief_en.pdf"
    result = CliRunner().invoke(main, ["brief", str(folder), "--lang", "en", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "brief_en_images/freed_en.png" in out.with_suffix(".md").read_text(encoding="utf-8")


def test_no_freed_chart_without_a_second_scenario(tmp_path):
    out = tmp_path / "one"
    result = CliRunner().invoke(main, ["compare", "baseline", "--reps", "2", "--workers", "1",
                                       *SETS, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "freed" not in [d.name for d in available(load_results(out))]
    assert pd.read_csv(out / "freed_hours.csv").empty
