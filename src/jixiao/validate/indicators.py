"""The indicator framework (FORMS.md §3) and indicator values (§6)."""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterator

from jixiao.errors import Diagnostic
from jixiao.model.project import FirstLevel, Indicator, Project
from jixiao.model.settings import Settings
from jixiao.model.values import parse_indicator_value, without_latex
from jixiao.model.vocab import (
    BENEFIT,
    COST,
    FRAMEWORK,
    LEVEL1_ALIASES,
    OUTPUT,
    PLACEHOLDER,
    SATISFACTION,
    Framework,
    all_level2,
    parent_of_level2,
)
from jixiao.rules import rule
from jixiao.validate.periods import project_years

_NUMBERING = re.compile(r"^指标\s*\d+\s*[:：]\s*")
_VALUE_LIKE = re.compile(r"^[<>=≥≤＝]*\s*\d+(?:\.\d+)?\s*[%％]?$")


@functools.lru_cache(maxsize=8192)
def strip_numbering(name: str) -> str:
    return _NUMBERING.sub("", name).strip()


def is_placeholder(ind: Indicator) -> bool:
    return strip_numbering(ind.name) == PLACEHOLDER


def effective_level1(name: str) -> str | None:
    """The standard first level a (possibly non-standard) name stands for."""
    if name in FRAMEWORK:
        return name
    if name in LEVEL1_ALIASES:
        return LEVEL1_ALIASES[name]
    parents = parent_of_level2(name)
    return parents[0] if len(parents) == 1 else None


def check_indicators(project: Project, settings: Settings) -> Iterator[Diagnostic]:
    for level in project.indicators:
        yield from _check_level(level, settings)
    yield from _check_presence(project)
    yield from _check_cost_placement(project, settings)
    yield from _check_rows(project)
    if settings.rule_levels.get("indicator-detail-missing") is not None:  # off by default
        yield from _check_details(project)


def _check_level(level: FirstLevel, settings: Settings) -> Iterator[Diagnostic]:
    name = level.name
    target = effective_level1(name)
    if name not in FRAMEWORK:
        if name in LEVEL1_ALIASES:
            hint = f"；应写「{target}」"
        elif target is not None:
            hint = f"；「{name}」是二级指标，应写在一级指标「{target}」下"
        else:
            close = difflib.get_close_matches(name, list(FRAMEWORK), n=1, cutoff=0.3)
            hint = f"；是否想写「{close[0]}」？" if close else f"；标准一级指标为 {'、'.join(FRAMEWORK)}"
        yield rule("indicator-level1-unknown").at(level.pos.at, f"一级指标「{name}」不规范{hint}")
    if target is None:
        return
    allowed = FRAMEWORK[target]
    for child in level.children:
        if child.name in allowed or child.name == name:
            continue
        parents = parent_of_level2(child.name)
        if parents:
            yield rule("indicator-level2-misplaced").at(
                child.pos.at, f"二级指标「{child.name}」应放在一级指标「{parents[0]}」下，而不是「{name}」下")
        else:
            close = difflib.get_close_matches(child.name, list(allowed), n=1, cutoff=0.3) or \
                difflib.get_close_matches(child.name, all_level2(), n=1, cutoff=0.3)
            hint = f"；是否想写「{close[0]}」？" if close else f"；「{target}」下可用 {'、'.join(allowed)}"
            yield rule("indicator-level2-unknown").at(child.pos.at, f"二级指标「{child.name}」不规范{hint}")


def _levels_with_indicators(project: Project) -> set[str | None]:
    """The standard first levels (as ``effective_level1`` reads a level's name) that have
    an indicator that is not a placeholder: one pass for the three levels asked about."""
    return {effective_level1(level.name) for level in project.indicators
            if any(not is_placeholder(ind) for ind in level.indicators())}


def _check_presence(project: Project) -> Iterator[Diagnostic]:
    if "indicators" not in project.pos.fields:
        return  # 绩效指标 itself is missing: reported once by the builder
    where = project.pos.of("indicators")
    present = _levels_with_indicators(project)
    if OUTPUT not in present:
        yield rule("indicator-missing-output").at(where, "没有任何产出指标；至少需要一个数量、质量、时效或成本指标")
    if BENEFIT not in present:
        yield rule("indicator-missing-benefit").at(where, "没有任何效益指标（写「无」的不算）；至少需要一个")
    if SATISFACTION not in present:
        yield rule("indicator-missing-satisfaction").at(where, "没有满意度指标；通常应有服务对象满意度指标")


