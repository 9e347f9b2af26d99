"""The baseline's calibration bands that are plain city-wide metrics, as data.

``analysis.patterns`` holds every pattern the baseline must reproduce, some
measured by functions of the weekly table. The bands here are those whose
measure is one registered metric, so that the experiments layer (the ensemble's
default targets, ``sim.ensemble``) can read them without importing ``analysis``;
``analysis.patterns`` builds its patterns from them, so each band is typed once.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Band:
    """A range a registered metric's replicate mean must fall in, and where it comes from."""

    metric: str
    low: float
    high: float
    source: str
    fitted: bool                  # a calibration target, or kept out of the fit as validation
    aim: float | None = None      # the fit's target, if not the band's middle


ADMIN_SHARE = Band(
    "admin_share", 0.80, 0.90,
    "Hefei report: over 80% of committees' time and energy on work handed down", True)
TASK_VOLUME = Band(
    "task_instances_per_community_year", 1800, 1900,
    "work logs of two Hubei communities: 1,852 and 1,886 a year (MECHANISMS.md §4); "
    "the fit aims at their mean", True, aim=1869)
TURNOVER = Band(
    "quits_per_staff_year", 0.06, 0.20,
    "MECHANISMS.md §6: about 6% a year inferred where work is ordinary, 17-20% where "
    "overloaded; the fit aims at 15%, since the baseline's committees are loaded "
    "(over 80% of their time on handed-down work) but not all overloaded", True, aim=0.15)
OVERTIME = Band(
    "overtime_hours_per_staff_week", 0.0, 5.0,
    "Ningbo 2010: 93% work 8+ hours a day, 31% over 9: about an hour a day at most", False)
PARTICIPATION = Band(
    "participation", 0.20, 0.50,
    "MECHANISMS.md §5: about 70% don't know their committee director (Shanghai 2017); "
    "held by the participation references, not by the fit", False)

# Every band above, fitted first: the default targets of ``commsim ensemble``.
METRIC_BANDS: tuple[Band, ...] = (ADMIN_SHARE, TASK_VOLUME, TURNOVER, OVERTIME, PARTICIPATION)
