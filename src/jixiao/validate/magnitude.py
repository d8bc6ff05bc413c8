"""Amounts implausible for their unit: 元 and 万元 mixed up (rules fund-magnitude*).

A clerk who types 元 figures into a 万元 table makes every amount 10000 times too
large (``421800.00`` 万元, 42 亿元, for a maintenance project); one who types 万元
figures into a 元 table makes them 10000 times too small (``35.5`` 元). Two checks:

* ``check_magnitude`` (per project): an absolute bound per unit, far outside every
  real table (the largest real amount in the demo workspace and the seeds is
  3082.53 万元 in 万元 tables and 12,814,895.16 元 in 元 tables; the smallest real
  project total is 0.01 万元 = 100 元).
* ``check_magnitude_siblings`` (across projects): a project's total against the
  median of its department and year, both in 元. The median is computed once per
  group, so the check is linear in the number of projects (plus one sort per group).

Each check only looks in the direction the slip produces: too large in a 万元 table,
too small in a 元 table. A tiny 万元 amount (the real 0.01 万元 placeholder budgets)
is not a unit slip, since typing 元 figures never makes an amount smaller.

All arithmetic is exact ``Decimal`` in a wide context; the ratio printed in the
message is rounded for display only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from decimal import ROUND_HALF_UP, Decimal, localcontext
from pathlib import Path
from typing import NamedTuple

from jixiao.errors import Diagnostic, Location
from jixiao.model.project import FundRow, Kind, Project, SelfEvalFunds, TargetFunds, model_keys
from jixiao.model.settings import Settings
from jixiao.model.values import convert, fmt
from jixiao.model.vocab import MoneyUnit
from jixiao.rules import rule
from jixiao.validate.crossproject import Entry

# Absolute bounds. A single project of 10 亿元 or more is not a township budget line;
# the largest real 万元 amount is 3082.53 (factor 32 below). Typing 元 into a 万元 table
# reaches the bound for every project of 10 万元 or more.
WAN_MAX = Decimal(100000)
# A positive project total under 100 元 is below every real project (the smallest are
# 0.01 万元 = 100 元 placeholder budgets in 吴泾镇 2023); typing 万元 into a 元 table
# reaches it for every project under 100 万元.
YUAN_MIN = Decimal(100)

# Relative bounds. Real projects of one department and year lie within about 50 times
# their median (demo workspace: at most 34 times, 3082.53 万元 against 90.77 万元 in 浦江镇
# 2026; at least 1/50, 1.8 万元; the 元 tables of 淞南镇 2023 within 8.5 times and 1/5.6);
# a unit slip moves an amount by 10000. Beyond SPREAD times the median, and within SPREAD
# of it once the slip is undone, the amount is reported. (The 0.01 万元 placeholders of
# 吴泾镇 2023 are 1/5444 of their median, but in a 万元 table, where no slip shrinks them.)
SPREAD = Decimal(1000)
# The group needs this many other projects for its median to mean anything.
MIN_SIBLINGS = 3

_FACTOR = Decimal(10000)  # 1 万元 = 10000 元
_PREC = 60  # wide enough that no product or quotient of amounts below 10**15 is rounded


def _plain(amount: Decimal) -> str:
    """An exact amount without trailing zeros: 42.1800 → 42.18, 355000.0 → 355000."""
    return fmt(amount.normalize()) if amount else "0"


def _other_unit(unit: MoneyUnit) -> MoneyUnit:
    return MoneyUnit.YUAN if unit is MoneyUnit.WAN else MoneyUnit.WAN


def _reread(amount: Decimal, unit: MoneyUnit) -> Decimal:
    """``amount`` as it would be had its digits been meant in the other unit, in ``unit``:
    421800.00 written in a 万元 table but meant as 元 is 42.18 万元."""
    with localcontext() as ctx:
        ctx.prec = _PREC
        return convert(amount, _other_unit(unit), unit)


# -- absolute bound, per project --------------------------------------------------------------


class _Amount(NamedTuple):
    label: str
    amount: Decimal
    where: Location
    is_total: bool  # a project's whole sum, not one of its parts


def _amounts(project: Project) -> Iterator[_Amount]:
    funds = project.funds
    if isinstance(funds, TargetFunds):
        for half_attr, half in model_keys(TargetFunds):
            block = getattr(funds, half_attr)
            if half.kind is not Kind.MODEL or block is None:
                continue
            for attr, k in model_keys(type(block)):
                value = getattr(block, attr)
                if k.kind is Kind.MONEY and value is not None:
                    yield _Amount(f"{half.name}.{k.name}", value, block.pos.of(attr), attr == "total")
    elif isinstance(funds, SelfEvalFunds):
        rows: list[tuple[str, FundRow | None]] = [("年度资金总额", funds.total), *funds.rows()]
        for row_name, row in rows:
            if row is None:
                continue
            for attr, k in model_keys(FundRow):
                value = getattr(row, attr)
                if k.kind is Kind.MONEY and value is not None:
                    yield _Amount(f"{row_name}.{k.name}", value, row.pos.of(attr), row is funds.total)


def _unit(project: Project) -> MoneyUnit | None:
    funds = project.funds
    return funds.unit if isinstance(funds, TargetFunds | SelfEvalFunds) else None


def check_magnitude(project: Project, settings: Settings) -> Iterator[Diagnostic]:
    """Amounts beyond the absolute bound of their unit (rule fund-magnitude)."""
    unit = _unit(project)
    if unit is None:
        return
    for a in _amounts(project):
        if unit is MoneyUnit.WAN and a.amount >= WAN_MAX:
            meant = _plain(_reread(a.amount, unit))  # also the figure in 亿元: 1 亿元 = 10000 万元
            yield rule("fund-magnitude").at(
                a.where, f"「{a.label}」金额 {fmt(a.amount)} 万元（{meant} 亿元）对一个项目不合常理，"
                         f"是否按元填写？应为 {meant} 万元")
        elif unit is MoneyUnit.YUAN and a.is_total and 0 < a.amount < YUAN_MIN:
            yield rule("fund-magnitude").at(
                a.where, f"「{a.label}」金额 {fmt(a.amount)} 元对一个项目不合常理，是否按万元填写？"
                         f"应为 {_plain(_reread(a.amount, unit))} 元")


def _absolute_slip(amount: Decimal, unit: MoneyUnit) -> bool:
    """Already reported by fund-magnitude: the sibling rule does not repeat it."""
    return amount >= WAN_MAX if unit is MoneyUnit.WAN else 0 < amount < YUAN_MIN


# -- relative to the department's other projects -----------------------------------------------


class _Figure(NamedTuple):
    """The one amount of a project compared with its siblings."""

    label: str
    amount: Decimal
    unit: MoneyUnit
    where: Location
    yuan: Decimal  # ``amount`` in 元, exactly


def _figure(project: Project) -> _Figure | None:
    """项目资金总额 (else 年度资金申请总额) of a target table; 年度资金总额 (全年预算数, else
    年初预算数, else 全年执行数) of a self-evaluation table. Only positive amounts."""
    funds = project.funds
    candidates: list[tuple[str, Decimal | None, Location]] = []
    if isinstance(funds, TargetFunds):
        for name, block in (("项目资金总额", funds.project), ("年度资金申请总额", funds.annual)):
            if block is not None:
                candidates.append((name, block.total, block.pos.of("total")))
    elif isinstance(funds, SelfEvalFunds) and funds.total is not None:
        row = funds.total
        for attr, name in (("budget", "全年预算数"), ("initial", "年初预算数"), ("executed", "全年执行数")):
            candidates.append((f"年度资金总额.{name}", getattr(row, attr), row.pos.of(attr)))
    unit = _unit(project)
    for label, amount, where in candidates:
        if amount is not None and unit is not None and amount > 0:
            return _Figure(label, amount, unit, where, convert(amount, unit, MoneyUnit.YUAN))
    return None


def _median(ordered: Sequence[Decimal]) -> Decimal:
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def check_magnitude_siblings(entries: Sequence[Entry]) -> Iterator[Diagnostic]:
    """Totals a unit slip away from their department's median (rule fund-magnitude-siblings)."""
    groups: dict[tuple[Path, int | None], list[_Figure]] = defaultdict(list)
    for spec, project in entries:
        figure = _figure(project)
        if figure is not None:
            groups[(spec.group, project.year)].append(figure)
    found: list[Diagnostic] = []
    # Collected, then yielded: a decimal context must not stay set across a generator's yields.
    with localcontext() as ctx:
        ctx.prec = _PREC
        for figures in groups.values():
            if len(figures) < MIN_SIBLINGS + 1:
                continue
            median = _median(sorted(f.yuan for f in figures))
            for f in figures:
                found.extend(_against(f, median, len(figures)))
    yield from found


