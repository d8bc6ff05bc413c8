"""Fund arithmetic of the target and declaration tables (FORMS.md §4)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from jixiao.errors import Diagnostic, Location
from jixiao.model.project import Kind, Project, TargetFunds, model_keys
from jixiao.model.settings import Settings
from jixiao.model.values import fmt, zero
from jixiao.model.vocab import MoneyUnit
from jixiao.rules import rule
from jixiao.validate.periods import is_one_year


def check_target_funds(project: Project, settings: Settings) -> Iterator[Diagnostic]:
    funds = project.funds
    if not isinstance(funds, TargetFunds) or funds.project is None or funds.annual is None:
        return
    p, a = funds.project, funds.annual
    yield from _amount_checks(funds)
    if p.total is not None:
        parts = zero(p.fiscal) + zero(p.other)
        if p.total != parts:
            yield rule("fund-project-sum").at(
                p.pos.of("total"),
                f"项目资金总额 {fmt(p.total)} ≠ 财政资金 {fmt(zero(p.fiscal))} + 其他资金 {fmt(zero(p.other))}"
                f" = {fmt(parts)}")
    if a.total is not None:
        parts = zero(a.current) + zero(a.carryover) + zero(a.other)
        if a.total != parts:
            yield rule("fund-annual-sum").at(
                a.pos.of("total"),
                f"年度资金申请总额 {fmt(a.total)} ≠ 当年财政拨款 {fmt(zero(a.current))} + 上年结转资金 "
                f"{fmt(zero(a.carryover))} + 其他资金 {fmt(zero(a.other))} = {fmt(parts)}")
    if p.total is None or a.total is None:
        return
    if a.total > p.total:
        yield rule("fund-annual-exceeds-total").at(
            a.pos.of("total"), f"年度资金申请总额 {fmt(a.total)} 大于项目资金总额 {fmt(p.total)}")
    elif a.total != p.total and is_one_year(project):
        yield rule("fund-one-year-mismatch").at(
            p.pos.of("total"),
            f"项目只在 {project.year} 年实施，项目资金总额 {fmt(p.total)} 应等于年度资金申请总额 "
            f"{fmt(a.total)}（相差 {fmt(p.total - a.total)}）；跨年项目请在项目总目标写明起止年度")


def _amount_checks(funds: TargetFunds) -> Iterator[Diagnostic]:
    """Every amount of the two halves (项目资金总额, 年度资金申请总额), named by its keys."""
    for half_attr, half in model_keys(TargetFunds):
        block = getattr(funds, half_attr)
        if half.kind is not Kind.MODEL or block is None:
            continue
        for attr, k in model_keys(type(block)):
            if k.kind is Kind.MONEY:
                yield from amount_problems(getattr(block, attr), funds.unit, f"{half.name}.{k.name}",
                                           block.pos.of(attr))


def amount_problems(amount: Decimal | None, unit: MoneyUnit | None, label: str,
                    where: Location) -> Iterator[Diagnostic]:
    """Negative amounts, and more decimals than the unit allows."""
    if amount is None:
        return
    if amount < 0:
        yield rule("fund-negative").at(where, f"「{label}」为负数 {fmt(amount)}；金额不能为负")
    exponent = amount.as_tuple().exponent
    if unit is not None and isinstance(exponent, int) and -exponent > unit.max_decimals:
        yield rule("fund-precision").at(
            where, f"「{label}」{fmt(amount)} 有 {-exponent} 位小数；单位为{unit.value}时最多 "
                   f"{unit.max_decimals} 位")
