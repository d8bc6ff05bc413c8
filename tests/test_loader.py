"""The YAML loader: safe reading, exact values, located diagnostics.

Every spec value must keep the author's text (no YAML 1.1 guessing, no floats)
and where it was written; hostile or broken files are refused with a located
diagnostic instead of a traceback.
"""

from __future__ import annotations

import time
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import (
    CLEAN_TARGET,
    PUJIANG_DEFAULTS,
    Found,
    found,
    load,
    replace_once,
)
from jixiao.errors import Location
from jixiao.export import export_document
from jixiao.load.structure import Builder
from jixiao.load.yamlsafe import MAX_FILE_BYTES, YMap, YScalar, YSeq, parse_yaml
from jixiao.model.project import Project, ProjectTotal, TargetFunds

SPEC = "d/s.yaml"


def workspace(write_specs, text: str | bytes, defaults: str = PUJIANG_DEFAULTS) -> None:
    write_specs({"d/_defaults.yaml": defaults, SPEC: text})


def project_of(text: str, write_specs, defaults: str = PUJIANG_DEFAULTS) -> Project:
    workspace(write_specs, text, defaults)
    (spec,) = load(".").specs
    assert spec.project is not None, spec.diagnostics
    return spec.project


def lines(*paths: str) -> list[str]:
    return [f"{f.where}: {f.severity} [{f.rule}] {f.message}" for f in found(*paths)]


# -- duplicate keys, tags, merge keys ------------------------------------------------------------


def test_duplicate_key_is_located_at_the_second_key_and_names_the_first_line(write_specs) -> None:
    text = replace_once(CLEAN_TARGET, "实施单位: 浦江镇社区党群服务中心\n",
                        "实施单位: 浦江镇社区党群服务中心\n项目名称: 残保金\n")
    workspace(write_specs, text)
    assert lines(".") == [
        "d/s.yaml:4:1: 错误 [yaml-duplicate-key] 键「项目名称」重复，第 1 行已经写过；"
        "普通 YAML 工具会悄悄丢掉前一个值，这里以第一次为准，请删掉多余的一处",
    ]
    (spec,) = load(".").specs
    assert spec.project is not None
    assert spec.project.name == "事业编残保金"  # the first value is kept, not silently the last


def test_duplicate_key_in_a_nested_mapping(write_specs) -> None:
    text = replace_once(CLEAN_TARGET, "    财政资金: 20.00\n", "    财政资金: 20.00\n    财政资金: 18.00\n")
    workspace(write_specs, text)
    assert Found("d/s.yaml:10:5", "错误", "yaml-duplicate-key",
                 "键「财政资金」重复，第 9 行已经写过；普通 YAML 工具会悄悄丢掉前一个值，"
                 "这里以第一次为准，请删掉多余的一处") in found(".")


def test_python_object_tag_is_refused_and_never_executed(write_specs, tmp_path: Path) -> None:
    text = replace_once(CLEAN_TARGET, "项目名称: 事业编残保金",
                        '项目名称: !!python/object/apply:os.system ["touch pwned"]')
    workspace(write_specs, text)
    assert Found("d/s.yaml:1:7", "错误", "yaml-tag",
                 "不支持 YAML 标签 !!python/object/apply:os.system；请去掉标签直接写值") in found(".")
    assert not (tmp_path / "pwned").exists()


def test_a_refused_tag_is_reported_once_not_also_as_an_empty_value(write_specs) -> None:
    # The author wrote a value; saying it is empty (empty-text) at the same place misleads.
    text = replace_once(CLEAN_TARGET, "项目名称: 事业编残保金", "项目名称: !!python/str 事业编残保金")
    workspace(write_specs, text)
    assert lines(".") == ["d/s.yaml:1:7: 错误 [yaml-tag] 不支持 YAML 标签 !!python/str；请去掉标签直接写值"]


