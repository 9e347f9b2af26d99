"""Policy briefs from real small results folders: the PDF, its Markdown twin, bad input."""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from analysis import findings as f
from analysis import labels as lb
from analysis.brief import band, findings_table, methods
from analysis.results import load_results
from sim.cli import main
from tests.conftest import SYNTHETIC
from tests.test_charts import (  # noqa: F401 (folders is a fixture)
    cli,
    folders,
    no_glyph_warnings,
)
from tests.test_typeset import pdf_text, squeeze

pytestmark = pytest.mark.slow      # nearly every test shares the results folders and briefs


def write(folder: Path, out: Path, lang: str) -> tuple:
    """Run ``brief`` and return its result and every warning it raised."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = cli("brief", folder, "--lang", lang, "--out", out)
    return result, [str(w.message) for w in caught]


def markdown_images(markdown: Path) -> list[Path]:
    text = markdown.read_text(encoding="utf-8")
    return [markdown.parent / link for link in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)]


@pytest.fixture(scope="module")
def briefs(folders, tmp_path_factory) -> dict[str, tuple[Path, list[str]]]:  # noqa: F811
    """The comparison's brief in each language, with the warnings writing it raised."""
    made = {}
    for lang in ("zh", "en"):
        out = tmp_path_factory.mktemp("briefs") / f"brief_{lang}.pdf"
        result, messages = write(folders["compare"], out, lang)
        assert result.exit_code == 0, result.output
        made[lang] = (out, messages)
    return made


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_comparison_brief_is_a_typeset_pdf_with_findings_charts_and_methods(briefs, lang):
    out, messages = briefs[lang]
    data = out.read_bytes()
    assert data.startswith(b"%PDF") and b"NotoSansCJKsc" in data     # the one shipped font
    assert not messages, messages
    text = squeeze(pdf_text(out))
    for heading in ("brief.findings", "brief.summary", "brief.charts", "brief.methods",
                    "brief.appendix"):
        assert squeeze(lb.text(heading, lang)) in text
    images = markdown_images(out.with_suffix(".md"))
    assert 3 <= len(images) <= 5
    for image in images:
        assert image.is_file() and image.read_bytes().startswith(b"\x89PNG")


def test_markdown_twin_holds_the_same_findings_summary_and_methods(briefs):
    out = briefs["en"][0]
    text = out.with_suffix(".md").read_text(encoding="utf-8")
    record = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert "## Key findings" in text and "## Methods" in text and "## Summary" in text
    for finding in record["findings"]:
        assert finding["text"] in text
    assert re.search(r"\| Baseline \| +— \| +[0-9.]+% \|", text)
    for fact in ("commsim", "2 replicates", "seed 3", "common random numbers",
                 "brackets give the lowest and highest replicate, not a 95% interval",
                 "not tested across plausible worlds"):
        assert fact in text
    assert "95% t-interval" not in text                 # two replicates claim no 95% interval


def test_run_brief_names_each_intervals_method_in_its_own_column(folders):  # noqa: F811
    table = findings_table(load_results(folders["run"]), "en")
    assert table.header == ["Metric", "Mean [interval]", "Interval"]
    assert len(table.rows) >= 10
    assert {row[2] for row in table.rows} == {"replicate range (lowest to highest)"}


def test_sweep_brief_summarises_each_design_point(folders, tmp_path):  # noqa: F811
    results = load_results(folders["sweep_two"])
    table = findings_table(results, "zh")
    assert len(table.rows) == 4                        # 2 staff levels x 2 sizes
    assert table.header[0] == "每社区工作人员（人）"
    out = tmp_path / "sweep.pdf"
    result, messages = write(folders["sweep_two"], out, "zh")
    assert result.exit_code == 0, result.output
    assert no_glyph_warnings(messages), messages
    assert {p.name for p in markdown_images(out.with_suffix(".md"))} == {
        "frontier_zh.png", "heatmap_zh.png"}
    assert "全因子网格" in methods(results, "zh")


