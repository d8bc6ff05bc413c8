"""The spec model: the single source of truth for the spec format.

Each class is a frozen dataclass; each field carries a :class:`Key` in its
metadata with the YAML key as printed on the form, a Chinese description and
how the scalar is read. The structure builder (``load/structure.py``), the
JSON Schema (``jsonschema.py``), the exporter and the docs all read these
declarations, so a key is defined in exactly one place.

Values that the author may leave blank (an empty amount cell, an unfilled
self-evaluation score) are ``None``; a required value that is missing has
already been reported by the builder and is ``None`` or ``""`` here, so the
validator never sees a half-built object of the wrong type.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal
from types import MappingProxyType
from typing import Any, NamedTuple

from jixiao.errors import Location
from jixiao.model.vocab import INDICATOR_SOURCES, LIKELIHOODS, FormKind, Framework, MoneyUnit


class Kind(enum.Enum):
    """How a scalar's text is read."""

    TEXT = "text"  # kept exactly (stripped), may be multi-line
    MONEY = "money"  # Decimal, thousands separators allowed
    SCORE = "score"  # Decimal points (分值, 得分)
    PERCENT = "percent"  # "100.00%" → Decimal("100.00")
    DATE = "date"
    YEAR = "year"
    PERIOD = "period"  # "2025-2026" → (2025, 2026)
    INT = "int"
    BOOL = "bool"  # true / false only: yes/no/on/off are refused, not guessed
    CHOICE = "choice"  # one of Key.choices
    ENUM = "enum"  # one of an Enum's values (Key.enum)
    MODEL = "model"  # a nested mapping of another dataclass
    FUNDS = "funds"  # TargetFunds or SelfEvalFunds, chosen by the form kind
    INDICATORS = "indicators"  # the 一级 → 二级 → [三级] tree
    RULE_LEVELS = "rule-levels"  # rule id → 关闭/警告/错误
    WEIGHTS = "weights"  # name → points
    TEXT_MAP = "text-map"  # name → text (a variant's labels)
    WIDTHS = "widths"  # section name → list of relative column widths
    BANDS = "bands"  # qualitative band → "80-100" (percent of the points)


ALL_FORMS = frozenset(FormKind)
PLANNING = frozenset({FormKind.TARGET, FormKind.DECLARATION})
SELF_EVAL = frozenset({FormKind.SELF_EVAL})
MONITOR = frozenset({FormKind.MONITOR})
# The forms that report what was done: the year-end self-evaluation and mid-year monitoring.
REPORTING = SELF_EVAL | MONITOR


@dataclass(frozen=True, slots=True)
class Key:
    name: str  # the YAML key, as printed on the form
    desc: str
    kind: Kind = Kind.TEXT
    required: bool = False
    forms: frozenset[FormKind] = ALL_FORMS
    choices: tuple[str, ...] = ()
    enum: type[enum.Enum] | None = None
    model: type | None = None
    example: str = ""
    # A value a _defaults.yaml may supply: optional in the editor schema.
    inheritable: bool = False
    # Free text of sentences or paragraphs (a goal): written as a `|` block when long.
    paragraph: bool = False


def key(name: str, desc: str, default: Any = None, **kw: Any) -> Any:
    """Declare a model field with its YAML key."""
    return field(default=default, metadata={"key": Key(name, desc, **kw)})


_NO_FIELDS: Mapping[str, Location] = MappingProxyType({})


class Pos(NamedTuple):
    """Where an object and each of its fields were written (a tuple: one per model object)."""

    at: Location
    fields: Mapping[str, Location] = _NO_FIELDS

    def of(self, attr: str) -> Location:
        return self.fields.get(attr, self.at)


NOWHERE = Pos(Location("<内置>"))


def pos_field() -> Any:
    # Positions are not data: two specs with the same content are equal wherever written.
    return field(default=NOWHERE, compare=False, hash=False, repr=False)


