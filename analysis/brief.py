"""A short policy brief of a results folder: a PDF to hand out and a Markdown twin to edit.

The PDF opens with the title, the key findings as a table (each metric by
scenario: mean and interval, and the paired difference from the baseline
where there is one; every interval's method is named in its column or
heading and in the methods) and a methods paragraph (model, scenarios, replicates,
seeds, version); then one page per chart. The Markdown file says the same
with the charts as PNG files in a folder beside it, so the text can be
edited without the charts being redrawn. Both come from the same table rows
and sentences, so they cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import pandas as pd
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from analysis import labels as lb
from analysis import numbers
from analysis.charts import DEFAULT_THRESHOLD, Drawing, available, breakdown_levels
from analysis.results import Results, load_results, row_at
from analysis.style import (
    TEXT_GREY,
    Canvas,
    display_name,
    house_style,
    line_height,
    save,
    source_line,
    wrap,
)
from analysis.summary import RANGE, T_LOG, T_LOGIT
from sim.errors import UserError
from sim.languages import check_lang
from sim.metrics import KEY_METRICS, METRICS
from sim.output import check_writable, output_errors, replacing, write_text

A4_WIDTH, A4_HEIGHT = 8.27, 11.69
MARGIN = 0.8
CHART_TOP, CHART_HEIGHT = 0.75, 8.4
CHART_PAGE = Canvas(A4_WIDTH, A4_HEIGHT, top=CHART_TOP, side=MARGIN - 0.15,
                    bottom=A4_HEIGHT - CHART_TOP - CHART_HEIGHT)
MOST_CHARTS = 5
BRIEF_HINT = ("each file of the brief is written whole or not at all; free space or choose "
              "another --out, then run brief again")
TITLE_PT, HEADING_PT, BODY_PT, TABLE_PT, FOOT_PT = 18, 12, 9.5, 7.5, 7


@dataclass
class Table:
    """The findings: text cells, the share of the text width each column takes, and
    which rows open a group (a rule is drawn above them). A row of one cell is a group
    heading that spans the whole width."""

    header: list[str]
    rows: list[list[str]]
    widths: list[float]
    opens: list[bool]


# --- the findings table ----------------------------------------------------------------------

def band(metric: str, mean: float, low: float, high: float, lang: str,
          difference: bool = False) -> str:
    """'mean [low, high]' as shown: shares in percent, their differences in points."""
    share = lb.is_share(metric)
    unit = lb.text("diff.pp", lang) if difference and share else ""
    return numbers.band(mean, low, high, share=share, sign=difference, unit=unit)


def _band_of(metric: str, entry: pd.Series, lang: str) -> str:
    """The band of a summary row: its mean and interval."""
    return band(metric, entry["mean"], entry["ci_low"], entry["ci_high"], lang)


def _run_table(results: Results, lang: str) -> Table:
    """Every metric: its mean [interval], and the interval's method in a column of its own."""
    summary = results.summary.set_index("metric")
    entries = {m: row_at(summary, m) for m in METRICS if m in summary.index}
    rows = [[lb.metric_label(m, lang), _band_of(m, entry, lang),
             lb.method_label(entry["method"], lang)] for m, entry in entries.items()]
    header = [lb.text(k, lang) for k in ("brief.metric", "brief.mean", "brief.interval")]
    return Table(header, rows, [0.45, 0.25, 0.3], [True] * len(rows))


def _compare_table(results: Results, lang: str) -> Table:
    """A heading row per metric, then each scenario's mean and difference from the baseline."""
    summary = results.summary.set_index(["metric", "scenario"])
    rows, opens = [], []
    for metric in KEY_METRICS:
        rows.append([_heading(results.summary, metric, lang)])
        opens.append(True)
        for name in results.scenarios:
            entry = row_at(summary, (metric, name))
            diff = "—" if name == results.baseline else band(
                metric, entry["diff"], entry["diff_low"], entry["diff_high"], lang, True)
            rows.append([display_name(results, name, lang), _band_of(metric, entry, lang),
                         diff])
            opens.append(False)
    header = [lb.text(k, lang) for k in ("brief.scenario", "brief.mean", "brief.diff")]
    return Table(header, rows, [0.3, 0.3, 0.4], opens)


