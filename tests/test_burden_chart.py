"""The burden-over-time chart from real tiny results folders: a reform that starts after the
warm-up (a shortened five-year comparison), a run measuring more than a year, and a one-year
run whose reform holds from the start (no chart)."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from analysis import charts
from analysis.brief import brief_charts, write_brief
from analysis.results import load_results
from analysis.style import TEXT_GREY, save
from sim.cli import main
from tests.conftest import SCENARIOS, SYNTHETIC
from tests.test_charts import (
    ALLOWED_LATIN,
    CJK,
    GIT_REVISION,
    PNG_MAGIC,
    all_text,
    no_glyph_warnings,
)

pytestmark = pytest.mark.slow      # every test simulates results folders through the CLI

TINY = [*SYNTHETIC, "city.communities=12", "city.street_offices=2", "city.zone_committees=0"]
# One measured year (300 days less a 50-day warm-up); the reform starts 50 days in, at 0.2
# years. The comparator gets the start day too, with its reform switched off.
SHORT = [*TINY, "simulation.days=300", "simulation.warmup_days=50",
         "reforms.access_list.start_day=100"]


def make(folder: Path, command: str, scenarios: list[str], sets: list[str],
         reps: int) -> Path:
    """A results folder written by the real CLI."""
    args = [command, *(str(SCENARIOS / f"{name}.toml") for name in scenarios),
            "--reps", str(reps), "--seed", "3", "--out", str(folder)]
    result = CliRunner().invoke(main, [*args, *(a for s in sets for a in ("--set", s))])
    assert result.exit_code == 0, result.output
    return folder


@pytest.fixture(scope="module")
def five_years(tmp_path_factory) -> Path:
    return make(tmp_path_factory.mktemp("burden") / "compare", "compare",
                ["five_years", "five_years_access_list"], SHORT, reps=2)


def names(folder: Path) -> list[str]:
    return [drawing.name for drawing in charts.available(load_results(folder))]


def test_plot_offers_the_chart_for_a_reform_after_the_warm_up(five_years):
    assert "burden" in names(five_years)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_chart_is_drawn_in_both_languages(five_years, tmp_path, lang):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        path = save(charts.burden_over_time(load_results(five_years), lang),
                    tmp_path / f"burden_{lang}.png")
    data = path.read_bytes()
    assert data.startswith(PNG_MAGIC) and len(data) > 30_000
    assert no_glyph_warnings([str(w.message) for w in caught])


def test_the_chinese_chart_has_no_english_words(five_years):
    fig = charts.burden_over_time(load_results(five_years), "zh")
    words = {w for t in all_text(fig) for w in re.findall(r"[A-Za-z]{3,}",
                                                          GIT_REVISION.sub("git", t))}
    assert words <= ALLOWED_LATIN, words - ALLOWED_LATIN
    assert CJK.search(fig.texts[0].get_text())


def test_each_scenario_has_one_line_of_types_in_force(five_years):
    fig = charts.burden_over_time(load_results(five_years), "en")
    types_panel = fig.axes[1]
    colours = [line.get_color() for line in types_panel.get_lines()
               if line.get_color() != TEXT_GREY]            # the reform's marker is grey
    assert len(colours) == len(set(colours)) == 2


def test_the_marker_stands_at_the_enabled_reforms_start_only(five_years):
    marks = charts.reform_marks(load_results(five_years))
    assert list(marks.index) == pytest.approx([0.2])
    assert marks.tolist() == [["access_list"]]


def test_a_switched_off_reform_has_no_start(five_years):
    results = load_results(five_years)           # both got start_day=100; one has it on
    assert results.reform_starts("five_years") == {}
    assert results.reform_starts("five_years_access_list") == {"access_list": 100}


def test_the_blocks_add_up_to_the_formal_hours_metric(five_years):
    results = load_results(five_years)
    blocks = charts.burden_measures(results).query("scenario == 'five_years_access_list'")
    metric = results.metrics.query("scenario == 'five_years_access_list'")[
        "formal_admin_hours_per_community_year"].mean()
    assert np.average(blocks["formal"], weights=blocks["days"]) == pytest.approx(metric)


def test_a_run_measuring_more_than_a_year_gets_the_chart_without_markers(tmp_path):
    folder = make(tmp_path / "run", "run", ["five_years"],
                  [*TINY, "simulation.days=350", "simulation.warmup_days=50"], reps=1)
    assert "burden" in names(folder)
    assert charts.reform_marks(load_results(folder)).empty


def test_no_chart_for_one_year_with_the_reform_in_force_from_the_start(tmp_path):
    folder = make(tmp_path / "run", "run", ["five_years_access_list"],
                  [*TINY, "simulation.days=300", "simulation.warmup_days=50",
                   "reforms.access_list.start_day=0"], reps=1)
    assert "burden" not in names(folder)


def test_the_brief_shows_the_chart_with_its_caption(five_years, tmp_path):
    charts_in_brief = {d.name: d for d in brief_charts(load_results(five_years), 0.05)}
    out = tmp_path / "brief_en.pdf"
    write_brief(five_years, out, "en")
    caption = charts_in_brief["burden"].chart.caption.pick("en")
    markdown = out.with_suffix(".md").read_text(encoding="utf-8")
    assert f"![{caption}](brief_en_images/burden_en.png)" in markdown
