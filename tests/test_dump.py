"""``model.dump``: a project written in the hand-written style reads back as the same project.

* generated projects of every form kind — text that needs quoting or a ``|`` block, amounts
  with every number of decimals, blank cells, ``无`` in the grid — dump → load → equal;
* every spec of the demo workspace: load → dump (leaving out what its folders give) → load → equal;
* the style itself: a hand-written spec is a fixed point of load → dump.

"Equal" is the models' equality *and* their exported data, where amounts are text: 0.30 and
0.3 are equal Decimals, but only ``0.30`` is what the clerk wrote.
"""

from __future__ import annotations

import shutil
import textwrap
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from jixiao.export import to_data
from jixiao.load.structure import Builder
from jixiao.load.workspace import SpecFile, inherited_for, load_workspace
from jixiao.load.yamlsafe import YMap, YScalar, parse_yaml
from jixiao.model.dump import KEPT_BLANKS, dump, inherited_paths, key_paths
from jixiao.model.project import (
    AnnualRequest,
    FirstLevel,
    FundRow,
    Indicator,
    MonitorFunds,
    MonitorRow,
    OverallGoal,
    Project,
    ProjectTotal,
    SecondLevel,
    SelfEvalFunds,
    TargetFunds,
)
from jixiao.model.vocab import LIKELIHOODS, FormKind, MoneyUnit
from jixiao.selfeval import skeleton
from jixiao.yamltext import Entry, Text, block, document, scalar

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [ROOT / "specs", ROOT / "tests" / "fixtures" / "variant_c", ROOT / "tests" / "fixtures" / "variant_e"]

# Findings that say the dumped text was not understood as written. Blank required keys
# (missing-key, empty-text) are fine: the generated projects may have them, and so does a
# skeleton.
STRUCTURAL = frozenset({
    "yaml-syntax", "yaml-duplicate-key", "yaml-tag", "yaml-merge-key", "control-character",
    "unknown-key", "not-for-form", "wrong-type", "invalid-value", "number-leading-zero",
})


def load_text(text: str, form: FormKind) -> Project:
    tree, problems = parse_yaml(text, "x.yaml")
    builder = Builder(form)
    project = builder.build(Project, tree, "", {}) if tree is not None else None
    found = [d.format() for d in (*problems, *builder.diagnostics) if d.rule in STRUCTURAL]
    assert found == [], text
    assert project is not None
    return project


def assert_same(loaded: Project, project: Project, text: str) -> None:
    assert loaded == project, text
    assert to_data(loaded) == to_data(project), text  # amounts keep their decimals


# -- generated projects ------------------------------------------------------------------------------

# Text that YAML would read as something else, or not at all, unless written with care.
TRICKY = [
    "yes", "no", "on", "true", "false", "null", "Null", "~", "1.0", "0123", "1e3", "0x1F", "-5", "+5",
    "2026-01-01", "12:30", ": x", "a: b", "a:", "a:b", "#", "# x", "a #b", "a#b", "a\t#b", "a:\tb", "- x",
    "-x", "? x", "?x", "<<", "---", "...", "[x]", "{x: 1}", "x, y", "@x", "`x`", "'x'", '"x"', "%x", "!x",
    "!!str x", "&a", "*a", "|", ">", "|-", "a\\nb", "无", "100%", "≥90%", "=3个", "1,000.00", "a\tb",
    "第一段\n  第二段缩进", "第一行\n\n第三行", "行尾空格  \n下一行", "x\n#不是注释", "x\n- 不是列表",
    "a\rb", "a\x85b", "a\u2028b", "a\u2029b", "a\ufeffb", "项目名称：全角冒号", "（括号）「引号」“弯引号”",
    "全角　空格", "。，；、", "目" * 70, "段落 " * 30,
]
ALPHABET = st.sampled_from(list(
    "产出指标数量质量时效成本效益满意度社会服务对象人项目经费 abcxyz0123456789-?:,[]{}#&*!|>'\"%@`~=<.\\/"
    "：，。；、（）「」“”《》！？～·—…％\u3000\t\n"))
texts = st.one_of(st.sampled_from(TRICKY), st.text(ALPHABET, max_size=40),
                  st.lists(st.sampled_from(TRICKY), min_size=1, max_size=3).map("\n".join)).map(str.strip)
