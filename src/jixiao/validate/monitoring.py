"""Mid-year monitoring rules (docs/monitoring.md): budget execution and target progress.

Within one form (:func:`check_monitor`): what is still blank, the fund rows' arithmetic,
执行率 against the computed one and against the time elapsed, the year's forecast against
the budget, and each indicator's forecast against its target. Across the workspace
(:func:`check_monitor_targets`): the form reports against the targets as filed, so its
indicators and 年初预算数 are compared with the project's target table.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from decimal import Decimal

from jixiao.errors import Diagnostic
from jixiao.load.workspace import SpecFile
from jixiao.model import monitoring
from jixiao.model.project import Indicator, MonitorFunds, MonitorRow, Project, TargetFunds
from jixiao.model.scoring import quantize
from jixiao.model.settings import Settings
from jixiao.model.values import convert, fmt, parse_indicator_value, zero
from jixiao.model.vocab import CERTAIN, DEVIATION_REASONS, FormKind
from jixiao.rules import rule
from jixiao.validate.funds import amount_problems
from jixiao.validate.indicators import is_placeholder

_AMOUNTS = (("initial", "年初预算数"), ("adjusted", "调整后预算数"), ("executed", "执行数"),
            ("forecast", "全年预计执行数"))
# What the unit fills in at the cut-off (年初预算数 comes from the targets).
_TO_FILL = (("adjusted", "调整后预算数"), ("executed", "执行数"), ("forecast", "全年预计执行数"))
# How several 偏差原因 are written in one cell: 经费保障、人员保障 (or with commas, spaces).
_REASON_SEPARATORS = re.compile(r"[、，,；;/\s]+")


def check_monitor(project: Project, settings: Settings) -> Iterator[Diagnostic]:
    funds = project.funds
    if project.form is not FormKind.MONITOR or not isinstance(funds, MonitorFunds):
        return
    yield from _funds(funds)
    yield from _rates(funds)
    if funds.total is not None and project.cutoff is not None:
        yield from _schedule(funds, project, settings)
    yield from _forecast(funds)
    if not project.progress.strip():
        yield rule("monitor-unfilled").at(project.pos.of("progress"), "目标执行情况（年度总体目标的执行情况）未填写")
    for ind in project.all_indicators():
        if not is_placeholder(ind):
            yield from _indicator(ind)


# -- funds -----------------------------------------------------------------------------------------


def _funds(funds: MonitorFunds) -> Iterator[Diagnostic]:
    total = funds.total
    if total is None:
        return
    rows = [(label, row) for label, row in funds.rows() if row is not None]
    for label, row in rows:
        for attr, column in _AMOUNTS:
            yield from amount_problems(getattr(row, attr), funds.unit, f"{label}.{column}", row.pos.of(attr))
    for attr, column in _TO_FILL:
        if getattr(total, attr) is None:
            yield rule("monitor-unfilled").at(total.pos.of(attr), f"年度资金总额的{column}未填写")
    parts = [(label, row) for label, row in rows if label != "年度资金总额"]
    if not parts:
        return
    for attr, column in _AMOUNTS:
        written = getattr(total, attr)
        if written is None:
            continue
        summed = sum((zero(getattr(row, attr)) for _, row in parts), Decimal(0))
        if written != summed:
            terms = " + ".join(f"{label} {fmt(zero(getattr(row, attr)))}" for label, row in parts)
            yield rule("monitor-fund-rows").at(
                total.pos.of(attr), f"年度资金总额的{column} {fmt(written)} ≠ {terms} = {fmt(summed)}")


def _rates(funds: MonitorFunds) -> Iterator[Diagnostic]:
    for label, row in funds.rows():
        if row is None or row.rate is None:
            continue
        exact = monitoring.exact_rate(row)
        if exact is None:
            continue
        if not monitoring.rate_agrees(row.rate, exact):
            shown = quantize(exact, max(monitoring.PRINTED_DECIMALS, monitoring.decimals_of(row.rate)))
            yield rule("monitor-rate").at(
                row.pos.of("rate"),
                f"{label}的执行率写作 {fmt(row.rate)}%，按 执行数 {fmt(zero(row.executed))} ÷ 调整后预算数 "
                f"{fmt(zero(row.adjusted))} 应为 {fmt(shown)}%")


def _schedule(funds: MonitorFunds, project: Project, settings: Settings) -> Iterator[Diagnostic]:
    """执行率 far behind the part of the year gone: more than the tolerance (监控规则.进度容差)."""
    assert funds.total is not None and project.cutoff is not None
    rate = monitoring.exact_rate(funds.total)
    if rate is None:
        return
    elapsed = monitoring.elapsed(project.cutoff)
    gap = elapsed - rate
    if gap <= settings.monitor_tolerance:
        return
    period = monitoring.period_label(project.cutoff)
    hint = "" if (funds.remedy or "").strip() else "；请在「原因说明」写明原因和加快执行的措施"
    yield rule("monitor-behind-schedule").at(
        funds.total.pos.of("executed"),
        f"{period}执行率 {fmt(quantize(rate, 1))}%，时间进度 {fmt(quantize(elapsed, 1))}%，落后 "
        f"{fmt(quantize(gap, 1))} 个百分点（容差 {fmt(settings.monitor_tolerance)} 个百分点）{hint}")


def _forecast(funds: MonitorFunds) -> Iterator[Diagnostic]:
    explained = bool((funds.remedy or "").strip())
    for label, row in funds.rows():
        if row is None or row.forecast is None or row.adjusted is None:
            continue
        if row.forecast > row.adjusted:
            yield rule("monitor-forecast-over-budget").at(
                row.pos.of("forecast"),
                f"{label}的全年预计执行数 {fmt(row.forecast)} 大于调整后预算数 {fmt(row.adjusted)}；"
                "超出预算须先调整预算")
        elif row.forecast < row.adjusted and not explained:
            yield rule("monitor-forecast-unexplained").at(
                row.pos.of("forecast"),
                f"{label}的全年预计执行数 {fmt(row.forecast)} 低于调整后预算数 {fmt(row.adjusted)}"
                f"（差 {fmt(row.adjusted - row.forecast)}），没有填写原因说明")


# -- indicators ------------------------------------------------------------------------------------


def _indicator(ind: Indicator) -> Iterator[Diagnostic]:
    label = f"三级指标「{ind.name}」"
    for attr, what in (("actual", "实际完成值"), ("forecast", "全年预计完成值"), ("likelihood", "完成目标可能性")):
        if not (getattr(ind, attr) or "").strip():
            yield rule("monitor-unfilled").at(ind.pos.of(attr), f"{label}的{what}未填写")
    reasons = [r for r in _REASON_SEPARATORS.split(ind.reasons or "") if r]
    unknown = [r for r in reasons if r not in DEVIATION_REASONS]
    if unknown:
        yield rule("monitor-reason-unknown").at(
            ind.pos.of("reasons"), f"{label}的偏差原因「{'、'.join(unknown)}」不是 {'、'.join(DEVIATION_REASONS)} 之一")
    short = shortfall(ind.target, ind.forecast or "")
    if short and ind.likelihood == CERTAIN:
        yield rule("monitor-shortfall-certain").at(
            ind.pos.of("likelihood"),
            f"{label}的全年预计完成值 {ind.forecast} 达不到年度指标值 {ind.target}，完成目标可能性却写「确定能」")
    if short or (ind.likelihood and ind.likelihood != CERTAIN):
        why = f"全年预计完成值 {ind.forecast} 达不到年度指标值 {ind.target}" if short \
            else f"完成目标可能性为「{ind.likelihood}」"
        missing = [what for attr, what in (("reasons", "偏差原因"), ("remedy", "原因说明及纠偏措施"))
                   if not (getattr(ind, attr) or "").strip()]
        if missing:
            yield rule("monitor-deviation-unexplained").at(
                ind.pos.of("reasons" if "偏差原因" in missing else "remedy"),
                f"{label}{why}，须填写{'和'.join(missing)}")


def shortfall(target: str, forecast: str) -> bool:
    """Whether a forecast falls short of a quantitative target (same unit, or a bare number).
    Values without a number (及时, 提升) are never judged short: 完成目标可能性 says it."""
    t, f = parse_indicator_value(target), parse_indicator_value(forecast)
    if t.number is None or f.number is None or f.unit not in (t.unit, ""):
        return False
    if t.comparator in ("<=", "<"):
        return f.number > t.number or (t.comparator == "<" and f.number == t.number)
    return f.number < t.number or (t.comparator == ">" and f.number == t.number)


# -- against the targets as filed ------------------------------------------------------------------


def check_monitor_targets(projects: Iterable[tuple[SpecFile, Project]]) -> Iterator[Diagnostic]:
    """Each monitoring form against the same project's target table, when the workspace has it."""
    targets: dict[tuple[str, int | None, str, str], Project] = {}
    forms: list[Project] = []
    for _spec, project in projects:
        if project.form is FormKind.MONITOR:
            forms.append(project)
        elif project.form in (FormKind.TARGET, FormKind.DECLARATION):
            targets.setdefault(_key(project), project)
    for form in forms:
        target = targets.get(_key(form))
        if target is not None:
            yield from _against(form, target)


