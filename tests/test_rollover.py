"""``jixiao rollover``: next year's specs from this year's, the clerk's text kept byte for byte."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from conftest import CLEAN_TARGET, dedent, found, run_cli, write_tree
from jixiao.load.workspace import load_workspace
from jixiao.model.values import ValueParseError, parse_date
from jixiao.rollover import moved_date_text, moved_years_text, rollover, shift_date
from render_helpers import SPECS

PUJIANG = "闵行区浦江镇人民政府"
WUJING = "吴泾镇人民政府"


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(params=["jixiao.toml", "no-marker"])
def demo_copy(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The demo's departments in a fresh workspace (no ``.git``), with and without a ``jixiao.toml``."""
    ws = tmp_path / "ws"
    ws.mkdir()
    shutil.copy(SPECS / "_defaults.yaml", ws / "_defaults.yaml")
    for dept in (PUJIANG, WUJING, "淞南镇主管单位"):
        shutil.copytree(SPECS / dept, ws / dept)
    if request.param == "jixiao.toml":
        (ws / "jixiao.toml").write_text("", encoding="utf-8")
    monkeypatch.chdir(ws)
    return ws


Files = Mapping[str, str | bytes]


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[Files], Path]:
    """``workspace({relpath: text})`` → a workspace root (the cwd) with a ``jixiao.toml`` and no ``.git``."""
    monkeypatch.chdir(tmp_path)

    def write(files: Files) -> Path:
        (tmp_path / "jixiao.toml").write_text("", encoding="utf-8")
        return write_tree(tmp_path, files)

    return write


DEPT_DEFAULTS = """\
# 部门的默认值（注释保留）
主管部门: 某镇人民政府
年度: 2026        # 年度改为新年度
表格: 绩效目标表
金额单位: 万元
日期格式: 2026-1-1
公开标题: 某镇人民政府2026年度项目支出绩效目标表
"""

# CLEAN_TARGET written the way clerks write: comments, quotes, a flow mapping, other date styles.
STYLED = CLEAN_TARGET.replace(
    "项目名称: 事业编残保金\n", "# 2026 年的表：这一行注释不改\n项目名称: 事业编残保金   # 名称后的注释\n").replace(
    "计划开始日期: 2026-01-01\n", '计划开始日期: "2026.1.1"     # 引号里的日期\n').replace(
    "计划完成日期: 2026-12-31\n", "计划完成日期: 2026年12月31日\n").replace(
    "  项目资金总额:\n    合计: 20.00\n    财政资金: 20.00\n    其他资金:\n",
    "  项目资金总额: {合计: 20.00, 财政资金: 20.00, 其他资金: }\n").replace(
    "    合计: 20.00\n    当年财政拨款", "    合计: '20.00'  # 引号里的金额\n    当年财政拨款").replace(
    "起止年度: 2026-2026", "起止年度: 2026年-2026年")

STYLED_2027 = STYLED.replace('"2026.1.1"', '"2027.1.1"').replace("2026年12月31日", "2027年12月31日").replace(
    "2026年-2026年", "2027年-2027年")

STYLED_CLEARED = STYLED_2027.replace(
    "{合计: 20.00, 财政资金: 20.00, 其他资金: }", "{合计: , 财政资金: , 其他资金: }").replace(
    "    合计: '20.00'  # 引号里的金额\n    当年财政拨款: 20.00\n", "    合计:   # 引号里的金额\n    当年财政拨款:\n")


# -- the demo department --------------------------------------------------------------------------


