"""How values are printed on the form: amounts, dates, checkboxes, percentages."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from jixiao.model.values import fmt
from jixiao.render.variant import AmountStyle

CHECKED, UNCHECKED = "☑", "☐"


def amount(value: Decimal | None, style: AmountStyle) -> str:
    """An amount as the variant prints it; blank stays blank.

    Every style keeps the decimals the author wrote (an amount is never rounded): 原样
    prints them as written (20.00, 93.64992); 千分位 adds thousands separators (5,254,900
    as written, 12,814,895.16); 千分位两位小数 also pads to at least two decimals
    (12,690,000.00 for 12690000 — a table in 万元 printed in it, a self-evaluation made from
    a 万元 target, keeps 93.64992 as written, not 93.65).
    """
    if value is None:
        return ""
    if style is AmountStyle.GROUPED_CENTS:
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and exponent < -2:
            return f"{value:,f}"
        return f"{value:,.2f}"
    if style is AmountStyle.GROUPED:
        return f"{value:,f}"
    return fmt(value)


def score(value: Decimal | None) -> str:
    """Points as written: 10, 4.9, 99.8 (never 10.00 unless the author wrote it)."""
    return "" if value is None else fmt(value)


def summary_amount(value: Decimal | str | None, grouped: bool = False, decimals: int | None = None) -> str:
    """An amount in the disclosure summary: exact, with ``decimals`` decimals (its column's,
    padded with zeros: 485.00000 beside 93.64992), or without a column at least two: 525.49,
    4.0344, 100.00; in 元 with thousands separators as the forms print them (``grouped``):
    12,814,895.16. Never rounded: a column has the decimals of its most precise amount."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if decimals is None:
        value = value.normalize()
        exponent = value.as_tuple().exponent
        decimals = max(2, -exponent) if isinstance(exponent, int) else 2
    padded = value.quantize(Decimal(1).scaleb(-decimals))
    if padded != value:  # more decimals than the column's: print them all rather than round
        padded = value
    return f"{padded:,f}" if grouped else fmt(padded)


def percent(value: Decimal | None) -> str:
    return "" if value is None else f"{fmt(value)}%"


_STYLE_TOKEN = re.compile(r"2026|01|1")


def date_text(value: date | None, style: str) -> str:
    """Print ``value`` the way ``style`` prints 2026-01-01 (``2026.1.1``, ``2026年1月1日`` …).

    The first ``1``/``01`` after the year is the month, the second the day; a
    two-digit ``01`` means zero-padded.
    """
    if value is None:
        return ""
    parts = iter((value.month, value.day))
    out = []
    pos = 0
    for m in _STYLE_TOKEN.finditer(style):
        out.append(style[pos:m.start()])
        token = m.group()
        if token == "2026":
            out.append(str(value.year))
        else:
            n = next(parts, None)
            out.append("" if n is None else (f"{n:02d}" if token == "01" else str(n)))
        pos = m.end()
    out.append(style[pos:])
    return "".join(out)


def checkboxes(options: tuple[str, ...], chosen: str | None) -> str:
    """``专项资金 ☐  经常性项目 ☑  一次性项目 ☐`` as printed on the target table."""
    return "  ".join(f"{o} {CHECKED if o == chosen else UNCHECKED}" for o in options)
