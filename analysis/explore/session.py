"""What the explore page shows, without the page: settings, the running model, its series.

Everything here is plain Python over the model the CLI runs (``sim.batch``'s
``CommunityBatchModel``, one Mesa step per ledger week), so the page is a thin view and the
numbers it shows can be tested without a browser. A ``Choices`` holds what the controls
set; ``Choices.scenario`` validates it the way ``commsim run --set`` does (a bad
combination raises the same ``UserError``); a ``Session`` builds the model (and, when a
comparison is asked for, a baseline twin with every reform off, same seed and replicate, so
the difference is paired) and steps them together.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from analysis.labels import is_share, key_label, key_unit, text
from analysis.numbers import number
from sim.batch import CommunityBatchModel, settings_of
from sim.calibration import toml_string, toml_value
from sim.communities import COMMUNITY_STATE, Community
from sim.freed import ADMIN_FIELDS
from sim.metrics import KEY_METRICS, so_far
from sim.parameters import BY_KEY, DAYS_PER_WEEK, PARAMETERS
from sim.reforms import REFORMS
from sim.scenario import Scenario, extends_reference, load_scenario

# The city a page opens on: the synthetic city of the baseline's kind, small enough that a
# year runs in well under a second (the full city is a control away).
SMALL_CITY: dict[str, Any] = {"city.roster": "", "governance.by_district": {},
                              "city.communities": 40, "city.street_offices": 4,
                              "city.zone_committees": 1}
# The controls besides the reforms', by group, each a scenario key: its kind, bounds and
# choices come from the key's Param, its label from analysis.labels.key_label.
GROUPS: dict[str, tuple[str, ...]] = {
    "staffing": ("staffing.basis", "staffing.staff_per_community",
                 "staffing.staff_per_1000_households"),
    "governance": ("governance.model",),
    "assessment": ("assessment.enabled", "assessment.period_days",
                   "assessment.pressure_threshold"),
    "participation": ("residents.participation.enabled", "residents.participation.baseline",
                      "residents.participation.volunteer_share",
                      "residents.participation.volunteer_hours_per_household"),
}
COLOUR_BY = ("admin_share", "backlog_hours")     # what the grid of communities shows
WHERE = "explore"                                 # where a bad setting's message says it came


def reform_keys() -> dict[str, tuple[str, ...]]:
    """Each reform's switch and the sizes it labels (``Param.label``), from the registries."""
    keys = {}
    for name in REFORMS:
        switch = f"reforms.{name}.enabled"
        sizes = tuple(p.key for p in PARAMETERS
                      if p.needs == (switch, True) and p.label is not None)
        keys[name] = (switch, *sizes)
    return keys


def start_keys(reforms: list[str]) -> list[str]:
    """The start-day keys of ``reforms`` that have one (splitting cannot start later)."""
    return [f"reforms.{name}.start_day" for name in reforms
            if f"reforms.{name}.start_day" in BY_KEY]


@dataclass(frozen=True)
class Choices:
    """What the page's controls say: scenario keys set, years, reform start day, seed, and
    whether the full city runs and a baseline is compared."""

    values: dict[str, Any] = field(default_factory=dict)
    years: int = 1
    start_day: int = 0
    seed: int = 0
    full_city: bool = False
    compare: bool = False

    def setting(self, key: str, value: Any) -> Choices:
        return replace(self, values={**self.values, key: value})

    def enabled_reforms(self, base: Scenario) -> list[str]:
        return [name for name in REFORMS
                if self.values.get(f"reforms.{name}.enabled", base[f"reforms.{name}.enabled"])]

    def overrides(self, base: Scenario) -> dict[str, Any]:
        """Every key the page sets on ``base``, in the order a scenario file would list
        them: the city, the controls, the length of the run, the reforms' start."""
        days = base["simulation.warmup_days"] + self.years * base[
            "simulation.working_days_per_year"]
        starts = dict.fromkeys(start_keys(self.enabled_reforms(base)), self.start_day)
        return {**({} if self.full_city else SMALL_CITY), **self.values,
                "simulation.days": days, **starts}

    def scenario(self, base: Scenario) -> Scenario:
        """The scenario these choices make of ``base``, validated (a UserError otherwise)."""
        return settings_of(base, self.overrides(base), WHERE)

    def set_options(self, base: Scenario) -> list[str]:
        """The same settings as ``commsim run``'s ``--set KEY=VALUE`` options."""
        return [f"{key}={toml_value(value)}" for key, value in self.overrides(base).items()]

    def baseline(self, base: Scenario) -> Scenario:
        """The same scenario with every reform off: the comparison's other arm."""
        off = {f"reforms.{name}.enabled": False for name in REFORMS}
        return settings_of(self.scenario(base), off, WHERE)


