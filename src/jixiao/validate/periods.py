"""The project's period and the date rules (FORMS.md §2, §4)."""

from __future__ import annotations

from collections.abc import Iterator

from jixiao.errors import Diagnostic
from jixiao.model.project import Project
from jixiao.model.settings import Settings
from jixiao.rules import rule


def project_years(project: Project) -> tuple[int, int] | None:
    """First and last year of the project: the 项目总目标 period, else the plan dates."""
    goal = project.overall_goal
    if goal is not None and goal.period is not None:
        return goal.period
    if project.start is not None and project.end is not None:
        return project.start.year, project.end.year
    if project.year:
        return project.year, project.year
    return None


def is_one_year(project: Project) -> bool:
    """Start and end in the table year, and nothing says the project spans years."""
    if project.nature == "阶段性项目" or not project.year:
        return False
    years = project_years(project)
    return years == (project.year, project.year)


def check_dates(project: Project, settings: Settings) -> Iterator[Diagnostic]:
    start, end = project.start, project.end
    if start is not None and end is not None and start > end:
        yield rule("date-order").at(project.pos.of("start"),
                                    f"计划开始日期 {start.isoformat()} 晚于计划完成日期 {end.isoformat()}")
    goal = project.overall_goal
    period = goal.period if goal is not None else None
    if period is not None and goal is not None:
        first, last = period
        where = goal.pos.of("period")
        if first > last:
            yield rule("date-order").at(where, f"项目总目标起止年度 {first}-{last} 的开始年度晚于结束年度")
            return
        for attr, label, d in (("start", "计划开始日期", start), ("end", "计划完成日期", end)):
            if d is not None and not first <= d.year <= last:
                yield rule("date-outside-period").at(
                    project.pos.of(attr), f"{label} {d.isoformat()} 不在项目总目标的起止年度 {first}年-{last}年内")
    years = project_years(project)
    if project.year and years is not None and not years[0] <= project.year <= years[1]:
        yield rule("year-outside-period").at(
            project.pos.of("year"), f"表格年度 {project.year} 不在项目期间 {years[0]}年-{years[1]}年内")
