"""Charts from real small results folders: every chart type, both languages, every format."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import warnings
from importlib.metadata import version
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from matplotlib.text import Text

from analysis import charts, style
from analysis.commands import brief_command, plot_command
from analysis.results import load_results
from sim.cli import CommsimGroup, main
from sim.errors import UserError
from tests.conftest import ROOT, SCENARIOS, SYNTHETIC_SET

pytestmark = pytest.mark.slow      # nearly every test shares the module's results folders

SMALL = [*SYNTHETIC_SET, "--set", "city.communities=16", "--set", "city.street_offices=2",
         "--set", "city.zone_committees=0", "--set", "simulation.days=50"]
FOLDERS = {
    "run": ["run", "baseline.toml", "--reps", "2", "--seed", "3"],
    "compare": ["compare", "baseline.toml", "access_list.toml", "funding.toml", "--reps", "2",
                "--seed", "3"],
    "sweep_one": ["sweep", "baseline.toml", "--vary", "staffing.staff_per_community=8,14",
                  "--reps", "2", "--quiet"],
    "sweep_two": ["sweep", "baseline.toml", "--vary", "staffing.staff_per_community=8,20",
                  "--vary", "city.households_median=2500,5000", "--reps", "2", "--quiet"],
    "sweep_named": ["sweep", "baseline.toml", "--vary",
                    "governance.model=two_committees,workstation", "--quiet"],
}
EXPECTED = {
    "run": {"hours", "communities", "through_year"},
    "compare": {"hours", "communities", "through_year", "differences", "freed", "cost"},
    "sweep_one": {"response_staffing-staff_per_community"},
    "sweep_two": {"heatmap", "frontier"},
    "sweep_named": {"response_governance-model"},
}
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
GLYPH_WORDS = ("missing from", "Glyph")


@pytest.fixture(scope="module")
def folders(tmp_path_factory) -> dict[str, Path]:
    """One tiny results folder per command (and per kind of sweep), made with the real CLI."""
    base = tmp_path_factory.mktemp("results")
    made = {}
    for name, (command, scenario, *rest) in FOLDERS.items():
        scenarios = [str(SCENARIOS / arg) if arg.endswith(".toml") else arg for arg in rest]
        out = base / name
        result = CliRunner().invoke(main, [command, str(SCENARIOS / scenario), *scenarios,
                                           *SMALL, "--out", str(out)])
        assert result.exit_code == 0, result.output
        made[name] = out
    return made


def cli(*args: str):
    """The commands under the same group class as ``commsim``: UserError -> status 2."""
    group = CommsimGroup(commands=[plot_command, brief_command])
    return CliRunner().invoke(group, [str(a) for a in args])


def plot_quietly(*args: str) -> tuple:
    """Run ``plot`` and return its result with every warning it raised."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = cli("plot", *args)
    return result, [str(w.message) for w in caught]


def no_glyph_warnings(messages: list[str]) -> bool:
    return not [m for m in messages if any(word in m for word in GLYPH_WORDS)]


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", list(FOLDERS))
def test_each_folder_gets_the_charts_that_fit_it(folders, tmp_path, name, lang):
    result, messages = plot_quietly(folders[name], "--out", tmp_path, "--lang", lang)
    assert result.exit_code == 0, result.output
    files = sorted(tmp_path.glob("*.png"))
    assert {f.name.removesuffix(f"_{lang}.png") for f in files} == EXPECTED[name]
    for path in files:
        data = path.read_bytes()
        assert data.startswith(PNG_MAGIC) and 30_000 < len(data) < 3_000_000, path
    assert no_glyph_warnings(messages), messages


def test_plot_defaults_to_a_charts_folder_inside_the_results(folders):
    result = cli("plot", folders["sweep_one"])
    assert result.exit_code == 0, result.output
    assert (folders["sweep_one"] / "charts" /
            "response_staffing-staff_per_community_en.png").is_file()


def test_every_chart_writes_the_numbers_it_shows_beside_it(folders, tmp_path):
    result = cli("plot", folders["compare"], "--out", tmp_path)
    assert result.exit_code == 0, result.output
    charts = sorted(tmp_path.glob("*.png"))
    assert charts and all(pd.read_csv(chart.with_suffix(".csv")).shape[0] > 0
                          for chart in charts)


