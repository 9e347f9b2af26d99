"""The run's findings: every metric declared once, with its labels, bounds and computation.

Shares are of hours worked by the communities' own staff (regular, lent and
overtime); hours worked by purchased help, grid workers or a zone committee's
service centre are reported beside them, not inside them.

``METRICS`` is the one registry every command, table, chart and brief reads:
a metric's name, meaning, Chinese and English label and unit, the range its
values can take (which decides how its interval is drawn), whether short
tables and charts lead with it and which way is an improvement. Adding a
metric means adding one ``Metric`` here (and defining it in docs/model.md). The
module imports nothing heavy, so the command line can read the registry without
loading numpy or pandas.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from typing import TYPE_CHECKING, Any

from sim.languages import Bilingual, Label
from sim.parameters import DAYS_PER_WEEK

if TYPE_CHECKING:
    import numpy as np


class Bounds(StrEnum):
    """The values a metric can take; an interval over replicates must stay inside them."""

    SHARE = "share"                 # a fraction in [0, 1], shown in percent
    NON_NEGATIVE = "non-negative"   # hours, counts and rates: 0 or more, no upper limit
    UNBOUNDED = "unbounded"         # any real number


@dataclass(frozen=True)
class Window:
    """The working days [start, end) a set of metrics describes.

    ``start`` falls on a week boundary (the ledger records weeks), ``end`` is a
    week boundary or the run's last day, so a window is whole ledger weeks.
    """

    start: int
    end: int

    @property
    def days(self) -> int:
        return self.end - self.start

    @property
    def weeks(self) -> slice:
        return slice(self.start // DAYS_PER_WEEK, -(-self.end // DAYS_PER_WEEK))


def measured(model: Any) -> Window:
    """The run after its warm-up: what every reported metric describes."""
    return Window(model.settings["simulation.warmup_days"], model.days)


def so_far(model: Any) -> Window | None:
    """The measured days a model has simulated so far, None while it is still in its warm-up:
    what a page or a datacollector watching a run shows (at the run's end, ``measured``)."""
    warmup = model.settings["simulation.warmup_days"]
    return Window(warmup, model.day) if model.day > warmup else None


def year_windows(model: Any) -> list[Window]:
    """The measured period cut into years of ``working_days_per_year`` rounded to whole
    weeks (the ledger cannot split a week); the last may be short, its ``days`` say so."""
    whole = measured(model)
    year = max(round(model.settings["simulation.working_days_per_year"] / DAYS_PER_WEEK), 1) \
        * DAYS_PER_WEEK
    return [Window(start, min(start + year, whole.end))
            for start in range(whole.start, whole.end, year)]


class Finished:
    """A finished model as the metrics read it: ledger totals over a window and its size.

    Flows are summed over the window's weeks; stocks are read at its end (and,
    where a metric needs it, at its start). The quantities several metrics
    share are computed once, here, so each metric's own formula stays one line
    beside its declaration.

    ``members`` (community indices) narrows every total to a group of communities, a
    district or a governance model, say; the ledger books everything per community,
    so a group's metrics are those of its own rows. Counts of task types in effect
    stay city-wide: the catalog is the city's.
    """

    def __init__(self, model: Any, window: Window | None = None,
                 members: np.ndarray | None = None) -> None:
        import numpy as np  # here, not at the top: the command line reads the registry
        self.model = model
        self.window = measured(model) if window is None else window
        self.working_days_per_year = model.settings["simulation.working_days_per_year"]
        self.years = self.window.days / self.working_days_per_year
        everyone = np.arange(model.city.n_communities)
        self.members = everyone if members is None else np.asarray(members, dtype=np.int64)
        self.communities = len(self.members)
        self.households = model.city.households[self.members]

    def total(self, field: str) -> float:
        """A flow summed over the window's weeks and the group's communities."""
        ledger = self.model.ledger
        rows = ledger.weekly[self.window.weeks, ledger.field_index(field)]
        return float(rows[:, self.members].sum())

    def final_sum(self, field: str) -> float:
        """A stock at the end of the window, summed over the group's communities."""
        return float(self.final_values(field).sum())

    def final_values(self, field: str) -> np.ndarray:
        """A stock at the end of the window, per community of the group."""
        return self.model.ledger.stock_after(field, self.window.weeks.stop - 1)[self.members]

    def opening_sum(self, field: str) -> float:
        """A stock at the start of the window (the end of the week before), summed."""
        stock = self.model.ledger.stock_after(field, self.window.weeks.start - 1)
        return float(stock[self.members].sum())

    @cached_property
    def admin_hours(self) -> float:
        """Own staff's administrative hours: queued administrative work plus the standing
        grid duties of staff who are grid heads (5.3.12)."""
        return self.total("hours_administrative") + self.total("grid_duty_hours")

    @cached_property
    def task_hours(self) -> float:
        """Own staff's hours on assigned work: administrative, service, self-governance."""
        return (self.admin_hours + self.total("hours_service")
                + self.total("hours_self_governance"))

    @cached_property
    def staff_hours(self) -> float:
        """Own staff's hours worked: assigned work plus discretionary resident work."""
        return self.task_hours + self.total("hours_discretionary")

    @cached_property
    def available_hours(self) -> float:
        """Own staff's regular hours plus the overtime they worked: every hour they had."""
        return self.total("regular_hours") + self.total("overtime_hours")

    @cached_property
    def costs(self) -> dict[str, float]:
        """Yuan per community-year by cost line (sim.costs; imported here, once a run is done,
        so the command line can read the registry without numpy)."""
        from sim.costs import cost_lines
        return cost_lines(self)

    def per_1000_households_year(self, hours: float) -> float:
        return _ratio(hours * 1000, self.households.sum() * self.years)

    def types_in_effect(self, kind: int) -> int:
        """Task types of ``kind`` whose admission day falls before the end of the window."""
        in_effect = self.model.allowed_from < self.window.end
        return int((in_effect & (self.model.catalog.kind == kind)).sum())


@dataclass(frozen=True)
class Metric:
    """One finding: how it is named, where its values lie and how a run yields it."""

    name: str
    bounds: Bounds
    meaning: str                            # English, for the command line's tables
    en: Label
    zh: Label
    compute: Callable[[Finished], float]
    key: bool = False                       # led with in short tables, forest plots, sweeps
    # Which way is an improvement ("higher", "lower"); None where a change is neither good
    # nor bad in itself (slack, delegated hours, refusals). Robust comparisons count the
    # worlds in which a reform improves a metric by it.
    better: str | None = None

    def label(self, lang: str) -> Label:
        """Name and unit in ``lang``; an unknown language is an error, not English."""
        return Bilingual(en=self.en, zh=self.zh).pick(lang)


def _ratio(numerator: float, denominator: float) -> float:
    return float(numerator / denominator) if denominator else 0.0


def _overdue(run: Finished) -> float:
    """Instances that fell overdue within the window: finished late, lapsed or written off in
    it, or open past their due day at its end, less those already overdue and open at its
    start (they fell overdue earlier, in the warm-up or the year before)."""
    return (run.total("completed_late") + run.total("lapsed") + run.total("written_off")
            + run.final_sum("overdue_open")
            - run.opening_sum("overdue_open"))


def _delegated(run: Finished) -> float:
    return run.total("grid_hours") + run.total("zone_hours") + run.total("purchased_hours")


def _types(kind_name: str) -> Callable[[Finished], float]:
    """Task types of one kind in effect; the catalog module is read only when a run is done."""
    def count(run: Finished) -> int:
        from sim import catalog
        return run.types_in_effect(getattr(catalog, kind_name))
    return count


def _participation(run: Finished) -> float:
    """Household-weighted participation at the end of the window: the share of the city's
    households taking part (0 when residents do not respond)."""
    level = run.final_values("participation")
    return _ratio((level * run.households).sum(), run.households.sum())


SHARE, NON_NEGATIVE = Bounds.SHARE, Bounds.NON_NEGATIVE
HIGHER, LOWER = "higher", "lower"

_DECLARED = (
    Metric("admin_share", SHARE, better=LOWER, key=True,
           meaning="share of staff hours worked on administrative tasks",
           en=Label("Administrative share of staff hours", "%"), zh=Label("行政事务工时占比", "%"),
           compute=lambda run: _ratio(run.admin_hours, run.staff_hours)),
    Metric("service_share", SHARE, better=HIGHER,
           meaning="share of staff hours worked on services",
           en=Label("Service share of staff hours", "%"), zh=Label("服务工时占比", "%"),
           compute=lambda run: _ratio(run.total("hours_service"), run.staff_hours)),
    Metric("selfgov_share", SHARE, better=HIGHER, key=True,
           meaning="share of staff hours worked on self-governance",
           en=Label("Self-governance share of staff hours", "%"), zh=Label("自治工时占比", "%"),
           compute=lambda run: _ratio(run.total("hours_self_governance"), run.staff_hours)),
    Metric("discretionary_share", SHARE, better=HIGHER,
           meaning="share of staff hours worked on discretionary resident work (visits, "
                   "activities, consultations, organising volunteers)",
           en=Label("Discretionary resident work share of staff hours", "%"),
           zh=Label("主动服务居民工时占比", "%"),
           compute=lambda run: _ratio(run.total("hours_discretionary"), run.staff_hours)),
    Metric("admin_share_of_available", SHARE, better=LOWER,
           meaning="share of staff hours available (regular plus overtime worked) spent on "
                   "administrative tasks",
           en=Label("Administrative share of hours available", "%"),
           zh=Label("行政事务占可用工时比", "%"),
           compute=lambda run: _ratio(run.admin_hours, run.available_hours)),
    Metric("service_share_of_available", SHARE, better=HIGHER,
           meaning="share of staff hours available spent on services",
           en=Label("Service share of hours available", "%"), zh=Label("服务占可用工时比", "%"),
           compute=lambda run: _ratio(run.total("hours_service"), run.available_hours)),
    Metric("selfgov_share_of_available", SHARE, better=HIGHER,
           meaning="share of staff hours available spent on self-governance",
           en=Label("Self-governance share of hours available", "%"),
           zh=Label("自治占可用工时比", "%"),
           compute=lambda run: _ratio(run.total("hours_self_governance"), run.available_hours)),
    Metric("discretionary_share_of_available", SHARE, better=HIGHER,
           meaning="share of staff hours available spent on discretionary resident work",
           en=Label("Discretionary resident work share of hours available", "%"),
           zh=Label("主动服务居民占可用工时比", "%"),
           compute=lambda run: _ratio(run.total("hours_discretionary"), run.available_hours)),
    Metric("slack_share_of_available", SHARE,
           meaning="share of staff hours available left unused (slack)",
           en=Label("Slack share of hours available", "%"), zh=Label("闲置占可用工时比", "%"),
           compute=lambda run: _ratio(run.total("slack_hours"), run.available_hours)),
    Metric("utilisation", SHARE,
           meaning="share of regular hours taken by assigned work (administrative, service, "
                   "self-governance)",
           en=Label("Regular hours taken by assigned work", "%"),
           zh=Label("正常工时用于指派工作的比例", "%"),
           compute=lambda run: _ratio(run.task_hours - run.total("overtime_hours"),
                                      run.total("regular_hours"))),
    Metric("selfgov_hours_per_1000_households", NON_NEGATIVE, better=HIGHER,
           meaning="self-governance staff hours per 1,000 households a year",
           en=Label("Self-governance hours per 1,000 households", "hours/year"),
           zh=Label("每千户自治工时", "小时/年"),
           compute=lambda run: run.per_1000_households_year(run.total("hours_self_governance"))),
    Metric("resident_hours_per_1000_households", NON_NEGATIVE, better=HIGHER, key=True,
           meaning="resident-facing staff hours (services, self-governance and discretionary "
                   "resident work) per 1,000 households a year",
           en=Label("Resident-facing hours per 1,000 households", "hours/year"),
           zh=Label("每千户面向居民工时", "小时/年"),
           compute=lambda run: run.per_1000_households_year(
               run.total("hours_service") + run.total("hours_self_governance")
               + run.total("hours_discretionary"))),
    Metric("paperwork_hours_per_community_year", NON_NEGATIVE, better=LOWER,
           meaning="documentation hours (留痕) within the administrative work reaching a "
                   "community per year",
           en=Label("Documentation hours in administrative work", "hours/community/year"),
           zh=Label("行政事务中的留痕工时", "小时/社区/年"),
           compute=lambda run: run.total("paperwork_hours") / run.communities / run.years),
    Metric("unmet_selfgov_share", SHARE, better=LOWER, key=True,
           meaning="share of self-governance demand hours withdrawn unserved",
           en=Label("Unmet self-governance demand", "%"), zh=Label("未满足的自治需求占比", "%"),
           compute=lambda run: _ratio(run.total("unmet_selfgov_hours"),
                                      run.total("selfgov_hours_issued"))),
    Metric("overdue_rate", SHARE, better=LOWER, key=True,
           meaning="instances falling overdue per deadline set (measured period)",
           en=Label("Overdue rate", "%"), zh=Label("逾期率", "%"),
           compute=lambda run: _ratio(_overdue(run), run.total("deadlines"))),
    Metric("written_off_share", SHARE,
           meaning="administrative instances written off undone, once departments stopped "
                   "chasing them (departments.chase_limit_days), per deadline set",
           en=Label("Administrative items written off", "%"), zh=Label("行政事项不了了之占比", "%"),
           compute=lambda run: _ratio(run.total("written_off"), run.total("deadlines"))),
    Metric("backlog_hours_per_community", NON_NEGATIVE, better=LOWER, key=True,
           meaning="open work per community at the end (hours)",
           en=Label("Backlog per community at the end", "hours"),
           zh=Label("期末每社区积压工作", "小时"),
           compute=lambda run: float(run.final_sum("backlog_hours") / run.communities)),
    Metric("overtime_hours_per_staff_week", NON_NEGATIVE, better=LOWER, key=True,
           meaning="overtime hours per staff member per week",
           en=Label("Overtime per staff member", "hours/week"), zh=Label("人均加班", "小时/周"),
           compute=lambda run: _ratio(run.total("overtime_hours") * DAYS_PER_WEEK,
                                      run.total("staff_days"))),
    Metric("task_instances_per_community_year", NON_NEGATIVE,
           meaning="task instances reaching a community per year",
           en=Label("Task instances per community", "per year"),
           zh=Label("每社区任务件数", "件/年"),
           compute=lambda run: run.total("accepted") / run.communities / run.years),
    Metric("admin_task_types", NON_NEGATIVE, better=LOWER,
           meaning="administrative task types in effect after reforms",
           en=Label("Administrative task types in effect", "types"),
           zh=Label("在办行政事项类型", "项"),
           compute=_types("ADMIN")),
    Metric("selfgov_task_types", NON_NEGATIVE,
           meaning="self-governance task types in effect after reforms",
           en=Label("Self-governance task types in effect", "types"),
           zh=Label("自治事项类型", "项"),
           compute=_types("SELFGOV")),
    Metric("refused_share", SHARE,
           meaning="share of issued instances refused (access list)",
           en=Label("Issued instances refused", "%"), zh=Label("被拒绝的下派任务占比", "%"),
           compute=lambda run: _ratio(run.total("refused"), run.total("issued"))),
    Metric("delegated_hours_per_community_year", NON_NEGATIVE,
           meaning="hours per community per year worked by grid workers, a zone centre or "
                   "purchased help",
           en=Label("Hours worked by grid, zone or purchased help", "hours/community/year"),
           zh=Label("网格员、片区中心和购买服务承担的工时", "小时/社区/年"),
           compute=lambda run: _delegated(run) / run.communities / run.years),
    Metric("staff_per_community", NON_NEGATIVE,
           meaning="community staff at work, averaged over the measured period",
           en=Label("Staff at work per community", "staff"), zh=Label("每社区在岗人员", "人"),
           compute=lambda run: run.total("staff_days") / run.window.days / run.communities),
    Metric("quits_per_staff_year", NON_NEGATIVE, better=LOWER,
           meaning="staff quits per staff member per year",
           en=Label("Staff quits", "per staff/year"), zh=Label("人员离职", "次/人/年"),
           compute=lambda run: _ratio(run.total("quits"),
                                      run.total("staff_days") / run.working_days_per_year)),
)

_RESIDENTS = (
    Metric("participation", SHARE, better=HIGHER,
           meaning="share of households that took part in at least one committee activity or "
                   "election in a year, household-weighted over communities, at the end",
           en=Label("Residents' participation", "%"), zh=Label("居民参与率", "%"),
           compute=_participation),
    Metric("volunteer_hours_per_1000_households", NON_NEGATIVE, better=HIGHER,
           meaning="volunteer hours on services and self-governance per 1,000 households a year",
           en=Label("Volunteer hours per 1,000 households", "hours/year"),
           zh=Label("每千户志愿服务工时", "小时/年"),
           compute=lambda run: run.per_1000_households_year(run.total("volunteer_hours"))),
    Metric("complaints_per_1000_households", NON_NEGATIVE, better=LOWER,
           meaning="hotline complaint work orders from unserved resident requests per 1,000 "
                   "households a year",
           en=Label("Complaints from unserved requests per 1,000 households", "per year"),
           zh=Label("每千户未办结诉求引发的热线投诉", "件/年"),
           compute=lambda run: run.per_1000_households_year(run.total("complaints"))),
)



def _end_mean(field: str) -> Callable[[Finished], float]:
    """A per-community stock at the window's end, averaged over communities."""
    def mean(run: Finished) -> float:
        return float(run.final_sum(field) / run.communities)
    return mean


def _per_community_year(field: str) -> Callable[[Finished], float]:
    return lambda run: run.total(field) / run.communities / run.years


_CAMPAIGNS = (
    Metric("formal_admin_hours_per_community_year", NON_NEGATIVE, better=LOWER,
           meaning="staff hours per community a year on administrative work that came through "
                   "the formal channel (listed, or slipped past the relay), grid duties included",
           en=Label("Formal administrative hours", "hours/community/year"),
           zh=Label("正式渠道行政事务工时", "小时/社区/年"),
           compute=lambda run: (run.admin_hours - run.total("informal_admin_hours"))
           / run.communities / run.years),
    Metric("informal_admin_hours_per_community_year", NON_NEGATIVE, better=LOWER,
           meaning="staff hours per community a year on refused work departments pushed down "
                   "through informal channels (groups, apps, 'assisting' items)",
           en=Label("Informal administrative hours", "hours/community/year"),
           zh=Label("非正式渠道行政事务工时", "小时/社区/年"),
           compute=_per_community_year("informal_admin_hours")),
    Metric("informal_admin_share", SHARE, better=LOWER,
           meaning="share of administrative staff hours on work that came informally",
           en=Label("Informal share of administrative hours", "%"),
           zh=Label("非正式渠道占行政工时比", "%"),
           compute=lambda run: _ratio(run.total("informal_admin_hours"), run.admin_hours)),
    Metric("admin_types_in_force", NON_NEGATIVE, better=LOWER,
           meaning="administrative task types that can reach a community formally at the end: "
                   "listed types, plus unlisted ones weighted by the chance its relay lets "
                   "them through, averaged over communities",
           en=Label("Administrative types in force", "types"), zh=Label("实际运行的行政事项", "项"),
           compute=_end_mean("admin_types_in_force")),
    Metric("enforcement", SHARE,
           meaning="enforcement of the strongest reform street offices apply, at the end, "
                   "averaged over communities (0 without such a reform)",
           en=Label("Enforcement of the campaign", "%"), zh=Label("减负措施执行力度", "%"),
           compute=_end_mean("enforcement")),
    Metric("assessment_score", SHARE,
           meaning="mean street-office assessment score: assessment-weighted share of assessed "
                   "work done on time, zero after a missed veto item (0 without assessment)",
           en=Label("Assessment score", "%"), zh=Label("街道考核得分", "%"),
           compute=lambda run: _ratio(run.total("assessment_score_sum"),
                                      run.total("assessments"))),
    Metric("pressed_share", SHARE, better=LOWER,
           meaning="share of assessments that left a community pressed (score below the "
                   "threshold): assessed work then comes before everything else",
           en=Label("Assessments leaving a community pressed", "%"),
           zh=Label("考核不达标社区占比", "%"),
           compute=lambda run: _ratio(run.total("pressed_assessments"),
                                      run.total("assessments"))),
    Metric("funding_yuan_per_community_year", NON_NEGATIVE,
           meaning="money reaching a community per year under funding-follows-task, after the "
                   "street office's retention",
           en=Label("Funding received", "yuan/community/year"),
           zh=Label("社区到账经费", "元/社区/年"),
           compute=_per_community_year("funding_yuan")),
)


def _cost(line: str) -> Callable[[Finished], float]:
    return lambda run: run.costs[line]


_COST_LINES = (   # (line of sim.costs, meaning, English label, Chinese label)
    ("staff", "pay of the community's own staff at work", "Own staff pay", "社区工作者薪酬"),
    ("grid", "pay of dedicated grid workers (grid delegation)", "Grid worker pay",
     "专职网格员薪酬"),
    ("zone", "pay of the zone centre's staff, shared among the communities it guides",
     "Zone centre staff pay", "片区服务中心人员薪酬"),
    ("purchased", "money reaching the community for purchased help (funding follows task)",
     "Purchased services", "购买服务经费"),
    ("systems", "flat yearly costs of reforms: digital platform, access-list administration",
     "Reform systems", "改革系统与管理费用"),
)
_COSTS = (
    Metric("cost_yuan_per_community_year", NON_NEGATIVE, better=LOWER,
           meaning="yearly cost per community, all lines: own staff, grid workers, zone "
                   "centre staff, purchased help and reform systems (costs.* prices)",
           en=Label("Cost", "yuan/community/year"), zh=Label("成本", "元/社区/年"),
           compute=lambda run: sum(run.costs.values())),
    *(Metric(f"cost_{line}_yuan_per_community_year", NON_NEGATIVE, better=LOWER,
             meaning=f"yearly cost per community: {meaning}",
             en=Label(f"Cost: {en}", "yuan/community/year"),
             zh=Label(f"成本：{zh}", "元/社区/年"), compute=_cost(line))
      for line, meaning, en, zh in _COST_LINES),
)

METRICS: dict[str, Metric] = {metric.name: metric
                              for metric in _DECLARED + _RESIDENTS + _CAMPAIGNS + _COSTS}
KEY_METRICS: tuple[str, ...] = tuple(name for name, m in METRICS.items() if m.key)


def compute_metrics(model: Any, window: Window | None = None,
                    members: np.ndarray | None = None) -> dict[str, float]:
    """Every metric of METRICS for one finished run, over ``window`` (default: the
    measured period, the run after its warm-up) and the communities ``members`` (default:
    all of them)."""
    run = Finished(model, window, members)
    return {name: metric.compute(run) for name, metric in METRICS.items()}


def yearly_metrics(model: Any) -> list[dict[str, float]]:
    """Every metric for each year of the measured period, with the year (1, 2, ...), its
    first day and its length in days."""
    return [{"year": number, "start_day": window.start, "days": window.days,
             **compute_metrics(model, window)}
            for number, window in enumerate(year_windows(model), start=1)]
