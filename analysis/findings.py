"""Key findings: the few sentences a brief opens with, generated from a comparison's results.

A policy reader needs three things from the first page: what each reform does, how sure we
are, and what it costs. A finding is one reform's effect on one measure, paired against the
baseline replicate by replicate:

- **resident-facing hours gained** per community-year (the freed-hours table's resident work,
  the yardstick of the cost per hour; analysis.cost_effect), with the price of an hour;
- the **administrative share** of working time and the **overdue rate**, in percentage points
  (the paired differences of the summary).

Its wording follows the interval, never the mean alone: "raises" or "cuts" only when the
replicate interval excludes zero, "makes no clear difference to" when it does not, and
"appears to" when one replicate leaves no interval at all. Its robustness is the share of
plausible worlds (a robust comparison, ``compare --ensemble``; analysis.robust) in which the
effect goes the way the sentence says; without one, the sentence says it was not tested.

Findings are chosen and ordered by ``score``: the effect's size relative to the baseline's
level (so hours and shares compare), times its robustness. At most two per reform and four
in all, so no one reform crowds out the rest; "no clear difference" findings fill up to three
(a reform that does nothing is a finding too). A fifth says which reform buys resident time
most cheaply and which most dearly, when at least two have a price.

Every number here is the one the results hold (``comparison.json``, ``cost_effect.csv``,
``world_effects.csv``), formatted once by analysis.numbers; the Markdown twin and the PDF
print the same strings.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from analysis import labels as lb
from analysis import numbers
from analysis.results import Results, row_at
from analysis.robust import RobustFolder, percent
from analysis.style import display_name
from sim.metrics import HIGHER, LOWER, METRICS

MOST_FINDINGS = 4        # effect findings; the cost finding may make it five
LEAST_FINDINGS = 3       # "no clear difference" findings fill up to this many
MOST_PER_SCENARIO = 1
SECONDARY_WEIGHT = 0.5   # an assumption: see the module's docstring
RESIDENT_HOURS = "resident_hours"
NO_INTERVAL = "none"


@dataclass(frozen=True)
class Measure:
    """What a finding can be about: where its effect is read and which way is better."""

    name: str
    robust_metric: str      # the per-run metric whose world effects give the robustness
    share: bool             # a share: effects in percentage points
    better: str
    primary: bool = False   # the mission's measure; improvements elsewhere weigh less


MEASURES: dict[str, Measure] = {m.name: m for m in (
    Measure(RESIDENT_HOURS, "resident_hours_per_1000_households", share=False, better=HIGHER,
            primary=True),
    Measure("admin_share", "admin_share", share=True, better=LOWER),
    Measure("overdue_rate", "overdue_rate", share=True, better=LOWER),
)}


@dataclass(frozen=True)
class Robustness:
    """How an effect fares across plausible worlds: in how many it was tested, and the
    share in which it rises (effect above zero) and falls."""

    worlds: int
    rising: float
    falling: float

    def agreeing(self, direction: int) -> float:
        """The share of worlds whose effect goes ``direction`` (+1 up, -1 down)."""
        return self.rising if direction > 0 else self.falling


@dataclass(frozen=True)
class Effect:
    """One reform's paired effect on one measure, with what it costs and how robust it is."""

    scenario: str
    measure: Measure
    mean: float
    low: float | None
    high: float | None
    method: str
    size: float                             # |mean| over the baseline's level
    robustness: Robustness | None = None
    price: dict[str, Any] | None = None     # yuan per hour gained (resident hours only)

    @property
    def has_interval(self) -> bool:
        return self.low is not None and self.high is not None and self.method != NO_INTERVAL

    @property
    def direction(self) -> int:
        """+1 or -1 when the interval lies above or below zero; 0 when it spans zero. With no
        interval, the sign of the mean (the wording then says "appears to")."""
        if not self.has_interval:
            return int(np.sign(self.mean))
        assert self.low is not None and self.high is not None
        return 1 if self.low > 0 else -1 if self.high < 0 else 0

    @property
    def improves(self) -> bool | None:
        """Whether the stated direction is the better one; None for no clear difference."""
        if self.direction == 0:
            return None
        return (self.direction > 0) == (self.measure.better == HIGHER)

    @property
    def agreeing(self) -> float | None:
        """The share of plausible worlds in which the effect goes the stated way; for no
        clear difference, the share in which the measure improves."""
        if self.robustness is None:
            return None
        if self.direction == 0:
            better = 1 if self.measure.better == HIGHER else -1
            return self.robustness.agreeing(better)
        return self.robustness.agreeing(self.direction)

    @property
    def score(self) -> float:
        """Effect size weighted by robustness and by the measure (improvements in secondary
        measures weigh ``SECONDARY_WEIGHT``): what a finding is chosen and ordered by. No
        clear difference scores nothing, however large its mean."""
        if self.direction == 0:
            return 0.0
        weight = 1.0 if self.measure.primary or not self.improves else SECONDARY_WEIGHT
        return self.size * weight * (1.0 if self.agreeing is None else self.agreeing)


