"""The breakdown charts from real tiny results folders: a mixed city read from a roster gets
one chart by governance model and one by district (key metrics within size bands, with
intervals over replicates); a synthetic single-model city gets none, and its brief says why."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from matplotlib.container import BarContainer, ErrorbarContainer

from analysis import charts
from analysis import labels as lb
from analysis.brief import breakdown_note, brief_charts
from analysis.results import load_results
from sim import groups
from sim.cli import main
from tests.conftest import SCENARIOS, SYNTHETIC
from tests.test_breakdown import ROSTER, write_roster
from tests.test_charts import ALLOWED_LATIN, CJK, GIT_REVISION, PNG_MAGIC, all_text, cli

SHORT = ["simulation.days=40", "simulation.warmup_days=0"]
SMALL_SYNTHETIC = [*SYNTHETIC, "city.communities=8", "city.street_offices=2",
                   "city.zone_committees=0"]
# Roster names are shown as the roster spells them, in every language.
ROSTER_NAMES = {"East", "West"}


def make(folder: Path, sets: list[str]) -> Path:
    """A run folder of the baseline written by the real CLI, two replicates."""
    args = ["run", str(SCENARIOS / "baseline.toml"), "--reps", "2", "--seed", "3",
            "--out", str(folder)]
    result = CliRunner().invoke(main, [*args, *(a for s in sets for a in ("--set", s))])
    assert result.exit_code == 0, result.output
    return folder


@pytest.fixture(scope="module")
def mixed(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("mixed")
    roster = write_roster(base / "roster.csv")
    return make(base / "run", [f'city.roster="{roster}"', "governance.by_district={}", *SHORT])


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Path:
    return make(tmp_path_factory.mktemp("synthetic") / "run", [*SMALL_SYNTHETIC, *SHORT])


def names(folder: Path) -> list[str]:
    return [drawing.name for drawing in charts.available(load_results(folder))]


def test_a_mixed_city_gets_a_chart_by_governance_and_one_by_district(mixed):
    assert {"breakdown_governance", "breakdown_district"} <= set(names(mixed))


def test_a_single_model_city_gets_none_and_the_brief_says_why(synthetic):
    results = load_results(synthetic)
    assert results.breakdown is not None and not charts.breakdown_levels(results)
    assert not [n for n in names(synthetic) if n.startswith("breakdown")]
    assert "one governance model and one district" in " ".join(breakdown_note(results, "en"))
    assert "一种治理模式和一个城区" in " ".join(breakdown_note(results, "zh"))


def test_a_mixed_city_brief_shows_the_breakdown_and_no_note(mixed):
    results = load_results(mixed)
    assert not breakdown_note(results, "en")
    assert "breakdown_governance" in [d.name for d in brief_charts(results, 0.05)]


def test_each_panel_has_a_bar_per_group_and_band_with_its_interval(mixed):
    fig = charts.by_group(load_results(mixed), "en", level="governance")
    models = list(dict.fromkeys(r[4] for r in ROSTER))
    assert len(fig.axes) == len(charts.BREAKDOWN_METRICS)
    for ax in fig.axes:
        bars = [len(c.patches) for c in ax.containers if isinstance(c, BarContainer)]
        assert bars == [1 + len(_bands_of(m)) for m in models]     # every size, then bands
        intervals = [c for c in ax.containers if isinstance(c, ErrorbarContainer)]
        assert len(intervals) == len(models)
        assert ax.get_xticklabels()[0].get_text() == "All sizes"


def _bands_of(model: str) -> set[str]:
    """The size bands the roster's communities of a governance model fall in."""
    sizes = pd.Series([float(r[3]) for r in ROSTER if r[4] == model]).to_numpy()
    return set(groups.size_band(sizes))


def test_the_chart_speaks_both_languages(mixed):
    results = load_results(mixed)
    english = all_text(charts.by_group(results, "en", level="district"))
    chinese = charts.by_group(results, "zh", level="governance")
    assert not [t for t in english if CJK.search(t)]
    words = {w for t in all_text(chinese)
             for w in re.findall(r"[A-Za-z]{3,}", GIT_REVISION.sub("git", t))}
    assert words <= ALLOWED_LATIN, words - ALLOWED_LATIN
    assert "两委模式" in all_text(chinese) and CJK.search(chinese.texts[0].get_text())
    district = all_text(charts.by_group(results, "zh", level="district"))
    assert set(district) >= ROSTER_NAMES


def test_plot_writes_the_charts_with_their_numbers(mixed, tmp_path):
    result = cli("plot", mixed, "--out", tmp_path)
    assert result.exit_code == 0, result.output
    for level in ("governance", "district"):
        path = tmp_path / f"breakdown_{level}_en.png"
        assert path.read_bytes().startswith(PNG_MAGIC)
        data = pd.read_csv(path.with_suffix(".csv"))
        assert set(data.loc[data["kind"] == "bar", "series"]) >= (
            {"Two committees", "Workstation"} if level == "governance" else ROSTER_NAMES)


def test_the_light_labels_spell_the_all_sizes_band_as_the_groups_do():
    assert lb.ALL_SIZES == groups.ALL_SIZES