def test_demo_department_rolls_over_and_checks(demo_copy: Path) -> None:
    before = _snapshot(demo_copy / PUJIANG / "2026")
    code, out, err = run_cli("rollover", f"{PUJIANG}/2026", "--to", "2027")
    assert (code, err) == (0, "")
    assert out.splitlines()[-1] == \
        "2026 → 2027：已生成 48 个文件（42 个项目、6 个 _defaults.yaml），0 个已存在未覆盖，跳过 7 个，失败 0 个。"
    assert _snapshot(demo_copy / PUJIANG / "2026") == before  # the old year is untouched
    after = _snapshot(demo_copy / PUJIANG / "2027")
    # the same unit folders and files, but for the monitoring forms (skipped: 跳过 7 个)
    assert sorted(after) == sorted(rel for rel in before if not rel.endswith("-监控.yaml"))
    for rel, data in after.items():
        old_lines, new_lines = before[rel].decode().splitlines(), data.decode().splitlines()
        assert len(old_lines) == len(new_lines)
        changed = [new for old, new in zip(old_lines, new_lines, strict=True) if old != new]
        # Only these lines change: the year folder's 年度 and disclosure title are the only years
        # a _defaults.yaml writes; 上年项目 (诉调对接's old name) is left blank for the new year.
        assert all(line.startswith(("计划开始日期: 2027", "计划完成日期: 2027", "  起止年度: 2027-2027", "年度: 2027",
                                    "公开标题: 闵行区浦江镇人民政府2027年度")) or line == "上年项目:"
                   for line in changed), (rel, changed)
    specs = load_workspace([f"{PUJIANG}/2027"]).specs
    assert len(specs) == 42
    for spec in specs:
        p = spec.project
        assert p is not None and p.year == 2027, spec.display
        assert p.start == date(2027, 1, 1) and p.end == date(2027, 12, 31), spec.display
        assert p.previous is None, spec.display  # 诉调对接's 上年项目 named its 2025 name
    # check finds in 2027 what it finds in 2026, plus the ended multi-year periods it is told about.
    old = {(f.where.split(":")[0].replace("/2026/", "/"), f.rule) for f in found(f"{PUJIANG}/2026")
           if not f.rule.startswith("monitor-")}  # the monitoring forms are not rolled over
    new = [f for f in found(f"{PUJIANG}/2027")]
    assert {(f.where.split(":")[0].replace("/2027/", "/"), f.rule) for f in new
            if f.rule not in ("date-outside-period", "year-outside-period")} == old
    ended = {f.where.split(":")[0] for f in new if f.rule in ("date-outside-period", "year-outside-period")}
    flagged = _flagged(out, "已结束，请确认项目是否延续")
    assert ended == flagged and len(ended) == 8


def _flagged(out: str, words: str) -> set[str]:
    """The files whose block in the output carries a review note containing ``words``."""
    current, hits = "", set()
    for line in out.splitlines():
        if line.startswith(("已生成 ", "将生成 ")):
            current = line.split(" ", 1)[1]
        elif line.startswith("  请核对：") and words in line:
            hits.add(current)
    return hits


def test_ended_multi_year_project_is_flagged(demo_copy: Path) -> None:
    _, out, _ = run_cli("rollover", f"{PUJIANG}/2026", "--to", "2027")
    name = f"{PUJIANG}/2027/闵行区浦江镇平安建设办公室/突发事件.yaml"
    lines = out.splitlines()
    at = lines.index(f"已生成 {name}")
    assert "  请核对：起止年度 2024-2026 已结束，请确认项目是否延续" in lines[at + 1:at + 4]
    text = Path(name).read_text(encoding="utf-8")
    assert "起止年度: 2024-2026" in text and "计划开始日期: 2027-01-01" in text


def test_second_run_writes_nothing_and_reports_every_file_as_existing(demo_copy: Path) -> None:
    assert run_cli("rollover", f"{PUJIANG}/2026", "--to", "2027")[0] == 0
    first = _snapshot(demo_copy / PUJIANG / "2027")
    code, out, err = run_cli("rollover", f"{PUJIANG}/2026", "--to", "2027")
    assert (code, err) == (0, "")
    existing = [line for line in out.splitlines() if line.startswith("已存在，未覆盖 ")]
    assert sorted(line.removeprefix("已存在，未覆盖 ") for line in existing) == \
        sorted(f"{PUJIANG}/2027/{rel}" for rel in first)
    assert not [line for line in out.splitlines() if line.startswith(("已生成", "失败"))]
    assert out.splitlines()[-1] == \
        "2026 → 2027：已生成 0 个文件（0 个项目、0 个 _defaults.yaml），48 个已存在未覆盖，跳过 7 个，失败 0 个。"
    assert _snapshot(demo_copy / PUJIANG / "2027") == first


