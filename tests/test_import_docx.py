"""Import Word forms of the official layout filled in by hand.

A clerk does not produce what jixiao prints: the title and year line are paragraphs
above the table (or the first merged rows of it), the whole form is one big table
whose label cells were merged with Word's "merge cells" (horizontally: ``gridSpan``;
vertically: ``vMerge`` — the 一级/二级 cells over their children, the
``项目资金（万元）`` block label over its four rows), cells carry stray empty
paragraphs, 三级 names carry ``指标1：`` numbering, 项目类别 is ticked with ``☑``,
``√`` or a Wingdings symbol, dates are written ``2026年1月1日``.

Every document here is built with python-docx inside the test, imported with
:func:`jixiao.importer.import_files`, and the resulting spec read back with the
project's own loader, so the assertions are about the model a user would get.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from jixiao.importer import import_files
from jixiao.load.workspace import load_spec, load_workspace
from jixiao.model.project import MonitorFunds, MonitorRow, Project, SelfEvalFunds, TargetFunds
from jixiao.model.vocab import FormKind, MoneyUnit
from jixiao.validate import check_workspace

# -- building hand-made Word documents ------------------------------------------------------

LEFT = "<"  # this grid position is covered by the cell to its left (horizontal merge)
UP = "^"  # this grid position is covered by the cell above (vertical merge)

# Inline Wingdings 2 checkboxes, as Word's Insert ▸ Symbol writes them (<w:sym>).
SYM_TICKED = "{sym:F052}"
SYM_EMPTY = "{sym:F0A3}"
_SYM = re.compile(r"(\{sym:[0-9A-F]{4}\})")


def _write_cell(cell, text: str) -> None:
    """Put ``text`` into a cell: each ``\\n`` starts a new paragraph (empty lines stay empty
    paragraphs, as a clerk's stray Enter presses do); ``{sym:XXXX}`` is a Wingdings symbol."""
    cell.text = ""
    lines = text.split("\n")
    for n, line in enumerate(lines):
        paragraph = cell.paragraphs[0] if n == 0 else cell.add_paragraph()
        for part in _SYM.split(line):
            if not part:
                continue
            if _SYM.fullmatch(part):
                run = paragraph.add_run()
                sym = OxmlElement("w:sym")
                sym.set(qn("w:font"), "Wingdings 2")
                sym.set(qn("w:char"), part[5:9])
                run._r.append(sym)
            else:
                paragraph.add_run(part)


def add_table(document, grid: list[list[str]]):
    """A table laid out as ``grid``; LEFT/UP markers are merged into their anchor cell
    with python-docx ``cell.merge()``, as Word does when a clerk merges cells."""
    width = len(grid[0])
    assert all(len(row) == width for row in grid), [len(row) for row in grid]
    table = document.add_table(rows=len(grid), cols=width)
    table.style = "Table Grid"
    for r, row in enumerate(grid):
        for c, text in enumerate(row):
            if text in (LEFT, UP):
                continue
            c2 = c
            while c2 + 1 < width and row[c2 + 1] == LEFT:
                c2 += 1
            r2 = r
            while r2 + 1 < len(grid) and grid[r2 + 1][c] == UP:
                r2 += 1
            cell = table.cell(r, c)
            if (r2, c2) != (r, c):
                cell = cell.merge(table.cell(r2, c2))
            _write_cell(cell, text)
    return table


def add_paragraph(document, text: str, *, bold: bool = False):
    paragraph = document.add_paragraph()
    if text:
        paragraph.add_run(text).bold = bold
    return paragraph


def add_page_break(document) -> None:
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _merged_kinds(path: Path) -> tuple[int, int]:
    """(horizontal, vertical) merges in a saved document: the test's own sanity check."""
    body = docx.Document(str(path)).element.body
    return len(body.findall(".//" + qn("w:gridSpan"))), len(body.findall(".//" + qn("w:vMerge")))


# -- document 1: 绩效目标表, variant A, 万元 --------------------------------------------------

A_NAME = "社区睦邻点运营经费"
A_DEPT = "闵行区浦江镇人民政府"
A_UNIT = "浦江镇社区事务受理服务中心"
A_OVERALL = "建成并运营覆盖全镇的睦邻点网络，丰富居民文化生活，营造邻里互助的社区氛围"
A_ANNUAL = ("1.全年运营睦邻点12个，开展各类睦邻活动不少于240场；",
            "2.提升居民参与度和满意度，形成睦邻点长效管理机制。")


def build_target_a(path: Path) -> None:
    d = docx.Document()
    add_paragraph(d, "财政项目支出绩效目标表", bold=True)
    add_paragraph(d, "（2026年度）")
    add_paragraph(d, "")
    g = [
        ["项目名称", A_NAME, LEFT, "项目类别", "专项资金□ 经常性项目☑ 一次性项目□", LEFT],
        ["主管部门", A_DEPT, LEFT, "实施单位", A_UNIT, LEFT],
        ["计划开始日期", "2026年1月1日", LEFT, "计划完成日期", "2026年12月31日", LEFT],
        ["项目资金\n（万元）", "项目资金总额", "89.41", "年度资金申请总额", "89.41", LEFT],
        [UP, "其中：财政资金", "85.3756", "其中：当年财政拨款", "85.3756", LEFT],
        [UP, "", "", "上年结转资金", "", LEFT],
        [UP, "其他资金", "4.0344", "其他资金", "\n4.0344\n", LEFT],
        ["项目绩效\n目标", "项目总目标\n（2026年-2026年）", LEFT, "年度总体目标", LEFT, LEFT],
        [UP, A_OVERALL + "\n", LEFT, "\n".join((A_ANNUAL[0], "", A_ANNUAL[1])), LEFT, LEFT],
        ["绩效指标", "一级指标", "二级指标", "三级指标", LEFT, "年度指标值"],
        [UP, "产出指标", "数量指标", "指标1：睦邻点数量", LEFT, "12个"],
        [UP, UP, UP, "指标2：开展睦邻活动场次", LEFT, "≥240场"],
        [UP, UP, "质量指标", "指标1：\n居民活动参与率", LEFT, "≥90%\n"],
        [UP, UP, "时效指标", "指标1：运营经费拨付及时性", LEFT, "及时"],
        [UP, UP, "成本指标", "指标1：单个睦邻点年运营补贴", LEFT, "≤7.45万元/个"],
        [UP, "效益指标", "社会效益指标", "指标1：邻里互助氛围", LEFT, "明显提升"],
        [UP, UP, "可持续影响指标", "指标1：睦邻点长效管理机制", LEFT, "建立健全"],
        [UP, "满意度\n指标", "服务对象满意度指标", "指标1：居民满意度", LEFT, "≥90%"],
    ]
    add_table(d, g)
    d.save(str(path))


A_ROWS = [
    ("产出指标", "数量指标", "睦邻点数量", "12个"),
    ("产出指标", "数量指标", "开展睦邻活动场次", "≥240场"),
    ("产出指标", "质量指标", "居民活动参与率", "≥90%"),
    ("产出指标", "时效指标", "运营经费拨付及时性", "及时"),
    ("产出指标", "成本指标", "单个睦邻点年运营补贴", "≤7.45万元/个"),
    ("效益指标", "社会效益指标", "邻里互助氛围", "明显提升"),
    ("效益指标", "可持续影响指标", "睦邻点长效管理机制", "建立健全"),
    ("满意度指标", "服务对象满意度指标", "居民满意度", "≥90%"),
]

# -- document 2: 绩效目标申报表, variant B, 万元; a fund total that does not add up ---------

B_NAME = "村党群服务中心奖补"
B_UNIT = "浦江镇党建服务中心"
B_OVERALL = "完成13个村党群服务中心阵地改造提升，打造党员群众家门口的服务阵地"
B_ANNUAL = "按标准完成村党群服务中心改造并投入使用，服务活动规范开展"


def build_declaration_b(path: Path) -> None:
    d = docx.Document()
    add_paragraph(d, "财政项目支出绩效目标申报表", bold=True)
    add_paragraph(d, "(2026年度)")
    g = [
        ["项目名称", B_NAME, "项目性质", "一次性项目", "项目类别", "特定目标类项目"],
        ["主管部门", A_DEPT, "实施单位", B_UNIT, LEFT, LEFT],
        ["计划开始日期", "2026.1.1", "计划完成日期", "2026.12.31", LEFT, LEFT],
        # 378.32 ≠ 120.05 + (blank) + (blank), and 498.37 ≠ 378.32: kept as the clerk wrote it.
        ["项目资金\n（万元）", "项目资金总额", "498.37", "年度资金申请总额", "378.32", LEFT],
        [UP, "其中：财政资金", "498.37", "其中：当年财政拨款", "120.05", LEFT],
        [UP, "", "", "上年结转资金", "", LEFT],
        [UP, "其他资金", "", "其他资金", "", LEFT],
        ["项目绩效目标", "项目总目标", LEFT, "年度总体目标", LEFT, LEFT],
        [UP, B_OVERALL, LEFT, B_ANNUAL, LEFT, LEFT],
        ["绩效指标", "一级指标", "二级指标", "三级指标", LEFT, "年度（/项目）指标值"],
        [UP, "产出指标", "数量指标", "奖补村数量", LEFT, "13个"],
        [UP, UP, UP, "党群服务阵地覆盖率", LEFT, "100%"],
        [UP, UP, "质量指标", "阵地改造验收合格率", LEFT, "100%"],
        [UP, UP, UP, "服务活动规范化率", LEFT, "≥95%"],
        [UP, UP, "时效指标", "奖补资金拨付及时性", LEFT, "及时"],
        [UP, UP, "成本指标", "无", LEFT, "无"],
        [UP, "效益指标", "社会效益指标", "党员群众参与活动人次", LEFT, "同比增长5%"],
        [UP, UP, UP, "基层治理服务能力", LEFT, "提升"],
        [UP, UP, "可持续影响指标", "阵地长效运行机制", LEFT, "建立健全"],
        [UP, "满意度指标", "服务对象满意度指标", "党员群众满意度", LEFT, "≥90%"],
        [UP, UP, UP, "村干部满意度", LEFT, "≥85%"],
    ]
    add_table(d, g)
    d.save(str(path))


B_ROWS = [
    ("产出指标", "数量指标", "奖补村数量", "13个"),
    ("产出指标", "数量指标", "党群服务阵地覆盖率", "100%"),
    ("产出指标", "质量指标", "阵地改造验收合格率", "100%"),
    ("产出指标", "质量指标", "服务活动规范化率", "≥95%"),
    ("产出指标", "时效指标", "奖补资金拨付及时性", "及时"),
    ("产出指标", "成本指标", "无"),  # the placeholder
    ("效益指标", "社会效益指标", "党员群众参与活动人次", "同比增长5%"),
    ("效益指标", "社会效益指标", "基层治理服务能力", "提升"),
    ("效益指标", "可持续影响指标", "阵地长效运行机制", "建立健全"),
    ("满意度指标", "服务对象满意度指标", "党员群众满意度", "≥90%"),
    ("满意度指标", "服务对象满意度指标", "村干部满意度", "≥85%"),
]

# -- document 3: 绩效自评表, variant D, 元 ---------------------------------------------------

D_NAME = "平安办工作经费"
D_DEPT = "宝山区淞南镇人民政府"
D_UNIT = "上海市宝山区淞南镇城市运行管理中心"
D_EXPECTED = "推进辖区平安建设工作，降低各类治安案件的发生率，确保群体性矛盾和事件得到有效控制。"
D_ACHIEVED = ("全年治安案件同比下降14.6%，未发生造成较大影响的群体性事件；",
              "自建监控项目招投标有所滞后，已于四季度完成。")
DEV_1 = "提前做好维护计划，并严格按照时间节点推进工作"
DEV_2 = "机制运行仍需加强，下一年度完善考核办法"


def build_self_eval_d(path: Path) -> None:
    d = docx.Document()
    add_paragraph(d, "财政项目支出绩效自评表", bold=True)
    add_paragraph(d, "（2025年度）")
    dash = "—"
    g = [
        ["项目名称", D_NAME, LEFT, LEFT, LEFT, LEFT, LEFT, LEFT, LEFT],
        ["主管部门", D_DEPT, LEFT, LEFT, "实施单位", D_UNIT, LEFT, LEFT, LEFT],
        ["项目资金\n（元）", "", LEFT, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
        [UP, "年度资金总额", LEFT, "12,690,000.00", "12,814,895.16", "12,814,895.16", "10", "100.00%",
         "10"],
        [UP, "其中：当年财政拨款", LEFT, "12,690,000.00", "12,814,895.16", "12,814,895.16", dash, LEFT,
         LEFT],
        [UP, "上年结转资金", LEFT, "0", "0", "0", dash, LEFT, LEFT],
        [UP, "其他资金", LEFT, "0", "0", "0", dash, LEFT, LEFT],
        ["年度\n总体目标", "预期目标", LEFT, LEFT, LEFT, "实际完成情况", LEFT, LEFT, LEFT],
        [UP, D_EXPECTED, LEFT, LEFT, LEFT, "\n".join(D_ACHIEVED), LEFT, LEFT, LEFT],
        ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
         "偏差原因分析及改进措施"],
        [UP, "产出指标", "数量指标", "综治信息平台建设", "1个镇级平台、24个居委平台",
         "1个镇级平台、24个居委平台", "15", "15", ""],
        [UP, UP, UP, "治安案件发生率", "同比下降", "同比下降14.6%", "10", "10", ""],
        [UP, UP, "质量指标", "“两个实有”登记率", ">=90%", "96%", "10", "10", ""],
        [UP, UP, "时效指标", "项目完成及时性", "及时", "自建监控项目招投标有所滞后", "15", "13", DEV_1],
        [UP, "效益指标", "社会效益指标", "社区治安状况", "确保“三个不发生”", "未发生较大影响的治安案件",
         "15", "15", ""],
        [UP, UP, "可持续影响指标", "群防群治长效机制", "建立健全", "已建立", "15", "14", DEV_2],
        [UP, "满意度指标", "服务对象满意度指标", "居民安全感满意度", "≥90%", "92%", "10", "10", ""],
        ["总分", LEFT, LEFT, LEFT, LEFT, LEFT, "100", "97", "自评等级：优"],
    ]
    add_table(d, g)
    d.save(str(path))


D_ROWS = [
    ("产出指标", "数量指标", "综治信息平台建设", "1个镇级平台、24个居委平台", "1个镇级平台、24个居委平台",
     "15", "15", None),
    ("产出指标", "数量指标", "治安案件发生率", "同比下降", "同比下降14.6%", "10", "10", None),
    ("产出指标", "质量指标", "“两个实有”登记率", ">=90%", "96%", "10", "10", None),
    ("产出指标", "时效指标", "项目完成及时性", "及时", "自建监控项目招投标有所滞后", "15", "13", DEV_1),
    ("效益指标", "社会效益指标", "社区治安状况", "确保“三个不发生”", "未发生较大影响的治安案件", "15", "15",
     None),
    ("效益指标", "可持续影响指标", "群防群治长效机制", "建立健全", "已建立", "15", "14", DEV_2),
    ("满意度指标", "服务对象满意度指标", "居民安全感满意度", "≥90%", "92%", "10", "10", None),
]

# -- document 4: two 绩效目标表 in one document ---------------------------------------------

W_DEPT = "闵行区吴泾镇人民政府"
W_UNIT = "吴泾镇平安办"
W1_NAME = "安保经费"
W2_NAME = "综治协管员午餐经费"


def build_two_tables(path: Path) -> None:
    d = docx.Document()
    add_paragraph(d, "附件2")  # before the first title: reported, not imported
    add_paragraph(d, "财政项目支出绩效目标表（2026年度）", bold=True)
    g1 = [
        ["项目名称", W1_NAME, LEFT, "项目类别", "专项资金□  经常性项目√  一次性项目□"],
        ["主管部门", W_DEPT, LEFT, "实施单位", W_UNIT],
        ["计划开始日期", "2026-1-1", LEFT, "计划完成日期", "2026-12-31"],
        ["项目资金（万元）", "项目资金总额", "36", "年度资金申请总额", "36"],
        [UP, "其中：财政资金", "36", "其中：当年财政拨款", "36"],
        [UP, "", "", "上年结转资金", ""],
        [UP, "其他资金", "", "其他资金", ""],
        ["项目绩效目标", "项目总目标（2026年-2026年）", LEFT, "年度总体目标", LEFT],
        [UP, "保障辖区重点区域安保力量，维护社会治安稳定", LEFT, "全年落实6名安保人员，巡逻覆盖12个重点点位", LEFT],
        ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值"],
        [UP, "产出指标", "数量指标", "指标1：安保人员数量", "6人"],
        [UP, UP, UP, "指标2：巡逻覆盖点位", "12个"],
        [UP, UP, "质量指标", "指标1：安保服务合格率", "100%"],
        [UP, UP, "时效指标", "指标1：经费支付及时性", "按月"],
        [UP, "效益指标", "社会效益指标", "指标1：辖区治安案件发生率", "同比下降"],
        [UP, "满意度指标", "服务对象满意度指标", "指标1：居民满意度", "≥90%"],
    ]
    add_table(d, g1)
    add_page_break(d)
    # The second clerk typed the title and year into the first rows of the table itself,
    # and ticked 项目类别 with Word's Wingdings 2 symbols, box before label.
    g2 = [
        ["财政项目支出绩效目标表", LEFT, LEFT, LEFT, LEFT],
        ["（2026年度）", LEFT, LEFT, LEFT, LEFT],
        ["项目名称", W2_NAME, LEFT, "项目类别",
         f"{SYM_EMPTY}专项资金 {SYM_EMPTY}经常性项目 {SYM_TICKED}一次性项目"],
        ["主管部门", W_DEPT, LEFT, "实施单位", W_UNIT],
        ["计划开始日期", "2026-1-1", LEFT, "计划完成日期", "2026-12-31"],
        ["项目资金（万元）", "项目资金总额", "4.8", "年度资金申请总额", "4.8"],
        [UP, "其中：财政资金", "4.8", "其中：当年财政拨款", "4.8"],
        [UP, "", "", "上年结转资金", ""],
        [UP, "其他资金", "", "其他资金", ""],
        ["项目绩效目标", "项目总目标（2026年-2026年）", LEFT, "年度总体目标", LEFT],
        [UP, "保障综治协管员工作日午餐", LEFT, "按标准发放20名协管员午餐补贴", LEFT],
        ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值"],
        [UP, "产出指标", "数量指标", "保障协管员人数", "20人"],
        [UP, UP, "成本指标", "午餐补贴标准", "20元/人/天"],
        [UP, "效益指标", "社会效益指标", "协管员工作积极性", "提升"],
        [UP, "满意度指标", "服务对象满意度指标", "协管员满意度", "≥95%"],
    ]
    add_table(d, g2)
    d.save(str(path))


W1_ROWS = [
    ("产出指标", "数量指标", "安保人员数量", "6人"),
    ("产出指标", "数量指标", "巡逻覆盖点位", "12个"),
    ("产出指标", "质量指标", "安保服务合格率", "100%"),
    ("产出指标", "时效指标", "经费支付及时性", "按月"),
    ("效益指标", "社会效益指标", "辖区治安案件发生率", "同比下降"),
    ("满意度指标", "服务对象满意度指标", "居民满意度", "≥90%"),
]
W2_ROWS = [
    ("产出指标", "数量指标", "保障协管员人数", "20人"),
    ("产出指标", "成本指标", "午餐补贴标准", "20元/人/天"),
    ("效益指标", "社会效益指标", "协管员工作积极性", "提升"),
    ("满意度指标", "服务对象满意度指标", "协管员满意度", "≥95%"),
]

# -- documents that are not performance forms ---------------------------------------------------


def build_unrelated(path: Path) -> None:
    d = docx.Document()
    add_paragraph(d, "关于2026年度平安建设工作的会议纪要", bold=True)
    add_paragraph(d, "参会人员：各科室负责人")
    add_table(d, [["序号", "事项", "责任科室"], ["1", "完善监控点位", "平安办"], ["2", "协管员培训", "综治中心"]])
    d.save(str(path))


# -- the import, done once ----------------------------------------------------------------------

DOCS = {
    "target": ("睦邻点绩效目标表.docx", build_target_a),
    "declaration": ("党群服务中心申报表.docx", build_declaration_b),
    "selfeval": ("平安办自评表.docx", build_self_eval_d),
    "two": ("吴泾镇平安办两张表.docx", build_two_tables),
    "unrelated": ("会议纪要.docx", build_unrelated),
}
CORRUPT = "损坏的表格.docx"

STRUCTURAL = frozenset({"yaml-syntax", "yaml-too-large", "yaml-duplicate-key", "yaml-tag",
                        "yaml-merge-key", "missing-key", "unknown-key", "not-for-form", "wrong-type",
                        "empty-text", "invalid-value"})


@dataclass
class Imported:
    src: Path
    out: Path
    report: object
    sources: dict[str, Path]


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> Imported:
    src = tmp_path_factory.mktemp("docx_src")
    out = tmp_path_factory.mktemp("docx_out")
    (out / ".git").mkdir()  # stop the _defaults.yaml lookup at the workspace root
    sources = {}
    for key, (name, build) in DOCS.items():
        sources[key] = src / name
        build(sources[key])
    sources["corrupt"] = src / CORRUPT
    sources["corrupt"].write_bytes(b"PK\x03\x04 this is not really a zip archive, just bytes\n" * 4)
    report = import_files([sources[k] for k in ("target", "declaration", "selfeval", "two", "unrelated",
                                                "corrupt")], out)
    return Imported(src, out, report, sources)


def results_from(imp: Imported, key: str) -> list:
    name = imp.sources[key].name
    return [r for r in imp.report.results if name in r.source]


def one_result(imp: Imported, key: str):
    found = results_from(imp, key)
    assert len(found) == 1, [(r.source, r.name, r.status) for r in imp.report.results]
    return found[0]


def project_of(result) -> Project:
    assert result.path is not None, (result.status, result.error, result.remarks)
    spec = load_spec(Path(result.path))
    assert spec.project is not None, [d.format() for d in spec.diagnostics]
    return spec.project


def assert_clean(result) -> None:
    assert result.status == "clean", [r.format() for r in result.remarks]
    assert result.remarks == ()


def planning_rows(project: Project) -> list[tuple]:
    rows: list[tuple] = []
    for l1 in project.indicators:
        for l2 in l1.children:
            if l2.placeholder:
                assert l2.indicators == ()
                rows.append((l1.name, l2.name, "无"))
            for ind in l2.indicators:
                rows.append((l1.name, l2.name, ind.name, ind.target))
    return rows


def self_eval_rows(project: Project) -> list[tuple]:
    rows: list[tuple] = []
    for l1 in project.indicators:
        for l2 in l1.children:
            for ind in l2.indicators:
                rows.append((l1.name, l2.name, ind.name, ind.target, ind.actual,
                             None if ind.weight is None else str(ind.weight),
                             None if ind.score is None else str(ind.score), ind.deviation))
    return rows


def target_funds(project: Project) -> tuple:
    funds = project.funds
    assert isinstance(funds, TargetFunds)
    assert funds.project is not None and funds.annual is not None
    p, a = funds.project, funds.annual
    return (funds.unit, p.total, p.fiscal, p.other, a.total, a.current, a.carryover, a.other)


def D(text: str) -> Decimal:
    return Decimal(text)


# -- sanity: the documents really are what a clerk makes ---------------------------------------


def test_documents_use_word_merges_and_paragraphs_outside_the_table(imported: Imported) -> None:
    for key in ("target", "declaration", "selfeval", "two"):
        horizontal, vertical = _merged_kinds(imported.sources[key])
        assert horizontal > 0 and vertical > 0, key
    d = docx.Document(str(imported.sources["target"]))
    assert len(d.tables) == 1
    assert [p.text for p in d.paragraphs[:2]] == ["财政项目支出绩效目标表", "（2026年度）"]
    assert len(docx.Document(str(imported.sources["two"])).tables) == 2


# -- document 1: 绩效目标表 ---------------------------------------------------------------------


def test_target_table_imports_clean(imported: Imported) -> None:
    r = one_result(imported, "target")
    assert_clean(r)
    assert r.name == A_NAME
    assert r.path is not None and r.path.name == f"{A_NAME}.yaml"
    assert r.path.parent == imported.out / A_DEPT / "2026" / A_UNIT


def test_target_table_header(imported: Imported) -> None:
    p = project_of(one_result(imported, "target"))
    assert p.form is FormKind.TARGET
    assert p.effective_variant == "A"
    assert p.year == 2026
    assert p.name == A_NAME
    assert p.category == "经常性项目"
    assert p.nature is None
    assert p.department == A_DEPT
    assert p.unit == A_UNIT
    assert p.start == date(2026, 1, 1)
    assert p.end == date(2026, 12, 31)


def test_target_table_funds(imported: Imported) -> None:
    p = project_of(one_result(imported, "target"))
    # The blank 上年结转资金 cell stays blank (None), not 0.
    assert target_funds(p) == (MoneyUnit.WAN, D("89.41"), D("85.3756"), D("4.0344"),
                               D("89.41"), D("85.3756"), None, D("4.0344"))


def test_target_table_goals(imported: Imported) -> None:
    p = project_of(one_result(imported, "target"))
    assert p.overall_goal is not None
    assert p.overall_goal.period == (2026, 2026)
    assert p.overall_goal.text == A_OVERALL
    # Two paragraphs (with an empty one between them) become two lines.
    assert p.annual_goal == "\n".join(A_ANNUAL)


def test_target_table_indicators(imported: Imported) -> None:
    p = project_of(one_result(imported, "target"))
    assert planning_rows(p) == A_ROWS
    assert [l1.name for l1 in p.indicators] == ["产出指标", "效益指标", "满意度指标"]
    assert [l2.name for l2 in p.indicators[0].children] == ["数量指标", "质量指标", "时效指标", "成本指标"]


def test_target_table_spec_text_keeps_form_date_style(imported: Imported) -> None:
    r = one_result(imported, "target")
    text = r.path.read_text(encoding="utf-8")
    assert "指标1" not in text and "指标2" not in text
    assert "计划开始日期: 2026-01-01" in text
    defaults = (imported.out / A_DEPT / "2026" / "_defaults.yaml").read_text(encoding="utf-8")
    assert "万元" in defaults


# -- document 2: 绩效目标申报表 -------------------------------------------------------------------


def test_declaration_table(imported: Imported) -> None:
    r = one_result(imported, "declaration")
    assert_clean(r)
    p = project_of(r)
    assert p.form is FormKind.DECLARATION
    assert p.effective_variant == "B"
    assert p.year == 2026
    assert p.name == B_NAME
    assert p.nature == "一次性项目"
    assert p.category == "特定目标类项目"
    assert p.department == A_DEPT
    assert p.unit == B_UNIT
    assert p.start == date(2026, 1, 1)
    assert p.end == date(2026, 12, 31)
    assert p.overall_goal is not None
    assert p.overall_goal.period is None
    assert p.overall_goal.text == B_OVERALL
    assert p.annual_goal == B_ANNUAL


def test_declaration_fund_total_that_does_not_add_up_is_kept_as_written(imported: Imported) -> None:
    p = project_of(one_result(imported, "declaration"))
    assert target_funds(p) == (MoneyUnit.WAN, D("498.37"), D("498.37"), None,
                               D("378.32"), D("120.05"), None, None)


def test_declaration_indicators_with_placeholder(imported: Imported) -> None:
    p = project_of(one_result(imported, "declaration"))
    assert planning_rows(p) == B_ROWS
    cost = p.indicators[0].children[3]
    assert (cost.name, cost.placeholder, cost.indicators) == ("成本指标", True, ())


# -- document 3: 绩效自评表 ---------------------------------------------------------------------


def test_self_eval_table(imported: Imported) -> None:
    r = one_result(imported, "selfeval")
    assert_clean(r)
    assert r.path is not None and r.path.name == f"{D_NAME}-自评.yaml"
    p = project_of(r)
    assert p.form is FormKind.SELF_EVAL
    assert p.effective_variant == "D"
    assert p.year == 2025
    assert p.name == D_NAME
    assert p.department == D_DEPT
    assert p.unit == D_UNIT
    assert p.expected == D_EXPECTED
    assert p.achieved == "\n".join(D_ACHIEVED)
    assert p.total_score == D("97")
    assert p.grade == "优"


def test_self_eval_funds(imported: Imported) -> None:
    p = project_of(one_result(imported, "selfeval"))
    funds = p.funds
    assert isinstance(funds, SelfEvalFunds)
    assert funds.unit is MoneyUnit.YUAN

    def row(fund_row) -> tuple:
        assert fund_row is not None
        return (fund_row.initial, fund_row.budget, fund_row.executed)

    assert row(funds.total) == (D("12690000.00"), D("12814895.16"), D("12814895.16"))
    assert row(funds.current) == (D("12690000.00"), D("12814895.16"), D("12814895.16"))
    assert row(funds.carryover) == (D("0"), D("0"), D("0"))
    assert row(funds.other) == (D("0"), D("0"), D("0"))
    assert funds.weight == D("10")
    assert funds.rate == D("100.00")
    assert funds.score == D("10")


def test_self_eval_indicators(imported: Imported) -> None:
    p = project_of(one_result(imported, "selfeval"))
    assert self_eval_rows(p) == D_ROWS


# -- document 4: two tables in one document ---------------------------------------------------


def test_two_tables_in_one_document(imported: Imported) -> None:
    found = results_from(imported, "two")
    assert [r.name for r in found] == [W1_NAME, W2_NAME]
    for r in found:
        assert_clean(r)
    assert {r.path.parent for r in found} == {imported.out / W_DEPT / "2026" / W_UNIT}
    # The 附件2 line above the first title is reported, not imported and not dropped silently.
    outside = [rm for rm in imported.report.remarks if rm.text == "附件2"]
    assert len(outside) == 1 and imported.sources["two"].name in outside[0].where


def test_first_of_two_tables(imported: Imported) -> None:
    p = project_of(results_from(imported, "two")[0])
    assert (p.form, p.year, p.name, p.category, p.department, p.unit) == \
        (FormKind.TARGET, 2026, W1_NAME, "经常性项目", W_DEPT, W_UNIT)
    assert (p.start, p.end) == (date(2026, 1, 1), date(2026, 12, 31))
    assert target_funds(p) == (MoneyUnit.WAN, D("36"), D("36"), None, D("36"), D("36"), None, None)
    assert p.overall_goal is not None
    assert (p.overall_goal.period, p.overall_goal.text) == ((2026, 2026), "保障辖区重点区域安保力量，维护社会治安稳定")
    assert p.annual_goal == "全年落实6名安保人员，巡逻覆盖12个重点点位"
    assert planning_rows(p) == W1_ROWS


def test_second_of_two_tables_title_inside_table_and_wingdings_boxes(imported: Imported) -> None:
    p = project_of(results_from(imported, "two")[1])
    assert (p.form, p.year, p.name, p.category, p.department, p.unit) == \
        (FormKind.TARGET, 2026, W2_NAME, "一次性项目", W_DEPT, W_UNIT)
    assert (p.start, p.end) == (date(2026, 1, 1), date(2026, 12, 31))
    assert target_funds(p) == (MoneyUnit.WAN, D("4.8"), D("4.8"), None, D("4.8"), D("4.8"), None, None)
    assert p.overall_goal is not None
    assert (p.overall_goal.period, p.overall_goal.text) == ((2026, 2026), "保障综治协管员工作日午餐")
    assert p.annual_goal == "按标准发放20名协管员午餐补贴"
    assert planning_rows(p) == W2_ROWS


# -- files that are not performance forms --------------------------------------------------------


def test_document_without_a_form_is_a_failed_file(imported: Imported) -> None:
    assert results_from(imported, "unrelated") == []
    name = imported.sources["unrelated"].name
    messages = [m for m in imported.report.failed_files if name in m]
    assert len(messages) == 1 and "没有找到" in messages[0]


def test_corrupt_docx_is_a_failed_file(imported: Imported) -> None:
    assert results_from(imported, "corrupt") == []
    messages = [m for m in imported.report.failed_files if CORRUPT in m]
    assert len(messages) == 1 and "不是可读的 Word 文档" in messages[0]
    assert len(imported.report.failed_files) == 2


def test_every_form_was_imported(imported: Imported) -> None:
    assert sorted(r.name for r in imported.report.results) == sorted(
        [A_NAME, B_NAME, D_NAME, W1_NAME, W2_NAME])
    assert imported.report.count("failed") == 0


# -- re-import, and check on the imported workspace --------------------------------------------


def test_reimport_without_force_skips_and_keeps_files(imported: Imported) -> None:
    paths = {r.name: r.path for r in imported.report.results}
    before = {name: path.read_bytes() for name, path in paths.items()}
    again = import_files([imported.sources[k] for k in ("target", "declaration", "selfeval", "two")],
                         imported.out)
    assert [r.status for r in again.results] == ["skipped"] * 5
    assert {r.name: r.path for r in again.results} == paths
    assert again.defaults_written == []
    assert {name: path.read_bytes() for name, path in paths.items()} == before


def test_check_finds_no_structural_errors(imported: Imported) -> None:
    report = check_workspace(load_workspace([imported.out]))
    assert len(report.files) == 5
    structural = [d.format() for d in report.diagnostics if d.rule in STRUCTURAL]
    assert structural == []


def test_check_reports_the_fund_slip_it_was_given(imported: Imported) -> None:
    report = check_workspace(load_workspace([imported.out]))
    by_rule: dict[str, set[str]] = {}
    for d in report.diagnostics:
        by_rule.setdefault(d.rule, set()).add(Path(d.location.file).name)
    declaration = f"{B_NAME}.yaml"
    assert declaration in by_rule.get("fund-annual-sum", set())
    assert declaration in by_rule.get("fund-one-year-mismatch", set())
    # The other forms add up.
    for rule in ("fund-project-sum", "fund-annual-sum", "fund-annual-exceeds-total", "fund-one-year-mismatch",
                 "selfeval-fund-rows", "selfeval-rate", "selfeval-fund-score", "selfeval-total",
                 "selfeval-weights-total", "selfeval-deviation-missing", "selfeval-grade"):
        assert by_rule.get(rule, set()) <= {declaration}, (rule, by_rule.get(rule))


def test_force_reimport_rewrites_identically(imported: Imported, tmp_path: Path) -> None:
    paths = {r.name: r.path for r in imported.report.results}
    before = {name: path.read_bytes() for name, path in paths.items()}
    again = import_files([imported.sources[k] for k in ("target", "declaration", "selfeval", "two")],
                         imported.out, force=True)
    assert sorted(r.status for r in again.results) == ["clean"] * 5
    assert {name: path.read_bytes() for name, path in paths.items()} == before


# -- more hand-made habits, each in a small form of its own -----------------------------------

S_NAME = "综治协管员服装费"
S_DEPT = "闵行区吴泾镇人民政府"
S_UNIT = "吴泾镇综治中心"
S_ROWS = [
    ("产出指标", "数量指标", "服装发放人数", "20人"),
    ("产出指标", "数量指标", "服装发放套数", "40套"),
    ("产出指标", "质量指标", "服装质量合格率", "100%"),
    ("效益指标", "社会效益指标", "协管员队伍形象", "提升"),
    ("满意度指标", "服务对象满意度指标", "协管员满意度", "≥90%"),
    ("满意度指标", "服务对象满意度指标", "居民满意度", "≥85%"),
]


def small_target(document, *, category: str = "专项资金□ 经常性项目☑ 一次性项目□",
                 merged_levels: bool = True):
    """A short 绩效目标表 (5 columns); returns the python-docx table for further surgery.

    Funds: project 6 = 财政 6; annual 6 = 当年财政拨款 4 + 其他资金 2 (the left 其他资金 blank).
    """
    add_paragraph(document, "财政项目支出绩效目标表", bold=True)
    add_paragraph(document, "（2026年度）")
    if merged_levels:
        levels = [
            [UP, "产出指标", "数量指标", "服装发放人数", "20人"],
            [UP, UP, UP, "服装发放套数", "40套"],
            [UP, UP, "质量指标", "服装质量合格率", "100%"],
            [UP, "效益指标", "社会效益指标", "协管员队伍形象", "提升"],
            [UP, "满意度指标", "服务对象满意度指标", "协管员满意度", "≥90%"],
            [UP, UP, UP, "居民满意度", "≥85%"],
        ]
    else:  # the clerk typed the 一级 and 二级 into every row instead of merging them
        levels = [[UP, *row[:3], row[3]] for row in S_ROWS]
    grid = [
        ["项目名称", S_NAME, LEFT, "项目类别", category],
        ["主管部门", S_DEPT, LEFT, "实施单位", S_UNIT],
        ["计划开始日期", "2026年1月1日", LEFT, "计划完成日期", "2026年12月31日"],
        ["项目资金\n（万元）", "项目资金总额", "6", "年度资金申请总额", "6"],
        [UP, "其中：财政资金", "6", "其中：当年财政拨款", "4"],
        [UP, "", "", "上年结转资金", ""],
        [UP, "其他资金", "", "其他资金", "2"],
        ["项目绩效目标", "项目总目标", LEFT, "年度总体目标", LEFT],
        [UP, "统一综治协管员着装", LEFT, "为20名协管员各发放两套制服", LEFT],
        ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值"],
        *levels,
    ]
    return add_table(document, grid)


def import_one(tmp_path: Path, build) -> tuple:
    (tmp_path / "ws" / ".git").mkdir(parents=True)
    source = tmp_path / "表.docx"
    document = docx.Document()
    build(document)
    document.save(str(source))
    report = import_files([source], tmp_path / "ws")
    assert report.failed_files == [] and len(report.results) == 1, (report.failed_files, report.results)
    result = report.results[0]
    return report, result, project_of(result)


def assert_small_form(p: Project, category: str = "经常性项目") -> None:
    assert (p.form, p.year, p.name, p.category, p.department, p.unit) == \
        (FormKind.TARGET, 2026, S_NAME, category, S_DEPT, S_UNIT)
    assert (p.start, p.end) == (date(2026, 1, 1), date(2026, 12, 31))
    assert target_funds(p) == (MoneyUnit.WAN, D("6"), D("6"), None, D("6"), D("4"), None, D("2"))
    assert p.overall_goal is not None and p.overall_goal.text == "统一综治协管员着装"
    assert p.annual_goal == "为20名协管员各发放两套制服"
    assert planning_rows(p) == S_ROWS


def test_small_form_baseline(tmp_path: Path) -> None:
    _, result, p = import_one(tmp_path, small_target)
    assert_clean(result)
    assert_small_form(p)


def test_levels_typed_in_every_row_instead_of_merged(tmp_path: Path) -> None:
    # 产出指标 / 数量指标 typed again on the next row is the same group, a repeat of what a
    # merged cell would show once: presentation, nothing for the reviewer to confirm.
    _, result, p = import_one(tmp_path, lambda d: small_target(d, merged_levels=False))
    assert_small_form(p)
    assert_clean(result)


def test_signature_line_below_the_table_is_not_an_indicator(tmp_path: Path) -> None:
    def build(d) -> None:
        small_target(d)
        add_paragraph(d, "")
        add_paragraph(d, "填报人：王某某        联系电话：64190000")

    _, result, p = import_one(tmp_path, build)
    # The line is outside the table: reported for review, never a 三级指标 with a blank value.
    assert planning_rows(p) == S_ROWS
    assert any("填报人" in r.text for r in result.remarks), [r.format() for r in result.remarks]


def test_wingdings_boxed_x_ticks_the_category(tmp_path: Path) -> None:
    # Wingdings 2 "T" (F054) is ☒, which the importer reads as ticked when typed as text;
    # Wingdings 2 "£" (F0A3) is the empty box.
    category = f"专项资金{{sym:F054}} 经常性项目{SYM_EMPTY} 一次性项目{SYM_EMPTY}"
    _, result, p = import_one(tmp_path, lambda d: small_target(d, category=category))
    assert_small_form(p, category="专项资金")
    assert_clean(result)


def test_row_starting_after_a_deleted_cell(tmp_path: Path) -> None:
    # Instead of merging the 项目资金 block label down, the clerk deleted the cells below
    # it: Word then starts those rows one grid column later (<w:gridBefore w:val="1"/>).
    def build(d) -> None:
        table = small_target(d)
        for r in (4, 5, 6):
            tr = table.rows[r]._tr
            tr.remove(tr.findall(qn("w:tc"))[0])
            before = OxmlElement("w:gridBefore")
            before.set(qn("w:val"), "1")
            tr.get_or_add_trPr().insert(0, before)

    _, result, p = import_one(tmp_path, build)
    assert_small_form(p)
    assert_clean(result)


def test_value_cell_inside_a_content_control(tmp_path: Path) -> None:
    # A template prepared with Word content controls: the 项目名称 value cell is wrapped in a
    # cell-level <w:sdt>.
    def build(d) -> None:
        table = small_target(d)
        tc = table.rows[0]._tr.findall(qn("w:tc"))[1]
        sdt, content = OxmlElement("w:sdt"), OxmlElement("w:sdtContent")
        sdt.append(OxmlElement("w:sdtPr"))
        sdt.append(content)
        tc.addprevious(sdt)
        content.append(tc)

    _, result, p = import_one(tmp_path, build)
    assert_small_form(p)
    assert_clean(result)


# -- a 绩效运行监控表 filled in by hand -----------------------------------------------------------

M_NAME = "安保经费"
M_DEPT = "闵行区浦江镇人民政府"
M_UNIT = "闵行区浦江镇平安建设办公室"
M_REMEDY = "设备采购合同7月签订，款项8月支付。"


def build_monitor(path: Path, cutoff: str = "2026年6月30日") -> None:
    """A 1-6月 monitoring form: blank cells in the grid, a 偏差原因 left blank beside its remedy."""
    d = docx.Document()
    add_paragraph(d, "财政项目支出绩效运行监控表", bold=True)
    add_paragraph(d, "（2026年度）")
    add_table(d, [
        ["项目名称", LEFT, M_NAME, LEFT, LEFT, "项目类别", LEFT, "经常性项目", LEFT, LEFT],
        ["主管部门", LEFT, M_DEPT, LEFT, LEFT, "实施单位", LEFT, M_UNIT, LEFT, LEFT],
        ["监控期间", LEFT, "2026年1-6月", LEFT, LEFT, "监控截止日期", LEFT, cutoff, LEFT, LEFT],
        ["项目资金\n（万元）", "", "年初预算数", LEFT, "调整后预算数", "1-6月执行数", "1-6月执行率", LEFT,
         "全年预计执行数", LEFT],
        [UP, "年度资金总额", "120.00", LEFT, "110.00", "50.00", "45.5%", LEFT, "110.00", LEFT],
        [UP, "其中：财政资金", "100.00", LEFT, "90.00", "40.00", "44.4%", LEFT, "90.00", LEFT],
        [UP, "其他资金", "20.00", LEFT, "20.00", "10.00", "50.0%", LEFT, "20.00", LEFT],
        [UP, "原因说明", M_REMEDY, LEFT, LEFT, LEFT, LEFT, LEFT, LEFT, LEFT],
        ["年度\n总体目标", "年度总体目标", LEFT, LEFT, LEFT, "1-6月执行情况", LEFT, LEFT, LEFT, LEFT],
        [UP, "保障全镇重大活动安保。", LEFT, LEFT, LEFT, "上半年完成春节安保。", LEFT, LEFT, LEFT, LEFT],
        ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "1-6月实际完成值", "全年预计完成值",
         "完成目标可能性", "偏差原因", "原因说明及纠偏措施"],
        [UP, "产出指标", "数量指标", "指标1：安保活动场次", "≥12场", "5场", "12场", "确定能", "", ""],
        [UP, UP, "质量指标", "指标2：安保事故发生率", "0", "0", "0", "确定能", "", ""],
        [UP, "效益指标", "社会效益指标", "群众安全感", "提升", "按计划推进", "提升", "有可能", "", "下半年增加巡逻频次。"],
        [UP, "满意度指标", "服务对象满意度指标", "居民满意度", "≥90%", "", "≥90%", "确定能", "", ""],
    ])
    d.save(str(path))


