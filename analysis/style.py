"""The house style of every chart: one font, one palette, one frame, one way to save.

* Font: Noto Sans CJK SC (OFL), which the PyPI package ``mplfonts`` ships. It
  is only a font carrier here: importing it would pull in helpers we do not
  need, so its folder is found with ``importlib`` and the font registered with
  matplotlib directly. The same font serves English too (it has Latin
  glyphs), so both languages look alike and no system font is assumed.
* Colour: the Okabe-Ito palette, which stays distinct under the common forms
  of colour blindness; hatches and markers carry the distinction where colour
  cannot (greyscale printing).
* Frame: a left-aligned title and subtitle on top, the source line (version,
  revision, scenarios, replicates, seed) at the bottom, the panels between.
"""

from __future__ import annotations

import functools
import importlib.util
import math
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import matplotlib
from cycler import cycler
from matplotlib import font_manager
from matplotlib.axis import Axis
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.ticker import FuncFormatter, MaxNLocator
from matplotlib.typing import ColorType

from analysis.labels import inline, join, key_name, scenario_label, text
from analysis.numbers import plain
from analysis.results import Results
from sim.errors import UserError
from sim.output import replacing

FONT_FILE = "NotoSansCJKsc-Regular.otf"

OKABE_ITO = {
    "black": "#000000", "orange": "#E69F00", "sky_blue": "#56B4E9", "bluish_green": "#009E73",
    "yellow": "#F0E442", "blue": "#0072B2", "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
GREY = "#8C8C8C"
TEXT_GREY = "#555555"
# Series (scenarios, lines): the darkest first; yellow last because thin yellow lines fade.
SERIES_COLOURS = tuple(OKABE_ITO[name] for name in (
    "black", "blue", "vermillion", "bluish_green", "orange", "reddish_purple", "sky_blue",
    "yellow"))
# Parts of a stacked bar: no black, so labels and hatches stay readable on every part.
PART_COLOURS = tuple(OKABE_ITO[name] for name in (
    "vermillion", "blue", "orange", "bluish_green", "reddish_purple", "sky_blue", "yellow"))
# Ten markers against eight colours: the first forty series all differ in colour or marker.
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*", "<", ">")
LINESTYLES = ("-", "--", "-.", ":", (0, (6, 2)), (0, (3, 1, 1, 1, 1, 1)), (0, (1, 2)),
              (0, (8, 2, 2, 2)))
HATCHES = ("", "//", "..", "xx", "\\\\", "++", "oo", "--")
KIND_LOOKS = {  # kind of work -> (colour, hatch)
    "administrative": (OKABE_ITO["vermillion"], ""),
    "service": (OKABE_ITO["sky_blue"], "//"),
    "self_governance": (OKABE_ITO["bluish_green"], ".."),
    "delegated": (GREY, "xx"),
}
FREED_LOOKS = {  # where freed hours went -> (colour, hatch); resident work as in KIND_LOOKS
    "service": KIND_LOOKS["service"],
    "self_governance": KIND_LOOKS["self_governance"],
    "discretionary": (OKABE_ITO["blue"], "\\\\"),
    "less_overtime": (OKABE_ITO["orange"], "xx"),
    "slack": ("#BBBBBB", ""),
    "other": (OKABE_ITO["reddish_purple"], "++"),
    "staffing": (OKABE_ITO["yellow"], "--"),
}

TITLE_PT, SUBTITLE_PT, SOURCE_PT = 13, 8.5, 6.5
MARGIN_IN = 0.15
LINE_SPACING = 1.35
_METADATA = {"png": {"Software": "commsim"},
             "pdf": {"Creator": "commsim", "CreationDate": None},
             "svg": {"Creator": "commsim", "Date": None}}


@dataclass(frozen=True)
class Look:
    """How one series is drawn, so that colour is never the only cue."""

    colour: str
    marker: str
    line: Any
    hatch: str


def look(index: int) -> Look:
    """The index-th series' colour, marker, line style and hatch."""
    return Look(SERIES_COLOURS[index % len(SERIES_COLOURS)], MARKERS[index % len(MARKERS)],
                LINESTYLES[index % len(LINESTYLES)], HATCHES[index % len(HATCHES)])


def part_look(index: int) -> tuple[str, str]:
    """Colour and hatch of the index-th part of a stacked bar."""
    return PART_COLOURS[index % len(PART_COLOURS)], HATCHES[index % len(HATCHES)]


def ink_for(colour: ColorType) -> str:
    """Black or white, whichever reads better on ``colour``."""
    red, green, blue = matplotlib.colors.to_rgb(colour)
    return "black" if 0.299 * red + 0.587 * green + 0.114 * blue > 0.5 else "white"


def font_path() -> Path:
    """Where mplfonts keeps Noto Sans CJK SC, found without importing mplfonts."""
    spec = importlib.util.find_spec("mplfonts")
    folders = list(spec.submodule_search_locations or []) if spec else []
    path = Path(folders[0]) / "fonts" / FONT_FILE if folders else None
    if path is None or not path.is_file():
        raise UserError(f"the chart font {FONT_FILE} (package mplfonts) is missing; "
                        "reinstall commsim, e.g. pip install -e . in its folder")
    return path


@functools.cache
def font_family() -> str:
    """Register the CJK font with matplotlib once; return its family name."""
    path = font_path()
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


def house_rc() -> dict[str, Any]:
    """Matplotlib settings of the house style, for ``rc_context``."""
    return {
        "font.family": [font_family()],
        "font.size": 8.5, "axes.titlesize": 9.5, "axes.labelsize": 8.5,
        "axes.titlelocation": "left", "axes.titlepad": 6,
        "xtick.labelsize": 8, "ytick.labelsize": 8, "legend.fontsize": 8,
        "axes.spines.top": False, "axes.spines.right": False,
        "axes.edgecolor": TEXT_GREY, "axes.labelcolor": "#222222",
        "xtick.color": TEXT_GREY, "ytick.color": TEXT_GREY,
        "axes.grid": True, "grid.color": "#DDDDDD", "grid.linewidth": 0.6,
        "axes.axisbelow": True, "axes.prop_cycle": cycler(color=SERIES_COLOURS),
        "legend.frameon": False, "lines.linewidth": 1.6, "lines.markersize": 5,
        "hatch.linewidth": 0.7, "image.cmap": "cividis",
        "figure.facecolor": "white", "savefig.facecolor": "white", "savefig.dpi": 200,
        # Type 3: the CJK font is an OpenType/CFF file, which embedded as TrueType (42) makes
        # strict readers complain; Type 3 glyph programs are valid everywhere and stay searchable
        "pdf.fonttype": 3, "ps.fonttype": 3, "svg.fonttype": "path",
    }


@contextmanager
def house_style() -> Iterator[None]:
    """Apply the house style while charts are drawn and saved."""
    with matplotlib.rc_context(house_rc()):  # type: ignore[arg-type]  # stubs want literal keys
        yield


def styled(draw: Callable[..., Figure]) -> Callable[..., Figure]:
    """Draw a chart in the house style even when called on its own."""
    @functools.wraps(draw)
    def wrapper(*args: Any, **kwargs: Any) -> Figure:
        with house_style():
            return draw(*args, **kwargs)
    return wrapper


@dataclass(frozen=True)
class Canvas:
    """Figure size in inches, with room kept free above and below the chart (brief pages)."""

    width: float = 10.0
    height: float = 6.2
    top: float = 0.0
    bottom: float = 0.0
    side: float = 0.0


STANDARD = Canvas()

_TOKEN = re.compile(r"[\u2e80-\uffff]|[^\s\u2e80-\uffff]+\s*|\s+")


def _ems(token: str) -> float:
    """Rough width in ems: CJK glyphs are square, Latin ones a little over half as wide."""
    return sum(1.0 if ord(ch) >= 0x2E80 else 0.52 for ch in token)


def wrap(words: str, width_in: float, size_pt: float) -> list[str]:
    """Break text into lines that fit ``width_in`` at ``size_pt``, Chinese or English."""
    limit = width_in * 72 / size_pt
    lines, line, used = [], "", 0.0
    for token in _TOKEN.findall(words):
        if line and used + _ems(token.rstrip()) > limit:
            lines.append(line.rstrip())
            line, used = "", 0.0
            token = token.lstrip()
        line += token
        used += _ems(token)
    return [*lines, line.rstrip()]


def line_height(size_pt: float) -> float:
    return size_pt * LINE_SPACING / 72


def new_figure(title: str, subtitle: str, source: str, canvas: Canvas = STANDARD) -> Figure:
    """An empty chart with the house frame: title, subtitle and source line placed, and a
    constrained layout that keeps the panels off them."""
    width, height, left = canvas.width, canvas.height, MARGIN_IN + canvas.side
    room = width - 2 * left
    head: list[tuple[str, float, str]] = [(line, TITLE_PT, "#111111")
                                          for line in wrap(title, room, TITLE_PT)]
    head += [(line, SUBTITLE_PT, TEXT_GREY) for line in wrap(subtitle, room, SUBTITLE_PT)]
    foot = wrap(source, room, SOURCE_PT)
    fig = Figure(figsize=(width, height))
    FigureCanvasAgg(fig)
    y = canvas.top + 0.12
    for line, size, colour in head:
        fig.text(left / width, 1 - y / height, line, size=size, color=colour, va="top")
        y += line_height(size)
    bottom = canvas.bottom + 0.08
    for line in reversed(foot):
        fig.text(left / width, bottom / height, line, size=SOURCE_PT, color=TEXT_GREY)
        bottom += line_height(SOURCE_PT)
    low, high = (bottom + 0.05) / height, 1 - (y + 0.08) / height
    side = canvas.side / width
    fig.set_layout_engine(ConstrainedLayoutEngine(rect=(side, low, 1 - 2 * side, high - low),
                                                  w_pad=0.06, h_pad=0.06))
    return fig


def legend_below(fig: Figure, handles: list, ncols: int) -> None:
    """A figure legend in a band of its own between the panels and the source line."""
    if not handles:
        return
    ncols = min(ncols, len(handles))
    engine = fig.get_layout_engine()
    if not isinstance(engine, ConstrainedLayoutEngine):     # every house figure has one
        raise TypeError("the legend band needs the house figure's constrained layout")
    left, bottom, width, height = engine.get()["rect"]
    band = (math.ceil(len(handles) / ncols) * 0.21 + 0.1) / fig.get_figheight()
    fig.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, bottom),
               bbox_transform=fig.transFigure, ncols=ncols)
    engine.set(rect=(left, bottom + band, width, height - band))


