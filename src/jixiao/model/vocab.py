"""The fixed vocabulary of the forms (FORMS.md §1–§3).

Everything a clerk may choose from — form kinds, 项目类别, 项目性质, the
indicator framework — is defined once here and used by the schema, the
validator, the JSON Schema and the docs.
"""

from __future__ import annotations

import enum


class FormKind(enum.Enum):
    TARGET = "绩效目标表"
    DECLARATION = "绩效目标申报表"
    SELF_EVAL = "绩效自评表"
    MONITOR = "绩效运行监控表"

    @property
    def title(self) -> str:
        """The title as printed, without the year line."""
        return f"财政项目支出{self.value}"

    @property
    def default_variant(self) -> str:
        return {FormKind.TARGET: "A", FormKind.DECLARATION: "B", FormKind.SELF_EVAL: "D",
                FormKind.MONITOR: "M"}[self]


class MoneyUnit(enum.Enum):
    WAN = "万元"
    YUAN = "元"

    @property
    def max_decimals(self) -> int:
        return 6 if self is MoneyUnit.WAN else 2


# 项目类别 on the target table: three checkboxes, exactly one ticked.
TARGET_CATEGORIES = ("专项资金", "经常性项目", "一次性项目")
# 指标来源 of a 三级指标 (FORMS.md §10): where its target value was set from.
INDICATOR_SOURCES = ("计划标准", "行业标准", "历史标准", "其他")
# The mid-year monitoring form (FORMS.md §9, docs/monitoring.md): how likely the target is
# to be reached, and the kinds of reason a deviation is put down to (one or more).
LIKELIHOODS = ("确定能", "有可能", "完全不可能")
CERTAIN = LIKELIHOODS[0]
DEVIATION_REASONS = ("经费保障", "制度保障", "人员保障", "硬件保障", "其他")
# 项目性质 and 项目类别 on the declaration table.
DECLARATION_NATURES = ("经常性项目", "一次性项目", "阶段性项目")
DECLARATION_CATEGORIES = ("运转类项目", "其他运转类项目", "特定目标类项目")

# The indicator framework: 一级指标 → allowed 二级指标, in printed order.
# Cost appears under 产出指标 (older framework) or as its own first level
# (newer Shanghai tables, printed first).
FRAMEWORK: dict[str, tuple[str, ...]] = {
    "成本指标": ("经济成本指标", "社会成本指标", "生态环境成本指标"),
    "产出指标": ("数量指标", "质量指标", "时效指标", "成本指标"),
    "效益指标": ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"),
    "满意度指标": ("服务对象满意度指标",),
}
OUTPUT, BENEFIT, SATISFACTION, COST = "产出指标", "效益指标", "满意度指标", "成本指标"


class Framework(enum.Enum):
    """Where cost indicators go; a workspace chooses (``指标体系``)."""

    ANY = "通用"  # accept both placements
    OLD = "旧"  # 成本指标 as a 二级 under 产出指标
    NEW = "新"  # 成本指标 as its own 一级 with 经济/社会/生态环境成本指标


# Non-standard first-level names seen in the seeds, and what they mean.
LEVEL1_ALIASES: dict[str, str] = {
    "效果目标": BENEFIT,
    "效果指标": BENEFIT,
    "产出目标": OUTPUT,
    "效益目标": BENEFIT,
    "满意度目标": SATISFACTION,
}

# Self-evaluation practice (FORMS.md §5): weights by first level; grades by total.
PRACTICE_WEIGHTS = {"预算执行": 10, OUTPUT: 50, BENEFIT: 30, SATISFACTION: 10}
GRADES = (("优", 90), ("良", 80), ("中", 60), ("差", 0))

PLACEHOLDER = "无"


def parent_of_level2(name: str) -> list[str]:
    """The first levels under which ``name`` is a valid second level."""
    return [l1 for l1, l2s in FRAMEWORK.items() if name in l2s]


def all_level2() -> list[str]:
    return [l2 for l2s in FRAMEWORK.values() for l2 in l2s]