def test_python_object_tag_on_a_mapping_is_refused(write_specs) -> None:
    text = replace_once(CLEAN_TARGET, "项目资金:\n", "项目资金: !!python/object:decimal.Decimal\n")
    workspace(write_specs, text)
    assert Found("d/s.yaml:6:7", "错误", "yaml-tag",
                 "不支持 YAML 标签 !!python/object:decimal.Decimal；请去掉标签直接写值") in found(".")


def test_merge_key_is_refused_and_not_applied(write_specs) -> None:
    text = replace_once(
        CLEAN_TARGET,
        "  项目资金总额:\n    合计: 20.00\n    财政资金: 20.00\n    其他资金:\n"
        "  年度资金申请总额:\n    合计: 20.00\n",
        "  项目资金总额: &total\n    合计: 20.00\n    财政资金: 20.00\n    其他资金:\n"
        "  年度资金申请总额:\n    <<: *total\n")
    workspace(write_specs, text)
    result = found(".")
    assert Found("d/s.yaml:12:5", "错误", "yaml-merge-key",
                 "不支持 YAML 合并键 <<；部门共用的内容请写在 _defaults.yaml") in result
    (spec,) = load(".").specs
    assert spec.project is not None and isinstance(spec.project.funds, TargetFunds)
    annual = spec.project.funds.annual
    assert annual is not None and annual.total is None  # 合计 was not merged in
    assert any(f.rule == "missing-key" and f.where == "d/s.yaml:12:5" for f in result)


# -- oversized and hostile documents --------------------------------------------------------------


def billion_laughs(levels: int = 9) -> str:
    rows = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        rows.append(f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 9) + "]")
    return "\n".join(rows) + "\n"


TOO_LARGE = "内容展开后过大或嵌套过深（可能是层层引用的别名）；请直接写出内容"


def test_alias_bomb_is_refused_quickly(write_specs) -> None:
    workspace(write_specs, billion_laughs())
    start = time.perf_counter()
    result = found(".")
    elapsed = time.perf_counter() - start
    assert elapsed < 2.0
    assert [(f.where.split(":")[0], f.rule, f.message) for f in result] == [
        ("d/s.yaml", "yaml-too-large", TOO_LARGE)]


def test_alias_bomb_via_parse_yaml_raises_a_located_load_error() -> None:
    from jixiao.errors import SpecLoadError

    with pytest.raises(SpecLoadError) as info:
        parse_yaml(billion_laughs(), "bomb.yaml")
    d = info.value.diagnostic
    assert d.rule == "yaml-too-large" and d.location.file == "bomb.yaml" and d.location.line >= 1


@pytest.mark.parametrize(("text", "where"), [
    ("项目名称: &a [*a]\n", "d/s.yaml:1:7"),
    ("项目名称: 社工\n备注: &b\n  下一层: *b\n", "d/s.yaml:2:5"),  # at the anchor of the node that contains itself
])
def test_recursive_alias_is_refused(write_specs, text: str, where: str) -> None:
    workspace(write_specs, text)
    assert lines(".") == [f"{where}: 错误 [yaml-too-large] {TOO_LARGE}"]


def test_file_over_one_mebibyte_is_refused_without_parsing(write_specs) -> None:
    text = CLEAN_TARGET + "备注: |\n" + ("  " + "很长的备注" * 20 + "\n") * 4000
    size = len(text.encode("utf-8"))
    assert size > MAX_FILE_BYTES
    workspace(write_specs, text)
    assert lines(".") == [
        f"d/s.yaml:1:1: 错误 [yaml-too-large] 文件有 {size} 字节，超过上限 1048576 字节；一个项目一个文件即可"]


def test_file_just_under_the_limit_is_read(write_specs) -> None:
    filler = "  " + "备" * 60 + "\n"
    text = CLEAN_TARGET + "备注: |\n"
    while len((text + filler).encode("utf-8")) <= MAX_FILE_BYTES:
        text += filler
    workspace(write_specs, text)
    assert lines(".") == []


