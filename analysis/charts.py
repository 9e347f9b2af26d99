"""Charts of a results folder: one function per chart, each returning a matplotlib Figure.

Every chart reads the normalised ``Results`` (analysis.results), so it does
not matter whether ``run``, ``compare`` or ``sweep`` wrote the folder. Each
chart is declared once, beside its drawing function, as a ``Chart`` in the
``CHARTS`` registry: its file name, which results it fits, its place in the
brief (none: plot only) and its caption in every language. ``available`` says
which charts a folder can feed, ``plot_results`` draws them all, and the brief
(analysis.brief) picks from the same list. Adding a chart means writing its
function and registering it, here. Figures are built with the object API on
the Agg canvas, never through pyplot, so drawing charts leaves no global state
behind.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, cast

import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.gridspec import GridSpecBase
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FixedLocator, MaxNLocator, NullLocator
from matplotlib.typing import ColorType, LineStyleType

from analysis import cost_effect as ce
from analysis import freed as fh
from analysis import labels as lb
from analysis.chart_data import write_plotted_data
from analysis.numbers import number, plain
from analysis.results import Results, load_results, row_at
from analysis.style import (
    FREED_LOOKS,
    GREY,
    KIND_LOOKS,
    OKABE_ITO,
    STANDARD,
    TEXT_GREY,
    Canvas,
    Look,
    display_name,
    ink_for,
    legend_below,
    look,
    new_figure,
    part_look,
    plain_ticks,
    save,
    source_line,
    styled,
    tidy_numbers,
    wrap,
)
from analysis.summary import interval
from sim.errors import UserError
from sim.groups import ALL_SIZES, band_names
from sim.languages import Bilingual, check_lang
from sim.metrics import KEY_METRICS
from sim.output import check_writable, output_errors
from sim.parameters import DAYS_PER_WEEK

if TYPE_CHECKING:                  # matplotlib 3.10 and later; annotations only
    from matplotlib.colorizer import ColorizingArtist

DEFAULT_THRESHOLD = 0.05
TOP_CATEGORIES = 9                 # the rest of the administrative categories become "other"
SIZE_EDGES = (0, 2000, 3000, 4000, 5000, 6500, 9000, np.inf)   # households: size classes
MOST_CLOUDS = 4                    # more scenarios than this: dots and bands for the baseline only
STAFF_KEY, SIZE_KEY = "staffing.staff_per_community", "city.households_median"
TARGET_PER_1000_HOUSEHOLDS = 5.0   # 18 workers per 10,000 residents at 2.8 persons a household

Draw = Callable[..., Figure]


# --- the registry ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Chart:
    """Everything about one chart, declared once: ``plot`` draws each registered chart that
    fits a folder, and the brief shows those with a ``brief_rank``, lowest first, with
    their caption below them. Title and subtitle may hold {placeholders} the drawing fills;
    the words inside the panels come from analysis.labels and the metric registry."""

    name: str                                   # the file stem: NAME_LANG.FORMAT
    fits: Callable[[Results], bool]             # whether a results folder can feed it
    draw: Draw                                  # draw(results, lang, canvas=..., **kwargs)
    title: Bilingual[str]
    subtitle: Bilingual[str]
    caption: Bilingual[str]                     # what the reader should see in it
    brief_rank: int | None = None               # place in the brief; None: plot only
    # A family of files (one per varied key): file stem -> the draw's keyword arguments.
    files: Callable[[Results], dict[str, dict[str, Any]]] | None = None
    options: tuple[str, ...] = ()               # plot options the draw takes (threshold)

    def drawings(self, results: Results, options: dict[str, Any]) -> list[Drawing]:
        """One drawing per file this chart makes of ``results``, with its options bound."""
        files = self.files(results) if self.files else {self.name: {}}
        chosen = {key: options[key] for key in self.options}
        return [Drawing(stem, partial(self.draw, results, **kwargs, **chosen), self)
                for stem, kwargs in files.items()]


class Drawing(NamedTuple):
    """One chart file ready to draw: its stem, ``draw(lang, canvas=...)`` and its chart."""

    name: str
    draw: Callable[..., Figure]
    chart: Chart


CHARTS: dict[str, Chart] = {}


def register(chart: Chart) -> Chart:
    """Add ``chart`` to the registry that plot and brief read; a name is taken once."""
    if chart.name in CHARTS:
        raise ValueError(f"a chart named {chart.name!r} is registered already")
    CHARTS[chart.name] = chart
    return chart


def has_weekly(results: Results) -> bool:
    """Run and compare folders keep the weekly ledger the charts of hours and weeks need."""
    return results.weekly is not None


def _needed(table: pd.DataFrame | None, what: str) -> pd.DataFrame:
    """An optional table of the folder that the chart's ``fits`` has found there."""
    if table is None:
        raise ValueError(f"this chart needs the {what} table of a run or compare folder (fits)")
    return table


def compares(results: Results) -> bool:
    """A comparison of at least two scenarios: something to take differences against."""
    return len(results.scenarios) > 1


# --- shared pieces ---------------------------------------------------------------------------

def _heading(name: str, lang: str, **values: Any) -> tuple[str, str]:
    """The registered chart's title and subtitle in ``lang``, placeholders filled."""
    chart = CHARTS[name]
    return chart.title.pick(lang).format(**values), chart.subtitle.pick(lang).format(**values)


def _frame(results: Results, lang: str, canvas: Canvas, name: str, **values: Any) -> Figure:
    """A figure with the chart's title, subtitle and source line in place."""
    return new_figure(*_heading(name, lang, **values), source_line(results, lang), canvas)


def _series_handle(index: int, label: str, line: Any = None) -> Line2D:
    """The index-th series' legend entry; ``line`` replaces its line style where the chart
    gives line styles another meaning."""
    style = look(index)
    return Line2D([], [], color=style.colour, marker=style.marker,
                  linestyle=style.line if line is None else line, label=label)


def _scenario_handles(results: Results, lang: str, line: Any = None) -> list[Line2D]:
    if len(results.scenarios) < 2:
        return []
    return [_series_handle(i, display_name(results, name, lang), line)
            for i, name in enumerate(results.scenarios)]


def _crowded(results: Results) -> bool:
    """Too many scenarios for every one to show its dots or band: they would hide the lines."""
    return len(results.scenarios) > MOST_CLOUDS


def _clouded(results: Results, index: int) -> bool:
    """Whether the index-th scenario shows its dots or band: the baseline always does."""
    return index == 0 or not _crowded(results)


def _grid(fig: Figure, canvas: Canvas, rows: int, cols: int, sharex: bool = False,
          sharey: bool = False) -> np.ndarray:
    """Panels in a grid that suits the canvas: three across need a landscape chart, so on a
    portrait brief page they turn into three rows of two. Returns the axes, row by row."""
    region = canvas.height - canvas.top - canvas.bottom
    if cols == 3 and canvas.width < 1.3 * region:
        rows, cols = cols, rows
    return np.atleast_1d(fig.subplots(rows, cols, sharex=sharex, sharey=sharey)).ravel()


