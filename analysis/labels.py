"""Every word a chart or brief shows, in English and Chinese.

Charts and briefs never spell a label themselves: they ask here, so that
``--lang`` switches every title, axis, legend and table heading at once. Each
label is a ``Bilingual`` (sim.languages) with a field per language; asking for
a language commsim does not speak is an error, never a quiet fallback to
another language. Some labels live elsewhere, with what they name: metric
names and units in the metric registry (sim.metrics), reform names and the
labels of the keys a reform declares on the reform's class (sim.reforms; those
of enforcement's keys in sim.enforcement), scenario display names in the
scenario files (``label_en``, ``label_zh``, read back from the results'
manifest), and each chart's title, subtitle and caption with the chart
(analysis.charts); the words inside charts' panels are here.
Names nobody labelled (a user's own scenario, category or swept key) are shown
as they are, in every language, because a chart with one raw name is better
than no chart.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

from analysis.numbers import digits_for, exact_digits, number
from sim.languages import Bilingual, Label, check_lang, label_key
from sim.metrics import METRICS, Bounds

FORMATS = ("png", "svg", "pdf")  # chart file formats the user can ask for
# The size band of every size: sim.groups.ALL_SIZES, spelt again because sim.groups loads
# NumPy and this module is read on every start (tests/test_startup.py).
ALL_SIZES = "all"

# How each interval was made (analysis.summary's methods), as tables and sentences name it.
_METHODS = {
    "t (logit scale)": Bilingual(
        en="95% t-interval on the logit scale", zh="logit尺度上的95% t区间"
    ),
    "t (log scale)": Bilingual(en="95% t-interval on the log scale", zh="对数尺度上的95% t区间"),
    "t": Bilingual(en="95% t-interval", zh="95% t区间"),
    "replicate range": Bilingual(
        en="replicate range (lowest to highest)", zh="重复间范围（最低至最高）"
    ),
    "none": Bilingual(en="no interval (1 replicate)", zh="无区间（仅1次重复）"),
}

_KINDS = {
    "administrative": Bilingual(en="Administrative", zh="行政事务"),
    "service": Bilingual(en="Services", zh="服务"),
    "self_governance": Bilingual(en="Self-governance", zh="自治"),
    "delegated": Bilingual(
        en="Worked by grid, zone or purchased help", zh="网格员、片区中心和购买服务承担"
    ),
    "other_administrative": Bilingual(en="Other administrative", zh="其他行政事务"),
}

# Where freed administrative hours went (analysis.freed's parts).
_FREED_PARTS = {
    "freed": Bilingual(en="Freed administrative hours", zh="腾出的行政工时"),
    "service": Bilingual(en="Resident work: services", zh="居民工作：服务"),
    "self_governance": Bilingual(en="Resident work: self-governance", zh="居民工作：自治"),
    "discretionary": Bilingual(
        en="Resident work: discretionary (visits, activities)",
        zh="居民工作：主动开展（走访、活动）",
    ),
    "less_overtime": Bilingual(en="Less overtime", zh="减少加班"),
    "slack": Bilingual(en="Slack (idle hours)", zh="闲置工时"),
    "other": Bilingual(
        en="Other: task switching, new hires' learning", zh="其他：任务切换、新人学习"
    ),
    "staffing": Bilingual(
        en="Staff present: −Δ regular hours (added staff < 0)",
        zh="在岗人员：−Δ正常工时（增员为负）",
    ),
}

# Category names: Chinese as in docs/catalog.md; the text in brackets is dropped on charts.
_CATEGORIES = {
    "public_security": Bilingual(en="Public order and security", zh="社会治安"),
    "community_corrections": Bilingual(en="Community corrections", zh="社区矫正"),
    "public_health": Bilingual(en="Public health", zh="公共卫生"),
    "family_planning": Bilingual(en="Family planning", zh="计划生育"),
    "veterans_relief": Bilingual(en="Veterans' care and relief", zh="优抚救济"),
    "community_education": Bilingual(en="Community education", zh="社区教育"),
    "employment": Bilingual(en="Labour and employment", zh="劳动就业"),
    "social_insurance": Bilingual(en="Social insurance", zh="社会保障"),
    "social_assistance": Bilingual(en="Social assistance", zh="社会救助"),
    "housing_support": Bilingual(en="Housing support", zh="住房保障"),
    "consumer_rights": Bilingual(en="Consumer rights", zh="消费维权"),
    "rights_protection": Bilingual(
        en="Rights of the elderly, disabled, minors and migrants",
        zh="老年人、残疾人、未成年人、流动人口权益保障",
    ),
    "statistics_census": Bilingual(en="Statistics and censuses", zh="统计和普查"),
    "civil_affairs": Bilingual(en="Civil affairs", zh="民政事务"),
    "urban_management": Bilingual(en="Urban management", zh="城市管理"),
    "ecology_environment": Bilingual(en="Ecology and environment", zh="生态环境"),
    "safety_emergency": Bilingual(en="Safety, fire and emergencies", zh="安全生产、消防和应急"),
    "petitions_stability": Bilingual(
        en="Petitions and dispute screening", zh="信访维稳、矛盾纠纷排查"
    ),
    "civilisation_campaigns": Bilingual(en="Civilisation campaigns", zh="精神文明创建"),
    "party_building": Bilingual(en="Party building", zh="党建"),
    "certificates": Bilingual(en="Certificates and stamps", zh="证明盖章"),
    "plaques_assessments": Bilingual(
        en="Plaques, assessments and ledgers", zh="挂牌、创建、考核、台账"
    ),
    "culture_sports": Bilingual(en="Culture and sports", zh="文化体育"),
    "military_service": Bilingual(en="Military service and militia", zh="兵役征兵、民兵"),
    "legal_services": Bilingual(
        en="Court help, mediation records, legal education", zh="法院协助、人民调解台账、普法"
    ),
    "general_administration": Bilingual(
        en="Street meetings, ad-hoc tasks, funds, reports", zh="街道例会、临时交办、经费、计划总结"
    ),
    "services_elderly": Bilingual(en="Elderly services", zh="为老服务（寿星卡、托老）"),
    "services_women": Bilingual(en="Women's services", zh="妇女服务（巾帼卡）"),
    "services_children": Bilingual(
        en="Youth and children's services", zh="青少年儿童服务（灵童卡）"
    ),
    "services_special_groups": Bilingual(
        en="Special groups' services", zh="特殊群体服务（特群卡、低保、大病救助、慈善超市）"
    ),
    "services_outreach": Bilingual(en="Outreach and requests", zh="连心服务（连心卡、诉求接待）"),
    "services_civil_affairs": Bilingual(en="Civil affairs advice", zh="民政计生咨询"),
    "services_jobs": Bilingual(en="Job services", zh="就业服务"),
    "services_health": Bilingual(en="Health care", zh="医疗保健"),
    "services_disabled": Bilingual(en="Services for the disabled", zh="助残服务"),
    "services_convenience": Bilingual(
        en="Convenience and one-stop errands", zh="便民利民、一站式代办、文体康乐"
    ),
    "self_governance": Bilingual(en="Self-governance", zh="自治"),
}

# Swept and screened keys of the model's core (sim.parameters): name and unit in each language.
# Keys a reform or the enforcement declares carry their label on their ``Param`` (key_labels).
KEY_LABELS: dict[str, Bilingual[Label]] = {
    "staffing.staff_per_community": Bilingual(
        en=Label("Staff per community", "staff"), zh=Label("每社区工作人员", "人")
    ),
    "staffing.staff_per_1000_households": Bilingual(
        en=Label("Staff per 1,000 households", "staff"), zh=Label("每千户工作人员", "人")
    ),
    "staffing.hours_per_day": Bilingual(
        en=Label("Regular hours per day", "hours"), zh=Label("每日正常工时", "小时")
    ),
    "staffing.overtime_cap_hours": Bilingual(
        en=Label("Overtime cap per day", "hours"), zh=Label("每日加班上限", "小时")
    ),
    "staffing.switch_cost_hours": Bilingual(
        en=Label("Task-switching cost", "hours/type/day"), zh=Label("任务切换损耗", "小时/类/日")
    ),
    "staffing.basis": Bilingual(en=Label("Staffing basis", ""), zh=Label("人员配备方式", "")),
    "city.households_median": Bilingual(
        en=Label("Median households per community", "households"), zh=Label("社区户数中位数", "户")
    ),
    "city.households_max": Bilingual(
        en=Label("Largest community", "households"), zh=Label("最大社区户数", "户")
    ),
    "city.communities": Bilingual(en=Label("Communities", ""), zh=Label("社区数", "个")),
    "city.grid_personnel_per_1000_households": Bilingual(
        en=Label("Grid personnel per 1,000 households", "persons"), zh=Label("每千户网格人员", "人")
    ),
    "city.grid_dedicated_share": Bilingual(
        en=Label("Dedicated share of grid personnel", "%"), zh=Label("专职网格员占比", "%")
    ),
    "governance.model": Bilingual(en=Label("Governance model", ""), zh=Label("治理模式", "")),
    "governance.committee_share": Bilingual(
        en=Label("Committee share of staff", "%"), zh=Label("居委会人员占比", "%")
    ),
    "governance.lending_share": Bilingual(
        en=Label("Hours lent between pools", "%"), zh=Label("互借工时比例", "%")
    ),
    "tasks.effort_scale": Bilingual(
        en=Label("Effort multiplier", "×"), zh=Label("任务工时倍数", "倍")
    ),
    "tasks.demand_scale": Bilingual(en=Label("Demand multiplier", "×"), zh=Label("需求倍数", "倍")),
    "tasks.campaign_scale": Bilingual(
        en=Label("Campaign multiplier", "×"), zh=Label("突击任务倍数", "倍")
    ),
    "tasks.new_per_year": Bilingual(
        en=Label("New task types per year", "types"), zh=Label("每年新增事项类型", "项")
    ),
    "policy.priority": Bilingual(en=Label("Priority rule", ""), zh=Label("办理顺序", "")),
    "departments.substitution.elasticity": Bilingual(
        en=Label("Refused work pushed down informally", "%"),
        zh=Label("被拒事项转非正式渠道比例", "%"),
    ),
    "departments.regrowth.relabel_per_year": Bilingual(
        en=Label("Relabelling rate of struck items", "per year"),
        zh=Label("被清理事项换马甲速率", "/年"),
    ),
    "relays.deadline_cut": Bilingual(
        en=Label("Deadline cut by street offices", "%"), zh=Label("街道压缩时限比例", "%")
    ),
    "assessment.pressure_threshold": Bilingual(
        en=Label("Assessment pass mark", ""), zh=Label("考核达标线", "")
    ),
    "assessment.enabled": Bilingual(
        en=Label("Street-office assessment", ""), zh=Label("街道考核", "")
    ),
    "assessment.period_days": Bilingual(
        en=Label("Days between assessments", "days"), zh=Label("考核间隔", "天")
    ),
    "residents.participation.enabled": Bilingual(
        en=Label("Residents respond", ""), zh=Label("居民参与响应", "")
    ),
    "residents.participation.baseline": Bilingual(
        en=Label("Participation at the start", "%"), zh=Label("初始参与率", "%")
    ),
    "residents.participation.volunteer_share": Bilingual(
        en=Label("Volunteer hours on resident work", "%"), zh=Label("志愿工时用于居民事务比例", "%")
    ),
    "residents.participation.volunteer_hours_per_household": Bilingual(
        en=Label("Volunteer hours per participating household", "hours/year"),
        zh=Label("每参与户志愿工时", "小时/年"),
    ),
}

# Named values of swept keys: governance models, priority rules, staffing bases, switches.
VALUE_LABELS = {
    "two_committees": Bilingual(en="Two committees", zh="两委模式"),
    "workstation": Bilingual(en="Workstation", zh="工作站模式"),
    "zone_committee": Bilingual(en="Zone committee", zh="社区管委会模式"),
    "assessment_weighted": Bilingual(en="Assessed first", zh="考核优先"),
    "earliest_deadline": Bilingual(en="Earliest deadline", zh="截止期优先"),
    "fifo": Bilingual(en="First come, first served", zh="先到先办"),
    "per_community": Bilingual(en="Per community", zh="按社区"),
    "per_households": Bilingual(en="Per 1,000 households", zh="按户数"),
    "true": Bilingual(en="yes", zh="是"),
    "false": Bilingual(en="no", zh="否"),
}

# Titles, axes, legends, table headings and sentences.
_TEXT = {
    # where the hours go
    "hours.by_kind": Bilingual(en="All hours worked, by kind of work", zh="全部工时：按工作性质"),
    "hours.by_category": Bilingual(
        en="Administrative hours, by category", zh="行政事务工时：按类别"
    ),
    "hours.axis": Bilingual(en="hours per community per year", zh="小时/社区/年"),
    # where the freed hours went
    "freed.axis": Bilingual(en="hours per community per year", zh="小时/社区/年"),
    # cost-effectiveness
    "cost.x": Bilingual(en="extra cost, yuan per community per year",
                        zh="新增成本（元/社区/年）"),
    "cost.y": Bilingual(en="resident-facing hours gained per community per year",
                        zh="面向居民工时增加（小时/社区/年）"),
    "cost.price": Bilingual(en="{price} yuan/h", zh="{price}元/小时"),
    "cost.no_gain": Bilingual(en="no gain", zh="无增加"),
    "cost.no_extra_cost": Bilingual(en="no extra cost", zh="无新增成本"),
    # across communities
    "communities.only": Bilingual(en=" (baseline only)", zh="（仅基准情景）"),
    "communities.x": Bilingual(en="households (log scale)", zh="户数（对数刻度）"),
    # the explore page (analysis/explore)
    "explore.title": Bilingual(en="commsim explorer: where committees' hours go",
                               zh="commsim 探索：社区工作时间都去哪了"),
    "explore.full_city": Bilingual(en="Full city (otherwise 40 synthetic communities)",
                                   zh="完整城市（否则为40个合成社区）"),
    "explore.years": Bilingual(en="Years simulated", zh="模拟年数"),
    "explore.start_day": Bilingual(en="Reforms start on working day", zh="改革起始工作日"),
    "explore.seed": Bilingual(en="Seed", zh="随机种子"),
    "explore.compare": Bilingual(en="Compare with the baseline (every reform off)",
                                 zh="与基准对比（关闭全部改革）"),
    "explore.play": Bilingual(en="Play", zh="播放"),
    "explore.pause": Bilingual(en="Pause", zh="暂停"),
    "explore.step": Bilingual(en="Step a week", zh="前进一周"),
    "explore.to_end": Bilingual(en="Run to the end", zh="运行到结束"),
    "explore.reset": Bilingual(en="Reset", zh="重置"),
    "explore.day": Bilingual(en="Working day {day} of {days}", zh="第{day}个工作日（共{days}个）"),
    "explore.warmup": Bilingual(en="warm-up: not measured yet", zh="预热期：尚未计入指标"),
    "explore.out_of_range": Bilingual(
        en="{key}: {value} is outside what the model accepts, {low} to {high}",
        zh="{key}：{value} 超出模型可接受的范围（{low}至{high}）"),
    "explore.group.staffing": Bilingual(en="Staffing", zh="人员配备"),
    "explore.group.governance": Bilingual(en="Governance", zh="治理模式"),
    "explore.group.reforms": Bilingual(en="Reforms", zh="改革措施"),
    "explore.group.assessment": Bilingual(en="Assessment", zh="考核"),
    "explore.group.participation": Bilingual(en="Participation", zh="居民参与"),
    "explore.group.run": Bilingual(en="Run", zh="运行"),
    "explore.findings": Bilingual(en="Findings so far (measured days)",
                                  zh="目前结果（计入指标的工作日）"),
    "explore.hours": Bilingual(en="Hours per community per week, by kind of work",
                               zh="每社区每周工时：按工作性质"),
    "explore.pressure": Bilingual(en="Backlog, overtime and overdue items per week",
                                  zh="每周积压、加班与逾期事项"),
    "explore.backlog": Bilingual(en="Backlog (hours per community)", zh="积压（小时/社区）"),
    "explore.overtime": Bilingual(en="Overtime (hours per staff member)", zh="加班（小时/人）"),
    "explore.overdue": Bilingual(en="Overdue open items per community", zh="每社区逾期未办事项"),
    "explore.residents": Bilingual(en="Participation and volunteer hours per week",
                                   zh="每周居民参与与志愿工时"),
    "explore.participation": Bilingual(en="Participation (% of households)",
                                       zh="参与率（占户数%）"),
    "explore.discretionary": Bilingual(en="Discretionary resident work", zh="主动服务居民"),
    "explore.grid": Bilingual(en="Communities (click one)", zh="社区（点击查看）"),
    "explore.colour.admin_share": Bilingual(en="Colour: administrative share",
                                            zh="颜色：行政事务占比"),
    "explore.colour.backlog_hours": Bilingual(en="Colour: backlog hours", zh="颜色：积压工时"),
    "explore.community": Bilingual(en="Community {name}", zh="社区 {name}"),
    "explore.difference": Bilingual(en="Paired difference from the baseline, same seed",
                                    zh="与基准的配对差异（相同随机种子）"),
    "explore.this_run": Bilingual(en="These settings", zh="当前设置"),
    "explore.baseline": Bilingual(en="Baseline", zh="基准"),
    "explore.minus": Bilingual(en="Difference", zh="差异"),
    "explore.save": Bilingual(en="Write scenario file", zh="写出情景文件"),
    "explore.save_path": Bilingual(en="Scenario file to write", zh="情景文件路径"),
    "explore.saved": Bilingual(en="Written to {path}; run it with: {command}",
                               zh="已写入 {path}；运行：{command}"),
    "explore.language": Bilingual(en="中文", zh="English"),
    # a community agent's state (sim.communities.COMMUNITY_STATE; metrics keep their own names)
    "explore.state.community_id": Bilingual(en="Id", zh="编号"),
    "explore.state.name": Bilingual(en="Name", zh="名称"),
    "explore.state.district": Bilingual(en="District", zh="区"),
    "explore.state.governance": Bilingual(en="Governance model", zh="治理模式"),
    "explore.state.households": Bilingual(en="Households", zh="户数"),
    "explore.state.staff": Bilingual(en="Staff at work", zh="在岗工作人员"),
    "explore.state.open_items": Bilingual(en="Open items", zh="未办结事项"),
    "explore.state.overdue_items": Bilingual(en="Open items past their deadline",
                                             zh="已逾期未办结事项"),
    "explore.state.backlog_hours": Bilingual(en="Backlog now (hours)", zh="当前积压（小时）"),
    "explore.state.pressed": Bilingual(en="Pressed by its street office",
                                       zh="考核不达标（被督办）"),
    # through the year
    "weekly.only": Bilingual(en=" (baseline only)", zh="（仅基准情景）"),
    "weekly.x": Bilingual(en="working week", zh="工作周"),
    "weekly.warmup": Bilingual(en="warm-up weeks (not measured)", zh="预热期（不计入指标）"),
    "weekly.issued": Bilingual(en="Task instances reaching communities", zh="到达社区的任务件数"),
    "weekly.issued.unit": Bilingual(en="per community per week", zh="件/社区/周"),
    "weekly.backlog": Bilingual(en="Backlog", zh="积压工作"),
    "weekly.backlog.unit": Bilingual(en="hours per community", zh="小时/社区"),
    "weekly.overtime": Bilingual(en="Overtime", zh="加班"),
    "weekly.overtime.unit": Bilingual(en="hours per staff member per week", zh="小时/人/周"),
    "weekly.overdue": Bilingual(en="Overdue open items", zh="逾期未办结事项"),
    "weekly.overdue.unit": Bilingual(en="items per community", zh="件/社区"),
    # burden over time
    "burden.hours": Bilingual(
        en="Administrative hours: formal and informal channels",
        zh="行政事务工时：正式渠道与非正式渠道",
    ),
    "burden.x": Bilingual(
        en="years since measuring began (after the warm-up)", zh="测量期开始后的年数（预热期之后）"
    ),
    "burden.reform": Bilingual(en="reform comes into force", zh="改革生效"),
    # breakdowns by governance model and district
    "breakdown.x": Bilingual(en="community size (households)", zh="社区规模（户）"),
    "breakdown.all": Bilingual(en="All sizes", zh="全部规模"),
    "breakdown.no_district": Bilingual(en="(no district)", zh="（未标明城区）"),
    "level.governance": Bilingual(en="Governance model", zh="治理模式"),
    "level.district": Bilingual(en="District", zh="城区"),
    # scenario comparison
    "diff.points": Bilingual(en="percentage points", zh="百分点"),
    "diff.pp": Bilingual(en=" pp", zh="个百分点"),
    # sweeps
    "response.marginal": Bilingual(
        en="; averaged over the other varied keys", zh="；已对其他变动参数取平均"
    ),
    "frontier.meets": Bilingual(en="tested level meets the threshold", zh="测试点达标"),
    "frontier.misses": Bilingual(en="tested level misses it", zh="测试点未达标"),
    "frontier.line": Bilingual(en="staff needed", zh="所需人员"),
    "frontier.above": Bilingual(en="more than the highest tested level", zh="超出最高测试水平"),
    "frontier.reference": Bilingual(
        en="5 staff per 1,000 households (national target)", zh="每千户5名工作人员（全国目标）"
    ),
    # source line
    "source": Bilingual(
        en="Source: commsim {version} (git {git})", zh="来源：commsim {version}（git {git}）"
    ),
    "source.run": Bilingual(
        en="scenario {scenario}; {reps} replicates, seed {seed}",
        zh="情景：{scenario}；{reps}次重复，随机种子{seed}",
    ),
    "source.compare": Bilingual(
        en="scenarios {scenarios}; {reps} paired replicates each, seed {seed}",
        zh="情景：{scenarios}；每个情景{reps}次配对重复，随机种子{seed}",
    ),
    "source.sweep": Bilingual(
        en="sweep of {scenario} over {keys}: {points} points × {reps} replicates, seed {seed}",
        zh="{scenario}的参数扫描（{keys}）：{points}个设计点 × {reps}次重复，随机种子{seed}",
    ),
    "source.more": Bilingual(en=", and {n} more", zh="等另外{n}项"),
    "list.sep": Bilingual(en=", ", zh="、"),
    "sep": Bilingual(en="; ", zh="；"),
    "sentence.sep": Bilingual(en=" ", zh=""),
    "with_unit": Bilingual(en="{name} ({unit})", zh="{name}（{unit}）"),
    # brief
    "brief.title": Bilingual(en="Community workload: policy brief", zh="社区工作负担：政策简报"),
    "brief.findings": Bilingual(en="Key findings", zh="主要结果"),
    "brief.continued": Bilingual(en="Key findings (continued)", zh="主要结果（续）"),
    "brief.methods": Bilingual(en="Methods", zh="方法"),
    "brief.charts": Bilingual(en="Charts", zh="图表"),
    "brief.metric": Bilingual(en="Metric", zh="指标"),
    "brief.scenario": Bilingual(en="Scenario", zh="情景"),
    "brief.mean": Bilingual(en="Mean [interval]", zh="均值 [区间]"),
    "brief.interval": Bilingual(en="Interval", zh="区间"),
    "brief.diff": Bilingual(en="Difference from baseline [interval]", zh="与基准情景之差 [区间]"),
    "brief.heading": Bilingual(
        en="{metric}. Intervals: {means}; differences: {diffs}",
        zh="{metric}。区间：{means}；差值：{diffs}",
    ),
    "brief.column": Bilingual(en="{metric} [{means}]", zh="{metric} [{means}]"),
    "brief.page": Bilingual(en="page {n} of {total}", zh="第 {n} 页，共 {total} 页"),
    "brief.footer": Bilingual(en="commsim {version} (git {git}), seed {seed}",
                              zh="commsim {version}（git {git}），随机种子{seed}"),
    "brief.results": Bilingual(en="Key results", zh="主要结果"),
    "brief.summary": Bilingual(en="Summary", zh="汇总"),
    "brief.summary.caption": Bilingual(
        en="Each scenario against {baseline}, per community-year: hours and cost are paired "
        "differences (mean [95% interval over replicates]); shares are the scenario's own "
        "levels; the last column is the share of plausible worlds in which the scenario "
        "gains resident-facing time.",
        zh="各情景与{baseline}相比，按每社区每年计：工时和费用为配对差值（均值 [重复间95%区间]）；"
        "占比为该情景自身水平；最后一列为该情景增加面向居民工时的可信世界占比。"),
    "brief.covers.noise": Bilingual(
        en="Intervals cover the noise of {reps} paired replicates in the calibrated city: "
        "how much an effect would move with other random draws of the same city.",
        zh="区间反映校准城市中{reps}次配对重复的随机波动，即同一城市在其他随机抽样下效应的变动幅度。"),
    "brief.covers.worlds": Bilingual(
        en="Robustness is the share of {worlds} plausible worlds in which the effect goes the "
        "way stated: parameter sets of {keys} uncertain assumptions that keep all {targets} "
        "calibration patterns ({worlds} kept of {drawn} drawn, {acceptance}).",
        zh="稳健性为{worlds}个可信世界中效应方向与所述一致的比例：可信世界是{keys}个不确定假设的"
        "参数组合，且全部{targets}项校准模式均成立（共抽取{drawn}个，保留{worlds}个，"
        "接受率{acceptance}）。"),
    "brief.covers.narrowed": Bilingual(
        en="The ensemble ran {rounds} rounds: the first kept {first} of {drawn} worlds drawn "
        "over the whole plausible ranges, and later rounds drew near the worlds kept before, "
        "so the set maps the neighbourhood of a few worlds rather than every world the "
        "patterns allow.",
        zh="该集合共运行{rounds}轮：第一轮在完整合理范围内抽取{drawn}个世界，保留{first}个；"
        "之后各轮在已保留世界附近抽取，因此这组世界反映的是少数世界的邻域，而非校准模式所允许的全部世界。"),
    "brief.covers.reforms": Bilingual(
        en="Each world also draws the {keys} uncertain assumptions only the reforms read "
        "(such as how strictly a reform is enforced and how fast that decays), over their "
        "plausible ranges.",
        zh="每个世界还在合理范围内抽取仅改革情景使用的{keys}个不确定假设（如改革执行的严格程度及其衰减速度）。"),
    "brief.covers.no_reforms": Bilingual(
        en="The reforms' own assumptions were kept at the scenarios' values in every world.",
        zh="各世界中改革自身的假设均保持情景设定值。"),
    "brief.covers.unrecorded": Bilingual(
        en="Robustness is the share of the {worlds} worlds of {folder} in which the effect goes "
        "the way stated; they differ in {keys} assumption(s), and the folder does not record "
        "how they were drawn or which calibration patterns they keep.",
        zh="稳健性为{folder}中{worlds}个世界里效应方向与所述一致的比例；这些世界在{keys}个假设上"
        "不同，该目录未记录其抽取方式及所满足的校准模式。"),
    "brief.covers.untested": Bilingual(
        en="The findings were not tested across plausible worlds: they hold for the calibrated "
        "parameter set only (run compare --ensemble and pass its folder to brief --robust).",
        zh="这些结果尚未在可信世界中检验，仅适用于校准后的参数组合"
        "（可运行 compare --ensemble，并将其目录传给 brief --robust）。"),
    "brief.covers.not": Bilingual(
        en="Neither covers the model's structure (how departments, offices and staff are "
        "assumed to behave), errors in the field data, or reforms implemented otherwise than "
        "the scenarios assume.",
        zh="二者均不涵盖模型结构（对部门、街道和工作人员行为方式的假设）、田野数据的误差，"
        "以及与情景假设不同的改革执行方式。"),
    "brief.hinges.heading": Bilingual(en="Assumptions the conclusions hinge on",
                                      zh="结论所依赖的假设"),
    "brief.hinges": Bilingual(
        en="{scenario} improves {metric} in {share} of plausible worlds; whether it does "
        "hinges most on {key} ({raw}): it improves it in {below} of worlds where that is at "
        "or below {threshold}, in {above} where it is above.",
        zh="{scenario}在{share}的可信世界中改善{metric}；是否改善主要取决于{key}"
        "（{raw}）：该值不超过{threshold}时，{below}的世界有所改善；超过时为{above}。"),
    "brief.hinges.all": Bilingual(
        en="{scenarios} improve {metric} in all {worlds} plausible worlds: no assumption the "
        "worlds vary decides it.",
        zh="{scenarios}在全部{worlds}个可信世界中均改善{metric}：可信世界所变动的假设均不改变这一结论。"),
    "brief.hinges.never": Bilingual(
        en="{scenarios} improve {metric} in none of the {worlds} plausible worlds.",
        zh="{scenarios}在{worlds}个可信世界中均未改善{metric}。"),
    "brief.hinges.none": Bilingual(
        en="No reform's effect hinges on one assumption: for each, the "
        "{worlds} plausible worlds agree, or no single assumption separates those that "
        "disagree.",
        zh="没有一项改革的效果取决于单一假设：各项改革在{worlds}个可信世界中"
        "结论一致，或没有单一假设能区分结论不同的世界。"),
    "brief.hinges.untested": Bilingual(
        en="Not examined: scenario discovery needs the plausible worlds of a robust "
        "comparison.",
        zh="未分析：情景发现需要稳健比较中的可信世界。"),
    "brief.appendix": Bilingual(en="Appendix: key metrics by scenario",
                                zh="附录：各情景的主要指标"),
    "brief.model": Bilingual(
        en="Model: commsim {version} (git {git}), an agent-based simulation (Mesa 3) of a Chinese "
        "city's residents' committees: government departments push administrative tasks down "
        "through street offices, and each community's staff divide their working hours "
        "between those tasks, services for residents and self-governance, under deadlines, "
        "overtime, backlog and staff turnover.",
        zh="模型：commsim {version}（git {git}），"
        "一个关于中国城市社区居民委员会的主体模型（Mesa 3）："
        "政府部门经街道向社区下派行政事务，各社区工作人员在截止期限、加班、积压和人员流动的约束下，"
        "把工作时间分配给行政事务、居民服务和居民自治。",
    ),
    "brief.design.run": Bilingual(
        en="Scenario: {scenario}, {communities} communities over {days} working days. "
        "Replicates: {reps} (seed {seed}).",
        zh="情景：{scenario}，{communities}个社区，模拟{days}个工作日。重复：{reps}次（随机种子{seed}）。",
    ),
    "brief.design.compare": Bilingual(
        en="Scenarios: {scenarios}; the first is the baseline. Each ran {reps} replicates of "
        "{days} working days in a city of {communities} communities, with common random "
        "numbers (seed {seed}), so differences are paired replicate by replicate.",
        zh="情景：{scenarios}；第一个为基准情景。每个情景在{communities}个社区的城市中"
        "模拟{days}个工作日，重复{reps}次，使用共同随机数（随机种子{seed}），"
        "差值按重复逐一配对计算。",
    ),
    "brief.design.sweep": Bilingual(
        en="Design: {sample} over {keys}, {points} points × {reps} replicates of {scenario} "
        "({days} working days, {communities} communities, seed {seed}); each row gives the "
        "mean over replicates and its interval.",
        zh="设计：对{keys}进行{sample}抽样，共{points}个设计点 × {reps}次重复，{scenario}"
        "（{communities}个社区，{days}个工作日，随机种子{seed}）；"
        "每行为各次重复的均值及其区间。",
    ),
    "brief.intervals": Bilingual(en="Intervals in brackets: {means}.", zh="括号内区间：{means}。"),
    "brief.intervals.diff": Bilingual(en="Paired differences: {diffs}.", zh="配对差值：{diffs}。"),
    "brief.intervals.scales": Bilingual(
        en="Intervals of shares are built on the logit scale, those of hours and counts on the log "
        "scale, so that none leaves the range its metric can take.",
        zh="占比的区间在logit尺度上构建，工时和件数的区间在对数尺度上构建，因此不会超出指标可能的取值范围。",
    ),
    "brief.intervals.range": Bilingual(
        en="With fewer than three replicates brackets give the lowest and highest replicate, "
        "not a 95% interval.",
        zh="重复少于三次时，括号内为各次重复的最低值和最高值，而非95%区间。",
    ),
    "brief.no_breakdown": Bilingual(
        en="All communities share one governance model and one district, so the results are "
        "not broken down by them.",
        zh="所有社区同属一种治理模式和一个城区，因此结果未按二者分组。",
    ),
    "brief.folder": Bilingual(en="Results folder: {folder}.", zh="结果目录：{folder}。"),
    "brief.charts_note": Bilingual(
        en="Charts were drawn by commsim plot; their data are in the results folder.",
        zh="图表由 commsim plot 绘制，数据见结果目录。",
    ),
    # key findings (analysis.findings): one sentence per effect, worded by its interval
    "finding.raises": Bilingual(
        en="{scenario} raises {measure} by {amount} {unit}{interval}{price}; {robust}.",
        zh="{scenario}使{measure}增加{amount}{unit}{interval}{price}；{robust}。"),
    "finding.cuts": Bilingual(
        en="{scenario} cuts {measure} by {amount} {unit}{interval}{price}; {robust}.",
        zh="{scenario}使{measure}减少{amount}{unit}{interval}{price}；{robust}。"),
    "finding.raises.tentative": Bilingual(
        en="{scenario} appears to raise {measure} by {amount} {unit}{interval}{price}; {robust}.",
        zh="{scenario}似乎使{measure}增加{amount}{unit}{interval}{price}；{robust}。"),
    "finding.cuts.tentative": Bilingual(
        en="{scenario} appears to cut {measure} by {amount} {unit}{interval}{price}; {robust}.",
        zh="{scenario}似乎使{measure}减少{amount}{unit}{interval}{price}；{robust}。"),
    "finding.unclear": Bilingual(
        en="{scenario} makes no clear difference to {measure}{interval}; {robust}.",
        zh="{scenario}对{measure}没有明显影响{interval}；{robust}。"),
    "finding.measure.resident_hours": Bilingual(
        en="resident-facing working time", zh="每个社区每年面向居民的工作时间"),
    "finding.measure.admin_share": Bilingual(
        en="the administrative share of working time", zh="行政事务占工作时间的比例"),
    "finding.measure.overdue_rate": Bilingual(
        en="the share of administrative items finished late", zh="行政事务的逾期比例"),
    "finding.unit.hours": Bilingual(en="hours per community-year", zh="小时"),
    "finding.unit.points": Bilingual(en="percentage points", zh="个百分点"),
    "finding.paren": Bilingual(en=" ({text})", zh="（{text}）"),
    "finding.amount": Bilingual(en="{amount} {unit}", zh="{amount}{unit}"),
    "finding.ci": Bilingual(en="95% interval {low} to {high}", zh="95%区间{low}至{high}"),
    "finding.range": Bilingual(en="replicate range {low} to {high}",
                               zh="重复间范围{low}至{high}"),
    "finding.no_interval": Bilingual(en="one replicate, no interval", zh="仅1次重复，无区间"),
    "finding.price": Bilingual(en=", at {price} yuan per hour gained",
                               zh="，每增加1小时花费{price}元"),
    "finding.free": Bilingual(en=", at no extra cost", zh="，无需额外费用"),
    "finding.worlds": Bilingual(en="it does so in {share} of {worlds} plausible worlds",
                                zh="在{worlds}个可信世界中的{share}里成立"),
    "finding.worlds.unclear": Bilingual(
        en="it improves it in {share} of {worlds} plausible worlds",
        zh="在{worlds}个可信世界中，{share}有所改善"),
    "finding.untested": Bilingual(en="not tested across plausible worlds",
                                  zh="尚未在可信世界中检验"),
    "finding.cost": Bilingual(
        en="Per hour of resident-facing time gained, {cheap} costs least, {cheap_price} yuan"
        "{interval}, and {dear} most, {dear_price} yuan.",
        zh="每增加1小时面向居民的工作时间，{cheap}花费最少，为{cheap_price}元{interval}；"
        "{dear}花费最多，为{dear_price}元。"),
    # the brief's summary table (analysis.findings.summary_table)
    "summary.hours": Bilingual(en="Resident-facing hours gained per community-year [interval]",
                               zh="每社区每年增加的面向居民工时 [区间]"),
    "summary.admin": Bilingual(en="Admin share", zh="行政事务占比"),
    "summary.cost": Bilingual(en="Extra cost, yuan per community-year",
                              zh="额外费用（元/社区·年）"),
    "summary.price": Bilingual(en="Yuan per hour gained", zh="每增加1小时的费用（元）"),
    "summary.robust": Bilingual(en="Worlds where it gains",
                                zh="增加居民工时的可信世界占比"),
    "summary.worlds": Bilingual(en="{share} of {worlds}", zh="{worlds}个中的{share}"),
    "summary.free": Bilingual(en="no extra cost", zh="无需额外费用"),
    "summary.no_gain": Bilingual(en="no gain", zh="无增加"),
    "summary.untested": Bilingual(en="not tested", zh="未检验"),
    "sample.grid": Bilingual(en="a full grid", zh="全因子网格"),
    "sample.lhs": Bilingual(en="a Latin hypercube", zh="拉丁超立方"),
    # sensitivity analysis (analysis.sensitivity)
    "sensitivity.title": Bilingual(en="Which parameters drive the findings: {method}",
                                   zh="哪些参数决定了结果：{method}"),
    "sensitivity.morris": Bilingual(en="Morris screening", zh="Morris筛选法"),
    "sensitivity.sobol": Bilingual(en="Sobol indices", zh="Sobol指数"),
    "sensitivity.morris.subtitle": Bilingual(
        en="Bars: μ*, the mean absolute effect of each parameter over its range, with its 95% "
        "interval; markers: σ, the spread of its effects (interactions or non-linearity)",
        zh="条形：μ*，各参数在其取值范围内的平均绝对效应，及其95%区间；标记：σ，效应的离散程度"
        "（反映交互作用或非线性）"),
    "sensitivity.sobol.subtitle": Bilingual(
        en="Bars: total-order index ST, the share of the variance a parameter is involved in, "
        "with its 95% interval; markers: first-order index S1, its share on its own",
        zh="条形：总效应指数ST，参数所涉及的方差比例，及其95%区间；标记：一阶指数S1，参数单独解释的方差比例"),
    "sensitivity.morris.axis": Bilingual(en="μ*: mean absolute effect", zh="μ*：平均绝对效应"),
    "sensitivity.sobol.axis": Bilingual(en="total-order index ST", zh="总效应指数ST"),
    "source.sensitivity": Bilingual(
        en="Source: commsim sensitivity, scenario {scenario}, {method}, n={n}, {points} points "
        "× {reps} replicates, seed {seed}",
        zh="来源：commsim sensitivity，情景：{scenario}，{method}，n={n}，{points}个设计点 × "
        "{reps}次重复，随机种子{seed}"),
}


# Whether the language capitalises a label's first letter and lower-cases it mid-sentence.
_CASED = Bilingual(en=True, zh=False)


def text(key: str, lang: str, /, **values: Any) -> str:
    """A title, axis label, legend entry or sentence, with ``{placeholders}`` filled."""
    return _TEXT[key].pick(lang).format(**values)


def _lookup(table: Mapping[str, Bilingual[str]], name: str, lang: str) -> str:
    """``name``'s label in ``lang``. A name nobody labelled (a user's own) is shown as it
    is, the same in every language; an unknown language is still an error."""
    check_lang(lang)
    return table[name].pick(lang) if name in table else name


def _metric(metric: str, lang: str) -> Label:
    """The registered metric's name and unit (sim.metrics); an unknown one: its raw name."""
    check_lang(lang)
    return METRICS[metric].label(lang) if metric in METRICS else Label(metric, "")