def test_non_utf8_file_is_refused(write_specs) -> None:
    workspace(write_specs, CLEAN_TARGET.encode("gbk"))
    assert lines(".") == ["d/s.yaml:1:1: 错误 [yaml-syntax] 文件不是 UTF-8 编码（第 0 字节处）；请另存为 UTF-8"]


def test_non_utf8_byte_offset_is_reported(write_specs) -> None:
    data = "项目名称: 社工\n实施单位: ".encode() + b"\xff\n"
    workspace(write_specs, data)
    offset = len("项目名称: 社工\n实施单位: ".encode())
    assert lines(".") == [
        f"d/s.yaml:2:7: 错误 [yaml-syntax] 文件不是 UTF-8 编码（第 {offset} 字节处）；请另存为 UTF-8"]


def test_utf8_byte_order_mark_is_accepted(write_specs) -> None:
    workspace(write_specs, b"\xef\xbb\xbf" + CLEAN_TARGET.encode("utf-8"))
    assert lines(".") == []


def test_empty_file_is_reported(write_specs) -> None:
    workspace(write_specs, "")
    assert lines(".") == ["d/s.yaml:1:1: 错误 [missing-key] 文件是空的；至少需要项目名称、项目资金和绩效指标"]


def test_a_list_instead_of_a_mapping_is_reported(write_specs) -> None:
    workspace(write_specs, "- 项目名称: 社工\n")
    assert lines(".") == ["d/s.yaml:1:1: 错误 [wrong-type] 「文件内容」应为映射（键: 值），实际是列表（- 项）"]


# -- syntax errors --------------------------------------------------------------------------------


def test_syntax_error_is_located(write_specs) -> None:
    workspace(write_specs, "项目名称: [社工\n实施单位: 平安办\n")
    (diag,) = found(".")
    assert (diag.where, diag.severity, diag.rule) == ("d/s.yaml:2:5", "错误", "yaml-syntax")
    assert diag.message.startswith("YAML 语法错误")


@pytest.mark.parametrize(("text", "where", "message"), [
    # A tab used for indentation.
    ("项目名称: 社工\n项目资金:\n\t项目资金总额: 1\n", "d/s.yaml:3:1",
     "YAML 语法错误：不能用制表符（Tab）缩进，请用空格"),
    # An unquoted colon inside a value.
    ("项目名称: 社工\n年度总体目标: 目标: 完成\n", "d/s.yaml:2:11",
     "YAML 语法错误：这里不能出现「键: 值」（是否漏了缩进，或值里有未加引号的冒号？）"),
    # Two documents in one file.
    ("项目名称: 社工\n---\n项目名称: 党建\n", "d/s.yaml:2:1",
     "YAML 语法错误：一个文件只能有一个文档（不要用 ---）"),
])
def test_common_syntax_errors_are_explained_in_chinese(write_specs, text: str, where: str,
                                                        message: str) -> None:
    workspace(write_specs, text)
    assert lines(".") == [f"{where}: 错误 [yaml-syntax] {message}"]


@pytest.mark.parametrize(("old", "new", "line", "hint"), [
    # A Chinese input method types the full-width colon.
    ("实施单位: 浦江镇社区党群服务中心", "实施单位：浦江镇社区党群服务中心", 3, "全角冒号"),
    ("项目名称: 事业编残保金", "项目名称：事业编残保金", 1, "全角冒号"),
    # No space after the colon: YAML reads one long key-less word.
    ("实施单位: 浦江镇社区党群服务中心", "实施单位:浦江镇社区党群服务中心", 3, "空格"),
], ids=["full-width-colon", "full-width-colon-first-line", "no-space-after-colon"])
def test_colon_slips_are_reported_on_their_own_line(write_specs, old: str, new: str, line: int,
                                                     hint: str) -> None:
    workspace(write_specs, replace_once(CLEAN_TARGET, old, new))
    (diag,) = found(".")
    assert diag.rule == "yaml-syntax"
    assert diag.where.startswith(f"d/s.yaml:{line}:"), diag
    assert hint in diag.message, diag.message


