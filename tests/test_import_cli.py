"""``jixiao import``: exact output, exit codes, what lands on disk."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run_cli
from jixiao.importer import import_files
from jixiao.load.workspace import load_workspace
from jixiao.validate import check_workspace

SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "003_b08a6f8de08aa10b.txt"


def seed_lines(first: int, last: int) -> str:
    lines = SEED.read_text(encoding="utf-8").splitlines()
    return "\n".join(lines[first - 1:last]) + "\n"


@pytest.fixture
def declaration(tmp_path: Path) -> Path:
    """Seed 003 L147–166: 劝导队经费, a declaration table (variant B)."""
    path = tmp_path / "信访办.txt"
    path.write_text(seed_lines(147, 166), encoding="utf-8")
    return path


def test_import_writes_the_spec_and_its_defaults(declaration: Path, tmp_path: Path) -> None:
    out = tmp_path / "ws"
    code, stdout, stderr = run_cli("import", str(declaration), "-o", str(out))
    folder = out / "浦江镇人民政府" / "2026"
    spec = folder / "浦江镇信访办" / "劝导队经费.yaml"
    assert (code, stderr) == (0, "")
    assert stdout.splitlines() == [
        f"已生成 {folder / '_defaults.yaml'}",
        f"已生成 {folder / '浦江镇信访办' / '_defaults.yaml'}",
        f"已导入 {spec}（{declaration}:1）",
        "",
        "找到 1 张表：1 张导入无误，0 张有备注，0 张失败，0 张已存在未覆盖。",
    ]
    text = spec.read_text(encoding="utf-8")
    assert text.splitlines()[1:6] == ["项目名称: 劝导队经费", "项目性质: 经常性项目", "项目类别: 运转类项目",
                                      "计划开始日期: 2026-01-01", "计划完成日期: 2026-12-31"]
    assert (folder / "_defaults.yaml").read_text(encoding="utf-8").splitlines()[1:] == [
        "主管部门: 浦江镇人民政府", "年度: 2026", "表格: 绩效目标申报表", "金额单位: 万元", "日期格式: 2026.1.1"]
    report = check_workspace(load_workspace([out]))
    assert [d.format() for d in report.diagnostics if d.severity.value == "error"] == []


def test_existing_files_are_kept_unless_forced(declaration: Path, tmp_path: Path) -> None:
    out = tmp_path / "ws"
    run_cli("import", str(declaration), "-o", str(out))
    spec = out / "浦江镇人民政府" / "2026" / "浦江镇信访办" / "劝导队经费.yaml"
    spec.write_text("项目名称: 手改\n", encoding="utf-8")
    code, stdout, _ = run_cli("import", str(declaration), "-o", str(out))
    assert code == 0
    assert f"已存在，未覆盖 {spec}（覆盖请加 --force）" in stdout.splitlines()
    assert stdout.splitlines()[-1] == "找到 1 张表：0 张导入无误，0 张有备注，0 张失败，1 张已存在未覆盖。"
    assert spec.read_text(encoding="utf-8") == "项目名称: 手改\n"
    code, stdout, _ = run_cli("import", str(declaration), "-o", str(out), "--force")
    assert code == 0 and "项目名称: 劝导队经费" in spec.read_text(encoding="utf-8")


def test_remarks_are_listed_and_strict_makes_them_fail(tmp_path: Path) -> None:
    # Seed 003 L230–255 (社工点经费): the extractor split the left 其他资金 label (L241 「金 0」).
    source = tmp_path / "平安办.txt"
    source.write_text(seed_lines(230, 255), encoding="utf-8")
    remark = f"  备注 {source}:12: 「金」按「其他资金」标签读入（抽取时被拆开）"
    code, stdout, _ = run_cli("import", str(source), "-o", str(tmp_path / "a"))
    assert code == 0
    assert remark in stdout.splitlines()
    assert stdout.splitlines()[-1] == "找到 1 张表：0 张导入无误，1 张有备注，0 张失败，0 张已存在未覆盖。"
    code, stdout, _ = run_cli("import", str(source), "-o", str(tmp_path / "b"), "--strict")
    assert code == 1 and remark in stdout.splitlines()
    spec = next((tmp_path / "b").rglob("社工点经费.yaml")).read_text(encoding="utf-8")
    assert f"#   {source}:12: 「金」按「其他资金」标签读入（抽取时被拆开）" in spec


def test_a_file_without_tables_fails(tmp_path: Path) -> None:
    source = tmp_path / "notes.txt"
    source.write_text("会议纪要\n没有表格\n", encoding="utf-8")
    code, stdout, stderr = run_cli("import", str(source), "-o", str(tmp_path / "ws"))
    assert (code, stderr) == (1, "")
    assert stdout.splitlines() == [
        f"失败 {source}：没有找到「财政项目支出绩效…表」标题，不像是绩效表格",
        f"  备注 {source}:1: 「会议纪要」在表格之外，未导入",
        f"  备注 {source}:2: 「没有表格」在表格之外，未导入",
        "",
        "找到 0 张表：0 张导入无误，0 张有备注，0 张失败，0 张已存在未覆盖；1 个文件无法导入。",
    ]
    assert not (tmp_path / "ws").exists()


@pytest.mark.parametrize(("args", "message"), [
    (["import", "nowhere.txt", "-o", "ws"], "错误：路径不存在：nowhere.txt"),
    (["import", "x.txt"], "错误：请用 -o 目录 指定导入到哪个工作区目录"),
    (["import", "x.txt", "-o", "x.txt"], "错误：-o/--output 的值无效：「x.txt」是文件，不是目录"),
])
def test_usage_errors(tmp_path: Path, monkeypatch, args: list[str], message: str) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.txt").write_text("", encoding="utf-8")
    code, stdout, stderr = run_cli(*args)
    assert (code, stdout) == (2, "")
    assert stderr.strip().splitlines()[-1] == message


def test_a_broken_word_file_is_reported_not_crashed(tmp_path: Path) -> None:
    source = tmp_path / "坏的.docx"
    source.write_bytes(b"not a zip at all")
    code, stdout, stderr = run_cli("import", str(source), "-o", str(tmp_path / "ws"))
    assert code == 1 and "Traceback" not in stdout + stderr
    assert stdout.splitlines()[0].startswith(f"失败 {source}：不是可读的 Word 文档（.docx）")


def test_existing_defaults_and_folders_of_other_specs_are_left_alone(declaration: Path,
                                                                     tmp_path: Path) -> None:
    out = tmp_path / "ws"
    dept = out / "浦江镇人民政府" / "2026"
    unit = dept / "浦江镇信访办"
    unit.mkdir(parents=True)
    mine = "# 手写\n主管部门: 浦江镇人民政府\n年度: 2026\n公开标题: 浦江镇2026年度项目支出绩效目标表\n"
    (dept / "_defaults.yaml").write_text(mine, encoding="utf-8")
    (unit / "手写的项目.yaml").write_text("项目名称: 手写的项目\n", encoding="utf-8")
    code, stdout, _ = run_cli("import", str(declaration), "-o", str(out), "--force")
    assert code == 0 and "已生成" not in stdout  # no _defaults.yaml written anywhere
    assert (dept / "_defaults.yaml").read_text(encoding="utf-8") == mine
    assert not (unit / "_defaults.yaml").exists()  # would change what 手写的项目.yaml inherits
    spec = (unit / "劝导队经费.yaml").read_text(encoding="utf-8").splitlines()
    # What the folders do not give is spelled out in the project file; what they give is not.
    assert "表格: 绩效目标申报表" in spec and "实施单位: 浦江镇信访办" in spec and "主管部门: 浦江镇人民政府" not in spec
    assert "  单位: 万元" in spec


def test_same_named_tables_are_numbered_in_order(tmp_path: Path) -> None:
    """The second table of a name becomes 「名（2）」; a table whose own name is 「名（2）」 then gets 「名（2）（2）」."""
    form = seed_lines(147, 166)
    named = form.replace("劝导队经费", "劝导队经费（2）")
    assert named != form
    source = tmp_path / "四张.txt"
    source.write_text(form + form + named + form, encoding="utf-8")
    report = import_files([source], tmp_path / "ws")
    assert [r.path.name for r in report.results if r.path] == [
        "劝导队经费.yaml", "劝导队经费（2）.yaml", "劝导队经费（2）（2）.yaml", "劝导队经费（3）.yaml"]


def test_indicator_rows_under_a_level1_written_as_none_are_kept(tmp_path: Path) -> None:
    """A 二级 printed above its 一级 (carried over to it), the 一级 then written 「无 | 无」, and
    another row below: the grid reader once stopped on an assertion (internal error)."""
    lines = seed_lines(147, 166).split("\n")
    grid_end = lines.index(next(line for line in lines if line.startswith("\t效益指标\t")))
    lines[grid_end:grid_end + 2] = ["\t\t社会效益指标\t保障辖区稳定性\t保障\t", "\t效益指标\t无\t无\t",
                                    "\t\t\t长效管理机制\t建立健全\t"]
    source = tmp_path / "表.txt"
    source.write_text("\n".join(lines), encoding="utf-8")
    report = import_files([source], tmp_path / "ws")
    [result] = report.results
    assert result.status == "remarks"
    assert any("写了「无」，下面却还有指标" in r.message for r in result.remarks)
    written = result.path.read_text(encoding="utf-8")
    assert "保障辖区稳定性" in written and "长效管理机制" in written
