"""``jixiao new``: a workspace, a department, a unit, a project; the workspace marker as the
top of inheritance; YAML files that are not specs skipped and said."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import load, run_cli
from jixiao.jsonschema import workspace_schema
from jixiao.load.workspace import workspace_root

# What a clerk types into the blanks of a new project (tests/test_package.py does the same
# with the installed wheel).
FILL = {"项目类别": "经常性项目", "计划开始日期": "2027-01-01", "计划完成日期": "2027-12-31", "合计": "10",
        "财政资金": "10", "其他资金": "0", "当年财政拨款": "10", "上年结转资金": "0", "起止年度": "2027-2027",
        "内容": "为镇政府提供法律服务。", "年度总体目标": "全年完成法律服务。", "年度指标值": "100%"}


def fill(text: str) -> str:
    """Every blank of a new project's skeleton filled in, each 三级指标 named 指标1, 指标2 …"""
    counter = iter(range(1, 1000))

    def one(m: re.Match[str]) -> str:
        key = m.group(2)
        if key == "- 三级指标":
            return f"{m.group(1)}{key}: 指标{next(counter)}"
        return f"{m.group(1)}{key}: {FILL[key]}" if key in FILL else m.group(0)

    return re.sub(r"^(\s*)(- 三级指标|[^\s:#][^:]*):$", one, text, flags=re.M)


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    assert run_cli("new", "ws")[0] == 0
    return tmp_path / "ws"


