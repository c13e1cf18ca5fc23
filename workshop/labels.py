"""Every word the workshop page shows, in Chinese and English.

The page never writes a user-visible string itself: it looks it up here with :func:`t`, so a
language switch changes every label, button, legend, axis title and status line at once, and a
test can check that the table is complete in both languages.

Strings may hold :meth:`str.format` fields (``{week}``); :func:`t` fills them.
"""

from __future__ import annotations

from collections.abc import Mapping

LANGS: tuple[str, ...] = ("zh", "en")
"""Languages of the page, in the order the switch shows them."""

LANG_NAMES: Mapping[str, str] = {"zh": "中文", "en": "English"}
"""What the language switch shows for each language (each in its own script)."""

DEFAULT_LANG = "zh"
"""Workshops are held in Chinese; ``renosim viz --lang en`` changes the default."""

LABELS: dict[str, dict[str, str]] = {
    # --- page frame -------------------------------------------------------------------------
    "title": {
        "zh": "老旧小区改造：居民参与模拟",
        "en": "Old-compound renovation: resident participation",
    },
    "subtitle": {
        "zh": "南宁老友议事会模型（每步 = {weeks}）",
        "en": "Nanning Laoyou council model (one step = {weeks})",
    },
    "weeks.one": {"zh": "1 周", "en": "one week"},
    "weeks.many": {"zh": "{n} 周", "en": "{n} weeks"},
    "weeks.year": {"zh": "1 年（52 周）", "en": "one year (52 weeks)"},
    "advanced": {"zh": "高级设置", "en": "Advanced"},
    "compare": {"zh": "对比两种方案", "en": "Compare two arms"},
    "compare_note": {
        "zh": "两个方案使用同一小区、同一随机种子，一起推进。",
        "en": "Both arms use the same compound and seed and step together.",
    },
    "present": {"zh": "投影模式", "en": "Presentation mode"},
    "save": {"zh": "保存本次会话", "en": "Save the session"},
    "arm.a": {"zh": "方案 A", "en": "Arm A"},
    "arm.b": {"zh": "方案 B", "en": "Arm B"},
    "arms_key": {"zh": "图中实线 = 方案 A，虚线 = 方案 B", "en": "In the charts: solid lines = arm A, dashed = arm B"},
    "differences": {"zh": "方案 A 与方案 B 的差别", "en": "Arm A against arm B"},
    "diff.line": {"zh": "{name}：{a} 对 {b}", "en": "{name}: {a} vs {b}"},
    "diff.stage": {"zh": "阶段", "en": "stage"},
    "diff.council": {"zh": "议事会代表", "en": "council representatives"},
    "diff.participation": {"zh": "参与率", "en": "participation"},
    "diff.willingness": {"zh": "意愿率", "en": "willingness"},
    "diff.cofunding": {"zh": "改造出资收缴", "en": "co-funding collected"},
    "diff.fees": {"zh": "物业费收缴", "en": "fees collected"},
    "diff.complaints": {"zh": "累计投诉", "en": "complaints so far"},
    "diff.none": {"zh": "无", "en": "none"},
    "diff.same": {"zh": "两个方案的设置相同。", "en": "The two arms have the same settings."},
    "saved.title": {"zh": "工作坊会议记录", "en": "Workshop minutes"},
    "saved.settings": {"zh": "设置", "en": "Settings"},
    "saved.when": {"zh": "保存于第 {week} 周", "en": "Saved at week {week}"},
    "not_yet": {"zh": "尚无数据", "en": "not yet"},
    "not_applicable": {"zh": "本治理模式下不适用", "en": "not applicable under this regime"},
    "legend.title": {"zh": "图例", "en": "Key"},
    "legend.band": {"zh": "楼栋之间的关系（越粗越多）", "en": "Ties between buildings (wider = more)"},
    "legend.tap": {"zh": "点击住户可查看其全部关系", "en": "Tap a household to see all its ties"},
    "legend.strong_only": {"zh": "只显示强关系", "en": "Only strong ties are shown"},
    "language": {"zh": "语言", "en": "Language"},
    "controls": {"zh": "控制", "en": "Controls"},
    "settings": {"zh": "政策杠杆", "en": "Policy levers"},
    "settings_note": {
        "zh": "修改任何设置都会让小区从第 0 周重新开始。",
        "en": "Changing any setting restarts the compound from week 0.",
    },
    "compound": {"zh": "小区社会网络", "en": "The compound's social network"},
    "status": {"zh": "当前情况", "en": "Where things stand"},
    "charts": {"zh": "随时间变化", "en": "Over time"},
    # --- run controls -----------------------------------------------------------------------
    "step": {"zh": "前进", "en": "Step"},
    "play": {"zh": "播放", "en": "Play"},
    "pause": {"zh": "暂停", "en": "Pause"},
    "reset": {"zh": "重置", "en": "Reset"},
    "weeks_per_step": {"zh": "每步推进的周数", "en": "Weeks per step"},
    "speed": {"zh": "播放间隔（毫秒）", "en": "Play interval (ms)"},
    "week_counter": {"zh": "第 {week} 周（第 {year} 年）", "en": "Week {week} (year {year})"},
    "finished": {"zh": "模拟已结束。", "en": "The run has finished."},
    "error": {"zh": "出错：{message}", "en": "Error: {message}"},
    # --- model settings ---------------------------------------------------------------------
    "regime": {"zh": "治理模式", "en": "Regime"},
    "regime.top_down": {"zh": "自上而下（2014–2018）", "en": "Top-down (2014–2018)"},
    "regime.pilot": {"zh": "试点（2019–2020）", "en": "Pilot (2019–2020)"},
    "regime.three_integrations": {"zh": "三整合（2021 年起）", "en": "Three integrations (2021–)"},
    "seed": {"zh": "随机种子（整数）", "en": "Random seed (integer)"},
    "n_households": {"zh": "住户数", "en": "Number of households"},
    "integration": {"zh": "各部门如何审批方案", "en": "How departments sign off the plan"},
    "party_rule": {
        "zh": "申请小组须含党员（3 名业主中 1 名党员）",
        "en": "Application team must include a party member (1 of 3 owners)",
    },
    "tau_train": {"zh": "议事规则培训", "en": "Training in deliberation rules"},
    "platform": {"zh": "智慧平台（信息、监督、缴费公示）", "en": "Smart platform (news, monitoring, payments)"},
    "tau_info": {"zh": "平台：信息发布", "en": "Platform: information"},
    "tau_mon": {"zh": "平台：监督", "en": "Platform: monitoring"},
    "transparency": {"zh": "平台：缴费公示", "en": "Platform: payment transparency"},
    "campaigns_per_yr": {"zh": "老友宣传活动（次/年）", "en": "Laoyou campaigns per year"},
    "events_per_yr": {"zh": "共建花园等活动（次/年）", "en": "Garden-building events per year"},
    "s_res": {"zh": "居民分担的改造费用", "en": "Share of the works residents pay"},
    # the ends of each lever's range, in plain words ({v} is the end's value)
    "end.integration.low": {"zh": "{v} = 各部门依次审批", "en": "{v} = each department signs off in turn"},
    "end.integration.high": {"zh": "{v} = 各部门同时会签", "en": "{v} = all sign off together"},
    "end.tau_train.low": {"zh": "{v} = 没有培训", "en": "{v} = no training"},
    "end.tau_train.high": {"zh": "{v} = 全面培训", "en": "{v} = thorough training"},
    "end.platform.low": {"zh": "{v} = 没有平台", "en": "{v} = no platform"},
    "end.platform.high": {"zh": "{v} = 充分使用", "en": "{v} = fully used"},
    "end.campaigns_per_yr.low": {"zh": "{v} = 不开展", "en": "{v} = none"},
    "end.campaigns_per_yr.high": {"zh": "{v} = 每月一次", "en": "{v} = every month"},
    "end.events_per_yr.low": {"zh": "{v} = 不开展", "en": "{v} = none"},
    "end.events_per_yr.high": {"zh": "{v} = 每月一次", "en": "{v} = every month"},
    "end.s_res.low": {"zh": "{v} = 政府全额出资", "en": "{v} = the government pays all"},
    "end.s_res.high": {"zh": "{v} = 居民出资最多", "en": "{v} = residents pay the most"},
    "level.none": {"zh": "无", "en": "none"},
    "level.low": {"zh": "弱", "en": "low"},
    "level.medium": {"zh": "中", "en": "medium"},
    "level.high": {"zh": "强", "en": "high"},
    # --- network figure ---------------------------------------------------------------------
    "state.unwilling": {"zh": "不愿意", "en": "Unwilling"},
    "state.willing": {"zh": "愿意", "en": "Willing"},
    "state.active": {"zh": "积极参与", "en": "Active"},
    "state.representative": {"zh": "居民代表", "en": "Representative"},
    "party_member": {"zh": "党员（菱形）", "en": "Party member (diamond)"},
    "tie.weak": {"zh": "弱关系", "en": "Weak tie"},
    "tie.medium": {"zh": "中等关系", "en": "Medium tie"},
    "tie.strong": {"zh": "强关系", "en": "Strong tie"},
    "building": {"zh": "{n} 号楼", "en": "Bldg {n}"},
    "hover.household": {"zh": "住户 {id}", "en": "Household {id}"},
    "hover.party": {"zh": "党员", "en": "party member"},
    # --- charts -----------------------------------------------------------------------------
    "chart.participation": {"zh": "参与与意愿", "en": "Participation and willingness"},
    "chart.collection": {"zh": "出资与物业费收缴", "en": "Co-funding and fee collection"},
    "chart.maintenance": {"zh": "设施维护状况", "en": "Maintenance: condition of facilities"},
    "chart.complaints": {"zh": "累计投诉", "en": "Complaints so far"},
    "series.participation": {"zh": "参与率", "en": "Participation"},
    "series.willingness": {"zh": "意愿率", "en": "Willingness"},
    "series.cofunding_collection": {"zh": "改造出资收缴率", "en": "Co-funding collected"},
    "series.fee_collection": {"zh": "物业费收缴率", "en": "Fees collected"},
    "series.maintenance": {"zh": "设施完好程度", "en": "Condition"},
    "series.complaints": {"zh": "累计投诉", "en": "Complaints so far"},
    "axis.year": {"zh": "年", "en": "Year"},
    "axis.share": {"zh": "比例", "en": "Share"},
    "axis.level": {"zh": "完好程度", "en": "Condition"},
    "axis.count": {"zh": "件数", "en": "Count"},
    # --- status lines -----------------------------------------------------------------------
    "line.week": {
        "zh": "第 {week} 周（第 {year} 年）。当前阶段：{stage}。",
        "en": "Week {week} (year {year}). Current stage: {stage}.",
    },
    "line.participation": {
        "zh": "{participation} 的住户积极参与，{willingness} 的住户愿意改造。",
        "en": "{participation} of households take part; {willingness} are willing to renovate.",
    },
    "line.council_yes": {
        "zh": "老友议事会已成立，共有 {n} 名居民代表。",
        "en": "The Laoyou council has formed, with {n} representatives.",
    },
    "line.council_no": {"zh": "议事会尚未成立。", "en": "No residents' council has formed yet."},
    "line.vote_none": {"zh": "尚未进行表决。", "en": "No vote has been held yet."},
    "line.vote": {
        "zh": "第 {round} 轮表决：投票率 {turnout}，赞成 {yes}，{outcome}。",
        "en": "Vote, round {round}: turnout {turnout}, {yes} in favour; {outcome}.",
    },
    "vote.passed": {"zh": "通过", "en": "passed"},
    "vote.failed": {"zh": "未通过", "en": "not passed"},
    "line.cofunding": {
        "zh": "居民出资已收缴 {share}。",
        "en": "Residents' co-funding collected: {share} of what is owed.",
    },
    "line.cofunding_later": {
        "zh": "居民出资尚未开始收缴。",
        "en": "Residents' co-funding has not been collected yet.",
    },
    "line.cofunding_none": {
        "zh": "本模式下居民无需出资。",
        "en": "Residents pay no co-funding in this regime.",
    },
    "line.fees": {"zh": "物业费收缴率 {share}。", "en": "Property fees collected: {share}."},
    "line.fees_none": {
        "zh": "尚未开始收取物业费。",
        "en": "No property fees are being collected yet.",
    },
    "line.maintenance": {
        "zh": "设施完好程度 {level}（1 = 完好）。",
        "en": "Condition of facilities: {level} (1 = good repair).",
    },
    "line.complaints": {"zh": "累计投诉 {n} 件。", "en": "Complaints so far: {n}."},
    "line.finished": {
        "zh": "模拟已结束（共 {years} 年）。",
        "en": "The run has finished ({years} years).",
    },
    # --- renovation stages (sim.stages; names are matched loosely, unknown ones shown as given) --
    "stage.aware": {"zh": "居民知晓改造政策", "en": "residents aware of the programme"},
    "stage.consentdrive": {"zh": "征集业主同意", "en": "collecting owners' consent"},
    "stage.queued": {"zh": "排队等待纳入改造计划", "en": "waiting in the bureau's queue"},
    "stage.applicationreview": {"zh": "申请审核中", "en": "application under review"},
    "stage.councilformation": {"zh": "成立议事会", "en": "forming the council"},
    "stage.deliberation": {"zh": "协商改造方案", "en": "deliberating the plan"},
    "stage.planapproval": {"zh": "方案表决与审批", "en": "plan vote and approval"},
    "stage.fundraising": {"zh": "筹集居民出资", "en": "raising residents' co-funding"},
    "stage.construction": {"zh": "施工", "en": "construction"},
    "stage.longterm": {"zh": "长效管理", "en": "long-term management"},
    "stage.stalled": {"zh": "表决未通过，改造停滞", "en": "stalled after failed votes"},
    "stage.abandoned": {"zh": "改造已放弃", "en": "abandoned"},
    # ODD §4 names, for models or configs that use them
    "stage.eligible": {"zh": "符合改造条件", "en": "eligible"},
    "stage.application": {"zh": "申请改造", "en": "applying for renovation"},
    "stage.plandrafting": {"zh": "制定方案", "en": "drafting the plan"},
    "stage.longtermmanagement": {"zh": "长效管理", "en": "long-term management"},
    "stage.selected": {"zh": "政府选定", "en": "selected by the government"},
    "stage.govplan": {"zh": "政府制定方案", "en": "government drafting the plan"},
    # --- long-term management body (status "management") -----------------------------------
    "line.management": {"zh": "长效管理主体：{body}。", "en": "Managed by: {body}."},
    "mgmt.oc": {"zh": "业主委员会", "en": "an owners' committee"},
    "mgmt.self": {"zh": "居民自管", "en": "the residents themselves"},
    "mgmt.company": {"zh": "物业公司", "en": "a property company"},
    "mgmt.office": {"zh": "社区代管", "en": "the street office as caretaker"},
    "mgmt.council": {"zh": "老友议事会", "en": "the Laoyou council"},
}
"""Label key -> {language -> text}. Every entry has every language in :data:`LANGS`."""


