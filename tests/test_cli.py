"""The command line: exact output, exit codes, Chinese messages, no tracebacks."""

from __future__ import annotations

import importlib.metadata
import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from conftest import (
    CLEAN_TARGET,
    L134_ANNUAL_SUM,
    L134_MISMATCH,
    PUJIANG_DEFAULTS,
    SEED_003_L134,
    replace_once,
    run_cli,
)
from jixiao import __version__
from jixiao.cli import cli
from jixiao.rules import RULES, rules_markdown

ROOT = Path(__file__).resolve().parent.parent

NUMBERED = replace_once(CLEAN_TARGET, "      - 三级指标: 生活质量满意度", "      - 三级指标: 指标1：生活质量满意度")
NUMBERING = ("d/b.yaml:37:15: 警告 [indicator-numbering] 三级指标「指标1：生活质量满意度」带有编号；"
             "编号由表样生成，请只写「生活质量满意度」")
WORKSPACE = {"d/_defaults.yaml": PUJIANG_DEFAULTS, "d/a.yaml": SEED_003_L134, "d/b.yaml": NUMBERED}


@pytest.fixture
def workspace(write_specs) -> Path:
    return write_specs(WORKSPACE)


# -- check: text output ------------------------------------------------------------------------------


def test_check_prints_problems_grouped_by_file_then_a_summary(workspace) -> None:
    code, out, err = run_cli("check", "d")
    assert out == (
        f"d/a.yaml:8:9: 错误 [fund-one-year-mismatch] {L134_MISMATCH}\n"
        f"d/a.yaml:12:9: 错误 [fund-annual-sum] {L134_ANNUAL_SUM}\n"
        "\n"
        f"{NUMBERING}\n"
        "\n"
        "检查了 2 个文件：2 个错误，1 个警告。\n"
    )
    assert err == ""
    assert code == 1


def test_check_of_a_clean_spec(workspace) -> None:
    Path("d/c.yaml").write_text(replace_once(CLEAN_TARGET, "项目名称: 事业编残保金", "项目名称: 干净的项目")
                                .replace("及时、足额缴纳残疾人就业保障金", "按时缴纳"), encoding="utf-8")
    code, out, err = run_cli("check", "d/c.yaml")
    assert (code, out, err) == (0, "检查了 1 个文件：没有发现问题。\n", "")


def test_check_prints_github_annotations(workspace) -> None:
    code, out, err = run_cli("check", "--format", "github", "d")
    assert out == (
        f"::error file=d/a.yaml,line=8,col=9,title=fund-one-year-mismatch::{L134_MISMATCH}\n"
        f"::error file=d/a.yaml,line=12,col=9,title=fund-annual-sum::{L134_ANNUAL_SUM}\n"
        f"::warning file=d/b.yaml,line=37,col=15,title=indicator-numbering::{NUMBERING.split('] ', 1)[1]}\n"
        "检查了 2 个文件：2 个错误，1 个警告。\n"
    )
    assert (code, err) == (1, "")


def test_github_annotations_escape_what_the_runner_would_read(write_specs) -> None:
    write_specs({"d,x:y/a.yaml": "项目名称: [未闭合\n"})
    code, out, _ = run_cli("check", "--format", "github", "d,x:y")
    first = out.splitlines()[0]
    assert first.startswith("::error file=d%2Cx%3Ay/a.yaml,line=")
    assert code == 1


def test_the_pre_commit_hook_checks_changed_specs(write_specs) -> None:
    """What pre-commit does with .pre-commit-hooks.yaml: run its entry on the staged files its
    `files`/`exclude` patterns select (here all files of the demo workspace, then a broken one)."""
    [hook] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "jixiao-check" and hook["entry"] == "jixiao check"

    def selected(paths: list[str]) -> list[str]:
        return [p for p in paths if re.search(hook["files"], p) and not re.search(hook["exclude"], p)]

    assert selected([".pre-commit-config.yaml", ".github/workflows/check.yml", "d/_defaults.yaml",
                     "d/a.yaml", "README.md"]) == ["d/a.yaml"]
    demo = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "specs").rglob("*.y*ml"))
    code, out, _ = run_cli("check", *[ROOT / p for p in selected(demo)])
    assert code == 0, out
    write_specs(WORKSPACE)
    code, out, _ = run_cli("check", *selected(list(WORKSPACE)))
    assert code == 1 and "[fund-annual-sum]" in out


