"""The catalogue of check rules.

Every diagnostic jixiao emits names one of these rules. The ids are stable:
users silence or promote them by id in a ``_defaults.yaml`` (``规则:``), and
``docs/rules.md`` is generated from this table (``jixiao rules --markdown``),
so the documentation can never drift from the code.
"""

from __future__ import annotations

from dataclasses import dataclass

from jixiao.errors import Diagnostic, Location, Severity

E = Severity.ERROR
W = Severity.WARNING


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    severity: Severity
    group: str
    title: str
    example: str
    fix: str
    # Off unless a workspace's 规则 sets a level (关闭 by default): a requirement some
    # budget systems make, not a slip in every spec. ``severity`` is then only nominal.
    off: bool = False

    @property
    def level_label(self) -> str:
        """The default level as the docs print it: 错误, 警告 or 关闭."""
        return "关闭" if self.off else self.severity.label

    def at(self, location: Location, message: str) -> Diagnostic:
        return Diagnostic(self.id, self.severity, message, location)


_RULES: tuple[Rule, ...] = (
    # -- reading the file ------------------------------------------------------------------
    Rule("yaml-syntax", E, "文件", "YAML 语法错误或文件无法读取",
         "`项目名称: [社工` 缺少右括号", "按提示的行列修正语法"),
    Rule("yaml-too-large", E, "文件", "文件过大，或别名展开后过大（别名炸弹）",
         "超过 1 MiB 的规格文件；层层引用 `*a` 的别名", "一个项目一个文件；不要用别名复制大段内容"),
    Rule("yaml-duplicate-key", E, "文件", "同一层里同一个键写了两次（PyYAML 会悄悄只留最后一个）",
         "两行 `项目名称:`", "删掉多余的一行，或合并两处内容"),
    Rule("yaml-tag", E, "文件", "使用了不支持的 YAML 标签",
         "`项目名称: !!python/object ...`", "去掉标签，直接写值"),
    Rule("yaml-merge-key", E, "文件", "使用了 YAML 合并键 `<<`",
         "`<<: *公共字段`", "把共用内容放进部门的 `_defaults.yaml`"),
    Rule("control-character", E, "文件", "文字里有控制字符（含在双引号里用转义写出的 `\\0`、`\\e`、`\\x1f`、U+FFFE 等）",
         "`项目名称: \"安保\\0经费\"`", "删除这个字符；从别处复制的文字常带有它"),
    Rule("link-outside", E, "文件", "规格文件、`_defaults.yaml` 或目录是指向工作区之外的符号链接，不读取",
         "`安保经费.yaml -> /home/别人/x.yaml`", "把文件复制进工作区，删除链接"),
    # -- structure ---------------------------------------------------------------------------
    Rule("missing-key", E, "结构", "缺少必填项",
         "项目文件里没有 `项目名称`", "补上该项；部门共用的项可写在 `_defaults.yaml`"),
    Rule("unknown-key", E, "结构", "不认识的键（给出最接近的正确写法）",
         "`实施单住: 平安办`", "改成提示中的标准写法，如 `实施单位`"),
    Rule("not-for-form", E, "结构", "该项不属于这种表格",
         "绩效目标表里写了 `得分`", "删除该项，或把 `表格` 改为正确的表格种类"),
    Rule("wrong-type", E, "结构", "值的类型不对（应为文字、金额、列表或映射等）",
         "`绩效指标: 无`（应为一级指标映射）", "按提示改成要求的类型"),
    Rule("empty-text", E, "结构", "必填的文字为空",
         "`项目名称: ''`", "填写内容"),
    Rule("invalid-value", E, "结构", "值不是允许的取值，或无法解析（日期、金额、年度、分数）",
         "`计划开始日期: 2026-13-01`；`项目资金总额: 3O.5`", "按提示改成合法的值"),
    Rule("category-missing", E, "表头", "没有勾选项目类别（或申报表缺少项目性质）",
         "绩效目标表没有 `项目类别`（浦江镇 2026 安保经费）",
         "填写 `项目类别: 经常性项目`（专项资金 / 经常性项目 / 一次性项目）"),
    Rule("name-invalid", E, "表头", "名称过长，或表样不是一个简单的名称",
         "超过 100 字的项目名称；`表样: ../../别处/x`", "名称不超过 100 字；表样只写模板目录 variants/ 下的文件夹名，如 `A`"),
    Rule("name-invisible-character", W, "表头", "名称里有看不见的字符或改变文字方向的字符（文件名中会去掉）",
         "项目名称里的零宽空格 U+200B、从右到左标记 U+202E", "删除这些字符（编辑器里常看不见，可用「显示不可见字符」）"),
    Rule("number-leading-zero", W, "结构", "数字有前导零（如分值 `05`），按十进制读作 5",
         "`分值: 05`（淞南镇 2023 安全管理工作经费）", "写成 `5`"),
    # -- indicator framework -----------------------------------------------------------------
    Rule("indicator-level1-unknown", E, "指标体系", "一级指标名称不规范",
         "`效果目标`、把 `社会效益指标` 当作一级指标", "改用提示中的标准一级指标"),
    Rule("indicator-level2-unknown", E, "指标体系", "二级指标名称不规范",
         "`时效性指标`", "改用提示中的标准二级指标"),
    Rule("indicator-level2-misplaced", E, "指标体系", "二级指标放在了错误的一级指标下",
         "`效益指标` 下的 `数量指标`", "移到提示的一级指标下"),
    Rule("indicator-framework", E, "指标体系", "成本指标的位置与本工作区选定的指标体系不符",
         "指标体系为 `新` 时仍在产出指标下写成本指标", "按 `_defaults.yaml` 的 `指标体系` 放置成本指标"),
    Rule("indicator-missing-output", E, "指标体系", "没有任何产出指标", "只有效益、满意度指标",
         "至少填写一个产出指标"),
    Rule("indicator-missing-benefit", E, "指标体系", "没有任何效益指标（全是 `无` 也算没有）",
         "吴泾镇 2023 反电信诈骗：效益指标下全是 `无`", "至少填写一个效益指标"),
    Rule("indicator-missing-satisfaction", W, "指标体系", "没有满意度指标", "满意度指标为 `无`",
         "补充服务对象满意度指标"),
    Rule("indicator-duplicate", E, "指标体系", "同一张表里三级指标重复",
         "鲁汇派出所公用事业费：`杜行派出所水、电、燃气使用率` 出现两次", "删除或改写重复的指标"),
    Rule("indicator-name-is-value", E, "指标体系", "三级指标写成了数值，而不是指标名称",
         "`三级指标: 指标1：96%`，`年度指标值: 100%`", "三级指标写名称（如 `群众满意度`），数值写在年度指标值"),
    Rule("indicator-numbering", W, "指标体系", "三级指标名称带有 `指标1：` 编号（编号由表样生成，不是数据）",
         "`三级指标: 指标1：社会稳定`", "去掉编号，只写 `社会稳定`"),
    Rule("indicator-placeholder", W, "指标体系", "用 `无` 占位的三级指标",
         "`- 三级指标: 无` / `年度指标值: 无`", "不需要该二级指标时写成 `成本指标: 无`"),
    Rule("indicator-value-blank", E, "指标体系", "年度指标值为空",
         "`年度指标值:` 后面没有内容", "填写指标值，如 `100%`、`≥90%`、`及时`"),
    Rule("indicator-detail-missing", W, "指标体系",
         "三级指标缺少预算系统要求的明细：指标解释、评分标准、指标来源，年度指标值是数值时还有计量单位"
         "（默认关闭；在 `_defaults.yaml` 的 `规则` 中设为 警告 或 错误 即要求填写）",
         "`规则: {indicator-detail-missing: 错误}` 时，`- 三级指标: 完成奖补次数` 只写了 `年度指标值: 10次`",
         "在该三级指标下补写 `指标解释`、`评分标准`、`指标来源`（计划标准 / 行业标准 / 历史标准 / 其他）、`计量单位`",
         off=True),
    # -- indicator values ------------------------------------------------------------------------
    Rule("value-percent-over-100", W, "指标值", "百分比超过 100%",
         "`年度指标值: 120%`", "核对数值；增长率可写成 `同比增长20%`"),
    Rule("value-year-outside-period", W, "指标值", "指标值里的年份不在项目期间内",
         "2026 年度表中的 `2024年1月10日`、`2022年竣工`", "改成本项目期间内的日期"),
    # -- funds -----------------------------------------------------------------------------------
    Rule("fund-project-sum", E, "资金", "项目资金总额 ≠ 财政资金 + 其他资金",
         "项目资金总额 10 ≠ 财政资金 8 + 其他资金 0", "改正总额或其组成"),
    Rule("fund-annual-sum", E, "资金", "年度资金申请总额 ≠ 当年财政拨款 + 上年结转资金 + 其他资金",
         "浦江镇 2026 村党群服务中心奖补：378.32 ≠ 120.05 + 0 + 0", "改正年度总额或其组成"),
    Rule("fund-annual-exceeds-total", E, "资金", "年度资金申请总额大于项目资金总额",
         "年度 120 > 项目 100", "年度申请不能超过项目总额"),
    Rule("fund-one-year-mismatch", E, "资金", "一年期项目的项目资金总额与年度资金申请总额不相等",
         "浦江镇 2026 村党群服务中心奖补：498.37 ≠ 378.32，项目只在 2026 年实施",
         "一年期项目两者应相等；跨年项目请写明项目总目标的起止年度"),
    Rule("fund-negative", E, "资金", "金额为负数", "`上年结转资金: -5`", "金额不能为负"),
    Rule("fund-precision", E, "资金", "金额小数位过多（元最多 2 位，万元最多 6 位）",
         "`单位: 元` 时写 `12.345`", "按单位保留小数"),
    Rule("fund-magnitude", W, "资金",
         "金额对一个项目不合常理，疑似元、万元混填：万元的金额不少于 100000 万元（10 亿元），"
         "或元的合计（项目资金总额、年度资金申请总额、年度资金总额）大于 0 而不足 100 元",
         "`单位: 万元` 时 `合计: 421800.00`（是 42.18 亿元，应为 42.18 万元）；`单位: 元` 时 `合计: 35.5`",
         "按表上的单位改写金额（元换万元除以 10000，万元换元乘以 10000），或改正 `单位`"),
    Rule("fund-magnitude-siblings", W, "资金",
         "项目的资金总额与同一主管部门、同一年度其他项目（至少另有 3 个）的中位数相差上千倍，"
         "除以或乘以 10000 后又相差不到 1000 倍：以万元填写的总额超过中位数的 1000 倍，"
         "可能把元当作万元填写；以元填写的总额不足中位数的 1/1000，可能把万元当作元填写",
         "同部门项目多为几十万元，`单位: 万元` 时 `合计: 50000.00`（应为 5 万元）",
         "按表上的单位改写金额，或改正 `单位`；确是特殊项目时可在 `_defaults.yaml` 的 `规则` 中关闭"),
    # -- dates -----------------------------------------------------------------------------------
    Rule("date-order", E, "日期", "计划开始日期晚于计划完成日期", "开始 2026-12-31，完成 2026-01-01",
         "交换或改正日期"),
    Rule("date-outside-period", E, "日期", "计划日期不在项目总目标的起止年度内",
         "起止年度 2026-2026，计划完成日期 2027-03-31", "改正日期或起止年度"),
    Rule("year-outside-period", E, "日期", "表格年度不在项目期间内",
         "2026 年度表，项目总目标 2022年-2025年", "改正年度或起止年度"),
    # -- goals -----------------------------------------------------------------------------------
    Rule("goal-placeholder", E, "目标", "年度总体目标只写了 `无`",
         "吴泾镇 2023 综治协管员午餐经费：`年度总体目标: 无`", "写出本年度要达到的目标"),
    Rule("selfeval-actual-repeats-target", W, "目标", "实际完成情况只是照抄预期目标",
         "淞南镇 2023 综治中心事务", "写出实际完成了什么"),
    # -- self-evaluation ---------------------------------------------------------------------------
    Rule("selfeval-fund-rows", E, "自评", "年度资金总额 ≠ 当年财政拨款 + 上年结转资金 + 其他资金（按列核对）",
         "全年预算数 100 ≠ 90 + 0 + 0", "改正总额或分项"),
    Rule("selfeval-rate", E, "自评", "执行率与 全年执行数 ÷ 全年预算数 不符",
         "写 100.00%，实际 327298.72 ÷ 500000 = 65.46%", "执行率按全年预算数（调整后）计算"),
    Rule("selfeval-fund-score", E, "自评", "资金得分与 分值 × 执行率 不符", "分值 10、执行率 80%，得分写 10",
         "按分值 × 执行率填写（超过分值时按分值计）"),
    Rule("selfeval-score-range", E, "自评", "得分小于 0 或大于分值", "`分值: 5`，`得分: 6`", "得分应在 0 到分值之间"),
    Rule("selfeval-weights-total", E, "自评", "各项分值合计不等于 100", "资金 10 + 指标 85 = 95",
         "调整分值，使合计为 100"),
    Rule("selfeval-weights-practice", W, "自评", "分值分配与常规做法（预算执行 10、产出 50、效益 30、满意度 10）不同",
         "产出指标合计 60 分", "按常规分配，或在 `_defaults.yaml` 的 `自评规则` 中改写权重"),
    Rule("selfeval-total", E, "自评", "总分 ≠ 资金得分 + 各指标得分", "写 96，合计 94", "改正总分"),
    Rule("selfeval-deviation-missing", E, "自评", "得分低于分值但没有填写偏差原因分析及改进措施",
         "淞南镇 2023：`分值: 5`、`得分: 4.9` 而无原因", "填写偏差原因及改进措施"),
    Rule("selfeval-target-too-easy", W, "自评", "实际完成值超过年度指标值 30% 以上：目标定得偏低",
         "`年度指标值: ≥50%`，`实际完成值: 80%`（1.6 倍）",
         "下一年度按实际水平设定指标值；实际完成值写错了就改正"),
    Rule("selfeval-grade", E, "自评", "自评等级与总分不符（优 ≥ 90，良 80–90，中 60–80，差 < 60）",
         "总分 85 写 `优`", "改正等级"),
    Rule("selfeval-score-suggestion", W, "自评", "得分与按指标值和实际完成值算出的建议得分相差较大",
         "目标 ≥98%、实际 =90%、分值 20，得分写 20（建议 18.37）", "核对得分，或在偏差原因中说明；建议规则见 docs/selfeval.md"),
    Rule("selfeval-unfilled", E, "自评", "自评表还有未填写的内容", "`实际完成值:` 为空", "填写实际完成情况"),
    # -- mid-year monitoring (validate/monitoring.py, docs/monitoring.md) -------------------------
    Rule("monitor-unfilled", W, "监控", "监控表还有未填写的内容（jixiao monitor init 生成的骨架里留空的项）",
         "`执行数:`、`全年预计完成值:` 为空", "按截至监控截止日的实际情况填写"),
    Rule("monitor-fund-rows", E, "监控", "年度资金总额 ≠ 财政资金 + 其他资金（按列核对）",
         "调整后预算数 60 ≠ 财政资金 55 + 其他资金 0", "改正合计或分项"),
    Rule("monitor-rate", E, "监控", "执行率与 执行数 ÷ 调整后预算数 不符（按所写的小数位四舍五入核对）",
         "执行数 25.5、调整后预算数 60，执行率写 45%（应为 42.5%）", "改正执行率，或删去让 jixiao 算出"),
    Rule("monitor-behind-schedule", W, "监控", "执行率落后于时间进度超过容差（默认 10 个百分点，`监控规则.进度容差`）",
         "1-7月执行率 42.5%，时间进度 58.3%", "在「原因说明」写明原因和加快执行的措施"),
    Rule("monitor-forecast-over-budget", E, "监控", "全年预计执行数大于调整后预算数",
         "调整后预算数 60，全年预计执行数 65", "超出预算须先调整预算；改正预计数"),
    Rule("monitor-forecast-unexplained", W, "监控", "全年预计执行数低于调整后预算数，却没有原因说明",
         "调整后预算数 60，全年预计执行数 50，`原因说明:` 为空", "在项目资金的「原因说明」写明原因"),
    Rule("monitor-shortfall-certain", E, "监控", "全年预计完成值达不到年度指标值，完成目标可能性却写「确定能」",
         "年度指标值 ≥24次，全年预计完成值 20次，`完成目标可能性: 确定能`", "改为「有可能」或「完全不可能」，并说明原因"),
    Rule("monitor-deviation-unexplained", E, "监控", "预计完不成（或可能性不是「确定能」）却没有填写偏差原因和原因说明及纠偏措施",
         "`完成目标可能性: 有可能`，`偏差原因:` 为空", "选填偏差原因，并写明原因和纠偏措施"),
    Rule("monitor-reason-unknown", E, "监控", "偏差原因不是 经费保障、制度保障、人员保障、硬件保障、其他 之一",
         "`偏差原因: 天气`", "选一个或几个规定的原因（用顿号隔开），具体情况写在原因说明及纠偏措施"),
    Rule("monitor-targets-differ", W, "监控", "监控表的三级指标、年度指标值或年初预算数与同一项目的绩效目标表不同（改名、删去、新增）",
         "目标表 `走访次数 ≥24次`，监控表写 `走访次数 ≥20次`", "监控表按批复的绩效目标填报；目标确需调整的，先按程序调整目标表"),
    # -- across projects ----------------------------------------------------------------------------
    Rule("duplicate-project-name", W, "跨项目", "同一主管部门、同一年度、同一种表格里项目名称重复",
         "两个 `安保经费`", "改名或合并"),
    Rule("copied-indicators", W, "跨项目", "整套绩效指标与另一个项目完全相同",
         "浦江镇 2026 安保经费 与 社工点经费", "按本项目实际情况设定指标"),
    Rule("copied-goal", W, "跨项目", "目标文字与另一个项目完全相同",
         "浦江镇 2026 安保经费 与 社工点经费 的项目总目标", "按本项目实际情况填写"),
    Rule("foreign-entity", W, "跨项目", "项目文字提到了另一个项目的主体（疑似复制后没改）",
         "鲁汇派出所项目的指标写 `杜行派出所水、电、燃气使用率`", "改成本项目的主体"),
    Rule("department-name-typo", W, "跨项目", "主管部门与同部门其他项目只差一个字",
         "`吴淞镇人民政府` 混在 `吴泾镇人民政府` 中", "统一主管部门名称"),
    # -- across years ------------------------------------------------------------------------------
    # A project of this year against last year's tables of the same project (validate/years.py):
    # same 主管部门 and 实施单位, same 项目名称 or the one its 上年项目 gives.
    Rule("years-target-below-last-actual", W, "跨年度",
         "年度指标值低于上年自评表的实际完成值（越小越好的 ≤ 指标：高于），目标定得偏低",
         "上年 `调解案件数量` 实际完成 `1680件`，今年 `年度指标值: 1600件`",
         "按上年实际水平设定指标值；确需降低的在申报说明里写明原因"),
    Rule("years-target-still-too-easy", W, "跨年度",
         "上年实际完成值超过年度指标值 30% 以上（上年自评表已报 `selfeval-target-too-easy`），今年的年度指标值仍不高于上年",
         "上年 `微博发帖数` 目标 `80条`、实际 `120条`，今年仍是 `80条`", "按上年实际水平提高指标值"),
    Rule("years-indicator-dropped", W, "跨年度",
         "上年有的三级指标今年没有了：删去了，或改了名（同一二级指标下有相近的新名称时按改名提示）",
         "上年 `居民满意率`，今年 `居民满意度`；上年的 `法治文艺演出场次` 今年没有",
         "确是删去或改名的在申报说明里交代；漏写的补上；改名的两年数值无法直接对照"),
    Rule("years-copied-unchanged", W, "跨年度",
         "年度总体目标和全部三级指标（连同年度指标值）与上年的表完全相同，而年度资金变了",
         "今年年度资金申请 9.26 万元，上年 8.80 万元，目标和指标值一字未改",
         "资金变了，按新的资金安排调整目标和指标值"),
    Rule("years-previous-unknown", E, "跨年度",
         "`上年项目` 写的名称不是上一年度同一实施单位的项目（工作区里有上一年度时才检查）",
         "`上年项目: 诉前调解对接`，上年的项目叫 `诉前调解`", "改成上年项目的准确名称（提示中给出最接近的）；没有改名就删去这一项"),
    # -- template directories (jixiao templates check) ---------------------------------------------
    Rule("template-missing-part", E, "模板", "模板目录缺少必需的文件或占位符",
         "没有 `print.css`；Word 外壳里没有 `{{p 表格 }}`", "从内置模板（jixiao templates copy 新目录）复制缺少的部分"),
    Rule("template-syntax", E, "模板", "模板语法错误（Jinja2 或 Word 外壳）", "`{{ 标题 }` 少一个括号",
         "按提示的行修正"),
    Rule("template-variable", E, "模板", "Word 外壳使用了 jixiao 不提供的变量", "`{{ 项目名 }}`",
         "改成提示中的变量名；可用变量见 docs/templates.md"),
    Rule("template-unsafe", E, "模板", "模板做了沙箱不允许的事：访问 Python 内部、调用不安全的方法、改动数据",
         '`{{ cycler.__init__.__globals__.os.system("id") }}`',
         "模板只用提供的变量、过滤器、循环和同一目录里的模板，见 docs/templates.md"),
    Rule("template-font", W, "模板", "样式表列出的字体一个也没有安装", "`font-family: \"方正小标宋\"`",
         "安装字体，或在 font-family 中加入已安装的字体"),
    Rule("template-page-break", W, "模板", "样式表没有让换页处的表格另起一页，PDF 会在别处换页，与 DOCX 不同",
         "早先复制的 `print.css` 里没有 `table.grid.newpage`",
         "在 print.css 中加入 `table.grid.newpage { break-before: page; }`（见 docs/templates.md「分页」）"),
)

RULES: dict[str, Rule] = {rule.id: rule for rule in _RULES}


def rule(rule_id: str) -> Rule:
    """Look a rule up by id; an unknown id is a programming error."""
    return RULES[rule_id]


def rules_markdown() -> str:
    """The rule table of ``docs/rules.md``."""
    lines = [
        "| 规则 | 级别 | 类别 | 说明 | 触发示例 | 改正方法 |",
        "|---|---|---|---|---|---|",
    ]
    for r in _RULES:
        cells = (f"`{r.id}`", r.level_label, r.group, r.title, r.example, r.fix)
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines) + "\n"