_MODEL_KEYS: dict[type, tuple[tuple[str, Key], ...]] = {}


def model_keys(cls: type) -> tuple[tuple[str, Key], ...]:
    """(attribute, Key) for every declared field of a model class, in form order."""
    if cls not in _MODEL_KEYS:
        _MODEL_KEYS[cls] = tuple((f.name, f.metadata["key"]) for f in fields(cls) if "key" in f.metadata)
    return _MODEL_KEYS[cls]


# The optional details of a 三级指标, by YAML key (model ``Indicator``).
INDICATOR_DETAILS = ("指标解释", "评分标准", "计量单位", "指标来源", "上年实际值")


# -- indicators -----------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Indicator:
    """One 三级指标 row."""

    name: str = key("三级指标", "三级指标名称，如「社工数量」；不要写「指标1：」编号", default="",
                    required=True)
    target: str = key("年度指标值", "年度指标值，照写：100%、≥90%、360岗、及时、提升 等", default="",
                      example="≥90%")
    actual: str | None = key("实际完成值", "实际完成值：自评表为全年，监控表为截至监控截止日（印作「1-7月实际完成值」）",
                             forms=REPORTING)
    weight: Decimal | None = key("分值", "该指标的分值（自评表）", kind=Kind.SCORE, forms=SELF_EVAL)
    score: Decimal | None = key("得分", "该指标的得分，0 ≤ 得分 ≤ 分值（自评表）", kind=Kind.SCORE,
                                forms=SELF_EVAL)
    deviation: str | None = key("偏差原因分析及改进措施", "得分低于分值时必填（自评表）", forms=SELF_EVAL)
    # Mid-year monitoring (docs/monitoring.md): the forecast, and why it falls short.
    forecast: str | None = key("全年预计完成值", "到年底预计完成的值（监控表），照写，如 ≥95%、12次", forms=MONITOR)
    likelihood: str | None = key("完成目标可能性", "完成年度指标值的可能性（监控表）：确定能 / 有可能 / 完全不可能",
                                 kind=Kind.CHOICE, choices=LIKELIHOODS, forms=MONITOR)
    reasons: str | None = key("偏差原因", "偏差原因（监控表）：经费保障、制度保障、人员保障、硬件保障、其他，"
                              "可写多个，用顿号隔开", forms=MONITOR)
    remedy: str | None = key("原因说明及纠偏措施", "偏差的具体原因和纠偏措施（监控表）", forms=MONITOR,
                             paragraph=True)
    # The details the budget systems keep per indicator (FORMS.md §10): printed only by a
    # variant with those columns (变体的「指标明细栏」), shown in the HTML view otherwise.
    explanation: str | None = key("指标解释", "指标解释（绩效指标说明）：衡量什么、怎样计算，如「年内完成奖补的村数」",
                                  paragraph=True)
    scoring: str | None = key("评分标准", "评（扣）分标准，如「完成得满分，每少 1 次扣 1 分」", paragraph=True)
    measure_unit: str | None = key("计量单位", "计量单位，如 次、%、人、万元", example="次")
    source: str | None = key("指标来源", "指标来源（设定依据）：计划标准 / 行业标准 / 历史标准 / 其他",
                             kind=Kind.CHOICE, choices=INDICATOR_SOURCES)
    last_actual: str | None = key("上年实际值", "上年实际值（历史值），照写，如 9次、98%")
    pos: Pos = pos_field()

    def details(self) -> dict[str, str]:
        """The details written for this indicator, YAML key → text, in declaration order."""
        return {k.name: getattr(self, attr) for attr, k in model_keys(Indicator)
                if k.name in INDICATOR_DETAILS and getattr(self, attr)}


@dataclass(frozen=True, kw_only=True)
class SecondLevel:
    """A 二级指标 with its 三级 rows; ``placeholder`` when written as ``无``."""

    name: str
    indicators: tuple[Indicator, ...] = ()
    placeholder: bool = False
    pos: Pos = pos_field()


