"""The explore page: controls, play/pause/step/reset, and views that follow the model.

Solara directly rather than Mesa's SolaraViz: the page keeps its language when switched
(SolaraViz rebuilds the model on any control), steps a paired baseline beside the model and
writes the settings out as a scenario file, none of which SolaraViz's model parameters
can do; and Mesa 3.3's SolaraViz does not render with the Vuetify 3 widgets (ipyvuetify 3)
that the offline-capable solara 1.58.2 brings (it asks for ``v.TabsItems``, gone there).
The model is the CLI's (``analysis.explore.session`` over ``sim.batch``); this module only
draws. Elements carry ``commsim-*`` classes so a browser test can find them.
Run by ``commsim explore`` (``solara run analysis.explore.page:Page``), which names the
scenario in the environment variable ``COMMSIM_EXPLORE_SCENARIO``.
"""

from __future__ import annotations

import html
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import matplotlib
import numpy as np
import solara
from matplotlib.figure import Figure

from analysis.explore.server import ENV_SCENARIO
from analysis.explore.session import (
    COLOUR_BY,
    GROUPS,
    Choices,
    Session,
    load_base,
    percent_out_of_range,
    reform_keys,
    scenario_toml,
    shown,
    shown_difference,
)
from analysis.labels import (
    group_label,
    key_label,
    key_unit,
    kind_label,
    metric_name,
    reform_label,
    text,
    value_label,
)
from analysis.numbers import number
from analysis.style import KIND_LOOKS, OKABE_ITO, house_style
from sim.errors import UserError
from sim.languages import LANGS
from sim.metrics import METRICS
from sim.parameters import BY_KEY
from sim.scenario import Scenario

PLAY_PAUSE_SECONDS = 0.05       # between weeks while playing, so the views keep up
HOURS_SERIES = ("administrative", "service", "self_governance", "discretionary")
FIGURE_DPI = 110                # the house style's 200 dpi is for print
ROW = {"align-items": "flex-start", "flex-wrap": "nowrap", "padding": "12px"}
CONTROLS = {"width": "330px", "flex": "none", "max-height": "100vh", "overflow-y": "auto"}
# Chinese labels in any browser: the charts' Noto Sans CJK SC (mplfonts), which the server
# serves as an asset (server.OFFLINE), used only for the characters other fonts lack.
CSS = """
@font-face { font-family: "Noto Sans CJK SC commsim";
             src: url("static/assets/NotoSansCJKsc-Regular.otf") format("opentype");
             unicode-range: U+3000-303F, U+4E00-9FFF, U+FF00-FFEF; }
.v-application, .commsim-page, .commsim-page .solara-markdown,
.commsim-page .solara-markdown * { font-family: Roboto, "Noto Sans CJK SC commsim", sans-serif; }
.commsim-table td, .commsim-table th { padding: 2px 10px; text-align: right; }
.commsim-table td:first-child { text-align: left; }
"""


def _base() -> Scenario:
    return load_base(os.environ.get(ENV_SCENARIO, "baseline"))


def _build(base: Scenario, choices: Choices) -> tuple[Session | None, str]:
    """A session for the choices, or the CLI's message for a bad combination."""
    try:
        return Session(base, choices), ""
    except UserError as err:
        return None, f"commsim: error: {err}"


@solara.component
def Page() -> None:
    base = solara.use_memo(_base, [])
    lang, set_lang = solara.use_state("en")
    choices, set_choices = solara.use_state(Choices())
    resets, set_resets = solara.use_state(0)
    built = solara.use_memo(lambda: _build(base, choices), [choices, resets])
    # A share out of range is named in percent, as typed (the language may change later).
    problem = percent_out_of_range(choices, lang)
    session, error = built if problem is None else (None, problem)
    tick, set_tick = solara.use_state(0)
    playing, set_playing = solara.use_state(False)

    def play(cancel: threading.Event) -> None:
        while playing and session is not None:
            if cancel.is_set():
                return
            if not session.play_week():      # paused, or at the end
                break
            set_tick(lambda t: t + 1)
            time.sleep(PLAY_PAUSE_SECONDS)
        set_playing(False)

    solara.use_thread(play, dependencies=[playing, session])

    def act(action: Callable[[], None]) -> Callable[[], None]:
        def run() -> None:
            if session is not None:
                action()
                set_tick(tick + 1)
        return run

    solara.Title(text("explore.title", lang))
    solara.Style(CSS)
    with solara.Row(classes=["commsim-page"], style=ROW):
        with solara.Column(classes=["commsim-controls"], style=CONTROLS):
            _Controls(base, choices, set_choices, lang)
        with solara.Column(style={"flex": "1", "min-width": "0"}):
            with solara.Row():
                _Heading(text("explore.title", lang), "h2")
                other = LANGS[(LANGS.index(lang) + 1) % len(LANGS)]
                solara.Button(text("explore.language", lang),
                              on_click=lambda: set_lang(other), classes=["commsim-language"],
                              outlined=True)
            if session is None:
                solara.Error(error, classes=["commsim-error"])
            else:
                _Buttons(session, playing, set_playing, act, lang,
                         lambda: (set_playing(False), set_resets(resets + 1)))
                _Views(session, lang, tick)
            _SaveScenario(base, choices, lang)