def _key(project: Project) -> tuple[str, int | None, str, str]:
    return project.department, project.year, project.unit, project.name


def _against(form: Project, target: Project) -> Iterator[Diagnostic]:
    where = target.pos.at.file
    filed = {_path(level, child, ind): ind for level, child, ind in _indicators(target)}
    reported = {_path(level, child, ind): ind for level, child, ind in _indicators(form)}
    for path, ind in reported.items():
        was = filed.get(path)
        if was is None:
            yield rule("monitor-targets-differ").at(
                ind.pos.of("name"), f"三级指标「{' › '.join(path)}」不在绩效目标表（{where}）里；"
                                    "监控表按批复的目标填报，指标改名或新增须先调整绩效目标")
        elif was.target.strip() != ind.target.strip():
            yield rule("monitor-targets-differ").at(
                ind.pos.of("target"), f"三级指标「{ind.name}」的年度指标值写作 {ind.target}，"
                                      f"绩效目标表（{where}）是 {was.target}")
    dropped = [" › ".join(path) for path in filed if path not in reported]
    if dropped:
        yield rule("monitor-targets-differ").at(
            form.pos.of("indicators"), f"绩效目标表（{where}）的三级指标没有在监控表里：{'、'.join(dropped)}")
    yield from _initial_budget(form, target, where)


def _initial_budget(form: Project, target: Project, where: str) -> Iterator[Diagnostic]:
    funds, filed = form.funds, target.funds
    if not isinstance(funds, MonitorFunds) or not isinstance(filed, TargetFunds):
        return
    row: MonitorRow | None = funds.total
    if row is None or row.initial is None or filed.annual is None or filed.annual.total is None:
        return
    unit = funds.unit or filed.unit
    expected = filed.annual.total if unit is None else convert(filed.annual.total, filed.unit, unit)
    if row.initial != expected:
        yield rule("monitor-targets-differ").at(
            row.pos.of("initial"), f"年度资金总额的年初预算数 {fmt(row.initial)} 与绩效目标表（{where}）的年度资金申请总额 "
                                   f"{fmt(expected.normalize())} 不同")


def _indicators(project: Project) -> Iterator[tuple[str, str, Indicator]]:
    for level in project.indicators:
        for child in level.children:
            for ind in child.indicators:
                if not is_placeholder(ind):
                    yield level.name, child.name, ind


def _path(level: str, child: str, ind: Indicator) -> tuple[str, str, str]:
    return level, child, ind.name
