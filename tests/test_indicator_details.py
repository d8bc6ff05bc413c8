"""Indicator details (issue 18 §2): 指标解释, 评分标准, 计量单位, 指标来源, 上年实际值 per 三级指标.

* declared once in the model: loaded, dumped (load → dump → load gives the same project),
  exported, documented in the JSON Schema;
* 指标来源 is a choice: a wrong value is reported like any other;
* ``indicator-detail-missing`` is off unless a workspace's ``_defaults.yaml`` sets a level;
* variant E (申报表 with 指标解释 and 评（扣）分标准 columns) prints them in all three formats,
  in the right cells; the other variants print nothing new, and show the details in the
  HTML view only, as the 三级指标 cell's tooltip.
"""

from __future__ import annotations

import json
from pathlib import Path

import docx

from conftest import check, load, replace_once, run_cli
from jixiao.export import to_data
from jixiao.jsonschema import project_schema
from jixiao.model.dump import dump
from jixiao.model.project import INDICATOR_DETAILS, Indicator, Project
from jixiao.render.docx_shell import build_shell
from jixiao.render.layout import column_counts
from jixiao.render.variant import BUILTIN_TEMPLATES, HeaderStyle, load_variant
from jixiao.rules import RULES, rules_markdown
from render_helpers import files_under, pdftotext, read_html, squash

DEFAULTS = """\
主管部门: 浦江镇人民政府
年度: 2026
表格: 绩效目标申报表
金额单位: 万元
"""

EXPLANATION = "年内在岗的劝导队队员人数"
SCORING = "达到4人得满分，每少1人扣2分"
RATE_EXPLANATION = "到岗人数÷应到人数×100%"
RATE_SCORING = "100%得满分，每低1个百分点扣1分"

# Seed 003 L147–166 (劝导队经费, 申报表) with the details a budget system keeps.
# Lines: 15 劝导队队伍人数 (its item at 15:9)  17 指标解释 … 20 指标来源  21 上年实际值  23 劝导队人员到位率
# 30 保障辖区稳定性  34 周边居民满意率
SPEC = f"""\
项目名称: 劝导队经费
项目性质: 经常性项目
项目类别: 运转类项目
实施单位: 浦江镇信访办
计划开始日期: 2026-01-01
计划完成日期: 2026-12-31
项目资金:
  项目资金总额: {{合计: 4.0344, 财政资金: 4.0344}}
  年度资金申请总额: {{合计: 4.0344, 当年财政拨款: 4.0344}}
项目总目标: 提高协管员工作的积极性，配合信访部门做好信访工作
年度总体目标: 提高协管员工作的积极性，配合信访部门做好信访工作
绩效指标:
  产出指标:
    数量指标:
      - 三级指标: 劝导队队伍人数
        年度指标值: 4人
        指标解释: {EXPLANATION}
        评分标准: {SCORING}
        计量单位: 人
        指标来源: 计划标准
        上年实际值: 4人
    质量指标:
      - 三级指标: 劝导队人员到位率
        年度指标值: 100%
        指标解释: {RATE_EXPLANATION}
        评分标准: {RATE_SCORING}
    时效指标: 无
  效益指标:
    社会效益指标:
      - 三级指标: 保障辖区稳定性
        年度指标值: 保障
  满意度指标:
    服务对象满意度指标:
      - 三级指标: 周边居民满意率
        年度指标值: 90%
"""


def workspace(write_specs, spec: str = SPEC, defaults: str = DEFAULTS) -> Path:
    return write_specs({"jixiao.toml": "", "d/_defaults.yaml": defaults, "d/劝导队经费.yaml": spec})


def the_project() -> Project:
    (spec,) = load(".").specs
    assert spec.project is not None, spec.diagnostics
    return spec.project


def first_indicator(project: Project) -> Indicator:
    return project.all_indicators()[0]


# -- the model: load, dump, export, schema ------------------------------------------------------


def test_all_five_details_are_loaded(write_specs) -> None:
    workspace(write_specs)
    ind = first_indicator(the_project())
    assert (ind.explanation, ind.scoring, ind.measure_unit, ind.source, ind.last_actual) == (
        EXPLANATION, SCORING, "人", "计划标准", "4人")
    assert ind.details() == {"指标解释": EXPLANATION, "评分标准": SCORING, "计量单位": "人",
                             "指标来源": "计划标准", "上年实际值": "4人"}
    assert check(".").diagnostics == ()