def _check_cost_placement(project: Project, settings: Settings) -> Iterator[Diagnostic]:
    own_level = [lv for lv in project.indicators if lv.name == COST]
    under_output = [c for lv in project.indicators if lv.name == OUTPUT for c in lv.children
                    if c.name == COST]
    if own_level and settings.framework is Framework.OLD:
        yield rule("indicator-framework").at(
            own_level[0].pos.at, "本工作区的指标体系为「旧」：成本指标应作为二级指标写在产出指标下")
    if under_output and settings.framework is Framework.NEW:
        yield rule("indicator-framework").at(
            under_output[0].pos.at, "本工作区的指标体系为「新」：成本指标应单列为一级指标（经济/社会/生态环境成本指标）")
    if own_level and under_output and settings.framework is Framework.ANY:
        yield rule("indicator-framework").at(
            under_output[0].pos.at, "同一张表里成本指标既单列为一级指标又写在产出指标下；只能选一种")


def _check_rows(project: Project) -> Iterator[Diagnostic]:
    seen: dict[str, Indicator] = {}
    years = project_years(project)
    for ind in project.all_indicators():
        bare = strip_numbering(ind.name)
        where = ind.pos.of("name")
        if bare == PLACEHOLDER:
            yield rule("indicator-placeholder").at(
                where, f"三级指标「{ind.name}」只是占位；不需要时把二级指标写成「…指标: 无」")
            continue
        if _VALUE_LIKE.match(without_latex(bare)):
            yield rule("indicator-name-is-value").at(
                where, f"三级指标「{ind.name}」是一个数值，不是指标名称；名称写指标内容，数值写在年度指标值")
        elif bare != ind.name:
            yield rule("indicator-numbering").at(
                where, f"三级指标「{ind.name}」带有编号；编号由表样生成，请只写「{bare}」")
        if bare in seen and bare:  # a blank name is reported as blank (empty-text), not as a copy
            first = seen[bare].pos.of("name")
            yield rule("indicator-duplicate").at(
                where, f"三级指标「{bare}」重复，第 {first.line} 行已有同名指标")
        else:
            seen[bare] = ind
        if not ind.target.strip():
            yield rule("indicator-value-blank").at(ind.pos.of("target"), f"三级指标「{bare}」的年度指标值为空")
            continue
        yield from _check_value(ind, bare, years)


def _check_value(ind: Indicator, bare: str, years: tuple[int, int] | None) -> Iterator[Diagnostic]:
    value = parse_indicator_value(ind.target)
    where = ind.pos.of("target")
    if value.is_percent and value.number is not None and value.number > 100:
        yield rule("value-percent-over-100").at(
            where, f"「{bare}」的年度指标值 {ind.target} 超过 100%")
    if years is not None:
        for year in value.years():
            if not years[0] <= year <= years[1]:
                yield rule("value-year-outside-period").at(
                    where, f"「{bare}」的年度指标值「{ind.target}」提到 {year} 年，"
                           f"不在项目期间 {years[0]}年-{years[1]}年内")


def _check_details(project: Project) -> Iterator[Diagnostic]:
    """indicator-detail-missing: the details a budget system requires (FORMS.md §10), at
    each indicator that lacks some; 计量单位 only where the 年度指标值 is a number."""
    for ind in project.all_indicators():
        if is_placeholder(ind) or not ind.name:
            continue
        missing = [name for name, value in (("指标解释", ind.explanation), ("评分标准", ind.scoring),
                                            ("指标来源", ind.source)) if not value]
        if not ind.measure_unit and parse_indicator_value(ind.target).number is not None:
            missing.append("计量单位")
        if missing:
            yield rule("indicator-detail-missing").at(
                ind.pos.at, f"三级指标「{ind.name}」缺少{'、'.join(missing)}（本工作区要求填写指标明细）")
