"""Where the freed hours went: administrative hours a scenario frees against the first one,
split by where they ended up (the decomposition; analysis/freed.py summarises and shows it).

The ledger books every hour of the communities' own staff once (tests/validation/
test_conservation.py)::

    regular + overtime = admin + grid duties + service + self-governance
                         + discretionary + slack + switching + learning

Taking the paired difference (scenario minus first scenario, replicate by
replicate, common random numbers) of both sides and moving terms around gives,
exactly, for each replicate::

    freed = -Δ(admin + grid duties)
          = Δservice + Δself-governance + Δdiscretionary     (resident work)
            - Δovertime                                        (less overtime)
            + Δslack                                           (idle)
            + Δswitching + Δlearning                           (other)
            - Δregular                                         (staff present)

Grid heads' duties count as administrative, as in the model's shares, so they
sit in the freed term, not in "other". The last term is nonzero whenever
the head count differs: a staffing reform, or fewer quits once overtime falls.
Its sign says that hours which went somewhere came from added staff, not from
freed administrative work.

Unit: hours per community per year, where "community" is one of the *first*
scenario's communities (city totals divided by its number of communities and
by each scenario's measured years). Not per staff member: a staffing reform
changes the head count, and hours per staff member would fall with no hour
freed. Not per each scenario's own communities: splitting communities would
then shrink every term. Only measured weeks count (warm-up weeks left out).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

import pandas as pd

if TYPE_CHECKING:
    from sim.compare import Comparison

FREED = "freed"
ADMIN_FIELDS = ("hours_administrative", "grid_duty_hours")
# Each part: ledger fields whose change adds to it, and fields whose change subtracts from it.
PARTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "service": (("hours_service",), ()),
    "self_governance": (("hours_self_governance",), ()),
    "discretionary": (("hours_discretionary",), ()),
    "less_overtime": ((), ("overtime_hours",)),
    "slack": (("slack_hours",), ()),
    "other": (("switching_hours", "learning_hours"), ()),
    "staffing": ((), ("regular_hours",)),
}
COLUMNS = (FREED, *PARTS)
HOUR_FIELDS = tuple(dict.fromkeys(
    [*ADMIN_FIELDS, *(f for plus, minus in PARTS.values() for f in (*plus, *minus))]))

def measured_rates(city_weekly: pd.DataFrame, years: dict[str, float],
                   communities: float) -> pd.DataFrame:
    """The hour fields summed over measured weeks, per (scenario, rep), per year and per
    community of the first scenario."""
    measured = city_weekly[~city_weekly["warmup"].astype(bool)]
    totals = measured.groupby(["scenario", "rep"])[list(HOUR_FIELDS)].sum()
    per_year = totals.index.get_level_values("scenario").map(years).to_numpy(dtype=float)
    return totals.div(per_year * communities, axis=0)


def decompose(rates: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    """Per scenario after the first and per replicate: freed hours and their parts, which
    add up to them exactly (the ledger's identity, differenced)."""
    base = rates.loc[names[0]]
    rows = []
    for name in names[1:]:
        # One scenario's rows (replicates) are a frame; the stubs type .loc[label] as a Series.
        delta = cast(pd.DataFrame, rates.loc[name] - base.loc[rates.loc[name].index])
        parts = {part: delta[list(plus)].sum(axis=1) - delta[list(minus)].sum(axis=1)
                 for part, (plus, minus) in PARTS.items()}
        frame = pd.DataFrame({FREED: -delta[list(ADMIN_FIELDS)].sum(axis=1), **parts})
        rows.append(frame.reset_index().assign(scenario=name))
    columns = ["scenario", "rep", *COLUMNS]
    return pd.concat(rows, ignore_index=True)[columns] if rows else pd.DataFrame(columns=columns)


def first_count(weekly: pd.DataFrame, first: str) -> float:
    return float(weekly.loc[weekly["scenario"] == first, "communities"].max())


def comparison_freed_hours(comparison: Comparison) -> pd.DataFrame:
    """``decompose`` of a ``sim.compare`` result."""
    weekly = comparison.city_weekly
    rates = measured_rates(weekly, comparison.years, first_count(weekly, comparison.names[0]))
    return decompose(rates, comparison.names)