def test_a_syntax_error_shows_its_line_and_a_caret(write_specs) -> None:
    """The caret sits under the column on a terminal: a CJK character is two columns wide."""
    write_specs({"a.yaml": "项目名称: 安保\n实施单位: 平安办\n  计划: x\n", "b.yaml": "a:\n\t- x\n"})
    code, out, _ = run_cli("check", "a.yaml", "b.yaml")
    assert out == (
        "a.yaml:3:5: 错误 [yaml-syntax] YAML 语法错误：这里不能出现「键: 值」（是否漏了缩进，或值里有未加引号的冒号？）\n"
        "    3 |   计划: x\n"
        "      |       ^\n"
        "\n"
        "b.yaml:2:1: 错误 [yaml-syntax] YAML 语法错误：不能用制表符（Tab）缩进，请用空格\n"
        "    2 | \t- x\n"
        "      | ^\n"
        "\n"
        "检查了 2 个文件：2 个错误，0 个警告。\n")
    assert code == 1


def _on_a_terminal(*args: str) -> str:
    """What ``jixiao ARGS`` prints to a terminal (a pseudo-terminal as its stdout)."""
    leader, follower = pty.openpty()
    done = subprocess.run([sys.executable, "-m", "jixiao", *args], stdout=follower, stderr=subprocess.PIPE,
                          timeout=120)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the terminal has nothing more
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert done.returncode == 0, done.stderr
    return b"".join(chunks).decode("utf-8")


def test_render_counts_on_a_terminal_and_prints_lines_elsewhere(write_specs) -> None:
    write_specs({"d/_defaults.yaml": PUJIANG_DEFAULTS, "d/a.yaml": CLEAN_TARGET,
                 "d/b.yaml": CLEAN_TARGET.replace("事业编残保金", "另一个项目").replace("及时、足额", "按时")})
    shown = _on_a_terminal("render", "d", "--format", "html", "-j", "1", "-o", "out")
    assert "\r\x1b[K[1/2] d/a.yaml" in shown and "\r\x1b[K[2/2] d/b.yaml" in shown
    assert "已生成 " not in shown
    assert shown.endswith("\r\x1b[K共生成 2 个文件（2 个项目）。\r\n")
    code, out, _ = run_cli("render", "d", "--format", "html", "-j", "1", "-o", "out2")  # not a terminal
    assert code == 0 and out.count("已生成 ") == 2
    code, out, _ = run_cli("render", "d", "--format", "html", "-j", "1", "-o", "out3", "--quiet")
    assert (code, out) == (0, "共生成 2 个文件（2 个项目）。\n")
    # again into a folder that has them: nothing to write, and said so
    code, out, _ = run_cli("render", "d", "--format", "html", "-j", "1", "-o", "out2")
    assert (code, out.count("未变 "), out.splitlines()[-1]) == (0, 2, "共生成 2 个文件（2 个项目），其中 2 个没有变化，未改写。")


def test_warnings_only_exit_0(workspace) -> None:
    code, out, _ = run_cli("check", "d/b.yaml")
    assert out == f"{NUMBERING}\n\n检查了 1 个文件：0 个错误，1 个警告。\n"
    assert code == 0


def test_strict_makes_warnings_fail(workspace) -> None:
    code, out, _ = run_cli("check", "--strict", "d/b.yaml")
    assert out == f"{NUMBERING}\n\n检查了 1 个文件：0 个错误，1 个警告。\n"
    assert code == 1