def test_dry_run_writes_nothing(demo_copy: Path) -> None:
    before = _snapshot(demo_copy)
    code, out, err = run_cli("rollover", f"{PUJIANG}/2026", "--to", "2027", "--dry-run")
    assert (code, err) == (0, "")
    assert _snapshot(demo_copy) == before and not (demo_copy / PUJIANG / "2027").exists()
    lines = out.splitlines()
    at = lines.index(f"将生成 {PUJIANG}/2027/浦江镇司法所/普法.yaml")
    assert lines[at + 1:at + 4] == ["  改动：计划开始日期 2026-01-01 → 2027-01-01",
                                    "  改动：计划完成日期 2026-12-31 → 2027-12-31",
                                    "  改动：项目总目标.起止年度 2026-2026 → 2027-2027"]
    assert lines[-1] == ("2026 → 2027：将生成 48 个文件（42 个项目、6 个 _defaults.yaml），0 个已存在未覆盖，"
                         "跳过 7 个，失败 0 个。（试运行，未写入任何文件）")


def test_self_evaluations_are_skipped(demo_copy: Path) -> None:
    code, out, err = run_cli("rollover", f"{WUJING}/2023", "--to", "2024")
    assert (code, err) == (0, "")
    skipped = [line for line in out.splitlines() if line.startswith("跳过 ")]
    assert len(skipped) == 8
    assert all(line.endswith("-自评.yaml：绩效自评表，不复制") for line in skipped)
    assert not list((demo_copy / WUJING / "2024").rglob("*-自评.yaml"))
    assert len(load_workspace([f"{WUJING}/2024"]).specs) == 27


def test_a_department_of_self_evaluations_only_copies_nothing(demo_copy: Path) -> None:
    code, out, err = run_cli("rollover", "淞南镇主管单位/2023", "--to", "2024")
    unit = "淞南镇主管单位/2023/上海市宝山区淞南镇城市运行管理中心"
    assert (code, err) == (0, "")
    assert out == "".join([
        "跳过 淞南镇主管单位/2023/_defaults.yaml：这个目录里没有要复制的绩效目标表或申报表\n",
        f"跳过 {unit}/_defaults.yaml：这个目录里没有要复制的绩效目标表或申报表\n",
        *(f"跳过 {unit}/{name}.yaml：绩效自评表，不复制\n"
          for name in ("安全管理工作经费", "平安办工作经费", "综治中心事务", "综治协管服务社", "网格化事务")),
        "\n2023 → 2024：已生成 0 个文件（0 个项目、0 个 _defaults.yaml），0 个已存在未覆盖，跳过 7 个，失败 0 个。\n",
    ])
    assert not (demo_copy / "淞南镇主管单位" / "2024").exists()


# -- the clerk's text ---------------------------------------------------------------------------------


def test_comments_quotes_and_styles_survive(workspace: Callable[[Files], Path]) -> None:
    root = workspace({"镇/2026/_defaults.yaml": DEPT_DEFAULTS, "镇/2026/办/_defaults.yaml": "实施单位: 某办\n",
                      "镇/2026/办/残保金.yaml": STYLED})
    code, out, err = run_cli("rollover", "镇/2026", "--to", "2027", "--dry-run")
    assert (code, err) == (0, "")
    assert out == dedent("""\
        将生成 镇/2027/_defaults.yaml
          改动：年度 2026 → 2027
          改动：公开标题 某镇人民政府2026年度项目支出绩效目标表 → 某镇人民政府2027年度项目支出绩效目标表
        将生成 镇/2027/办/_defaults.yaml
        将生成 镇/2027/办/残保金.yaml
          改动：计划开始日期 2026.1.1 → 2027.1.1
          改动：计划完成日期 2026年12月31日 → 2027年12月31日
          改动：项目总目标.起止年度 2026年-2026年 → 2027年-2027年

        请核对：年度总体目标、项目总目标内容、三级指标和年度指标值仍是 2026 年的文字，请逐项改为 2027 年的目标。
        请核对：项目资金仍是 2026 年的金额，请按 2027 年的预算修改（或用 --amounts clear 清空后重填）。

        2026 → 2027：将生成 3 个文件（1 个项目、2 个 _defaults.yaml），0 个已存在未覆盖，跳过 0 个，失败 0 个。（试运行，未写入任何文件）
        """)
    assert run_cli("rollover", "镇/2026", "--to", "2027")[0] == 0
    assert (root / "镇/2027/办/残保金.yaml").read_text(encoding="utf-8") == STYLED_2027
    assert (root / "镇/2027/_defaults.yaml").read_text(encoding="utf-8") == \
        DEPT_DEFAULTS.replace("年度: 2026        #", "年度: 2027        #").replace("2026年度项目", "2027年度项目")
    assert (root / "镇/2027/办/_defaults.yaml").read_text(encoding="utf-8") == "实施单位: 某办\n"
    assert run_cli("check", "镇/2027") == (0, "检查了 1 个文件：没有发现问题。\n", "")