def metric_name(metric: str, lang: str) -> str:
    return _metric(metric, lang).name


def metric_unit(metric: str, lang: str) -> str:
    return _metric(metric, lang).unit


def metric_label(metric: str, lang: str) -> str:
    """'name (unit)': the registry's name and unit of the metric."""
    return with_unit(*_metric(metric, lang), lang)


def is_share(metric: str) -> bool:
    """Shares are shown as percentages, and their differences in percentage points."""
    entry = METRICS.get(metric)
    return bool(entry and entry.bounds == Bounds.SHARE)


def scale(metric: str) -> float:
    """Factor from stored value to plotted value: shares are plotted in percent."""
    return 100.0 if is_share(metric) else 1.0


def difference_unit(metric: str, lang: str) -> str:
    return text("diff.points", lang) if is_share(metric) else metric_unit(metric, lang)


def method_label(method: str, lang: str) -> str:
    """What made an interval, e.g. '95% t-interval, logit scale'; unknown methods verbatim."""
    return _lookup(_METHODS, method, lang)


def methods_label(methods: Iterable[str], lang: str) -> str:
    """The distinct methods of several intervals, in first-seen order; NaN (none) skipped."""
    distinct = dict.fromkeys(m for m in methods if isinstance(m, str))
    return text("sep", lang).join(method_label(m, lang) for m in distinct)


