"""Property tests: whatever is written into a spec file, jixiao answers with located findings.

The loader and validator are fed random text, random bytes, mutated valid specs
and random nested mappings with Chinese keys. For every input:

* ``load_workspace`` + ``check_workspace`` never raise;
* every diagnostic names a rule of :data:`jixiao.rules.RULES`, a file of the
  workspace, and — when that file is not empty — a line and column ≥ 1 that lie
  inside the file;
* ``jixiao check`` (in-process, conftest's ``run_cli``) exits 0 or 1 and never
  prints a traceback; with ``--format json`` it prints valid JSON.

Each example gets a fresh folder under one module-scoped temporary directory
(hypothesis re-runs the test body many times per function-scoped fixture).
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, Phase, assume, example, given, settings
from hypothesis import strategies as st

from conftest import run_cli
from jixiao.load.workspace import load_workspace
from jixiao.model.project import (
    Defaults,
    Indicator,
    Key,
    Kind,
    Project,
    SelfEvalFunds,
    TargetFunds,
    model_keys,
)
from jixiao.rules import RULES
from jixiao.validate import Report, check_workspace

# ~15 s for the whole module when nothing fails (shrinking a failure takes longer).
# No "explain" phase: it re-runs failing cases many times to annotate them, which costs more
# than it tells here (the shrunk input and the traceback say enough).
_PHASES = (Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink)
_SLOW_OK = [HealthCheck.too_slow, HealthCheck.data_too_large]
FAST = settings(max_examples=80, deadline=None, phases=_PHASES, suppress_health_check=_SLOW_OK)
MEDIUM = settings(max_examples=150, deadline=None, phases=_PHASES, suppress_health_check=_SLOW_OK)

SPEC_REL = "浦江镇人民政府/2026/平安建设办公室/安保经费.yaml"
SIBLING_REL = "浦江镇人民政府/2026/平安建设办公室/社工点经费.yaml"
DEPT_DEFAULTS_REL = "浦江镇人民政府/2026/_defaults.yaml"
UNIT_DEFAULTS_REL = "浦江镇人民政府/2026/平安建设办公室/_defaults.yaml"
ROOT_DEFAULTS_REL = "_defaults.yaml"

# -- valid specs to mutate (docs/spec-format.md) -----------------------------------------------

TARGET = """\
# yaml-language-server: $schema=../../../../docs/schema/project.schema.json
项目名称: 浦江镇村党群服务中心标准化规范化建设项目资金奖补
项目类别: 一次性项目          # 专项资金 / 经常性项目 / 一次性项目：勾选其一
实施单位: 浦江镇社区党群服务中心
计划开始日期: 2026-01-01
计划完成日期: 2026-12-31
项目资金:
  项目资金总额:
    合计: 378.32
    财政资金: 378.32
    其他资金:
  年度资金申请总额:
    合计: 378.32
    当年财政拨款: 378.32
    上年结转资金:
    其他资金:
项目总目标:
  起止年度: 2026-2026
  内容: 通过实施村党群服务中心标准化规范化建设奖补费项目，全面提升浦江镇村党群服务中心的建设水平和服务能级。
年度总体目标: |
  1. 完成10个村党群服务中心奖补下拨任务。
  2. 2026年12月前完成验收。
绩效指标:
  产出指标:
    数量指标:
      - 三级指标: 完成奖补次数
        年度指标值: 10次
    质量指标:
      - 三级指标: 发放奖补准确率
        年度指标值: 100%
    时效指标:
      - 三级指标: 支付及时性
        年度指标值: 及时
    成本指标: 无
  效益指标:
    社会效益指标:
      - 三级指标: 提升党组织的凝聚力
        年度指标值: 提升
  满意度指标:
    服务对象满意度指标:
      - 三级指标: 党员满意度
        年度指标值: '>=90%'
"""

DECLARATION = """\
表格: 绩效目标申报表
项目名称: 劝导队经费
项目性质: 经常性项目
项目类别: 运转类项目
主管部门: 浦江镇人民政府
实施单位: 浦江镇信访办
计划开始日期: 2026.1.1
计划完成日期: 2026年12月31日
项目资金:
  单位: 万元
  项目资金总额: {合计: 4.0344, 财政资金: 4.0344}
  年度资金申请总额: {合计: 4.0344, 当年财政拨款: 4.0344}