def percent_out_of_range(choices: Choices, lang: str) -> str | None:
    """The page's message for a share typed in percent outside what its key accepts, in
    percent as it was typed: the model's own message gives the bounds as fractions of 1,
    which the page never shows. None when every share is within its bounds."""
    for key, value in choices.values.items():
        param = BY_KEY[key]
        if (value is None or isinstance(value, bool) or param.kind is not float
                or key_unit(key, lang) != "%"):
            continue
        low = -np.inf if param.low is None else param.low
        high = np.inf if param.high is None else param.high
        if not low <= value <= high:
            return "commsim: error: " + text(
                "explore.out_of_range", lang, key=key_label(key, lang), value=_percent(value),
                low=_percent(low), high=_percent(high))
    return None


def _percent(share: float) -> str:
    return f"{share * 100:g}%"


def scenario_toml(base: Scenario, choices: Choices, path: Path) -> str:
    """A scenario file that ``commsim run`` reads back as the page's settings: it extends the
    page's scenario and sets every key the page changed; the seed goes in the header."""
    assert base.path is not None   # the page loads its scenario from a file or by name
    changed = {key: value for key, value in choices.overrides(base).items()
               if value != base[key]}
    lines = [f"# Written by commsim explore; run it with: commsim run {path.name} "
             f"--seed {choices.seed} --reps 1",
             f"extends = {toml_string(extends_reference(base.path, path.resolve().parent))}",
             f"name = {toml_string(path.stem)}",
             *(f"{key} = {toml_value(value)}" for key, value in changed.items())]
    return "\n".join(lines) + "\n"


def shown(metric: str, value: float) -> str:
    """A metric as the page shows it: ``analysis.numbers``' rules, shares to 0.1 point."""
    share = is_share(metric)
    return number(value, share=share, digits=1 if share else None)


def shown_difference(metric: str, value: float) -> str:
    share = is_share(metric)
    return number(value, share=share, sign=True, digits=1 if share else None)