def test_strict_on_a_clean_spec_still_exits_0(write_specs) -> None:
    write_specs({"d/_defaults.yaml": PUJIANG_DEFAULTS, "d/s.yaml": CLEAN_TARGET})
    assert run_cli("check", "--strict", ".") == (0, "检查了 1 个文件：没有发现问题。\n", "")


def test_errors_in_a_defaults_file_get_their_own_block(write_specs) -> None:
    write_specs({"d/_defaults.yaml": PUJIANG_DEFAULTS + "指标体系: 最新\n", "d/s.yaml": NUMBERED})
    code, out, _ = run_cli("check", ".")
    assert out == (
        "d/_defaults.yaml:5:7: 错误 [invalid-value] 「指标体系」应为 通用 / 旧 / 新 之一，实际是「最新」；是否想写「新」？\n"
        "\n"
        "d/s.yaml:37:15: 警告 [indicator-numbering] 三级指标「指标1：生活质量满意度」带有编号；"
        "编号由表样生成，请只写「生活质量满意度」\n"
        "\n"
        "检查了 1 个文件：1 个错误，1 个警告。\n"
    )
    assert code == 1


def test_paths_are_printed_relative_to_the_current_directory(workspace, monkeypatch) -> None:
    monkeypatch.chdir("d")
    for typed in ("b.yaml", "../d/b.yaml", str(workspace / "d" / "b.yaml")):
        _, out, _ = run_cli("check", typed)
        assert out.splitlines()[0] == NUMBERING.replace("d/b.yaml", "b.yaml", 1), typed


def test_defaults_file_named_explicitly_is_not_checked_as_a_project(workspace) -> None:
    # What a shell passes for `jixiao check d/*.yaml`.
    expected = run_cli("check", "d/a.yaml", "d/b.yaml")
    assert run_cli("check", "d/_defaults.yaml", "d/a.yaml", "d/b.yaml") == expected


def test_same_file_twice_is_checked_once(workspace) -> None:
    code, out, _ = run_cli("check", "d/b.yaml", "d", "d/b.yaml")
    assert code == 1
    assert out.endswith("检查了 2 个文件：2 个错误，1 个警告。\n")
    assert out.count("[indicator-numbering]") == 1


# -- check: JSON output --------------------------------------------------------------------------------


def test_check_json_records(workspace) -> None:
    code, out, err = run_cli("check", "--format", "json", "d")
    assert code == 1 and err == ""
    assert json.loads(out) == {
        "files": 2,
        "errors": 2,
        "warnings": 1,
        "diagnostics": [
            {"file": "d/a.yaml", "line": 8, "column": 9, "severity": "error",
             "rule": "fund-one-year-mismatch", "message": L134_MISMATCH},
            {"file": "d/a.yaml", "line": 12, "column": 9, "severity": "error",
             "rule": "fund-annual-sum", "message": L134_ANNUAL_SUM},
            {"file": "d/b.yaml", "line": 37, "column": 15, "severity": "warning",
             "rule": "indicator-numbering",
             "message": "三级指标「指标1：生活质量满意度」带有编号；编号由表样生成，请只写「生活质量满意度」"},
        ],
    }
    assert "\\u" not in out  # Chinese is written as is, not escaped


def test_check_json_of_a_clean_workspace(write_specs) -> None:
    write_specs({"d/_defaults.yaml": PUJIANG_DEFAULTS, "d/s.yaml": CLEAN_TARGET})
    code, out, _ = run_cli("check", "--format", "json", ".")
    assert code == 0
    assert json.loads(out) == {"files": 1, "errors": 0, "warnings": 0, "diagnostics": []}


def test_check_json_strict(workspace) -> None:
    code, out, _ = run_cli("check", "--format", "json", "--strict", "d/b.yaml")
    assert code == 1
    assert json.loads(out)["warnings"] == 1


# -- usage errors: exit 2, Chinese, no traceback ------------------------------------------------------------


def test_missing_path_exits_2(workspace) -> None:
    assert run_cli("check", "nope") == (2, "", "错误：路径不存在：nope\n")


