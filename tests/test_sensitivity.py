"""Sensitivity analysis through the sweep engine: indices, stored problem, resume, errors."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from click.testing import CliRunner

from sim.cli import main
from tests.conftest import SCENARIOS, SYNTHETIC

SMALL = [*SYNTHETIC, "city.communities=12", "city.street_offices=2", "city.zone_committees=0",
         "simulation.days=40"]
SET_SMALL = [arg for setting in SMALL for arg in ("--set", setting)]
BASELINE = str(SCENARIOS / "baseline.toml")
PARAMS = ["--param", "tasks.effort_scale=0.8:1.4",
          "--param", "reforms.split.max_households=5000:9000"]


def analyse(out, *extra):
    return CliRunner().invoke(main, ["sensitivity", BASELINE, *SET_SMALL, *PARAMS,
                                     "--workers", "1", "--quiet", "--out", str(out), *extra])


@pytest.fixture(scope="module")
def morris(tmp_path_factory):
    out = tmp_path_factory.mktemp("sens") / "morris"
    result = analyse(out, "--method", "morris", "--n", "4", "--reps", "2")
    assert result.exit_code == 0, result.output
    return out


@pytest.mark.slow
def test_morris_ranks_an_influential_parameter_above_an_inert_one(morris):
    indices = pd.read_csv(morris / "indices.csv")
    effort = indices[indices["parameter"] == "tasks.effort_scale"]
    inert = indices[indices["parameter"] == "reforms.split.max_households"]
    assert (effort["mu_star"] > 0).all()
    assert (inert["mu_star"] == 0).all()        # splitting is off: the key cannot matter


@pytest.mark.slow
def test_the_salib_problem_and_sampler_are_stored_with_the_results(morris):
    stored = json.loads((morris / "problem.json").read_text(encoding="utf-8"))
    assert stored["problem"]["names"] == ["tasks.effort_scale", "reforms.split.max_households"]
    assert stored["sampler"] == {"method": "morris", "n": 4, "seed": 0, "num_levels": 4}
    assert (morris / "indices.png").stat().st_size > 10_000
    runs = pd.read_parquet(morris / "runs" / "runs.parquet")
    assert len(runs) == 2 * stored["design_points"]


@pytest.mark.slow
def test_resume_reuses_the_runs_and_gives_the_same_indices(morris):
    before = pd.read_csv(morris / "indices.csv")
    result = analyse(morris, "--method", "morris", "--n", "4", "--reps", "2", "--resume")
    assert result.exit_code == 0, result.output
    pd.testing.assert_frame_equal(pd.read_csv(morris / "indices.csv"), before)


@pytest.mark.slow
def test_sobol_gives_first_and_total_order_indices(tmp_path):
    result = analyse(tmp_path / "sobol", "--method", "sobol", "--n", "4", "--reps", "1",
                     "--metric", "admin_share", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["indices"]      # stderr warns of the inert key
    assert {"S1", "S1_conf", "ST", "ST_conf"} <= set(rows[0])
    assert [r["parameter"] for r in rows] == ["tasks.effort_scale",
                                              "reforms.split.max_households"]


@pytest.mark.parametrize("extra, message", [
    (["--method", "sobol", "--n", "6"], "power of two"),
    (["--method", "morris", "--param", "governance.model=workstation,zone_committee"],
     "numeric ranges"),
    (["--method", "morris", "--param", "tasks.effort_scale=2:1"], "reversed range"),
])
def test_bad_sensitivity_input_gets_one_message_and_status_2(tmp_path, extra, message):
    result = analyse(tmp_path / "bad", *extra)
    assert result.exit_code == 2 and message in result.output


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_chart_speaks_the_language_asked_for(morris, lang):
    from matplotlib.text import Text

    from analysis.sensitivity import chart

    indices = pd.read_csv(morris / "indices.csv")
    figure = chart(indices, "morris", "source", lang)
    texts = " ".join(t.get_text() for t in figure.findobj(Text))
    chinese = re.search(r"[\u4e00-\u9fff]", texts)
    assert bool(chinese) == (lang == "zh")
    if lang == "zh":
        words = set(re.findall(r"[A-Za-z]{3,}", texts))
        assert words <= {"Morris", "source"}, words
    else:
        assert "Administrative share of staff hours" in texts and "Effort multiplier" in texts


def test_the_sensitivity_command_takes_the_chart_language():
    result = CliRunner().invoke(main, ["sensitivity", "--help"])
    assert "--lang [en|zh]" in result.output