@dataclass(frozen=True, kw_only=True)
class FirstLevel:
    name: str
    children: tuple[SecondLevel, ...] = ()
    pos: Pos = pos_field()

    def indicators(self) -> list[Indicator]:
        return [ind for child in self.children for ind in child.indicators]


# -- funds ----------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ProjectTotal:
    """Left half of the funds block: the whole project."""

    total: Decimal | None = key("合计", "项目资金总额", kind=Kind.MONEY, required=True)
    fiscal: Decimal | None = key("财政资金", "其中：财政资金", kind=Kind.MONEY)
    other: Decimal | None = key("其他资金", "其他资金", kind=Kind.MONEY)
    pos: Pos = pos_field()


@dataclass(frozen=True, kw_only=True)
class AnnualRequest:
    """Right half of the funds block: this year."""

    total: Decimal | None = key("合计", "年度资金申请总额", kind=Kind.MONEY, required=True)
    current: Decimal | None = key("当年财政拨款", "其中：当年财政拨款", kind=Kind.MONEY)
    carryover: Decimal | None = key("上年结转资金", "上年结转资金", kind=Kind.MONEY)
    other: Decimal | None = key("其他资金", "其他资金", kind=Kind.MONEY)
    pos: Pos = pos_field()


def money_unit_key(choices: str) -> Any:
    """单位 of a funds block (the two forms list the usual unit first)."""
    return key("单位", f"金额单位：{choices}（可在 _defaults.yaml 用「金额单位」统一设定）", kind=Kind.ENUM,
               enum=MoneyUnit, required=True, inheritable=True)


@dataclass(frozen=True, kw_only=True)
class TargetFunds:
    """项目资金 on the target and declaration tables. A blank cell is ``None``."""

    unit: MoneyUnit | None = money_unit_key("万元 或 元")
    project: ProjectTotal | None = key("项目资金总额", "项目资金总额及其中财政资金、其他资金",
                                       kind=Kind.MODEL, model=ProjectTotal, required=True)
    annual: AnnualRequest | None = key("年度资金申请总额", "年度资金申请总额及其组成",
                                       kind=Kind.MODEL, model=AnnualRequest, required=True)
    pos: Pos = pos_field()


@dataclass(frozen=True, kw_only=True)
class FundRow:
    """One row of the self-evaluation funds block."""

    initial: Decimal | None = key("年初预算数", "年初预算数", kind=Kind.MONEY)
    budget: Decimal | None = key("全年预算数", "全年预算数（调整后预算，执行率的分母）", kind=Kind.MONEY)
    executed: Decimal | None = key("全年执行数", "全年执行数", kind=Kind.MONEY)
    pos: Pos = pos_field()


@dataclass(frozen=True, kw_only=True)
class SelfEvalFunds:
    """项目资金 on the self-evaluation table."""

    unit: MoneyUnit | None = money_unit_key("元 或 万元")
    total: FundRow | None = key("年度资金总额", "年度资金总额（唯一计分的资金行）", kind=Kind.MODEL,
                                model=FundRow, required=True)
    current: FundRow | None = key("当年财政拨款", "其中：当年财政拨款", kind=Kind.MODEL, model=FundRow)
    carryover: FundRow | None = key("上年结转资金", "上年结转资金", kind=Kind.MODEL, model=FundRow)
    other: FundRow | None = key("其他资金", "其他资金", kind=Kind.MODEL, model=FundRow)
    weight: Decimal | None = key("分值", "预算执行的分值（常规为 10）", kind=Kind.SCORE, required=True)
    rate: Decimal | None = key("执行率", "执行率，如 100.00%（全年执行数 ÷ 全年预算数）", kind=Kind.PERCENT)
    score: Decimal | None = key("得分", "资金得分 = 分值 × 执行率", kind=Kind.SCORE)
    pos: Pos = pos_field()

    def rows(self) -> list[tuple[str, FundRow | None]]:
        return [("当年财政拨款", self.current), ("上年结转资金", self.carryover), ("其他资金", self.other)]