def test_missing_path_among_existing_ones_exits_2(workspace) -> None:
    code, out, err = run_cli("check", "d", "d/没有这个.yaml")
    assert (code, out, err) == (2, "", "错误：路径不存在：d/没有这个.yaml\n")


def test_unknown_option_exits_2_in_chinese(workspace) -> None:
    code, out, err = run_cli("check", "--bogus", "d")
    assert code == 2 and out == ""
    assert err.startswith("用法：jixiao check [选项]")
    assert err.splitlines()[-1] == "错误：没有这个选项：--bogus"
    assert "No such option" not in err and "Traceback" not in err


def test_unknown_command_exits_2_in_chinese() -> None:
    code, out, err = run_cli("frob")
    assert code == 2 and out == ""
    assert err.splitlines()[-1] == "错误：没有这个命令：frob"


def test_invalid_format_exits_2_in_chinese(workspace) -> None:
    code, _, err = run_cli("check", "--format", "xml", "d")
    assert code == 2
    assert err.splitlines()[-1] == "错误：--format 的值「xml」无效，可选：'text', 'json', 'github'"


def test_check_without_paths_exits_2() -> None:
    code, out, err = run_cli("check")
    assert code == 2 and out == ""
    assert err.splitlines()[-1] == "错误：缺少参数 PATHS..."


def test_no_command_shows_the_help_and_exits_2() -> None:
    code, out, err = run_cli()
    assert code == 2 and out == ""
    assert err.startswith("用法：jixiao [选项] 命令 [参数]...")


