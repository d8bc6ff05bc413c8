"""Shared helpers for the loader, rule and CLI tests.

* ``write_specs`` writes a small workspace into ``tmp_path`` (with a ``.git``
  folder so that ``_defaults.yaml`` lookup stops there) and makes ``tmp_path``
  the current directory, so every printed path is short and relative.
* ``check`` loads and checks paths in-process and returns the report.
* ``run_cli`` runs ``jixiao ARGS`` in-process with click's ``CliRunner`` and returns
  ``(exit code, stdout, stderr)``.
* ``demo`` is the demo workspace rendered once per test run in every format (for the
  render, PDF, DOCX and import round-trip tests); ``demo_disclosure`` its disclosure
  documents, also once per run.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from jixiao.cli import cli
from jixiao.errors import Diagnostic
from jixiao.load.workspace import Workspace, load_workspace
from jixiao.validate import Report, check_workspace
from render_helpers import SPECS, DemoRender

Files = Mapping[str, str | bytes]


@dataclass(frozen=True)
class Found:
    """A diagnostic reduced to what a test compares: ``path:line:col``, severity, rule, message."""

    where: str
    severity: str
    rule: str
    message: str

    @classmethod
    def of(cls, d: Diagnostic) -> Found:
        return cls(str(d.location), d.severity.label, d.rule, d.message)


def dedent(text: str) -> str:
    """Strip the common indentation of a triple-quoted spec and its first newline."""
    return textwrap.dedent(text).lstrip("\n")


def _write(root: Path, files: Files) -> Path:
    (root / ".git").mkdir(exist_ok=True)
    return write_tree(root, files)


def write_tree(root: Path, files: Files) -> Path:
    """``files`` ({relative path: text or bytes}) written under ``root``, text dedented."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(dedent(content), encoding="utf-8")
    return root


@pytest.fixture
def write_specs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[Files], Path]:
    """``write_specs({relpath: yaml_text})`` → the workspace root (also the cwd)."""
    monkeypatch.chdir(tmp_path)

    def write(files: Files) -> Path:
        return _write(tmp_path, files)

    return write


def load(*paths: str | Path) -> Workspace:
    return load_workspace(list(paths) or ["."])


def check(*paths: str | Path) -> Report:
    return check_workspace(load(*paths))


def found(*paths: str | Path) -> list[Found]:
    return [Found.of(d) for d in check(*paths).diagnostics]


