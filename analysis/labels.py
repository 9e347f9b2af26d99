"""Every word a chart or brief shows, in English and Chinese.

Charts and briefs never spell a label themselves: they ask here, so that
``--lang`` switches every title, axis, legend and table heading at once.
Names this module does not know (a user's own scenario, category or swept
key) fall back to the raw name rather than failing, because a chart with one
untranslated label is better than no chart.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sim.errors import UserError
from sim.metrics import METRICS, Bounds

LANGS = ("zh", "en")
FORMATS = ("png", "svg", "pdf")     # chart file formats the user can ask for

# How each interval was made (analysis.summary's methods), as tables and sentences name it.
_METHODS = {
    "t (logit scale)": ("95% t-interval on the logit scale", "logit尺度上的95% t区间"),
    "t (log scale)": ("95% t-interval on the log scale", "对数尺度上的95% t区间"),
    "t": ("95% t-interval", "95% t区间"),
    "replicate range": ("replicate range (lowest to highest)", "重复间范围（最低至最高）"),
    "none": ("no interval (1 replicate)", "无区间（仅1次重复）"),
}

_KINDS = {
    "administrative": ("Administrative", "行政事务"),
    "service": ("Services", "服务"),
    "self_governance": ("Self-governance", "自治"),
    "delegated": ("Worked by grid, zone or purchased help", "网格员、片区中心和购买服务承担"),
    "other_administrative": ("Other administrative", "其他行政事务"),
}

# Where freed administrative hours went (analysis.freed's parts).
_FREED_PARTS = {
    "freed": ("Freed administrative hours", "腾出的行政工时"),
    "service": ("Resident work: services", "居民工作：服务"),
    "self_governance": ("Resident work: self-governance", "居民工作：自治"),
    "discretionary": ("Resident work: discretionary (visits, activities)",
                      "居民工作：主动开展（走访、活动）"),
    "less_overtime": ("Less overtime", "减少加班"),
    "slack": ("Slack (idle hours)", "闲置工时"),
    "other": ("Other: task switching, new hires' learning", "其他：任务切换、新人学习"),
    "staffing": ("Staff present: −Δ regular hours (added staff < 0)",
                 "在岗人员：−Δ正常工时（增员为负）"),
}

# Category names: Chinese as in docs/catalog.md; the text in brackets is dropped on charts.
_CATEGORIES = {
    "public_security": ("Public order and security", "社会治安"),
    "community_corrections": ("Community corrections", "社区矫正"),
    "public_health": ("Public health", "公共卫生"),
    "family_planning": ("Family planning", "计划生育"),
    "veterans_relief": ("Veterans' care and relief", "优抚救济"),
    "community_education": ("Community education", "社区教育"),
    "employment": ("Labour and employment", "劳动就业"),
    "social_insurance": ("Social insurance", "社会保障"),
    "social_assistance": ("Social assistance", "社会救助"),
    "housing_support": ("Housing support", "住房保障"),
    "consumer_rights": ("Consumer rights", "消费维权"),
    "rights_protection": ("Rights of the elderly, disabled, minors and migrants",
                          "老年人、残疾人、未成年人、流动人口权益保障"),
    "statistics_census": ("Statistics and censuses", "统计和普查"),
    "civil_affairs": ("Civil affairs", "民政事务"),
    "urban_management": ("Urban management", "城市管理"),
    "ecology_environment": ("Ecology and environment", "生态环境"),
    "safety_emergency": ("Safety, fire and emergencies", "安全生产、消防和应急"),
    "petitions_stability": ("Petitions and dispute screening", "信访维稳、矛盾纠纷排查"),
    "civilisation_campaigns": ("Civilisation campaigns", "精神文明创建"),
    "party_building": ("Party building", "党建"),
    "certificates": ("Certificates and stamps", "证明盖章"),
    "plaques_assessments": ("Plaques, assessments and ledgers", "挂牌、创建、考核、台账"),
    "culture_sports": ("Culture and sports", "文化体育"),
    "military_service": ("Military service and militia", "兵役征兵、民兵"),
    "legal_services": ("Court help, mediation records, legal education",
                       "法院协助、人民调解台账、普法"),
    "general_administration": ("Street meetings, ad-hoc tasks, funds, reports",
                               "街道例会、临时交办、经费、计划总结"),
    "services_elderly": ("Elderly services", "为老服务（寿星卡、托老）"),
    "services_women": ("Women's services", "妇女服务（巾帼卡）"),
    "services_children": ("Youth and children's services", "青少年儿童服务（灵童卡）"),
    "services_special_groups": ("Special groups' services",
                                "特殊群体服务（特群卡、低保、大病救助、慈善超市）"),
    "services_outreach": ("Outreach and requests", "连心服务（连心卡、诉求接待）"),
    "services_civil_affairs": ("Civil affairs advice", "民政计生咨询"),
    "services_jobs": ("Job services", "就业服务"),
    "services_health": ("Health care", "医疗保健"),
    "services_disabled": ("Services for the disabled", "助残服务"),
    "services_convenience": ("Convenience and one-stop errands", "便民利民、一站式代办、文体康乐"),
    "self_governance": ("Self-governance", "自治"),
}

_SCENARIOS = {
    "baseline": ("Baseline", "基准情景"),
    "two_committees": ("Two committees", "两委模式"),
    "workstation": ("Workstation", "工作站模式"),
    "zone_committee": ("Zone committee", "社区管委会模式"),
    "access_list": ("Access list", "事项准入"),
    "funding": ("Funding follows task", "费随事转"),
    "grid_delegation": ("Grid delegation", "网格承接"),
    "digital": ("Digital one-stop", "数字化与多表合一"),
    "split_communities": ("Split large communities", "拆分超大社区"),
    "protected_time": ("Protected self-gov. time", "自治保障时间"),
    "staff_per_households": ("Staff per households", "按户配备人员"),
    "reform_package": ("Reform package", "减负改革组合"),
    "fewer_assessments": ("Fewer assessments", "精简考核"),     # a reform, no shipped scenario
    "five_years": ("Five years, no reform", "五年·无改革"),
    "five_years_access_list": ("Five years: access list", "五年·事项准入"),
    "five_years_funding": ("Five years: funding follows task", "五年·费随事转"),
    "five_years_digital": ("Five years: digital one-stop", "五年·数字化与多表合一"),
    "five_years_package": ("Five years: reform package", "五年·减负改革组合"),
    "five_years_campaign_lapses": ("Five years: campaign, then lapse", "五年·运动式减负后松懈"),
}

# Swept keys: (English name, Chinese name, English unit, Chinese unit).
_KEYS: dict[str, tuple[str, str, str, str]] = {
    "staffing.staff_per_community": ("Staff per community", "每社区工作人员", "staff", "人"),
    "staffing.staff_per_1000_households": ("Staff per 1,000 households", "每千户工作人员",
                                           "staff", "人"),
    "staffing.hours_per_day": ("Regular hours per day", "每日正常工时", "hours", "小时"),
    "staffing.overtime_cap_hours": ("Overtime cap per day", "每日加班上限", "hours", "小时"),
    "staffing.switch_cost_hours": ("Task-switching cost", "任务切换损耗", "hours/type/day",
                                   "小时/类/日"),
    "staffing.basis": ("Staffing basis", "人员配备方式", "", ""),
    "city.households_median": ("Median households per community", "社区户数中位数",
                               "households", "户"),
    "city.households_max": ("Largest community", "最大社区户数", "households", "户"),
    "city.communities": ("Communities", "社区数", "", "个"),
    "city.grid_personnel_per_1000_households": ("Grid personnel per 1,000 households",
                                                "每千户网格人员", "persons", "人"),
    "city.grid_dedicated_share": ("Dedicated share of grid personnel", "专职网格员占比",
                                  "%", "%"),
    "governance.model": ("Governance model", "治理模式", "", ""),
    "governance.committee_share": ("Committee share of staff", "居委会人员占比", "%", "%"),
    "governance.lending_share": ("Hours lent between pools", "互借工时比例", "%", "%"),
    "tasks.effort_scale": ("Effort multiplier", "任务工时倍数", "×", "倍"),
    "tasks.demand_scale": ("Demand multiplier", "需求倍数", "×", "倍"),
    "tasks.campaign_scale": ("Campaign multiplier", "突击任务倍数", "×", "倍"),
    "tasks.new_per_year": ("New task types per year", "每年新增事项类型", "types", "项"),
    "policy.priority": ("Priority rule", "办理顺序", "", ""),
    "reforms.access_list.max_admin_tasks": ("Access list: admin types allowed",
                                            "准入清单行政事项上限", "types", "项"),
    "departments.substitution.elasticity": ("Refused work pushed down informally",
                                            "被拒事项转非正式渠道比例", "%", "%"),
    "departments.regrowth.relabel_per_year": ("Relabelling rate of struck items",
                                              "被清理事项换马甲速率", "per year", "/年"),
    "reforms.enforcement.decay_per_year": ("Enforcement lost per year", "执行力度年衰减",
                                           "%", "%"),
    "reforms.enforcement.strictness": ("Enforcement strictness", "执行严格程度", "%", "%"),
    "reforms.funding.retention": ("Funding kept by street offices", "街道截留经费比例", "%", "%"),
    "reforms.funding.compliance": ("Departments that pay", "按规定拨付经费的部门比例", "%", "%"),
    "reforms.digital.app_duty_hours_per_staff_week": ("App duties per staff member",
                                                      "人均政务App负担", "hours/week", "小时/周"),
    "relays.deadline_cut": ("Deadline cut by street offices", "街道压缩时限比例", "%", "%"),
    "assessment.pressure_threshold": ("Assessment pass mark", "考核达标线", "", ""),
    "reforms.funding.coverage": ("Funding coverage", "费随事转覆盖比例", "%", "%"),
    "reforms.grid_delegation.hours_per_worker_day": ("Grid hours per worker-day",
                                                     "网格员每日承接工时", "hours", "小时"),
    "reforms.grid_delegation.head_duty_hours": ("Grid head duty per day", "网格长每日网格工时",
                                                "hours", "小时"),
    "reforms.digital.effort_cut": ("Digital effort cut", "数字化工时削减", "%", "%"),
    "reforms.split.max_households": ("Split above", "拆分户数上限", "households", "户"),
    "reforms.protected_time.share": ("Protected time share", "自治保障时间比例", "%", "%"),
}

_VALUES = {
    "assessment_weighted": ("Assessed first", "考核优先"),
    "earliest_deadline": ("Earliest deadline", "截止期优先"),
    "fifo": ("First come, first served", "先到先办"),
    "per_community": ("Per community", "按社区"),
    "per_households": ("Per 1,000 households", "按户数"),
    "true": ("yes", "是"),
    "false": ("no", "否"),
}

# Titles, axes, legends, table headings and sentences: key -> (English, Chinese).
_TEXT = {
    # where the hours go
    "hours.title": ("Where the hours go", "工作时间都去了哪里"),
    "hours.subtitle": ("Hours worked per community and year, by kind of work and by "
                       "administrative category; labels give each part's share",
                       "每社区每年的工作小时，按工作性质和行政事务类别划分；标注为所占比例"),
    "hours.by_kind": ("All hours worked, by kind of work", "全部工时：按工作性质"),
    "hours.by_category": ("Administrative hours, by category", "行政事务工时：按类别"),
    "hours.axis": ("hours per community per year", "小时/社区/年"),
    # where the freed hours went
    "freed.title": ("Where the freed hours went", "减负腾出的时间去了哪里"),
    "freed.subtitle": (
        "Administrative hours (tasks and grid duties) each scenario frees against {base}, per "
        "community of {base} and year, and where they went: parts right of zero grew, parts "
        "left of zero shrank; they add up to the freed hours (◆: mean and {interval})",
        "各情景相对{base}腾出的行政工时（事项与网格职责，按{base}每社区每年计）及其去向：零线右侧"
        "为增加的部分，左侧为减少的部分，各部分之和等于腾出工时（菱形：均值及{interval}）"),
    "freed.axis": ("hours per community per year", "小时/社区/年"),
    # across communities
    "communities.title": ("Across communities: large and small",
                          "不同规模社区的负担"),
    "communities.subtitle": ("Each dot is one community in one replicate{only}; lines join "
                             "the median of each size class",
                             "每个点代表一次重复中的一个社区{only}；折线连接各规模档的中位数"),
    "communities.only": (" (baseline only)", "（仅基准情景）"),
    "communities.x": ("households (log scale)", "户数（对数刻度）"),
    "communities.admin": ("Administrative share of staff hours", "行政事务工时占比"),
    "communities.overtime": ("Overtime per staff member", "人均加班"),
    # through the year
    "weekly.title": ("Through the year", "全年走势"),
    "weekly.subtitle": ("City per week; line: median over {reps} replicates, band: lowest to "
                        "highest replicate{only}",
                        "全市逐周；线为{reps}次重复的中位数，阴影为各次重复的最低至最高值{only}"),
    "weekly.only": (" (baseline only)", "（仅基准情景）"),
    "weekly.x": ("working week", "工作周"),
    "weekly.warmup": ("warm-up weeks (not measured)", "预热期（不计入指标）"),
    "weekly.issued": ("Task instances reaching communities", "到达社区的任务件数"),
    "weekly.issued.unit": ("per community per week", "件/社区/周"),
    "weekly.backlog": ("Backlog", "积压工作"),
    "weekly.backlog.unit": ("hours per community", "小时/社区"),
    "weekly.overtime": ("Overtime", "加班"),
    "weekly.overtime.unit": ("hours per staff member per week", "小时/人/周"),
    "weekly.overdue": ("Overdue open items", "逾期未办结事项"),
    "weekly.overdue.unit": ("items per community", "件/社区"),
    # burden over time
    "burden.title": ("Administrative burden over time", "行政负担的时间走势"),
    "burden.subtitle": (
        "Per community; each point: {weeks} working weeks of the measured period at their "
        "yearly rate (warm-up left out), mean over {reps} replicates",
        "按社区计；每个点为测量期内{weeks}个工作周折算的年度水平（不含预热期），"
        "为{reps}次重复的均值"),
    "burden.hours": ("Administrative hours: formal and informal channels",
                     "行政事务工时：正式渠道与非正式渠道"),
    "burden.x": ("years since measuring began (after the warm-up)",
                 "测量期开始后的年数（预热期之后）"),
    "burden.reform": ("reform comes into force", "改革生效"),
    # scenario comparison
    "diff.title": ("Difference from the baseline", "与基准情景的差异"),
    "diff.subtitle": ("Paired difference of each scenario from {base} over {reps} replicates "
                      "with common random numbers: mean and {interval}",
                      "各情景与{base}的配对差值（{reps}次共同随机数重复）：均值及{interval}"),
    "diff.points": ("percentage points", "百分点"),
    "diff.pp": (" pp", "个百分点"),
    # sweeps
    "response.title": ("Response to {key}", "结果随{key}的变化"),
    "response.subtitle": ("Mean over replicates; band: {interval}",
                          "各次重复的均值；阴影：{interval}"),
    "response.marginal": ("; averaged over the other varied keys", "；已对其他变动参数取平均"),
    "heatmap.title": ("Results by {x} and {y}", "{x}与{y}组合下的结果"),
    "heatmap.subtitle": ("Mean over replicates in each cell", "每格为各次重复的均值"),
    "frontier.title": ("Staff needed to keep the overdue rate at or below {threshold}",
                       "逾期率不超过{threshold}所需的人员"),
    "frontier.subtitle": ("Lowest staffing whose mean overdue rate meets the threshold, "
                          "interpolated between the tested levels",
                          "平均逾期率达标的最低人员配备，在测试水平之间线性插值"),
    "frontier.meets": ("tested level meets the threshold", "测试点达标"),
    "frontier.misses": ("tested level misses it", "测试点未达标"),
    "frontier.line": ("staff needed", "所需人员"),
    "frontier.above": ("more than the highest tested level", "超出最高测试水平"),
    "frontier.reference": ("5 staff per 1,000 households (national target)",
                           "每千户5名工作人员（全国目标）"),
    # source line
    "source": ("Source: commsim {version} (git {git})", "来源：commsim {version}（git {git}）"),
    "source.run": ("scenario {scenario}; {reps} replicates, seed {seed}",
                   "情景：{scenario}；{reps}次重复，随机种子{seed}"),
    "source.compare": ("scenarios {scenarios}; {reps} paired replicates each, seed {seed}",
                       "情景：{scenarios}；每个情景{reps}次配对重复，随机种子{seed}"),
    "source.sweep": ("sweep of {scenario} over {keys}: {points} points × {reps} replicates, "
                     "seed {seed}", "{scenario}的参数扫描（{keys}）：{points}个设计点 × "
                     "{reps}次重复，随机种子{seed}"),
    "source.more": (", and {n} more", "等另外{n}项"),
    "list.sep": (", ", "、"),
    "sep": ("; ", "；"),
    # brief
    "brief.title": ("Community workload: policy brief", "社区工作负担：政策简报"),
    "brief.findings": ("Key findings", "主要结果"),
    "brief.continued": ("Key findings (continued)", "主要结果（续）"),
    "brief.methods": ("Methods", "方法"),
    "brief.charts": ("Charts", "图表"),
    "brief.metric": ("Metric", "指标"),
    "brief.scenario": ("Scenario", "情景"),
    "brief.mean": ("Mean [interval]", "均值 [区间]"),
    "brief.interval": ("Interval", "区间"),
    "brief.diff": ("Difference from baseline [interval]", "与基准情景之差 [区间]"),
    "brief.heading": ("{metric}. Intervals: {means}; differences: {diffs}",
                      "{metric}。区间：{means}；差值：{diffs}"),
    "brief.column": ("{metric} [{means}]", "{metric} [{means}]"),
    "brief.page": ("page {n}", "第{n}页"),
    "brief.model": (
        "Model: commsim {version} (git {git}), an agent-based simulation (Mesa 3) of a Chinese "
        "city's residents' committees: government departments push administrative tasks down "
        "through street offices, and each community's staff divide their working hours "
        "between those tasks, services for residents and self-governance, under deadlines, "
        "overtime, backlog and staff turnover.",
        "模型：commsim {version}（git {git}），一个关于中国城市社区居民委员会的主体模型（Mesa 3）："
        "政府部门经街道向社区下派行政事务，各社区工作人员在截止期限、加班、积压和人员流动的约束下，"
        "把工作时间分配给行政事务、居民服务和居民自治。"),
    "brief.design.run": (
        "Scenario: {scenario}, {communities} communities over {days} working days. "
        "Replicates: {reps} (seed {seed}).",
        "情景：{scenario}，{communities}个社区，模拟{days}个工作日。重复：{reps}次（随机种子{seed}）。"),
    "brief.design.compare": (
        "Scenarios: {scenarios}; the first is the baseline. Each ran {reps} replicates of "
        "{days} working days in a city of {communities} communities, with common random "
        "numbers (seed {seed}), so differences are paired replicate by replicate.",
        "情景：{scenarios}；第一个为基准情景。每个情景在{communities}个社区的城市中"
        "模拟{days}个工作日，重复{reps}次，使用共同随机数（随机种子{seed}），"
        "差值按重复逐一配对计算。"),
    "brief.design.sweep": (
        "Design: {sample} over {keys}, {points} points × {reps} replicates of {scenario} "
        "({days} working days, {communities} communities, seed {seed}); each row gives the "
        "mean over replicates and its interval.",
        "设计：对{keys}进行{sample}抽样，共{points}个设计点 × {reps}次重复，{scenario}"
        "（{communities}个社区，{days}个工作日，随机种子{seed}）；"
        "每行为各次重复的均值及其区间。"),
    "brief.intervals": ("Intervals in brackets: {means}.", "括号内区间：{means}。"),
    "brief.intervals.diff": ("Paired differences: {diffs}.", "配对差值：{diffs}。"),
    "brief.intervals.scales": (
        "Intervals of shares are built on the logit scale, those of hours and counts on the log "
        "scale, so that none leaves the range its metric can take.",
        "占比的区间在logit尺度上构建，工时和件数的区间在对数尺度上构建，因此不会超出指标可能的取值范围。"),
    "brief.intervals.range": (
        "With fewer than three replicates brackets give the lowest and highest replicate, "
        "not a 95% interval.",
        "重复少于三次时，括号内为各次重复的最低值和最高值，而非95%区间。"),
    "brief.folder": ("Results folder: {folder}.", "结果目录：{folder}。"),
    "brief.charts_note": ("Charts were drawn by commsim plot; their data are in the results "
                          "folder.", "图表由 commsim plot 绘制，数据见结果目录。"),
    "caption.hours": (
        "How staff time divides between administrative tasks pushed down by departments, "
        "services and self-governance, and which administrative areas take most of it.",
        "工作人员的时间如何在部门下派的行政事务、服务和自治之间分配，以及哪些行政领域占用最多。"),
    "caption.freed": (
        "Where the administrative hours a reform frees end up: in work for residents, in less "
        "overtime, or idle as slack; the diamond marks the freed hours, which the parts add up "
        "to.",
        "改革腾出的行政工时最终去向：用于居民工作、减少加班，或成为闲置工时；菱形标出腾出工时，"
        "各部分之和等于它。"),
    "caption.communities": (
        "Large communities carry more administrative work and overtime per staff member when "
        "staff numbers do not grow with size.",
        "人员配备不随规模增长时，大社区的行政负担和人均加班更重。"),
    "caption.weekly": (
        "Campaigns reach every community on the same day: the spikes in issued work are "
        "followed by rises in backlog, overtime and overdue items.",
        "突击任务同一天到达所有社区：下派任务的尖峰之后，积压、加班和逾期事项随之上升。"),
    "caption.burden": (
        "Administrative hours per community by channel (formal, informal) and the "
        "administrative task types that can reach a community formally, through the measured "
        "years, one line per scenario; dashed lines mark the day a reform comes into force.",
        "按渠道（正式、非正式）划分的每社区行政事务工时，以及可经正式渠道到达社区的行政事项数，"
        "展示测量期内逐年的变化，每个情景一条线；虚线标出改革生效的日期。"),
    "caption.differences": (
        "An interval that does not cross zero marks a change that holds across replicates.",
        "区间不跨越零线，说明该变化在各次重复中都成立。"),
    "caption.response": (
        "How each result changes as the varied setting changes.",
        "各项结果如何随所变动的参数变化。"),
    "caption.heatmap": (
        "Each cell is one combination of the two varied settings.",
        "每一格是两个变动参数的一种组合。"),
    "caption.frontier": (
        "Staff each community needs, by its size, for overdue work to stay under the "
        "threshold.", "不同规模社区为使逾期率不超过目标所需的工作人员。"),
    "sample.grid": ("a full grid", "全因子网格"),
    "sample.lhs": ("a Latin hypercube", "拉丁超立方"),
}


def check_lang(lang: str) -> str:
    """Refuse an unknown language here too, for callers that bypass the CLI's choice."""
    if lang not in LANGS:
        raise UserError(f"--lang {lang}: unknown language; use one of {', '.join(LANGS)}")
    return lang


