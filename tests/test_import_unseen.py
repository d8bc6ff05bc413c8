"""Import tables of the seeds' family laid out in ways the seeds never show (issue 17).

The fixtures in ``fixtures/import_unseen/`` are made up in the style of the seeds and
of FORMS.md's variant C (a district public-security bureau's 申报表, amounts in 元):
tab-separated rows as the extractor gives them, merged cells left blank or shifted,
line-wrap spaces. Each file holds the printed variants of one failure class:

* ``period_row.txt`` — the 项目总目标 period on a row of its own, or beside its label;
* ``label_in_cell.txt`` — a goal label glued to its text (``年度总目标为…``);
* ``annual_unlabelled.txt`` — the 年度总目标 label missing, or the goals in an unexpected order;
* ``no_grid_head.txt`` — no ``一级指标 | 二级指标 | …`` header row;
* ``blank_level1.txt`` — the 一级 column blank (inferred), or wrong (kept as printed).

A Word document with the same layouts is built in the test with python-docx. Every
imported spec is read back with jixiao's loader and compared field by field.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import docx
import pytest

from conftest import found
from jixiao.importer import TableResult, import_files
from jixiao.load.workspace import load_spec
from jixiao.model.project import Project, TargetFunds
from jixiao.model.vocab import FormKind, MoneyUnit
from test_import_docx import LEFT, UP, add_table

FIXTURES = Path(__file__).parent / "fixtures" / "import_unseen"
DEPT, UNIT = "上海市公安局东滩分局(汇总)", "上海市公安局东滩分局"
# The grid every fixture table prints unless it says otherwise; {what} is the table's subject.
GRID = [("产出指标", "数量指标", "{what}数量", "=12"),
        ("产出指标", "质量指标", "{what}完好率", ">=95%"),
        ("效益指标", "社会效益指标", "街面见警率", "提升"),
        ("满意度指标", "服务对象满意度指标", "群众满意度", ">85%")]
INFERRED_ANNUAL = "没有印「年度总目标」标签，推定这段文字是年度总体目标，请核对"


def import_fixture(tmp_path: Path, name: str) -> list[tuple[TableResult, Project]]:
    """Every table of ``fixtures/import_unseen/name``, imported into a fresh workspace and loaded."""
    ws = tmp_path / "ws"
    (ws / ".git").mkdir(parents=True)
    report = import_files([FIXTURES / name], ws)
    assert report.failed_files == [] and report.count("failed") == 0, report
    out = []
    for result in report.results:
        assert result.path is not None, (result.status, result.error)
        spec = load_spec(result.path)
        assert spec.project is not None, [d.format() for d in spec.diagnostics]
        assert [d.format() for d in spec.diagnostics] == []
        out.append((result, spec.project))
    return out


def remarks(result: TableResult) -> list[str]:
    """The remarks without the file's path: ``12: 「text」message``, ``表1 第3行 第4格: …``."""
    return [re.sub(r"^.*?\.(?:txt:|docx )", "", r.format()) for r in result.remarks]


def goals(p: Project) -> tuple[tuple[int, int] | None, str, str]:
    assert p.overall_goal is not None
    return p.overall_goal.period, p.overall_goal.text, p.annual_goal


def rows(p: Project) -> list[tuple[str, str, str, str]]:
    return [(l1.name, l2.name, i.name, i.target) for l1 in p.indicators for l2 in l1.children
            for i in l2.indicators]


def grid(what: str) -> list[tuple[str, str, str, str]]:
    return [(l1, l2, name.format(what=what), value) for l1, l2, name, value in GRID]


def assert_header(p: Project, name: str, end: date = date(2023, 12, 31), amount: str = "1200000") -> None:
    """The part every fixture table shares: variant C header and funds in 元."""
    assert (p.form, p.effective_variant, p.year) == (FormKind.DECLARATION, "C", 2023)
    assert (p.name, p.nature, p.category, p.department, p.unit) == (name, "经常性项目", None, DEPT, UNIT)
    assert (p.start, p.end) == (date(2023, 1, 1), end)
    funds = p.funds
    assert isinstance(funds, TargetFunds) and funds.project and funds.annual
    assert funds.unit is MoneyUnit.YUAN
    assert (funds.project.total, funds.project.fiscal, funds.project.other) == (
        Decimal(amount), Decimal(amount), Decimal("0"))
    assert (funds.annual.total, funds.annual.current, funds.annual.carryover, funds.annual.other) == (
        Decimal(amount + ".00"), Decimal(amount + ".00"), Decimal("0"), Decimal("0"))