words = st.one_of(st.sampled_from(TRICKY), st.text(ALPHABET, min_size=1, max_size=12)).map(str.strip) \
    .filter(lambda t: "\n" not in t)  # 一级/二级 names: one line (a mapping key)
some_text = texts.filter(bool)  # an optional text given: never "" (the loader never makes one)
optional_text = st.none() | some_text
years = st.integers(1990, 2100)


def decimals(most: int) -> st.SearchStrategy[Decimal]:
    """Decimals of at most ``most`` in size, with 0, 1, 2 or 4 decimals written (0.30 stays 0.30)."""
    return st.one_of(
        st.sampled_from([Decimal("0"), Decimal("0.00"), Decimal("-0.00"), Decimal("0.30"), Decimal("100.00")]),
        st.builds(lambda n, places: Decimal(n).scaleb(-places), st.integers(-most, most),
                  st.sampled_from([0, 1, 2, 4])))


money = st.none() | decimals(10**12)
score = st.none() | decimals(1000)


def indicators(form: FormKind) -> st.SearchStrategy[Indicator]:
    if form is FormKind.MONITOR:
        return st.builds(Indicator, name=texts, target=texts, actual=optional_text, forecast=optional_text,
                         likelihood=st.none() | st.sampled_from(LIKELIHOODS), reasons=optional_text,
                         remedy=optional_text)
    if form is not FormKind.SELF_EVAL:
        return st.builds(Indicator, name=texts, target=texts)
    return st.builds(Indicator, name=texts, target=texts, actual=optional_text, weight=score, score=score,
                     deviation=optional_text)


def grid(form: FormKind) -> st.SearchStrategy[tuple[FirstLevel, ...]]:
    second = st.builds(
        lambda name, placeholder, rows: SecondLevel(name=name, placeholder=placeholder,
                                                    indicators=() if placeholder else tuple(rows)),
        words, st.booleans(), st.lists(indicators(form), max_size=3))
    first = st.builds(lambda name, children: FirstLevel(name=name, children=tuple(children)),
                      words, st.lists(second, max_size=3, unique_by=lambda s: s.name))
    return st.lists(first, min_size=1, max_size=4, unique_by=lambda f: f.name).map(tuple)


units = st.none() | st.sampled_from(MoneyUnit)
target_funds = st.builds(
    TargetFunds, unit=units,
    project=st.builds(ProjectTotal, total=money, fiscal=money, other=money),
    annual=st.builds(AnnualRequest, total=money, current=money, carryover=money, other=money))
fund_row = st.builds(FundRow, initial=money, budget=money, executed=money)
self_eval_funds = st.builds(
    SelfEvalFunds, unit=units, total=fund_row, current=st.none() | fund_row, carryover=st.none() | fund_row,
    other=st.none() | fund_row, weight=score, rate=st.none() | decimals(10**6), score=score)

monitor_row = st.builds(MonitorRow, initial=money, adjusted=money, executed=money,
                        rate=st.none() | decimals(10**6), forecast=money)
monitor_funds = st.builds(MonitorFunds, unit=units, total=monitor_row, fiscal=st.none() | monitor_row,
                          other=st.none() | monitor_row, remedy=optional_text)


@st.composite
def projects(draw: st.DrawFn, form: FormKind) -> Project:
    common = dict(
        form=form, variant=draw(st.just("") | some_text), year=draw(st.none() | years), name=draw(texts),
        department=draw(texts), unit=draw(texts), indicators=draw(grid(form)), publish=draw(st.booleans()),
        no_publish_reason=draw(optional_text), remarks=draw(optional_text))
    if form is FormKind.SELF_EVAL:
        return Project(**common, funds=draw(self_eval_funds), expected=draw(texts), achieved=draw(texts),
                       total_score=draw(score), grade=draw(st.sampled_from([None, "优", "良", "中", "差"])))
    dates = st.none() | st.dates(date(1000, 1, 1), date(9999, 12, 31))
    if form is FormKind.MONITOR:
        return Project(**common, category=draw(optional_text), cutoff=draw(dates), funds=draw(monitor_funds),
                       annual_goal=draw(texts), progress=draw(texts))
    return Project(
        **common, category=draw(optional_text),
        nature=draw(optional_text) if form is FormKind.DECLARATION else None,
        start=draw(dates), end=draw(dates), funds=draw(target_funds),
        overall_goal=OverallGoal(period=draw(st.none() | st.tuples(years, years)), text=draw(texts)),
        annual_goal=draw(texts))