def test_thousands_separator_inside_braces_is_explained(write_specs) -> None:
    # In a flow mapping {…} the comma of 1,020.00 separates entries: 合计 would silently read 1.
    text = replace_once(CLEAN_TARGET, "  项目资金总额:\n    合计: 20.00\n    财政资金: 20.00\n    其他资金:\n",
                        "  项目资金总额: {合计: 1,020.00, 财政资金: 1,020.00}\n")
    workspace(write_specs, text)
    result = found(".")
    assert any(f.where.startswith("d/s.yaml:7:") and "千分位" in f.message for f in result), result


def test_unclosed_bracket_message_has_no_english(write_specs) -> None:
    workspace(write_specs, "项目名称: [社工\n实施单位: 平安办\n")
    (diag,) = found(".")
    explanation = diag.message.removeprefix("YAML 语法错误")
    assert explanation != diag.message
    assert not any("a" <= c.lower() <= "z" for c in explanation), diag.message


# -- YAML 1.1 surprises keep their text --------------------------------------------------------------


def test_plain_scalars_stay_text_in_the_tree() -> None:
    tree, problems = parse_yaml(
        "a: yes\nb: 0123\nc: 89.41\nd: 2026-01-01\ne: ~\nf: 'yes'\ng: on\nh: 1e3\n", "x.yaml")
    assert problems == []
    assert isinstance(tree, YMap)
    texts = {k.text: v for k, v in tree.entries}
    for key, text in {"a": "yes", "b": "0123", "c": "89.41", "d": "2026-01-01", "g": "on",
                      "h": "1e3"}.items():
        node = texts[key]
        assert isinstance(node, YScalar) and node.text == text and node.plain
    assert isinstance(texts["e"], YScalar) and texts["e"].is_null
    assert isinstance(texts["f"], YScalar) and not texts["f"].plain and not texts["f"].is_null


def test_tree_nodes_carry_locations() -> None:
    tree, _ = parse_yaml("项目名称: 社工\n绩效指标:\n  产出指标:\n    - x\n", "x.yaml")
    assert isinstance(tree, YMap)
    name = tree.get("项目名称")
    assert isinstance(name, YScalar) and name.loc == Location("x.yaml", 1, 7)
    indicators = tree.get("绩效指标")
    assert isinstance(indicators, YMap) and indicators.loc == Location("x.yaml", 3, 3)
    output = indicators.get("产出指标")
    assert isinstance(output, YSeq) and output.items[0].loc == Location("x.yaml", 4, 7)


def test_indicator_values_keep_their_text(write_specs) -> None:
    text = replace_once(CLEAN_TARGET, "        年度指标值: 42人", "        年度指标值: 0123")
    text = replace_once(text, "        年度指标值: 及时", "        年度指标值: yes")
    text = replace_once(text, "        年度指标值: 提高", "        年度指标值: on")
    project = project_of(text, write_specs)
    targets = [ind.target for ind in project.all_indicators()]
    assert targets == ["0123", "100%", "yes", "on", "100%"]
    assert lines(".") == []


def test_money_is_exact_decimal_never_float(write_specs) -> None:
    # Seed 000 L10: 人口工作, 项目资金总额 89.41 万元.
    text = replace_once(CLEAN_TARGET, "    合计: 20.00\n    财政资金: 20.00\n    其他资金:\n",
                        "    合计: 89.71\n    财政资金: 89.41\n    其他资金: 0.30\n")
    text = replace_once(text, "    合计: 20.00\n    当年财政拨款: 20.00\n",
                        "    合计: 89.71\n    当年财政拨款: 89.71\n")
    project = project_of(text, write_specs)
    funds = project.funds
    assert isinstance(funds, TargetFunds) and funds.project is not None
    assert isinstance(funds.project.fiscal, Decimal) and not isinstance(funds.project.fiscal, float)
    assert funds.project.fiscal == Decimal("89.41")
    assert str(funds.project.fiscal) == "89.41"
    assert str(funds.project.other) == "0.30"  # two decimals, as written
    assert funds.project.total == funds.project.fiscal + funds.project.other  # exact, no 89.71000001
    assert lines(".") == []
    data = export_document(list(load(".").specs))
    block = data["项目"][0]["项目资金"]["项目资金总额"]
    assert block == {"合计": "89.71", "财政资金": "89.41", "其他资金": "0.30"}


