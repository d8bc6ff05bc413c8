"""Self-evaluation rules (FORMS.md §5): funds, rate, weights, scores, total, grade."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from jixiao.errors import Diagnostic
from jixiao.model import scoring
from jixiao.model.project import Indicator, Project, SelfEvalFunds
from jixiao.model.settings import Settings
from jixiao.model.suggest import suggest
from jixiao.model.values import fmt, parse_indicator_value, zero
from jixiao.model.vocab import BENEFIT, OUTPUT, SATISFACTION
from jixiao.rules import rule
from jixiao.validate.funds import amount_problems
from jixiao.validate.indicators import effective_level1, is_placeholder

_COLUMNS = (("initial", "年初预算数"), ("budget", "全年预算数"), ("executed", "全年执行数"))


def check_selfeval(project: Project, settings: Settings) -> Iterator[Diagnostic]:
    funds = project.funds
    if not isinstance(funds, SelfEvalFunds):
        return
    yield from _fund_rows(funds)
    yield from _fund_score(funds, settings)
    for ind in project.all_indicators():
        yield from _indicator(ind)
        yield from _suggestion(ind, settings)
        yield from too_easy(ind)
    yield from _weights(project, funds, settings)
    yield from _total(project, settings)


# An actual this many times its target says the target was set too low (issue 18: a
# target that last year's result passed by more than 30 % was too easy).
TOO_EASY = Decimal("1.3")


def too_easy(ind: Indicator) -> Iterator[Diagnostic]:
    """A quantitative target to reach or pass (≥, >, = or a bare number) whose actual, in the
    same unit, is more than :data:`TOO_EASY` times it. Targets to stay under (≤, <) and
    values without a number (及时, 提升) are not compared."""
    if not ind.actual:
        return
    target, actual = parse_indicator_value(ind.target), parse_indicator_value(ind.actual)
    if (target.number is None or actual.number is None or target.number <= 0 or target.unit != actual.unit
            or target.comparator in ("<=", "<") or actual.comparator not in (None, "=")):
        return
    if actual.number > TOO_EASY * target.number:
        # Shown rounded, never computed to more digits than it has (0.000…1 as a target).
        ratio = actual.number / target.number
        times = f"{ratio:.1f} 倍" if ratio < 1000 else "上千倍"
        yield rule("selfeval-target-too-easy").at(
            ind.pos.of("actual"), f"三级指标「{ind.name}」的实际完成值 {ind.actual} 是年度指标值 {ind.target} 的 {times}；"
                                  "目标定得偏低，下一年度请按实际水平设定")


def _fund_rows(funds: SelfEvalFunds) -> Iterator[Diagnostic]:
    total = funds.total
    if total is None:
        return
    rows = [(label, row) for label, row in funds.rows() if row is not None]
    for label, row in (("年度资金总额", total), *rows):
        for attr, column in _COLUMNS:
            yield from amount_problems(getattr(row, attr), funds.unit, f"{label}.{column}", row.pos.of(attr))
    if total.executed is None:
        yield rule("selfeval-unfilled").at(total.pos.of("executed"), "年度资金总额的全年执行数未填写")
    if not rows:
        return
    for attr, column in _COLUMNS:
        written = getattr(total, attr)
        if written is None:
            continue
        parts = [(label, getattr(row, attr)) for label, row in rows]
        summed = sum((zero(v) for _, v in parts), Decimal(0))
        if written != summed:
            terms = " + ".join(f"{label} {fmt(zero(v))}" for label, v in parts)
            yield rule("selfeval-fund-rows").at(
                total.pos.of(attr), f"年度资金总额的{column} {fmt(written)} ≠ {terms} = {fmt(summed)}")


def _fund_score(funds: SelfEvalFunds, settings: Settings) -> Iterator[Diagnostic]:
    row = funds.total
    rate = scoring.execution_rate(funds, settings)
    if rate is not None and funds.rate is not None and funds.rate != rate:
        assert row is not None
        yield rule("selfeval-rate").at(
            funds.pos.of("rate"),
            f"执行率写作 {fmt(funds.rate)}%，按 全年执行数 {fmt(zero(row.executed))} ÷ 全年预算数 "
            f"{fmt(zero(row.budget))} 应为 {fmt(rate)}%")
    if funds.weight is not None and funds.score is not None:
        if not 0 <= funds.score <= funds.weight:
            yield rule("selfeval-score-range").at(
                funds.pos.of("score"), f"资金得分 {fmt(funds.score)} 不在 0 到分值 {fmt(funds.weight)} 之间")
        expected = scoring.fund_score(funds, settings)
        if expected is not None and rate is not None and scoring.quantize(funds.score, settings.decimals) != expected:
            yield rule("selfeval-fund-score").at(
                funds.pos.of("score"),
                f"资金得分写作 {fmt(funds.score)}，按 分值 {fmt(funds.weight)} × 执行率 {fmt(rate)}% "
                f"应为 {fmt(expected)}")
    elif funds.score is None:
        yield rule("selfeval-unfilled").at(funds.pos.of("score"), "资金得分未填写")


def _indicator(ind: Indicator) -> Iterator[Diagnostic]:
    if is_placeholder(ind):
        return
    label = f"三级指标「{ind.name}」"
    for attr, what in (("actual", "实际完成值"), ("weight", "分值"), ("score", "得分")):
        if getattr(ind, attr) in (None, ""):
            yield rule("selfeval-unfilled").at(ind.pos.of(attr), f"{label}的{what}未填写")
    if ind.weight is None or ind.score is None:
        return
    if not 0 <= ind.score <= ind.weight:
        yield rule("selfeval-score-range").at(
            ind.pos.of("score"), f"{label}的得分 {fmt(ind.score)} 不在 0 到分值 {fmt(ind.weight)} 之间")
    elif ind.score < ind.weight and not (ind.deviation or "").strip():
        yield rule("selfeval-deviation-missing").at(
            ind.pos.of("score"),
            f"{label}得分 {fmt(ind.score)} 低于分值 {fmt(ind.weight)}，须填写偏差原因分析及改进措施")


def _suggestion(ind: Indicator, settings: Settings) -> Iterator[Diagnostic]:
    if ind.score is None or is_placeholder(ind):
        return
    hint = suggest(ind, settings)
    if hint is not None and not hint.contains(ind.score):
        yield rule("selfeval-score-suggestion").at(
            ind.pos.of("score"),
            f"三级指标「{ind.name}」得分 {fmt(ind.score)}，建议在 {fmt(hint.low)}–{fmt(hint.high)} 之间"
            f"（{hint.basis}）")


def _weights(project: Project, funds: SelfEvalFunds, settings: Settings) -> Iterator[Diagnostic]:
    total = scoring.weight_total(project)
    where = project.pos.of("indicators")
    if total is not None and total != 100:
        yield rule("selfeval-weights-total").at(
            where, f"各项分值合计 {fmt(total)}（预算执行 {fmt(zero(funds.weight))} + 指标 "
                   f"{fmt(total - (funds.weight or 0))}），应为 100")
    if total is None:
        return
    by_level: dict[str, Decimal] = {"预算执行": funds.weight or Decimal(0)}
    for level in project.indicators:
        name = effective_level1(level.name) or level.name
        points = sum((ind.weight or Decimal(0) for ind in level.indicators()), Decimal(0))
        by_level[name] = by_level.get(name, Decimal(0)) + points
    differing = [f"{name} {fmt(by_level.get(name, Decimal(0)))}（常规 {fmt(expected)}）"
                 for name, expected in settings.weights.items()
                 if name in ("预算执行", OUTPUT, BENEFIT, SATISFACTION)
                 and by_level.get(name, Decimal(0)) != expected]
    if differing:
        yield rule("selfeval-weights-practice").at(where, "分值分配与常规不同：" + "，".join(differing))


def _total(project: Project, settings: Settings) -> Iterator[Diagnostic]:
    computed = scoring.total_score(project, settings)
    where = project.pos.of("total_score")
    if project.total_score is None:
        yield rule("selfeval-unfilled").at(where, "总分未填写" + (f"（按各项得分应为 {fmt(computed)}）"
                                                                 if computed is not None else ""))
    elif computed is not None and project.total_score != computed:
        yield rule("selfeval-total").at(
            where, f"总分写作 {fmt(project.total_score)}，资金得分与各指标得分合计为 {fmt(computed)}")
    basis = project.total_score if project.total_score is not None else computed
    if project.grade is not None and basis is not None and project.grade != scoring.grade(basis):
        yield rule("selfeval-grade").at(
            project.pos.of("grade"), f"总分 {fmt(basis)} 对应等级「{scoring.grade(basis)}」，不是「{project.grade}」")