def _ratio(big: Decimal, small: Decimal) -> str:
    return fmt((big / small).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _against(f: _Figure, median: Decimal, count: int) -> Iterator[Diagnostic]:
    if _absolute_slip(f.amount, f.unit):
        return
    shown = _plain(convert(median, MoneyUnit.YUAN, f.unit))
    group = f"同一主管部门、同一年度 {count} 个项目资金总额的中位数 {shown} {f.unit.value}"
    meant = _plain(_reread(f.amount, f.unit))
    if f.unit is MoneyUnit.WAN and median * SPREAD < f.yuan <= median * SPREAD * _FACTOR:
        yield rule("fund-magnitude-siblings").at(
            f.where, f"「{f.label}」{fmt(f.amount)} 万元是{group}的约 {_ratio(f.yuan, median)} 倍，"
                     f"可能把元当作万元填写；按元计应为 {meant} 万元")
    elif f.unit is MoneyUnit.YUAN and f.yuan * SPREAD < median <= f.yuan * SPREAD * _FACTOR:
        yield rule("fund-magnitude-siblings").at(
            f.where, f"「{f.label}」{fmt(f.amount)} 元只有{group}的约 1/{_ratio(median, f.yuan)}，"
                     f"可能把万元当作元填写；按万元计应为 {meant} 元")
