"""Every check rule, with its exact message, position and severity.

``CASES`` maps each rule id of :data:`jixiao.rules.RULES` to a small workspace
that triggers it and to the diagnostics of that rule the check must report,
formatted as the CLI prints them (``path:line:col: 级别 [rule] message``).
``test_every_rule_has_a_case`` keeps the table complete: a new rule without a
test fails the suite.

Arithmetic rules use real figures from the seeds (FORMS.md §4, §5).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from decimal import Decimal

import pytest

from conftest import (
    CLEAN_TARGET,
    L134_ANNUAL_SUM,
    L134_MISMATCH,
    PUJIANG_DEFAULTS,
    SEED_003_L134,
    check,
    load,
    replace_once,
)
from jixiao.errors import Severity
from jixiao.export import export_document
from jixiao.model.project import Indicator
from jixiao.rules import RULES
from jixiao.validate.selfeval import too_easy
from test_years import YEARS_CASES

# -- seed 002 self-evaluation tables (淞南镇, 2023, amounts in 元) -----------------------------------

SELF_EVAL_DEFAULTS = """\
主管部门: 淞南镇主管单位
年度: 2023
表格: 绩效自评表
金额单位: 元
实施单位: 上海市宝山区淞南镇城市运行管理中心
"""

# Seed 002 L38–55, with 实际完成情况 rewritten (the seed copies 预期目标; see the
# selfeval-actual-repeats-target case). Lines: 3 年度资金总额 (4:12 年初预算数)  11 执行率  12 得分
# 13 预期目标  14 实际完成情况  15 绩效指标 (its value starts at 16:3)  18 中心内设部门数 … 20 实际完成值
# 21 分值  22 得分  38 加强社区平安建设  46 平安建设满意度 … 49 分值  50 得分  51 偏差原因
# 52 总分  53 自评等级
ZONGZHI = """\
项目名称: 综治中心事务
项目资金:
  年度资金总额:
    年初预算数: 500,000.00
    全年预算数: 327,298.72
    全年执行数: 327,298.72
  当年财政拨款: {年初预算数: 500000, 全年预算数: 327298.72, 全年执行数: 327298.72}
  上年结转资金: {年初预算数: 0, 全年预算数: 0}
  其他资金: {年初预算数: 0, 全年预算数: 0}
  分值: 10
  执行率: 100.00%
  得分: 10
预期目标: 进一步整合基层维稳力量，深入开展社会治安综合治理，有效推进平安建设向纵深发展，确保一方平安。
实际完成情况: 全年未发生重大治安事件，中心内设部门运转正常，平安建设稳步推进。
绩效指标:
  产出指标:
    数量指标:
      - 三级指标: 中心内设部门数
        年度指标值: =3个
        实际完成值: "3"
        分值: 30
        得分: 30
    质量指标:
      - 三级指标: 社会治安综合治理能力
        年度指标值: 提升
        实际完成值: 提升
        分值: 10
        得分: 8
        偏差原因分析及改进措施: 在强化与各执法机构的沟通联系方面，需对管理架构进行优化调整，以明晰各部门的责任和使命。
    时效指标:
      - 三级指标: 项目完成及时性
        年度指标值: 及时
        实际完成值: 及时
        分值: 10
        得分: 10
  效益指标:
    社会效益指标:
      - 三级指标: 加强社区平安建设
        年度指标值: 确保地区稳定
        实际完成值: 较稳定
        分值: 30
        得分: 28
        偏差原因分析及改进措施: 加强宣传工作，在各类媒体平台上推出更多关于安全防范的信息，引导公众形成积极主动的安全意识。
  满意度指标:
    服务对象满意度指标:
      - 三级指标: 平安建设满意度
        年度指标值: 较高
        实际完成值: 较高
        分值: 10
        得分: 8
        偏差原因分析及改进措施: 提高巡逻效率，加大巡逻范围，从而更好的维护社会治安
总分: 94
自评等级: 优
"""

# Seed 002 L76–102: two indicators scored 4.9 of 5, total 99.8.
WANGGE = """\
项目名称: 网格化事务
项目资金:
  年度资金总额:
    年初预算数: 270,000.00
    全年预算数: 270,000.00
    全年执行数: 270,000
  当年财政拨款: {年初预算数: 270000, 全年预算数: 270000, 全年执行数: 270000}
  上年结转资金: {年初预算数: 0, 全年预算数: 0}
  其他资金: {年初预算数: 0, 全年预算数: 0}
  分值: 10
  执行率: 100.00%
  得分: 10
预期目标: 进一步提升城市管理规范化、标准化、精细化水平不断提升公众对我镇城市管理工作的满意率。
实际完成情况: 进一步提升城市管理规范化、标准化、精细化水平不断提升公众对我镇城市管理工作的满意率基本完成。
绩效指标:
  产出指标:
    数量指标:
      - {三级指标: 先行联系率, 年度指标值: =100%, 实际完成值: =99.9%, 分值: 5, 得分: 4.9,
         偏差原因分析及改进措施: 原因：先联记录缺失 措施：电话、短信双保险}
      - {三级指标: 巡查率, 年度指标值: =100%, 实际完成值: =100%, 分值: 5, 得分: 5}
    质量指标:
      - {三级指标: 风险隐患排查率, 年度指标值: =100%, 实际完成值: =100%, 分值: 5, 得分: 5}
      - {三级指标: 案件及时率, 年度指标值: =100%, 实际完成值: =100%, 分值: 15, 得分: 15}
      - {三级指标: 案件结案率, 年度指标值: =100%, 实际完成值: =100%, 分值: 15, 得分: 15}
    时效指标:
      - {三级指标: 市民先行联系情况, 年度指标值: 一个工作日, 实际完成值: =99.9%, 分值: 5, 得分: 4.9,
         偏差原因分析及改进措施: 原因：先联工作没有落实到位。措施：电话未接通的情况下，及时发送先联短信。}
  效益指标:
    社会效益指标:
      - {三级指标: 优化“一网统管”平台，各部门资源整合情况, 年度指标值: ">=90%", 实际完成值: ">=90%",
         分值: 5, 得分: 5}
      - {三级指标: 热线工单量, 年度指标值: 同比减少5%, 实际完成值: 同比减少58%, 分值: 5, 得分: 5}
      - {三级指标: 市民满意度, 年度指标值: 全区平均水平, 实际完成值: 高于全区平均水平, 分值: 5, 得分: 5}
    生态效益指标:
      - {三级指标: 绿化市容案件整治情况, 年度指标值: ">=90%", 实际完成值: 100%, 分值: 5, 得分: 5}
    可持续影响指标:
      - {三级指标: 市民满意率同比上升情况, 年度指标值: 同比上升5%, 实际完成值: 同比上升8%, 分值: 5, 得分: 5}
      - {三级指标: 热线工单解决率同比上升情况, 年度指标值: 同比上升5%, 实际完成值: 同比上升5%, 分值: 5,
         得分: 5}
  满意度指标:
    服务对象满意度指标:
      - {三级指标: 市民满意率, 年度指标值: 全区平均水平, 实际完成值: 高于全区平均水平, 分值: 10, 得分: 10}
总分: 99.8
"""

# Seed 002 L104–126: a weight and a score printed as 05 (lines 27–28 of this spec).
ANQUAN = """\
项目名称: 安全管理工作经费
项目资金:
  年度资金总额:
    年初预算数: 1,500,000.00
    全年预算数: 1,504,926.04
    全年执行数: 1,504,926.04
  当年财政拨款: {年初预算数: 1500000, 全年预算数: 1504926.04, 全年执行数: 1504926.04}
  上年结转资金: {年初预算数: 0, 全年预算数: 0}
  其他资金: {年初预算数: 0, 全年预算数: 0}
  分值: 10
  执行率: 100.00%
  得分: 10
