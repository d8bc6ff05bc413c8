"""Hand-transcribed expectations for importing the seed tables (``../shared/seeds``).

Every value here was read off the seed text by hand, not computed from it, so the
importer tests are an independent check. The importer is *faithful*: it keeps what
the table says (wrong 主管部门, fund totals that do not add up, non-standard 一级
names, no 项目类别 ticked) and drops only presentation (``指标1：`` numbering,
markup, line-wrap spaces between CJK characters, spaces and thousands separators
inside numbers, merged-cell repeats). Where a seed is ambiguous the expectation
says why it was chosen, following the conventions at the top of
``specs/CORRECTIONS.md``.

Indicator rows are flattened in table order:

* target / declaration table: ``(一级, 二级, 三级, 年度指标值)``
* self-evaluation table: ``(一级, 二级, 三级, 年度指标值, 实际完成值, 分值, 得分, 偏差原因)``
* a ``无`` placeholder 二级 (``成本指标: 无``): ``(一级, 二级, PH)``

A blank text cell is ``""``; a blank amount is ``None``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

# shared/ sits beside the repository (as in CI's clone): ../shared/seeds.
SEEDS = str(Path(__file__).resolve().parents[2] / "shared" / "seeds")
FILES = {
    "000": "000_a26673babc53af7f.txt",
    "001": "001_3f3c9d51c442e5ae.txt",
    "002": "002_8c2d2b6312b4e993.txt",
    "003": "003_b08a6f8de08aa10b.txt",
}
TABLE_COUNTS = {"000": 19, "001": 8, "002": 5, "003": 42}

PH = "<无>"  # marks a placeholder 二级 (written `无` in the spec)

TARGET, DECLARATION, SELF_EVAL = "绩效目标表", "绩效目标申报表", "绩效自评表"
WAN, YUAN = "万元", "元"


def money(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


@dataclass(frozen=True)
class TFunds:
    """项目资金 of a target / declaration table, amounts as written (blank = None)."""

    total: str | None
    fiscal: str | None
    other: str | None
    annual: str | None
    current: str | None
    carryover: str | None
    annual_other: str | None


@dataclass(frozen=True)
class Row:
    """One self-evaluation funds row: 年初预算数, 全年预算数, 全年执行数."""

    initial: str | None
    budget: str | None
    executed: str | None


@dataclass(frozen=True)
class SFunds:
    total: Row
    current: Row
    carryover: Row
    other: Row
    weight: str
    rate: str  # percent, "100.00%" -> "100.00"
    score: str


@dataclass(frozen=True)
class Table:
    file: str  # "000" ... "003"
    line: int  # 1-based line of the title
    form: str
    year: int
    name: str
    department: str
    unit: str
    money_unit: str
    funds: TFunds | SFunds
    indicators: list[tuple]
    category: str | None = None
    nature: str | None = None
    start: date | None = None
    end: date | None = None
    period: tuple[int, int] | None = None
    overall: str = ""  # 项目总目标 内容
    annual_goal: str = ""
    expected: str = ""  # self-evaluation 预期目标
    achieved: str = ""  # self-evaluation 实际完成情况
    total_score: str | None = None
    grade: str | None = None
    why: str = ""  # what makes this table interesting

    @property
    def id(self) -> str:
        # ASCII, because pytest escapes non-ASCII test ids; the name is in the failure message.
        return f"{self.file}-L{self.line}"


Y23 = dict(year=2023, start=date(2023, 1, 1), end=date(2023, 12, 31), period=(2023, 2023))
Y26 = dict(year=2026, start=date(2026, 1, 1), end=date(2026, 12, 31), period=(2026, 2026))


def same(amount: str) -> TFunds:
    """The common one-year case: every total equal, other/carryover cells blank."""
    return TFunds(amount, amount, None, amount, amount, None, None)


def same0(amount: str) -> TFunds:
    """As ``same`` but the 其他资金 / 上年结转资金 cells hold an explicit 0 (平安办 2026 tables)."""
    return TFunds(amount, amount, "0", amount, amount, "0", "0")


P, B, S = "产出指标", "效益指标", "满意度指标"
NUM, QUAL, TIME, COST = "数量指标", "质量指标", "时效指标", "成本指标"
ECO, SOC, ENV, SUS = "经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"
SAT = "服务对象满意度指标"

# =========================================================================================
# Seed 000 — 吴泾镇人民政府 2023, target tables (variant A, 万元, `指标1：` numbering)
# =========================================================================================

T000 = [
    Table(
        "000", 3, TARGET, name="人口工作", category="经常性项目", department="吴泾镇人民政府", unit="平安办",
        money_unit=WAN, funds=same("89.41"),  # `89. 41`: space inside the number dropped
        overall="提高“两个实有”的准确率，提升协管员的工作积极性及工作效率",
        annual_goal="提高协管员的工作积极性，节省时间，提升工作效率，工作质量，使本镇的“两个实有”登记，注销率达到区标准。"
                    "合理控制人口规模，优化人口结构。对本镇的来沪人员做到底数清，情况明。提升本镇来沪人员对合法居住，"
                    "合法工作政策的知晓率，并引导他们依法履行居住证登记义务，按需及时办理居住证，推动人口信息质量的有效提升。",
        why="成本指标 rows shifted across columns (L20 one column right, L24 one left); "
            "L20's 指标值 is blank and stays blank (the 410300 in CORRECTIONS is a correction); "
            "L33 可持续影响指标 in the 一级 column belongs to 效益指标; L36 starts in column 0.",
        indicators=[
            (P, NUM, "实有人口信息登记、准确率提升", "提升20%"),
            (P, NUM, "居村委两个实有登记达标", "98%"),
            (P, TIME, "年底", "100%"),
            (P, COST, "提供有效信息奖励费", ""),
            (P, COST, "人口调控工作经费", "100000"),
            (P, COST, "“两个实有”准确率考核奖", "204000"),
            (P, COST, "实有人口信息工作经费", "123600"),
            (P, COST, "协管员服装费", "56200"),
            (B, ECO, "促进经济持续增长", "100%"),
            (B, ECO, "节省时间、人力", "100%"),
            (B, ECO, "准确的信息数据为人口工作提供良好的数据支撑", "100%"),
            (B, SOC, "掌握来沪人员东西，减少发案率", "100%"),
            (B, SOC, "提升社会建设和社会管理", "100%"),
            (B, ENV, "社会稳定，合法居住", "100%"),
            (B, ENV, "为拆违，清查、整治提供数据", "100%"),
            (B, ENV, "追求人口、资源与环境的协调可持续发展", "100%"),
            (B, SUS, "加强基层建设的推进", "100%"),
            (B, SUS, "随时掌握本镇的实有人口、实有房屋的信息", "100%"),
            (S, SAT, "提高人口工作管理服务水平，掌握人口数据，为领导决策提供依据", "100%"),
            (S, SAT, "人口、房屋信息更新快，实时了解协管员的工作动态", "100%"),
        ],
        **Y23,
    ),
    Table(
        "000", 38, TARGET, name="610工作专用款", category="经常性项目", department="吴泾镇人民政府", unit="平安办",
        money_unit=WAN, funds=same("0.81"),  # dates `2023. 1` / `2023. 12`
        overall="加强反邪教宣传教育，提高防范邪教潜力，和抵制邪教的意识；重要节点，防范控制邪教人员，实行伴随式管控，维护社会稳定。",
        annual_goal="深化“平安吴泾”建设，维护社会稳定。",
        why="goals header on its own row before the 项目绩效目标 label; `无 / 无` 成本指标; "
            "L60 可持续影响指标 in the 一级 column; L61 `服务对象 满意度指标` line-wrap space.",
        indicators=[
            (P, NUM, "组织辖区居民，各大院校开展反邪教活动。", "100%"),
            (P, TIME, "1季度1次610例会，有关重要会议时，实行上下联通方式。", "100%"),
            (P, COST, PH),
            (B, ECO, "控制、减少邪教人员的参与有害社会的活动。", "100%"),
            (B, SOC, "加强培训，提高610社区工作者业务知识", "100%"),
            (B, SOC, "深化警示教育，加强宣传力度", "100%"),
            (B, ENV, "大力弘扬科学精神、普及科学知识防范和抵制邪教侵袭。", "100%"),
            (B, ENV, "开展反邪教宣传教育，走访困难人员", "100%"),
            (B, SUS, "社会稳定", "100%"),
            (S, SAT, "群众安全感满意度不断提高", "100%"),
        ],
        **Y23,
    ),
    Table(
        "000", 63, TARGET, name="反电信诈骗", category="经常性项目", department="吴泾镇人民政府", unit="平安办",
        money_unit=WAN,
        # L70-71: the labels 其中：财政资金 and `其他资 金` landed side by side in one row, and
        # `4. 21` sits after both. It is the 财政资金 amount (= 项目资金总额 4.21); 其他资金 is blank.
        funds=same("4.21"),
        overall="加强反诈宣传，提高居民群众反诈意识；增强反电信诈骗人员力量，减少电信诈骗侵害群体；"
                "实施举报奖励机制，保护群众财产安全，维护社会有序发展。",
        annual_goal="维护人民群众财产安全",
        why="funds labels merged into one row; L81 成本指标 in the 一级 column belongs to 产出指标; "
            "all four 效益 二级 are `无` placeholders (kept: filling one in is a correction); "
            "`满意度指 标` / `一级指 标` line-wrap spaces; no numbering on the last row.",
        indicators=[
            (P, NUM, "电信诈骗数量减少", "100%"),
            (P, NUM, "电信诈骗报警数量减少", "100%"),
            (P, TIME, "成功劝阻被诈骗人员转账、汇款等损失财产的行为。", "100%"),
            (P, TIME, "举报电信诈骗人员。", "100%"),
            (P, COST, PH),
            (B, ECO, PH),
            (B, SOC, PH),
            (B, ENV, PH),
            (B, SUS, PH),
            (S, SAT, "群众安全感满意度不断提高", "100%"),
        ],
        **Y23,
    ),
    Table(
        "000", 88, TARGET, name="反恐工作经费", category="经常性项目", department="吴泾镇人民政府", unit="平安办",
        money_unit=WAN, funds=same("0.01"),
        overall="维护社区稳定和治安秩序；提高社区有效处置暴力恐怖性群体事件的能力",
        annual_goal="维护辖区安全稳定",
        why="`指标1：无 / 无` placeholders (one in the 一级 column); 满意度 三级 written as a value "
            "(`指标1：96%` / 100%) is kept as written (renaming it is a correction).",
        indicators=[
            (P, NUM, "定期召开反恐安全会议，强调安保工作", "100%"),
            (P, NUM, "进行反恐安全培训", "100%"),
            (P, TIME, "落实反恐安全责任制，建立完善的反恐机制并落实到位", "100%"),
            (P, TIME, "根据区相关要求每年开展2次演练行动", "100%"),
            (P, COST, PH),
            (B, ECO, "反恐工作，在各自的岗位履行各自责任，保证各项指标顺利完成", "100%"),
            (B, SOC, "不断提高群众的安全意识", "100%"),
            (B, SOC, "营造“关注反恐、关爱生命”的氛围", "100%"),
            (B, ENV, "加强反恐稳定工作。确保社会大局的持续稳定", "100%"),
            (B, SUS, PH),
            (S, SAT, "96%", "100%"),
        ],
        **Y23,
    ),
    Table(
        "000", 163, TARGET, name="辅警人员补贴", category="经常性项目", department="吴泾镇人民政府", unit="平安办",
        money_unit=WAN, funds=same("96"),
        overall="加强基层维稳力量建设；切实抓好基层综治组织建设；积极化解各类矛盾纠纷，将各类不稳定因素解决在萌芽状态",
        annual_goal="维护辖区社会治安、社会稳定。",
        why="line-wrap spaces inside 三级 names (`持续 下降`, `任 务`, `费 用`, `特别 是`); "
            "L181 row shifted left under 成本指标; `可持续影响指 标` in the 一级 column.",
        indicators=[
            (P, NUM, "发案数不断减少，报警数持续下降", "100%"),
            (P, TIME, "预防和控制各类违法犯罪发生", "100%"),
            (P, TIME, "规定时间内完成上级交待的任务。", "100%"),
            (P, COST, "按劳动法规定给予加班费等费用", "100%"),
            (P, COST, "按市场标准给予相关费用", "100%"),
            (B, ECO, "社区稳定，生活幸福。", "100%"),
            (B, ECO, "保障吴泾镇经济社会发展", "100%"),
            (B, SOC, "维护社会的稳定", "100%"),
            (B, ENV, "全年刑事案件明显下降，特别是“两枪一盗”大幅度减少。", "100%"),
            (B, SUS, PH),
            (S, SAT, "群众安全感满意度不断提高", "100%"),
        ],
        **Y23,
    ),
    Table(
        "000", 214, TARGET, name="进博会防控工作", category="经常性项目",
        department="吴淞镇人民政府",  # sic (吴泾镇): kept, the fix is a correction
        unit="平安办", money_unit=WAN, funds=same("19.2"),
        overall="为外资在中国市场的进一步投资注入了强有力的信心；进博会带来贸易升级、产业升级",
        annual_goal="项目按照时间节点开展相关工作",
        why="wrong 主管部门 kept; ASCII `指标1: ` numbering; all 效益 二级 `无`.",
        indicators=[
            (P, NUM, "29个居村无特殊人群脱离管控", "100%"),
            (P, TIME, "进博会期间无肇事肇祸事件发生", "100%"),
            (P, COST, PH),
            (B, ECO, PH),
            (B, SOC, PH),
            (B, ENV, PH),
            (B, SUS, PH),
            (S, SAT, "群众安全感满意度不断提高", "100%"),
        ],
        **Y23,
    ),
    Table(
        "000", 237, TARGET, name="禁毒工作经费", category="经常性项目", department="吴泾镇人民政府", unit="平安办",
        money_unit=WAN, funds=same("1.51"),
        overall="帮助戒毒人员的心理辅导及身心健康；在重大时间节点无脱失、肇事肇祸现象；对吸毒人员100%管控",
        annual_goal="创建纯净无毒的社区环境。",
        why="L254 `指标1：无` with a BLANK 指标值: CORRECTIONS' conventions make only `无 / 无` a "
            "placeholder and list this row's `成本指标: 无` as a correction, so a faithful import keeps an "
            "indicator named 无 with a blank value. Line-wrap spaces after full-width punctuation "
            "(`会议， 及`) and inside words (`达 到`, `宣传 月`, `覆 盖`, `工 作`) are dropped.",
        indicators=[
            (P, NUM, "年内组织禁毒工作会议，及组织义务培训。", "100%"),
            (P, TIME, "禁毒宣传入户情况（底数）达到60%以上。", "100%"),
            (P, TIME, "根据区相关要求开展禁毒宣传月活动", "100%"),
            (P, COST, "无", ""),
            (B, ECO, "制定禁毒预防，全网共享，覆盖率98%", "100%"),
            (B, SOC, "组织辖区宾馆负责人开展禁毒", "100%"),
            (B, SOC, "社会面吸毒人员就业率提高", "100%"),
            (B, ENV, "社会面吸毒人员网络化管理工作，措施落实成效突出。", "100%"),
            (B, SUS, "社会稳定，持续发展", "100%"),
            (S, SAT, "96%", "100%"),
        ],
        **Y23,
    ),
    Table(
        "000", 334, TARGET, name="社工站经费", category="经常性项目", department="吴泾镇人民政府", unit="平安办",
        money_unit=WAN, funds=same("288.75"),
        overall="社工站协作我镇相关职能部门完成工作任务，提供专业化社会工作者，为服务对象提供专业化服务。",
        annual_goal="协作镇相关职能部门完成各项工作任务",
        why="L352 `指标2：…` lands in the 一级 column (still a 成本指标 row); L357 starts in column 0.",
        indicators=[
            (P, NUM, "服务数量辖区19个居委，服务数量辖区8个村", "100%"),
            (P, TIME, "为保证社工日常工作，确保项目资金及时拨付。", "100%"),
            (P, TIME, "元旦、春节、全国“两会”、劳动节、国庆节等重点人员管控等", "100%"),
            (P, COST, "根据区司法社工相关文件、抄报函", "100%"),
            (P, COST, "在规定时间内支付相关金额", "100%"),
            (B, ECO, "增加社区居民思想觉悟，充分发挥经济提升", "100%"),
            (B, SOC, PH),
            (B, ENV, PH),
            (B, SUS, "影响力可持续性", "100%"),
            (B, SUS, "影响力可推广性", "100%"),
            (S, SAT, "92%", "100%"),
        ],
        **Y23,
    ),
    Table(
        "000", 434, TARGET, name="综治协管员午餐经费", category="经常性项目", department="吴泾镇人民政府",
        unit="平安办", money_unit=WAN, funds=same("0.01"),
        overall="协助公安派出所处置各类违法犯罪行为；保障综治协管员日常生活",
        annual_goal="无",  # written `无`: kept (rewriting it is a correction)
        why="年度总体目标 `无`; L455 可持续影响指标 in column 0 (belongs to 效益指标).",
        indicators=[
            (P, NUM, "118名辅警协助民警执法，维持公共安全，减少社会犯罪率", "100%"),
            (P, TIME, "现行违法犯罪嫌疑人的扭送、纠纷调解治安宣传等警示活动", "100%"),
            (P, COST, "为社区保安提供午餐，加班人员提供早晚餐", "100%"),
            (B, ECO, "对一般纠纷或违规情况可通过说明教育", "100%"),
            (B, SOC, "疏导交通、劝阻、查纠交通安全违法行为", "100%"),
            (B, SOC, "维持交通事故现场秩序", "100%"),
            (B, ENV, PH),
            (B, SUS, PH),
            (S, SAT, "90%", "100%"),
        ],
        **Y23,
    ),
    Table(
        "000", 458, TARGET, name="派出所案管室设备采购经费", category="一次性项目",
        department="吴淞镇人民政府",  # sic, kept
        unit="平安办", money_unit=WAN, funds=same("90.93"),
        overall="对吴淞、塘湾派出所案管室进行设备改造。", annual_goal="无",
        why="一次性项目 ticked; wrong 主管部门 and `无` goal kept. `提高档案保密性, 调阅档案合规性`: "
            "a space after an ASCII comma is ordinary punctuation spacing, not a line-wrap space "
            "between CJK characters, so it stays.",
        indicators=[
            (P, NUM, "2个派出所进行案管室设备改造", "100%"),
            (P, TIME, "规定时间内完成案管室设备改造", "100%"),
            (P, COST, PH),
            (B, ECO, "提高档案保密性, 调阅档案合规性", "100%"),
            (B, ECO, "档案流程更合规顺畅", "100%"),
            (B, SOC, PH),
            (B, ENV, PH),
            (B, SUS, "节约调阅档案时间, 提高效率", "100%"),
            (S, SAT, PH),
        ],
        **Y23,
    ),
]

# =========================================================================================
# Seed 001 — 吴泾镇城市运行管理中心 2023, target tables without numbering
# =========================================================================================

T001 = [
    Table(
        "001", 3, TARGET, name="残保金抚恤金专项", category="专项资金",
        department="吴淞镇人民政府", unit="吴淞镇城市运行管理中心",  # both sic, kept
        money_unit=WAN,
        # L12 puts the left 其他资金 beside the right 上年结转资金; there is no right 其他资金 row at all.
        funds=same("3.50"),
        overall="根据国家税务总局上海税务局要求，落实2022年度残疾人就业保障金缴纳工资。",
        annual_goal="根据国家税务总局上海税务局要求，落实2022年度残疾人就业保障金缴纳工资。",
        why="专项资金 ticked; dates `2023年1月1日`; `无 / 无` placeholders including 满意度.",
        indicators=[
            (P, NUM, "完成编制内人员残疾人保障金缴纳", "100%"),
            (P, TIME, "2023年完成", "100%"),
            (P, COST, "控制在预算范围内", "控制在预算范围内"),
            (B, ECO, PH),
            (B, SOC, "促进残疾人就业", "完成缴纳工作"),
            (B, ENV, PH),
            (B, SUS, "保持保障残疾人就业", "完成缴纳工作"),
            (S, SAT, PH),
        ],
        **Y23,
    ),
    Table(
        "001", 25, TARGET, name="联管大队整治经费", category="经常性项目", department="吴泾镇人民政府",
        unit="吴泾镇城市运行管理中心", money_unit=WAN, funds=same("112.50"),
        overall="根据城运中心各项工作需求，确保完成各类点位整治，提升城市精细化管理水平。",
        annual_goal="对本镇范围内各类问题点位开展联合整治，提升城市精细化管理水平。",
        why="values drift between the 4th and 5th column; `无 / 无` placeholders.",
        indicators=[
            (P, NUM, "考核内点位整改率", "100%"),
            (P, TIME, "参与的准时率", "100%"),
            (P, COST, "控制在预算内", "100%"),
            (B, ECO, PH),
            (B, SOC, "群众感受度", "较上一年提升"),
            (B, ENV, "市容提升", "较上一年提升"),
            (B, SUS, PH),
            (S, SAT, "群众满意度", "较上一年提升"),
        ],
        **Y23,
    ),
    Table(
        "001", 48, TARGET, name="街面督查人员经费", category="经常性项目", department="吴泾镇人民政府",
        unit="吴泾镇城市运行管理中心", money_unit=WAN, funds=same("87.03"),
        overall="为贯彻市委、区委关于城市运行“一网统管”工作的部署要求，做强前端管理和联勤联动，提升新形势下网格巡查与"
                "督查队伍的实战能力，在持续做实居、村、街面、拓展四类网格前端发现的基础上，进一步加强网格巡查与督查队伍的"
                "专业化、规范化建设，按照“多格合一、职责清晰”的工作要求，采取好中选优的方法，选调一批“敢担当、懂业务、"
                "有能力”的业务骨干，打造一支相对稳定、专业性强的专职网格监督员和镇级督查员队伍。",
        annual_goal="进一步加强网格巡查与督查队伍建设",
        why="`<p>` markup dropped; period header `(2023 年-2023年)`; L64/L65/L68 `无` with a BLANK "
            "指标值: not `无 / 无`, and CORRECTIONS lists making them placeholders as a correction, "
            "so they stay indicators named 无 with blank values.",
        indicators=[
            (P, NUM, "每人每天一件", "100%"),
            (P, TIME, "日常巡查率", "100%"),
            (P, COST, "无", ""),
            (B, ECO, "无", ""),
            (B, SOC, "投诉率降低", "下降"),
            (B, ENV, "提升街面市容环境", "较上一年提升"),
            (B, SUS, "无", ""),
            (S, SAT, "群众满意度", "较上一年提升"),
        ],
        **Y23,
    ),
]

# =========================================================================================
# Seed 002 — 淞南镇主管单位 2023, self-evaluation tables (variant D, 元)
# =========================================================================================


def zero_rows(total: Row, current: Row) -> dict:
    # 上年结转资金 and 其他资金 are `0 / 0 / (blank)` in all five tables.
    return dict(total=total, current=current, carryover=Row("0", "0", None), other=Row("0", "0", None))


SE = dict(form=SELF_EVAL, year=2023, department="淞南镇主管单位", unit="上海市宝山区淞南镇城市运行管理中心",
          money_unit=YUAN)

T002 = [
    Table(
        "002", 3, name="平安办工作经费", **SE,
        funds=SFunds(**zero_rows(Row("12690000.00", "12814895.16", "12814895.16"),
                                 Row("12690000", "12814895.16", "12814895.16")),
                     weight="10", rate="100.00", score="10"),
        expected="推进辖区平安建设工作，降低各类治安案件的发生率，确保群体性矛盾和事件能够得到有效控制，特殊人员平稳在控，"
                 "争创“平安社区”称号。",
        achieved="完成较好",
        total_score="96",
        why="`12,690,000.00`; rows shifted by one column from L22 on (the `绩效指标` label in column 0); "
            "L32 `社会稳定` landed in column 0 with its 二级 cell lost: by the merged-cell convention it is a "
            "三级 under the 社会效益指标 above (its 6 points make 效益 = 30); the truncated actual `…平` is "
            "kept (completing it is a correction); L34 blank line inside the table; L35 `食 材`.",
        indicators=[
            (P, NUM, "综治信息平台相关设备", "综治信息平台相关设备（1个镇级平台，24个居委平台）", "按时完成项目招投标及签约",
             "4", "4", ""),
            (P, NUM, "治安案件发生率", "下降", "全年同比下降14.6%", "5", "5", ""),
            (P, NUM, "公安行政执法用相关车辆保障", "相关车辆及时维护和更换", "相关车辆及时维护", "4", "4", ""),
            (P, NUM, "派出所工作食堂伙食食材采购经费保障", "工作食堂正常运行", "完成预算99%", "4", "4", ""),
            (P, NUM, "治安协管类队伍工作能力提升", "年龄结构优化，综合素质提升，防控水平提高", "完成", "4", "4", ""),
            (P, NUM, "社区群防群治水平", "有所提升", "全年同比下降14.6%", "4", "4", ""),
            (P, QUAL, '"两个实有"的登记率、注销准确率', ">=90%", "登记率96%、准确率97%", "5", "5", ""),
            (P, QUAL, '"两个实有"全覆盖工作', "人口综合调控工作达到区人口办考核要求", "符合区人口办考核要求", "4", "4", ""),
            (P, QUAL, "技防类设施设备维护更新", "保证相关设备正常运行", "技防类设施正常运行", "4", "4", ""),
            (P, QUAL, "群体性矛盾和事件", "有效处置", "有效处置及时处置", "4", "4", ""),
            (P, QUAL, "特殊人员", "可控", "未发生特殊人员脱失事件", "4", "4", ""),
            (P, TIME, "项目完成及时性", "及时", "自建监控项目招投标及签约有所滞后", "4", "2",
             "提前做好维护计划，并严格按照时间节点推进工作"),
            (B, SOC, "社区治安", "完成公安机关交办工作，确保做到“三个不发生”",
             "未发生造成较大影响的治安案件，但5月曾发生一起因家庭纠纷造成人员意外死亡的案件", "6", "4",
             "加大宣传力度，引导居民通过合理途径解决各类纠纷"),
            (B, SOC, "社区平安志愿者在岗率", "符合区委政法委考核要求", "平安志愿者在岗率100%", "6", "6", ""),
            (B, SOC, "综治信息平台应用", "确保镇、居委两级平台与区平台的正常对接，任务收发", "平台正常运行", "6", "6", ""),
            (B, SOC, "2023年安全感及满意度测评成绩", "在全区各街镇排名中有所提升", "2023年全市未测评", "6", "6", ""),
            (B, SOC, "社会稳定", "社会面平稳有序，特殊人员可控", "未发生影响稳定的重大事件，相关特殊人员平", "6", "6", ""),
            (S, SAT, "公安行政执法用相关车辆使用", "保障公安工作顺利开展", "保障公安工作顺利开展", "5", "5", ""),
            (S, SAT, "派出所工作食堂伙食食材采购经费", "工作食堂正常运行", "食堂伙食情况满意", "5", "5", ""),
        ],
    ),
    Table(
        "002", 38, name="综治中心事务", **SE,
        funds=SFunds(**zero_rows(Row("500000.00", "327298.72", "327298.72"), Row("500000", "327298.72", "327298.72")),
                     weight="10", rate="100.00", score="10"),
        expected="进一步整合基层维稳力量，深入开展社会治安综合治理，有效推进平安建设向纵深发展，确保一方平安。",
        achieved="进一步整合基层维稳力量，深入开展社会治安综合治理，有效推进平安建设向纵深发展，确保一方平安。",
        total_score="94",
        why="实际完成情况 repeats 预期目标 (kept); header cells `年度 指标值`.",
        indicators=[
            (P, NUM, "中心内设部门数", "=3个", "3", "30", "30", ""),
            (P, QUAL, "社会治安综合治理能力", "提升", "提升", "10", "8",
             "在强化与各执法机构的沟通联系方面，需对管理架构进行优化调整，以明晰各部门的责任和使命。"),
            (P, TIME, "项目完成及时性", "及时", "及时", "10", "10", ""),
            (B, SOC, "加强社区平安建设", "确保地区稳定", "较稳定", "30", "28",
             "加强宣传工作，在各类媒体平台上推出更多关于安全防范的信息，引导公众形成积极主动的安全意识。"),
            (S, SAT, "平安建设满意度", "较高", "较高", "10", "8", "提高巡逻效率，加大巡逻范围，从而更好的维护社会治安"),
        ],
    ),
    Table(
        "002", 57, name="综治协管服务社", **SE,
        funds=SFunds(**zero_rows(Row("8650000.00", "10350000.00", "10350000"), Row("8650000", "10350000", "10350000")),
                     weight="10", rate="100.00", score="10"),
        expected="实有人口管理做到底数清、情况明。提高实有人口登记正确率、注销率。",
        achieved="实有人口管理做到底数清、情况明。提高实有人口登记正确率、注销率。",
        total_score="90",  # L74: 100 is the sum of 分值, 90 the 总分
        why="line-wrap spaces in values and reasons (`增长 10%`, `拆迁， 公寓房`, `外 人人口`, `实 有`).",
        indicators=[
            (P, NUM, "外来人员数量", "56191，增长10%", "42428", "20", "15", "由于西塘桥拆迁，公寓房拆除造成外人人口减少。"),
            (P, QUAL, "实有人口登记正确率", ">=98%", "=96%", "20", "18", "提高协管人员上门登记力度，做到随来随登记。"),
            (P, TIME, "项目完成及时性", "及时", "及时", "10", "10", ""),
            (B, SOC, "加强社区治理，提高实有人口管理水平", "提高", "提高", "30", "28", "有待提升"),
            (S, SAT, "办理居住证满意度", "=100%", "=100%", "10", "9", "个别不满意"),
        ],
    ),
    Table(
        "002", 76, name="网格化事务", **SE,
        funds=SFunds(**zero_rows(Row("270000.00", "270000.00", "270000"), Row("270000", "270000", "270000")),
                     weight="10", rate="100.00", score="10"),
        expected="进一步提升城市管理规范化、标准化、精细化水平不断提升公众对我镇城市管理工作的满意率。",
        achieved="进一步提升城市管理规范化、标准化、精细化水平不断提升公众对我镇城市管理工作的满意率基本完成。",
        total_score="99.8",
        why="L94 `社会效益指标` in column 0 above the 效益指标 label at L96: the 一级 效益指标 cell is "
            "merged over L94-L100 (its text printed mid-cell), so L94, L96 and L97 all sit under "
            "效益指标 / 社会效益指标 (this also makes 产出 = 50 and 效益 = 30 points); L95 blank line; "
            "L100 shifted two columns left under 可持续影响指标. L88 `缺失 措施` is a line-wrap space "
            "between CJK characters and is dropped.",
        indicators=[
            (P, NUM, "先行联系率", "=100%", "=99.9%", "5", "4.9", "原因：先联记录缺失措施：电话、短信双保险"),
            (P, NUM, "巡查率", "=100%", "=100%", "5", "5", ""),
            (P, QUAL, "风险隐患排查率", "=100%", "=100%", "5", "5", ""),
            (P, QUAL, "案件及时率", "=100%", "=100%", "15", "15", ""),
            (P, QUAL, "案件结案率", "=100%", "=100%", "15", "15", ""),
            (P, TIME, "市民先行联系情况", "一个工作日", "=99.9%", "5", "4.9",
             "原因：先联工作没有落实到位。措施：电话未接通的情况下，及时发送先联短信。"),
            (B, SOC, "优化“一网统管”平台，各部门资源整合情况", ">=90%", ">=90%", "5", "5", ""),
            (B, SOC, "热线工单量", "同比减少5%", "同比减少58%", "5", "5", ""),
            (B, SOC, "市民满意度", "全区平均水平", "高于全区平均水平", "5", "5", ""),
            (B, ENV, "绿化市容案件整治情况", ">=90%", "100%", "5", "5", ""),
            (B, SUS, "市民满意率同比上升情况", "同比上升5%", "同比上升8%", "5", "5", ""),
            (B, SUS, "热线工单解决率同比上升情况", "同比上升5%", "同比上升5%", "5", "5", ""),
            (S, SAT, "市民满意率", "全区平均水平", "高于全区平均水平", "10", "10", ""),
        ],
    ),
    Table(
        "002", 104, name="安全管理工作经费", **SE,
        funds=SFunds(**zero_rows(Row("1500000.00", "1504926.04", "1504926.04"), Row("1500000", "1504926.04", "1504926.04")),
                     weight="10", rate="100.00", score="10"),
        expected="各类安全生产、消防安全、非市政道路事交通事故不突破区安委会下达的预警控制线，确保不发生较大及以上有严重社会"
                 "影响的安全生产事故。",
        achieved="辖区企事业单位安全生产及消防安全工作总体平稳，社区居民消防安全宣传仍需加强",
        total_score="93",
        why="L119 时效指标 in the 一级 column (belongs to 产出指标); L120 分值/得分 `05` (numerically 5); "
            "L122-L124 one row split by a page break and a blank line: 三级 安全宣传有效性, 指标值 from L122 "
            "(`…安全意识`; the lone `识` on L124 repeats its last character), reason L122 + L124 joined.",
        indicators=[
            (P, NUM, "居委成立微型消防工作站", "=24个", "=24个", "20", "20", ""),
            (P, NUM, "安全宣传普及性", "=100%", "=100%", "10", "10", ""),
            (P, QUAL, "重大节假日期间消防救援驻防完成度", "=100%", "=100%", "10", "10", ""),
            (P, TIME, "安全宣传及时性", "及时", "及时", "5", "5", ""),
            (P, TIME, "重大节假日期间消防救援驻防及时性", "及时", "及时", "5", "5", ""),
            (B, SOC, "社区消防实事项目开展效果", "能有效改善社区消防设施的落后现象，为社区居民提供消防安全保障", "改善既定目标",
             "20", "15", "80岁以上独居老人安装烟感报警器，4成家庭拒绝安装"),
            (B, SOC, "安全宣传有效性", "有效提高镇域内企业和居民安全意识", "=80%", "10", "8", "仍需政府居委加大消防安全宣传"),
            (S, SAT, "社区消防实事项目满意度", "=100%", "=100%", "10", "10", ""),
        ],
    ),
]

# =========================================================================================
# Seed 003 — 浦江镇 2026: target tables, and declaration tables (信访办, L147-L203)
# =========================================================================================

PJ = dict(department="浦江镇人民政府", money_unit=WAN)
PJ_PA = dict(department="闵行区浦江镇人民政府", unit="闵行区浦江镇平安建设办公室", money_unit=WAN)
DECL = dict(form=DECLARATION, nature="经常性项目", category="运转类项目", department="浦江镇人民政府",
            unit="浦江镇信访办", money_unit=WAN, year=2026, start=date(2026, 1, 1), end=date(2026, 12, 31),
            period=None)  # header is just 项目总目标, no (YYYY年-YYYY年)

AB_INDICATORS = [  # 安保经费 and, copied verbatim, 社工点经费
    (P, NUM, "特勤安保岗位数", "360岗"),
    (P, NUM, "联动执法岗位数", "12岗"),
    (P, NUM, "交通辅警岗位数", "52岗"),
    (P, QUAL, "安保人员勤务完成率", "100%"),
    (P, TIME, "安保人员面对突发事件处置及时性", "快速处置率100%"),
    ("社会效益指标", SOC, "压降辖区内警情", "有效"),
    ("社会效益指标", SOC, "缓解辖区内道路拥堵", "有效"),
    ("社会效益指标", SOC, "缓解警力不足", "有效"),
    ("社会效益指标", SOC, "长效管理机制", "建立健全"),
    (S, SAT, "相关单位满意度", "≥90%"),
]
AB_OVERALL = "通过特保力量的参与，确保全镇范围内各项执法、整治、维稳、巡管以及突发事件处置等工作顺利开展，维护好浦江的一方稳定"

T003 = [
    Table(
        "003", 3, TARGET, name="社工", category="经常性项目", unit="浦江镇社区党群服务中心", **PJ,
        funds=same("3082.53"),  # `3,082.53`
        overall="保障社工2026年度工资福利、公用经费等的正常支出。",
        annual_goal="保障社工2026年度工资福利、公用经费等的正常支出。",
        why="thousands separators; 时效指标 printed twice (kept as written: both rows are 时效指标).",
        indicators=[
            (P, NUM, "社工数量", "118人"),
            (P, TIME, "资金发放准确率", "100%"),
            (P, TIME, "资金支付及时性", "每月"),
            (B, SOC, "对社工社保、福利等方面的保障", "提升"),
            (S, SAT, "社工满意度", "100%"),
        ],
        **Y26,
    ),
    Table(
        "003", 23, TARGET, name="党建活动", category="经常性项目", unit="浦江镇社区党群服务中心", **PJ,
        funds=TFunds("87.90", "87.9", None, "87.90", "87.90", None, None),
        overall="党群中心将从三个方面创新基层党建工作思路和模式，完善党的基层组织体系，提升基层党建的整体效能，"
                "为浦江高质量发展提供坚强的组织保证。",
        annual_goal="1. 聚焦需求夯基础，整体规划强根基。一是优化党员结构，扩充后备力量。二是优化组织设置，推进党组织“应建尽建”。"
                    "三是加大支撑力度，示范效应更凸显。 2. 源头发力重培育，赋能统筹提能级。一是深化教育培育。二是完善赋能体系。"
                    "三是抓实阵地管理。 3. 深化融合促联动，优化品牌强质效。一是提质产业链党建。二是做优“六联六进”园区党建。"
                    "三是深化“车轮上的党建”项目。",
        # The list items are separated by `。 2.`: whether the importer keeps the space or turns it into a
        # line break, `1. 聚焦` keeps its space (it is not a line-wrap space between CJK characters).
        why="`<p>` markup; a numbered list in one cell; 87.90 vs 87.9 both kept (equal as numbers); "
            "L41 满意度 row starts in column 0.",
        indicators=[
            (P, NUM, "开展活动次数", "≥8次"),
            (P, QUAL, "活动开展质量达标率", "100%"),
            (P, TIME, "活动开展的时间", "当年12月前"),
            (B, SOC, "提升党组织的凝聚力", "提升"),
            (S, SAT, "党员满意度", "100%"),
        ],
        **Y26,
    ),
    Table(
        "003", 127, TARGET, name="浦江镇村党群服务中心标准化规范化建设项目资金奖补", category="一次性项目",
        unit="浦江镇社区党群服务中心", **PJ,
        # Imported as written: 498.37 / 498.37 | 378.32 = 120.05 + (blank) + (blank) does not add up.
        funds=TFunds("498.37", "498.37", None, "378.32", "120.05", None, None),
        overall="通过实施村党群服务中心标准化规范化建设奖补费项目，全面提升浦江镇村党群服务中心的建设水平和服务能级，"
                "形成功能完善、服务便捷、群众满意的党群服务阵地体系。",
        annual_goal="完成10个村党群服务中心奖补下拨任务。",
        why="fund totals that do not add up are kept; an empty column between amount and label.",
        indicators=[
            (P, NUM, "完成奖补次数", "10次"),
            (P, QUAL, "发放奖补准确率", "100%"),
            (P, TIME, "支付及时性", "及时"),
            (B, SOC, "提升党组织的凝聚力", "提升"),
            (S, SAT, "党员满意度", "100%"),
        ],
        **Y26,
    ),
    Table(
        "003", 147, name="劝导队经费", **DECL, funds=same("4.0344"),
        overall="提高协管员工作的积极性，配合信访部门做好信访工作",
        annual_goal="提高协管员工作的积极性，配合信访部门做好信访工作",
        why="declaration table: 项目性质 + 项目类别; header `年度(/项目)指标值` before the 绩效指标 label.",
        indicators=[
            (P, NUM, "劝导队队伍人数", "4人"),
            (P, QUAL, "劝导队人员到位率", "100%"),
            (P, TIME, "劝导队经费发放及时性", "及时"),
            (B, SOC, "保障辖区稳定性", "保障"),
            (B, SUS, "长效管理机制", "建立健全"),
            (S, SAT, "周边居民满意率", "90%"),
        ],
    ),
    Table(
        "003", 168, name="信访代理员经费", **DECL, funds=same("73.04"),
        overall="将矛盾化解在基层，化解在萌芽状态", annual_goal="将矛盾化解在基层，化解在萌芽状态",
        why="title and year on lines padded with tabs, no blank line between.",
        indicators=[
            (P, NUM, "信访代理员人数", "35人"),
            (P, QUAL, "信访代理员经费发放准确率", "100%"),
            (P, TIME, "信访代理员发放及时率", "每月"),
            (B, SOC, "降低矛盾发生率", "降低"),
            (B, SUS, "长效管理机制", "建立健全"),
            (S, SAT, "周边居民满意率", "90%"),
        ],
    ),
    Table(
        "003", 187, name="维稳经费", **DECL, funds=same("485"),
        overall="确保本区域的社会稳定", annual_goal="确保本区域的社会稳定",
        why="title inside `<div>` with the year on the same line; indicator header lacks 三级指标 "
            "(`一级指标 | | 二级指标 | | 年度指标值`) although the rows have all four columns; dates `2026. 1. 1`.",
        indicators=[
            (P, NUM, "维稳工作完成率", "100%"),
            (P, QUAL, "维稳工作完成达标率", "100%"),
            (P, TIME, "维稳事件发生响应及时性", "及时"),
            (B, SOC, "保障地区稳定性", "保障"),
            (B, SUS, "长效管理机制", "建立健全"),
            (S, SAT, "周边居民满意率", "90%"),
        ],
    ),
    Table(
        "003", 205, TARGET, name="安保经费", category=None,  # no box ticked: stays None
        **PJ_PA, funds=same0("2035.58"),  # `2035. 58`
        overall=AB_OVERALL, annual_goal="区域治安长效管理制度建立健全",
        why="no 项目类别 ticked; L223 时效指标 in the 一级 column belongs to 产出指标; L224 `社会效益指标` "
            "written as the 一级 (the 二级 column has its own 社会效益指标) is kept; `2026. 01. 01`.",
        indicators=AB_INDICATORS,
        **Y26,
    ),
    Table(
        "003", 230, TARGET, name="社工点经费", category="经常性项目", **PJ_PA,
        # L239-241: right 上年结转资金 0, 其他资金 0; then `金 | 0 | 其他资金 | 0` = the left 其他资金 0
        # split apart, beside a repeat of the right 其他资金 0.
        funds=same0("354.9887"),
        overall=AB_OVERALL, annual_goal="区域治安长效管理制度建立健全",
        why="the split `金 0` cell; goals and indicators copied verbatim from 安保经费 (kept).",
        indicators=AB_INDICATORS,
        **Y26,
    ),
    Table(
        "003", 276, TARGET, name="第四届人民警察节升警旗暨鲁汇派出所新址揭牌仪式", category="一次性项目", **PJ_PA,
        funds=same0("1.8"),
        overall="充分体现以习近平同志为核心的党中央对人民警察队伍的高度重视和关心关怀，进一步健全完善人民警察荣誉制度和标志体系，"
                "增强广大人民警察职业荣誉感。" * 2,  # printed twice in the cell: kept
        annual_goal="年内完成相关经费支付",
        why="goals header in column 0 and the 项目绩效目标 label on the text row; 项目总目标 text repeated "
            "(kept); 一级 `效果目标` kept; 2024 date kept; L295 满意度 row shifted into column 0.",
        indicators=[
            (P, NUM, "出席领导人数", "7人"),
            (P, QUAL, "启动仪式现场舞台搭建合格率", "100%"),
            (P, TIME, "启动仪式举办时间", "2024年1月10日"),
            ("效果目标", SOC, "社会大局稳定", "维护"),
            (S, SAT, "相关单位满意度", "≥90%"),
            (S, SAT, "司法促进会满意度", "≥90%"),
        ],
        **Y26,
    ),
    Table(
        "003", 359, TARGET, name="禁毒与反邪教", category="经常性项目", **PJ_PA, funds=same0("57.059"),
        overall="(禁毒)\n"
                "1、预防宣传，辖区内百人企业禁毒宣传教育覆盖率达100%；宾旅馆禁毒宣传覆盖率达100%；组织参观市禁毒科普教育馆人数"
                "达辖区实有人口0.5%；组织网上禁毒知识竞赛，参赛率达辖区实有人口5%；街镇层面社会面宣传，每月≥1次；与其他职能部门"
                "集中宣传，每季度≥1次；重点场所宣传，每年≥1次；禁吸戒毒，综合干预，每年1次对社会面吸毒人员开展分类评估，"
                "落实管控和干预措施，评估率达100%。\n"
                "(反邪教)\n"
                "(1)“四个不发生”：确保重大活动、重要节点不发生辖区内特殊人员漏管、失控、失踪和在本地区或跨地区进行违法犯罪活动；"
                "不发生邪教人员规模性公开聚集特别是进京聚集事件；不发生邪教利用技术手段实施重大电视插播、网络攻击和电话骚扰时间；"
                "不发生造成恶劣影响的重大反宣案件。实现零报告制度。\n"
                "(2)已转化人员巩固率达到100%，反复率为0。",
        annual_goal="1、宣传覆盖辖区内多数百人企业、宾旅馆、学校，组织参观禁毒科普馆，着力加强吸毒人员观看，对吸毒人员进行综合干预。\n"
                    "2、反邪教协调室整合力量，依托社会管理职员，对现有在册人员落实分级防控，完成辖区内对象排查汇总，健全完善"
                    "“一人一策”动态管理措施，积极帮助在册困难人员。",
        why="several `<p>` paragraphs (one per line; a line break and a space compare equal); header "
            "lacks 年度指标值; 社会效益指标 and 可持续影响指标 as 一级 kept; L384 starts in column 0.",
        indicators=[
            (P, NUM, "宣传活动完成率", "100%完成考核指标数"),
            (P, NUM, "禁毒预防宣传活动完成率", "百人企业、宾馆、学校宣传教育率覆盖80%"),
            (P, NUM, "禁毒综合干预体检完成人数", "100%完成当年度下达人数"),
            (P, NUM, "反邪教人员监测数", "66人"),
            (P, QUAL, "宣传活动达标率", "100%"),
            (P, TIME, "禁毒与反邪教宣传活动及时性", "按计划开展"),
            ("社会效益指标", SOC, "禁毒知识普及率", "提升"),
            ("社会效益指标", SOC, "社会面平稳", "维护"),
            ("社会效益指标", SOC, "转化成果（反邪教）", "巩固"),
            ("可持续影响指标", SUS, "长效管理制度", "建立健全"),
            (S, SAT, "特殊人员满意度", "≥90%"),
            (S, SAT, "区域内受众群体满意度", "≥90%"),
        ],
        **Y26,
    ),
    Table(
        "003", 386, TARGET, name="“两个实有”全覆盖“2+1”工作模式奖励费", category="经常性项目", **PJ_PA,
        funds=same0("98.12"),
        overall="根据《闵行区实有房屋、实有人口全覆盖管理长效机制》[闵人综办(2009)18号]文件精神，第九条第一款，"
                "对人、房信息采集、维护应当给予奖励。确保实有房屋、实有人口信息动态、准确、鲜活",
        annual_goal="年度人口信息准确率达到市人口办核定的标准，完成相应奖励费支付",
        why="L401 质量指标 shifted into the 三级 column (one right), L402 one left; quotes in the name.",
        indicators=[
            (P, NUM, "信息采集人员", "190人"),
            (P, QUAL, "重点人员准确率", "100%"),
            (P, QUAL, "信息登记准确率", "100%"),
            (P, TIME, "来登去消工作完成及时率", "100%"),
            (B, SOC, "实有人口和实有房屋信息质量", "提高"),
            (B, SOC, "工作人员工作积极性", "提高"),
            (B, SOC, "人口综合服务", "提高"),
            (B, SUS, "人防信息管理机制", "建立健全"),
            (S, SAT, "信息采集人员满意度", "≥90%"),
            (S, SAT, "主管部门满意度", "≥90%"),
        ],
        **Y26,
    ),
    Table(
        "003", 460, TARGET, name="浦江镇平安治理可视化安全管控项目", category="经常性项目", **PJ_PA,
        funds=same0("513.8604"),
        overall="针对本镇环境复杂，人流、车流密集情况，以“可视、高效、动态”为目标，做到信息掌握到位、矛盾化解到位、"
                "治安防控到位、便民服务到位。",
        annual_goal="补齐监控盲区，逐步实现镇域内视频监控全覆盖。并且通过后台传输，将前端设备的视频图像数据汇聚至镇城运中心、"
                    "属地派出所，实现治安管理的立体化、可视化、可控化。",
        why="L484 a 时效指标 row with its 三级 in the 一级 column; L488 可持续影响指标 in column 0 "
            "(belongs to 效益指标); L490 a 满意度 row with no 一级/二级 cells.",
        indicators=[
            (P, NUM, "涉及点位", "6905个"),
            (P, NUM, "乡村道路", "36条"),
            (P, NUM, "街镇商业、地铁周边主要道路", "26条"),
            (P, NUM, "绿化", "13处"),
            (P, NUM, "河道", "78条"),
            (P, QUAL, "设备合格率", "100%"),
            (P, QUAL, "设备安装率", "100%"),
            (P, QUAL, "通信传输率", "100%"),
            (P, TIME, "现场巡检、保养", "每季度一次"),
            (P, TIME, "设备故障响应及时性", "2小时"),
            (P, TIME, "设备故障处置及时性", "72小时"),
            (B, SOC, "城市治安管理水平", "提升"),
            (B, SOC, "城市运行管理能力", "提升"),
            (B, SOC, "应对突发事件能力", "提升"),
            (B, SUS, "长效管理机制", "建立健全"),
            (S, SAT, "相关部门满意度", "90%"),
            (S, SAT, "居民群众满意度", "90%"),
        ],
        **Y26,
    ),
    Table(
        "003", 492, TARGET, name="浦江镇多媒体宣传投放服务", category="一次性项目", **PJ_PA,
        # L500 `19.8 | 19.8` is one cell repeated; L503 the left 其他资金 0 (its label in column 0).
        funds=same0("19.8"),
        overall="通过在重点区域设点投放电子视频宣传内容，将进一步扩大宣传受众面，为营造安全、有序、稳定的社会环境提供支持。",
        annual_goal="定时滚动播放宣传视频",
        why="duplicated amount cell; year line `（ 2026年度）` with full-width brackets; 效果目标 kept.",
        indicators=[
            (P, NUM, "多媒体屏幕数量", "550个"),
            (P, QUAL, "电子投屏播放合格率", "100%"),
            (P, TIME, "内容投放时间", "按时"),
            ("效果目标", SOC, "法制宣传普率", "提高"),
            (S, SAT, "相关单位满意度", "≥90%"),
        ],
        **Y26,
    ),
    Table(
        "003", 534, TARGET, name="杜行派出所新址修缮工程", category="一次性项目", **PJ_PA, funds=same0("130"),
        overall="本项目的建设，是持续提升闵行区社会综合服务水平，方便群众办事，完善派出所基层设施，提升警务保障能力；"
                "匹配建筑平面与功能；开展法制教育工作，提升居民法制意识；落实从优待警，保障经常权益。"
                "解决杜行派出所增加警力后办公场所紧缺的问题，确保全部警力都有办公场所。",
        annual_goal="根据支付节点支付相关经费",
        why="multi-year period (2025年-2026年); L552 时效指标 in the 一级 column; `2022年竣工` kept.",
        indicators=[
            (P, NUM, "修缮面积", "19975平方米"),
            (P, NUM, "工程计划完成率", "工程计划完成率100%"),
            (P, QUAL, "工程项目投入使用率", "工程项目投入使用率100%"),
            (P, QUAL, "工程验收合格率", "合格率100%"),
            (P, TIME, "年内竣工", "2022年竣工"),
            (B, SOC, "建筑安全隐患", "消除安全隐患"),
            (B, SOC, "派出所民警工作环境", "改善工作环境"),
            (B, SOC, "居民群众办事便利性", "提高群众便利性"),
            (S, SAT, "派出所民警满意度", "90%"),
            (S, SAT, "居民群众满意度", "90%"),
        ],
        **dict(Y26, period=(2025, 2026)),
    ),
    Table(
        "003", 708, TARGET, name="人才活动", category="经常性项目", unit="浦江镇党建工作办公室（人才）条线", **PJ,
        funds=same0("42"),
        overall="通过建立人才工作机制、开展春申金字塔人才学院“一镇一品牌”项目建设、推进人才驿站建设等，推动人才工作提质增效。",
        annual_goal="紧扣新质生产力发展和产业生态打造需求，持续完善育才用才功能平台，为经济社会高质量发展提供坚实的人才支撑。",
        why="year line `（ 2026 年度 ）`; indicator header before the 绩效指标 label.",
        indicators=[
            (P, NUM, "开展活动次数", "≥10次"),
            (P, QUAL, "活动开展质量达标率", "90%"),
            (P, TIME, "活动开展的时间", "当年12月前"),
            (B, SOC, "以人才工作赋能营商环境提升", "提升"),
            (S, SAT, "人才满意度", "90%"),
        ],
        **Y26,
    ),
    Table(
        "003", 792, TARGET, name="法律服务", category="经常性项目", unit="浦江镇司法所", **PJ,
        funds=same("263.90"),
        overall="完成79家村居结对律师工作，村居律师现场咨询每月一次，举办法律知识讲座每季度一次；信访积案核查终结5件，"
                "信访积案化解5件，重点督办件、分级分责5件；为政府单位出具法律意见书及重大行政决策合法性审查10份，"
                "合同起草审核数量140份，完成代理应诉案件20件。",
        annual_goal="政府法律服务，有利于推进法治政府建设、有利于提升行政决策水平、有利于加强法治工作队伍建设。"
                    "信访法律服务加快推进形成“阳光信访、责任信访、法治信访”新格局的高度，充分认识律师参与信访工作的重要作用和意义，"
                    "积极推进律师参与信访工作。村居委法律服务将广泛深入开展通过整合律师、法律援助、公证等法律服务资源，"
                    "提供“家门口的法律服务菜单”，为村居提高法治意识和法治水平提供支撑。",
        why="L815 时效指标 shifted into the 三级 column with its 三级 in the value column: the 指标值 is blank "
            "(kept; `每月一次` is a correction); L816-818 shifted left (三级 in the 一级 column); "
            "period header `(2026 年-2026 年)`.",
        indicators=[
            (P, NUM, "信访积案核查终结", "5件"),
            (P, NUM, "重点督办件、分级分责", "5件"),
            (P, NUM, "出具法律意见书及重大行政决策合法性审查", "10件"),
            (P, NUM, "合同起草审核", "140件"),
            (P, NUM, "完成代理应诉案件", "20件"),
            (P, NUM, "村居结对律师数量", "79个"),
            (P, NUM, "参与积案化解数量", "5件"),
            (P, QUAL, "有责投诉率", "0%"),
            (P, QUAL, "考核达标率", "100%"),
            (P, TIME, "村居律师现场咨询", ""),
            (P, TIME, "举办法律知识讲座", "每季度一次"),
            (P, TIME, "答复及时性", "1个工作日"),
            (P, TIME, "意见书出具及时性", "3个工作日"),
            (B, SOC, "提升政府行政决策水平", "提升"),
            (B, SOC, "加强法治工作队伍建设", "加强"),
            (B, SUS, "长效管理制度", "建立健全"),
            (S, SAT, "百姓满意度", "85%"),
            (S, SAT, "政府各部门满意度", "90%"),
        ],
        **Y26,
    ),
    Table(
        "003", 825, TARGET, name="社区矫正安置帮教", category="经常性项目", unit="浦江镇司法所", **PJ,
        funds=same("9.26"),
        overall="严格落实社区矫正对象周报到、个别教育等执法环节，对辖区内矫正人员每日app签到，每月走访率达100%，"
                "主动与相关部门协调对接，切实为安置帮教人员提供生活保障。计划为辖区内符合条件的安置帮教人员办理临时性救助，"
                "发放救助金，发放生活用品20人次，协助符合条件的人员办理低保。为辖区内矫正人员开展三民传统教育，"
                "并发放书籍用于警示教育。",
        annual_goal="以“完善社区矫正执法体系建设”目标要求，充分保障各执法环节的顺利运行，努力减少和预防重新违法犯罪。"
                    "1、认真宣传贯彻条例，切实提高社区矫正工作法制化水平；2、依法严格执行刑罚，切实提高社区矫正工作规范化水平；"
                    "3、加强工作平台建设，切实提高社区矫正工作实战化水平；4、加强数据信息融合，切实提高社区矫正工作信息化水平；"
                    "5、引导社会多元参与，切实提高社区矫正工作社会化水平；推进机构队伍建设，切实提高社区矫正工作专业化水平。",
        why="L843 a 时效指标 row shifted into the 一级 column; L846 可持续影响指标 in the 一级 column "
            "(belongs to 效益指标); L847 满意度 in column 0.",
        indicators=[
            (P, NUM, "帮困对象数", "20人"),
            (P, NUM, "对矫正对象每日APP点名率", "100%"),
            (P, QUAL, "走访覆盖率", "100%"),
            (P, TIME, "安置帮教登记表制作及时性", "每月"),
            (P, TIME, "矫正对象APP点名及时性", "每日"),
            (B, SOC, "减少重犯发生率", "减少"),
            (B, SOC, "规范矫正对象违规后的处罚率", "100%"),
            (B, SUS, "长效管理制度", "建立健全"),
            (S, SAT, "矫正对象满意度", "95%"),
        ],
        **Y26,
    ),
    Table(
        "003", 923, TARGET, name="110非警务警情分流", category="经常性项目", unit="浦江镇司法所", **PJ,
        funds=same("149.21"),
        overall="加强业务培训和指导，规范人民调解活动，做好调解人员的培训及关于调解法律法规的各项宣传，努力提升矛盾纠纷的化解成功率。"
                "多元化解中心全年共组织纠纷调解1300件，成功和解1100件，化解成功率85%。",
        annual_goal="此项目通过购买服务的方式委托第三方派遣调解员和律师对纠纷进行调解处置。以“矛盾不上交、平安不出事、服务不缺位”"
                    "为工作目标，提高社会治理社会化、法治化、专业化、智能化水平，不断提升浦江人民群众获得感、幸福感、安全感。"
                    "发挥人民调解化解矛盾纠纷的独特优势，提升矛盾纠纷多元化解能力，及时有效化解百姓身边的非警务类“110”矛盾纠纷。",
        why="the last table of the file; its last row (L945) has no trailing newline; `服务对象 满意度指标`.",
        indicators=[
            (P, NUM, "调解案件数量", "1300"),
            (P, NUM, "调解成功案件数量", "1100"),
            (P, NUM, "制作人民调解协议书", "1100"),
            (P, QUAL, "调解成功率", "85%"),
            (P, TIME, "调解及时性", "当天及时联系"),
            (B, SOC, "调解后诉讼率", "减少"),
            (B, SOC, "居民有效投诉处置率", "=100.00(百分比)"),
            (B, SUS, "长效管理制度", "建立健全"),
            (S, SAT, "居民满意度", "90%"),  # L945: the file's last line, without a newline
        ],
        **Y26,
    ),
]

TABLES = T000 + T001 + T002 + T003