def _heading(summary: pd.DataFrame, metric: str, lang: str) -> str:
    """A metric's group heading, naming the methods of its intervals and differences."""
    entries = summary[summary["metric"] == metric]
    return lb.text("brief.heading", lang, metric=lb.metric_label(metric, lang),
                   means=lb.methods_label(entries["method"], lang),
                   diffs=lb.methods_label(entries["diff_method"], lang))


def _column(summary: pd.DataFrame, metric: str, lang: str) -> str:
    """A metric's column heading, naming the methods of the intervals below it."""
    methods = summary.loc[summary["metric"] == metric, "method"]
    return lb.text("brief.column", lang, metric=lb.metric_label(metric, lang),
                   means=lb.methods_label(methods, lang))


def _sweep_table(results: Results, lang: str) -> Table:
    """One row per design point: the varied values, then the key metrics."""
    keys = results.keys[:3]
    summary = results.summary.set_index(["point", "metric"])
    rows = []
    for point, group in results.summary.groupby("point", sort=True):
        first = group.iloc[0]
        cells = [lb.value_label(k, first[k], lang) for k in keys]
        cells += [_band_of(m, row_at(summary, (point, m)), lang) for m in KEY_METRICS]
        rows.append(cells)
    header = [lb.key_label(k, lang) for k in keys] + [_column(results.summary, m, lang)
                                                      for m in KEY_METRICS]
    key_width = 0.1
    rest = (1 - key_width * len(keys)) / len(KEY_METRICS)
    return Table(header, rows, [key_width] * len(keys) + [rest] * len(KEY_METRICS),
                 [True] * len(rows))


def findings_table(results: Results, lang: str) -> Table:
    """The key findings, as fits the folder: by scenario, by design point, or one run."""
    builders = {"run": _run_table, "compare": _compare_table, "sweep": _sweep_table}
    return builders[results.kind](results, lang)


def methods(results: Results, lang: str) -> str:
    """The methods paragraph: model, scenarios, replicates, seeds, version, folder."""
    names = [display_name(results, n, lang) for n in results.scenarios]
    facts = {"reps": results.reps, "seed": results.seed, "scenario": names[0],
             "days": results.days[results.baseline],
             "communities": results.communities_setting(results.baseline)}
    if results.kind == "compare":
        design = lb.text("brief.design.compare", lang, scenarios=lb.join(names, lang, most=99),
                         **facts)
    elif results.kind == "sweep":
        info = results.info["design"]
        design = lb.text("brief.design.sweep", lang, sample=lb.text(f"sample.{info['sample']}",
                                                                    lang),
                         keys=lb.join([lb.inline(lb.key_name(k, lang), lang)
                                       for k in results.keys], lang, most=99),
                         points=len(info["points"]), **facts)
    else:
        design = lb.text("brief.design.run", lang, **facts)
    model = lb.text("brief.model", lang, version=results.version, git=results.git)
    folder = lb.text("brief.folder", lang, folder=results.folder)
    parts = [model, design, *intervals(results, lang), *breakdown_note(results, lang), folder]
    return lb.sentences(parts, lang)


def breakdown_note(results: Results, lang: str) -> list[str]:
    """Why the brief has no chart by governance model or district although the folder has
    the breakdown table: every community shares one model and one district (the synthetic
    city), so there is nothing to set side by side. Empty otherwise."""
    if results.breakdown is None or breakdown_levels(results):
        return []
    return [lb.text("brief.no_breakdown", lang)]


def intervals(results: Results, lang: str) -> list[str]:
    """Sentences saying how the brief's intervals were made: the methods in its table, why
    shares and hours use other scales, and that two replicates give only their range."""
    summary = results.summary[results.summary["metric"].isin(
        KEY_METRICS if results.kind != "run" else METRICS)]
    methods = set(summary["method"]) | set(summary["diff_method"].dropna())
    sentences = [lb.text("brief.intervals", lang, means=lb.methods_label(summary["method"], lang))]
    if summary["diff_method"].notna().any():
        sentences.append(lb.text("brief.intervals.diff", lang,
                                 diffs=lb.methods_label(summary["diff_method"], lang)))
    if methods & {T_LOGIT, T_LOG}:
        sentences.append(lb.text("brief.intervals.scales", lang))
    if RANGE in methods:
        sentences.append(lb.text("brief.intervals.range", lang))
    return sentences


# --- laying text out on A4 pages -------------------------------------------------------------