预期目标: 各类安全生产、消防安全、非市政道路事交通事故不突破区安委会下达的预警控制线，确保不发生较大及以上有严重社会影响的安全生产事故。
实际完成情况: 辖区企事业单位安全生产及消防安全工作总体平稳，社区居民消防安全宣传仍需加强
绩效指标:
  产出指标:
    数量指标:
      - {三级指标: 居委成立微型消防工作站, 年度指标值: =24个, 实际完成值: =24个, 分值: 20, 得分: 20}
      - {三级指标: 安全宣传普及性, 年度指标值: =100%, 实际完成值: =100%, 分值: 10, 得分: 10}
    质量指标:
      - {三级指标: 重大节假日期间消防救援驻防完成度, 年度指标值: =100%, 实际完成值: =100%, 分值: 10, 得分: 10}
    时效指标:
      - {三级指标: 安全宣传及时性, 年度指标值: 及时, 实际完成值: 及时, 分值: 5, 得分: 5}
      - 三级指标: 重大节假日期间消防救援驻防及时性
        年度指标值: 及时
        实际完成值: 及时
        分值: 05
        得分: 05
  效益指标:
    社会效益指标:
      - 三级指标: 社区消防实事项目开展效果
        年度指标值: 能有效改善社区消防设施的落后现象，为社区居民提供消防安全保障
        实际完成值: 改善既定目标
        分值: 20
        得分: 15
        偏差原因分析及改进措施: 80岁以上独居老人安装烟感报警器，4成家庭拒绝安装
      - 三级指标: 安全宣传有效性
        年度指标值: 有效提高镇域内企业和居民安全意识
        实际完成值: =80%
        分值: 10
        得分: 8
        偏差原因分析及改进措施: 仍需政府居委加大消防安全宣传
  满意度指标:
    服务对象满意度指标:
      - {三级指标: 社区消防实事项目满意度, 年度指标值: =100%, 实际完成值: =100%, 分值: 10, 得分: 10}
总分: 93
"""

# Seed 003 L147–166: a declaration table (表样 B) without defects.
QUANDAO = """\
表格: 绩效目标申报表
项目名称: 劝导队经费
项目性质: 经常性项目
项目类别: 运转类项目
实施单位: 浦江镇信访办
计划开始日期: 2026-01-01
计划完成日期: 2026-12-31
项目资金:
  单位: 万元
  项目资金总额: {合计: 4.0344, 财政资金: 4.0344}
  年度资金申请总额: {合计: 4.0344, 当年财政拨款: 4.0344}
项目总目标: 提高协管员工作的积极性，配合信访部门做好信访工作
年度总体目标: 提高协管员工作的积极性，配合信访部门做好信访工作
绩效指标:
  产出指标:
    数量指标:
      - {三级指标: 劝导队队伍人数, 年度指标值: 4人}
    质量指标:
      - {三级指标: 劝导队人员到位率, 年度指标值: 100%}
    时效指标:
      - {三级指标: 劝导队经费发放及时性, 年度指标值: 及时}
  效益指标:
    社会效益指标:
      - {三级指标: 保障辖区稳定性, 年度指标值: 保障}
    可持续影响指标:
      - {三级指标: 长效管理机制, 年度指标值: 建立健全}
  满意度指标:
    服务对象满意度指标:
      - {三级指标: 周边居民满意率, 年度指标值: 90%}
"""


def target(text: str, defaults: str = PUJIANG_DEFAULTS) -> dict[str, str]:
    return {"d/_defaults.yaml": defaults, "d/s.yaml": text}


def self_eval(text: str, defaults: str = SELF_EVAL_DEFAULTS) -> dict[str, str]:
    return {"d/_defaults.yaml": defaults, "d/s.yaml": text}


def edit(text: str, *pairs: tuple[str, str]) -> str:
    for old, new in pairs:
        text = replace_once(text, old, new)
    return text


def formatted(*paths: str) -> list[str]:
    return [d.format() for d in check(*paths).diagnostics]


T = CLEAN_TARGET
OUTPUT_BLOCK = """\
  产出指标:
    数量指标:
      - 三级指标: 事业编制人数
        年度指标值: 42人
    质量指标:
      - 三级指标: 缴纳残保金准确率
        年度指标值: 100%
    时效指标:
      - 三级指标: 支付及时性
        年度指标值: 及时
"""
COST_LEVEL = "  成本指标:\n    经济成本指标:\n      - 三级指标: 单位成本\n        年度指标值: ≤20万元\n"
SECOND = T.replace("项目名称: 事业编残保金", "项目名称: 残保金（二）")


# A monitoring form of 浦江镇司法所 (example figures, docs/monitoring.md): clean as written.
# Lines: 10 年度资金总额 (13 执行数, 14 执行率, 15 全年预计执行数)  16 财政资金  18 原因说明
# 20 目标执行情况  24 教育学习次数  31 走访次数 (34 全年预计完成值, 35 可能性, 36 偏差原因, 37 原因说明)
MONITOR = """\
表格: 绩效运行监控表
年度: 2026
项目名称: 社区矫正安置帮教
项目类别: 经常性项目
主管部门: 闵行区浦江镇人民政府
实施单位: 浦江镇司法所
监控截止: 2026-07-31
项目资金:
  单位: 万元
  年度资金总额:
    年初预算数: 60
    调整后预算数: 60
    执行数: 35
    执行率: 58.3%
    全年预计执行数: 60
  财政资金: {年初预算数: 60, 调整后预算数: 60, 执行数: 35, 全年预计执行数: 60}
  其他资金: {年初预算数: 0, 调整后预算数: 0, 执行数: 0, 全年预计执行数: 0}
  原因说明:
年度总体目标: 做好社区矫正对象的监督管理和教育帮扶工作。
目标执行情况: 1-7月完成监督管理和教育帮扶各项工作，无再犯罪。
绩效指标:
  产出指标:
    数量指标:
      - 三级指标: 教育学习次数
        年度指标值: ≥12次
        实际完成值: 7次
        全年预计完成值: 12次
        完成目标可能性: 确定能
        偏差原因:
        原因说明及纠偏措施:
      - 三级指标: 走访次数
        年度指标值: ≥24次
        实际完成值: 10次
        全年预计完成值: 20次
        完成目标可能性: 有可能
        偏差原因: 人员保障
        原因说明及纠偏措施: 社工两人离职，下半年补员后加密走访。
  效益指标:
    社会效益指标:
      - 三级指标: 重新犯罪率
        年度指标值: ≤0.2%
        实际完成值: 0
        全年预计完成值: 0
        完成目标可能性: 确定能
        偏差原因:
        原因说明及纠偏措施:
  满意度指标:
    服务对象满意度指标:
      - 三级指标: 满意度
        年度指标值: ≥90%
        实际完成值: 92%
        全年预计完成值: ≥90%
        完成目标可能性: 确定能
        偏差原因:
        原因说明及纠偏措施:
"""
# The same project's targets as filed (its 走访次数 was ≥30次, and one more indicator).
MONITOR_TARGETS = """\
表格: 绩效目标表
年度: 2026
项目名称: 社区矫正安置帮教
项目类别: 经常性项目
主管部门: 闵行区浦江镇人民政府
实施单位: 浦江镇司法所
计划开始日期: 2026-01-01
计划完成日期: 2026-12-31
项目资金:
  单位: 万元
  项目资金总额: {合计: 60, 财政资金: 60}
  年度资金申请总额: {合计: 60, 当年财政拨款: 60}
项目总目标: 做好社区矫正对象的监督管理和教育帮扶工作。
年度总体目标: 做好社区矫正对象的监督管理和教育帮扶工作。
绩效指标:
  产出指标:
    数量指标:
      - 三级指标: 教育学习次数
        年度指标值: ≥12次
      - 三级指标: 走访次数
        年度指标值: ≥30次
      - 三级指标: 帮困对象数
        年度指标值: 20人
  效益指标:
    社会效益指标:
      - 三级指标: 重新犯罪率
        年度指标值: ≤0.2%
  满意度指标:
    服务对象满意度指标:
      - 三级指标: 满意度
        年度指标值: ≥90%