项目总目标: 提高协管员工作的积极性，配合信访部门做好信访工作
年度总体目标: 提高协管员工作的积极性，配合信访部门做好信访工作
公开: false
不公开原因: 涉密
绩效指标:
  产出指标:
    数量指标:
      - 三级指标: 劝导队队伍人数
        年度指标值: 4人
    质量指标:
      - 三级指标: 劝导队人员到位率
        年度指标值: 100%
  效益指标:
    可持续影响指标:
      - 三级指标: 长效管理机制
        年度指标值: 建立健全
  满意度指标:
    服务对象满意度指标:
      - 三级指标: 周边居民满意率
        年度指标值: ≥90%
"""

SELF_EVAL = """\
表格: 绩效自评表
年度: 2026
项目名称: 综治中心事务
主管部门: 淞南镇主管单位
实施单位: 上海市宝山区淞南镇城市运行管理中心
项目资金:
  单位: 元
  年度资金总额:   {年初预算数: 500000.00, 全年预算数: 327298.72, 全年执行数: 327298.72}
  当年财政拨款:   {年初预算数: 500000, 全年预算数: 327298.72, 全年执行数: 327298.72}
  上年结转资金:   {年初预算数: 0, 全年预算数: 0}
  其他资金:       {年初预算数: 0, 全年预算数: 0}
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
        实际完成值: 3
        分值: 50
        得分: 50
  效益指标:
    社会效益指标:
      - 三级指标: 社会治安综合治理能力
        年度指标值: 提升
        实际完成值: 提升
        分值: 30
        得分: 28
        偏差原因分析及改进措施: 需对管理架构进行优化调整。
  满意度指标:
    服务对象满意度指标:
      - 三级指标: 平安建设满意度
        年度指标值: 较高
        实际完成值: 较高
        分值: 10
        得分: 10
总分: 98
自评等级: 优
"""

DEPT_DEFAULTS = """\
# yaml-language-server: $schema=../../../docs/schema/defaults.schema.json
主管部门: 浦江镇人民政府
年度: 2026
表格: 绩效目标表
金额单位: 万元
日期格式: 2026-1-1
公开标题: 浦江镇人民政府2026年度项目支出绩效目标表
"""

UNIT_DEFAULTS = "实施单位: 浦江镇平安建设办公室\n"

ROOT_DEFAULTS = """\
指标体系: 通用
规则:
  copied-goal: 关闭
  fund-one-year-mismatch: 警告
自评规则:
  资金得分封顶: true
  得分小数位: 2
  权重: {预算执行: 10, 产出指标: 50, 效益指标: 30, 满意度指标: 10}