def test_crlf_bom_and_a_year_written_in_the_spec_are_kept(workspace: Callable[[Files], Path]) -> None:
    spec = "年度: '2026'\n" + STYLED
    data = b"\xef\xbb\xbf" + spec.replace("\n", "\r\n").encode("utf-8")
    root = workspace({"镇/2026/_defaults.yaml": DEPT_DEFAULTS, "镇/2026/办/a.yaml": data})
    code, _, err = run_cli("rollover", "镇/2026", "--to", "2028")
    assert (code, err) == (0, "")
    expected = ("年度: '2028'\n" + STYLED.replace('"2026.1.1"', '"2028.1.1"').replace(
        "2026年12月31日", "2028年12月31日").replace("2026年-2026年", "2028年-2028年")).replace("\n", "\r\n")
    assert (root / "镇/2028/办/a.yaml").read_bytes() == b"\xef\xbb\xbf" + expected.encode("utf-8")


def test_amounts_clear_blanks_every_amount(workspace: Callable[[Files], Path]) -> None:
    root = workspace({"镇/2026/_defaults.yaml": DEPT_DEFAULTS, "镇/2026/办/残保金.yaml": STYLED})
    code, out, err = run_cli("rollover", "镇/2026", "--to", "2027", "--amounts", "clear")
    assert (code, err) == (0, "")
    assert "请核对：项目资金的金额已清空，请按新年度的预算填写；合计是必填项，" in out
    assert (root / "镇/2027/办/残保金.yaml").read_text(encoding="utf-8") == STYLED_CLEARED
    # Blank totals are what check asks the clerk to fill; nothing else is reported.
    assert [(f.rule, f.message) for f in found("镇/2027")] == [
        ("missing-key", "「项目资金.项目资金总额.合计」不能为空：项目资金总额"),
        ("missing-key", "「项目资金.年度资金申请总额.合计」不能为空：年度资金申请总额"),
    ]


def test_dates_move_on_and_29_february_becomes_the_28th(workspace: Callable[[Files], Path]) -> None:
    spec = CLEAN_TARGET.replace("计划开始日期: 2026-01-01", "计划开始日期: 2028年2月29日").replace(
        "计划完成日期: 2026-12-31", "计划完成日期: 2028. 12. 31").replace("2026-2026", "2028-2028")
    root = workspace({"镇/2028/_defaults.yaml": DEPT_DEFAULTS.replace("2026", "2028"), "镇/2028/a.yaml": spec})
    assert run_cli("rollover", "镇/2028", "--to", "2029")[0] == 0
    assert (root / "镇/2029/a.yaml").read_text(encoding="utf-8") == spec.replace(
        "2028年2月29日", "2029年2月28日").replace("2028. 12. 31", "2029. 12. 31").replace("2028-2028", "2029-2029")
    assert run_cli("rollover", "镇/2028", "--to", "2032")[0] == 0  # a leap year again: the 29th stays
    assert "计划开始日期: 2032年2月29日" in (root / "镇/2032/a.yaml").read_text(encoding="utf-8")


def test_a_running_multi_year_period_is_kept(workspace: Callable[[Files], Path]) -> None:
    spec = CLEAN_TARGET.replace("起止年度: 2026-2026", "起止年度: 2025-2027")
    root = workspace({"镇/2026/_defaults.yaml": DEPT_DEFAULTS, "镇/2026/a.yaml": spec})
    code, out, _ = run_cli("rollover", "镇/2026", "--to", "2027")
    assert code == 0
    assert "  请核对：跨年项目（起止年度 2025-2027），起止年度未改，项目资金总额与年度资金请核对\n" in out
    assert "起止年度: 2025-2027" in (root / "镇/2027/a.yaml").read_text(encoding="utf-8")