def _metric_grid(fig: Figure, canvas: Canvas, count: int, sharex: bool = False,
                 sharey: bool = False) -> np.ndarray:
    """One panel per metric, three across (or two, on a portrait page); spare panels hidden."""
    cols = min(count, 3)
    axes = _grid(fig, canvas, -(-count // cols), cols, sharex=sharex, sharey=sharey)
    for ax in axes[count:]:
        ax.set_visible(False)
    return axes[:count]


def _panel_grid(ax: Axes) -> GridSpecBase:
    """The grid a panel sits in: every panel here is made by ``subplots``, so it has one."""
    spec = ax.get_subplotspec()
    if spec is None:
        raise ValueError("a chart panel must be made by Figure.subplots")
    return spec.get_gridspec()


def _outer(axes: np.ndarray) -> tuple[list[Axes], list[Axes]]:
    """The panels with no panel below them and those in the first column: they carry the
    x- and y-axis labels."""
    cols = _panel_grid(axes[0]).ncols
    return [ax for i, ax in enumerate(axes) if i + cols >= len(axes)], list(axes[::cols])


def _title(ax: Axes, words: str, canvas: Canvas) -> None:
    """A panel title, wrapped to the panel's width so neighbouring titles never collide."""
    cols = _panel_grid(ax).ncols
    room = (canvas.width - 2 * canvas.side) / cols - 0.8
    ax.set_title("\n".join(wrap(words, room, 9.5)))


def _ylabel(ax: Axes, words: str, canvas: Canvas) -> None:
    """A y-axis label, wrapped to the panel's height so labels of stacked panels never meet."""
    rows = _panel_grid(ax).nrows
    room = (canvas.height - canvas.top - canvas.bottom - 1.6) / rows - 0.5
    ax.set_ylabel("\n".join(wrap(words, room, 8.5)))


def _per_community_year(results: Results, frame: pd.DataFrame,
                        columns: list[str]) -> pd.DataFrame:
    """Totals per scenario and replicate turned into means per community and year."""
    weekly = _needed(results.weekly, "weekly city")
    counts = weekly.groupby(["scenario", "rep"])["communities"].max()
    years = frame["scenario"].map(results.years)
    runs = pd.MultiIndex.from_frame(frame[["scenario", "rep"]])
    divisor = counts.reindex(runs).to_numpy() * years
    return frame.assign(**{c: frame[c] / divisor for c in columns})


# --- where the hours go ----------------------------------------------------------------------

def _hours_by_kind(results: Results) -> pd.DataFrame:
    """Mean hours per community-year of the measured period by kind of work (rows:
    scenarios); warm-up weeks are left out, as from every metric."""
    weekly = _needed(results.weekly, "weekly city")
    weekly = weekly[~weekly["warmup"]]
    weekly = weekly.assign(delegated=weekly[
        [c for c in ("purchased_hours", "grid_hours", "zone_hours") if c in weekly]]
        .sum(axis=1))
    columns = {"hours_administrative": "administrative", "hours_service": "service",
               "hours_self_governance": "self_governance", "delegated": "delegated"}
    totals = weekly.groupby(["scenario", "rep"], as_index=False)[list(columns)].sum()
    table = _per_community_year(results, totals, list(columns)).rename(columns=columns)
    table = table.groupby("scenario")[list(columns.values())].mean()
    return table.loc[results.scenarios, table.sum() > 0]


def _admin_hours_by_category(results: Results) -> pd.DataFrame:
    """Mean administrative hours per community-year by category, the smallest lumped."""
    categories = _needed(results.categories, "categories")
    admin = categories[categories["kind"] == "administrative"]
    totals = admin.groupby(["scenario", "rep", "category"], as_index=False)[["hours"]].sum()
    table = _per_community_year(results, totals, ["hours"]).pivot_table(
        index="scenario", columns="category", values="hours", aggfunc="mean", fill_value=0.0)
    order = row_at(table, results.baseline).sort_values(ascending=False).index
    kept = list(order[:TOP_CATEGORIES])
    table["other_administrative"] = table.drop(columns=kept).sum(axis=1)
    return table.loc[results.scenarios, [*kept, "other_administrative"]]


def _stacked_bars(ax: Axes, table: pd.DataFrame, styles: list[tuple[str, str]],
                  names: list[str]) -> None:
    """Horizontal stacked bars, one per row of ``table``, each part labelled with its share."""
    rows = np.arange(len(table))
    left = np.zeros(len(table))
    shares = table.div(table.sum(axis=1), axis=0)
    for column, (colour, hatch), name in zip(table.columns, styles, names, strict=True):
        widths = table[column].to_numpy()
        ax.barh(rows, widths, left=left, height=0.62, color=colour, hatch=hatch,
                edgecolor="white", linewidth=0.6, label=name)
        for row, (start, width, share) in enumerate(zip(left, widths, shares[column],
                                                        strict=True)):
            if share >= 0.06:
                ax.text(start + width / 2, row, number(share, share=True, digits=0),
                        ha="center", va="center",
                        size=7.5, color=ink_for(colour),
                        bbox={"boxstyle": "round,pad=0.15", "fc": colour, "ec": "none"})
        left += widths
    ax.set_yticks(rows)
    if not ax.yaxis_inverted():                # shared axes: invert once, first row on top
        ax.invert_yaxis()
    ax.grid(axis="y", visible=False)
    plain_ticks(ax.xaxis)


@styled
def where_hours_go(results: Results, lang: str, canvas: Canvas = STANDARD) -> Figure:
    """Stacked bars of hours by kind of work and by administrative category, per scenario."""
    fig = _frame(results, lang, canvas, "hours")
    by_kind, by_category = _hours_by_kind(results), _admin_hours_by_category(results)
    kind_ax, category_ax = fig.subplots(1, 2, sharey=True, width_ratios=(1, 1.25))
    _stacked_bars(kind_ax, by_kind, [KIND_LOOKS[k] for k in by_kind.columns],
                  [lb.kind_label(k, lang) for k in by_kind.columns])
    _stacked_bars(category_ax, by_category,
                  [part_look(i) for i in range(len(by_category.columns) - 1)]
                  + [("#BBBBBB", "")],
                  [lb.category_label(c, lang, short=True) for c in by_category.columns])
    kind_ax.set_yticklabels([display_name(results, s, lang) for s in results.scenarios])
    for ax, key in ((kind_ax, "hours.by_kind"), (category_ax, "hours.by_category")):
        _title(ax, lb.text(key, lang), canvas)
        ax.set_xlabel(lb.text("hours.axis", lang))
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncols=2,
                  handlelength=1.6, columnspacing=1.0)
    return fig


register(Chart(
    name="hours", fits=has_weekly, draw=where_hours_go, brief_rank=5,
    title=Bilingual(en="Where the hours go", zh="工作时间都去了哪里"),
    subtitle=Bilingual(
        en="Hours worked per community and year, by kind of work and by administrative category; "
           "labels give each part's share",
        zh="每社区每年的工作小时，按工作性质和行政事务类别划分；标注为所占比例"),
    caption=Bilingual(
        en="How staff time divides between administrative tasks pushed down by departments, "
           "services and self-governance, and which administrative areas take most of it.",
        zh="工作人员的时间如何在部门下派的行政事务、服务和自治之间分配，"
           "以及哪些行政领域占用最多。")))


# --- where the freed hours went --------------------------------------------------------------

def _diverging_bars(ax: Axes, table: pd.DataFrame) -> None:
    """Each row's parts stacked outward from zero: growing parts to the right, shrinking ones
    to the left, so the net of a row is where its right end exceeds its left."""
    right, left = np.zeros(len(table)), np.zeros(len(table))
    rows = np.arange(len(table))
    for part in table.columns:
        values = table[part].to_numpy()
        colour, hatch = FREED_LOOKS[part]
        start = np.where(values >= 0, right, left)
        ax.barh(rows, values, left=start, height=0.6, color=colour, hatch=hatch,
                edgecolor="white", linewidth=0.6)
        right, left = right + values.clip(min=0), left + values.clip(max=0)


def _freed_marks(ax: Axes, bands: list[dict]) -> None:
    """The freed hours of each row: a diamond at the mean, its interval, the value beside."""
    for row, band in enumerate(bands):
        low, high = band["ci_low"], band["ci_high"]
        error = [[0.0], [0.0]] if low is None else [[band["mean"] - low], [high - band["mean"]]]
        ax.errorbar(band["mean"], row, xerr=error, fmt="D", color=OKABE_ITO["black"],
                    markeredgecolor="white", markersize=7, capsize=3, elinewidth=1.4, zorder=4)
        ax.annotate(number(band["mean"], sign=True, digits=0),
                    (band["mean"] if high is None else high, row), xytext=(5, 7),
                    textcoords="offset points", size=7.5, color=TEXT_GREY,
                    bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none",
                          "alpha": 0.85})


