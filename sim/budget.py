"""Equal-budget comparison (``commsim compare --budget YUAN``): each scenario sized to spend
YUAN per community-year more than the first one.

What can be sized is declared, never guessed from names: each reform class lists the keys
that scale its spend (``Reform.size_keys``: grid personnel per 1,000 households, the share of
pushed-down hours funding pays for), and a scenario whose staffing differs from the first's
is sized by its staffing key (``STAFFING_SIZES``, by ``staffing.basis``). A scenario with
several such keys (a reform package) scales them all by one factor, so their mix is kept.
A scenario with none (access list, digital service, protected time) runs at its own cost.

The spend is a run's output (quits leave posts vacant, purchased money follows the work
accepted), so the factor is found by evaluation, not from a formula: the secant method on
the paired extra spend, starting from the scenario as written (factor 1) and a first guess
that assumes spend proportional to the factor. Each evaluation runs the scenario's
replicates on the same seeds as the first scenario. Sizes that come in whole people (staff
per community) move the spend in steps, so the budget is met as closely as a step allows and
the output says how closely.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import numpy as np
import pandas as pd

from sim.compare import Comparison, compare
from sim.parameters import BY_KEY
from sim.reforms import REFORMS
from sim.scenario import Scenario

COST = "cost_yuan_per_community_year"
STAFFING_SIZES = {"per_community": "staffing.staff_per_community",
                  "per_households": "staffing.staff_per_1000_households"}
TOLERANCE = 0.02          # a spend within 2% of the budget counts as met
MAX_EVALUATIONS = 4       # runs of each scenario's replicates beyond the first comparison


def size_keys(scenario: Scenario, first: Scenario) -> tuple[str, ...]:
    """The keys that scale what ``scenario`` spends above ``first``: those of each reform it
    switches on and the first does not, and its staffing key if its staffing differs."""
    keys = [key for cls in REFORMS.values()
            if scenario[f"reforms.{cls.name}.enabled"] and not first[f"reforms.{cls.name}.enabled"]
            for key in cls.size_keys]
    staffing = STAFFING_SIZES[scenario["staffing.basis"]]
    if (scenario["staffing.basis"] != first["staffing.basis"]
            or scenario[staffing] != first[staffing]):
        keys.append(staffing)
    return tuple(dict.fromkeys(keys))


def extra_cost(metrics: pd.DataFrame, weekly: pd.DataFrame, first: str) -> pd.DataFrame:
    """Per scenario and replicate: its cost above the first scenario's, in yuan per
    community-year of the first scenario (so a split, with more communities, is charged for
    all of them, as the freed hours are counted). Columns: scenario, rep, extra_cost."""
    rows = metrics[metrics["scenario"] != first]
    if rows.empty:
        return pd.DataFrame({"scenario": pd.Series(dtype=object),
                             "rep": pd.Series(dtype="int64"), "extra_cost": pd.Series(dtype=float)})
    counts = weekly.groupby("scenario")["communities"].max().astype(float)
    base = metrics[metrics["scenario"] == first].set_index("rep")[COST]
    scaled = rows[COST] * rows["scenario"].map(counts) / counts[first]
    extra = scaled.to_numpy() - base.loc[rows["rep"]].to_numpy()
    return pd.DataFrame({"scenario": rows["scenario"].to_numpy(), "rep": rows["rep"].to_numpy(),
                         "extra_cost": extra})


@dataclass
class Sizing:
    """How one scenario was sized for the budget, for the output."""

    name: str
    status: str                        # "scaled", "closest", "capped" or "own cost"
    factor: float = 1.0
    spend: float = float("nan")        # mean extra yuan per community-year reached
    keys: dict[str, Any] = field(default_factory=dict)   # size key -> value run

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "status": self.status, "factor": self.factor,
                "extra_cost": self.spend, "keys": self.keys}


def scaled(scenario: Scenario, keys: tuple[str, ...], factor: float) -> Scenario:
    """The scenario with every size key multiplied by ``factor`` (whole keys rounded)."""
    values = {key: scenario[key] * factor for key in keys}
    return scenario.updated({key: round(value) if BY_KEY[key].kind is int else value
                             for key, value in values.items()}, "--budget")


def factor_limits(scenario: Scenario, keys: tuple[str, ...]) -> tuple[float, float]:
    """The factors that keep every size key within its allowed bounds."""
    low, high = 0.0, np.inf
    for key in keys:
        param, value = BY_KEY[key], float(scenario[key])
        if value <= 0:
            return 1.0, 1.0                         # nothing to scale
        if param.low is not None:
            low = max(low, param.low / value)
        if param.high is not None:
            high = min(high, param.high / value)
    return low, high


def solve(spend: Callable[[float], float], budget: float, first_spend: float,
          limits: tuple[float, float]) -> tuple[float, float, str]:
    """The factor whose spend meets ``budget``: secant steps from factor 1 (spend known) and
    a proportional first guess, kept within ``limits``. Returns the factor, its spend and
    "scaled" (within TOLERANCE), "capped" (a bound stops it short) or "closest"."""
    low, high = limits
    if abs(first_spend - budget) <= TOLERANCE * abs(budget):
        return 1.0, first_spend, "scaled"           # as written, it already spends the budget
    tried = [(1.0, first_spend)]
    guess = budget / first_spend if first_spend > 0 else 2.0
    for _ in range(MAX_EVALUATIONS):
        factor = float(np.clip(guess, low, high))
        if any(np.isclose(factor, f) for f, _ in tried):
            break
        tried.append((factor, spend(factor)))
        if abs(tried[-1][1] - budget) <= TOLERANCE * abs(budget):
            return tried[-1][0], tried[-1][1], "scaled"
        (f0, s0), (f1, s1) = tried[-2], tried[-1]
        guess = f1 + (budget - s1) * (f1 - f0) / (s1 - s0) if s1 != s0 else f1 * 2
    factor, reached = min(tried, key=lambda t: abs(t[1] - budget))
    if abs(reached - budget) <= TOLERANCE * abs(budget):
        return factor, reached, "scaled"
    at_bound = np.isclose(factor, low) or np.isclose(factor, high)
    return factor, reached, "capped" if at_bound else "closest"


def compare_on_budget(scenarios: list[Scenario], budget: float, *, reps: int, seed: int,
                      workers: int | None = None, scheduler: str | None = None,
                      tables: bool = False) -> tuple[Comparison, list[Sizing]]:
    """Compare with each scenario after the first sized to spend ``budget`` yuan per
    community-year above it: one comparison as written, evaluations of the sizable ones,
    then the comparison of the sized scenarios (same seeds throughout)."""
    options: dict[str, Any] = {"reps": reps, "seed": seed, "workers": workers,
                               "scheduler": scheduler}
    written = compare(scenarios, **options)
    first = written.names[0]
    spent = extra_cost(written.metrics, written.city_weekly, first).groupby(
        "scenario")["extra_cost"].mean()
    base = (written.metrics[written.metrics["scenario"] == first],
            written.city_weekly[written.city_weekly["scenario"] == first])
    sized, sizings = [scenarios[0]], []
    for name, scenario in zip(written.names[1:], scenarios[1:], strict=True):
        keys = size_keys(scenario, scenarios[0])
        if not keys:
            sized.append(scenario)
            sizings.append(Sizing(name, "own cost", spend=float(spent[name])))
            continue
        factor, reached, status = solve(
            partial(_spend_at, scenario, keys, name, base, options),
            budget, float(spent[name]), factor_limits(scenario, keys))
        sized.append(scaled(scenario, keys, factor))
        sizings.append(Sizing(name, status, factor, reached,
                              {key: sized[-1][key] for key in keys}))
    return compare(sized, **options, tables=tables), sizings


def _spend_at(scenario: Scenario, keys: tuple[str, ...], name: str,
              base: tuple[pd.DataFrame, pd.DataFrame], options: dict[str, Any],
              factor: float) -> float:
    """The mean paired extra spend of the scenario sized by ``factor``, over the first
    scenario's replicates (its metrics and weekly totals in ``base``)."""
    trial = compare([scaled(scenario, keys, factor)], **options)
    metrics = pd.concat([base[0], trial.metrics.assign(scenario=name)], ignore_index=True)
    weekly = pd.concat([base[1], trial.city_weekly.assign(scenario=name)], ignore_index=True)
    first = str(base[0]["scenario"].iloc[0])
    return float(extra_cost(metrics, weekly, first)["extra_cost"].mean())