"""

VALID_SPECS = {"目标表": TARGET, "申报表": DECLARATION, "自评表": SELF_EVAL}
VALID_DEFAULTS = {DEPT_DEFAULTS_REL: DEPT_DEFAULTS, UNIT_DEFAULTS_REL: UNIT_DEFAULTS,
                  ROOT_DEFAULTS_REL: ROOT_DEFAULTS}


# -- running one example ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def base_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("properties")


@contextlib.contextmanager
def workspace(base: Path, files: dict[str, str | bytes]) -> Iterator[Path]:
    """A fresh folder holding ``files`` and a ``.git`` marker, removed afterwards."""
    root = Path(tempfile.mkdtemp(dir=base))
    try:
        (root / ".git").mkdir()
        for rel, content in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        yield root
    finally:
        shutil.rmtree(root, ignore_errors=True)


def assert_located(report: Report, root: Path) -> None:
    """Every finding names a known rule and a file of the workspace, at a real position."""
    yaml_files = {p.resolve() for p in root.rglob("*.y*ml")}
    for d in report.diagnostics:
        shown = d.format()
        assert d.rule in RULES, shown
        assert d.location.file, shown
        path = Path(d.location.file).resolve()
        assert path in yaml_files, f"{shown}: not a file of the workspace"
        data = path.read_bytes()
        if not data:
            continue
        assert d.location.line >= 1 and d.location.col >= 1, f"{shown}: no line/column in a non-empty file"
        # Lines as YAML counts them (CR, LF, CRLF, and NEL, LS, PS in the text: hypothesis found
        # `0:\x850`); libyaml marks the end of the stream one line past a last line without one.
        breaks = len(re.findall("\r\n|[\n\r\x85\u2028\u2029]", data.decode("utf-8", "replace")))
        assert d.location.line <= breaks + 2, f"{shown}: line past the end of the file"
    for name in report.files:
        assert Path(name).resolve() in yaml_files


def check_all(root: Path, *, cli: bool = True) -> Report:
    """The properties every input must satisfy; returns the report for further checks."""
    report = check_workspace(load_workspace([root]))
    assert_located(report, root)
    if cli:
        # One CLI run per example; the format alternates so both printers see every kind of input.
        fmt = "json" if len(report.diagnostics) % 2 else "text"
        code, out, err = run_cli("check", "--format", fmt, str(root))
        assert "Traceback" not in out + err, out + err
        assert code in (0, 1), (code, out, err)
        assert code == (1 if report.errors else 0), (code, report.errors, out)
        if fmt == "json":
            data = json.loads(out)
            assert data["errors"] == report.errors
            assert len(data["diagnostics"]) == len(report.diagnostics)
    return report


def valid_files(spec: str) -> dict[str, str | bytes]:
    return {**VALID_DEFAULTS, SPEC_REL: spec, SIBLING_REL: DECLARATION.replace("劝导队经费", "社工点经费")}


# -- the valid specs are valid --------------------------------------------------------------------


@pytest.mark.parametrize("name", list(VALID_SPECS))
def test_base_specs_are_clean(base_dir: Path, name: str) -> None:
    """The mutation tests start from specs that have no errors (so mutations are what is judged)."""
    with workspace(base_dir, valid_files(VALID_SPECS[name])) as root:
        report = check_all(root)
        assert report.errors == 0, [d.format() for d in report.diagnostics]
        assert len(report.files) == 2


# -- (a) random text and bytes --------------------------------------------------------------------

YAML_PUNCT = list(":-?,[]{}#&*!|>'\"%@`~ \t\n\r\\/.=≥≤＝％：，。、（）“”")
CJK = [chr(c) for c in range(0x4E00, 0x4E00 + 200)] + list("项目名称资金合计绩效指标年度值分得无是否")
yamlish_text = st.text(alphabet=st.sampled_from(YAML_PUNCT + CJK + list("0123456789abcyes")), max_size=400)
any_text = st.text(max_size=300)  # the whole of Unicode, surrogates excluded by hypothesis


@FAST
@given(text=st.one_of(yamlish_text, any_text), target=st.sampled_from([SPEC_REL, DEPT_DEFAULTS_REL]))
@example(text="", target=SPEC_REL)
@example(text="a: &a [*a]", target=SPEC_REL)
@example(text="项目名称: [社工", target=SPEC_REL)
@example(text="- 1\n- 2\n", target=SPEC_REL)
@example(text="0:\x850", target=SPEC_REL)  # NEL is a YAML line break: a syntax error on line 3
@example(text="\ufeff项目名称: x\n", target=SPEC_REL)
@example(text="a: 1\n---\nb: 2\n", target=DEPT_DEFAULTS_REL)
@example(text="备注: " + "长" * 400_000, target=SPEC_REL)  # over the 1 MiB limit
def test_random_text(base_dir: Path, text: str, target: str) -> None:
    files = valid_files(TARGET)
    files[target] = text
    with workspace(base_dir, files) as root:
        check_all(root)


@FAST
@given(data=st.binary(max_size=400), target=st.sampled_from([SPEC_REL, DEPT_DEFAULTS_REL]))
@example(data="项目名称: 安保\n".encode("gbk"), target=SPEC_REL)
@example(data=b"\xff\xfe\x00a", target=SPEC_REL)
@example(data="项目名称: 安保\n实施单位: ".encode() + b"\xe5\xae", target=DEPT_DEFAULTS_REL)
@example(data=b"\x00\x01\x02", target=SPEC_REL)
def test_random_bytes(base_dir: Path, data: bytes, target: str) -> None:
    files = valid_files(TARGET)
    files[target] = data
    with workspace(base_dir, files) as root:
        check_all(root)


# -- (b) structured mutations of valid specs --------------------------------------------------------

_KEY_LINE = re.compile(r"^(\s*(?:-\s+)?)([^\s:#][^:#]*?):(\s*)(.*?)\s*(#.*)?$")

REPLACEMENTS = [
    "[a, b]", "[]", "{x: 1}", "{}", "yes", "no", "on", "0123", "05", "~", "null", "''", '""',
    "!!python/object:os.system x", "!!python/object/apply:os.system ['echo pwned']", "!!binary aGk=",
    "!custom x", "长" * 5000, "😀🎉👍🏽", "\U0001f4b0 100%", "-5", "-0.000001", "1e400", "NaN", ".inf",
    "0x1F", "1_000", "12,690,000.00", "3O.5", "99999999999999999999999999999999999999999999",
    "0.0000000000000000000000000000000000001", "100%", "120%", "≥90%", "'>=5%'", "2026-13-45",
    "2026-02-29", "1989", "3000", "2026-2024", "2026-2026-2026", "无", "是", "否", "true", "false",
    "'  '", "|\n  多段\n  文字", ">\n  折叠", "&a 锚点", "*undefined", "'未闭合", "[未闭合", "\t制表符",
    "\\x00", "2026年1月1日", "2026. 1. 1", "指标1：96%", "关闭", "错误", "警告", "万元", "元", "分",
]
RENAME_CHARS = list("位单项目称名金资额合计指标值分得年度a_ 　:：")


def _line_parts(line: str) -> re.Match[str] | None:
    return _KEY_LINE.match(line)


def mutate(text: str, data: st.DataObject) -> str:
    """Apply one to three random edits a clerk (or a bad merge) might make."""
    lines = text.split("\n")
    for _ in range(data.draw(st.integers(1, 3), label="edits")):
        if not lines:
            lines = [""]
        i = data.draw(st.integers(0, len(lines) - 1), label="line")
        op = data.draw(st.sampled_from([
            "delete", "duplicate", "indent", "dedent", "swap-indent", "replace-value", "anchor-alias",
            "rename-key", "insert-tab", "merge-key", "duplicate-key", "alias-bomb", "document",
            "move-line", "truncate",
        ]), label="op")
        m = _line_parts(lines[i])
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "indent":
            lines[i] = "  " + lines[i]
        elif op == "dedent":
            lines[i] = lines[i][2:] if lines[i].startswith("  ") else lines[i].lstrip()
        elif op == "swap-indent":
            j = data.draw(st.integers(0, len(lines) - 1), label="other line")
            a, b = lines[i], lines[j]
            ia, ib = len(a) - len(a.lstrip(" ")), len(b) - len(b.lstrip(" "))
            lines[i], lines[j] = " " * ib + a.lstrip(" "), " " * ia + b.lstrip(" ")
        elif op == "replace-value" and m:
            new = data.draw(st.one_of(st.sampled_from(REPLACEMENTS), st.text(max_size=30)), label="value")
            if "\n" in new:  # a block scalar: indent its body below the key
                pad = " " * (len(m.group(1)) + 2)
                new = new.replace("\n", "\n" + pad)
            lines[i] = f"{m.group(1)}{m.group(2)}: {new}"
        elif op == "anchor-alias" and m:
            j = data.draw(st.integers(0, len(lines) - 1), label="alias line")
            n = _line_parts(lines[j])
            lines[i] = f"{m.group(1)}{m.group(2)}: &x {m.group(4)}"
            if n and j != i:
                lines[j] = f"{n.group(1)}{n.group(2)}: *x"
        elif op == "rename-key" and m:
            key = m.group(2)
            k = data.draw(st.integers(0, len(key) - 1), label="char")
            how = data.draw(st.sampled_from(["replace", "delete", "insert"]), label="how")
            ch = data.draw(st.sampled_from(RENAME_CHARS), label="new char")
            key = {"replace": key[:k] + ch + key[k + 1:], "delete": key[:k] + key[k + 1:],
                   "insert": key[:k] + ch + key[k:]}[how] or ch
            lines[i] = f"{m.group(1)}{key}:{m.group(3)}{m.group(4)}"
        elif op == "insert-tab":
            lines[i] = "\t" + lines[i]
        elif op == "merge-key":
            lines.insert(i, lines[i][: len(lines[i]) - len(lines[i].lstrip())] + "<<: {项目名称: x}")
        elif op == "duplicate-key" and m:
            lines.insert(i + 1, f"{m.group(1).replace('-', ' ')}{m.group(2)}: 重复")
        elif op == "alias-bomb":
            bomb = ["a: &a [x, x, x, x, x, x, x, x, x]"]
            for n in range(1, 8):
                prev, cur = chr(ord("a") + n - 1), chr(ord("a") + n)
                bomb.append(f"{cur}: &{cur} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]")
            bomb.append("备注: *h")
            lines[i:i] = bomb
        elif op == "document":
            lines.insert(i, "---")
        elif op == "move-line":
            j = data.draw(st.integers(0, len(lines) - 1), label="to")
            lines.insert(j, lines.pop(i))
        elif op == "truncate":
            cut = data.draw(st.integers(0, len(lines[i])), label="cut")
            lines = [*lines[:i], lines[i][:cut]]
    return "\n".join(lines)


@MEDIUM
@given(name=st.sampled_from(list(VALID_SPECS)), data=st.data())
def test_mutated_spec(base_dir: Path, name: str, data: st.DataObject) -> None:
    files = valid_files(VALID_SPECS[name])
    files[SPEC_REL] = mutate(VALID_SPECS[name], data)
    with workspace(base_dir, files) as root:
        check_all(root)


@FAST
@given(which=st.sampled_from(list(VALID_DEFAULTS)), data=st.data())
def test_mutated_defaults(base_dir: Path, which: str, data: st.DataObject) -> None:
    spec = data.draw(st.sampled_from(list(VALID_SPECS.values())), label="spec")
    files = valid_files(spec)
    files[which] = mutate(VALID_DEFAULTS[which], data)
    with workspace(base_dir, files) as root:
        check_all(root)


# Values that broke or could break a reader of numbers, dates, tags or text, tried on every line.
HOSTILE = [
    "99999999999999999999999999999999999999999999", "0.0000000000000000000000000000000000001",
    "99999999", "-5", "[a, b]", "~", "''", "!!python/object:os.system x", "长" * 3000,
]


@pytest.mark.parametrize(("name", "rel"), [*((name, SPEC_REL) for name in VALID_SPECS),
                                           ("自评表", ROOT_DEFAULTS_REL)])
def test_every_value_replaced(base_dir: Path, name: str, rel: str) -> None:
    """Each ``key: value`` line of a valid file, its value replaced by each hostile value in turn.

    Deterministic and exhaustive where random edits are thin: a huge 得分 is one line in
    forty of one spec in three, and one value in eighty.
    """
    files = valid_files(VALID_SPECS[name])
    del files[SIBLING_REL]
    original = str(files[rel])
    failures: list[str] = []
    with workspace(base_dir, files) as root:
        lines = original.split("\n")
        for i, line in enumerate(lines):
            m = _line_parts(line)
            if not m:
                continue
            for value in HOSTILE:
                edited = [*lines[:i], f"{m.group(1)}{m.group(2)}: {value}", *lines[i + 1:]]
                (root / rel).write_text("\n".join(edited), encoding="utf-8")
                try:
                    check_all(root, cli=False)
                except Exception as exc:  # collect them all: one run shows every failing line
                    failures.append(f"{rel} line {i + 1} {m.group(2)}: {value[:20]!r} → "
                                    f"{type(exc).__name__}: {str(exc)[:200]}")
    assert not failures, "\n".join(failures)


# -- (c) random mappings with Chinese keys, dumped by yaml.safe_dump --------------------------------


def _all_key_names() -> list[str]:
    names: set[str] = set()
    for cls in (Project, TargetFunds, SelfEvalFunds, Indicator, Defaults):
        for _, k in model_keys(cls):
            names.add(k.name)
            if k.model is not None:
                names.update(sub.name for _, sub in model_keys(k.model))
    names.update(["产出指标", "效益指标", "满意度指标", "成本指标", "数量指标", "质量指标", "时效指标",
                  "社会效益指标", "服务对象满意度指标", "经济成本指标", "效果目标", "预算执行", *RULES])
    return sorted(names)


KEY_NAMES = _all_key_names()
chinese_key = st.one_of(st.sampled_from(KEY_NAMES), st.text(alphabet=st.sampled_from(CJK), min_size=1,
                                                                max_size=6))
scalar_text = st.sampled_from([*REPLACEMENTS[:60], "10", "0", "100.00%", "2026", "2026-01-01", "A", "D",
                               "绩效目标表", "绩效目标申报表", "绩效自评表", "新", "旧", "通用", "优", "差",
                               "经常性项目", "运转类项目"])
leaf = st.one_of(
    st.none(), st.booleans(), st.integers(-10**30, 10**30),
    st.floats(allow_nan=True, allow_infinity=True), st.dates(), scalar_text, st.text(max_size=20),
)
random_tree = st.recursive(
    leaf,
    lambda children: st.one_of(st.lists(children, max_size=4),
                               st.dictionaries(chinese_key, children, max_size=5)),
    max_leaves=40,
)


def dump(value: object) -> str:
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False)


@FAST
@given(tree=random_tree, target=st.sampled_from([SPEC_REL, DEPT_DEFAULTS_REL, ROOT_DEFAULTS_REL]))
def test_random_tree(base_dir: Path, tree: object, target: str) -> None:
    files = valid_files(TARGET)
    files[target] = dump(tree)
    with workspace(base_dir, files) as root:
        check_all(root)


def shaped(cls: type, depth: int = 0) -> st.SearchStrategy[dict[str, object]]:
    """Mappings that follow a model's keys, with random values: reaches the validators."""

    def value_for(k: Key) -> st.SearchStrategy[object]:
        junk = st.one_of(leaf, st.lists(leaf, max_size=2), st.dictionaries(chinese_key, leaf, max_size=2))
        if k.kind is Kind.MODEL and k.model is not None and depth < 3:
            right: st.SearchStrategy[object] = shaped(k.model, depth + 1)
        elif k.kind is Kind.FUNDS and depth < 3:
            right = st.one_of(shaped(TargetFunds, depth + 1), shaped(SelfEvalFunds, depth + 1))
        elif k.kind is Kind.INDICATORS:
            row = shaped(Indicator, depth + 1)
            second = st.dictionaries(chinese_key, st.one_of(st.lists(row, max_size=3), st.just("无"), junk),
                                     max_size=3)
            right = st.dictionaries(chinese_key, st.one_of(second, st.just("无"), junk), max_size=4)
        elif k.kind is Kind.RULE_LEVELS:
            right = st.dictionaries(st.sampled_from([*RULES, "no-such-rule"]),
                                    st.one_of(st.sampled_from(["关闭", "警告", "错误", "off"]), leaf),
                                    max_size=3)
        elif k.kind is Kind.WEIGHTS:
            right = st.dictionaries(st.sampled_from(["预算执行", "产出指标", "效益指标", "满意度指标", "其他"]),
                                    leaf, max_size=4)
        elif k.kind is Kind.ENUM and k.enum is not None:
            right = st.sampled_from([str(m.value) for m in k.enum])
        elif k.kind is Kind.CHOICE:
            right = st.sampled_from(list(k.choices))
        elif k.kind in (Kind.MONEY, Kind.SCORE):
            right = st.one_of(st.decimals(allow_nan=False, allow_infinity=False, places=2).map(str),
                              st.integers(-10**40, 10**40).map(str), st.sampled_from(REPLACEMENTS[15:35]))
        elif k.kind is Kind.PERCENT:
            right = st.decimals(allow_nan=False, allow_infinity=False).map(lambda d: f"{d}%")
        elif k.kind is Kind.INT:
            right = st.integers(-5, 10**6).map(str)
        else:
            right = st.one_of(scalar_text, st.text(max_size=30))
        return st.one_of(right, right, right, junk)

    return st.fixed_dictionaries({}, optional={k.name: value_for(k) for _, k in model_keys(cls)})