def _freed_handles(parts: list[str], lang: str) -> list:
    diamond = Line2D([], [], marker="D", color=OKABE_ITO["black"], linestyle="none",
                     label=lb.freed_label(fh.FREED, lang))
    return [diamond, *(Patch(facecolor=FREED_LOOKS[p][0], hatch=FREED_LOOKS[p][1],
                             edgecolor="white", label=lb.freed_label(p, lang)) for p in parts)]


@styled
def freed_hours(results: Results, lang: str, canvas: Canvas = STANDARD) -> Figure:
    """Per scenario against the first: administrative hours freed, and where they went."""
    per_rep = fh.results_freed_hours(results)
    others = results.scenarios[1:]
    bands = [interval(per_rep.loc[per_rep["scenario"] == n, fh.FREED].to_numpy())
             for n in others]
    base = display_name(results, results.baseline, lang)
    fig = _frame(results, lang, canvas, "freed", base=base,
                 interval=lb.methods_label((str(b["method"]) for b in bands), lang))
    parts = list(fh.PARTS)
    ax = fig.subplots()
    _diverging_bars(ax, per_rep.groupby("scenario")[parts].mean().loc[others])
    _freed_marks(ax, bands)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_yticks(np.arange(len(others)), [display_name(results, n, lang) for n in others])
    ax.set_ylim(len(others) - 0.5, -0.5)
    ax.grid(axis="y", visible=False)
    ax.margins(x=0.08)
    tidy_numbers(ax.xaxis)
    ax.set_xlabel(lb.text("freed.axis", lang))
    legend_below(fig, _freed_handles(parts, lang), 4)
    return fig


register(Chart(
    name="freed", fits=lambda results: compares(results) and fh.fits(results.weekly),
    draw=freed_hours, brief_rank=3,
    title=Bilingual(en="Where the freed hours went", zh="减负腾出的时间去了哪里"),
    subtitle=Bilingual(
        en="Administrative hours (tasks and grid duties) each scenario frees against {base}, per "
           "community of {base} and year, and where they went: parts right of zero grew, parts "
           "left of zero shrank; they add up to the freed hours (◆: mean and {interval})",
        zh="各情景相对{base}腾出的行政工时（事项与网格职责，按{base}每社区每年计）及其去向："
           "零线右侧为增加的部分，左侧为减少的部分，各部分之和等于腾出工时（菱形：均值及{interval}）"),
    caption=Bilingual(
        en="Where the administrative hours a reform frees end up: in work for residents, in less "
           "overtime, or idle as slack; the diamond marks the freed hours, which the parts add up "
           "to.",
        zh="改革腾出的行政工时最终去向：用于居民工作、减少加班，或成为闲置工时；"
           "菱形标出腾出工时，各部分之和等于它。")))


# --- cost-effectiveness ----------------------------------------------------------------------

def _price_text(price: dict[str, Any], lang: str) -> str:
    """A scenario's yuan per hour gained, or why it has none."""
    if price["mean"] is None:
        return lb.text("cost.no_gain" if price["status"] == ce.NO_GAIN else "cost.no_extra_cost",
                       lang)
    return lb.text("cost.price", lang, price=number(price["mean"], digits=0))


def _cost_point(ax: Axes, entry: dict[str, Any], index: int, label: str, lang: str) -> None:
    """One scenario: its mean extra cost and hours gained, each with its replicate interval,
    and its yuan per hour beside it."""
    cost, hours = entry["extra_cost"], entry["resident_hours"]
    errors = [[[0.0], [0.0]] if band["ci_low"] is None else
              [[band["mean"] - band["ci_low"]], [band["ci_high"] - band["mean"]]]
              for band in (cost, hours)]
    style = look(index + 1)
    ax.errorbar(cost["mean"], hours["mean"], xerr=errors[0], yerr=errors[1], fmt=style.marker,
                color=style.colour, markersize=7, capsize=3, elinewidth=1.2, label=label,
                zorder=3)
    ax.annotate(_price_text(entry["yuan_per_hour"], lang), (cost["mean"], hours["mean"]),
                xytext=(6, 6), textcoords="offset points", size=7.5, color=TEXT_GREY)


@styled
def cost_effectiveness(results: Results, lang: str, canvas: Canvas = STANDARD) -> Figure:
    """Per scenario against the first: what it costs more a year and the resident-facing
    hours it gains, so the cheap gains sit top left and the dear ones bottom right."""
    summary = ce.summarise(ce.results_per_replicate(results), results.scenarios)
    methods = [str(e[m]["method"]) for e in summary["scenarios"]
               for m in ("extra_cost", "resident_hours") if e[m]["method"]]
    base = display_name(results, results.baseline, lang)
    fig = _frame(results, lang, canvas, "cost", base=base,
                 interval=lb.methods_label(methods, lang))
    ax = fig.subplots()
    for index, entry in enumerate(summary["scenarios"]):
        _cost_point(ax, entry, index, display_name(results, entry["name"], lang), lang)
    ax.axhline(0, color="black", linewidth=0.8)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.margins(x=0.15, y=0.12)
    tidy_numbers(ax.xaxis)
    tidy_numbers(ax.yaxis)
    ax.set_xlabel(lb.text("cost.x", lang))
    ax.set_ylabel(lb.text("cost.y", lang))
    legend_below(fig, ax.get_legend_handles_labels()[0], 3)
    return fig


def _cost_fits(results: Results) -> bool:
    """A comparison whose runs carry the cost metric and whose weekly totals book the hours."""
    return (compares(results) and fh.fits(results.weekly)
            and "cost_yuan_per_community_year" in results.metrics.columns)


register(Chart(
    name="cost", fits=_cost_fits, draw=cost_effectiveness, brief_rank=2,
    title=Bilingual(en="What each resident-facing hour costs", zh="每增加一小时面向居民工作的成本"),
    subtitle=Bilingual(
        en="Extra cost and resident-facing hours gained (services, self-governance, "
           "discretionary work) against {base}, per community of {base} and year, paired "
           "replicates: mean and {interval}; beside each, yuan per hour gained",
        zh="各情景相对{base}的新增成本与面向居民工时（服务、自治、主动服务）增加量，按{base}每社区"
           "每年计，配对重复：均值及{interval}；旁注为每增加一小时的成本"),
    caption=Bilingual(
        en="Scenarios up and to the left buy resident time cheaply; a scenario on or below the "
           "zero line gains no resident time whatever it costs.",
        zh="越靠左上方的情景，以越低的成本换得居民工作时间；位于零线或其下方的情景，"
           "无论花费多少都没有增加面向居民的时间。")))