def test_dump_writes_the_details_and_reads_back_the_same_project(write_specs) -> None:
    workspace(write_specs)
    project = the_project()
    text = dump(project)
    assert (f"        指标解释: {EXPLANATION}\n        评分标准: {SCORING}\n        计量单位: 人\n"
            "        指标来源: 计划标准\n        上年实际值: 4人\n") in text
    workspace(write_specs, text)
    again = the_project()
    assert again == project
    assert to_data(again) == to_data(project)


def test_export_carries_the_details(write_specs) -> None:
    workspace(write_specs)
    code, out, err = run_cli("export", ".", "--format", "json")
    assert (code, err) == (0, "")
    (data,) = json.loads(out)["项目"]
    first = data["绩效指标"]["产出指标"]["数量指标"][0]
    assert {k: first[k] for k in INDICATOR_DETAILS} == {
        "指标解释": EXPLANATION, "评分标准": SCORING, "计量单位": "人", "指标来源": "计划标准", "上年实际值": "4人"}
    second = data["绩效指标"]["产出指标"]["质量指标"][0]
    assert (second["评分标准"], second["指标来源"]) == (RATE_SCORING, None)


def test_json_schema_documents_the_details_in_chinese() -> None:
    text = json.dumps(project_schema(), ensure_ascii=False)
    for name in INDICATOR_DETAILS:
        assert f'"{name}"' in text
    assert '"enum": ["计划标准", "行业标准", "历史标准", "其他"]' in text
    assert "评（扣）分标准" in text


def test_a_wrong_indicator_source_is_reported(write_specs) -> None:
    workspace(write_specs, replace_once(SPEC, "指标来源: 计划标准", "指标来源: 上级要求"))
    assert [d.format() for d in check(".").diagnostics] == [
        "d/劝导队经费.yaml:20:15: 错误 [invalid-value] 「绩效指标.产出指标.数量指标[1].指标来源」应为 "
        "计划标准 / 行业标准 / 历史标准 / 其他 之一，实际是「上级要求」",
    ]


# -- the rule: off by default, on by 规则 -----------------------------------------------------------


def test_detail_rule_is_off_by_default(write_specs) -> None:
    assert RULES["indicator-detail-missing"].off
    assert "| `indicator-detail-missing` | 关闭 |" in rules_markdown()
    workspace(write_specs)
    assert [d for d in check(".").diagnostics if d.rule == "indicator-detail-missing"] == []


def test_detail_rule_is_turned_on_in_defaults(write_specs) -> None:
    workspace(write_specs, defaults=DEFAULTS + "规则: {indicator-detail-missing: 错误}\n")
    assert [d.format() for d in check(".").diagnostics] == [
        "d/劝导队经费.yaml:23:9: 错误 [indicator-detail-missing] 三级指标「劝导队人员到位率」缺少指标来源、计量单位"
        "（本工作区要求填写指标明细）",
        "d/劝导队经费.yaml:30:9: 错误 [indicator-detail-missing] 三级指标「保障辖区稳定性」缺少指标解释、评分标准、指标来源"
        "（本工作区要求填写指标明细）",
        "d/劝导队经费.yaml:34:9: 错误 [indicator-detail-missing] 三级指标「周边居民满意率」缺少指标解释、评分标准、指标来源、计量单位"
        "（本工作区要求填写指标明细）",
    ]


def test_detail_rule_can_be_turned_off_again_below(write_specs) -> None:
    write_specs({"jixiao.toml": "", "_defaults.yaml": "规则: {indicator-detail-missing: 警告}\n",
                 "d/_defaults.yaml": DEFAULTS + "规则: {indicator-detail-missing: 关闭}\n", "d/劝导队经费.yaml": SPEC})
    assert check(".").diagnostics == ()


# -- variant E ------------------------------------------------------------------------------------


def test_variant_e_has_the_two_columns_and_its_widths_are_checked() -> None:
    variant = load_variant(BUILTIN_TEMPLATES, "E")
    assert dict(variant.details) == {"指标解释": "指标解释", "评分标准": "评（扣）分标准"}
    assert column_counts(HeaderStyle.NATURE_AND_CATEGORY, 2)["指标"] == 7
    assert column_counts(HeaderStyle.NATURE_AND_CATEGORY)["指标"] == 5
    code, out, err = run_cli("templates", "check", str(BUILTIN_TEMPLATES))
    assert code == 0, out + err


def test_variant_e_shell_is_what_the_build_script_writes() -> None:
    built = build_shell(load_variant(BUILTIN_TEMPLATES, "E"))
    assert (BUILTIN_TEMPLATES / "variants" / "E" / "shell.docx").read_bytes() == built, \
        "run .venv/bin/python scripts/build_docx_templates.py"