@MEDIUM
@given(project=shaped(Project), defaults=shaped(Defaults), extra=st.dictionaries(chinese_key, leaf,
                                                                                  max_size=2))
def test_shaped_tree(base_dir: Path, project: dict[str, object], defaults: dict[str, object],
                     extra: dict[str, object]) -> None:
    assume(project)
    files = valid_files(TARGET)
    files[SPEC_REL] = dump({**project, **extra})
    files[DEPT_DEFAULTS_REL] = dump(defaults)
    with workspace(base_dir, files) as root:
        check_all(root, cli=False)


# -- (d) what check lets through with --force is written or refused, never a crash -------------------


def assert_forced_outputs(root: Path, out: Path) -> None:
    """``export --force`` and ``render --force --format html,docx`` on a workspace.

    Each either succeeds or refuses with a Chinese message (exit 1), never an internal
    error; exit 0 means every spec was produced, so a script can trust it.
    """
    report = check_workspace(load_workspace([root]))
    code, stdout, err = run_cli("export", "--force", str(root))
    assert code in (0, 1), (code, err)
    assert "内部错误" not in err and "Traceback" not in stdout + err, err
    if code == 0:
        assert len(json.loads(stdout)["项目"]) == len(report.files), err
    code, stdout, err = run_cli("render", "--force", "--format", "html,docx", "-j", "1", "-o", str(out),
                                str(root))
    assert code in (0, 1), (code, err)
    assert "内部错误" not in err and "Traceback" not in stdout + err, err
    if code == 0:
        assert stdout.count("已生成 ") == 2 * len(report.files), stdout