# --- across communities ----------------------------------------------------------------------

def _community_measures(results: Results) -> pd.DataFrame:
    """Admin share (%) and overtime per staff-week of every community in every replicate."""
    data = _needed(results.communities, "communities")
    staff_hours = data[["hours_administrative", "hours_service",
                        "hours_self_governance"]].sum(axis=1)
    return data.assign(
        admin=100 * data["hours_administrative"] / staff_hours.where(staff_hours > 0),
        overtime=data["overtime_hours"] * DAYS_PER_WEEK
        / data["staff_days"].where(data["staff_days"] > 0))


def _size_medians(data: pd.DataFrame, column: str) -> pd.DataFrame:
    """Median of ``column`` in each community-size class with at least three communities."""
    classes = pd.cut(data["households"], SIZE_EDGES, right=False)
    grouped = data.groupby(classes, observed=True).agg(
        households=("households", "median"), value=(column, "median"), n=(column, "size"))
    return grouped[grouped["n"] >= 3]


def _size_axis(ax: Axes) -> None:
    """A log axis of households with plain thousands, so small and giant communities show."""
    ax.set_xscale("log")
    ax.xaxis.set_major_locator(FixedLocator([1000, 1500, 2000, 3000, 4000, 5000, 6000, 8000,
                                             10000, 12000, 15000, 20000, 30000]))
    ax.xaxis.set_minor_locator(NullLocator())
    plain_ticks(ax.xaxis)


@styled
def across_communities(results: Results, lang: str, canvas: Canvas = STANDARD) -> Figure:
    """Admin share and overtime against community size, every community, every scenario."""
    fig = _frame(results, lang, canvas, "communities",
                 only=lb.text("communities.only", lang) if _crowded(results) else "")
    data = _community_measures(results)
    panels = (("admin", "admin_share"), ("overtime", "overtime_hours_per_staff_week"))
    axes = _grid(fig, canvas, 1, 2, sharex=True)
    for ax, (column, metric) in zip(axes, panels, strict=True):
        for i, name in enumerate(results.scenarios):
            style, own = look(i), data[data["scenario"] == name]
            if _clouded(results, i):
                ax.scatter(own["households"], own[column], s=9, marker=style.marker,
                           color=style.colour, alpha=0.3, linewidths=0)
            medians = _size_medians(own, column)
            ax.plot(medians["households"], medians["value"], color=style.colour,
                    marker=style.marker, linestyle=style.line, markeredgecolor="white")
        _title(ax, lb.metric_name(metric, lang), canvas)
        ax.set_xlabel(lb.text("communities.x", lang))
        ax.set_ylabel(lb.metric_unit(metric, lang))
        _size_axis(ax)
    plain_ticks(axes[0].yaxis, percent=True)
    legend_below(fig, _scenario_handles(results, lang), 6)
    return fig


register(Chart(
    name="communities", fits=has_weekly, draw=across_communities, brief_rank=8,
    title=Bilingual(en="Across communities: large and small", zh="不同规模社区的负担"),
    subtitle=Bilingual(
        en="Each dot is one community in one replicate{only}; lines join the median of each size "
           "class",
        zh="每个点代表一次重复中的一个社区{only}；折线连接各规模档的中位数"),
    caption=Bilingual(
        en="Large communities carry more administrative work and overtime per staff member when "
           "staff numbers do not grow with size.",
        zh="人员配备不随规模增长时，大社区的行政负担和人均加班更重。")))


# --- by governance model and district --------------------------------------------------------

BREAKDOWN_METRICS = ("admin_share", "resident_hours_per_1000_households", "overdue_rate")
BREAKDOWN_BY = ("governance", "district")


def _baseline_breakdown(results: Results) -> pd.DataFrame:
    """The baseline scenario's rows of the breakdown table (none in older folders)."""
    table = results.breakdown
    if table is None:
        return pd.DataFrame(columns=["level", "group", "size_band"])
    return table[table["scenario"] == results.baseline]


def breakdown_levels(results: Results) -> list[str]:
    """The levels of BREAKDOWN_BY at which the baseline's communities form more than one
    group: only there is something to compare (a synthetic city has one district and one
    governance model)."""
    table = _baseline_breakdown(results)
    return [level for level in BREAKDOWN_BY
            if table.loc[table["level"] == level, "group"].nunique() > 1]


def _breakdown_files(results: Results) -> dict[str, dict[str, Any]]:
    """One chart per level with several groups: breakdown_governance, breakdown_district."""
    return {f"breakdown_{level}": {"level": level} for level in breakdown_levels(results)}


def _group_bands(table: pd.DataFrame, metric: str) -> pd.DataFrame:
    """Mean and interval over replicates of ``metric`` for each group in each size band,
    within the metric's bounds, as the tables give them."""
    rows = [{"group": group, "size_band": band,
             **interval(part[metric].to_numpy(dtype=float), metric)}
            for (group, band), part in table.groupby(["group", "size_band"], sort=False)]
    return pd.DataFrame(rows)


def _grouped_bars(ax: Axes, stats: pd.DataFrame, groups: list[str], bands: list[str],
                  metric: str, names: list[str]) -> None:
    """A cluster of bars per size band, a bar per group with its interval; a group with no
    community of a band leaves a gap."""
    factor, width = lb.scale(metric), 0.8 / len(groups)
    for i, (group, name) in enumerate(zip(groups, names, strict=True)):
        own = stats[stats["group"] == group].set_index("size_band")
        own = own.loc[[b for b in bands if b in own.index]]
        x = np.array([bands.index(b) for b in own.index]) - 0.4 + width * (i + 0.5)
        mean = own["mean"].astype(float) * factor
        low = own["ci_low"].astype(float).fillna(own["mean"].astype(float)) * factor
        high = own["ci_high"].astype(float).fillna(own["mean"].astype(float)) * factor
        colour, hatch = part_look(i)
        ax.bar(x, mean, width, color=colour, hatch=hatch, edgecolor="white", linewidth=0.6,
               label=name)
        ax.errorbar(x, mean, yerr=[mean - low, high - mean], fmt="none",
                    ecolor=OKABE_ITO["black"], capsize=2, elinewidth=1)
    ax.grid(axis="x", visible=False)


@styled
def by_group(results: Results, lang: str, level: str, canvas: Canvas = STANDARD) -> Figure:
    """Key metrics of the baseline by governance model (or district) within community size
    bands: grouped bars with intervals over replicates, every size first."""
    table = _baseline_breakdown(results)
    table = table[table["level"] == level]
    stats = {metric: _group_bands(table, metric) for metric in BREAKDOWN_METRICS}
    methods = lb.methods_label((m for t in stats.values() for m in t["method"]), lang)
    fig = _frame(results, lang, canvas, "breakdown", level=lb.inline(
        lb.text(f"level.{level}", lang), lang), reps=results.reps, interval=methods,
        scenario=display_name(results, results.baseline, lang))
    groups = list(dict.fromkeys(table["group"]))
    present = set(table["size_band"])
    bands = [b for b in (ALL_SIZES, *band_names()) if b in present]
    names = [lb.group_label(level, g, lang) for g in groups]
    axes = _metric_grid(fig, canvas, len(BREAKDOWN_METRICS))
    for ax, (metric, frame) in zip(axes, stats.items(), strict=True):
        _grouped_bars(ax, frame, groups, bands, metric, names)
        ax.set_xticks(np.arange(len(bands)),        # a band's two ends on two lines: they fit
                      [lb.band_label(b, lang).replace("–", "–\n") for b in bands])
        _title(ax, lb.metric_name(metric, lang), canvas)
        ax.set_ylabel(lb.metric_unit(metric, lang))
        plain_ticks(ax.yaxis, percent=lb.is_share(metric))
    for ax in _outer(axes)[0]:
        ax.set_xlabel(lb.text("breakdown.x", lang))
    legend_below(fig, [Patch(facecolor=part_look(i)[0], hatch=part_look(i)[1],
                             edgecolor="white", label=name) for i, name in enumerate(names)],
                 4)
    return fig