@solara.component
def _Buttons(session: Session, playing: bool, set_playing: Callable[[bool], None],
             act: Callable[[Callable[[], None]], Callable[[], None]], lang: str,
             reset: Callable[[], Any]) -> None:
    busy = playing or session.finished

    def play() -> None:
        session.paused.clear()
        set_playing(True)

    def pause() -> None:
        session.pause()          # returns once a week in progress has ended
        set_playing(False)

    with solara.Row():
        solara.Button(text("explore.play", lang), on_click=play,
                      disabled=busy, classes=["commsim-play"])
        solara.Button(text("explore.pause", lang), on_click=pause,
                      disabled=not playing, classes=["commsim-pause"])
        solara.Button(text("explore.step", lang), on_click=act(session.step), disabled=busy,
                      classes=["commsim-step"])
        solara.Button(text("explore.to_end", lang), on_click=act(session.run_to_end),
                      disabled=busy, classes=["commsim-to-end"])
        solara.Button(text("explore.reset", lang), on_click=reset, classes=["commsim-reset"])


@solara.component
def _Controls(base: Scenario, choices: Choices, set_choices: Callable[[Choices], None],
              lang: str) -> None:
    """Every control: the city, the grouped scenario keys, the reforms, the run."""
    from dataclasses import replace

    def change(name: str) -> Callable[[Any], None]:
        """Set one field of the choices (not a scenario key: the city, years, seed...)."""
        def set_field(value: Any) -> None:
            if value is not None:       # a number field being cleared
                set_choices(replace(choices, **{name: value}))
        return set_field

    def switch_to(key: str) -> Callable[[bool], None]:
        return lambda value: set_choices(choices.setting(key, value))

    _Check("full-city", text("explore.full_city", lang), choices.full_city,
           change("full_city"))
    for group, keys in GROUPS.items():
        _Heading(text(f'explore.group.{group}', lang))
        for key in keys:
            _Key(key, choices.values.get(key, base[key]), choices, set_choices, lang)
    _Heading(text('explore.group.reforms', lang))
    for name, (switch, *sizes) in reform_keys().items():
        on = choices.values.get(switch, base[switch])
        _Check(switch, reform_label(name, lang), on, switch_to(switch))
        for key in sizes if on else ():
            _Key(key, choices.values.get(key, base[key]), choices, set_choices, lang)
    _Heading(text('explore.group.run', lang))
    solara.InputInt(text("explore.years", lang), value=choices.years, on_value=change("years"),
                    classes=["commsim-years"])
    solara.InputInt(text("explore.start_day", lang), value=choices.start_day,
                    on_value=change("start_day"), classes=["commsim-start-day"])
    solara.InputInt(text("explore.seed", lang), value=choices.seed, on_value=change("seed"),
                    classes=["commsim-seed"])
    _Check("compare", text("explore.compare", lang), choices.compare, change("compare"))


def _css(key: str) -> str:
    return "commsim-control-" + key.replace(".", "-")


@solara.component
def _Check(key: str, label: str, value: bool, on_value: Callable[[bool], None]) -> None:
    # the label beside the box, not in it: Vuetify's own label overflows the narrow column
    with solara.Row(classes=[_css(key)], style={"align-items": "center", "gap": "0"}):
        solara.Checkbox(value=bool(value), on_value=on_value, style="flex: none")
        solara.Text(label)


@solara.component
def _Key(key: str, value: Any, choices: Choices, set_choices: Callable[[Choices], None],
         lang: str) -> None:
    """One scenario key's control, chosen by its Param: a switch, a list or a number."""
    param, label = BY_KEY[key], key_label(key, lang)

    def on_value(new: Any) -> None:
        if new is not None:
            set_choices(choices.setting(key, new))

    classes = [_css(key)]
    if param.kind is bool:
        _Check(key, label, value, on_value)
    elif param.choices:
        shown = {value_label(key, choice, lang): choice for choice in param.choices}
        solara.Select(label, values=list(shown), value=value_label(key, value, lang),
                      on_value=lambda picked: on_value(shown.get(picked)), classes=classes)
    elif param.kind is int:
        solara.InputInt(label, value=value, on_value=on_value, classes=classes)
    else:
        # A share is labelled in percent (the key's unit), so it is shown and typed in percent.
        scale = 100.0 if key_unit(key, lang) == "%" else 1.0
        solara.InputFloat(label, value=round(float(value) * scale, 10),
                          on_value=lambda typed: on_value(None if typed is None
                                                          else typed / scale),
                          classes=classes)