@dataclass(frozen=True)
class Finding:
    """A sentence of the brief and the numbers it states (for the brief's JSON twin)."""

    text: str
    kind: str                      # "effect" or "cost"
    numbers: dict[str, Any]


# --- reading the effects ----------------------------------------------------------------------

def effects(results: Results, cost: dict[str, Any], robust: RobustFolder | None = None
            ) -> list[Effect]:
    """Every reform's effect on every measure, in scenario order."""
    summary = results.summary.set_index(["metric", "scenario"])
    priced = {entry["name"]: entry for entry in cost["scenarios"]}
    found = []
    for scenario in results.scenarios[1:]:
        for measure in MEASURES.values():
            if measure.name == RESIDENT_HOURS:
                found.append(_hours_effect(results, summary, priced[scenario], measure))
            else:
                found.append(_share_effect(summary, results.baseline, scenario, measure))
    if robust is not None:
        found = [_with_robustness(e, robust) for e in found]
    return found


def _hours_effect(results: Results, summary: pd.DataFrame, entry: dict[str, Any],
                  measure: Measure) -> Effect:
    """Resident hours gained per community-year, sized by the per-1,000-households metric's
    relative change (the hours table has no baseline level of its own)."""
    hours = entry["resident_hours"]
    level = row_at(summary, (measure.robust_metric, results.baseline))["mean"]
    change = row_at(summary, (measure.robust_metric, entry["name"]))["diff"]
    return Effect(entry["name"], measure, hours["mean"], hours["ci_low"], hours["ci_high"],
                  str(hours["method"]), _relative(change, level), price=entry["yuan_per_hour"])


def _share_effect(summary: pd.DataFrame, baseline: str, scenario: str,
                  measure: Measure) -> Effect:
    row = row_at(summary, (measure.name, scenario))
    base = row_at(summary, (measure.name, baseline))["mean"]
    return Effect(scenario, measure, float(row["diff"]), _maybe(row["diff_low"]),
                  _maybe(row["diff_high"]), str(row["diff_method"]),
                  _relative(row["diff"], base))


def _relative(change: float, level: float) -> float:
    return abs(float(change)) / abs(float(level)) if level else abs(float(change))


def _maybe(value: Any) -> float | None:
    return None if value is None or value != value else float(value)


def _with_robustness(effect: Effect, robust: RobustFolder) -> Effect:
    values = robust.effects(effect.scenario, effect.measure.robust_metric)
    tested = Robustness(len(values), float((values > 0).mean()), float((values < 0).mean()))
    return replace(effect, robustness=tested)


# --- choosing them ----------------------------------------------------------------------------

def choose(found: list[Effect]) -> list[Effect]:
    """The effects worth a sentence, best first: by score, one per reform and four in all,
    "no clear difference" effects filling up to three; with too few reforms for three, a
    second effect of a reform may fill in."""
    ranked = sorted((e for e in found if e.direction != 0), key=lambda e: -e.score)
    ranked += [e for e in found if e.direction == 0]
    chosen = _pick(ranked, [], per_scenario=MOST_PER_SCENARIO)
    if len(chosen) < LEAST_FINDINGS:
        chosen = _pick(ranked, chosen, per_scenario=MOST_PER_SCENARIO + 1)
    return sorted(chosen, key=ranked.index)


def _pick(ranked: list[Effect], chosen: list[Effect], per_scenario: int) -> list[Effect]:
    """``chosen`` and more from ``ranked`` in order, at most ``per_scenario`` per reform."""
    chosen = list(chosen)
    for effect in ranked:
        unclear_full = effect.direction == 0 and len(chosen) >= LEAST_FINDINGS
        if len(chosen) >= MOST_FINDINGS or unclear_full:
            break
        mine = sum(e.scenario == effect.scenario for e in chosen)
        if effect not in chosen and mine < per_scenario:
            chosen.append(effect)
    return chosen