register(Chart(
    name="breakdown", fits=lambda results: bool(breakdown_levels(results)), draw=by_group,
    files=_breakdown_files, brief_rank=7,
    title=Bilingual(en="Results by {level} within community size bands",
                    zh="按{level}和社区规模分组的结果"),
    subtitle=Bilingual(
        en="Scenario {scenario}; bars: mean over {reps} replicates, lines: {interval}; "
           "the first cluster counts communities of every size",
        zh="情景：{scenario}；条形为{reps}次重复的均值，线段为{interval}；第一组包含所有规模的社区"),
    caption=Bilingual(
        en="Groups compared within each size band: a governance model or district whose "
           "communities are mostly large would otherwise look burdened for their size alone.",
        zh="在同一规模档内比较各组：否则，社区多为大社区的治理模式或城区，"
           "会仅因社区规模而显得负担更重。")))


# --- through the year ------------------------------------------------------------------------

WEEKLY_PANELS = ("issued", "backlog", "overtime", "overdue")


def _weekly_measures(results: Results) -> pd.DataFrame:
    """Per scenario, replicate and week: the four series, per community or staff member."""
    data = _needed(results.weekly, "weekly city")
    days = data["scenario"].map(results.days)
    # the last week may be short
    week_days = np.clip(days - DAYS_PER_WEEK * data["week"], 1, DAYS_PER_WEEK)
    staff_days = data["staff_days"].where(data["staff_days"] > 0)
    return data.assign(
        issued=data["accepted"] / data["communities"] * DAYS_PER_WEEK / week_days,
        backlog=data["backlog_hours"] / data["communities"],
        overtime=data["overtime_hours"] * DAYS_PER_WEEK / staff_days,
        overdue=data["overdue_open"] / data["communities"])