def test_an_amount_typed_with_its_unit_says_where_the_unit_goes(write_specs) -> None:
    write_specs({"d/_defaults.yaml": PUJIANG_DEFAULTS,
                 "d/s.yaml": replace_once(CLEAN_TARGET, "    财政资金: 20.00\n", "    财政资金: 20.00万元\n")})
    assert [(f.where, f.rule, f.message) for f in found(".") if f.rule == "invalid-value"] == [
        ("d/s.yaml:9:11", "invalid-value", "「项目资金.项目资金总额.财政资金」应为金额：「20.00万元」带了单位：去掉单位「万元」，只写 20.00；"
                                           "单位写在「项目资金」的「单位」或 _defaults.yaml 的「金额单位」（万元）")]


def test_thousands_separators_are_read_exactly(write_specs) -> None:
    # Seed 003 L10: 社工, 3,082.53 万元.
    text = CLEAN_TARGET.replace("20.00", "3,082.53")
    project = project_of(text, write_specs)
    assert isinstance(project.funds, TargetFunds) and project.funds.annual is not None
    assert project.funds.annual.total == Decimal("3082.53")
    assert lines(".") == []


@settings(max_examples=200, deadline=None)
@given(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_any_two_decimal_amount_round_trips_exactly(amount: Decimal) -> None:
    text = format(amount, "f")
    tree, problems = parse_yaml(f"合计: {text}\n", "x.yaml")
    assert problems == [] and tree is not None
    builder = Builder()
    built = builder.build(ProjectTotal, tree, "项目资金总额")
    assert builder.diagnostics == []
    assert built is not None and built.total == amount
    assert format(built.total, "f") == text  # the same digits, trailing zeros included


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=0, max_value=6))
def test_any_decimal_text_is_kept_digit_for_digit(units: int, places: int) -> None:
    text = format(Decimal(units).scaleb(-places), "f")
    tree, _ = parse_yaml(f"合计: {text}\n", "x.yaml")
    assert tree is not None
    built = Builder().build(ProjectTotal, tree, "项目资金总额")
    assert built is not None and built.total is not None
    assert format(built.total, "f") == text


# -- booleans and dates are read by the schema, not guessed by YAML -------------------------------------


def test_ambiguous_boolean_is_an_invalid_value(write_specs) -> None:
    workspace(write_specs, CLEAN_TARGET + "公开: yes\n")
    assert lines(".") == [
        "d/s.yaml:39:5: 错误 [invalid-value] 「公开」应为 true 或 false，实际是「yes」"
        "（yes/no/on/off 在不同 YAML 版本里含义不同，这里不猜）"]


@pytest.mark.parametrize(("word", "value"), [("true", True), ("false", False)])
def test_true_and_false_are_booleans(write_specs, word: str, value: bool) -> None:
    project = project_of(CLEAN_TARGET + f"公开: {word}\n", write_specs)
    assert project.publish is value


@pytest.mark.parametrize("text", ["2026-01-01", "2026.1.1", "2026年1月1日", "2026. 01. 01"])
def test_dates_are_parsed_by_the_schema(write_specs, text: str) -> None:
    project = project_of(replace_once(CLEAN_TARGET, "计划开始日期: 2026-01-01", f"计划开始日期: {text}"),
                         write_specs)
    assert project.start == date(2026, 1, 1)
    assert project.end == date(2026, 12, 31)


