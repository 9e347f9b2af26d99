"""Every settable value of a scenario: its dotted key, default, allowed values and source.

The defaults describe the Hefei baseline city (report of about 2011, see
docs/model.md). A default that the report does not give is marked as an
assumption in its ``source`` so a reader can tell measured facts from choices.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

GOVERNANCE_MODELS = ("two_committees", "workstation", "zone_committee")
PRIORITY_POLICIES = ("assessment_weighted", "earliest_deadline", "fifo")
STAFFING_BASES = ("per_community", "per_households")
DAYS_PER_WEEK = 5       # working days in the ledger's week, its unit of record


@dataclass(frozen=True)
class Param:
    """One settable value. ``kind`` is int, float, bool, str or list (of str).

    ``needs`` is ``(switch key, value)`` when the model reads this key only while the
    switch has that value, so that a setting which cannot count is reported, not
    silently ignored. Keys under a group with an ``enabled`` switch get it filled in.
    """

    key: str
    default: Any
    kind: type
    meaning: str
    source: str
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] | None = None
    needs: tuple[str, Any] | None = None

    def allowed(self) -> str:
        """Human-readable statement of what this parameter accepts."""
        if self.choices:
            return "one of " + ", ".join(repr(c) for c in self.choices)
        if self.kind is bool:
            return "true or false"
        if self.kind is list:
            return "a list of strings"
        if self.kind is str:
            return "a string"
        noun = "an integer" if self.kind is int else "a finite number"
        if self.low is None and self.high is None:
            return f"any {noun.split(' ', 1)[1]}"
        if self.high is None:
            return f"{noun} >= {self.low:g}"
        if self.low is None:
            return f"{noun} <= {self.high:g}"
        return f"{noun} in [{self.low:g}, {self.high:g}]"


ASSUMPTION = "assumption (docs/model.md)"

PARAMETERS: tuple[Param, ...] = (
    # --- simulation -------------------------------------------------------
    Param("simulation.days", 250, int, "working days simulated", "one working year", 5, 20000),
    Param("simulation.warmup_days", 0, int,
          "first working days simulated but left out of every metric (a run-in from an empty "
          "queue); part of simulation.days, a whole number of 5-day weeks, below "
          "simulation.days", "measured (docs/model.md 4.9): queues and head count settle within "
          "15-20 weeks of the empty, fully staffed start; use 250 (one year) for the baseline",
          0, 20000),
    Param("simulation.working_days_per_year", 250, int,
          "working days in a year; converts yearly rates to daily ones",
          "Chinese calendar: about 250 working days", 200, 300),
    # --- city -------------------------------------------------------------
    Param("city.communities", 362, int, "urban communities (residents' committees)",
          "Hefei report: 362 urban communities", 1, 20000),
    Param("city.street_offices", 38, int, "street offices relaying tasks to communities",
          "Hefei report: 38 street offices", 0, 5000),
    Param("city.zone_committees", 13, int,
          "development-zone community management committees (street level)",
          "Hefei report: 13 (Economic-Technological 5, High-tech 3, Xinzhan 5)", 0, 5000),
    Param("city.households_median", 4000, float, "median households per community",
          "Hefei report: most communities have 3,000-5,000 households", 100, 100000),
    Param("city.households_sigma", 0.2, float,
          "log-normal spread of households in ordinary communities",
          ASSUMPTION + ": puts about three in four communities in 3,000-5,000", 0, 2),
    Param("city.large_share", 0.05, float,
          "share of communities drawn from the large-community tail",
          ASSUMPTION + ": the report says 'a few' are much larger", 0, 1),
    Param("city.households_min", 1000, float, "smallest community (households)",
          ASSUMPTION, 1, 100000),
    Param("city.households_max", 15000, float, "largest community (households)",
          "Hefei report: up to 15,000 households", 1, 1000000),
    Param("city.grid_workers", 5716, int, "grid workers (网格责任人) in the city",
          "Hefei report: 5,716 grid workers", 0, 10**7,
          needs=("reforms.grid_delegation.enabled", True)),
    # --- staffing ---------------------------------------------------------
    Param("staffing.basis", "per_community", str,
          "how staff numbers are set: a flat number per community or per 1,000 households",
          "report: about 15 staff per Shushan community", choices=STAFFING_BASES),
    Param("staffing.staff_per_community", 15.0, float, "committee staff per community",
          "Hefei report: Shushan, 52 communities, about 15 staff each", 0, 1000,
          needs=("staffing.basis", "per_community")),
    Param("staffing.staff_per_1000_households", 3.75, float,
          "staff per 1,000 households when staffing.basis = per_households",
          "15 staff for a median 4,000-household community; the 2021-25 national target "
          "(18 per 10,000 residents, 2.8 persons per household) is about 5.0", 0, 100,
          needs=("staffing.basis", "per_households")),
    Param("staffing.hours_per_day", 8.0, float, "regular working hours per staff member per day",
          "statutory working day", 1, 24),
    Param("staffing.overtime_cap_hours", 2.0, float,
          "most overtime hours per staff member per day",
          "Ningbo 2010: 93% work 8+ hours a day, 31% over 9", 0, 16),
    Param("staffing.overtime_trigger_days", 1, int,
          "work due within this many working days is pressing enough for overtime",
          ASSUMPTION, 0, 250),
    Param("staffing.switch_cost_hours", 0.05, float,
          "hours a community staff pool loses per day for each distinct task type it has open",
          ASSUMPTION + ": task-switching cost when juggling many items", 0, 8),
    Param("staffing.turnover.enabled", True, bool, "staff quit and are replaced after a delay",
          "provincial capital: nearly 1 in 5 community staff quit in a year"),
    Param("staffing.turnover.base_quit_rate", 0.05, float,
          "yearly quit probability of a staff member without overload", ASSUMPTION, 0, 1),
    Param("staffing.turnover.overload_quit_rate", 0.20, float,
          "yearly quit probability under sustained overload",
          "provincial capital: nearly 1 in 5 quit in a year", 0, 1),
    Param("staffing.turnover.overload_hours", 4.0, float,
          "overtime hours per staff member per week above which a pool counts as overloaded",
          ASSUMPTION, 0, 80),
    Param("staffing.turnover.hiring_delay_days", 60, int,
          "working days from a quit until the replacement starts", ASSUMPTION, 0, 1000),
    # --- governance -------------------------------------------------------
    Param("governance.model", "two_committees", str,
          "governance model of every community",
          "Hefei report: two-committee model in Luyang, Yaohai and Baohe districts",
          choices=GOVERNANCE_MODELS),
    Param("governance.committee_share", 0.33, float,
          "workstation model: share of staff kept in the committee for self-governance",
          ASSUMPTION + ": 5 of 15 staff (committee law: 5-9 elected members)", 0, 1,
          needs=("governance.model", "workstation")),
    Param("governance.lending_share", 0.5, float,
          "workstation model: share of a pool's spare hours lent to the other pool",
          ASSUMPTION + ": 'divided in work, not divided as a family'", 0, 1,
          needs=("governance.model", "workstation")),
    Param("governance.zone_staff_per_community", 2.0, float,
          "zone model: staff of the zone committee's service centre per community it guides",
          ASSUMPTION, 0, 100, needs=("governance.model", "zone_committee")),
    Param("governance.zone_categories",
          ["social_insurance", "employment", "social_assistance", "housing_support"], list,
          "zone model: administrative categories the zone committee handles centrally",
          ASSUMPTION + ": the 'big community' handles window business at street level",
          needs=("governance.model", "zone_committee")),
    # --- tasks --------------------------------------------------------------
    Param("tasks.catalog", "", str,
          "task catalog CSV (empty: the packaged catalog); relative to the scenario file",
          "docs/catalog.md"),
    Param("tasks.effort_scale", 1.0, float, "multiplier on every catalog effort",
          "calibrated: see docs/model.md, Calibration", 0, 100),
    Param("tasks.demand_scale", 0.87, float, "multiplier on every demand-driven arrival rate",
          "calibrated: see docs/model.md, Calibration", 0, 100),
    Param("tasks.campaign_scale", 1.0, float, "multiplier on every campaign launch rate",
          ASSUMPTION, 0, 100),
    Param("tasks.size_elasticity", 0.5, float,
          "effort of size-dependent tasks grows as (households / reference)^elasticity",
          ASSUMPTION + ": grids split door-to-door work, so growth is sub-linear", 0, 2),
    Param("tasks.reference_households", 4000.0, float,
          "community size at which catalog efforts apply", "docs/catalog.md", 1, 100000),
    Param("tasks.new_per_year", 8.0, float,
          "new administrative task types departments create per year, city-wide",
          ASSUMPTION + ": burden grows back through new items", 0, 1000),
    # --- residents ------------------------------------------------------------
    Param("residents.patience_days", 20, int,
          "working days after its deadline that unserved resident demand is withdrawn",
          ASSUMPTION, 0, 1000),
    # --- policy -------------------------------------------------------------
    Param("policy.priority", "assessment_weighted", str,
          "order in which staff take up open work",
          "field studies: assessed tasks first, self-governance squeezed out",
          choices=PRIORITY_POLICIES),
    Param("policy.perfunctory_cut", 0.5, float,
          "share of an overdue administrative task's remaining effort dropped when it is done "
          "for form's sake, scaled by (1 - assessment weight)",
          ASSUMPTION + ": field studies: unassessed tasks are done perfunctorily", 0, 1),
    Param("policy.overdue_weight", 0.8, float,
          "priority weight an administrative task gets once overdue and chased (催办), "
          "if its own is lower", ASSUMPTION + ": departments chase overdue items", 0, 1),
    # --- reforms ------------------------------------------------------------
    Param("reforms.access_list.enabled", False, bool,
          "task access list (社区工作事项准入)", "2015 national notice; DOMAIN.md"),
    Param("reforms.access_list.max_admin_tasks", 96, int,
          "upper bound on administrative task types that reach communities",
          "Xianning 2020: 22 own + 74 assisting items", 0, 100000),
    Param("reforms.access_list.approval_days", 45, int,
          "working days a new task type waits at the approval gate",
          "Xicheng 2018: apply 30 working days ahead, approval up to 15", 0, 1000),
    Param("reforms.access_list.approval_rate", 0.5, float,
          "probability that a new task type is approved onto the list", ASSUMPTION, 0, 1),
    Param("reforms.access_list.leakage", 0.1, float,
          "share of refused instances that still reach communities informally",
          ASSUMPTION + ": messaging groups and ad-hoc channels", 0, 1),
    Param("reforms.funding.enabled", False, bool, "funding follows the task (费随事转)",
          "Hefei report; 2015 national notice"),
    Param("reforms.funding.coverage", 0.5, float,
          "share of pushed-down administrative hours the issuing department pays for",
          ASSUMPTION, 0, 1),
    Param("reforms.funding.purchase_efficiency", 0.8, float,
          "hours of purchased service delivered per paid hour", ASSUMPTION, 0, 1),
    Param("reforms.funding.window_days", 21, int,
          "working days over which pushed-down hours are paid for", ASSUMPTION, 1, 250),
    Param("reforms.grid_delegation.enabled", False, bool,
          "grid workers take the grid-eligible tasks", "Hefei report: grid management"),
    Param("reforms.grid_delegation.hours_per_worker_day", 1.5, float,
          "hours a grid worker gives to delegated tasks per working day", ASSUMPTION, 0, 24),
    Param("reforms.grid_delegation.buffer_days", 5.0, float,
          "most open work handed to grid workers, in days of their hours; the rest keeps its "
          "governance route", ASSUMPTION, 0, 250),
    Param("reforms.digital.enabled", False, bool,
          "digital one-stop service and merged forms (多表合一)", "DOMAIN.md"),
    Param("reforms.digital.effort_cut", 0.35, float,
          "share of effort removed from digitisable tasks",
          "Beijing 2019: city forms 44 to 7, ledgers halved (order of magnitude)", 0, 1),
    Param("reforms.split.enabled", False, bool, "split oversized communities",
          "Hefei report: some communities too large for want of a building"),
    Param("reforms.split.max_households", 6000.0, float,
          "communities above this size are split into equal parts", ASSUMPTION, 100, 1000000),
    Param("reforms.protected_time.enabled", False, bool,
          "a share of staff hours that administrative work may not take", "DOMAIN.md"),
    Param("reforms.protected_time.share", 0.2, float,
          "share of each pool's regular hours kept for self-governance", ASSUMPTION, 0, 1),
)



def _under_switches(params: tuple[Param, ...]) -> tuple[Param, ...]:
    """Every key of a group that has an ``enabled`` switch needs that switch on
    (``reforms.funding.coverage`` needs ``reforms.funding.enabled = true``)."""
    switches = {p.key for p in params if p.key.endswith(".enabled")}

    def switch_of(param: Param) -> str:
        return param.key.rsplit(".", 1)[0] + ".enabled"

    return tuple(replace(p, needs=(switch_of(p), True))
                 if p.needs is None and p.key not in switches and switch_of(p) in switches
                 else p for p in params)


PARAMETERS = _under_switches(PARAMETERS)
BY_KEY: dict[str, Param] = {p.key: p for p in PARAMETERS}


def defaults() -> dict[str, Any]:
    """Flat dict of every dotted key and its default value."""
    return {p.key: (list(p.default) if p.kind is list else p.default) for p in PARAMETERS}
