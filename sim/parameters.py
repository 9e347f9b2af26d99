"""Every settable value of a scenario: its dotted key, default, allowed values and source.

The defaults describe the Hefei baseline city (report of about 2011, see
docs/model.md). A default that the report does not give is marked as an
assumption in its ``source`` so a reader can tell measured facts from choices.

The keys of the model itself are declared here (``CORE``). Each reform declares
its ``reforms.NAME.*`` keys on its own class (``Reform.parameters`` in
``sim.reforms``) and ``sim.enforcement`` the ``reforms.enforcement.*`` ones, so
that a new reform never has to be added to this file. ``PARAMETERS`` and
``BY_KEY``, the full registry, put them together.

They are assembled on first use (PEP 562), not when this module is imported,
for two reasons. The reform modules need NumPy and the model, while this module
is read on every start of the command line (through ``sim.metrics``), which
must stay free of NumPy. And the reform modules import ``sim.scenario``, which
imports this module: assembling at import would make that a cycle. So nothing
may read ``PARAMETERS`` or ``BY_KEY`` while a model module is being imported,
only once it runs (loading a scenario, listing the keys).
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from typing import Any

from sim.param import ASSUMPTION, GIVEN, Param

GOVERNANCE_MODELS = ("two_committees", "workstation", "zone_committee")
PRIORITY_POLICIES = ("assessment_weighted", "earliest_deadline", "fifo")
STAFFING_BASES = ("per_community", "per_households")
DAYS_PER_WEEK = 5       # working days in the ledger's week, its unit of record
# Keys that shape the drawn city count only without a roster (a roster lists the city itself).
SYNTHETIC = ("city.roster", "")

CORE: tuple[Param, ...] = (
    # --- simulation -------------------------------------------------------
    Param("simulation.days", 250, int, "working days simulated", "one working year",
          DAYS_PER_WEEK, 20000),
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
    Param("city.roster", "", str,
          "community roster CSV, one row per real community (empty: the synthetic city the "
          "other city.* keys draw); relative to the scenario file",
          "docs/model.md 5.2 (the roster file)"),
    Param("city.communities", 362, int, "urban communities (residents' committees)",
          "Hefei report: 362 urban communities", 1, 20000, needs=SYNTHETIC),
    Param("city.street_offices", 38, int, "street offices relaying tasks to communities",
          "Hefei report: 38 street offices", 0, 5000, needs=SYNTHETIC),
    Param("city.zone_committees", 13, int,
          "development-zone community management committees (street level)",
          "Hefei report: 13 (Economic-Technological 5, High-tech 3, Xinzhan 5)", 0, 5000,
          needs=SYNTHETIC),
    Param("city.households_median", 4000, float, "median households per community",
          "Hefei report: most communities have 3,000-5,000 households", 100, 100000,
          needs=SYNTHETIC),
    Param("city.households_sigma", 0.2, float,
          "log-normal spread of households in ordinary communities",
          ASSUMPTION + ": puts about three in four communities in 3,000-5,000", 0, 2,
          needs=SYNTHETIC, plausible=(0.1, 0.3)),
    Param("city.large_share", 0.05, float,
          "share of communities drawn from the large-community tail",
          ASSUMPTION + ": the report says 'a few' are much larger", 0, 1,
          needs=SYNTHETIC, plausible=(0.02, 0.1)),
    Param("city.households_min", 1000, float, "smallest community (households)",
          ASSUMPTION, 1, 100000, needs=SYNTHETIC,
          plausible=(500, 2000)),
    Param("city.households_max", 15000, float, "largest community (households)",
          "Hefei report: up to 15,000 households", 1, 1000000, needs=SYNTHETIC),
    Param("city.grid_personnel_per_1000_households", 3.615, float,
          "grid personnel (网格责任人: dedicated grid workers and committee staff acting as "
          "grid heads) per 1,000 households",
          "Hefei report: 5,716 grid workers over the baseline's expected 1.58 million "
          "households (docs/model.md, 5.3.12)", 0, 100,
          needs=("reforms.grid_delegation.enabled", True)),
    Param("city.grid_dedicated_share", 0.43, float,
          "share of grid personnel who are dedicated grid workers paid by the street; the rest "
          "are committee staff acting as grid heads",
          ASSUMPTION + ": one committee head per grid (3,262 grids, grids are relabelled "
          "committees), the other 2,454 of 5,716 dedicated; plausible 0.05-0.57", 0, 1,
          needs=("reforms.grid_delegation.enabled", True),
          plausible=(0.05, 0.57)),
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
          ASSUMPTION, 0, 250,
          plausible=(0, 3)),
    Param("staffing.switch_cost_hours", 0.05, float,
          "hours a community staff pool loses per day for each distinct task type it has open",
          ASSUMPTION + ": task-switching cost when juggling many items", 0, 8,
          plausible=(0, 0.1)),
    Param("staffing.turnover.enabled", True, bool, "staff quit and are replaced after a delay",
          "provincial capital: nearly 1 in 5 community staff quit in a year"),
    Param("staffing.turnover.base_quit_rate", 0.03, float,
          "yearly quit probability of a staff member with no sustained overtime",
          "calibrated (make calibration; docs/model.md 8): at the low end of its plausible "
          "range, since the baseline's quits come mostly from loaded pools",
          0, 1,
          plausible=(0.03, 0.1)),
    Param("staffing.turnover.overload_quit_rate", 0.20, float,
          "yearly quit probability at overload_hours of sustained overtime",
          "provincial capital: nearly 1 in 5 quit in a year", 0, 1),
    Param("staffing.turnover.overload_hours", 4.0, float,
          "sustained overtime hours per staff member per week at which the yearly quit "
          "probability reaches overload_quit_rate", ASSUMPTION, 0.1, 80,
          plausible=(2, 8)),
    Param("staffing.turnover.max_quit_rate", 0.3, float,
          "yearly quit probability the curve levels off at however long the overtime "
          "(1: plain logistic); at least base_quit_rate and overload_quit_rate",
          ASSUMPTION + ": sources top out near 20% a year (MECHANISMS.md 6)", 0.01, 1,
          plausible=(0.2, 1)),
    Param("staffing.turnover.memory_weeks", 8.0, float,
          "time constant of sustained overtime: a week's weight decays by exp(-1/memory_weeks) "
          "each week after it (0: only the latest week counts)",
          ASSUMPTION + ": strain builds over a couple of months", 0, 520, plausible=(2, 26)),
    Param("staffing.turnover.pay_elasticity", 0.5, float,
          "quit odds scale as (costs.staff_pay_yuan_month / costs.reference_wage_yuan_month)"
          "^-elasticity",
          ASSUMPTION + ": wage elasticities of separations abroad run about 0.1-1.5 "
          "(US SIPP, Germany SIAB); none found for Chinese community workers", 0, 10,
          plausible=(0.1, 1.5)),
    Param("staffing.turnover.novice_productivity", 0.5, float,
          "productivity of a new hire on the first day, as a share of a trained member's",
          ASSUMPTION, 0, 1, plausible=(0.3, 0.8)),
    Param("staffing.turnover.ramp_weeks", 12.0, float,
          "weeks over which a new hire's productivity rises linearly to full", ASSUMPTION,
          0, 520, plausible=(4, 26)),
    Param("staffing.turnover.hiring_delay_days", 60, int,
          "working days from a quit until the replacement starts", ASSUMPTION, 0, 1000,
          plausible=(20, 120)),
    # --- costs: every price in yuan, one table (docs/model.md, 6.1) ---------------
    Param("costs.staff_pay_yuan_month", 4000.0, float,
          "monthly pay of a community staff member, bonuses included",
          "Wuhan 2023: 3,200-3,400 take-home, about 4,000 with bonuses (MECHANISMS.md 6)",
          1, 10**6, plausible=(1600, 5000)),
    Param("costs.pay_vacant_posts", True, bool,
          "the staff cost line pays every post, filled or vacant between a quit and its "
          "replacement (the budget a district commits); false: only staff at work are paid",
          ASSUMPTION + ": posts are budgeted whether filled or not, and with it a reform "
          "that raises quits does not look cheaper"),
    Param("costs.reference_wage_yuan_month", 4000.0, float,
          "local monthly wage staff compare their pay with; at this pay the anchor quit "
          "rates hold", ASSUMPTION + ": equal to staff pay, so the baseline keeps the anchors",
          1, 10**6, needs=("staffing.turnover.enabled", True), plausible=(3200, 8000)),
    Param("costs.purchased_hour_yuan", 24.0, float,
          "price of an hour of purchased help (contract staff or a social organisation); "
          "departments under funding-follows-task pay for pushed-down hours at this price",
          "derived: 4,000 yuan a month (Wuhan 2023, MECHANISMS.md §6) x 12 / (250 days x 8 h); "
          "Chenzhou 2014 budgets about 20 yuan an hour (MECHANISMS.md §9)",
          0.01, 10**5, needs=("reforms.funding.enabled", True), plausible=(18, 40)),
    Param("costs.grid_worker_pay_yuan_month", 4000.0, float,
          "monthly pay of a dedicated grid worker (paid by the street), bonuses included",
          ASSUMPTION + ": equal to community staff pay; no grid-worker pay found, grid workers "
          "double as community clerks (Wuhan 2023) at equal pay across grid sizes "
          "(MECHANISMS.md §8)", 1, 10**6, needs=("reforms.grid_delegation.enabled", True),
          plausible=(1600, 5000)),
    Param("costs.zone_staff_pay_yuan_month", 4000.0, float,
          "monthly pay of a zone committee's service-centre staff member",
          ASSUMPTION + ": equal to community staff pay; no zone-centre pay found", 1, 10**6,
          needs=("governance.model", "zone_committee"), plausible=(3000, 6000)),
    Param("costs.digital_system_yuan_year", 20000.0, float,
          "yearly cost per community of the digital one-stop service: licences, devices, "
          "maintenance and data links, while the reform is in force",
          ASSUMPTION + ": no per-community cost of a city platform found; about 5 months of "
          "one staff member's pay", 0, 10**8, needs=("reforms.digital.enabled", True),
          plausible=(5000, 100000)),
    Param("costs.access_list_admin_yuan_year", 4800.0, float,
          "yearly cost per community of administering the access list: the street office's "
          "review of new items, inspections and complaints, while the reform is in force",
          ASSUMPTION + ": a tenth of a staff member's year (4,000 yuan x 12 x 0.1) per "
          "community; no figure found", 0, 10**8,
          needs=("reforms.access_list.enabled", True), plausible=(1000, 20000)),
    # --- governance -------------------------------------------------------
    Param("governance.model", "two_committees", str,
          "governance model of every community that neither the roster's governance column "
          "nor governance.by_district gives one",
          "Hefei report: two-committee model in Luyang, Yaohai and Baohe districts",
          choices=GOVERNANCE_MODELS),
    Param("governance.by_district", {}, dict,
          "governance model per district of the roster (a table: district name = model), for "
          "communities whose roster row leaves governance empty",
          "Hefei report: the workstation model in Shushan, two committees in Luyang, Yaohai "
          "and Baohe", choices=GOVERNANCE_MODELS, needs=("city.roster", GIVEN)),
    Param("governance.committee_share", 0.33, float,
          "workstation model: share of staff kept in the committee for self-governance",
          ASSUMPTION + ": 5 of 15 staff (committee law: 5-9 elected members)", 0, 1,
          needs=("governance.model", "workstation"),
          plausible=(0.2, 0.5)),
    Param("governance.lending_share", 1.0, float,
          "workstation model: share of a pool's spare regular and overtime hours that go to "
          "the other pool's work; 1 = the same people cross-appointed (交叉任职), 0 = fully "
          "separate staff",
          "MECHANISMS.md §7: committee and workstation 'overlap considerably', run by the same "
          "people (Beijing 2009-11); 分工不分家 (Hefei report); no quantified share exists",
          0, 1, needs=("governance.model", "workstation")),
    Param("governance.zone_staff_per_community", 2.0, float,
          "zone model: staff of the zone committee's service centre per community it guides",
          ASSUMPTION, 0, 100, needs=("governance.model", "zone_committee"),
          plausible=(1, 3)),
    Param("governance.zone_categories",
          ["social_insurance", "employment", "social_assistance", "housing_support"], list,
          "zone model: administrative categories the zone committee handles centrally",
          ASSUMPTION + ": the 'big community' handles window business at street level",
          needs=("governance.model", "zone_committee")),
    # --- committees' own time ---------------------------------------------------
    Param("committees.discretionary.enabled", True, bool,
          "hours not taken by assigned work go to discretionary resident work (home visits, "
          "activities, consultations, organising volunteers) instead of sitting idle",
          "issue 'Agents that decide (1)'; MECHANISMS.md §5 (outreach: 17 staff visited 2,663 "
          "households, Hangzhou 2016)"),
    Param("committees.discretionary.ceiling_hours", 2.0, float,
          "most discretionary resident work per staff member per working day",
          ASSUMPTION + ": a visit or activity takes about an hour; two a day at most", 0, 24,
          plausible=(0.5, 4)),
    Param("committees.discretionary.slack_share", 0.25, float,
          "share of otherwise unused regular hours that stays genuine slack (breaks, waiting, "
          "meetings without output) rather than becoming resident work",
          ASSUMPTION, 0, 1,
          plausible=(0, 0.5)),
    Param("committees.documentation_share", 0.35, float,
          "share of a fully assessed administrative task's effort that is documentation "
          "(留痕: ledgers, photos, forms) at the baseline assessment intensity; a task's share "
          "is this times its assessment weight",
          "MECHANISMS.md §4: point estimates 1/3 (Chongqing 2022) to over 1/2 (Nanjing before "
          "2013); no representative figure exists", 0, 0.95,
          plausible=(0.2, 0.5)),
    Param("policy.assessment_intensity", 1.0, float,
          "how hard upward assessment presses relative to the report's baseline: "
          "documentation effort of assessed work scales with it (1 = baseline)",
          ASSUMPTION + ": the catalog efforts already hold baseline documentation", 0, 10),
    # --- tasks --------------------------------------------------------------
    Param("tasks.catalog", "", str,
          "task catalog CSV (empty: the packaged catalog); relative to the scenario file",
          "docs/catalog.md"),
    Param("tasks.effort_scale", 0.969, float, "multiplier on every catalog effort",
          "calibrated (make calibration; docs/model.md 8)", 0, 100,
          plausible=(0.6, 1.2)),
    Param("tasks.demand_scale", 0.837, float, "multiplier on every demand-driven arrival rate",
          "calibrated (make calibration; docs/model.md 8)", 0, 100,
          plausible=(0.7, 1.05)),
    Param("tasks.campaign_scale", 1.0, float, "multiplier on every campaign launch rate",
          ASSUMPTION, 0, 100,
          plausible=(0.5, 1.5)),
    Param("tasks.size_elasticity", 0.5, float,
          "effort of size-dependent tasks grows as (households / reference)^elasticity",
          ASSUMPTION + ": grids split door-to-door work, so growth is sub-linear", 0, 2,
          plausible=(0.25, 0.75)),
    Param("tasks.reference_households", 4000.0, float,
          "community size at which catalog efforts apply", "docs/catalog.md", 1, 100000),
    Param("tasks.new_per_year", 8.0, float,
          "new administrative task types departments create per year, city-wide, with no "
          "burden-reduction campaign in force; an access list's enforcement suppresses it "
          "in proportion",
          ASSUMPTION + ": burden grows back through new items", 0, 1000,
          plausible=(0, 16)),
    # --- residents ------------------------------------------------------------
    Param("residents.patience_days", 20, int,
          "working days after its deadline that unserved resident demand is withdrawn",
          ASSUMPTION, 0, 1000,
          plausible=(10, 40)),
    Param("residents.participation.enabled", True, bool,
          "residents respond: participation follows the committee's responsiveness and drives "
          "self-governance demand, volunteer hours and hotline complaints",
          "issue 'Agents that decide (1)'; MECHANISMS.md §5 (DRC 2020: better community-resident "
          "relations go with more participation)"),
    Param("residents.participation.baseline", 0.3, float,
          "participation at the baseline: share of households that took part in at least one "
          "committee activity or election in a year; also the start value",
          "MECHANISMS.md §5: about 70% of Shanghai residents don't know their committee "
          "director (2017); election turnout 47.89% in an election year, elections every "
          "5 years", 0.01, 0.99, plausible=(0.2, 0.5)),
    Param("residents.participation.time_constant_weeks", 26.0, float,
          "weeks in which participation closes 63% of the gap to the level the committee's "
          "responsiveness sustains (decays towards 0 without any)",
          ASSUMPTION + ": participation is a yearly observable; trust builds over months",
          0.1, 520, plausible=(8, 104)),
    Param("residents.participation.elasticity", 1.0, float,
          "elasticity of the participation odds with respect to responsiveness",
          ASSUMPTION + ": MECHANISMS.md §5 finds no measured elasticity of participation to "
          "outreach", 0, 10, plausible=(0.2, 2)),
    Param("residents.participation.on_time_weight", 0.5, float,
          "weight of requests served on time in responsiveness; the rest is resident-facing "
          "hours", ASSUMPTION, 0, 1, plausible=(0.2, 0.8)),
    Param("residents.participation.reference_on_time_share", 0.77, float,
          "share of resident requests closed on time at which responsiveness is at the "
          "baseline's", "calibrated: the baseline's own share (docs/model.md 5.3.14)", 0.01, 1,
          plausible=(0.7, 0.9)),
    Param("residents.participation.reference_hours", 1150.0, float,
          "resident-facing staff hours (services, self-governance, discretionary) per 1,000 "
          "households a year at which responsiveness is at the baseline's",
          "calibrated: the baseline's own level (docs/model.md 5.3.14)", 1, 100000,
          plausible=(900, 1400)),
    Param("residents.participation.selfgov_elasticity", 1.0, float,
          "self-governance demand per community scales as (participation / baseline) to this "
          "power", ASSUMPTION + ": meetings and activities are asked for by those who take part",
          0, 5, plausible=(0.5, 1.5)),
    Param("residents.participation.volunteer_hours_per_household", 1.0, float,
          "volunteer hours a participating household gives to the committee's services and "
          "self-governance per year",
          ASSUMPTION + ": 810 million volunteer hours by 67.2 million registered volunteers "
          "over years (2017) is about 0.3 hours per household a year; Xingtai requires 50 a "
          "year of party members (MECHANISMS.md §5)", 0, 1000, plausible=(0.3, 5)),
    Param("residents.participation.volunteer_share", 0.5, float,
          "most of a service or self-governance item's effort volunteers can do; the rest "
          "(casework, signatures, judgement) stays with staff", ASSUMPTION, 0, 1,
          plausible=(0.2, 0.8)),
    Param("residents.participation.complaint_probability", 0.2, float,
          "probability that a resident request withdrawn unserved becomes a hotline complaint "
          "work order", ASSUMPTION + ": no rate found; the 12345 hotline passes complaints "
          "down as work orders (catalog A113)", 0, 1, plausible=(0.05, 0.5)),
    Param("residents.participation.complaint_task", "A113", str,
          "catalog task type of the complaint work orders (none in the catalog: no complaints)",
          "docs/catalog.md: A113 政务热线投诉工单办理"),
    # --- policy -------------------------------------------------------------
    Param("policy.priority", "assessment_weighted", str,
          "order in which staff take up open work",
          "field studies: assessed tasks first, self-governance squeezed out",
          choices=PRIORITY_POLICIES),
    Param("policy.perfunctory_cut", 0.5, float,
          "share of an overdue administrative task's remaining effort dropped when it is done "
          "for form's sake, scaled by (1 - assessment weight)",
          ASSUMPTION + ": field studies: unassessed tasks are done perfunctorily", 0, 1,
          plausible=(0, 1)),
    Param("policy.overdue_weight", 0.8, float,
          "priority weight an administrative task gets once overdue and chased (催办), "
          "if its own is lower", ASSUMPTION + ": departments chase overdue items", 0, 1,
          plausible=(0.5, 1)),
    # --- departments ---------------------------------------------------------------
    Param("departments.substitution.elasticity", 0.3, float,
          "share of the work an access list refuses that the issuing department still gets "
          "done through informal channels (messaging groups, apps, 'assisting' items, "
          "requests via the street office); 0: refused work disappears, 1: the department's "
          "reach is unchanged and only its channel moves",
          ASSUMPTION + ": departments kept sending tasks after plaques were cut (Beijing "
          "c.2018); 42% of respondents cite work groups demanding instant replies (2020 survey) "
          "(MECHANISMS.md §1-2); no elasticity measured", 0, 1, plausible=(0.1, 0.6),
          needs=("reforms.access_list.enabled", True)),
    Param("departments.substitution.deadline_days", 1, int,
          "working days an informal request allows: it carries no negotiated deadline",
          "2020 survey of 6,077 cadres: 42% cite work groups demanding 24-hour replies "
          "(MECHANISMS.md §2)", 1, 250, needs=("reforms.access_list.enabled", True)),
    Param("departments.chase_limit_days", 250, int,
          "working days past its deadline that a department keeps chasing an unfinished "
          "administrative item; then it stops and the item is written off undone (the next "
          "period's return or the campaign's end supersedes it)",
          ASSUMPTION + ": departments chase overdue items (催办, MECHANISMS.md §3) but no "
          "study gives how long; one working year keeps multi-year queues bounded and "
          "leaves one-year runs untouched", 1, 100000, plausible=(60, 500)),
    Param("departments.regrowth.relabel_per_year", 0.25, float,
          "yearly hazard that a department re-creates a type struck off the access list 'in a "
          "new coat' (换马甲), at zero enforcement; enforcement suppresses it in proportion",
          ASSUMPTION + ": relabelling is documented (Beijing, Xinhua 2019 and 2021, 吕德文 "
          "2024; MECHANISMS.md §1), its rate is not", 0, 10, plausible=(0.05, 0.6),
          needs=("reforms.access_list.enabled", True)),
    # --- street offices -----------------------------------------------------------------
    Param("relays.deadline_cut", 0.0, float,
          "share by which a street office shortens departments' deadlines beyond those in the "
          "catalog (层层加码)",
          ASSUMPTION + ": catalog deadlines are those communities face, so the baseline's "
          "escalation is in them; quantified deadline shortening NOT FOUND (MECHANISMS.md §3)",
          0, 0.9, plausible=(0, 0.5)),
    Param("relays.extra_items", 0.0, float,
          "expected extra items (the street office's own ledger or check on the same matter) "
          "it adds per administrative item it passes on, beyond the catalog",
          ASSUMPTION + ": the catalog holds the street offices' own items of the report's "
          "city; escalation multipliers NOT FOUND (MECHANISMS.md §3)", 0, 5,
          plausible=(0, 0.3)),
    Param("assessment.enabled", True, bool,
          "street offices score their communities on assessed work done on time; a low score "
          "makes the committee drop everything for assessed work",
          "MECHANISMS.md §3: Zhuzhou 2014 monthly ranking with fines and prizes; 32-147 "
          "assessments per community"),
    Param("assessment.period_days", 21, int,
          "working days between a street office's assessments",
          "Zhuzhou 2014: communities ranked monthly (MECHANISMS.md §3)", 5, 1000,
          plausible=(21, 63)),
    Param("assessment.assessed_weight", 0.5, float,
          "assessment weight from which a task type counts as assessed work",
          ASSUMPTION + ": the catalog's weights (docs/catalog.md) put checked items at 0.5 "
          "and above", 0, 1, plausible=(0.3, 0.7)),
    Param("assessment.pressure_threshold", 0.8, float,
          "weighted on-time share of assessed work below which a community counts as "
          "pressed and its committee puts assessed work before everything else until the "
          "next assessment",
          ASSUMPTION + ": MECHANISMS.md §3 gives a 1,000-point street template (weak source) "
          "but no pass mark", 0, 1, plausible=(0.6, 0.9)),
    Param("assessment.veto_categories", ["family_planning", "petitions_stability"], list,
          "task categories under one-vote veto (一票否决): one such item missed in a period "
          "scores the community zero",
          "MECHANISMS.md §3: a street template vetoes on family planning (weak source); "
          "petitions and stability: assumption"),
)



PARAMETERS: tuple[Param, ...]      # CORE, every registered reform's keys, enforcement's
BY_KEY: dict[str, Param]           # the same by key

RETIRED = {
    "reforms.access_list.leakage": "refused work now reaches communities through the "
    "departments' informal channels: set departments.substitution.elasticity",
    "reforms.funding.window_days": "funding now reaches communities after "
    "reforms.funding.lag_days, less the street office's reforms.funding.retention",
}


def __getattr__(name: str) -> Any:
    """``PARAMETERS`` and ``BY_KEY``, assembled on first access (see the module's docstring
    for why not at import), then kept as plain module attributes."""
    names = ("PARAMETERS", "BY_KEY")
    if name not in names:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = _registry()[names.index(name)]
    globals()[name] = value
    return value


@cache
def _registry() -> tuple[tuple[Param, ...], dict[str, Param]]:
    params = _assemble()
    return params, {p.key: p for p in params}


def _assemble() -> tuple[Param, ...]:
    """The core keys, then each registered reform's (in registry order), then enforcement's."""
    from sim.enforcement import PARAMETERS as ENFORCEMENT
    from sim.reforms import REFORMS

    reforms = tuple(param for reform in REFORMS.values() for param in reform.all_parameters())
    params = _under_switches(CORE + reforms + ENFORCEMENT)
    duplicates = sorted({p.key for p in params if [q.key for q in params].count(p.key) > 1})
    assert not duplicates, f"keys declared twice: {duplicates}"
    return params


def _under_switches(params: tuple[Param, ...]) -> tuple[Param, ...]:
    """Every key of a group that has an ``enabled`` switch needs that switch on
    (``reforms.funding.coverage`` needs ``reforms.funding.enabled = true``)."""
    switches = {p.key for p in params if p.key.endswith(".enabled")}

    def switch_of(param: Param) -> str:
        return param.key.rsplit(".", 1)[0] + ".enabled"

    return tuple(replace(p, needs=(switch_of(p), True))
                 if p.needs is None and p.key not in switches and switch_of(p) in switches
                 else p for p in params)


def defaults() -> dict[str, Any]:
    """Flat dict of every dotted key and its default value."""
    params, _ = _registry()
    return {p.key: (p.kind(p.default) if p.kind in (list, dict) else p.default)
            for p in params}