"""


def monitored(text: str) -> dict[str, str]:
    return {"d/m.yaml": text}



@dataclass(frozen=True)
class Case:
    files: dict[str, str]
    expected: list[str]
    # Other files to check besides the workspace root (default: the whole workspace).
    paths: tuple[str, ...] = field(default=(".",))
    # Symbolic links to make: path → target (relative to the link's folder); {outside} in
    # ``expected`` is the workspace's parent folder.
    links: dict[str, str] = field(default_factory=dict)


CASES: dict[str, Case] = {
    # -- reading the file ---------------------------------------------------------------------
    "yaml-syntax": Case(target(edit(T, ("项目名称: 事业编残保金", "项目名称: [社工"))), [
        "d/s.yaml:2:5: 错误 [yaml-syntax] YAML 语法错误：方括号 [ ] 没有闭合",
    ]),
    "yaml-too-large": Case(target("项目名称: &a [*a]\n"), [
        "d/s.yaml:1:7: 错误 [yaml-too-large] 内容展开后过大或嵌套过深（可能是层层引用的别名）；请直接写出内容",
    ]),
    "yaml-duplicate-key": Case(target(edit(T, ("    质量指标:\n", "    数量指标:\n"))), [
        "d/s.yaml:25:5: 错误 [yaml-duplicate-key] 键「数量指标」重复，第 22 行已经写过；"
        "普通 YAML 工具会悄悄丢掉前一个值，这里以第一次为准，请删掉多余的一处",
    ]),
    "yaml-tag": Case(target(edit(T, ("    合计: 20.00\n    财政资金", "    合计: !!float 20.00\n    财政资金"))), [
        "d/s.yaml:8:9: 错误 [yaml-tag] 不支持 YAML 标签 !!float；请去掉标签直接写值",
    ]),
    "yaml-merge-key": Case(target(edit(T, ("项目总目标:\n", "项目总目标:\n  <<: {起止年度: 2026-2026}\n"))), [
        "d/s.yaml:17:3: 错误 [yaml-merge-key] 不支持 YAML 合并键 <<；部门共用的内容请写在 _defaults.yaml",
    ]),
    "control-character": Case(target(edit(T, ("项目名称: 事业编残保金", '项目名称: "事业编\\e残保金"'))), [
        "d/s.yaml:1:7: 错误 [control-character] 文字里有控制字符 U+001B（由双引号里的转义写出）；请删除它",
    ]),
    "link-outside": Case(target(T), [
        "d/b.yaml: 错误 [link-outside] 这是指向工作区之外（{outside}/别处.yaml）的符号链接，jixiao 不读取；"
        "请把文件复制到工作区里",
    ], links={"d/b.yaml": "../../别处.yaml"}),
    # -- structure ------------------------------------------------------------------------------
    "missing-key": Case(target(edit(T, ("项目名称: 事业编残保金\n", "备注: 缺项目名称\n"))), [
        "d/s.yaml:1:1: 错误 [missing-key] 缺少「项目名称」：项目名称",
    ]),
    "unknown-key": Case(target(edit(T, ("实施单位:", "实施单住:"))), [
        "d/s.yaml:3:1: 错误 [unknown-key] 不认识的键「实施单住」；是否想写「实施单位」？",
    ]),
    "not-for-form": Case(target(edit(T, ("        年度指标值: 42人\n", "        年度指标值: 42人\n        得分: 5\n"))), [
        "d/s.yaml:25:13: 错误 [not-for-form] 「绩效指标.产出指标.数量指标[1].得分」不属于绩效目标表（只用于绩效自评表）",
    ]),
    "wrong-type": Case(target(edit(T, ("    时效指标:\n      - 三级指标: 支付及时性\n        年度指标值: 及时\n",
                                       "    时效指标: {三级指标: 支付及时性, 年度指标值: 及时}\n"))), [
        "d/s.yaml:28:11: 错误 [wrong-type] 「绩效指标.产出指标.时效指标」应为三级指标列表（每项以「- 三级指标:」开头）"
        "或「无」，实际是映射（键: 值）",
    ]),
    "empty-text": Case(target(edit(T, ("项目名称: 事业编残保金", "项目名称: ''"))), [
        "d/s.yaml:1:7: 错误 [empty-text] 「项目名称」不能为空：项目名称",
    ]),
    "invalid-value": Case(target(edit(T, ("计划开始日期: 2026-01-01", "计划开始日期: 2026-13-01"))), [
        "d/s.yaml:4:9: 错误 [invalid-value] 「计划开始日期」应为日期：「2026-13-01」不是有效日期（2026年没有13月1日）",
    ]),
    "category-missing": Case(target(edit(T, ("项目类别: 经常性项目\n", ""))), [
        "d/s.yaml:1:1: 错误 [category-missing] 没有勾选项目类别；绩效目标表应填「项目类别: 专项资金」"
        "（专项资金 / 经常性项目 / 一次性项目 之一）",
    ]),
    "name-invalid": Case(target(edit(T, ("项目类别: 经常性项目\n", "项目类别: 经常性项目\n表样: ../../别处/x\n"))), [
        "d/s.yaml:3:5: 错误 [name-invalid] 表样应为模板目录 variants/ 下一个文件夹的名字（如 A、B、C、D），"
        "不能含路径，实际是「../../别处/x」",
    ]),
    "name-invisible-character": Case(target(edit(T, ("项目名称: 事业编残保金", "项目名称: 事业编\u200b残保金"))), [
        "d/s.yaml:1:7: 警告 [name-invisible-character] 项目名称里有看不见的字符或改变文字方向的字符 U+200B；"
        "表上看不出来，文件名里会去掉；请删除",
    ]),
    "number-leading-zero": Case(self_eval(ANQUAN), [
        "d/s.yaml:27:13: 警告 [number-leading-zero] 「绩效指标.产出指标.时效指标[2].分值」写作 05，按十进制读作 5；请直接写 5",
        "d/s.yaml:28:13: 警告 [number-leading-zero] 「绩效指标.产出指标.时效指标[2].得分」写作 05，按十进制读作 5；请直接写 5",
    ]),
    # -- indicator framework ------------------------------------------------------------------------
    "indicator-level1-unknown": Case(target(edit(T, ("  效益指标:", "  效果目标:"))), [
        "d/s.yaml:31:3: 错误 [indicator-level1-unknown] 一级指标「效果目标」不规范；应写「效益指标」",
    ]),
    "indicator-level2-unknown": Case(target(edit(T, ("    时效指标:", "    时效性指标:"))), [
        "d/s.yaml:28:5: 错误 [indicator-level2-unknown] 二级指标「时效性指标」不规范；是否想写「时效指标」？",
    ]),
    "indicator-level2-misplaced": Case(target(edit(T, ("    社会效益指标:", "    数量指标:"))), [
        "d/s.yaml:32:5: 错误 [indicator-level2-misplaced] 二级指标「数量指标」应放在一级指标「产出指标」下，而不是「效益指标」下",
    ]),
    "indicator-framework": Case(target(edit(T, ("    时效指标:", "    成本指标:")), PUJIANG_DEFAULTS + "指标体系: 新\n"), [
        "d/s.yaml:28:5: 错误 [indicator-framework] 本工作区的指标体系为「新」：成本指标应单列为一级指标（经济/社会/生态环境成本指标）",
    ]),
    "indicator-missing-output": Case(target(edit(T, (OUTPUT_BLOCK, ""))), [
        "d/s.yaml:21:3: 错误 [indicator-missing-output] 没有任何产出指标；至少需要一个数量、质量、时效或成本指标",
    ]),
    # 吴泾镇 2023 反电信诈骗 (seed 000 L65–70): every 效益 二级 is 无.
    "indicator-missing-benefit": Case(target(edit(T, (
        "    社会效益指标:\n      - 三级指标: 改善残疾人生活质量的社会责任感\n        年度指标值: 提高\n",
        "    经济效益指标: 无\n    社会效益指标: 无\n    生态效益指标: 无\n    可持续影响指标: 无\n"))), [
        "d/s.yaml:21:3: 错误 [indicator-missing-benefit] 没有任何效益指标（写「无」的不算）；至少需要一个",
    ]),
    "indicator-missing-satisfaction": Case(target(edit(T, (
        "    服务对象满意度指标:\n      - 三级指标: 生活质量满意度\n        年度指标值: 100%\n",
        "    服务对象满意度指标: 无\n"))), [
        "d/s.yaml:21:3: 警告 [indicator-missing-satisfaction] 没有满意度指标；通常应有服务对象满意度指标",
    ]),
    "indicator-duplicate": Case(target(edit(T, ("      - 三级指标: 缴纳残保金准确率", "      - 三级指标: 事业编制人数"))), [
        "d/s.yaml:26:15: 错误 [indicator-duplicate] 三级指标「事业编制人数」重复，第 23 行已有同名指标",
    ]),
    # Seed 000 L112: 反恐工作经费, 三级指标 `指标1：96%` with 年度指标值 100%.
    "indicator-name-is-value": Case(target(edit(T, ("      - 三级指标: 生活质量满意度", "      - 三级指标: 指标1：96%"))), [
        "d/s.yaml:37:15: 错误 [indicator-name-is-value] 三级指标「指标1：96%」是一个数值，不是指标名称；名称写指标内容，数值写在年度指标值",
    ]),
    "indicator-numbering": Case(target(edit(T, ("      - 三级指标: 生活质量满意度", "      - 三级指标: 指标1：生活质量满意度"))), [
        "d/s.yaml:37:15: 警告 [indicator-numbering] 三级指标「指标1：生活质量满意度」带有编号；编号由表样生成，请只写「生活质量满意度」",
    ]),
    "indicator-placeholder": Case(target(edit(T, ("    时效指标:\n", "    成本指标:\n      - 三级指标: 无\n        年度指标值: 无\n    时效指标:\n"))), [
        "d/s.yaml:29:15: 警告 [indicator-placeholder] 三级指标「无」只是占位；不需要时把二级指标写成「…指标: 无」",
    ]),
    "indicator-value-blank": Case(target(edit(T, ("        年度指标值: 42人", "        年度指标值:"))), [
        "d/s.yaml:24:15: 错误 [indicator-value-blank] 三级指标「事业编制人数」的年度指标值为空",
    ]),
    # Off unless the workspace asks for the details: the same spec without the level reports
    # nothing (tests/test_indicator_details.py).
    "indicator-detail-missing": Case(target(edit(T, (
        "        年度指标值: 42人\n",
        "        年度指标值: 42人\n        指标解释: 年末在编的事业编制人数\n        评分标准: 人数核对无误得满分\n"
        "        指标来源: 计划标准\n")), PUJIANG_DEFAULTS + "规则: {indicator-detail-missing: 警告}\n"), [
        "d/s.yaml:23:9: 警告 [indicator-detail-missing] 三级指标「事业编制人数」缺少计量单位（本工作区要求填写指标明细）",
        "d/s.yaml:29:9: 警告 [indicator-detail-missing] 三级指标「缴纳残保金准确率」缺少指标解释、评分标准、指标来源、计量单位"
        "（本工作区要求填写指标明细）",
        "d/s.yaml:32:9: 警告 [indicator-detail-missing] 三级指标「支付及时性」缺少指标解释、评分标准、指标来源（本工作区要求填写指标明细）",
        "d/s.yaml:36:9: 警告 [indicator-detail-missing] 三级指标「改善残疾人生活质量的社会责任感」缺少指标解释、评分标准、指标来源"
        "（本工作区要求填写指标明细）",
        "d/s.yaml:40:9: 警告 [indicator-detail-missing] 三级指标「生活质量满意度」缺少指标解释、评分标准、指标来源、计量单位"
        "（本工作区要求填写指标明细）",
    ]),
    # -- indicator values ---------------------------------------------------------------------------
    "value-percent-over-100": Case(target(edit(T, ("        年度指标值: 100%\n    时效指标", "        年度指标值: 120%\n    时效指标"))), [
        "d/s.yaml:27:16: 警告 [value-percent-over-100] 「缴纳残保金准确率」的年度指标值 120% 超过 100%",
    ]),
    # Seed 003 L292: 2024年1月10日 in a 2026 table.
    "value-year-outside-period": Case(target(edit(T, ("        年度指标值: 及时", "        年度指标值: 2024年1月10日"))), [
        "d/s.yaml:30:16: 警告 [value-year-outside-period] 「支付及时性」的年度指标值「2024年1月10日」提到 2024 年，"
        "不在项目期间 2026年-2026年内",
    ]),
    # -- funds ----------------------------------------------------------------------------------------
    "fund-project-sum": Case(target(edit(T, ("    财政资金: 20.00", "    财政资金: 18.00"))), [
        "d/s.yaml:8:9: 错误 [fund-project-sum] 项目资金总额 20.00 ≠ 财政资金 18.00 + 其他资金 0 = 18.00",
    ]),
    # Seed 003 L134, exactly as filed.
    "fund-annual-sum": Case(target(SEED_003_L134), [f"d/s.yaml:12:9: 错误 [fund-annual-sum] {L134_ANNUAL_SUM}"]),
    "fund-annual-exceeds-total": Case(target(edit(
        T, ("    合计: 20.00\n    当年财政拨款: 20.00", "    合计: 25.00\n    当年财政拨款: 25.00"))), [
        "d/s.yaml:12:9: 错误 [fund-annual-exceeds-total] 年度资金申请总额 25.00 大于项目资金总额 20.00",
    ]),
    "fund-one-year-mismatch": Case(target(SEED_003_L134), [
        f"d/s.yaml:8:9: 错误 [fund-one-year-mismatch] {L134_MISMATCH}"]),
    "fund-negative": Case(target(edit(T, ("    当年财政拨款: 20.00\n    上年结转资金:\n",
                                          "    当年财政拨款: 25.00\n    上年结转资金: -5\n"))), [
        "d/s.yaml:14:13: 错误 [fund-negative] 「年度资金申请总额.上年结转资金」为负数 -5；金额不能为负",
    ]),
    "fund-precision": Case(target(edit(T, ("项目资金:\n", "项目资金:\n  单位: 元\n"), ("    财政资金: 20.00", "    财政资金: 20.004"),
                                       ("    其他资金:\n  年度", "    其他资金: -0.004\n  年度"))), [
        "d/s.yaml:10:11: 错误 [fund-precision] 「项目资金总额.财政资金」20.004 有 3 位小数；单位为元时最多 2 位",
        "d/s.yaml:11:11: 错误 [fund-precision] 「项目资金总额.其他资金」-0.004 有 3 位小数；单位为元时最多 2 位",
    ]),
    "fund-magnitude": Case(target(T.replace("20.00", "421800.00")), [
        f"d/s.yaml:{line}:{col}: 警告 [fund-magnitude] 「{label}」金额 421800.00 万元（42.18 亿元）对一个项目不合常理，"
        "是否按元填写？应为 42.18 万元"
        for line, col, label in ((8, 9, "项目资金总额.合计"), (9, 11, "项目资金总额.财政资金"),
                                 (12, 9, "年度资金申请总额.合计"), (13, 13, "年度资金申请总额.当年财政拨款"))
    ]),
    "fund-magnitude-siblings": Case({
        "d/_defaults.yaml": PUJIANG_DEFAULTS,
        **{f"d/{n}.yaml": T.replace("事业编残保金", f"残保金（{n}）").replace("20.00", amount)
           for n, amount in (("a", "20.00"), ("b", "30.00"), ("c", "40.00"), ("d", "50000.00"))},
    }, [
        "d/d.yaml:8:9: 警告 [fund-magnitude-siblings] 「项目资金总额」50000.00 万元是同一主管部门、同一年度 4 个项目"
        "资金总额的中位数 35 万元的约 1429 倍，可能把元当作万元填写；按元计应为 5 万元",
    ]),
    # -- dates ------------------------------------------------------------------------------------------
    "date-order": Case(target(edit(T, ("计划开始日期: 2026-01-01", "计划开始日期: 2026-12-31"),
                                   ("计划完成日期: 2026-12-31", "计划完成日期: 2026-01-01"))), [
        "d/s.yaml:4:9: 错误 [date-order] 计划开始日期 2026-12-31 晚于计划完成日期 2026-01-01",
    ]),
    "date-outside-period": Case(target(edit(T, ("计划完成日期: 2026-12-31", "计划完成日期: 2027-03-31"))), [
        "d/s.yaml:5:9: 错误 [date-outside-period] 计划完成日期 2027-03-31 不在项目总目标的起止年度 2026年-2026年内",
    ]),
    "year-outside-period": Case(target(edit(T, ("项目名称: 事业编残保金\n", "年度: 2026\n项目名称: 事业编残保金\n"),
                                            ("计划开始日期: 2026-01-01", "计划开始日期: 2022-01-01"),
                                            ("计划完成日期: 2026-12-31", "计划完成日期: 2025-12-31"),
                                            ("  起止年度: 2026-2026", "  起止年度: 2022-2025"))), [
        "d/s.yaml:1:5: 错误 [year-outside-period] 表格年度 2026 不在项目期间 2022年-2025年内",
    ]),
    # -- goals --------------------------------------------------------------------------------------------
    # Seed 000 L446: 综治协管员午餐经费, 年度总体目标 无.
    "goal-placeholder": Case(target(edit(T, ("年度总体目标: 根据通知要求，当年及时、足额缴纳残疾人就业保障金。", "年度总体目标: 无"))), [
        "d/s.yaml:19:9: 错误 [goal-placeholder] 年度总体目标只写了「无」；请写出本年度要达到的目标",
    ]),
    # Seed 002 L48: 综治中心事务, 实际完成情况 copies 预期目标 word for word.
    "selfeval-actual-repeats-target": Case(self_eval(edit(
        ZONGZHI, ("实际完成情况: 全年未发生重大治安事件，中心内设部门运转正常，平安建设稳步推进。",
                  "实际完成情况: 进一步整合基层维稳力量，深入开展社会治安综合治理，有效推进平安建设向纵深发展，确保一方平安。"))), [
        "d/s.yaml:14:9: 警告 [selfeval-actual-repeats-target] 实际完成情况与预期目标一字不差；请写出实际完成了什么",
    ]),
    # -- self-evaluation ------------------------------------------------------------------------------------
    "selfeval-fund-rows": Case(self_eval(edit(ZONGZHI, ("{年初预算数: 500000,", "{年初预算数: 400000,"))), [
        "d/s.yaml:4:12: 错误 [selfeval-fund-rows] 年度资金总额的年初预算数 500000.00 ≠ 当年财政拨款 400000 + "
        "上年结转资金 0 + 其他资金 0 = 400000",
    ]),
    # The 综治中心事务 figures with 全年预算数 left at 年初预算数: 327298.72 ÷ 500000 = 65.46 %.
    "selfeval-rate": Case(self_eval(edit(
        ZONGZHI, ("    全年预算数: 327,298.72\n", "    全年预算数: 500,000.00\n"),
        ("全年预算数: 327298.72, 全年执行数: 327298.72}", "全年预算数: 500000, 全年执行数: 327298.72}"),
        ("  执行率: 100.00%\n  得分: 10\n", "  执行率: 100.00%\n  得分: 6.55\n"), ("总分: 94", "总分: 90.55"))), [
        "d/s.yaml:11:8: 错误 [selfeval-rate] 执行率写作 100.00%，按 全年执行数 327298.72 ÷ 全年预算数 500000.00 应为 65.46%",
    ]),
    "selfeval-fund-score": Case(self_eval(edit(ZONGZHI, ("  执行率: 100.00%\n  得分: 10\n", "  执行率: 100.00%\n  得分: 9\n"),
                                               ("总分: 94", "总分: 93"))), [
        "d/s.yaml:12:7: 错误 [selfeval-fund-score] 资金得分写作 9，按 分值 10 × 执行率 100.00% 应为 10.00",
    ]),
    "selfeval-score-range": Case(self_eval(edit(ZONGZHI, ("        分值: 30\n        得分: 30\n", "        分值: 30\n        得分: 31\n"),
                                                ("总分: 94", "总分: 95"))), [
        "d/s.yaml:22:13: 错误 [selfeval-score-range] 三级指标「中心内设部门数」的得分 31 不在 0 到分值 30 之间",
    ]),
    "selfeval-weights-total": Case(self_eval(edit(ZONGZHI, ("        分值: 30\n        得分: 30\n", "        分值: 25\n        得分: 25\n"),
                                                  ("总分: 94", "总分: 89"))), [
        "d/s.yaml:16:3: 错误 [selfeval-weights-total] 各项分值合计 95（预算执行 10 + 指标 85），应为 100",
    ]),
    "selfeval-weights-practice": Case(self_eval(edit(
        ZONGZHI, ("        分值: 30\n        得分: 30\n", "        分值: 20\n        得分: 20\n"),
        ("        分值: 30\n        得分: 28\n", "        分值: 40\n        得分: 38\n"))), [
        "d/s.yaml:16:3: 警告 [selfeval-weights-practice] 分值分配与常规不同：产出指标 40（常规 50），效益指标 40（常规 30）",
    ]),
    "selfeval-total": Case(self_eval(edit(ZONGZHI, ("总分: 94", "总分: 96"))), [
        "d/s.yaml:52:5: 错误 [selfeval-total] 总分写作 96，资金得分与各指标得分合计为 94",
    ]),
    "selfeval-deviation-missing": Case(self_eval(edit(ZONGZHI, ("        偏差原因分析及改进措施: 提高巡逻效率，加大巡逻范围，从而更好的维护社会治安\n", ""))), [
        "d/s.yaml:50:13: 错误 [selfeval-deviation-missing] 三级指标「平安建设满意度」得分 8 低于分值 10，须填写偏差原因分析及改进措施",
    ]),
    "selfeval-target-too-easy": Case(self_eval(edit(ZONGZHI, ('        实际完成值: "3"\n', "        实际完成值: 5个\n"))), [
        "d/s.yaml:20:16: 警告 [selfeval-target-too-easy] 三级指标「中心内设部门数」的实际完成值 5个 是年度指标值 =3个 的 1.7 倍；"
        "目标定得偏低，下一年度请按实际水平设定",
    ]),
    "selfeval-grade": Case(self_eval(edit(ZONGZHI, ("自评等级: 优", "自评等级: 良"))), [
        "d/s.yaml:53:7: 错误 [selfeval-grade] 总分 94 对应等级「优」，不是「良」",
    ]),
    "selfeval-score-suggestion": Case(self_eval(edit(ZONGZHI, ('        实际完成值: "3"\n', "        实际完成值: =2个\n"))), [
        "d/s.yaml:22:13: 警告 [selfeval-score-suggestion] 三级指标「中心内设部门数」得分 30，建议在 17.00–23.00 之间（目标 3，实际 2）",
    ]),
    "selfeval-unfilled": Case(self_eval(edit(ZONGZHI, ('        实际完成值: "3"\n', "        实际完成值:\n"))), [
        "d/s.yaml:20:15: 错误 [selfeval-unfilled] 三级指标「中心内设部门数」的实际完成值未填写",
    ]),
    # -- mid-year monitoring --------------------------------------------------------------------------------
    "monitor-unfilled": Case(monitored(edit(MONITOR, ("    执行数: 35\n", "    执行数:\n"),
                                            ("目标执行情况: 1-7月完成监督管理和教育帮扶各项工作，无再犯罪。", "目标执行情况:"),
                                            ("        实际完成值: 7次\n", "        实际完成值:\n"))), [
        'd/m.yaml:13:9: 警告 [monitor-unfilled] 年度资金总额的执行数未填写',
        'd/m.yaml:20:8: 警告 [monitor-unfilled] 目标执行情况（年度总体目标的执行情况）未填写',
        'd/m.yaml:26:15: 警告 [monitor-unfilled] 三级指标「教育学习次数」的实际完成值未填写',
    ]),
    "monitor-fund-rows": Case(monitored(edit(MONITOR, ("执行数: 35, 全年预计执行数: 60}", "执行数: 30, 全年预计执行数: 60}"))), [
        'd/m.yaml:13:10: 错误 [monitor-fund-rows] 年度资金总额的执行数 35 ≠ 财政资金 30 + 其他资金 0 = 30',
    ]),
    "monitor-rate": Case(monitored(edit(MONITOR, ("    执行率: 58.3%", "    执行率: 58.4%"))), [
        'd/m.yaml:14:10: 错误 [monitor-rate] 年度资金总额的执行率写作 58.4%，按 执行数 35 ÷ 调整后预算数 60 应为 58.3%',
    ]),
    "monitor-behind-schedule": Case(monitored(edit(
        MONITOR, ("    执行数: 35\n    执行率: 58.3%", "    执行数: 25.5\n    执行率: 42.5%"),
        ("执行数: 35, 全年预计执行数: 60}", "执行数: 25.5, 全年预计执行数: 60}"))), [
        'd/m.yaml:13:10: 警告 [monitor-behind-schedule] 1-7月执行率 42.5%，时间进度 58.3%，落后 15.8 个百分点（容差 10 个百分点）；请在「原因说明」写明原因和加快执行的措施',
    ]),
    "monitor-forecast-over-budget": Case(monitored(edit(
        MONITOR, ("    全年预计执行数: 60\n", "    全年预计执行数: 65\n"),
        ("执行数: 35, 全年预计执行数: 60}", "执行数: 35, 全年预计执行数: 65}"))), [
        'd/m.yaml:15:14: 错误 [monitor-forecast-over-budget] 年度资金总额的全年预计执行数 65 大于调整后预算数 60；超出预算须先调整预算',
        'd/m.yaml:16:51: 错误 [monitor-forecast-over-budget] 财政资金的全年预计执行数 65 大于调整后预算数 60；超出预算须先调整预算',
    ]),
    "monitor-forecast-unexplained": Case(monitored(edit(
        MONITOR, ("    全年预计执行数: 60\n", "    全年预计执行数: 55\n"),
        ("执行数: 35, 全年预计执行数: 60}", "执行数: 35, 全年预计执行数: 55}"))), [
        'd/m.yaml:15:14: 警告 [monitor-forecast-unexplained] 年度资金总额的全年预计执行数 55 低于调整后预算数 60（差 5），没有填写原因说明',
        'd/m.yaml:16:51: 警告 [monitor-forecast-unexplained] 财政资金的全年预计执行数 55 低于调整后预算数 60（差 5），没有填写原因说明',
    ]),
    "monitor-shortfall-certain": Case(monitored(edit(MONITOR, ("        完成目标可能性: 有可能", "        完成目标可能性: 确定能"))), [
        'd/m.yaml:35:18: 错误 [monitor-shortfall-certain] 三级指标「走访次数」的全年预计完成值 20次 达不到年度指标值 ≥24次，完成目标可能性却写「确定能」',
    ]),
    "monitor-deviation-unexplained": Case(monitored(edit(MONITOR, ("        偏差原因: 人员保障\n", "        偏差原因:\n"))), [
        'd/m.yaml:36:14: 错误 [monitor-deviation-unexplained] 三级指标「走访次数」全年预计完成值 20次 达不到年度指标值 ≥24次，须填写偏差原因',
    ]),
    "monitor-reason-unknown": Case(monitored(edit(MONITOR, ("        偏差原因: 人员保障", "        偏差原因: 人员保障、天气"))), [
        'd/m.yaml:36:15: 错误 [monitor-reason-unknown] 三级指标「走访次数」的偏差原因「天气」不是 经费保障、制度保障、人员保障、硬件保障、其他 之一',
    ]),
    "monitor-targets-differ": Case({"d/m.yaml": MONITOR, "d/t.yaml": MONITOR_TARGETS}, [
        "d/m.yaml:22:3: 警告 [monitor-targets-differ] 绩效目标表（d/t.yaml）的三级指标没有在监控表里：产出指标 › 数量指标 › 帮困对象数",
        "d/m.yaml:32:16: 警告 [monitor-targets-differ] 三级指标「走访次数」的年度指标值写作 ≥24次，绩效目标表（d/t.yaml）是 ≥30次",
    ]),
    # -- across projects --------------------------------------------------------------------------------------
    "duplicate-project-name": Case({"d/_defaults.yaml": PUJIANG_DEFAULTS, "d/a.yaml": T, "d/b.yaml": T}, [
        "d/b.yaml:1:7: 警告 [duplicate-project-name] 项目名称「事业编残保金」与 d/a.yaml 重复（同一主管部门、年度、表格）",
    ]),
    "copied-indicators": Case({"d/_defaults.yaml": PUJIANG_DEFAULTS, "d/a.yaml": T, "d/b.yaml": SECOND}, [
        "d/a.yaml:21:3: 警告 [copied-indicators] 绩效指标与「残保金（二）」完全相同；是否复制后忘了改？",
        "d/b.yaml:21:3: 警告 [copied-indicators] 绩效指标与「事业编残保金」完全相同；是否复制后忘了改？",
    ]),
    "copied-goal": Case({"d/_defaults.yaml": PUJIANG_DEFAULTS, "d/a.yaml": T, "d/b.yaml": SECOND}, [
        "d/a.yaml:18:7: 警告 [copied-goal] 项目总目标内容与「残保金（二）」完全相同；是否复制后忘了改？",
        "d/a.yaml:19:9: 警告 [copied-goal] 年度总体目标与「残保金（二）」完全相同；是否复制后忘了改？",
        "d/b.yaml:18:7: 警告 [copied-goal] 项目总目标内容与「事业编残保金」完全相同；是否复制后忘了改？",
        "d/b.yaml:19:9: 警告 [copied-goal] 年度总体目标与「事业编残保金」完全相同；是否复制后忘了改？",
    ]),
    "foreign-entity": Case({
        "d/_defaults.yaml": PUJIANG_DEFAULTS,
        "d/杜行.yaml": edit(T, ("项目名称: 事业编残保金", "项目名称: 杜行派出所公用事业费")),
        "d/鲁汇.yaml": edit(T, ("项目名称: 事业编残保金", "项目名称: 鲁汇派出所公用事业费"),
                            ("      - 三级指标: 缴纳残保金准确率", "      - 三级指标: 杜行派出所水、电、燃气使用率")),
    }, [
        "d/鲁汇.yaml:26:15: 警告 [foreign-entity] 「鲁汇派出所公用事业费」是鲁汇派出所的项目，这里却写了「杜行派出所」"
        "（另一个项目的主体）；是否复制后没改？",
    ]),
    "department-name-typo": Case({
        "d/_defaults.yaml": PUJIANG_DEFAULTS,
        "d/a.yaml": T,
        "d/b.yaml": edit(SECOND, ("项目类别:", "主管部门: 浦江镇人民政俯\n项目类别:")),
        "d/c.yaml": T.replace("项目名称: 事业编残保金", "项目名称: 残保金（三）"),
    }, [
        "d/b.yaml:2:7: 警告 [department-name-typo] 主管部门「浦江镇人民政俯」与同部门其他 2 个项目的「浦江镇人民政府」只差一个字；是否写错？",
    ]),    # -- across years (tests/test_years.py) -------------------------------------------------------------------
    **{rule_id: Case(files, expected) for rule_id, (files, expected) in YEARS_CASES.items()},
}


def test_every_rule_has_a_case() -> None:
    # Template rules are about template directories, not specs: tests/test_docx.py covers them.
    spec_rules = {rid for rid, r in RULES.items() if r.group != "模板"}
    assert set(CASES) == spec_rules
    for rule_id, case in CASES.items():
        assert case.expected, rule_id
        assert all(f"[{rule_id}]" in line for line in case.expected), rule_id


@pytest.mark.parametrize("rule_id", list(CASES))
def test_rule(write_specs, rule_id: str) -> None:
    case = CASES[rule_id]
    root = write_specs(case.files)
    for link, to in case.links.items():
        (root / link).symlink_to(to)
    report = check(*case.paths)
    expected = [line.replace("{outside}", os.path.realpath(root.parent)) for line in case.expected]
    assert [d.format() for d in report.diagnostics if d.rule == rule_id] == expected
    default = RULES[rule_id].severity
    assert all(d.severity is default for d in report.diagnostics if d.rule == rule_id)


# -- seed figures, complete reports ----------------------------------------------------------------------


def test_seed_003_L134_reports_exactly_the_two_fund_slips(write_specs) -> None:
    write_specs(target(SEED_003_L134))
    assert formatted(".") == [
        f"d/s.yaml:8:9: 错误 [fund-one-year-mismatch] {L134_MISMATCH}",
        f"d/s.yaml:12:9: 错误 [fund-annual-sum] {L134_ANNUAL_SUM}",
    ]
    assert L134_ANNUAL_SUM == "年度资金申请总额 378.32 ≠ 当年财政拨款 120.05 + 上年结转资金 0 + 其他资金 0 = 120.05"


def test_multi_year_project_may_request_less_than_the_total(write_specs) -> None:
    # The same figures in a project that really spans 2025–2026: only the annual sum is wrong.
    write_specs(target(edit(SEED_003_L134, ("  起止年度: 2026-2026", "  起止年度: 2025-2026"))))
    assert formatted(".") == [f"d/s.yaml:12:9: 错误 [fund-annual-sum] {L134_ANNUAL_SUM}"]


def test_staged_declaration_project_is_not_a_one_year_project(write_specs) -> None:
    text = edit(QUANDAO, ("项目性质: 经常性项目", "项目性质: 阶段性项目"),
                ("  项目资金总额: {合计: 4.0344, 财政资金: 4.0344}", "  项目资金总额: {合计: 8.0688, 财政资金: 8.0688}"))
    write_specs(target(text))
    assert formatted(".") == []


def test_seed_003_declaration_table_is_clean(write_specs) -> None:
    write_specs(target(QUANDAO))
    assert formatted(".") == []


def test_declaration_table_without_nature(write_specs) -> None:
    write_specs(target(edit(QUANDAO, ("项目性质: 经常性项目\n", ""))))
    assert formatted(".") == [
        "d/s.yaml:1:1: 错误 [category-missing] 缺少项目性质；绩效目标申报表应填「项目性质: 经常性项目」"
        "（经常性项目 / 一次性项目 / 阶段性项目 之一）",
    ]


def test_declaration_category_on_a_target_table_is_an_invalid_value(write_specs) -> None:
    write_specs(target(edit(T, ("项目类别: 经常性项目", "项目类别: 运转类项目"))))
    assert formatted(".") == [
        "d/s.yaml:2:7: 错误 [invalid-value] 绩效目标表的「项目类别」应为 专项资金 / 经常性项目 / 一次性项目 之一，"
        "实际是「运转类项目」；是否想写「经常性项目」？",
    ]


def test_seed_002_zongzhi_scores_add_up_to_94(write_specs) -> None:
    write_specs(self_eval(ZONGZHI))
    assert formatted(".") == []
    (data,) = export_document(list(load(".").specs))["项目"]
    computed = data["计算"]
    assert computed["执行率"] == "100.00%"
    assert computed["资金得分"] == "10.00"
    assert computed["分值合计"] == "100"
    assert Decimal(computed["总分"]) == Decimal(94)
    assert computed["自评等级"] == "优"


def test_seed_002_wangge_scores_of_4_9_add_up_to_99_8_exactly(write_specs) -> None:
    write_specs(self_eval(WANGGE))
    assert formatted(".") == []
    (data,) = export_document(list(load(".").specs))["项目"]
    assert data["计算"]["总分"] == "99.8"
    assert data["计算"]["自评等级"] == "优"
    assert data["绩效指标"]["产出指标"]["数量指标"][0]["得分"] == "4.9"


def test_seed_002_wangge_total_off_by_a_tenth_is_caught(write_specs) -> None:
    write_specs(self_eval(edit(WANGGE, ("总分: 99.8", "总分: 99.9"))))
    assert formatted(".") == ["d/s.yaml:43:5: 错误 [selfeval-total] 总分写作 99.9，资金得分与各指标得分合计为 99.8"]


def test_seed_002_anquan_weight_05_is_read_as_5(write_specs) -> None:
    write_specs(self_eval(ANQUAN))
    assert [d.rule for d in check(".").diagnostics] == ["number-leading-zero", "number-leading-zero"]
    (data,) = export_document(list(load(".").specs))["项目"]
    row = data["绩效指标"]["产出指标"]["时效指标"][1]
    assert (row["分值"], row["得分"]) == ("5", "5")
    assert data["计算"]["分值合计"] == "100"


def test_seed_002_zongzhi_execution_rate_against_the_initial_budget(write_specs) -> None:
    # 327298.72 ÷ 500000 = 65.4597… → 65.46 %; 10 × 65.46 % = 6.546 → 6.55.
    text = edit(ZONGZHI, ("    全年预算数: 327,298.72\n", "    全年预算数: 500,000.00\n"),
                ("全年预算数: 327298.72, 全年执行数: 327298.72}", "全年预算数: 500000, 全年执行数: 327298.72}"),
                ("  执行率: 100.00%\n  得分: 10\n", "  执行率: 65.46%\n  得分: 6.55\n"), ("总分: 94", "总分: 90.55"))
    write_specs(self_eval(text))
    assert formatted(".") == []


def test_fund_score_cap_is_configurable(write_specs) -> None:
    # 全年执行数 above 全年预算数: 110 % of 10 points is capped at 10 by default.
    text = edit(ZONGZHI, ("    全年预算数: 327,298.72\n    全年执行数: 327,298.72\n", "    全年预算数: 300,000.00\n    全年执行数: 330,000.00\n"),
                ("全年预算数: 327298.72, 全年执行数: 327298.72}", "全年预算数: 300000, 全年执行数: 330000}"),
                ("  执行率: 100.00%", "  执行率: 110.00%"))
    write_specs(self_eval(text))
    assert formatted(".") == []
    write_specs(self_eval(text, SELF_EVAL_DEFAULTS + "自评规则:\n  资金得分封顶: false\n"))
    assert formatted(".") == [
        "d/s.yaml:12:7: 错误 [selfeval-fund-score] 资金得分写作 10，按 分值 10 × 执行率 110.00% 应为 11.00",
    ]


def test_practice_weights_are_configurable(write_specs) -> None:
    text = edit(ZONGZHI, ("        分值: 30\n        得分: 30\n", "        分值: 20\n        得分: 20\n"),
                ("        分值: 30\n        得分: 28\n", "        分值: 40\n        得分: 38\n"))
    defaults = SELF_EVAL_DEFAULTS + "自评规则:\n  权重: {产出指标: 40, 效益指标: 40}\n"
    write_specs(self_eval(text, defaults))
    assert formatted(".") == []


# -- rule levels, inheritance, defaults files ------------------------------------------------------------


def test_rule_levels_in_defaults_change_and_remove_diagnostics(write_specs) -> None:
    copy = edit(SEED_003_L134, ("项目名称: 浦江镇村党群服务中心标准化规范化建设项目资金奖补", "项目名称: 村党群服务中心奖补（复制）"))
    files = {"d/_defaults.yaml": PUJIANG_DEFAULTS, "d/a.yaml": SEED_003_L134, "d/b.yaml": copy}
    write_specs(files)
    before = check(".")
    assert {(d.rule, d.severity) for d in before.diagnostics} == {
        ("fund-one-year-mismatch", Severity.ERROR), ("fund-annual-sum", Severity.ERROR),
        ("copied-goal", Severity.WARNING), ("copied-indicators", Severity.WARNING)}
    levels = "规则:\n  copied-goal: 关闭\n  fund-one-year-mismatch: 警告\n"
    write_specs({**files, "d/_defaults.yaml": PUJIANG_DEFAULTS + levels})
    assert [d.format() for d in check("d/a.yaml", "d/b.yaml").diagnostics] == [
        f"d/a.yaml:8:9: 警告 [fund-one-year-mismatch] {L134_MISMATCH}",
        f"d/a.yaml:12:9: 错误 [fund-annual-sum] {L134_ANNUAL_SUM}",
        "d/a.yaml:21:3: 警告 [copied-indicators] 绩效指标与「村党群服务中心奖补（复制）」完全相同；是否复制后忘了改？",
        f"d/b.yaml:8:9: 警告 [fund-one-year-mismatch] {L134_MISMATCH}",
        f"d/b.yaml:12:9: 错误 [fund-annual-sum] {L134_ANNUAL_SUM}",
        "d/b.yaml:21:3: 警告 [copied-indicators] 绩效指标与「浦江镇村党群服务中心标准化规范化建设项目资金奖补」完全相同；是否复制后忘了改？",
    ]


def test_a_warning_can_be_promoted_to_an_error(write_specs) -> None:
    text = edit(T, ("      - 三级指标: 生活质量满意度", "      - 三级指标: 指标1：生活质量满意度"))
    write_specs(target(text, PUJIANG_DEFAULTS + "规则: {indicator-numbering: 错误}\n"))
    (diag,) = check(".").diagnostics
    assert (diag.rule, diag.severity) == ("indicator-numbering", Severity.ERROR)


def test_nearest_rule_level_wins(write_specs) -> None:
    write_specs({
        "_defaults.yaml": "规则:\n  fund-one-year-mismatch: 关闭\n  fund-annual-sum: 警告\n",
        "d/_defaults.yaml": PUJIANG_DEFAULTS + "规则:\n  fund-one-year-mismatch: 错误\n",
        "d/s.yaml": SEED_003_L134,
        "e/_defaults.yaml": PUJIANG_DEFAULTS,
        "e/s.yaml": SEED_003_L134.replace("项目名称: 浦江镇村", "项目名称: 另一个村"),
    })
    assert [(d.location.file, d.rule, d.severity.label) for d in check(".").diagnostics
            if d.rule.startswith("fund-")] == [
        ("d/s.yaml", "fund-one-year-mismatch", "错误"),
        ("d/s.yaml", "fund-annual-sum", "警告"),
        ("e/s.yaml", "fund-annual-sum", "警告"),
    ]


def test_values_are_inherited_and_the_nearest_defaults_win(write_specs) -> None:
    write_specs({
        "_defaults.yaml": "主管部门: 闵行区人民政府\n年度: 2025\n表格: 绩效目标表\n金额单位: 元\n实施单位: 区级单位\n",
        "浦江镇/_defaults.yaml": "主管部门: 浦江镇人民政府\n年度: 2026\n",
        "浦江镇/党群/_defaults.yaml": "实施单位: 浦江镇社区党群服务中心\n金额单位: 万元\n",
        "浦江镇/党群/a.yaml": edit(T, ("实施单位: 浦江镇社区党群服务中心\n", "")),
        "浦江镇/党群/b.yaml": edit(SECOND, ("实施单位: 浦江镇社区党群服务中心\n", "实施单位: 浦江镇信访办\n")),
    })
    projects = {s.display: s.project for s in load(".").specs}
    a, b = projects["浦江镇/党群/a.yaml"], projects["浦江镇/党群/b.yaml"]
    assert a is not None and b is not None
    assert (a.department, a.year, a.form.value, a.unit) == ("浦江镇人民政府", 2026, "绩效目标表", "浦江镇社区党群服务中心")
    assert b.unit == "浦江镇信访办"  # the project file wins over every default
    data = export_document(list(load(".").specs))["项目"]
    assert [p["项目资金"]["单位"] for p in data] == ["万元", "万元"]
    assert [p["主管部门"] for p in data] == ["浦江镇人民政府", "浦江镇人民政府"]
    assert [p["年度"] for p in data] == [2026, 2026]
    assert check(".").errors == 0


def test_defaults_file_errors_are_reported_with_its_path_once(write_specs) -> None:
    write_specs({
        "d/_defaults.yaml": "主管部门: 浦江镇人民政府\n年度: 二〇二六\n表格: 绩效目标表\n金额单位: 美元\n"
                            "规则:\n  copied-goals: 关闭\n  fund-negative: 忽略\n公开标体: 浦江镇\n",
        "d/a.yaml": edit(T, ("项目名称: 事业编残保金\n", "项目名称: 事业编残保金\n年度: 2026\n")),
        "d/b.yaml": edit(SECOND, ("项目名称: 残保金（二）\n", "项目名称: 残保金（二）\n年度: 2026\n"),
                         ("项目资金:\n", "项目资金:\n  单位: 万元\n")),
    })
    lines = [line for line in formatted(".") if line.startswith("d/_defaults.yaml")]
    assert lines == [
        "d/_defaults.yaml:2:5: 错误 [invalid-value] 「年度」应为年度：「二〇二六」不是年度（如 2026）",
        "d/_defaults.yaml:4:7: 错误 [invalid-value] 「金额单位」应为 万元 / 元 之一，实际是「美元」；是否想写「元」？",
        "d/_defaults.yaml:6:3: 错误 [unknown-key] 「规则」中没有规则「copied-goals」；是否想写「copied-goal」？",
        "d/_defaults.yaml:7:18: 错误 [invalid-value] 「规则.fund-negative」应为 关闭 / 警告 / 错误，实际是「忽略」",
        "d/_defaults.yaml:8:1: 错误 [unknown-key] 不认识的键「公开标体」；是否想写「公开标题」？",
    ]


def test_defaults_file_syntax_error_is_reported_with_its_path(write_specs) -> None:
    write_specs({"d/_defaults.yaml": "主管部门: [浦江镇\n年度: 2026\n", "d/s.yaml": T})
    lines = formatted(".")
    assert lines[0].startswith("d/_defaults.yaml:2:3: 错误 [yaml-syntax] YAML 语法错误")
    assert sum(line.startswith("d/_defaults.yaml") for line in lines) == 1


def test_rule_levels_apply_to_problems_found_at_an_inherited_value(write_specs) -> None:
    # 年度 comes from _defaults.yaml, the conflicting period from the project file. The
    # diagnostic concerns the project, so the folder's rule levels must still apply to it.
    text = edit(T, ("计划开始日期: 2026-01-01", "计划开始日期: 2022-01-01"),
                ("计划完成日期: 2026-12-31", "计划完成日期: 2025-12-31"), ("  起止年度: 2026-2026", "  起止年度: 2022-2025"))
    write_specs(target(text))
    assert [d.rule for d in check(".").diagnostics] == ["year-outside-period"]
    write_specs(target(text, PUJIANG_DEFAULTS + "规则: {year-outside-period: 关闭}\n"))
    assert formatted(".") == []


def test_each_project_is_told_about_its_own_problem_at_an_inherited_value(write_specs) -> None:
    text = edit(T, ("计划开始日期: 2026-01-01", "计划开始日期: 2022-01-01"),
                ("计划完成日期: 2026-12-31", "计划完成日期: 2025-12-31"), ("  起止年度: 2026-2026", "  起止年度: 2022-2025"))
    other = text.replace("项目名称: 事业编残保金", "项目名称: 另一个项目")
    other = other.replace("及时、足额缴纳残疾人就业保障金", "按时缴纳")
    write_specs({"d/_defaults.yaml": PUJIANG_DEFAULTS, "d/a.yaml": text, "d/b.yaml": other})
    found = [d for d in check(".").diagnostics if d.rule == "year-outside-period"]
    assert len(found) == 2
    assert {d.location.file for d in found} == {"d/a.yaml", "d/b.yaml"}


def test_a_spec_with_several_problems_reports_all_at_once(write_specs) -> None:
    text = edit(
        SEED_003_L134,
        ("实施单位:", "实施单住:"),
        ("计划开始日期: 2026-01-01", "计划开始日期: 2026-02-30"),
        ("    财政资金: 498.37\n", "    财政资金: 498.37\n    财政资金: 500\n"),
        ("  效益指标:", "  效果目标:"),
        ("        年度指标值: 及时", "        年度指标值: 2024年1月10日"),
        ("年度总体目标: 完成10个村党群服务中心奖补下拨任务。", "年度总体目标: 无"),
    )
    write_specs(target(text))
    assert formatted(".") == [
        "d/s.yaml:1:1: 错误 [missing-key] 缺少「实施单位」：实施单位",
        "d/s.yaml:3:1: 错误 [unknown-key] 不认识的键「实施单住」；是否想写「实施单位」？",
        "d/s.yaml:4:9: 错误 [invalid-value] 「计划开始日期」应为日期：「2026-02-30」不是有效日期（2026年没有2月30日）",
        f"d/s.yaml:8:9: 错误 [fund-one-year-mismatch] {L134_MISMATCH}",
        "d/s.yaml:10:5: 错误 [yaml-duplicate-key] 键「财政资金」重复，第 9 行已经写过；"
        "普通 YAML 工具会悄悄丢掉前一个值，这里以第一次为准，请删掉多余的一处",
        f"d/s.yaml:13:9: 错误 [fund-annual-sum] {L134_ANNUAL_SUM}",
        "d/s.yaml:20:9: 错误 [goal-placeholder] 年度总体目标只写了「无」；请写出本年度要达到的目标",
        "d/s.yaml:31:16: 警告 [value-year-outside-period] 「支付及时性」的年度指标值「2024年1月10日」提到 2024 年，"
        "不在项目期间 2026年-2026年内",
        "d/s.yaml:32:3: 错误 [indicator-level1-unknown] 一级指标「效果目标」不规范；应写「效益指标」",
    ]


def test_framework_old_refuses_a_cost_first_level(write_specs) -> None:
    write_specs(target(edit(T, ("  产出指标:\n", COST_LEVEL + "  产出指标:\n")), PUJIANG_DEFAULTS + "指标体系: 旧\n"))
    assert formatted(".") == [
        "d/s.yaml:21:3: 错误 [indicator-framework] 本工作区的指标体系为「旧」：成本指标应作为二级指标写在产出指标下",
    ]


def test_framework_any_accepts_either_placement_but_not_both(write_specs) -> None:
    write_specs(target(edit(T, ("  产出指标:\n", COST_LEVEL + "  产出指标:\n"))))
    assert formatted(".") == []
    write_specs(target(edit(T, ("    时效指标:", "    成本指标:"))))
    assert formatted(".") == []
    write_specs(target(edit(T, ("  产出指标:\n", COST_LEVEL + "  产出指标:\n"), ("    时效指标:", "    成本指标:"))))
    assert formatted(".") == [
        "d/s.yaml:32:5: 错误 [indicator-framework] 同一张表里成本指标既单列为一级指标又写在产出指标下；只能选一种",
    ]


def test_a_second_level_name_used_as_first_level(write_specs) -> None:
    # Seed 003 L224: 安保经费 writes 社会效益指标 in the 一级指标 column.
    write_specs(target(edit(T, ("  效益指标:", "  社会效益指标:"))))
    assert formatted(".") == [
        "d/s.yaml:31:3: 错误 [indicator-level1-unknown] 一级指标「社会效益指标」不规范；"
        "「社会效益指标」是二级指标，应写在一级指标「效益指标」下",
    ]


def test_clean_spec_has_no_diagnostics(write_specs) -> None:
    write_specs(target(T))
    assert formatted(".") == []


@pytest.mark.parametrize(("total", "expected"), [
    ("100", "优"), ("90", "优"), ("89.99", "良"), ("80", "良"), ("79.99", "中"), ("60", "中"), ("59.99", "差"),
    ("0", "差"),
])
def test_grade_boundaries(total: str, expected: str) -> None:
    from jixiao.model.scoring import grade

    assert grade(Decimal(total)) == expected


def test_grade_at_the_boundary_is_accepted(write_specs) -> None:
    # Seed 002 L74: 综治协管服务社 totals exactly 90, which is 优.
    text = edit(ZONGZHI, ("        分值: 30\n        得分: 28\n", "        分值: 30\n        得分: 24\n"),
                ("总分: 94", "总分: 90"))
    write_specs(self_eval(text))
    assert [line for line in formatted(".") if "[selfeval-" in line and "deviation" not in line] == []
    write_specs(self_eval(edit(text, ("自评等级: 优", "自评等级: 良"))))
    assert "d/s.yaml:53:7: 错误 [selfeval-grade] 总分 90 对应等级「优」，不是「良」" in formatted(".")


@pytest.mark.parametrize(("target", "actual", "fires"), [
    ("≥50%", "80%", True), ("≥50%", "65%", False), ("≥50%", "66%", True), ("=3个", "4个", True),
    ("=3个", "3.9个", False), ("≤5分钟", "20分钟", False), ("<5%", "9%", False), ("及时", "及时", False),
    ("≥50%", "≥80%", False), ("3个", "4人", False), ("0", "5", False), ("$\\geq 50\\%$", "80%", True),
])
def test_a_target_far_below_its_actual_is_too_easy(target: str, actual: str, fires: bool) -> None:
    """More than 1.3 times a target to reach, in the same unit; never for a target to stay under."""
    found = list(too_easy(Indicator(name="甲", target=target, actual=actual)))
    assert bool(found) is fires, (target, actual, found)


def test_a_target_too_easy_by_a_huge_factor_is_said_without_its_digits() -> None:
    [found] = too_easy(Indicator(name="甲", target="0." + "0" * 1000 + "1", actual="5"))
    assert found.message.endswith("的 上千倍；目标定得偏低，下一年度请按实际水平设定")
