"""The run's findings: metrics computed from a finished model's ledger.

Shares are of hours worked by the communities' own staff (regular, lent and
overtime); hours worked by purchased help, grid workers or a zone committee's
service centre are reported beside them, not inside them.
"""

from __future__ import annotations

import numpy as np

from sim.catalog import ADMIN, SELFGOV

METRICS: dict[str, str] = {
    "admin_share": "share of staff hours worked on administrative tasks",
    "service_share": "share of staff hours worked on services",
    "selfgov_share": "share of staff hours worked on self-governance",
    "selfgov_hours_per_1000_households": "self-governance staff hours per 1,000 households a year",
    "unmet_selfgov_share": "share of self-governance demand hours withdrawn unserved",
    "overdue_rate": "share of instances due within the run not finished by their deadline",
    "backlog_hours_per_community": "open work per community at the end (hours)",
    "overtime_hours_per_staff_week": "overtime hours per staff member per week",
    "task_instances_per_community_year": "task instances reaching a community per year",
    "admin_task_types": "administrative task types in effect after reforms",
    "selfgov_task_types": "self-governance task types in effect after reforms",
    "refused_share": "share of issued instances refused (access list)",
    "delegated_hours_per_community_year": "hours per community per year worked by grid workers, "
                                          "a zone centre or purchased help",
    "staff_per_community": "community staff at work, averaged over the run",
    "quits_per_staff_year": "staff quits per staff member per year",
}


def compute_metrics(model) -> dict[str, float]:
    """Every metric of METRICS for one finished run."""
    ledger, catalog = model.ledger, model.catalog
    total = ledger.total
    years = model.days / model.settings["simulation.working_days_per_year"]
    n = model.city.n_communities
    staff_hours = sum(total(f"hours_{k}") for k in ("administrative", "service",
                                                     "self_governance"))
    staff_years = total("staff_days") / model.settings["simulation.working_days_per_year"]
    overdue = total("completed_late") + total("lapsed") + ledger.final("overdue_open").sum()
    in_effect = model.allowed_from < model.days
    delegated = total("grid_hours") + total("zone_hours") + total("purchased_hours")
    return {
        "admin_share": _ratio(total("hours_administrative"), staff_hours),
        "service_share": _ratio(total("hours_service"), staff_hours),
        "selfgov_share": _ratio(total("hours_self_governance"), staff_hours),
        "selfgov_hours_per_1000_households":
            _ratio(total("hours_self_governance") * 1000, model.city.households.sum() * years),
        "unmet_selfgov_share": _ratio(total("unmet_selfgov_hours"), total("selfgov_hours_issued")),
        "overdue_rate": _ratio(overdue, total("deadlines")),
        "backlog_hours_per_community": float(ledger.final("backlog_hours").sum() / n),
        "overtime_hours_per_staff_week":
            _ratio(total("overtime_hours") * 5, total("staff_days")),
        "task_instances_per_community_year": total("accepted") / n / years,
        "admin_task_types": int(np.count_nonzero(in_effect & (catalog.kind == ADMIN))),
        "selfgov_task_types": int(np.count_nonzero(in_effect & (catalog.kind == SELFGOV))),
        "refused_share": _ratio(total("refused"), total("issued")),
        "delegated_hours_per_community_year": delegated / n / years,
        "staff_per_community": total("staff_days") / model.days / n,
        "quits_per_staff_year": _ratio(total("quits"), staff_years),
    }


def _ratio(numerator: float, denominator: float) -> float:
    return float(numerator / denominator) if denominator else 0.0