class RowLayout(NamedTuple):
    """A table row ready to draw: its cells' lines, column widths, font size and height."""

    cells: list[list[str]]
    widths: list[float]
    size: float
    height: float


class Flow:
    """Places lines top to bottom on A4 pages, turning the page when one is full."""

    def __init__(self) -> None:
        self.pages: list[Figure] = []
        self.y = 0.0
        self.turn()

    @property
    def page(self) -> Figure:
        return self.pages[-1]

    def turn(self) -> None:
        self.pages.append(Figure(figsize=(A4_WIDTH, A4_HEIGHT)))
        self.y = MARGIN

    def fits(self, height: float) -> bool:
        return self.y + height <= A4_HEIGHT - MARGIN

    def paragraph(self, words: str, size: float, colour: str = "#111111",
                  after: float = 0.12) -> None:
        for line in wrap(words, A4_WIDTH - 2 * MARGIN, size):
            if not self.fits(line_height(size)):
                self.turn()
            self.page.text(MARGIN / A4_WIDTH, 1 - self.y / A4_HEIGHT, line, size=size,
                           color=colour, va="top")
            self.y += line_height(size)
        self.y += after

    def rule(self, colour: str = "#BBBBBB", width: float = 0.5) -> None:
        y = 1 - (self.y - 0.03) / A4_HEIGHT
        self.page.add_artist(Line2D([MARGIN / A4_WIDTH, 1 - MARGIN / A4_WIDTH], [y, y],
                                    color=colour, linewidth=width))

    @staticmethod
    def _cells(cells: list[str], widths: list[float]) -> RowLayout:
        """Each cell wrapped to its column. A single cell is a group heading: it spans the
        width, a little larger."""
        heading = len(cells) < len(widths)
        size, widths = (TABLE_PT + 1, [1.0]) if heading else (TABLE_PT, widths)
        text_width = A4_WIDTH - 2 * MARGIN
        wrapped = [wrap(cell, w * text_width - 0.08, size)
                   for cell, w in zip(cells, widths, strict=True)]
        return RowLayout(wrapped, widths, size,
                         max(map(len, wrapped)) * line_height(size) + 0.07)

    def row(self, cells: list[str], widths: list[float], colour: str = "#111111") -> None:
        """A table row whose cells wrap within their columns."""
        wrapped, widths, size, height = self._cells(cells, widths)
        x = 0.0
        for lines, w in zip(wrapped, widths, strict=True):
            self.page.text((MARGIN + x) / A4_WIDTH, 1 - (self.y + 0.035) / A4_HEIGHT,
                           "\n".join(lines), size=size, color=colour, va="top",
                           linespacing=1.25)
            x += w * (A4_WIDTH - 2 * MARGIN)
        self.y += height

    def table(self, table: Table, continued: str) -> None:
        """The table, its header repeated under a 'continued' heading on every new page."""
        self._header(table)
        for cells, opens in zip(table.rows, table.opens, strict=True):
            if not self.fits(self._cells(cells, table.widths).height):
                self.turn()
                self.paragraph(continued, HEADING_PT, after=0.08)
                self._header(table)
            elif opens:
                self.rule()
            self.row(cells, table.widths)
        self.rule(colour="#555555", width=0.8)
        self.y += 0.2

    def _header(self, table: Table) -> None:
        self.rule(colour="#555555", width=0.8)
        self.row(table.header, table.widths, colour=TEXT_GREY)
        self.rule(colour="#555555", width=0.8)


# --- the brief -------------------------------------------------------------------------------

def brief_charts(results: Results, threshold: float) -> list[Drawing]:
    """Up to five of the folder's charts, in the order a reader needs them: those whose
    chart has a ``brief_rank`` (analysis.charts), lowest first."""
    ranked = [(d.chart.brief_rank, d) for d in available(results, threshold)
              if d.chart.brief_rank is not None]
    ranked.sort(key=lambda pair: pair[0])
    return [drawing for _, drawing in ranked[:MOST_CHARTS]]


def _first_pages(results: Results, lang: str, table: Table, method: str) -> list[Figure]:
    flow = Flow()
    flow.paragraph(lb.text("brief.title", lang), TITLE_PT, after=0.05)
    flow.paragraph(source_line(results, lang), FOOT_PT + 1, colour=TEXT_GREY, after=0.3)
    flow.paragraph(lb.text("brief.findings", lang), HEADING_PT, after=0.08)
    flow.table(table, lb.text("brief.continued", lang))
    flow.paragraph(lb.text("brief.methods", lang), HEADING_PT, after=0.08)
    flow.paragraph(method, BODY_PT)
    return flow.pages