def render(write_specs, tmp_path: Path, variant: str) -> dict[str, Path]:
    workspace(write_specs, defaults=DEFAULTS + f"表样: {variant}\n")
    out = tmp_path / "out"
    code, _, err = run_cli("render", ".", "--format", "html,pdf,docx", "-o", out)
    assert (code, err) == (0, "")
    return {p.suffix: out / p for p in files_under(out) if p.suffix in (".html", ".pdf", ".docx")}


def word_row(row: docx.table._Row) -> list[str]:
    """A Word row's cells, each once (``row.cells`` repeats a cell for every grid column it spans)."""
    out, seen = [], set()
    for cell in row.cells:
        if id(cell._tc) not in seen:
            seen.add(id(cell._tc))
            out.append(squash(cell.text))
    return out


def test_variant_e_prints_the_details_in_html_pdf_and_docx(write_specs, tmp_path: Path) -> None:
    files = render(write_specs, tmp_path, "E")
    # HTML: the header row, then each row's 三级指标 | 年度指标值 | 指标解释 | 评（扣）分标准
    grid = read_html(files[".html"]).table("indicators").grid()
    assert [squash(c.text) for c in grid[0]] == [
        "绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "指标解释", "评（扣）分标准"]
    rows = [[squash(c.text) for c in row[3:]] for row in grid[1:]]
    assert rows == [
        ["劝导队队伍人数", "4人", EXPLANATION, SCORING],
        ["劝导队人员到位率", "100%", RATE_EXPLANATION, RATE_SCORING],
        ["无", "无", "", ""],
        ["保障辖区稳定性", "保障", "", ""],
        ["周边居民满意率", "90%", "", ""],
    ]
    # what the columns print is not repeated in the tooltip; what they do not print is
    assert grid[1][3].attrs["title"] == "计量单位：人\n指标来源：计划标准\n上年实际值：4人"
    assert "title" not in grid[2][3].attrs and "title" not in grid[4][3].attrs
    # DOCX: the same cells in the page's table (the sections share one Word table)
    table = docx.Document(str(files[".docx"])).tables[0]
    texts = [word_row(row) for row in table.rows]
    head = next(n for n, row in enumerate(texts) if "评（扣）分标准" in row)
    assert texts[head][-4:] == ["三级指标", "年度指标值", "指标解释", "评（扣）分标准"]
    assert texts[head + 1][-4:] == ["劝导队队伍人数", "4人", EXPLANATION, SCORING]
    assert texts[head + 2][-4:] == ["劝导队人员到位率", "100%", RATE_EXPLANATION, RATE_SCORING]
    # PDF: the headers and texts are printed, in row order
    text = squash(pdftotext(files[".pdf"]))
    assert "指标解释" in text and "评（扣）分标准" in text
    for expected in (EXPLANATION, SCORING, RATE_EXPLANATION, RATE_SCORING):
        assert squash(expected) in text, expected
    assert text.index(squash(SCORING)) < text.index(squash(RATE_SCORING))


def test_other_variants_print_nothing_new_and_show_the_details_as_a_tooltip(write_specs, tmp_path: Path) -> None:
    files = render(write_specs, tmp_path, "B")
    grid = read_html(files[".html"]).table("indicators").grid()
    assert len(grid[0]) == 5  # 绩效指标 | 一级 | 二级 | 三级 | 年度(/项目)指标值, as before
    assert grid[1][3].attrs["title"] == (f"指标解释：{EXPLANATION}\n评（扣）分标准：{SCORING}\n计量单位：人\n"
                                         "指标来源：计划标准\n上年实际值：4人")
    assert squash(grid[1][3].text) == "劝导队队伍人数"
    printed = squash(pdftotext(files[".pdf"])) + "".join(
        squash(c.text) for t in docx.Document(str(files[".docx"])).tables for r in t.rows for c in r.cells)
    for detail in (EXPLANATION, SCORING, "计划标准"):
        assert squash(detail) not in printed


def test_selfeval_init_carries_the_details_to_the_self_evaluation(write_specs) -> None:
    write_specs({"d/_defaults.yaml": DEFAULTS, "d/s.yaml": SPEC})
    code, _, err = run_cli("selfeval", "init", "d/s.yaml")
    assert (code, err) == (0, "")
    skeleton = load("d/s-自评.yaml").specs[0].project
    assert skeleton is not None
    first = skeleton.all_indicators()[0]
    assert (first.explanation, first.scoring, first.measure_unit, first.source, first.last_actual) == (
        EXPLANATION, SCORING, "人", "计划标准", "4人")