def test_month_only_date_is_an_invalid_value(write_specs) -> None:
    # Seed 000 L94 prints 计划开始日期 2023.1; a spec must store a whole date.
    workspace(write_specs, replace_once(CLEAN_TARGET, "计划开始日期: 2026-01-01", "计划开始日期: 2026.1"))
    assert lines(".") == [
        "d/s.yaml:4:9: 错误 [invalid-value] 「计划开始日期」应为日期：「2026.1」不是完整日期；"
        "请写成 2026-01-01 这样的年月日"]


# -- every value keeps file, line and column ------------------------------------------------------------


def test_every_value_keeps_its_location(write_specs) -> None:
    project = project_of(CLEAN_TARGET, write_specs)
    assert project.pos.of("name") == Location(SPEC, 1, 7)
    assert project.pos.of("category") == Location(SPEC, 2, 7)
    assert project.pos.of("start") == Location(SPEC, 4, 9)
    funds = project.funds
    assert isinstance(funds, TargetFunds) and funds.project is not None and funds.annual is not None
    assert funds.project.pos.of("total") == Location(SPEC, 8, 9)
    assert funds.project.pos.of("fiscal") == Location(SPEC, 9, 11)
    assert funds.annual.pos.of("total") == Location(SPEC, 12, 9)
    assert funds.annual.pos.of("current") == Location(SPEC, 13, 13)
    assert project.overall_goal is not None
    assert project.overall_goal.pos.of("period") == Location(SPEC, 17, 9)
    assert project.overall_goal.pos.of("text") == Location(SPEC, 18, 7)
    levels = project.indicators
    assert [lv.pos.at for lv in levels] == [Location(SPEC, 21, 3), Location(SPEC, 31, 3),
                                            Location(SPEC, 35, 3)]
    assert [c.pos.at for c in levels[0].children] == [Location(SPEC, 22, 5), Location(SPEC, 25, 5),
                                                      Location(SPEC, 28, 5)]
    first = project.all_indicators()[0]
    assert first.pos.of("name") == Location(SPEC, 23, 15)
    assert first.pos.of("target") == Location(SPEC, 24, 16)


def test_inherited_values_point_into_the_defaults_file(write_specs) -> None:
    project = project_of(CLEAN_TARGET, write_specs)
    assert project.department == "浦江镇人民政府"
    assert project.year == 2026
    assert project.pos.of("department") == Location("d/_defaults.yaml", 1, 7)
    assert project.pos.of("year") == Location("d/_defaults.yaml", 2, 5)
    funds = project.funds
    assert isinstance(funds, TargetFunds)
    assert funds.pos.of("unit") == Location("d/_defaults.yaml", 4, 7)


def test_paths_are_shown_relative_to_the_working_directory(write_specs, monkeypatch,
                                                            tmp_path: Path) -> None:
    workspace(write_specs, replace_once(CLEAN_TARGET, "    财政资金: 20.00", "    财政资金: 18.00"))
    monkeypatch.chdir(tmp_path / "d")
    assert [(f.where, f.rule) for f in found("s.yaml")] == [("s.yaml:8:9", "fund-project-sum")]
    monkeypatch.chdir(tmp_path)
    assert [(f.where, f.rule) for f in found("d")] == [("d/s.yaml:8:9", "fund-project-sum")]


def test_control_character_is_located(write_specs) -> None:
    workspace(write_specs, "项目名称: 社工\n实施单位: a\x1fb\n")
    assert lines(".") == [
        "d/s.yaml:2:8: 错误 [yaml-syntax] 文件里有不允许的控制字符 U+001F；请删除它（常见于从别处复制的文字）"]


def test_absurd_score_is_refused_not_crashed(write_specs) -> None:
    text = CLEAN_TARGET.replace("项目名称", "备注: x\n项目名称", 1)
    workspace(write_specs, text)
    assert lines(".") == []
    from jixiao.model.values import ValueParseError, parse_score
    with pytest.raises(ValueParseError):
        parse_score("99999999999999999999999999999999999999999999")
    assert str(parse_score("4.9")) == "4.9"
