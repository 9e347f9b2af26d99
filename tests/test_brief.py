"""Policy briefs from real small results folders: the PDF, its Markdown twin, bad input."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pytest

from analysis.brief import band, findings_table, methods
from analysis.results import load_results
from tests.test_charts import (  # noqa: F401 (folders is a fixture)
    cli,
    embeds_cjk_font,
    folders,
    no_glyph_warnings,
)

pytestmark = pytest.mark.slow      # nearly every test shares the results folders and briefs


def write(folder: Path, out: Path, lang: str) -> tuple:
    """Run ``brief`` and return its result and every warning it raised."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = cli("brief", folder, "--lang", lang, "--out", out)
    return result, [str(w.message) for w in caught]


def pdf_pages(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b", data))


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
def test_comparison_brief_is_a_pdf_with_table_charts_and_methods(briefs, lang):
    out, messages = briefs[lang]
    data = out.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 5_000
    assert 1 + 3 <= pdf_pages(data) <= 2 + 5          # table page(s), then 3-5 chart pages
    assert embeds_cjk_font(data)
    assert no_glyph_warnings(messages), messages
    images = markdown_images(out.with_suffix(".md"))
    assert 3 <= len(images) <= 5
    for image in images:
        assert image.is_file() and image.read_bytes().startswith(b"\x89PNG")


def test_markdown_twin_holds_the_findings_and_methods(briefs):
    text = briefs["en"][0].with_suffix(".md").read_text(encoding="utf-8")
    assert "## Key findings" in text and "## Methods" in text
    assert re.search(r"\| \*\*Administrative share of staff hours \(%\)\. Intervals: "
                     r"replicate range \(lowest to highest\); differences: replicate range "
                     r"\(lowest to highest\)\*\* \|  \|  \|", text)
    assert re.search(r"\| Baseline \| [0-9.]+% \[", text)
    assert "Access list" in text and " pp [" in text             # paired differences
    for fact in ("commsim", "2 replicates", "seed 3", "common random numbers",
                 "brackets give the lowest and highest replicate, not a 95% interval"):
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