def with_unit(name: str, unit: str, lang: str) -> str:
    """'name (unit)' in the language's own brackets; just the name when there is no unit."""
    return text("with_unit", lang, name=name, unit=unit) if unit else name


def kind_label(kind: str, lang: str) -> str:
    return _lookup(_KINDS, kind, lang)


def freed_label(part: str, lang: str) -> str:
    """Freed hours or one of the parts they went to (analysis.freed)."""
    return _lookup(_FREED_PARTS, part, lang)


def category_label(category: str, lang: str, short: bool = False) -> str:
    """The category's name; ``short`` drops the bracketed examples for legends."""
    if category in _KINDS:
        return kind_label(category, lang)
    name = _lookup(_CATEGORIES, category, lang)
    return name.split("（")[0] if short else name


def band_label(band: str, lang: str) -> str:
    """A community size band (sim.groups) as an axis shows it: '< 3,000', '3,000–5,000',
    '8,000+'; 'all' is every size."""
    if band == ALL_SIZES:
        return text("breakdown.all", lang)
    check_lang(lang)
    low, _, high = band.partition("-")
    if low.endswith("+"):
        return f"{number(float(low[:-1]), digits=0)}+"
    if float(low) == 0:
        return f"< {number(float(high), digits=0)}"
    return f"{number(float(low), digits=0)}–{number(float(high), digits=0)}"


