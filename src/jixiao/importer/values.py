"""Reading one cell's value: amounts as exact decimal text, dates in the forms' many spellings."""

from __future__ import annotations

import calendar
import re
from datetime import date

from jixiao.importer.ledger import Ledger
from jixiao.importer.sources import SourceCell
from jixiao.model.project import DATE_STYLES
from jixiao.model.values import ValueParseError, parse_decimal
from jixiao.render.formatting import date_text

_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")
_BLANK_AMOUNTS = ("", "—", "-", "/")


def is_number(cell: SourceCell) -> bool:
    return bool(_NUMBER.fullmatch(cell.text.strip()))


def amount(cell: SourceCell, ledger: Ledger) -> str | None:
    """An amount cell as exact decimal text: ``89. 41`` → ``89.41``, ``5,254,900`` → ``5254900``."""
    text = cell.text.replace("，", ",").strip()
    if text in _BLANK_AMOUNTS:
        return None
    parts = text.split()
    if len(parts) > 1 and len(set(parts)) == 1:
        ledger.note(cell, "同一个数重复印了两次，按一个读入")
        text = parts[0]
    text = "".join(text.split())
    try:
        value = parse_decimal(text)
    except ValueParseError:
        ledger.note(cell, "不是金额，未导入")
        return None
    return f"{value:f}"


def parse_loose_date(text: str, end: bool) -> date | None:
    """2023. 1. 1, 2026-1-1, 2023年1月1日; month-only 2023.12 is the month's first or last day."""
    t = re.sub(r"\s+", "", text)
    m = re.fullmatch(r"(\d{4})[.\-/年](\d{1,2})[.\-/月](\d{1,2})日?", t)
    try:
        if m:
            return date(int(m[1]), int(m[2]), int(m[3]))
        m = re.fullmatch(r"(\d{4})[.\-/年](\d{1,2})月?", t)
        if m:
            y, mo = int(m[1]), int(m[2])
            return date(y, mo, calendar.monthrange(y, mo)[1] if end else 1)
    except ValueError:
        return None
    return None


def date_style_of(text: str, value: date) -> str | None:
    """Which of jixiao's print styles writes ``value`` exactly as the table did."""
    for spaced in (False, True):
        for style in DATE_STYLES:
            printed = date_text(value, style)
            if printed == text.strip() or (spaced and re.sub(r"\s+", "", printed) == re.sub(r"\s+", "", text)):
                return style
    return None