class Session:
    """One browser session's models: built from choices, stepped a week at a time.

    A lock keeps the page's readers off a model while the play loop steps it.
    """

    def __init__(self, base: Scenario, choices: Choices):
        self.base, self.choices = base, choices
        self.lock = threading.Lock()
        self.paused = threading.Event()    # set by pause: the play loop steps no further
        self.model = CommunityBatchModel(choices.scenario(base), seed=choices.seed,
                                         collect=False)
        self.twin = (CommunityBatchModel(choices.baseline(base), seed=choices.seed,
                                         collect=False) if choices.compare else None)

    @property
    def finished(self) -> bool:
        return not self.model.running or self.model.day >= self.model.days

    def step(self) -> None:
        """One ledger week of the model (and of its baseline twin)."""
        with self.lock:
            for model in self._models():
                if model.day < model.days:
                    model.step()

    def play_week(self) -> bool:
        """One week for the play loop, unless pause came first (checked under the lock, so
        once ``pause`` returns no further week starts). False when it did not step."""
        with self.lock:
            if self.paused.is_set() or self.finished:
                return False
            for model in self._models():
                if model.day < model.days:
                    model.step()
            return True

    def pause(self) -> None:
        """Stop the play loop and wait for a week in progress to end, so the day shown
        after pausing is the day it stays at."""
        self.paused.set()
        with self.lock:
            pass

    def run_to_end(self) -> None:
        while not self.finished:
            self.step()

    def _models(self) -> list[CommunityBatchModel]:
        return [self.model] + ([self.twin] if self.twin is not None else [])

    # --- what the page reads ---------------------------------------------------------------
    def findings(self) -> dict[str, float]:
        """The key metrics over the measured days so far (NaN in the warm-up): at the run's
        end, exactly ``commsim run``'s for the same scenario and seed."""
        with self.lock:
            return _findings(self.model)

    def differences(self) -> dict[str, tuple[float, float, float]] | None:
        """Per key metric: this run, the baseline twin and their paired difference."""
        if self.twin is None:
            return None
        with self.lock:
            mine, theirs = _findings(self.model), _findings(self.twin)
        return {name: (mine[name], theirs[name], mine[name] - theirs[name])
                for name in KEY_METRICS}

    def weekly(self) -> dict[str, np.ndarray]:
        """City series per week simulated so far, per community (staff for overtime, 1,000
        households for volunteer hours), warm-up weeks included."""
        with self.lock:
            return _weekly(self.model)

    def grid(self, colour_by: str) -> np.ndarray:
        """Each community's admin share over the measured days so far, or its backlog now."""
        with self.lock:
            return _grid(self.model, colour_by)

    def community(self, index: int) -> dict[str, Any]:
        """One community agent's state (``COMMUNITY_STATE``), as the agent reports it."""
        with self.lock:
            agent = self.model.agents_by_type[Community][index]
            return {name: getattr(agent, name) for name in COMMUNITY_STATE}


def _findings(model: CommunityBatchModel) -> dict[str, float]:
    found = model.metrics_so_far()
    return {name: found[name] for name in KEY_METRICS}


def _weekly(model: CommunityBatchModel) -> dict[str, np.ndarray]:
    ledger, city = model.ledger, model.city
    weeks = -(-model.day // DAYS_PER_WEEK)
    rows = ledger.weekly[:weeks]

    def field(name: str) -> np.ndarray:
        return rows[:, ledger.field_index(name)]

    n = city.n_communities
    staff = np.maximum(field("staff").sum(axis=1), 1.0)
    households = city.households.sum()
    return {
        "week": np.arange(weeks),
        "warmup_weeks": np.array(model.warmup_days // DAYS_PER_WEEK),
        "administrative": np.sum([field(name) for name in ADMIN_FIELDS], axis=(0, 2)) / n,
        "service": field("hours_service").sum(axis=1) / n,
        "self_governance": field("hours_self_governance").sum(axis=1) / n,
        "discretionary": field("hours_discretionary").sum(axis=1) / n,
        "backlog_hours": field("backlog_hours").sum(axis=1) / n,
        "overtime_per_staff": field("overtime_hours").sum(axis=1) / staff,
        "overdue_items": field("overdue_open").sum(axis=1) / n,
        "participation": (field("participation") * city.households).sum(1) / households,
        "volunteer_hours": field("volunteer_hours").sum(axis=1) / households * 1000,
    }


def _grid(model: CommunityBatchModel, colour_by: str) -> np.ndarray:
    n = model.city.n_communities
    if colour_by == "backlog_hours":
        queue = model.queue
        return np.bincount(queue.community, queue.remaining, minlength=n)
    window = so_far(model)
    if window is None:
        return np.full(n, np.nan)
    ledger = model.ledger
    rows = ledger.weekly[window.weeks]

    def total(name: str) -> np.ndarray:
        return rows[:, ledger.field_index(name)].sum(axis=0)

    admin = np.sum([total(name) for name in ADMIN_FIELDS], axis=0)
    worked = (admin + total("hours_service") + total("hours_self_governance")
              + total("hours_discretionary"))
    return np.divide(admin, worked, out=np.full(n, np.nan), where=worked > 0)


def load_base(scenario: str | Path) -> Scenario:
    """The scenario the page starts from (a file or a shipped name), as ``commsim run``
    loads it."""
    return load_scenario(scenario)
