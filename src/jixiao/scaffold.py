"""New workspaces, departments, units and projects: the files a clerk starts from.

``jixiao new`` writes them. A workspace is a folder marked by ``jixiao.toml`` (the top
of ``_defaults.yaml`` inheritance, see ``load/workspace.py``) with a ``.gitignore`` for
the generated tables and editor settings that give every spec file its JSON Schema
(completion and checking while typing, no per-file modeline). A department is its
folder's ``_defaults.yaml`` (主管部门, 金额单位) and a year folder's (年度, 表格, 公开标题),
a unit a folder with ``实施单位``, a project a spec file with every key of its form in
print order, blank where the clerk types. All of it is written by the model's one
YAML writer (``model/dump.py``); everything loads, and ``check`` reports only the
blanks still to fill.

Nothing existing is overwritten: a file that is there already is left alone and said
(:class:`~jixiao.files.Written` ``created=False``).
"""

from __future__ import annotations

import json
from pathlib import Path

from jixiao.errors import UsageError
from jixiao.files import Written, safe_name, write_atomic
from jixiao.jsonschema import workspace_schema
from jixiao.load.workspace import DEFAULTS_NAME, WORKSPACE_MARKER, inherited_for, workspace_root
from jixiao.model.dump import KEPT_BLANKS, dump, dump_defaults, inherited_paths
from jixiao.model.names import MAX_NAME_CHARS, is_plain_name
from jixiao.model.project import (
    AnnualRequest,
    Defaults,
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
from jixiao.model.vocab import COST, FRAMEWORK, FormKind, MoneyUnit

SCHEMA_PATH = ".jixiao/schema/spec.schema.json"
MARKER_TEXT = """\
# jixiao 工作区：这个文件所在的目录是工作区的根。
# 各级目录的 _defaults.yaml 从项目所在目录一直继承到这里为止。
# 由 jixiao new 生成；目前没有需要设置的内容。
"""
GITIGNORE = "# jixiao render / disclose 生成的表格\noutput/\n"
# The keys a clerk fills in on a new project: written blank, so that check lists each
# until it is filled (on top of the blanks every spec keeps, dump.KEPT_BLANKS).
TO_FILL = frozenset({"category", "nature", "start", "end", "overall_goal.period", "overall_goal.text",
                     "annual_goal", "expected", "achieved", "indicators.name", "indicators.actual",
                     "indicators.weight", "indicators.score", "funds.weight", "cutoff", "progress",
                     "indicators.forecast", "indicators.likelihood", "funds.remedy"})
PROJECT_HEADER = ("由 jixiao new project 生成：空着的地方请填写，jixiao check 会逐项列出还没填的。",
                  "不需要的二级指标写「无」，如「生态效益指标: 无」；需要更多三级指标时复制「- 三级指标」一项。")


def _name(text: str, what: str) -> str:
    name = text.strip()
    if not name or not is_plain_name(name) or len(name) > MAX_NAME_CHARS:
        raise UsageError(f"{what}「{text}」不能用作文件夹或文件名：不能为空、不能含 / \\ : 或控制字符、"
                         f"不能以 . 开头，最多 {MAX_NAME_CHARS} 字")
    return name


def _write(path: Path, text: str, root: Path) -> Written:
    if path.exists():
        return Written(path, False)
    write_atomic(path, text.encode("utf-8"), root)
    return Written(path, True)


def _workspace_of(folder: Path) -> Path:
    root = workspace_root(folder)
    if not (root / WORKSPACE_MARKER).is_file():
        raise UsageError(f"{folder} 不在 jixiao 工作区里（没有找到 {WORKSPACE_MARKER}）；先用 jixiao new 目录 建一个工作区")
    return root


# -- the workspace ---------------------------------------------------------------------------------


def new_workspace(folder: Path) -> list[Written]:
    """The marker, the .gitignore and the editor settings of a workspace in ``folder``.

    Run again in a workspace, it adds what is missing and brings the schema up to date
    with this jixiao (the schema is jixiao's file, not the clerk's)."""
    folder.mkdir(parents=True, exist_ok=True)
    root = folder.resolve()
    written = [_write(root / WORKSPACE_MARKER, MARKER_TEXT, root),
               _write(root / ".gitignore", GITIGNORE, root)]
    schema = json.dumps(workspace_schema(), ensure_ascii=False, indent=2) + "\n"
    write_atomic(root / SCHEMA_PATH, schema.encode("utf-8"), root)
    written.append(Written(root / SCHEMA_PATH, True))
    written.append(_write(root / ".vscode" / "settings.json", _json(_vscode_settings()), root))
    written.append(_write(root / ".vscode" / "extensions.json",
                          _json({"recommendations": ["redhat.vscode-yaml"]}), root))
    return written


def _vscode_settings() -> dict[str, object]:
    # Spec files sit in department folders (部门/年度/单位/项目.yaml), never at the root, where
    # other tools keep theirs (.pre-commit-config.yaml); one schema covers specs and
    # _defaults.yaml alike (jsonschema.workspace_schema tells them apart by 项目名称).
    return {"yaml.schemas": {f"./{SCHEMA_PATH}": ["*/**/*.yaml", "*/**/*.yml"]},
            "files.encoding": "utf8", "files.eol": "\n"}


def _json(data: dict[str, object]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


# -- departments and units --------------------------------------------------------------------------


def new_department(folder: Path, name: str, year: int, form: FormKind = FormKind.TARGET,
                   unit: MoneyUnit = MoneyUnit.WAN) -> list[Written]:
    """``folder/name/_defaults.yaml`` (主管部门, 金额单位) and ``folder/name/year/_defaults.yaml``
    (年度, 表格 and the disclosure document's title)."""
    root = _workspace_of(folder)
    name = _name(name, "主管部门")
    department = folder / safe_name(name)
    kind = "项目支出绩效自评表" if form is FormKind.SELF_EVAL else "项目支出绩效目标表"
    # The monitoring summary is not published: it has no title to set.
    title = {} if form is FormKind.MONITOR else \
        {"accounts_title" if form is FormKind.SELF_EVAL else "disclosure_title": f"{name}{year}年度{kind}"}
    return [
        _write(department / DEFAULTS_NAME,
               dump_defaults(Defaults(department=name, money_unit=unit),
                             header=("主管部门一级：下面各年度、各实施单位的项目都继承这里的值。",)), root),
        _write(department / str(year) / DEFAULTS_NAME,
               dump_defaults(Defaults(year=year, form=form, **title),  # type: ignore[arg-type]
                             header=(f"{year} 年度：本目录下的项目都是这一年的{form.value}。",)), root),
    ]


def new_unit(folder: Path, name: str) -> list[Written]:
    """``folder/name/_defaults.yaml`` with 实施单位 (``folder``: a department's year)."""
    root = _workspace_of(folder)
    name = _name(name, "实施单位")
    return [_write(folder / safe_name(name) / DEFAULTS_NAME,
                   dump_defaults(Defaults(unit=name), header=("实施单位一级：本目录下的项目都继承这里的值。",)), root)]


# -- a project ------------------------------------------------------------------------------------------


def new_project(folder: Path, name: str, form: FormKind | None = None) -> Written:
    """A project spec ``folder/name.yaml``: every key of its form, blank where the clerk types.
    The form is ``form``, else what the folders' ``_defaults.yaml`` say, else 绩效目标表."""
    root = _workspace_of(folder)
    name = _name(name, "项目名称")
    path = folder / f"{safe_name(name)}.yaml"
    if path.exists():
        raise UsageError(f"{path} 已存在，没有改动它")
    inherited = inherited_for(path)
    kind = form or inherited.get("form") or FormKind.TARGET
    assert isinstance(kind, FormKind)
    project = skeleton(name, kind, inherited)
    text = dump(project, omit=inherited_paths(project, inherited), blanks=KEPT_BLANKS | TO_FILL,
                header=PROJECT_HEADER)
    return _write(path, text, root)


def skeleton(name: str, form: FormKind, inherited: dict[str, object]) -> Project:
    """A blank project of ``form``: the folders' values, one blank 三级指标 under every 二级."""
    levels = tuple(FirstLevel(name=l1, children=tuple(SecondLevel(name=l2, indicators=(Indicator(),)) for l2 in l2s))
                   for l1, l2s in FRAMEWORK.items() if l1 != COST)
    funds: TargetFunds | SelfEvalFunds | MonitorFunds
    if form is FormKind.MONITOR:  # usually made from the targets: jixiao monitor init
        funds = MonitorFunds(unit=_unit(inherited), total=MonitorRow(), fiscal=MonitorRow(), other=MonitorRow())
    elif form is FormKind.SELF_EVAL:
        funds = SelfEvalFunds(unit=_unit(inherited), total=FundRow(), current=FundRow(), carryover=FundRow(),
                              other=FundRow())
    else:
        funds = TargetFunds(unit=_unit(inherited), project=ProjectTotal(), annual=AnnualRequest())
    return Project(form=form, name=name, year=_int(inherited.get("year")),
                   department=str(inherited.get("department") or ""), unit=str(inherited.get("unit") or ""),
                   funds=funds, overall_goal=OverallGoal() if form in (FormKind.TARGET, FormKind.DECLARATION) else None,
                   indicators=levels)


def _unit(inherited: dict[str, object]) -> MoneyUnit | None:
    unit = inherited.get("money_unit")
    return unit if isinstance(unit, MoneyUnit) else None


def _int(value: object) -> int | None:
    return value if isinstance(value, int) else None