def cheapest_and_dearest(found: list[Effect]) -> tuple[Effect, Effect] | None:
    """Among reforms that clearly gain resident hours at a price: the cheapest and dearest
    hour. None with fewer than two such reforms."""
    priced = [e for e in found if e.measure.name == RESIDENT_HOURS and e.direction > 0
              and e.price is not None and e.price["mean"] is not None]
    if len(priced) < 2:
        return None
    priced.sort(key=lambda e: e.price["mean"] if e.price else 0.0)
    return priced[0], priced[-1]


# --- writing them -----------------------------------------------------------------------------

def amount(effect: Effect, value: float | None, *, signed: bool) -> str:
    """A value of the effect as the sentence shows it: points for shares, hours otherwise,
    one number of decimals for the mean and its interval."""
    if value is None:
        return numbers.MISSING
    digits = 1 if effect.measure.share else _digits(effect)
    shown = (value if signed else abs(value)) * (100 if effect.measure.share else 1)
    return numbers.number(shown, sign=signed, digits=digits)


def _digits(effect: Effect) -> int:
    """Decimals for hours: as many as the largest of the mean and its interval is worth, so
    '+0 [−3, +2]' does not print as '+0.00'."""
    largest = max(abs(v) for v in (effect.mean, effect.low, effect.high) if v is not None)
    return numbers.digits_for(largest) if largest else 0


def _interval(effect: Effect, lang: str) -> str:
    """' (95% interval 2,893 to 2,987)': magnitudes for a clear direction; for no clear
    difference the signed mean and a signed interval, since the sentence states no amount."""
    signed = effect.direction == 0
    if not effect.has_interval:
        spread = lb.text("finding.no_interval", lang)
    else:
        assert effect.low is not None and effect.high is not None
        low, high = (effect.low, effect.high) if signed else \
            sorted((effect.low, effect.high), key=abs)
        spread = _spread(effect.method, amount(effect, low, signed=signed),
                         amount(effect, high, signed=signed), lang)
    if signed:
        stated = lb.text("finding.amount", lang, amount=amount(effect, effect.mean, signed=True),
                         unit=_unit(effect, lang))
        spread = lb.text("sep", lang).join([stated, spread])
    return lb.text("finding.paren", lang, text=spread)


def _spread(method: str, low: str, high: str, lang: str) -> str:
    """'95% interval LOW to HIGH', or the replicate range where two replicates gave no
    honest 95% interval (analysis.summary)."""
    return lb.text("finding.range" if "range" in method else "finding.ci", lang, low=low,
                   high=high)


def _unit(effect: Effect, lang: str) -> str:
    return lb.text(f"finding.unit.{'points' if effect.measure.share else 'hours'}", lang)


def _verb_key(effect: Effect) -> str:
    if effect.direction == 0:
        return "finding.unclear"
    verb = "raises" if effect.direction > 0 else "cuts"
    return f"finding.{verb}" + ("" if effect.has_interval else ".tentative")


def _price_clause(effect: Effect, lang: str) -> str:
    """', at 13 yuan per hour gained' for a clear gain in resident hours; else nothing."""
    price = effect.price
    if effect.measure.name != RESIDENT_HOURS or effect.direction <= 0 or price is None:
        return ""
    if price["status"] == "no extra cost":
        return lb.text("finding.free", lang)
    if price["mean"] is None:
        return ""
    return lb.text("finding.price", lang, price=_yuan(price["mean"]))


def _yuan(value: float) -> str:
    return numbers.number(value, digits=0 if abs(value) >= 10 else 1)


def _robust_clause(effect: Effect, lang: str) -> str:
    if effect.robustness is None:
        return lb.text("finding.untested", lang)
    key = "finding.worlds.unclear" if effect.direction == 0 else "finding.worlds"
    return lb.text(key, lang, share=percent(effect.agreeing or 0.0),
                   worlds=effect.robustness.worlds)


def effect_sentence(effect: Effect, name: str, lang: str) -> str:
    """One effect as a sentence: reform, verb by sign and interval, measure, amount and unit,
    interval, price, robustness."""
    measure = lb.text(f"finding.measure.{effect.measure.name}", lang)
    return lb.text(_verb_key(effect), lang, scenario=name, measure=measure,
                   unit=_unit(effect, lang), amount=amount(effect, effect.mean, signed=False),
                   interval=_interval(effect, lang), price=_price_clause(effect, lang),
                   robust=_robust_clause(effect, lang))


