"""How long does ``jixiao check`` take on a large workspace, next to bare libyaml parsing?

    .venv/bin/python bench/check_bench.py [--count 1000] [--seed N] [--keep DIR] [--profile]

Generates a workspace of realistic specs in a temporary folder (several 主管部门 and
years, ``_defaults.yaml`` at each level, several 实施单位 folders; about 70 %
绩效目标表, 10 % 绩效目标申报表 and 20 % 绩效自评表 with 5–20 indicators each, using
the vocabulary of the published tables in ``FORMS.md``'s seeds; a few files carry
the defects clerks really make). Each spec is built as a model and written by
``jixiao.model.dump``, the writer of ``selfeval init`` and ``import``; only the one
defect a model cannot hold (``分值: 05``) is put into the text afterwards. Then it times

* ``load_workspace`` + ``check_workspace`` over the workspace, and
* reading every file and ``yaml.load(text, Loader=yaml.CSafeLoader)``,

by CPU time (``time.process_time``: the machine may be shared, and other processes'
work must not count), ``--runs`` times each, the two alternated within each repetition
(which goes first alternates too) so that a change of load hits both sides alike. It
prints min / median / max of each, of the ratio within each repetition, and judges the
median ratio against the goal (≤ 2×): a PASS/OVER line; then the peak memory of one
check. Generation is deterministic for a given ``--seed`` and ``--count``.

Before timing, the check's findings are verified: every spec must build a project with
exactly the indicators generated, and no structural finding (YAML syntax, wrong type,
unknown key …) may appear, so a broken generator cannot produce a fast-looking run.

Exit status: 0 when the ratio meets the goal, 1 when it is over, 2 when the
generated workspace does not load as intended.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import os
import pstats
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
try:  # the installed (editable) package, or another tree on PYTHONPATH to compare against
    import jixiao  # noqa: F401
except ImportError:  # pragma: no cover - run without installing
    sys.path.insert(0, str(ROOT / "src"))

from jixiao.load.workspace import load_workspace  # noqa: E402
from jixiao.model.dump import dump, inherited_paths  # noqa: E402
from jixiao.model.project import (  # noqa: E402
    AnnualRequest,
    FirstLevel,
    FundRow,
    Indicator,
    OverallGoal,
    Project,
    ProjectTotal,
    SecondLevel,
    SelfEvalFunds,
    TargetFunds,
)
from jixiao.model.vocab import FormKind, MoneyUnit  # noqa: E402
from jixiao.validate import Report, check_workspace  # noqa: E402
from jixiao.yamltext import scalar  # noqa: E402

GOAL = 2.0
FORMS = (("绩效目标表", 0.70), ("绩效目标申报表", 0.10), ("绩效自评表", 0.20))
DEFECT_RATE = 0.08  # share of spec files that carry one realistic defect

# Findings that mean the generator wrote something the format does not allow.
STRUCTURAL = frozenset({
    "yaml-syntax", "yaml-too-large", "yaml-duplicate-key", "yaml-tag", "yaml-merge-key",
    "missing-key", "unknown-key", "not-for-form", "wrong-type", "empty-text", "invalid-value",
})

# -- vocabulary (from the published tables in /work/shared/seeds) ---------------------------------


@dataclass(frozen=True)
class Department:
    name: str
    town: str  # prefixed to some project names, as in 浦江镇多媒体宣传投放服务
    units: tuple[str, ...]
    print_style: str = "{y}.{m}.{d}"  # 日期格式: how the forms print dates
    money_unit: str = "万元"
    framework: str = "通用"  # 新: 成本指标 as its own 一级
    declaration_variant: str = ""  # "C": the district public-security bureau's table


DEPARTMENTS = (
    Department("吴泾镇人民政府", "吴泾镇", ("平安办", "吴泾镇城市运行管理中心", "吴泾镇司法所", "吴泾镇社区事务受理服务中心"),
               print_style="{y}. {m}. {d}"),
    Department("闵行区浦江镇人民政府", "浦江镇", ("闵行区浦江镇平安建设办公室", "浦江镇信访办", "浦江镇司法所",
                                   "浦江镇社区党群服务中心", "浦江镇党建工作办公室（人才）条线"),
               print_style="{y}-{m}-{d}"),
    Department("淞南镇主管单位", "淞南镇", ("上海市宝山区淞南镇城市运行管理中心", "淞南镇平安办", "淞南镇综治中心"),
               print_style="{y}年{m}月{d}日"),
    Department("上海市公安局崇明分局(汇总)", "崇明区", ("城桥派出所", "堡镇派出所", "新河派出所", "交警支队", "治安支队"),
               money_unit="元", framework="新", declaration_variant="C"),
    Department("鲁汇镇人民政府", "鲁汇镇", ("鲁汇镇平安办", "鲁汇镇城市运行管理中心", "鲁汇镇司法所")),
)
YEARS = (2023, 2024, 2025, 2026)

PROJECT_BASES = (
    "人口工作", "610工作专用款", "反电信诈骗", "反恐工作经费", "平安志愿者经费", "综治协管员午餐经费",
    "社工点经费", "安保经费", "警务辅助服务经费", "特种安保人员经费", "巡查员工作经费", "街面督查人员经费",
    "图像监控人员经费", "非法客运整治经费", "铁路护路工作经费", "禁毒工作经费", "禁毒与反邪教", "社区矫正安置帮教",
    "人民调解", "诉调对接", "法律服务", "普法", "信访代理员经费", "劝导队经费", "维稳经费", "网格化事务",
    "网格系统及设备维护", "标准网格化创建", "城运中心指挥大厅建设", "应急救援", "突发事件", "进博会防控工作",
    "联管大队整治经费", "重精患者监护人奖励费", "平安家园工程", "综治中心事务", "平安办工作经费",
    "综治协管服务社", "安全管理工作经费", "安全风险评估经费", "党建活动", "人才活动", "人才驿站建设",
    "人才健康体检", "下发基层书报费", "事业编残保金", "公安后勤经费", "辅警人员补贴", "交通辅警工作经费",
    "110非警务警情分流", "区级社工及借调人员工作经费", "社工站经费", "残保金抚恤金专项",
    "派出所案管室设备采购经费", "警察节民警慰问品采购项目", "闵行区街区党组织服务群众专项经费",
    "多媒体宣传投放服务", "平安治理可视化安全管控项目", "社会治安综合治理中心修缮项目",
    "“两个实有”全覆盖“2+1”工作模式奖励费", "实有人口移动信息采集终端租赁服务", "村党群服务中心标准化规范化建设奖补",
)
NAME_QUALIFIERS = ("（一期）", "（二期）", "（续建）", "（专项）", "（运维）", "（南区）", "（北区）")

GOAL_SENTENCES = (
    "加强基层维稳力量建设，切实抓好基层综治组织建设",
    "积极化解各类矛盾纠纷，将各类不稳定因素解决在萌芽状态",
    "提高实有人口登记正确率、注销率，做到底数清、情况明",
    "加强反诈宣传，提高居民群众反诈意识，保护群众财产安全",
    "深化“平安建设”，维护社会稳定",
    "强化物业保安主体责任，引导小区各方联动，主动投身小区平安建设",
    "完善基层设施，提升警务保障能力，落实从优待警",
    "提高网格中心案件分派统筹效率，保障问题及时发现并处理",
    "对各类问题点位开展联合整治，提升城市精细化管理水平",
    "规范人民调解活动，努力提升矛盾纠纷的化解成功率",
    "做好调解人员培训及调解法律法规的宣传",
    "大力弘扬志愿精神，普及志愿服务理念，营造参与志愿服务的浓厚氛围",
    "加强业务培训和指导，提升队伍综合素质和防控水平",
    "确保镇、居委两级平台与区平台的正常对接",
    "建立“前端自治+后端共治”快速处置机制，简易问题居村自治解决",
    "引导群众学法、懂法、守法、用法，提升法治理念",
    "确保不发生较大及以上有严重社会影响的安全生产事故",
    "提升人才服务效能，营造“引才、聚才、爱才”的人才服务氛围",
    "完善中心实体化运作，指挥大厅硬件配置到位",
    "按时足额发放各类补贴，调动工作人员积极性",
    "全面提升党群服务阵地的建设水平和服务能级",
    "发挥协同效应，形成与基层执法部门的联动工作机制",
    "降低各类治安案件的发生率，确保群体性矛盾和事件得到有效控制",
    "对重点人员实行伴随式管控，在重大时间节点无脱失、肇事肇祸现象",
)
DEVIATION_REASONS = (
    "在强化与各执法机构的沟通联系方面，需对管理架构进行优化调整，以明晰各部门的责任和使命。",
    "加强宣传工作，在各类媒体平台上推出更多安全防范信息，引导公众形成积极主动的安全意识。",
    "提前做好维护计划，并严格按照时间节点推进工作。",
    "提高巡逻效率，加大巡逻范围，从而更好地维护社会治安。",
    "原因：先联工作没有落实到位。措施：电话未接通的情况下，及时发送先联短信。",
    "受招投标进度影响，部分工作有所滞后；下一年度提前启动采购程序。",
)

PEOPLE = ("社工", "协管员", "平安志愿者", "特勤安保", "联动执法", "交通辅警", "网格监督员", "人民调解员",
          "信访代理员", "劝导队队员", "村居结对律师", "下派专职书记", "辅警", "巡查员", "图像监控人员",
          "综治协管员", "禁毒社工", "矫正社工", "护路队员", "楼组长", "党组织负责人", "民警")
ACTIVITIES = (("开展法治宣传活动", "次"), ("组织业务培训", "场"), ("发放宣传品", "份"), ("微博发帖", "条"),
              ("走访慰问", "人次"), ("排查化解矛盾纠纷", "件"), ("巡查点位", "个"), ("维护监控设备", "台"),
              ("召开工作例会", "次"), ("出具法律意见书", "份"), ("审核合同", "份"), ("代理应诉案件", "件"),
              ("调解纠纷", "件"), ("更新网格信息", "条"), ("采集实有人口信息", "条"), ("完成奖补", "次"),
              ("开展反诈宣传", "场"), ("处置突发事件", "起"), ("慰问困难党员", "人"), ("修缮房屋", "平方米"))
QUALITY_SUBJECTS = ("经费发放", "安保人员勤务", "设备维护", "工程验收", "信息登记", "案件结案", "活动开展质量",
                    "奖补发放", "网格信息更新", "隐患整改", "日常巡查", "人民调解", "宣传品验收", "补贴发放",
                    "实有人口登记", "监控设备运行", "慰问品", "残保金缴纳")
QUALITY_MEASURES = ("准确率", "合格率", "完成率", "达标率", "覆盖率", "到位率")
TIMELY_SUBJECTS = ("支付", "经费发放", "信息报送", "补贴发放", "突发事件处置", "答复", "意见书出具", "工单处置",
                   "安全宣传", "设备维修", "项目完成", "奖励费发放", "慰问品发放")
COST_SUBJECTS = ("项目成本", "人员经费", "设备采购成本", "运维费用", "宣传品采购成本", "修缮工程成本")
SOCIAL = ("辖区治安状况", "群众安全感", "矛盾纠纷化解成功率", "社会稳定", "压降辖区内警情", "缓解警力不足",
          "居民法治意识", "居民反诈意识", "党组织凝聚力", "城市精细化管理水平", "基层治理能力", "道路交通秩序",
          "信访积案化解", "社区平安建设", "群众办事便利性", "人才服务效能")
ECONOMIC = ("减少群众财产损失", "节约行政成本", "提高资金使用效益", "促进经济持续增长")
ECOLOGY = ("改善人居环境", "减少环境污染")
SUSTAIN = ("长效管理机制", "工作机制建立健全", "队伍稳定性", "制度化规范化水平", "信息数据持续更新")
SATISFY = ("居民满意度", "群众满意度", "党员满意度", "社工满意度", "相关单位满意度", "志愿者满意度",
           "服务对象满意率", "民警满意度", "周边居民满意率", "人才满意度", "受众满意度")

QUAL_SOCIAL = ("提升", "有效", "较上一年提升", "明显改善", "同比减少5%", "降低", "保障", "稳定", "持续提升")
QUAL_SUSTAIN = ("建立健全", "持续", "长期", "逐步完善")
ACHIEVED = ("完成", "已完成", "达到预期", "基本完成", "全面完成")

# -- amounts as clerks write them --------------------------------------------------------------


def money(amount: Decimal, places: int) -> Decimal:
    """The amount with ``places`` decimals written (``0.30`` keeps both)."""
    return amount.quantize(Decimal(1).scaleb(-places)) if places else amount.quantize(Decimal(1))


def q2(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def plain_number(value: Decimal) -> Decimal:
    """Points as a clerk writes them: 10, 9.5 — no trailing zeros."""
    return Decimal(format(value.normalize(), "f"))


# -- the generated workspace ----------------------------------------------------------------------


@dataclass
class Row:
    name: str
    target: str
    actual: str = ""
    weight: Decimal | None = None
    score: Decimal | None = None
    deviation: str = ""
    weight_text: str = ""  # as written, when not the plain number (a defect)


@dataclass
class Spec:
    rel: str
    form: str
    indicators: int = 0
    defect: str = ""


@dataclass
class Generated:
    files: dict[str, str] = field(default_factory=dict)
    specs: list[Spec] = field(default_factory=list)


class Generator:
    def __init__(self, seed: int, blank_values_ok: bool) -> None:
        self.rng = random.Random(seed)
        self.blank_values_ok = blank_values_ok
        self.names_used: dict[tuple[str, int], set[str]] = {}
        self.last_levels: dict[tuple[str, int], list[tuple[str, list[tuple[str, list[Row]]]]]] = {}

    # -- workspace ---------------------------------------------------------------------------------

    def workspace(self, count: int) -> Generated:
        out = Generated()
        out.files["_defaults.yaml"] = (
            "# 整个工作区的工具设置\n指标体系: 通用\n规则:\n  copied-goal: 警告\n  fund-one-year-mismatch: 错误\n"
            "自评规则:\n  资金得分封顶: true\n  得分小数位: 2\n"
            "  权重: {预算执行: 10, 产出指标: 50, 效益指标: 30, 满意度指标: 10}\n")
        folders = []
        for dept in DEPARTMENTS:
            for year in YEARS:
                base = f"{dept.name}/{year}"
                out.files[f"{base}/_defaults.yaml"] = self.dept_defaults(dept, year)
                for unit in dept.units:
                    out.files[f"{base}/{unit}/_defaults.yaml"] = (
                        "# yaml-language-server: $schema=../../../../docs/schema/defaults.schema.json\n"
                        f"实施单位: {scalar(unit)}\n")
                    folders.append((dept, year, unit))
        forms = [name for name, _ in FORMS]
        weights = [w for _, w in FORMS]
        for _ in range(count):
            dept, year, unit = self.rng.choice(folders)
            form = self.rng.choices(forms, weights)[0]
            name = self.project_name(dept, year)
            defect = self.pick_defect(form)
            rel = f"{dept.name}/{year}/{unit}/{name}.yaml"
            text, n = self.spec(dept, year, unit, form, name, defect)
            out.files[rel] = text
            out.specs.append(Spec(rel, form, n, defect))
        return out

    def dept_defaults(self, dept: Department, year: int) -> str:
        lines = [
            "# yaml-language-server: $schema=../../../docs/schema/defaults.schema.json",
            f"主管部门: {scalar(dept.name)}",
            f"年度: {year}",
            "表格: 绩效目标表",
            f"金额单位: {dept.money_unit}",
            f"日期格式: {self.date(2026, 1, 1, dept.print_style)}",  # the style, shown on 2026-01-01
            f"公开标题: {scalar(f'{dept.name}{year}年度项目支出绩效目标表')}",
        ]
        if dept.framework != "通用":
            lines.append(f"指标体系: {dept.framework}")
        return "\n".join(lines) + "\n"

    def project_name(self, dept: Department, year: int) -> str:
        used = self.names_used.setdefault((dept.name, year), set())
        for _ in range(1000):
            name = self.rng.choice(PROJECT_BASES)
            if self.rng.random() < 0.15:
                name = dept.town + name
            if self.rng.random() < 0.5 or name in used:
                name += self.rng.choice(NAME_QUALIFIERS) if self.rng.random() < 0.5 else ""
            if name in used:
                name = f"{self.rng.choice(PEOPLE)}{name}"
            if name not in used:
                used.add(name)
                return name
        raise RuntimeError("ran out of project names")  # pragma: no cover

    def pick_defect(self, form: str) -> str:
        if self.rng.random() >= DEFECT_RATE:
            return ""
        common = ["level1-nonstandard", "name-is-value", "year-outside", "duplicate-indicator",
                  "department-typo", "percent-over-100", "placeholder-indicator"]
        if self.blank_values_ok:
            common.append("value-blank")
        if form == "绩效自评表":
            kinds = [*common, "actual-repeats", "score-no-deviation", "leading-zero", "fund-score-wrong"]
        else:
            kinds = [*common, "fund-annual-sum", "fund-one-year-mismatch", "goal-placeholder", "copied-indicators"]
            if form == "绩效目标表":
                kinds.append("category-missing")
        return self.rng.choice(kinds)

    @staticmethod
    def date(y: int, m: int, d: int, style: str) -> str:
        return style.format(y=y, m=m, d=d, mm=f"{m:02d}", dd=f"{d:02d}")

    def goal_text(self, name: str, unit: str, sentences: int) -> str:
        picked = self.rng.sample(GOAL_SENTENCES, sentences)
        opener = self.rng.choice((f"通过实施{name}项目，", f"{unit}围绕{name}，", f"根据年度工作安排，{name}项目"))
        return opener + "；".join(picked) + "。"

    # -- one spec ------------------------------------------------------------------------------------

    def spec(self, dept: Department, year: int, unit: str, form: str, name: str,
             defect: str) -> tuple[str, int]:
        """The spec file (written by ``jixiao.model.dump``) and its number of indicators."""
        rng = self.rng
        self.current_defect = defect
        kind = FormKind(form)
        self_eval = kind is FormKind.SELF_EVAL
        header = []
        if rng.random() < 0.5:
            header.append("yaml-language-server: $schema=../../../../docs/schema/project.schema.json")
        variant = dept.declaration_variant if kind is FormKind.DECLARATION else ""
        multi_year = False
        category = nature = None
        if kind is FormKind.TARGET:
            category = rng.choices(("经常性项目", "一次性项目", "专项资金"), (6, 3, 1))[0]
            multi_year = category != "经常性项目" and rng.random() < 0.3
            if defect == "category-missing":
                category = None
        elif kind is FormKind.DECLARATION:
            nature = rng.choices(("经常性项目", "一次性项目", "阶段性项目"), (7, 2, 1))[0]
            multi_year = nature == "阶段性项目"
            if not dept.declaration_variant:
                category = rng.choice(("运转类项目", "其他运转类项目", "特定目标类项目"))
        department, restated = dept.name, False
        if defect == "department-typo":
            department = dept.name.replace(dept.name[1], "淞" if dept.name[1] != "淞" else "泾", 1)
        elif rng.random() < 0.2:
            restated = True  # the folder's 主管部门 written again, as many clerks do
        first, last = (year, year)
        if multi_year:
            first, last = rng.choice(((year, year + 1), (year - 1, year), (year - 1, year + 1)))
        funds = self.self_eval_funds() if self_eval else self.target_funds(dept, form, multi_year, defect)
        expected = achieved = annual_goal = ""
        overall_goal = None
        if self_eval:
            expected = self.goal_text(name, unit, rng.randint(2, 4))
            achieved = expected if defect == "actual-repeats" else (
                f"全年{rng.choice(('完成', '基本完成', '全面完成'))}年度目标，" + "；".join(rng.sample(GOAL_SENTENCES, 2)) + "。")
        else:
            overall = self.goal_text(name, unit, rng.randint(2, 4))
            if form == "绩效目标申报表" and not multi_year and rng.random() < 0.7:
                overall_goal = OverallGoal(text=overall)  # `项目总目标: 文字`
            else:
                overall_goal = OverallGoal(period=(first, last), text=overall)
            if defect == "goal-placeholder":
                annual_goal = "无"
            elif rng.random() < 0.4:
                annual_goal = "\n".join(
                    f"{i}. {sentence}。" for i, sentence in enumerate(rng.sample(GOAL_SENTENCES, rng.randint(2, 4)), 1))
            else:
                annual_goal = self.goal_text(name, unit, rng.randint(1, 3))
        levels = self.indicators(dept, year, form, defect)
        n = sum(len(rows) for _, seconds in levels for _, rows in seconds)
        total = grade = None
        if self_eval:
            total = self.fund_score + sum((r.score or Decimal(0) for _, s in levels for _, rows in s for r in rows),
                                          Decimal(0))
            if rng.random() < 0.7:
                grade = "优" if total >= 90 else "良" if total >= 80 else "中" if total >= 60 else "差"
            total = plain_number(total)
        publish, reason = True, None
        if rng.random() < 0.05:
            publish, reason = False, "涉及安保部署，不宜公开"
        remarks = rng.choice(("已与财政所核对", "金额按预算批复口径", "沿用上年指标")) if rng.random() < 0.1 else None
        project = Project(
            form=kind, variant=variant, year=year, name=name, category=category, nature=nature,
            department=department, unit=unit,
            start=None if self_eval else date(first, 1, 1), end=None if self_eval else date(last, 12, 31),
            funds=funds, overall_goal=overall_goal, annual_goal=annual_goal, expected=expected, achieved=achieved,
            indicators=self.grid(levels, self_eval), total_score=total, grade=grade,
            publish=publish, no_publish_reason=reason, remarks=remarks)
        # What the folders' _defaults.yaml give is left out, as clerks do.
        folder = {"form": FormKind.TARGET, "year": year, "department": dept.name, "unit": unit,
                  "money_unit": MoneyUnit(dept.money_unit)}
        omit = inherited_paths(project, folder) - ({"department"} if restated else set())
        text = dump(project, omit=omit, header=header)
        return self.leading_zero(text, levels), n

    # -- funds -----------------------------------------------------------------------------------------

    fund_score: Decimal = Decimal(0)

    def target_funds(self, dept: Department, form: str, multi_year: bool, defect: str) -> TargetFunds:
        rng = self.rng
        yuan = dept.money_unit == "元" or (form == "绩效目标申报表" and dept.declaration_variant == "C")
        places = 2 if yuan else rng.choices((2, 4, 0), (7, 2, 1))[0]
        scale = Decimal(1).scaleb(-places)
        total = Decimal(rng.randint(5_000, 30_000_000)) / Decimal(10_000)  # 0.5 to 3000 万元
        if yuan:
            total = total * 10_000 + (Decimal(rng.randint(1, 99)) / 100 if rng.random() < 0.3 else 0)
        total = total.quantize(scale)
        other = (total * Decimal(rng.randint(5, 40)) / 100).quantize(scale) if rng.random() < 0.15 else Decimal(0)
        fiscal = total - other
        annual = total
        if multi_year:
            annual = (total * Decimal(rng.randint(30, 70)) / 100).quantize(scale)
        carry = (annual * Decimal(rng.randint(5, 30)) / 100).quantize(scale) if rng.random() < 0.1 else Decimal(0)
        annual_other = Decimal(0)
        current = annual - carry - annual_other
        if defect == "fund-annual-sum":
            current = (current * Decimal("0.32")).quantize(scale)
        if defect == "fund-one-year-mismatch" and not multi_year:
            total = (total * Decimal("1.31")).quantize(scale)
            fiscal = total - other
        # A zero cell is left blank or written 0; in a compact table the zero 其他资金 and
        # 上年结转资金 cells are left out altogether (still blank to check: None either way).
        compact = rng.random() < 0.3

        def m(v: Decimal, leave_out: bool = False) -> Decimal | None:
            return money(v, places) if v else None if leave_out else rng.choice((None, Decimal(0)))

        return TargetFunds(
            unit=MoneyUnit.YUAN if yuan else MoneyUnit(dept.money_unit),
            project=ProjectTotal(total=money(total, places), fiscal=m(fiscal), other=m(other, compact)),
            annual=AnnualRequest(total=money(annual, places), current=m(current), carryover=m(carry, compact),
                                 other=m(annual_other, compact)))

    def self_eval_funds(self) -> SelfEvalFunds:
        rng = self.rng
        initial = Decimal(rng.randint(5, 1500)) * 10_000
        budget = q2(initial * Decimal(rng.randint(60, 110)) / 100 + Decimal(rng.randint(0, 99)) / 100)
        executed = budget if rng.random() < 0.5 else q2(budget * Decimal(rng.randint(850, 999)) / 1000)
        carry_budget = carry_exec = Decimal(0)
        if rng.random() < 0.2:
            carry_budget = q2(budget * Decimal(rng.randint(5, 20)) / 100)
            carry_exec = carry_budget
        cur_budget, cur_exec = budget - carry_budget, executed - carry_exec
        rate = q2(executed / budget * 100)
        score = q2(min(Decimal(10) * rate / 100, Decimal(10)))
        written_score = Decimal(10) if self.current_defect == "fund-score-wrong" and score < 10 else score
        self.fund_score = written_score
        zero = Decimal(0)
        return SelfEvalFunds(
            unit=MoneyUnit.YUAN,
            total=FundRow(initial=money(initial, 2), budget=money(budget, 2), executed=money(executed, 2)),
            current=FundRow(initial=money(initial, 0), budget=money(cur_budget, 2), executed=money(cur_exec, 2)),
            carryover=FundRow(initial=zero, budget=money(carry_budget, 2) if carry_budget else zero,
                              executed=money(carry_exec, 2) if carry_exec else None),
            other=FundRow(initial=zero, budget=zero),
            weight=Decimal(10), rate=rate, score=plain_number(written_score))

    current_defect: str = ""

    # -- indicators ------------------------------------------------------------------------------------

    def pools(self, year: int) -> dict[str, list[tuple[str, Callable[[], str]]]]:
        rng = self.rng

        def count(unit: str, lo: int = 2, hi: int = 400) -> Callable[[], str]:
            return lambda: rng.choice(("", "", "≥", "=", ">=")) + f"{rng.randint(lo, hi)}{unit}"

        def percent() -> str:
            return rng.choice(("100%", "100%", "≥95%", ">=90%", "=100%", "98%", "≥90%", "100.00%"))

        def timely() -> str:
            return rng.choice(("及时", "及时", "每月", "当年12月前", "24小时内", "3个工作日", "按节点支付",
                               "第一季度", f"{year}年12月31日前", "6小时内"))

        pools: dict[str, list[tuple[str, Callable[[], str]]]] = {
            "数量指标": [(f"{p}人数", count("人", 4, 400)) for p in PEOPLE]
            + [(f"{p}岗位数", count("岗", 2, 360)) for p in PEOPLE[:8]]
            + [(f"{a}数量" if u != "平方米" else f"{a}面积",
                (lambda u=u: f"{rng.randint(50, 3000)}.{rng.randint(10, 99)}平方米") if u == "平方米"
                else count(u, 1, 2000)) for a, u in ACTIVITIES],
            "质量指标": [(f"{s}{m}", percent) for s in QUALITY_SUBJECTS for m in QUALITY_MEASURES],
            "时效指标": [(f"{s}及时性", timely) for s in TIMELY_SUBJECTS]
            + [(f"{s}及时率", percent) for s in TIMELY_SUBJECTS],
            "成本指标": [(f"{s}控制", lambda: rng.choice(("控制在预算范围内", "控制在预算内", "≤预算金额")))
                     for s in COST_SUBJECTS] + [("人均补贴标准", lambda: f"{rng.randint(100, 800)}元/人/月")],
            "社会效益指标": [(s, lambda: rng.choice(QUAL_SOCIAL)) for s in SOCIAL],
            "经济效益指标": [(s, lambda: rng.choice(("有效", "降低", "提升"))) for s in ECONOMIC],
            "生态效益指标": [(s, lambda: rng.choice(("改善", "有效"))) for s in ECOLOGY],
            "可持续影响指标": [(s, lambda: rng.choice(QUAL_SUSTAIN)) for s in SUSTAIN],
            "服务对象满意度指标": [(s, lambda: rng.choice(("≥90%", "90%", "95%", "达到80%以上", "100%", "≥85%")))
                          for s in SATISFY],
        }
        pools["经济成本指标"] = [(f"{s}", lambda: f"≤{rng.randint(1, 500) * 1000}元") for s in COST_SUBJECTS]
        return pools

    def indicators(self, dept: Department, year: int, form: str,
                   defect: str) -> list[tuple[str, list[tuple[str, list[Row]]]]]:
        rng = self.rng
        key = (dept.name, year)
        if defect == "copied-indicators" and key in self.last_levels:
            return self.last_levels[key]
        pools = self.pools(year)
        n = rng.randint(5, 20)
        new = dept.framework == "新"
        extra = ["数量指标"] * 4 + ["质量指标"] * 3 + ["时效指标", "成本指标", "经济效益指标", "生态效益指标"] \
            + ["社会效益指标"] * 3 + ["可持续影响指标"] * 2 + ["服务对象满意度指标"]
        counts = Counter({"数量指标": 1, "质量指标": 1, "时效指标": 1, "社会效益指标": 1, "服务对象满意度指标": 1})
        if new and form == "绩效自评表":
            extra.remove("成本指标")
        while sum(counts.values()) < n:
            second = rng.choice(extra)
            if counts[second] < min(6, len(pools[second])):
                counts[second] += 1

        def rows(second: str, pool_name: str | None = None) -> list[Row]:
            chosen = rng.sample(pools[pool_name or second], counts[second])
            return [Row(name, make()) for name, make in chosen]

        output = [(s, rows(s)) for s in ("数量指标", "质量指标", "时效指标")]
        levels: list[tuple[str, list[tuple[str, list[Row]]]]] = []
        if new and form == "绩效自评表":
            pass  # the practice weights have no share for a first-level 成本指标
        elif counts["成本指标"] and new:
            levels.append(("成本指标", [("经济成本指标", rows("成本指标", "经济成本指标"))]))
        elif counts["成本指标"]:
            output.append(("成本指标", rows("成本指标")))
        elif form != "绩效自评表" and not new and rng.random() < 0.3:
            output.append(("成本指标", []))  # written `成本指标: 无`
        benefit = [(s, rows(s)) for s in ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标")
                   if counts[s]]
        levels += [("产出指标", output), ("效益指标", benefit),
                   ("满意度指标", [("服务对象满意度指标", rows("服务对象满意度指标"))])]
        self.apply_indicator_defect(levels, year, defect)
        if form == "绩效自评表":
            self.score(levels, defect)
        self.last_levels[key] = levels
        return levels

    def apply_indicator_defect(self, levels: list[tuple[str, list[tuple[str, list[Row]]]]], year: int,
                               defect: str) -> None:
        rng = self.rng
        output = dict(levels)["产出指标"]
        quantity = output[0][1]
        if defect == "level1-nonstandard":
            i = [name for name, _ in levels].index("效益指标")
            levels[i] = ("效果目标", levels[i][1])
        elif defect == "name-is-value":
            quantity.append(Row(f"指标{len(quantity) + 1}：{rng.randint(90, 99)}%", "100%"))
        elif defect == "year-outside":
            output[2][1].append(Row("工程竣工时间", f"{year - 2}年1月10日前"))
        elif defect == "duplicate-indicator":
            output[1][1].append(Row(quantity[0].name, quantity[0].target))
        elif defect == "percent-over-100":
            output[1][1][0].target = "120%"
        elif defect == "placeholder-indicator":
            output[1][1].append(Row("无", "无"))
        elif defect == "value-blank":
            quantity[0].target = ""

    def score(self, levels: list[tuple[str, list[tuple[str, list[Row]]]]], defect: str) -> None:
        rng = self.rng
        budget = {"产出指标": 50, "效果目标": 30, "效益指标": 30, "满意度指标": 10}
        for level, seconds in levels:
            rows = [r for _, rs in seconds for r in rs]
            points = budget[level]
            for i, row in enumerate(rows):
                share = points // len(rows) + (1 if i < points % len(rows) else 0)
                row.weight = Decimal(share)
                quantitative = row.target[:1].isdigit() or (row.target[:1] and row.target[:1] in "≥=>")
                row.actual = row.target.lstrip("≥=>") if quantitative else rng.choice(ACHIEVED)
                row.score = row.weight
                if rng.random() < 0.2 and row.weight >= 2:
                    row.score = row.weight - rng.choice((Decimal("0.5"), Decimal(1), Decimal(2)))
                    row.deviation = rng.choice(DEVIATION_REASONS)
        all_rows = [r for _, s in levels for _, rs in s for r in rs]
        if defect == "score-no-deviation":
            row = all_rows[0]
            row.score = (row.weight or Decimal(1)) - Decimal(1)
            row.deviation = ""
        if defect == "leading-zero":
            small = [r for r in all_rows if r.weight is not None and r.weight < 10]
            if small:
                small[0].weight_text = f"0{small[0].weight}"

    @staticmethod
    def grid(levels: list[tuple[str, list[tuple[str, list[Row]]]]], self_eval: bool) -> tuple[FirstLevel, ...]:
        def indicator(r: Row) -> Indicator:
            if not self_eval:
                return Indicator(name=r.name, target=r.target)
            return Indicator(name=r.name, target=r.target, actual=r.actual or None,
                             weight=plain_number(r.weight or Decimal(0)), score=plain_number(r.score or Decimal(0)),
                             deviation=r.deviation or None)

        return tuple(FirstLevel(name=level, children=tuple(
            SecondLevel(name=second, indicators=tuple(indicator(r) for r in rows)) if rows
            else SecondLevel(name=second, placeholder=True)  # written `成本指标: 无`
            for second, rows in seconds)) for level, seconds in levels)

    @staticmethod
    def leading_zero(text: str, levels: list[tuple[str, list[tuple[str, list[Row]]]]]) -> str:
        """The leading-zero defect (`分值: 05`) is in the text only: the model holds the number 5."""
        for row in (r for _, seconds in levels for _, rows in seconds for r in rows if r.weight_text):
            # The row is the first with a weight under 10: no line above it has the same weight.
            line = f"        分值: {plain_number(row.weight or Decimal(0))}\n"
            text = text.replace(line, f"        分值: {row.weight_text}\n", 1)
        return text


# -- checking that the workspace is what was generated ----------------------------------------------


def blank_values_supported() -> bool:
    """Whether ``check`` survives a blank 年度指标值 (it crashed on one when this bench was written)."""
    spec = ("表格: 绩效目标表\n年度: 2026\n项目名称: x\n项目类别: 一次性项目\n主管部门: x\n实施单位: x\n"
            "项目资金:\n  单位: 万元\n  项目资金总额: {合计: 1}\n  年度资金申请总额: {合计: 1}\n"
            "项目总目标: x\n年度总体目标: x\n绩效指标:\n  产出指标:\n    数量指标:\n"
            "      - 三级指标: x\n        年度指标值:\n")
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / ".git").mkdir()
        (Path(tmp) / "a.yaml").write_text(spec, encoding="utf-8")
        try:
            check_workspace(load_workspace([tmp]))
        except Exception:
            return False
    return True


def verify(report: Report, workspace_specs: dict[str, int], generated: Generated, root: Path) -> list[str]:
    """Problems with the generated workspace itself (empty when it loaded as intended)."""
    problems = []
    structural = [d for d in report.diagnostics if d.rule in STRUCTURAL]
    for d in structural[:10]:
        problems.append(f"structural finding: {d.format()}")
    if len(structural) > 10:
        problems.append(f"... and {len(structural) - 10} more structural findings")
    expected = {str(Path(s.rel)): s.indicators for s in generated.specs}
    if set(workspace_specs) != set(expected):
        problems.append(f"loaded {len(workspace_specs)} spec files, generated {len(expected)}")
    wrong = [rel for rel, n in expected.items() if workspace_specs.get(rel) != n]
    for rel in wrong[:5]:
        problems.append(f"{rel}: loaded {workspace_specs.get(rel)} indicators, generated {expected[rel]}")
    error_files = {d.location.file for d in report.diagnostics if d.severity.value == "error"}
    if len(error_files) > 0.15 * len(expected):
        problems.append(f"{len(error_files)} of {len(expected)} files have errors; the generator should "
                        f"write mostly valid specs")
    return problems


def loaded_indicator_counts(root: Path) -> tuple[Report, dict[str, int]]:
    ws = load_workspace([root])
    report = check_workspace(ws)
    counts = {}
    for spec in ws.specs:
        rel = str(spec.path.relative_to(root))
        counts[rel] = len(spec.project.all_indicators()) if spec.project is not None else -1
    return report, counts


# -- timing -------------------------------------------------------------------------------------------


def cpu_seconds(fn: Callable[[], object]) -> float:
    """CPU time of this process spent in ``fn()`` (user + system, all threads)."""
    gc.collect()
    start = time.process_time()
    fn()
    return time.process_time() - start


def alternated(runs: int, first: Callable[[], object], second: Callable[[], object]) -> list[tuple[float, float]]:
    """(CPU time of ``first``, of ``second``) for each repetition, the two run back to back
    in alternating order."""
    pairs = []
    for n in range(runs):
        if n % 2 == 0:
            a = cpu_seconds(first)
            b = cpu_seconds(second)
        else:
            b = cpu_seconds(second)
            a = cpu_seconds(first)
        pairs.append((a, b))
    return pairs


def spread(values: list[float], unit: str = " s", digits: int = 3) -> str:
    """min / median / max."""
    return " / ".join(f"{v:.{digits}f}" for v in (min(values), statistics.median(values), max(values))) + unit


def bare_yaml(paths: list[Path]) -> None:
    for path in paths:
        yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)


def profile(root: Path, limit: int = 25) -> str:
    prof = cProfile.Profile()
    prof.enable()
    check_workspace(load_workspace([root]))
    prof.disable()
    out = io.StringIO()
    stats = pstats.Stats(prof, stream=out).strip_dirs().sort_stats("tottime")
    stats.print_stats(limit)
    out.write("\n-- in src/jixiao, by cumulative time --\n")
    stats2 = pstats.Stats(prof, stream=out).sort_stats("cumulative")
    stats2.print_stats(r"src/jixiao", limit)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=1000, help="number of spec files (default 1000)")
    parser.add_argument("--seed", type=int, default=20260101, help="random seed (default 20260101)")
    parser.add_argument("--runs", type=int, default=7, help="timed repetitions of each side (default 7)")
    parser.add_argument("--keep", type=Path, help="write the workspace here and keep it")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of one check even if within goal")
    args = parser.parse_args(argv)

    blank_ok = blank_values_supported()
    generated = Generator(args.seed, blank_ok).workspace(args.count)
    tmp = None
    if args.keep:
        root = args.keep.resolve()
        if root.exists():
            shutil.rmtree(root)
    else:
        tmp = tempfile.mkdtemp(prefix="jixiao-bench-")
        root = Path(tmp) / "specs"
    try:
        (root / ".git").mkdir(parents=True)  # `_defaults.yaml` lookup stops here, as at a repo root
        for rel, text in generated.files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        os.chdir(root.parent)  # paths print relative, as in `jixiao check specs/`
        return run(args, root, generated, blank_ok)
    finally:
        if tmp is not None:
            os.chdir(ROOT)
            shutil.rmtree(tmp, ignore_errors=True)


def run(args: argparse.Namespace, root: Path, generated: Generated, blank_ok: bool) -> int:
    paths = sorted(root.rglob("*.yaml"))
    size = sum(p.stat().st_size for p in paths)
    forms = Counter(s.form for s in generated.specs)
    defects = Counter(s.defect for s in generated.specs if s.defect)
    n_ind = sum(s.indicators for s in generated.specs)
    import jixiao

    where = Path(jixiao.__file__).parent
    print(f"jixiao check benchmark (seed {args.seed}, {'kept in ' + str(root) if args.keep else 'temporary'}; "
          f"jixiao from {where})")
    print(f"  workspace: {len(generated.specs)} spec files + {len(paths) - len(generated.specs)} _defaults.yaml"
          f" = {len(paths)} files, {size:,} bytes")
    print("  forms: " + ", ".join(f"{name} {forms[name]}" for name, _ in FORMS)
          + f"; {n_ind:,} indicators; {sum(defects.values())} files with an injected defect")
    if not blank_ok:
        print("  note: blank 年度指标值 left out of the defects: check crashes on it")

    report, counts = loaded_indicator_counts(root)
    rel_counts = {str(Path(k)): v for k, v in counts.items()}
    problems = verify(report, rel_counts, generated, root)
    by_rule = Counter(d.rule for d in report.diagnostics)
    print(f"  check found {report.errors} errors, {report.warnings} warnings in "
          f"{len({d.location.file for d in report.diagnostics})} files: "
          + ", ".join(f"{r} {n}" for r, n in by_rule.most_common()))
    if problems:
        print("GENERATOR BROKEN — the workspace does not load as generated:")
        for p in problems:
            print("  " + p)
        return 2

    pairs = alternated(args.runs, lambda: check_workspace(load_workspace([root])), lambda: bare_yaml(paths))
    check_times = [a for a, _ in pairs]
    yaml_times = [b for _, b in pairs]
    ratios = [a / b for a, b in pairs]
    ratio = statistics.median(ratios)

    tracemalloc.start()
    check_workspace(load_workspace([root]))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux

    print(f"  CPU time, min / median / max of {args.runs} repetitions:")
    print(f"  load_workspace + check_workspace : {spread(check_times)}"
          f"  = {statistics.median(check_times) / len(generated.specs) * 1000:.2f} ms per spec (median)")
    print(f"  read + yaml.load(CSafeLoader)    : {spread(yaml_times)}")
    print(f"  ratio within each repetition     : {spread(ratios, '×', 2)}")
    print(f"  peak memory of one check: {peak / 2**20:.1f} MiB traced (tracemalloc); "
          f"process max RSS {rss:.0f} MiB")
    verdict = "PASS" if ratio <= GOAL else "OVER"
    print(f"{verdict}: check takes {ratio:.2f}× (median) the CPU time of bare libyaml parsing on "
          f"{len(generated.specs)} specs (goal ≤ {GOAL:g}×)")
    if verdict == "OVER" or args.profile:
        print("\n-- cProfile of one check --")
        print(profile(root))
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