def _run_module(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG"))}
    env["PYTHONPATH"] = os.pathsep.join(sys.path)
    return subprocess.run([sys.executable, "-m", "jixiao", *args], cwd=cwd, capture_output=True,
                          text=True, encoding="utf-8", env=env, timeout=120, check=False)


def test_module_entry_point_usage_errors_have_no_traceback(workspace) -> None:
    for args, needle in ((("check", "--bogus", "d"), "错误：没有这个选项：--bogus"),
                         (("check", "nope"), "错误：路径不存在：nope")):
        done = _run_module(workspace, *args)
        assert done.returncode == 2, done.stderr
        assert done.stdout == ""
        assert "Traceback" not in done.stderr
        assert done.stderr.splitlines()[-1] == needle


def test_module_entry_point_prints_the_same_report(workspace) -> None:
    done = _run_module(workspace, "check", "d")
    assert done.returncode == 1
    assert done.stderr == ""
    assert done.stdout.splitlines() == [
        f"d/a.yaml:8:9: 错误 [fund-one-year-mismatch] {L134_MISMATCH}",
        f"d/a.yaml:12:9: 错误 [fund-annual-sum] {L134_ANNUAL_SUM}",
        "",
        NUMBERING,
        "",
        "检查了 2 个文件：2 个错误，1 个警告。",
    ]


# -- export ------------------------------------------------------------------------------------------


def test_export_gives_exact_decimal_strings(write_specs) -> None:
    text = replace_once(CLEAN_TARGET, "    合计: 20.00\n    财政资金: 20.00\n    其他资金:\n",
                        "    合计: 3,082.83\n    财政资金: 3,082.53\n    其他资金: 0.30\n")
    text = replace_once(text, "    合计: 20.00\n    当年财政拨款: 20.00\n",
                        "    合计: 3082.83\n    当年财政拨款: 3082.83\n")
    write_specs({"d/_defaults.yaml": PUJIANG_DEFAULTS, "d/s.yaml": text})
    code, out, err = run_cli("export", ".")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["jixiao"] == __version__
    (project,) = data["项目"]
    assert project["项目资金"] == {
        "单位": "万元",
        "项目资金总额": {"合计": "3082.83", "财政资金": "3082.53", "其他资金": "0.30"},
        "年度资金申请总额": {"合计": "3082.83", "当年财政拨款": "3082.83", "上年结转资金": None, "其他资金": None},
    }
    assert project["计算"]["项目资金总额（分项合计）"] == "3082.83"
    assert project["主管部门"] == "浦江镇人民政府"  # inherited
    assert project["计划开始日期"] == "2026-01-01"
    assert project["来源"] == "d/s.yaml"
    assert '"0.30"' in out and "3082.8300" not in out


def test_export_refuses_specs_with_errors(workspace) -> None:
    code, out, err = run_cli("export", "d")
    assert code == 1
    assert out == ""
    assert err == (
        f"d/a.yaml:8:9: 错误 [fund-one-year-mismatch] {L134_MISMATCH}\n"
        f"d/a.yaml:12:9: 错误 [fund-annual-sum] {L134_ANNUAL_SUM}\n"
        "\n"
        f"{NUMBERING}\n"
        "\n"
        "检查了 2 个文件：2 个错误，1 个警告。\n"
        "错误：规格有错误，未导出；改正后重试，或用 --force 强制导出。\n"
    )


def test_export_with_warnings_only_succeeds(workspace) -> None:
    code, out, _ = run_cli("export", "d/b.yaml")
    assert code == 0
    assert [p["项目名称"] for p in json.loads(out)["项目"]] == ["事业编残保金"]


def test_export_force_exports_the_figures_as_written(workspace) -> None:
    code, out, _ = run_cli("export", "--force", "d/a.yaml")
    assert code == 0
    (project,) = json.loads(out)["项目"]
    funds = project["项目资金"]
    assert funds["项目资金总额"]["合计"] == "498.37"
    assert funds["年度资金申请总额"]["合计"] == "378.32"
    assert funds["年度资金申请总额"]["当年财政拨款"] == "120.05"
    assert project["计算"]["年度资金申请总额（分项合计）"] == "120.05"
    assert project["计算"]["一年期项目"] is True


def test_export_of_a_missing_path_exits_2() -> None:
    assert run_cli("export", "nope") == (2, "", "错误：路径不存在：nope\n")


# -- render, disclose, selfeval: the whole output ---------------------------------------------------------

REPORT = (f"d/a.yaml:8:9: 错误 [fund-one-year-mismatch] {L134_MISMATCH}\n"
          f"d/a.yaml:12:9: 错误 [fund-annual-sum] {L134_ANNUAL_SUM}\n"
          "\n"
          f"{NUMBERING}\n"
          "\n"
          "检查了 2 个文件：2 个错误，1 个警告。\n")
TABLE = "浦江镇人民政府/2026/浦江镇社区党群服务中心/事业编残保金-绩效目标表"
DOCUMENT = "浦江镇人民政府/2026/浦江镇人民政府2026年度项目支出绩效目标表"
SECRET = replace_once(CLEAN_TARGET, "项目名称: 事业编残保金", "项目名称: 保密项目") + "公开: false\n不公开原因: 涉密\n"


@pytest.fixture
def clean(write_specs) -> Path:
    return write_specs({"d/_defaults.yaml": PUJIANG_DEFAULTS, "d/b.yaml": CLEAN_TARGET})


def test_render_prints_every_file_written_then_a_summary(clean) -> None:
    assert run_cli("render", "d", "--format", "html,docx", "-o", "out") == (
        0, f"已生成 out/{TABLE}.html\n已生成 out/{TABLE}.docx\n共生成 2 个文件（1 个项目）。\n", "")


def test_render_refuses_specs_with_errors_after_the_report(workspace) -> None:
    assert run_cli("render", "d", "-o", "out") == (
        1, "", REPORT + "错误：1 个文件有错误，未生成任何表格；改正后重试，或用 --force 强制生成。\n")
    assert not Path("out").exists()


def test_render_force_names_the_files_with_errors_and_fails_when_one_was_skipped(clean) -> None:
    Path("d/x.yaml").write_text("项目名称: [坏文件\n", encoding="utf-8")
    assert run_cli("render", "d", "--format", "html", "-o", "out", "--force") == (
        1,
        f"已生成 out/{TABLE}.html\n共生成 1 个文件（1 个项目）。\n",
        "警告：以下 1 个文件有错误，按 --force 仍然继续：\n  d/x.yaml\n错误：1 个文件无法读取，未生成：d/x.yaml\n")


def test_disclose_prints_what_is_left_out_and_every_file_written(clean) -> None:
    Path("d/c.yaml").write_text(SECRET, encoding="utf-8")
    assert run_cli("disclose", "d", "--format", "html,docx", "-o", "out") == (
        0,
        "未收录 d/c.yaml：标为不公开（涉密）\n"
        f"已生成 out/{DOCUMENT}.html（1 个单位，1 个项目）\n"
        f"已生成 out/{DOCUMENT}.docx（1 个单位，1 个项目）\n",
        "")


def test_disclose_refuses_specs_with_errors_and_names_them(workspace) -> None:
    assert run_cli("disclose", "d", "-o", "out") == (
        1, "", REPORT + "错误：1 个文件有错误，公开文档不能收录错误的表格；请先改正：d/a.yaml\n")
    assert not Path("out").exists()


def _filled(skeleton: str) -> str:
    """The skeleton of CLEAN_TARGET with every 实际完成值, two 全年执行数 and one score filled in."""
    for actual in ("42人", "100%", "及时", "提高", "95%"):
        skeleton = skeleton.replace("        实际完成值:\n", f"        实际完成值: {actual}\n", 1)
    skeleton = skeleton.replace("    全年执行数:\n", "    全年执行数: 19.00\n", 2)
    return skeleton.replace("        得分:\n", "        得分: 15\n", 1)


def test_selfeval_init_then_score_then_write(clean) -> None:
    assert run_cli("selfeval", "init", "d") == (0, "已生成 d/b-自评.yaml\n", "")
    assert run_cli("selfeval", "init", "d/b.yaml") == (0, "已存在，未改动 d/b-自评.yaml（覆盖请加 --force）\n", "")
    skeleton = Path("d/b-自评.yaml")
    skeleton.write_text(_filled(skeleton.read_text(encoding="utf-8")), encoding="utf-8")
    assert run_cli("selfeval", "score", "d") == (0, (
        "d/b-自评.yaml:39:13: 「事业编制人数」得分 15，建议 17.00（15.30–17，目标 42，实际 42）\n"
        "d/b-自评.yaml:46:12: 「缴纳残保金准确率」得分 未填，建议 17.00（15.30–17，目标 100，实际 100）\n"
        "d/b-自评.yaml:53:12: 「支付及时性」得分 未填，建议 16.00（12.80–16.00，定性指标：达成年度指标）\n"
        "d/b-自评.yaml:61:12: 「改善残疾人生活质量的社会责任感」得分 未填，建议 30.00（24.00–30.00，定性指标：达成年度指标）\n"
        "d/b-自评.yaml:69:12: 「生活质量满意度」得分 未填，建议 9.50（8.50–10，目标 100，实际 95）\n"), "")
    assert run_cli("selfeval", "score", "d", "--write") == (0, (
        "d/b-自评.yaml:28:7: 填入执行率 95.00%\n"
        "d/b-自评.yaml:29:6: 填入资金得分 9.5\n"
        "d/b-自评.yaml:46:12: 填入三级指标「缴纳残保金准确率」的得分 17\n"
        "d/b-自评.yaml:53:12: 填入三级指标「支付及时性」的得分 16\n"
        "d/b-自评.yaml:61:12: 填入三级指标「改善残疾人生活质量的社会责任感」的得分 30\n"
        "d/b-自评.yaml:69:12: 填入三级指标「生活质量满意度」的得分 9.5\n"
        "d/b-自评.yaml:71:4: 填入总分 97\n"), "")
    assert run_cli("selfeval", "score", "d", "--write") == (0, "d/b-自评.yaml: 没有可填的空得分\n", "")


def test_selfeval_without_the_tables_it_needs(write_specs) -> None:
    write_specs({"d/_defaults.yaml": PUJIANG_DEFAULTS, "d/b.yaml": CLEAN_TARGET, "e/_defaults.yaml": PUJIANG_DEFAULTS})
    assert run_cli("selfeval", "score", "d") == (1, "", "错误：没有找到绩效自评表。\n")
    assert run_cli("selfeval", "init", "e") == (0, "没有找到绩效目标表或申报表。\n", "")


def test_selfeval_init_refuses_targets_with_errors(workspace) -> None:
    assert run_cli("selfeval", "init", "d") == (1, "", REPORT + "错误：目标表有错误，未生成自评表；请先改正：d/a.yaml\n")


# -- schema, rules, version, help ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["project", "defaults"])
def test_schema_outputs_valid_json_schema(kind: str) -> None:
    code, out, err = run_cli("schema", "--kind", kind)
    assert (code, err) == (0, "")
    schema = json.loads(out)
    jsonschema.Draft7Validator.check_schema(schema)
    assert schema["type"] == "object"
    key = "项目名称" if kind == "project" else "主管部门"
    assert key in schema["properties"]
    assert "\\u" not in out


def test_schema_defaults_to_the_project_schema() -> None:
    assert run_cli("schema") == run_cli("schema", "--kind", "project")


def test_rules_lists_every_rule() -> None:
    code, out, _ = run_cli("rules")
    assert code == 0
    listed = [line.split()[0] for line in out.splitlines()]
    assert listed == list(RULES)
    assert out.splitlines()[0].split()[1] == RULES[listed[0]].severity.label


def test_rules_markdown() -> None:
    assert run_cli("rules", "--markdown") == (0, rules_markdown(), "")


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version(flag: str) -> None:
    assert run_cli(flag) == (0, f"jixiao {__version__}\n", "")
    assert __version__ == importlib.metadata.version("jixiao")


COMMANDS = sorted(cli.commands)


@pytest.mark.parametrize("args", [[], *([name] for name in COMMANDS)], ids=lambda a: " ".join(a) or "jixiao")
@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help_is_chinese(args: list[str], flag: str) -> None:
    code, out, err = run_cli(*args, flag)
    assert (code, err) == (0, "")
    assert out.startswith(f"用法：jixiao{''.join(' ' + a for a in args)} [选项]")
    assert "选项" in out and "显示本帮助并退出。" in out
    for english in ("Usage:", "Options:", "Commands:", "Show this message", "Show the version"):
        assert english not in out


def test_main_help_lists_every_command_with_a_chinese_summary() -> None:
    _, out, _ = run_cli("--help")
    for name in COMMANDS:
        (line,) = [row for row in out.splitlines() if row.strip().startswith(name + " ")]
        summary = line.strip()[len(name):].strip()
        assert summary and any("\u4e00" <= c <= "\u9fff" for c in summary), line
    assert {"check", "export", "schema", "rules"} <= set(COMMANDS)


def test_folders_are_searched_for_yaml_and_yml_but_not_hidden_or_defaults(write_specs) -> None:
    write_specs({
        "d/_defaults.yaml": PUJIANG_DEFAULTS,
        "d/a.yml": CLEAN_TARGET,
        "d/.hidden.yaml": "项目名称: [坏文件\n",
        "d/.cache/x.yaml": "项目名称: [坏文件\n",
        "d/notes.txt": "项目名称: [坏文件\n",
    })
    assert run_cli("check", "d") == (0, "检查了 1 个文件：没有发现问题。\n", "")


def test_templates_copy_makes_a_folder_that_passes_the_check(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    code, out, err = run_cli("templates", "copy", mine)
    assert (code, out, err) == (0, f"已复制内置模板到 {mine}；改好后用 jixiao templates check {mine} 检查。\n", "")
    assert (mine / "print.css").is_file() and not list(mine.rglob("__pycache__"))
    code, out, err = run_cli("templates", "copy", mine)
    assert (code, out, err) == (2, "", f"错误：{mine} 已经存在；请给一个新的目录名\n")