@FAST
@given(name=st.sampled_from(list(VALID_SPECS)), which=st.sampled_from([SPEC_REL, *VALID_DEFAULTS]),
       data=st.data())
def test_forced_outputs(base_dir: Path, name: str, which: str, data: st.DataObject) -> None:
    files = valid_files(VALID_SPECS[name])
    files[which] = mutate(str(files[which]), data)
    with workspace(base_dir, files) as root:
        assert_forced_outputs(root, root.parent / f"{root.name}-out")


def _without_funds(spec: str) -> str:
    """The spec with its 项目资金 block cut out."""
    lines = spec.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("项目资金:"))
    end = next(i for i in range(start + 1, len(lines)) if lines[i] and not lines[i].startswith(" "))
    return "\n".join(lines[:start] + lines[end:])


FORCED_CASES = {
    "no funds": {SPEC_REL: _without_funds(TARGET)},
    "no self-evaluation funds": {SPEC_REL: _without_funds(SELF_EVAL)},
    "funds a scalar": {SPEC_REL: TARGET.replace("项目资金:\n", "项目资金: 100\n_:\n")},
    "cut before 绩效指标": {SPEC_REL: TARGET[:TARGET.index("绩效指标:")]},
    "defaults name another form": {SPEC_REL: TARGET, DEPT_DEFAULTS_REL: DEPT_DEFAULTS.replace("绩效目标表", "绩效自评表")},
    "self-evaluation under target defaults": {SPEC_REL: SELF_EVAL.replace("表格: 绩效自评表\n", "")},
}