def _chart_page(drawing: Drawing, lang: str) -> Figure:
    """One chart on an A4 page, with the brief's title above it and its caption below."""
    page = drawing.draw(lang, canvas=CHART_PAGE)
    page.text(MARGIN / A4_WIDTH, 1 - 0.4 / A4_HEIGHT, lb.text("brief.title", lang),
              size=FOOT_PT, color=TEXT_GREY, va="top")
    y = CHART_TOP + CHART_HEIGHT + 0.3
    caption = drawing.chart.caption.pick(lang)
    for line in wrap(caption, A4_WIDTH - 2 * MARGIN, BODY_PT):
        page.text(MARGIN / A4_WIDTH, 1 - y / A4_HEIGHT, line, size=BODY_PT, va="top")
        y += line_height(BODY_PT)
    return page


def _number_pages(pages: list[Figure], lang: str) -> None:
    for n, page in enumerate(pages, start=1):
        page.text(1 - MARGIN / A4_WIDTH, 0.4 / A4_HEIGHT, lb.text("brief.page", lang, n=n),
                  size=FOOT_PT, color=TEXT_GREY, ha="right")


def _write_pdf(pages: list[Figure], path: Path, title: str) -> None:
    """All pages into one PDF, written beside the target and renamed into place."""
    with replacing(path) as tmp, PdfPages(tmp, metadata={"Title": title, "Creator": "commsim",
                                                         "CreationDate": None}) as pdf:
        for page in pages:
            pdf.savefig(page)


def _markdown_table(table: Table) -> list[str]:
    def line(cells: list[str]) -> str:
        if len(cells) == 1:                        # a group heading: bold, other cells empty
            cells = [f"**{cells[0]}**", *[""] * (len(table.header) - 1)]
        return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"
    return [line(table.header), line(["---"] * len(table.header)),
            *(line(row) for row in table.rows)]


def _write_markdown(results: Results, lang: str, table: Table, method: str, path: Path,
                    images: list[tuple[Drawing, Path]]) -> None:
    parts = [f"# {lb.text('brief.title', lang)}", "", source_line(results, lang), "",
             f"## {lb.text('brief.findings', lang)}", "", *_markdown_table(table), "",
             f"## {lb.text('brief.charts', lang)}", ""]
    for drawing, image in images:
        caption = drawing.chart.caption.pick(lang)
        parts += [f"![{caption}]({image.parent.name}/{image.name})", "", f"*{caption}*", ""]
    parts += [f"## {lb.text('brief.methods', lang)}", "", method, "",
              lb.text("brief.charts_note", lang), ""]
    write_text(path, "\n".join(parts))


def check_target(out: Path) -> Path:
    if out.suffix.lower() != ".pdf":
        raise UserError(f"--out {out}: the brief is a PDF; give a file name ending in .pdf "
                        "(the Markdown version is written beside it)")
    if out.exists() and out.is_dir():
        raise UserError(f"--out {out}: is a folder; give a file name ending in .pdf")
    return out


def write_brief(folder: Path, out: Path, lang: str = "en",
                threshold: float = DEFAULT_THRESHOLD) -> list[Path]:
    """Write the PDF brief, its Markdown twin and the twin's images; return the files."""
    check_lang(lang)
    out = check_target(Path(out))
    results = load_results(folder)
    check_writable(out, inside=False)
    markdown, image_dir = out.with_suffix(".md"), out.parent / f"{out.stem}_images"
    charts = brief_charts(results, threshold)
    with house_style(), output_errors(out, hint=BRIEF_HINT):
        out.parent.mkdir(parents=True, exist_ok=True)
        table, method = findings_table(results, lang), methods(results, lang)
        pages = _first_pages(results, lang, table, method)
        pages += [_chart_page(drawing, lang) for drawing in charts]
        _number_pages(pages, lang)
        _write_pdf(pages, out, lb.text("brief.title", lang))
        images = [(drawing, save(drawing.draw(lang), image_dir / f"{drawing.name}_{lang}.png"))
                  for drawing in charts]
        _write_markdown(results, lang, table, method, markdown, images)
    return [out, markdown, *(path for _, path in images)]