def test_brief_defaults_to_a_pdf_inside_the_results(folders):  # noqa: F811
    result = cli("brief", folders["run"], "--lang", "zh")
    assert result.exit_code == 0, result.output
    assert (folders["run"] / "brief_zh.pdf").read_bytes().startswith(b"%PDF")
    assert (folders["run"] / "brief_zh_images" / "hours_zh.png").is_file()


@pytest.mark.parametrize("args, message", [
    (["--out", "brief.txt"], "the brief is a PDF; give a file name ending in .pdf"),
    (["--lang", "de"], "Invalid value for '--lang': 'de' is not one of 'en', 'zh'"),
])
def test_bad_brief_options_get_a_clear_message_and_status_2(folders, args,  # noqa: F811
                                                            message):
    result = cli("brief", folders["run"], *args)
    assert result.exit_code == 2 and message in result.output


def test_intervals_read_as_policy_makers_expect():
    assert band("admin_share", 0.855, 0.82, 0.89, "en") == "85.5% [82.0, 89.0]"
    assert band("admin_share", -0.103, -0.113, -0.092, "en", difference=True) == \
        "−10.3 pp [−11.3, −9.2]"
    assert band("overtime_hours_per_staff_week", 4.98, None, None, "zh") == "4.98"
    assert band("backlog_hours_per_community", 1234.0, 1000.0, 1500.0, "en") == \
        "1,234 [1,000, 1,500]"


# --- findings read back from the PDF, against the results ---------------------------------------

TINY = [*SYNTHETIC, "city.communities=8", "city.street_offices=1", "city.zone_committees=0",
        "simulation.days=60", "simulation.warmup_days=0"]
TINY_SET = [part for setting in TINY for part in ("--set", setting)]
STAFF = "staffing.staff_per_community"
REFORMS = ["baseline", "digital", "access_list"]


@pytest.fixture(scope="module")
def robust_briefs(tmp_path_factory) -> dict:
    """A comparison with three replicates, the same scenarios in the three plausible worlds
    of a real (if loosely targeted) ensemble, and the brief of both in each language."""
    base = tmp_path_factory.mktemp("robust_brief")
    made = CliRunner().invoke(main, ["ensemble", "baseline", "--prior", f"{STAFF}=5:9",
                                     "--prior", "tasks.effort_scale=0.8:1.2", "--target",
                                     "admin_share=0:1", "--n", "3", "--min-kept", "1",
                                     "--workers", "1", "--quiet", "--out",
                                     str(base / "worlds"), *TINY_SET])
    assert made.exit_code == 0, made.output
    plain, robust = base / "plain", base / "robust"
    for args in ([*REFORMS, "--reps", "3", "--out", plain],
                 [*REFORMS, "--reps", "2", "--ensemble", base / "worlds", "--out", robust]):
        result = CliRunner().invoke(main, ["compare", *map(str, args), "--seed", "5",
                                           "--workers", "1", *TINY_SET])
        assert result.exit_code == 0, result.output
    made = {"plain": plain, "robust": robust, "worlds": base / "worlds"}
    for lang in ("en", "zh"):
        out = base / f"brief_{lang}.pdf"
        result = cli("brief", plain, "--lang", lang, "--robust", robust, "--out", out)
        assert result.exit_code == 0, result.output
        made[lang] = out
    return made