def test_new_workspace_writes_marker_gitignore_and_editor_settings(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert run_cli("new", "ws") == (0, "已创建 ws/jixiao.toml\n已创建 ws/.gitignore\n"
                                       "已创建 ws/.jixiao/schema/spec.schema.json\n已创建 ws/.vscode/settings.json\n"
                                       "已创建 ws/.vscode/extensions.json\n"
                                       "下一步：jixiao new department 主管部门名称 --year 年度 --in ws\n", "")
    ws = tmp_path / "ws"
    assert "output/" in (ws / ".gitignore").read_text(encoding="utf-8").splitlines()
    settings = json.loads((ws / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    assert settings["yaml.schemas"] == {"./.jixiao/schema/spec.schema.json": ["*/**/*.yaml", "*/**/*.yml"]}
    assert json.loads((ws / ".jixiao/schema/spec.schema.json").read_text(encoding="utf-8")) == workspace_schema()
    # again: nothing the clerk may have edited is touched; the schema is brought up to date
    (ws / ".gitignore").write_text("mine\n", encoding="utf-8")
    code, out, _ = run_cli("new", "workspace", "ws")
    assert code == 0 and "已存在，未改动 ws/.gitignore" in out and "已创建 ws/.jixiao/schema/spec.schema.json" in out
    assert (ws / ".gitignore").read_text(encoding="utf-8") == "mine\n"


def test_new_department_unit_and_project_pass_check_once_filled(workspace: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(workspace)
    assert run_cli("new", "department", "浦江镇人民政府", "--year", "2027") == (
        0, "已创建 浦江镇人民政府/_defaults.yaml\n已创建 浦江镇人民政府/2027/_defaults.yaml\n", "")
    assert run_cli("new", "unit", "浦江镇司法所", "--in", "浦江镇人民政府/2027") == (
        0, "已创建 浦江镇人民政府/2027/浦江镇司法所/_defaults.yaml\n", "")
    folder = "浦江镇人民政府/2027/浦江镇司法所"
    spec = workspace / folder / "法律服务.yaml"
    assert run_cli("new", "project", "法律服务", "--in", folder) == (
        0, f"已创建 {folder}/法律服务.yaml\n填写空着的地方后运行 jixiao check {folder}/法律服务.yaml：还没填的会逐项列出。\n", "")
    text = spec.read_text(encoding="utf-8")
    # the form's keys in print order; what the folders say is not repeated
    keys = re.findall(r"^([^\s#][^:]*):", text, flags=re.M)
    assert keys == ["项目名称", "项目类别", "计划开始日期", "计划完成日期", "项目资金", "项目总目标", "年度总体目标", "绩效指标"]
    # check lists the blanks, and nothing but blanks
    code, out, _ = run_cli("check", folder)
    assert code == 1
    found = set(re.findall(r"\[([a-z-]+)\]", out))
    assert found == {"category-missing", "missing-key", "empty-text", "indicator-value-blank"}, out
    project = load(spec).specs[0].project
    assert project is not None
    assert (project.department, project.unit, project.year, project.funds.unit.value) == (  # type: ignore[union-attr]
        "浦江镇人民政府", "浦江镇司法所", 2027, "万元")
    spec.write_text(fill(text), encoding="utf-8")
    assert run_cli("check", folder) == (0, "检查了 1 个文件：没有发现问题。\n", "")
    # never overwritten
    code, _, err = run_cli("new", "project", "法律服务", "--in", folder)
    assert code == 2 and "已存在" in err
    assert run_cli("new", "department", "浦江镇人民政府", "--year", "2027")[1] == (
        "已存在，未改动 浦江镇人民政府/_defaults.yaml\n已存在，未改动 浦江镇人民政府/2027/_defaults.yaml\n")


def test_new_project_follows_the_form_of_its_folder(workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(workspace)
    run_cli("new", "department", "吴泾镇人民政府", "--year", "2026", "--form", "绩效自评表", "--unit", "元")
    assert run_cli("new", "project", "安保经费", "--in", "吴泾镇人民政府/2026")[0] == 0
    text = (workspace / "吴泾镇人民政府/2026/安保经费.yaml").read_text(encoding="utf-8")
    assert "年度资金总额:" in text and "实际完成值:" in text and "得分:" in text and "项目总目标" not in text
    assert "决算公开标题: 吴泾镇人民政府2026年度项目支出绩效自评表" in (
        workspace / "吴泾镇人民政府/2026/_defaults.yaml").read_text(encoding="utf-8")
    assert run_cli("new", "project", "申报", "--in", "吴泾镇人民政府/2026", "--form", "绩效目标申报表")[0] == 0
    assert "项目性质:" in (workspace / "吴泾镇人民政府/2026/申报.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["../逃出", "a/b", ".隐藏", "", "名" * 101])
def test_new_refuses_names_that_are_not_plain(workspace: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    monkeypatch.chdir(workspace)
    for kind in ("department", "unit", "project"):
        args = ["new", kind, name] + (["--year", "2027"] if kind == "department" else [])
        code, out, err = run_cli(*args)
        assert code == 2 and "不能用作文件夹或文件名" in err, (kind, out, err)
    assert sorted(p.name for p in workspace.iterdir()) == [".gitignore", ".jixiao", ".vscode", "jixiao.toml"]


def test_new_outside_a_workspace_says_how_to_make_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = run_cli("new", "unit", "单位")
    assert code == 2
    assert "不在 jixiao 工作区里（没有找到 jixiao.toml）；先用 jixiao new 目录 建一个工作区" in err


# -- the workspace marker --------------------------------------------------------------------------


def test_the_marker_is_the_top_of_inheritance(tmp_path: Path) -> None:
    """A _defaults.yaml above the workspace (a parent folder, a home directory) is not
    applied; one inside is, with or without a .git anywhere."""
    (tmp_path / "_defaults.yaml").write_text("主管部门: 上面的部门\n年度: 1999\n", encoding="utf-8")
    ws = tmp_path / "ws"
    run_cli("new", str(ws))
    run_cli("new", "department", "部门", "--year", "2027", "--in", str(ws))
    run_cli("new", "project", "项目", "--in", str(ws / "部门" / "2027"))
    project = load(ws).specs[0].project
    assert project is not None and (project.department, project.year) == ("部门", 2027)
    assert workspace_root(ws / "部门" / "2027") == ws.resolve()
    # without the marker (and no .git) every folder up to / is inherited, as before
    (ws / "jixiao.toml").unlink()
    (ws / "部门" / "_defaults.yaml").unlink()
    project = load(ws).specs[0].project
    assert project is not None and project.department == "上面的部门"


def test_yaml_that_is_not_a_spec_is_skipped_and_said(workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(workspace)
    (workspace / ".pre-commit-config.yaml").write_text("repos:\n  - repo: local\n    hooks: []\n", encoding="utf-8")
    (workspace / "mkdocs.yml").write_text("site_name: x\nnav: []\ntheme: y\nplugins: []\n", encoding="utf-8")
    assert run_cli("check", ".pre-commit-config.yaml", "mkdocs.yml") == (
        0, "检查了 0 个文件：没有发现问题。\n",
        "已跳过 .pre-commit-config.yaml：不是项目规格（顶层的键 repos 都不是表格上的中文标签）\n"
        "已跳过 mkdocs.yml：不是项目规格（顶层的键 site_name、nav、theme…… 都不是表格上的中文标签）\n")
    # a spec with a wrong key is still a spec, and checked
    (workspace / "错.yaml").write_text("项目名称: 甲\nfoo: 1\n", encoding="utf-8")
    code, out, _ = run_cli("check", "错.yaml")
    assert code == 1 and "错.yaml:2:1" in out