PROPERTY = settings(max_examples=200, derandomize=True, database=None, deadline=None,
                    phases=(Phase.explicit, Phase.generate, Phase.shrink),
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.mark.parametrize("form", list(FormKind), ids=["target", "declaration", "self-eval", "monitor"])
@PROPERTY
@given(data=st.data())
def test_dump_then_load_gives_the_same_project(form: FormKind, data: st.DataObject) -> None:
    project = data.draw(projects(form))
    text = dump(project)
    assert_same(load_text(text, form), project, text)


# -- the demo workspace --------------------------------------------------------------------------------


def _specs() -> list[tuple[Path, SpecFile]]:
    return [(root, s) for root in SOURCES for s in load_workspace([root]).specs if s.project is not None]


def test_every_demo_spec_reads_back_the_same(tmp_path: Path) -> None:
    specs = _specs()
    assert len(specs) > 70
    copies: dict[Path, SpecFile] = {}
    for root, spec in specs:
        assert spec.project is not None
        copy = tmp_path / root.name / spec.path.relative_to(root)
        if not copy.parent.exists():
            shutil.copytree(root, tmp_path / root.name, dirs_exist_ok=True)  # with the _defaults.yaml
        (tmp_path / ".git").mkdir(exist_ok=True)
        omit = inherited_paths(spec.project, inherited_for(spec.path))
        copy.write_text(dump(spec.project, omit=omit), encoding="utf-8")
        copies[copy] = spec
    for loaded in load_workspace(list(copies)).specs:
        original = copies[loaded.path]
        assert loaded.project is not None and original.project is not None
        text = loaded.path.read_text(encoding="utf-8")
        assert_same(loaded.project, original.project, text)
        assert [d.rule for d in loaded.diagnostics] == [d.rule for d in original.diagnostics], text


# -- the style -------------------------------------------------------------------------------------------

HAND_WRITTEN_TARGET = """\
表格: 绩效目标申报表
年度: 2026
项目名称: 劝导队经费
项目性质: 经常性项目
项目类别: 运转类项目
主管部门: 浦江镇人民政府
实施单位: 浦江镇信访办
计划开始日期: 2026-01-01
计划完成日期: 2026-12-31
项目资金:
  单位: 万元
  项目资金总额:
    合计: 4.0344
    财政资金: 4.0344
    其他资金:
  年度资金申请总额:
    合计: 4.0344
    当年财政拨款: 4.0300
    上年结转资金: 0.0044
    其他资金:
项目总目标: 提高协管员工作的积极性，配合信访部门做好信访工作
年度总体目标: |
  1. 聚焦需求夯基础。
    （1）缩进的一行。

  2. 源头发力重培育：「提升」。
绩效指标:
  产出指标:
    数量指标:
      - 三级指标: 劝导队队伍人数
        年度指标值: 4人
      - 三级指标: 空着的指标值
        年度指标值:
    成本指标: 无
  "效益指标: 社会": 无
  满意度指标:
    服务对象满意度指标:
      - 三级指标: "yes: 周边居民满意率"
        年度指标值: ≥90%
公开: false
不公开原因: 涉及安保部署
"""

HAND_WRITTEN_SELF_EVAL = """\
表格: 绩效自评表
年度: 2023
项目名称: 综治中心事务
主管部门: 淞南镇主管单位
实施单位: 上海市宝山区淞南镇城市运行管理中心
项目资金:
  单位: 元
  年度资金总额:
    年初预算数: 500000.00
    全年预算数: 327298.72
    全年执行数: 327298.72
  上年结转资金:
    年初预算数: 0
    全年预算数: 0
    全年执行数:
  分值: 10
  执行率: 100.00%
  得分: 10
预期目标: 进一步整合基层维稳力量，深入开展社会治安综合治理。
实际完成情况: 全年未发生重大治安事件。
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
        分值: 10.0
        得分: 8
        偏差原因分析及改进措施: 在强化与各执法机构的沟通联系方面，需对管理架构进行优化调整，以明晰各部门的责任和使命，并定期评估。
  效益指标: 无
总分: 94
自评等级: 优
"""


@pytest.mark.parametrize(("text", "form"), [(HAND_WRITTEN_TARGET, FormKind.DECLARATION),
                                            (HAND_WRITTEN_SELF_EVAL, FormKind.SELF_EVAL)],
                         ids=["declaration", "self-eval"])
def test_a_hand_written_spec_is_written_back_as_it_was(text: str, form: FormKind) -> None:
    # `实际完成值: "3"` is the one difference: a number-like text is written plain (jixiao reads it as text).
    assert dump(load_text(text, form)) == text.replace('"3"', "3")


def test_omit_blanks_comments_and_header() -> None:
    project = load_text(HAND_WRITTEN_SELF_EVAL, FormKind.SELF_EVAL)
    text = dump(project, omit={"form", "year", "department", "unit", "funds.unit"},
                blanks=KEPT_BLANKS - {"funds.carryover.executed"} | {"indicators.deviation", "grade"},
                comments={"funds.total.budget": "调整后", "indicators.actual": "实际"},
                header=["由测试生成。", "两行：\n第二行"])
    assert text.startswith("# 由测试生成。\n# 两行：\n# 第二行\n项目名称: 综治中心事务\n项目资金:\n  年度资金总额:\n")
    assert "    全年预算数: 327298.72   # 调整后\n    全年执行数: 327298.72\n" in text  # given: written
    assert "  上年结转资金:\n    年初预算数: 0\n    全年预算数: 0\n  分值: 10\n" in text  # blank: left out
    assert text.count("   # 实际\n") == 2 and text.count("        偏差原因分析及改进措施:\n") == 1


def test_a_key_path_the_model_does_not_declare_is_refused() -> None:
    project = load_text(HAND_WRITTEN_SELF_EVAL, FormKind.SELF_EVAL)
    with pytest.raises(ValueError, match=r"indicators\.actuals, 年度"):
        dump(project, omit={"年度"}, blanks={"indicators.actuals"})
    assert {"funds.project.total", "funds.total.budget", "overall_goal.period", "indicators.score"} \
        <= key_paths().keys()


@pytest.mark.parametrize("text", [*TRICKY, "", " ", "  两个空格开头\n第二行", "\n\n  空行后缩进\n第二行"])
def test_scalars_and_blocks_read_back_as_written(text: str) -> None:
    """Before the loader strips them: keys, plain and quoted scalars, `|` blocks (`|2` when the
    text starts with spaces)."""
    tree, problems = parse_yaml(document([], [Entry("k", Text(text)), Entry("p", Text(text, paragraph=True))])
                                + f"{scalar(text.strip())}: 1\n", "x.yaml")
    assert problems == [] and isinstance(tree, YMap)
    (_, value), (_, paragraph), (key, _) = tree.entries
    assert isinstance(value, YScalar) and isinstance(paragraph, YScalar)
    for node in (value, paragraph):
        assert node.text.removesuffix("\n") == text if "\n" in text or len(text) > 60 else node.text == text
    assert key.text == text.strip()
    assert block("k", "  缩进\n下一行") == ["k: |2", "    缩进", "  下一行"]


def test_skeleton_quotes_level_names_that_need_it(tmp_path: Path) -> None:
    """selfeval init wrote 一级 and 二级 names unquoted: `- 产出指标` became a list, `a: b` a mapping."""
    (tmp_path / ".git").mkdir()
    target = tmp_path / "t.yaml"
    target.write_text(textwrap.dedent("""\
        年度: 2026
        项目名称: x
        项目类别: 经常性项目
        主管部门: 部门
        实施单位: 单位
        项目资金:
          单位: 万元
          项目资金总额: {合计: 1}
          年度资金申请总额: {合计: 1, 当年财政拨款: 1}
        项目总目标: 目标
        年度总体目标: 目标
        绩效指标:
          "- 产出指标":
            "数量指标: 人数":
              - 三级指标: 人数
                年度指标值: 3人
          "#效益指标": 无
        """), encoding="utf-8")
    (spec,) = load_workspace([target]).specs
    text = skeleton(spec)
    assert '  "- 产出指标":\n    "数量指标: 人数":\n' in text and '  "#效益指标": 无\n' in text
    loaded = load_text(text, FormKind.SELF_EVAL)
    assert [(lv.name, [c.name for c in lv.children]) for lv in loaded.indicators] == [
        ("- 产出指标", ["数量指标: 人数"]), ("#效益指标", [])]