def test_a_monitoring_form_filled_in_by_hand_imports_by_its_columns(tmp_path: Path) -> None:
    source = tmp_path / "监控表.docx"
    build_monitor(source)
    report = import_files([source], tmp_path / "out")
    [result] = report.results
    assert_clean(result)
    assert Path(result.path).name == f"{M_NAME}-监控.yaml"
    project = project_of(result)
    assert (project.form, project.name, project.category) == (FormKind.MONITOR, M_NAME, "经常性项目")
    assert (project.department, project.unit, project.year) == (M_DEPT, M_UNIT, 2026)
    assert project.cutoff == date(2026, 6, 30)
    funds = project.funds
    assert isinstance(funds, MonitorFunds) and funds.unit is MoneyUnit.WAN
    rows = {name: row for name, row in funds.rows()}
    assert rows["年度资金总额"] == MonitorRow(initial=D("120.00"), adjusted=D("110.00"), executed=D("50.00"),
                                         rate=rows["年度资金总额"].rate, forecast=D("110.00"))
    assert [str(rows[n].rate) for n in ("年度资金总额", "财政资金", "其他资金")] == ["45.5", "44.4", "50.0"]
    assert rows["财政资金"].executed == D("40.00") and rows["其他资金"].forecast == D("20.00")
    assert funds.remedy == M_REMEDY
    assert (project.annual_goal, project.progress) == ("保障全镇重大活动安保。", "上半年完成春节安保。")
    got = {ind.name: (ind.target, ind.actual, ind.forecast, ind.likelihood, ind.reasons, ind.remedy)
           for ind in project.all_indicators()}
    assert got == {
        "安保活动场次": ("≥12场", "5场", "12场", "确定能", None, None),
        "安保事故发生率": ("0", "0", "0", "确定能", None, None),
        # 偏差原因 left blank: the remedy stays in its own column, not shifted left.
        "群众安全感": ("提升", "按计划推进", "提升", "有可能", None, "下半年增加巡逻频次。"),
        "居民满意度": ("≥90%", None, "≥90%", "确定能", None, None),
    }
    assert [l1.name for l1 in project.indicators] == ["产出指标", "效益指标", "满意度指标"]


def test_a_monitoring_cutoff_without_its_day_is_not_guessed(tmp_path: Path) -> None:
    source = tmp_path / "监控表.docx"
    build_monitor(source, cutoff="2026年6月")
    report = import_files([source], tmp_path / "out")
    [result] = report.results
    assert result.status == "remarks"
    assert [(r.text, r.message) for r in result.remarks] == [
        ("2026年6月", "监控截止日期不是可读的完整日期（年、月、日），未导入")]
    lines = Path(result.path).read_text(encoding="utf-8").splitlines()
    assert not [line for line in lines if line.startswith("监控截止")]
    assert any("2026年6月" in line for line in lines if line.startswith("#"))  # the remark, for the reviewer
    spec = load_spec(Path(result.path))
    assert [d.rule for d in spec.diagnostics if "监控截止" in d.message] == ["missing-key"]