@pytest.mark.parametrize("case", list(FORCED_CASES))
def test_forced_outputs_of_broken_structure(base_dir: Path, case: str) -> None:
    """The specs that crashed render/export --force (AssertionError in the layout, TypeError in export)."""
    files = {**valid_files(TARGET), **FORCED_CASES[case]}
    with workspace(base_dir, files) as root:
        assert check_workspace(load_workspace([root])).errors
        assert_forced_outputs(root, root.parent / f"{root.name}-out")


# -- imported Excel and PDF files: mutated bytes never crash the readers ----------------------------


@pytest.fixture(scope="module")
def rendered_form(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """One demo form as jixiao writes it in XLSX and PDF: the seeds of the mutations below."""
    from jixiao.render import Renderer
    from render_helpers import SPECS

    spec = next(s for s in load_workspace([SPECS / "闵行区浦江镇人民政府/2026/浦江镇信访办/劝导队经费.yaml"]).specs)
    out = tmp_path_factory.mktemp("rendered-form")
    written = Renderer().render(spec, ["xlsx", "pdf"], out, Path("form")).files
    return {path.suffix: path.read_bytes() for path in written}


def _mutated(data: bytes, draw: Callable[[st.SearchStrategy[Any]], Any]) -> bytes:
    """``data`` with a few bytes overwritten, a run deleted, or its tail cut off."""
    kind = draw(st.sampled_from(["overwrite", "delete", "truncate"]))
    at = draw(st.integers(0, len(data) - 1))
    if kind == "truncate":
        return data[:at]
    if kind == "delete":
        return data[:at] + data[at + draw(st.integers(1, 64)):]
    patch = draw(st.binary(min_size=1, max_size=16))
    return data[:at] + patch + data[at + len(patch):]


@pytest.mark.parametrize("suffix", [".xlsx", ".pdf"])
@settings(max_examples=25, deadline=None, phases=_PHASES, suppress_health_check=[*_SLOW_OK,
                                                                                  HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_damaged_workbook_or_pdf_is_imported_or_refused_by_name(rendered_form: dict[str, bytes], suffix: str,
                                                                  data: st.DataObject) -> None:
    """Imported files come from anywhere: whatever the damage, import either reads tables or
    refuses the file with a message naming it, and never raises (the ``内部错误`` path)."""
    from jixiao.importer import import_files

    damaged = _mutated(rendered_form[suffix], data.draw)
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / f"表{suffix}"
        source.write_bytes(damaged)
        report = import_files([source], Path(tmp) / "out")
    assert all(message.startswith(str(source)) for message in report.failed_files), report.failed_files
    assert report.failed_files or report.results