def group_label(level: str, group: str, lang: str) -> str:
    """A group of communities by its name: governance models translated, a roster's
    districts and relays as the roster spells them, the synthetic city's missing district
    said so."""
    if level == "governance":
        return _lookup(VALUE_LABELS, group, lang)
    if level == "district" and not group:
        return text("breakdown.no_district", lang)
    check_lang(lang)
    return group


def reform_label(reform: str, lang: str) -> str:
    """A reform by its name under ``reforms.`` (e.g. access_list): the label its class
    declares (sim.reforms)."""
    from sim.reforms import REFORMS  # the model: only once a chart names a reform

    check_lang(lang)
    return REFORMS[reform].label.pick(lang) if reform in REFORMS else reform


def scenario_label(name: str, lang: str, meta: Mapping[str, Any] | None = None) -> str:
    """A scenario's display name: the ``label_en``/``label_zh`` its file gives, as ``meta``
    (the scenario's top-level keys in the results' manifest) holds them. A scenario
    without them (a user's own, or one from an older folder) is shown by its name, the
    same in every language. A repeated one keeps its '#2' suffix."""
    base, _, suffix = name.partition("#")
    shown = (meta or {}).get(label_key(lang)) or base
    return f"{shown} #{suffix}" if suffix else shown


@cache
def key_labels() -> dict[str, Bilingual[Label]]:
    """Every labelled key: the core's in ``KEY_LABELS`` and those the parameters of reforms
    and enforcement declare (``Param.label``)."""
    from sim.parameters import PARAMETERS  # the reforms' keys load the model: only when asked

    return KEY_LABELS | {p.key: p.label for p in PARAMETERS if p.label is not None}