def test_texts_naming_the_old_year_are_pointed_out(workspace: Callable[[Files], Path]) -> None:
    spec = CLEAN_TARGET.replace("当年及时", "2026年及时").replace("年度指标值: 42人", "年度指标值: 2026年底前42人")
    workspace({"镇/2026/_defaults.yaml": DEPT_DEFAULTS, "镇/2026/a.yaml": spec})
    _, out, _ = run_cli("rollover", "镇/2026", "--to", "2027")
    assert "  请核对：年度总体目标提到 2026\n  请核对：1 个三级指标的名称或指标值提到 2026（事业编制人数）\n" in out


def test_a_year_inherited_from_above_the_year_folder_is_pointed_out(workspace: Callable[[Files], Path]) -> None:
    dept = "主管部门: 某镇人民政府\n年度: 2026\n表格: 绩效目标表\n金额单位: 万元\n"
    workspace({"镇/_defaults.yaml": dept, "镇/2026/a.yaml": CLEAN_TARGET})
    code, out, _ = run_cli("rollover", "镇/2026", "--to", "2027")
    assert code == 0
    assert out.startswith("已生成 镇/2027/a.yaml\n  请核对：年度 2026 继承自年度目录以外的 _defaults.yaml，未改动；"
                          "请在 镇/2027/_defaults.yaml 写「年度: 2027」\n")


def test_a_value_that_cannot_be_edited_in_place_fails_the_file(workspace: Callable[[Files], Path]) -> None:
    block = CLEAN_TARGET.replace("计划开始日期: 2026-01-01", "计划开始日期: |\n  2026-01-01")
    workspace({"镇/2026/_defaults.yaml": DEPT_DEFAULTS, "镇/2026/a.yaml": block, "镇/2026/b.yaml": CLEAN_TARGET})
    code, out, _ = run_cli("rollover", "镇/2026", "--to", "2027")
    assert code == 1
    assert "失败 镇/2026/a.yaml：「计划开始日期」（第 4 行）写成了多行或带转义，无法在原文中改写，未复制；请把它写成一行后重试\n" in out
    assert Path("镇/2027/b.yaml").is_file() and not Path("镇/2027/a.yaml").exists()


# -- what is not copied --------------------------------------------------------------------------------


def test_existing_files_are_left_alone(workspace: Callable[[Files], Path]) -> None:
    root = workspace({"镇/2026/_defaults.yaml": DEPT_DEFAULTS, "镇/2026/a.yaml": CLEAN_TARGET,
                      "镇/2026/b.yaml": CLEAN_TARGET.replace("事业编残保金", "乙"),
                      "镇/2027/a.yaml": "# 已经写了一半\n"})
    code, out, err = run_cli("rollover", "镇/2026", "--to", "2027")
    assert (code, err) == (0, "")
    assert "已存在，未覆盖 镇/2027/a.yaml\n" in out and "已生成 镇/2027/b.yaml\n" in out
    assert (root / "镇/2027/a.yaml").read_text(encoding="utf-8") == "# 已经写了一半\n"


def test_a_spec_with_yaml_errors_is_reported_and_not_copied(workspace: Callable[[Files], Path]) -> None:
    root = workspace({"镇/2026/_defaults.yaml": DEPT_DEFAULTS, "镇/2026/好.yaml": CLEAN_TARGET,
                      "镇/2026/重复.yaml": CLEAN_TARGET + "项目名称: 又一个\n",
                      "镇/2026/坏.yaml": "项目名称: [未闭合\n", "镇/2026/说明.txt": "备忘\n"})
    code, out, err = run_cli("rollover", "镇/2026", "--to", "2027")
    assert (code, err) == (1, "")
    assert "跳过 镇/2026/说明.txt：不是规格文件（.yaml），不复制\n" in out
    assert "失败 镇/2026/坏.yaml：无法读取，未复制：镇/2026/坏.yaml:2:1: 错误 [yaml-syntax]" in out
    assert "失败 镇/2026/重复.yaml：YAML 有问题，未复制：镇/2026/重复.yaml:39:1: 错误 [yaml-duplicate-key]" in out
    assert out.endswith("2026 → 2027：已生成 2 个文件（1 个项目、1 个 _defaults.yaml），0 个已存在未覆盖，"
                        "跳过 1 个，失败 2 个。\n")
    assert sorted(p.name for p in (root / "镇/2027").iterdir()) == ["_defaults.yaml", "好.yaml"]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links")
