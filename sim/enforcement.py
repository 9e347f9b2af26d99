"""How strictly street offices apply a reform, relay by relay, and how that lapses.

A burden-reduction campaign is not a switch: each relay (street office or zone
committee) applies it with its own strictness, and the pressure from above that
makes it do so fades as inspections lapse, unless the campaign is renewed
(MECHANISMS.md §1: 'pressure, relief, renewed pressure'). The level is a
deterministic function of the day, so everything that depends on it can be
planned at construction and every replicate sees the same enforcement path.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.errors import UserError
from sim.languages import Bilingual, Label
from sim.param import ASSUMPTION, Param
from sim.scenario import RELAY_STRICTNESS

if TYPE_CHECKING:
    from sim.scenario import Scenario


# How street offices enforce every reform they apply (``reforms.enforcement.*``);
# sim.parameters lists these keys with the others.
PARAMETERS: tuple[Param, ...] = (
    Param("reforms.enforcement.strictness", 1.0, float,
          "mean strictness with which street offices apply a reform when it starts or is "
          "renewed: the probability that an unlisted item is caught and the share of "
          "protected time honoured",
          ASSUMPTION + ": a campaign starts at full strictness", 0, 1, plausible=(0.6, 1),
          label=Bilingual(en=Label("Enforcement strictness", "%"),
                          zh=Label("执行严格程度", "%"))),
    Param("reforms.enforcement.strictness_spread", 0.0, float,
          "spread of strictness between relays: each relay's strictness is drawn from a Beta "
          "distribution with this standard deviation around the mean (0: every relay alike)",
          ASSUMPTION + ": MECHANISMS.md §3 notes uniform standards over very uneven loads; "
          "no measure of uneven enforcement found", 0, 0.5, plausible=(0, 0.25)),
    Param("reforms.enforcement.relay_strictness", [], list,
          "strictness per relay, street offices first, then zone committees, as numbers "
          "in [0, 1] (empty: drawn from strictness and strictness_spread)",
          "scenario choice"),
    Param("reforms.enforcement.decay_per_year", 0.3, float,
          "share of its enforcement a campaign loses per year after it starts or is renewed, "
          "as inspections lapse",
          ASSUMPTION + ": national waves recur every 4-5 years and the 2015 notice called the "
          "2014 reduction 'far from done' (MECHANISMS.md §1); no regrowth or decay rate is "
          "measured", 0, 1,
          plausible=(0.1, 0.6),
          label=Bilingual(en=Label("Enforcement lost per year", "%"),
                          zh=Label("执行力度年衰减", "%"))),
    Param("reforms.enforcement.renew_every_days", 0, int,
          "working days between renewals of a campaign (inspections that restore it to full "
          "strictness); 0: never renewed",
          "scenario choice: 4-5 year national waves (MECHANISMS.md §1)", 0, 20000),
    Param("reforms.enforcement.renewals", 0, int,
          "how many times a campaign is renewed (with renew_every_days > 0)",
          "scenario choice", 0, 1000),
)


class Enforcement:
    """Enforcement level of one reform per relay: its strictness at the start and at each
    renewal, decaying by ``decay_per_year`` a year in between."""

    def __init__(self, strictness: np.ndarray, start_day: int, decay_per_year: float,
                 renew_every_days: int, renewals: int, days_per_year: int):
        self.strictness = np.asarray(strictness, dtype=float)
        self.start_day = start_day
        self.decay_per_year = decay_per_year
        self.renew_every_days = renew_every_days
        self.renewals = renewals if renew_every_days > 0 else 0
        self.days_per_year = days_per_year

    def last_renewal(self, day: int) -> int:
        """The day the campaign last started or was renewed, as of ``day``."""
        if not self.renewals:
            return self.start_day
        done = min(self.renewals, max(day - self.start_day, 0) // self.renew_every_days)
        return self.start_day + done * self.renew_every_days

    def factor(self, day: int) -> float:
        """Share of its strictness the campaign keeps on ``day`` (0 before it starts)."""
        if day < self.start_day:
            return 0.0
        years = (day - self.last_renewal(day)) / self.days_per_year
        return (1.0 - self.decay_per_year) ** years

    def level(self, day: int) -> np.ndarray:
        """Enforcement per relay on ``day``, in [0, 1]."""
        return self.strictness * self.factor(day)

    def levels(self, days: np.ndarray) -> np.ndarray:
        """Enforcement per day (rows) and relay (columns)."""
        return np.array([self.factor(int(d)) for d in days])[:, None] * self.strictness[None, :]

    @classmethod
    def from_scenario(cls, scenario: Scenario, n_relays: int, start_day: int,
                      rng: np.random.Generator) -> Enforcement:
        key = "reforms.enforcement."
        return cls(relay_strictness(scenario, n_relays, rng), start_day,
                   scenario[key + "decay_per_year"], scenario[key + "renew_every_days"],
                   scenario[key + "renewals"], scenario["simulation.working_days_per_year"])


def relay_strictness(scenario: Scenario, n_relays: int, rng: np.random.Generator) -> np.ndarray:
    """Each relay's strictness: as listed in the scenario, or drawn from a Beta distribution
    with the scenario's mean and spread (every relay at the mean when the spread is 0).

    One draw per relay is taken whatever the spread, so changing the spread moves
    each relay's strictness without reshuffling which relays are strict.
    """
    listed = scenario[RELAY_STRICTNESS]
    if listed:
        return parse_relay_strictness(listed, n_relays, RELAY_STRICTNESS)
    mean = scenario["reforms.enforcement.strictness"]
    spread = scenario["reforms.enforcement.strictness_spread"]
    uniform = rng.random(n_relays)
    if spread == 0 or mean in (0.0, 1.0):
        return np.full(n_relays, mean)
    variance = min(spread**2, 0.99 * mean * (1 - mean))
    concentration = mean * (1 - mean) / variance - 1
    from scipy.stats import beta  # only when strictness is drawn

    return beta.ppf(uniform, mean * concentration, (1 - mean) * concentration)


def parse_relay_strictness(listed: list[str], n_relays: int, where: str) -> np.ndarray:
    """The listed strictness values as numbers, one per relay, each in [0, 1]."""
    values = []
    for position, text in enumerate(listed):
        try:
            value = float(text)
        except ValueError:
            value = float("nan")
        if not 0.0 <= value <= 1.0:
            raise UserError(f"{where}: bad value {text!r} at position {position + 1}; expected "
                            "a number in [0, 1]")
        values.append(value)
    if len(values) != n_relays:
        raise UserError(f"{where}: {len(values)} values given, the city has {n_relays} relays "
                        "(city.street_offices + city.zone_committees); give one per relay or "
                        "none")
    return np.array(values)