@dataclass(frozen=True, kw_only=True)
class MonitorRow:
    """One row of the monitoring funds block (年度资金总额, 财政资金, 其他资金)."""

    initial: Decimal | None = key("年初预算数", "年初预算数（取自绩效目标表的年度资金申请）", kind=Kind.MONEY)
    adjusted: Decimal | None = key("调整后预算数", "调整后预算数（执行率的分母；未调整时同年初预算数）", kind=Kind.MONEY)
    executed: Decimal | None = key("执行数", "截至监控截止日的执行数（印作「1-7月执行数」）", kind=Kind.MONEY)
    rate: Decimal | None = key("执行率", "执行率 = 执行数 ÷ 调整后预算数，如 58.3%（可不写，由 jixiao 算出并核对）",
                               kind=Kind.PERCENT)
    forecast: Decimal | None = key("全年预计执行数", "到年底预计的执行数", kind=Kind.MONEY)
    pos: Pos = pos_field()


@dataclass(frozen=True, kw_only=True)
class MonitorFunds:
    """项目资金 on the mid-year monitoring form."""

    unit: MoneyUnit | None = money_unit_key("万元 或 元")
    total: MonitorRow | None = key("年度资金总额", "年度资金总额", kind=Kind.MODEL, model=MonitorRow, required=True)
    fiscal: MonitorRow | None = key("财政资金", "其中：财政资金（当年财政拨款与上年结转）", kind=Kind.MODEL,
                                    model=MonitorRow)
    other: MonitorRow | None = key("其他资金", "其他资金", kind=Kind.MODEL, model=MonitorRow)
    remedy: str | None = key("原因说明", "执行进度慢于时间进度、或全年预计执行数低于预算时的原因和措施",
                             paragraph=True)
    pos: Pos = pos_field()

    def rows(self) -> list[tuple[str, MonitorRow | None]]:
        """The rows as printed: label, row (None: left blank)."""
        return [("年度资金总额", self.total), ("财政资金", self.fiscal), ("其他资金", self.other)]


Funds = TargetFunds | SelfEvalFunds | MonitorFunds
# Every model the 项目资金 key may hold, one per kind of form.
FUNDS_MODELS: tuple[type, ...] = (TargetFunds, SelfEvalFunds, MonitorFunds)


def funds_model(form: FormKind | None) -> type[TargetFunds] | type[SelfEvalFunds] | type[MonitorFunds]:
    """What 项目资金 (the ``Kind.FUNDS`` key) holds on a form of this kind."""
    if form is FormKind.MONITOR:
        return MonitorFunds
    return SelfEvalFunds if form is FormKind.SELF_EVAL else TargetFunds


# -- goals ----------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class OverallGoal:
    """项目总目标 (YYYY年-YYYY年); a plain text value is accepted as 内容 alone."""

    period: tuple[int, int] | None = key("起止年度", "项目总目标的起止年度，如 2025-2026", kind=Kind.PERIOD,
                                         example="2025-2026")
    text: str = key("内容", "项目总目标的内容", default="", required=True, paragraph=True)
    pos: Pos = pos_field()

    shorthand = "text"  # `项目总目标: 文字` fills 内容


