"""Variant C (a district public-security bureau's declaration table) from extracted text.

No such table is in the seeds; this one is written from FORMS.md §2 in the shape the
extractor gives the seeds (tabs, shifted merged cells, stray spaces), so the importer
is tested on the description, not on one file's columns.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from jixiao.importer import import_files
from jixiao.load.workspace import load_spec
from jixiao.model.project import TargetFunds
from jixiao.model.vocab import FormKind, MoneyUnit

TABLE = "\n".join([
    "",
    "财政项目支出绩效目标申报表",
    "(2023 年度)",
    "项目名称\t2040219KJ科技设备购置费\t项目类别\t经常性项目",
    "主管部门\t上海市公安局崇明分局(汇总)\t实施单位\t上海市公安局崇明分局",
    "计划开始日期\t2023-01-01\t计划完成日期\t2023-12-31",
    "项目资金 (元)\t项目资金总额\t5,254,900\t年度资金申请总额\t5,254,900.00",
    "\t其中：财政资金\t5,254,900\t其中：当年财政拨款\t5,254, 900.00",
    "\t\t\t上年结转资金\t0",
    "\t其他资金\t0\t其他资金\t0",
    "项目 绩效 目标\t项目总目标 (2023年-2023年)\t\t年度总目标",
    "\t<p>按计划购置科技信息化设备，保障公安业务系统稳定运行。</p>\t\t完成年度科技设备采购与安装。",
    "绩效 指标\t一级指标\t二级指标\t三级指标\t指标目标值",
    "\t产出指标\t数量指标\t购置设备数量\t=94",
    "\t\t质量指标\t设备验收合格率\t=100%",
    "\t\t时效指标\t采购完成及时性\t及时",
    "\t\t成本指标\t采购成本节约率\t>=5%",
    "\t效益指标\t社会效益指标\t科技手段对破案的支撑作用\t提升",
    "\t\t可持续影响 指标\t设备运维管理制度\t健全",
    "满意度指标\t服务对象 满意度指标\t一线民警满意度\t>85%",
    "",
])


def test_variant_c_text_table(tmp_path: Path) -> None:
    source = tmp_path / "崇明分局.txt"
    source.write_text(TABLE, encoding="utf-8")
    report = import_files([source], tmp_path / "ws")
    [result] = report.results
    assert (result.status, result.remarks) == ("clean", ())
    assert result.path == (tmp_path / "ws" / "上海市公安局崇明分局(汇总)" / "2023" / "上海市公安局崇明分局"
                           / "2040219KJ科技设备购置费.yaml")
    spec = load_spec(result.path)
    p = spec.project
    assert p is not None and [d.format() for d in spec.diagnostics] == []
    assert (p.form, p.effective_variant, p.year) == (FormKind.DECLARATION, "C", 2023)
    assert (p.name, p.nature, p.category) == ("2040219KJ科技设备购置费", "经常性项目", None)
    assert (p.department, p.unit) == ("上海市公安局崇明分局(汇总)", "上海市公安局崇明分局")
    assert (p.start, p.end) == (date(2023, 1, 1), date(2023, 12, 31))
    funds = p.funds
    assert isinstance(funds, TargetFunds) and funds.project and funds.annual
    assert funds.unit is MoneyUnit.YUAN
    assert (funds.project.total, funds.project.fiscal, funds.project.other) == (
        Decimal("5254900"), Decimal("5254900"), Decimal("0"))
    assert (funds.annual.total, funds.annual.current, funds.annual.carryover, funds.annual.other) == (
        Decimal("5254900.00"), Decimal("5254900.00"), Decimal("0"), Decimal("0"))
    assert p.overall_goal is not None and p.overall_goal.period == (2023, 2023)
    assert p.overall_goal.text == "按计划购置科技信息化设备，保障公安业务系统稳定运行。"
    assert p.annual_goal == "完成年度科技设备采购与安装。"
    rows = [(l1.name, l2.name, i.name, i.target) for l1 in p.indicators for l2 in l1.children
            for i in l2.indicators]
    assert rows == [
        ("产出指标", "数量指标", "购置设备数量", "=94"),
        ("产出指标", "质量指标", "设备验收合格率", "=100%"),
        ("产出指标", "时效指标", "采购完成及时性", "及时"),
        ("产出指标", "成本指标", "采购成本节约率", ">=5%"),
        ("效益指标", "社会效益指标", "科技手段对破案的支撑作用", "提升"),
        ("效益指标", "可持续影响指标", "设备运维管理制度", "健全"),
        ("满意度指标", "服务对象满意度指标", "一线民警满意度", ">85%"),
    ]