# -- class 1: the period on a row of its own -------------------------------------------------------

PERIODS = {
    "own-row-ascii": ("2040101DT实有人口管理经费", (2023, 2023), "2023-12-31", "1200000", "巡逻车辆",
                      "加强实有人口服务管理，提升基础信息采集质量。", "完成全年实有人口信息采集与核查。"),
    "own-row-fullwidth-spaced": ("2040102DT治安巡逻经费", (2023, 2023), "2023-12-31", "1200000", "巡逻警组",
                                 "巩固街面巡逻防控体系，压降可防性案件。", "全年开展街面巡逻，重点时段见警率保持高位。"),
    "own-row-no-brackets": ("2040103DT视频监控建设经费", (2023, 2025), "2025-12-31", "3600000", "监控点位",
                            "三年内建成覆盖全区主要道路的视频监控网络。", "完成第一期视频监控点位建设。"),
    "beside-label": ("2040104DT交通协管经费", (2023, 2024), "2024-12-31", "1200000", "交通协管员",
                     "保障交通协管队伍稳定运行，改善路口通行秩序。", "完成年度交通协管员招聘与培训。"),
    "first-line-of-text-cell": ("2040105DT警犬训养经费", (2023, 2023), "2023-12-31", "1200000", "警犬",
                                "保障警犬训养工作正常开展。", "完成年度警犬训养与复训。"),
}


@pytest.mark.parametrize("variant", list(PERIODS))
def test_goal_period_printed_apart_is_the_period(tmp_path: Path, variant: str) -> None:
    # (2023年-2023年) / （2023年 - 2023年） / 2023年-2025年 on a row of its own, ( 2023年-2024年 )
    # in the cell beside the label, （2023-2023年） as the first paragraph of the text's cell.
    tables = import_fixture(tmp_path, "period_row.txt")
    assert len(tables) == len(PERIODS)
    result, p = tables[list(PERIODS).index(variant)]
    name, period, end, amount, what, text, annual = PERIODS[variant]
    assert (result.status, remarks(result)) == ("clean", [])
    assert_header(p, name, date.fromisoformat(end), amount)
    assert goals(p) == (period, text, annual)
    assert rows(p) == grid(what)


# -- class 2: label and text in one cell ------------------------------------------------------------

GLUED = {
    "label-row-colon-and-wei": ("2040201DT户籍窗口运行经费", (2023, 2023), "户籍窗口",
                                "提升户籍窗口服务效率。", "切实加强实有人口服务管理，缩短窗口办理时间。"),
    "stacked-ascii-and-fullwidth-colon": ("2040202DT派出所装备经费", None, "执法记录仪",
                                          "配齐派出所基础装备，保障一线执法需要。", "完成年度执法记录仪更新。"),
    "text-row-repeats-labels": ("2040203DT社区警务经费", (2023, 2023), "社区警务室",
                                "深化社区警务，推动警力下沉。", "全年走访社区居民不少于一万户。"),
}


@pytest.mark.parametrize("variant", list(GLUED))
def test_goal_label_glued_to_its_text_is_stripped(tmp_path: Path, variant: str) -> None:
    # 项目总目标 (2023年-2023年)：… | 年度总目标为…;  项目总目标:… above 年度总体目标：…;
    # labels printed, then repeated at the start of each text (项目总目标:… | 年度总体目标 为 …).
    tables = import_fixture(tmp_path, "label_in_cell.txt")
    result, p = tables[list(GLUED).index(variant)]
    name, period, what, text, annual = GLUED[variant]
    assert (result.status, remarks(result)) == ("clean", [])
    assert_header(p, name)
    assert goals(p) == (period, text, annual)
    assert rows(p) == grid(what)


def test_goal_label_with_a_year_that_is_no_period(tmp_path: Path) -> None:
    # 项目总目标（2023年度）… : the bracket is the label's, not read as a period, and said so;
    # 年度总目标：（一）… : after the colon a bracket is the text's own.
    tables = import_fixture(tmp_path, "label_in_cell.txt")
    assert len(tables) == len(GLUED) + 1
    result, p = tables[-1]
    assert remarks(result) == ["61: 「项目总目标（2023年度）保障看守所安全运行。」标签后的「（2023年度）」不是起止年度，未导入"]
    assert_header(p, "2040204DT看守所运行经费")
    assert goals(p) == (None, "保障看守所安全运行。", "（一）完成监区设施改造；（二）全年无安全事故。")
    assert rows(p) == grid("监控设备")