# -- the project ----------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Project:
    """One project's table for one year."""

    form: FormKind = key("表格", "表格种类：绩效目标表、绩效目标申报表、绩效自评表", default=FormKind.TARGET,
                         kind=Kind.ENUM, enum=FormKind, required=True)
    variant: str = key("表样", "表样（A、B、C、D 或工作区自定义的表样名）；默认按表格种类", default="")
    year: int | None = key("年度", "表格年度，如 2026", kind=Kind.YEAR, required=True)
    name: str = key("项目名称", "项目名称", default="", required=True)
    # The declaration table prints 项目性质 before 项目类别.
    nature: str | None = key("项目性质", "申报表的项目性质：经常性项目 / 一次性项目 / 阶段性项目",
                             forms=frozenset({FormKind.DECLARATION}))
    category: str | None = key("项目类别",
                               "绩效目标表：专项资金 / 经常性项目 / 一次性项目（勾选其一）；"
                               "申报表：运转类项目 / 其他运转类项目 / 特定目标类项目；监控表照目标表写",
                               forms=PLANNING | MONITOR)
    department: str = key("主管部门", "主管部门，如「闵行区浦江镇人民政府」", default="", required=True)
    unit: str = key("实施单位", "实施单位", default="", required=True)
    start: date | None = key("计划开始日期", "计划开始日期，写成 2026-01-01；打印样式由表样决定",
                             kind=Kind.DATE, forms=PLANNING)
    end: date | None = key("计划完成日期", "计划完成日期", kind=Kind.DATE, forms=PLANNING)
    cutoff: date | None = key("监控截止", "监控截止日期，如 2026-07-31（印作「1-7月」）", kind=Kind.DATE,
                              forms=MONITOR, required=True, example="2026-07-31")
    funds: Funds | None = key("项目资金", "项目资金块（结构随表格种类而不同）",
                                                    kind=Kind.FUNDS, required=True)
    overall_goal: OverallGoal | None = key("项目总目标", "项目总目标：起止年度与内容", kind=Kind.MODEL,
                                           model=OverallGoal, forms=PLANNING, required=True)
    annual_goal: str = key("年度总体目标", "年度总体目标（可多段）", default="", forms=PLANNING | MONITOR,
                           required=True, paragraph=True)
    progress: str = key("目标执行情况", "年度总体目标截至监控截止日的执行情况（监控表，印作「1-7月执行情况」）",
                        default="", forms=MONITOR, paragraph=True)
    expected: str = key("预期目标", "年度总体目标：预期目标（自评表）", default="", forms=SELF_EVAL,
                        required=True, paragraph=True)
    achieved: str = key("实际完成情况", "年度总体目标：实际完成情况（自评表）", default="", forms=SELF_EVAL,
                        paragraph=True)
    indicators: tuple[FirstLevel, ...] = key("绩效指标", "一级指标 → 二级指标 → 三级指标列表",
                                             default=(), kind=Kind.INDICATORS, required=True)
    total_score: Decimal | None = key("总分", "总分 = 资金得分 + 各指标得分（自评表）", kind=Kind.SCORE,
                                      forms=SELF_EVAL)
    grade: str | None = key("自评等级", "优 / 良 / 中 / 差（自评表，可不填）", kind=Kind.CHOICE,
                            choices=("优", "良", "中", "差"), forms=SELF_EVAL)
    previous: str | None = key("上年项目", "上年度的同一项目改过名时，写上年的项目名称（同一实施单位）；"
                               "跨年度检查据此找到上年的表")
    publish: bool = key("公开", "是否随预算/决算公开；false 表示不公开", default=True, kind=Kind.BOOL)
    no_publish_reason: str | None = key("不公开原因", "不公开的原因")
    remarks: str | None = key("备注", "备注（不打印）")
    pos: Pos = pos_field()

    @property
    def effective_variant(self) -> str:
        return self.variant or self.form.default_variant

    def all_indicators(self) -> list[Indicator]:
        return [ind for level in self.indicators for ind in level.indicators()]


# -- department defaults --------------------------------------------------------------------

# Date print styles, each written as 2026-01-01 would print.
DATE_STYLES = ("2026-01-01", "2026-1-1", "2026.01.01", "2026.1.1", "2026. 1. 1", "2026. 01. 01", "2026.1",
               "2026. 1", "2026.01", "2026年1月1日", "2026年01月01日", "2026/1/1")