def _pick(pair: tuple[str, str], lang: str) -> str:
    """Pairs are (English, Chinese)."""
    return pair[0] if lang == "en" else pair[1]


def text(key: str, lang: str, /, **values: Any) -> str:
    """A title, axis label, legend entry or sentence, with ``{placeholders}`` filled."""
    return _pick(_TEXT[key], lang).format(**values)


def metric_name(metric: str, lang: str) -> str:
    """The registered metric's label (sim.metrics); an unknown name stays as it is."""
    entry = METRICS.get(metric)
    return entry.label(lang).name if entry else metric


def metric_unit(metric: str, lang: str) -> str:
    entry = METRICS.get(metric)
    return entry.label(lang).unit if entry else ""


def is_share(metric: str) -> bool:
    """Shares are shown as percentages, and their differences in percentage points."""
    entry = METRICS.get(metric)
    return bool(entry and entry.bounds == Bounds.SHARE)


def method_label(method: str, lang: str) -> str:
    """What made an interval, e.g. '95% t-interval, logit scale'; unknown methods verbatim."""
    return _pick(_METHODS[method], lang) if method in _METHODS else method


def methods_label(methods: Iterable[str], lang: str) -> str:
    """The distinct methods of several intervals, in first-seen order; NaN (none) skipped."""
    distinct = dict.fromkeys(m for m in methods if isinstance(m, str))
    return text("sep", lang).join(method_label(m, lang) for m in distinct)