def run_cli(*args: str | Path, env: Mapping[str, str | None] | None = None) -> tuple[int, str, str]:
    """``jixiao ARGS`` in-process; returns (exit code, stdout, stderr).

    ``CliRunner`` calls ``cli.main`` as the console script does, so every error comes out
    as in a terminal: a Chinese message on stderr and the exit code (2 for a usage error,
    70 for a jixiao bug). An exception that escapes (``JIXIAO_DEBUG``) fails the test.
    ``env`` sets (or, with None, removes) environment variables for the run.
    """
    result = CliRunner().invoke(cli, [str(a) for a in args], env=env, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


# -- the demo workspace, built once per test run -------------------------------------------------


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoRender:
    """``jixiao render specs/ --format html,pdf,docx``, once for every test that reads the demo tables.

    SOURCE_DATE_EPOCH is cleared for the run so the PDFs carry no date.
    """
    out = tmp_path_factory.mktemp("demo-tables")
    code, stdout, stderr = run_cli("render", SPECS, "--format", "html,pdf,docx", "-o", out,
                                   env={"SOURCE_DATE_EPOCH": None})
    projects = tuple((str(s.path), s.project) for s in load_workspace([SPECS]).specs if s.project)
    return DemoRender(out, code, stdout, stderr, projects)


@dataclass(frozen=True)
class DemoDisclosure:
    out: Path
    code: int
    stdout: str
    stderr: str


@pytest.fixture(scope="session")
def demo_disclosure(tmp_path_factory: pytest.TempPathFactory) -> DemoDisclosure:
    """``jixiao disclose specs/ --format pdf,docx,html``, once per test run."""
    out = tmp_path_factory.mktemp("demo-disclosure")
    return DemoDisclosure(out, *run_cli("disclose", SPECS, "--format", "pdf,docx,html", "-o", out))


# -- specs shared by several test files ---------------------------------------------------------

# The department folder of seed 003's 浦江镇社区党群服务中心 tables.
PUJIANG_DEFAULTS = """\
主管部门: 浦江镇人民政府
年度: 2026
表格: 绩效目标表
金额单位: 万元
"""

# Seed 003 L67–85 (事业编残保金), a table without defects. Line numbers used by the tests:
#  1 项目名称   2 项目类别   3 实施单位   4 计划开始日期   5 计划完成日期
#  8 项目资金总额.合计   12 年度资金申请总额.合计   17 起止年度   18 内容   19 年度总体目标
#  20 绩效指标   21 产出指标   23/26/29 三级指标 (数量/质量/时效)   24/27/30 年度指标值
#  31 效益指标   33 三级指标   35 满意度指标   37 三级指标   38 年度指标值
CLEAN_TARGET = """\
项目名称: 事业编残保金
项目类别: 经常性项目
实施单位: 浦江镇社区党群服务中心
计划开始日期: 2026-01-01
计划完成日期: 2026-12-31
项目资金:
  项目资金总额:
    合计: 20.00
    财政资金: 20.00
    其他资金:
  年度资金申请总额:
    合计: 20.00
    当年财政拨款: 20.00
    上年结转资金:
    其他资金:
项目总目标:
  起止年度: 2026-2026
  内容: 根据相关部门要求，及时、足额缴纳残疾人就业保障金，履行支持残疾人就业和保障残疾人生活及残疾人事业发展的社会责任。
年度总体目标: 根据通知要求，当年及时、足额缴纳残疾人就业保障金。
绩效指标:
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
  效益指标:
    社会效益指标:
      - 三级指标: 改善残疾人生活质量的社会责任感
        年度指标值: 提高
  满意度指标:
    服务对象满意度指标:
      - 三级指标: 生活质量满意度
        年度指标值: 100%
"""

# Seed 003 L127–145, as filed: 年度资金申请总额 378.32 ≠ 120.05 + blank + blank, and
# 项目资金总额 498.37 ≠ 378.32 in a project that runs only in 2026.
#  8 项目资金总额.合计 498.37   12 年度资金申请总额.合计 378.32
SEED_003_L134 = """\
项目名称: 浦江镇村党群服务中心标准化规范化建设项目资金奖补
项目类别: 一次性项目
实施单位: 浦江镇社区党群服务中心
计划开始日期: 2026-01-01
计划完成日期: 2026-12-31
项目资金:
  项目资金总额:
    合计: 498.37
    财政资金: 498.37
    其他资金:
  年度资金申请总额:
    合计: 378.32
    当年财政拨款: 120.05
    上年结转资金:
    其他资金:
项目总目标:
  起止年度: 2026-2026
  内容: 通过实施村党群服务中心标准化规范化建设奖补费项目，全面提升浦江镇村党群服务中心的建设水平和服务能级，形成功能完善、服务便捷、群众满意的党群服务阵地体系。
年度总体目标: 完成10个村党群服务中心奖补下拨任务。
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
  效益指标:
    社会效益指标:
      - 三级指标: 提升党组织的凝聚力
        年度指标值: 提升
  满意度指标:
    服务对象满意度指标:
      - 三级指标: 党员满意度
        年度指标值: 100%
"""

L134_MISMATCH = ("项目只在 2026 年实施，项目资金总额 498.37 应等于年度资金申请总额 378.32（相差 120.05）；"
                 "跨年项目请在项目总目标写明起止年度")
L134_ANNUAL_SUM = "年度资金申请总额 378.32 ≠ 当年财政拨款 120.05 + 上年结转资金 0 + 其他资金 0 = 120.05"


def replace_once(text: str, old: str, new: str) -> str:
    """``text`` with one occurrence of ``old`` replaced; fails loudly if ``old`` is absent."""
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)