def plain_ticks(axis: Axis, percent: bool = False) -> None:
    """Tick labels written as every number is (analysis.numbers): thousands separated, true
    minus signs, no needless decimals; an axis plotted in percent gets '%'."""
    def shown(value: float, _position: int) -> str:
        return plain(value / 100, share=True) if percent else plain(value)
    axis.set_major_formatter(FuncFormatter(shown))


def tidy_numbers(axis: Axis) -> None:
    """At most six ticks, so labels never touch, written as ``plain_ticks`` writes them."""
    axis.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10]))
    plain_ticks(axis)


def display_name(results: Results, name: str, lang: str) -> str:
    """A scenario of ``results`` by the display name its file gives (label_en, label_zh),
    read from the manifest; a scenario without one by its name."""
    return scenario_label(name, lang, results.resolved(name))


def source_line(results: Results, lang: str) -> str:
    """Where a chart's numbers come from, read from the folder's manifest."""
    names = [display_name(results, name, lang) for name in results.scenarios]
    facts = {"reps": results.reps, "seed": results.seed}
    if results.kind == "compare":
        tail = text("source.compare", lang, scenarios=join(names, lang), **facts)
    elif results.kind == "sweep":
        tail = text("source.sweep", lang, scenario=names[0],
                    keys=join([inline(key_name(k, lang), lang) for k in results.keys], lang),
                    points=len(results.info["design"]["points"]), **facts)
    else:
        tail = text("source.run", lang, scenario=names[0], **facts)
    return text("source", lang, version=results.version, git=results.git) + \
        text("sep", lang) + tail


def save(fig: Figure, path: Path) -> Path:
    """Write the figure in the format its suffix names, atomically (no half-written file)."""
    fmt = path.suffix.lstrip(".").lower()
    path.parent.mkdir(parents=True, exist_ok=True)
    with house_style(), replacing(path) as tmp:
        fig.savefig(tmp, format=fmt, metadata=_METADATA.get(fmt))
    return path