# -- class 3: an annual goal text without its label, or out of order -----------------------------------

UNLABELLED = {
    "annual-beside-project-label": ("2040301DT出入境窗口经费", "受理窗口", "保障出入境窗口正常运转。",
                                    "完成年度出入境证件受理与发放。",
                                    [f"11: 「完成年度出入境证件受理与发放。」{INFERRED_ANNUAL}"]),
    "second-text-under-the-first": ("2040302DT消防协管经费", "消防协管员", "保障消防协管队伍正常运行。",
                                    "完成年度消防隐患巡查。", [f"30: 「完成年度消防隐患巡查。」{INFERRED_ANNUAL}"]),
    "stacked-annual-first": ("2040303DT网安技术经费", "测评系统", "提升网络安全防护能力。",
                             "完成年度网络安全等级保护测评。", []),
    "side-by-side-annual-first": ("2040304DT禁毒宣传经费", "宣传活动", "增强群众识毒防毒拒毒意识。",
                                  "全年开展禁毒宣传进社区活动。", []),
}


@pytest.mark.parametrize("variant", list(UNLABELLED))
def test_annual_goal_text_is_never_left_out(tmp_path: Path, variant: str) -> None:
    # Without the 年度总目标 label, a text only the annual goal can hold goes there, with a remark;
    # labels in the reverse order (stacked or side by side) are followed, nothing to confirm.
    tables = import_fixture(tmp_path, "annual_unlabelled.txt")
    result, p = tables[list(UNLABELLED).index(variant)]
    name, what, text, annual, expected_remarks = UNLABELLED[variant]
    assert remarks(result) == expected_remarks
    assert result.status == ("remarks" if expected_remarks else "clean")
    assert_header(p, name)
    assert goals(p) == ((2023, 2023), text, annual)
    assert rows(p) == grid(what)


# -- class 4: no indicator header row -------------------------------------------------------------------


def test_grid_without_header_row_is_read_by_vocabulary(tmp_path: Path) -> None:
    [(r1, p1), (r2, p2)] = import_fixture(tmp_path, "no_grid_head.txt")
    # The first grid row carries the 绩效 指标 caption and 产出指标 | 数量指标 …
    assert (r1.status, remarks(r1)) == ("clean", [])
    assert_header(p1, "2040401DT警用车辆运维经费")
    assert goals(p1) == ((2023, 2023), "保障警用车辆安全可靠运行。", "完成年度警用车辆维修保养。")
    assert rows(p1) == grid("警用车辆")
    # The caption on a row of its own after goals whose period has a row of its own too.
    assert (r2.status, remarks(r2)) == ("clean", [])
    assert_header(p2, "2040402DT警务站运行经费")
    assert goals(p2) == ((2023, 2023), "保障街面警务站全天候运行。", "完成年度警务站值守与维护。")
    assert rows(p2) == [("产出指标", "数量指标", "警务站数量", "=8"),
                        ("产出指标", "时效指标", "故障修复及时性", "及时"),
                        ("效益指标", "社会效益指标", "群众求助响应", "提升"),
                        ("满意度指标", "服务对象满意度指标", "群众满意度", ">=90%")]


# -- class 6: a blank 一级 column -------------------------------------------------------------------------