def _band(ax: Axes, frame: pd.DataFrame, column: str, index: int, band: bool) -> None:
    """Median line over replicates and the band from the lowest to the highest replicate."""
    stats = frame.groupby("week")[column].agg(["median", "min", "max"])
    style = look(index)
    weeks = stats.index.to_numpy() + 1
    if band:
        ax.fill_between(weeks, stats["min"], stats["max"], color=style.colour, alpha=0.15,
                        linewidth=0)
    ax.plot(weeks, stats["median"], color=style.colour, linestyle=style.line,
            marker=style.marker, markevery=max(len(weeks) // 6, 1), markersize=4)


def _shade_warmup(axes: np.ndarray, results: Results, lang: str) -> list[Patch]:
    """Grey out the warm-up weeks (shown, so the run-in can be seen, but never measured);
    the legend entry that explains the shading, if there is any."""
    weekly = _needed(results.weekly, "weekly city")
    warm = weekly.loc[weekly["warmup"], "week"]
    if warm.empty:
        return []
    for ax in axes:
        ax.axvspan(0.5, warm.max() + 1.5, color="#DDDDDD", alpha=0.6, linewidth=0, zorder=0)
    return [Patch(color="#DDDDDD", label=lb.text("weekly.warmup", lang))]


@styled
def through_the_year(results: Results, lang: str, canvas: Canvas = STANDARD) -> Figure:
    """Issued work, backlog, overtime and overdue items week by week, with replicate bands;
    warm-up weeks shaded."""
    fig = _frame(results, lang, canvas, "through_year", reps=results.reps,
                 only=lb.text("weekly.only", lang) if _crowded(results) else "")
    data = _weekly_measures(results)
    axes = _grid(fig, canvas, 2, 2, sharex=True)
    for ax, panel in zip(axes, WEEKLY_PANELS, strict=True):
        for i, name in enumerate(results.scenarios):
            _band(ax, data[data["scenario"] == name], panel, i, _clouded(results, i))
        _title(ax, lb.text(f"weekly.{panel}", lang), canvas)
        ax.set_ylabel(lb.text(f"weekly.{panel}.unit", lang))
        tidy_numbers(ax.yaxis)
        if panel != "issued":                  # issued work keeps its own floor: spikes show
            ax.set_ylim(bottom=0)
    for ax in axes[2:]:
        ax.set_xlabel(lb.text("weekly.x", lang))
    shading = _shade_warmup(axes, results, lang)
    legend_below(fig, _scenario_handles(results, lang) + shading, 6)
    return fig


register(Chart(
    name="through_year", fits=has_weekly, draw=through_the_year, brief_rank=6,
    title=Bilingual(en="Through the year", zh="全年走势"),
    subtitle=Bilingual(
        en="City per week; line: median over {reps} replicates, band: lowest to highest "
           "replicate{only}",
        zh="全市逐周；线为{reps}次重复的中位数，阴影为各次重复的最低至最高值{only}"),
    caption=Bilingual(
        en="Campaigns reach every community on the same day: the spikes in issued work are "
           "followed by rises in backlog, overtime and overdue items.",
        zh="突击任务同一天到达所有社区：下派任务的尖峰之后，积压、加班和逾期事项随之上升。")))


# --- burden over time ------------------------------------------------------------------------

BLOCK_WEEKS = 4                    # burden over time: weeks averaged into one point (a month)
BURDEN_FIELDS = ("hours_administrative", "grid_duty_hours", "informal_admin_hours",
                 "admin_types_in_force")
# The two channels administrative work arrives by: the metric that names each, its line style.
CHANNELS: dict[str, tuple[str, LineStyleType]] = {
    "formal": ("formal_admin_hours_per_community_year", "-"),
    "informal": ("informal_admin_hours_per_community_year", ":")}
TYPES_METRIC = "admin_types_in_force"


def late_reforms(results: Results, scenario: str) -> dict[str, int]:
    """The scenario's reforms that come into force after its warm-up: only they have a
    measured before and after (one in force from the start shifts the whole line; a start
    after the last day is refused when the scenario is loaded)."""
    warmup = results.warmup_days(scenario)
    return {name: day for name, day in results.reform_starts(scenario).items() if day > warmup}


def burden_fits(results: Results) -> bool:
    """The burden chart needs the weekly ledger fields it plots (older folders lack the
    informal hours and the types in force) and something to show over time: a scenario
    that measures more than one year (departments add and relabel task types year by
    year) or a reform that comes into force after the warm-up (a before and an after).
    A one-year run whose reforms hold from the start is what the other charts show."""
    if results.weekly is None or not set(BURDEN_FIELDS) <= set(results.weekly.columns):
        return False
    return any(results.years(name) > 1 or late_reforms(results, name)
               for name in results.scenarios)


def _burden_blocks(results: Results) -> pd.DataFrame:
    """Per scenario, replicate and block of BLOCK_WEEKS measured weeks: working days and
    per-community sums of formal and informal administrative hours (grid duties count as
    formal, as in the metric) and the mean of the types in force. The warm-up is left
    out, as from every metric: it starts from empty queues."""
    weekly = _needed(results.weekly, "weekly city")
    data = weekly[~weekly["warmup"]]
    week = data["week"] - data.groupby("scenario")["week"].transform("min")
    per = data["communities"]
    admin = data["hours_administrative"] + data["grid_duty_hours"]
    frame = pd.DataFrame({
        "scenario": data["scenario"], "rep": data["rep"], "block": week // BLOCK_WEEKS,
        "day": week * DAYS_PER_WEEK,
        "days": np.clip(data["scenario"].map(results.days) - DAYS_PER_WEEK * data["week"],
                        1, DAYS_PER_WEEK),                  # the last week may be short
        "formal": (admin - data["informal_admin_hours"]) / per,
        "informal": data["informal_admin_hours"] / per,
        "types": data["admin_types_in_force"] / per})
    return frame.groupby(["scenario", "rep", "block"], as_index=False).agg(
        day=("day", "min"), days=("days", "sum"), formal=("formal", "sum"),
        informal=("informal", "sum"), types=("types", "mean"))


def burden_measures(results: Results) -> pd.DataFrame:
    """Per scenario and block, the mean over replicates of: formal and informal
    administrative hours per community at their yearly rate (so they read like the
    metrics and ``run --by-year``), types in force per community, ``years``, the
    block's middle in years since measuring began, and ``days``, its working days."""
    blocks = _burden_blocks(results)
    year = blocks["scenario"].map({n: results.working_days(n) for n in results.scenarios})
    blocks = blocks.assign(years=(blocks["day"] + blocks["days"] / 2) / year,
                           formal=blocks["formal"] / blocks["days"] * year,
                           informal=blocks["informal"] / blocks["days"] * year)
    return blocks.groupby(["scenario", "block"], as_index=False)[
        ["years", "days", "formal", "informal", "types"]].mean()


def reform_marks(results: Results) -> pd.Series:
    """Where reforms come into force, in years since measuring began (index), with the
    reforms of any scenario that start there (values), for one marker per distinct day."""
    rows = [((day - results.warmup_days(name)) / results.working_days(name), reform)
            for name in results.scenarios
            for reform, day in late_reforms(results, name).items()]
    marks = pd.DataFrame(rows, columns=["years", "reform"]).drop_duplicates()
    return marks.groupby("years", sort=True)["reform"].agg(list)


def _mark_reforms(axes: np.ndarray, marks: pd.Series, lang: str) -> list[Line2D]:
    """A dashed line across the panels at each reform's start, named at the top of the
    first panel; the legend entry that explains the line, if there is any."""
    for years, reforms in marks.items():
        for ax in axes:
            ax.axvline(years, color=TEXT_GREY, linestyle="--", linewidth=1, zorder=1)
        axes[0].annotate(lb.join([lb.reform_label(r, lang) for r in reforms], lang, most=2),
                         (years, 1), xycoords=("data", "axes fraction"), xytext=(3, -2),
                         textcoords="offset points", va="top", size=7, color=TEXT_GREY,
                         bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none",
                               "alpha": 0.85})
    if marks.empty:
        return []
    return [Line2D([], [], color=TEXT_GREY, linestyle="--", label=lb.text("burden.reform",
                                                                          lang))]


def _burden_lines(axes: np.ndarray, data: pd.DataFrame, index: int) -> None:
    """One scenario: its formal and informal hours (by line style) and its types in force,
    in the scenario's colour and marker."""
    style = look(index)
    every = max(len(data) // 8, 1)
    marks = {"marker": style.marker, "markersize": 4,
             "markevery": (index % every, every)}     # staggered, so markers do not pile up
    for channel, (_, line) in CHANNELS.items():
        axes[0].plot(data["years"], data[channel], color=style.colour, linestyle=line,
                     **marks)
    axes[1].plot(data["years"], data["types"], color=style.colour, linestyle="-", **marks)


def _channel_handles(lang: str) -> list[Line2D]:
    """Which line style is which channel: grey, as they hold for every scenario's colour."""
    return [Line2D([], [], color=GREY, linestyle=line,
                   label=lb.metric_name(metric, lang)) for metric, line in CHANNELS.values()]


@styled
def burden_over_time(results: Results, lang: str, canvas: Canvas = STANDARD) -> Figure:
    """Administrative burden per community through the measured years, one line per
    scenario: formal and informal hours above, types in force below, a dashed line where
    a reform comes into force, so a reform run reads against its comparator."""
    fig = _frame(results, lang, canvas, "burden", reps=results.reps, weeks=BLOCK_WEEKS)
    data = burden_measures(results)
    axes = fig.subplots(2, 1, sharex=True, height_ratios=(3, 2))
    for i, name in enumerate(results.scenarios):
        _burden_lines(axes, data[data["scenario"] == name], i)
    for ax, title, metric in ((axes[0], lb.text("burden.hours", lang), CHANNELS["formal"][0]),
                              (axes[1], lb.metric_name(TYPES_METRIC, lang), TYPES_METRIC)):
        _title(ax, title, canvas)
        ax.set_ylabel(lb.metric_unit(metric, lang))
        ax.set_ylim(bottom=0, top=ax.get_ylim()[1] * 1.12)     # room for the reform names
        tidy_numbers(ax.yaxis)
    tidy_numbers(axes[1].xaxis)
    axes[1].xaxis.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 2.5, 5, 10]))
    axes[1].set_xlabel(lb.text("burden.x", lang))
    handles = _channel_handles(lang) + _mark_reforms(axes, reform_marks(results), lang)
    handles += _scenario_handles(results, lang, line="-")
    legend_below(fig, handles, -(-len(handles) // 3))   # three rows: line styles first
    return fig


register(Chart(
    name="burden", fits=burden_fits, draw=burden_over_time, brief_rank=4,
    title=Bilingual(en="Administrative burden over time", zh="行政负担的时间走势"),
    subtitle=Bilingual(
        en="Per community; each point: {weeks} working weeks of the measured period at their "
           "yearly rate (warm-up left out), mean over {reps} replicates",
        zh="按社区计；每个点为测量期内{weeks}个工作周折算的年度水平（不含预热期），"
           "为{reps}次重复的均值"),
    caption=Bilingual(
        en="Administrative hours per community by channel (formal, informal) and the "
           "administrative task types that can reach a community formally, through the measured "
           "years, one line per scenario; dashed lines mark the day a reform comes into force.",
        zh="按渠道（正式、非正式）划分的每社区行政事务工时，"
           "以及可经正式渠道到达社区的行政事项数，展示测量期内逐年的变化，"
           "每个情景一条线；虚线标出改革生效的日期。")))


# --- scenario comparison ---------------------------------------------------------------------

def _forest_row(ax: Axes, entry: pd.Series, row: int, style: Look, metric: str) -> None:
    """One scenario's difference: a marker, its interval and the value beside it (shares
    plotted and written in percentage points)."""
    shown = entry * lb.scale(metric)
    error = [[shown["diff"] - shown["diff_low"]], [shown["diff_high"] - shown["diff"]]]
    ax.errorbar(shown["diff"], row, xerr=np.nan_to_num(error), fmt=style.marker,
                color=style.colour, capsize=3, markersize=6, elinewidth=1.4)
    end = np.nan_to_num(shown["diff_high"], nan=shown["diff"])
    share = lb.is_share(metric)
    ax.annotate(number(entry["diff"], share=share, sign=True, digits=1 if share else None),
                (end, row), xytext=(4, 0), textcoords="offset points", va="center", size=7,
                color=TEXT_GREY)


@styled
def differences(results: Results, lang: str, canvas: Canvas = STANDARD) -> Figure:
    """Forest plot: each scenario's paired difference from the baseline, one panel a metric."""
    others = results.scenarios[1:]
    shown = results.summary[results.summary["scenario"].isin(others)
                            & results.summary["metric"].isin(KEY_METRICS)]
    base = display_name(results, results.baseline, lang)
    fig = _frame(results, lang, canvas, "differences", base=base, reps=results.reps,
                 interval=lb.methods_label(shown["diff_method"], lang))
    rows = np.arange(len(others))
    summary = results.summary.set_index(["scenario", "metric"])
    axes = _metric_grid(fig, canvas, len(KEY_METRICS), sharey=True)
    for ax, metric in zip(axes, KEY_METRICS, strict=True):
        for row, name in enumerate(others):
            entry = row_at(summary, (name, metric))[["diff", "diff_low", "diff_high"]]
            _forest_row(ax, entry.astype(float), row, look(row + 1), metric)
        ax.axvline(0, color="black", linewidth=0.8)
        ax.margins(x=0.22)
        tidy_numbers(ax.xaxis)
        _title(ax, lb.metric_name(metric, lang), canvas)
        ax.set_xlabel(lb.difference_unit(metric, lang))
        ax.grid(axis="y", visible=False)
    axes[0].set_yticks(rows, [display_name(results, n, lang) for n in others])
    axes[0].set_ylim(len(others) - 0.5, -0.5)
    return fig


register(Chart(
    name="differences", fits=compares, draw=differences, brief_rank=1,
    title=Bilingual(en="Difference from the baseline", zh="与基准情景的差异"),
    subtitle=Bilingual(
        en="Paired difference of each scenario from {base} over {reps} replicates with common "
           "random numbers: mean and {interval}",
        zh="各情景与{base}的配对差值（{reps}次共同随机数重复）：均值及{interval}"),
    caption=Bilingual(
        en="An interval that does not cross zero marks a change that holds across replicates.",
        zh="区间不跨越零线，说明该变化在各次重复中都成立。")))


# --- sweeps ----------------------------------------------------------------------------------

def _is_numeric(values: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)


def _response(frame: pd.DataFrame, key: str, metric: str) -> pd.DataFrame:
    """Mean and interval of ``metric`` over all runs at each value of ``key``: the same
    interval, within the metric's bounds, as the tables give."""
    rows = [{"value": value, **interval(group[metric].to_numpy(dtype=float), metric)}
            for value, group in frame.groupby(key, sort=True)]
    return pd.DataFrame(rows)


def _response_panel(ax: Axes, table: pd.DataFrame, numeric: bool, metric: str) -> None:
    """A numeric key gets a line with a band; a categorical one, points with error bars.
    A single run at a value has no interval: the band narrows to the mean there."""
    factor = lb.scale(metric)
    mean = table["mean"] * factor
    low = table["ci_low"].astype(float).fillna(table["mean"]) * factor
    high = table["ci_high"].astype(float).fillna(table["mean"]) * factor
    colour = OKABE_ITO["blue"]
    if numeric:
        ax.fill_between(table["value"], low, high, color=colour, alpha=0.2, linewidth=0)
        ax.plot(table["value"], mean, color=colour, marker="o")
        return
    positions = np.arange(len(table))
    ax.errorbar(positions, mean, yerr=[mean - low, high - mean], fmt="o", color=colour,
                capsize=3)
    ax.margins(x=0.3)


@styled
def response_curves(results: Results, lang: str, key: str,
                    canvas: Canvas = STANDARD) -> Figure:
    """Key metrics against one varied key, mean and interval band over replicates."""
    tables = {metric: _response(results.metrics, key, metric) for metric in KEY_METRICS}
    methods = lb.methods_label((m for t in tables.values() for m in t["method"]), lang)
    marginal = lb.text("response.marginal", lang) if len(results.keys) > 1 else ""
    title, subtitle = _heading("response", lang, interval=methods,
                               key=lb.inline(lb.key_name(key, lang), lang))
    fig = new_figure(title, subtitle + marginal, source_line(results, lang), canvas)
    numeric = _is_numeric(results.metrics[key])
    axes = _metric_grid(fig, canvas, len(KEY_METRICS), sharex=True)
    for ax, (metric, table) in zip(axes, tables.items(), strict=True):
        _response_panel(ax, table, numeric, metric)
        _title(ax, lb.metric_name(metric, lang), canvas)
        ax.set_ylabel(lb.metric_unit(metric, lang))
        tidy_numbers(ax.yaxis)
        if not numeric:
            ax.set_xticks(np.arange(len(table)),
                          [lb.value_label(key, v, lang) for v in table["value"]])
    for ax in _outer(axes)[0]:
        ax.set_xlabel(lb.key_label(key, lang))
    return fig


def _response_files(results: Results) -> dict[str, dict[str, Any]]:
    """One response chart per varied key, named after it: response_staffing-staff_per_...."""
    return {f"response_{key.replace('.', '-')}": {"key": key} for key in results.keys}


register(Chart(
    name="response", fits=lambda results: 0 < len(results.keys) != 2,
    draw=response_curves, files=_response_files, brief_rank=11,
    title=Bilingual(en="Response to {key}", zh="结果随{key}的变化"),
    subtitle=Bilingual(
        en="Mean over replicates; band: {interval}",
        zh="各次重复的均值；阴影：{interval}"),
    caption=Bilingual(
        en="How each result changes as the varied setting changes.",
        zh="各项结果如何随所变动的参数变化。")))


def _cell_text(ax: Axes, x: float, y: float, value: float, metric: str,
               colour: ColorType) -> None:
    ax.text(x, y, number(value, share=lb.is_share(metric)),
            ha="center", va="center", size=7, color=ink_for(colour))


def _heat_panel(fig: Figure, ax: Axes, means: pd.DataFrame, keys: list[str],
                metric: str, lang: str) -> None:
    """One metric over two keys: a grid of cells, or coloured points if the design is no grid."""
    table = means.pivot_table(index=keys[1], columns=keys[0], values=metric, aggfunc="mean")
    factor = lb.scale(metric)
    image: ColorizingArtist
    if table.notna().to_numpy().mean() >= 0.5:
        image = ax.imshow(table.to_numpy() * factor, origin="lower", aspect="auto")
        for (row, column), value in np.ndenumerate(table.to_numpy()):
            if value == value:
                # one value's colour is one RGBA tuple (the stubs know only arrays)
                colour = cast("tuple[float, float, float, float]",
                              image.to_rgba(value * factor))
                _cell_text(ax, column, row, value, metric, colour)
        ax.set_xticks(range(table.shape[1]),
                      [lb.value_label(keys[0], v, lang) for v in table.columns])
        ax.set_yticks(range(table.shape[0]),
                      [lb.value_label(keys[1], v, lang) for v in table.index])
        ax.grid(visible=False)
    else:
        image = ax.scatter(means[keys[0]], means[keys[1]], c=means[metric] * factor, s=40)
        tidy_numbers(ax.xaxis)
        tidy_numbers(ax.yaxis)
    bar = fig.colorbar(image, ax=ax, shrink=0.9)
    bar.set_label(lb.metric_unit(metric, lang))


@styled
def heatmap(results: Results, lang: str, canvas: Canvas = STANDARD) -> Figure:
    """The key metrics over the first two varied keys, one cell per combination."""
    keys = results.keys[:2]
    names = {"x": lb.inline(lb.key_name(keys[0], lang), lang),
             "y": lb.inline(lb.key_name(keys[1], lang), lang)}
    fig = _frame(results, lang, canvas, "heatmap", **names)
    means = results.metrics.groupby(keys, as_index=False)[list(KEY_METRICS)].mean()
    axes = _metric_grid(fig, canvas, len(KEY_METRICS))
    for ax, metric in zip(axes, KEY_METRICS, strict=True):
        _heat_panel(fig, ax, means, keys, metric, lang)
        _title(ax, lb.metric_name(metric, lang), canvas)
    bottom, first = _outer(axes)
    for ax in bottom:
        ax.set_xlabel(lb.key_label(keys[0], lang))
    for ax in first:
        _ylabel(ax, lb.key_label(keys[1], lang), canvas)
    return fig


register(Chart(
    name="heatmap", fits=lambda results: len(results.keys) >= 2,
    draw=heatmap, brief_rank=10,
    title=Bilingual(en="Results by {x} and {y}", zh="{x}与{y}组合下的结果"),
    subtitle=Bilingual(en="Mean over replicates in each cell", zh="每格为各次重复的均值"),
    caption=Bilingual(
        en="Each cell is one combination of the two varied settings.",
        zh="每一格是两个变动参数的一种组合。")))


def frontier_fits(results: Results) -> bool:
    """Drawn for sweeps over staff and size with at least two staff levels per size."""
    if not {STAFF_KEY, SIZE_KEY} <= set(results.keys):
        return False
    levels = results.metrics.groupby(SIZE_KEY)[STAFF_KEY].nunique()
    return bool((levels >= 2).all())


def staff_needed(rates: pd.Series, threshold: float) -> float:
    """Lowest staffing whose overdue rate meets the threshold, interpolated between levels.

    ``rates`` is indexed by staff level. NaN when even the highest level misses it.
    """
    rates = rates.sort_index()
    meets = np.flatnonzero(rates.to_numpy() <= threshold)
    if not len(meets):
        return np.nan
    first = meets[0]
    if first == 0:
        return float(rates.index[0])
    (s0, s1), (r0, r1) = rates.index[first - 1:first + 1], rates.iloc[first - 1:first + 1]
    return float(s0 + (r0 - threshold) / (r0 - r1) * (s1 - s0))


def _frontier_points(ax: Axes, means: pd.DataFrame, threshold: float,
                     lang: str) -> list[Artist]:
    """Every tested combination: filled if it meets the threshold, open if not, rate beside."""
    handles: list[Artist] = []
    for meets, key, colour, marker in ((True, "frontier.meets", "bluish_green", "o"),
                                       (False, "frontier.misses", "vermillion", "X")):
        part = means[(means["overdue_rate"] <= threshold) == meets]
        handles.append(ax.scatter(part[SIZE_KEY], part[STAFF_KEY], s=36, marker=marker,
                                  color=OKABE_ITO[colour], label=lb.text(key, lang), zorder=3))
    for _, row in means.iterrows():
        ax.annotate(number(row["overdue_rate"], share=True), (row[SIZE_KEY], row[STAFF_KEY]),
                    xytext=(5, 3), textcoords="offset points", size=6.5, color=TEXT_GREY)
    return handles


def _frontier_line(ax: Axes, means: pd.DataFrame, threshold: float,
                   lang: str) -> list[Artist]:
    """The staff needed at each size; sizes no tested level serves get a triangle on top."""
    needed = pd.Series({size: staff_needed(group.set_index(STAFF_KEY)["overdue_rate"], threshold)
                        for size, group in means.groupby(SIZE_KEY)}, dtype=float)
    ax.plot(needed.index, needed.to_numpy(), color="black", marker="D", zorder=4)
    handles: list[Artist] = [Line2D([], [], color="black", marker="D",
                                    label=lb.text("frontier.line", lang))]
    low, high = means[STAFF_KEY].min(), means[STAFF_KEY].max()
    above = high + 0.08 * (high - low)
    missing = needed.index[needed.isna()]
    if len(missing):
        handles.append(ax.scatter(missing, [above] * len(missing), marker="^", s=80,
                                  color=OKABE_ITO["black"], zorder=4,
                                  label=lb.text("frontier.above", lang)))
    ax.set_ylim(low - 0.1 * (high - low), above + 0.08 * (high - low))
    return handles


@styled
def staffing_frontier(results: Results, lang: str, threshold: float = DEFAULT_THRESHOLD,
                      canvas: Canvas = STANDARD) -> Figure:
    """Staff per community needed, by community size, to keep overdue work under a threshold."""
    fig = _frame(results, lang, canvas, "frontier",
                 threshold=plain(threshold, share=True))
    ax = fig.subplots()
    means = results.metrics.groupby([SIZE_KEY, STAFF_KEY], as_index=False)[
        ["overdue_rate"]].mean()
    handles = _frontier_points(ax, means, threshold, lang)
    handles += _frontier_line(ax, means, threshold, lang)
    sizes = np.linspace(means[SIZE_KEY].min(), means[SIZE_KEY].max(), 50)
    handles += ax.plot(sizes, sizes * TARGET_PER_1000_HOUSEHOLDS / 1000, color=TEXT_GREY,
                       linestyle="--", label=lb.text("frontier.reference", lang))
    ax.set_xlabel(lb.key_label(SIZE_KEY, lang))
    ax.set_ylabel(lb.key_label(STAFF_KEY, lang))
    plain_ticks(ax.xaxis)
    legend_below(fig, handles, 3)
    return fig


register(Chart(
    name="frontier", fits=frontier_fits, draw=staffing_frontier, options=("threshold",),
    brief_rank=9,
    title=Bilingual(
        en="Staff needed to keep the overdue rate at or below {threshold}",
        zh="逾期率不超过{threshold}所需的人员"),
    subtitle=Bilingual(
        en="Lowest staffing whose mean overdue rate meets the threshold, interpolated between the "
           "tested levels",
        zh="平均逾期率达标的最低人员配备，在测试水平之间线性插值"),
    caption=Bilingual(
        en="Staff each community needs, by its size, for overdue work to stay under the threshold.",
        zh="不同规模社区为使逾期率不超过目标所需的工作人员。")))


# --- what fits a folder, and drawing it all --------------------------------------------------

def available(results: Results, threshold: float = DEFAULT_THRESHOLD) -> list[Drawing]:
    """The chart files this folder can feed, in registry order."""
    options = {"threshold": threshold}
    return [drawing for chart in CHARTS.values() if chart.fits(results)
            for drawing in chart.drawings(results, options)]


def check_format(fmt: str) -> str:
    if fmt not in lb.FORMATS:
        raise UserError(f"--format {fmt}: unknown format; use one of {', '.join(lb.FORMATS)}")
    return fmt


def plot_results(folder: Path, out: Path, lang: str = "en", fmt: str = "png",
                 threshold: float = DEFAULT_THRESHOLD) -> list[Path]:
    """Draw every chart that fits the results folder into ``out``; return the files."""
    check_lang(lang)
    check_format(fmt)
    results = load_results(folder)
    check_writable(Path(out))
    with output_errors(out, hint="each chart is written whole or not at all; free space or "
                                 "choose another --out, then plot again"):
        return [_save_with_data(drawing, Path(out) / f"{drawing.name}_{lang}.{fmt}", lang)
                for drawing in available(results, threshold)]


def _save_with_data(drawing: Drawing, path: Path, lang: str) -> Path:
    """The chart, and beside it (same stem, .csv) the numbers it shows."""
    fig = drawing.draw(lang)
    write_plotted_data(fig, path.with_suffix(".csv"))
    return save(fig, path)