def cost_sentence(cheap: Effect, dear: Effect, names: dict[str, str], lang: str) -> str:
    """Which reform buys an hour of resident time most cheaply, and which most dearly."""
    assert cheap.price is not None and dear.price is not None
    spread = ""
    if cheap.price["ci_low"] is not None and cheap.price["ci_high"] is not None:
        spread = lb.text("finding.paren", lang, text=_spread(
            str(cheap.price["method"]), _yuan(cheap.price["ci_low"]),
            _yuan(cheap.price["ci_high"]), lang))
    return lb.text("finding.cost", lang, cheap=names[cheap.scenario],
                   cheap_price=_yuan(cheap.price["mean"]), interval=spread,
                   dear=names[dear.scenario], dear_price=_yuan(dear.price["mean"]))


def key_findings(results: Results, found: list[Effect], lang: str) -> list[Finding]:
    """The brief's opening from every effect (``effects``): three to five sentences,
    best-supported and largest first."""
    names = {n: display_name(results, n, lang) for n in results.scenarios}
    findings = [Finding(effect_sentence(e, names[e.scenario], lang), "effect", _record(e))
                for e in choose(found)]
    pair = cheapest_and_dearest(found)
    if pair is not None:
        findings.append(Finding(cost_sentence(*pair, names, lang), "cost",
                                {"cheapest": _record(pair[0]), "dearest": _record(pair[1])}))
    return findings


def _record(effect: Effect) -> dict[str, Any]:
    """The numbers a finding states, at full precision, for the brief's JSON twin."""
    record: dict[str, Any] = {
        "scenario": effect.scenario, "measure": effect.measure.name, "mean": effect.mean,
        "low": effect.low, "high": effect.high, "method": effect.method,
        "direction": effect.direction, "improves": effect.improves, "score": effect.score}
    if effect.robustness is not None:
        record |= {"worlds": effect.robustness.worlds, "share_of_worlds": effect.agreeing}
    if effect.price is not None:
        record["yuan_per_hour"] = effect.price
    return record


# --- the summary table ------------------------------------------------------------------------

@dataclass(frozen=True)
class SummaryTable:
    """One row per scenario: what it gains, where it leaves the shares, what it costs, how
    robust the gain is. ``numeric`` marks the columns to align right."""

    header: list[str]
    rows: list[list[str]]
    numeric: list[bool]


SUMMARY_COLUMNS = ("brief.scenario", "summary.hours", "summary.admin", "overdue_rate",
                   "summary.cost", "summary.price", "summary.robust")   # a metric: its name


def summary_table(results: Results, found: list[Effect], cost: dict[str, Any],
                  lang: str) -> SummaryTable:
    """The brief's one table from every effect (``effects``) and the costs; the baseline
    first, with its levels and no gains."""
    hours = {e.scenario: e for e in found if e.measure.name == RESIDENT_HOURS}
    priced = {entry["name"]: entry for entry in cost["scenarios"]}
    summary = results.summary.set_index(["metric", "scenario"])
    rows = []
    for name in results.scenarios:
        levels = [numbers.number(row_at(summary, (m, name))["mean"], share=True, digits=1)
                  for m in ("admin_share", "overdue_rate")]
        gains = [numbers.MISSING] * 4 if name == results.baseline else \
            _gains(hours[name], priced[name], lang)
        rows.append([display_name(results, name, lang), gains[0], *levels, *gains[1:]])
    header = [lb.metric_name(k, lang) if k in METRICS else lb.text(k, lang)
              for k in SUMMARY_COLUMNS]
    return SummaryTable(header, rows,
                        [False, *[True] * (len(SUMMARY_COLUMNS) - 1)])


def _gains(effect: Effect, entry: dict[str, Any], lang: str) -> list[str]:
    """Hours gained [interval], extra cost, yuan per hour, share of worlds gaining."""
    hours = numbers.band(effect.mean, effect.low, effect.high, sign=True,
                         digits=numbers.digits_for(effect.mean)).replace(", ", ",\u00a0")
    spent = entry["extra_cost"]
    cost = numbers.number(spent["mean"], sign=True, digits=0)
    price = entry["yuan_per_hour"]
    shown = _yuan(price["mean"]) if price["mean"] is not None else lb.text(
        "summary.free" if price["status"] == "no extra cost" else "summary.no_gain", lang)
    robust = lb.text("summary.untested", lang) if effect.robustness is None else lb.text(
        "summary.worlds", lang, share=percent(effect.robustness.rising),
        worlds=effect.robustness.worlds)
    return [hours, cost, shown, robust]