# Page-number styles of the disclosure document, each written as page 3 of 51 prints
# (the names are what bundle/html_pdf.py and bundle/docx.py lay out).
PAGE_STYLES = ("第N页共M页", "-N-")


@dataclass(frozen=True, kw_only=True)
class SelfEvalRules:
    """自评规则: practice values from FORMS.md §5, configurable per workspace."""

    cap: bool | None = key("资金得分封顶", "资金得分不超过分值（默认 true）", kind=Kind.BOOL)
    decimals: int | None = key("得分小数位", "执行率、得分保留的小数位（默认 2）", kind=Kind.INT)
    weights: Mapping[str, Decimal] | None = key(
        "权重", "各部分常规分值：预算执行、产出指标、效益指标、满意度指标（默认 10/50/30/10）",
        kind=Kind.WEIGHTS)
    bands: Mapping[str, tuple[Decimal, Decimal]] | None = key(
        "分档", "定性指标的建议得分（占分值的百分比）：达成 80-100、部分达成 60-80、未达成 0-60", kind=Kind.BANDS)
    pos: Pos = pos_field()


@dataclass(frozen=True, kw_only=True)
class MonitorRules:
    """监控规则: how far execution may lag the time elapsed (docs/monitoring.md)."""

    tolerance: Decimal | None = key("进度容差", "执行率可以落后于时间进度的百分点，如 10%（默认 10%）",
                                    kind=Kind.PERCENT, example="10%")
    pos: Pos = pos_field()


@dataclass(frozen=True, kw_only=True)
class Defaults:
    """A department folder's ``_defaults.yaml``: values its project files inherit."""

    form: FormKind | None = key("表格", "本目录下项目的表格种类", kind=Kind.ENUM, enum=FormKind)
    variant: str | None = key("表样", "本目录下项目的表样")
    year: int | None = key("年度", "表格年度", kind=Kind.YEAR)
    department: str | None = key("主管部门", "主管部门")
    unit: str | None = key("实施单位", "实施单位")
    money_unit: MoneyUnit | None = key("金额单位", "项目资金的单位：万元 或 元", kind=Kind.ENUM, enum=MoneyUnit)
    date_style: str | None = key("日期格式", "日期打印样式，用 2026-01-01 这一天写出样子，如 2026.1.1、2026年1月1日",
                                 kind=Kind.CHOICE, choices=DATE_STYLES, example="2026.01.01")
    framework: Framework | None = key("指标体系", "成本指标放置：通用（两种都接受）、旧（产出指标下）、新（单列一级）",
                                      kind=Kind.ENUM, enum=Framework)
    disclosure_title: str | None = key("公开标题", "公开文档的标题，如「闵行区浦江镇人民政府2026年度项目支出绩效目标表」")
    accounts_title: str | None = key("决算公开标题", "自评表公开文档（决算公开）的标题，如「吴泾镇人民政府2023年度项目支出绩效自评表」；"
                                   "不写时，只有自评表的目录用「公开标题」")
    page_style: str | None = key("页码样式", "公开文档的页码：第N页共M页（默认，印「第 3 页 共 51 页」）或 -N-（印「- 3 -」）",
                                 kind=Kind.CHOICE, choices=PAGE_STYLES, example="-N-")
    rules: Mapping[str, str] | None = key("规则", "按规则编号调整级别：关闭 / 警告 / 错误", kind=Kind.RULE_LEVELS)
    selfeval: SelfEvalRules | None = key("自评规则", "自评打分规则", kind=Kind.MODEL, model=SelfEvalRules)
    monitor: MonitorRules | None = key("监控规则", "运行监控的检查规则", kind=Kind.MODEL, model=MonitorRules)
    pos: Pos = pos_field()


# Which Defaults attributes a project inherits, by Project attribute.
INHERITED = {"form": "form", "variant": "variant", "year": "year", "department": "department",
             "unit": "unit"}
RULE_LEVELS = {"关闭": None, "警告": "warning", "错误": "error"}