def stated(robust_briefs: dict, lang: str) -> list[dict]:
    out = robust_briefs[lang]
    return json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))["findings"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_first_page_states_three_to_five_findings(robust_briefs, lang):
    first_page = squeeze(pdf_text(robust_briefs[lang], slice(0, 1)))
    findings = stated(robust_briefs, lang)
    assert 3 <= len(findings) <= 5
    for finding in findings:
        assert squeeze(finding["text"]) in first_page, finding["text"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_findings_state_the_numbers_of_the_results(robust_briefs, lang):
    results = load_results(robust_briefs["plain"])
    document = json.loads((robust_briefs["plain"] / "comparison.json").read_text("utf-8"))
    hours = {e["name"]: e["resident_hours"] for e in document["cost_effect"]["scenarios"]}
    summary = results.summary.set_index(["metric", "scenario"])
    for finding in stated(robust_briefs, lang):
        if finding["kind"] != "effect":
            continue
        numbers = finding["numbers"]
        if numbers["measure"] == "resident_hours":
            source = hours[numbers["scenario"]]
            expected = (source["mean"], source["ci_low"], source["ci_high"])
        else:
            row = summary.loc[(numbers["measure"], numbers["scenario"])]
            expected = (row["diff"], row["diff_low"], row["diff_high"])
        assert (numbers["mean"], numbers["low"], numbers["high"]) == pytest.approx(expected)
        effect = f.Effect(numbers["scenario"], f.MEASURES[numbers["measure"]], numbers["mean"],
                          numbers["low"], numbers["high"], numbers["method"], 0.0)
        assert f.amount(effect, numbers["mean"], signed=effect.direction == 0) \
            in finding["text"]


def test_no_interval_leaves_its_metrics_bounds(robust_briefs):
    for finding in stated(robust_briefs, "en"):
        for numbers in ([finding["numbers"]] if finding["kind"] == "effect"
                        else finding["numbers"].values()):
            low, mean, high = numbers["low"], numbers["mean"], numbers["high"]
            assert low <= mean <= high
            if f.MEASURES[numbers["measure"]].share:          # a difference of two shares
                assert low >= -1 and high <= 1
            else:                                             # hours gained
                assert high - low >= 0


def test_robustness_is_the_share_of_the_worlds_the_robust_comparison_ran(robust_briefs):
    effects = pd.read_csv(robust_briefs["robust"] / "world_effects.csv")
    for finding in stated(robust_briefs, "en"):
        if finding["kind"] != "effect":
            continue
        numbers = finding["numbers"]
        metric = f.MEASURES[numbers["measure"]].robust_metric
        values = effects[(effects["scenario"] == numbers["scenario"])
                         & (effects["metric"] == metric)]["effect"]
        direction = numbers["direction"] or (1 if f.MEASURES[numbers["measure"]].better
                                             == "higher" else -1)
        share = float((np.sign(values) == direction).mean())
        assert numbers["worlds"] == 3 and numbers["share_of_worlds"] == pytest.approx(share)
        assert "of 3 plausible worlds" in finding["text"]


def test_methods_say_what_the_intervals_cover_and_what_the_conclusions_hinge_on(robust_briefs):
    text = robust_briefs["en"].with_suffix(".md").read_text(encoding="utf-8")
    assert "Robustness is the share of 3 plausible worlds" in text
    assert "parameter sets of 2 uncertain assumptions" in text and "3 kept of 3 drawn" in text
    assert re.search(r"Each world also draws the \d+ uncertain assumptions only the reforms", text)
    assert "## Assumptions the conclusions hinge on" in text
    assert "Neither covers the model's structure" in text


def test_a_robust_comparison_missing_a_scenario_is_refused(robust_briefs, tmp_path):
    fewer = tmp_path / "fewer"
    result = CliRunner().invoke(main, ["compare", "baseline", "digital", "--reps", "2",
                                       "--ensemble", str(robust_briefs["worlds"]), "--seed", "5",
                                       "--workers", "1", "--out", str(fewer), *TINY_SET])
    assert result.exit_code == 0, result.output
    refused = cli("brief", robust_briefs["plain"], "--robust", fewer, "--out",
                  tmp_path / "b.pdf")
    assert refused.exit_code == 2 and "missing access_list" in refused.output
    assert not (tmp_path / "b.pdf").exists()


def test_a_plain_folder_given_as_robust_is_refused(robust_briefs, tmp_path):
    refused = cli("brief", robust_briefs["plain"], "--robust", robust_briefs["plain"],
                  "--out", tmp_path / "b.pdf")
    assert refused.exit_code == 2 and "no world_effects.csv there" in refused.output
    assert not (tmp_path / "b.pdf").exists()