def with_unit(name: str, unit: str, lang: str) -> str:
    """'name (unit)' in the language's own brackets; just the name when there is no unit."""
    if not unit:
        return name
    return f"{name}（{unit}）" if lang == "zh" else f"{name} ({unit})"


def metric_label(metric: str, lang: str) -> str:
    return with_unit(metric_name(metric, lang), metric_unit(metric, lang), lang)


def difference_unit(metric: str, lang: str) -> str:
    return text("diff.points", lang) if is_share(metric) else metric_unit(metric, lang)


def kind_label(kind: str, lang: str) -> str:
    return _pick(_KINDS[kind], lang) if kind in _KINDS else kind


def freed_label(part: str, lang: str) -> str:
    """Freed hours or one of the parts they went to (analysis.freed)."""
    return _pick(_FREED_PARTS[part], lang) if part in _FREED_PARTS else part


def category_label(category: str, lang: str, short: bool = False) -> str:
    """The category's name; ``short`` drops the bracketed examples for legends."""
    if category in _KINDS:
        return kind_label(category, lang)
    name = _pick(_CATEGORIES[category], lang) if category in _CATEGORIES else category
    return name.split("（")[0] if short else name


def scenario_label(name: str, lang: str) -> str:
    """A shipped scenario's name; a repeated one keeps its '#2' suffix."""
    base, _, suffix = name.partition("#")
    label = _pick(_SCENARIOS[base], lang) if base in _SCENARIOS else base
    return f"{label} #{suffix}" if suffix else label