@pytest.mark.parametrize("fmt, head", [("svg", b"<?xml"), ("pdf", b"%PDF")])
def test_vector_formats_are_valid_files(folders, tmp_path, fmt, head):
    result = cli("plot", folders["sweep_two"], "--out", tmp_path, "--format", fmt,
                 "--lang", "zh")
    assert result.exit_code == 0, result.output
    for path in tmp_path.glob(f"*.{fmt}"):
        data = path.read_bytes()
        assert data.startswith(head) and len(data) > 5_000
    if fmt == "pdf":                 # Chinese text embedded as a real CJK font, not boxes
        assert embeds_cjk_font((tmp_path / "heatmap_zh.pdf").read_bytes())


def embeds_cjk_font(pdf: bytes) -> bool:
    """The PDF carries Noto Sans CJK's glyphs itself (as Type 3 programs), so no reader needs
    a Chinese font of its own."""
    return b"NotoSansCJKsc" in pdf and b"/Subtype /Type3" in pdf and b"/CharProcs" in pdf


def all_text(fig) -> list[str]:
    return [t.get_text() for t in fig.findobj(Text) if t.get_text().strip()]


CJK = re.compile(r"[\u4e00-\u9fff]")
ALLOWED_LATIN = {"commsim", "git", "dirty", "Mesa"}
GIT_REVISION = re.compile(r"git [0-9a-f]+")      # a commit hash may spell letters, e.g. "ffd"


@pytest.mark.parametrize("draw", ["where_hours_go", "across_communities", "through_the_year",
                                  "differences"])
def test_lang_switches_every_label_title_and_legend(folders, draw):
    results = load_results(folders["compare"])
    english = all_text(getattr(charts, draw)(results, "en"))
    chinese = getattr(charts, draw)(results, "zh")
    assert not [t for t in english if CJK.search(t)]
    words = {w for t in all_text(chinese)
             for w in re.findall(r"[A-Za-z]{3,}", GIT_REVISION.sub("git", t))}
    assert words <= ALLOWED_LATIN, words - ALLOWED_LATIN
    assert CJK.search(chinese.texts[0].get_text())          # the title


def test_every_chart_names_its_source(folders):
    results = load_results(folders["compare"])
    source = style.source_line(results, "en")
    for part in (f"commsim {version('commsim')}", "git ", "2 paired replicates", "seed 3",
                 "Baseline, Access list, Funding follows task"):
        assert part in source
    for drawing in charts.available(results):
        assert source in all_text(drawing.draw("en")), drawing.name


def test_charts_use_okabe_ito_with_hatches_for_greyscale(folders):
    fig = charts.where_hours_go(load_results(folders["compare"]), "en")
    bars = [p for ax in fig.axes for p in ax.patches]
    colours = {style.matplotlib.colors.to_hex(p.get_facecolor()).upper() for p in bars}
    assert colours - {"#BBBBBB", "#8C8C8C"} <= set(style.OKABE_ITO.values())
    assert len({p.get_hatch() for p in bars}) >= 3


def test_staff_needed_interpolates_between_tested_levels():
    rates = pd.Series([0.3, 0.1, 0.0], index=[6.0, 12.0, 18.0])
    assert charts.staff_needed(rates, 0.05) == pytest.approx(15.0)
    assert charts.staff_needed(rates, 0.5) == 6.0
    assert np.isnan(charts.staff_needed(rates + 0.2, 0.05))


def test_frontier_threshold_is_a_parameter(folders, tmp_path):
    result = cli("plot", folders["sweep_two"], "--out", tmp_path, "--overdue-threshold", "0.5")
    assert result.exit_code == 0, result.output
    results = load_results(folders["sweep_two"])
    texts = " ".join(all_text(charts.staffing_frontier(results, "en", threshold=0.5)))
    assert "at or below 50%" in texts


def test_frontier_needs_both_staff_and_size_varied(folders):
    assert charts.frontier_fits(load_results(folders["sweep_two"]))
    assert not charts.frontier_fits(load_results(folders["sweep_one"]))
    assert not charts.frontier_fits(load_results(folders["compare"]))


def test_every_results_folder_is_recognised(folders):
    kinds = {name: load_results(path).command for name, path in folders.items()}
    assert kinds == {"run": "run", "compare": "compare", "sweep_one": "sweep",
                     "sweep_two": "sweep", "sweep_named": "sweep"}
    compare = load_results(folders["compare"])
    assert compare.scenarios == ["baseline", "access_list", "funding"]
    assert compare.summary.query("scenario == 'baseline'")["diff"].isna().all()