def _key(key: str, lang: str) -> Label:
    check_lang(lang)
    labels = key_labels()
    return labels[key].pick(lang) if key in labels else Label(key, "")


def key_name(key: str, lang: str) -> str:
    return _key(key, lang).name


def key_unit(key: str, lang: str) -> str:
    """A key's unit as labelled ('%' for a share, which is stored as a fraction)."""
    return _key(key, lang).unit


def key_label(key: str, lang: str) -> str:
    return with_unit(*_key(key, lang), lang)


def value_label(key: str, value: Any, lang: str) -> str:
    """A swept value as shown on an axis: named choices translated, numbers tidy."""
    if isinstance(value, bool) or str(value).lower() in ("true", "false"):
        return _lookup(VALUE_LABELS, str(value).lower(), lang)
    if isinstance(value, int | float):
        check_lang(lang)
        return number(value, digits=min(exact_digits(value), digits_for(value)))
    return _lookup(VALUE_LABELS, str(value), lang)


def inline(name: str, lang: str) -> str:
    """A label as it reads inside an English sentence: 'Staff per community' -> 'staff per ...'.

    Acronyms (a second capital letter) are left alone; Chinese has no case.
    """
    if _CASED.pick(lang) and name[:1].isupper() and not name[1:2].isupper():
        return name[0].lower() + name[1:]
    return name


def join(items: list[str], lang: str, most: int = 4) -> str:
    """A list for a sentence, cut after ``most`` items with 'and N more'."""
    joined = text("list.sep", lang).join(items[:most])
    if len(items) > most:
        joined += text("source.more", lang, n=len(items) - most)
    return joined


def sentences(parts: list[str], lang: str) -> str:
    """Sentences run together as the language does: a space between them, or none."""
    return text("sentence.sep", lang).join(parts)
