"""Mid-year monitoring arithmetic (docs/monitoring.md), computed exactly.

执行率 is 执行数 ÷ 调整后预算数. The form prints it to one decimal of a percent,
rounded half-up as clerks round by hand; a rate the clerk wrote is right when it is the
exact rate rounded to the decimals the clerk wrote it with (58.3% and 58.33% are both
right for 7 ÷ 12). The time elapsed at the cut-off is counted in whole months when the
cut-off is a month's last day (1-7月 is 7/12 of the year), in days otherwise.
"""

from __future__ import annotations

import calendar
from datetime import date
from decimal import Decimal

from jixiao.model.project import MonitorRow
from jixiao.model.scoring import HUNDRED, quantize

PRINTED_DECIMALS = 1  # 执行率 as printed: 58.3%


def is_month_end(day: date) -> bool:
    return day.day == calendar.monthrange(day.year, day.month)[1]


def period_label(cutoff: date | None) -> str:
    """The monitoring period as the form prints it: 1-7月 (to a month's end), 1月1日-7月15日."""
    if cutoff is None:
        return ""
    if is_month_end(cutoff):
        return "1月" if cutoff.month == 1 else f"1-{cutoff.month}月"
    return f"1月1日-{cutoff.month}月{cutoff.day}日"


def elapsed(cutoff: date) -> Decimal:
    """The part of the year gone at the cut-off, in percent (exact: 7/12 is 58.333…)."""
    if is_month_end(cutoff):
        return Decimal(cutoff.month) / 12 * HUNDRED
    days = 366 if calendar.isleap(cutoff.year) else 365
    return Decimal(cutoff.timetuple().tm_yday) / days * HUNDRED


def exact_rate(row: MonitorRow | None) -> Decimal | None:
    """执行数 ÷ 调整后预算数 in percent, unrounded; None while either is blank (or the budget is 0)."""
    if row is None or row.executed is None or not row.adjusted:
        return None
    return row.executed / row.adjusted * HUNDRED


def printed_rate(row: MonitorRow | None) -> Decimal | None:
    """执行率 as the form prints it: the exact rate, one decimal, half-up."""
    rate = exact_rate(row)
    return None if rate is None else quantize(rate, PRINTED_DECIMALS)


def decimals_of(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def rate_agrees(written: Decimal, exact: Decimal) -> bool:
    """A written rate is right when it is the exact rate rounded to the decimals it is written with."""
    return quantize(exact, decimals_of(written)) == written