def test_symbolic_links_are_refused(workspace: Callable[[Files], Path], tmp_path: Path) -> None:
    outside = tmp_path.parent / f"{tmp_path.name}-outside"
    outside.mkdir()
    (outside / "x.yaml").write_text(CLEAN_TARGET, encoding="utf-8")
    root = workspace({"镇/2026/_defaults.yaml": DEPT_DEFAULTS, "镇/2026/a.yaml": CLEAN_TARGET})
    (root / "镇/2026/链接.yaml").symlink_to(outside / "x.yaml")
    (root / "镇/2027").symlink_to(outside, target_is_directory=True)
    code, out, _ = run_cli("rollover", "镇/2026", "--to", "2027")
    assert code == 1
    assert "失败 镇/2026/链接.yaml：是符号链接，不复制；请把文件本身放在年度目录里\n" in out
    assert "失败 镇/2026/a.yaml：未能写入：输出目录里的 镇/2027 是符号链接" in out
    assert sorted(p.name for p in outside.iterdir()) == ["x.yaml"]  # nothing written through the link


# -- usage --------------------------------------------------------------------------------------------


def test_to_must_be_later_than_the_source(workspace: Callable[[Files], Path]) -> None:
    workspace({"镇/2026/a.yaml": CLEAN_TARGET})
    assert run_cli("rollover", "镇/2026", "--to", "2026") == (2, "", "错误：--to 2026 应晚于源目录的年度 2026（如 --to 2027）\n")
    assert run_cli("rollover", "镇/2026", "--to", "2025")[0] == 2
    code, _, err = run_cli("rollover", "镇/2026")
    assert code == 2 and err.endswith("错误：缺少选项 --to：请写新的年度，如 --to 2027\n")
    assert run_cli("rollover", "镇", "--to", "2027") == \
        (2, "", "错误：「镇」不是年度目录：请给出「主管部门/年度」目录，如 specs/某镇人民政府/2026\n")
    assert run_cli("rollover", "无/2026", "--to", "2027") == (2, "", "错误：路径不存在：无/2026\n")
    assert not Path("镇/2027").exists()


def test_library_returns_the_plan(workspace: Callable[[Files], Path]) -> None:
    workspace({"镇/2026/_defaults.yaml": DEPT_DEFAULTS, "镇/2026/a.yaml": CLEAN_TARGET})
    report = rollover("镇/2026", 2027, dry_run=True)
    assert report.ok and report.projects == 1 and report.from_year == 2026
    assert [(c.what, c.old, c.new) for c in report.written[1].changes] == [
        ("计划开始日期", "2026-01-01", "2027-01-01"), ("计划完成日期", "2026-12-31", "2027-12-31"),
        ("项目总目标.起止年度", "2026-2026", "2027-2027")]
    assert not Path("镇/2027").exists()


# -- what is parsed, fuzzed ----------------------------------------------------------------------------

STYLES = ("{y}-{m}-{d}", "{y}.{m}.{d}", "{y}/{m}/{d}", "{y}年{m}月{d}日", "{y} - {m} - {d}", "{y}. {m}. {d}")


@given(day=st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31)), years=st.integers(1, 9),
       style=st.sampled_from(STYLES), padded=st.booleans(), space=st.sampled_from(["", " ", "  "]))
@example(day=date(2028, 2, 29), years=1, style="{y}-{m}-{d}", padded=True, space="")
def test_a_moved_date_keeps_its_style(day: date, years: int, style: str, padded: bool, space: str) -> None:
    def write(d: date) -> str:
        m, dd = (f"{d.month:02d}", f"{d.day:02d}") if padded else (str(d.month), str(d.day))
        return space + style.format(y=d.year, m=m, d=dd) + space

    moved = moved_date_text(write(day), years)
    expected = shift_date(day, years)
    if expected.day != day.day:  # 29 February → 28th: the width of the day is kept
        assert (day.month, day.day, expected.day) == (2, 29, 28)
    assert moved == (write(expected), expected)


