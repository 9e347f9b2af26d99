"""Mesa's own tools on the model: ``mesa.batch_run``, ``mesa.DataCollector`` and SolaraViz.

``CommunityWorkloadModel`` takes a validated ``Scenario`` and steps one working day, which
suits the command line and the experiments. Mesa's tools expect something else: a model
class built from flat keyword settings, a ``datacollector`` attribute, and few enough steps
that ``batch_run``'s default ``max_steps=1000`` covers a run. ``CommunityBatchModel`` is
that class and nothing more: the same model (it is a subclass, so the agents, the day's
order and the random streams are the CLI's), with

* settings as keywords: a scenario (a shipped name, a file or a ``Scenario``) and any
  scenario key, dotted (``**{"staffing.staff_per_community": 12}``) or with ``__`` for the
  dots (``staffing__staff_per_community=12``), each validated with the CLI's messages;
* one Mesa step per ledger week (five working days), so 1,000 steps hold 19 years, plus one
  closing step that only records the finished run (Mesa 3.3's ``batch_run`` reads the
  records of the step before the last);
* the warm-up handled as ``sim.runner.simulate`` handles it, so the metrics recorded after
  the closing step equal ``commsim run``'s for the same scenario, seed and replicate;
* ``seed`` and ``replicate`` as the CLI's: runs that differ only in a reform's switch and
  share seed and replicate draw the same random numbers (common random numbers), so
  ``batch_run`` over a switch with ``replicate=range(n)`` gives paired runs. The seed is a
  setting (``"seed": 1`` among the parameters) or, on Mesa 3.5, ``batch_run(..., rng=1)``;
  ``iterations`` would only repeat identical runs.

The ``datacollector`` exists only here, and only with ``collect=True`` (the default for
this class): the base model, the CLI and the benchmarks never build one.
"""

from __future__ import annotations

import math
from functools import partial
from pathlib import Path
from typing import Any

import mesa
import numpy as np

from sim.communities import COMMUNITY_STATE, Community
from sim.errors import UserError
from sim.metrics import METRICS, compute_metrics, so_far
from sim.model import CommunityWorkloadModel
from sim.parameters import DAYS_PER_WEEK
from sim.scenario import Scenario, load_scenario

WHERE = "CommunityBatchModel"


def settings_of(scenario: str | Path | Scenario, settings: dict[str, Any],
                where: str = WHERE) -> Scenario:
    """The scenario with keyword settings applied: keys dotted or with '__' for the dots,
    each validated (an unknown key or bad value raises the CLI's UserError, which begins
    with ``where``)."""
    loaded = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    if not settings:
        return loaded
    return loaded.updated({key.replace("__", "."): value for key, value in settings.items()},
                          where)


def master_seed(seed: Any, rng: Any) -> int:
    """The CLI's ``--seed`` from what Mesa passes: ``seed`` as a setting, or ``rng``, which
    Mesa 3.5's ``batch_run`` fills from its own ``rng=`` list (None unless given). ``seed``
    is not a named argument here because Mesa 3.5 would then overwrite it with that ``rng``."""
    for name, value in (("seed", seed), ("rng", rng)):
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 0:
            raise UserError(f"{WHERE}: {name}={value!r}: expected a whole number 0 or more "
                            "(every random stream is derived from it, as from --seed)")
        return int(value)
    return 0


def _finding(name: str, model: CommunityBatchModel) -> float:
    return model.findings[name]


def _community_state(name: str, agent: mesa.Agent) -> Any:
    """A community agent's attribute; None for the other agent types (departments, relays),
    which Mesa's agent reporters visit too."""
    return getattr(agent, name) if isinstance(agent, Community) else None


class CommunityBatchModel(CommunityWorkloadModel):
    """The city model as Mesa's tools build and step it: keyword settings, one step per week.

    ``collect`` builds a ``datacollector`` whose model reporters are every metric of
    ``sim.metrics.METRICS`` over the measured period so far (NaN during the warm-up),
    plus ``day``; ``agents`` adds an agent reporter per attribute of
    ``sim.communities.COMMUNITY_STATE`` (None on agents that are not communities).
    """

    def __init__(self, scenario: str | Path | Scenario = "baseline", replicate: int = 0, *,
                 rng: Any = None, collect: bool = True, agents: bool = False,
                 **settings: Any):
        seed = master_seed(settings.pop("seed", None), rng)
        super().__init__(settings_of(scenario, settings), seed=seed, replicate=replicate)
        self.warmup_days = self.settings["simulation.warmup_days"]
        self.findings: dict[str, float] = {}
        self.closed = False
        self.running = True        # a closing step remains even for a run of no days
        if collect:
            self.datacollector = mesa.DataCollector(
                model_reporters={"day": partial(_finding, "day"),
                                 **{name: partial(_finding, name) for name in METRICS}},
                agent_reporters=({name: partial(_community_state, name)
                                  for name in COMMUNITY_STATE} if agents else None))
            self.record()

    @property
    def weeks(self) -> int:
        """Mesa steps that simulate (the closing step comes after them)."""
        return -(-self.days // DAYS_PER_WEEK)

    def step(self) -> None:
        """One ledger week of working days; after the last, a closing step that records the
        finished run and stops."""
        if self.day >= self.days:
            self.closed = True
            self.running = False
        else:
            end = min((self.day // DAYS_PER_WEEK + 1) * DAYS_PER_WEEK, self.days)
            while self.day < end:
                self.step_day()
            self.running = True
        if hasattr(self, "datacollector"):
            self.record()

    def step_day(self) -> None:
        """One working day, measuring from the end of the warm-up as ``simulate`` does."""
        if self.day == self.warmup_days:
            self.ledger.start_measuring()
        CommunityWorkloadModel.step(self)
        if self.day == self.warmup_days == self.days:
            self.ledger.start_measuring()

    def metrics_so_far(self) -> dict[str, float]:
        """Every metric over the measured days so far (NaN in the warm-up): after the
        closing step, ``commsim run``'s for the same scenario, seed and replicate."""
        window = so_far(self)
        if window is None:
            return dict.fromkeys(METRICS, math.nan)
        return compute_metrics(self, window)

    def record(self) -> None:
        """Compute the findings so far and let the datacollector read them."""
        self.findings = {**self.metrics_so_far(), "day": self.day}
        self.datacollector.collect(self)