@solara.component
def _Views(session: Session, lang: str, tick: int) -> None:
    """What the model has done so far; ``tick`` changes after every step."""
    model = session.model
    with solara.Row():
        solara.Text(text("explore.day", lang, day=model.day, days=model.days),
                    classes=["commsim-day"])
        if model.day <= model.warmup_days and model.warmup_days:
            solara.Text(text("explore.warmup", lang))
    _Findings(session, lang, tick)
    weekly = session.weekly()
    with solara.Row(style={"flex-wrap": "wrap"}):
        for draw in (_hours_figure, _pressure_figure, _residents_figure):
            solara.FigureMatplotlib(draw(weekly, lang), format="png", dpi=FIGURE_DPI)
    _Grid(session, lang, tick)
    _Differences(session, lang, tick)


@solara.component
def _Findings(session: Session, lang: str, tick: int) -> None:
    _Heading(text('explore.findings', lang))
    with solara.Row(style={"flex-wrap": "wrap"}):
        for name, value in session.findings().items():
            with solara.Card(style={"min-width": "180px"}):
                solara.Text(metric_name(name, lang))
                solara.HTML(tag="div", unsafe_innerHTML=shown(name, value),
                            classes=["commsim-metric", f"commsim-metric-{name}"],
                            style="font-size: 1.5em")


def _axes(title: str) -> tuple[Figure, Any]:
    figure = Figure(figsize=(4.6, 2.8), layout="constrained")
    axes = figure.add_subplot()
    axes.set_title(title)
    return figure, axes


def _week_axis(axes: Any, weekly: dict[str, np.ndarray], lang: str) -> None:
    axes.set_xlabel(text("weekly.x", lang))
    warmup = int(weekly["warmup_weeks"])
    if warmup:
        axes.axvspan(-0.5, warmup - 0.5, color="#EEEEEE", zorder=0,
                     label=text("weekly.warmup", lang))


def _hours_figure(weekly: dict[str, np.ndarray], lang: str) -> Figure:
    with house_style():
        figure, axes = _axes(text("explore.hours", lang))
        looks = {**KIND_LOOKS, "discretionary": (OKABE_ITO["blue"], "\\\\")}
        names = {kind: (text("explore.discretionary", lang) if kind == "discretionary"
                        else kind_label(kind, lang)) for kind in HOURS_SERIES}
        if len(weekly["week"]):
            axes.stackplot(weekly["week"], *(weekly[kind] for kind in HOURS_SERIES),
                           labels=[names[kind] for kind in HOURS_SERIES],
                           colors=[looks[kind][0] for kind in HOURS_SERIES],
                           hatch=[looks[kind][1] for kind in HOURS_SERIES])
            axes.legend(loc="lower left", fontsize=6.5)
        _week_axis(axes, weekly, lang)
        return figure


def _pressure_figure(weekly: dict[str, np.ndarray], lang: str) -> Figure:
    with house_style():
        figure, axes = _axes(text("explore.pressure", lang))
        for index, (series, label) in enumerate((("backlog_hours", "explore.backlog"),
                                                 ("overtime_per_staff", "explore.overtime"),
                                                 ("overdue_items", "explore.overdue"))):
            axes.plot(weekly["week"], weekly[series], label=text(label, lang),
                      linestyle=("-", "--", ":")[index])
        axes.set_yscale("symlog")
        axes.legend(loc="upper left", fontsize=6.5)
        _week_axis(axes, weekly, lang)
        return figure


def _residents_figure(weekly: dict[str, np.ndarray], lang: str) -> Figure:
    with house_style():
        figure, axes = _axes(text("explore.residents", lang))
        axes.plot(weekly["week"], weekly["participation"] * 100,
                  label=text("explore.participation", lang))
        twin = axes.twinx()
        twin.plot(weekly["week"], weekly["volunteer_hours"], linestyle="--",
                  color=OKABE_ITO["blue"],
                  label=metric_name("volunteer_hours_per_1000_households", lang))
        twin.grid(False)
        handles = axes.get_legend_handles_labels()[0] + twin.get_legend_handles_labels()[0]
        axes.legend(handles=handles, loc="lower left", fontsize=6.5)
        _week_axis(axes, weekly, lang)
        return figure