@given(st.one_of(st.text(max_size=20), st.from_regex(r"\s*\d{4}\s*[-./年]\s*\d{1,3}\s*[-./月]\s*\d{1,3}日?\s*")))
@example("2026-02-30")
@example("２０２８年２月２９日")
@example("2026年13月1日")
def test_only_what_the_loader_reads_as_a_date_is_moved(text: str) -> None:
    try:
        day = parse_date(text)
    except ValueParseError:
        assert moved_date_text(text, 1) is None
    else:
        moved = moved_date_text(text, 1)
        assert moved is not None and moved[1] == shift_date(day, 1) and parse_date(moved[0]) == moved[1]
        # The same characters but the changed digits, in the same digit family.
        assert len(moved[0]) == len(text) and moved[0].isascii() == text.isascii()


@pytest.mark.parametrize(("text", "expected"), [("2026-2026", "2027-2027"), ("2026年-2026年", "2027年-2027年"),
                                                ("2026", "2027"), (" 2026至2026 ", " 2027至2027 "),
                                                ("２０２６-２０２６", "２０２７-２０２７")])
def test_one_year_periods_move_on(text: str, expected: str) -> None:
    assert moved_years_text(text, 1) == expected


@settings(deadline=None)  # each example writes and loads a workspace: slow on a loaded machine, not wrong
@given(quote=st.sampled_from(["", "'", '"']), comment=st.sampled_from(["", "  # 注", " #"]),
       eol=st.sampled_from(["\n", "\r\n"]), style=st.sampled_from(STYLES))
def test_a_rolled_spec_reads_back(tmp_path_factory: pytest.TempPathFactory, quote: str, comment: str, eol: str,
                                  style: str) -> None:
    root = tmp_path_factory.mktemp("fuzz")
    start = style.format(y=2026, m="1", d="1")
    spec = CLEAN_TARGET.replace("计划开始日期: 2026-01-01", f"计划开始日期: {quote}{start}{quote}{comment}")
    (root / "2026").mkdir()
    (root / "2026" / "a.yaml").write_bytes(spec.replace("\n", eol).encode("utf-8"))
    (root / "2026" / "_defaults.yaml").write_text(DEPT_DEFAULTS, encoding="utf-8")
    report = rollover(root / "2026", 2027, amounts="clear")
    assert report.ok, report.failed
    (spec_file,) = load_workspace([root / "2027"]).specs
    assert spec_file.project is not None and spec_file.project.start == date(2027, 1, 1)
    text = (root / "2027" / "a.yaml").read_bytes().decode("utf-8")
    assert f"计划开始日期: {quote}{style.format(y=2027, m='1', d='1')}{quote}{comment}{eol}" in text


def test_a_title_that_names_its_year_otherwise_is_pointed_out(workspace: Callable[[Files], Path]) -> None:
    root = workspace({"镇/2026/_defaults.yaml": DEPT_DEFAULTS.replace("2026年度项目支出绩效目标表", "2026年预算项目表"),
                      "镇/2026/办/_defaults.yaml": "实施单位: 某办\n", "镇/2026/办/残保金.yaml": STYLED})
    code, out, _ = run_cli("rollover", "镇/2026", "--to", "2027")
    assert code == 0
    assert "  请核对：公开标题「某镇人民政府2026年预算项目表」里的 2026 未改，请核对\n" in out
    assert "公开标题: 某镇人民政府2026年预算项目表" in (root / "镇/2027/_defaults.yaml").read_text(encoding="utf-8")


def test_yaml_that_is_not_a_spec_is_skipped_with_the_reason(workspace: Callable[[Files], Path]) -> None:
    root = workspace({"镇/2026/_defaults.yaml": DEPT_DEFAULTS, "镇/2026/办/_defaults.yaml": "实施单位: 某办\n",
                      "镇/2026/办/残保金.yaml": STYLED, "镇/2026/办/mkdocs.yml": "site_name: x\n"})
    code, out, _ = run_cli("rollover", "镇/2026", "--to", "2027")
    assert code == 0
    assert "跳过 镇/2026/办/mkdocs.yml：不是项目规格（顶层的键 site_name 都不是表格上的中文标签），不复制\n" in out
    assert not (root / "镇/2027/办/mkdocs.yml").exists()
