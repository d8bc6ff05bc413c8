"""Header fields and goals: names, 项目类别 / 项目性质 by form kind, goal texts."""

from __future__ import annotations

import functools
from collections.abc import Iterator

from jixiao.errors import Diagnostic
from jixiao.load.structure import suggest
from jixiao.model.names import MAX_NAME_CHARS, code_points, invisible_chars, is_plain_name
from jixiao.model.project import Project
from jixiao.model.settings import Settings
from jixiao.model.vocab import (
    DECLARATION_CATEGORIES,
    DECLARATION_NATURES,
    PLACEHOLDER,
    TARGET_CATEGORIES,
    FormKind,
)
from jixiao.rules import rule


def check_header(project: Project, settings: Settings) -> Iterator[Diagnostic]:
    yield from _check_names(project)
    if project.form is FormKind.TARGET:
        yield from _choice(project, "category", "项目类别", TARGET_CATEGORIES, required=True)
    elif project.form is FormKind.DECLARATION:
        yield from _choice(project, "nature", "项目性质", DECLARATION_NATURES, required=True)
        yield from _choice(project, "category", "项目类别", DECLARATION_CATEGORIES, required=False)
    yield from _check_goals(project)


# The names that become output folders and files, and document properties.
_NAMES = (("name", "项目名称"), ("department", "主管部门"), ("unit", "实施单位"))


@functools.lru_cache(maxsize=4096)
def _invisible(value: str) -> tuple[str, ...]:
    # Every project of a folder repeats its department's and unit's names: looked at once.
    return tuple(invisible_chars(value))


def _check_names(project: Project) -> Iterator[Diagnostic]:
    for attr, label in (*_NAMES, ("variant", "表样")):
        value: str = getattr(project, attr)
        if chars := list(_invisible(value)):
            yield rule("name-invisible-character").at(
                project.pos.of(attr), f"{label}里有看不见的字符或改变文字方向的字符 {code_points(chars)}；"
                                      "表上看不出来，文件名里会去掉；请删除")
    for attr, label in _NAMES:
        value = getattr(project, attr)
        if len(value) > MAX_NAME_CHARS:
            yield rule("name-invalid").at(
                project.pos.of(attr), f"{label}有 {len(value)} 个字，最多 {MAX_NAME_CHARS} 个；请写简称")
    if project.variant and not is_plain_name(project.variant):
        yield rule("name-invalid").at(
            project.pos.of("variant"), f"表样应为模板目录 variants/ 下一个文件夹的名字（如 A、B、C、D），"
                                       f"不能含路径，实际是「{project.variant}」")


def _choice(project: Project, attr: str, label: str, options: tuple[str, ...],
            required: bool) -> Iterator[Diagnostic]:
    value = getattr(project, attr)
    if value is None:
        if required:
            what = "没有勾选项目类别" if attr == "category" else "缺少项目性质"
            yield rule("category-missing").at(
                project.pos.at, f"{what}；{project.form.value}应填「{label}: {options[0]}」"
                                f"（{' / '.join(options)} 之一）")
        return
    if value not in options:
        yield rule("invalid-value").at(
            project.pos.of(attr), f"{project.form.value}的「{label}」应为 {' / '.join(options)} 之一，"
                                  f"实际是「{value}」{suggest(value, list(options))}")


def _check_goals(project: Project) -> Iterator[Diagnostic]:
    if project.form is FormKind.SELF_EVAL:
        if not project.achieved:
            yield rule("selfeval-unfilled").at(project.pos.of("achieved"), "实际完成情况未填写")
        elif project.achieved == project.expected:
            yield rule("selfeval-actual-repeats-target").at(
                project.pos.of("achieved"), "实际完成情况与预期目标一字不差；请写出实际完成了什么")
        return
    if project.annual_goal.strip() == PLACEHOLDER:
        yield rule("goal-placeholder").at(project.pos.of("annual_goal"),
                                          "年度总体目标只写了「无」；请写出本年度要达到的目标")
    goal = project.overall_goal
    if goal is not None and goal.text.strip() == PLACEHOLDER:
        yield rule("goal-placeholder").at(goal.pos.of("text"), "项目总目标只写了「无」")
