"""Digital one-stop service and merged forms (多表合一), with the app duties it brings."""

from __future__ import annotations

import numpy as np

from sim.catalog import ADMIN, DEMAND, TaskCatalog
from sim.instances import REFORM, Batch
from sim.languages import Bilingual, Label
from sim.param import ASSUMPTION, Param
from sim.parameters import DAYS_PER_WEEK
from sim.reforms.base import Reform, register
from sim.scenario import Scenario
from sim.streams import Streams


@register
class DigitalService(Reform):
    """Digital one-stop service and merged forms (多表合一): less effort per report, and
    apps that want feeding (指尖上的形式主义).

    Digitisable types lose ``effort_cut`` of their effort: data entered once
    instead of into several systems, duplicate ledgers merged. The platforms
    also ask each staff member for ``app_duty_hours_per_staff_week`` of check-ins,
    screenshots and duplicate uploads, sent each working day as one
    administrative item per community, due the same day; so the reform's net
    effect can be negative.
    """

    name = "digital"
    build_order = 3
    cost_line = "systems"        # its platform, per community a year (no size to scale)
    label = Bilingual(en="Digital one-stop", zh="数字化与多表合一")
    parameters = (
        Param("reforms.digital.enabled", False, bool,
              "digital one-stop service and merged forms (多表合一)", "DOMAIN.md"),
        Param("reforms.digital.effort_cut", 0.35, float,
              "share of effort removed from digitisable tasks",
              "Beijing 2019: city forms 44 to 7, ledgers halved (order of magnitude)", 0, 1,
              label=Bilingual(en=Label("Digital effort cut", "%"),
                              zh=Label("数字化工时削减", "%"))),
        Param("reforms.digital.app_duty_hours_per_staff_week", 1.0, float,
              "hours a week each community staff member spends on the reform's apps and groups "
              "for their own sake: daily check-ins, screenshots, duplicate uploads "
              "(指尖上的形式主义); booked as administrative work due the same day",
              ASSUMPTION + ": Changxing 2019: 2-3 h a week per government account; "
              "Jiangsu 2025: 20+ apps checked daily; Chongqing: a clerk in 60+ groups "
              "(MECHANISMS.md §2); no representative hours found", 0, 40, plausible=(0, 5),
              label=Bilingual(en=Label("App duties per staff member", "hours/week"),
                              zh=Label("人均政务App负担", "小时/周"))),
    )
    DUTY_ID = "DIGITAL-APP-DUTY"

    @classmethod
    def from_scenario(cls, scenario: Scenario, streams: Streams) -> DigitalService:
        reform = cls(scenario["reforms.digital.effort_cut"],
                     scenario["reforms.digital.app_duty_hours_per_staff_week"], DAYS_PER_WEEK)
        reform.flat_yuan_year = scenario["costs.digital_system_yuan_year"]
        return reform

    def __init__(self, effort_cut: float, app_duty_hours_per_staff_week: float,
                 days_per_week: int):
        self.effort_cut = effort_cut
        self.app_duty_hours_per_staff_week = app_duty_hours_per_staff_week
        self.days_per_week = days_per_week
        self._duty_task = -1

    def effort_factor(self, catalog: TaskCatalog) -> np.ndarray:
        return np.where(catalog.digitisable, 1.0 - self.effort_cut, 1.0)

    def add_task_types(self, catalog: TaskCatalog) -> TaskCatalog:
        if not self.app_duty_hours_per_staff_week:
            return catalog
        template = np.flatnonzero(catalog.kind == ADMIN)[:1]
        duty = catalog.take(template).with_columns(
            task_id=np.array([self.DUTY_ID], dtype=object),
            name_zh=np.array(["政务App打卡、截图与重复填报"], dtype=object),
            name_en=np.array(["Government app check-ins, screenshots and duplicate uploads"],
                             dtype=object),
            department=np.array(["digital_platforms"], dtype=object),
            category=np.array(["general_administration"], dtype=object),
            arrival=np.array([DEMAND]), rate_per_1000hh_year=np.zeros(1),
            deadline_days=np.ones(1, dtype=catalog.deadline_days.dtype),
            assessment_weight=np.full(1, 0.5), digitisable=np.zeros(1, dtype=bool),
            grid_eligible=np.zeros(1, dtype=bool), on_access_list=np.ones(1, dtype=bool),
            scales_with_size=np.zeros(1, dtype=bool), effort_spread=np.zeros(1),
            effort_hours=np.ones(1), start_day=np.full(1, self.start_day, dtype=np.int32),
            source=np.array(["reform: reforms.digital.app_duty_hours_per_staff_week"],
                            dtype=object),
        )
        self._duty_task = len(catalog)
        return catalog.append(duty)

    def issue(self, day: int, staff: np.ndarray) -> Batch | None:
        if self._duty_task < 0:
            return None
        community = np.flatnonzero(staff > 0)
        hours = staff[community] * self.app_duty_hours_per_staff_week / self.days_per_week
        task = np.full(len(community), self._duty_task, dtype=np.int64)
        return Batch(community, task, hours, np.ones(len(task), dtype=np.int32),
                     np.full(len(task), REFORM, dtype=np.int8))
