"""What a run costs a year, in yuan, by line: counts of people and days times the prices of
the cost table (``costs.*``, docs/model.md 6.1).

Nothing here runs during the working day. Each line is read off a finished run: the
ledger's staff-days and money, and the head counts of the pools whose size never changes
(grid workers and zone centres have no turnover), so a price changes only its own line and
never a day of the simulation. Lines:

- ``staff``: the community's own staff, monthly pay x 12 / working days a year x the days of
  every post (``costs.pay_vacant_posts``, the default: a post vacant between a quit and its
  replacement is still paid for, so a reform that raises quits does not look cheaper) or of
  staff at work only (``staff_days``);
- ``zone``: a zone committee's service-centre staff, shared equally among the communities
  it guides, for every day of the window (the zone model is in force from day 0);
- ``grid``: dedicated grid workers, paid by the street, from the grid reform's start day;
- ``purchased``: the money that reached the community under funding-follows-task
  (``funding_yuan``), all of it earmarked for purchased help; what the street office keeps
  is not counted (it stays inside the government's own budget);
- ``systems``: the reforms' flat yearly costs per community (the digital platform, the
  access list's administration), from each one's start day.

Every line is in yuan per community-year of the communities it is computed over.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from sim.governance import GOVERNANCE
from sim.staff import ZONE

if TYPE_CHECKING:
    from sim.metrics import Finished

LINES = ("staff", "zone", "grid", "purchased", "systems")
MONTHS = 12.0


def cost_lines(run: Finished) -> dict[str, float]:
    """Yuan per community-year, by line, over the run's window and communities."""
    model, settings = run.model, run.model.settings
    per_day = MONTHS / run.working_days_per_year      # a monthly pay -> yuan per working day
    yuan = dict.fromkeys(LINES, 0.0)
    yuan["staff"] = paid_staff_days(run) * settings["costs.staff_pay_yuan_month"] * per_day
    zone_staff = zone_staff_per_community(model)[run.members].sum()
    yuan["zone"] = (zone_staff * run.window.days
                    * settings["costs.zone_staff_pay_yuan_month"] * per_day)
    yuan["purchased"] = run.total("funding_yuan")
    for reform in model.reforms:
        if reform.cost_line:
            days = in_force_days(reform.start_day, run.window.start, run.window.end)
            yearly = reform.yearly_cost(model.city.n_communities)[run.members].sum()
            yuan[reform.cost_line] += float(yearly) * days / run.working_days_per_year
    community_years = run.communities * run.years
    return {line: value / community_years if community_years else 0.0
            for line, value in yuan.items()}


def paid_staff_days(run: Finished) -> float:
    """Staff-days the staff line pays: every post's days, or the days staff were at work."""
    if run.model.settings["costs.pay_vacant_posts"]:
        return float(run.model.posts[run.members].sum() * run.window.days)
    return run.total("staff_days")


def in_force_days(start_day: int, window_start: int, window_end: int) -> int:
    """Working days of [window_start, window_end) on or after ``start_day``."""
    return max(window_end - max(window_start, start_day), 0)


def zone_staff_per_community(model: Any) -> np.ndarray:
    """Each community's share of its zone centre's staff: the centre's head count over the
    communities it guides (those of its relay under a model with zone relays); 0 elsewhere."""
    city, workforce = model.city, model.workforce
    guided = np.array([GOVERNANCE[name].zone_relays for name in city.governance.tolist()],
                      dtype=bool)
    relays = len(city.relay_kind)
    served = np.bincount(city.relay[guided], minlength=relays)
    centre = np.flatnonzero(workforce.role == ZONE)
    staff = np.zeros(relays)
    np.add.at(staff, workforce.relay[centre], workforce.staff[centre])
    share = np.divide(staff, served, out=np.zeros(relays), where=served > 0)
    return np.where(guided, share[city.relay], 0.0)