def broken_folders(base: Path, folders: dict[str, Path]) -> dict[str, tuple[Path, str]]:
    """Folders that are not (complete) results, and the message each must get."""
    empty = base / "empty"
    empty.mkdir()
    foreign = base / "foreign"
    foreign.mkdir()
    (foreign / "manifest.json").write_text(json.dumps({"command": "dance"}), encoding="utf-8")
    unfinished = base / "unfinished"
    unfinished.mkdir()
    (unfinished / "manifest.json").write_text(
        (folders["sweep_one"] / "manifest.json").read_text(encoding="utf-8"), encoding="utf-8")
    (unfinished / "runs.jsonl").write_text("", encoding="utf-8")
    partial = base / "partial"
    partial.mkdir()
    (partial / "manifest.json").write_text(
        (folders["run"] / "manifest.json").read_text(encoding="utf-8"), encoding="utf-8")
    (partial / "runs.parquet").write_text("not parquet", encoding="utf-8")
    return {
        "empty": (empty, "holds no commsim results (expected manifest.json from "
                         "run/compare/sweep --out)"),
        "missing": (base / "nowhere", "no such folder"),
        "foreign": (foreign, "command 'dance': not a commsim results manifest"),
        "unfinished": (unfinished, "the sweep has not finished"),
        "partial": (partial, "runs.parquet: cannot read it"),
    }


@pytest.mark.parametrize("case", ["empty", "missing", "foreign", "unfinished", "partial"])
def test_a_folder_without_results_gets_a_clear_message_and_status_2(folders, tmp_path, case):
    folder, message = broken_folders(tmp_path, folders)[case]
    for command in ("plot", "brief"):
        result = cli(command, folder)
        assert result.exit_code == 2, result.output
        assert message in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("args, message", [
    (["--lang", "fr"], "Invalid value for '--lang': 'fr' is not one of 'en', 'zh'"),
    (["--format", "gif"], "Invalid value for '--format'"),
    (["--overdue-threshold", "2"], "Invalid value for '--overdue-threshold'"),
])
def test_bad_options_get_a_clear_message_and_status_2(folders, args, message):
    result = cli("plot", folders["run"], *args)
    assert result.exit_code == 2 and message in result.output


def test_library_callers_get_the_same_checks(folders, tmp_path):
    with pytest.raises(UserError, match="unknown language 'fr'; expected one of en, zh"):
        charts.plot_results(folders["run"], tmp_path, lang="fr")
    with pytest.raises(UserError, match="unknown format"):
        charts.plot_results(folders["run"], tmp_path, fmt="gif")


def test_a_missing_font_tells_the_user_to_reinstall(monkeypatch):
    monkeypatch.setattr(style.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(UserError, match="reinstall commsim"):
        style.font_path()


def test_the_cli_and_the_simulation_never_load_matplotlib():
    code = ("import sys, analysis.commands, sim.runner, sim.cli; "
            "sys.exit('matplotlib' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr



def test_a_chart_without_a_brief_rank_is_plotted_but_left_out_of_the_brief(folders, monkeypatch):
    from analysis.brief import brief_charts
    from sim.languages import Bilingual

    words = Bilingual(en="An extra chart.", zh="另一张图。")
    extra = charts.Chart(name="extra", fits=lambda results: True, draw=charts.where_hours_go,
                         title=words, subtitle=words, caption=words)
    monkeypatch.setitem(charts.CHARTS, "extra", extra)
    results = load_results(folders["compare"])
    assert "extra" in [d.name for d in charts.available(results)]
    in_brief = [d.name for d in brief_charts(results, 0.05)]
    assert "extra" not in in_brief and in_brief[:3] == ["differences", "cost", "freed"]


def test_a_chart_name_is_registered_once():
    with pytest.raises(ValueError, match="'hours' is registered already"):
        charts.register(charts.CHARTS["hours"])


def test_the_response_family_is_one_chart_that_makes_a_file_per_varied_key(folders):
    drawings = charts.available(load_results(folders["sweep_one"]))
    assert [(d.name, d.chart.name) for d in drawings] == [
        ("response_staffing-staff_per_community", "response")]