@solara.component
def _Grid(session: Session, lang: str, tick: int) -> None:
    """Every community as a tile coloured by admin share or backlog; a click shows its
    agent's state."""
    colour_by, set_colour_by = solara.use_state(COLOUR_BY[0])
    selected, set_selected = solara.use_state(0)
    values = session.grid(colour_by)
    finite = values[np.isfinite(values)]
    low, high = (float(finite.min()), float(finite.max())) if len(finite) else (0.0, 1.0)
    colours = matplotlib.colormaps["cividis"](
        np.nan_to_num((values - low) / (high - low or 1.0), nan=0.0))
    _Heading(text('explore.grid', lang))
    with solara.Row():
        for name in COLOUR_BY:
            solara.Button(text(f"explore.colour.{name}", lang),
                          on_click=lambda name=name: set_colour_by(name),
                          outlined=name != colour_by, classes=[f"commsim-colour-{name}"])
    with solara.Row(style={"align-items": "flex-start"}):
        with solara.Div(classes=["commsim-grid"],
                        style={"display": "grid", "gap": "2px",
                               "grid-template-columns": "repeat(20, 22px)"}):
            for index, colour in enumerate(colours):
                solara.Button("", on_click=lambda index=index: set_selected(index),
                              classes=["commsim-community", f"commsim-community-{index}"],
                              style={"min-width": "22px", "width": "22px", "height": "22px",
                                     "padding": "0",
                                     "background-color": matplotlib.colors.to_hex(colour)})
        _Community(session, min(selected, len(values) - 1), lang, tick)


@solara.component
def _Community(session: Session, index: int, lang: str, tick: int) -> None:
    state = session.community(index)
    with solara.Card(text("explore.community", lang, name=state["name"]),
                     classes=["commsim-community-state"]):
        _Table([[_state_label(name, lang), _value(name, value, lang)]
                for name, value in state.items()])


@solara.component
def _Heading(words: str, tag: str = "h4") -> None:
    """A heading as plain HTML (Solara's Markdown would fetch KaTeX, which the offline
    assets lack)."""
    solara.HTML(tag=tag, unsafe_innerHTML=html.escape(words))


@solara.component
def _Table(rows: list[list[str]], header: list[str] | None = None) -> None:
    def cells(row: list[str], tag: str) -> str:
        return "".join(f"<{tag}>{html.escape(cell)}</{tag}>" for cell in row)
    head = f"<tr>{cells(header, 'th')}</tr>" if header else ""
    body = "".join(f"<tr>{cells(row, 'td')}</tr>" for row in rows)
    solara.HTML(tag="table", unsafe_innerHTML=head + body, classes=["commsim-table"])


def _state_label(name: str, lang: str) -> str:
    """An agent attribute's label: the metric's where it is one, else the page's own."""
    return metric_name(name, lang) if name in METRICS else text(f"explore.state.{name}", lang)


def _value(name: str, value: Any, lang: str) -> str:
    if isinstance(value, bool):
        return value_label(name, value, lang)
    if name in METRICS:
        return shown(name, value)
    if isinstance(value, float):
        return number(value)
    return group_label(name, str(value), lang)   # a governance model by its name


@solara.component
def _Differences(session: Session, lang: str, tick: int) -> None:
    rows = session.differences()
    if rows is None:
        return
    _Heading(text('explore.difference', lang))
    header = ["", text("explore.this_run", lang), text("explore.baseline", lang),
              text("explore.minus", lang)]
    body = [[metric_name(name, lang), shown(name, mine), shown(name, theirs),
             shown_difference(name, difference)]
            for name, (mine, theirs, difference) in rows.items()]
    with solara.Div(classes=["commsim-differences"]):
        _Table(body, header)


@solara.component
def _SaveScenario(base: Scenario, choices: Choices, lang: str) -> None:
    """Write the settings as a scenario file ``commsim run`` accepts (and offer it as a
    download for a browser on another machine)."""
    target, set_target = solara.use_state("explore_scenario.toml")
    message, set_message = solara.use_state("")

    def save() -> None:
        path = Path(target)
        try:
            path.write_text(scenario_toml(base, choices, path), encoding="utf-8")
        except OSError as err:
            set_message(f"{path}: {err.strerror or err}")
            return
        command = f"commsim run {path} --seed {choices.seed} --reps 1"
        set_message(text("explore.saved", lang, path=path.resolve(), command=command))

    with solara.Row():
        solara.InputText(text("explore.save_path", lang), value=target, on_value=set_target,
                         classes=["commsim-save-path"])
        solara.Button(text("explore.save", lang), on_click=save, classes=["commsim-save"])
        solara.FileDownload(lambda: scenario_toml(base, choices, Path(target)),
                            filename=Path(target).name, label="TOML")
    if message:
        solara.Text(message, classes=["commsim-saved"])