def key_name(key: str, lang: str) -> str:
    entry = _KEYS.get(key)
    return _pick(entry[:2], lang) if entry else key


def key_label(key: str, lang: str) -> str:
    entry = _KEYS.get(key)
    return with_unit(_pick(entry[:2], lang), _pick(entry[2:], lang), lang) if entry else key


def value_label(key: str, value: Any, lang: str) -> str:
    """A swept value as shown on an axis: named choices translated, numbers tidy."""
    if isinstance(value, bool) or str(value).lower() in ("true", "false"):
        return _pick(_VALUES[str(value).lower()], lang)
    if isinstance(value, int | float):
        return f"{value:,.4g}" if abs(value) < 10000 else f"{value:,.0f}"
    if key == "governance.model" or str(value) in _SCENARIOS:
        return scenario_label(str(value), lang)
    return _pick(_VALUES[str(value)], lang) if str(value) in _VALUES else str(value)


def inline(name: str, lang: str) -> str:
    """A label as it reads inside an English sentence: 'Staff per community' -> 'staff per ...'.

    Acronyms (a second capital letter) are left alone; Chinese has no case.
    """
    if lang == "en" and name[:1].isupper() and not name[1:2].isupper():
        return name[0].lower() + name[1:]
    return name


def join(items: list[str], lang: str, most: int = 4) -> str:
    """A list for a sentence, cut after ``most`` items with 'and N more'."""
    joined = text("list.sep", lang).join(items[:most])
    if len(items) > most:
        joined += text("source.more", lang, n=len(items) - most)
    return joined


def scale(metric: str) -> float:
    """Factor from stored value to shown value: shares are shown in percent."""
    return 100.0 if is_share(metric) else 1.0


def digits_for(value: float, share: bool = False) -> int:
    """Decimals worth showing: none for large numbers, more for small ones."""
    size = abs(value)
    return 0 if size >= 100 or (share and size >= 10) else 1 if size >= 10 or share else 2


def number(value: float | None, share: bool = False, sign: bool = False,
           digits: int | None = None) -> str:
    """A value as a chart or table shows it: few digits, '%' for shares (already scaled)."""
    if value is None or value != value:            # None or NaN
        return "—"
    digits = digits_for(value, share) if digits is None else digits
    shown = f"{value:+,.{digits}f}" if sign else f"{value:,.{digits}f}"
    return shown.replace("-", "−") + ("%" if share and not sign else "")