def test_blank_level1_is_inferred_from_level2_and_wrong_level1_is_kept(tmp_path: Path) -> None:
    [(blank, p1), (wrong, p2), (middle, p3)] = import_fixture(tmp_path, "blank_level1.txt")
    assert blank.path is not None and wrong.path is not None
    inferred = "一级指标栏空着，按这个二级指标推定一级指标为「{}」，请核对"
    assert remarks(blank) == [f"14: 「数量指标」{inferred.format('产出指标')}",
                              f"17: 「社会效益指标」{inferred.format('效益指标')}",
                              f"18: 「服务对象满意度指标」{inferred.format('满意度指标')}"]
    assert_header(p1, "2040601DT技防设施维护经费")
    assert goals(p1) == ((2023, 2023), "保障技防设施正常运行。", "完成年度技防设施巡检维护。")
    assert rows(p1) == [("产出指标", "数量指标", "维护点位数量", "=320"),
                        ("产出指标", "数量指标", "巡检次数", "=12"),
                        ("产出指标", "质量指标", "设备完好率", ">=95%"),
                        ("效益指标", "社会效益指标", "案件侦破支撑作用", "提升"),
                        ("满意度指标", "服务对象满意度指标", "基层民警满意度", ">85%")]
    assert [f.rule for f in found(blank.path)] == []
    # Printed but wrong: kept as printed, no remark, and check reports it.
    assert (wrong.status, remarks(wrong)) == ("clean", [])
    assert rows(p2) == [("效果目标", "数量指标", "培训人次", "=600"),
                        ("产出指标", "社会效益指标", "实战能力", "提升"),
                        ("满意度指标", "服务对象满意度指标", "参训民警满意度", ">=90%")]
    assert [f.rule for f in found(wrong.path)] == [
        "indicator-level1-unknown", "indicator-level2-misplaced", "indicator-level2-misplaced"]
    # The 一级 printed in the middle of its merged cell, below the group's first 二级: nothing inferred.
    assert (middle.status, remarks(middle)) == ("clean", [])
    assert rows(p3) == [("产出指标", "数量指标", "巡逻里程", "=5000公里"),
                        ("产出指标", "质量指标", "巡逻覆盖率", "=100%"),
                        ("产出指标", "时效指标", "接警响应时间", "<=5分钟"),
                        ("效益指标", "社会效益指标", "街面发案率", "下降"),
                        ("满意度指标", "服务对象满意度指标", "群众满意度", ">=90%")]


# -- the same layouts in a Word document -------------------------------------------------------------------

# Word tables laid out with LEFT/UP merge markers, as tests/test_import_docx.py builds them.


def test_word_period_row_glued_label_no_grid_head_blank_level1(tmp_path: Path) -> None:
    """A hand-made Word 目标表: the period in a row of its own, the annual label glued to its text,
    no grid header, and the first group's 一级 cell left blank."""
    document = docx.Document()
    document.add_paragraph("财政项目支出绩效目标表")
    document.add_paragraph("（2026年度）")
    add_table(document, [
        ["项目名称", "社区消防站运行经费", LEFT, "项目类别", "专项资金□ 经常性项目☑ 一次性项目□"],
        ["主管部门", "闵行区某镇人民政府", LEFT, "实施单位", "某镇平安办"],
        ["计划开始日期", "2026年1月1日", LEFT, "计划完成日期", "2027年12月31日"],
        ["项目资金\n（万元）", "项目资金总额", "20", "年度资金申请总额", "10"],
        [UP, "其中：财政资金", "20", "其中：当年财政拨款", "10"],
        [UP, "", "", "上年结转资金", ""],
        [UP, "其他资金", "", "其他资金", ""],
        ["项目绩效目标", "项目总目标", LEFT, "", LEFT],
        [UP, "（2026年 - 2027年）", LEFT, "", LEFT],
        [UP, "两年内建成社区微型消防站网络", LEFT, "年度总体目标：建成微型消防站6个", LEFT],
        ["绩效指标", "", "数量指标", "微型消防站数量", "6个"],
        [UP, "", "质量指标", "验收合格率", "100%"],
        [UP, "效益指标", "社会效益指标", "初起火灾处置时间", "缩短"],
        [UP, "满意度指标", "服务对象满意度指标", "居民满意度", "≥90%"],
    ])
    ws = tmp_path / "ws"
    (ws / ".git").mkdir(parents=True)
    source = tmp_path / "消防站.docx"
    document.save(str(source))
    report = import_files([source], ws)
    [result] = report.results
    assert result.path is not None
    assert remarks(result) == ["表1 第11行 第3格: 「数量指标」一级指标栏空着，按这个二级指标推定一级指标为「产出指标」，请核对"]
    p = load_spec(result.path).project
    assert p is not None
    assert (p.form, p.name, p.category, p.start, p.end) == (
        FormKind.TARGET, "社区消防站运行经费", "经常性项目", date(2026, 1, 1), date(2027, 12, 31))
    assert goals(p) == ((2026, 2027), "两年内建成社区微型消防站网络", "建成微型消防站6个")
    assert rows(p) == [("产出指标", "数量指标", "微型消防站数量", "6个"),
                       ("产出指标", "质量指标", "验收合格率", "100%"),
                       ("效益指标", "社会效益指标", "初起火灾处置时间", "缩短"),
                       ("满意度指标", "服务对象满意度指标", "居民满意度", "≥90%")]