def t(key: str, lang: str = DEFAULT_LANG, /, **fields: object) -> str:
    """Return the text for ``key`` in ``lang``, with ``{fields}`` filled in.

    Parameters
    ----------
    key : str
        A key of :data:`LABELS`.
    lang : str, default :data:`DEFAULT_LANG`
        One of :data:`LANGS`; anything else falls back to English.
    **fields
        Values for the ``str.format`` fields of the text.

    Returns
    -------
    str

    Raises
    ------
    KeyError
        If ``key`` is not in the table (a programming error, caught by the tests).

    Examples
    --------
    >>> t("week_counter", "en", week=3, year=1)
    'Week 3 (year 1)'
    """
    text = LABELS[key].get(lang) or LABELS[key]["en"]
    return text.format(**fields) if fields else text


def stage_key(stage: object) -> str:
    """Return the :data:`LABELS` key for a stage name as the model reports it.

    Stage names are matched without case, spaces, underscores, hyphens or slashes, so
    ``"CouncilFormation"``, ``"council_formation"`` and ``"Council formation"`` all map to
    ``"stage.councilformation"``.
    """
    norm = "".join(ch for ch in str(stage).lower() if ch.isalnum())
    return f"stage.{norm}"


def stage_name(stage: object, lang: str) -> str:
    """Return a stage in plain words; a stage not in the table is shown as given."""
    key = stage_key(stage)
    if key in LABELS:
        return t(key, lang)
    return str(stage)
